"""Issue 12 in the app: saves that fail are said (and the answer kept), a session open in
another process is read-only here, Enter then Ctrl+Q saves the answer, answers over the
limit are refused before sending, control characters from data never reach the terminal,
and the toolkit's own crashes (Ctrl+P races, random key bursts) stay fixed."""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap

import pytest
from textual import events

from canvas_tui.core.errors import OutputError
from canvas_tui.core.interview.answers import MAX_ANSWER_CHARS
from canvas_tui.ui.screens.interview import InterviewScreen
from canvas_tui.ui.widgets.answer_box import AnswerBox
from tests.ui.conftest import answer, new_session, settle

HOLDER = textwrap.dedent(
    """
    import sys
    from canvas_tui.core.interview.session import SessionStore
    store = SessionStore(sys.argv[1])
    store.open(sys.argv[2])
    print("locked", flush=True)
    sys.stdin.readline()
    """
)


def _notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_a_full_disk_is_said_the_answer_kept_and_saving_retried(
    app_factory, store, monkeypatch
):
    session = new_session(store)
    app = app_factory(session=session)
    real_save = type(store).save
    failing = {"on": True}

    def save(self, s):
        if failing["on"]:
            raise OutputError("cannot write: No space left on device", file="x.json")
        return real_save(self, s)

    monkeypatch.setattr(type(store), "save", save)
    async with app.run_test(size=(100, 30)) as pilot:
        await answer(pilot, "We bake bread")
        assert isinstance(app.screen, InterviewScreen)  # no traceback, no exit
        assert app.bench.session.answers["value_proposition.offer"] == "We bake bread"
        assert app.bench.save_problem == "cannot write: No space left on device"
        assert any("No space left" in n and "kept here" in n for n in _notices(app))
        assert app._save_retry is not None  # retried on a timer
        failing["on"] = False
        app._retry_save()
        await settle(pilot)
        assert app.bench.save_problem is None
        assert any("saved again" in n for n in _notices(app))
    assert store.load(session.id).answers["value_proposition.offer"] == "We bake bread"


async def test_a_failed_save_offers_to_save_elsewhere_and_that_works(
    app_factory, store, monkeypatch, tmp_path
):
    """The other half of "the app says it cannot save ... and offers to save elsewhere":
    the notice names Ctrl+S, and Ctrl+S writes the canvas, with the answer, to a file."""
    from canvas_tui.ui.screens.export import ExportDialog

    monkeypatch.chdir(tmp_path)

    def save(self, s):
        raise OutputError("cannot write: No space left on device", file="x.json")

    session = new_session(store)
    monkeypatch.setattr(type(store), "save", save)
    app = app_factory(session=session)
    async with app.run_test(size=(100, 30)) as pilot:
        await answer(pilot, "We bake bread")
        assert any("Ctrl+S saves the canvas" in n and "elsewhere" in n for n in _notices(app))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        app.screen.query_one("#path").value = "rescued.toml"
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert "We bake bread" in (tmp_path / "rescued.toml").read_text(encoding="utf-8")


async def test_the_session_path_replaced_by_a_folder_is_said_not_crashed(app_factory, store):
    session = new_session(store)
    app = app_factory(session=session)
    async with app.run_test(size=(100, 30)) as pilot:
        path = store.path(session.id)
        path.unlink()
        path.mkdir()
        await answer(pilot, "We bake bread")
        assert isinstance(app.screen, InterviewScreen)
        assert "is a folder" in app.bench.save_problem
        assert app.bench.session.answers["value_proposition.offer"] == "We bake bread"
        await pilot.press("ctrl+q")  # asks first: the change is not saved
        await settle(pilot)
        assert app.is_running
        assert any("Ctrl+Q again" in n for n in _notices(app))


async def test_a_session_open_in_another_process_is_read_only_here(app_factory, store):
    session = new_session(store)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(store.root), session.id],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        app = app_factory(session=store.load(session.id))
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert app.bench.read_only and "open in another canvas-tui" in app.bench.read_only
            assert any("read-only" in n for n in _notices(app))
            await answer(pilot, "We bake bread")
            assert app.bench.session.answers["value_proposition.offer"] == "We bake bread"
            assert app.bench.save_problem.startswith("read-only")
        assert store.load(session.id).answers == {}  # the other writer's file untouched
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
        holder.stdout.close()


async def test_enter_then_ctrl_q_at_once_saves_the_answer_on_its_question(app_factory, store):
    session = new_session(store)
    app = app_factory(session=session)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        box = app.screen.query_one(AnswerBox)
        box.insert("We bake bread")
        app.post_message(events.Key("enter", None))
        app.post_message(events.Key("ctrl+q", None))
        await pilot.pause()
    saved = store.load(session.id)
    assert saved.answers.get("value_proposition.offer") == "We bake bread"
    assert saved.drafts == {}


async def test_an_answer_over_the_limit_is_refused_before_sending(app_factory, store):
    session = new_session(store)
    app = app_factory(session=session)
    long = "word " * (MAX_ANSWER_CHARS // 5 + 1)
    async with app.run_test(size=(100, 30)) as pilot:
        await answer(pilot, long)
        assert "value_proposition.offer" not in app.bench.session.answers
        assert app.screen.query_one(AnswerBox).text == long  # still in the box
        assert any("at most 20,000" in n for n in _notices(app))
        await pilot.press("ctrl+q")
    assert store.load(session.id).drafts == {"value_proposition.offer": long}


async def test_control_characters_from_data_never_reach_the_screen_raw(app_factory, store):
    session = new_session(store, title="Evil\x1b]0;owned\x07")
    session.answers["value_proposition.offer"] = "We bake\x1b[2J bread"
    store.save(session)
    app = app_factory(session=store.load(session.id))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.export_screenshot()
        assert "\x1b" not in screen and "\x07" not in screen
        assert "␛[2J" in screen


def test_the_strip_guard_replaces_control_characters_in_segments():
    from rich.console import Console
    from rich.segment import Segment
    from textual.strip import Strip

    from canvas_tui.ui import terminal_guard

    terminal_guard.install()
    out = Strip([Segment("a\x1b[2Jb\x9b")]).render(Console())
    assert out == "a␛[2Jb\ufffd"


async def test_command_palette_then_page_down_at_once_does_not_crash(app_factory, store):
    app = app_factory(session=new_session(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.post_message(events.Key("ctrl+p", None))
        app.post_message(events.Key("pagedown", None))
        app.post_message(events.Key("pageup", None))
        await settle(pilot)
        assert app.is_running


@pytest.mark.parametrize("with_session", [True, False])
async def test_command_palette_then_enter_enter_enter_does_not_crash(
    app_factory, store, with_session
):
    app = app_factory(session=new_session(store)) if with_session else app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press("enter", "enter", "enter")
        await settle(pilot)
        assert app.is_running


KEYS = [
    "ctrl+p", "pagedown", "pageup", "enter", "escape", "tab", "shift+tab", "up", "down",
    "left", "right", "home", "end", "f1", "f2", "f3", "f4", "ctrl+n", "ctrl+b", "ctrl+l",
    "ctrl+o", "backspace", "space", "a", "b", "1", "?", "ctrl+e", "ctrl+k", "delete",
]  # fmt: skip


async def test_random_key_bursts_do_not_crash_the_app(app_factory, store):
    """A seeded fuzz: a few hundred random keys, in bursts, against a Pilot app (never
    Ctrl+Q or Ctrl+S: quitting and writing files are tested elsewhere)."""
    rng = random.Random(12)
    app = app_factory(session=new_session(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for _ in range(30):
            for _ in range(rng.randint(3, 15)):
                key = rng.choice(KEYS)
                app.post_message(events.Key(key, key if len(key) == 1 else None))
            await pilot.pause()
        await settle(pilot)
        assert app.is_running and app.return_code is None
