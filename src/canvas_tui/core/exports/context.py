"""The context every export template sees: plain dicts, lists, strings and numbers.

docs/export.md documents each key; extend, never rename. Block and activity dicts avoid
key names that are also dict methods (``items``, ``values``…): in Jinja2 ``block.items``
would find the method, not the key.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from canvas_tui.core.canvas.model import (
    BLOCK_TITLES,
    CATEGORY_TITLES,
    GUIDE_TITLES,
    Activity,
    Canvas,
    DraftEntry,
)
from canvas_tui.core.exports.escaping import text_lines

#: The canvas template's origin and licence, stated in every rendered document.
ATTRIBUTION: dict[str, str] = {
    "source": "Strategyzer",
    "source_url": "https://www.strategyzer.com",
    "license": "CC BY-SA 3.0",
    "license_url": "https://creativecommons.org/licenses/by-sa/3.0/",
    "text": "The Business Model Canvas template is by Strategyzer (strategyzer.com), "
    "licensed under CC BY-SA 3.0.",
}

#: The classic canvas grid, left to right: (block id, grid area).
GRID_AREAS: dict[str, str] = {
    "key_partners": "kp",
    "key_activities": "ka",
    "key_resources": "kr",
    "value_propositions": "vp",
    "customer_relationships": "cr",
    "channels": "ch",
    "customer_segments": "cs",
    "cost_structure": "co",
    "revenue_streams": "rs",
}

#: The question each block answers, shown under its title in the HTML canvas.
BLOCK_QUESTIONS: dict[str, str] = {
    "customer_segments": "For whom do we create value?",
    "value_propositions": "What value do we deliver, which problem do we solve?",
    "channels": "How do we reach, sell to and deliver to our customers?",
    "customer_relationships": "How do we win, keep and grow customers?",
    "revenue_streams": "What are customers willing to pay for, and how?",
    "key_resources": "What assets does the model need?",
    "key_activities": "What must we do exceptionally well?",
    "key_partners": "Who helps us, and what do they do for us?",
    "cost_structure": "What are the most important costs?",
}


def bar(value: Any, width: int = 10) -> str:
    """0.46 → "█████░░░░░": a share as a bar of `width` cells (capped at 50)."""
    try:
        share = min(max(float(value), 0.0), 1.0)
    except (TypeError, ValueError):
        share = 0.0
    width = max(0, min(int(width), 50))
    full = round(share * width)
    return "█" * full + "░" * (width - full)


#: How each verdict on a drafted line reads in an export (issue 16).
VERDICT_TITLES: dict[str, str] = {
    "supported": "supported by your answers",
    "miscategorised": "another category than your label",
    "generic": "generic work",
    "duplicate": "listed twice",
    "unsupported": "not needed by your answers yet",
}


def _draft_context(entry: DraftEntry, canvas: Canvas) -> dict[str, Any]:
    return {
        "text": entry.text,
        "id": entry.id,
        "name": entry.name or entry.text,
        "custom": entry.id.startswith("custom-"),
        "verdict": entry.verdict,
        "verdict_title": VERDICT_TITLES.get(entry.verdict, entry.verdict),
        "reason": entry.reason,
        "line": entry.line,
        "category": entry.category,
        "category_title": CATEGORY_TITLES.get(entry.category, ""),
        "label": entry.label,
        "label_title": CATEGORY_TITLES.get(entry.label, ""),
        "kept": entry.kept,
        "evidence": [
            {
                "question": e.question,
                "prompt": canvas.questions.get(e.question, ""),
                "quote": e.quote,
            }
            for e in entry.evidence
        ],
    }


#: What an activity the person added shows instead of a score (the review screen's word).
SCORE_YOURS = "yours"


def _activity_context(activity: Activity, canvas: Canvas) -> dict[str, Any]:
    return {
        "id": activity.id,
        "name": activity.name,
        "category": activity.category,
        "category_title": CATEGORY_TITLES.get(activity.category, activity.category),
        "score": activity.score,
        # one wording everywhere (issue 13): the review screen says "yours" for a custom one
        "score_text": SCORE_YOURS if activity.custom else f"{activity.score:.2f}",
        "score_percent": round(activity.score * 100),
        "priority": activity.priority,
        "status": activity.status,
        "custom": activity.custom,
        "evidence": [
            {
                "question": e.question,
                "prompt": canvas.questions.get(e.question, ""),
                "quote": e.quote,
                "rule": e.rule,
            }
            for e in activity.evidence
        ],
        "rationale": activity.rationale,
        "kpis": list(activity.kpis),
        "partner_candidate": activity.partner_candidate,
        "partner_hint": activity.partner_hint,
        "serves": list(activity.serves),
        "serves_titles": [GUIDE_TITLES.get(g, g) for g in activity.serves],
        "focus_reason": activity.focus_reason,
        "missing_from_draft": activity.missing_from_draft,
    }


#: The printed canvas (one landscape page, 9 mm margins, Letter being the smaller paper):
#: each block's (characters per line at 8 pt, height in mm). Narrow blocks are two of ten
#: columns wide; partners, value propositions and segments are two rows tall.
_PRINT_BLOCKS: dict[str, tuple[int, float]] = {
    "key_partners": (30, 110.0),
    "value_propositions": (30, 110.0),
    "customer_segments": (30, 110.0),
    "key_activities": (26, 54.0),  # the category badges take room too
    "key_resources": (30, 54.0),
    "customer_relationships": (30, 54.0),
    "channels": (30, 54.0),
    "cost_structure": (85, 43.0),
    "revenue_streams": (85, 43.0),
}
#: The type sizes the HTML's print CSS uses: (class, pt, line height, mm between entries,
#: is the block's question shown). Keep in step with templates/canvas.html.j2.
_PRINT_LEVELS: tuple[tuple[str, float, float, float, bool], ...] = (
    ("roomy", 8.0, 1.3, 1.0, True),
    ("compact", 7.0, 1.3, 0.7, True),
    ("dense", 6.0, 1.2, 0.5, False),
)
_PT = 0.3528  # mm


def _density(block: str, entries: Sequence[str]) -> str:
    """How tightly the HTML canvas sets a block's type so the grid fits one printed page.

    The roomiest of "roomy", "compact" and "dense" whose estimated height fits the block
    (with a little room for a two-line title), else "overfull": the printed block is cut and says
    so. The screen always shows everything.
    """
    per_line, height = _PRINT_BLOCKS[block]
    lines = [text_lines(entry) or [""] for entry in entries]
    for name, size, leading, gap, question in _PRINT_LEVELS:
        chars = per_line * 8.0 / size
        room = (height - 8.4) * 0.95 - ((7.5 if per_line < 50 else 4.6) if question else 0.0)
        needed = sum(
            gap + sum(max(1, math.ceil(len(line) / chars)) for line in entry) * size * leading * _PT
            for entry in lines
        )
        if needed <= room:
            return name
    return "overfull"


def _block_context(canvas: Canvas, block: str) -> dict[str, Any]:
    """One block: the user's own entries first, then the generated suggestions (so a block
    cut to fit the printed page loses suggestions before the user's words; issue 13)."""
    marked = set(canvas.suggested.get(block, ()))
    given = canvas.blocks.get(block, ())
    own = [e for e in given if e not in marked]
    suggested = [e for e in given if e in marked]
    return {
        "id": block,
        "title": BLOCK_TITLES[block],
        "question": BLOCK_QUESTIONS[block],
        "area": GRID_AREAS[block],
        "entries": own + suggested,
        "own": own,
        "suggested": suggested,
        "from_draft": list(canvas.draft_blocks.get(block, ())),
        "density": _density(block, own + suggested),
    }


def template_context(canvas: Canvas) -> dict[str, Any]:
    """Everything a template sees. Plain dicts, lists, strings and numbers.

    docs/export.md documents every key; extend, never rename.
    """
    activities = [_activity_context(a, canvas) for a in canvas.activities]
    by_id = {a["id"]: a for a in activities}
    kept = [a for a in activities if a["status"] != "rejected"]
    names = {a["id"]: a["name"] for a in activities}
    blocks = [_block_context(canvas, block) for block in BLOCK_TITLES]
    kept_names: dict[str, dict[str, Any]] = {}
    for a in kept:
        kept_names.setdefault(a["name"], a)
    mix = [
        {
            "id": t,
            "title": CATEGORY_TITLES[t],
            "share": float(canvas.mix.get(t, 0.0)),
            "percent": round(float(canvas.mix.get(t, 0.0)) * 100),
        }
        for t in ("production", "problem_solving", "platform_network")
    ]
    coverage = [
        {"id": g, "title": GUIDE_TITLES[g], "activities": [names[i] for i in ids]}
        for g, ids in canvas.coverage.items()
    ]
    notes = [
        {
            "question": key,
            "prompt": canvas.questions.get(key, ""),
            "label": canvas.questions.get(key, "") or key,
            "text": text,
        }
        for key, text in canvas.notes.items()
    ]
    assumptions = [
        {
            "question": item if item in canvas.answers or item in canvas.questions else "",
            "label": canvas.questions.get(item, "") or item,
            "answer": canvas.answers.get(item, ""),
        }
        for item in canvas.assumptions
    ]
    flagged = set(canvas.assumptions)
    answers = [
        {
            "question": qid,
            "prompt": canvas.questions.get(qid, ""),
            "label": canvas.questions.get(qid, "") or qid,
            "answer": text,
            "note": canvas.notes.get(qid, ""),
            "assumption": qid in flagged,
        }
        for qid, text in canvas.answers.items()
    ]
    dominant = canvas.dominant
    drafted = [_draft_context(d, canvas) for d in canvas.draft]
    draft = {
        "present": bool(drafted),
        "lines": drafted,
        "kept": [d for d in drafted if d["kept"]],
        "dropped": [d for d in drafted if not d["kept"]],
        "added": [a for a in activities if a["missing_from_draft"]],
        "blocks": {b: list(items) for b, items in canvas.draft_blocks.items()},
    }
    return {
        "canvas": canvas.to_dict(),
        "schema": canvas.to_dict()["schema"],
        "title": canvas.title,
        "display_title": canvas.title if canvas.title.strip() else "Untitled canvas",
        "meta": {
            "title": canvas.title,
            "created": canvas.created,
            "bank": canvas.bank,
            "generator": canvas.generator,
        },
        "blocks": blocks,
        "block": {b["id"]: b for b in blocks},
        "activities": activities,
        "activity": by_id,
        "kept": kept,
        "rejected": [a for a in activities if a["status"] == "rejected"],
        "focus": [by_id[a.id] for a in canvas.focus],
        "kept_by_name": kept_names,
        "business_type": {
            "dominant": dominant,
            "dominant_title": CATEGORY_TITLES.get(dominant, "Not clear yet"),
            "known": dominant != "unknown",
            "mix": mix,
        },
        "coverage": coverage,
        "warnings": [
            {
                "kind": w.kind,
                "kind_title": w.kind.replace("_", " ").replace("-", " ").capitalize(),
                "message": w.message,
                "activities": [names.get(i, i) for i in w.activities],
            }
            for w in canvas.warnings
        ],
        "answers": answers,
        "notes": notes,
        "assumptions": assumptions,
        "draft": draft,
        "block_titles": dict(BLOCK_TITLES),
        "category_titles": dict(CATEGORY_TITLES),
        "guide_titles": dict(GUIDE_TITLES),
        "attribution": dict(ATTRIBUTION),
    }
