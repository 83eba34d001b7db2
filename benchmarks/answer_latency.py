"""Answer latency: from pressing Enter on an answer to the updated activity panel.

Drives the real app headless (Textual's Pilot) with the real inference and a real
session store in a temporary folder, answers the interview from
tests/data/contract_answers.toml (other questions get a stock answer), and times each
answer from the key press to (a) the panel showing the new state and (b) the next frame
painted after it. Prints the medians (target: ≤ 50 ms).

    python benchmarks/answer_latency.py [--rounds 3] [--fake]

`--fake` uses the UI tests' fake inference instead of the real one.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STOCK = "We bake sourdough in our own shop, deliver by bike and advise cafés on bread."


async def one_round(
    answers: dict[str, str], infer_fn, samples: list[tuple[float, float, float]]
) -> None:
    from canvas_tui.core.interview.session import SessionStore
    from canvas_tui.ui.app import AppConfig, make_app
    from canvas_tui.ui.widgets.activity_panel import ActivityPanel
    from canvas_tui.ui.widgets.answer_box import AnswerBox

    with tempfile.TemporaryDirectory() as home:
        store = SessionStore(home)
        session = store.new("Latency")
        kwargs = {"infer_fn": infer_fn} if infer_fn else {}
        app = make_app(AppConfig(store=store, session=session, **kwargs))
        marks: dict[str, float] = {}
        original = ActivityPanel.show
        display = app._display

        def timed_show(panel: ActivityPanel, state) -> None:
            original(panel, state)
            marks["panel"] = time.perf_counter()

        def timed_display(screen, update) -> None:
            display(screen, update)
            if "panel" in marks and "painted" not in marks:
                marks["painted"] = time.perf_counter()  # the first frame with the new panel
            marks["settled"] = time.perf_counter()

        ActivityPanel.show = timed_show  # type: ignore[method-assign]
        app._display = timed_display  # type: ignore[method-assign]
        try:
            async with app.run_test(size=(100, 30)) as pilot:
                await pilot.pause()
                while (question := app.bench.current) is not None:
                    box = app.screen.query_one(AnswerBox)
                    box.text = answers.get(question.id, STOCK)
                    await pilot.pause()  # typed, and on screen, before Enter
                    marks.clear()
                    started = time.perf_counter()
                    await pilot.press("enter")
                    await app.workers.wait_for_complete()
                    await pilot.pause()
                    samples.append(
                        (
                            marks["panel"] - started,
                            marks["painted"] - started,
                            marks["settled"] - started,
                        )
                    )
        finally:
            ActivityPanel.show = original  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--fake", action="store_true", help="use the UI tests' fake inference")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    infer_fn = None
    if args.fake:
        from tests.fakes import fake_infer

        infer_fn = fake_infer
    data = tomllib.loads((REPO / "tests/data/contract_answers.toml").read_text(encoding="utf-8"))
    answers = dict(data["answers"])
    os.environ.setdefault("CANVAS_TUI_HOME", tempfile.mkdtemp())
    samples: list[tuple[float, float, float]] = []
    for _ in range(args.rounds):
        asyncio.run(one_round(answers, infer_fn, samples))
    panel = statistics.median(s[0] for s in samples) * 1000
    painted = statistics.median(s[1] for s in samples) * 1000
    worst = max(s[1] for s in samples) * 1000
    settled = statistics.median(s[2] for s in samples) * 1000
    print(f"answers timed: {len(samples)} ({'fake' if args.fake else 'real'} inference)")
    print(f"Enter → panel updated          median {panel:6.1f} ms")
    print(
        f"Enter → panel painted          median {painted:6.1f} ms"
        f"   (worst {worst:.1f} ms; target ≤ 50)"
    )
    print(f"Enter → last frame (transcript) median {settled:6.1f} ms")


if __name__ == "__main__":
    main()
