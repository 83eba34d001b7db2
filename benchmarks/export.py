"""Export speed: a canvas with 200 key activities, rendered to every format.

    python benchmarks/export.py [--activities 200] [--repeat 30]

Prints, for each format, the median time of one export and canvases per second, plus the
first (cold) export, which compiles the Jinja2 template. Reading the canvas back from TOML
is measured too. Benchmarks print; tests never assert times.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tomllib

from canvas_tui.core.canvas.model import Activity, Canvas, CanvasWarning, EvidenceRef
from canvas_tui.core.exports.render import FORMATS, render, to_toml
from canvas_tui.core.interview.bank import BLOCKS

CATEGORIES = ("production", "problem_solving", "platform_network", "supporting")
GUIDES = ("value_proposition", "channels", "relationships", "revenue")


def big_canvas(activities: int) -> Canvas:
    answers = {
        f"set{i % 4}.q{i}": (
            f"Answer {i}: we roast coffee, deliver it to offices every Monday and keep "
            f"customers with tastings | {{{{ not jinja }}}} <b>not html</b> *not bold*\n"
            "A second line with more detail about how the business works."
        )
        for i in range(24)
    }
    return Canvas(
        title="Benchmark Roasters & Co",
        created="2025-03-14T09:30:00Z",
        bank="default",
        blocks={
            block: tuple(f"{block} item {j}: a sentence of ordinary length." for j in range(6))
            for block in BLOCKS
        },
        dominant="production",
        mix={"production": 0.5, "problem_solving": 0.3, "platform_network": 0.2},
        activities=tuple(
            Activity(
                id=f"activity-{i}",
                name=f"Activity number {i} | with a pipe",
                category=CATEGORIES[i % 4],
                score=round(1 - i / (activities + 1), 4),
                priority=i + 1 if i < 3 else 0,
                status=("accepted", "suggested", "rejected")[i % 3] if i >= 3 else "accepted",
                evidence=(
                    EvidenceRef(f"set{i % 4}.q{i % 24}", "we roast coffee", "rule"),
                    EvidenceRef(f"set{(i + 1) % 4}.q{(i + 1) % 24}", "keep customers"),
                ),
                rationale=f"Because answer {i % 24} says so, in one sentence.",
                kpis=("Cost per unit", "On-time deliveries (%)", "Monthly churn (%)"),
                partner_candidate=i % 2 == 0,
                partner_hint="A partner could do this cheaper." if i % 2 == 0 else "",
                serves=GUIDES[: 1 + i % 4],
                focus_reason="It carries the value proposition." if i < 3 else "",
            )
            for i in range(activities)
        ),
        answers=answers,
        questions={qid: f"Question {qid}: what do you do, and how?" for qid in answers},
        warnings=tuple(CanvasWarning("bloat", f"Warning {i}", ("activity-1",)) for i in range(5)),
        notes={qid: "A facilitator note." for qid in list(answers)[:5]},
        assumptions=tuple(list(answers)[:3]),
    )


def measure(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    canvas = big_canvas(args.activities)
    print(
        f"canvas: {len(canvas.activities)} activities, {len(canvas.answers)} answers, "
        f"{sum(len(v) for v in canvas.blocks.values())} block entries; "
        f"{args.repeat} runs per format"
    )
    print(f"{'format':<8}{'first (ms)':>12}{'median (ms)':>13}{'canvases/s':>12}{'size (KiB)':>12}")
    for fmt in FORMATS:
        start = time.perf_counter()
        out = render(canvas, fmt)
        first = time.perf_counter() - start
        median = statistics.median(measure(lambda fmt=fmt: render(canvas, fmt), args.repeat))
        print(
            f"{fmt:<8}{first * 1000:>12.1f}{median * 1000:>13.2f}{1 / median:>12.0f}"
            f"{len(out.encode()) / 1024:>12.0f}"
        )
    text = to_toml(canvas)
    median = statistics.median(measure(lambda: Canvas.from_dict(tomllib.loads(text)), args.repeat))
    print(f"{'read':<8}{'':>12}{median * 1000:>13.2f}{1 / median:>12.0f}   (TOML → Canvas)")


if __name__ == "__main__":
    main()
