"""Workshop countdowns: a fake clock, no sleeping."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canvas_tui.core.interview.bank_loader import load_default_bank
from canvas_tui.core.interview.session import Session, SessionStore
from canvas_tui.core.interview.timer import (
    DEFAULT_MINUTES,
    Countdown,
    TimerState,
    WorkshopTimers,
    budget_seconds,
    clock_face,
)
from canvas_tui.core.workbench import Workbench
from tests.fakes import fake_infer


class FakeClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def test_counts_down_while_running_only():
    clock = FakeClock()
    timer = Countdown(600, clock=clock)
    assert timer.state is TimerState.PAUSED and timer.used == 0
    timer.start()
    clock.advance(90)
    assert timer.state is TimerState.RUNNING
    assert timer.used == 90 and timer.remaining == 510 and timer.overrun == 0
    timer.pause()
    clock.advance(1000)  # paused: nothing is used
    assert timer.used == 90 and timer.state is TimerState.PAUSED
    timer.resume()
    clock.advance(10)
    assert timer.used == 100
    timer.start()  # already running: does not restart the count
    clock.advance(5)
    assert timer.used == 105


def test_runs_past_zero_and_signals_once():
    clock = FakeClock()
    timer = Countdown(60, clock=clock)
    timer.start()
    clock.advance(59)
    assert not timer.poll()
    clock.advance(1)
    assert timer.times_up and timer.state is TimerState.TIMES_UP
    assert timer.poll()  # the signal, once
    assert not timer.poll()
    clock.advance(30)
    assert timer.remaining == 0 and timer.overrun == 30  # it keeps counting: never cut off
    assert not timer.poll()


def test_adding_time_rearms_the_signal():
    clock = FakeClock()
    timer = Countdown(60, clock=clock)
    timer.start()
    clock.advance(70)
    assert timer.poll()
    timer.add(60)  # 120 s in all, 70 used: 50 left
    assert not timer.times_up and timer.remaining == 50 and timer.state is TimerState.RUNNING
    assert not timer.poll()
    clock.advance(50)
    assert timer.poll()  # runs out again: signalled again
    assert not timer.poll()


def test_adding_too_little_time_does_not_signal_again():
    clock = FakeClock()
    timer = Countdown(60, clock=clock)
    timer.start()
    clock.advance(200)
    assert timer.poll()
    timer.add(60)  # still over (200 > 120): no second signal
    assert timer.times_up and not timer.poll()


def test_adding_time_must_be_positive_and_budget_too():
    with pytest.raises(ValueError):
        Countdown(60).add(0)
    with pytest.raises(ValueError):
        Countdown(0)


def test_a_set_that_ran_out_earlier_is_not_signalled_again():
    timer = Countdown(60, used=90, clock=FakeClock())
    timer.start()
    assert timer.times_up and not timer.poll()


def test_a_clock_going_backwards_never_gives_time_back():
    clock = FakeClock()
    timer = Countdown(60, clock=clock)
    timer.start()
    clock.advance(-10)
    assert timer.used == 0


def test_budget_and_clock_face():
    assert budget_seconds(8) == 480
    assert budget_seconds(None) == DEFAULT_MINUTES * 60 == 600
    assert clock_face(0) == "00:00"
    assert clock_face(0.2) == "00:01"  # rounded up while counting down
    assert clock_face(61) == "01:01"
    assert clock_face(3600) == "60:00"


def test_timers_follow_the_set_and_keep_a_pause():
    clock = FakeClock()
    timers = WorkshopTimers({"a": 60, "b": 120}, clock=clock)
    assert timers.follow("a")
    clock.advance(30)
    assert not timers.follow("a")  # same set: nothing changes
    assert timers.follow("b")
    clock.advance(10)
    assert timers.timer("a").used == 30 and timers.timer("b").used == 10
    timers.pause()
    clock.advance(100)
    timers.follow("a")  # paused: moving on does not restart the clock
    assert timers.current_id == "a" and not timers.current.running
    assert timers.toggle() is True  # resumes
    clock.advance(5)
    assert timers.used() == {"a": 35, "b": 10}
    timers.follow(None)  # every question answered: no set runs
    assert timers.current is None and not timers.poll()
    timers.add(60)  # no current set: nothing to add to
    assert timers.added() == {}
    timers.follow("unknown set")
    assert timers.current is None


def test_timers_resume_from_saved_times():
    clock = FakeClock()
    timers = WorkshopTimers({"a": 60, "b": 60}, used={"a": 50.0}, added={"a": 60.0}, clock=clock)
    timers.follow("a")
    assert timers.current.remaining == 70
    timers.add(30)
    assert timers.added() == {"a": 90.0}
    timers.stop()
    clock.advance(100)
    assert timers.used() == {"a": 50.0}


@given(
    budget=st.floats(min_value=1, max_value=7200),
    steps=st.lists(
        st.tuples(
            st.sampled_from(["advance", "pause", "resume", "add"]),
            st.floats(min_value=0, max_value=1000),
        ),
        max_size=40,
    ),
)
def test_time_is_accounted_for(budget, steps):
    """remaining − overrun == budget + added − used; used never negative or decreasing;
    the signal comes exactly once per time the countdown runs out."""
    clock = FakeClock(0.0)
    timer = Countdown(budget, clock=clock)
    timer.start()
    added = 0.0
    last_used = 0.0
    signals = 0
    crossings = 0
    was_up = False
    for action, amount in steps:
        if action == "advance":
            clock.advance(amount)
        elif action == "pause":
            timer.pause()
        elif action == "resume":
            timer.resume()
        elif amount > 0:
            timer.add(amount)
            added += amount
        used = timer.used
        assert used >= 0 and used >= last_used - 1e-9
        last_used = used
        assert timer.remaining >= 0 and timer.overrun >= 0
        assert timer.remaining - timer.overrun == pytest.approx(budget + added - used, abs=1e-6)
        if not timer.times_up:
            assert timer.remaining + used == pytest.approx(budget + added, abs=1e-6)
        if timer.times_up and not was_up:
            crossings += 1
        was_up = timer.times_up
        signals += timer.poll()
        assert signals == crossings  # polled after every step: one signal per run-out


# --------------------------------------------------------------------------- workbench


@pytest.fixture
def bank():
    return load_default_bank()


def test_the_workbench_keeps_the_times_in_the_session(home, bank):
    store = SessionStore(home)
    session = Session(id="s-timed", title="Timed")
    bench = Workbench(session, bank, None, store, infer_fn=fake_infer)
    clock = FakeClock()
    timers = bench.start_workshop(clock)
    first = bank.sets[0].id
    assert timers.current_id == first and timers.current.budget == budget_seconds(
        bank.sets[0].minutes
    )
    clock.advance(42)
    bench.add_time(60)
    saved = store.load(session.id)
    assert saved.timers == {first: 42.0} and saved.time_added == {first: 60.0}
    # answering every question of the first set moves the countdown to the next set
    while bench.current is not None and bench.current.set_id == first:
        bench.submit("We bake bread")
    second = bench.current.set_id
    assert timers.current_id == second
    clock.advance(8)
    bench.pause_timer(True)
    clock.advance(500)  # paused: not counted
    saved = store.load(session.id)
    assert saved.timers == {first: 42.0, second: 8.0}
    # a resumed workshop continues where it was
    again = Workbench(saved, bank, None, store, infer_fn=fake_infer)
    resumed = again.start_workshop(FakeClock())
    assert resumed.current_id == second and resumed.current.used == 8.0
    assert resumed.timer(first).total == budget_seconds(bank.sets[0].minutes) + 60
    # turning workshop mode off stops and saves
    again.stop_workshop()
    assert again.timers is None and store.load(session.id).timers[second] == 8.0


def test_the_timer_core_does_not_import_the_ui():
    code = (
        "import sys, canvas_tui.core.interview.timer, canvas_tui.core.workbench; "
        "print(any(m.split('.')[0] in ('textual', 'rich') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
