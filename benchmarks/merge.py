"""Benchmark: merge 100 participants' canvases of 20 activities each (target: under 1 s).

    python benchmarks/merge.py [--participants 100] [--activities 20] [--repeat 7]

Prints the median of each phase of ``canvas-tui merge DIR -o team.toml`` (or ``team.md``)
after start-up:

* ``read``: read and validate the 100 TOML files (stdlib tomllib does the parsing);
* ``merge``: check the inputs (duplicates, banks), name the participants, and merge:
  counts, spread, disagreements, the consensus canvas — the target is for this;
* ``render toml`` / ``render md``: write the team canvas with its [merge] table, or the
  team report;

and the two end-to-end sums. The canvases are generated with a fixed seed: 20 of the 41
activity ids of docs/contracts.md §4 each (half of them from a core of 12 that the team
shares), random statuses, priorities and categories, two quotes per activity and a few
items per block. Tests never assert times; this prints them.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from canvas_tui.core.canvas.model import Activity, Canvas, EvidenceRef
from canvas_tui.core.exports.render import read_canvas, to_toml
from canvas_tui.core.inference.infer import CATEGORIES
from canvas_tui.core.interview.bank import BLOCKS
from canvas_tui.core.team.merge import merge_canvases
from canvas_tui.core.team.merge_inputs import check_inputs, participant_names
from canvas_tui.core.team.merge_model import Merge, Participant
from canvas_tui.core.team.merge_output import render_merge

IDS = [
    "product-design",
    "research-and-development",
    "manufacturing",
    "quality-control",
    "sourcing-and-procurement",
    "inventory-management",
    "order-fulfillment",
    "logistics-and-distribution",
    "content-production",
    "cost-optimization",
    "equipment-maintenance",
    "consulting",
    "service-delivery",
    "solution-design",
    "customer-support",
    "customer-success",
    "knowledge-management",
    "training-and-development",
    "talent-recruitment",
    "regulatory-compliance",
    "event-management",
    "software-development",
    "platform-maintenance",
    "network-management",
    "trust-and-safety",
    "payment-processing",
    "recommendation-algorithms",
    "data-analysis",
    "community-management",
    "user-acquisition",
    "user-experience-design",
    "digital-marketing",
    "brand-management",
    "sales",
    "lead-generation",
    "customer-retention",
    "partner-management",
    "store-operations",
    "recurring-billing",
    "pricing-management",
    "booking-and-scheduling",
]
QUESTIONS = ("value_proposition.offer", "channels.reach", "relationships.style", "revenue.model")


def make_canvas(rng: random.Random, n: int, activities: int) -> Canvas:
    # A team shares a core: half of each canvas comes from 12 activities most people see.
    core = rng.sample(IDS[:12], min(activities // 2, 12))
    chosen = core + rng.sample([i for i in IDS if i not in core], activities - len(core))
    rng.shuffle(chosen)
    focus = chosen[:3]
    acts = []
    for activity_id in chosen:
        accept = 7 if activity_id in core else 3  # the core is accepted more often
        status = rng.choices(("suggested", "accepted", "rejected"), (9 - accept, accept, 1))[0]
        priority = focus.index(activity_id) + 1 if activity_id in focus else 0
        if priority:
            status = "accepted"
        acts.append(
            Activity(
                id=activity_id,
                name=activity_id.replace("-", " ").capitalize(),
                category=rng.choice(CATEGORIES),
                score=round(rng.random(), 4),
                priority=priority,
                status=status,
                evidence=tuple(
                    EvidenceRef(rng.choice(QUESTIONS), f"participant {n} says {activity_id} {k}")
                    for k in range(2)
                ),
                rationale=f"Because participant {n} said so.",
                kpis=(f"{activity_id} per week", "customer satisfaction"),
                partner_candidate=rng.random() < 0.2,
            )
        )
    mix = [rng.random() for _ in range(3)]
    total = sum(mix)
    types = ("production", "problem_solving", "platform_network")
    blocks = {b: tuple(f"{b} item {rng.randrange(12)}" for _ in range(3)) for b in BLOCKS}
    return Canvas(
        title=f"Participant {n:03d}",
        created="2026-01-10T09:00:00Z",
        bank="default",
        blocks=blocks,
        dominant=max(types, key=lambda t: mix[types.index(t)]),
        mix={t: mix[i] / total for i, t in enumerate(types)},
        activities=tuple(acts),
        answers={q: f"Answer of participant {n} to {q}." for q in QUESTIONS},
        questions={q: f"{q}?" for q in QUESTIONS},
    )


def median_seconds(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark canvas-tui merge.")
    parser.add_argument("--participants", type=int, default=100)
    parser.add_argument("--activities", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    rng = random.Random(20260110)
    canvases = [make_canvas(rng, n, args.activities) for n in range(args.participants)]

    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for n, c in enumerate(canvases):
            path = Path(folder) / f"participant-{n:03d}.toml"
            path.write_text(to_toml(c), encoding="utf-8")
            paths.append(path)

        def read() -> list[tuple[str, Canvas]]:
            return [(str(p), read_canvas(p)) for p in paths]

        items = read()

        def merge() -> Merge:
            check_inputs(items)
            names = participant_names([c.title for _, c in items], [s for s, _ in items])
            return merge_canvases(
                [Participant(n, s, c) for n, (s, c) in zip(names, items, strict=True)]
            )

        result = merge()
        render_merge(result, "md")  # warm up: template compilation
        phases = {
            "read": median_seconds(read, args.repeat),
            "merge": median_seconds(merge, args.repeat),
            "render toml": median_seconds(lambda: render_merge(result, "toml"), args.repeat),
            "render md": median_seconds(lambda: render_merge(result, "md"), args.repeat),
        }
    print(
        f"merge of {args.participants} canvases x {args.activities} activities "
        f"(median of {args.repeat}, Python {sys.version.split()[0]}; "
        f"{len(result.consensus)} consensus activities, "
        f"{len(result.disagreements)} disagreements):"
    )
    for name, seconds in phases.items():
        print(f"  {name:<22}{seconds * 1000:8.1f} ms")
    to_toml_total = phases["read"] + phases["merge"] + phases["render toml"]
    to_md_total = phases["read"] + phases["merge"] + phases["render md"]
    print(f"  {'end to end, -o .toml':<22}{to_toml_total * 1000:8.1f} ms")
    print(f"  {'end to end, -o .md':<22}{to_md_total * 1000:8.1f} ms")
    verdict = "met" if phases["merge"] < 1.0 else "MISSED"
    print(f"  target (merge under 1 s): {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
