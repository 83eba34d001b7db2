"""Resident memory of the app after the first answer (a benchmark: it prints, never asserts).

Starts the real app headless (Textual's test driver, 100x30), creates a canvas, answers
the first question as a person would, waits for the inference (with the meaning layer
unless `CANVAS_TUI_MEANING=off`), then prints the process's resident set size (VmRSS,
Linux) and its peak (VmHWM), and whether numpy was loaded. Target: <= 90 MB.

    python benchmarks/memory.py
    CANVAS_TUI_MEANING=off python benchmarks/memory.py     # rules only
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from canvas_tui.core.interview.session import SessionStore
from canvas_tui.ui.app import AppConfig, make_app
from canvas_tui.ui.widgets.answer_box import AnswerBox

ANSWER = (
    "We roast specialty coffee every week and deliver fresh beans to offices tired of "
    "stale supermarket coffee."
)


def status(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        app = make_app(AppConfig(store=SessionStore(Path(home))))
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.app.workers.wait_for_complete()
            await pilot.press(*"Hilltop Roasters", "enter")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            box = pilot.app.screen.query_one(AnswerBox)
            box.focus()
            box.text = ""
            box.insert(ANSWER)
            await pilot.press("enter")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
            answered = bool(app.bench.session.answers)
    print(
        f"after the first answer (answered: {answered}): RSS {status('VmRSS'):.1f} MB, "
        f"peak {status('VmHWM'):.1f} MB; numpy loaded: {'numpy' in sys.modules}"
    )


if __name__ == "__main__":
    asyncio.run(main())
