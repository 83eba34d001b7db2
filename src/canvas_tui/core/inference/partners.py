"""The partners one answer names, and its partner cues that count.

A partner's name ("a 3PL", "DHL", "a farm co-op", from roles.toml ``[partners]``) or a
proper name after "on", "via", "such as"... ("sells on Steam", "insurers such as Aviva")
is a partner, unless it is the business itself ("we're a 3PL", a title: "3PL for beauty
brands"), its customers ("we sell to distributors"), its own ("our developers") or
negated ("no agency"). A partner cue ("a partner", "outsourced") counts unless negated,
part of a name that is none of the partners, or inside a longer own cue ("senior
partners": in a firm, the partners are you).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from canvas_tui.core.inference.business_nouns import self_described
from canvas_tui.core.inference.function_words import OURS
from canvas_tui.core.inference.matcher import Hit
from canvas_tui.core.inference.reading import overlaps
from canvas_tui.core.inference.roles import Roles
from canvas_tui.core.inference.text import Token

if TYPE_CHECKING:  # pragma: no cover
    from canvas_tui.core.inference.customers import CustomerScope
    from canvas_tui.core.inference.matching import Compiled


def partner_names(
    compiled: Compiled,
    text: str,
    tokens: Sequence[Token],
    marks: Mapping[str, list[Hit]],
    negated: Callable[[int, int], bool],
    scope: CustomerScope,
) -> tuple[list[tuple[int, int]], list[Hit]]:
    """The token spans (first, last) of the partners the answer names, in order, and the
    name and doer marks that name no partner."""
    roles = compiled.roles
    names: list[tuple[int, int]] = []
    not_partner: list[Hit] = []
    cue_hits = marks.get("partner", [])
    doers = [
        h for h in marks.get("pdoer", []) if any(overlaps(c, h.first, h.last) for c in cue_hits)
    ]
    selfs = marks.get("self", [])
    tools = marks.get("ptool", [])
    # a longer own cue right before the noun makes it one of our people: "a named
    # bookkeeper", "our own couriers"
    own_ends = {o.last for o in marks.get("own", []) if o.last > o.first}
    for h in sorted((*marks.get("pname", []), *doers), key=lambda h: (h.first, h.last)):
        before = {tokens[i].norm for i in range(max(0, h.first - 2), h.first)}
        if (
            negated(h.first, h.last)
            or self_described(compiled, tokens, selfs, h.first)
            or _title(text, tokens, h.first, h.last)
            or scope.noun_customer(h.first)
            or h.first - 1 in own_ends
            or (before & OURS and h.phrase.source.lstrip("=").lower() in roles.own_when_ours)
        ):
            not_partner.append(h)
            continue
        first = h.first
        # "a farm co-op", "our insurer"; a platform's own name stands alone ("Shopify")
        tool = any(overlaps(t, h.first, h.last) for t in tools)
        for k in range(1, 0 if tool else roles.name_words + 2):
            j = h.first - k
            if j < 0 or tokens[j].clause != tokens[h.first].clause:
                break
            if tokens[j].norm in roles.determiners:
                first = j
        if (
            names
            and first <= names[-1][1] + 1
            and tokens[first].clause == tokens[names[-1][1]].clause
        ):
            names[-1] = (names[-1][0], max(names[-1][1], h.last))
        else:
            names.append((first, h.last))

    # "done by a local coater", "handled by an outside bookkeeper": the words after a
    # partner cue that ends in "by a"/"by an" describe the partner, whoever it is
    for c in partner_cues(marks, negated, ()):
        words = c.phrase.source.lower().split()
        if len(words) < 3 or words[-2] != "by" or words[-1] not in ("a", "an"):
            continue
        if any(n[0] <= c.last <= n[1] for n in names):
            continue
        end = c.last
        while (
            end + 1 < len(tokens)
            and end + 1 - c.last <= DESCRIBED_WORDS
            and tokens[end + 1].clause == tokens[c.last].clause
            and tokens[end + 1].norm not in _DESCRIPTION_STOPS
        ):
            end += 1
        if end > c.last:
            names.append((c.last, end))
    names.sort()

    # Proper names after "on", "via", "through", "using", "such as"...: the platforms,
    # marketplaces, suppliers and insurers the business works with ("sells on Steam and
    # the Nintendo eShop", "insurers such as Aviva, Allianz and Hiscox", "via Fresha").
    proper = [
        span
        for span in _proper_names(text, tokens, roles)
        if not any(n[0] <= span[1] and span[0] <= n[1] for n in names)
        and not negated(span[0], span[1])
    ]
    # "our partners: Lindqvist Print and ..." names them: the noun before is no partner of
    # its own
    names = [
        n
        for n in names
        if any(overlaps(t, n[0], n[1]) for t in tools)  # "on Etsy and Not On The High Street"
        or not any(0 < p[0] - n[1] <= 2 for p in proper)
    ]
    names = sorted([*names, *proper])
    return names, not_partner


def firm_names(
    compiled: Compiled, text: str, tokens: Sequence[Token], marks: Mapping[str, list[Hit]]
) -> list[tuple[int, int]]:
    """Token spans of other firms' names: two or more capitalised words in one clause
    whose last word is one of roles.toml's `firm_heads` ("Hughes Haulage from Ammanford
    collects", "our forwarder Sai Logistics", "Nordic Packaging Ltd"). Not the business
    itself ("we are Hughes Haulage", a title opening the answer) and not its own ("our
    Head Office ...")."""
    heads = compiled.roles.firm_heads
    if not heads:
        return []
    selfs = marks.get("self", [])
    not_names = compiled.roles.not_names
    out: list[tuple[int, int]] = []
    k = 0
    while k < len(tokens):
        if not _name_word(tokens[k], not_names):
            k += 1
            continue
        first, last = k, _name_end(tokens, k, not_names)  # the whole run in this clause
        k = last + 1
        if last == first or tokens[last].norm not in heads or tokens[last].compound >= 0:
            continue
        if (
            self_described(compiled, tokens, selfs, first)
            or _title(text, tokens, first, last)
            or (first > 0 and tokens[first - 1].norm in OURS)
            or _we_are(tokens, first)
            or _label(text, tokens[last].end)
        ):
            continue
        out.append((first, last))
    return out


def _label(text: str, end: int) -> bool:
    """Words in title case that end a line or come before a colon are a label, not a
    firm: a canvas's "- Insurance & Security", "**Solution Consulting**: ..."."""
    rest = text[end:].lstrip(" \t*_`")
    return not rest or rest[0] in ":\n\r"


#: words before a name that make it the business's own: "we are Bryn Transport", "at
#: Bryn Transport we ...", "this is Bryn Transport"
_OUR_NAME = (("we", "are"), ("we're",), ("i", "am"), ("i'm",), ("this", "is"), ("at",))


def _we_are(tokens: Sequence[Token], first: int) -> bool:
    return any(
        first >= len(words)
        and tuple(t.norm for t in tokens[first - len(words) : first]) == words
        and tokens[first - len(words)].sentence == tokens[first].sentence
        for words in _OUR_NAME
    )


def agent_after(
    compiled: Compiled,
    tokens: Sequence[Token],
    last: int,
    names: Sequence[tuple[int, int]],
) -> tuple[int, int] | None:
    """The doer named right after the work: "transported by DSV", "shipped by Royal
    Mail", "packed by a 3PL" (a partner name the answer gives). None for "by Friday",
    "by the tonne", "by phone": no name follows."""
    roles = compiled.roles
    k = last + 1
    # more work before the doer: "brewed + canned by", "made and bottled for us by"
    while (
        k < len(tokens)
        and k - last <= AGENT_GAP
        and tokens[k].sentence == tokens[last].sentence
        and tokens[k].norm not in roles.agent_markers
        and (tokens[k].norm in _CHAIN or _participle(tokens[k].norm))
    ):
        k += 1
    if k + 1 >= len(tokens) or tokens[k].norm not in roles.agent_markers:
        return None
    if tokens[k].sentence != tokens[last].sentence or tokens[k + 1].clause != tokens[k].clause:
        return None
    for first, end in names:  # a partner the answer names: "by a 3PL", "by our courier"
        if first in (k + 1, k + 2) and (first == k + 1 or tokens[k + 1].norm in roles.determiners):
            return (first, end)
    start = k + 1
    if tokens[start].norm in ("the", "a", "an") and start + 1 < len(tokens):
        start += 1
    if not _name_word(tokens[start], roles.not_names):
        return None
    return (start, _name_end(tokens, start, roles.not_names))


#: how many words after "done by a" describe the partner ("a local powder coater")
DESCRIBED_WORDS = 3
#: words that end such a description ("a local coater in Leeds", "a firm that ...")
_DESCRIPTION_STOPS = frozenset(
    {"in", "on", "at", "from", "for", "who", "that", "which", "and", "or", "with", "to",
     "near", "because", "so", "but", "when", "as", "of", "every", "each"}
)  # fmt: skip

#: how many words may come between the work and "by" ("made and bottled for us by")
AGENT_GAP = 5
#: words that chain more work or its beneficiary between the work and its doer
_CHAIN = frozenset({"and", "or", "then", "also", "for", "us", "both"})
_IRREGULAR = frozenset(
    {"made", "built", "grown", "done", "sold", "sent", "kept", "cut", "sewn", "spun"}
)


def _participle(norm: str) -> bool:
    """ "canned", "bottled", "made": a word that may be more work done by the same doer."""
    return norm in _IRREGULAR or (len(norm) > 4 and norm.endswith("ed"))


def _name_word(token: Token, not_names: frozenset[str]) -> bool:
    """A word that can be part of another firm's name: capitalised, not "I", "I've" or
    "I'm", not a word roles.toml says is no name (days, nationalities, "We")."""
    return (
        _capitalised(token.text)
        and token.norm not in not_names
        and token.text != "I"
        and not token.norm.startswith("i'")
    )


def _name_end(tokens: Sequence[Token], first: int, not_names: frozenset[str]) -> int:
    """The last token of the run of name words that starts at `first`, in its clause."""
    end = first
    while (
        end + 1 < len(tokens)
        and tokens[end + 1].clause == tokens[first].clause
        and _name_word(tokens[end + 1], not_names)
    ):
        end += 1
    return end


def partner_cues(
    marks: Mapping[str, list[Hit]], negated: Callable[[int, int], bool], not_partner: Sequence[Hit]
) -> list[Hit]:
    """The partner cues that make words partner work. A longer own cue that contains a
    partner word wins ("senior partners", "partner-led": in a firm, the partners are you)."""
    own_marks = marks.get("own", [])
    return [
        h
        for h in marks.get("partner", [])
        if not negated(h.first, h.last)
        and not any(overlaps(n, h.first, h.last) for n in not_partner)
        and not any(
            o.first <= h.first and h.last <= o.last and o.last - o.first > h.last - h.first
            for o in own_marks
        )
    ]


def _title(text: str, tokens: Sequence[Token], first: int, last: int) -> bool:
    """A name that opens the answer as its title names the business itself: "3PL for
    beauty brands", "Courier - same day", "Haulier: ..." (not "DHL delivers our parcels")."""
    if first != 0:
        return False
    if last + 1 >= len(tokens):
        return True
    gap = text[tokens[last].end : tokens[last + 1].start]
    return tokens[last + 1].norm in ("for", "and", "with") or any(c in gap for c in ",:;-–—+(/")


def _proper_names(text: str, tokens: Sequence[Token], roles: Roles) -> list[tuple[int, int]]:
    """Token spans of proper names (capitalised words, not the first of a sentence)
    right after one of `roles.toml [partners] name_markers` or in a list that follows
    one ("on Steam and the Nintendo eShop", "such as Aviva, Allianz and Hiscox")."""
    markers = roles.name_markers
    if not markers:
        return []
    out: list[tuple[int, int]] = []

    def capital(k: int) -> bool:  # a name word that does not open its sentence
        return (
            k > 0
            and tokens[k - 1].sentence == tokens[k].sentence
            and _name_word(tokens[k], roles.not_names)
        )

    k = 0
    while k < len(tokens):
        words = _marker_at(tokens, k, markers)
        if not words:
            k += 1
            continue
        j = k + words
        if (
            j >= len(tokens)
            or (
                tokens[j].clause != tokens[j - 1].clause
                # "two wholesalers (Brannock Metals, Kettering Steel)", "partners: Acme"
                and text[tokens[j - 1].end : tokens[j].start].strip() not in ("(", ":")
            )
        ):
            k += 1  # "free to use, Kindred Plus ...": the name is not the marker's
            continue
        while j < len(tokens) and tokens[j].sentence == tokens[k].sentence:
            if tokens[j].norm in ("the", "a", "an") and j + 1 < len(tokens) and capital(j + 1):
                j += 1
            if not capital(j):
                break
            first = j
            # the rest of a name may be any capitalised word ("Not On The High Street")
            while (
                j + 1 < len(tokens)
                and _capitalised(tokens[j + 1].text)
                and tokens[j + 1].clause == tokens[j].clause
                and tokens[j + 1].sentence == tokens[j].sentence
            ):
                j += 1
            out.append((first, j))
            j += 1
            # a list of names: ", Allianz and Hiscox", "and the Nintendo eShop"
            if j < len(tokens) and tokens[j].norm in ("and", "or", "&"):
                j += 1
            elif not (j < len(tokens) and tokens[j].clause != tokens[j - 1].clause):
                break
        k = max(k + 1, j)
    return out


def _capitalised(word: str) -> bool:
    """A word written as a name: "Steam", "AWS", "eShop" (not "steam")."""
    return word[:1].isupper() or (word[:1].islower() and word[1:2].isupper())


def _marker_at(tokens: Sequence[Token], k: int, markers: tuple[tuple[str, ...], ...]) -> int:
    """How many words a name marker takes at token k (0: none)."""
    for marker in markers:
        n = len(marker)
        if tuple(t.norm for t in tokens[k : k + n]) == marker and all(
            tokens[k + i].sentence == tokens[k].sentence for i in range(n)
        ):
            return n
    return 0
