"""Revenue shares one answer states: "80 % from wholesale", "two thirds", "the rest".

Percentages, share words (roles.toml ``[revenue] amounts``) and "the rest" are shares; a
percentage of something that is no money word is a rate ("20 % of each booking"), and
the clauses of terms, discounts and costs ("a 30 % deposit") hold no shares.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from canvas_tui.core.inference.matcher import Hit
from canvas_tui.core.inference.reading import mark_ref
from canvas_tui.core.inference.text import Token

if TYPE_CHECKING:  # pragma: no cover
    from canvas_tui.core.inference.matching import Compiled

#: a stated share: (first token, last token, amount or None for "the rest")
Share = tuple[int, int, float | None]


def money_words(marks: Mapping[str, list[Hit]]) -> frozenset[int]:
    """Token indexes of money words ("revenue", "income")."""
    return frozenset(i for h in marks.get("money", []) for i in range(h.first, h.last + 1))


def not_share_clauses(tokens: Sequence[Token], marks: Mapping[str, list[Hit]]) -> frozenset[int]:
    """Clauses whose percentages are terms, discounts, costs or rates ("30 % deposit")."""
    return frozenset(tokens[h.first].clause for h in marks.get("noshare", []))


def stated_shares(
    compiled: Compiled, text: str, tokens: Sequence[Token], marks: Mapping[str, list[Hit]]
) -> tuple[Share, ...]:
    """The shares in token order; overlapping share words keep the longest."""
    shares: list[Share] = [
        (h.first, h.last, compiled.amounts[mark_ref(h)]) for h in marks.get("share", [])
    ]
    shares += [(h.first, h.last, None) for h in marks.get("rest", [])]
    money_at = money_words(marks)
    shares += [
        (i, i, min(float(t.norm), 100.0) / 100.0)
        for i, t in enumerate(tokens)
        if t.norm.replace(".", "", 1).isdigit()
        and is_percent(text, t.end, tokens[i + 1] if i + 1 < len(tokens) else None)
        and not _rate(tokens, i, money_at)
    ]
    return tuple(sorted(_distinct(shares)))


def is_percent(text: str, end: int, following: Token | None) -> bool:
    """Whether a number is a percentage: "80%", "80 %", "80 percent", "80 per cent"."""
    gap = text[end : following.start if following is not None else len(text)]
    if "%" in gap:
        return True
    return (
        following is not None
        and following.norm in ("percent", "pct", "per")
        and (
            following.norm != "per"
            or text[following.end : following.end + 5].strip().startswith("cent")
        )
    )


def _rate(tokens: Sequence[Token], i: int, money: frozenset[int]) -> bool:
    """ "18 % of first-year salary", "20 % of each booking": a percentage OF something
    that is no money word is a rate, not a share of revenue ("80 % of revenue" is)."""
    j = i + 1
    while j < len(tokens) and j <= i + 2 and tokens[j].norm in ("percent", "per", "cent", "pct"):
        j += 1
    if j >= len(tokens) or tokens[j].norm != "of":
        return False
    return not any(k in money for k in range(j + 1, min(len(tokens), j + 5)))


def _distinct(shares: list[Share]) -> list[Share]:
    """Overlapping share words keep the longest ("two thirds" over "a third")."""
    out: list[Share] = []
    for s in sorted(shares, key=lambda x: (-(x[1] - x[0]), x[0])):
        if not any(o[0] <= s[1] and s[0] <= o[1] for o in out):
            out.append(s)
    return out
