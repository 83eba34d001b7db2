"""Key-activity inference: a pure function of (answers, catalogue).

`infer()` reads each answer once (tokens, signal matches, negation, who does it), weighs
the matches by guiding section and question, sums them per activity with diminishing
returns, decides the business type and ranks the activities. docs/inference.md states
the formula and the tie-break rule. No clock, no randomness, no I/O: the same input gives
the same output.

The steps live in their own modules; this one runs them in order and re-exports the
public names other code imports from here:

| step | module |
|---|---|
| the result dataclasses (`Inference`, `Candidate`, `Evidence`, `Advice`) | `results` |
| compiling the catalogue | `matching` (words and phrases: `text`; typos: `typos`) |
| reading one answer (negation, who does it, customer words) | `answer_reader` and the rule modules it lists; the data: `reading` |
| weighing one answer's mentions for its question and section; vague answers | `weighing` |
| summing per activity, `[[adjust]]` rules, the 0..1 score | `scoring` |
| the business-type mix | `typemix` |
| rationale, focus, coherence and bloat warnings | `advice` |
| key resources, partners and costs from the kept activities | `blocks` |
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from canvas_tui.core.inference import advice, meaning, typemix
from canvas_tui.core.inference.blocks import derive_blocks
from canvas_tui.core.inference.catalogue import CATEGORIES, CORE_TYPES, GUIDING, Catalogue
from canvas_tui.core.inference.customers import customer_words
from canvas_tui.core.inference.matching import compiled_for
from canvas_tui.core.inference.results import (
    Advice,
    Candidate,
    CustomerMention,
    Evidence,
    Inference,
    PartnerMention,
)
from canvas_tui.core.inference.scoring import Tally, adjust_factors, cue_totals, raw_scores, score
from canvas_tui.core.inference.weighing import all_about_customers, section_of, weigh

__all__ = [
    "CATEGORIES",
    "CORE_TYPES",
    "GUIDING",
    "Advice",
    "Candidate",
    "CustomerMention",
    "Evidence",
    "Inference",
    "PartnerMention",
    "derive_blocks",
    "infer",
]


def infer(
    answers: Mapping[str, str],
    catalogue: Catalogue,
    *,
    sections: Mapping[str, str] | None = None,
) -> Inference:
    """Infer the key activities, the business type, focus, warnings and probes."""
    compiled = compiled_for(catalogue)
    activities = compiled.activities
    order = {s: i for i, s in enumerate(GUIDING)}
    qids = sorted(
        (q for q, t in answers.items() if isinstance(t, str) and t.strip()),
        key=lambda q: (order.get(section_of(q, sections), len(order)), q),
    )
    tallies: dict[int, Tally] = {}
    cue_points: dict[str, list[float]] = {t: [] for t in CORE_TYPES}
    noun_points: dict[str, list[float]] = {t: [] for t in CORE_TYPES}
    contexts: dict[tuple[str, int], str] = {}
    promises: dict[int, tuple[str, str]] = {}
    warnings: list[Advice] = []
    probes: dict[str, str] = {}
    partners: list[PartnerMention] = []
    customers: list[CustomerMention] = []
    shares: list[tuple[float, tuple[tuple[str, float], ...]]] = []
    used: list[str] = []

    # the nouns the answers use for the customers ("for arable farms"): the same nouns in
    # any answer name the customers, not the business's work ("repeat farms")
    customer = frozenset().union(
        *(
            customer_words(
                all_about_customers(compiled.read(answers[q]))
                if compiled.roles.about_customers(q)
                else compiled.read(answers[q])
            )
            for q in qids
        )
    )
    for qid in qids:
        section = section_of(qid, sections)
        weighed = weigh(compiled, catalogue, qid, answers[qid], section, customer)
        if weighed.vague:
            if not (answers.get(qid + ".more") or "").strip():
                vague = catalogue.vague
                follow = "" if qid.endswith(".more") else " A follow-up question asks for more."
                warnings.append(Advice("vague", vague.message + follow, question=qid))
                if not qid.endswith(".more"):
                    probes[qid] = vague.probe_for(section, qid)
            continue
        used.append(qid)
        text = answers[qid]
        for name, start, end, _name_end, done in weighed.partners:
            partners.append(
                PartnerMention(
                    name,
                    qid,
                    text[start:end],
                    start,
                    end,
                    tuple(activities[i].id for i in done),
                )
            )
        customers += [CustomerMention(qid, text[s:e], s, e) for s, e in weighed.customers]
        stated = sum(a for a, _ in weighed.shares if a is not None)
        for amount, line in weighed.shares:
            if amount is None:  # "the rest": what the stated shares leave
                amount = max(0.0, 1.0 - stated) if stated else 0.0
            if amount > 0:
                shares.append((amount, line))
        for type_, weight in weighed.cues:
            cue_points[type_].append(weight)
        for type_, weight in weighed.identity:
            noun_points[type_].append(weight)
        for ref, quote in weighed.promises:
            promises.setdefault(ref, (qid, quote))
        contexts.update({(qid, start): text for start, text in weighed.contexts.items()})
        rank = order.get(section, len(order))
        for index, weight, evidence, negated, target in weighed.items:
            tally = tallies.setdefault(index, Tally())
            if negated:
                tally.negations.append(evidence)
                continue
            tally.contributions.append((weight, rank, evidence, section))
            if target is not None:
                managed = replace(evidence, rule=evidence.rule + advice.PARTNER_RULE, mode="own")
                tallies.setdefault(target, Tally()).contributions.append(
                    (weight, rank, managed, section)
                )

    cue_raw = cue_totals(cue_points)
    noun_raw = cue_totals(noun_points)
    # [[adjust]] rules look at all the explicit evidence of a type: its cues and its nouns
    # (nouns in cue units: as much as they add to the type's points)
    to_cue = catalogue.identity.factor / typemix.CUE_FACTOR
    explicit = {t: cue_raw[t] + to_cue * noun_raw[t] for t in CORE_TYPES}
    factors = adjust_factors(catalogue, compiled, explicit)
    raws = raw_scores(tallies, compiled, factors)
    # The type mix comes from these scores; then core activities of another type than
    # the dominant one are ranked a little lower (they rarely are the key ones).
    # For the type, evidence counts by the section it came from (what the business is
    # and does says more than how customers find it or pay: [type_mix]).
    by_section = dict(catalogue.type_mix.section_weights)
    type_raws = raw_scores(tallies, compiled, factors, by_section) if by_section else raws
    handling = [compiled.index[a] for a in compiled.roles.service_handling if a in compiled.index]
    moved = typemix.service_moves(explicit, handling)
    type_scores = {i: score(r) for i, r in type_raws.items()}
    roles = compiled.roles
    made = [compiled.index[a] for a in roles.maker_moves if a in compiled.index]
    moved.update(
        typemix.maker_moves(type_scores, compiled.index.get(roles.maker), roles.maker_min, made)
    )
    points = typemix.type_points(type_scores, activities, moved)
    identity = {t: catalogue.identity.factor * v for t, v in noun_raw.items()}
    mix, dominant = typemix.mix(points, cue_raw, identity)
    strength = typemix.strength(points, cue_raw, identity)
    if dominant != "unknown" and strength < typemix.THIN:
        # too little to say what the business is: no confident guess on a word or two
        mix, dominant = {t: 0.0 for t in CORE_TYPES}, "unknown"
    else:
        # the meaning layer's reading of the type, learned from labelled businesses, on
        # top of the rules' mix (the answers the rules used; none when the layer is off)
        mix, dominant = typemix.with_layer(
            mix,
            dominant,
            meaning.type_scores(
                {q: answers[q] for q in used}, lambda q: section_of(q, sections), catalogue
            ),
            meaning.TYPE_WEIGHT,
        )
        mix, dominant = typemix.follow_money(mix, dominant, shares, compiled.roles.share_weight)
    if typemix.off_type(mix, dominant):
        for index in raws:
            category = activities[index].category
            if category in CORE_TYPES and category != dominant:
                raws[index] *= typemix.OFF_TYPE_FACTOR
    # what the answers say in words, before the layer (the bloat warning counts this)
    said = {activities[i].id: score(raw) for i, raw in raws.items()}
    # the meaning layer (similarity + linear layer) on top of the rules; no-op without it
    meaning.blend(
        answers,
        lambda q: section_of(q, sections),
        catalogue,
        compiled,
        raws,
        tallies,
        dominant,
        customer,
    )

    built: list[tuple[tuple[float, int, int, int, int], Candidate]] = []
    for index, raw in raws.items():
        tally = tallies[index]
        activity = activities[index]
        value = score(raw)
        if value <= 0:
            continue
        strongest = sorted(
            tally.contributions, key=lambda c: (-c[0], c[1], c[2].question, c[2].start)
        )
        found = _unique(c[2] for c in strongest)
        serves = tuple(s for s in GUIDING if any(c[3] == s for c in tally.contributions))
        best = found[0]
        candidate = Candidate(
            id=activity.id,
            name=activity.name,
            category=activity.category,
            score=value,
            evidence=found,
            rationale=advice.rationale(
                activity,
                found,
                contexts.get((best.question, best.start), best.quote),
                section_of(best.question, sections),
                factors.get(index, (1.0, ""))[1],
            ),
            kpis=activity.kpis,
            partner_candidate=any(e.mode == "partner" for e in found) or activity.partner_default,
            partner_hint=activity.partner_hint,
            serves=serves,
        )
        key = (
            -value,
            -len(found),
            -len(serves),
            CATEGORIES.index(activity.category) if activity.category in CATEGORIES else 9,
            index,
        )
        built.append((key, candidate))
    built.sort(key=lambda kc: kc[0])
    ranked = advice.partner_work_last(advice.trim([c for _, c in built]))
    offer = frozenset(q for q in qids if section_of(q, sections) == "value_proposition")
    candidates = advice.focus(ranked, dominant, offer)
    warnings += advice.coherence(catalogue, compiled, candidates, tallies, promises, contexts)
    warnings += advice.bloat(candidates, said)
    confidence = advice.confidence(candidates, mix, dominant, strength, len(used), len(qids))
    if confidence == "low":
        # answers about the customers give no evidence of our work by design: no probe
        own_work = [q for q in qids if not compiled.roles.about_customers(q)]
        probes.update(
            advice.thin_probes(catalogue, own_work, used, tallies, answers, probes, sections)
        )
    return Inference(
        tuple(candidates),
        mix,
        dominant,
        tuple(warnings),
        probes,
        tuple(partners),
        confidence,
        tuple(customers),
    )


def _who_does_it(evidence: Iterable[Evidence]) -> str:
    """The partner the answers name for this work ("a 3PL"), if any."""
    return next((e.by for e in evidence if e.by), "")


def _unique(evidence: Iterable[Evidence]) -> tuple[Evidence, ...]:
    seen: set[tuple[str, int, int]] = set()
    out = []
    for e in evidence:
        key = (e.question, e.start, e.end)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return tuple(out)
