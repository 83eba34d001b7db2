"""Negation in one answer: which negators count, and whether they reach some words.

A negator ("not", "no", "never", "don't", from the catalogue's ``[language] negators``)
negates the words after it in its clause, up to the language's `negation_window`, and the
items of a list joined by "or"/"nor" ("we don't have a shop or a website"). A negator
inside a longer signal ("no frills", "not-for-profit") is part of that signal, not a
negation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from canvas_tui.core.inference.matcher import GAP_SPEC, Hit
from canvas_tui.core.inference.reading import CueRef, Mark, NounRef, SignalRef
from canvas_tui.core.inference.text import Token

#: a negation reaches the items of a list joined by these ("no shop or website")
_NEG_JOINERS = frozenset({"or", "nor"})
#: ...up to this many words after the negator, and never past these words
LIST_REACH = 10
_LIST_STOPS = frozenset(
    {"we", "i", "our", "my", "us", "but", "only", "just", "instead", "except", "however",
     "yet", "so", "then", "which", "who", "because", "while", "although", "though",
     "apart", "besides", "rather", "still", "mostly", "mainly"}
)  # fmt: skip


#: words right after a verb that negate it: "we make nothing ourselves", "we own none";
#: not when these follow them ("we make nothing but sourdough" makes sourdough)
_AFTER = frozenset({"nothing", "none"})
_ONLY = frozenset({"but", "except", "else", "other"})


def find_negators(
    tokens: Sequence[Token],
    live: Sequence[Hit],
    marks: Mapping[str, list[Hit]],
    masked: set[int],
) -> list[tuple[int, int]]:
    """The token spans (first, last) of the negators that negate: the negator marks that
    are not part of a longer signal phrase, and every unmasked "...n't"."""
    # A negator inside a longer signal ("no frills", "not-for-profit") is part of it.
    phrases = [
        h
        for h in live
        if h.last > h.first
        and GAP_SPEC not in h.phrase.specs
        and (
            isinstance(h.phrase.payload, SignalRef | CueRef | NounRef)
            or (isinstance(h.phrase.payload, Mark) and h.phrase.payload.kind == "coherence")
        )
    ]
    negators = [
        (h.first, h.last)
        for h in marks.get("negator", [])
        if not any(p.first <= h.first and h.last <= p.last and p.last > h.last for p in phrases)
    ]
    negators += [(i, i) for i, t in enumerate(tokens) if t.norm.endswith("n't") and i not in masked]
    return negators


class Negation:
    """`negation(first, last)`: whether tokens[first..last] are negated in this answer."""

    __slots__ = ("negators", "text", "tokens", "window")

    def __init__(
        self,
        text: str,
        tokens: Sequence[Token],
        negators: Sequence[tuple[int, int]],
        window: int,
    ) -> None:
        self.text = text
        self.tokens = tokens
        self.negators = negators
        self.window = window

    def __call__(self, first: int, last: int, gap: bool = False) -> bool:
        tokens = self.tokens
        after = last + 1
        if (
            after < len(tokens)
            and tokens[after].norm in _AFTER
            and tokens[after].clause == tokens[last].clause
            and not (after + 1 < len(tokens) and tokens[after + 1].norm in _ONLY)
        ):
            return True  # "we make nothing ourselves"
        for n_first, n_last in self.negators:
            if n_first >= first and n_last <= last:
                if gap:  # a negator in the words a "..." skipped negates ("have no shop")
                    return True
                continue  # the negator is part of the phrase ("no frills")
            if (
                n_last < first
                and first - n_last <= self.window
                and tokens[n_last].clause == tokens[first].clause
            ):
                return True
            if n_last < first and self.negated_list(n_last, first):
                return True
        return False

    def negated_list(self, n_last: int, first: int) -> bool:
        """Under a negation English joins a list with "or"/"nor": "we don't have a shop
        or a website", "no shop, cafe or market stall", "never online or in shops". The
        negation reaches every item, across commas and "or", up to `LIST_REACH` words,
        until a subject, "but", "only", "just"... ("no app, just a website")."""
        tokens, text = self.tokens, self.text
        if first - n_last > LIST_REACH or tokens[n_last].sentence != tokens[first].sentence:
            return False
        ors = 0
        for i in range(n_last + 1, first + 1):
            norm = tokens[i].norm
            if i < first and norm in _LIST_STOPS:
                return False
            if norm in _NEG_JOINERS:
                ors += 1
            if tokens[i].clause != tokens[i - 1].clause:
                gap = text[tokens[i - 1].end : tokens[i].start]
                if not (norm in _NEG_JOINERS or gap.strip() == ","):
                    return False
        if ors:
            return True
        # "no shop, cafe or stall": a comma list that an "or" ends later on
        clause = tokens[first].clause
        for i in range(first + 1, min(len(tokens), first + 6)):
            if tokens[i].sentence != tokens[first].sentence or tokens[i].norm in _LIST_STOPS:
                return False
            if tokens[i].clause != clause:
                return tokens[i].norm in _NEG_JOINERS
        return False
