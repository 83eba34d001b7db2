"""Issue 12, two writers: a second app on a locked session can take it over explicitly.

The holder is a real second process (flock locks are per process): it polls
`yield_if_asked` as the app does; this process asks with `Workbench.take_over`.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from canvas_tui.core.interview import session_lock
from canvas_tui.core.interview.session import Session, SessionStore
from canvas_tui.core.workbench import Workbench
from tests.conftest import REPO
from tests.fakes import fake_infer

HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from canvas_tui.core.interview.session import SessionStore
    from canvas_tui.core.interview.bank_loader import load_default_bank
    from canvas_tui.core.workbench import Workbench
    from tests.fakes import fake_infer

    store = SessionStore(Path(sys.argv[1]))
    bench = Workbench(store.load("s-shared"), load_default_bank(), None, store,
                      infer_fn=fake_infer)
    assert bench.read_only is None
    print("HOLDING", flush=True)
    deadline = time.monotonic() + 30  # a bound, never reached when the test passes
    while time.monotonic() < deadline:
        if bench.yield_if_asked():
            print("YIELDED", bench.read_only, flush=True)
            print("SAVED AFTER" if bench.save() else "NOT SAVED AFTER", flush=True)
            break
        time.sleep(0.02)
    sys.stdin.read()  # stay alive (still a process) until the test is done
    """
)


@pytest.mark.slow
def test_a_second_app_takes_over_a_session_open_elsewhere(tmp_path, bank):
    store = SessionStore(tmp_path)
    store.save(Session(id="s-shared", title="Shared"))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert holder.stdout.readline().strip() == "HOLDING", holder.stderr.read()
        mine = Workbench(store.load("s-shared"), bank, None, store, infer_fn=fake_infer)
        assert mine.read_only and "open in another canvas-tui" in mine.read_only
        assert not mine.save()  # read-only: nothing written behind the holder's back
        assert mine.take_over(attempts=500, wait=lambda _seconds: _sleep())
        assert mine.read_only is None and mine.save()
        assert holder.stdout.readline().startswith("YIELDED it was taken over")
        assert holder.stdout.readline().strip() == "NOT SAVED AFTER"
        assert not session_lock.take_over_path(store.path("s-shared")).exists()
    finally:
        holder.communicate(timeout=30)  # closes its stdin: it ends


def _sleep() -> None:
    import time

    time.sleep(0.02)


def test_without_a_request_nobody_yields(tmp_path, bank):
    store = SessionStore(tmp_path)
    store.save(Session(id="s-one", title="One"))
    bench = Workbench(store.load("s-one"), bank, None, store, infer_fn=fake_infer)
    assert not bench.yield_if_asked() and bench.read_only is None
    assert bench.take_over() is True  # not read-only: nothing to take
    session_lock.request_take_over(store.path("s-one"))
    assert bench.yield_if_asked() and bench.read_only  # this process was asked
    session_lock.clear_take_over(store.path("s-one"))
