"""Merging a team's canvases, the output: the consensus canvas with its ``[merge]`` table
(TOML and JSON) and the Markdown report.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from canvas_tui.core.canvas.model import CATEGORY_TITLES
from canvas_tui.core.team.merge_model import (
    MERGE_FORMAT,
    RULE,
    THRESHOLD,
    UNPRIORITISED,
    ActivityStats,
    Disagreement,
    Merge,
)
from canvas_tui.core.team.reports import num


def merge_to_dict(result: Merge) -> dict[str, Any]:
    """The consensus canvas (schema canvas-tui/1) plus the ``merge`` extension table."""
    data = result.canvas.to_dict()
    by_id = {a.id: a for a in result.activities}
    for entry in data["key_activities"]:
        stats = by_id.get(entry["id"])
        if stats is None:
            continue
        named = [q for q in stats.evidence if q.named]
        for raw, quote in zip(entry["evidence"], named, strict=True):
            raw["participant"] = quote.participant
    data["merge"] = _merge_table(result)
    return data


def _merge_table(result: Merge) -> dict[str, Any]:
    def activity(a: ActivityStats) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "id": a.id,
            "name": a.name,
            "consensus": a.consensus,
            "rank": a.rank,
            "participants": a.participants,
            "named": len(a.named_by),
            "rejected": len(a.rejected_by),
            "share": round(a.share, 4),
            "named_by": list(a.named_by),
            "rejected_by": list(a.rejected_by),
            "suggested_only_to": list(a.listed_by),
            "not_listed_by": list(a.absent),
            "top_three_by": list(a.top_three_by),
            "category": a.category,
            "categories": {k: list(v) for k, v in a.categories.items()},
            "mean_score": a.mean_score,
            "votes": [
                {
                    "participant": v.participant,
                    "named": v.named,
                    "status": v.status,
                    "priority": v.priority,
                    "category": v.category,
                    "rank": v.rank,
                    "score": v.score,
                }
                for v in a.votes
            ],
            "evidence": [
                {
                    "participant": q.participant,
                    "named": q.named,
                    "status": q.status,
                    "question": q.question,
                    "quote": q.quote,
                    **({"rule": q.rule} if q.rule else {}),
                }
                for q in a.evidence
            ],
        }
        if a.mean_priority is not None:  # TOML has no null: absent when nobody named it
            entry["mean_priority"] = round(a.mean_priority, 4)
        return entry

    return {
        "format": MERGE_FORMAT,
        "rule": RULE,
        "threshold": THRESHOLD,
        "unprioritised_counts_as": UNPRIORITISED,
        "participants_count": len(result.participants),
        "banks": list(result.banks),
        "participants": [
            {
                "name": p.name,
                "source": p.source,
                "title": p.canvas.title,
                "created": p.canvas.created,
                "bank": p.canvas.bank,
                "dominant": p.canvas.dominant,
                "focus": [a.id for a in p.canvas.focus],
                "activities": len(p.canvas.kept),
                "kept": sum(1 for a in p.canvas.activities if a.status == "accepted"),
                "counted": p.name not in result.unreviewed,
            }
            for p in result.participants
        ],
        "participants_counted": result.counted,
        "unreviewed": list(result.unreviewed),
        "activities": [activity(a) for a in result.activities],
        "disagreements": [
            {
                "kind": d.kind,
                "activity": d.activity,
                "name": d.name,
                "message": d.message,
                "sides": [{"said": said, "participants": list(who)} for said, who in d.sides],
            }
            for d in result.disagreements
        ],
        "splits": [
            {
                "kind": d.kind,
                "name": d.name,
                "message": d.message,
                "unsaid": list(d.unsaid),
                "sides": [
                    {
                        "said": side["said"],
                        "participants": side["participants"],
                        "quotes": [
                            {
                                "participant": q["participant"],
                                "question": q["question"],
                                "quote": q["quote"],
                            }
                            for q in side["quotes"]
                        ],
                    }
                    for side in split_context(d)["sides"]
                ],
            }
            for d in result.splits
        ],
        "business_type": {
            "dominant_votes": {k: list(v) for k, v in result.dominant_votes.items()},
        },
        "blocks": {
            block: [{"item": item, "participants": list(who)} for item, who in items]
            for block, items in result.blocks.items()
        },
        "generated_items_left_out": result.generated,
        "assumptions": [
            {
                "question": a.question,
                "prompt": a.prompt,
                "answer": a.answer,
                "flagged_by": list(a.participants),
            }
            for a in result.assumptions
        ],
        "notes": [
            {
                "participant": n.participant,
                "question": n.question,
                "prompt": n.prompt,
                "text": n.text,
            }
            for n in result.notes
        ],
    }


def merge_markdown(result: Merge) -> str:
    from canvas_tui.core.team.reports import render_template

    return render_template(
        "merge.md.j2", merge=result, canvas=result.canvas, unprioritised=UNPRIORITISED, rule=RULE
    )


#: In the printed grid, who wrote an entry: the names up to this many, else a count.
WHO_NAMES = 3


def _who(names: Sequence[str], of: int) -> str:
    if len(names) <= WHO_NAMES:
        return ", ".join(names)
    return f"{len(names)} of {of}"


def html_context(result: Merge) -> dict[str, Any]:
    """What ``merge.html.j2`` sees: the team canvas's own context plus ``team``."""
    from canvas_tui.core.exports.context import _density, template_context
    from canvas_tui.core.team.reports import TYPE_TITLES

    context = template_context(result.canvas)
    everyone = len(result.participants)
    who: dict[str, dict[str, str]] = {
        block: {item: _who(names, everyone) for item, names in items}
        for block, items in result.blocks.items()
    }
    who["key_activities"] = {a.name: _who(a.named_by, result.counted) for a in result.consensus}
    for block in context["blocks"]:  # the names take room in the printed grid too
        notes = who.get(block["id"], {})
        entries = [f"{e} {notes[e]}" if e in notes else e for e in block["entries"]]
        block["density"] = _density(block["id"], entries)
    prompts = dict(result.canvas.questions)

    def quote(q: Any) -> dict[str, str]:
        aside = "rejected it" if q.status == "rejected" else "" if q.named else "not kept"
        label = prompts.get(q.question, "") or q.question
        return {"participant": q.participant, "quote": q.quote, "label": label, "aside": aside}

    mix = result.canvas.mix
    context["team"] = {
        "rule": RULE,
        "counted": result.counted,
        "unreviewed": list(result.unreviewed),
        "who": who,
        "participants": [
            {
                "name": p.name,
                "type_title": TYPE_TITLES.get(p.canvas.dominant, p.canvas.dominant),
                "focus": [a.name for a in p.canvas.focus],
                "kept": sum(1 for a in p.canvas.activities if a.status == "accepted"),
                "counted": p.name not in result.unreviewed,
            }
            for p in result.participants
        ],
        "consensus": [
            {
                "rank": a.rank,
                "name": a.name,
                "category": a.category,
                "category_title": CATEGORY_TITLES[a.category],
                "named_by": list(a.named_by),
                "rejected_by": list(a.rejected_by),
                "mean_priority": num(a.mean_priority),
                "kpis": list(c.kpis),
                "evidence": [quote(q) for q in a.evidence],
            }
            for a, c in zip(result.consensus, result.canvas.activities, strict=True)
        ],
        "others": [
            {
                "name": a.name,
                "named_by": list(a.named_by),
                "rejected_by": list(a.rejected_by),
                "suggested_to": list(a.listed_by),
            }
            for a in result.others
        ],
        "disagreements": [  # the business type is shown with the splits
            {"kind": d.kind.replace("_", " "), "name": d.name, "message": d.message}
            for d in result.disagreements
            if d.kind != "business_type"
        ],
        "splits": [split_context(d) for d in result.splits],
        "assumptions": [
            {
                "question": a.question,
                "label": a.label,
                "answer": a.answer,
                "participants": list(a.participants),
            }
            for a in result.assumptions
        ],
        "notes": [
            {"label": n.label, "participant": n.participant, "text": n.text} for n in result.notes
        ],
        "types": [
            {
                "id": t,
                "title": TYPE_TITLES[t],
                "share": float(mix.get(t, 0.0)),
                "participants": list(result.dominant_votes.get(t, ())),
            }
            for t in ("production", "problem_solving", "platform_network")
        ],
        "untyped": list(result.dominant_votes.get("unknown", ())),
        "generated": result.generated,
    }
    return context


def split_context(d: Disagreement) -> dict[str, Any]:
    return {
        "kind": d.kind,
        "name": d.name,
        "message": d.message,
        "unsaid": list(d.unsaid),
        "sides": [
            {
                "said": said,
                "participants": list(who),
                "quotes": [
                    {
                        "participant": q.participant,
                        "question": q.question,
                        "quote": q.quote,
                        "label": q.label,
                    }
                    for q in d.quotes
                    if q.side == said
                ],
            }
            for said, who in d.sides
        ],
    }


def merge_html(result: Merge) -> str:
    from canvas_tui.core.exports.render import _builtin_template
    from canvas_tui.resources import templates_dir

    template = _builtin_template("merge.html.j2", str(templates_dir()))
    return template.render(html_context(result))


def render_merge(result: Merge, fmt: str) -> str:
    import tomli_w

    from canvas_tui.core.exports.render import _INVISIBLE  # as the canvas exports escape
    from canvas_tui.core.team.reports import render_report, to_json

    return render_report(
        fmt,
        html=lambda: merge_html(result),
        md=lambda: merge_markdown(result),
        json=lambda: to_json(result.to_dict()).translate(_INVISIBLE),
        toml=lambda: tomli_w.dumps(result.to_dict(), multiline_strings=False).translate(_INVISIBLE),
    )
