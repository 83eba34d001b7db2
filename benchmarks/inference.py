"""How long re-inference takes after one changed answer (a benchmark: it prints, never asserts).

The interview re-infers on every answer. `infer()` caches what it read in each answer
text, so after one change only that answer is read again; the rest is aggregation. This
script measures the median time of `infer()` after one answer changed (a fresh text each
run, so the cache never hides the work):

* on the default catalogue;
* on a synthetic catalogue ten times larger (every activity copied ten times with all its
  signals, so every matching word finds ten times as many phrases: the worst case);

and the default catalogue again with the meaning layer off (`CANVAS_TUI_MEANING=off`),
and prints the medians and their ratio (linear growth would be about 10, or less since
part of the work does not depend on the catalogue), and the time to compile the default
catalogue (paid once per process by the first `infer()`: every `canvas-tui run` and app
start pays it). Usage:

    python benchmarks/inference.py [--runs 300]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from dataclasses import replace
from pathlib import Path

from canvas_tui.core.inference.catalogue import Catalogue, default_catalogue
from canvas_tui.core.inference.infer import infer
from canvas_tui.core.inference.matching import Compiled

ANSWERS = {
    "value_proposition.offer": (
        "We roast specialty coffee every week and deliver fresh beans to offices tired of "
        "stale supermarket coffee. We don't make the machines; a partner services them."
    ),
    "value_proposition.customers": "Office managers at tech companies with 20 to 200 staff.",
    "channels.reach": (
        "Office managers find us through google and linkedin. They order on our website "
        "and we ship by courier; a few cafés stock our bags too."
    ),
    "relationships.style": (
        "Each office has an account manager; we visit to train staff on the machine, and "
        "every batch is cupped before it ships."
    ),
    "revenue.model": "Monthly subscription, £12 a bag, or £30 for a three-bag plan.",
}
CHANGED = "channels.reach"


def synthetic(catalogue: Catalogue, copies: int) -> Catalogue:
    """The catalogue with every activity repeated `copies` times (ids suffixed)."""
    activities = {}
    for n in range(copies):
        for activity in catalogue:
            ident = activity.id if n == 0 else f"{activity.id}-copy{n}"
            activities[ident] = replace(activity, id=ident)
    return replace(catalogue, activities=activities)


def median_ms(catalogue: Catalogue, runs: int) -> tuple[float, float, float]:
    """(median wall time, median CPU time, first call incl. compiling), in ms."""
    start = time.perf_counter()
    infer(ANSWERS, catalogue)
    first = (time.perf_counter() - start) * 1000
    wall, cpu = [], []
    for i in range(runs):
        answers = dict(ANSWERS)
        answers[CHANGED] = f"{ANSWERS[CHANGED]} Update {i}: we now also deliver on Saturdays."
        start, start_cpu = time.perf_counter(), time.process_time()
        infer(answers, catalogue)
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    return statistics.median(wall), statistics.median(cpu), first


def compile_ms(catalogue: Catalogue, runs: int = 7) -> float:
    """Median time to compile a catalogue (matcher, typo index), in ms."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        Compiled(catalogue)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args(argv)
    base = default_catalogue()
    large = synthetic(base, 10)
    small = median_ms(base, args.runs)
    big = median_ms(large, max(30, args.runs // 5))
    words = sum(len(a.words) for a in base)
    print(f"catalogue: {Path(base.sources[0]).name}; one answer changed before each run")
    for label, size, result in (("default", 1, small), ("synthetic x10", 10, big)):
        print(
            f"{label:14} {len(base) * size:4d} activities {words * size:6d} signals: "
            f"median re-inference {result[0]:7.3f} ms wall, {result[1]:7.3f} ms CPU "
            f"(first call incl. compile {result[2]:6.0f} ms)"
        )
    os.environ["CANVAS_TUI_MEANING"] = "off"
    rules = median_ms(base, args.runs)
    del os.environ["CANVAS_TUI_MEANING"]
    print(
        f"{'rules only':14} (meaning layer off): median re-inference {rules[0]:7.3f} ms wall, "
        f"{rules[1]:7.3f} ms CPU; the layer warm adds {small[0] - rules[0]:.3f} ms"
    )
    print(f"compile the default catalogue: median {compile_ms(base):.0f} ms")
    print(
        f"ratio x10 / default: {big[0] / small[0]:.2f} wall, {big[1] / small[1]:.2f} CPU "
        "(linear growth would be 10)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
