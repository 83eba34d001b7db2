"""The welcome screen: start a new canvas, resume one, or open a canvas file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from canvas_tui.core.errors import CanvasTuiError
from canvas_tui.core.interview.session import Session
from canvas_tui.ui.screens.draft import DraftInvite
from canvas_tui.ui.text import relative_time
from canvas_tui.ui.widgets.footer import KeyFooter
from canvas_tui.ui.widgets.inputs import TextInput
from canvas_tui.ui.widgets.topbar import TopBar

if TYPE_CHECKING:
    from datetime import datetime

    from canvas_tui.ui.app import CanvasApp

INTRO = (
    "Find the few things your business must do brilliantly — its key activities.\n"
    "Answer four short sets of questions about what you offer, how customers reach you, "
    "the relationship you keep with them and how you earn money. As you answer, the "
    "activities your business needs appear on the right, each with the words of yours "
    "that suggested it. Then review them, pick your top three and export your canvas.\n"
    "Everything is saved as you type an answer, so you can stop at any time."
)


class WelcomeScreen(Screen[None]):
    # Nothing is focused at first: `n` (the key people try first) starts a new canvas, `r`
    # resumes the newest and `o` opens a file; any other letter starts the name (below).
    AUTO_FOCUS = None
    #: single keys that act while the name box is not being typed in
    LETTER_KEYS: ClassVar[dict[str, str]] = {
        "n": "new",
        "r": "resume_newest",
        "o": "open_file",
        "d": "draft",  # start from your draft (issue 16): ui/screens/draft.py
    }
    #: The keys that matter most here, first: what the footer keeps when space is short.
    FOOTER_ORDER: ClassVar[tuple[str, ...]] = ("new", "resume_newest", "open_file")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "new", "New canvas", tooltip="Start a new canvas"),
        Binding(
            "ctrl+r", "resume_newest", "Resume newest", tooltip="Continue your most recent canvas"
        ),
        Binding("ctrl+o", "open_file", "Open file", tooltip="Open a canvas TOML file"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._sessions: list[Session] = []
        #: The title input's value at each Enter since the new canvas was asked for (the
        #: first is its name): what was typed after it is the first answer, typed on
        #: while the canvas opens, and goes to the answer box (`typed_ahead`).
        self._title_sends: list[str] = []
        #: `n` was pressed or the name begun: letters are the name's, not shortcuts
        self._naming = False

    @property
    def canvas_app(self) -> CanvasApp:
        return self.app  # type: ignore[return-value]  # Screen.app is typed App[Any]; this screen only runs in CanvasApp

    def compose(self) -> ComposeResult:
        bench = self.canvas_app.bench
        yield TopBar(
            "welcome", title=bench.session.title if bench else "", with_canvas=bench is not None
        )
        with VerticalScroll(id="welcome"):
            yield Static(
                Content.styled("Business Model Canvas · Key activities", "bold $text-secondary"),
                id="welcome-title",
            )
            yield Static(Content(INTRO), id="welcome-intro")
            yield Static(
                Content.assemble(
                    ("Start a new canvas", "bold"),
                    ("  press n or type its name, then Enter", "$text-muted"),
                ),
                classes="section",
            )
            with Horizontal(id="new-row"):
                yield TextInput(
                    placeholder="Name of your business or idea, e.g. Acme Tutors", id="title"
                )
                yield Button("Start", id="start", variant="primary")
            yield DraftInvite(id="draft-invite")
            yield Static(id="resume-heading", classes="section")
            yield OptionList(id="sessions")
            yield Static(id="problems")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "Welcome"
        self.reload()
        if self._sessions:
            # after the first frame: a thread now would slow the first paint down
            self.call_after_refresh(self._load_bank)
        if self._sessions:
            self.query_one("#sessions", OptionList).focus()

    def on_key(self, event: events.Key) -> None:
        """Letters typed outside the name box: n/r/o act, anything else starts the name."""
        if isinstance(self.focused, Input):
            return
        if event.key == "enter" and (self.focused is None or self.focused.id == "welcome"):
            event.stop()
            self._start()  # a name typed already starts; none asks for one
            return
        if not event.is_printable or not event.character:
            return
        # once the name has begun, every letter is part of it, even before the focus move
        # has reached the box (keys that arrive in one burst)
        title = self.query_one("#title", Input)
        naming = self._naming or bool(title.value)
        action = None if naming else self.LETTER_KEYS.get(event.character)
        if action is not None and self.check_action(action, ()) is False:
            action = None  # a browser has no `o`: the letter is part of the name
        event.stop()
        event.prevent_default()
        if action is not None:
            getattr(self, f"action_{action}")()
            return
        title.select_on_focus = False  # the letter begins the name; it is not to be replaced
        title.insert_text_at_cursor(event.character)
        title.focus()

    def on_screen_resume(self) -> None:
        self.reload()

    def _visible(self, sessions: list[Session]) -> list[Session]:
        """In a browser (a workshop room) everyone's sessions share one folder: list only
        the ones opened in this app, so nobody opens a neighbour's canvas."""
        app = self.canvas_app
        if not app.is_web:
            return sessions
        return [s for s in sessions if s.id in app.own_sessions]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # In a browser, the server's files are not the participant's to open.
        return not (action == "open_file" and self.canvas_app.is_web)

    def reload(self) -> None:
        app = self.canvas_app
        store = app.store
        sessions = self._visible(store.sessions())
        self._sessions = [s for s in sessions if not s.finished] + [
            s for s in sessions if s.finished
        ]
        options = self.query_one("#sessions", OptionList)
        options.clear_options()
        now = app.clock()
        for session in self._sessions:
            options.add_option(Option(self._describe(session, now), id=session.id))
        heading = self.query_one("#resume-heading", Static)
        if self._sessions:
            heading.update(
                Content.assemble(
                    ("Continue where you left off", "bold"),
                    ("   Enter opens the highlighted one · Ctrl+R the newest", "$text-muted"),
                )
            )
        else:
            heading.update(Content.styled("No saved canvases yet.", "$text-muted"))
        options.display = bool(self._sessions)
        if self._sessions:
            options.highlighted = 0
        problems = self.query_one("#problems", Static)
        if store.problems:
            lines = [
                ("⚠ ", "$text-warning"),
                (
                    f"{len(store.problems)} saved session file(s) could not be read; "
                    "they were moved aside, nothing was overwritten:",
                    "$text-warning",
                ),
            ]
            parts: list[str | tuple[str, str]] = list(lines)
            for problem in store.problems:
                parts.extend(["\n  ", (str(problem), "$text-muted")])
            problems.update(Content.assemble(*parts))
            problems.display = True
        else:
            problems.display = False

    @work(thread=True, exit_on_error=False)
    def _load_bank(self) -> None:
        """Load the bank off the UI thread, then show "3 of 13 questions" in the list."""
        try:
            self.canvas_app.bank  # noqa: B018 - loads and caches it
        except CanvasTuiError:
            return
        self.app.call_from_thread(self.reload)

    def _describe(self, session: Session, now: datetime) -> Content:
        from canvas_tui.core.interview.engine import Interview

        progress = ""
        try:
            app = self.canvas_app
            bank = app._bank  # progress needs the bank; until it is loaded, a count
            if bank is not None and session.bank in ("", "default", app.bank_ref):
                interview = Interview(
                    bank, dict(session.answers), set(session.skipped), dict(session.probes)
                )
                done = interview.progress()
                progress = (
                    "finished"
                    if session.finished
                    else (
                        "all questions answered"
                        if interview.done
                        else f"{done.answered} of {done.total} questions"
                    )
                )
        except CanvasTuiError:
            progress = ""
        if not progress:
            answered = sum(1 for v in session.answers.values() if v.strip())
            progress = "finished" if session.finished else f"{answered} answered"
        when = relative_time(session.updated, now)
        return Content.assemble(
            (session.title, "bold"),
            ("\n  " + progress, "$text-success" if session.finished else "$text-muted"),
            (" · changed " + when, "$text-muted"),
        )

    # ------------------------------------------------------------------ actions

    def action_draft(self) -> None:
        self.query_one(DraftInvite).ask()

    def action_new(self) -> None:
        self._naming = True
        self.query_one("#title", Input).focus()

    def _start(self, value: str | None = None) -> None:
        title_input = self.query_one("#title", Input)
        if self._title_sends:  # opening already: this Enter ends an answer typed on
            self._title_sends.append(title_input.value if value is None else value)
            return
        title = (title_input.value if value is None else value).strip()
        if not title:
            self.notify(
                "Give your canvas a name first — your business or idea.",
                title="A name, please",
                timeout=4,
            )
            title_input.focus()
            return
        self._title_sends = [title_input.value if value is None else value]
        self._naming = False  # back on this screen later, n/r/o are keys again
        draft = self.query_one(DraftInvite).draft
        self.canvas_app.open_in_background(
            lambda: self.canvas_app.new_session(title, draft), "interview"
        )

    def open_failed(self) -> None:
        """The canvas could not be opened: Start works again."""
        self._title_sends = []
        self.reload()

    def typed_ahead(self) -> tuple[list[str], str]:
        """What was typed in the name field after the name was sent (the interview shows
        now): the answers sent with Enter, and the text typed after the last Enter."""
        sends, self._title_sends = self._title_sends, []
        if not sends:
            return [], ""
        value = self.query_one("#title", Input).value
        base = sends[0]
        if not value.startswith(base):
            return [], ""
        answers: list[str] = []
        for snapshot in sends[1:]:
            if snapshot.startswith(base):
                answers.append(snapshot[len(base) :])
                base = snapshot
        return answers, value[len(base) :]

    @on(Input.Submitted, "#title")
    def _title_submitted(self, event: Input.Submitted) -> None:
        self._start(event.value)

    @on(Button.Pressed, "#start")
    def _start_pressed(self) -> None:
        self._start()

    def _open(self, session_id: str) -> None:
        store = self.canvas_app.store
        self.canvas_app.open_in_background(lambda: store.load(session_id))

    @on(OptionList.OptionSelected, "#sessions")
    def _session_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self._open(event.option.id)

    def action_resume_newest(self) -> None:
        sessions = self._visible(self.canvas_app.store.sessions())
        session = next((s for s in sessions if not s.finished), None)
        if session is None and sessions:
            session = sessions[0]  # every canvas is finished: the newest one opens
            self.notify(
                "Every canvas is finished; here is the newest one.",
                title="Nothing left to resume",
                timeout=4,
            )
        if session is None:
            self.notify(
                "There is no saved canvas yet. Start a new one above.",
                title="Nothing to resume",
                timeout=4,
            )
            return
        self._open(session.id)

    def action_open_file(self, error: str = "", value: str = "") -> None:
        from canvas_tui.ui.screens.dialogs import OpenFileDialog

        if self.canvas_app.is_web:
            return

        def chosen(path: str | None) -> None:
            if not path:
                return
            app = self.canvas_app
            target = Path(path).expanduser()
            if not target.is_absolute() and app.workspace is not None:
                target = app.workspace / target
            try:
                session = app.session_from_canvas_file(target)
                app.open_session(session)
            except CanvasTuiError as exc:
                self.action_open_file(str(exc), path)

        self.app.push_screen(OpenFileDialog(error, value), chosen)
