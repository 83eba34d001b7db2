"""`canvas-tui room DIR`: the facilitator's view of a `serve --workshop` room.

A second terminal beside the server. It shows the room's timer (the set the room is on,
the time left), who has joined with their progress per set, the answers flagged as
assumptions, and the live merged canvas; its keys start, pause and extend the timer and
end the set for everybody. Each change is written to ``DIR/room.json`` (core/room),
which every participant's app follows within a second.

The sessions are read again every `REFRESH` seconds in a worker thread (core/room's
`RoomReader`: a participant's canvas is inferred again only when their session changed);
the timer's face is redrawn every second. Participants' names and answers are data:
shown as plain text with control characters replaced, never as markup.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Digits, Footer, Static

from canvas_tui.core.exports.escaping import terminal_text
from canvas_tui.core.room import (
    ROOM_FILE,
    Room,
    RoomWatcher,
    end_set,
    extend,
    toggle,
    write_room,
)
from canvas_tui.core.room.overview import Overview, RoomReader
from canvas_tui.core.team.merge_model import Merge

REFRESH = 2.0  # seconds between two reads of the sessions
TICK = 1.0  # seconds between two redraws of the timer


def timer_lines(room: Room | None, now: float, notice: str | None) -> tuple[Content, str]:
    """The timer's label and its face ("07:42", "+01:10")."""
    if room is None:
        return Content(notice or "No room file yet."), ""
    current = room.set(room.current)
    if current is None:
        return Content.assemble(("Every part is done", "bold"), "\nThe room has ended."), ""
    title = terminal_text(f"Part {room.number()} of {len(room.sets)} · {current.title}")
    if not room.started():
        state = "Not started — Space starts the room's timer"
    elif not room.running:
        state = "⏸ Paused for everybody — Space resumes"
    elif room.times_up(now):
        state = "Time's up — E ends the set, + gives 5 more minutes"
    else:
        state = f"▶ Running for everybody · {round(room.total() / 60)} min for this part"
    lines: list[str | tuple[str, str]] = [(title, "bold"), "\n", state]
    if notice:
        lines += ["\n", (notice, "$text-warning")]
    return Content.assemble(*lines), room.face(now)


def merged_text(merge: Merge | None, rows: int) -> Content:
    """The live merged canvas: the consensus so far, else what the canvases list most."""
    if merge is None:
        return Content("Nobody has answered yet.")
    people = len(merge.participants)
    parts: list[str | tuple[str, str]] = []
    if merge.consensus:
        parts.append((f"Consensus of {merge.counted} who reviewed", "bold"))
        for a in merge.consensus[:rows]:
            who = ", ".join(a.named_by)
            parts.append(f"\n{a.rank}. {terminal_text(a.name)} — {terminal_text(who)}")
    else:
        parts.append((f"In the {people} canvas{'es' if people != 1 else ''} so far", "bold"))
        ranked = sorted(merge.activities, key=lambda a: (-len(a.votes), a.name))
        for a in ranked[:rows]:
            parts.append(f"\n· {terminal_text(a.name)} — {len(a.votes)} of {people}")
    parts += disagreement_parts(merge)
    return Content.assemble(*parts)


def disagreement_parts(merge: Merge) -> list[str | tuple[str, str]]:
    """Where the room disagrees, by kind: the strategic splits by name (the business
    type once), then the activities disputed, counted per kind of disagreement."""
    splits = merge.split_titles()
    activities = merge.activity_disagreements()
    if not splits and not activities:
        return []
    parts: list[str | tuple[str, str]] = ["\n"]
    if splits:
        parts += [("Split on: ", "bold"), terminal_text(", ".join(splits))]
    if activities:
        counted = "; ".join(f"{n} {words}" for words, n in activities)
        parts += ["\n" if splits else "", ("Activities: ", "bold"), counted]
    parts.append(("\n(details: canvas-tui merge)", "$text-muted"))
    return parts


def assumptions_text(overview: Overview) -> Content:
    flagged = [(row.name, f) for row in overview.rows for f in row.assumptions]
    if not flagged:
        return Content("No answer flagged as an assumption yet.")
    parts: list[str | tuple[str, str]] = [(f"Assumptions to validate ({len(flagged)})", "bold")]
    for name, f in flagged:
        parts.append("\n")
        parts.append((terminal_text(name), "bold"))
        parts.append(f": {terminal_text(f.answer)[:160]}")
        parts.append((f"  ({terminal_text(f.question)[:80]})", "$text-muted"))
    return Content.assemble(*parts)


class RoomApp(App[None]):
    TITLE = "canvas-tui room"
    CSS = """
    #timer { height: 3; padding: 0 1; background: $primary 20%; }
    #timer-label { width: 1fr; height: 3; }
    #timer-digits { width: auto; text-style: bold; }
    #timer.-paused #timer-digits { color: $text-muted; }
    #timer.-times-up { background: $warning 25%; }
    #body { height: 1fr; }
    #left { width: 3fr; height: 1fr; }
    #people { height: auto; max-height: 1fr; }
    #legend { height: auto; padding: 1 1 0 1; color: $text-muted; }
    #side { width: 2fr; height: 1fr; padding: 0 1; }
    #merged { height: auto; margin-bottom: 1; }
    #notes { color: $text-warning; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_timer", "Start/Pause"),
        Binding("plus,equals_sign", "extend(300)", "+5 min"),
        Binding("1", "extend(60)", "+1 min", show=False),
        Binding("e", "end_set", "End the set"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, folder: Path, *, clock: Callable[[], float] = time.time) -> None:
        super().__init__()
        self.folder = folder
        self.clock = clock
        self.watcher = RoomWatcher(folder / ROOM_FILE)
        self.reader = RoomReader(folder)
        self.overview: Overview | None = None
        self._shown: object = None  # what the table shows (rows, the room's part)

    def compose(self) -> ComposeResult:
        with Horizontal(id="timer"):
            yield Static(id="timer-label")
            yield Digits("", id="timer-digits")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield DataTable(id="people", cursor_type="row", zebra_stripes=True)
                yield Static(id="legend")
            with VerticalScroll(id="side"):
                yield Static(id="merged")
                yield Static(id="assumptions")
                yield Static(id="notes")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = terminal_text(self.folder.name)
        self.tick()
        self.refresh_people()
        self.set_interval(TICK, self.tick)
        self.set_interval(REFRESH, self.refresh_people)

    # ------------------------------------------------------------------ the timer

    @property
    def room(self) -> Room | None:
        return self.watcher.room

    def tick(self) -> None:
        self.watcher.poll()
        now = self.clock()
        label, face = timer_lines(self.room, now, self.watcher.notice)
        self.query_one("#timer-label", Static).update(label)
        digits = self.query_one("#timer-digits", Digits)
        if digits.value != face:
            digits.update(face)
        room = self.room
        timer = self.query_one("#timer")
        timer.set_class(room is not None and not room.running, "-paused")
        timer.set_class(room is not None and room.times_up(now), "-times-up")

    def _change(self, rule: Callable[[Room], Room], said: str) -> None:
        self.watcher.poll()  # the newest state first (another facilitator, serve)
        room = self.room
        if room is None:
            self.notify("No usable room file: nothing to change.", severity="error")
            return
        changed = rule(room)
        if changed is room:
            return
        try:
            write_room(self.watcher.path, changed)
        except Exception as exc:  # a full disk, a folder gone: said, not fatal
            self.notify(f"The room file could not be written: {exc}", severity="error")
            return
        self.tick()
        self.notify(said, timeout=3)

    def action_toggle_timer(self) -> None:
        running = self.room is not None and self.room.running
        self._change(
            lambda r: toggle(r, self.clock()),
            "Paused for everybody." if running else "The room's timer runs.",
        )

    def action_extend(self, seconds: int) -> None:
        self._change(lambda r: extend(r, float(seconds)), f"+{seconds // 60} min for everybody.")

    def action_end_set(self) -> None:
        from canvas_tui.ui.screens.dialogs import ConfirmDialog

        room = self.room
        current = room.set(room.current) if room is not None else None
        if current is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._change(
                    lambda r: end_set(r, self.clock()),
                    f"'{terminal_text(current.title)}' ended: everybody moves on.",
                )
                self.refresh_people()

        self.push_screen(
            ConfirmDialog(
                "End the set?",
                Content.assemble(
                    (terminal_text(current.title), "bold"),
                    "\nEverybody moves on to the next part; their answers are kept.",
                ),
                yes="End it",
                no="Not yet",
            ),
            confirmed,
        )

    # ------------------------------------------------------------------ the people

    @work(thread=True, exclusive=True, group="read")
    def refresh_people(self) -> None:
        overview = self.reader.read()
        self.call_from_thread(self.show_overview, overview)

    def show_overview(self, overview: Overview) -> None:
        room = self.room
        shown = (overview.rows, room.current if room is not None else None)
        if self.overview is not None and shown == self._shown:
            return  # nothing new: the table keeps its cursor and scroll
        self.overview = overview
        self._shown = shown
        sets = room.sets if room is not None else ()
        table = self.query_one("#people", DataTable)
        cursor = table.cursor_coordinate
        table.clear(columns=True)
        table.add_column("Participant", key="name")
        for number, s in enumerate(sets, start=1):
            header = Text(f"Part {number}")  # the titles are in the legend below the table
            if room is not None and s.id == room.current:
                header.stylize("bold reverse")
            table.add_column(header, key=s.id)
        table.add_column("On", key="on")
        table.add_column("Flags", key="flags")
        numbers = {s.id: n for n, s in enumerate(sets, start=1)}
        for row in overview.rows:
            cells: list[Text] = [Text(terminal_text(row.name)[:30])]
            for s in sets:
                done, total = row.progress.get(s.id, (0, 0))
                cell = Text(f"{done}/{total}" if total else "–")
                if total and done >= total:
                    cell.stylize("green")
                cells.append(cell)
            if row.problem:
                on = "?"
            elif row.current_set is None:
                on = "done"
            else:
                on = str(numbers.get(row.current_set, "?"))
            cells.append(Text(on))
            cells.append(Text(str(len(row.assumptions)) if row.assumptions else ""))
            table.add_row(*cells, key=row.session_id)
        if table.row_count:
            table.move_cursor(row=min(cursor.row, table.row_count - 1), animate=False)
        legend = " · ".join(
            f"{number} {terminal_text(s.title)}" for number, s in enumerate(sets, start=1)
        )
        joined = len(overview.rows)
        self.query_one("#legend", Static).update(
            Content.assemble((f"{joined} joined", "bold"), f" · Parts: {legend}")
        )
        self.query_one("#merged", Static).update(merged_text(overview.merge, 10))
        self.query_one("#assumptions", Static).update(assumptions_text(overview))
        notes = "\n".join(terminal_text(n) for n in overview.notes[:5])
        self.query_one("#notes", Static).update(Content(notes))


__all__ = ["RoomApp", "assumptions_text", "disagreement_parts", "merged_text", "timer_lines"]
