"""The ``canvas-tui/1`` schema: the structure a canvas file holds, written and read back.

`canvas_to_dict()` is exactly what the TOML and JSON exports write (docs/contracts.md §3, plus
extension keys: ``answers``, ``questions``, ``coverage``, ``warnings``, ``notes``,
``assumptions``, ``suggested`` (issue 13), and with a founder's draft ``draft`` and
``missing_from_draft``); `canvas_from_dict()` reads it back with validation, so a canvas file is the
source of truth: TOML → Canvas → TOML is the identity.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from canvas_tui.core.canvas.model import (
    DOMINANT,
    GENERATOR,
    Activity,
    Canvas,
    CanvasWarning,
    DraftEntry,
    EvidenceRef,
)
from canvas_tui.core.draft import VERDICTS
from canvas_tui.core.errors import CanvasFileError
from canvas_tui.core.inference.infer import CATEGORIES, CORE_TYPES
from canvas_tui.core.interview.bank import BLOCKS

SCHEMA = "canvas-tui/1"


def canvas_to_dict(canvas: Canvas) -> dict[str, Any]:
    activities = []
    for a in canvas.activities:
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
        if a.missing_from_draft:
            entry["missing_from_draft"] = True
        activities.append(entry)
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "meta": {
            "title": canvas.title,
            "created": canvas.created,
            "bank": canvas.bank,
            "generator": canvas.generator,
        },
        "blocks": {b: list(canvas.blocks.get(b, ())) for b in BLOCKS},
        "business_type": {
            "dominant": canvas.dominant,
            "mix": {t: canvas.mix.get(t, 0.0) for t in CORE_TYPES},
        },
        "key_activities": activities,
        "coverage": canvas.coverage,
        "warnings": [
            {"kind": w.kind, "message": w.message, "activities": list(w.activities)}
            for w in canvas.warnings
        ],
        "answers": dict(canvas.answers),
        "questions": dict(canvas.questions),
        "notes": dict(canvas.notes),
        "assumptions": list(canvas.assumptions),
    }
    if canvas.draft:
        data["draft"] = [_draft_entry(d) for d in canvas.draft]
    if canvas.draft_blocks:
        data["draft_blocks"] = {b: list(canvas.draft_blocks[b]) for b in canvas.draft_blocks}
    if canvas.suggested:
        data["suggested"] = {b: list(canvas.suggested[b]) for b in canvas.suggested}
    return data


def _draft_entry(entry: DraftEntry) -> dict[str, Any]:
    """One ``[[draft]]`` table: text, id, verdict, reason, then the extras."""
    out: dict[str, Any] = {
        "text": entry.text,
        "id": entry.id,
        "verdict": entry.verdict,
        "reason": entry.reason,
        "name": entry.name,
        "category": entry.category,
    }
    if entry.line:
        out["line"] = entry.line
    if entry.label:
        out["label"] = entry.label
    if entry.evidence:
        out["evidence"] = [{"question": e.question, "quote": e.quote} for e in entry.evidence]
    return out


def canvas_from_dict(data: Any, *, file: str | None = None) -> Canvas:
    return _Reader(file).canvas(data)


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
            draft=tuple(
                self.draft_entry(raw, i)
                for i, raw in enumerate(self.tables(data.get("draft"), "draft"))
            ),
            draft_blocks=self.draft_blocks(data.get("draft_blocks")),
            suggested=self.draft_blocks(data.get("suggested"), "suggested"),
        )

    def draft_blocks(self, value: Any, key: str = "draft_blocks") -> dict[str, tuple[str, ...]]:
        """A table of block id -> items (``draft_blocks``, ``suggested``)."""
        table = self.table(value, key, required=False)
        for block in table:
            if block not in BLOCKS:
                raise self.fail(f"{key}.{block}", "is not a block", f"one of {', '.join(BLOCKS)}")
        return {b: self.strings(items, f"{key}.{b}") for b, items in table.items()}

    def draft_entry(self, raw: dict[str, Any], index: int) -> DraftEntry:
        where = f"draft[{index}]"
        verdict = self.string(raw, "verdict", where)
        if verdict not in VERDICTS:
            raise self.fail(f"{where}.verdict", f"is {verdict!r}", f"one of {', '.join(VERDICTS)}")
        category = self.string(raw, "category", where, "")
        if category and category not in CATEGORIES:
            raise self.fail(
                f"{where}.category", f"is {category!r}", f"one of {', '.join(CATEGORIES)}"
            )
        label = self.string(raw, "label", where, "")
        if label and label not in CATEGORIES:
            raise self.fail(f"{where}.label", f"is {label!r}", f"one of {', '.join(CATEGORIES)}")
        line = raw.get("line", 0)
        if isinstance(line, bool) or not isinstance(line, int) or line < 0:
            raise self.fail(f"{where}.line", "must be a line number")
        return DraftEntry(
            text=self.string(raw, "text", where),
            id=self.string(raw, "id", where),
            verdict=verdict,
            reason=self.string(raw, "reason", where, ""),
            name=self.string(raw, "name", where, ""),
            category=category,
            line=line,
            label=label,
            evidence=tuple(
                EvidenceRef(
                    question=self.string(e, "question", f"{where}.evidence[{j}]"),
                    quote=self.string(e, "quote", f"{where}.evidence[{j}]"),
                )
                for j, e in enumerate(self.tables(raw.get("evidence"), f"{where}.evidence"))
            ),
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
        from canvas_tui.core.interview.decisions import STATUSES  # reading canvases only

        if status not in STATUSES:
            raise self.fail(f"{where}.status", f"is {status!r}", f"one of {', '.join(STATUSES)}")
        priority = raw.get("priority", 0)
        if isinstance(priority, bool) or not isinstance(priority, int) or not 0 <= priority <= 3:
            raise self.fail(f"{where}.priority", "must be 0, 1, 2 or 3")
        partner = raw.get("partner_candidate", False)
        if not isinstance(partner, bool):
            raise self.fail(f"{where}.partner_candidate", "must be true or false")
        missing = raw.get("missing_from_draft", False)
        if not isinstance(missing, bool):
            raise self.fail(f"{where}.missing_from_draft", "must be true or false")
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
            missing_from_draft=missing,
        )
