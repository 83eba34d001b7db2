"""The help screen: how canvas-tui works, and every key, by screen (from the bindings)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

HOW = (
    "canvas-tui asks four short sets of questions — your offer, your channels, your "
    "customer relationships, your revenue — and suggests the key activities your "
    "business must excel at, quoting the words of yours behind each one. Review the "
    "suggestions, pick the three to focus on, look at your canvas and export it.\n"
    "Every answer and decision is saved the moment you make it: quit any time and "
    "pick up where you left off (Ctrl+O, then Ctrl+R)."
)

EXTRA = [
    ("Interview", "Shift+Tab", "From the answer box to your earlier answers; Tab to the panel"),
    ("Interview", "Enter on an answer", "Change that answer (↑ ↓ move between answers)"),
    ("Interview", "Click an answer", "Change it with the mouse"),
    ("Review", "↑ ↓ / Page Up, Down", "Move through the activities"),
    ("Canvas", "← → ↑ ↓", "Move between the blocks"),
    ("Everywhere", "Ctrl+P", "Command palette: every action, and “Edit answer: …”"),
    (
        "Everywhere",
        "Ctrl+P “workshop”",
        "Workshop mode on or off: a larger layout, a countdown per part",
    ),
]


NAMES = {
    "enter": "Enter",
    "escape": "Esc",
    "tab": "Tab",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
}


def pretty_key(key: str) -> str:
    """`ctrl+s` → `Ctrl+S`, `f1` → `F1`, `enter` → `Enter`."""
    parts = key.split("+")
    shown = []
    for part in parts[:-1]:
        shown.append(part.capitalize())
    last = parts[-1]
    if last in NAMES:
        shown.append(NAMES[last])
    elif (len(last) > 1 and last[0] == "f" and last[1:].isdigit()) or parts[:-1]:
        shown.append(last.upper())
    else:
        shown.append(last)
    return "+".join(shown)


def _key(binding: Binding) -> str:
    keys = binding.key.split(",")
    if binding.key_display and len(binding.key_display) > 2:
        return binding.key_display
    if keys[0] in ("shift+up", "shift+down"):
        return "Shift+" + NAMES[keys[0].split("+")[1]]
    return " / ".join(pretty_key(k) for k in keys[:2])


def _bindings(cls: type) -> list[Binding]:
    found = []
    for item in getattr(cls, "BINDINGS", []):
        if isinstance(item, Binding) and item.description:
            if item.action.startswith("move("):
                continue  # the arrow keys: one row in EXTRA
            found.append(item)
    return found


def key_sections() -> list[tuple[str, list[tuple[str, str, str]]]]:
    from canvas_tui.ui.app import CanvasApp
    from canvas_tui.ui.screens.canvas import CanvasScreen
    from canvas_tui.ui.screens.interview import InterviewScreen
    from canvas_tui.ui.screens.review import ReviewScreen
    from canvas_tui.ui.screens.welcome import WelcomeScreen
    from canvas_tui.ui.widgets.answer_box import AnswerBox

    sections: list[tuple[str, list[tuple[str, str, str]]]] = []
    for title, classes in (
        ("Everywhere", [CanvasApp]),
        ("Welcome", [WelcomeScreen]),
        ("Interview", [AnswerBox, InterviewScreen]),
        ("Review", [ReviewScreen]),
        ("Canvas", [CanvasScreen]),
    ):
        rows = [(_key(b), b.description, b.tooltip) for cls in classes for b in _bindings(cls)]
        rows += [(k, d, "") for section, k, d in EXTRA if section == title]
        sections.append((title, rows))
    return sections


def help_rows() -> list[tuple[str, str, Content]]:
    """(section, key, description) for every row of the help screen."""
    rows = []
    for title, entries in key_sections():
        for key, description, tooltip in entries:
            parts: list[str | tuple[str, str]] = [(description, "bold")]
            if tooltip and tooltip != description:
                parts.append((" — " + tooltip, "$text-muted"))
            rows.append((title, key, Content.assemble(*parts)))
    return rows


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        background: $background 60%;
        & > Vertical {
            width: 96;
            max-width: 100%;
            height: 90%;
            border: thick $primary 70%;
            border-title-style: bold;
            border-subtitle-color: $text-muted;
            background: $surface;
        }
        VerticalScroll { padding: 0 2; }
        .section { margin-top: 1; text-style: bold; color: $text-secondary; }
        .row { height: auto; }
        .key { width: 26; padding-left: 2; text-style: bold; color: $text-accent; }
        .what { width: 1fr; }
        .end { margin-top: 1; color: $text-muted; text-style: italic; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "close", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Help"
            box.border_subtitle = "Esc closes · ↑ ↓ scroll"
            with VerticalScroll():
                yield Static(Content(HOW))
                section = ""
                for title, key, what in help_rows():
                    if title != section:
                        section = title
                        yield Static(Content(title), classes="section")
                    # key and description side by side: a long description wraps in
                    # its own column, never under the keys
                    with Horizontal(classes="row"):
                        yield Static(Content(key), classes="key")
                        yield Static(what, classes="what")
                yield Static(
                    Content("The mouse works too, but every action has a key."), classes="end"
                )

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)
