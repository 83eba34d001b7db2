"""The top bar: the canvas's title and the screens as tabs, each with its key.

It replaces Textual's Header: one line that says where you are and how to go elsewhere
(F2 interview, F3 review, F4 canvas, Ctrl+S export, Ctrl+O open, F1 help). Tabs are
clickable; the keys work everywhere.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from canvas_tui.core.exports.escaping import terminal_text

TABS: tuple[tuple[str, str, str, str], ...] = (
    # (name, key, label, action)
    ("interview", "F2", "Interview", "app.goto('interview')"),
    ("review", "F3", "Review", "app.goto('review')"),
    ("canvas", "F4", "Canvas", "app.goto('canvas')"),
)
TOOLS: tuple[tuple[str, str, str, str], ...] = (
    ("export", "^s", "Export", "app.export"),
    ("open", "^o", "Open", "app.home"),
    ("help", "F1", "Help", "app.help"),
)


class NavTab(Static):
    DEFAULT_CSS = """
    NavTab {
        width: auto;
        padding: 0 1;
        color: $text-muted;
        &:hover { background: $boost; color: $text; }
        &.-current { background: $primary; color: $text; text-style: bold; }
    }
    """

    def __init__(self, name: str, key: str, label: str, action: str) -> None:
        super().__init__(
            Content.assemble((key, "bold $text-accent"), " ", label),
            id=f"tab-{name}",
            classes="tab",
        )
        self.action = action
        self.tooltip = f"{label} ({key})"

    async def on_click(self, event: events.Click) -> None:
        event.stop()
        await self.run_action(self.action)


class TopBar(Horizontal):
    DEFAULT_CSS = """
    TopBar {
        height: 1;
        dock: top;
        background: $panel;
        #brand { width: 1fr; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    }
    """

    def __init__(self, current: str, *, title: str = "", with_canvas: bool = True) -> None:
        super().__init__()
        self.current = current
        self.title_text = title
        self.with_canvas = with_canvas

    def compose(self) -> ComposeResult:
        yield Static(self._brand(), id="brand")
        if self.with_canvas:
            for tab in TABS:
                yield NavTab(*tab)
            yield NavTab(*TOOLS[0])
        yield NavTab(*TOOLS[1])
        yield NavTab(*TOOLS[2])

    def _brand(self) -> Content:
        if self.title_text:
            return Content.assemble(
                ("canvas-tui", "bold $text-secondary"),
                (" · ", "$text-muted"),
                (terminal_text(self.title_text), "bold"),
            )
        return Content.styled("canvas-tui", "bold $text-secondary")

    def on_mount(self) -> None:
        for tab in self.query(NavTab):
            tab.set_class(tab.id == f"tab-{self.current}", "-current")

    def set_title(self, title: str) -> None:
        self.title_text = title
        self.query_one("#brand", Static).update(self._brand())
