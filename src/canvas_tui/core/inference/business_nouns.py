"""Business nouns in one answer ("bakery", "agency", "a 3PL"): whether a match is a noun
for what the business is, and how the founder uses it.

A noun in verb position ("we store stock"), after "to"/"into"/"from" ("into shops") or as
the first part of a hyphenated modifier ("shop-bought") is not what the business is. One
that is may be self-described ("we're a brand", "I run a clinic"), a sideline ("we also
have a shop") or a modifier of the next word ("brand strategy"). The words come from the
catalogue's ``[identity]`` table (business_types.toml).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from canvas_tui.core.inference.function_words import NOT_AFTER
from canvas_tui.core.inference.matcher import Hit
from canvas_tui.core.inference.text import Token

if TYPE_CHECKING:  # pragma: no cover
    from canvas_tui.core.inference.matching import Compiled

#: a business noun right after these is a verb: "we store stock", "they market it",
#: "to shop around", "we also brand it"
_VERB_BEFORE = frozenset(
    {"we", "i", "they", "you", "we'll", "i'll", "they'll", "can", "will", "also",
     "just", "then", "usually", "always", "often", "mostly"}
)  # fmt: skip


def verb_position(tokens: Sequence[Token], first: int) -> bool:
    """Whether a word stands where English puts a verb: right after a subject pronoun,
    or an adverb or modal that follows one ("we also store"); not after "to": "sold to
    shops" is a preposition as often as "to market" an infinitive."""
    if first == 0 or tokens[first - 1].clause != tokens[first].clause:
        return False
    before = tokens[first - 1].norm
    if before in ("we", "i", "they", "you", "we'll", "i'll", "they'll"):
        return True
    return (
        before in _VERB_BEFORE
        and first >= 2
        and tokens[first - 2].norm in ("we", "i", "they", "you")
        and tokens[first - 2].clause == tokens[first].clause
    )


def not_the_business(tokens: Sequence[Token], hit: Hit) -> bool:
    """Whether a business noun's match says nothing of what the business is: a verb
    ("we store stock", "they market it"), where goods go ("from farm to mill", "into
    shops") or a modifier inside a compound ("community-owned", "shop-bought")."""
    first = hit.first
    if verb_position(tokens, first):
        return True
    if (
        first > 0
        and tokens[first - 1].norm in NOT_AFTER | {"from"}
        and tokens[first - 1].clause == tokens[first].clause
        and tokens[first - 1].compound < 0  # not the "to" of "farm-to-shop"
    ):
        return True
    return tokens[hit.last].compound >= 0 and not tokens[hit.last].head


def self_described(
    compiled: Compiled, tokens: Sequence[Token], selfs: Sequence[Hit], first: int
) -> bool:
    """A noun the founder says the business is: "we're a 3PL", "I'm an accountant"
    (`selfs`: the answer's self words, ``[identity] self_words``)."""
    return any(
        h.last < first
        and first - h.last <= compiled.self_window + 1
        and tokens[h.last].clause == tokens[first].clause
        and not any(tokens[i].norm in compiled.self_stops for i in range(h.last + 1, first))
        for h in selfs
    )


def sideline(
    tokens: Sequence[Token], marks: Mapping[str, list[Hit]], first: int, last: int
) -> bool:
    """In a sentence that calls it a sideline: "we also have a shop", "... too"."""
    sentence = tokens[first].sentence
    return any(
        tokens[h.first].sentence == sentence and h.last < first for h in marks.get("before", [])
    ) or any(
        tokens[h.first].sentence == sentence and h.first > last for h in marks.get("after", [])
    )


def modifies_next(tokens: Sequence[Token], marks: Mapping[str, list[Hit]], hit: Hit) -> bool:
    """A noun that only modifies the next word ("brand strategy", "school lunches")."""
    return any(
        h.first == hit.last + 1 and tokens[h.first].clause == tokens[hit.last].clause
        for h in marks.get("modifies", [])
    )
