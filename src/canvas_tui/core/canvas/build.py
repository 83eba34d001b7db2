"""Building a canvas from a session: its answers, the inference and the person's review.

`build_canvas()` orders the activities, picks the focus three and fills the nine blocks
(answers split by `summarise()`, plus the blocks derived from the kept activities). With a
founder's own draft of key activities it also audits the draft against the answers
(`canvas_tui.core.draft`): one `DraftEntry` per drafted line, ``missing_from_draft`` on the
key activities the draft lacks, and the audit's notes as warnings of kind "draft".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

from canvas_tui.core.canvas.model import (
    DOMINANT,
    Activity,
    Canvas,
    CanvasWarning,
    DraftEntry,
    EvidenceRef,
    key_activities,
)
from canvas_tui.core.inference.blocks import partner_key
from canvas_tui.core.inference.catalogue import Catalogue
from canvas_tui.core.inference.infer import CORE_TYPES, Inference, derive_blocks
from canvas_tui.core.inference.results import PartnerMention
from canvas_tui.core.interview.bank import BLOCKS, Bank

if TYPE_CHECKING:
    from canvas_tui.core.draft.parse import Draft
    from canvas_tui.core.interview.decisions import Decisions


class _NoDecisions:
    """What an empty `Decisions()` reads as, read-only: a canvas built without a review
    (`canvas-tui run`) does not load the review's data classes (decisions.py)."""

    activities: Mapping[str, Any] = MappingProxyType({})
    custom: Sequence[Any] = ()
    focus: list[str] | None = None
    blocks: Mapping[str, list[str]] = MappingProxyType({})
    accepted: Mapping[str, list[str]] = MappingProxyType({})


_NO_DECISIONS = _NoDecisions()

_BULLET = re.compile(r"^\s*(?:[-*•·]|\d+[.)])\s+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


def summarise(text: str, *, long: int = 160) -> list[str]:
    """Split an answer into canvas items: its lines or list items, else its sentences.

    The words stay the user's own; only bullets and surrounding space are trimmed.
    """
    lines = [_BULLET.sub("", line).strip() for line in text.splitlines()]
    items = [line for line in lines if line]
    if len(items) == 1 and len(items[0]) > long:
        items = [s.strip() for s in _SENTENCE.split(items[0]) if s.strip()]
    return items


def _rank_key(activity: Activity, rank: int) -> tuple[int, int, int]:
    status_order = {"accepted": 0, "suggested": 1, "rejected": 2}[activity.status]
    if activity.priority:
        return (0, activity.priority, rank)
    return (1 + status_order, 0, rank)


def build_canvas(
    *,
    title: str,
    created: str,
    bank: Bank,
    answers: Mapping[str, str],
    inference: Inference,
    decisions: Decisions | None = None,
    catalogue: Catalogue | None = None,
    notes: Mapping[str, str] | None = None,
    assumptions: Sequence[str] = (),
    questions: Mapping[str, str] | None = None,
    draft: Draft | None = None,
) -> Canvas:
    """Assemble the canvas from effective answers, inference and review decisions.

    Ordering: the focus activities (priority 1–3) first, then accepted, then suggested
    ones in inference rank, rejected last. Focus: the person's own pick when they made
    one, else the inferred top three with any rejected one replaced by the next best.
    """
    if decisions is None:  # no review (canvas-tui run): an empty one, without its classes
        decisions = cast("Decisions", _NO_DECISIONS)
    activities: list[Activity] = []
    for candidate in inference.candidates:
        decision = decisions.activities.get(candidate.id)
        activities.append(
            Activity(
                id=candidate.id,
                name=(decision.name if decision and decision.name else candidate.name),
                category=(
                    decision.category if decision and decision.category else candidate.category
                ),
                score=round(float(candidate.score), 4),
                priority=0,
                status=decision.status if decision else "suggested",
                evidence=tuple(
                    EvidenceRef(e.question, e.quote, e.rule) for e in candidate.evidence
                ),
                rationale=candidate.rationale,
                kpis=tuple(decision.kpis)
                if decision and decision.kpis is not None
                else tuple(candidate.kpis),
                partner_candidate=(
                    decision.partner_candidate
                    if decision and decision.partner_candidate is not None
                    else candidate.partner_candidate
                ),
                partner_hint=candidate.partner_hint,
                serves=tuple(candidate.serves),
                focus_reason=candidate.focus_reason,
            )
        )
    for custom in decisions.custom:
        activities.append(
            Activity(
                id=custom.id,
                name=custom.name,
                category=custom.category,
                score=1.0,
                status=custom.status,
                rationale=custom.rationale or "Added by you.",
                kpis=tuple(custom.kpis),
                partner_candidate=custom.partner_candidate,
            )
        )
    by_id = {a.id: a for a in activities}
    rank = {a.id: i for i, a in enumerate(activities)}
    picked = decisions.focus is not None
    chosen = [i for i in decisions.focus or [] if i in by_id and by_id[i].status != "rejected"][:3]
    if not picked:
        inferred = [
            c.id for c in sorted(inference.candidates, key=lambda c: c.priority) if c.priority > 0
        ]
        for activity_id in inferred:
            if by_id[activity_id].status != "rejected":
                chosen.append(activity_id)
        if len(inferred) and len(chosen) < len(inferred):
            for activity in activities:
                if len(chosen) >= len(inferred):
                    break
                if activity.status != "rejected" and activity.id not in chosen:
                    chosen.append(activity.id)
    inferred_rank = {c.id: c.priority for c in inference.candidates if c.priority > 0}
    for priority, activity_id in enumerate(chosen, start=1):
        activity = by_id[activity_id]
        reason = _focus_reason(activity, priority, inferred_rank.get(activity_id, 0), picked)
        by_id[activity_id] = _replace(activity, priority=priority, focus_reason=reason)
    ordered = sorted(by_id.values(), key=lambda a: _rank_key(a, rank[a.id]))
    ordered = [a if a.priority else _replace(a, focus_reason="") for a in ordered]

    # The kept activities drive the derived blocks: what the person accepted (with the
    # focus), or, before any review, the focus and the next best up to five.
    kept = key_activities(ordered)
    entries: tuple[DraftEntry, ...] = ()
    draft_notes: tuple[str, ...] = ()
    if draft is not None:
        entries, missing, draft_notes = _audit(draft, answers, inference, catalogue, bank, kept)
        ordered = [_replace(a, missing_from_draft=True) if a.id in missing else a for a in ordered]

    blocks: dict[str, list[str]] = {b: [] for b in BLOCKS}
    for qid, text in answers.items():
        question = bank.question(qid)
        if question is not None and question.block:
            for item in summarise(text):
                if item not in blocks[question.block]:
                    blocks[question.block].append(item)
    blocks["key_activities"] = [a.name for a in kept]
    # the other blocks of a draft canvas: the founder's own words, after the answers'
    from_draft: dict[str, tuple[str, ...]] = {}
    for block, given in (draft.blocks if draft is not None else {}).items():
        if block in blocks and block != "key_activities" and given:
            for item in given:
                if item not in blocks[block]:
                    blocks[block].append(item)
            from_draft[block] = tuple(dict.fromkeys(given))
    own = {b: set(items) for b, items in blocks.items()}  # the answers' and the draft's
    derived, generated = _derive(kept, catalogue, inference.partners)
    for block, items in derived.items():
        for item in items:
            if block == "key_partners" and _named_already(item, blocks[block]):
                continue
            if item not in blocks[block]:
                blocks[block].append(item)
    for block, items in decisions.blocks.items():
        if block in blocks:
            blocks[block] = list(items)
    # suggestions: the generated entries still there and not accepted, after the user's own
    suggested: dict[str, tuple[str, ...]] = {}
    for block, made in generated.items():
        mine = set(decisions.accepted.get(block, ())) | own.get(block, set())
        marked = [i for i in blocks[block] if i in made and i not in mine]
        if marked:
            suggested[block] = tuple(marked)
            blocks[block] = [i for i in blocks[block] if i not in suggested[block]] + marked

    prompts = dict(questions or {})
    prompts.update(bank.prompts(qid for qid in answers if qid not in prompts))
    return Canvas(
        title=title,
        created=created,
        bank=bank.label,
        blocks={b: tuple(items) for b, items in blocks.items()},
        dominant=inference.dominant if inference.dominant in DOMINANT else "unknown",
        mix={t: float(inference.mix.get(t, 0.0)) for t in CORE_TYPES},
        activities=tuple(ordered),
        answers=dict(answers),
        questions=prompts,
        warnings=tuple(
            CanvasWarning(w.kind, w.message, tuple(w.activities)) for w in inference.warnings
        )
        + tuple(CanvasWarning("draft", note) for note in draft_notes),
        notes=dict(notes or {}),
        assumptions=tuple(assumptions),
        draft=entries,
        draft_blocks={
            b: tuple(i for i in items if i in blocks[b])
            for b, items in from_draft.items()
            if any(i in blocks[b] for i in items)
        },
        suggested=suggested,
    )


def _audit(
    draft: Draft,
    answers: Mapping[str, str],
    inference: Inference,
    catalogue: Catalogue | None,
    bank: Bank,
    kept: Sequence[Activity],
) -> tuple[tuple[DraftEntry, ...], frozenset[str], tuple[str, ...]]:
    """The draft audited against the answers: its entries, the key activities it lacks
    (the canvas's own key activities, `key_activities()`), and its notes."""
    from canvas_tui.core.draft.audit import audit_draft
    from canvas_tui.core.inference.catalogue import default_catalogue

    audit = audit_draft(
        draft,
        answers,
        inference,
        catalogue or default_catalogue(),
        sections=bank.sections(),
        key_ids=[a.id for a in kept],
    )
    entries = tuple(
        DraftEntry(
            text=v.text,
            id=v.id,
            verdict=v.verdict,
            reason=v.reason,
            name=v.name,
            category=v.category,
            line=v.line,
            label=v.label,
            evidence=(EvidenceRef(v.question, v.quote),) if v.quote else (),
        )
        for v in audit.verdicts
    )
    return entries, frozenset(audit.missing_ids), audit.notes


_ORDINAL = {1: "first", 2: "second", 3: "third"}


def _focus_reason(activity: Activity, priority: int, inferred: int, picked: bool) -> str:
    """Why `activity` is priority `priority`: the inference's reason when that is still
    its rank; else the person's order (or a dropped suggestion) first, then the evidence."""
    reason = activity.focus_reason
    chosen = "You picked it as one of the three activities to focus on."
    if inferred == priority:
        return reason or (chosen if picked else "")
    if picked:
        why = f"you put it {_ORDINAL.get(priority, str(priority))} of the three to focus on"
    else:
        why = "a suggestion ranked above it was dropped"
    said = f"Priority {priority}: {why}."
    prefix = f"Priority {inferred}: "
    if inferred and reason.startswith(prefix):
        rest = reason[len(prefix) :]
        said += f" The evidence alone ranked it {_ORDINAL.get(inferred, str(inferred))}: {rest}"
    elif not inferred and picked:
        said = chosen
    return said


def _replace(activity: Activity, **changes: Any) -> Activity:
    from dataclasses import replace

    return replace(activity, **changes)


def _named_already(item: str, written: Sequence[str]) -> bool:
    """A derived partner the person's own Key Partners answer already names."""
    key = partner_key(item)
    return bool(key) and any(key in w.lower() for w in written)


#: At most this many generated resources (and costs) per kept activity: the catalogue's
#: first ones, marked as suggestions (issue 13).
SUGGESTIONS_PER_ACTIVITY = 2


def _derive(
    kept: Sequence[Activity], catalogue: Catalogue | None, partners: Sequence[PartnerMention] = ()
) -> tuple[dict[str, list[str]], dict[str, set[str]]]:
    """The derived blocks, and per block the entries that are generated suggestions.

    Key resources and costs: at most `SUGGESTIONS_PER_ACTIVITY` per kept activity, all
    suggestions. Key partners: the partners the answers name (the user's words), then the
    kind of partner a partner-candidate activity could use (a suggestion)."""
    if catalogue is None:
        return {}, {}
    derived = derive_blocks([(a.id, a.partner_candidate) for a in kept], catalogue, partners)
    named = set(derive_blocks([], catalogue, partners)["key_partners"])
    generated: dict[str, set[str]] = {
        "key_partners": {i for i in derived["key_partners"] if i not in named},
        "key_resources": set(),
        "cost_structure": set(),
    }
    for block in ("key_resources", "cost_structure"):
        items: list[str] = []
        for activity in kept:
            # with the named partners: work a partner does brings its fees, not its kit
            own = derive_blocks([(activity.id, False)], catalogue, partners)[block]
            for item in own[:SUGGESTIONS_PER_ACTIVITY]:
                if item not in items:
                    items.append(item)
        derived[block] = items
        generated[block] = set(items)
    return derived, generated
