"""Keys that arrive in one burst (a terminal multiplexer, a paste, a fast typist) must land
on the question they were typed for: one Enter answers one question, text typed while an
answer is being processed belongs to the next question, and nothing typed is lost.

`burst` hands every key to the driver at once, as a terminal delivers a typed answer and
Enter in one read; `pilot.press` would wait for the app to go idle after each key. A gated
inference holds an answer "being processed" for as long as a test needs, without sleeping.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from typing import Any

import pytest
from textual import events

from canvas_tui.core.inference.infer import Inference
from canvas_tui.core.interview.session import SessionStore
from canvas_tui.ui.app import CanvasApp
from canvas_tui.ui.widgets.answer_box import AnswerBox
from tests.fakes import fake_infer
from tests.ui.conftest import new_session, settle

OFFER = "value_proposition.offer"
CUSTOMERS = "value_proposition.customers"
PROMISE = "value_proposition.promise"


def burst(app: CanvasApp, text: str = "", *, enter: bool = True, enters: int = 1) -> None:
    """Every key of `text` (then Enter) handed to the app at once, no pause between."""
    assert app._driver is not None
    for char in text:
        app._driver.send_message(events.Key("space" if char == " " else char, char))
    for _ in range(enters if enter else 0):
        app._driver.send_message(events.Key("enter", "\r"))


class Gate:
    """An inference that waits at a gate: the test knows when an answer is being processed
    and decides when it is done (threading events, no sleeps)."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.open = threading.Event()
        self.open.set()

    def hold(self) -> None:
        self.entered.clear()
        self.open.clear()

    def __call__(self, answers: Mapping[str, str], catalogue: object, **kwargs: Any) -> Inference:
        if answers:  # the warm-up runs with no answers: never held
            self.entered.set()
            assert self.open.wait(10), "the test never opened the gate"
        return fake_infer(answers, catalogue, **kwargs)


async def wait_for(event: threading.Event) -> None:
    import asyncio

    assert await asyncio.to_thread(event.wait, 10)


def saved(store: SessionStore, session_id: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(store.path(session_id).read_text(encoding="utf-8"))
    return data


async def test_a_burst_answer_lands_on_its_own_question_only(app_factory, store):
    session = new_session(store)
    app = app_factory(session=session)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        burst(app, "we repair bikes at your door")
        await settle(pilot)
        burst(app, "commuters")
        await settle(pilot)
        answers = app.bench.session.answers
        assert answers == {OFFER: "we repair bikes at your door", CUSTOMERS: "commuters"}
        assert app.bench.session.drafts == {}
        assert app.screen.query_one(AnswerBox).text == ""
        data = saved(store, session.id)
        assert data["answers"] == answers
        assert data["drafts"] == {}


async def test_a_doubled_enter_answers_one_question(app_factory, store):
    """A bouncing key or a terminal that sends Enter twice: the second Enter finds the same
    answer still in the box, and must not send it again as the next question's answer."""
    session = new_session(store)
    gate = Gate()
    app = app_factory(session=session, infer_fn=gate)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        gate.hold()
        burst(app, "we repair bikes at your door", enters=2)
        await wait_for(gate.entered)
        await pilot.pause()
        gate.open.set()
        await settle(pilot)
        assert app.bench.session.answers == {OFFER: "we repair bikes at your door"}
        assert app.bench.current is not None and app.bench.current.id == CUSTOMERS
        assert app.bench.session.drafts == {}
        assert saved(store, session.id)["answers"] == {OFFER: "we repair bikes at your door"}


async def test_an_answer_typed_while_the_last_one_is_processed_answers_the_next(app_factory, store):
    session = new_session(store)
    gate = Gate()
    app = app_factory(session=session, infer_fn=gate)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        gate.hold()
        burst(app, "we repair bikes at your door")
        await wait_for(gate.entered)  # the first answer is being processed...
        burst(app, "commuters")  # ...while the next one is typed and sent
        await pilot.pause()
        gate.open.set()
        await settle(pilot)
        await settle(pilot)
        answers = app.bench.session.answers
        assert answers == {OFFER: "we repair bikes at your door", CUSTOMERS: "commuters"}
        assert app.bench.current is not None and app.bench.current.id == PROMISE
        assert app.screen.query_one(AnswerBox).text == ""
        assert app.bench.session.drafts == {}
        assert saved(store, session.id)["answers"] == answers


async def test_text_typed_while_an_answer_is_processed_stays_for_the_next_question(
    app_factory, store
):
    session = new_session(store)
    gate = Gate()
    app = app_factory(session=session, infer_fn=gate)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        gate.hold()
        burst(app, "we repair bikes at your door")
        await wait_for(gate.entered)
        burst(app, "commu", enter=False)  # typing the next answer, not sent yet
        await pilot.pause()
        gate.open.set()
        await settle(pilot)
        assert app.bench.session.answers == {OFFER: "we repair bikes at your door"}
        box = app.screen.query_one(AnswerBox)
        assert box.text == "commu"  # kept in the box, for the question now asked
        # the draft is saved for the question it was typed for, never for the one answered
        app.screen._save_draft()
        await settle(pilot)
        assert app.bench.session.drafts == {CUSTOMERS: "commu"}
        assert saved(store, session.id)["drafts"] == {CUSTOMERS: "commu"}


async def test_the_draft_belongs_to_the_question_the_box_was_filled_for(app_factory, store):
    """A draft timer that fires while the next question is being set up saves nothing
    under it: the box's text is the answer just sent, not the next question's draft."""
    session = new_session(store)
    gate = Gate()
    app = app_factory(session=session, infer_fn=gate)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        gate.hold()
        burst(app, "we repair bikes at your door")
        await wait_for(gate.entered)
        screen.busy = False  # as if the worker had not started yet
        screen._save_draft()  # the 1-second draft timer firing now
        screen.busy = True
        gate.open.set()
        await settle(pilot)
        assert app.bench.session.answers == {OFFER: "we repair bikes at your door"}
        assert CUSTOMERS not in app.bench.session.drafts
        assert saved(store, session.id)["drafts"].get(CUSTOMERS) is None


async def test_typing_with_the_narrow_activity_panel_open_types_the_answer(app_factory, store):
    """At 80x24 Ctrl+L opens the activity panel over the interview; an answer typed then
    (in one burst, with Enter) closes it and answers the question asked."""
    session = new_session(store)
    app = app_factory(session=session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "We bake sourdough bread")
        await settle(pilot)
        await pilot.press("ctrl+l")
        await pilot.pause()
        screen = app.screen
        assert screen.has_class("-panel-open")
        burst(app, "Locals and cafes")
        await settle(pilot)
        assert not screen.has_class("-panel-open")
        assert app.bench.session.answers == {
            OFFER: "We bake sourdough bread",
            CUSTOMERS: "Locals and cafes",
        }
        assert saved(store, session.id)["answers"] == app.bench.session.answers


@pytest.mark.parametrize("seen_while_busy", [True, False])
async def test_several_answers_typed_ahead_each_answer_their_own_question(
    app_factory, store, seen_while_busy
):
    """Answers typed and sent faster than they are processed are given in order, one per
    question; what is typed after the last Enter stays in the box. (`seen_while_busy`
    False: the processing ends before the screen has seen those Enters.)"""
    session = new_session(store)
    gate = Gate()
    app = app_factory(session=session, infer_fn=gate)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        gate.hold()
        burst(app, "we repair bikes at your door")
        await wait_for(gate.entered)
        burst(app, "commuters")
        burst(app, "", enters=1)  # a doubled Enter sends nothing more
        burst(app, "fast and cheap")
        burst(app, "half typ", enter=False)
        if seen_while_busy:
            await pilot.pause()
        gate.open.set()
        await settle(pilot)
        await settle(pilot)
        answers = app.bench.session.answers
        assert answers == {
            OFFER: "we repair bikes at your door",
            CUSTOMERS: "commuters",
            PROMISE: "fast and cheap",
        }
        assert app.screen.query_one(AnswerBox).text == "half typ"
        assert saved(store, session.id)["answers"] == answers


async def test_typing_on_while_a_new_canvas_opens_makes_one_canvas(app_factory, store):
    """The name and Enter, then the first answer typed at once (before the interview is
    shown): one canvas is made, not one per Enter."""
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        burst(app, "Bike Van")
        burst(app, "we repair bikes at your door")
        await settle(pilot)
        await settle(pilot)
        sessions = store.sessions()
        assert [s.title for s in sessions] == ["Bike Van"]
        assert app.bench.session.answers == {OFFER: "we repair bikes at your door"}
        burst(app, "commu", enter=False)
        await settle(pilot)
        assert app.screen.query_one(AnswerBox).text == "commu"
