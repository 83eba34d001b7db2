"""Reading one answer against the compiled catalogue: `read_answer(compiled, text)`.

The answer's tokens go through the compiled matcher once. The hits are cleaned (a
capitalised name written in lower case, a word inside a compound, anything inside an
ignored phrase), the language marks are grouped by kind, and each signal, cue and
business noun that survives becomes a `Mention` with who does it and whom it is about.
The rules live in their own modules; this one runs them in order:

| rule | module |
|---|---|
| which negators count, and what they reach | `negation` |
| whom words are about: the customers, a supplier | `customers` |
| the partners the answer names, its partner cues that count | `partners` |
| who does it: we, a partner, the customers | `doers` |
| business nouns: what the business is, self-described, sideline, modifier | `business_nouns` |
| cues given by the answer's shape (whose goods, a title, per job, a cut) | `pattern_cues` |
| stated revenue shares | `shares` |
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from canvas_tui.core.inference.business_nouns import (
    modifies_next,
    not_the_business,
    self_described,
    sideline,
)
from canvas_tui.core.inference.catalogue import CORE_TYPES
from canvas_tui.core.inference.customers import CustomerScope, customer_marks
from canvas_tui.core.inference.doers import CUSTOMER_EXEMPT, Doers
from canvas_tui.core.inference.matcher import GAP_SPEC, Hit, Phrase
from canvas_tui.core.inference.negation import Negation, find_negators
from canvas_tui.core.inference.partners import agent_after, firm_names, partner_cues, partner_names
from canvas_tui.core.inference.pattern_cues import (
    keeps_a_cut,
    priced_per_job,
    service_title,
    whose_goods,
)
from canvas_tui.core.inference.reading import (
    CueRef,
    Mark,
    Mention,
    NounRef,
    Reading,
    SignalRef,
    mark_ref,
    overlaps,
)
from canvas_tui.core.inference.shares import money_words, not_share_clauses, stated_shares
from canvas_tui.core.inference.text import part_of_word, tokenize

if TYPE_CHECKING:  # pragma: no cover
    from canvas_tui.core.inference.matching import Compiled


def read_answer(compiled: Compiled, text: str) -> Reading:
    """What `text` says, for the compiled catalogue (see `Compiled.read`: cached by text)."""
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
    negated = Negation(text, tokens, find_negators(tokens, live, marks, masked), compiled.window)
    excluded: dict[int, list[Hit]] = {}
    for hit in marks.get("exclude", []):
        excluded.setdefault(mark_ref(hit), []).append(hit)

    for_customers = customer_marks(tokens, marks)
    scope = CustomerScope(compiled, text, tokens, marks, for_customers)
    # The partners the answer names ("a 3PL", "DHL", "a farm co-op"): not the business
    # itself ("we're a 3PL"), not its customers ("we sell to distributors"), not its own
    # premises or staff ("our factory", "our developers"), not negated ("no agency").
    names, not_partner = partner_names(compiled, text, tokens, marks, negated, scope)
    # other firms by their names ("Hughes Haulage collects the loads"): partners, and the
    # work their names' words name is theirs
    firms = [f for f in firm_names(compiled, text, tokens, marks) if not negated(f[0], f[1])]
    new_firms = [f for f in firms if not any(_within(f, n) for n in names)]
    # a partner noun inside a firm's name is that firm ("Couriers" in "Ardent Couriers")
    names = [n for n in names if not any(_within(n, f) and n != f for f in new_firms)]
    names = sorted({*names, *new_firms})
    partners = partner_cues(marks, negated, not_partner)
    # a firm's name is also a partner cue: what follows it in the sentence is its work
    # ("Hughes Haulage collects the loads and takes them to the yards")
    partners = sorted(
        [*partners, *(Hit(_FIRM, f, last, False) for f, last in firms)],
        key=lambda h: (h.first, h.last),
    )
    doers = Doers(tokens, marks, partners, roles.subject_gap)

    # Signals and cues: per activity, overlapping matches keep the strongest.
    kept: list[Hit] = []
    for hit in live:
        payload = hit.phrase.payload
        if isinstance(payload, SignalRef):
            if any(overlaps(x, hit.first, hit.last) for x in excluded.get(payload.activity, [])):
                continue
            # words of a negating phrase are no evidence ("we used to" is not used goods)
            if any(
                n.last > n.first and n.first <= hit.first and hit.last <= n.last
                for n in marks.get("negator", [])
            ):
                continue
            kept.append(hit)
        elif isinstance(payload, NounRef) and not_the_business(tokens, hit):
            continue  # "we store stock", "into shops", "shop-bought": not the business
        elif isinstance(payload, CueRef | NounRef) or (
            isinstance(payload, Mark)
            and payload.kind == "coherence"
            # a promise word in another sense ("insurance premiums") is no promise
            and not any(overlaps(o, hit.first, hit.last) for o in marks.get("othersense", []))
        ):
            kept.append(hit)

    chosen: list[Hit] = []
    taken: dict[tuple[str, object], list[Hit]] = {}
    for hit in sorted(kept, key=_strength, reverse=True):
        group = taken.setdefault(_group_key(hit), [])
        if any(overlaps(c, hit.first, hit.last) for c in group):
            continue
        group.append(hit)
        chosen.append(hit)
    chosen.sort(key=lambda h: (h.first, h.last, h.phrase.source))

    # a noun right after a partner's name is the partner's ("delivery-app payouts",
    # "Stripe fees", "Deliveroo orders"); a partner named by a noun of its trade ("a local
    # haulier", "our 3PL") does the work that noun names
    own_marks = marks.get("own", [])
    tools = marks.get("ptool", [])
    name_ends: dict[int, tuple[int, int]] = {}
    partner_nouns: list[tuple[int, int]] = []
    for first, last in names:
        if any(overlaps(t, first, last) for t in tools):
            continue  # "WhatsApp bookings": taken on a tool, done by us
        owned = [o for o in own_marks if overlaps(o, first, last)]
        if not owned:  # "our senior partners": in a firm, the partners are the business
            name_ends[last + 1] = (first, last)
        # a possessive makes the partner ours, not its work ("our contracted haulier")
        if all(o.last == o.first and tokens[o.first].norm in _MINE for o in owned):
            partner_nouns.append((first, last))
    trade_nouns = marks.get("pname", [])  # "haulier", "3PL": not proper names ("Google")
    selfs = marks.get("self", [])
    mentions = []
    for hit in chosen:
        agent: Hit | None = None
        named: tuple[int, int] | None = None  # a firm's name that does it
        owner = name_ends.get(hit.first)
        firm = next((f for f in firms if f[0] <= hit.first and hit.last <= f[1]), None)
        if firm is not None:
            mode, named = "partner", firm  # "Hughes Haulage": the haulage is theirs
        elif (
            isinstance(hit.phrase.payload, SignalRef)
            and any(overlaps(t, hit.first, hit.last) for t in trade_nouns)
            and (
                inside := next(
                    (n for n in partner_nouns if _within((hit.first, hit.last), n)), None
                )
            )
            is not None
        ):
            # the partner's own noun names its work: "our contracted haulier" hauls
            mode, named = "partner", inside
        elif (
            isinstance(hit.phrase.payload, SignalRef)
            and (doer_after := agent_after(compiled, tokens, hit.last, names)) is not None
            and not negated(hit.first, hit.last)
        ):
            mode, named = "partner", doer_after  # "transported by DSV"
            if not any(_within(doer_after, n) for n in names):
                names = sorted({*names, doer_after})
        elif owner is not None and tokens[owner[1]].clause == tokens[hit.first].clause:
            mode = "partner"
            agent = next((p for p in partners if overlaps(p, owner[0], owner[1])), None)
        elif negated(hit.first, hit.last, GAP_SPEC in hit.phrase.specs):
            agent = doers.in_sentence_partner(hit.first)
            mode = "partner" if agent is not None else "negated"
        else:
            mode, agent = doers.who(hit.first, hit.last)
            payload = hit.phrase.payload
            if (
                mode == "own"
                and isinstance(payload, SignalRef)
                and compiled.activities[payload.activity].category not in CUSTOMER_EXEMPT
                and doers.customers_do(hit.first)
            ):
                mode = "customer"
            elif (
                mode == "own"
                and isinstance(payload, SignalRef | NounRef)
                and (
                    isinstance(payload, NounRef)
                    or compiled.activities[payload.activity].category in CORE_TYPES
                )
                and doers.acts_on_us(hit.last)
            ):
                mode = "customer"  # "architects send us work", "farmers ring us"
        noun = isinstance(hit.phrase.payload, NounRef)
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
                scope.noun_customer(hit.first) or scope.elaborates_customer(hit.first)
                if noun
                else scope.about_customer(hit.first, 0, hit.last),
                any(
                    h.last < hit.first and tokens[h.last].sentence == tokens[hit.first].sentence
                    for h in marks.get("product", [])
                ),
                noun and self_described(compiled, tokens, selfs, hit.first),
                noun and sideline(tokens, marks, hit.first, hit.last),
                noun and modifies_next(tokens, marks, hit),
                named
                if named is not None
                else ((agent.first, agent.last) if agent is not None else (-1, -1)),
                scope.about_supplier(hit.first),
            )
        )
    mentions += whose_goods(compiled, tokens, marks, negated, doers.who)
    mentions += service_title(compiled, tokens, live, for_customers)
    mentions += priced_per_job(compiled, text, tokens, marks)
    mentions += keeps_a_cut(compiled, text, tokens, marks, negated, doers.who)
    mentions.sort(key=lambda m: (m.first, m.last, m.source))
    content = sum(1 for t in tokens if t.norm not in compiled.not_content and not t.norm.isdigit())
    return Reading(
        tuple(tokens),
        tuple(mentions),
        content,
        tuple(names),
        stated_shares(compiled, text, tokens, marks),
        money_words(marks),
        tuple((h.first, CORE_TYPES[mark_ref(h)]) for h in marks.get("line", [])),
        not_share_clauses(tokens, marks),
    )


#: possessives that make a partner "ours" without making its work our own
_MINE = frozenset({"our", "my"})
#: the phrase of a firm's name used as a partner cue (firm_names)
_FIRM = Phrase("<firm name>", (), Mark("partner"))


def _within(span: tuple[int, int], other: tuple[int, int]) -> bool:
    return other[0] <= span[0] and span[1] <= other[1]


def _strength(hit: Hit) -> tuple[float, float, int]:
    """Which of overlapping matches counts: the heavier signal or cue, then the longer;
    for business nouns the longer (the more specific) first."""
    payload = hit.phrase.payload
    weight = payload.weight if isinstance(payload, SignalRef | CueRef | NounRef) else 0.0
    if isinstance(payload, NounRef):  # the longer noun is the more specific one
        return (hit.last - hit.first, weight, -hit.first)
    return (weight, hit.last - hit.first, -hit.first)


def _group_key(hit: Hit) -> tuple[str, object]:
    payload = hit.phrase.payload
    if isinstance(payload, SignalRef):
        return ("signal", payload.activity)
    if isinstance(payload, CueRef):
        return ("cue", payload.type)
    if isinstance(payload, NounRef):  # overlapping nouns: the most specific one counts
        return ("noun", None)
    return ("mark", payload)
