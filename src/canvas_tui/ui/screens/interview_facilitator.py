"""The facilitator's tools on the interview screen: the workshop countdown (Ctrl+R
pauses, F5 adds time) and facilitator notes and assumption flags (Ctrl+F, F9).

`InterviewScreen` inherits them; the key bindings stay on it (the help screen lists a
screen's own bindings). Which answer a note or flag is for is decided in core
(`core/interview/transcript.py`: `note_target`, `assumption_target`).
"""

from __future__ import annotations

from collections.abc import Callable

from textual import work
from textual.timer import Timer

from canvas_tui.ui.screens.base import BenchScreen
from canvas_tui.ui.widgets.countdown import CountdownView, WorkshopCountdown
from canvas_tui.ui.widgets.transcript import AnswerBubble, Transcript


class FacilitatorTools(BenchScreen):
    """The countdown and notes/flags half of the interview screen (see the module)."""

    _ticker: Timer | None = None

    # ------------------------------------------------------------------ workshop

    def timer_key_allowed(self, action: str) -> bool:
        """The countdown's keys work in workshop mode only (hidden from the footer
        otherwise); Ctrl+R says Pause while it runs, Resume while it is paused."""
        bench = self.canvas_app.bench
        if bench is None or not (self.canvas_app.workshop and bench.timers is not None):
            return False
        if action != "add_time":
            return bench.timers.paused == (action == "resume_timer")
        return True

    def tick(self) -> None:
        """Refresh the countdown (once a second in workshop mode) and give the gentle
        signal — one bell — when the set's time has just run out. Nothing is blocked."""
        bench = self.canvas_app.bench
        if bench is None or not self.is_mounted:
            return
        timers = bench.timers
        if timers is None:
            return
        title = bench.part_title(timers.current_id)
        self.query_one(WorkshopCountdown).show(CountdownView.of(title, timers.current))
        if timers.poll():
            self.app.bell()

    def workshop_changed(self) -> None:
        """Workshop mode was turned on or off: start or stop the countdown's refresh."""
        if self._ticker is not None:
            if self.canvas_app.workshop:
                self._ticker.resume()
            else:
                self._ticker.pause()
        self.tick()
        self.update_bindings()

    def action_toggle_timer(self) -> None:
        timers = self.bench.timers
        if timers is None:
            return
        self._timer_change(self.bench.pause_timer, not timers.paused)

    def action_resume_timer(self) -> None:
        self.action_toggle_timer()

    def action_add_time(self, seconds: int) -> None:
        if self.bench.timers is None or self.bench.timers.current is None:
            return
        self._timer_change(self.bench.add_time, float(seconds))
        self.notify(
            f"{seconds // 60} more minute{'s' if seconds > 60 else ''} for this part.",
            title="Time added",
            timeout=3,
        )

    @work(group="timer")
    async def _timer_change(self, fn: Callable[..., None], *args: object) -> None:
        await self.canvas_app.core(fn, *args)  # changes the countdown and saves
        self.tick()
        self.update_bindings()

    # ------------------------------------------------------------------ notes, assumptions

    def _focused_answer(self) -> str | None:
        focused = self.focused
        if isinstance(focused, AnswerBubble) and focused.entry.qid:
            return focused.entry.qid
        return None

    def note_target(self) -> str | None:
        bench = self.canvas_app.bench
        return bench.note_target(self._focused_answer()) if bench is not None else None

    def assumption_target(self) -> str | None:
        bench = self.canvas_app.bench
        return bench.assumption_target(self._focused_answer()) if bench is not None else None

    def action_note(self) -> None:
        from canvas_tui.ui.screens.dialogs import NoteDialog

        qid = self.note_target()
        prompt = self.bench.prompt_of(qid) if qid else None
        if qid is None or prompt is None:
            return

        def written(text: str | None) -> None:
            if text is None:
                return
            self.change(self.bench.set_note, qid, text, then=lambda: self._reveal(f"fnote:{qid}"))
            self.notify(
                "Saved with the session, apart from the answers."
                if text
                else "The note is removed.",
                title="Facilitator note",
                timeout=3,
            )

        self.app.push_screen(NoteDialog(prompt, self.bench.note_of(qid)), written)

    def _reveal(self, key: str) -> None:
        """Scroll the transcript to show a message once it is laid out."""

        def scroll() -> None:
            message = self.query_one(Transcript).message_for(key)
            if message is not None:
                message.scroll_visible(animate=False, immediate=True)

        self.call_after_refresh(scroll)

    def action_assumption(self) -> None:
        qid = self.assumption_target()
        prompt = self.bench.prompt_of(qid) if qid else None
        if qid is None or prompt is None:
            return
        flag = not self.bench.is_assumption(qid)
        self.change(self.bench.set_assumption, qid, flag)
        self.notify(
            prompt if len(prompt) < 70 else prompt[:69] + "…",
            title="Flagged: an assumption to validate" if flag else "No longer an assumption",
            markup=False,
            timeout=4,
        )
