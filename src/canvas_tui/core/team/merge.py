"""Merge a team's canvases (`canvas-tui merge A.toml B.toml ...`): the algorithm.

Each participant filled in a canvas of their own; `merge_canvases` says, per activity,

* how many participants named it — they kept it: accepted it (picking an activity for
  one's top three accepts it too). A suggestion the participant never reviewed does not
  count, even in the inferred top three; a participant who kept nothing at all is listed
  (with what was suggested to them) but not counted —
  who rejected it, and who had it only as a further suggestion;
* the spread of their priorities (1–3: their top three) and of their categories;
* where the team disagrees: one rejected what another named (worst when it was in their
  top three), categories differ (one says platform / network, one says production), or
  priorities are far apart (first for one, not in the top three for another);

and builds a **consensus canvas**: the activities named by at least half of the
participants counted (those who kept an activity), ranked by mean priority. How the rank is computed:

* the mean is taken over the participants who named the activity; an activity named
  without a priority counts as 4 (just below the top three); participants who did not name
  it do not count (the "at least half" rule already demands enough of them);
* ties go to the activity more participants named, then to the higher mean score, then to
  the activity id in alphabetical order (so the result never depends on file order);
* the first three get priority 1, 2, 3 (the team's focus).

A consensus activity is "accepted" (the team's), and takes the name and category most of
those who named it gave (a tie on category goes to whoever ranked it highest), the mean of
their scores, and the KPIs any of them gave (most often given first).
The team's business type mix is the mean of the participants' mixes (canvases whose type
is unknown left out).

The consensus canvas is a valid ``canvas-tui/1`` canvas (it can be exported, diffed and
merged again). Every participant's evidence is kept, attributed: in the canvas each
evidence entry carries an extra ``participant`` key, and the ``[merge]`` table holds the
per-activity statistics, every vote and every quote (also those of participants who
rejected the activity).

Facilitator notes and the answers flagged "assumption — to validate" are kept, with who
said them: the ``[merge]`` table lists each (``notes``, ``assumptions``), and the team
canvas's own ``notes`` and ``assumptions`` hold them as readable lines, so any export of
the team canvas shows them too. The strategic splits (value promise, revenue model,
channels) are found by `splits.py`.

The model is in `merge_model.py`, the input checks in `merge_inputs.py`, the TOML/JSON
table and the Markdown and HTML reports in `merge_output.py`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from statistics import fmean
from typing import Any

from canvas_tui.core.canvas.model import (
    CATEGORY_TITLES,
    GENERATOR,
    Activity,
    Canvas,
    CanvasWarning,
    EvidenceRef,
)
from canvas_tui.core.inference.infer import CORE_TYPES
from canvas_tui.core.interview.bank import BLOCKS
from canvas_tui.core.team.merge_model import (
    PRIORITY_SPREAD,
    UNPRIORITISED,
    ActivityStats,
    Disagreement,
    FlaggedAssumption,
    Merge,
    Note,
    Participant,
    Quote,
    Vote,
)


def _most_common(values: Iterable[str]) -> str:
    counts = Counter(values)
    best = max(counts.values())
    return next(v for v in counts if counts[v] == best)  # first reached, in input order


def _dedupe(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    keys: set[str] = set()
    for item in items:
        key = " ".join(item.split()).casefold()
        if key and key not in keys:
            keys.add(key)
            out.append(item)
    return out


def _who(names: Sequence[str]) -> str:
    return ", ".join(names)


def _disagreements(stats: Sequence[ActivityStats]) -> list[Disagreement]:
    found: list[Disagreement] = []
    for a in stats:
        named, rejected = a.named_by, a.rejected_by
        if named and rejected:
            top = a.top_three_by
            if top:
                ordered = sorted(top, key=lambda p: a.priorities[p])
                detail = ", ".join(f"{p} (priority {a.priorities[p]})" for p in ordered)
                message = f"{detail} put it in the top three; {_who(rejected)} rejected it"
            else:
                message = f"named by {_who(named)}; rejected by {_who(rejected)}"
            found.append(
                Disagreement(
                    "rejected",
                    a.id,
                    a.name,
                    message,
                    (("named it", named), ("rejected it", rejected)),
                )
            )
        categories = a.categories
        if len(categories) > 1:
            sides = tuple((CATEGORY_TITLES[c], who) for c, who in categories.items())
            found.append(
                Disagreement(
                    "category",
                    a.id,
                    a.name,
                    "; ".join(f"{_who(who)}: {said}" for said, who in sides),
                    sides,
                )
            )
        values = {p: (v or UNPRIORITISED) for p, v in a.priorities.items()}
        if values and max(values.values()) - min(values.values()) >= PRIORITY_SPREAD:
            groups: dict[int, list[str]] = {}
            for p, v in a.priorities.items():
                groups.setdefault(v, []).append(p)
            sides = tuple(
                (f"priority {v}" if v else "named, not in the top three", tuple(who))
                for v, who in sorted(groups.items(), key=lambda kv: kv[0] or UNPRIORITISED)
            )
            found.append(
                Disagreement(
                    "priority",
                    a.id,
                    a.name,
                    "; ".join(f"{_who(who)}: {said}" for said, who in sides),
                    sides,
                )
            )
    order = {"rejected": 0, "category": 1, "priority": 2}
    rank = {a.id: (a.rank or 10**6, -len(a.named_by)) for a in stats}
    found.sort(key=lambda d: (order[d.kind], rank[d.activity]))
    return found


def merge_canvases(
    participants: Sequence[Participant], *, title: str | None = None, created: str = ""
) -> Merge:
    """Merge participants' canvases (already checked with `check_inputs`)."""
    unreviewed = tuple(p.name for p in participants if not kept_ids(p.canvas))
    n = len(participants) - len(unreviewed)
    votes: dict[str, list[Vote]] = {}
    names: dict[str, list[str]] = {}
    evidence: dict[str, list[Quote]] = {}
    sample: dict[str, list[Activity]] = {}
    for p in participants:
        listed: set[str] = set()
        kept = kept_ids(p.canvas)
        for rank, a in enumerate(p.canvas.activities, start=1):
            if a.id in listed:
                continue  # an id listed twice in one canvas counts once (the first, best)
            listed.add(a.id)
            named = a.id in kept
            votes.setdefault(a.id, []).append(
                Vote(p.name, a.status, a.priority, a.category, rank, a.score, named)
            )
            names.setdefault(a.id, []).append(a.name)
            if named:
                sample.setdefault(a.id, []).append(a)
            quotes = evidence.setdefault(a.id, [])
            seen: set[tuple[str, str]] = set()
            for e in a.evidence:
                if (e.question, e.quote) not in seen:
                    seen.add((e.question, e.quote))
                    quotes.append(Quote(p.name, e.question, e.quote, e.rule, a.status, named))

    everyone = [p.name for p in participants]
    stats: list[ActivityStats] = []
    for activity_id, vs in votes.items():
        named_votes = [v for v in vs if v.named]
        voters = {v.participant for v in vs}
        category = _consensus_category(named_votes) if named_votes else vs[0].category
        stats.append(
            ActivityStats(
                id=activity_id,
                name=_most_common(
                    [a.name for a in sample.get(activity_id, ())] or names[activity_id]
                ),
                category=category,
                votes=tuple(vs),
                absent=tuple(p for p in everyone if p not in voters),
                evidence=tuple(sorted(evidence[activity_id], key=lambda q: not q.named)),
                participants=n,
                mean_score=round(fmean(v.score for v in named_votes), 4) if named_votes else 0.0,
            )
        )

    def key(a: ActivityStats) -> tuple[float, int, float, str]:
        mean = a.mean_priority
        return (mean if mean is not None else 99.0, -len(a.named_by), -a.mean_score, a.id)

    consensus = sorted((a for a in stats if a.named_by and len(a.named_by) * 2 >= n), key=key)
    ranked = {a.id: i for i, a in enumerate(consensus, start=1)}
    others = sorted(
        (a for a in stats if a.id not in ranked),
        key=lambda a: (-len(a.named_by), key(a)),
    )
    final = [_with(a, consensus=True, rank=ranked[a.id]) for a in consensus] + others

    disagreements = _disagreements(final)
    dominant_votes: dict[str, list[str]] = {}
    for p in participants:
        dominant_votes.setdefault(p.canvas.dominant, []).append(p.name)
    known = {k: v for k, v in dominant_votes.items() if k != "unknown"}
    if len(known) > 1:
        sides = tuple(
            (CATEGORY_TITLES[t], tuple(who))
            for t, who in sorted(known.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        )
        disagreements.append(
            Disagreement(
                "business_type",
                "",
                "Business type",
                "; ".join(f"{_who(who)}: {said}" for said, who in sides),
                sides,
            )
        )

    blocks, generated = _blocks(participants)
    assumptions = _assumptions(participants)
    notes = _notes(participants)
    canvas = _consensus_canvas(
        participants,
        [a for a in final if a.consensus],
        sample,
        disagreements,
        blocks,
        title=title,
        created=created,
        counted=n,
    )
    splits = _splits(participants, disagreements)
    canvas = replace(
        canvas,
        notes=_canvas_notes(notes),
        assumptions=tuple(_assumption_line(a) for a in assumptions),
        warnings=canvas.warnings
        + tuple(
            CanvasWarning("strategic_split", f"{d.name}: {d.message}")
            for d in splits
            if d.kind != "business_type"  # already a warning, as a disagreement
        ),
    )
    return Merge(
        participants=tuple(participants),
        activities=tuple(final),
        disagreements=tuple(disagreements),
        canvas=canvas,
        banks=tuple(sorted({p.canvas.bank for p in participants})),
        blocks=blocks,
        dominant_votes={k: tuple(v) for k, v in dominant_votes.items()},
        assumptions=assumptions,
        notes=notes,
        unreviewed=unreviewed,
        splits=splits,
        generated=generated,
    )


def _splits(
    participants: Sequence[Participant], disagreements: Sequence[Disagreement]
) -> tuple[Disagreement, ...]:
    """The strategic splits: the business type (when types differ), then splits.toml's."""
    from canvas_tui.core.team.splits import business_type_split, find_splits

    found: list[Disagreement] = []
    for d in disagreements:
        if d.kind == "business_type":
            split = business_type_split(participants, d.sides)
            if split is not None:
                found.append(split)
    found.extend(find_splits(participants))
    return tuple(found)


def kept_ids(canvas: Canvas) -> set[str]:
    """The activities a participant kept: accepted (a top-three pick is accepted too).

    Not the rule of the canvas's own Key Activities block
    (`canvas_tui.core.canvas.model.key_activities`), on purpose: that one also counts the
    unrejected inferred focus and, on an unreviewed canvas, the first five suggestions. A
    team's consensus counts only choices a participant made, so a suggestion they never
    reviewed is not a vote (and a participant who kept nothing is listed as unreviewed).
    """
    return {a.id for a in canvas.activities if a.status == "accepted"}


def _prompts(participants: Sequence[Participant]) -> dict[str, str]:
    """Question id -> prompt (first given), in the order the interview asked them."""
    prompts: dict[str, str] = {}
    for p in participants:
        for qid in (*p.canvas.questions, *p.canvas.answers):
            if not prompts.get(qid):
                prompts[qid] = p.canvas.questions.get(qid, "")
    return prompts


def _assumptions(participants: Sequence[Participant]) -> tuple[FlaggedAssumption, ...]:
    """Every flagged answer with who flagged it; the same answer to the same question once.

    A flag on a question with no answer is left out, as the canvas exports do; a flag
    that is not a question id is free text and kept as it is.
    """
    prompts = _prompts(participants)
    found: dict[tuple[str, str], tuple[str, str, list[str]]] = {}
    for p in participants:
        for item in p.canvas.assumptions:
            if item in prompts:  # a question (of anybody's canvas)
                question, answer = item, p.canvas.answers.get(item, "")
                if not answer.strip():
                    continue  # flagged, but this participant has no answer to it
            else:
                question, answer = "", item
            key = (question, " ".join(answer.split()).casefold())
            _, _, who = found.setdefault(key, (question, answer, []))
            if p.name not in who:
                who.append(p.name)
    order = {qid: i for i, qid in enumerate(prompts)}
    items = sorted(found.values(), key=lambda f: order.get(f[0], len(order)))
    return tuple(
        FlaggedAssumption(q, prompts.get(q, ""), answer, tuple(who)) for q, answer, who in items
    )


def _notes(participants: Sequence[Participant]) -> tuple[Note, ...]:
    """Every facilitator note, by question (in the interview's order), then participant."""
    prompts = _prompts(participants)
    order = {qid: i for i, qid in enumerate(prompts)}
    notes = [
        Note(p.name, qid, prompts.get(qid, ""), text)
        for p in participants
        for qid, text in p.canvas.notes.items()
        if text.strip()
    ]
    position = {p.name: i for i, p in enumerate(participants)}
    notes.sort(key=lambda n: (order.get(n.question, len(order)), position[n.participant]))
    return tuple(notes)


def _canvas_notes(notes: Sequence[Note]) -> dict[str, str]:
    """The team canvas's ``notes``: per question, each participant's note on a line."""
    out: dict[str, list[str]] = {}
    for note in notes:
        out.setdefault(note.question, []).append(f"{note.participant}: {note.text}")
    return {qid: "\n".join(lines) for qid, lines in out.items()}


def _assumption_line(a: FlaggedAssumption) -> str:
    """One assumption of the team canvas, readable alone (the team canvas has no answers)."""
    who = ", ".join(a.participants)
    if not a.question:
        return f"{a.answer} (flagged by {who})"
    return f"{a.label}: {a.answer} (flagged by {who})"


def _consensus_category(named: Sequence[Vote]) -> str:
    """The category most of them gave; on a tie, that of whoever ranked it highest."""
    counts = Counter(v.category for v in named)
    best = max(counts.values())
    tied = [v for v in named if counts[v.category] == best]
    return min(tied, key=lambda v: v.priority_value).category  # min keeps input order on ties


def _with(a: ActivityStats, **changes: Any) -> ActivityStats:
    return replace(a, **changes)


def _blocks(
    participants: Sequence[Participant],
) -> tuple[dict[str, tuple[tuple[str, tuple[str, ...]], ...]], int]:
    """Per block: each distinct item (first wording) and who wrote it, in first-seen order;
    and how many generated items were left out.

    In the blocks derived from the activities (key resources, cost structure, key
    partners) only what a participant's own answers say counts (`people.own_items`): the
    items canvas-tui generated for each participant's activities are nobody's words."""
    from canvas_tui.core.team.people import own_items

    out: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {}
    generated = 0
    for block in BLOCKS:
        if block == "key_activities":
            continue  # the consensus activities stand for this block
        items: dict[str, tuple[str, list[str]]] = {}
        for p in participants:
            own, left_out = own_items(p.canvas, block)
            generated += left_out
            for item in own:
                k = " ".join(item.split()).casefold()
                if not k:
                    continue
                _, who = items.setdefault(k, (item.strip(), []))
                if p.name not in who:
                    who.append(p.name)
        out[block] = tuple((wording, tuple(who)) for wording, who in items.values())
    return out, generated


def _team_mix(participants: Sequence[Participant]) -> tuple[dict[str, float], str]:
    typed = [p.canvas for p in participants if p.canvas.dominant != "unknown"]
    if not typed:
        return dict.fromkeys(CORE_TYPES, 0.0), "unknown"
    mix = {t: fmean(float(c.mix.get(t, 0.0)) for c in typed) for t in CORE_TYPES}
    total = sum(mix.values())
    if total <= 0:
        return dict.fromkeys(CORE_TYPES, 0.0), "unknown"
    mix = {t: round(v / total, 4) for t, v in mix.items()}
    votes = Counter(c.dominant for c in typed)
    dominant = max(CORE_TYPES, key=lambda t: (mix[t], votes.get(t, 0)))
    mix[dominant] = round(mix[dominant] + 1.0 - sum(mix.values()), 4)  # sums to 1 exactly
    return mix, dominant


def _consensus_canvas(
    participants: Sequence[Participant],
    consensus: Sequence[ActivityStats],
    sample: Mapping[str, Sequence[Activity]],
    disagreements: Sequence[Disagreement],
    blocks: Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]],
    *,
    title: str | None,
    created: str,
    counted: int,
) -> Canvas:
    n = counted
    activities: list[Activity] = []
    for a in consensus:
        named = list(sample[a.id])
        kpis = Counter(k for x in named for k in _dedupe(x.kpis))
        first: dict[str, int] = {}
        for x in named:
            for k in x.kpis:
                first.setdefault(k, len(first))
        partner_votes = sum(1 for x in named if x.partner_candidate)
        hints = [x.partner_hint for x in named if x.partner_hint]
        serves = _dedupe(s for x in named for s in x.serves)
        mean = a.mean_priority or UNPRIORITISED
        priority = a.rank if a.rank <= 3 else 0
        activities.append(
            Activity(
                id=a.id,
                name=a.name,
                category=a.category,
                score=a.mean_score,
                priority=priority,
                status="accepted",  # the team's key activities
                evidence=tuple(
                    EvidenceRef(q.question, q.quote, q.rule) for q in a.evidence if q.named
                ),
                rationale=(
                    f"Named by {len(a.named_by)} of {n} participants ({_who(a.named_by)}); "
                    f"mean priority {mean:.2f}."
                ),
                kpis=tuple(sorted(kpis, key=lambda k: (-kpis[k], first.get(k, 0)))),
                partner_candidate=partner_votes * 2 > len(named),
                partner_hint=_most_common(hints) if hints else "",
                serves=tuple(serves),
                focus_reason=(
                    f"Ranked {a.rank} by the team: mean priority {mean:.2f} over "
                    f"{len(a.named_by)} participant(s)."
                    if priority
                    else ""
                ),
            )
        )
    mix, dominant = _team_mix(participants)
    canvas_blocks = {
        block: tuple(item for item, _ in blocks.get(block, ())) for block in BLOCKS
    } | {"key_activities": tuple(a.name for a in activities)}
    questions: dict[str, str] = {}
    for p in participants:
        for qid, prompt in p.canvas.questions.items():
            questions.setdefault(qid, prompt)
    banks = sorted({p.canvas.bank for p in participants})
    warnings = tuple(
        CanvasWarning("disagreement", f"{d.name}: {d.message}", (d.activity,) if d.activity else ())
        for d in disagreements
    )
    return Canvas(
        title=title or f"Team canvas ({len(participants)} participants)",
        created=created,
        bank="+".join(banks),
        generator=GENERATOR,
        blocks=canvas_blocks,
        dominant=dominant,
        mix=mix,
        activities=tuple(activities),
        answers={},
        questions=questions,
        warnings=warnings,
    )
