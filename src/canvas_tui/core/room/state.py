"""The room's state, its rules, and the file that carries it between processes. UI-free.

One facilitator, many participants' app processes, no IPC: the facilitator's command
writes ``DIR/room.json`` atomically (write a temporary file, rename) after every change,
and each participant's app stats it about once a second and reads it again only when it
changed (`RoomWatcher`).

The state (`Room`):

* ``sets``: the bank's sets in asking order, each with its budget in seconds (written by
  ``serve --workshop`` or by the first ``canvas-tui room``, so every process agrees);
* ``current``: the set the room is on (None once the last set has ended);
* ``ended``: the sets the facilitator ended, in order ("end the set" moves everyone on:
  a participant's app skips the questions still open in an ended set; skipped questions
  stay one Back or one pick away);
* ``clocks``: per set, the seconds used before the last start (``used``), the seconds the
  facilitator added (``added``), and ``started_at`` (wall-clock seconds, `time.time`, the
  clock every process on the machine shares) while the set's timer runs, else None.

The rules are pure functions from a `Room` and ``now`` to a new `Room`; tests pass any
``now``. A file that is broken, too big or hostile (wrong types, NaN, huge numbers, too
many sets) raises `RoomError` when read; a watcher turns that into a notice and keeps the
last good state, so a participant's app never fails because of it.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from canvas_tui.core.errors import CanvasTuiError
from canvas_tui.core.fsutil import atomic_write_text
from canvas_tui.core.interview.timer import budget_seconds, clock_face

if TYPE_CHECKING:
    from canvas_tui.core.interview.bank import QuestionSet
    from canvas_tui.core.interview.engine import Interview

ROOM_FILE = "room.json"
VERSION = 1
#: Bounds of a room file: anything past them is refused, not trusted.
MAX_BYTES = 64 * 1024
MAX_SETS = 100
MAX_ID = 100
MAX_TITLE = 200
MAX_SECONDS = 7 * 24 * 3600.0  # a budget, time used or added: a week at most
MAX_TIME = 1e11  # a wall-clock time (year ~5138)


class RoomError(CanvasTuiError):
    """The room file cannot be used (broken, too big, or not a room)."""


@dataclass(frozen=True)
class RoomSet:
    id: str
    title: str
    budget: float  # seconds


@dataclass(frozen=True)
class SetClock:
    used: float = 0.0  # seconds used before `started_at`
    added: float = 0.0  # seconds the facilitator added
    started_at: float | None = None  # wall-clock seconds while running

    def used_at(self, now: float) -> float:
        if self.started_at is None:
            return self.used
        return self.used + max(0.0, now - self.started_at)  # a clock set back: no time used


@dataclass(frozen=True)
class Room:
    sets: tuple[RoomSet, ...]
    current: str | None
    ended: tuple[str, ...] = ()
    clocks: Mapping[str, SetClock] = field(default_factory=dict)
    revision: int = 0  # +1 on every change, so a reader sees that something changed

    # ------------------------------------------------------------------ reading

    def set(self, set_id: str | None) -> RoomSet | None:
        return next((s for s in self.sets if s.id == set_id), None)

    def clock(self, set_id: str | None = None) -> SetClock:
        return self.clocks.get(set_id if set_id is not None else self.current or "", SetClock())

    @property
    def running(self) -> bool:
        return self.current is not None and self.clock().started_at is not None

    def total(self) -> float:
        """The current set's budget plus the time added (0 when no set is current)."""
        current = self.set(self.current)
        return current.budget + self.clock().added if current is not None else 0.0

    def used(self, now: float) -> float:
        return self.clock().used_at(now) if self.current is not None else 0.0

    def remaining(self, now: float) -> float:
        return max(0.0, self.total() - self.used(now))

    def overrun(self, now: float) -> float:
        return max(0.0, self.used(now) - self.total()) if self.current is not None else 0.0

    def times_up(self, now: float) -> bool:
        return self.current is not None and self.used(now) >= self.total()

    def started(self) -> bool:
        """Has the facilitator started the room's timer at least once?"""
        return any(c.started_at is not None or c.used > 0 for c in self.clocks.values())

    def face(self, now: float) -> str:
        """ "07:42" left, or "+01:10" past the time."""
        if self.times_up(now):
            return "+" + clock_face(self.overrun(now))
        return clock_face(self.remaining(now))

    def number(self, set_id: str | None = None) -> int:
        """1-based position of the set (the current one by default); 0 when none."""
        wanted = self.current if set_id is None else set_id
        return next((i for i, s in enumerate(self.sets, start=1) if s.id == wanted), 0)


# ---------------------------------------------------------------------- the rules


def new_room(sets: Iterable[QuestionSet | RoomSet]) -> Room:
    """A room on its first set, the timer not started."""
    room_sets = tuple(
        s
        if isinstance(s, RoomSet)
        else RoomSet(s.id, s.title, budget_seconds(getattr(s, "minutes", None)))
        for s in sets
    )
    if not room_sets:
        raise RoomError("the bank has no question sets")
    return Room(room_sets, room_sets[0].id)


def _changed(room: Room, **changes: Any) -> Room:
    return replace(room, revision=room.revision + 1, **changes)


def _with_clock(room: Room, set_id: str, clock: SetClock) -> dict[str, SetClock]:
    clocks = dict(room.clocks)
    clocks[set_id] = clock
    return clocks


def start(room: Room, now: float) -> Room:
    """Start (or resume) the current set's timer; nothing when it runs or no set is left."""
    if room.current is None or room.running:
        return room
    clock = replace(room.clock(), started_at=now)
    return _changed(room, clocks=_with_clock(room, room.current, clock))


def pause(room: Room, now: float) -> Room:
    if room.current is None or not room.running:
        return room
    old = room.clock()
    clock = SetClock(used=min(MAX_SECONDS, old.used_at(now)), added=old.added)
    return _changed(room, clocks=_with_clock(room, room.current, clock))


def toggle(room: Room, now: float) -> Room:
    return pause(room, now) if room.running else start(room, now)


def extend(room: Room, seconds: float) -> Room:
    """Give the current set more time (for everybody)."""
    if seconds <= 0 or not math.isfinite(seconds):
        raise ValueError("only positive time can be added")
    if room.current is None:
        return room
    old = room.clock()
    clock = replace(old, added=min(MAX_SECONDS, old.added + seconds))
    return _changed(room, clocks=_with_clock(room, room.current, clock))


def end_set(room: Room, now: float) -> Room:
    """End the current set: everyone moves on to the next one, whose timer runs if the
    room's was running (a pause stays a pause). After the last set, no set is current."""
    if room.current is None:
        return room
    was_running = room.running
    paused = pause(room, now)
    ids = [s.id for s in room.sets]
    index = ids.index(room.current)
    following = ids[index + 1] if index + 1 < len(ids) else None
    ended = room.ended if room.current in room.ended else (*room.ended, room.current)
    moved = replace(paused, current=following, ended=ended)
    if was_running and following is not None:
        moved = replace(
            moved, clocks=_with_clock(moved, following, replace(moved.clock(), started_at=now))
        )
    return replace(moved, revision=room.revision + 1)


def skip_ended(interview: Interview, room: Room) -> list[str]:
    """Skip the questions still open in the sets the room has ended (a participant moved
    on by "end the set"). Answers are never touched; a question being edited stays open.
    Returns the ids skipped."""
    ended = set(room.ended)
    if not ended:
        return []
    skipped = [q.id for q in interview.pending() if q.set_id in ended]
    interview.skipped.update(skipped)
    return skipped


# ---------------------------------------------------------------------- the file


def room_to_dict(room: Room) -> dict[str, Any]:
    return {
        "version": VERSION,
        "revision": room.revision,
        "current": room.current,
        "ended": list(room.ended),
        "sets": [{"id": s.id, "title": s.title, "budget": s.budget} for s in room.sets],
        "clocks": {
            set_id: {"used": c.used, "added": c.added, "started_at": c.started_at}
            for set_id, c in room.clocks.items()
        },
    }


def _text(value: Any, what: str, limit: int) -> str:
    if not isinstance(value, str) or not value or len(value) > limit:
        raise RoomError(f"{what} is not a text of 1 to {limit} characters")
    return value


def _seconds(value: Any, what: str, *, low: float = 0.0, high: float = MAX_SECONDS) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RoomError(f"{what} is not a number")
    number = float(value)
    if not math.isfinite(number) or not low <= number <= high:
        raise RoomError(f"{what} is out of range")
    return number


def room_from_dict(data: Any) -> Room:
    """A room from its JSON form, checked field by field (raises `RoomError`)."""
    if not isinstance(data, dict):
        raise RoomError("not a room (expected a JSON object)")
    if data.get("version") != VERSION:
        raise RoomError(f"unknown room version {data.get('version')!r}")
    raw_sets = data.get("sets")
    if not isinstance(raw_sets, list) or not 0 < len(raw_sets) <= MAX_SETS:
        raise RoomError(f"'sets' must list 1 to {MAX_SETS} sets")
    sets: list[RoomSet] = []
    for item in raw_sets:
        if not isinstance(item, dict):
            raise RoomError("a set is not an object")
        sets.append(
            RoomSet(
                _text(item.get("id"), "a set's id", MAX_ID),
                _text(item.get("title"), "a set's title", MAX_TITLE),
                _seconds(item.get("budget"), "a set's budget", low=1.0),
            )
        )
    ids = [s.id for s in sets]
    if len(set(ids)) != len(ids):
        raise RoomError("a set is listed twice")
    current = data.get("current")
    if current is not None and current not in ids:
        raise RoomError("'current' names no set of the room")
    ended = data.get("ended", [])
    if not isinstance(ended, list) or any(e not in ids for e in ended):
        raise RoomError("'ended' names a set the room does not have")
    raw_clocks = data.get("clocks", {})
    if not isinstance(raw_clocks, dict):
        raise RoomError("'clocks' is not an object")
    clocks: dict[str, SetClock] = {}
    for set_id, item in raw_clocks.items():
        if set_id not in ids or not isinstance(item, dict):
            raise RoomError("a clock names a set the room does not have")
        started = item.get("started_at")
        clocks[set_id] = SetClock(
            used=_seconds(item.get("used", 0.0), "a clock's time used"),
            added=_seconds(item.get("added", 0.0), "a clock's time added"),
            started_at=None if started is None else _seconds(started, "a start", high=MAX_TIME),
        )
    revision = data.get("revision", 0)
    if isinstance(revision, bool) or not isinstance(revision, int) or revision < 0:
        raise RoomError("'revision' is not a count")
    return Room(tuple(sets), current, tuple(dict.fromkeys(ended)), clocks, revision)


def read_room(path: Path) -> Room:
    """The room in `path` (raises `RoomError` naming the file; OSError when unreadable)."""
    with open(path, "rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise RoomError(f"larger than {MAX_BYTES // 1024} KB", file=path)
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise RoomError(f"not JSON ({exc})", file=path) from None
    try:
        return room_from_dict(parsed)
    except RoomError as exc:
        raise RoomError(exc.message, file=path) from None


def write_room(path: Path, room: Room) -> Path:
    """Write the room atomically (readers see the old file or the new one, never half)."""
    text = json.dumps(room_to_dict(room), indent=1, ensure_ascii=False) + "\n"
    return atomic_write_text(path, text)


class RoomWatcher:
    """Follows the room file: `poll()` stats it (cheap) and reads it only when it changed.

    `room` is the last good state (None before one was read); `notice` says why the file
    is not used right now (missing, broken, hostile), or is None.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.room: Room | None = None
        self.notice: str | None = None
        self._seen: tuple[int, int, int] | None = None

    def poll(self) -> bool:
        """True when `room` or `notice` changed."""
        try:
            st = os.stat(self.path)
        except OSError:
            key = None
        else:
            key = (st.st_ino, st.st_mtime_ns, st.st_size)
        if key is not None and key == self._seen:
            return False
        self._seen = key
        before = (self.room, self.notice)
        if key is None:
            self.notice = "The room has not started yet (no room file)."
        else:
            try:
                self.room = read_room(self.path)
                self.notice = None
            except (RoomError, OSError) as exc:
                message = exc.message if isinstance(exc, RoomError) else str(exc.strerror)
                self.notice = f"The room file is ignored: {message}."
        return (self.room, self.notice) != before


__all__ = [
    "MAX_BYTES",
    "ROOM_FILE",
    "Room",
    "RoomError",
    "RoomSet",
    "RoomWatcher",
    "SetClock",
    "end_set",
    "extend",
    "new_room",
    "pause",
    "read_room",
    "room_from_dict",
    "room_to_dict",
    "skip_ended",
    "start",
    "toggle",
    "write_room",
]
