"""A served participant's app (canvas_tui.serve.participant_app), driven with Pilot.

Issue 12: a participant's export file name is a name, not a path; exports land only in
their own export folder, never in sessions/ or a neighbour's file; the dialog never shows
the server's paths. Issue 15: the participant comes back to their own canvas, named after
them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input

from canvas_tui.core.interview.session import SessionStore
from canvas_tui.serve.participant_app import ParticipantExportDialog, build_app
from canvas_tui.serve.participants import Registry, participant_id
from canvas_tui.ui.app import CanvasApp
from canvas_tui.ui.screens.dialogs import ConfirmDialog
from tests.fakes import fake_infer
from tests.ui.conftest import NOW, settle


@pytest.fixture
def workshop(tmp_path: Path) -> Path:
    folder = tmp_path / "workshop"
    (folder / "sessions").mkdir(parents=True)
    return folder


def joined(workshop: Path, name: str, token: str) -> str:
    pid = participant_id(token)
    Registry(workshop).join(pid, name)
    return pid


def participant_app(workshop: Path, pid: str, monkeypatch=None):
    return build_app(workshop, pid, infer_fn=fake_infer, clock=lambda: NOW)


def plain(widget) -> str:
    return widget.render().plain


async def test_a_participant_cannot_export_into_sessions_or_outside_their_folder(
    workshop, monkeypatch
):
    delivered: list[str] = []
    monkeypatch.setattr(CanvasApp, "is_web", property(lambda self: True))
    monkeypatch.setattr(
        CanvasApp, "deliver_text", lambda self, path, **kw: delivered.append(kw["save_filename"])
    )
    victim = build_app(workshop, joined(workshop, "Vic", "token-v"), infer_fn=fake_infer)
    victim_file = workshop / "sessions" / f"{victim.config.session.id}.json"
    before = victim_file.read_bytes()
    neighbour = workshop / "exports" / "vic" / "canvas.toml"
    neighbour.parent.mkdir(parents=True, exist_ok=True)
    neighbour.write_text("Vic's export", encoding="utf-8")

    app = participant_app(workshop, joined(workshop, "Mallory", "token-m"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ParticipantExportDialog)
        where = plain(dialog.query_one("#where"))
        assert str(workshop) not in where and "/" not in where
        for hostile in (
            f"sessions/{victim.config.session.id}.json",
            f"../../sessions/{victim.config.session.id}.json",
            "../vic/canvas.toml",
            str(victim_file),
            "..",
            ".",
            "sub\\file.toml",
            ".hidden.toml",
            "a\x1b]0;x\x07.toml",
        ):
            dialog.query_one("#path", Input).value = hostile
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen is dialog, hostile  # refused: no confirmation, no write
            error = plain(dialog.query_one("#error"))
            assert error and str(workshop) not in error, (hostile, error)
        assert victim_file.read_bytes() == before
        assert not (workshop / "sessions" / "corrupt").exists()
        assert neighbour.read_text(encoding="utf-8") == "Vic's export"

        dialog.query_one("#path", Input).value = "my canvas.toml"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ParticipantExportDialog)
        mine = workshop / "exports" / "mallory" / "my canvas.toml"
        assert mine.is_file() and delivered == ["my canvas.toml"]

        # again: the replace prompt names the file, not the server's path
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one("#path", Input).value = "my canvas.toml"
        await pilot.press("enter")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmDialog)
        shown = " ".join(plain(w) for w in confirm.query("Static, Label"))
        assert "my canvas.toml" in shown and str(workshop) not in shown
        await pilot.press("y")
        await settle(pilot)
    assert victim_file.read_bytes() == before


async def test_a_participant_comes_back_to_their_own_canvas(workshop):
    pid = joined(workshop, "Alex", "token-a")
    other = joined(workshop, "Bo", "token-b")
    build_app(workshop, other, infer_fn=fake_infer)  # a neighbour's canvas, newer
    first = participant_app(workshop, pid)
    async with first.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        session = first.bench.session
        assert session.title == "Alex"
    assert Registry(workshop).get(pid).sessions == [session.id]
    again = participant_app(workshop, pid)  # a reload: a new process, the same canvas
    assert again.config.session.id == session.id
    assert len(SessionStore(workshop).sessions()) == 2  # Alex's and Bo's, no new one
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert again.bench.session.id == session.id and not again.bench.read_only
        assert again.own_sessions == {session.id}  # the welcome list shows only theirs


async def test_a_new_canvas_is_recorded_as_the_participants(workshop):
    pid = joined(workshop, "Alex", "token-a")
    app = participant_app(workshop, pid)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")  # home: the welcome screen, then a new canvas
        await settle(pilot)
        title = app.screen.query_one("#title", Input)
        title.value = "Second idea"
        title.focus()
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        session = app.bench.session
        assert session.title == "Second idea"
    record = json.loads((workshop / "participants" / f"{pid}.json").read_text())
    assert record["sessions"][-1] == session.id and len(record["sessions"]) == 2


async def test_in_a_browser_keys_the_browser_keeps_are_moved_and_shown(workshop):
    """Ctrl+N and Ctrl+T never reach a page: skip and tips get Ctrl+D and Ctrl+E."""
    app = participant_app(workshop, joined(workshop, "Alex", "token-a"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        keys = {b.binding.key: b.binding.description for b in app.screen.active_bindings.values()}
        assert keys.get("ctrl+d") == "Skip" and keys.get("ctrl+e") == "Tips"
        assert "ctrl+n" not in keys and "ctrl+t" not in keys
        footer = " ".join(w.render().plain for w in app.screen.query("FooterKey"))
        assert "^d" in footer and "Skip" in footer and "^n" not in footer
        first = app.bench.current.id
        await pilot.press("ctrl+d")  # with the answer box focused: its own Ctrl+D loses
        await settle(pilot)
        assert app.bench.current.id != first and first in app.bench.session.skipped
        tips = app.screen.show_tips
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert app.screen.show_tips is not tips
        await pilot.press("ctrl+n")  # the terminal key does nothing here any more
        await settle(pilot)
        assert first in app.bench.session.skipped and len(app.bench.session.skipped) == 1


async def test_in_a_browser_help_and_messages_name_the_browser_keys(workshop):
    from canvas_tui.ui.screens.help import HelpScreen

    app = participant_app(workshop, joined(workshop, "Alex", "token-a"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # an empty answer: the hint names the skip key
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("Ctrl+D to skip" in m for m in messages), messages
        assert not any("Ctrl+N" in m for m in messages)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        keys = [w.render().plain for w in app.screen.query(".key")]
        assert "Ctrl+D" in keys and "Ctrl+E" in keys
        assert "Ctrl+N" not in keys and "Ctrl+T" not in keys
