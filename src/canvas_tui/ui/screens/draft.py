"""Start from your draft (issue 16): paste a list of key activities or open a file.

* `DraftDialog`: a paste box (any bullets or numbering, a Markdown canvas, TOML) and, in a
  terminal, a file path (text, Markdown or a canvas-tui TOML/JSON canvas) read by the
  same rules as opening a canvas file: a relative path is in the workspace (else the
  working folder); in a browser (serve) there is no path at all, the server's files are
  not the participant's. A draft that cannot be read is one line in the dialog.
* `DraftInvite`: the welcome screen's question ("Do you have them drafted, or are you
  starting from scratch?"); the draft chosen there goes into the new canvas.
* `ask_draft(app)`: the command palette's "Audit my draft" and the review screen's
  `V`: for the open canvas, saved in its session and audited from then on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Static, TextArea

from canvas_tui.core.errors import CanvasTuiError
from canvas_tui.ui.screens.dialogs import DIALOG_CSS, TextDialog
from canvas_tui.ui.text import literal
from canvas_tui.ui.widgets.inputs import TextInput

if TYPE_CHECKING:
    from canvas_tui.core.draft.parse import Draft
    from canvas_tui.ui.app import CanvasApp

#: The seeds' question, on the welcome screen and in the dialog.
QUESTION = "Do you have your key activities drafted, or are you starting from scratch?"
#: Characters of a draft listed in the welcome screen's line.
PREVIEW_CHARS = 60


@dataclass(frozen=True)
class DraftChoice:
    """What the dialog returns: a draft to keep, or None to forget the one kept."""

    draft: Draft | None


def draft_text(draft: Draft | None) -> str:
    """A kept draft as the paste box shows it: one line each, its label in front."""
    if draft is None:
        return ""
    lines = []
    for line in draft.lines:
        label = f"{line.label_text}: " if line.label_text else ""
        lines.append(f"- {label}{line.text}\n")
    return "".join(lines)


def describe(draft: Draft) -> str:
    """ "10 activities: marketing, sales, R&D, …" (the first few, shortened)."""
    count = len(draft.lines)
    names = ", ".join(draft.texts)
    if len(names) > PREVIEW_CHARS:
        names = names[: PREVIEW_CHARS - 1].rsplit(",", 1)[0] + ", …"
    return f"{count} activit{'y' if count == 1 else 'ies'}: {names}"


def problem_line(exc: CanvasTuiError, pasted: bool) -> str:
    """One line for a draft that cannot be read: pasted text by its line, a file by name."""
    if not pasted:
        return str(exc)
    where = f"Line {exc.line}: " if exc.line else ""
    text = f"{where}{exc.message}"
    return f"{text} ({exc.hint})" if exc.hint else text


def resolve_path(app: CanvasApp, text: str) -> Path:
    """A path typed in the app: relative to the workspace when there is one (the rule of
    the welcome screen's "open a canvas file")."""
    target = Path(text.strip()).expanduser()
    if not target.is_absolute() and app.workspace is not None:
        target = app.workspace / target
    return target


class DraftDialog(TextDialog):
    """Paste or open a draft of key activities. Returns a `DraftChoice`, or None."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="DraftDialog")
        + """
    DraftDialog > Vertical { width: 84; }
    DraftDialog TextArea { height: 9; }
    DraftDialog.-short TextArea { height: 6; }
    DraftDialog #file-row { height: 1; margin-top: 1; }
    DraftDialog #file-row Label { width: auto; color: $text-muted; }
    DraftDialog #file-row Input { width: 1fr; }
    """
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Check it", priority=True),
    ]

    def __init__(self, current: Draft | None = None, *, files: bool = True) -> None:
        super().__init__()
        self._current = current
        self._files = files

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Start from your draft"
            yield Static(Content.styled(QUESTION, "bold"))
            yield Static(
                "Paste your list: one activity a line, any bullets or numbering, or a Markdown "
                "canvas. Each line is checked against your answers.",
                classes="hint",
            )
            yield TextArea(draft_text(self._current), id="draft-text", soft_wrap=True)
            if self._files:
                with Horizontal(id="file-row"):
                    yield Label("Or open a file (text, Markdown, TOML) + Enter: ")
                    yield TextInput(placeholder="e.g. canvas.md", id="draft-path", compact=True)
            yield Static(id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                if self._current is not None:
                    yield Button("Forget my draft", id="forget", variant="warning", compact=True)
                yield Button("Check it  ^s", id="save", variant="primary", compact=True)

    def _fail(self, message: str) -> None:
        self.query_one("#error", Static).update(literal(message))

    def _save_now(self) -> None:
        text = self.query_one(TextArea).text
        if not text.strip() and self._files and self.query_one("#draft-path", Input).value.strip():
            self._open(self.query_one("#draft-path", Input).value)
            return
        choice = self._parsed(text)
        if choice is not None:
            self.dismiss(choice)

    def _parsed(self, text: str) -> DraftChoice | None:
        from canvas_tui.core.draft.parse import parse_draft

        try:
            return DraftChoice(parse_draft(text))
        except CanvasTuiError as exc:
            self._fail(problem_line(exc, pasted=True))
            return None

    def _open(self, value: str) -> None:
        from canvas_tui.core.draft.parse import read_draft

        if not value.strip():
            return
        try:
            draft = read_draft(resolve_path(self.app, value))  # type: ignore[arg-type]  # self.app is typed App[Any]; it is a CanvasApp
        except CanvasTuiError as exc:
            self._fail(problem_line(exc, pasted=False))
            return
        self.dismiss(DraftChoice(draft))

    @on(Input.Submitted, "#draft-path")
    def _path_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._open(event.value)

    @on(Button.Pressed, "#forget")
    def _forget(self) -> None:
        self.dismiss(DraftChoice(None))


class DraftInvite(Static):
    """The welcome screen's question; click it (or press d) to paste or open a draft.
    `draft` is the one chosen, for the canvas about to be started."""

    DEFAULT_CSS = """
    DraftInvite { height: auto; margin-top: 1; }
    DraftInvite:hover { background: $boost; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.draft: Draft | None = None

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        if self.draft is None:
            self.update(
                Content.assemble(
                    ("Key activities drafted already? ", "bold"),
                    ("d", "bold $text-accent"),
                    (
                        (" pastes" if getattr(self.app, "is_web", False) else " pastes or opens")
                        + " your list: each line is checked against your answers. "
                        "Starting from scratch? Just name your canvas.",
                        "$text-muted",
                    ),
                )
            )
        else:
            self.update(
                Content.assemble(
                    ("✓ Your draft: ", "bold $text-success"),
                    literal(describe(self.draft)),
                    ("\n  checked as you answer · ", "$text-muted"),
                    ("d", "bold $text-accent"),
                    (" changes it", "$text-muted"),
                )
            )

    def ask(self) -> None:
        app: Any = self.app

        def chosen(choice: DraftChoice | None) -> None:
            if choice is not None:
                self.draft = choice.draft
                self._show()

        app.push_screen(DraftDialog(self.draft, files=not app.is_web), chosen)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.ask()


def ask_draft(app: CanvasApp) -> None:
    """Paste or open a draft for the open canvas (saved in its session, audited on every
    view from now on); on the welcome screen, for the canvas about to be started."""
    from canvas_tui.ui.screens.base import BenchScreen
    from canvas_tui.ui.screens.welcome import WelcomeScreen

    screen = app.screen
    if isinstance(screen, WelcomeScreen):
        screen.query_one(DraftInvite).ask()
        return
    bench = app.bench
    if bench is None:
        return

    async def keep(choice: DraftChoice) -> None:
        try:
            await app.core(bench.set_activity_draft, choice.draft)
        except CanvasTuiError as exc:
            app.notify(str(exc), title="Draft not kept", severity="error", markup=False)
            return
        shown = app.screen
        if isinstance(shown, BenchScreen):
            await shown.refresh_view()
        if choice.draft is None:
            app.notify("Your draft is forgotten.", title="Draft", timeout=4)
        elif type(shown).__name__ != "ReviewScreen":
            app.notify(
                f"{describe(choice.draft)}. The review (F3) shows what your answers "
                "say about each.",
                title="Draft kept",
                markup=False,
                timeout=6,
            )

    def chosen(choice: DraftChoice | None) -> None:
        if choice is not None:
            app.run_worker(keep(choice), group="draft")

    app.push_screen(DraftDialog(bench.activity_draft(), files=not app.is_web), chosen)
