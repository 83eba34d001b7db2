"""`serve --workshop` and `canvas-tui room`: the room file at start, the argv, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from canvas_tui.cli import main
from canvas_tui.core.interview.bank_loader import load_default_bank
from canvas_tui.core.room import ROOM_FILE, end_set, new_room, read_room, write_room
from canvas_tui.serve.config import ServeError, banner, plan


def test_serve_workshop_writes_the_room_from_the_bank_and_participants_follow_it(tmp_path):
    config = plan(workspace=tmp_path / "w", workshop=True, environ={})
    room = read_room(tmp_path / "w" / ROOM_FILE)
    assert [s.id for s in room.sets] == [s.id for s in load_default_bank().sets]
    assert "--room" in config.app_argv("0" * 16) and "--room" in config.warm_argv()
    assert "canvas-tui room" in banner(config, 8000, qr=False)
    assert "--room" not in plan(workspace=tmp_path / "x", environ={}).app_argv("0" * 16)


def test_a_room_from_an_earlier_sitting_carries_on(tmp_path):
    folder = tmp_path / "w"
    folder.mkdir()
    ended = end_set(new_room(load_default_bank().sets), 0.0)
    write_room(folder / ROOM_FILE, ended)
    plan(workspace=folder, workshop=True, environ={})
    assert read_room(folder / ROOM_FILE) == ended


def test_serve_refuses_a_broken_room_file_naming_it(tmp_path):
    folder = tmp_path / "w"
    folder.mkdir()
    (folder / ROOM_FILE).write_text("{nope", encoding="utf-8")
    with pytest.raises(ServeError) as info:
        plan(workspace=folder, workshop=True, environ={})
    assert ROOM_FILE in str(info.value) and "delete it" in str(info.value)


def test_room_command_bad_folder_is_one_line_exit_2(tmp_path, capsys):
    assert main(["room", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "missing" in err and "Traceback" not in err


def test_room_command_broken_room_file_is_one_line_exit_2(tmp_path: Path, capsys):
    (tmp_path / ROOM_FILE).write_text('{"version": 1, "sets": 7}', encoding="utf-8")
    assert main(["room", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and ROOM_FILE in err
