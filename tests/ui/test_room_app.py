"""`canvas-tui room DIR`, the facilitator's view (ui/room_app.py), driven with Pilot.

The keys change DIR/room.json (what every participant's app follows); the view shows
who joined, progress per set, flagged assumptions and the merged canvas. A fake wall
clock: nothing waits for real time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Digits

from canvas_tui.core.interview.bank_loader import load_default_bank
from canvas_tui.core.interview.engine import Interview
from canvas_tui.core.interview.session import Session, SessionStore
from canvas_tui.core.room import ROOM_FILE, new_room, read_room, write_room
from canvas_tui.ui.room_app import RoomApp
from canvas_tui.ui.screens.dialogs import ConfirmDialog
from tests.ui.conftest import settle

T0 = 1_800_000_000.0
HOSTILE = "[bold]Eve[/] \x1b]0;pwned\x07"


class WallClock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def room_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "workshop"
    store = SessionStore(folder)
    bank = load_default_bank()
    questions = [q.id for s in bank.sets for q in s.questions]
    people = [
        ("ana", "Ana", ["We roast coffee beans and sell them to cafes", "Cafe owners"], True),
        ("bo", "Bo", ["A coffee subscription delivered to homes", "Busy families", "Fast"], True),
        ("eve", HOSTILE, ["Roasting specialty coffee for restaurants"], False),
    ]
    for n, (sid, name, answers, flag) in enumerate(people):
        session = Session(id=f"s-{sid}", title=name, created=f"2026-03-02T10:0{n}:00Z")
        session.answers.update(zip(questions, answers, strict=False))
        if flag:
            session.assumptions = [questions[0]]
        store.save(session)
    write_room(folder / ROOM_FILE, new_room(bank.sets))
    return folder


async def test_the_facilitator_runs_the_rooms_timer_and_ends_the_set(room_folder):
    wall = WallClock()
    app = RoomApp(room_folder, clock=wall)
    path = room_folder / ROOM_FILE
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        await pilot.press("space")
        room = read_room(path)
        assert room.running and room.clock().started_at == T0
        wall.now = T0 + 90
        await pilot.press("plus")
        assert read_room(path).clock().added == 300.0
        app.tick()
        budget = int(room.total()) + 300 - 90
        assert (
            app.query_one("#timer-digits", Digits).value == f"{budget // 60:02d}:{budget % 60:02d}"
        )
        await pilot.press("space")
        assert not read_room(path).running
        await pilot.press("e")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        room = read_room(path)
        assert room.current == room.sets[1].id and room.ended == (room.sets[0].id,)
        assert "Part 2 of" in app.query_one("#timer-label").render().plain


async def test_the_view_shows_who_joined_their_progress_and_flags(room_folder):
    app = RoomApp(room_folder, clock=WallClock())
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        table = app.query_one("#people", DataTable)
        assert table.row_count == 3
        names = [table.get_row_at(i)[0].plain for i in range(3)]
        assert names[:2] == ["Ana", "Bo"]
        assert "\x1b" not in names[2] and "\x07" not in names[2]  # control characters replaced
        bank = load_default_bank()
        total = Interview(bank, {}).progress(bank.sets[0]).total  # the questions that apply
        assert table.get_row_at(1)[1].plain == f"3/{total}"
        table.move_cursor(row=2)
        app.refresh_people()  # the same sessions read again: the cursor stays
        await settle(pilot)
        assert table.cursor_coordinate.row == 2
        flags = app.query_one("#assumptions").render().plain
        assert "Assumptions to validate (2)" in flags and "subscription" in flags
        merged = app.query_one("#merged").render().plain
        assert "canvases so far" in merged and "of 3" in merged
        # where the room splits, by name (Bo promises speed), not a
        # count that adds disagreements of every kind
        assert "Split on: Value promise" in merged and "disagreement(s)" not in merged


async def test_a_broken_room_file_is_said_and_changes_nothing(room_folder):
    path = room_folder / ROOM_FILE
    path.write_text('{"version": 1, "sets": [], "x": "\x1b[2J"}', encoding="utf-8")
    app = RoomApp(room_folder, clock=WallClock())
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        assert "ignored" in app.query_one("#timer-label").render().plain
        await pilot.press("space")
        await settle(pilot)
        assert "\x1b[2J" in path.read_text(encoding="utf-8")  # not overwritten blindly


def test_room_snapshot(snap_compare, room_folder):
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    app = RoomApp(room_folder, clock=WallClock())
    assert snap_compare(app, terminal_size=(120, 32), run_before=run_before)
