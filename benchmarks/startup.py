"""Startup: time from process start to the first painted frame, headless.

Runs `canvas-tui` (the real CLI entry point, forced headless) and a minimal Textual app
with the same number of widgets, alternately, in the same run; prints the medians and
the ratio (target: canvas-tui / minimal ≤ 1.3).

    python benchmarks/startup.py [--runs 15]

"First painted frame": the first frame the app writes to its (headless) driver while
its first real screen is showing. Each child process reports the wall-clock time of
that frame; the parent subtracts the moment it started the process.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Code run in the child before the app starts: stop at the first painted frame.
HOOK = r"""
import sys, time, json
from textual.app import App
from textual.drivers.headless_driver import HeadlessDriver

_run = App.run
def _headless_run(self, *args, **kwargs):
    kwargs["headless"] = True
    kwargs.setdefault("size", (100, 30))
    return _run(self, *args, **kwargs)
App.run = _headless_run

_write = HeadlessDriver.write
def _write_frame(self, data):
    app = self._app
    if data and getattr(app, "_first_frame", None) is None and ready(app):
        app._first_frame = time.time()
        widgets = sum(1 for _ in app.screen.walk_children(with_self=True))
        print(json.dumps({"frame": app._first_frame, "widgets": widgets}), flush=True)
        app.call_later(app.exit)
    return _write(self, data)
HeadlessDriver.write = _write_frame
"""

CANVAS = (
    HOOK
    + r"""
def ready(app):
    return len(app.screen_stack) > 1  # the welcome screen, not the empty base screen

from canvas_tui.cli import main
sys.exit(main([]))
"""
)

MINIMAL = (
    HOOK
    + r"""
def ready(app):
    return True

from textual.app import ComposeResult
from textual.widgets import Static

class Minimal(App):
    def compose(self) -> ComposeResult:
        for n in range(WIDGETS - 1):
            yield Static(f"widget {n}")

Minimal().run()
"""
)


def once(code: str, env: dict[str, str]) -> tuple[float, int]:
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    for line in result.stdout.splitlines():
        if line.startswith("{"):
            data = json.loads(line)
            return data["frame"] - started, int(data["widgets"])
    raise SystemExit(f"no frame reported:\n{result.stdout}\n{result.stderr}")


def seed_sessions(home: Path) -> None:
    """A few saved canvases, so the welcome screen lists something (as it usually does)."""
    from canvas_tui.core.interview.session import SessionStore

    store = SessionStore(home)
    for title in ("Acme Tutors", "Sourdough & Co", "Dog walkers"):
        session = store.new(title)
        session.answers["value_proposition.offer"] = f"What {title} offers."
        store.save(session)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        seed_sessions(Path(home))
        env = {**os.environ, "CANVAS_TUI_HOME": home}
        _, widgets = once(CANVAS, env)  # warm-up (bytecode caches), and the widget count
        minimal = MINIMAL.replace("WIDGETS", str(widgets))
        once(minimal, env)
        canvas_times, minimal_times = [], []
        for _ in range(args.runs):
            canvas_times.append(once(CANVAS, env)[0])
            minimal_times.append(once(minimal, env)[0])
    canvas_median = statistics.median(canvas_times)
    minimal_median = statistics.median(minimal_times)
    print(f"widgets on the first screen: {widgets}")
    print(f"canvas-tui   median {canvas_median * 1000:7.1f} ms  (runs: {args.runs})")
    print(f"minimal app  median {minimal_median * 1000:7.1f} ms  (same widget count)")
    print(f"ratio {canvas_median / minimal_median:.2f}  (target ≤ 1.3)")


if __name__ == "__main__":
    main()
