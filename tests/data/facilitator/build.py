"""Canvases for the facilitator tests (diff, merge) and the docs' examples.

Importable builders (`activity`, `canvas`) for tests that need a canvas of a given shape,
and the fixed team of a coffee roaster written to this folder by running

    python -m tests.data.facilitator.build

(the files are committed; a test checks they are what this script writes).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from canvas_tui.core.canvas.model import Activity, Canvas, EvidenceRef
from canvas_tui.core.exports.render import to_toml
from canvas_tui.core.interview.bank import BLOCKS

HERE = Path(__file__).resolve().parent


def activity(
    id: str,
    category: str = "production",
    *,
    priority: int = 0,
    status: str = "suggested",
    name: str | None = None,
    score: float = 0.5,
    evidence: tuple[tuple[str, str], ...] = (),
    kpis: tuple[str, ...] = (),
    partner: bool = False,
) -> Activity:
    return Activity(
        id=id,
        name=name or id.replace("-", " ").capitalize(),
        category=category,
        score=score,
        priority=priority,
        status=status,
        evidence=tuple(EvidenceRef(q, quote) for q, quote in evidence),
        rationale=f"Because of {id}.",
        kpis=kpis,
        partner_candidate=partner,
    )


def canvas(
    title: str,
    activities: list[Activity] | tuple[Activity, ...] = (),
    *,
    bank: str = "default",
    created: str = "2026-01-10T09:00:00Z",
    dominant: str = "production",
    mix: dict[str, float] | None = None,
    blocks: dict[str, list[str]] | None = None,
    answers: dict[str, str] | None = None,
    notes: dict[str, str] | None = None,
    assumptions: tuple[str, ...] = (),
) -> Canvas:
    mix = mix or {"production": 0.6, "problem_solving": 0.3, "platform_network": 0.1}
    if dominant == "unknown":
        mix = {"production": 0.0, "problem_solving": 0.0, "platform_network": 0.0}
    full: dict[str, Any] = {b: () for b in BLOCKS}
    for block, items in (blocks or {}).items():
        full[block] = tuple(items)
    full["key_activities"] = tuple(a.name for a in activities if a.status != "rejected")
    return Canvas(
        title=title,
        created=created,
        bank=bank,
        blocks=full,
        dominant=dominant,
        mix=mix,
        activities=tuple(activities),
        answers=answers or {},
        questions={q: f"Question {q}?" for q in (answers or {})},
        notes=notes or {},
        assumptions=assumptions,
    )


# --------------------------------------------------------------------------- the roaster team

OFFER = "value_proposition.offer"
REACH = "channels.reach"
STYLE = "relationships.style"
MODEL = "revenue.model"


def roaster_2025() -> Canvas:
    """A coffee roaster's canvas as first drawn (the OLD side of the diff example)."""
    return canvas(
        "Northside Roasters",
        [
            activity(
                "manufacturing",
                priority=1,
                status="accepted",
                name="Roasting",
                evidence=((OFFER, "we roast specialty coffee"),),
                kpis=("cost per kilo",),
            ),
            activity(
                "sourcing-and-procurement",
                priority=2,
                status="accepted",
                evidence=((OFFER, "beans direct from farms"),),
            ),
            activity("quality-control", priority=3, evidence=((OFFER, "cupped and scored"),)),
            activity("order-fulfillment", evidence=((REACH, "courier delivers"),)),
            activity("digital-marketing", "supporting", status="rejected"),
        ],
        created="2025-03-01T10:00:00Z",
        mix={"production": 0.8, "problem_solving": 0.1, "platform_network": 0.1},
        blocks={
            "customer_segments": ["Offices with 20 to 200 staff"],
            "value_propositions": ["Fresh specialty coffee for offices"],
            "channels": ["Direct sales", "Courier delivery"],
            "revenue_streams": ["Per-bag sales"],
        },
        answers={OFFER: "We roast specialty coffee, beans direct from farms."},
    )


def roaster_2026() -> Canvas:
    """The same roaster a year on: a subscription app (the NEW side of the diff example)."""
    return canvas(
        "Northside Roasters",
        [
            activity(
                "software-development",
                "platform_network",
                priority=1,
                status="accepted",
                evidence=((REACH, "customers order in our app"),),
            ),
            activity(
                "manufacturing",
                priority=2,
                status="accepted",
                name="Roasting",
                evidence=((OFFER, "we roast specialty coffee"),),
                kpis=("cost per kilo", "roasts per week"),
            ),
            activity(
                "sourcing-and-procurement",
                priority=3,
                status="accepted",
                evidence=((OFFER, "beans direct from farms"),),
            ),
            activity("quality-control", status="accepted"),
            activity("recurring-billing", "supporting", evidence=((MODEL, "monthly plan"),)),
            activity("digital-marketing", "supporting", status="accepted"),
        ],
        created="2026-03-01T10:00:00Z",
        mix={"production": 0.45, "problem_solving": 0.1, "platform_network": 0.45},
        dominant="platform_network",
        blocks={
            "customer_segments": ["Offices with 20 to 200 staff", "Home workers"],
            "value_propositions": ["Fresh specialty coffee for offices"],
            "channels": ["Our app", "Courier delivery"],
            "revenue_streams": ["Monthly subscription"],
        },
        answers={OFFER: "We roast specialty coffee, beans direct from farms."},
    )


def team() -> dict[str, Canvas]:
    """Three participants' canvases of one business: they agree on roasting, not on the rest."""
    ana = canvas(
        "Ana",
        [
            activity(
                "manufacturing",
                priority=1,
                status="accepted",
                name="Roasting",
                evidence=((OFFER, "we roast every week"),),
                kpis=("cost per kilo",),
            ),
            activity(
                "software-development",
                "platform_network",
                priority=2,
                status="accepted",
                evidence=((REACH, "orders come through our app"),),
            ),
            activity(
                "quality-control",
                priority=3,
                status="accepted",
                evidence=((OFFER, "every batch cupped"),),
            ),
            activity("customer-support", "problem_solving", status="rejected"),
            activity("order-fulfillment", evidence=((REACH, "a courier delivers"),)),
        ],
        blocks={"customer_segments": ["Offices"], "channels": ["Our app"]},
        answers={
            OFFER: "We roast every week, and every batch is cupped: top quality.",
            MODEL: "Offices pay a monthly subscription.",
        },
        notes={MODEL: "Ask which offices already said yes."},
        assumptions=(MODEL,),
    )
    ben = canvas(
        "Ben",
        [
            activity(
                "manufacturing",
                priority=2,
                status="accepted",
                name="Roasting",
                evidence=((OFFER, "small-batch roasting"),),
                kpis=("roasts per week",),
            ),
            activity(
                "software-development",
                "production",
                priority=1,
                status="accepted",
                evidence=((REACH, "we build the ordering app"),),
            ),
            activity(
                "customer-support",
                "problem_solving",
                priority=3,
                status="accepted",
                evidence=((STYLE, "we phone every office"),),
            ),
            activity("quality-control", status="rejected"),
        ],
        blocks={"customer_segments": ["offices", "Cafés"], "channels": ["Our app", "Market stall"]},
        answers={
            OFFER: "Small-batch roasting, the cheapest beans in town.",
            MODEL: "We charge per bag.",
        },
        notes={OFFER: "Ben and Ana describe the same roastery differently."},
        assumptions=(OFFER,),
    )
    chen = canvas(
        "Chen",
        [
            activity(
                "manufacturing",
                priority=1,
                status="accepted",
                name="Roasting",
                evidence=((OFFER, "roasting is the heart of it"),),
            ),
            activity(
                "quality-control",
                priority=2,
                status="accepted",
                evidence=((OFFER, "scored before shipping"),),
            ),
            activity("recurring-billing", "supporting", priority=3, status="accepted"),
        ],
        dominant="production",
        blocks={"customer_segments": ["Cafés"]},
    )
    return {"ana.toml": ana, "ben.toml": ben, "chen.toml": chen}


def files() -> dict[str, str]:
    out = {
        "roaster-2025.toml": to_toml(roaster_2025()),
        "roaster-2026.toml": to_toml(roaster_2026()),
    }
    out.update({f"team/{name}": to_toml(c) for name, c in team().items()})
    return out


def write_all(folder: Path = HERE) -> None:
    for name, text in files().items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    write_all()
