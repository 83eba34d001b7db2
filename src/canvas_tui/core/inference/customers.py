"""Whom words are about in one answer: the customers, or a supplier.

Words right after a customer marker ("software for restaurants", "sold to cafes") name
the customer, not the business's work; so do the items of a list after it ("for cafes,
offices and schools"), a list after a colon that follows the customers, and other
people's premises ("we repair lathes in factories"). Words right after a supplier marker
("bought from a wholesaler") name the supplier. The markers and their stop words come from
the catalogue's ``[language]`` and ``[identity]`` tables and roles.toml.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from canvas_tui.core.inference.function_words import LIST_JOINERS, OWN, POSSESSIVE
from canvas_tui.core.inference.matcher import Hit
from canvas_tui.core.inference.reading import NounRef, Reading, SignalRef, overlaps
from canvas_tui.core.inference.text import Token

if TYPE_CHECKING:  # pragma: no cover
    from canvas_tui.core.inference.matching import Compiled


def singular(word: str) -> str:
    """A rough singular for comparing nouns: farms -> farm, bakeries -> bakery."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def customer_words(reading: Reading) -> frozenset[str]:
    """The nouns an answer uses for its customers ("for arable farms": farm), so that
    the same words elsewhere in the answers name them too ("repeat farms")."""
    return frozenset(
        singular(reading.tokens[m.last].norm)
        for m in reading.mentions
        if m.about_customer
        and m.mode != "negated"
        and isinstance(m.payload, SignalRef | NounRef)
        and reading.tokens[m.last].norm.isalpha()
    )


def is_stop(tokens: Sequence[Token], index: int, stops: frozenset[str]) -> bool:
    """Whether tokens[index] is a stop word that ends a customer's (or supplier's) words.
    A word inside a hyphenated compound is no word of its own: the "to" of "sold to
    peer-to-peer marketplaces" or "sold to door-to-door sellers" ends nothing."""
    return tokens[index].compound < 0 and tokens[index].norm in stops


def cuts_compound(tokens: Sequence[Token], first: int, last: int) -> bool:
    """Whether tokens[first..last] start or end inside a hyphenated compound that they do
    not lie wholly within: "sell ... to" on "we sell door-to-door" ends on the inner "to",
    a part of one word, so it is no marker. A marker inside one compound
    ("direct-to-consumer") keeps its meaning."""
    one, two = tokens[first], tokens[last]
    if one.compound >= 0 and one.compound == two.compound:
        return False
    starts_inside = one.compound >= 0 and one.compound != first
    ends_inside = two.compound >= 0 and not two.head
    return starts_inside or ends_inside


def customer_marks(tokens: Sequence[Token], marks: Mapping[str, list[Hit]]) -> list[Hit]:
    """The customer markers that mark ("for", "sold to"): not a "not-customer" phrase
    ("for example", "for years") and not cutting a hyphenated compound."""
    not_customer = marks.get("notcustomer", [])
    return [
        h
        for h in marks.get("customer", [])
        if not any(overlaps(n, h.first, h.last) for n in not_customer)
        and not cuts_compound(tokens, h.first, h.last)
    ]


class CustomerScope:
    """Whether words of one answer are about its customers (or its suppliers)."""

    __slots__ = (
        "customer_marks",
        "customer_stops",
        "customer_window",
        "noun_stops",
        "noun_window",
        "premises_one",
        "roles",
        "supplier_marks",
        "text",
        "tokens",
    )

    def __init__(
        self,
        compiled: Compiled,
        text: str,
        tokens: Sequence[Token],
        marks: Mapping[str, list[Hit]],
        customer_marks: list[Hit],
    ) -> None:
        self.text = text
        self.tokens = tokens
        self.customer_marks = customer_marks
        self.supplier_marks = [
            h for h in marks.get("supplier", []) if not cuts_compound(tokens, h.first, h.last)
        ]
        self.customer_window = compiled.customer_window
        self.customer_stops = compiled.customer_stops
        self.noun_window = compiled.noun_window
        self.noun_stops = compiled.noun_stops
        self.roles = compiled.roles
        self.premises_one = frozenset(singular(p) for p in compiled.roles.premises)

    def _after_marker(self, found: Sequence[Hit], first: int) -> bool:
        """Up to `customer_window` words after one of the markers `found`, in its
        clause, with no customer stop word between."""
        tokens = self.tokens
        for h in found:
            if h.last < first and first - h.last <= self.customer_window:
                between = range(h.last + 1, first)
                if tokens[h.last].clause == tokens[first].clause and not any(
                    is_stop(tokens, i, self.customer_stops) for i in between
                ):
                    return True
        return False

    def about_customer(self, first: int, depth: int = 0, last: int | None = None) -> bool:
        """Whether the words at tokens[first..last] name the customer (a signal's scope)."""
        tokens, text = self.tokens, self.text
        if self._after_marker(self.customer_marks, first):
            return True
        # a list of customers after the marker: "for manufacturers and importers",
        # "for restaurants, offices and shops" (plural nouns joined by and/or/commas)
        if depth > 4:
            return False
        if depth == 0 and self.elaborates_customer(first):
            return True
        if depth == 0 and self.in_their_premises(first, first if last is None else last):
            return True
        end = first if last is None else last
        # the modifier of a customer noun: "and vet clinics", "manufacturing businesses"
        head = end + 1
        if (
            depth == 0
            and head < len(tokens)
            and tokens[head].clause == tokens[end].clause
            and tokens[head].norm.endswith("s")
            and tokens[head].norm.isalpha()
            and not is_stop(tokens, head, self.customer_stops)
            and not any(overlaps(h, first, end) for h in self.customer_marks)  # "apps for"
        ):
            if tokens[head].norm in self.roles.customer_heads and self.about_customer(head, 1):
                return True
            end = head
        if not tokens[end].norm.endswith("s"):
            return False
        for skip in (0, 1):  # one modifier before the item: "and local restaurants"
            j = first - skip
            if j < 1 or tokens[j - 1].sentence != tokens[first].sentence:
                return False
            if skip and (is_stop(tokens, j, self.customer_stops) or tokens[j].norm in OWN):
                return False
            joiner = tokens[j - 1].norm in LIST_JOINERS
            comma = "," in text[tokens[j - 1].end : tokens[j].start]
            if joiner or comma:
                item = j - 2 if joiner else j - 1
                if (
                    item >= 0
                    and tokens[item].sentence == tokens[first].sentence
                    and self.about_customer(item, depth + 1)
                ):
                    return True
        return False

    def noun_customer(self, first: int) -> bool:
        """A noun in a list after "for" names customers too ("for cafes, offices and
        schools"): a wider scope than for signals, across commas and "and"."""
        tokens = self.tokens
        for h in self.customer_marks:
            if (
                h.last < first
                and first - h.last <= self.noun_window
                and tokens[h.last].sentence == tokens[first].sentence
                and not any(is_stop(tokens, i, self.noun_stops) for i in range(h.last + 1, first))
            ):
                return True
        return False

    def in_their_premises(self, first: int, last: int) -> bool:
        """ "we repair lathes in factories", "sold in shops": other people's premises
        (plural, right after "in"/"across", or with one word between that is no
        "our"/"my")."""
        tokens, roles = self.tokens, self.roles

        def premises(i: int) -> bool:
            return i < len(tokens) and (
                tokens[i].norm in roles.premises
                or (tokens[i].norm.endswith("s") and singular(tokens[i].norm) in self.premises_one)
            )

        if not premises(last) and not premises(last + 1):
            return False
        for before in range(first - 1, max(-1, first - 5), -1):
            if before < 0 or tokens[before].sentence != tokens[first].sentence:
                return False
            if tokens[before].norm in roles.premises_after:
                return all(
                    tokens[k].norm not in OWN and tokens[k].norm not in POSSESSIVE
                    for k in range(before + 1, first)
                )
        return False

    def elaborates_customer(self, first: int) -> bool:
        """A list after a colon that follows the customers: "cleaning for food
        factories: meat, ready meals, bakery lines" (the items are the customers')."""
        tokens, text = self.tokens, self.text
        j = first - 1
        while j >= 0 and first - j <= 12 and tokens[j].sentence == tokens[first].sentence:
            gap = text[tokens[j].end : tokens[j + 1].start]
            if ":" in gap:  # (not a dash: "for landlords - find tenants" is our work)
                return self.about_customer(j, 1) or self.noun_customer(j)
            if tokens[j].norm in OWN or (
                is_stop(tokens, j, self.customer_stops) and tokens[j].norm not in LIST_JOINERS
            ):
                return False
            j -= 1
        return False

    def about_supplier(self, first: int) -> bool:
        """Up to `customer_window` words after a supplier marker, same clause, no stop."""
        return self._after_marker(self.supplier_marks, first)
