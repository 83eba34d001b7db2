"""Review: the suggested activities as a table; decide, focus, measure.

The coverage matrix is part of the table (one column per guiding question), with a
summary line under it; the bloat and coherence warnings sit above it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Footer, Static

from canvas_tui.core.canvas.model import Activity, Canvas
from canvas_tui.core.inference.infer import GUIDING
from canvas_tui.ui.screens.base import BenchScreen
from canvas_tui.ui.text import CATEGORY_SHORT
from canvas_tui.ui.widgets.activity_panel import why
from canvas_tui.ui.widgets.topbar import TopBar

GUIDE_SHORT = {"value_proposition": "VP", "channels": "CH", "relationships": "CR", "revenue": "RS"}
GUIDE_WORDS = {
    "value_proposition": "value proposition",
    "channels": "channels",
    "relationships": "relationships",
    "revenue": "revenue",
}
STATUS_CELLS = {
    "accepted": ("✓ keep", "bold green"),
    "rejected": ("✗ drop", "red"),
    "suggested": ("undecided", "dim"),
}


RANK = Binding.Group("Rank", compact=True)


NAME_WIDTH = 30  # longer names are cut in the table (the details show them whole)


def short_name(name: str) -> str:
    return name if len(name) <= NAME_WIDTH else name[: NAME_WIDTH - 1] + "…"


class ReviewTable(DataTable):  # type: ignore[type-arg]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Details", show=False),
    ]


class ReviewScreen(BenchScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "status('accepted')", "Keep", tooltip="Accept this activity"),
        Binding("x", "status('rejected')", "Drop", tooltip="Reject this activity"),
        Binding("u", "status('suggested')", "Undecided", tooltip="Neither kept nor dropped"),
        Binding("t", "focus_toggle", "Top 3", tooltip="Add to or remove from your top three"),
        Binding(
            "shift+up",
            "focus_move(-1)",
            "Rank up",
            key_display="⇧↑",
            tooltip="Move up in the top three",
            group=RANK,
        ),
        Binding(
            "shift+down",
            "focus_move(1)",
            "Rank down",
            key_display="⇧↓",
            tooltip="Move down in the top three",
            group=RANK,
        ),
        Binding("c", "category", "Category", tooltip="Change its category"),
        Binding("p", "partner", "Partner", tooltip="Could a key partner do this instead?"),
        Binding("k", "kpis", "KPIs", tooltip="Edit how you will measure it"),
        Binding("n", "new", "Add", tooltip="Add an activity of your own"),
        Binding("d", "delete", "Delete", tooltip="Delete an activity you added"),
        Binding(
            "T", "focus_reset", "Reset top 3", show=False, tooltip="Back to the suggested top three"
        ),
        Binding("escape", "app.goto('interview')", "Interview", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._canvas: Canvas | None = None

    def compose(self) -> ComposeResult:
        yield TopBar("review", title=self.bench.session.title)
        yield Static(id="review-top")
        yield Static(id="warnings")
        with Horizontal(id="review-body"):
            yield ReviewTable(id="table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="detail", can_focus=False):
                yield Static(id="detail-text")
        yield Static(id="coverage")
        yield Footer(compact=True)

    async def on_mount(self) -> None:
        self.title = "Review"
        table = self.query_one(ReviewTable)
        table.add_column("Top", key="top", width=3)  # "★1"; the header sets the width
        table.add_column("Activity", key="name")
        table.add_column("Kind", key="kind")
        table.add_column("Score", key="score")
        table.add_column("Decision", key="status")
        table.add_column("Partner", key="partner")
        for guide in GUIDING:
            table.add_column(GUIDE_SHORT[guide], key=guide, width=2)
        await self.refresh_view()
        table.focus()

    # ------------------------------------------------------------------ view

    @property
    def selected(self) -> Activity | None:
        table = self.query_one(ReviewTable)
        if self._canvas is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((a for a in self._canvas.activities if a.id == key), None)

    async def refresh_view(self) -> None:
        canvas = self.bench.canvas()
        self._canvas = canvas
        table = self.query_one(ReviewTable)
        current = self.selected.id if self.selected is not None else None
        table.clear()
        for activity in canvas.activities:
            status, status_style = STATUS_CELLS.get(activity.status, (activity.status, ""))
            dim = "dim" if activity.status == "rejected" else ""
            table.add_row(
                Text(f"★{activity.priority}" if activity.priority else "", style="bold"),
                Text(
                    short_name(activity.name),
                    style=("strike dim" if dim else "bold" if activity.priority else ""),
                ),
                Text(CATEGORY_SHORT.get(activity.category, activity.category), style=dim),
                Text("yours" if activity.custom else f"{activity.score:.2f}", style="dim"),
                Text(status, style=status_style),
                Text("yes" if activity.partner_candidate else "", style=dim),
                *[
                    Text(
                        "●" if g in activity.serves else "·",
                        style=dim or ("" if g in activity.serves else "dim"),
                    )
                    for g in GUIDING
                ],
                key=activity.id,
            )
        if current is not None and current in {a.id for a in canvas.activities}:
            table.move_cursor(row=table.get_row_index(current), animate=False)
        self._show_top(canvas)
        self._show_warnings(canvas)
        self._show_coverage(canvas)
        self._show_detail()
        self.update_bindings()

    def _show_top(self, canvas: Canvas) -> None:
        top = self.query_one("#review-top", Static)
        if not canvas.activities:
            top.update(
                Content.styled(
                    "No activities yet. Answer more of the interview (F2), or add your own with n.",
                    "$text-muted italic",
                )
            )
            return
        parts: list[str | tuple[str, str]] = [("Your top three: ", "bold")]
        if canvas.focus:
            for activity in canvas.focus:
                parts.extend([(f"{activity.priority} ", "bold $text-accent"), activity.name, "   "])
            if len(canvas.focus) < 3 and len(canvas.kept) > len(canvas.focus):
                parts.append(("(t on another picks a third)", "$text-muted"))
        else:
            parts.append(("none picked — press t on an activity", "$text-muted"))
        parts.append(
            ("\nKeep (a) or drop (x) each suggestion; t puts one in your top three.", "$text-muted")
        )
        top.update(Content.assemble(*parts))

    def _show_warnings(self, canvas: Canvas) -> None:
        widget = self.query_one("#warnings", Static)
        shown = [w for w in canvas.warnings if w.kind != "vague"]
        if not shown:
            widget.display = False
            return
        parts: list[str | tuple[str, str]] = []
        for warning in shown:
            if parts:
                parts.append("\n")
            label = {"bloat": "Too many key activities", "coherence": "Does this fit?"}.get(
                warning.kind, warning.kind.capitalize()
            )
            parts.extend([("⚠ " + label + ": ", "bold $text-warning"), warning.message])
        widget.update(Content.assemble(*parts))
        widget.display = True

    def _show_coverage(self, canvas: Canvas) -> None:
        coverage = canvas.coverage
        parts: list[str | tuple[str, str]] = [("Coverage  ", "bold")]
        gaps = []
        for guide in GUIDING:
            count = len(coverage.get(guide, []))
            if count == 0:
                gaps.append(GUIDE_WORDS[guide])
            parts.extend(
                [
                    (GUIDE_SHORT[guide], "bold"),
                    (" " + GUIDE_WORDS[guide], ""),
                    (f" {count}", "bold $text-success" if count else "bold $text-warning"),
                    "   ",
                ]
            )
        if canvas.activities and gaps:
            parts.append(
                (
                    "\n⚠ Nothing you keep serves "
                    + ", ".join(gaps)
                    + " yet: add an activity (n) or revisit those answers (F2).",
                    "$text-warning",
                )
            )
        elif canvas.activities:
            parts.append(
                ("\n✓ Each guiding question is served by an activity you keep.", "$text-success")
            )
        self.query_one("#coverage", Static).update(Content.assemble(*parts))

    def _show_detail(self) -> None:
        activity = self.selected
        detail = self.query_one("#detail-text", Static)
        if activity is None:
            detail.update(Content())
            return
        candidate = next((c for c in self.bench.inference.candidates if c.id == activity.id), None)
        answers = self.bench.interview.effective_answers()
        questions = self.bench.questions()
        content = why(activity, candidate, answers, questions)
        if not activity.kpis:
            content = content + Content.styled(
                "\nNo KPIs yet — press k to add how you'll measure it.", "$text-muted"
            )
        detail.update(content)

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self) -> None:
        self._show_detail()
        self.update_bindings()

    def binding_state(self) -> object:
        selected = self.selected
        return (selected is None, selected is not None and selected.custom)

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.canvas_app.bench is None:
            return False
        if action in ("status", "focus_toggle", "focus_move", "category", "partner", "kpis"):
            return self.selected is not None
        if action == "delete":
            selected = self.selected
            return selected is not None and selected.custom
        return True

    def action_status(self, status: str) -> None:
        activity = self.selected
        if activity is None:
            return
        row = self.query_one(ReviewTable).cursor_row
        # Dropped activities sort last: stay on the same row, so the next one is under
        # the cursor (a quick run of a/x down the list).
        self.change(self.bench.set_status, activity.id, status, then=lambda: self._to_row(row))

    def _to_row(self, row: int) -> None:
        table = self.query_one(ReviewTable)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1), animate=False)

    def action_focus_toggle(self) -> None:
        activity = self.selected
        if activity is not None:
            self.change(self.bench.toggle_focus, activity.id)

    def action_focus_move(self, delta: int) -> None:
        activity = self.selected
        if activity is None:
            return
        if not activity.priority:
            self.notify(
                "Only activities in your top three have a rank. Press t to add it.", timeout=4
            )
            return
        self.change(self.bench.move_focus, activity.id, delta)

    def action_focus_reset(self) -> None:
        self.change(self.bench.reset_focus)

    def action_partner(self) -> None:
        activity = self.selected
        if activity is not None:
            self.change(self.bench.set_partner, activity.id, not activity.partner_candidate)

    def action_category(self) -> None:
        from canvas_tui.ui.screens.dialogs import CategoryDialog

        activity = self.selected
        if activity is None:
            return

        def chosen(category: str | None) -> None:
            if category and category != activity.category:
                self.change(self.bench.set_category, activity.id, category)

        self.app.push_screen(CategoryDialog(activity.name, activity.category), chosen)

    def action_kpis(self) -> None:
        from canvas_tui.ui.screens.dialogs import LinesDialog

        activity = self.selected
        if activity is None:
            return

        def chosen(kpis: list[str] | None) -> None:
            if kpis is not None:
                self.change(self.bench.set_kpis, activity.id, kpis)

        self.app.push_screen(
            LinesDialog(
                f"KPIs · {activity.name}",
                "How will you know this activity is going well? One measure per line, "
                "e.g. “orders shipped within 24 hours”.",
                activity.kpis,
            ),
            chosen,
        )

    def action_new(self) -> None:
        from canvas_tui.ui.screens.dialogs import NewActivityDialog

        def chosen(result: tuple[str, str] | None) -> None:
            if result is not None:
                name, category = result
                self.change(
                    self.bench.add_custom, name, category, then=lambda: self._select_by_name(name)
                )

        self.app.push_screen(NewActivityDialog(), chosen)

    def _select_by_name(self, name: str) -> None:
        if self._canvas is None:
            return
        table = self.query_one(ReviewTable)
        for activity in self._canvas.activities:
            if activity.custom and activity.name == name.strip():
                table.move_cursor(row=table.get_row_index(activity.id), animate=False)

    def action_delete(self) -> None:
        activity = self.selected
        if activity is None:
            return
        if not activity.custom:
            self.notify("Suggested activities can't be deleted — drop them with x.", timeout=4)
            return
        self.change(self.bench.remove_custom, activity.id)
