"""The canvas model: nine blocks plus the key activities in detail.

`Canvas.to_dict()` / `Canvas.from_dict()` write and read the ``canvas-tui/1`` structure;
the rules live in `schema.py`. `build.py` assembles a canvas from a session.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from canvas_tui import __version__
from canvas_tui.core.inference.infer import CORE_TYPES, GUIDING
from canvas_tui.core.interview.bank import BLOCKS

DOMINANT = (*CORE_TYPES, "unknown")
GENERATOR = f"canvas-tui {__version__}"

BLOCK_TITLES: dict[str, str] = {
    "customer_segments": "Customer Segments",
    "value_propositions": "Value Propositions",
    "channels": "Channels",
    "customer_relationships": "Customer Relationships",
    "revenue_streams": "Revenue Streams",
    "key_resources": "Key Resources",
    "key_activities": "Key Activities",
    "key_partners": "Key Partners",
    "cost_structure": "Cost Structure",
}
CATEGORY_TITLES: dict[str, str] = {
    "production": "Production",
    "problem_solving": "Problem solving",
    "platform_network": "Platform / network",
    "supporting": "Supporting",
}
GUIDE_TITLES: dict[str, str] = {
    "value_proposition": "Value proposition",
    "channels": "Channels",
    "relationships": "Customer relationships",
    "revenue": "Revenue streams",
}


@dataclass(frozen=True)
class EvidenceRef:
    question: str
    quote: str
    rule: str = ""


@dataclass(frozen=True)
class Activity:
    id: str
    name: str
    category: str
    score: float = 0.0
    priority: int = 0
    status: str = "suggested"
    evidence: tuple[EvidenceRef, ...] = ()
    rationale: str = ""
    kpis: tuple[str, ...] = ()
    partner_candidate: bool = False
    partner_hint: str = ""
    serves: tuple[str, ...] = ()
    focus_reason: str = ""
    #: the answers make it key and the founder's draft does not list it (issue 16)
    missing_from_draft: bool = False

    @property
    def custom(self) -> bool:
        return self.id.startswith("custom-")


#: How many activities an unreviewed canvas counts as key (its focus and the next best).
UNREVIEWED_KEY = 5


def key_activities(activities: Sequence[Activity]) -> tuple[Activity, ...]:
    """The key activities among a canvas's (ordered) activities: one rule for the canvas's
    Key Activities block and the blocks derived from it.

    What the person accepted, plus the focus (priority 1–3) not rejected; when they accepted
    nothing (the canvas was not reviewed), the first five that are not rejected.

    The team merge uses a stricter rule on purpose (`canvas_tui.core.team.merge.kept_ids`):
    a participant's vote counts only for what they accepted, never for an unreviewed
    suggestion, not even one in the inferred focus. A canvas of one person shows its best
    guesses; a team's consensus is built only from choices people made.
    """
    if any(a.status == "accepted" for a in activities):
        return tuple(
            a
            for a in activities
            if a.status == "accepted" or (a.priority and a.status != "rejected")
        )
    return tuple(a for a in activities if a.status != "rejected")[:UNREVIEWED_KEY]


@dataclass(frozen=True)
class DraftEntry:
    """One line of the founder's own draft of key activities, audited (``[[draft]]``).

    `verdict` is one of ``supported``, ``generic``, ``duplicate``, ``unsupported``,
    ``miscategorised`` (`canvas_tui.core.draft.audit.VERDICTS`); `reason` is one sentence
    that quotes the answer when there is one.
    """

    text: str
    id: str
    verdict: str
    reason: str
    name: str = ""
    #: the activity's category; "" for a custom activity
    category: str = ""
    #: the line of the draft it came from (1-based); 0 when unknown
    line: int = 0
    #: the category the founder's own label named, if any
    label: str = ""
    evidence: tuple[EvidenceRef, ...] = ()

    @property
    def kept(self) -> bool:
        """Kept from the draft: the answers support it (whatever its label said)."""
        return self.verdict in ("supported", "miscategorised")


@dataclass(frozen=True)
class CanvasWarning:
    kind: str
    message: str
    activities: tuple[str, ...] = ()


@dataclass(frozen=True)
class Canvas:
    title: str
    created: str
    bank: str
    generator: str = GENERATOR
    blocks: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: {b: () for b in BLOCKS})
    dominant: str = "unknown"
    mix: Mapping[str, float] = field(default_factory=lambda: dict.fromkeys(CORE_TYPES, 0.0))
    activities: tuple[Activity, ...] = ()
    answers: Mapping[str, str] = field(default_factory=dict)
    questions: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[CanvasWarning, ...] = ()
    notes: Mapping[str, str] = field(default_factory=dict)
    assumptions: tuple[str, ...] = ()
    #: the founder's own draft of key activities, line by line, audited (issue 16)
    draft: tuple[DraftEntry, ...] = ()
    #: the other blocks' items a draft canvas gave (block id -> items, in `blocks` too):
    #: the founder's own words, marked as such in the exports
    draft_blocks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: block id -> the generated entries still in that block and not accepted by the person
    #: (issue 13): suggestions from the catalogue, after the person's own words
    suggested: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    # ------------------------------------------------------------------ views

    @property
    def focus(self) -> tuple[Activity, ...]:
        """The top three, by priority."""
        return tuple(
            sorted((a for a in self.activities if a.priority > 0), key=lambda a: a.priority)
        )

    @property
    def kept(self) -> tuple[Activity, ...]:
        return tuple(a for a in self.activities if a.status != "rejected")

    @property
    def coverage(self) -> dict[str, list[str]]:
        """Guiding question -> ids of the (non-rejected) activities that serve it."""
        return {g: [a.id for a in self.kept if g in a.serves] for g in GUIDING}

    # ------------------------------------------------------------------ (de)serialise

    def to_dict(self) -> dict[str, Any]:
        """The ``canvas-tui/1`` structure the TOML and JSON exports write."""
        from canvas_tui.core.canvas.schema import canvas_to_dict

        return canvas_to_dict(self)

    @classmethod
    def from_dict(cls, data: Any, *, file: str | None = None) -> Canvas:
        """Read a ``canvas-tui/1`` structure back, naming the key path of the first problem."""
        from canvas_tui.core.canvas.schema import canvas_from_dict

        return canvas_from_dict(data, file=file)
