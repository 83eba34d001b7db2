"""Merging a team's canvases, the model: participants, votes, per-activity statistics,
disagreements and the merge result, with the constants of the consensus rule.

The rule itself is explained and applied in `merge.py`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from statistics import fmean
from typing import Any

from canvas_tui.core.canvas.model import Canvas
from canvas_tui.core.errors import CanvasTuiError
from canvas_tui.core.inference.infer import CATEGORIES

MERGE_FORMAT = "canvas-tui-merge/1"
#: The priority an activity counts with when a participant named it outside their top three.
UNPRIORITISED = 4
#: An activity is in the consensus when at least this share of participants named it.
THRESHOLD = 0.5
#: Priorities this far apart (1 vs 3, or 1 vs none) are reported as a disagreement.
PRIORITY_SPREAD = 2
RULE = (
    "consensus: named by at least half of the participants who reviewed their suggestions "
    "(named: kept, i.e. accepted, which picking it for the top three also does; a "
    "suggestion nobody reviewed does not count, and a participant who kept nothing is "
    "listed but not counted); "
    "ranked by mean priority over the participants who named it, where 1-3 is their top "
    f"three and {UNPRIORITISED} means named without a priority; ties go to the activity more "
    "participants named, then the higher mean score, then the id in alphabetical order; "
    "the first three are the team's priorities 1, 2, 3"
)


class MergeError(CanvasTuiError):
    """Canvases that cannot be merged: too few, duplicated, or from different banks."""


@dataclass(frozen=True)
class Participant:
    name: str
    source: str  # the file, or "session <id> in <folder>"
    canvas: Canvas


@dataclass(frozen=True)
class Vote:
    """One participant's take on one activity."""

    participant: str
    status: str
    priority: int
    category: str
    rank: int
    score: float
    named: bool = True  # the participant kept it (accepted it)

    @property
    def rejected(self) -> bool:
        return self.status == "rejected"

    @property
    def priority_value(self) -> int:
        return self.priority or UNPRIORITISED


@dataclass(frozen=True)
class Quote:
    participant: str
    question: str
    quote: str
    rule: str = ""
    status: str = "suggested"  # the participant's status for the activity
    named: bool = True  # whether the activity is one of the participant's key activities


@dataclass(frozen=True)
class ActivityStats:
    id: str
    name: str
    category: str  # the most common among those who named it
    votes: tuple[Vote, ...]
    absent: tuple[str, ...]  # participants who did not list it at all
    evidence: tuple[Quote, ...]
    participants: int
    consensus: bool = False
    rank: int = 0  # 1-based rank in the consensus canvas; 0 when not in it
    mean_score: float = 0.0

    @property
    def named_by(self) -> tuple[str, ...]:
        return tuple(v.participant for v in self.votes if v.named)

    @property
    def rejected_by(self) -> tuple[str, ...]:
        return tuple(v.participant for v in self.votes if v.rejected)

    @property
    def listed_by(self) -> tuple[str, ...]:
        """Participants whose canvas had it only as a further suggestion (not kept)."""
        return tuple(v.participant for v in self.votes if not v.named and not v.rejected)

    @property
    def share(self) -> float:
        return len(self.named_by) / self.participants if self.participants else 0.0

    @property
    def mean_priority(self) -> float | None:
        values = [v.priority_value for v in self.votes if v.named]
        return fmean(values) if values else None

    @property
    def priorities(self) -> dict[str, int]:
        """Participant -> priority (0 = named without one), for those who named it."""
        return {v.participant: v.priority for v in self.votes if v.named}

    @property
    def priority_spread(self) -> dict[int, int]:
        """Priority (0 = none) -> how many who named it gave that, best first."""
        counts = Counter(v.priority for v in self.votes if v.named)
        return dict(sorted(counts.items(), key=lambda kv: kv[0] or UNPRIORITISED))

    @property
    def top_three_by(self) -> tuple[str, ...]:
        return tuple(v.participant for v in self.votes if v.named and v.priority)

    @property
    def categories(self) -> dict[str, tuple[str, ...]]:
        """Category -> the participants who named the activity with it (most common first)."""
        groups: dict[str, list[str]] = {}
        for v in self.votes:
            if v.named:
                groups.setdefault(v.category, []).append(v.participant)
        ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), CATEGORIES.index(kv[0])))
        return {k: tuple(v) for k, v in ordered}


@dataclass(frozen=True)
class SideQuote:
    """What a participant wrote that puts them on one side of a strategic split."""

    side: str  # the side's title ("Lowest price")
    participant: str
    question: str
    label: str  # the question as asked, else its id
    quote: str


#: The kinds of disagreement about one activity, as the facilitator view names them.
ACTIVITY_DISAGREEMENTS = {
    "rejected": "kept by some, rejected by others",
    "priority": "priorities far apart",
    "category": "put in different categories",
}


@dataclass(frozen=True)
class Disagreement:
    #: "rejected" | "category" | "priority" | "business_type"; strategic splits:
    #: "value_promise" | "revenue_model" | "channels" (see splits.py)
    kind: str
    activity: str  # the activity id; "" for the business type and the splits
    name: str
    message: str
    sides: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (what they said, who)
    quotes: tuple[SideQuote, ...] = ()  # the splits' evidence, by side
    unsaid: tuple[str, ...] = ()  # a split's participants who said nothing on it


@dataclass(frozen=True)
class FlaggedAssumption:
    """An answer flagged "assumption — to validate", and who flagged it (same words, once)."""

    question: str  # the question id; "" when the flag is free text
    prompt: str  # the question as asked ("" when unknown)
    answer: str  # the answer flagged (the free text itself when there is no question)
    participants: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.prompt or self.question


@dataclass(frozen=True)
class Note:
    """A facilitator note on one participant's answer."""

    participant: str
    question: str
    prompt: str
    text: str

    @property
    def label(self) -> str:
        return self.prompt or self.question


@dataclass(frozen=True)
class Merge:
    participants: tuple[Participant, ...]
    activities: tuple[ActivityStats, ...]  # consensus first (by rank), then the rest
    disagreements: tuple[Disagreement, ...]
    canvas: Canvas
    banks: tuple[str, ...]
    blocks: Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]] = field(default_factory=dict)
    dominant_votes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    assumptions: tuple[FlaggedAssumption, ...] = ()
    notes: tuple[Note, ...] = ()
    #: participants who kept no activity (reviewed nothing): listed, not counted
    unreviewed: tuple[str, ...] = ()
    splits: tuple[Disagreement, ...] = ()  # strategic splits (value promise, revenue, channels)
    generated: int = 0  # generated items of the derived blocks, left out

    @property
    def counted(self) -> int:
        """How many participants the consensus counts (those who kept an activity)."""
        return len(self.participants) - len(self.unreviewed)

    @property
    def consensus(self) -> tuple[ActivityStats, ...]:
        return tuple(a for a in self.activities if a.consensus)

    @property
    def others(self) -> tuple[ActivityStats, ...]:
        return tuple(a for a in self.activities if not a.consensus)

    def stats(self, activity_id: str) -> ActivityStats | None:
        return next((a for a in self.activities if a.id == activity_id), None)

    def split_titles(self) -> tuple[str, ...]:
        """The strategic splits by name, each once ("Business type", "Value promise",
        "Revenue model", "Channels"...): a split's title up to its colon."""
        titles = (d.name.split(":", 1)[0].strip() for d in self.splits)
        return tuple(dict.fromkeys(t for t in titles if t))

    def activity_disagreements(self) -> tuple[tuple[str, int], ...]:
        """How many activities the canvases disagree on, per kind of disagreement
        (ACTIVITY_DISAGREEMENTS' words), in that order. The business type, which is a
        disagreement and a strategic split at once, is counted with the splits only."""
        counts = Counter(d.kind for d in self.disagreements if d.kind != "business_type")
        return tuple(
            (words, counts[kind]) for kind, words in ACTIVITY_DISAGREEMENTS.items() if counts[kind]
        ) + tuple(
            (kind, n) for kind, n in sorted(counts.items()) if kind not in ACTIVITY_DISAGREEMENTS
        )

    def to_dict(self) -> dict[str, Any]:
        """The consensus canvas (schema canvas-tui/1) plus the ``merge`` extension table."""
        from canvas_tui.core.team.merge_output import merge_to_dict

        return merge_to_dict(self)
