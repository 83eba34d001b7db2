"""Who does the work words name in one answer: we, a partner, or the customers.

A partner cue on the words, or the nearest partner or own cue before them in the sentence
("a co-packer bottles our sauces", "we cook"), else the first one after them in the clause,
decides between us and a partner. Customers do it when a customer subject stands right
before it ("our clients ship parcels") or the words are the subject of something done to
us ("architects send us work").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from canvas_tui.core.inference.function_words import OURS, OWN, POSSESSIVE
from canvas_tui.core.inference.matcher import Hit
from canvas_tui.core.inference.reading import overlaps
from canvas_tui.core.inference.text import Token

#: categories whose work is what the users do: on a platform, "users list their rooms"
#: is the platform's business, so a customer subject does not take it away
CUSTOMER_EXEMPT = frozenset({"platform_network"})
#: words that may sit between a customer subject and what they do ("clients can book")
_AUX = frozenset(
    {
        "can",
        "will",
        "may",
        "often",
        "usually",
        "then",
        "also",
        "just",
        "all",
        "mostly",
        "themselves",
        "typically",
        "simply",
        "already",
    }
)


def ours_before(tokens: Sequence[Token], first: int) -> bool:
    """ "our farm", "my own kit", "we farm": the word is the business's own."""
    return any(
        tokens[i].norm in OURS or tokens[i].norm in ("we", "i")
        for i in range(max(0, first - 2), first)
        if tokens[i].clause == tokens[first].clause
    )


class Doers:
    """Who does what in one answer, given its partner cues that count (`partners`)."""

    __slots__ = ("owners", "partners", "subject_gap", "subjects", "tokens")

    def __init__(
        self,
        tokens: Sequence[Token],
        marks: Mapping[str, list[Hit]],
        partners: list[Hit],
        subject_gap: int,
    ) -> None:
        self.tokens = tokens
        self.partners = partners
        #: customer subjects: "our clients", "users"
        self.subjects = marks.get("csubject", [])
        #: own cues that are neither a partner's nor the customers'
        self.owners = [
            h
            for h in marks.get("own", [])
            if not any(overlaps(p, h.first, h.last) for p in (*partners, *self.subjects))
        ]
        self.subject_gap = subject_gap

    def who(self, first: int, last: int) -> tuple[str, Hit | None]:
        """ "own" or "partner" for tokens[first..last], and the partner cue if any."""
        tokens, partners, owners = self.tokens, self.partners, self.owners
        sentence = tokens[first].sentence
        for p in partners:
            if overlaps(p, first, last):
                return "partner", p
        if any(o.first == first for o in owners):
            return "own", None  # "we cook", "our kitchen": the signal starts with whose
        best: tuple[int, str, Hit] | None = None
        for kind, group in (("partner", partners), ("own", owners)):
            for h in group:
                if (
                    h.last < first
                    and tokens[h.last].sentence == sentence
                    and (best is None or h.last > best[0])
                ):
                    best = (h.last, kind, h)
        if best is not None and best[1] == "own" and tokens[best[2].first].norm in POSSESSIVE:
            # "a courier app makes all our deliveries", "a co-packer makes and bottles our
            # sauces": "our" owns the noun, the partner before it in the sentence does the
            # work, unless we are the subject in between ("a 3PL ships, and we roast our
            # beans")
            owner_at = best[2].first
            doer = [
                p
                for p in partners
                if p.last < owner_at
                and tokens[p.last].sentence == sentence
                and not any(
                    p.last < o.first < owner_at and tokens[o.first].norm not in POSSESSIVE
                    for o in owners
                )
            ]
            if doer:
                return "partner", doer[-1]
        if best is not None:
            return best[1], (best[2] if best[1] == "partner" else None)
        after: tuple[int, str, Hit] | None = None
        for kind, group in (("partner", partners), ("own", owners)):
            for h in group:
                if (
                    h.first > last
                    and tokens[h.first].clause == tokens[last].clause
                    and (after is None or h.first < after[0])
                ):
                    after = (h.first, kind, h)
        if after is not None:
            return after[1], (after[2] if after[1] == "partner" else None)
        return "own", None

    def acts_on_us(self, last: int) -> bool:
        """The words are the subject of something done to us: "architects send us work",
        "builders ring us", "estate agents who ring us first", "farmers hear about us"
        (a verb and "us" within the next four words, no "we"/"our"/list between)."""
        tokens = self.tokens
        for k in range(last + 1, min(len(tokens), last + 5)):
            norm = tokens[k].norm
            if tokens[k].clause != tokens[k - 1].clause and norm not in ("who", "that"):
                return False  # "wedding fairs, venues recommend us": another item
            if norm == "us":
                return k > last + 1 and tokens[k].text != "US"
            if norm in OWN or norm == "and":
                return False
        return False

    def customers_do(self, first: int) -> bool:
        """ "our clients ship parcels": the customers right before it do it."""
        tokens = self.tokens
        for h in self.subjects:
            if (
                h.last < first
                and tokens[h.last].clause == tokens[first].clause
                and sum(1 for i in range(h.last + 1, first) if tokens[i].norm not in _AUX)
                <= self.subject_gap
                and not any(overlaps(o, h.last + 1, first - 1) for o in self.owners)
            ):
                return True
        return False

    def in_sentence_partner(self, first: int) -> Hit | None:
        """The first partner cue in the sentence of tokens[first], if any."""
        sentence = self.tokens[first].sentence
        return next((p for p in self.partners if self.tokens[p.first].sentence == sentence), None)
