"""What the inference returns: `Inference` with its `Candidate`s, `Evidence` and `Advice`.

These dataclasses are a contract the canvas, exporters and UI code against: fields may be
added (with defaults), never renamed or removed. `canvas_tui.core.inference.infer` re-exports
them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Evidence:
    """The exact words of an answer that support a candidate.

    `quote == answers[question][start:end]` always holds, so a UI can highlight it.
    """

    question: str
    quote: str
    start: int
    end: int
    rule: str = ""
    #: "own" (you do it) or "partner" (someone else does it, at lower weight)
    mode: str = "own"
    #: what this span added to the activity's raw score
    weight: float = 0.0
    #: the partner that does it, as the answer names it ("a 3PL"); "" when none is named
    by: str = ""


@dataclass(frozen=True)
class Candidate:
    """One inferred key activity."""

    id: str
    name: str
    category: str
    score: float
    evidence: tuple[Evidence, ...] = ()
    rationale: str = ""
    kpis: tuple[str, ...] = ()
    partner_candidate: bool = False
    partner_hint: str = ""
    serves: tuple[str, ...] = ()
    priority: int = 0
    focus_reason: str = ""


@dataclass(frozen=True)
class Advice:
    """A warning or note about the whole set of candidates.

    kind: "bloat" | "coherence" | "vague" | other kinds the inference adds.
    """

    kind: str
    message: str
    activities: tuple[str, ...] = ()
    question: str = ""


@dataclass(frozen=True)
class PartnerMention:
    """A partner or supplier the answers name, for the Key Partners block.

    `quote == answers[question][start:end]` (the words that name the partner and what it
    does); `name` is the partner as written ("a 3PL", "DHL", "a farm co-op").
    `activities` are the catalogue ids of the work the answer says the partner does.
    """

    name: str
    question: str
    quote: str
    start: int
    end: int
    activities: tuple[str, ...] = ()


@dataclass(frozen=True)
class CustomerMention:
    """Words that say who the customers are or what they do ("online shops" in "our
    customers are online shops"): customer segments, never a key activity.
    `quote == answers[question][start:end]`."""

    question: str
    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class Inference:
    candidates: tuple[Candidate, ...] = ()
    mix: Mapping[str, float] = field(
        default_factory=lambda: {"production": 0.0, "problem_solving": 0.0, "platform_network": 0.0}
    )
    dominant: str = "unknown"
    warnings: tuple[Advice, ...] = ()
    #: question id -> a "tell me more" follow-up prompt for an answer too vague to use
    probes: Mapping[str, str] = field(default_factory=dict)
    #: partners and suppliers the answers name (Key Partners suggestions), in answer order
    partners: tuple[PartnerMention, ...] = ()
    #: how sure the inference is of the type and the list: "high" | "medium" | "low"
    confidence: str = "high"
    #: what the answers say the customers are or do (customer segments), in answer order
    customers: tuple[CustomerMention, ...] = ()
