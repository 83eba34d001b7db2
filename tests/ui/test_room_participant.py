"""A served participant in a `serve --workshop` room: the room's timer and "end the set".

The room file (DIR/room.json, core/room) is written here as the facilitator's command
would; the app's `room_tick` (once a second in the app) is called directly, and the
wall clock is a fake, so nothing waits for real time.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Digits

from canvas_tui.core.interview.bank_loader import load_default_bank
from canvas_tui.core.room import ROOM_FILE, end_set, extend, new_room, pause, start, write_room
from canvas_tui.serve.participant_app import build_app
from canvas_tui.serve.participants import Registry, participant_id
from canvas_tui.ui.screens.interview import InterviewScreen
from canvas_tui.ui.widgets.countdown import WorkshopCountdown
from tests.fakes import fake_infer
from tests.ui.conftest import NOW, answer, settle

T0 = 1_800_000_000.0


class WallClock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def workshop(tmp_path: Path) -> Path:
    folder = tmp_path / "workshop"
    (folder / "sessions").mkdir(parents=True)
    return folder


def room_app(workshop: Path, wall: WallClock, name: str = "Ana"):
    pid = participant_id("token-" + name)
    Registry(workshop).join(pid, name)
    app = build_app(workshop, pid, infer_fn=fake_infer, clock=lambda: NOW, room=True)
    app.wall_clock = wall
    return app


def countdown_text(app) -> tuple[str, str]:
    widget = app.screen.query_one(WorkshopCountdown)
    return widget.query_one("#countdown-label").render().plain, widget.query_one(Digits).value


async def test_the_participant_sees_the_rooms_timer_and_moves_on_when_the_set_ends(workshop):
    bank = load_default_bank()
    path = workshop / ROOM_FILE
    room = new_room(bank.sets)
    write_room(path, room)
    wall = WallClock()
    app = room_app(workshop, wall)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        countdown = app.screen.query_one(WorkshopCountdown)
        assert countdown.display  # shown: the app is in the room
        app.room_tick()
        label, _ = countdown_text(app)
        assert "paused the room's timer" in label  # not started yet
        assert f"Part 1 of {len(bank.sets)} · {bank.sets[0].title}" in label

        room = start(room, T0)
        write_room(path, room)
        wall.now = T0 + 60
        app.room_tick()
        label, face = countdown_text(app)
        budget = int(room.total())
        assert face == f"{(budget - 60) // 60:02d}:{(budget - 60) % 60:02d}"
        assert "for this part" in label

        bells: list[int] = []
        app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
        wall.now = T0 + budget + 1  # the room's time has run out
        app.room_tick()
        app.room_tick()
        assert bells == [1]  # one gentle signal, not one a second
        assert countdown_text(app)[1] == "+00:01"
        wall.now = T0 + 60

        room = extend(pause(room, T0 + 60), 300)  # the facilitator pauses and adds 5 min
        write_room(path, room)
        wall.now = T0 + 999
        app.room_tick()
        _, face = countdown_text(app)
        assert face == f"{(budget + 240) // 60:02d}:{(budget + 240) % 60:02d}"

        await answer(pilot, "We bake bread for the shop")
        first_answer = app.bench.current
        assert first_answer is not None and first_answer.set_id == bank.sets[0].id
        box = app.screen.query_one("#answer")
        box.insert("half a thought")  # typed, not sent, when the set ends

        write_room(path, end_set(room, T0 + 1000))
        app.room_tick()
        await settle(pilot)
        current = app.bench.current
        assert current is not None and current.set_id == bank.sets[1].id
        assert app.bench.session.answers  # the answer given stays
        assert app.bench.session.drafts.get(first_answer.id) == "half a thought"
        label, _ = countdown_text(app)
        assert f"Part 2 of {len(bank.sets)}" in label
        saved = app.store.load(app.bench.session.id)
        assert first_answer.id in saved.skipped  # saved at once

        app.action_toggle_workshop()  # no timer of one's own beside the room's
        await settle(pilot)
        assert app.bench.timers is None and not app.workshop


async def test_a_broken_room_file_is_ignored_with_a_notice_never_a_crash(workshop):
    bank = load_default_bank()
    path = workshop / ROOM_FILE
    room = start(new_room(bank.sets), T0)
    write_room(path, room)
    wall = WallClock()
    app = room_app(workshop, wall, "Bo")
    notices: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.room_tick()
        _, face_before = countdown_text(app)
        app.notify = lambda message, *a, **k: notices.append(message)  # type: ignore[method-assign]
        for hostile in ('{"version": 1, "sets": "x"}', "\x1b[2J not json", "[" * 100_000):
            path.write_text(hostile, encoding="utf-8")
            app.room_tick()
            await settle(pilot)
            assert app.bench.current is not None  # the app goes on
            assert countdown_text(app)[1] == face_before  # the last good room stays
        assert notices and all("ignored" in n for n in notices)
        assert len(notices) == len(set(notices))  # one notice per new problem, not per tick
