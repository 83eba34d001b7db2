"""One participant's app, as `serve` starts it for each browser:

    python -m canvas_tui.serve.participant_app --workshop DIR --participant ID [--bank DIR]

The usual canvas-tui app with three differences, all about whose files are whose:

* sessions are saved in the workshop folder (``DIR/sessions/``, for `merge --workspace`),
  while the app's own folder, where exports go, is the participant's export folder
  (``DIR/exports/<their name>/``);
* an export file name is a name, not a path (`participants.export_name`): it cannot reach
  ``sessions/`` or a neighbour's file, and the dialog never shows the server's paths;
* the participant comes back to their own canvas: the newest unfinished session they
  opened (recorded in ``DIR/participants/<id>.json``), else a new one named after them;
* keys a browser keeps for itself (Ctrl+N new window, Ctrl+T new tab: a page never
  receives them) are moved to keys it passes through (`BROWSER_KEYS`), and the footer
  shows those.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from textual import work

from canvas_tui.core.errors import CanvasTuiError
from canvas_tui.core.exports import render as export
from canvas_tui.core.interview.session import Session, SessionStore
from canvas_tui.core.room import ROOM_FILE, Room, RoomWatcher, skip_ended
from canvas_tui.serve.participants import Participant, Registry, export_name
from canvas_tui.ui.app import AppConfig, CanvasApp
from canvas_tui.ui.screens.dialogs import ConfirmDialog
from canvas_tui.ui.screens.export import ExportDialog
from canvas_tui.ui.widgets.countdown import CountdownView

#: Keys the browser keeps → the keys the app uses for them in a browser. Ctrl+D ("don't
#: know yet": skip) and Ctrl+E ("examples": tips) reach the page in Chrome, Firefox,
#: Safari and Edge; in the app they replace the text box's own Ctrl+D (delete right: the
#: Delete key does it) and Ctrl+E (end of line: the End key does it).
BROWSER_KEYS = {"ctrl+n": "ctrl+d", "ctrl+t": "ctrl+e"}
#: The same keys as people read them (the help screen, messages).
BROWSER_KEY_NAMES = {"Ctrl+N": "Ctrl+D", "Ctrl+T": "Ctrl+E"}


def browser_key_text(text: str) -> str:
    """`text` with the browser's keys named as the app uses them in a browser."""
    for key, replacement in BROWSER_KEY_NAMES.items():
        text = text.replace(key, replacement)
    return text


def use_browser_keys(node: Any) -> None:
    """Move `node`'s bindings off the keys in BROWSER_KEYS (once per screen instance)."""
    if getattr(node, "_canvas_browser_keys", False):
        return
    node._canvas_browser_keys = True
    key_to_bindings = node._bindings.key_to_bindings
    for key, replacement in BROWSER_KEYS.items():
        moved = key_to_bindings.pop(key, None)
        if not moved:
            continue
        # priority: the key wins over the focused text box's binding of the same key
        key_to_bindings[replacement] = [
            dataclasses.replace(b, key=replacement, key_display=None, priority=True) for b in moved
        ]


class RecordedSessions(set[str]):
    """The app's `own_sessions`: each session the participant opens is written down."""

    def __init__(self, ids: Iterable[str], on_add: Callable[[str], None]) -> None:
        super().__init__(ids)
        self._on_add = on_add

    def add(self, session_id: str) -> None:
        if session_id not in self:
            super().add(session_id)
            self._on_add(session_id)


class ParticipantExportDialog(ExportDialog):
    """The export dialog for a served participant: a file name in their own folder."""

    @property
    def canvas_app(self) -> ParticipantApp:
        app = self.app
        assert isinstance(app, ParticipantApp)
        return app

    def on_mount(self) -> None:
        # Textual runs ExportDialog.on_mount after this one (handlers walk the class
        # hierarchy): replace its "Saved in <server path>" once it has run.
        self.call_after_refresh(self._show_where)

    def _show_where(self) -> None:
        from textual.widgets import Static

        self.query_one("#where", Static).update(
            "A file name only: it is saved in your own export folder, and your browser "
            "downloads it."
        )

    def _fail(self, message: str) -> None:
        super()._fail(self.canvas_app.hide_paths(message))

    def _export_now(self) -> None:
        from textual.content import Content
        from textual.widgets import Input

        text = self.query_one("#path", Input).value
        folder = self.canvas_app.export_folder
        try:
            name = export_name(text)
            target = folder / name
            export.check_output_path(target)
        except CanvasTuiError as exc:
            self._fail(f"{exc.message} ({exc.hint})" if exc.hint else exc.message)
            return
        if target.exists() or target.is_symlink():

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._write(target)

            self.app.push_screen(
                ConfirmDialog(
                    "Replace your file?",
                    Content.assemble(
                        (name, "bold"), "\nis already in your folder. Replace it with this export?"
                    ),
                    yes="Replace",
                    no="Keep it",
                ),
                confirmed,
            )
            return
        self._write(target)


#: Seconds between two looks at the room file (a stat; read only when it changed).
ROOM_TICK = 1.0


class ParticipantApp(CanvasApp):
    CSS_PATH = str(Path(__file__).resolve().parent.parent / "ui" / "app.tcss")

    def __init__(
        self,
        config: AppConfig,
        registry: Registry,
        participant: Participant,
        *,
        room: bool = False,
        wall_clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(config)
        self.registry = registry
        self.participant = participant
        self.export_folder = registry.export_folder(participant)
        self.own_sessions = RecordedSessions(
            participant.sessions, lambda sid: registry.add_session(participant.id, sid)
        )
        #: serve --workshop: the room's timer and "end the set" (core/room), or None.
        self.room_watcher: RoomWatcher | None = (
            RoomWatcher(registry.workspace / ROOM_FILE) if room else None
        )
        self.wall_clock = wall_clock or time.time
        self._room_applied: tuple[str, ...] = ()  # the ended sets already skipped here
        self._room_notice: str | None = None
        self._room_times_up = False

    def on_mount(self) -> None:
        # CanvasApp.on_mount has run already (Textual calls each class's handler)
        if self.room_watcher is not None:
            self.add_class("-workshop")  # the countdown shows; it shows the room's timer
            self.set_interval(ROOM_TICK, self.room_tick)
            self.call_after_refresh(self.room_tick)

    def action_toggle_workshop(self) -> None:
        if self.room_watcher is not None:  # one timer for the room: the facilitator's
            self.notify(
                "The facilitator runs the room's timer for everybody.",
                title="Workshop mode",
                timeout=4,
            )
            return
        super().action_toggle_workshop()

    def room_tick(self) -> None:
        """Follow the room: show its timer, move on past the sets the facilitator ended,
        say once why a broken room file is ignored."""
        from canvas_tui.ui.screens.interview import InterviewScreen
        from canvas_tui.ui.widgets.countdown import WorkshopCountdown

        watcher = self.room_watcher
        if watcher is None:
            return
        watcher.poll()
        if watcher.notice != self._room_notice:
            self._room_notice = watcher.notice
            if watcher.notice and watcher.room is not None:  # a file gone bad: say so once
                self.notify(watcher.notice, title="The room", severity="warning", timeout=8)
        room = watcher.room
        screen = self.screen
        now = self.wall_clock()
        if isinstance(screen, InterviewScreen) and screen.is_mounted:
            for countdown in screen.query(WorkshopCountdown).results(WorkshopCountdown):
                countdown.show(room_view(room, now, watcher.notice))
        times_up = room is not None and room.running and room.times_up(now)
        if times_up and not self._room_times_up:
            self.bell()  # the gentle signal, once, as in workshop mode
        self._room_times_up = times_up
        if room is not None and room.ended != self._room_applied and self.bench is not None:
            self._move_on(room)

    @work(group="room", exclusive=True)
    async def _move_on(self, room: Room) -> None:
        from canvas_tui.ui.screens.interview import InterviewScreen

        bench = self.bench
        screen = self.screen
        if bench is None:
            return
        interview_screen = screen if isinstance(screen, InterviewScreen) else None
        if interview_screen is not None and interview_screen.busy:
            return  # an answer is being processed: the next tick moves on
        draft = interview_screen._draft() if interview_screen is not None else None
        before = bench.current

        def apply() -> list[str]:
            if draft is not None:
                bench.set_draft(*draft)  # what was typed stays, as a draft
            skipped = skip_ended(bench.interview, room)
            if skipped:
                bench.save()
            return skipped

        skipped = await self.core(apply)
        self._room_applied = room.ended
        if not skipped:
            return
        if interview_screen is not None and interview_screen.is_mounted:
            interview_screen._fill_box()
            await interview_screen.refresh_view()
        if before is not None and before.id in skipped:
            self.notify(
                "The facilitator ended this part: on to the next one. Your answers are kept; "
                "Back reopens a question you left.",
                title="The room moves on",
                timeout=8,
            )

    def hide_paths(self, text: str) -> str:
        """`text` without the server's folders in it (a participant sees file names)."""
        for folder in (self.export_folder, self.registry.workspace):
            for form in {str(folder), str(folder.resolve())}:
                text = text.replace(form + "/", "").replace(form, "your folder")
        return text

    def get_screen(self, screen: Any, screen_class: Any = None) -> Any:
        """Every screen the app shows passes here (push, switch, install): browser keys."""
        found = super().get_screen(screen, screen_class)
        use_browser_keys(found)
        return found

    def notify(self, message: str, *args: Any, **kwargs: Any) -> None:
        super().notify(browser_key_text(message), *args, **kwargs)

    def action_help(self) -> None:
        from canvas_tui.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        screen = HelpScreen()
        self.push_screen(screen)
        self.call_after_refresh(self._browser_help, screen)

    def _browser_help(self, screen: Any) -> None:
        """The help screen lists the class bindings: name the browser's keys there too."""
        from textual.content import Content
        from textual.widgets import Static

        for key in screen.query(".key").results(Static):
            shown = key.render().plain
            if browser_key_text(shown) != shown:
                key.update(Content(browser_key_text(shown)))

    def action_export(self) -> None:
        if self.bench is None:
            return
        self.push_screen(ParticipantExportDialog(), self._exported)

    def _exported(self, path: Path | None) -> None:
        if path is not None:
            self.notify(path.name, title="Canvas exported", markup=False, timeout=8)


def resume_session(store: SessionStore, participant: Participant) -> Session | None:
    """The participant's newest unfinished session, else their newest one, else None."""
    mine = [s for s in store.sessions() if s.id in set(participant.sessions)]
    return next((s for s in mine if not s.finished), mine[0] if mine else None)


def room_view(room: Room | None, now: float, notice: str | None = None) -> CountdownView:
    """What the countdown shows of the room's timer (plain data, for the widget)."""
    from canvas_tui.core.exports.escaping import terminal_text
    from canvas_tui.core.interview.timer import TimerState

    if room is None:
        return CountdownView(title=notice or "The room has not started yet", room=True)
    current = room.set(room.current)
    if current is None:
        return CountdownView(title="Every part of the room is done", room=True)
    title = terminal_text(f"Part {room.number()} of {len(room.sets)} · {current.title}")
    if not room.started():
        return CountdownView(
            title=title,
            face=room.face(now),
            state=TimerState.PAUSED.value,
            minutes=room.total() / 60,
            room=True,
        )
    times_up = room.times_up(now)
    if not room.running:
        state = TimerState.PAUSED
    else:
        state = TimerState.TIMES_UP if times_up else TimerState.RUNNING
    return CountdownView(
        title=title,
        face=room.face(now),
        state=state.value,
        times_up=times_up,
        minutes=room.total() / 60,
        room=True,
    )


def build_app(
    workshop: Path, participant_id: str, bank: Any = None, *, room: bool = False, **config: Any
) -> ParticipantApp:
    """The participant's app, on their newest canvas (or a new one named after them)."""
    registry = Registry(workshop)
    participant = registry.get(participant_id)
    if participant is None:
        raise CanvasTuiError(f"no participant {participant_id} in this workshop")
    folder = registry.export_folder(participant)
    folder.mkdir(parents=True, exist_ok=True)
    app_config = AppConfig(store=SessionStore(workshop), bank=bank, workspace=folder, **config)
    app = ParticipantApp(app_config, registry, participant, room=room)
    session = resume_session(app.store, participant)
    if session is None:
        session = app.new_session(participant.canvas_title)
    app_config.session = session
    return app


def prepare(bank_dir: str | None) -> tuple[Any, Any]:
    """What a warm process does before it knows its participant: the bank, the catalogue,
    and one inference (its first run builds the matchers)."""
    from canvas_tui.core.interview.bank_loader import (
        load_bank,
        load_bank_catalogue,
        load_default_bank,
    )

    bank = load_bank(bank_dir) if bank_dir else load_default_bank()
    catalogue = load_bank_catalogue(bank)
    try:
        from canvas_tui.core.inference.infer import infer

        infer({}, catalogue, sections={})
    except Exception:  # a warm-up only: the real call reports any error
        pass
    return bank, catalogue


#: What a running participant's app imports beyond `prepare` (Textual loads its driver,
#: parsers, layouts and widgets lazily; the app its screens): the fork server imports
#: them once, so that every forked app shares them. A name missing here costs memory in
#: each app, not correctness.
PRELOAD = (
    "textual.drivers.web_driver",
    "textual._xterm_parser",
    "textual._keyboard_protocol",
    "textual._two_way_dict",
    "textual.coordinate",
    "textual.scrollbar",
    "textual.layouts.factory",
    "textual.layouts.horizontal",
    "textual.layouts.vertical",
    "textual.layouts.grid",
    "textual.layouts.stream",
    "textual.renderables.styled",
    "textual.widgets._data_table",
    "textual.widgets._footer",
    "rich._emoji_codes",
    "concurrent.futures.thread",
    "canvas_tui.core.canvas.build",
    "canvas_tui.core.interview.answers",
    "canvas_tui.core.interview.engine",
    "canvas_tui.core.interview.mentions",
    "canvas_tui.core.interview.transcript",
    "canvas_tui.core.workbench",
)


def preload() -> None:
    """Import what a running app would (PRELOAD, and every module of the terminal UI)."""
    import importlib
    import pkgutil

    import canvas_tui.ui

    names = list(PRELOAD)
    names += [m.name for m in pkgutil.walk_packages(canvas_tui.ui.__path__, "canvas_tui.ui.")]
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # an optional module: the app imports it when it needs it
            continue
    try:
        from rich.cells import cell_len

        cell_len("é中")  # loads the character-width table
    except Exception:
        pass


def fork_server(fd: int, workshop: Path, bank_dir: str | None, *, room: bool) -> int:
    """The fork server (forks.py): the start-up work once, then an app per request."""
    import os
    import signal
    import socket

    from canvas_tui.serve import forks

    try:
        control = socket.socket(fileno=fd)
    except OSError as exc:
        print(f"canvas-tui: the fork server has no socket: {exc}", file=sys.stderr)
        return 2
    # Ctrl+C in the facilitator's terminal reaches the whole process group: the fork
    # server ends when the server closes the socket (or dies), never with a traceback
    # (a forked app gets the usual handler back: forks._participant_process)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    bank, catalogue = prepare(bank_dir)
    preload()
    forks.freeze()

    def run(participant: str, width: int, height: int) -> int:  # in the forked process
        os.environ["COLUMNS"], os.environ["ROWS"] = str(width), str(height)
        try:
            app = build_app(workshop, participant, bank, room=room, catalogue=catalogue)
        except CanvasTuiError as exc:
            print(f"canvas-tui: {exc}", file=sys.stderr)
            return 2
        app.run()
        return 0

    return forks.serve_forks(control, run)


ASSIGNMENT_LIMIT = 512


def read_assignment(fd: int = 0) -> tuple[str, int, int]:
    """The line the server sends a warm process (process.assignment): the participant's
    id and the terminal size. Read a byte at a time, so nothing the app's driver reads
    next is taken from it."""
    import json
    import os

    from canvas_tui.serve.participants import valid_id
    from canvas_tui.serve.process import terminal_size

    data = b""
    while not data.endswith(b"\n"):
        byte = os.read(fd, 1)
        if not byte:
            raise CanvasTuiError("the server ended before naming the participant")
        data += byte
        if len(data) > ASSIGNMENT_LIMIT:
            raise CanvasTuiError("the server's assignment line is too long")
    try:
        given = json.loads(data)
        participant = given["participant"]
        width, height = terminal_size(given.get("width"), given.get("height"))
    except (ValueError, KeyError, TypeError):
        raise CanvasTuiError("the server's assignment line is not understood") from None
    if not isinstance(participant, str) or not valid_id(participant):
        raise CanvasTuiError("the server's assignment names no participant")
    return participant, width, height


def main(argv: list[str] | None = None) -> int:
    import os

    parser = argparse.ArgumentParser(prog="canvas_tui.serve.participant_app")
    parser.add_argument("--workshop", required=True)
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--participant", help="the participant's id")
    who.add_argument(
        "--wait", action="store_true", help="get ready, then read the participant from stdin"
    )
    who.add_argument(
        "--fork-server",
        type=int,
        metavar="FD",
        help="get ready, then fork an app per request on the Unix socket FD (forks.py)",
    )
    parser.add_argument("--bank")
    parser.add_argument("--room", action="store_true", help="follow the room (serve --workshop)")
    args = parser.parse_args(argv)
    if args.fork_server is not None:
        return fork_server(args.fork_server, Path(args.workshop), args.bank, room=args.room)
    try:
        if args.wait:
            bank, catalogue = prepare(args.bank)
            from canvas_tui.serve.process import WARM_READY

            os.write(1, WARM_READY)  # the pool counts this process as ready
            participant, width, height = read_assignment()
            os.environ["COLUMNS"], os.environ["ROWS"] = str(width), str(height)
            app = build_app(
                Path(args.workshop), participant, bank, room=args.room, catalogue=catalogue
            )
        else:
            bank = None
            if args.bank:
                from canvas_tui.core.interview.bank_loader import load_bank

                bank = load_bank(args.bank)
            app = build_app(Path(args.workshop), args.participant, bank, room=args.room)
    except CanvasTuiError as exc:
        print(f"canvas-tui: {exc}", file=sys.stderr)
        return 2
    app.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
