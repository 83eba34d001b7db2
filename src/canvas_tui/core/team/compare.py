"""Compare two canvases of the same business over time (`canvas-tui diff OLD NEW`).

A canvas is revisited as the market moves; `diff_canvases(old, new)` says what changed:

* activities added and removed (by activity id);
* re-ranked: the priority changed (the top three), or the activity moved relative to the
  activities both canvases share — so one new activity at the top does not make every
  activity below it "re-ranked". Ranks shown are positions in each canvas's list (1 = best);
* re-categorised (category changed), status changes (suggested / accepted / rejected), and
  other edits (name, KPIs, partner candidate);
* the business type mix: the shift per type, and whether the dominant type changed;
* the blocks: items added and removed per block (order changes are not reported).

Pure functions of two `Canvas` values; the CLI reads the files and renders the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from canvas_tui.core.canvas.model import BLOCK_TITLES, CATEGORY_TITLES, Activity, Canvas
from canvas_tui.core.formatting import percent, percent_points
from canvas_tui.core.inference.infer import CORE_TYPES
from canvas_tui.core.interview.bank import BLOCKS
from canvas_tui.core.team.reports import (
    TYPE_TITLES,
    num,
    render_template,
    text_report,
    to_json,
)

DIFF_FORMAT = "canvas-tui-diff/1"
__all__ = [  # TYPE_TITLES moved to reports; still importable from here
    "TYPE_TITLES",
    "CanvasDiff",
    "diff_canvases",
    "diff_json",
    "diff_markdown",
    "diff_text",
    "render_diff",
]


@dataclass(frozen=True)
class Side:
    """One canvas's identity in a diff: title, creation time, bank and file."""

    title: str
    created: str
    bank: str
    file: str = ""


@dataclass(frozen=True)
class ActivityRef:
    id: str
    name: str
    category: str
    status: str
    priority: int
    rank: int  # 1-based position in its canvas's list


@dataclass(frozen=True)
class Reranked:
    id: str
    name: str
    old_rank: int
    new_rank: int
    old_priority: int
    new_priority: int


@dataclass(frozen=True)
class Changed:
    """One field of one activity that differs: category, status, name, kpis, partner."""

    id: str
    name: str
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class TypeShift:
    type: str
    old: float
    new: float

    @property
    def delta(self) -> float:
        return round(self.new - self.old, 6)


@dataclass(frozen=True)
class BlockChange:
    block: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class CanvasDiff:
    old: Side
    new: Side
    added: tuple[ActivityRef, ...] = ()
    removed: tuple[ActivityRef, ...] = ()
    reranked: tuple[Reranked, ...] = ()
    recategorised: tuple[Changed, ...] = ()
    status_changes: tuple[Changed, ...] = ()
    edits: tuple[Changed, ...] = ()  # name, kpis, partner_candidate
    focus_old: tuple[str, ...] = ()
    focus_new: tuple[str, ...] = ()
    mix: tuple[TypeShift, ...] = ()
    dominant_old: str = "unknown"
    dominant_new: str = "unknown"
    blocks: tuple[BlockChange, ...] = ()  # only the blocks that changed
    names: dict[str, str] = field(default_factory=dict)  # activity id -> name (new, else old)

    @property
    def dominant_changed(self) -> bool:
        return self.dominant_old != self.dominant_new

    @property
    def mix_changed(self) -> bool:
        return any(abs(s.delta) >= 0.005 for s in self.mix)

    @property
    def focus_changed(self) -> bool:
        return self.focus_old != self.focus_new

    @property
    def activities_changed(self) -> bool:
        return bool(
            self.added
            or self.removed
            or self.reranked
            or self.recategorised
            or self.status_changes
            or self.edits
        )

    @property
    def empty(self) -> bool:
        return not (
            self.activities_changed
            or self.focus_changed
            or self.mix_changed
            or self.dominant_changed
            or self.blocks
        )

    def to_dict(self) -> dict[str, Any]:
        def side(s: Side) -> dict[str, str]:
            return {"title": s.title, "created": s.created, "bank": s.bank, "file": s.file}

        def ref(a: ActivityRef) -> dict[str, Any]:
            return {
                "id": a.id,
                "name": a.name,
                "category": a.category,
                "status": a.status,
                "priority": a.priority,
                "rank": a.rank,
            }

        def changed(c: Changed) -> dict[str, Any]:
            return {
                "id": c.id,
                "name": c.name,
                "field": c.field,
                "old": list(c.old) if isinstance(c.old, tuple) else c.old,
                "new": list(c.new) if isinstance(c.new, tuple) else c.new,
            }

        return {
            "format": DIFF_FORMAT,
            "old": side(self.old),
            "new": side(self.new),
            "changed": not self.empty,
            "activities": {
                "added": [ref(a) for a in self.added],
                "removed": [ref(a) for a in self.removed],
                "reranked": [
                    {
                        "id": r.id,
                        "name": r.name,
                        "old_rank": r.old_rank,
                        "new_rank": r.new_rank,
                        "old_priority": r.old_priority,
                        "new_priority": r.new_priority,
                    }
                    for r in self.reranked
                ],
                "recategorised": [changed(c) for c in self.recategorised],
                "status_changes": [changed(c) for c in self.status_changes],
                "edits": [changed(c) for c in self.edits],
            },
            "focus": {
                "old": list(self.focus_old),
                "new": list(self.focus_new),
                "changed": self.focus_changed,
            },
            "business_type": {
                "dominant": {
                    "old": self.dominant_old,
                    "new": self.dominant_new,
                    "changed": self.dominant_changed,
                },
                "mix": {s.type: {"old": s.old, "new": s.new, "delta": s.delta} for s in self.mix},
            },
            "blocks": {
                b.block: {"added": list(b.added), "removed": list(b.removed)} for b in self.blocks
            },
        }


# --------------------------------------------------------------------------- computing


def _refs(activities: Sequence[Activity]) -> dict[str, ActivityRef]:
    refs: dict[str, ActivityRef] = {}
    for rank, a in enumerate(activities, start=1):
        # A canvas should not list an id twice; if it does, the first (best) one counts.
        refs.setdefault(a.id, ActivityRef(a.id, a.name, a.category, a.status, a.priority, rank))
    return refs


def _items_added(before: Sequence[str], after: Sequence[str]) -> tuple[str, ...]:
    seen = {" ".join(i.split()) for i in before}
    out: list[str] = []
    for item in after:
        key = " ".join(item.split())
        if key not in seen and item not in out:
            out.append(item)
    return tuple(out)


def diff_canvases(
    old: Canvas, new: Canvas, *, old_file: str = "", new_file: str = ""
) -> CanvasDiff:
    old_refs, new_refs = _refs(old.activities), _refs(new.activities)
    old_by_id = {a.id: a for a in reversed(old.activities)}
    new_by_id = {a.id: a for a in reversed(new.activities)}

    added = tuple(r for i, r in new_refs.items() if i not in old_refs)
    removed = tuple(r for i, r in old_refs.items() if i not in new_refs)

    shared = [i for i in new_refs if i in old_refs]
    # Relative order among the shared activities, in each canvas.
    old_order = {i: n for n, i in enumerate(sorted(shared, key=lambda i: old_refs[i].rank))}
    new_order = {i: n for n, i in enumerate(shared)}
    reranked: list[Reranked] = []
    recategorised: list[Changed] = []
    statuses: list[Changed] = []
    edits: list[Changed] = []
    for i in shared:
        o, n = old_by_id[i], new_by_id[i]
        name = n.name
        if old_order[i] != new_order[i] or o.priority != n.priority:
            reranked.append(
                Reranked(i, name, old_refs[i].rank, new_refs[i].rank, o.priority, n.priority)
            )
        if o.category != n.category:
            recategorised.append(Changed(i, name, "category", o.category, n.category))
        if o.status != n.status:
            statuses.append(Changed(i, name, "status", o.status, n.status))
        if o.name != n.name:
            edits.append(Changed(i, name, "name", o.name, n.name))
        if tuple(o.kpis) != tuple(n.kpis):
            edits.append(Changed(i, name, "kpis", tuple(o.kpis), tuple(n.kpis)))
        if o.partner_candidate != n.partner_candidate:
            edits.append(
                Changed(i, name, "partner_candidate", o.partner_candidate, n.partner_candidate)
            )
    reranked.sort(key=lambda r: (r.new_priority or 9, r.new_rank))

    blocks = []
    for block in BLOCKS:
        before = tuple(old.blocks.get(block, ()))
        after = tuple(new.blocks.get(block, ()))
        plus, minus = _items_added(before, after), _items_added(after, before)
        if plus or minus:
            blocks.append(BlockChange(block, plus, minus))

    names = {a.id: a.name for a in old.activities} | {a.id: a.name for a in new.activities}
    return CanvasDiff(
        old=Side(old.title, old.created, old.bank, old_file),
        new=Side(new.title, new.created, new.bank, new_file),
        added=added,
        removed=removed,
        reranked=tuple(reranked),
        recategorised=tuple(recategorised),
        status_changes=tuple(statuses),
        edits=tuple(edits),
        focus_old=tuple(a.id for a in old.focus),
        focus_new=tuple(a.id for a in new.focus),
        mix=tuple(
            TypeShift(t, float(old.mix.get(t, 0.0)), float(new.mix.get(t, 0.0))) for t in CORE_TYPES
        ),
        dominant_old=old.dominant,
        dominant_new=new.dominant,
        blocks=tuple(blocks),
        names=names,
    )


# --------------------------------------------------------------------------- rendering


def _priority(p: int) -> str:
    return f"priority {p}" if p else "no priority"


def _value(field_name: str, value: Any) -> str:
    if field_name == "kpis":
        return ", ".join(value) if value else "(none)"
    if field_name == "partner_candidate":
        return "yes" if value else "no"
    if field_name == "category":
        return CATEGORY_TITLES.get(value, str(value))
    return str(value)


def diff_json(diff: CanvasDiff) -> str:
    return to_json(diff.to_dict())


def diff_text(diff: CanvasDiff) -> str:
    """A plain summary for the terminal: one line per change."""
    lines = [
        f"--- {diff.old.title} ({diff.old.created}){'  ' + diff.old.file if diff.old.file else ''}",
        f"+++ {diff.new.title} ({diff.new.created}){'  ' + diff.new.file if diff.new.file else ''}",
    ]
    if diff.old.bank != diff.new.bank:
        lines.append(f"bank: {diff.old.bank} -> {diff.new.bank}")
    if diff.empty:
        lines.append("no changes")
        return text_report(lines)
    for a in diff.added:
        lines.append(
            f"+ {a.name} [{a.id}] added: {CATEGORY_TITLES.get(a.category, a.category)}, "
            f"{a.status}, rank {a.rank}" + (f", priority {a.priority}" if a.priority else "")
        )
    for a in diff.removed:
        lines.append(f"- {a.name} [{a.id}] removed (was rank {a.rank}, {a.status})")
    for r in diff.reranked:
        lines.append(
            f"~ {r.name} [{r.id}] re-ranked: rank {r.old_rank} -> {r.new_rank}, "
            f"{_priority(r.old_priority)} -> {_priority(r.new_priority)}"
        )
    for c in diff.recategorised:
        lines.append(
            f"~ {c.name} [{c.id}] re-categorised: {_value('category', c.old)} -> "
            f"{_value('category', c.new)}"
        )
    for c in diff.status_changes:
        lines.append(f"~ {c.name} [{c.id}] status: {c.old} -> {c.new}")
    for c in diff.edits:
        lines.append(
            f"~ {c.name} [{c.id}] {c.field}: {_value(c.field, c.old)} -> {_value(c.field, c.new)}"
        )
    if diff.focus_changed:
        old = ", ".join(diff.names.get(i, i) for i in diff.focus_old) or "(none)"
        new = ", ".join(diff.names.get(i, i) for i in diff.focus_new) or "(none)"
        lines.append(f"top three: {old} -> {new}")
    if diff.dominant_changed:
        lines.append(
            f"dominant type: {TYPE_TITLES[diff.dominant_old]} -> {TYPE_TITLES[diff.dominant_new]}"
        )
    if diff.mix_changed:
        shifts = ", ".join(
            f"{TYPE_TITLES[s.type]} {percent(s.old)} -> {percent(s.new)} ({percent_points(s.delta)})"
            for s in diff.mix
        )
        lines.append(f"type mix: {shifts}")
    for b in diff.blocks:
        for item in b.added:
            lines.append(f"+ {BLOCK_TITLES[b.block]}: {item}")
        for item in b.removed:
            lines.append(f"- {BLOCK_TITLES[b.block]}: {item}")
    return text_report(lines)


def diff_markdown(diff: CanvasDiff) -> str:
    return render_template("diff.md.j2", diff=diff, value=_value, num=num)


def render_diff(diff: CanvasDiff, fmt: str) -> str:
    from canvas_tui.core.team.reports import render_report

    return render_report(
        fmt,
        json=lambda: diff_json(diff),
        md=lambda: diff_markdown(diff),
        text=lambda: diff_text(diff),
    )
