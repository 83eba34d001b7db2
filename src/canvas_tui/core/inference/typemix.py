"""The business type: production, problem solving or platform, and how much of each.

points(type) = Σ type_weight × score² over the non-supporting candidates of that type,
plus `CUE_FACTOR` × that type's cue points; the mix is the share of each. Supporting
activities never count. docs/inference.md ("Business type") states the rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from canvas_tui.core.inference.catalogue import CORE_TYPES, ActivityDef

TYPE_POWER = 2.0  # strong activities decide the type more than a tail of weak ones
CUE_FACTOR = 0.3  # cue points relative to activity scores in the type mix
OFF_TYPE_FACTOR = 0.85  # core activities of a non-dominant type rank a little lower
OFF_TYPE_MIN_SHARE = 0.45  # ...once the dominant type has at least this share of the mix
OFF_TYPE_MARGIN = 0.1  # ...and leads the next type by at least this much
#: below this many type points in all (one decisive mention of our own work is about 0.4)
#: the answers do not say what the business is: the type is "unknown"
THIN = 0.12
#: the explicit service evidence (cue units) that makes moving and keeping goods the
#: service itself: more than one cue (a self-described haulier, 3PL, courier is ~7) and
#: at least 1.5 times the explicit product evidence (round 10 by CV: 2 -> 1.5, +2 types)
SERVICE_MIN = 5.0
SERVICE_MARGIN = 1.5


def type_points(
    scores: Mapping[int, float],
    activities: Sequence[ActivityDef],
    moved: Mapping[int, str] | None = None,
) -> dict[str, float]:
    """Σ type_weight × score² per category; `moved` counts some activities for another
    type (a carrier's logistics is its service: problem solving)."""
    points: dict[str, float] = {}
    moved = moved or {}
    for index, value in scores.items():
        activity = activities[index]
        category = moved.get(index, activity.category)
        points[category] = points.get(category, 0.0) + activity.type_weight * value**TYPE_POWER
    return points


def service_moves(explicit: Mapping[str, float], handling: Sequence[int]) -> dict[int, str]:
    """Whether moving and keeping goods is the service itself: when the explicit
    business-model evidence (cues, nouns) says problem solving clearly more than
    production, the handling activities count toward problem solving (roles.toml
    [service] handling)."""
    service = explicit.get("problem_solving", 0.0)
    if service >= SERVICE_MIN and service > SERVICE_MARGIN * explicit.get("production", 0.0):
        return {index: "problem_solving" for index in handling}
    return {}


def maker_moves(
    scores: Mapping[int, float], maker: int | None, minimum: float, moves: Sequence[int]
) -> dict[int, str]:
    """Made to order: when the making activity scores at least `minimum`, the custom
    design and service activities count toward production (roles.toml [made_to_order])."""
    if maker is None or scores.get(maker, 0.0) < minimum:
        return {}
    return {index: "production" for index in moves}


def mix(
    type_points: Mapping[str, float],
    cue_raw: Mapping[str, float],
    identity: Mapping[str, float] | None = None,
) -> tuple[dict[str, float], str]:
    """The type mix from activity points per category plus cue points (supporting ignored)
    plus the points of the business nouns (`identity`: what the business is)."""
    identity = identity or {}
    points = {
        t: CUE_FACTOR * cue_raw[t] + type_points.get(t, 0.0) + identity.get(t, 0.0)
        for t in CORE_TYPES
    }
    total = sum(points.values())
    if total <= 0:
        return {t: 0.0 for t in CORE_TYPES}, "unknown"
    shares = {t: round(points[t] / total, 4) for t in CORE_TYPES}
    dominant = max(CORE_TYPES, key=lambda t: (points[t], -CORE_TYPES.index(t)))
    shares[dominant] = round(shares[dominant] + 1.0 - sum(shares.values()), 4)
    return shares, dominant


def off_type(shares: Mapping[str, float], dominant: str) -> bool:
    """Whether the dominant type is clear enough to rank other types' core work lower."""
    runner_up = sorted(shares.values())[-2]
    return (
        dominant in CORE_TYPES
        and shares[dominant] >= OFF_TYPE_MIN_SHARE
        and shares[dominant] - runner_up >= OFF_TYPE_MARGIN
    )


def strength(
    type_points: Mapping[str, float],
    cue_raw: Mapping[str, float],
    identity: Mapping[str, float] | None = None,
) -> float:
    """All the type evidence there is, in the units of `mix` (before sharing it out)."""
    identity = identity or {}
    return sum(
        CUE_FACTOR * cue_raw.get(t, 0.0) + type_points.get(t, 0.0) + identity.get(t, 0.0)
        for t in CORE_TYPES
    )


def follow_money(
    shares: Mapping[str, float],
    dominant: str,
    stated: Sequence[tuple[float, Sequence[tuple[str, float]]]],
    weight: float,
) -> tuple[dict[str, float], str]:
    """Blend the mix with the revenue shares the answers state (follow the money).

    Each stated share (amount, the types of its line) puts that amount on the line's
    types; what no share covers keeps the mix of the words, and so does the part of a
    share its line is not believed for (a line's fractions add up to less than 1). The
    result is (1 - weight) x words + weight x money, so "80 % of revenue is the app"
    makes a platform of a business whose words are mostly about consulting."""
    if not stated or dominant not in CORE_TYPES:
        return dict(shares), dominant
    money = {t: 0.0 for t in CORE_TYPES}
    covered = 0.0
    doubt = 0.0
    for amount, line in stated:
        amount = min(amount, max(0.0, 1.0 - covered))
        covered += amount
        for type_, fraction in line:
            if type_ in money:
                money[type_] += amount * fraction
        doubt += amount * max(0.0, 1.0 - sum(fraction for _, fraction in line))
    if covered <= 0:
        return dict(shares), dominant
    for t in CORE_TYPES:
        money[t] += (1.0 - covered + doubt) * shares.get(t, 0.0)
    blended = {t: (1 - weight) * shares.get(t, 0.0) + weight * money[t] for t in CORE_TYPES}
    total = sum(blended.values())
    out = {t: round(blended[t] / total, 4) for t in CORE_TYPES}
    top = max(CORE_TYPES, key=lambda t: (blended[t], -CORE_TYPES.index(t)))
    out[top] = round(out[top] + 1.0 - sum(out.values()), 4)
    return out, top


def with_layer(
    shares: Mapping[str, float],
    dominant: str,
    scores: Mapping[str, float] | None,
    weight: float,
) -> tuple[dict[str, float], str]:
    """The type mix with the meaning layer's type scores added (`weight` x each score,
    negatives as 0), as shares again; the dominant type is the largest. Without scores,
    or with no type yet ("unknown": the answers say nothing of what the business is),
    the mix and the type are unchanged: the layer never decides a type on its own."""
    if not scores or dominant not in CORE_TYPES:
        return dict(shares), dominant
    # only among the types the rules found evidence for: the layer reads whole answers
    # and cannot tell "we're not a marketplace" from "a marketplace"
    mixed = {
        t: float(shares.get(t, 0.0))
        + (weight * max(0.0, float(scores.get(t, 0.0))) if shares.get(t, 0.0) > 0 else 0.0)
        for t in CORE_TYPES
    }
    total = sum(mixed.values())
    top = max(CORE_TYPES, key=lambda t: (mixed[t], t == dominant))
    # four decimals that add up to 1, like mix() and follow_money()
    out = {t: round(v / total, 4) for t, v in mixed.items()}
    out[top] = round(out[top] + 1.0 - sum(out.values()), 4)
    return out, top
