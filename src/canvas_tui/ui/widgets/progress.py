"""Progress through the interview: one cell per question set plus the overall share."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from canvas_tui.core.interview.transcript import PartProgress
from canvas_tui.ui.text import bar, percent, set_content


class SetCell(Static):
    DEFAULT_CSS = """
    SetCell {
        width: 1fr;
        height: 2;
        padding: 0 1;
        color: $text-muted;
        &.-current { color: $text; text-style: bold; }
    }
    """


class SetProgress(Horizontal):
    """`Value proposition 3/5 ━━━━━━` for each set, and the overall percentage."""

    DEFAULT_CSS = """
    SetProgress {
        height: 2;
        background: $surface;
        #overall { width: 10; height: 2; padding: 0 1; content-align: right top; color: $text-muted; }
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="overall")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._last: tuple[list[PartProgress], float] | None = None
        # two refreshes can overlap (the screen's mount and an answer landing at once):
        # one at a time rebuilds the cells, so none paints a half-built row
        self._rebuilding = asyncio.Lock()

    async def show(self, sets: Sequence[PartProgress], overall: float) -> None:
        async with self._rebuilding:
            cells = list(self.query(SetCell))
            if len(cells) != len(sets):
                await self.remove_children(cells)
                cells = [SetCell() for _ in sets]
                await self.mount_all(cells, before="#overall")
            self._last = (list(sets), overall)
            self._paint()

    def _paint(self) -> None:
        if self._last is None:
            return
        sets, overall = self._last
        if len(self.query(SetCell)) != len(sets):
            return  # cells being rebuilt: `show` paints when they are there
        for number, (cell, status) in enumerate(
            zip(self.query(SetCell), sets, strict=True), start=1
        ):
            width = max(6, (cell.content_size.width or 18))
            title = f"{number} {status.title}"
            if len(title) > width:
                title = title[: width - 1] + "…"
            count = f" {status.answered}/{status.total}"
            done = status.total and status.answered >= status.total
            style = "$success" if done else ("$accent" if status.current else "$primary 60%")
            fraction = status.answered / status.total if status.total else 1.0
            set_content(
                cell,
                Content.assemble(
                    title,
                    "\n",
                    bar(fraction, max(1, width - len(count)), style),
                    (count, "$text-muted"),
                ),
            )
            cell.set_class(bool(status.current), "-current")
        set_content(
            self.query_one("#overall", Static),
            Content.assemble(("overall", "$text-muted"), "\n", (percent(overall), "bold")),
        )

    def on_resize(self) -> None:
        self.call_after_refresh(self._paint)
