"""Review: the suggested activities as a table; decide, focus, measure.

The coverage matrix is part of the table (one column per guiding question), with a
summary line under it; the bloat and coherence warnings sit above it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Static

from canvas_tui.core.canvas.model import Activity, Canvas
from canvas_tui.core.inference.infer import GUIDING
from canvas_tui.ui.screens.base import BenchScreen
from canvas_tui.ui.screens.dialogs import ConfirmDialog
from canvas_tui.ui.text import CATEGORY_SHORT
from canvas_tui.ui.widgets.activity_panel import why
from canvas_tui.ui.widgets.draft_panel import DraftPanel
from canvas_tui.ui.widgets.footer import KeyFooter
from canvas_tui.ui.widgets.topbar import TopBar

GUIDE_SHORT = {"value_proposition": "VP", "channels": "CH", "relationships": "CR", "revenue": "RS"}
GUIDE_WORDS = {
    "value_proposition": "offer",
    "channels": "channels",
    "relationships": "relationships",
    "revenue": "revenue",
}
GUIDE_LONG = {**GUIDE_WORDS, "value_proposition": "value proposition"}
STATUS_CELLS = {
    "accepted": ("✓ keep", "bold green"),
    "rejected": ("✗ drop", "red"),
    "suggested": ("undecided", "dim"),
}


RANK = Binding.Group("Rank", compact=True)


NAME_WIDTH = 30  # longer names are cut in the table (the details show them whole)


def short_name(name: str) -> str:
    return name if len(name) <= NAME_WIDTH else name[: NAME_WIDTH - 1] + "…"


class ReviewTable(DataTable):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Details", show=False),
    ]


class ReviewScreen(BenchScreen):
    #: The keys that matter most here, first: what the footer keeps when space is short.
    FOOTER_ORDER: ClassVar[tuple[str, ...]] = (
        "status('accepted')",
        "status('rejected')",
        "focus_toggle",
        "undo",
        "new",
        "focus_move(-1)",
        "partners",
        "focus_move(1)",
        "delete",
        "status('suggested')",
        "kpis",
        "partner",
        "category",
    )

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
        Binding("e", "partners", "Partners", tooltip="Edit the key partners of your canvas"),
        Binding("d", "delete", "Delete", tooltip="Delete an activity you added"),
        Binding(
            "ctrl+z", "undo", "Undo", tooltip="Undo the last change here (drop, delete, order)"
        ),
        Binding(
            "T", "focus_reset", "Reset top 3", show=False, tooltip="Back to the suggested top three"
        ),
        Binding("w", "warnings", "Warnings", show=False, tooltip="Show or fold the warnings"),
        Binding("v", "draft_view", "Draft", tooltip="Your own draft: show or fold its audit"),
        Binding("V", "app.draft", "Audit my draft", show=False, tooltip="Paste or open a draft"),
        Binding("]", "detail_scroll(1)", "Why ↓", show=False, tooltip="Scroll the details down"),
        Binding("[", "detail_scroll(-1)", "Why ↑", show=False, tooltip="Scroll the details up"),
        Binding(
            "escape",
            "app.goto('interview')",
            "Interview",
            show=False,
            tooltip="Back to the interview",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._canvas: Canvas | None = None
        self._columns_shown: tuple[str, ...] = ()
        self.warnings_open = False  # folded to one line: the table gets the height

    def compose(self) -> ComposeResult:
        yield TopBar("review", title=self.bench.session.title)
        yield Static(id="review-top")
        yield Static(id="warnings")
        with Horizontal(id="review-body"):
            yield ReviewTable(id="table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="detail", can_focus=False):
                yield Static(id="detail-text")
            yield DraftPanel(id="draft-panel")
        yield Static(id="coverage")
        yield KeyFooter()

    async def on_mount(self) -> None:
        self.title = "Review"
        await self.refresh_view()
        self.query_one(ReviewTable).focus()

    @staticmethod
    def columns_for(width: int, names: list[str]) -> tuple[str, ...]:
        """The table's columns at `width`: when they do not all fit, the VP/CH/CR/RS marks
        go first (the line under the table counts them), then Kind (shown in the details),
        then Partner (also in the details); no column is ever cut."""
        need = {
            "top": 3,
            "name": max([8, *(len(short_name(n)) for n in names)]),
            "kind": 15,
            "score": 5,
            "status": 9,
            "partner": 7,
        }
        need |= dict.fromkeys(GUIDING, 2)
        columns = list(need)
        for drop in (*reversed(GUIDING), "kind", "partner"):
            if sum(need[c] + 2 for c in columns) + 2 <= width:
                break
            columns.remove(drop)
        return tuple(columns)

    def on_resize(self) -> None:
        if self._canvas is not None and self._columns_shown != self._columns():
            self.run_worker(self.refresh_view(), group="columns")

    def _columns(self) -> tuple[str, ...]:
        names = [a.name for a in self._canvas.activities] if self._canvas else []
        beside = self.query_one(DraftPanel).side_width(self.size.width)
        return self.columns_for(self.size.width - beside, names)

    def action_draft_view(self) -> None:
        """Fold or unfold the draft's audit; without a draft, ask for one."""
        panel = self.query_one(DraftPanel)
        if not panel.has_draft:
            self.canvas_app.action_draft()
            return
        panel.toggle(self.size.width)
        if self._columns_shown != self._columns():
            self.run_worker(self.refresh_view(), group="columns")

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
        self.query_one(DraftPanel).show(canvas)
        table = self.query_one(ReviewTable)
        current = self.selected.id if self.selected is not None else None
        columns = self._columns()
        self._columns_shown = columns
        table.clear(columns=True)
        headers = {"top": "Top", "name": "Activity", "kind": "Kind", "score": "Score"}
        headers |= {"status": "Decision", "partner": "Partner", **GUIDE_SHORT}
        for key in columns:
            width = 3 if key == "top" else 2 if key in GUIDING else None
            table.add_column(headers[key], key=key, width=width)
        for activity in canvas.activities:
            status, status_style = STATUS_CELLS.get(activity.status, (activity.status, ""))
            dim = "dim" if activity.status == "rejected" else ""
            cells = {
                "top": Text(f"★{activity.priority}" if activity.priority else "", style="bold"),
                "name": Text(
                    short_name(activity.name),
                    style=("strike dim" if dim else "bold" if activity.priority else ""),
                ),
                "kind": Text(CATEGORY_SHORT.get(activity.category, activity.category), style=dim),
                "score": Text("yours" if activity.custom else f"{activity.score:.2f}", style="dim"),
                "status": Text(status, style=status_style),
                "partner": Text("yes" if activity.partner_candidate else "", style=dim),
            }
            if activity.missing_from_draft:  # key, and the founder's draft lacks it
                cells["name"].append(" +", style="bold yellow")
            for g in GUIDING:
                cells[g] = Text(
                    "●" if g in activity.serves else "·",
                    style=dim or ("" if g in activity.serves else "dim"),
                )
            table.add_row(*[cells[key] for key in columns], key=activity.id)
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
        partners = canvas.blocks.get("key_partners", ())
        parts.append(("\nKey partners: ", "bold"))
        if partners:
            parts.extend([("; ".join(partners), ""), ("  e edits them", "$text-muted")])
        else:
            parts.append(
                ("none yet — p marks partner work, e adds the partners you have", "$text-muted")
            )
        top.update(Content.assemble(*parts))

    def _show_warnings(self, canvas: Canvas) -> None:
        widget = self.query_one("#warnings", Static)
        shown = [w for w in canvas.warnings if w.kind != "vague"]
        if not shown:
            widget.display = False
            return
        labels = {
            "bloat": "Too many key activities",
            "coherence": "Does this fit?",
            "draft": "Your draft",
        }
        parts: list[str | tuple[str, str]] = []
        if not self.warnings_open:
            # one line; `w` unfolds them all
            names = " · ".join(
                dict.fromkeys(labels.get(w.kind, w.kind.capitalize()) for w in shown)
            )
            count = f"{len(shown)} warning{'s' if len(shown) > 1 else ''}: "
            parts.extend(
                [("⚠ " + count, "bold $text-warning"), names, ("  w shows them", "$text-muted")]
            )
        else:
            for warning in shown:
                if parts:
                    parts.append("\n")
                label = labels.get(warning.kind, warning.kind.capitalize())
                parts.extend([("⚠ " + label + ": ", "bold $text-warning"), warning.message])
            parts.append(("\nw folds them", "$text-muted"))
        widget.set_class(not self.warnings_open, "-folded")
        widget.update(Content.assemble(*parts))
        widget.display = True

    def action_warnings(self) -> None:
        self.warnings_open = not self.warnings_open
        if self._canvas is not None:
            self._show_warnings(self._canvas)

    def action_detail_scroll(self, lines: int) -> None:
        detail = self.query_one("#detail", VerticalScroll)
        detail.scroll_relative(y=lines * max(1, detail.size.height - 1), animate=False)

    def _show_coverage(self, canvas: Canvas) -> None:
        coverage = canvas.coverage
        parts: list[str | tuple[str, str]] = [("Not dropped, per question: ", "bold")]
        for guide in GUIDING:
            count = len(coverage.get(guide, []))
            parts.extend(
                [
                    (GUIDE_SHORT[guide], "bold"),
                    (" " + GUIDE_WORDS[guide], ""),
                    (f" {count}", "bold $text-success" if count else "bold $text-warning"),
                    " · " if guide != GUIDING[-1] else "",
                ]
            )
        kept = [a for a in canvas.activities if a.status == "accepted"]
        gaps = [GUIDE_LONG[g] for g in GUIDING if not any(g in a.serves for a in kept)]
        if not canvas.activities:
            pass
        elif not kept:
            parts.append(
                ("\nNothing kept yet: keep (a) the activities you will really do.", "$text-muted")
            )
        elif gaps:
            parts.append(
                (
                    "\n⚠ Nothing you keep serves "
                    + ", ".join(gaps)
                    + " yet: keep or add an activity (n), or revisit those answers (F2).",
                    "$text-warning",
                )
            )
        else:
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
        bench = self.canvas_app.bench
        return (
            selected is None,
            selected is not None and selected.custom,
            bench is not None and bench.can_undo(),
        )

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.canvas_app.bench is None:
            return False
        if action in ("status", "focus_toggle", "focus_move", "category", "partner", "kpis"):
            return self.selected is not None
        if action == "delete":
            selected = self.selected
            return selected is not None and selected.custom
        if action == "undo":
            return self.bench.can_undo()
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

    def action_undo(self) -> None:
        self._undo()

    @work(group="core")
    async def _undo(self) -> None:
        what = await self.canvas_app.core(self.bench.undo)
        await self.refresh_view()
        if what is not None:
            self.notify(f"Undone: {what}.", title="Undo", markup=False, timeout=4)

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

    def action_partners(self) -> None:
        """Edit the key partners: those the answers name and those that could do the
        activities marked as partner work, as the canvas shows them."""
        from canvas_tui.ui.screens.dialogs import LinesDialog

        current = self.bench.canvas().blocks.get("key_partners", ())

        def chosen(items: list[str] | None) -> None:
            if items is not None and items != list(current):
                self.change(self.bench.edit_block, "key_partners", items)

        self.app.push_screen(
            LinesDialog(
                "Key partners",
                "Who works with you to deliver: suppliers, couriers, insurers, platforms. "
                "One per line; what they do in brackets helps, e.g. “PostNL (webshop "
                "deliveries)”. The canvas screen (F4) shows them in Key Partners.",
                current,
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

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.change(self.bench.remove_custom, activity.id)

        self.app.push_screen(
            ConfirmDialog(
                "Delete your activity?",
                Content.assemble((activity.name, "bold"), "\nand its KPIs will be gone."),
                yes="Delete",
                no="Keep it",
            ),
            confirmed,
        )
