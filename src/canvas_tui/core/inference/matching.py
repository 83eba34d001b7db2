"""Reading one answer against the compiled catalogue (the inference's first step).

`compiled_for(catalogue)` compiles the catalogue once per object: every signal, cue and
language mark goes into one `Matcher` (see `text`). `Compiled.read(text)` then finds the
mentions in an answer and decides, for each, whether it is negated, who does it (we or a
partner), whether it names the customer ("software for restaurants"), and whether it is
informative. The reading depends only on the text, so it is cached by text.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from canvas_tui.core.inference.catalogue import CORE_TYPES, Catalogue
from canvas_tui.core.inference.roles import Roles, default_roles
from canvas_tui.core.inference.shorthand import default_shorthand
from canvas_tui.core.inference.text import GAP_SPEC, Hit, Matcher, Token, part_of_word, tokenize

#: Words a "..." may skip in an exclusion: wider than in a signal, because an exclusion
#: only hides words ("we produce true crime and comedy podcasts" is no manufacturing).
EXCLUDE_GAP = 6


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


class Compiled:
    def __init__(self, catalogue: Catalogue) -> None:
        lang = catalogue.language
        self.activities = list(catalogue)
        self.index = {a.id: i for i, a in enumerate(self.activities)}
        self.breakers = frozenset(lang.clause_breaks)
        self.window = lang.negation_window
        self.shorthand = default_shorthand()
        self.matcher = Matcher(
            dict(lang.irregular),
            lang.fillers,
            lang.fuzzy_min_length,
            known_words(),
            self.shorthand,
        )
        for i, activity in enumerate(self.activities):
            for group in activity.signals:
                payload = SignalRef(i, group.weight, group.sections)
                for word in group.words:
                    self.matcher.add(word, payload)
            for phrase in activity.exclude:
                self.matcher.add(phrase, Mark("exclude", i), singular=False, gap=EXCLUDE_GAP)
        for cue in catalogue.cues:
            cue_ref = CueRef(cue.type, cue.weight, cue.sections)
            for word in cue.words:
                self.matcher.add(word, cue_ref)
        for noun in catalogue.nouns:
            for word in noun.words:
                self.matcher.add(word, NounRef(noun.type, noun.weight), noun=True)
        identity = catalogue.identity
        self.self_window = identity.self_window
        self.noun_window = identity.customer_window
        self.noun_stops = frozenset(identity.customer_stops)
        self.self_stops = frozenset(identity.self_stops)
        self.customer_window = lang.customer_window
        self.customer_stops = frozenset(lang.customer_stops)
        for kind, words in (
            ("negator", lang.negators),
            ("ignore", lang.ignore),
            ("partner", lang.partner_cues),
            ("own", lang.own_cues),
            ("customer", lang.customer_markers),
            ("product", lang.product_markers),
            ("notcustomer", lang.not_customer),
            ("self", identity.self_words),
            ("before", identity.secondary_before),
            ("after", identity.secondary_after),
            ("modifies", identity.modifies),
        ):
            for word in words:
                self.matcher.add(word, Mark(kind), singular=False)
        for r, rule in enumerate(catalogue.coherence):
            for word in rule.when:
                self.matcher.add(word, Mark("coherence", r))
        roles = self.roles = default_roles()
        for kind, words in (
            ("pname", roles.partner_names),
            ("pdoer", roles.partner_doers),
            ("csubject", roles.customer_subjects),
            ("money", roles.money),
            ("rest", roles.rest),
            ("noshare", roles.not_shares),
            ("supplier", roles.supplier_markers),
            ("othersense", roles.other_senses),
            ("sowner", roles.service_owners),
            ("syour", roles.service_your),
            ("sproperty", roles.service_property),
            ("sunit", roles.service_units),
        ):
            for word in words:
                self.matcher.add(word, Mark(kind), singular=False)
        self.amounts = tuple(amount for _, amount in roles.amounts)
        for i, (word, _amount) in enumerate(roles.amounts):
            self.matcher.add(word, Mark("share", i), singular=False)
        for type_, words in roles.lines:
            if type_ in CORE_TYPES:
                for word in words:
                    self.matcher.add(word, Mark("line", CORE_TYPES.index(type_)))
        vague = catalogue.vague
        self.not_content = frozenset(w.lower() for w in (*vague.words, *vague.stopwords))
        self._cache: dict[str, Reading] = {}
        #: weighed answers (see `weighing.weigh`), by question, text, section and the
        #: customers' nouns of all the answers
        self.weighed: dict[tuple[str, str, str, frozenset[str]], object] = {}

    def read(self, text: str) -> Reading:
        reading = self._cache.get(text)
        if reading is None:
            if len(self._cache) > 2048:
                self._cache.clear()
            reading = self._cache[text] = _read(self, text)
        return reading


#: whole English words (from the meaning layer's vocabulary): never read as typos
KNOWN_WORDS = Path(__file__).resolve().parent.parent.parent / "data" / "meaning" / "known_words.txt"


@functools.cache
def known_words() -> frozenset[str]:
    """Real words the typo matcher leaves alone (empty when the file is missing)."""
    try:
        return frozenset(KNOWN_WORDS.read_text(encoding="ascii").split())
    except (OSError, UnicodeDecodeError):
        return frozenset()


def compiled_for(catalogue: Catalogue) -> Compiled:
    """The compiled form of a catalogue, built on first use and kept on the object."""
    compiled = getattr(catalogue, "_compiled", None)
    if compiled is None:
        compiled = Compiled(catalogue)
        catalogue._compiled = compiled  # type: ignore[attr-defined]  # the compiled form rides on its catalogue
    return compiled


def _overlaps(a: Hit, first: int, last: int) -> bool:
    return a.first <= last and first <= a.last


def _stops(tokens: Sequence[Token], index: int, stops: frozenset[str]) -> bool:
    """Whether tokens[index] is a stop word that ends a customer's (or supplier's) words.
    A word inside a hyphenated compound is no word of its own: the "to" of "sold to
    peer-to-peer marketplaces" or "sold to door-to-door sellers" ends nothing."""
    return tokens[index].compound < 0 and tokens[index].norm in stops


def _cuts_compound(tokens: Sequence[Token], first: int, last: int) -> bool:
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


def _read(compiled: Compiled, text: str) -> Reading:
    tokens = tokenize(text, compiled.breakers, compiled.shorthand)
    hits = compiled.matcher.find(tokens)
    roles = compiled.roles
    capitals = roles.capitals
    hits = [
        h
        for h in hits
        if h.first != h.last
        or not (
            # "UPS" is the courier, "follow ups" are not
            (h.phrase.source.lstrip("=").lower() in capitals and not tokens[h.first].text.isupper())
            # "service" in "self-service", "law" in "brother-in-law"
            or part_of_word(tokens, h.first, roles.compound_negating, roles.compound_suffix_heads)
        )
    ]
    masked: set[int] = set()
    for hit in hits:
        if isinstance(hit.phrase.payload, Mark) and hit.phrase.payload.kind == "ignore":
            masked.update(range(hit.first, hit.last + 1))
    live = [
        h
        for h in hits
        if not (isinstance(h.phrase.payload, Mark) and h.phrase.payload.kind == "ignore")
        and not masked.intersection(range(h.first, h.last + 1))
    ]
    marks: dict[str, list[Hit]] = {}
    for hit in live:
        if isinstance(hit.phrase.payload, Mark):
            marks.setdefault(hit.phrase.payload.kind, []).append(hit)
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
    excluded: dict[int, list[Hit]] = {}
    for hit in marks.get("exclude", []):
        excluded.setdefault(_ref(hit), []).append(hit)

    def negated(first: int, last: int, gap: bool = False) -> bool:
        for n_first, n_last in negators:
            if n_first >= first and n_last <= last:
                if gap:  # a negator in the words a "..." skipped negates ("have no shop")
                    return True
                continue  # the negator is part of the phrase ("no frills")
            if (
                n_last < first
                and first - n_last <= compiled.window
                and tokens[n_last].clause == tokens[first].clause
            ):
                return True
            if n_last < first and negated_list(n_last, first):
                return True
        return False

    def negated_list(n_last: int, first: int) -> bool:
        """Under a negation English joins a list with "or"/"nor": "we don't have a shop
        or a website", "no shop, cafe or market stall", "never online or in shops". The
        negation reaches every item, across commas and "or", up to `LIST_REACH` words,
        until a subject, "but", "only", "just"... ("no app, just a website")."""
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

    not_customer = marks.get("notcustomer", [])
    customer_marks = [
        h
        for h in marks.get("customer", [])
        if not any(_overlaps(n, h.first, h.last) for n in not_customer)
        and not _cuts_compound(tokens, h.first, h.last)
    ]

    # The partners the answer names ("a 3PL", "DHL", "a farm co-op"): not the business
    # itself ("we're a 3PL"), not its customers ("we sell to distributors"), not its own
    # premises or staff ("our factory", "our developers"), not negated ("no agency").
    names: list[tuple[int, int]] = []
    not_partner: list[Hit] = []
    cue_hits = marks.get("partner", [])
    doers = [
        h for h in marks.get("pdoer", []) if any(_overlaps(c, h.first, h.last) for c in cue_hits)
    ]
    for h in sorted((*marks.get("pname", []), *doers), key=lambda h: (h.first, h.last)):
        before = {tokens[i].norm for i in range(max(0, h.first - 2), h.first)}
        if (
            negated(h.first, h.last)
            or _self_before(compiled, tokens, marks.get("self", []), h.first)
            or _title(text, tokens, h.first, h.last)
            or any(
                c.last < h.first
                and h.first - c.last <= compiled.noun_window
                and tokens[c.last].sentence == tokens[h.first].sentence
                and not any(
                    _stops(tokens, i, compiled.noun_stops) for i in range(c.last + 1, h.first)
                )
                for c in customer_marks
            )
            or (before & _OURS and h.phrase.source.lstrip("=").lower() in roles.own_when_ours)
        ):
            not_partner.append(h)
            continue
        first = h.first
        for k in range(1, roles.name_words + 2):
            j = h.first - k
            if j < 0 or tokens[j].clause != tokens[h.first].clause:
                break
            if tokens[j].norm in roles.determiners:
                first = j
        if names and first <= names[-1][1] + 1:
            names[-1] = (names[-1][0], max(names[-1][1], h.last))
        else:
            names.append((first, h.last))

    # Proper names after "on", "via", "through", "using", "such as"...: the platforms,
    # marketplaces, suppliers and insurers the business works with ("sells on Steam and
    # the Nintendo eShop", "insurers such as Aviva, Allianz and Hiscox", "via Fresha").
    for span in _proper_names(text, tokens, roles):
        if not any(n[0] <= span[1] and span[0] <= n[1] for n in names) and not negated(
            span[0], span[1]
        ):
            names.append(span)
    names.sort()

    # A longer own cue that contains a partner word wins ("senior partners", "partner-led":
    # in a firm, the partners are you).
    own_marks = marks.get("own", [])
    partners = [
        h
        for h in cue_hits
        if not negated(h.first, h.last)
        and not any(_overlaps(n, h.first, h.last) for n in not_partner)
        and not any(
            o.first <= h.first and h.last <= o.last and o.last - o.first > h.last - h.first
            for o in own_marks
        )
    ]
    subjects = marks.get("csubject", [])
    owners = [
        h
        for h in marks.get("own", [])
        if not any(_overlaps(p, h.first, h.last) for p in (*partners, *subjects))
    ]

    def who(first: int, last: int) -> tuple[str, Hit | None]:
        sentence = tokens[first].sentence
        for p in partners:
            if _overlaps(p, first, last):
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
        if best is not None and best[1] == "own" and tokens[best[2].first].norm in _POSSESSIVE:
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
                    p.last < o.first < owner_at and tokens[o.first].norm not in _POSSESSIVE
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

    def acts_on_us(last: int) -> bool:
        """The words are the subject of something done to us: "architects send us work",
        "builders ring us", "estate agents who ring us first", "farmers hear about us"
        (a verb and "us" within the next four words, no "we"/"our"/list between)."""
        for k in range(last + 1, min(len(tokens), last + 5)):
            norm = tokens[k].norm
            if tokens[k].clause != tokens[k - 1].clause and norm not in ("who", "that"):
                return False  # "wedding fairs, venues recommend us": another item
            if norm == "us":
                return k > last + 1 and tokens[k].text != "US"
            if norm in _OWN or norm == "and":
                return False
        return False

    def customers_do(first: int) -> bool:
        """ "our clients ship parcels": the customers right before it do it."""
        for h in subjects:
            if (
                h.last < first
                and tokens[h.last].clause == tokens[first].clause
                and sum(1 for i in range(h.last + 1, first) if tokens[i].norm not in _AUX)
                <= roles.subject_gap
                and not any(_overlaps(o, h.last + 1, first - 1) for o in owners)
            ):
                return True
        return False

    def about_customer(first: int, depth: int = 0, last: int | None = None) -> bool:
        for h in customer_marks:
            if h.last < first and first - h.last <= compiled.customer_window:
                between = range(h.last + 1, first)
                if tokens[h.last].clause == tokens[first].clause and not any(
                    _stops(tokens, i, compiled.customer_stops) for i in between
                ):
                    return True
        # a list of customers after the marker: "for manufacturers and importers",
        # "for restaurants, offices and shops" (plural nouns joined by and/or/commas)
        if depth > 4:
            return False
        if depth == 0 and elaborates_customer(first):
            return True
        if depth == 0 and in_their_premises(first, first if last is None else last):
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
            and not _stops(tokens, head, compiled.customer_stops)
            and not any(_overlaps(h, first, end) for h in customer_marks)  # "apps for"
        ):
            if tokens[head].norm in roles.customer_heads and about_customer(head, 1):
                return True
            end = head
        if not tokens[end].norm.endswith("s"):
            return False
        for skip in (0, 1):  # one modifier before the item: "and local restaurants"
            j = first - skip
            if j < 1 or tokens[j - 1].sentence != tokens[first].sentence:
                return False
            if skip and (_stops(tokens, j, compiled.customer_stops) or tokens[j].norm in _OWN):
                return False
            joiner = tokens[j - 1].norm in _LIST_JOINERS
            comma = "," in text[tokens[j - 1].end : tokens[j].start]
            if joiner or comma:
                item = j - 2 if joiner else j - 1
                if (
                    item >= 0
                    and tokens[item].sentence == tokens[first].sentence
                    and about_customer(item, depth + 1)
                ):
                    return True
        return False

    def noun_customer(first: int) -> bool:
        """A noun in a list after "for" names customers too ("for cafes, offices and
        schools"): a wider scope than for signals, across commas and "and"."""
        for h in customer_marks:
            if (
                h.last < first
                and first - h.last <= compiled.noun_window
                and tokens[h.last].sentence == tokens[first].sentence
                and not any(
                    _stops(tokens, i, compiled.noun_stops) for i in range(h.last + 1, first)
                )
            ):
                return True
        return False

    premises_one = frozenset(singular(p) for p in roles.premises)

    def in_their_premises(first: int, last: int) -> bool:
        """ "we repair lathes in factories", "sold in shops": other people's premises
        (plural, right after "in"/"across", or with one word between that is no
        "our"/"my")."""

        def premises(i: int) -> bool:
            return i < len(tokens) and (
                tokens[i].norm in roles.premises
                or (tokens[i].norm.endswith("s") and singular(tokens[i].norm) in premises_one)
            )

        if not premises(last) and not premises(last + 1):
            return False
        for before in range(first - 1, max(-1, first - 5), -1):
            if before < 0 or tokens[before].sentence != tokens[first].sentence:
                return False
            if tokens[before].norm in roles.premises_after:
                return all(
                    tokens[k].norm not in _OWN and tokens[k].norm not in _POSSESSIVE
                    for k in range(before + 1, first)
                )
        return False

    def elaborates_customer(first: int) -> bool:
        """A list after a colon that follows the customers: "cleaning for food
        factories: meat, ready meals, bakery lines" (the items are the customers')."""
        j = first - 1
        while j >= 0 and first - j <= 12 and tokens[j].sentence == tokens[first].sentence:
            gap = text[tokens[j].end : tokens[j + 1].start]
            if ":" in gap:  # (not a dash: "for landlords - find tenants" is our work)
                return about_customer(j, 1) or noun_customer(j)
            if tokens[j].norm in _OWN or (
                _stops(tokens, j, compiled.customer_stops) and tokens[j].norm not in _LIST_JOINERS
            ):
                return False
            j -= 1
        return False

    supplier_marks = [
        h for h in marks.get("supplier", []) if not _cuts_compound(tokens, h.first, h.last)
    ]

    def about_supplier(first: int, last: int) -> bool:
        """Up to `customer_window` words after a supplier marker, same clause, no stop."""
        for h in supplier_marks:
            if h.last < first and first - h.last <= compiled.customer_window:
                between = range(h.last + 1, first)
                if tokens[h.last].clause == tokens[first].clause and not any(
                    _stops(tokens, i, compiled.customer_stops) for i in between
                ):
                    return True
        return False

    def in_sentence_partner(first: int) -> Hit | None:
        sentence = tokens[first].sentence
        return next((p for p in partners if tokens[p.first].sentence == sentence), None)

    # Signals and cues: per activity, overlapping matches keep the strongest.
    kept: list[Hit] = []
    for hit in live:
        payload = hit.phrase.payload
        if isinstance(payload, SignalRef):
            if any(_overlaps(x, hit.first, hit.last) for x in excluded.get(payload.activity, [])):
                continue
            # words of a negating phrase are no evidence ("we used to" is not used goods)
            if any(
                n.last > n.first and n.first <= hit.first and hit.last <= n.last
                for n in marks.get("negator", [])
            ):
                continue
            kept.append(hit)
        elif isinstance(payload, NounRef) and _verb_position(tokens, hit.first):
            continue  # "we store stock", "they market it": a verb, not what the business is
        elif (
            isinstance(payload, NounRef)
            and hit.first > 0
            and tokens[hit.first - 1].norm in _NOT_AFTER | {"from"}
            and tokens[hit.first - 1].clause == tokens[hit.first].clause
            and tokens[hit.first - 1].compound < 0  # not the "to" of "farm-to-shop"
        ):
            continue  # "from farm to mill", "into shops": where goods go, not the business
        elif (
            isinstance(payload, NounRef)
            and tokens[hit.last].compound >= 0
            and not tokens[hit.last].head
        ):
            continue  # "community-owned", "shop-bought": a modifier, not the business
        elif isinstance(payload, CueRef | NounRef) or (
            isinstance(payload, Mark)
            and payload.kind == "coherence"
            # a promise word in another sense ("insurance premiums") is no promise
            and not any(_overlaps(o, hit.first, hit.last) for o in marks.get("othersense", []))
        ):
            kept.append(hit)

    def strength(hit: Hit) -> tuple[float, float, int]:
        payload = hit.phrase.payload
        weight = payload.weight if isinstance(payload, SignalRef | CueRef | NounRef) else 0.0
        if isinstance(payload, NounRef):  # the longer noun is the more specific one
            return (hit.last - hit.first, weight, -hit.first)
        return (weight, hit.last - hit.first, -hit.first)

    def self_described(first: int) -> bool:
        return any(
            h.last < first
            and first - h.last <= compiled.self_window + 1
            and tokens[h.last].clause == tokens[first].clause
            and not any(tokens[i].norm in compiled.self_stops for i in range(h.last + 1, first))
            for h in marks.get("self", [])
        )

    def secondary(first: int, last: int) -> bool:
        sentence = tokens[first].sentence
        return any(
            tokens[h.first].sentence == sentence and h.last < first for h in marks.get("before", [])
        ) or any(
            tokens[h.first].sentence == sentence and h.first > last for h in marks.get("after", [])
        )

    chosen: list[Hit] = []
    taken: dict[tuple[str, object], list[Hit]] = {}
    for hit in sorted(kept, key=strength, reverse=True):
        group = taken.setdefault(_group_key(hit), [])
        if any(_overlaps(c, hit.first, hit.last) for c in group):
            continue
        group.append(hit)
        chosen.append(hit)
    chosen.sort(key=lambda h: (h.first, h.last, h.phrase.source))

    # a noun right after a partner's name is the partner's ("delivery-app payouts",
    # "Stripe fees", "Deliveroo orders")
    name_ends = {
        last + 1: (first, last)
        for first, last in names
        # "our senior partners": in a firm, the partners are the business
        if not any(o.first <= last and first <= o.last for o in own_marks)
    }

    mentions = []
    for hit in chosen:
        agent: Hit | None = None
        owner = name_ends.get(hit.first)
        if owner is not None and tokens[owner[1]].clause == tokens[hit.first].clause:
            mode = "partner"
            agent = next((p for p in partners if _overlaps(p, owner[0], owner[1])), None)
        elif negated(hit.first, hit.last, GAP_SPEC in hit.phrase.specs):
            agent = in_sentence_partner(hit.first)
            mode = "partner" if agent is not None else "negated"
        else:
            mode, agent = who(hit.first, hit.last)
            payload = hit.phrase.payload
            if (
                mode == "own"
                and isinstance(payload, SignalRef)
                and compiled.activities[payload.activity].category not in CUSTOMER_EXEMPT
                and customers_do(hit.first)
            ):
                mode = "customer"
            elif (
                mode == "own"
                and isinstance(payload, SignalRef | NounRef)
                and (
                    isinstance(payload, NounRef)
                    or compiled.activities[payload.activity].category in CORE_TYPES
                )
                and acts_on_us(hit.last)
            ):
                mode = "customer"  # "architects send us work", "farmers ring us"
        mentions.append(
            Mention(
                hit.phrase.payload,  # type: ignore[arg-type]  # a signal phrase carries a SignalRef payload
                hit.phrase.source,
                hit.first,
                hit.last,
                tokens[hit.first].start,
                tokens[hit.last].end,
                mode,
                hit.fuzzy,
                any(
                    tokens[i].norm not in compiled.not_content
                    for i in range(hit.first, hit.last + 1)
                ),
                noun_customer(hit.first) or elaborates_customer(hit.first)
                if isinstance(hit.phrase.payload, NounRef)
                else about_customer(hit.first, 0, hit.last),
                any(
                    h.last < hit.first and tokens[h.last].sentence == tokens[hit.first].sentence
                    for h in marks.get("product", [])
                ),
                isinstance(hit.phrase.payload, NounRef) and self_described(hit.first),
                isinstance(hit.phrase.payload, NounRef) and secondary(hit.first, hit.last),
                isinstance(hit.phrase.payload, NounRef)
                and any(
                    h.first == hit.last + 1 and tokens[h.first].clause == tokens[hit.last].clause
                    for h in marks.get("modifies", [])
                ),
                (agent.first, agent.last) if agent is not None else (-1, -1),
                about_supplier(hit.first, hit.last),
            )
        )
    mentions += _whose_goods(compiled, tokens, marks, negated, who)
    mentions += _service_title(compiled, tokens, live, customer_marks)
    mentions += _priced_per_job(compiled, text, tokens, marks)
    noshare = {  # a deposit, a discount, a cost: not a cut ("keep" itself is no stop)
        tokens[h.first].clause
        for h in marks.get("noshare", [])
        if not (h.first == h.last and tokens[h.first].norm in roles.commission_verbs)
    }
    for i, t in enumerate(tokens):
        if (
            t.norm.replace(".", "", 1).isdigit()
            and _percent(text, t.end, tokens[i + 1] if i + 1 < len(tokens) else None)
            and t.clause not in noshare
        ):
            verb = next(
                (
                    j
                    for j in range(max(0, i - 3), i)
                    if tokens[j].norm in roles.commission_verbs and tokens[j].clause == t.clause
                ),
                None,
            )
            if (
                verb is None
                or negated(verb, i)
                # we keep it: "we keep 20 %", "we only take 15 %" (not "the stores take")
                or not any(tokens[k].norm in ("we", "i") for k in range(max(0, verb - 2), verb))
            ):
                continue
            mode, _agent = who(verb, i)
            if mode == "own":
                mentions.append(
                    Mention(
                        CueRef("platform_network", roles.commission_weight, ()),
                        "keeps a cut: " + " ".join(tokens[k].norm for k in range(verb, i + 1)),
                        verb,
                        i,
                        tokens[verb].start,
                        t.end,
                        "own",
                        False,
                        True,
                    )
                )
    mentions.sort(key=lambda m: (m.first, m.last, m.source))
    content = sum(1 for t in tokens if t.norm not in compiled.not_content and not t.norm.isdigit())
    shares: list[tuple[int, int, float | None]] = [
        (h.first, h.last, compiled.amounts[_ref(h)]) for h in marks.get("share", [])
    ]
    shares += [(h.first, h.last, None) for h in marks.get("rest", [])]
    money_at = {i for h in marks.get("money", []) for i in range(h.first, h.last + 1)}
    shares += [
        (i, i, min(float(t.norm), 100.0) / 100.0)
        for i, t in enumerate(tokens)
        if t.norm.replace(".", "", 1).isdigit()
        and _percent(text, t.end, tokens[i + 1] if i + 1 < len(tokens) else None)
        and not _rate(tokens, i, money_at)
    ]
    return Reading(
        tuple(tokens),
        tuple(mentions),
        content,
        tuple(names),
        tuple(sorted(_distinct(shares))),
        frozenset(i for h in marks.get("money", []) for i in range(h.first, h.last + 1)),
        tuple((h.first, CORE_TYPES[_ref(h)]) for h in marks.get("line", [])),
        frozenset(tokens[h.first].clause for h in marks.get("noshare", [])),
    )


#: categories whose work is what the users do: on a platform, "users list their rooms"
#: is the platform's business, so a customer subject does not take it away
CUSTOMER_EXEMPT = frozenset({"platform_network"})
_POSSESSIVE = frozenset({"our", "my"})
_OWN = frozenset({"we", "i", "our", "my", "us"})
_LIST_JOINERS = frozenset({"and", "or", "&"})
#: a negation reaches the items of a list joined by these ("no shop or website")
_NEG_JOINERS = frozenset({"or", "nor"})
#: ...up to this many words after the negator, and never past these words
LIST_REACH = 10
_LIST_STOPS = frozenset(
    {"we", "i", "our", "my", "us", "but", "only", "just", "instead", "except", "however",
     "yet", "so", "then", "which", "who", "because", "while", "although", "though",
     "apart", "besides", "rather", "still", "mostly", "mainly"}
)  # fmt: skip
_OURS = frozenset({"our", "my", "own", "in-house", "inhouse"})
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


#: a business noun right after these is a verb: "we store stock", "they market it",
#: "to shop around", "we also brand it"
_VERB_BEFORE = frozenset(
    {"we", "i", "they", "you", "we'll", "i'll", "they'll", "can", "will", "also",
     "just", "then", "usually", "always", "often", "mostly"}
)  # fmt: skip
_NOT_AFTER = frozenset({"to", "into", "onto"})


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


def ours_before(tokens: Sequence[Token], first: int) -> bool:
    """ "our farm", "my own kit", "we farm": the word is the business's own."""
    return any(
        tokens[i].norm in _OURS or tokens[i].norm in ("we", "i")
        for i in range(max(0, first - 2), first)
        if tokens[i].clause == tokens[first].clause
    )


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

    def capital(k: int) -> bool:
        t = tokens[k]
        return (
            _capitalised(t.text)
            and (k > 0 and tokens[k - 1].sentence == t.sentence)
            and t.norm not in roles.not_names
            and t.text != "I"
        )

    k = 0
    while k < len(tokens):
        words = _marker_at(tokens, k, markers)
        if not words:
            k += 1
            continue
        j = k + words
        if j >= len(tokens) or tokens[j].clause != tokens[j - 1].clause:
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


def _verb_position(tokens: Sequence[Token], first: int) -> bool:
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


def _whose_goods(
    compiled: Compiled,
    tokens: Sequence[Token],
    marks: Mapping[str, list[Hit]],
    negated: Callable[[int, int], bool],
    who: Callable[[int, int], tuple[str, Hit | None]],
) -> list[Mention]:
    """Work on the customers' own goods, land or premises ("their stock", "clients'
    goods", "on your land"): a problem-solving cue (roles.toml [service])."""
    roles = compiled.roles
    owners = [
        (h.first, h.last)
        for h in marks.get("sowner", [])
        if h.first == 0 or tokens[h.first - 1].norm not in _NOT_AFTER
    ]
    owners += [(h.first, h.last) for h in marks.get("syour", [])]
    out: list[Mention] = []
    seen: set[int] = set()
    for prop in marks.get("sproperty", []):
        for first, last in owners:
            between = range(last + 1, prop.first)
            if (
                last < prop.first
                and len(between) <= roles.service_gap
                and tokens[last].clause == tokens[prop.first].clause
                and not any(tokens[i].norm in _POSSESSIVE for i in between)
                and first not in seen
            ):
                seen.add(first)
                if negated(first, prop.last):
                    mode = "negated"
                else:
                    mode, _agent = who(first, prop.last)
                if mode == "partner":
                    break
                out.append(
                    Mention(
                        CueRef("problem_solving", roles.service_weight, ()),
                        "whose goods: "
                        + " ".join(tokens[i].norm for i in range(first, prop.last + 1)),
                        first,
                        prop.last,
                        tokens[first].start,
                        tokens[prop.last].end,
                        mode,
                        False,
                        True,
                    )
                )
                break
    return out


#: how far into an answer its title may start ("Night hygiene cleaning for ...")
TITLE_REACH = 4


def _service_title(
    compiled: Compiled,
    tokens: Sequence[Token],
    hits: Sequence[Hit],
    customer_marks: Sequence[Hit],
) -> list[Mention]:
    """An answer that opens with the work it sells, done for someone: "Contract spraying
    and combining for arable farms", "Night hygiene cleaning for food factories", "Dog
    walking for busy owners". A word in -ing among the first words, right before "for"
    (or joined to another such word by and/or/&/+/a comma), is a problem-solving cue,
    unless a production or platform signal covers it ("Brewing for pubs", "Printing for
    agencies" make things) or a noun follows it ("Booking software for salons")."""
    made = {
        i
        for h in hits
        if isinstance(h.phrase.payload, SignalRef)
        and compiled.activities[h.phrase.payload.activity].category
        in ("production", "platform_network")
        for i in range(h.first, h.last + 1)
    }
    marks_at = {h.first for h in customer_marks if tokens[h.first].norm == "for"}
    for i in range(min(TITLE_REACH, len(tokens))):
        if tokens[i].sentence != 0:
            break
        j = i
        gerunds = []
        while j < len(tokens) and tokens[j].sentence == 0:
            norm = tokens[j].norm
            if len(norm) >= 6 and norm.isalpha() and norm.endswith("ing") and j not in made:
                gerunds.append(j)
                j += 1
                if j < len(tokens) and tokens[j].norm in _COORD_WORDS:
                    j += 1
                continue
            break
        if gerunds and j in marks_at:
            first, last = gerunds[0], gerunds[-1]
            return [
                Mention(
                    CueRef("problem_solving", compiled.roles.service_weight, ()),
                    "work sold to others: " + tokens[first].norm,
                    first,
                    last,
                    tokens[first].start,
                    tokens[last].end,
                    "own",
                    False,
                    True,
                )
            ]
    return []


_COORD_WORDS = frozenset({"and", "or", "&"})


def _priced_per_job(
    compiled: Compiled, text: str, tokens: Sequence[Token], marks: Mapping[str, list[Hit]]
) -> list[Mention]:
    """A price per unit of work done for the customer ("per load", "95/acre", "per bin"):
    a problem-solving cue (roles.toml [service] units)."""
    out: list[Mention] = []
    for h in marks.get("sunit", []):
        if h.first == 0:
            continue
        before = tokens[h.first - 1]
        slash = text[before.end : tokens[h.first].start].strip() == "/"
        if not (
            slash
            or (before.norm == "per" and tokens[h.first - 1].sentence == tokens[h.first].sentence)
        ):
            continue
        first = h.first if slash else h.first - 1
        out.append(
            Mention(
                CueRef("problem_solving", compiled.roles.service_weight, ()),
                "priced per job: " + " ".join(tokens[i].norm for i in range(first, h.last + 1)),
                first,
                h.last,
                tokens[first].start,
                tokens[h.last].end,
                "own",
                False,
                True,
            )
        )
    return out


def _rate(tokens: Sequence[Token], i: int, money: set[int]) -> bool:
    """ "18 % of first-year salary", "20 % of each booking": a percentage OF something
    that is no money word is a rate, not a share of revenue ("80 % of revenue" is)."""
    j = i + 1
    while j < len(tokens) and j <= i + 2 and tokens[j].norm in ("percent", "per", "cent", "pct"):
        j += 1
    if j >= len(tokens) or tokens[j].norm != "of":
        return False
    return not any(k in money for k in range(j + 1, min(len(tokens), j + 5)))


def _percent(text: str, end: int, following: Token | None) -> bool:
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


Share = tuple[int, int, float | None]


def _distinct(shares: list[Share]) -> list[Share]:
    """Overlapping share words keep the longest ("two thirds" over "a third")."""
    out: list[Share] = []
    for s in sorted(shares, key=lambda x: (-(x[1] - x[0]), x[0])):
        if not any(o[0] <= s[1] and s[0] <= o[1] for o in out):
            out.append(s)
    return out


def _self_before(compiled: Compiled, tokens: list[Token], selfs: list[Hit], first: int) -> bool:
    """A noun the founder says the business is: "we're a 3PL", "I'm an accountant"."""
    return any(
        h.last < first
        and first - h.last <= compiled.self_window + 1
        and tokens[h.last].clause == tokens[first].clause
        and not any(tokens[i].norm in compiled.self_stops for i in range(h.last + 1, first))
        for h in selfs
    )


def _ref(hit: Hit) -> int:
    """The index a mark refers to (an activity, a rule, an amount, a type)."""
    payload = hit.phrase.payload
    assert isinstance(payload, Mark)
    return payload.ref


def _group_key(hit: Hit) -> tuple[str, object]:
    payload = hit.phrase.payload
    if isinstance(payload, SignalRef):
        return ("signal", payload.activity)
    if isinstance(payload, CueRef):
        return ("cue", payload.type)
    if isinstance(payload, NounRef):  # overlapping nouns: the most specific one counts
        return ("noun", None)
    return ("mark", payload)
