"""The Textual app: `make_app(...)` builds it for the CLI and for every test.

The app holds one `Workbench` (the open canvas) and nothing else of the business: every
screen reads the workbench and calls it. Calls that change it run one at a time in a
worker thread (`CanvasApp.core`), because each one re-infers and saves to disk.

Screens: welcome (new / resume / open) → interview (chat + live panel) → review →
canvas; export, help and small editors are modal dialogs.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer

from canvas_tui.core.errors import CanvasTuiError
from canvas_tui.core.exports.escaping import terminal_text
from canvas_tui.core.interview.session import Session, SessionStore
from canvas_tui.ui.commands import AnswerCommands

if TYPE_CHECKING:
    from canvas_tui.core.canvas.model import Canvas
    from canvas_tui.core.draft.parse import Draft
    from canvas_tui.core.inference.catalogue_model import Catalogue
    from canvas_tui.core.inference.infer import Inference
    from canvas_tui.core.interview.bank import Bank
    from canvas_tui.core.workbench import Workbench

# The core beyond sessions is imported when a canvas is opened, not at start-up: the
# welcome screen paints sooner.

T = TypeVar("T")
SCREENS = ("interview", "review", "canvas")
THEMES = ("textual-dark", "textual-light")


@dataclass
class AppConfig:
    """Everything the app needs, injected (the CLI and tests build it the same way)."""

    store: SessionStore | None = None  # None: the default store (or the workspace's)
    bank: Bank | None = None  # the bank for new canvases (default bank when None)
    catalogue: Catalogue | None = None  # None: the bank's catalogue, loaded on first use
    infer_fn: Callable[..., Inference] | None = None
    workspace: Path | None = None
    workshop: bool = False
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    timer_clock: Callable[[], float] = time.monotonic  # workshop countdowns (seconds)
    theme: str = "textual-dark"
    session: Session | None = None  # open this session at once
    canvas_file: Path | None = None  # open this canvas file at once
    resume: bool = False  # resume the newest unfinished session at once


class CanvasApp(App[None]):
    TITLE = "canvas-tui"
    SUB_TITLE = "key activities for your Business Model Canvas"
    CSS_PATH = "app.tcss"
    COMMANDS: ClassVar = App.COMMANDS | {AnswerCommands}
    # Textual's App declares these as `ClassVar[...] | None`, which mypy reads as instance
    # variables: annotated the same way here, hence the noqa for ruff's class-var rule.
    HORIZONTAL_BREAKPOINTS: list[tuple[int, str]] | None = [  # noqa: RUF012
        (0, "-narrow"),
        (90, "-wide"),
        (140, "-xwide"),
    ]
    VERTICAL_BREAKPOINTS: list[tuple[int, str]] | None = [(0, "-short"), (28, "-tall")]  # noqa: RUF012
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", show=False, tooltip="All keys, and how canvas-tui works"),
        Binding(
            "f2",
            "goto('interview')",
            "Interview",
            show=False,
            tooltip="The questions and your answers",
        ),
        Binding(
            "f3", "goto('review')", "Review", show=False, tooltip="Review the suggested activities"
        ),
        Binding("f4", "goto('canvas')", "Canvas", show=False, tooltip="Your Business Model Canvas"),
        Binding(
            "ctrl+s",
            "export",
            "Export",
            show=False,
            tooltip="Save the canvas as TOML, Markdown, HTML or JSON",
        ),
        Binding(
            "ctrl+o", "home", "Open", show=False, tooltip="Start, resume or open another canvas"
        ),
        Binding("f8", "toggle_theme", "Light/dark", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True, tooltip="Everything is already saved"),
    ]

    def __init__(self, config: AppConfig) -> None:
        from canvas_tui.ui import terminal_guard, toolkit_guards

        terminal_guard.install()  # no raw control character from data reaches the terminal
        toolkit_guards.install()  # crashes inside Textual 8.2.8 (see the module)
        super().__init__()
        self.config = config
        assert config.store is not None, "build the app with make_app(config)"
        self.store: SessionStore = config.store
        self.workspace = config.workspace.resolve() if config.workspace else None
        self.workshop = config.workshop
        self.clock = config.clock
        self.bench: Workbench | None = None
        self.own_sessions: set[str] = set()  # opened in this app (what a browser may list)
        self._bank = config.bank
        self._catalogue = config.catalogue
        self._core_lock = asyncio.Lock()
        self._load_lock = threading.RLock()
        self._save_problem_shown: str | None = None
        self._save_retry: Timer | None = None
        self._quit_unsaved = False
        #: Answers (sent with Enter) and text typed on the welcome screen after the name
        #: of a new canvas, while it opened: the interview's answer box takes them.
        self.typed_ahead: tuple[list[str], str] = ([], "")
        self.theme = config.theme
        if self.workshop:
            self.add_class("-workshop")

    # ------------------------------------------------------------------ the core

    @property
    def bank(self) -> Bank:
        """The bank for new canvases (loaded on first use: the welcome screen is fast)."""
        with self._load_lock:
            if self._bank is None:
                from canvas_tui.core.interview.bank_loader import load_default_bank

                self._bank = load_default_bank()
            return self._bank

    @property
    def catalogue(self) -> Catalogue:
        bank = self.bank
        with self._load_lock:
            if self._catalogue is None:
                from canvas_tui.core.interview.bank_loader import load_bank_catalogue

                self._catalogue = load_bank_catalogue(bank)
            return self._catalogue

    def warm_up(self) -> None:
        """Load the bank and catalogue and run the inference once (its first run builds
        its matchers: about half a second), so starting a canvas is instant. Runs in a
        thread after the first frame."""
        try:
            from canvas_tui.core.inference.infer import infer

            (self.config.infer_fn or infer)({}, self.catalogue, sections={})
        except Exception:  # a warm-up only: the real call reports any error
            return

    @property
    def bank_ref(self) -> str:
        """How a session names the bank for new canvases: "default" or its folder."""
        from canvas_tui.resources import default_bank_dir

        if self.bank.path.resolve() == default_bank_dir().resolve():
            return "default"
        return str(self.bank.path.resolve())

    async def core(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a call that changes the workbench (or writes a file) in a thread, one at a time."""
        async with self._core_lock:
            result = await asyncio.to_thread(fn, *args)
        self._show_save_state()
        return result

    # ------------------------------------------------------------------ saving

    SAVE_RETRY = 5.0  # seconds between retries while the session cannot be saved

    def _show_save_state(self) -> None:
        """Say so when a save failed (and when saving works again); retry meanwhile.

        The answer stays on screen and in memory: a failed save never raises."""
        bench = self.bench
        problem = bench.save_problem if bench is not None else None
        if problem == self._save_problem_shown:
            return
        self._save_problem_shown = problem
        if problem is None:
            if self._save_retry is not None:
                self._save_retry.stop()
                self._save_retry = None
            self.notify("Your canvas is saved again.", title="Saved", timeout=4)
            return
        self.notify(
            f"{problem}. Your answers are kept here"
            + ("" if bench is not None and bench.read_only else "; saving is retried")
            + ". Ctrl+S saves the canvas, with your answers, elsewhere.",
            title="Cannot save",
            severity="error",
            markup=False,
            timeout=20,
        )
        if self._save_retry is None and bench is not None and not bench.read_only:
            self._save_retry = self.set_interval(self.SAVE_RETRY, self._retry_save)

    def _retry_save(self) -> None:
        bench = self.bench
        if bench is not None and bench.save_problem is not None:
            self.run_worker(self.core(bench.save), group="save-retry", exit_on_error=False)

    def workbench_for(self, session: Session) -> Workbench:
        """A workbench for `session`: with the app's bank when it is the session's, else
        with the bank the session names (BankError when that folder is gone)."""
        from canvas_tui.core.workbench import Workbench

        if session.bank == self.bank_ref or (
            session.bank in ("", "default") and self.bank_ref == "default"
        ):
            return Workbench(
                session, self.bank, self.catalogue, self.store, infer_fn=self.config.infer_fn
            )
        return Workbench.open(session, self.store, infer_fn=self.config.infer_fn)

    def new_session(self, title: str, draft: Draft | None = None) -> Session:
        session = self.store.new(title, bank=self.bank_ref, bank_id=self.bank.id)
        if draft is not None:  # pasted or opened on the welcome screen (issue 16)
            from canvas_tui.core.workbench import draft_record

            session.activity_draft = draft_record(draft)
            self.store.save(session)
        return session

    def session_from_canvas_file(self, path: Path) -> Session:
        """A session for the canvas in `path`: the one this file already made, when it
        has not changed since (opening a file twice makes no copy), else a new one."""
        import hashlib

        from canvas_tui.core.exports.render import read_canvas
        from canvas_tui.core.workbench import session_from_canvas

        canvas: Canvas = read_canvas(path)
        opened_from = {
            "path": str(path.resolve()),
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        }
        for known in self.store.sessions():
            if known.extra.get("opened_from") == opened_from:
                return known
        session = self.store.new(canvas.title, bank=self.bank_ref, bank_id=self.bank.id)
        session.extra["opened_from"] = opened_from
        session_from_canvas(
            canvas, session, self.bank, self.catalogue, infer_fn=self.config.infer_fn
        )
        self.store.save(session)
        return session

    # ------------------------------------------------------------------ screens

    def on_mount(self) -> None:
        from canvas_tui.ui.screens.welcome import WelcomeScreen

        self.call_after_refresh(self._start_warm_up)
        self.set_interval(self.TAKE_OVER_CHECK, self._honour_take_over)

        config = self.config
        try:
            session = config.session
            if session is None and config.canvas_file is not None:
                session = self.session_from_canvas_file(config.canvas_file)
            if session is None and config.resume and not self.is_web:
                sessions = self.store.sessions()
                session = next((s for s in sessions if not s.finished), None)
                if session is None and sessions:
                    # every canvas is finished: the newest one opens, on its canvas
                    session = sessions[0]
                    self.notify(
                        "Every canvas is finished; here is the newest one. Ctrl+O lists "
                        "them all, or starts a new one.",
                        title="Nothing left to resume",
                        timeout=8,
                    )
                elif session is None:
                    self.notify(
                        "There is no saved canvas yet. Start a new one here.",
                        title="Nothing to resume",
                    )
            if session is not None:
                self.open_session(session)
                return
        except CanvasTuiError as exc:
            self.notify(str(exc), title="Could not open", severity="error", markup=False)
        self.push_screen(WelcomeScreen())

    # ------------------------------------------------------------------ taking over

    TAKE_OVER_CHECK = 1.0  # seconds between checks for another window asking for the canvas

    async def _honour_take_over(self) -> None:
        """Another canvas-tui asked for this canvas: save, let go, go on read-only."""
        from canvas_tui.core.interview import session_lock

        bench = self.bench
        if bench is None or bench.store is None or bench.read_only is not None:
            return
        if not session_lock.take_over_requested(bench.store.path(bench.session.id)):
            return
        if await self.core(bench.yield_if_asked):
            self.notify(
                "Another window took this canvas over. It is read-only here now: nothing "
                "you change is saved to it (Ctrl+S saves the canvas elsewhere).",
                title="Taken over",
                severity="warning",
                markup=False,
                timeout=20,
            )

    def action_take_over(self) -> None:
        """Take the open canvas from the window that has it (it saves and lets go)."""
        bench = self.bench
        if bench is None or bench.read_only is None:
            return

        async def taking() -> None:
            if await self.core(bench.take_over):
                session_id = bench.session.id
                self.action_home()  # the canvas's screens are rebuilt from the saved file
                self.open_in_background(lambda: self.store.load(session_id))
                self.notify("The canvas is yours here now.", title="Taken over", timeout=6)
            else:
                self.notify(
                    "The other window did not let go of the canvas. Close it there, then "
                    "open the canvas again here.",
                    title="Not taken over",
                    severity="warning",
                    timeout=12,
                )

        self.run_worker(taking(), group="take-over", exclusive=True)

    def _start_warm_up(self) -> None:
        self.run_worker(self.warm_up, thread=True, group="warm-up", exit_on_error=False)

    def open_in_background(self, load: Callable[[], Session], screen: str | None = None) -> None:
        """Load a session (`load` runs in a thread: reading files, the first inference)
        and show it; errors become a notification."""

        from canvas_tui.ui.screens.welcome import WelcomeScreen

        async def opening() -> None:
            try:
                session = await self.core(load)
                bench = await self.core(self.workbench_for, session)
            except CanvasTuiError as exc:
                self.notify(str(exc), title="Could not open", severity="error", markup=False)
                if isinstance(self.screen, WelcomeScreen):
                    self.screen.open_failed()  # a session found unreadable was set aside
                return
            welcome = self.screen
            self.open_session(session, screen, bench=bench)
            if isinstance(welcome, WelcomeScreen):
                # typed on while the canvas opened: the answer box takes it
                self.typed_ahead = welcome.typed_ahead()

        self.run_worker(opening(), group="open", exclusive=True)

    def open_session(
        self, session: Session, screen: str | None = None, *, bench: Workbench | None = None
    ) -> None:
        """Make `session` the open canvas and show it (raises CanvasTuiError)."""
        bench = bench or self.workbench_for(session)
        self.own_sessions.add(session.id)
        for name in SCREENS:
            if self.is_screen_installed(name):
                self.uninstall_screen(name)
        if self.bench is not None and self.bench is not bench:
            self.bench.stop_workshop()  # the canvas left behind keeps the time it used
            self.bench.close()
        self.bench = bench
        self._save_problem_shown = None
        if bench.read_only:
            self.notify(
                f"{bench.read_only}. It is open read-only here: nothing you change is "
                "saved to it (Ctrl+S saves the canvas elsewhere; 'Take over' in the "
                "palette, Ctrl+P, moves it here).",
                title="Open in another window",
                severity="warning",
                markup=False,
                timeout=20,
            )
        if self.workshop:
            bench.start_workshop(self.config.timer_clock)
        self.sub_title = terminal_text(session.title)
        if screen is None:
            if session.finished:
                screen = "canvas"
            elif bench.interview.done and bench.inference.candidates:
                screen = "review"
            else:
                screen = "interview"
        self._show(screen)
        self.refresh_bindings()

    def _make_screen(self, name: str) -> Screen[Any]:
        from canvas_tui.ui.screens.canvas import CanvasScreen
        from canvas_tui.ui.screens.interview import InterviewScreen
        from canvas_tui.ui.screens.review import ReviewScreen

        factories: dict[str, Callable[[], Screen[Any]]] = {
            "interview": InterviewScreen,
            "review": ReviewScreen,
            "canvas": CanvasScreen,
        }
        return factories[name]()

    def _show(self, name: str) -> None:
        if not self.is_screen_installed(name):
            self.install_screen(self._make_screen(name), name)
        # Drop any dialogs, then put the named screen on top of the base screen.
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) > 1:
            self.switch_screen(name)
        else:
            self.push_screen(name)

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("goto", "export"):
            return self.bench is not None
        return True

    def action_goto(self, name: str) -> None:
        if self.bench is None or name not in SCREENS:
            return
        if self.is_screen_installed(name) and self.screen is self.get_screen(name):
            return
        self._show(name)

    def action_home(self) -> None:
        from canvas_tui.ui.screens.welcome import WelcomeScreen

        if isinstance(self.screen, WelcomeScreen):
            return
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(WelcomeScreen())

    def action_export(self) -> None:
        from canvas_tui.ui.screens.export import ExportDialog

        if self.bench is None:
            return
        self.push_screen(ExportDialog(), self._exported)

    def _exported(self, path: Path | None) -> None:
        if path is not None:
            self.notify(str(path), title="Canvas exported", markup=False, timeout=8)

    def action_help(self) -> None:
        from canvas_tui.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        """Quit. Answers and decisions are already saved; a half-typed answer is saved now."""
        from canvas_tui.ui.screens.interview import InterviewScreen

        if self.bench is not None and self.is_screen_installed("interview"):
            screen = self.get_screen("interview")
            if isinstance(screen, InterviewScreen) and screen.is_mounted:
                # Ctrl+Q is a priority key: save the draft once the answer box has taken
                # the keys typed just before it.
                screen.answer_box.call_later(self._flush_and_exit, screen)
                return
        if self.bench is not None:
            if self.bench.save_problem is not None and not self._quit_unsaved:
                self._quit_unsaved = True
                self.notify(
                    "Your latest changes are not saved. Press Ctrl+Q again to quit anyway, "
                    "or Ctrl+S to save the canvas elsewhere first.",
                    title="Not saved",
                    severity="error",
                    timeout=20,
                )
                return
            self.bench.close()
        self.exit()

    async def _flush_and_exit(self, screen: Any) -> None:
        sent = screen.take_unsent()  # Enter pressed, the screen not yet at it: an answer
        draft = None if sent is not None else screen.draft_to_keep()
        bench = self.bench
        assert bench is not None, "a quit from the interview has a canvas open"

        def keep() -> None:
            # after any change still under way (the core lock orders them), then a last
            # save, whatever state the answer being processed was in
            if sent is not None:
                try:  # an answer sent is an answer saved (if still the question asked)
                    bench.submit_to(*sent, save=False)
                except CanvasTuiError:  # over the answer limit: kept as the draft
                    bench.session.drafts[sent[0]] = sent[1]
            elif draft is not None:
                bench.set_draft(*draft)
            bench.save()

        await self.core(keep)
        if bench.save_problem is not None and not self._quit_unsaved:
            self._quit_unsaved = True
            self.notify(
                "Your latest changes are not saved (see above). Press Ctrl+Q again to "
                "quit anyway, or Ctrl+S to save the canvas elsewhere first.",
                title="Not saved",
                severity="error",
                timeout=20,
            )
            return
        bench.close()
        self.exit()

    def action_toggle_workshop(self) -> None:
        """Workshop mode on or off, at any time: the larger layout and the countdowns."""
        self.workshop = not self.workshop
        self.set_class(self.workshop, "-workshop")
        self.run_worker(self._workshop_toggled(), group="workshop")

    async def _workshop_toggled(self) -> None:
        from canvas_tui.ui.screens.interview import InterviewScreen

        bench = self.bench
        if bench is not None:
            if self.workshop:
                await self.core(bench.start_workshop, self.config.timer_clock)
            else:
                await self.core(bench.stop_workshop)
        if self.is_screen_installed("interview"):
            screen = self.get_screen("interview")
            if isinstance(screen, InterviewScreen) and screen.is_mounted:
                screen.workshop_changed()
        self.notify(
            "A larger layout and a countdown for each part (Ctrl+R pause, F5 more time)."
            if self.workshop
            else "The countdowns are stopped; the time used is saved.",
            title="Workshop mode on" if self.workshop else "Workshop mode off",
            timeout=4,
        )

    def action_draft(self) -> None:
        """Start from your draft: paste or open a list of key activities (issue 16)."""
        from canvas_tui.ui.screens.draft import ask_draft

        ask_draft(self)

    def action_toggle_theme(self) -> None:
        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every key binding of the app and of the current screen, in the palette."""
        from canvas_tui.ui.commands import binding_commands

        yield from binding_commands(self, screen)
        if self.bench is not None and self.bench.read_only is not None:
            yield SystemCommand(
                "Take over this canvas",
                "It is open in another window: that window saves it and goes read-only, "
                "and it opens here",
                self.action_take_over,
            )
        yield SystemCommand(
            "Workshop mode " + ("off" if self.workshop else "on"),
            "Turn workshop mode "
            + (
                "off: the usual layout, no countdown"
                if self.workshop
                else "on: a larger, "
                "projector-friendly layout and a countdown for each part of the interview"
            ),
            self.action_toggle_workshop,
        )
        if self.bench is not None or type(screen).__name__ == "WelcomeScreen":
            yield SystemCommand(
                "Audit my draft",
                "Paste or open your own list of key activities and check each line "
                "against your answers",
                self.action_draft,
            )
        yield from super().get_system_commands(screen)


def make_app(config: AppConfig) -> CanvasApp:
    """Build the app from one `AppConfig` (the CLI and every test build it the same way).

    `config.workspace` confines every file the app writes (sessions and exports) to one
    folder (made when missing; sessions in its `sessions/` unless a store is given);
    `config.workshop` starts in workshop mode.
    """
    if config.workspace is not None:
        config.workspace = Path(config.workspace).expanduser()
        config.workspace.mkdir(parents=True, exist_ok=True)
    if config.store is None:
        config.store = (
            SessionStore(config.workspace) if config.workspace is not None else SessionStore()
        )
    if config.canvas_file is not None:
        config.canvas_file = Path(config.canvas_file)
    return CanvasApp(config)
