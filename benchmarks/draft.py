"""Reading and auditing a founder's draft (docs/drafts.md): medians, never asserts.

Prints the median time of `parse_draft` on drafts of growing size and on hostile lines,
and of a whole audit (parse, map, judge) of the seeds' whiteboard list for a SaaS, so a
change that makes the parser quadratic shows up as a ratio far above the size ratio.

    python benchmarks/draft.py
"""

from __future__ import annotations

import contextlib
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from canvas_tui.core.draft.audit import audit_draft
from canvas_tui.core.draft.parse import DraftError, parse_draft
from canvas_tui.core.inference.catalogue import default_catalogue
from canvas_tui.core.inference.infer import infer
from canvas_tui.core.interview.answers import read_answers

ROOT = Path(__file__).resolve().parents[1]
RUNS = 7


def median_ms(work: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        with contextlib.suppress(DraftError):  # the over-the-limit case: time the refusal
            work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def readme(lines: int) -> str:
    story = "\n".join(f"line {i} of the story, with a few more words" for i in range(lines))
    return story + "\n## Key Activities\n- Software development\n- Sales\n"


def main() -> None:
    print(f"{'draft':44} {'chars':>9} {'median ms':>10}")
    cases = [
        *((f"README of {n:,} lines + a short section", readme(n)) for n in (1_000, 10_000)),
        *(
            (f"list of {n} bullets", "\n".join(f"- activity {i}" for i in range(n)))
            for n in (10, 100)
        ),
        ("100 lines of 1,990 '['", "\n".join("- " + "[" * 1990 for _ in range(100))),
        ("100 lines of '**' (no activity left)", "\n".join("- " + "**" * 995 for _ in range(100))),
        ("100 lines of '<!--'", "\n".join("- " + "<!--" * 497 for _ in range(100))),
        ("10,000 bullet lines (over the limit)", "\n".join(f"- a{i}" for i in range(10_000))),
    ]
    for name, text in cases:
        print(f"{name:44} {len(text):>9,} {median_ms(lambda t=text: parse_draft(t)):>10.2f}")
    catalogue = default_catalogue()
    answers = read_answers(ROOT / "tests" / "data" / "drafts" / "saas.answers.toml").answers
    inference = infer(answers, catalogue)
    whiteboard = (ROOT / "tests" / "data" / "drafts" / "saas.draft.txt").read_text("utf-8")
    draft = parse_draft(whiteboard)
    ms = median_ms(lambda: audit_draft(draft, answers, inference, catalogue))
    print(f"{'audit of the whiteboard list (SaaS)':44} {len(whiteboard):>9,} {ms:>10.2f}")


if __name__ == "__main__":
    main()
