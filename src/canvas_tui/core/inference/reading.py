"""What a reading of one answer is made of: the payloads the compiled matcher carries
(an activity's signal, a business-model cue, a business noun, a language mark), one kept
mention and the whole reading (`Reading`), plus two helpers on matched spans.

Built by `answer_reader.read_answer`; weighed by `weighing`. Pure data: the compiled
catalogue cache pickles these classes (cache.py resolves them by this module's name).
"""

from __future__ import annotations

from dataclasses import dataclass

from canvas_tui.core.inference.matcher import Hit
from canvas_tui.core.inference.text import Token


@dataclass(frozen=True)
class SignalRef:
    activity: int
    weight: float
    sections: tuple[str, ...]


@dataclass(frozen=True)
class CueRef:
    type: str
    weight: float
    sections: tuple[str, ...]


@dataclass(frozen=True)
class NounRef:
    """A business noun of the lexicon: what the business is ("bakery", "agency")."""

    type: str
    weight: float


@dataclass(frozen=True)
class Mark:
    #: "negator" | "ignore" | "partner" | "own" | "exclude" | "coherence" | "customer" |
    #: "product" | "notcustomer" | "self" | "before" | "after" (the last three: [identity]);
    #: from roles.toml: "pname" (a partner's name), "csubject" (customers doing it),
    #: "money", "share", "rest", "line", "othersense"
    kind: str
    #: activity index for "exclude", rule index for "coherence", amount index for
    #: "share", type index for "line"
    ref: int = -1


@dataclass(frozen=True)
class Mention:
    """One kept signal occurrence in one answer."""

    payload: SignalRef | CueRef | NounRef | Mark
    source: str
    first: int
    last: int
    start: int
    end: int
    #: who does it: "own" | "partner" | "negated" | "customer" (the customers do it:
    #: "our clients ship parcels"; a mention that only names the customer after "for"
    #: keeps its mode and has `about_customer`)
    mode: str
    fuzzy: bool
    informative: bool  # has a word that is neither a stopword nor a vague word
    about_customer: bool = False  # right after "for ...": it names the customer
    #: later in the sentence than "software for", "an app that": it describes what the
    #: product handles (the customer's trade: "appointments, patient records")
    about_product: bool = False
    #: a noun the founder says the business is: "we're a brand", "I run a clinic"
    self_described: bool = False
    #: in a sentence that calls it a sideline: "we also have a shop", "... too"
    secondary: bool = False
    #: a noun that only modifies the next word ("brand strategy", "school lunches")
    modifier: bool = False
    #: token span (first, last) of the partner cue that made it partner work, if any
    agent: tuple[int, int] = (-1, -1)
    #: right after a supplier marker ("panels come from X Wholesale", "bought from a
    #: wholesaler"): the words name the supplier, not work or a model of the business
    about_supplier: bool = False


@dataclass(frozen=True)
class Reading:
    """What one answer says, independent of its question (cached by text)."""

    tokens: tuple[Token, ...]
    mentions: tuple[Mention, ...]
    content_words: int
    #: token spans (first, last) of the partners the answer names ("a 3PL", "DHL")
    partners: tuple[tuple[int, int], ...] = ()
    #: stated revenue shares: (first, last, amount or None for "the rest")
    shares: tuple[tuple[int, int, float | None], ...] = ()
    #: token indexes of money words ("revenue", "income")
    money: frozenset[int] = frozenset()
    #: (token index, type) of generic revenue-line words ("the app", "consulting")
    lines: tuple[tuple[int, str], ...] = ()
    #: clauses whose percentages are terms, discounts, costs or rates ("30 % deposit")
    not_shares: frozenset[int] = frozenset()


def overlaps(a: Hit, first: int, last: int) -> bool:
    """Whether a hit shares a token with tokens[first..last]."""
    return a.first <= last and first <= a.last


def mark_ref(hit: Hit) -> int:
    """The index a mark refers to (an activity, a rule, an amount, a type)."""
    payload = hit.phrase.payload
    assert isinstance(payload, Mark)
    return payload.ref
