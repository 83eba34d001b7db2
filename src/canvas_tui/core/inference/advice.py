"""What the inference says about the ranked candidates as a whole: the rationale of each,
the trimmed list (at most `MAX_SUGGESTIONS`, partner work after the top three), the focus
(top three with a reason), coherence and bloat warnings, and how confident it all is."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from canvas_tui.core.inference.catalogue import CORE_TYPES, ActivityDef, Catalogue
from canvas_tui.core.inference.function_words import OWN
from canvas_tui.core.inference.matching import Compiled
from canvas_tui.core.inference.results import Advice, Candidate, Evidence
from canvas_tui.core.inference.scoring import Tally

REAL_EVIDENCE = 0.6  # a candidate with at least this score counts toward bloat
BLOAT_LIMIT = 7
TOP_FOCUS = 3
#: the business type's core work with at least this score goes into the top three before
#: supporting work with stronger evidence (sales, marketing rarely are the key activities)
FOCUS_CORE_MIN = 0.6
STATED_WITHIN = 5  # ...and a core activity the offer states in our own words ranks first
FOCUS_SUPPORTING = 1  # ...while more than this many supporting activities are in it
#: partner work is listed after this many own activities: "a 3PL packs and ships" is
#: the 3PL's work, worth managing, but not one of the first things the business does
PARTNER_AFTER = 5
#: partner work unless our own evidence weighs more than this many times the partner's
#: (partner evidence is already halved: PARTNER_FACTOR)
PARTNER_OUTWEIGHS = 2.0
COHERENCE_MIN = 0.3  # a contradicting activity must be at least this strong to warn
PARTNER_RULE = " (a partner does it)"
MAX_SUGGESTIONS = 12  # a longer list is noise: nobody reviews 25 "key" activities
#: a suggestion needs at least this score (about one normal mention of our own work, or
#: two hints); weaker ones are the noise tail and are dropped
MIN_SCORE = 0.15
#: own evidence of at least this weight makes partner work "also clearly ours"
OWN_CLEAR = 1.5
#: confidence: "high" needs a dominant type with at least this share, leading the next
#: type by HIGH_MARGIN, a first activity of at least HIGH_SCORE and this much type evidence
HIGH_SHARE = 0.55
HIGH_MARGIN = 0.2
HIGH_SCORE = 0.6
HIGH_STRENGTH = 1.0
#: below these it is "low"
LOW_SCORE = 0.4
LOW_STRENGTH = 0.5

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
    by = next((e.by for e in evidence if e.by), "")
    if best.rule.endswith(PARTNER_RULE):
        who = f"{by} does" if by else "someone else does"
        text = (
            f'You said "{quote}": {who} this for you, so {name} — '
            "choosing that partner and managing the relationship — is the key activity."
        )
    elif len(partner_modes) == len(evidence):
        hint = activity.partner_hint or "partner"
        if by:
            text = (
                f'You said "{quote}": {by} does this for you, so {name} is partner work; '
                "your key activity is choosing and managing that partner well."
            )
        else:
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


def focus(
    candidates: list[Candidate], dominant: str, offer: frozenset[str] | None = None
) -> list[Candidate]:
    """The top three (priority 1..3, with the reason): own work, the business type's core
    work first. Work the answers say a partner does gets no priority: it is in the top
    three only if the user puts it there. The list keeps its order (by score). `offer`:
    the questions of the value-proposition section (default: `value_proposition.*`)."""
    stated = functools.partial(_stated, offer=offer)
    ranks = {id(c): rank for rank, c in enumerate(_focus_order(candidates, dominant, stated))}
    first = next((c for c in candidates if not partner_work(c)), None)
    out = []
    for c in candidates:
        rank = ranks.get(id(c))
        if rank is None:
            out.append(c)
            continue
        where = _join([_SECTION_LABEL[s] for s in c.serves]) or "your answers"
        mentions = f"{len(c.evidence)} mention{'s' if len(c.evidence) != 1 else ''}"
        if rank == 0 and c is first:
            lead = "the strongest evidence in your answers"
        elif rank == 0 and c.category == dominant and stated(c):
            lead = "your offer says you do this yourself"
        elif rank == 0:
            lead = "the strongest evidence of core work in your answers"
        else:
            lead = "the next strongest evidence in your answers"
        reason = f"Priority {rank + 1}: {lead} ({mentions}, about {where})"
        if c.category == dominant and dominant in _TYPE_LABEL:
            reason += f", and it is core to a {_TYPE_LABEL[dominant]} business"
        elif c.category == "supporting":
            reason += "; it supports the core work rather than being it"
        by = next((e.by for e in c.evidence if e.by), "")
        if by:
            reason += f"; {by} does it for you: manage that partner well"
        elif c.partner_candidate:
            reason += f"; consider whether a {c.partner_hint or 'partner'} could do it"
        out.append(replace(c, priority=rank + 1, focus_reason=reason + "."))
    return out


def _focus_order(
    candidates: Sequence[Candidate], dominant: str, said: Callable[[Candidate], bool]
) -> list[Candidate]:
    """The top three in priority order: the first TOP_FOCUS own candidates (never a
    partner's work), with supporting ones beyond FOCUS_SUPPORTING swapped for the
    business type's core work with real evidence (FOCUS_CORE_MIN); core work first,
    then the rest, each in rank order (a roaster's roasting before its account manager)."""
    own = [c for c in candidates if not partner_work(c)]
    chosen = own[:TOP_FOCUS]
    core = [c for c in own[TOP_FOCUS:] if c.category == dominant and c.score >= FOCUS_CORE_MIN]
    while core and sum(c.category == "supporting" for c in chosen) > FOCUS_SUPPORTING:
        weakest = max(i for i, c in enumerate(chosen) if c.category == "supporting")
        chosen[weakest] = core.pop(0)
    stated = next((c for c in own[:STATED_WITHIN] if c.category == dominant and said(c)), None)
    if stated is not None and all(c is not stated for c in chosen):
        drop = max(
            range(len(chosen)),
            key=lambda i: (chosen[i].category == "supporting", chosen[i].category != dominant, i),
        )
        chosen[drop] = stated
    order = {id(c): i for i, c in enumerate(candidates)}
    return sorted(
        chosen,
        key=lambda c: (
            c is not stated,
            not (c.category == dominant and c.score >= FOCUS_CORE_MIN),
            order[id(c)],
        ),
    )


def _stated(c: Candidate, offer: frozenset[str] | None = None) -> bool:
    """Whether the offer says in the business's own words that it does this ("we roast")."""
    return any(
        e.mode == "own"
        and (e.question in offer if offer is not None else e.question.startswith("value_prop"))
        and e.rule.split(" ", 1)[0] in OWN
        for e in c.evidence
    )


def partner_work(c: Candidate) -> bool:
    """Work the answers say a partner does, and that is not also clearly ours."""
    if not any(e.mode == "partner" for e in c.evidence):
        return False
    own = sum(e.weight for e in c.evidence if e.mode == "own")
    partner = sum(e.weight for e in c.evidence if e.mode == "partner")
    # a partner named doing it outweighs a few generic words of ours ("order", "box")
    return not clearly_ours(own, partner)


def clearly_ours(own: float, partner: float, clear: float = OWN_CLEAR) -> bool:
    """Whether our own evidence for work a partner also does (summed weights) is clear:
    at least `clear`, and PARTNER_OUTWEIGHS times the partner's."""
    return own >= clear and own >= PARTNER_OUTWEIGHS * partner


def partner_work_last(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Partner work stays out of the first five while there is own work to put there."""
    out: list[Candidate] = []
    deferred: list[Candidate] = []
    for c in candidates:
        if len(out) < PARTNER_AFTER and partner_work(c):
            deferred.append(c)
            continue
        out.append(c)
        if len(out) == PARTNER_AFTER:
            out += deferred
            deferred = []
    return out + deferred


def trim(candidates: Sequence[Candidate]) -> list[Candidate]:
    """At most MAX_SUGGESTIONS, none below MIN_SCORE (the noise tail)."""
    return [c for c in candidates if c.score >= MIN_SCORE][:MAX_SUGGESTIONS]


def confidence(
    candidates: Sequence[Candidate],
    mix: Mapping[str, float],
    dominant: str,
    strength: float,
    used: int,
    answered: int,
) -> str:
    """ "high" | "medium" | "low": how far the type and the list follow from the evidence.

    Low: no type, too little type evidence, a weak first activity, or most answers too
    vague to use. High: a clear type (share and lead), a strong first activity and enough
    evidence. Medium: the rest."""
    top = max((c.score for c in candidates if c.category != "supporting"), default=0.0)
    if (
        dominant not in CORE_TYPES
        or strength < LOW_STRENGTH
        or top < LOW_SCORE
        or used * 2 < answered
    ):
        return "low"
    share = mix.get(dominant, 0.0)
    runner_up = max((v for t, v in mix.items() if t != dominant), default=0.0)
    if (
        share >= HIGH_SHARE
        and share - runner_up >= HIGH_MARGIN
        and top >= HIGH_SCORE
        and strength >= HIGH_STRENGTH
    ):
        return "high"
    return "medium"


def thin_probes(
    catalogue: Catalogue,
    qids: Sequence[str],
    used: Sequence[str],
    tallies: Mapping[int, Tally],
    answers: Mapping[str, str],
    probes: Mapping[str, str],
    sections: Mapping[str, str] | None,
) -> dict[str, str]:
    """When confidence is low: a follow-up for each answered question whose answer gave
    no evidence of our own work (and has no follow-up yet), naming what to add."""
    from canvas_tui.core.inference.weighing import section_of

    gave: dict[str, float] = {}
    for tally in tallies.values():
        for weight, _rank, evidence, _section in tally.contributions:
            if evidence.mode == "own":
                q = evidence.question.removesuffix(".more")
                gave[q] = gave.get(q, 0.0) + weight
    out: dict[str, str] = {}
    for qid in qids:
        if qid.endswith(".more") or qid in probes or (answers.get(qid + ".more") or "").strip():
            continue
        if gave.get(qid, 0.0) < 1.0:
            out[qid] = catalogue.vague.probe_for(section_of(qid, sections), qid)
    return out


def bloat(candidates: Sequence[Candidate], said: Mapping[str, float] | None = None) -> list[Advice]:
    """A warning when more than BLOAT_LIMIT activities have real evidence: a score of at
    least REAL_EVIDENCE from what the answers say (`said`: activity id -> the rules' own
    score, before the meaning layer; without it, the candidates' scores)."""
    said = said if said is not None else {c.id: c.score for c in candidates}
    strong = [c for c in candidates if said.get(c.id, 0.0) >= REAL_EVIDENCE]
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
