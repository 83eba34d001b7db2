"""The workshop room (core/room): the timer everybody shares, "end the set", the file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from canvas_tui.core.interview.bank_loader import load_default_bank
from canvas_tui.core.interview.engine import Interview
from canvas_tui.core.room import (
    Room,
    RoomError,
    RoomSet,
    RoomWatcher,
    end_set,
    extend,
    new_room,
    pause,
    read_room,
    room_from_dict,
    room_to_dict,
    skip_ended,
    start,
    toggle,
    write_room,
)

T0 = 1_800_000_000.0  # a wall-clock time; the rules take `now`, so no test sleeps


def room3() -> Room:
    return new_room(
        [
            RoomSet("a", "Value", 600.0),
            RoomSet("b", "Customers", 300.0),
            RoomSet("c", "Money", 60.0),
        ]
    )


def test_a_new_room_is_on_its_first_set_and_not_started() -> None:
    room = room3()
    assert room.current == "a"
    assert not room.running and not room.started()
    assert room.remaining(T0 + 500) == 600.0  # nothing runs before the facilitator starts


def test_the_timer_counts_while_running_and_keeps_its_time_when_paused() -> None:
    room = start(room3(), T0)
    assert room.running and room.remaining(T0 + 100) == 500.0
    room = pause(room, T0 + 100)
    assert not room.running
    assert room.remaining(T0 + 10_000) == 500.0  # paused: the time stands
    room = toggle(room, T0 + 200)
    assert room.remaining(T0 + 250) == 450.0
    assert toggle(room, T0 + 260).remaining(T0 + 999) == 440.0


def test_extending_gives_everyone_more_time_and_past_zero_counts_on() -> None:
    room = start(room3(), T0)
    assert room.times_up(T0 + 600) and room.face(T0 + 670) == "+01:10"
    room = extend(room, 300)
    assert not room.times_up(T0 + 670)
    assert room.face(T0 + 670) == "03:50"
    with pytest.raises(ValueError):
        extend(room, 0)


def test_ending_a_set_moves_the_room_on_and_keeps_a_running_timer_running() -> None:
    room = end_set(start(room3(), T0), T0 + 120)
    assert room.current == "b" and room.ended == ("a",)
    assert room.running and room.remaining(T0 + 180) == 240.0
    assert room.clock("a").used == 120.0 and room.clock("a").started_at is None


def test_ending_a_paused_set_leaves_the_next_paused_and_the_last_ends_the_room() -> None:
    room = end_set(room3(), T0)
    assert room.current == "b" and not room.running
    room = end_set(end_set(room, T0), T0)
    assert room.current is None and room.ended == ("a", "b", "c")
    assert end_set(room, T0) is room  # nothing left to end
    assert start(room, T0) is room and room.face(T0) == "00:00"


def test_every_change_raises_the_revision() -> None:
    room = room3()
    changed = [start(room, T0), extend(room, 60), end_set(room, T0)]
    assert all(r.revision == room.revision + 1 for r in changed)
    assert start(start(room, T0), T0 + 5).revision == 1  # starting twice is one change


def test_a_clock_set_back_uses_no_time() -> None:
    room = start(room3(), T0)
    assert room.remaining(T0 - 3600) == 600.0


def test_the_room_round_trips_through_its_file(tmp_path: Path) -> None:
    room = extend(end_set(start(room3(), T0), T0 + 50), 120)
    path = write_room(tmp_path / "room.json", room)
    assert read_room(path) == room
    assert room_from_dict(json.loads(json.dumps(room_to_dict(room)))) == room


def test_the_room_is_made_from_the_banks_sets() -> None:
    bank = load_default_bank()
    room = new_room(bank.sets)
    assert [s.id for s in room.sets] == [s.id for s in bank.sets]
    assert all(s.budget > 0 for s in room.sets)


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(version=9),
        lambda d: d.update(sets=[]),
        lambda d: d.update(sets=[{"id": "a", "title": "A", "budget": float("nan")}]),
        lambda d: d["sets"][0].update(budget=1e300),
        lambda d: d["sets"][0].update(id=["not", "text"]),
        lambda d: d["sets"][0].update(title="x" * 10_000),
        lambda d: d.update(sets=[{"id": "a", "title": "A", "budget": 60}] * 2),
        lambda d: d.update(current="nowhere"),
        lambda d: d.update(ended=["nowhere"]),
        lambda d: d.update(clocks={"a": {"used": -5}}),
        lambda d: d.update(clocks={"a": {"used": True}}),
        lambda d: d.update(clocks={"zz": {}}),
        lambda d: d.update(clocks=[1, 2]),
        lambda d: d.update(revision="many"),
        lambda d: d.update(sets=[{"id": f"s{i}", "title": "t", "budget": 60} for i in range(500)]),
    ],
)
def test_a_hostile_or_broken_room_is_refused_with_a_reason(change: object) -> None:
    data = room_to_dict(room3())
    change(data)  # type: ignore[operator]
    with pytest.raises(RoomError):
        room_from_dict(data)


def test_a_file_too_big_or_not_json_is_refused_naming_the_file(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (70 * 1024))
    with pytest.raises(RoomError, match=r"big\.json"):
        read_room(big)
    junk = tmp_path / "junk.json"
    junk.write_bytes(b"\xff\xfe{")
    with pytest.raises(RoomError, match="not JSON"):
        read_room(junk)


def test_the_watcher_reads_only_changes_and_keeps_the_last_good_room(tmp_path: Path) -> None:
    path = tmp_path / "room.json"
    watcher = RoomWatcher(path)
    assert watcher.poll() and watcher.room is None and "not started" in (watcher.notice or "")
    assert not watcher.poll()  # still missing: nothing new
    room = start(room3(), T0)
    write_room(path, room)
    assert watcher.poll() and watcher.room == room and watcher.notice is None
    assert not watcher.poll()  # unchanged file: not read again
    path.write_text("{broken", encoding="utf-8")
    os.utime(path, ns=(1, 1))  # a different mtime whatever the file system's resolution
    assert watcher.poll()
    assert watcher.room == room  # the last good state stays
    assert "ignored" in (watcher.notice or "")
    write_room(path, end_set(room, T0 + 5))
    assert watcher.poll() and watcher.room is not None and watcher.room.current == "b"
    assert watcher.notice is None


def test_ending_a_set_skips_a_participants_open_questions_there_only() -> None:
    bank = load_default_bank()
    first, second = bank.sets[0], bank.sets[1]
    interview = Interview(bank)
    interview.answer("We roast coffee for cafes")
    room = end_set(new_room(bank.sets), T0)
    skipped = skip_ended(interview, room)
    assert skipped and all(bank.question(q).set_id == first.id for q in skipped)  # type: ignore[union-attr]
    current = interview.current
    assert current is not None and current.set_id == second.id
    assert interview.answers  # the answer given stays
    assert skip_ended(interview, room) == []  # nothing left to skip there


def test_a_question_being_edited_in_an_ended_set_stays_open() -> None:
    bank = load_default_bank()
    interview = Interview(bank)
    qid = interview.current.id  # type: ignore[union-attr]
    interview.answer("We roast coffee for cafes")
    interview.jump(qid)
    skip_ended(interview, end_set(new_room(bank.sets), T0))
    assert interview.current is not None and interview.current.id == qid


def test_names_sort_with_numbers_read_as_numbers():
    from canvas_tui.core.room.overview import natural

    names = ["Participant 10", "Participant 2", "participant 1", "Ana"]
    assert sorted(names, key=natural) == ["Ana", "participant 1", "Participant 2", "Participant 10"]
