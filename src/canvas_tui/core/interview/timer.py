"""Workshop countdowns: one per question set, driven by an injectable clock. UI-free.

A `Countdown` counts the seconds a set has used against its budget (the set's suggested
``minutes``, or `DEFAULT_MINUTES`), plus any time added. It can be paused and resumed;
it never stops at zero: the time past the budget is the *overrun*, and the answer box
stays open. `Countdown.poll()` says "the signal is due" exactly once each time the
countdown runs out (again after time is added and it runs out again).

`WorkshopTimers` holds the countdowns of a bank's sets; the one of the set being
answered runs (`follow`), the others wait. A facilitator's pause is kept across set
changes: only resuming restarts the clock. The seconds used and added per set are plain
dicts (`used()`, `added()`), which the workbench keeps in the session, so a resumed
workshop continues where it was.

The clock is any function returning seconds (`time.monotonic` by default): tests pass a
fake one and never sleep.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from canvas_tui.core.interview.bank import QuestionSet

Clock = Callable[[], float]

#: The budget of a set whose bank suggests no minutes.
DEFAULT_MINUTES = 10.0


class TimerState(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    TIMES_UP = "time's up"  # running past the budget (the answer is never cut off)


def budget_seconds(minutes: float | None) -> float:
    """A set's budget in seconds: its suggested minutes, or `DEFAULT_MINUTES`."""
    return float(minutes if minutes is not None and minutes > 0 else DEFAULT_MINUTES) * 60.0


def clock_face(seconds: float) -> str:
    """`mm:ss` (whole seconds, rounded up while counting down: 0.2 s left is 00:01)."""
    whole = int(-(-max(0.0, seconds) // 1))
    minutes, secs = divmod(whole, 60)
    return f"{minutes:02d}:{secs:02d}"


class Countdown:
    """One set's countdown: `budget` seconds plus time added, against the time used."""

    def __init__(
        self,
        budget: float,
        *,
        used: float = 0.0,
        added: float = 0.0,
        clock: Clock = time.monotonic,
    ) -> None:
        if budget <= 0:
            raise ValueError("a countdown needs a positive budget")
        self.budget = float(budget)
        self.added = max(0.0, float(added))
        self._used = max(0.0, float(used))
        self._clock = clock
        self._since: float | None = None
        # A set that ran out in an earlier sitting was signalled then: not again.
        self._signalled = self.times_up

    # ------------------------------------------------------------------ reading

    @property
    def running(self) -> bool:
        return self._since is not None

    @property
    def used(self) -> float:
        """Seconds used so far (never negative, never decreasing)."""
        if self._since is None:
            return self._used
        return self._used + max(0.0, self._clock() - self._since)

    @property
    def total(self) -> float:
        """The budget plus the time added."""
        return self.budget + self.added

    @property
    def remaining(self) -> float:
        return max(0.0, self.total - self.used)

    @property
    def overrun(self) -> float:
        """Seconds past the total (0 until the countdown runs out)."""
        return max(0.0, self.used - self.total)

    @property
    def times_up(self) -> bool:
        return self.used >= self.total

    @property
    def state(self) -> TimerState:
        if not self.running:
            return TimerState.PAUSED
        return TimerState.TIMES_UP if self.times_up else TimerState.RUNNING

    # ------------------------------------------------------------------ changing

    def start(self) -> None:
        """Start or resume (nothing happens when it is already running)."""
        if self._since is None:
            self._since = self._clock()

    resume = start

    def pause(self) -> None:
        if self._since is not None:
            self._used = self.used
            self._since = None

    def add(self, seconds: float) -> None:
        """Give the set more time. If that leaves time on the clock, the signal is due
        again when it runs out again."""
        if seconds <= 0:
            raise ValueError("only positive time can be added")
        self.added += float(seconds)
        if not self.times_up:
            self._signalled = False

    def poll(self) -> bool:
        """True exactly once each time the countdown runs out: time for the signal."""
        if self.times_up and not self._signalled:
            self._signalled = True
            return True
        return False


class WorkshopTimers:
    """The countdowns of a bank's sets; only the current set's runs."""

    def __init__(
        self,
        budgets: Mapping[str, float],
        *,
        used: Mapping[str, float] | None = None,
        added: Mapping[str, float] | None = None,
        clock: Clock = time.monotonic,
    ) -> None:
        used = used or {}
        added = added or {}
        self._timers = {
            set_id: Countdown(
                budget, used=used.get(set_id, 0.0), added=added.get(set_id, 0.0), clock=clock
            )
            for set_id, budget in budgets.items()
        }
        self.current_id: str | None = None
        self.paused = False  # the facilitator's pause: kept when the set changes

    @classmethod
    def for_sets(
        cls,
        sets: Iterable[QuestionSet],
        *,
        used: Mapping[str, float] | None = None,
        added: Mapping[str, float] | None = None,
        clock: Clock = time.monotonic,
    ) -> WorkshopTimers:
        budgets = {s.id: budget_seconds(s.minutes) for s in sets}
        return cls(budgets, used=used, added=added, clock=clock)

    def timer(self, set_id: str) -> Countdown | None:
        return self._timers.get(set_id)

    @property
    def current(self) -> Countdown | None:
        return self._timers.get(self.current_id) if self.current_id is not None else None

    def follow(self, set_id: str | None) -> bool:
        """Make `set_id` the running set (None: no set, e.g. every question answered).
        The previous set's countdown pauses. True when the set changed."""
        if set_id not in self._timers:
            set_id = None
        if set_id == self.current_id:
            return False
        if self.current is not None:
            self.current.pause()
        self.current_id = set_id
        if self.current is not None and not self.paused:
            self.current.start()
        return True

    def pause(self) -> None:
        self.paused = True
        if self.current is not None:
            self.current.pause()

    def resume(self) -> None:
        self.paused = False
        if self.current is not None:
            self.current.start()

    def toggle(self) -> bool:
        """Pause or resume; True when it is running afterwards."""
        if self.paused:
            self.resume()
        else:
            self.pause()
        return not self.paused

    def add(self, seconds: float) -> None:
        """More time for the current set (nothing when there is no current set)."""
        if self.current is not None:
            self.current.add(seconds)

    def poll(self) -> bool:
        """True once each time the current set's countdown runs out."""
        return self.current.poll() if self.current is not None else False

    def stop(self) -> None:
        """Stop every countdown (workshop mode turned off); the time used is kept."""
        for countdown in self._timers.values():
            countdown.pause()

    def used(self) -> dict[str, float]:
        """Seconds used per set that has used any (rounded to a tenth)."""
        return {s: round(t.used, 1) for s, t in self._timers.items() if t.used > 0}

    def added(self) -> dict[str, float]:
        """Seconds added per set that was given more time."""
        return {s: round(t.added, 1) for s, t in self._timers.items() if t.added > 0}


__all__ = [
    "DEFAULT_MINUTES",
    "Clock",
    "Countdown",
    "TimerState",
    "WorkshopTimers",
    "budget_seconds",
    "clock_face",
]
