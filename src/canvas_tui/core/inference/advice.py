"""What the inference says about the ranked candidates as a whole: the rationale of each,
the focus (top three with a reason), coherence warnings and the bloat warning."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from canvas_tui.core.inference.catalogue import ActivityDef, Catalogue
from canvas_tui.core.inference.matching import Compiled
from canvas_tui.core.inference.results import Advice, Candidate, Evidence
from canvas_tui.core.inference.scoring import Tally

REAL_EVIDENCE = 0.6  # a candidate with at least this score counts toward bloat
BLOAT_LIMIT = 7
TOP_FOCUS = 3
COHERENCE_MIN = 0.3  # a contradicting activity must be at least this strong to warn
PARTNER_RULE = " (a partner does it)"

_TYPE_LABEL = {
    "production": "production",
    "problem_solving": "problem-solving",
    "platform_network": "platform",
}
_SECTION_LABEL = {
    "value_proposition": "your value proposition",
    "channels": "channels",
    "relationships": "customer relationships",
    "revenue": "revenue streams",
}


def _join(items: Sequence[str]) -> str:
    """ "your value proposition, channels and revenue streams" """
    if not items:
        return ""
    text = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    return text if text.startswith("your") else "your " + text


def rationale(
    activity: ActivityDef,
    evidence: Sequence[Evidence],
    quote: str,
    section: str,
    adjusted: str = "",
) -> str:
    """One sentence a person would accept: the quote, then why it makes the activity key."""
    best = evidence[0]
    partner_modes = [e for e in evidence if e.mode == "partner"]
    name = activity.name[:1].lower() + activity.name[1:]
    if best.rule.endswith(PARTNER_RULE):
        text = (
            f'You said "{quote}": someone else does this for you, so {name} — '
            "choosing that partner and managing the relationship — is the key activity."
        )
    elif len(partner_modes) == len(evidence):
        hint = activity.partner_hint or "partner"
        text = (
            f'You said "{quote}": {name} is done by a partner, so it stays key, '
            f"and choosing and managing that {hint} well is the real activity."
        )
    else:
        why = activity.why_for(section) or activity.description.rstrip(".").lower()
        text = f'You said "{quote}": {why}.'
    if adjusted:
        text = text[:-1] + f" (weighted down: {adjusted})."
    return text


def focus(candidates: list[Candidate], dominant: str) -> list[Candidate]:
    out = []
    for rank, c in enumerate(candidates):
        if rank >= TOP_FOCUS:
            out.append(c)
            continue
        where = _join([_SECTION_LABEL[s] for s in c.serves]) or "your answers"
        mentions = f"{len(c.evidence)} mention{'s' if len(c.evidence) != 1 else ''}"
        lead = "the strongest evidence" if rank == 0 else "the next strongest evidence"
        reason = f"Priority {rank + 1}: {lead} in your answers ({mentions}, about {where})"
        if c.category == dominant and dominant in _TYPE_LABEL:
            reason += f", and it is core to a {_TYPE_LABEL[dominant]} business"
        elif c.category == "supporting":
            reason += "; it supports the core work rather than being it"
        if c.partner_candidate:
            reason += f"; consider whether a {c.partner_hint or 'partner'} could do it"
        out.append(replace(c, priority=rank + 1, focus_reason=reason + "."))
    return out


def bloat(candidates: Sequence[Candidate]) -> list[Advice]:
    strong = [c for c in candidates if c.score >= REAL_EVIDENCE]
    if len(strong) <= BLOAT_LIMIT:
        return []
    rest = ", ".join(c.name for c in strong[TOP_FOCUS:])
    return [
        Advice(
            "bloat",
            f"{len(strong)} activities have real evidence. A long list of 'key' "
            "activities is a warning sign: focus on the top three and treat the rest "
            f"({rest}) as supporting or as work for partners.",
            tuple(c.id for c in strong[TOP_FOCUS:]),
        )
    ]


def coherence(
    catalogue: Catalogue,
    compiled: Compiled,
    candidates: Sequence[Candidate],
    tallies: Mapping[int, Tally],
    promises: Mapping[int, tuple[str, str]],
    contexts: Mapping[tuple[str, int], str],
) -> list[Advice]:
    out: list[Advice] = []
    strong = {c.id: c for c in candidates if c.score >= COHERENCE_MIN}
    for r, rule in enumerate(catalogue.coherence):
        if r not in promises:
            continue
        hit = [strong[i] for i in rule.activities if i in strong]
        if hit:
            qid, quote = promises[r]
            names = " and ".join(c.name.lower() for c in hit)
            out.append(
                Advice(
                    "coherence",
                    f'You said "{quote}". ' + rule.message.replace("{activity}", names),
                    tuple(c.id for c in hit),
                    qid,
                )
            )
    for index, tally in sorted(tallies.items()):
        ident = compiled.activities[index].id
        if tally.negations and ident in strong:
            neg = tally.negations[0]
            pos = strong[ident].evidence[0]
            out.append(
                Advice(
                    "coherence",
                    f'You said "{contexts.get((neg.question, neg.start), neg.quote)}" but also '
                    f'"{contexts.get((pos.question, pos.start), pos.quote)}": '
                    f"{strong[ident].name.lower()} cannot be both absent and key. Which is it?",
                    (ident,),
                    neg.question,
                )
            )
    return out
