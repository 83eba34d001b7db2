"""Pilot tests of workshop mode: the countdown per question set (a fake clock: nothing
sleeps), pause and more time, the gentle signal at zero that cuts nothing off, the runtime
toggle; facilitator notes and the assumption flag (both modes), saved and exported."""

from __future__ import annotations

import tomllib

from textual.widgets import Digits, Input

from canvas_tui.core.interview.session import Session
from canvas_tui.ui.screens.dialogs import NoteDialog
from canvas_tui.ui.screens.export import ExportDialog
from canvas_tui.ui.widgets.answer_box import AnswerBox
from canvas_tui.ui.widgets.countdown import TIMES_UP, WorkshopCountdown
from canvas_tui.ui.widgets.transcript import AnswerBubble, FacilitatorNote
from tests.ui.conftest import answer, new_session, settle


class FakeClock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def countdown_of(app) -> WorkshopCountdown:
    return app.screen.query_one(WorkshopCountdown)


def digits(app) -> str:
    return countdown_of(app).query_one(Digits).value


def label(app) -> str:
    return countdown_of(app).query_one("#countdown-label").render().plain


async def test_countdown_shown_in_workshop_mode_only(app_factory, store):
    clock = FakeClock()
    app = app_factory(session=new_session(store), workshop=True, timer_clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        countdown = countdown_of(app)
        assert app.has_class("-workshop") and countdown.display
        assert countdown.region.height == 3  # laid out, not only styled
        assert not app.screen.query_one("SetProgress").display  # the countdown names the part
        assert "Part 1 of 4 · Value proposition" in label(app)
        assert digits(app) == "10:00"  # the default bank suggests 10 minutes here
        clock.advance(75)
        app.screen.tick()
        await pilot.pause()
        assert digits(app) == "08:45"
        assert "10 min for this part" in label(app)

    plain = app_factory(session=new_session(store, session_id="s-plain"), timer_clock=clock)
    async with plain.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert not plain.has_class("-workshop")
        assert not countdown_of(plain).display
        assert plain.screen.query_one("SetProgress").display
        assert plain.bench.timers is None
        # no countdown keys in normal mode
        assert not plain.screen.check_action("toggle_timer", ())
        await pilot.press("ctrl+r", "f5")
        await settle(pilot)
        assert plain.bench.timers is None and store.load("s-plain").timers == {}


def footer_label(app, key: str) -> str | None:
    shown = app.screen.active_bindings.get(key)
    return shown.binding.description if shown is not None and shown.binding.show else None


async def test_pause_resume_and_more_time_are_saved(app_factory, store):
    clock = FakeClock()
    session = new_session(store)
    app = app_factory(session=session, workshop=True, timer_clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        clock.advance(30)
        await pilot.press("ctrl+r")  # pause, while the answer box has the focus
        await settle(pilot)
        assert app.bench.timers.paused
        assert "Paused" in label(app) and countdown_of(app).has_class("-paused")
        assert footer_label(app, "ctrl+r") == "Resume"  # the footer says what Ctrl+R does now
        assert store.load(session.id).timers == {"value_proposition": 30.0}  # saved on pause
        clock.advance(500)  # paused: not counted
        app.screen.tick()
        assert digits(app) == "09:30"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert not app.bench.timers.paused
        assert footer_label(app, "ctrl+r") == "Pause"
        clock.advance(10)
        await pilot.press("f5")  # one more minute
        await settle(pilot)
        assert digits(app) == "10:20"
        assert "11 min for this part" in label(app)
        await pilot.press("shift+f5")  # five more
        await settle(pilot)
        assert digits(app) == "15:20"
        saved = store.load(session.id)
        assert saved.time_added == {"value_proposition": 360.0}
        assert saved.timers == {"value_proposition": 40.0}


async def test_typing_letters_still_goes_into_the_answer(app_factory, store):
    app = app_factory(session=new_session(store), workshop=True, timer_clock=FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"fresh rye", "space", *"+5", "space", *"[bold]")
        await pilot.pause()
        assert app.screen.query_one(AnswerBox).text == "fresh rye +5 [bold]"
        assert not app.bench.timers.paused
        assert app.bench.session.notes == {} and app.bench.session.assumptions == []


async def test_time_up_rings_once_and_cuts_nothing_off(app_factory, store):
    clock = FakeClock()
    session = new_session(store)
    app = app_factory(session=session, workshop=True, timer_clock=clock)
    bells: list[int] = []
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        clock.advance(599)
        app.screen.tick()
        assert bells == [] and not countdown_of(app).has_class("-times-up")
        clock.advance(1)
        app.screen.tick()
        await pilot.pause()
        assert bells == [1]
        assert countdown_of(app).has_class("-times-up")
        assert TIMES_UP in label(app)
        clock.advance(70)
        app.screen.tick()
        app.screen.tick()
        assert bells == [1]  # once
        assert digits(app) == "+01:10"  # counting on, past zero
        await pilot.press("ctrl+r")  # a pause past zero says so (and stays in warning colour)
        await settle(pilot)
        assert "Paused" in label(app) and TIMES_UP not in label(app)
        assert countdown_of(app).has_class("-times-up")
        await pilot.press("ctrl+r")
        await settle(pilot)
        # the answer box still takes an answer, and Enter still sends it
        box = app.screen.query_one(AnswerBox)
        assert not box.disabled and not box.read_only
        await answer(pilot, "We bake sourdough")
        assert store.load(session.id).answers["value_proposition.offer"] == "We bake sourdough"
        # a minute is not enough (70 s over): still time's up, no second signal
        await pilot.press("f5")
        await settle(pilot)
        assert countdown_of(app).has_class("-times-up") and digits(app) == "+00:10"
        # five more re-arm the signal: it rings again when that runs out too
        await pilot.press("shift+f5")
        await settle(pilot)
        assert not countdown_of(app).has_class("-times-up") and digits(app) == "04:50"
        assert bells == [1]
        clock.advance(290)
        app.screen.tick()
        assert bells == [1, 1]


async def test_the_countdown_moves_with_the_set_and_resumes(app_factory, store):
    clock = FakeClock()
    session = new_session(store)
    session.timers["value_proposition"] = 500.0
    store.save(session)
    app = app_factory(session=session, workshop=True, timer_clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert digits(app) == "01:40"  # a resumed workshop continues where it was
        await answer(pilot, "We bake sourdough")
        clock.advance(20)
        while app.bench.current.set_id == "value_proposition":
            await pilot.press("ctrl+n")
            await settle(pilot)
        assert app.bench.timers.current_id == "channels"
        assert "Part 2 of 4 · Channels" in label(app)
        assert digits(app) == "08:00"  # the bank suggests 8 minutes for channels
        assert store.load(session.id).timers == {"value_proposition": 520.0}
        clock.advance(5)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert store.load(session.id).timers == {"value_proposition": 520.0, "channels": 5.0}


async def test_workshop_mode_can_be_turned_on_and_off(app_factory, store):
    clock = FakeClock()
    session = new_session(store)
    app = app_factory(session=session, timer_clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Workshop mode on" in titles
        app.action_toggle_workshop()
        await settle(pilot)
        assert app.has_class("-workshop") and countdown_of(app).display
        assert app.bench.timers is not None and digits(app) == "10:00"
        assert "Workshop mode off" in [c.title for c in app.get_system_commands(app.screen)]
        clock.advance(12)
        app.action_toggle_workshop()
        await settle(pilot)
        assert not app.has_class("-workshop") and not countdown_of(app).display
        assert app.bench.timers is None
        assert store.load(session.id).timers == {"value_proposition": 12.0}


async def test_a_facilitator_note_is_saved_and_is_not_an_answer(app_factory, store):
    session = new_session(store)
    app = app_factory(session=session)  # notes work outside workshop mode too
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await answer(pilot, "We bake sourdough")
        qid = app.bench.current.id  # the question being asked
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*"[bold]x[/] quiet group")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, NoteDialog)
        saved = store.load(session.id)
        assert saved.notes == {qid: "[bold]x[/] quiet group"}
        assert qid not in saved.answers and saved.answers == {
            "value_proposition.offer": "We bake sourdough"
        }
        assert app.bench.current.id == qid  # still asked: a note answers nothing
        [note] = app.screen.query(FacilitatorNote)
        assert note.render().plain == "📝 Facilitator note: [bold]x[/] quiet group"
        assert len(app.screen.query(AnswerBubble)) == 1
        # editing it opens it pre-filled; emptying it removes it
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert app.screen.query_one("#note").text == "[bold]x[/] quiet group"
        app.screen.query_one("#note").text = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert store.load(session.id).notes == {}
        assert not app.screen.query(FacilitatorNote)
        # Escape cancels without saving
        await pilot.press("ctrl+f")
        await settle(pilot)
        await pilot.press(*"draft", "escape")
        await settle(pilot)
        assert store.load(session.id).notes == {}


async def test_assumption_flag_is_saved_shown_and_exported(
    app_factory, store, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    session = Session(id="s-flag", title="Flag Co")
    store.save(session)
    app = app_factory(session=session, workshop=True, timer_clock=FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert not app.screen.check_action("assumption", ())  # nothing answered yet
        await answer(pilot, "We bake sourdough")
        await answer(pilot, "Cafés nearby")
        await pilot.press("f9")  # the last answer
        await settle(pilot)
        assert store.load(session.id).assumptions == ["value_proposition.customers"]
        bubbles = list(app.screen.query(AnswerBubble))
        assert "assumption — to validate" in bubbles[1].render().plain
        assert "assumption" not in bubbles[0].render().plain
        # the answer in focus is the one flagged
        bubbles[0].focus()
        await pilot.press("f9")
        await settle(pilot)
        assert store.load(session.id).assumptions == [
            "value_proposition.customers",
            "value_proposition.offer",
        ]
        await pilot.press("f9")  # again: unflagged
        await settle(pilot)
        assert store.load(session.id).assumptions == ["value_proposition.customers"]
        app.screen.query_one(AnswerBox).focus()
        await pilot.press("ctrl+f")
        await settle(pilot)
        await pilot.press(*"ask five cafes", "ctrl+s")
        await settle(pilot)
        # exported: the canvas file and the Markdown list them
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.query_one("#path", Input).value == "flag-co.toml"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        app.screen.query_one("#fmt-md").value = True
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
    data = tomllib.loads((tmp_path / "flag-co.toml").read_text(encoding="utf-8"))
    assert data["assumptions"] == ["value_proposition.customers"]
    asked = "value_proposition.promise"  # the question asked when the note was written
    assert data["notes"] == {asked: "ask five cafes"}
    assert asked not in data["answers"]
    markdown = (tmp_path / "flag-co.md").read_text(encoding="utf-8")
    assert "## Assumptions to validate" in markdown and "Cafés nearby" in markdown
    assert "## Facilitator notes" in markdown and "ask five cafes" in markdown


async def test_keys_are_in_the_footer_help_and_palette(app_factory, store):
    app = app_factory(session=new_session(store), workshop=True, timer_clock=FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await answer(pilot, "We bake sourdough")
        footer = {b.binding.action for b in app.screen.active_bindings.values() if b.binding.show}
        assert {"note", "assumption", "toggle_timer"} <= footer
        assert all(app.screen.check_action(a, ()) for a in ("note", "assumption", "toggle_timer"))
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for title in ("Note", "Assumption", "Pause", "+1 min", "+5 min", "Workshop mode off"):
            assert title in titles
        await pilot.press("f1")
        await pilot.pause()
        text = "\n".join(w.render().plain for w in app.screen.query("Static"))
        for key in ("Ctrl+F", "F9", "Ctrl+R", "F5", "⇧F5", "Workshop mode on or off"):
            assert key in text


async def test_no_countdown_runs_once_every_part_is_done(app_factory, store):
    clock = FakeClock()
    session = new_session(store)
    app = app_factory(session=session, workshop=True, timer_clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        while app.bench.current is not None:
            await pilot.press("ctrl+n")
            await settle(pilot)
        assert app.bench.timers.current is None
        assert "Every part is answered" in label(app)
        assert not countdown_of(app).query_one(Digits).display  # no digits to show
        used = app.bench.timers.used()
        clock.advance(3600)
        app.screen.tick()  # nothing runs
        assert app.bench.timers.used() == used
