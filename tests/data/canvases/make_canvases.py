"""Writes the test canvases next to this file: rich.toml, minimal.toml, hostile.toml.

The TOML files are the fixtures (and the golden tests check each is its own TOML export);
this script only documents how they were made, the hostile text above all. drafted.toml
(a canvas with a founder's draft, docs/drafts.md) is a headless run instead:
`SOURCE_DATE_EPOCH=1767225600 canvas-tui run tests/data/drafts/bakery.answers.toml --draft
tests/data/drafts/bakery.draft.md -o tests/data/canvases/drafted.toml`. Regenerate on
purpose, then the golden files:

    python tests/data/canvases/make_canvases.py
    UPDATE_GOLDEN=1 pytest tests/unit/test_export_golden.py
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from canvas_tui.core.canvas.model import Activity, Canvas, CanvasWarning, EvidenceRef
from canvas_tui.core.exports.render import to_toml
from canvas_tui.core.interview.bank import BLOCKS

OUT = Path(__file__).resolve().parent
Q = {
    "value_proposition.offer": "What do you offer, and which problem does it solve for your customers?",
    "value_proposition.customers": "Who are your customers? Describe the people or organisations who pay you, and anyone else you serve.",
    "value_proposition.promise": "Why do customers choose you over the alternatives? Price, quality, speed, design, convenience, expertise, service?",
    "channels.reach": "How do customers find you, buy from you, and receive what they bought?",
    "channels.fulfilment": "Who packs and delivers orders — you, or a courier or fulfilment partner? How fast must it be?",
    "relationships.style": "What relationship do customers get from you — and expect? How do you win them, and how do you keep them?",
    "relationships.retention": "What makes customers come back or stay, and why do some leave?",
    "revenue.model": "How do you earn money, and how is it priced? One-off sales, subscriptions, fees, commission, hourly rates, licences, ads?",
    "revenue.costs": "What are your biggest costs in delivering all this?",
    "revenue.churn": "Subscribers can cancel. What keeps them paying month after month, and how do you spot someone about to leave?",
}
A = {
    "value_proposition.offer": "We roast specialty coffee in small batches and deliver fresh beans to offices tired of stale supermarket coffee.",
    "value_proposition.customers": "Office managers at tech companies with 20 to 200 staff.\nCo-working spaces that want coffee as a perk.",
    "value_proposition.promise": "Freshness: beans are roasted the week they arrive, and we're cheaper than a café run.",
    "channels.reach": "Office managers find us through LinkedIn and word of mouth, order on our website, and a courier delivers every other Monday.",
    "channels.fulfilment": "We pack in the roastery; a courier partner delivers within 48 hours.",
    "relationships.style": "A named account manager for each office, plus a free tasting session when they sign up.",
    "relationships.retention": "They stay for the freshness and the tasting sessions; some leave when the office manager changes.",
    "revenue.model": "A monthly subscription per office, priced by kilos per month (from £89).",
    "revenue.costs": "Green beans, the roaster and its gas, packaging, the courier, and two salaries.",
    "revenue.churn": "Probably the tastings: we have not measured it yet.",
}


def ev(q, quote, rule=""):
    assert quote in A[q], quote
    return EvidenceRef(q, quote, rule)


rich = Canvas(
    title="Bean & Gone — Coffee Roasters",
    created="2025-03-14T09:30:00Z",
    bank="default",
    generator="canvas-tui 0.1.0",
    blocks={
        "customer_segments": (
            "Office managers at tech companies with 20 to 200 staff.",
            "Co-working spaces that want coffee as a perk.",
        ),
        "value_propositions": (
            "We roast specialty coffee in small batches and deliver fresh beans to offices tired of stale supermarket coffee.",
            "Freshness: beans are roasted the week they arrive, and we're cheaper than a café run.",
        ),
        "channels": (
            "Office managers find us through LinkedIn and word of mouth, order on our website, and a courier delivers every other Monday.",
            "We pack in the roastery; a courier partner delivers within 48 hours.",
        ),
        "customer_relationships": (
            "A named account manager for each office, plus a free tasting session when they sign up.",
            "They stay for the freshness and the tasting sessions; some leave when the office manager changes.",
        ),
        "revenue_streams": (
            "A monthly subscription per office, priced by kilos per month (from £89).",
        ),
        "key_resources": (
            "Roastery and roaster",
            "Relationships with green-bean importers",
            "Skilled roaster",
        ),
        "key_activities": (
            "Roasting and production planning",
            "Order fulfilment and delivery",
            "Customer retention",
            "Barista training for office staff",
        ),
        "key_partners": ("Courier partner (delivery)", "Green-bean importers"),
        "cost_structure": (
            "Green beans, the roaster and its gas, packaging, the courier, and two salaries.",
        ),
    },
    dominant="production",
    mix={"production": 0.6, "problem_solving": 0.25, "platform_network": 0.15},
    activities=(
        Activity(
            "manufacturing",
            "Roasting and production planning",
            "production",
            0.86,
            1,
            "accepted",
            (
                ev(
                    "value_proposition.offer",
                    "We roast specialty coffee in small batches",
                    "making",
                ),
                ev(
                    "value_proposition.promise",
                    "beans are roasted the week they arrive",
                    "freshness",
                ),
            ),
            "Fresh, small-batch roasting is the promise itself.",
            ("Kilos roasted per week", "Cost per kilo", "Days from roast to cup"),
            False,
            "",
            ("value_proposition", "revenue"),
            "Your promise is freshness: roasting well and on schedule is what customers pay for.",
        ),
        Activity(
            "order-fulfillment",
            "Order fulfilment and delivery",
            "production",
            0.74,
            2,
            "accepted",
            (
                ev("channels.reach", "a courier delivers every other Monday"),
                ev("channels.fulfilment", "a courier partner delivers within 48 hours"),
            ),
            "Fresh beans are only fresh if they arrive on time.",
            ("On-time deliveries (%)", "Cost per delivery"),
            True,
            "A courier or fulfilment partner can pick, pack and deliver; keep the packing quality in house.",
            ("channels",),
            "Every subscription box must arrive on a fixed day; late coffee is stale coffee.",
        ),
        Activity(
            "customer-retention",
            "Customer retention",
            "supporting",
            0.69,
            3,
            "accepted",
            (
                ev("relationships.retention", "some leave when the office manager changes"),
                ev("revenue.model", "A monthly subscription per office"),
            ),
            "A subscription lives or dies by churn.",
            ("Monthly churn (%)", "Offices renewing after a manager change"),
            False,
            "",
            ("relationships", "revenue"),
            "Subscription revenue: every office that stays is worth a year of sales effort.",
        ),
        Activity(
            "sourcing-and-procurement",
            "Sourcing green beans",
            "production",
            0.61,
            0,
            "suggested",
            (ev("revenue.costs", "Green beans"),),
            "Bean quality and price start with the importer.",
            ("Cost per kilo of green beans", "Supplier lead time"),
            True,
            "An importer can source and store green beans for you.",
            ("value_proposition",),
            "",
        ),
        Activity(
            "quality-control",
            "Quality control (cupping)",
            "production",
            0.55,
            0,
            "suggested",
            (),
            "Specialty coffee needs every batch tasted.",
            ("Batches rejected (%)",),
            False,
            "",
            ("value_proposition",),
            "",
        ),
        Activity(
            "digital-marketing",
            "Digital marketing",
            "supporting",
            0.4,
            0,
            "suggested",
            (ev("channels.reach", "LinkedIn"),),
            "Office managers find you on LinkedIn.",
            ("Cost per lead", "Conversion from tasting to subscription"),
            False,
            "",
            ("channels",),
            "",
        ),
        Activity(
            "recurring-billing",
            "Recurring billing",
            "supporting",
            0.35,
            0,
            "suggested",
            (ev("revenue.model", "monthly subscription"),),
            "Subscriptions need billing that just works.",
            ("Failed payments recovered (%)",),
            True,
            "A subscription billing service can run renewals and dunning.",
            ("revenue",),
            "",
        ),
        Activity(
            "custom-barista-training",
            "Barista training for office staff",
            "problem_solving",
            1.0,
            0,
            "accepted",
            (),
            "Added by you.",
            ("Sessions per month",),
            False,
            "",
            (),
            "",
        ),
        Activity(
            "event-management",
            "Event management",
            "problem_solving",
            0.2,
            0,
            "rejected",
            (ev("relationships.style", "a free tasting session"),),
            "Tasting sessions are events.",
            (),
            False,
            "",
            ("relationships",),
            "",
        ),
    ),
    answers=A,
    questions=Q,
    warnings=(
        CanvasWarning(
            "coherence",
            "Free tasting sessions are costly bespoke service for a “cheaper than a café” promise: check they pay for themselves.",
            ("event-management", "customer-retention"),
        ),
        CanvasWarning(
            "vague",
            "The churn answer is a guess: measure why offices leave before investing in retention.",
        ),
    ),
    notes={
        "value_proposition.offer": "Founder is clear on freshness; less clear on why offices pay more than for pods.",
        "revenue.model": "Pricing by kilo worked in the pilot.\nRevisit after 50 offices.",
    },
    assumptions=("revenue.churn", "value_proposition.promise"),
)
minimal = Canvas(
    title="", created="2025-03-14T09:30:00Z", bank="default", generator="canvas-tui 0.1.0"
)

H = "\x1b[31mred\x1b[0m \x00nul \x07bell \x7fdel \x9bcsi \x08bs"
hostile_texts = [
    "<script>alert('x')</script>",
    "{{ 7*7 }} {% if true %}evaluated{% endif %} {# comment #}",
    "a | b || c \\| d",
    "# not a heading ## nor this #",
    "`code` ```fence``` ~~~tilde",
    "*bold* _it_ __strong__ ~~strike~~ snake_case_name",
    "[click](javascript:alert(1)) ![img](http://x/y.png) [[wiki link]] [^1]",
    "<img src=x onerror=alert(1)> &amp; &lt; &#60; <!-- comment -->",
    "line one\nline two\r\nline three\rline four\u2028line five\x85line six",
    "1. ordered\n- dash\n+ plus\n---\n=\n    indented code\n> quote\n\n\nafter blank lines",
    H,
    "$x^2$ ==highlight== %%hidden%% :smile: #tag ^block-id @user",
    "trailing backslash \\",
    "   leading and trailing spaces   ",
    "emoji ☕🚀 and CJK 咖啡 and RTL قهوة",
]


def pick(i):
    return hostile_texts[i % len(hostile_texts)]


blocks = {b: tuple(pick(i + k) for k in range(2)) for i, b in enumerate(BLOCKS)}
hq = {f"hostile.q{i}": f"Prompt {i}: {t}" for i, t in enumerate(hostile_texts)}
ha = {f"hostile.q{i}": t for i, t in enumerate(hostile_texts)}
hq['weird "key" | {{ x }}'] = "<b>prompt</b> with | pipe\nand newline"
ha['weird "key" | {{ x }}'] = "{% raw %}not raw{% endraw %} {{ canvas.title }}"
acts = []
for i, t in enumerate(hostile_texts):
    acts.append(
        Activity(
            id=f"custom-{i}-{t[:5]}",
            name=t,
            category=["production", "problem_solving", "platform_network", "supporting"][i % 4],
            score=round(1 - i / 20, 4),
            priority=(i + 1 if i < 3 else 0),
            status=["accepted", "suggested", "rejected"][i % 3] if i >= 3 else "accepted",
            evidence=(
                EvidenceRef(f"hostile.q{i}", t, "rule|" + t[:3]),
                EvidenceRef(f"hostile.q{(i + 1) % len(hostile_texts)}", pick(i + 1)),
            ),
            rationale=pick(i + 2),
            kpis=(pick(i + 3), pick(i + 4)),
            partner_candidate=i % 2 == 0,
            partner_hint=pick(i + 5) if i % 2 == 0 else "",
            serves=("value_proposition", "channels", "relationships", "revenue")[: i % 5],
            focus_reason=pick(i + 6) if i < 3 else "",
        )
    )
hostile = Canvas(
    title="<script>alert(1)</script> | # {{ 7*7 }} {% if x %}y{% endif %} *not bold*\nsecond line \x1b[2J",
    created="2025-03-14T09:30:00Z <b>",
    bank="default | {{ bank }}",
    generator="canvas-tui 0.1.0",
    blocks=blocks,
    dominant="platform_network",
    mix={"production": 0.2, "problem_solving": 0.3, "platform_network": 0.5},
    activities=tuple(acts),
    answers=ha,
    questions=hq,
    warnings=tuple(
        CanvasWarning(
            kind=["<b>bloat</b>", "coherence | x", "vague\nkind"][i % 3],
            message=t,
            activities=(acts[i].id, "missing-id"),
        )
        for i, t in enumerate(hostile_texts[:6])
    ),
    notes={"hostile.q0": hostile_texts[9], "not-a-question | x": hostile_texts[8], "hostile.q2": H},
    assumptions=("hostile.q1", "free text assumption | with {{ jinja }} and <i>html</i>"),
)


def main() -> None:
    for name, canvas in [("rich", rich), ("minimal", minimal), ("hostile", hostile)]:
        text = to_toml(canvas)
        assert Canvas.from_dict(tomllib.loads(text)) == canvas, name
        (OUT / f"{name}.toml").write_text(text, encoding="utf-8")
        print(f"wrote {OUT / name}.toml")


if __name__ == "__main__":
    main()
