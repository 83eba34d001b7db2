"""The vocabulary of roles and revenue shares (`question_banks/default/roles.toml`).

Who does what an answer names — we, the customers, a partner, nobody — and which share
of the money a line of business brings. `matching` adds these words to its matcher;
`weighing` reads the shares; docs/inference.md ("Who does it", "Revenue shares")
explains the rules. Read once per process; a bank does not change it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache

from canvas_tui.resources import default_bank_dir

FILE = "roles.toml"


@dataclass(frozen=True)
class Roles:
    partner_names: tuple[str, ...] = ()
    #: platforms and tools: partner names that never own the work named after them
    partner_tools: tuple[str, ...] = ()
    partner_doers: tuple[str, ...] = ()
    name_words: int = 2
    determiners: frozenset[str] = frozenset()
    customer_subjects: tuple[str, ...] = ()
    #: "bought from", "come from": the next words name a supplier
    supplier_markers: tuple[str, ...] = ()
    subject_gap: int = 1
    #: other people's premises after "in"/"across": "we repair lathes in factories"
    premises_after: frozenset[str] = frozenset()
    premises: frozenset[str] = frozenset()
    #: nouns that head a customer group: "construction and manufacturing businesses"
    customer_heads: frozenset[str] = frozenset()
    #: questions whose answers name the customers ("value_proposition.customers")
    customer_questions: frozenset[str] = frozenset()
    share_weight: float = 0.75
    #: how far a share's line is believed, by what names it: a business noun or a
    #: generic line word ("the app"), activity words in the share's own clause, or
    #: activity words in a clause next to it ([shares] trust_*)
    trust_named: float = 1.0
    trust_activities: float = 0.4
    trust_nearby: float = 0.2
    #: activities whose words never name a line of business in a revenue share: "subs
    #: are 85 % of revenue" says how they pay, not what (customer success, retention)
    not_lines: frozenset[str] = frozenset()
    money: tuple[str, ...] = ()
    rest: tuple[str, ...] = ()
    #: words that make a percentage a term, discount, cost or rate, not a revenue share
    not_shares: tuple[str, ...] = ()
    #: (phrase, share) of the quantity words: "two thirds" -> 0.67
    amounts: tuple[tuple[str, float], ...] = ()
    #: (type, words) generic names of revenue lines
    lines: tuple[tuple[str, tuple[str, ...]], ...] = ()
    other_senses: tuple[str, ...] = ()
    own_when_ours: frozenset[str] = frozenset()
    #: words after which proper names are partners ("on Steam", "such as Aviva")
    name_markers: tuple[tuple[str, ...], ...] = ()
    #: capitalised words that are no names (days, months, nationalities...)
    not_names: frozenset[str] = frozenset()
    #: the last word of another firm's name ("Hughes Haulage", "Sai Logistics", "Acme
    #: Ltd"): the work its words name is that firm's (partners.firm_names)
    firm_heads: frozenset[str] = frozenset()
    #: words that put the doer after the work: "transported by DSV" (partners.agent_after)
    agent_markers: frozenset[str] = frozenset()
    #: "we keep 20 %": verbs before a percentage that make it a platform's cut
    commission_verbs: frozenset[str] = frozenset()
    commission_weight: float = 3.0
    #: value-proposition questions whose first noun is not what the business is
    not_head: frozenset[str] = frozenset()
    #: names that are also English words: they count only typed in capitals ("UPS")
    capitals: frozenset[str] = frozenset()
    #: whose goods: an owner word right before a property noun ("their stock") is a
    #: problem-solving cue; "your" counts only after a preposition ("on your land")
    #: hyphenated compounds: prefixes that negate or reflect ("self-service") and
    #: suffix-like last parts ("subscription-based") (text.part_of_word)
    compound_negating: frozenset[str] = frozenset()
    compound_suffix_heads: frozenset[str] = frozenset()
    service_owners: tuple[str, ...] = ()
    service_your: tuple[str, ...] = ()
    service_property: tuple[str, ...] = ()
    service_gap: int = 1
    service_weight: float = 3.0
    #: units of work priced one by one ("per load", "/ha"): a problem-solving cue
    service_units: tuple[str, ...] = ()
    #: activities that are the service itself when the business is a service (carriers,
    #: warehouses): their type points go to problem solving
    service_handling: tuple[str, ...] = ()
    #: made to order: when `maker` scores at least `maker_min`, these activities count
    #: toward production in the type mix (a maker's custom design and fitting)
    maker: str = ""
    maker_min: float = 1.0
    maker_moves: tuple[str, ...] = ()

    #: plural trade and person nouns that name other people ("builders", "nurses"): their
    #: words count at `others_factor` unless an owner word is up to `others_window` before
    others: frozenset[str] = frozenset()
    others_factor: float = 1.0
    others_window: int = 4
    others_owners: frozenset[str] = frozenset()
    #: goods nouns right after service words make them a kind of goods ("cleaning
    #: chemicals", "plumbing supplies"): those words count at `goods_factor`
    goods: frozenset[str] = frozenset()
    goods_factor: float = 1.0

    def about_customers(self, qid: str) -> bool:
        """Whether `qid` (or its follow-up, `<qid>.more`) asks who the customers are."""
        return qid.removesuffix(".more") in self.customer_questions


@lru_cache(maxsize=1)
def default_roles() -> Roles:
    """The roles vocabulary of the default bank (empty if the file is missing)."""
    path = default_bank_dir() / FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return Roles()
    partners = data.get("partners", {})
    customers = data.get("customers", {})
    shares = data.get("shares", {})
    service = data.get("service", {})
    people = data.get("people", {})
    made = data.get("made_to_order", {})
    goods = data.get("goods", {})
    return Roles(
        partner_names=tuple(partners.get("names", ())),
        partner_tools=tuple(partners.get("tools", ())),
        partner_doers=tuple(partners.get("doers", ())),
        name_words=int(partners.get("name_words", 2)),
        determiners=frozenset(w.lower() for w in partners.get("determiners", ())),
        customer_subjects=tuple(customers.get("subjects", ())),
        supplier_markers=tuple(data.get("suppliers", {}).get("markers", ())),
        subject_gap=int(customers.get("subject_gap", 1)),
        premises_after=frozenset(customers.get("premises_after", ())),
        premises=frozenset(w.lower() for w in customers.get("premises", ())),
        customer_heads=frozenset(w.lower() for w in customers.get("heads", ())),
        customer_questions=frozenset(customers.get("questions", ())),
        share_weight=float(shares.get("weight", 0.75)),
        trust_named=float(shares.get("trust_named", 1.0)),
        trust_activities=float(shares.get("trust_activities", 0.4)),
        trust_nearby=float(shares.get("trust_nearby", 0.2)),
        not_lines=frozenset(shares.get("not_lines", ())),
        money=tuple(shares.get("money", ())),
        rest=tuple(shares.get("rest", ())),
        not_shares=tuple(shares.get("not_shares", ())),
        amounts=tuple((k, float(v)) for k, v in shares.get("amounts", {}).items()),
        lines=tuple((t, tuple(w)) for t, w in shares.get("lines", {}).items()),
        other_senses=tuple(data.get("senses", {}).get("other", ())),
        name_markers=tuple(
            sorted(
                (tuple(w.lower().split()) for w in partners.get("name_markers", ())),
                key=len,
                reverse=True,
            )
        ),
        not_names=frozenset(w.lower() for w in partners.get("not_names", ())),
        firm_heads=frozenset(w.lower() for w in partners.get("firm_heads", ())),
        agent_markers=frozenset(w.lower() for w in partners.get("agent_markers", ())),
        own_when_ours=frozenset(w.lower() for w in partners.get("own_when_ours", ())),
        commission_verbs=frozenset(data.get("commission", {}).get("verbs", ())),
        commission_weight=float(data.get("commission", {}).get("weight", 3.0)),
        not_head=frozenset(data.get("nouns", {}).get("not_head", ())),
        capitals=frozenset(w.lower() for w in partners.get("capitals", ())),
        compound_negating=frozenset(
            w.lower() for w in data.get("compounds", {}).get("negating", ())
        ),
        compound_suffix_heads=frozenset(
            w.lower() for w in data.get("compounds", {}).get("suffix_heads", ())
        ),
        service_owners=tuple(service.get("owners", ())),
        service_your=tuple(service.get("your", ())),
        service_property=tuple(service.get("property", ())),
        service_gap=int(service.get("gap", 1)),
        service_weight=float(service.get("weight", 3.0)),
        service_units=tuple(service.get("units", ())),
        service_handling=tuple(service.get("handling", ())),
        maker=str(made.get("maker", "")),
        maker_min=float(made.get("min_score", 1.0)),
        maker_moves=tuple(made.get("moves", ())),
        others=frozenset(w.lower() for w in people.get("others", ())),
        others_factor=float(people.get("factor", 1.0)),
        others_window=int(people.get("window", 4)),
        others_owners=frozenset(w.lower() for w in people.get("owners", ())),
        goods=frozenset(w.lower() for w in goods.get("nouns", ())),
        goods_factor=float(goods.get("factor", 1.0)),
    )
