"""The canvas: nine blocks plus the key activities in detail (schema ``canvas-tui/1``).

`Canvas.to_dict()` is exactly the structure the TOML and JSON exports write
(CONTRACTS.md §2, plus extension keys: ``answers``, ``questions``, ``coverage``,
``warnings``, ``notes``, ``assumptions``); `Canvas.from_dict()` reads it back with
validation, so a canvas file is the source of truth: TOML → Canvas → TOML is the identity.

`build_canvas()` assembles a canvas from a session's answers, the inference and the
person's review decisions.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from canvas_tui import __version__
from canvas_tui.core.errors import CanvasFileError
from canvas_tui.core.inference.infer import CATEGORIES, CORE_TYPES, GUIDING, Inference
from canvas_tui.core.interview.bank import BLOCKS, Bank

if TYPE_CHECKING:
    from canvas_tui.core.interview.session import Decisions

SCHEMA = "canvas-tui/1"
STATUSES = ("suggested", "accepted", "rejected")
DOMINANT = (*CORE_TYPES, "unknown")
GENERATOR = f"canvas-tui {__version__}"

BLOCK_TITLES: dict[str, str] = {
    "customer_segments": "Customer Segments",
    "value_propositions": "Value Propositions",
    "channels": "Channels",
    "customer_relationships": "Customer Relationships",
    "revenue_streams": "Revenue Streams",
    "key_resources": "Key Resources",
    "key_activities": "Key Activities",
    "key_partners": "Key Partners",
    "cost_structure": "Cost Structure",
}
CATEGORY_TITLES: dict[str, str] = {
    "production": "Production",
    "problem_solving": "Problem solving",
    "platform_network": "Platform / network",
    "supporting": "Supporting",
}
GUIDE_TITLES: dict[str, str] = {
    "value_proposition": "Value proposition",
    "channels": "Channels",
    "relationships": "Customer relationships",
    "revenue": "Revenue streams",
}


@dataclass(frozen=True)
class EvidenceRef:
    question: str
    quote: str
    rule: str = ""


@dataclass(frozen=True)
class Activity:
    id: str
    name: str
    category: str
    score: float = 0.0
    priority: int = 0
    status: str = "suggested"
    evidence: tuple[EvidenceRef, ...] = ()
    rationale: str = ""
    kpis: tuple[str, ...] = ()
    partner_candidate: bool = False
    partner_hint: str = ""
    serves: tuple[str, ...] = ()
    focus_reason: str = ""

    @property
    def custom(self) -> bool:
        return self.id.startswith("custom-")


@dataclass(frozen=True)
class CanvasWarning:
    kind: str
    message: str
    activities: tuple[str, ...] = ()


@dataclass(frozen=True)
class Canvas:
    title: str
    created: str
    bank: str
    generator: str = GENERATOR
    blocks: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: {b: () for b in BLOCKS})
    dominant: str = "unknown"
    mix: Mapping[str, float] = field(default_factory=lambda: dict.fromkeys(CORE_TYPES, 0.0))
    activities: tuple[Activity, ...] = ()
    answers: Mapping[str, str] = field(default_factory=dict)
    questions: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[CanvasWarning, ...] = ()
    notes: Mapping[str, str] = field(default_factory=dict)
    assumptions: tuple[str, ...] = ()

    # ------------------------------------------------------------------ views

    @property
    def focus(self) -> tuple[Activity, ...]:
        """The top three, by priority."""
        return tuple(
            sorted((a for a in self.activities if a.priority > 0), key=lambda a: a.priority)
        )

    @property
    def kept(self) -> tuple[Activity, ...]:
        return tuple(a for a in self.activities if a.status != "rejected")

    @property
    def coverage(self) -> dict[str, list[str]]:
        """Guiding question -> ids of the (non-rejected) activities that serve it."""
        return {g: [a.id for a in self.kept if g in a.serves] for g in GUIDING}

    # ------------------------------------------------------------------ (de)serialise

    def to_dict(self) -> dict[str, Any]:
        activities = []
        for a in self.activities:
            entry: dict[str, Any] = {
                "id": a.id,
                "name": a.name,
                "category": a.category,
                "score": a.score,
                "priority": a.priority,
                "status": a.status,
                "evidence": [
                    {
                        "question": e.question,
                        "quote": e.quote,
                        **({"rule": e.rule} if e.rule else {}),
                    }
                    for e in a.evidence
                ],
                "rationale": a.rationale,
                "kpis": list(a.kpis),
                "partner_candidate": a.partner_candidate,
                "partner_hint": a.partner_hint,
                "serves": list(a.serves),
                "focus_reason": a.focus_reason,
            }
            activities.append(entry)
        return {
            "schema": SCHEMA,
            "meta": {
                "title": self.title,
                "created": self.created,
                "bank": self.bank,
                "generator": self.generator,
            },
            "blocks": {b: list(self.blocks.get(b, ())) for b in BLOCKS},
            "business_type": {
                "dominant": self.dominant,
                "mix": {t: self.mix.get(t, 0.0) for t in CORE_TYPES},
            },
            "key_activities": activities,
            "coverage": self.coverage,
            "warnings": [
                {"kind": w.kind, "message": w.message, "activities": list(w.activities)}
                for w in self.warnings
            ],
            "answers": dict(self.answers),
            "questions": dict(self.questions),
            "notes": dict(self.notes),
            "assumptions": list(self.assumptions),
        }

    @classmethod
    def from_dict(cls, data: Any, *, file: str | None = None) -> Canvas:
        return _Reader(file).canvas(data)


# --------------------------------------------------------------------------- reading


class _Reader:
    """Validates a canvas dict, naming the key path of the first problem."""

    def __init__(self, file: str | None) -> None:
        self.file = file

    def fail(self, where: str, problem: str, hint: str = "") -> CanvasFileError:
        return CanvasFileError(
            f"{where}: {problem}" if where else problem, file=self.file, hint=hint
        )

    def table(self, data: Any, where: str, *, required: bool = True) -> dict[str, Any]:
        if data is None and not required:
            return {}
        if not isinstance(data, dict):
            raise self.fail(where, "missing" if data is None else "must be a table")
        return data

    def string(
        self, data: Mapping[str, Any], key: str, where: str, default: str | None = None
    ) -> str:
        value = data.get(key, default)
        if not isinstance(value, str):
            raise self.fail(
                f"{where}.{key}" if where else key,
                "missing" if value is None else "must be a string",
            )
        return value

    def strings(self, value: Any, where: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(where, "must be a list of strings")
        return tuple(value)

    def number(self, value: Any, where: str, lo: float = 0.0, hi: float = 1.0) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            raise self.fail(where, "must be a number")
        if not lo - 1e-9 <= value <= hi + 1e-9:
            raise self.fail(where, f"must be between {lo:g} and {hi:g}")
        return float(value)

    def str_map(self, value: Any, where: str) -> dict[str, str]:
        table = self.table(value, where, required=False)
        if not all(isinstance(v, str) for v in table.values()):
            raise self.fail(where, "must map ids to strings")
        return dict(table)

    def canvas(self, data: Any) -> Canvas:
        data = self.table(data, "", required=True)
        schema = data.get("schema")
        if schema != SCHEMA:
            raise self.fail(
                "schema",
                f"is {schema!r}, expected {SCHEMA!r}" if schema else "missing",
                "is this a canvas written by canvas-tui?",
            )
        meta = self.table(data.get("meta"), "meta")
        blocks_raw = self.table(data.get("blocks"), "blocks")
        blocks = {b: self.strings(blocks_raw.get(b), f"blocks.{b}") for b in BLOCKS}
        btype = self.table(data.get("business_type"), "business_type")
        dominant = self.string(btype, "dominant", "business_type")
        if dominant not in DOMINANT:
            raise self.fail(
                "business_type.dominant", f"is {dominant!r}", f"one of {', '.join(DOMINANT)}"
            )
        mix_raw = self.table(btype.get("mix"), "business_type.mix")
        mix = {t: self.number(mix_raw.get(t, 0.0), f"business_type.mix.{t}") for t in CORE_TYPES}
        activities = tuple(
            self.activity(raw, i)
            for i, raw in enumerate(self.tables(data.get("key_activities"), "key_activities"))
        )
        warnings = tuple(
            CanvasWarning(
                kind=self.string(w, "kind", f"warnings[{i}]"),
                message=self.string(w, "message", f"warnings[{i}]"),
                activities=self.strings(w.get("activities"), f"warnings[{i}].activities"),
            )
            for i, w in enumerate(self.tables(data.get("warnings"), "warnings"))
        )
        return Canvas(
            title=self.string(meta, "title", "meta"),
            created=self.string(meta, "created", "meta"),
            bank=self.string(meta, "bank", "meta"),
            generator=self.string(meta, "generator", "meta", GENERATOR),
            blocks=blocks,
            dominant=dominant,
            mix=mix,
            activities=activities,
            answers=self.str_map(data.get("answers"), "answers"),
            questions=self.str_map(data.get("questions"), "questions"),
            warnings=warnings,
            notes=self.str_map(data.get("notes"), "notes"),
            assumptions=self.strings(data.get("assumptions"), "assumptions"),
        )

    def tables(self, value: Any, where: str) -> list[dict[str, Any]]:
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(where, "must be an array of tables")
        return value

    def activity(self, raw: dict[str, Any], index: int) -> Activity:
        where = f"key_activities[{index}]"
        category = self.string(raw, "category", where)
        if category not in CATEGORIES:
            raise self.fail(
                f"{where}.category", f"is {category!r}", f"one of {', '.join(CATEGORIES)}"
            )
        status = self.string(raw, "status", where, "suggested")
        if status not in STATUSES:
            raise self.fail(f"{where}.status", f"is {status!r}", f"one of {', '.join(STATUSES)}")
        priority = raw.get("priority", 0)
        if isinstance(priority, bool) or not isinstance(priority, int) or not 0 <= priority <= 3:
            raise self.fail(f"{where}.priority", "must be 0, 1, 2 or 3")
        partner = raw.get("partner_candidate", False)
        if not isinstance(partner, bool):
            raise self.fail(f"{where}.partner_candidate", "must be true or false")
        evidence = tuple(
            EvidenceRef(
                question=self.string(e, "question", f"{where}.evidence[{j}]"),
                quote=self.string(e, "quote", f"{where}.evidence[{j}]"),
                rule=self.string(e, "rule", f"{where}.evidence[{j}]", ""),
            )
            for j, e in enumerate(self.tables(raw.get("evidence"), f"{where}.evidence"))
        )
        return Activity(
            id=self.string(raw, "id", where),
            name=self.string(raw, "name", where),
            category=category,
            score=self.number(raw.get("score", 0.0), f"{where}.score"),
            priority=priority,
            status=status,
            evidence=evidence,
            rationale=self.string(raw, "rationale", where, ""),
            kpis=self.strings(raw.get("kpis"), f"{where}.kpis"),
            partner_candidate=partner,
            partner_hint=self.string(raw, "partner_hint", where, ""),
            serves=self.strings(raw.get("serves"), f"{where}.serves"),
            focus_reason=self.string(raw, "focus_reason", where, ""),
        )


# --------------------------------------------------------------------------- building

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
    catalogue: Any = None,
    notes: Mapping[str, str] | None = None,
    assumptions: Sequence[str] = (),
    questions: Mapping[str, str] | None = None,
) -> Canvas:
    """Assemble the canvas from effective answers, inference and review decisions.

    Ordering: the focus activities (priority 1–3) first, then accepted, then suggested
    ones in inference rank, rejected last. Focus: the person's own pick when they made
    one, else the inferred top three with any rejected one replaced by the next best.
    """
    from canvas_tui.core.interview.session import Decisions

    decisions = decisions or Decisions()
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
    for priority, activity_id in enumerate(chosen, start=1):
        activity = by_id[activity_id]
        reason = activity.focus_reason
        if picked:
            reason = reason or "You picked it as one of the three activities to focus on."
        by_id[activity_id] = _replace(activity, priority=priority, focus_reason=reason)
    ordered = sorted(by_id.values(), key=lambda a: _rank_key(a, rank[a.id]))
    ordered = [a if a.priority else _replace(a, focus_reason="") for a in ordered]

    # The kept activities drive the derived blocks: what the person accepted (with the
    # focus), or, before any review, the focus and the next best up to five.
    accepted = [
        a for a in ordered if a.status == "accepted" or (a.priority and a.status != "rejected")
    ]
    if any(a.status == "accepted" for a in ordered):
        kept = accepted
    else:
        kept = [a for a in ordered if a.status != "rejected"][:5]

    blocks: dict[str, list[str]] = {b: [] for b in BLOCKS}
    for qid, text in answers.items():
        question = bank.question(qid)
        if question is not None and question.block:
            for item in summarise(text):
                if item not in blocks[question.block]:
                    blocks[question.block].append(item)
    blocks["key_activities"] = [a.name for a in kept]
    derived = _derive(kept, catalogue, getattr(inference, "partners", ()))
    for block, items in derived.items():
        for item in items:
            if block == "key_partners" and _named_already(item, blocks[block]):
                continue
            if item not in blocks[block]:
                blocks[block].append(item)
    for block, items in decisions.blocks.items():
        if block in blocks:
            blocks[block] = list(items)

    prompts = dict(questions or {})
    for qid in answers:
        if qid not in prompts:
            question = bank.question(qid)
            if question is not None:
                prompts[qid] = question.prompt
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
        ),
        notes=dict(notes or {}),
        assumptions=tuple(assumptions),
    )


def _replace(activity: Activity, **changes: Any) -> Activity:
    from dataclasses import replace

    return replace(activity, **changes)


def _named_already(item: str, written: Sequence[str]) -> bool:
    """A derived partner the person's own Key Partners answer already names."""
    from canvas_tui.core.inference.blocks import partner_key

    key = partner_key(item)
    return bool(key) and any(key in w.lower() for w in written)


def _derive(
    kept: Sequence[Activity], catalogue: Any, partners: Sequence[Any] = ()
) -> dict[str, list[str]]:
    if catalogue is None:
        return {}
    from canvas_tui.core.inference import infer as inference

    derive = getattr(inference, "derive_blocks", None)
    if derive is None:
        return {}
    return derive([(a.id, a.partner_candidate) for a in kept], catalogue, partners)
