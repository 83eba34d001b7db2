"""Workshop mode's countdown for the question set being answered: the set, its state, and
the time left in large digits (time past zero in the warning colour, counting on).

The interview screen gives it a `CountdownView` (plain data) once a second; only this
widget is refreshed, and the digits are laid out again only when their width changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Digits, Static

from canvas_tui.core.interview.timer import Countdown, TimerState, clock_face
from canvas_tui.ui.text import set_content

TIMES_UP = "Time's up for this set — finish your thought, then move on"


@dataclass(frozen=True)
class CountdownView:
    """What the countdown shows. `face` is "07:42", or "+01:10" past zero."""

    title: str  # "Part 1 of 4 · Value proposition"; "" when no set is being answered
    face: str = ""
    state: str = ""  # a TimerState value, or "" when there is no set
    times_up: bool = False
    minutes: float = 0.0  # the set's time in all (budget plus time added)
    room: bool = False  # the room's timer (serve --workshop): the facilitator runs it

    @classmethod
    def of(cls, title: str, countdown: Countdown | None) -> CountdownView:
        if countdown is None:
            return cls(title="")
        times_up = countdown.times_up
        face = "+" + clock_face(countdown.overrun) if times_up else clock_face(countdown.remaining)
        return cls(
            title=title,
            face=face,
            state=countdown.state.value,
            times_up=times_up,
            minutes=countdown.total / 60,
        )


def minutes_text(minutes: float) -> str:
    whole = round(minutes)
    if abs(minutes - whole) < 0.05:
        return f"{whole} min"
    return f"{minutes:.1f} min"


class WorkshopCountdown(Horizontal):
    """The set, its state and the time left. Hidden unless the app is in workshop mode."""

    DEFAULT_CSS = """
    WorkshopCountdown {
        display: none;
        height: 3;
        padding: 0 1;
        background: $primary 20%;
        #countdown-label {
            width: 1fr; height: 3; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis;
        }
        #countdown-digits { width: auto; color: $text; text-style: bold; }
        &.-paused #countdown-digits { color: $text-muted; }
        &.-times-up { background: $warning 25%; }
        &.-times-up #countdown-digits { color: $text-warning; }
        &.-idle #countdown-digits { display: none; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view: CountdownView | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="countdown-label")
        yield Digits("", id="countdown-digits")

    def show(self, view: CountdownView) -> None:
        if view == self.view:
            return
        self.view = view
        self.set_class(view.state == TimerState.PAUSED.value, "-paused")
        self.set_class(view.times_up, "-times-up")
        self.set_class(not view.title, "-idle")
        set_content(self.query_one("#countdown-label", Static), self.label(view))
        digits = self.query_one("#countdown-digits", Digits)
        if digits.value != view.face:
            digits.update(view.face)

    @staticmethod
    def label(view: CountdownView) -> Content:
        if not view.title:
            return Content.assemble(
                ("Workshop mode", "bold"),
                "\n",
                ("Every part is answered: no countdown is running.", "$text-muted"),
            )
        if view.room:
            return WorkshopCountdown.room_label(view)
        if view.state == TimerState.PAUSED.value:
            # the facilitator's pause comes first, also past zero
            state: tuple[str, str] = ("⏸ Paused — Ctrl+R resumes the countdown", "bold")
        elif view.times_up:
            state = (TIMES_UP, "bold $text-warning")
        else:
            state = (f"▶ {minutes_text(view.minutes)} for this part", "$text-muted")
        extra = "Ctrl+R pause · F5 +1 min · Shift+F5 +5 min"
        if view.state == TimerState.PAUSED.value:
            extra = "F5 +1 min · Shift+F5 +5 min"
        return Content.assemble((view.title, "bold"), "\n", state, "\n", (extra, "$text-muted"))

    @staticmethod
    def room_label(view: CountdownView) -> Content:
        """The room's timer: the facilitator starts, pauses and extends it for everybody."""
        if view.state == TimerState.PAUSED.value:
            state: tuple[str, str] = ("⏸ The facilitator has paused the room's timer", "bold")
        elif view.times_up:
            state = (TIMES_UP, "bold $text-warning")
        else:
            state = (f"▶ {minutes_text(view.minutes)} for this part", "$text-muted")
        return Content.assemble(
            (view.title, "bold"),
            "\n",
            state,
            "\n",
            ("The room's timer: the facilitator runs it for everybody", "$text-muted"),
        )
