"""The live side panel: candidate key activities by category, the business type mix,
what the last answer changed, and "why" for the selected activity.

The panel only displays: the interview screen hands it a `PanelState` built from the
workbench after every answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from canvas_tui.core.canvas.model import CATEGORY_TITLES, GUIDE_TITLES, Activity, Canvas
from canvas_tui.core.inference.infer import CATEGORIES, CORE_TYPES, Candidate, Evidence
from canvas_tui.core.workbench import ActivityDiff
from canvas_tui.ui.text import (
    CATEGORY_SHORT,
    CATEGORY_STYLES,
    excerpt,
    highlighted_spans,
    mix_bar,
    percent,
    set_content,
)


@dataclass(frozen=True)
class PanelState:
    canvas: Canvas
    candidates: Mapping[str, Candidate] = field(default_factory=dict)
    answers: Mapping[str, str] = field(default_factory=dict)
    questions: Mapping[str, str] = field(default_factory=dict)  # question id -> prompt
    diff: ActivityDiff = field(default_factory=ActivityDiff)
    diff_title: str = ""
    names: Mapping[str, str] = field(default_factory=dict)  # every id ever seen -> name


def why(
    activity: Activity,
    candidate: Candidate | None,
    answers: Mapping[str, str],
    questions: Mapping[str, str],
) -> Content:
    """Why an activity is suggested: the quotes in context, the rule, the rationale."""
    parts: list[str | tuple[str, str] | Content] = [
        (activity.name, "bold"),
        "\n",
        (
            CATEGORY_TITLES.get(activity.category, activity.category),
            CATEGORY_STYLES.get(activity.category, ""),
        ),
    ]
    if not activity.custom:
        parts.append((f" · score {activity.score:.2f}", "$text-muted"))
    if activity.priority:
        parts.append((f" · ★ top three (#{activity.priority})", "$text-accent"))
    if activity.status != "suggested":
        parts.append((f" · {activity.status}", "italic"))
    evidence = candidate.evidence if candidate is not None else ()
    if evidence:
        parts.append(("\n\nBecause you said", "bold"))
        by_question: dict[str, list[Evidence]] = {}
        for item in evidence:
            by_question.setdefault(item.question, []).append(item)
        for qid, items in by_question.items():
            answer = answers.get(qid, "")
            parts.extend(["\n", (questions.get(qid, qid), "italic $text-muted"), "\n"])
            found = [i for i in items if answer[i.start : i.end] == i.quote]
            if found:
                lo = min(i.start for i in found)
                hi = max(i.end for i in found)
                window, start, _ = excerpt(answer, lo, hi)
                shift = start - lo
                spans = [(i.start + shift, i.end + shift) for i in found]
                parts.append(
                    Content("“")
                    + highlighted_spans(window, spans, "bold reverse $text-accent")
                    + "”"
                )
            for item in items:
                if item not in found:
                    parts.extend(["\n", Content(f"“{item.quote}”")])
            rules = list(dict.fromkeys(i.rule for i in items if i.rule))
            if rules:
                label = "rule: " if len(rules) == 1 else "rules: "
                parts.extend(["\n", (label + ", ".join(rules), "$text-muted")])
    elif activity.evidence:
        parts.append(("\n\nBecause you said", "bold"))
        for ref in activity.evidence:
            parts.extend(["\n", ("“" + ref.quote + "”", "italic")])
    elif activity.custom and not activity.rationale:
        parts.append(("\n\nYou added this activity yourself.", "italic"))
    if activity.rationale:
        parts.extend(["\n\n", activity.rationale])
    if activity.focus_reason:
        parts.extend(["\n", (activity.focus_reason, "italic")])
    if activity.serves:
        served = ", ".join(GUIDE_TITLES.get(s, s) for s in activity.serves)
        parts.extend(["\n\n", ("Serves: ", "bold"), served])
    if activity.kpis:
        parts.extend(["\n", ("Measure it by: ", "bold"), "; ".join(activity.kpis)])
    if activity.partner_candidate:
        hint = activity.partner_hint or "a key partner could do this instead"
        parts.extend(["\n", ("Partner: ", "bold"), hint])
    return Content.assemble(*parts)


def mix_content(canvas: Canvas, width: int) -> Content:
    if canvas.dominant == "unknown" or not any(canvas.mix.get(t, 0.0) for t in CORE_TYPES):
        return Content.assemble(
            mix_bar({}, width), "\n", ("Business type: not clear yet", "$text-muted")
        )
    legend: list[str | tuple[str, str]] = []
    for kind in sorted(CORE_TYPES, key=lambda k: -canvas.mix.get(k, 0.0)):
        share = canvas.mix.get(kind, 0.0)
        if share > 0:
            if legend:
                legend.append("  ")
            legend.append(("■ ", CATEGORY_STYLES[kind]))
            legend.append(f"{CATEGORY_SHORT[kind]} {percent(share)}")
    return Content.assemble(mix_bar(canvas.mix, width), "\n", *legend)


SHOWN_MOVES = 2  # more re-rankings than this are summed up in one line
SHOWN_ADDED = 3  # the list below marks every new one


def notable_moves(diff: ActivityDiff) -> list[tuple[str, int, int]]:
    """The re-rankings worth naming: the biggest jumps (an insertion above moves
    everything below it by one, which is not news)."""
    ranked = sorted(diff.moved, key=lambda m: (-abs(m[1] - m[2]), m[2]))
    return ranked[:SHOWN_MOVES]


def changes_content(state: PanelState) -> Content:
    diff = state.diff
    if diff.empty:
        return Content()
    names = state.names
    parts: list[str | tuple[str, str]] = [(state.diff_title or "What changed", "bold"), "\n"]
    for activity_id in diff.added[:SHOWN_ADDED]:
        parts.extend([("+ ", "bold $text-success"), names.get(activity_id, activity_id), "\n"])
    if len(diff.added) > SHOWN_ADDED:
        more = len(diff.added) - SHOWN_ADDED
        parts.extend([(f"+ and {more} more (marked new below)", "$text-muted"), "\n"])
    for activity_id in diff.removed:
        parts.extend(
            [("− ", "bold $text-error"), (names.get(activity_id, activity_id), "strike"), "\n"]
        )
    shown = notable_moves(diff)
    for activity_id, old, new in shown:
        arrow = "↑" if new < old else "↓"
        parts.extend(
            [
                (f"{arrow} ", "bold $text-warning"),
                names.get(activity_id, activity_id),
                f"  #{old} → #{new}",
                "\n",
            ]
        )
    if len(diff.moved) > len(shown):
        more = len(diff.moved) - len(shown)
        parts.append((f"↕ and {more} more re-ranked", "$text-muted"))
    return Content.assemble(*parts).rstrip()


class CandidateList(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Why?", show=False),
    ]


class ActivityPanel(Vertical):
    """Candidate activities grouped by category, the type mix, changes and "why"."""

    DEFAULT_CSS = """
    ActivityPanel {
        width: 40;
        height: 1fr;
        border-left: vkey $panel-lighten-1;
        padding: 0 1;
        background: $surface;
        #panel-title { text-style: bold; color: $secondary; }
        #mix { height: auto; max-height: 4; margin-bottom: 1; }
        #changes { height: auto; max-height: 7; margin-bottom: 1; display: none; }
        CandidateList { height: auto; max-height: 55%; border: none; padding: 0; background: $surface; }
        CandidateList:focus { border: none; background-tint: $foreground 4%; }
        #why-box { height: 1fr; min-height: 4; border-top: hkey $panel-lighten-1; }
        #why { padding: 0 0 1 0; }
        #empty { color: $text-muted; text-style: italic; }
    }
    """

    def compose(self) -> ComposeResult:
        yield Static("Key activities", id="panel-title")
        yield Static(id="mix")
        yield Static(id="changes")
        yield Static(
            Content(
                "Nothing yet. Answer the first questions and the activities your "
                "business needs will appear here, with the reasons."
            ),
            id="empty",
        )
        yield CandidateList(id="candidates")
        with VerticalScroll(id="why-box", can_focus=False):
            yield Static(id="why")

    state: PanelState | None = None

    def on_mount(self) -> None:
        self.query_one(CandidateList).display = False

    @property
    def candidate_list(self) -> CandidateList:
        return self.query_one(CandidateList)

    def _bar_width(self) -> int:
        return max(10, (self.content_size.width or 36) - 1)

    def show(self, state: PanelState) -> None:
        self.state = state
        canvas = state.canvas
        set_content(self.query_one("#mix", Static), mix_content(canvas, self._bar_width()))
        changes = self.query_one("#changes", Static)
        set_content(changes, changes_content(state))
        self._show_changes()

        options_list = self.candidate_list
        previous = None
        if options_list.highlighted is not None and options_list.option_count:
            previous = options_list.get_option_at_index(options_list.highlighted).id
        added = set(state.diff.added)
        moved = {i: (old, new) for i, old, new in notable_moves(state.diff)}
        options: list[Option] = []
        width = self._bar_width() - 2
        for category in CATEGORIES:
            members = [a for a in canvas.activities if a.category == category]
            if not members:
                continue
            options.append(
                Option(
                    Content.assemble(
                        (CATEGORY_TITLES[category], "bold " + CATEGORY_STYLES[category])
                    ),
                    disabled=True,
                )
            )
            for activity in members:
                options.append(Option(self._line(activity, added, moved, width), id=activity.id))
        signature = [(o.id, o.prompt, o.disabled) for o in options]
        if signature != getattr(self, "_options_shown", None):
            self._options_shown = signature
            options_list.clear_options()
            options_list.add_options(options)
        has_any = bool(canvas.activities)
        options_list.display = has_any
        self.query_one("#why-box").display = has_any
        self.query_one("#empty").display = not has_any
        set_content(
            self.query_one("#panel-title", Static),
            Content.assemble(
                ("Key activities", "bold $text-secondary"),
                (f"  {len(canvas.kept)} on your list", "$text-muted"),
            )
            if has_any
            else Content.styled("Key activities", "bold $text-secondary"),
        )
        target = previous if previous in {a.id for a in canvas.activities} else None
        if target is None and canvas.activities:
            target = canvas.activities[0].id
        if target is not None:
            options_list.highlighted = options_list.get_option_index(target)
        self._show_why(target)

    @staticmethod
    def _line(
        activity: Activity, added: set[str], moved: Mapping[str, tuple[int, int]], width: int
    ) -> Content:
        mark: tuple[str, str] = (
            (f"★{activity.priority} ", "$text-accent") if activity.priority else ("   ", "")
        )
        if activity.status == "rejected":
            mark = ("✗  ", "$text-error")
        tag: tuple[str, str] = ("", "")
        if activity.id in added:
            tag = (" new", "bold $text-success")
        elif activity.id in moved:
            old, new = moved[activity.id]
            tag = (" ↑" if new < old else " ↓", "bold $text-warning")
        score = "" if activity.custom else f"{activity.score:.2f}"
        room = max(6, width - 3 - len(tag[0]) - len(score) - 1)
        name = activity.name if len(activity.name) <= room else activity.name[: room - 1] + "…"
        gap = " " * max(1, room - len(name) + 1)
        style = "strike $text-muted" if activity.status == "rejected" else ""
        return Content.assemble(mark, (name, style), tag, gap, (score, "$text-muted"))

    def _show_changes(self) -> None:
        """What the last answer changed, unless the person is browsing the list: the list
        marks the changes too, and "why" needs the room."""
        state = self.state
        browsing = self.candidate_list.has_focus
        self.query_one("#changes").display = (
            state is not None and not state.diff.empty and not browsing
        )

    def on_descendant_focus(self) -> None:
        self._show_changes()

    def on_descendant_blur(self) -> None:
        self._show_changes()

    @on(OptionList.OptionHighlighted, "#candidates")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_why(event.option.id)

    def _show_why(self, activity_id: str | None) -> None:
        found = self.query("#why")
        if not found:
            return  # not composed yet, or being torn down: the next show paints it
        why_widget = found.first(Static)
        state = self.state
        if state is None or activity_id is None:
            set_content(why_widget, Content())
            return
        activity = next((a for a in state.canvas.activities if a.id == activity_id), None)
        if activity is None:
            set_content(why_widget, Content())
            return
        set_content(
            why_widget,
            why(activity, state.candidates.get(activity_id), state.answers, state.questions),
        )

    def on_resize(self) -> None:
        # The bar and the score column follow the panel's width (it can grow to the
        # whole screen on a narrow terminal).
        if self.state is not None:
            self.show(self.state)
