"""The catalogue's data model: activities, their signals and the inference's vocabulary.

Plain frozen dataclasses, built by `catalogue_activity` and `catalogue_rules` from the TOML
files and read by the inference. `canvas_tui.core.inference.catalogue` re-exports every public name.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

CATEGORIES = ("production", "problem_solving", "platform_network", "supporting")
CORE_TYPES = CATEGORIES[:3]
GUIDING = ("value_proposition", "channels", "relationships", "revenue")
MAX_WEIGHT = 5.0


@dataclass(frozen=True)
class SignalGroup:
    """Words with one weight, optionally only in some guiding sections."""

    words: tuple[str, ...]
    weight: float = 1.0
    sections: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActivityDef:
    id: str
    name: str
    category: str
    description: str = ""
    kpis: tuple[str, ...] = ()
    partner_hint: str = ""
    resources: tuple[str, ...] = ()
    costs: tuple[str, ...] = ()
    signals: tuple[SignalGroup, ...] = ()
    #: ends "You said '...', so <why>." (per guiding section in `why_by`)
    why: str = ""
    why_by: tuple[tuple[str, str], ...] = ()
    #: a partner usually does this (couriers, payment providers): suggest it as one
    partner_default: bool = False
    #: "a partner does it" lowers the weight (False for activities about managing others)
    partner_sensitive: bool = True
    #: phrases whose words never count for this activity ("online store" for shops)
    exclude: tuple[str, ...] = ()
    #: multiplier per guiding section (content named under channels is marketing)
    section_weights: tuple[tuple[str, float], ...] = ()
    #: when a partner does this, managing that partner is evidence for this other activity
    partner_to: str = ""
    #: how much the activity says about the business type (customer support is everywhere)
    type_weight: float = 1.0

    def why_for(self, section: str) -> str:
        return dict(self.why_by).get(section, self.why)

    def section_weight(self, section: str) -> float:
        return dict(self.section_weights).get(section, 1.0)

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(w for group in self.signals for w in group.words)


@dataclass(frozen=True)
class Cue:
    """Words that point to a business type directly ("commission", "we make")."""

    type: str
    words: tuple[str, ...]
    weight: float = 1.0
    sections: tuple[str, ...] = ()


@dataclass(frozen=True)
class Identity:
    """How a business noun ("bakery", "agency", "marketplace") counts toward the type,
    by where it is found (`[identity]` in business_types.toml; docs/inference.md, "What
    the business is")."""

    #: the head: the first noun of a value-proposition answer, or a noun the founder
    #: says the business is ("we're a brand", "I run a clinic") wherever it is
    head: float = 1.0
    #: any other noun in a value-proposition answer
    offer: float = 0.3
    #: a noun in the channels, relationships or revenue answers
    elsewhere: float = 0.1
    #: in a sentence that says it is a sideline ("we also ...", "... too")
    secondary: float = 0.3
    #: noun points relative to activity points in the type mix
    factor: float = 0.5
    #: "we're a", "I run a": a noun right after these is a self-description
    self_words: tuple[str, ...] = ()
    #: "also", "as well as": a noun after these in its sentence is a sideline
    secondary_before: tuple[str, ...] = ()
    #: "too", "on the side": a noun before these in its sentence is a sideline
    secondary_after: tuple[str, ...] = ()
    #: how many words may sit between a self-description word and its noun...
    self_window: int = 3
    #: ...none of them one of these ("we're a partner of the erp vendor")
    self_stops: tuple[str, ...] = ()
    #: a noun up to this many words after a customer marker ("murals for cafes, offices
    #: and schools") names the customers, unless one of `customer_stops` comes between
    customer_window: int = 5
    customer_stops: tuple[str, ...] = ()
    #: the head of an answer starts within its first this many words
    head_window: int = 8
    #: a business noun right before one of these words is a modifier, not the business
    #: ("brand strategy", "school lunches", "clinic owners")
    modifies: tuple[str, ...] = ()


@dataclass(frozen=True)
class CoherenceRule:
    """A promise (`when` words) that contradicts some activities."""

    id: str
    when: tuple[str, ...]
    activities: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class Adjust:
    """When a type's cues are strong, scale some activities (a marketplace's providers
    deliver the service, not the marketplace)."""

    type: str
    min_cue: float
    factor: float
    activities: tuple[str, ...]
    reason: str = ""
    #: apply only while the type's cue points stay below this (e.g. "not a platform")
    max_cue: float = math.inf


@dataclass(frozen=True)
class Language:
    negators: tuple[str, ...] = ()
    negation_window: int = 4
    clause_breaks: tuple[str, ...] = ()
    fillers: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    partner_cues: tuple[str, ...] = ()
    own_cues: tuple[str, ...] = ()
    irregular: tuple[tuple[str, tuple[str, ...]], ...] = ()
    fuzzy_min_length: int = 7
    #: "for ..." names the customer: signals right after it count less
    customer_markers: tuple[str, ...] = ()
    not_customer: tuple[str, ...] = ()
    customer_stops: tuple[str, ...] = ()
    customer_window: int = 3
    #: "software for ...": the rest of the sentence says what the product handles
    product_markers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vague:
    words: tuple[str, ...] = ()
    stopwords: tuple[str, ...] = ()
    min_content: int = 4
    #: an answer about who the customers are names no work of ours: it is vague only
    #: with fewer content words than this ("not sure yet", "commuters")
    customer_min_content: int = 2
    min_weight: float = 1.0
    probes: tuple[tuple[str, str], ...] = ()
    message: str = "Not enough to go on in this answer: it could describe almost any business."

    def probe_for(self, section: str, qid: str = "") -> str:
        """The follow-up for a vague answer: the question's own, else its section's."""
        probes = dict(self.probes)
        if qid and qid in probes:
            return probes[qid]
        return probes.get(section, probes.get("default", "Could you tell me more?"))


@dataclass(frozen=True)
class TypeMix:
    """How evidence counts toward the business type (not toward the ranking).

    What the business says it is and does (the value proposition) says more about its
    type than words about how customers find it, stay or pay.
    """

    #: guiding section -> multiplier of activity evidence for the type (default 1)
    section_weights: tuple[tuple[str, float], ...] = ()

    def section_weight(self, section: str) -> float:
        return dict(self.section_weights).get(section, 1.0)


@dataclass
class Catalogue:
    """Activities (ordered by first appearance) plus the inference's vocabulary."""

    activities: dict[str, ActivityDef] = field(default_factory=dict)
    cues: tuple[Cue, ...] = ()
    #: business nouns per type: what the business is ("bakery", "agency", "marketplace")
    nouns: tuple[Cue, ...] = ()
    identity: Identity = field(default_factory=Identity)
    coherence: tuple[CoherenceRule, ...] = ()
    adjust: tuple[Adjust, ...] = ()
    language: Language = field(default_factory=Language)
    vague: Vague = field(default_factory=Vague)
    type_mix: TypeMix = field(default_factory=TypeMix)
    question_weights: dict[str, float] = field(default_factory=dict)
    sources: tuple[str, ...] = ()

    def get(self, activity_id: str) -> ActivityDef | None:
        return self.activities.get(activity_id)

    def __contains__(self, activity_id: object) -> bool:
        return activity_id in self.activities

    def __iter__(self) -> Iterator[ActivityDef]:
        return iter(self.activities.values())

    def __len__(self) -> int:
        return len(self.activities)

    def __hash__(self) -> int:  # identity: the inference caches compiled matchers per object
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other
