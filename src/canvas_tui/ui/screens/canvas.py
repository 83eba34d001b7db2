"""The canvas: the nine blocks laid out as Osterwalder's grid, each one editable."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid
from textual.content import Content
from textual.widgets import Static

from canvas_tui.core.canvas.model import BLOCK_TITLES, CATEGORY_TITLES, Canvas
from canvas_tui.core.interview.bank import BLOCKS
from canvas_tui.ui.screens.base import BenchScreen
from canvas_tui.ui.text import percent
from canvas_tui.ui.widgets.footer import KeyFooter
from canvas_tui.ui.widgets.topbar import TopBar

# Children in this order fill the grid as the canvas is drawn (see app.tcss).
GRID_ORDER = (
    "key_partners",
    "key_activities",
    "value_propositions",
    "customer_relationships",
    "customer_segments",
    "key_resources",
    "channels",
    "cost_structure",
    "revenue_streams",
)
NEIGHBOURS: dict[str, dict[str, str]] = {
    "key_partners": {"right": "key_activities", "down": "cost_structure"},
    "key_activities": {
        "left": "key_partners",
        "right": "value_propositions",
        "down": "key_resources",
    },
    "key_resources": {
        "left": "key_partners",
        "right": "value_propositions",
        "up": "key_activities",
        "down": "cost_structure",
    },
    "value_propositions": {
        "left": "key_activities",
        "right": "customer_relationships",
        "down": "cost_structure",
    },
    "customer_relationships": {
        "left": "value_propositions",
        "right": "customer_segments",
        "down": "channels",
    },
    "channels": {
        "left": "value_propositions",
        "right": "customer_segments",
        "up": "customer_relationships",
        "down": "revenue_streams",
    },
    "customer_segments": {"left": "customer_relationships", "down": "revenue_streams"},
    "cost_structure": {"up": "key_partners", "right": "revenue_streams"},
    "revenue_streams": {"up": "customer_segments", "left": "cost_structure"},
}
HINTS: dict[str, str] = {
    "customer_segments": "Who you create value for. One group per line.",
    "value_propositions": "What you offer and the problem it solves. One point per line.",
    "channels": "How customers find, buy and receive it. One channel per line.",
    "customer_relationships": "The relationship each segment gets. One per line.",
    "revenue_streams": "How you earn money. One stream per line.",
    "key_resources": "The assets your key activities need. One per line.",
    "key_activities": "What you must do brilliantly. One activity per line (the review screen holds the details).",
    "key_partners": "Partners and suppliers who do some of it for you. One per line.",
    "cost_structure": "Your main costs. One per line.",
}


class BlockCard(Static, can_focus=True):
    DEFAULT_CSS = """
    BlockCard {
        height: 1fr;
        border: round $panel-lighten-2;
        border-title-color: $text;
        border-title-style: bold;
        border-subtitle-color: $text-muted;
        padding: 0 1;
        overflow: hidden hidden;
        &:focus { border: round $accent; background: $accent 8%; }
        &.-key { border: round $secondary; }
        &.-key:focus { border: round $accent; }
    }
    """

    def __init__(self, block: str) -> None:
        super().__init__(id=f"block-{block}")
        self.block = block
        self.set_class(block == "key_activities", "-key")

    def show(self, items: tuple[str, ...], edited: bool, suggested: tuple[str, ...] = ()) -> None:
        parts: list[str | tuple[str, str]] = [
            (
                BLOCK_TITLES[self.block],
                "bold $text-secondary" if self.block == "key_activities" else "bold",
            )
        ]
        for item in items:
            if item in suggested:  # generated from the catalogue, not the person's words
                parts.extend(["\n", ("◦ ", "$text-muted"), (item, "italic $text-muted")])
            else:
                parts.extend(["\n", ("• ", "$text-muted"), item])
        if not items:
            parts.append(("\nempty — Enter to add", "$text-muted italic"))
        self.update(Content.assemble(*parts))
        count = f"{len(items)} item{'s' if len(items) != 1 else ''}" if items else ""
        if suggested:  # short enough for the narrow cards
            shown = len([i for i in items if i in suggested])
            count = (
                f"{shown} suggested" if shown == len(items) else f"{shown}/{len(items)} suggested"
            )
        self.border_subtitle = " · ".join(
            part for part in (count, "edited" if edited else "") if part
        )

    async def on_click(self, event: events.Click) -> None:
        self.focus()
        if event.chain >= 2:  # a double click edits the block
            await self.app.run_action("edit", self.screen)


class CanvasScreen(BenchScreen):
    #: The keys that matter most here, first: what the footer keeps when space is short.
    FOOTER_ORDER: ClassVar[tuple[str, ...]] = ("edit", "accept", "reset")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,e", "edit", "Edit block", tooltip="Edit the items of this block"),
        Binding(
            "a",
            "accept",
            "Accept suggestion",
            tooltip="Keep this block's first suggested entry as your own",
        ),
        Binding("r", "reset", "Undo edits", tooltip="Back to what your answers say"),
        Binding("left", "move('left')", "Left", show=False),
        Binding("right", "move('right')", "Right", show=False),
        Binding("up", "move('up')", "Up", show=False),
        Binding("down", "move('down')", "Down", show=False),
        Binding("escape", "app.goto('review')", "Review", show=False, tooltip="Back to the review"),
    ]

    #: the shown canvas's suggestions (block id -> entries), for the accept key
    _suggested: Mapping[str, tuple[str, ...]] = {}

    def compose(self) -> ComposeResult:
        yield TopBar("canvas", title=self.bench.session.title)
        yield Static(id="canvas-top")
        with Grid(id="canvas-grid"):
            for block in GRID_ORDER:
                yield BlockCard(block)
        yield KeyFooter()

    async def on_mount(self) -> None:
        self.title = "Canvas"
        await self.refresh_view()
        self.query_one("#block-key_activities", BlockCard).focus()

    @property
    def card(self) -> BlockCard | None:
        return self.focused if isinstance(self.focused, BlockCard) else None

    async def refresh_view(self) -> None:
        canvas = self.bench.canvas()
        self._suggested = canvas.suggested
        edited = self.bench.decisions.blocks
        for card in self.query(BlockCard):
            card.show(
                tuple(canvas.blocks.get(card.block, ())),
                card.block in edited,
                tuple(canvas.suggested.get(card.block, ())),
            )
        self._show_top(canvas)
        self.update_bindings()

    def _show_top(self, canvas: Canvas) -> None:
        parts: list[str | tuple[str, str]] = [(canvas.title, "bold")]
        if canvas.dominant != "unknown":
            share = canvas.mix.get(canvas.dominant, 0.0)
            parts.extend(
                [
                    ("   business type: ", "$text-muted"),
                    (
                        CATEGORY_TITLES.get(canvas.dominant, canvas.dominant).lower(),
                        "bold $text-secondary",
                    ),
                    (f" ({percent(share)})", "$text-muted"),
                ]
            )
        parts.append(("   arrows move · Enter edits a block", "$text-muted"))
        if canvas.suggested:
            parts.append(("   ◦ suggested", "$text-muted"))
        self.query_one("#canvas-top", Static).update(Content.assemble(*parts))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.canvas_app.bench is None:
            return False
        if action == "reset":
            card = self.card
            return card is not None and card.block in self.bench.decisions.blocks
        if action == "accept":
            card = self.card
            return card is not None and bool(self._suggested.get(card.block))
        return True

    def action_move(self, direction: str) -> None:
        card = self.card
        target = NEIGHBOURS.get(card.block if card else "", {}).get(direction)
        if card is None:
            target = "key_activities"
        if target is not None:
            self.query_one(f"#block-{target}", BlockCard).focus()

    def action_edit(self) -> None:
        from canvas_tui.ui.screens.dialogs import LinesDialog

        card = self.card
        if card is None:
            return
        block = card.block
        items = self.bench.canvas().blocks.get(block, ())

        def chosen(lines: list[str] | None) -> None:
            if lines is not None and tuple(lines) != tuple(items):
                self.change(self.bench.edit_block, block, lines)

        self.app.push_screen(LinesDialog(BLOCK_TITLES[block], HINTS[block], items), chosen)

    def action_accept(self) -> None:
        """Keep the focused block's first suggestion as the person's own (issue 13)."""
        card = self.card
        if card is None:
            return
        suggested = self._suggested.get(card.block, ())
        if suggested:
            self.change(self.bench.accept_suggestion, card.block, suggested[0])

    def action_reset(self) -> None:
        card = self.card
        if card is not None:
            self.change(self.bench.reset_block, card.block)

    def on_descendant_focus(self) -> None:
        self.update_bindings()

    def binding_state(self) -> object:
        return self.check_action("reset", ()), self.check_action("accept", ())


__all__ = ["BLOCKS", "CanvasScreen"]
