"""The person's review of the inferred activities: what they decided (`Decisions`).

Part of a session (session.py re-exports it) and what `canvas.build` reads to assemble a
canvas. Its own module so that building a canvas, as `canvas-tui run` does, does not load
the session store (its files, locks, `shutil`, `secrets`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from canvas_tui.core.formatting import slugify

#: What a person can decide about an activity (the canvas's ``status`` values).
STATUSES = ("suggested", "accepted", "rejected")


@dataclass
class ActivityDecision:
    """What the person decided about one inferred activity. None = keep the inferred value."""

    status: str = "suggested"
    category: str | None = None
    kpis: list[str] | None = None
    partner_candidate: bool | None = None
    name: str | None = None


@dataclass
class CustomActivity:
    id: str  # "custom-<slug>"
    name: str
    category: str = "supporting"
    kpis: list[str] = field(default_factory=list)
    partner_candidate: bool = False
    rationale: str = ""
    status: str = "accepted"


@dataclass
class Decisions:
    activities: dict[str, ActivityDecision] = field(default_factory=dict)
    custom: list[CustomActivity] = field(default_factory=list)
    focus: list[str] | None = None  # the person's top three in order; None = the inferred ones
    blocks: dict[str, list[str]] = field(default_factory=dict)  # edited canvas blocks
    #: block id -> the generated entries (suggestions) the person accepted as their own
    accepted: dict[str, list[str]] = field(default_factory=dict)

    def decision(self, activity_id: str) -> ActivityDecision:
        return self.activities.setdefault(activity_id, ActivityDecision())

    def new_custom_id(self, name: str) -> str:
        taken = {c.id for c in self.custom}
        base = f"custom-{slugify(name, limit=40, fallback='activity')}"
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        return candidate
