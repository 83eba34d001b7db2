"""From weighed mentions to one score per activity.

Per activity the mentions add up with diminishing returns (the k-th strongest counts
`DECAY**k`), supporting activities rank a little below core work, `[[adjust]]` rules scale
some activities when a type's cues are strong or weak, and the raw sum becomes a score in
0..1. docs/inference.md ("Scoring") states the formula.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from canvas_tui.core.inference.catalogue import CORE_TYPES, Catalogue
from canvas_tui.core.inference.matching import Compiled
from canvas_tui.core.inference.results import Evidence

DECAY = 0.7  # the k-th strongest mention of an activity counts DECAY**k
SCALE = 3.0  # score = 1 - exp(-raw / SCALE)
CATEGORY_FACTOR = {"supporting": 0.6}  # marketing & co. rank below core work (round 7, by CV)
CUE_DECAY = 0.8
LEAD = 0.8  # a min_cue adjust rule needs its type's cues at 80 % of the strongest type's
#: In the revenue answer a supporting activity counts only its strongest mention: a
#: pricing model is one fact however many words say it ("monthly subscription, £120 a
#: month" is one subscription), and the billing or pricing work it implies should not
#: outrank core work that has comparable evidence.
ONE_FACT_SECTIONS = frozenset({"revenue"})


@dataclass
class Tally:
    """The evidence gathered for one activity over all answers."""

    #: (weight, rank of the guiding section, evidence, section)
    contributions: list[tuple[float, int, Evidence, str]] = field(default_factory=list)
    negations: list[Evidence] = field(default_factory=list)


def decayed(values: Sequence[float], decay: float) -> float:
    return sum(v * decay**i for i, v in enumerate(sorted(values, reverse=True)))


def score(raw: float) -> float:
    return round(1.0 - math.exp(-raw / SCALE), 4)


def cue_totals(cue_points: Mapping[str, Sequence[float]]) -> dict[str, float]:
    """Each type's cue mentions, strongest first, with diminishing returns."""
    return {t: decayed(cue_points.get(t, ()), CUE_DECAY) for t in CORE_TYPES}


def adjust_factors(
    catalogue: Catalogue, compiled: Compiled, cue_raw: Mapping[str, float]
) -> dict[int, tuple[float, str]]:
    """activity index -> (factor, reason) from the `[[adjust]]` rules that apply."""
    factors: dict[int, tuple[float, str]] = {}
    strongest = max(cue_raw.values())
    for rule in catalogue.adjust:
        points = cue_raw[rule.type]
        if rule.min_cue > 0 and not (points >= rule.min_cue and points >= LEAD * strongest):
            continue
        if points >= rule.max_cue:
            continue
        for ident in rule.activities:
            if ident in compiled.index:
                old = factors.get(compiled.index[ident], (1.0, ""))
                reason = "; ".join(r for r in (old[1], rule.reason) if r)
                factors[compiled.index[ident]] = (old[0] * rule.factor, reason)
    return factors


def raw_scores(
    tallies: Mapping[int, Tally],
    compiled: Compiled,
    factors: Mapping[int, tuple[float, str]],
    section_weights: Mapping[str, float] | None = None,
) -> dict[int, float]:
    """activity index -> raw score (before the off-type factor and the 0..1 scale).

    With `section_weights` (section -> multiplier) each mention is weighed by the section
    it came from: the evidence as it counts toward the business type."""
    raws: dict[int, float] = {}
    for index, tally in tallies.items():
        if tally.contributions:
            activity = compiled.activities[index]
            weights = []
            facts: set[str] = set()
            for weight, _rank, evidence, section in sorted(
                tally.contributions, key=lambda c: -c[0]
            ):
                if activity.category == "supporting" and section in ONE_FACT_SECTIONS:
                    if evidence.question in facts:
                        continue
                    facts.add(evidence.question)
                weights.append(
                    weight * (section_weights.get(section, 1.0) if section_weights else 1.0)
                )
            raw = decayed(weights, DECAY)
            raw *= CATEGORY_FACTOR.get(activity.category, 1.0)
            raws[index] = raw * factors.get(index, (1.0, ""))[0]
    return raws
