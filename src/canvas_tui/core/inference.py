"""Key-activity inference: a pure function of (answers, catalogue).

Interface stub: the types below are the contract the canvas, exporters and UI rely on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

#: Categories of a key activity (CONTRACTS.md §2). "supporting" never counts toward the type.
CATEGORIES: tuple[str, ...] = ("production", "problem_solving", "platform_network", "supporting")
#: The three business types of the canvas literature.
CORE_TYPES: tuple[str, ...] = ("production", "problem_solving", "platform_network")
#: The four guiding questions, one per question set of the default bank.
GUIDING: tuple[str, ...] = ("value_proposition", "channels", "relationships", "revenue")


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
class Inference:
    candidates: tuple[Candidate, ...] = ()
    mix: Mapping[str, float] = field(
        default_factory=lambda: {"production": 0.0, "problem_solving": 0.0, "platform_network": 0.0}
    )
    dominant: str = "unknown"
    warnings: tuple[Advice, ...] = ()
    #: question id -> a "tell me more" follow-up prompt for an answer too vague to use
    probes: Mapping[str, str] = field(default_factory=dict)


def infer(
    answers: Mapping[str, str],
    catalogue: object,
    *,
    sections: Mapping[str, str] | None = None,
) -> Inference:
    """Stub until the inference lands: no candidates."""
    return Inference()
