"""Small modal dialogs. Each is a `ModalScreen[T]` that returns its value with `dismiss()`
(None when cancelled with Escape)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from canvas_tui.core.canvas.model import CATEGORY_TITLES
from canvas_tui.core.inference.infer import CATEGORIES
from canvas_tui.ui.text import CATEGORY_STYLES
from canvas_tui.ui.widgets.inputs import TextInput

DIALOG_CSS = """
{name} {{
    align: center middle;
    background: $background 60%;
    & > Vertical {{
        width: 72;
        max-width: 95%;
        height: auto;
        max-height: 90%;
        border: thick $primary 70%;
        border-title-color: $text;
        border-title-style: bold;
        background: $surface;
        padding: 1 2;
    }}
    .hint {{ color: $text-muted; margin-bottom: 1; }}
    .error {{ color: $error; height: auto; }}
    .buttons {{ height: auto; align-horizontal: right; margin-top: 1; }}
    .buttons Button {{ margin-left: 1; }}
}}
"""


class Dialog(ModalScreen):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(Dialog):
    """A yes/no question. Returns True, or None when cancelled."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmDialog")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "cancel", "No"),
        Binding("y", "yes", "Yes"),
    ]

    def __init__(
        self, title: str, message: Content | str, yes: str = "Yes", no: str = "No"
    ) -> None:
        super().__init__()
        self._title = title
        self._message = message if isinstance(message, Content) else Content(message)
        self._yes = yes
        self._no = no

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self._title
            yield Static(self._message)
            with Horizontal(classes="buttons"):
                yield Button(Content(self._no), id="no")
                yield Button(Content(self._yes), id="yes", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def action_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#yes")
    def _yes_pressed(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def _no_pressed(self) -> None:
        self.dismiss(None)


class TextDialog(Dialog):
    """A dialog around one TextArea: it takes the focus with the cursor at the end, Ctrl+S
    or the Save button returns `result(text)`, Esc or Cancel returns None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save", priority=True),
    ]

    def buttons(self) -> ComposeResult:
        with Horizontal(classes="buttons"):
            yield Button("Cancel", id="cancel")
            yield Button("Save  ^s", id="save", variant="primary")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        if self.app.is_headless:
            area.cursor_blink = False
        area.focus()
        area.move_cursor(area.document.end)

    def result(self, text: str) -> object:
        return text

    def action_save(self) -> None:
        # Ctrl+S is a priority key: it can overtake keys still queued for the text area
        # (fast typing, a paste). Read the text once the text area has caught up.
        self.query_one(TextArea).call_later(self._save_now)

    def _save_now(self) -> None:
        self.dismiss(self.result(self.query_one(TextArea).text))

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class LinesDialog(TextDialog):
    """Edit a list of short texts, one per line (KPIs, the items of a canvas block).
    Returns the list, or None when cancelled."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="LinesDialog")
        + """
    LinesDialog TextArea { height: 10; }
    """
    )

    def __init__(self, title: str, hint: str, lines: Sequence[str]) -> None:
        super().__init__()
        self._title = title
        self._hint = hint
        self._lines = list(lines)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self._title
            yield Static(Content(self._hint), classes="hint")
            # existing lines, then a fresh line to type on
            text = "".join(line + "\n" for line in self._lines)
            yield TextArea(text, id="lines", soft_wrap=True)
            yield from self.buttons()

    def result(self, text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]


def category_options(current: str | None = None) -> list[Option]:
    return [
        Option(
            Content.assemble(
                ("■ ", CATEGORY_STYLES[c]),
                CATEGORY_TITLES[c],
                ("  (current)" if c == current else "", "$text-muted"),
            ),
            id=c,
        )
        for c in CATEGORIES
    ]


class CategoryDialog(Dialog):
    """Pick a category. Returns its id, or None."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="CategoryDialog")
        + """
    CategoryDialog > Vertical { width: 50; }
    CategoryDialog OptionList { height: auto; }
    """
    )

    def __init__(self, name: str, current: str) -> None:
        super().__init__()
        self._name = name
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Category"
            yield Static(
                Content.assemble("Which kind of activity is ", (self._name or "", "bold"), "?"),
                classes="hint",
            )
            yield OptionList(*category_options(self._current), id="categories")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = CATEGORIES.index(self._current) if self._current in CATEGORIES else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class NewActivityDialog(Dialog):
    """Name and category of an activity of your own. Returns (name, category) or None."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="NewActivityDialog")
        + """
    NewActivityDialog OptionList { height: auto; margin-top: 1; }
    """
    )

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Add an activity"
            yield Static(
                "Something your business must do well that the list is missing. "
                "Name it, pick its kind, press Enter.",
                classes="hint",
            )
            yield TextInput(placeholder="e.g. Sourdough workshops", id="name")
            yield OptionList(*category_options(), id="categories")
            yield Static(id="error", classes="error")

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = CATEGORIES.index("supporting")
        self.query_one(Input).focus()

    def _finish(self) -> None:
        name = self.query_one(Input).value.strip()
        if not name:
            self.query_one("#error", Static).update("Give the activity a name first.")
            self.query_one(Input).focus()
            return
        options = self.query_one(OptionList)
        index = (
            options.highlighted
            if options.highlighted is not None
            else CATEGORIES.index("supporting")
        )
        self.dismiss((name, CATEGORIES[index]))

    @on(Input.Submitted)
    def _name_done(self) -> None:
        self._finish()

    @on(OptionList.OptionSelected)
    def _category_chosen(self) -> None:
        self._finish()


class AnswerPicker(Dialog):
    """Choose an earlier answer to change. Returns the question id, or None."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="AnswerPicker")
        + """
    AnswerPicker > Vertical { width: 90; }
    AnswerPicker OptionList { height: auto; max-height: 20; }
    """
    )

    def __init__(self, choices: Sequence[tuple[str, str, str]]) -> None:
        super().__init__()
        self._choices = list(choices)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Change an earlier answer"
            yield Static("Pick the answer to change and press Enter.", classes="hint")
            options = []
            for qid, prompt, answer in self._choices:
                preview = answer.strip().replace("\n", " ")
                if len(preview) > 70:
                    preview = preview[:69] + "…"
                options.append(
                    Option(
                        Content.assemble(
                            (prompt, "bold"), "\n  ", (preview or "(skipped)", "$text-muted")
                        ),
                        id=qid,
                    )
                )
            yield OptionList(*options)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = len(self._choices) - 1 if self._choices else None
        options.focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class OpenFileDialog(Dialog):
    """Ask for the path of a canvas file. Returns the path text, or None."""

    DEFAULT_CSS = DIALOG_CSS.format(name="OpenFileDialog")

    def __init__(self, error: str = "", value: str = "") -> None:
        super().__init__()
        self._error = error
        self._value = value

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Open a canvas file"
            yield Static(
                "A canvas TOML file exported by canvas-tui (or `canvas-tui run`). "
                "It opens as a new session; the file itself is not changed.",
                classes="hint",
            )
            yield Label("Path")
            yield TextInput(value=self._value, placeholder="e.g. acme-tutors.toml", id="path")
            yield Static(Content(self._error), id="error", classes="error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())


class NoteDialog(TextDialog):
    """Write or edit the facilitator's note on one question. Returns the text (empty:
    remove the note), or None when cancelled. A note is kept apart from the answer."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="NoteDialog")
        + """
    NoteDialog TextArea { height: 6; }
    NoteDialog #question { margin-bottom: 1; text-style: bold; }
    """
    )

    def __init__(self, prompt: str, note: str) -> None:
        super().__init__()
        self._prompt = prompt
        self._note = note

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Facilitator note"
            yield Static(Content(self._prompt), id="question")
            yield Static(
                "A note for the facilitator, saved with the session and listed in the "
                "exports as a note — never as an answer. Empty it to remove the note.",
                classes="hint",
            )
            yield TextArea(self._note, id="note", soft_wrap=True)
            yield from self.buttons()

    def result(self, text: str) -> str:
        return text.strip()
