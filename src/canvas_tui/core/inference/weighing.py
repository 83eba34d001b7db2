"""Weighing one answer's mentions for its question and guiding section.

A mention's weight is its signal group's weight times the section, question and
activity-section factors, lowered when it names the customer, was matched with a typo,
or a partner does it (docs/inference.md, "Scoring"). An answer whose informative evidence
is too thin is vague and gives nothing. Cached by (question, text, section).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from canvas_tui.core.inference.catalogue import CORE_TYPES, GUIDING, Catalogue
from canvas_tui.core.inference.customers import singular
from canvas_tui.core.inference.doers import CUSTOMER_EXEMPT, ours_before
from canvas_tui.core.inference.function_words import OWN
from canvas_tui.core.inference.matcher import NUMBER_WORDS
from canvas_tui.core.inference.matching import Compiled
from canvas_tui.core.inference.reading import CueRef, Mark, Mention, NounRef, Reading, SignalRef
from canvas_tui.core.inference.results import Evidence
from canvas_tui.core.inference.roles import Roles
from canvas_tui.core.inference.text import Token

PARTNER_FACTOR = 0.5  # someone else does it: still key, but less yours
#: "software for restaurants", "our clients ship parcels": the words name the customer or
#: what the customers do. Such a mention never raises an activity (weight 0); it counts
#: at this factor only toward whether the answer is informative (it says who buys).
CUSTOMER_FACTOR = 0.35
FUZZY_FACTOR = 0.8  # matched with one typo
OFF_SECTION_FACTOR = 0.5  # a section-bound signal in a question of an unknown section
#: after "software for", the words about what the product handles still count for these
#: categories (the software is built and run by you: matching, data, the app itself)
PRODUCT_KEEPS = frozenset({"platform_network"})
QUOTE_LIMIT = 90
#: after a supplier marker, these activities' words still count: buying is our work
SUPPLIER_KEEPS = frozenset({"sourcing-and-procurement", "partner-management"})
_CATEGORY_ORDER = ("production", "problem_solving", "platform_network", "supporting")
_TURNS = frozenset(
    {
        "but",
        "however",
        "although",
        "though",
        "whereas",
        "instead",
        "no",
        "not",
        "never",
        "nobody",
        "none",
        "longer",
        "used",
        "anymore",
        "dont",
        "doesnt",
        "without",
        "rather",
    }
)
_DANGLING = frozenset({"and", "or", "but", "so", "then", "with", "to", "of", "the", "a", "an"})


@dataclass(frozen=True)
class Weighed:
    """One answer weighed for its question (cached by question, text and section)."""

    vague: bool
    #: (activity index, weight, evidence, negated, index of the partner_to activity)
    items: tuple[tuple[int, float, Evidence, bool, int | None], ...] = ()
    cues: tuple[tuple[str, float], ...] = ()
    promises: tuple[tuple[int, str], ...] = ()
    contexts: Mapping[int, str] = field(default_factory=dict)
    #: (type, weight) of the business nouns: what the business is
    identity: tuple[tuple[str, float], ...] = ()
    #: the partners the answer names: (name, quote start, quote end, name end, activity
    #: indexes)
    partners: tuple[tuple[str, int, int, int, tuple[int, ...]], ...] = ()
    #: stated revenue shares: (amount or None for "the rest", ((type, fraction), ...))
    shares: tuple[tuple[float | None, tuple[tuple[str, float], ...]], ...] = ()
    #: the customers the answer names ("for restaurants", "our clients ship"): spans
    customers: tuple[tuple[int, int], ...] = ()


#: a signal that starts with the business speaking of itself (function_words.OWN: "we
#: roast", "our workshop") in the value proposition is the business saying what it does:
#: its weight x SELF_BOOST (round 7, by CV: recall@5 +3 of 2638 on the outsider-written
#: parts)
SELF_BOOST = 1.3


def _kind_of_goods(roles: Roles, reading: Reading, m: Mention) -> bool:
    """Whether a goods noun follows the mention in its clause: "cleaning chemicals",
    "plumbing supplies", "training equipment" name goods, not the service itself."""
    tokens = reading.tokens
    k = m.last + 1
    return (
        k < len(tokens)
        and tokens[k].clause == tokens[m.last].clause
        and tokens[k].norm in roles.goods
    )


def _other_people(roles: Roles, reading: Reading, m: Mention) -> bool:
    """Whether the mention is one plural trade noun that names other people ("gravel for
    builders", "vetted gardeners"): no owner word ("our", "we employ") shortly before it."""
    if m.first != m.last or reading.tokens[m.last].norm not in roles.others:
        return False
    before = reading.tokens[max(0, m.first - roles.others_window) : m.first]
    return not any(t.norm in roles.others_owners for t in before)


def section_of(qid: str, sections: Mapping[str, str] | None) -> str:
    if sections and qid in sections:
        return sections[qid]
    return qid.split(".", 1)[0]


def question_weight(qid: str, weights: Mapping[str, float]) -> float:
    while True:
        if qid in weights:
            return weights[qid]
        if not qid.endswith(".more"):
            return 1.0
        qid = qid[: -len(".more")]


def _factor(group_sections: tuple[str, ...], section: str) -> float:
    if not group_sections or section in group_sections:
        return 1.0
    return 0.0 if section in GUIDING else OFF_SECTION_FACTOR


def _context(text: str, reading: Reading, mention: Mention) -> str:
    """The words around a mention, for a rationale: its sentence up to 8 words each side,
    else its clause, else the mention itself (whatever stays short enough to read)."""
    tokens = reading.tokens
    clause = tokens[mention.first].clause
    # A sentence that turns ("we used to consult, but now the app is the business") or
    # negates something is quoted only by the clause of the mention: never the words that
    # say the opposite.
    turns = any(
        t.clause != clause and (t.norm in _TURNS or t.norm.endswith("n't"))
        for t in tokens
        if t.sentence == tokens[mention.first].sentence
    )
    for unit in ("clause",) if turns else ("sentence", "clause"):
        group = getattr(tokens[mention.first], unit)
        first, last = mention.first, mention.last
        while first > 0 and getattr(tokens[first - 1], unit) == group and mention.first - first < 8:
            first -= 1
        while (
            last + 1 < len(tokens)
            and getattr(tokens[last + 1], unit) == group
            and last - mention.last < 8
        ):
            last += 1
        while last > mention.last and tokens[last].norm in _DANGLING:
            last -= 1
        while first < mention.first and tokens[first].norm in _DANGLING:
            first += 1
        quote = " ".join(text[tokens[first].start : tokens[last].end].split())
        if len(quote) <= QUOTE_LIMIT:
            return quote
    return " ".join(text[mention.start : mention.end].split())


def weigh(
    compiled: Compiled,
    catalogue: Catalogue,
    qid: str,
    text: str,
    section: str,
    customer: frozenset[str] = frozenset(),
) -> Weighed:
    """One answer weighed for its question and section (cached on the compiled catalogue).

    `customer`: the nouns the answers use for the customers ("for arable farms": farm);
    the same nouns in this answer name the customers too, unless they are ours."""
    key = (qid, text, section, customer)
    weighed = compiled.weighed.get(key)
    if weighed is None:
        if len(compiled.weighed) > 2048:
            compiled.weighed.clear()
        weighed = compiled.weighed[key] = _weigh(compiled, catalogue, qid, text, section, customer)
    return weighed  # type: ignore[return-value]  # the cache dict is typed loosely (matching.Compiled.weighed)


def _weigh(
    compiled: Compiled,
    catalogue: Catalogue,
    qid: str,
    text: str,
    section: str,
    customer: frozenset[str] = frozenset(),
) -> Weighed:
    """Weigh one answer's mentions for its question and guiding section."""
    activities = compiled.activities
    qweight = question_weight(qid, catalogue.question_weights)
    reading = compiled.read(text)
    about_customers = compiled.roles.about_customers(qid)
    if about_customers:
        reading = all_about_customers(reading)
    elif customer:
        reading = _customers_named(compiled, reading, customer)
    per_phrase: dict[tuple[int, str], tuple[float, Mention]] = {}
    cues: dict[tuple[str, str], float] = {}
    promises: list[tuple[int, str]] = []
    nouns: dict[tuple[str, str], float] = {}
    customers: list[tuple[int, int]] = []
    # only the answer that says what the business offers has a head noun by position
    head_taken = qid.removesuffix(".more") in compiled.roles.not_head
    total = 0.0
    # In a compound the last noun is the head: "erp consultancy", "marketplace app".
    noun_starts = {m.first for m in reading.mentions if isinstance(m.payload, NounRef)}
    for m in reading.mentions:
        payload = m.payload
        if m.about_supplier and not (
            isinstance(payload, SignalRef) and activities[payload.activity].id in SUPPLIER_KEEPS
        ):
            continue  # "panels come from X Wholesale": the supplier's trade, not ours
        if isinstance(payload, SignalRef):
            activity = activities[payload.activity]
            weight = payload.weight * _factor(payload.sections, section) * qweight
            weight *= activity.section_weight(section)
            if section == "value_proposition" and m.source.split(" ", 1)[0] in OWN:
                weight *= SELF_BOOST
            if (
                m.mode == "customer"
                or m.about_customer
                or (m.about_product and activity.category not in PRODUCT_KEEPS)
            ):
                # the customers are it or do it: customer segments, never an activity
                if m.informative and m.mode != "negated":
                    total += weight * CUSTOMER_FACTOR
                    if m.mode == "customer" or m.about_customer:
                        customers.append((m.start, m.end))
                continue
            if weight <= 0:
                continue
            if _other_people(compiled.roles, reading, m):
                weight *= compiled.roles.others_factor
            if activity.category == "problem_solving" and _kind_of_goods(
                compiled.roles, reading, m
            ):
                weight *= compiled.roles.goods_factor
            if m.fuzzy:
                weight *= FUZZY_FACTOR
            if m.mode == "partner" and activity.partner_sensitive:
                weight *= PARTNER_FACTOR
            if m.informative:  # a negation is information too ("we have no app")
                total += weight
            key = (payload.activity, m.source)
            if key not in per_phrase or weight > per_phrase[key][0]:
                per_phrase[key] = (weight, m)
        elif isinstance(payload, CueRef):
            if m.mode in ("negated", "partner"):
                continue  # what a partner does or charges is not this business's model
            weight = payload.weight * _factor(payload.sections, section) * qweight
            if m.about_customer or (m.about_product and payload.type not in PRODUCT_KEEPS):
                weight *= CUSTOMER_FACTOR
            if weight > 0:
                if m.informative:
                    total += weight * 0.5
                cues[(payload.type, m.source)] = max(cues.get((payload.type, m.source), 0), weight)
        elif isinstance(payload, NounRef):
            if (
                m.mode == "negated"
                or (m.mode == "partner" and not m.self_described)  # what a partner is
                or m.last + 1 in noun_starts
                or m.modifier
                or m.about_customer
                or (m.about_product and payload.type not in PRODUCT_KEEPS)
            ):
                continue
            weight, head_taken = noun_weight(catalogue, m, section, head_taken)
            weight *= payload.weight * qweight
            if m.informative:
                total += weight * 0.5
            noun_key = (payload.type, m.source)
            nouns[noun_key] = max(nouns.get(noun_key, 0.0), weight)
        elif (
            isinstance(payload, Mark)
            and m.mode not in ("negated", "partner")
            and not m.about_customer  # "our clients are luxury hotels" promises nothing
        ):
            promises.append((payload.ref, text[m.start : m.end]))
    # One phrase raises at most one activity: where signals of different activities match
    # the very same words ("word of mouth"), the one they weigh most for this question
    # keeps them (ties: production, problem solving, platform, supporting, then catalogue
    # order). A longer phrase around a shorter one ("facebook groups" and "facebook") is
    # another phrase.
    claims: dict[tuple[int, int], tuple[tuple[float, int, int], tuple[int, str]]] = {}
    for key, (weight, m) in per_phrase.items():
        category = activities[key[0]].category
        rank = _CATEGORY_ORDER.index(category) if category in _CATEGORY_ORDER else 9
        claim = (weight, -rank, -key[0])
        span = (m.first, m.last)
        if span not in claims or claim > claims[span][0]:
            claims[span] = (claim, key)
    winners = {key for _claim, key in claims.values()}
    per_phrase = {k: v for k, v in per_phrase.items() if k in winners}
    vague = catalogue.vague
    # An answer about who the customers are names no work of ours by design ("commuters
    # and families in Utrecht"): it is vague only when it hardly names anybody.
    min_content = vague.customer_min_content if about_customers else vague.min_content
    if total < vague.min_weight and reading.content_words < min_content:
        return Weighed(vague=True)
    items = []
    contexts: dict[int, str] = {}
    tokens = reading.tokens
    names = {
        span: " ".join(text[tokens[span[0]].start : tokens[span[1]].end].split())
        for span in reading.partners
    }
    done: dict[tuple[int, int], list[tuple[int, int]]] = {span: [] for span in names}
    for (index, _source), (weight, m) in per_phrase.items():
        activity = activities[index]
        mode = m.mode if (m.mode != "partner" or activity.partner_sensitive) else "own"
        by = ""
        if mode == "partner":
            named = _named(reading.partners, m.agent)
            if named is not None:
                by = names[named]
                done[named].append((index, m.end))
        evidence = Evidence(
            qid, text[m.start : m.end], m.start, m.end, m.source, mode, round(weight, 4), by
        )
        target = compiled.index.get(activity.partner_to) if mode == "partner" else None
        items.append((index, weight, evidence, m.mode == "negated", target))
        if m.start not in contexts:
            contexts[m.start] = _context(text, reading, m)
    partners = []
    for span, name in names.items():
        start = tokens[span[0]].start
        sentence = tokens[span[0]].sentence
        ends = [e for _, e in done[span] if e > start]
        end = max(ends, default=tokens[span[1]].end)
        if ends and any(tokens[i].sentence != sentence for i in _span_tokens(tokens, start, end)):
            end = tokens[span[1]].end
        activities_done = tuple(dict.fromkeys(i for i, _ in sorted(done[span], key=lambda d: d[1])))
        partners.append((name, start, end, tokens[span[1]].end, activities_done))
    return Weighed(
        False,
        tuple(items),
        tuple((t, w) for (t, _source), w in cues.items()),
        tuple(promises),
        contexts,
        tuple((t, w) for (t, _source), w in nouns.items()),
        tuple((n, s, e, ne, a) for n, s, e, ne, a in partners),
        _shares(compiled, reading, section),
        _merged(customers),
    )


def _customers_named(compiled: Compiled, reading: Reading, customer: frozenset[str]) -> Reading:
    """The answer's mentions with the customers' own nouns marked as about the customer:
    "repeat farms" after "for arable farms" elsewhere; "our farm" stays ours."""
    tokens = reading.tokens
    changed = False
    mentions = []
    for m in reading.mentions:
        if (
            not m.about_customer
            # a phrase says more ("sell to ... clients"), a number does not ("60 cafes")
            and all(
                tokens[i].norm.isdigit() or tokens[i].norm in NUMBER_WORDS
                for i in range(m.first, m.last)
            )
            and m.mode != "negated"
            and (
                isinstance(m.payload, NounRef)
                or (
                    isinstance(m.payload, SignalRef)
                    and compiled.activities[m.payload.activity].category not in CUSTOMER_EXEMPT
                )
            )
            and _customer_noun(tokens[m.last].norm, customer)
            and not ours_before(tokens, m.first)
        ):
            m = replace(m, about_customer=True)
            changed = True
        mentions.append(m)
    return replace(reading, mentions=tuple(mentions)) if changed else reading


def all_about_customers(reading: Reading) -> Reading:
    """An answer that says who the customers are: its activity words and business nouns
    name them ("dairy units and estates"), never the business's work or type."""
    mentions = tuple(
        replace(m, about_customer=True)
        if isinstance(m.payload, SignalRef | NounRef) and m.mode != "negated"
        else m
        for m in reading.mentions
    )
    return replace(reading, mentions=mentions)


def _customer_noun(word: str, customer: frozenset[str]) -> bool:
    """A customer noun or its agent noun: "farms" names them, so does "farmer"."""
    one = singular(word)
    return one in customer or (one.endswith("er") and len(one) > 5 and one[:-2] in customer)


def _merged(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Overlapping spans as one ("online shops" and "shops": "online shops")."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return tuple(out)


def _named(spans: tuple[tuple[int, int], ...], agent: tuple[int, int]) -> tuple[int, int] | None:
    """The named partner whose words are (or contain) the cue that made it partner work."""
    for span in spans:
        if span[0] <= agent[1] and agent[0] <= span[1]:
            return span
    return None


def _span_tokens(tokens: Sequence[Token], start: int, end: int) -> list[int]:
    return [i for i, t in enumerate(tokens) if t.start >= start and t.end <= end]


def _shares(
    compiled: Compiled, reading: Reading, section: str
) -> tuple[tuple[float | None, tuple[tuple[str, float], ...]], ...]:
    """The revenue shares an answer states, each with the type of its line of business.

    A share ("80 %", "two thirds", "most", "the rest") counts when a money word is in its
    sentence (in the revenue answer a percentage needs none: "70 % subscriptions"). Its
    line is what its clause names: activities and business nouns by type, else the
    generic line words of roles.toml ("the app", "consulting"). Each line's fractions add
    up to how far it is believed (roles.toml ``trust_*``): a line that only activity words
    name, or that sits in a clause next to the share, leaves the rest of its share to the
    mix of the words (`typemix.follow_money`)."""
    if not reading.shares:
        return ()
    roles = compiled.roles
    tokens = reading.tokens
    out: list[tuple[float | None, tuple[tuple[str, float], ...]]] = []
    shared = {tokens[first].clause for first, _last, _amount in reading.shares}
    money_clauses = {tokens[i].clause for i in reading.money}
    by_clause: dict[int, list[Mention]] = {}
    for m in reading.mentions:
        by_clause.setdefault(tokens[m.first].clause, []).append(m)
    sentence_of = {t.clause: t.sentence for t in tokens}
    for first, last, amount in reading.shares:
        clause = tokens[first].clause
        if clause in reading.not_shares:
            continue  # a deposit, a discount, a cost or a commission rate
        money = clause in money_clauses
        percent = amount is not None and tokens[first].norm[:1].isdigit()
        if not (money or (percent and section == "revenue") or (amount is None and out)):
            continue
        # without a money word the line follows the share ("70 % subscriptions"); what
        # comes before it is who gets it ("providers get 70 %": a split, not a line)
        after = 0 if money else last + 1
        points, named = _line_points(compiled, reading, by_clause, clause, after, first, last)
        trust = roles.trust_named if named else roles.trust_activities
        if not points and money:
            # "Furniture and homeware sales are 65 % of turnover": the line may sit in a
            # clause next to the share's, in the same sentence, with no share of its own
            for near in _near_clauses(sentence_of, clause, shared):
                points, named = _line_points(compiled, reading, by_clause, near, 0, first, last)
                trust = roles.trust_named if named else roles.trust_nearby
                if points:
                    break
        total = sum(points.values())
        if total > 0 and trust > 0:
            out.append(
                (
                    amount,
                    tuple((t, round(trust * v / total, 4)) for t, v in sorted(points.items())),
                )
            )
    return tuple(out)


def _line_points(
    compiled: Compiled,
    reading: Reading,
    by_clause: Mapping[int, list[Mention]],
    clause: int,
    after: int,
    first: int,
    last: int,
) -> tuple[dict[str, float], bool]:
    """The types a clause names as a line of business: its activities and business nouns
    (from token `after` on), else roles.toml's generic line words ("the app"); and whether
    a noun or a line word names it (not activity words alone)."""
    tokens = reading.tokens
    points: dict[str, float] = {}
    named = False
    for m in by_clause.get(clause, ()):
        if m.mode in ("negated", "customer"):
            continue
        if m.first < after:
            continue
        if m.about_customer or (m.first <= last and m.last >= first):
            continue
        payload = m.payload
        if isinstance(payload, SignalRef):
            activity = compiled.activities[payload.activity]
            if activity.id in compiled.roles.not_lines:
                continue
            type_ = activity.category
        elif isinstance(payload, NounRef):
            type_ = payload.type
            named = named or type_ in CORE_TYPES
        else:
            continue
        if type_ in CORE_TYPES:
            points[type_] = points.get(type_, 0.0) + payload.weight
    if not points:
        for index, type_ in reading.lines:
            if tokens[index].clause == clause and index >= after:
                points[type_] = points.get(type_, 0.0) + 1.0
                named = True
    return points, named


#: how many clauses away from its share a line may be
NEAR_CLAUSES = 4


def _near_clauses(sentence_of: Mapping[int, int], clause: int, shared: set[int]) -> list[int]:
    """The clauses up to NEAR_CLAUSES away from `clause`, in its sentence, up to the next
    clause that states a share: the earlier ones first, nearest first ("Selling
    instruments, amps and accessories is 65 % of revenue": the line comes first)."""
    out = []
    for step in (-1, 1):
        for distance in range(1, NEAR_CLAUSES + 1):
            near = clause + step * distance
            if sentence_of.get(near, -1) != sentence_of[clause] or near in shared:
                break
            out.append(near)
    return out


def noun_weight(
    catalogue: Catalogue, m: Mention, section: str, head_taken: bool
) -> tuple[float, bool]:
    """How much a business noun says about the type by where it is (before its own weight):
    the head of a value-proposition answer (its first noun that is no sideline) or a noun
    the founder says the business is counts fully; other nouns of the value proposition and
    nouns elsewhere much less; a sideline ("we also ...") less again. Returns the factor
    and whether the answer's head is now taken."""
    identity = catalogue.identity
    if m.self_described:
        factor = identity.head
        head_taken = head_taken or section == "value_proposition"
    elif (
        section == "value_proposition"
        and not head_taken
        and not m.secondary
        and m.first < identity.head_window
    ):
        factor = identity.head
        head_taken = True
    elif section == "value_proposition":
        factor = identity.offer
    else:
        factor = identity.elsewhere
    if m.secondary:
        factor *= identity.secondary
    return factor, head_taken
