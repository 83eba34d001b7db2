"""Snapshot tests: each screen at 100×30, the interview also at 80×24.

Deterministic by construction: fixed session ids and timestamps, a fixed clock, a fixed
theme, the fake inference, no blinking cursors (headless), no toasts in the shots.
Update on purpose with `pytest tests/ui/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from canvas_tui.core.interview.session import Session, SessionStore
from tests.ui.conftest import answer, settle

FIRST_ANSWERS = (
    "We bake sourdough every morning and sell it in our shop. [bold]Really[/] good bread.",
    "Locals, and cafés nearby who want fresh loaves",
)
ANSWERS = {
    "value_proposition.offer": "We bake sourdough and advise cafés on bread",
    "value_proposition.customers": "Cafés and locals near our shop",
    "channels.reach": "Instagram, and we deliver by bike",
    "relationships.style": "Loyal regulars; a subscription for cafés",
    "revenue.model": "Subscription per café, and shop sales",
}


@pytest.fixture(autouse=True)
def _quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir("/")  # the export dialog shows the folder it saves in


def reviewed(store: SessionStore) -> Session:
    session = Session(id="s-sourdough", title="Sourdough & Co")
    session.answers.update(ANSWERS)
    session.skipped = [
        "value_proposition.promise",
        "value_proposition.making",
        "channels.marketing",
        "channels.fulfilment",
        "relationships.support",
        "relationships.retention",
        "relationships.winning",
        "revenue.pricing",
        "revenue.costs",
    ]
    store.save(session)
    return session


async def _no_toasts(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()


def test_welcome(snap_compare, app_factory, store):
    for sid, title, answers in (
        ("s-bakery", "Sourdough & Co", 3),
        ("s-tutors", "Acme Tutors [beta]", 0),
    ):
        session = Session(id=sid, title=title)
        session.answers.update(dict(list(ANSWERS.items())[:answers]))
        store.save(session)
    # the progress ("3 of 13 questions") appears once the bank is loaded in a worker
    assert snap_compare(app_factory(), terminal_size=(100, 30), run_before=_no_toasts)


def _interview(app_factory, store):
    session = Session(id="s-bakery", title="Sourdough & Co")
    store.save(session)

    async def run_before(pilot: Pilot[Any]) -> None:
        for text in FIRST_ANSWERS:
            await answer(pilot, text)
        await pilot.press("ctrl+t")
        await _no_toasts(pilot)

    return app_factory(session=session), run_before


def test_interview(snap_compare, app_factory, store):
    app, run_before = _interview(app_factory, store)
    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)


def test_interview_small_terminal(snap_compare, app_factory, store):
    app, run_before = _interview(app_factory, store)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_interview_editing_an_answer(snap_compare, app_factory, store):
    session = Session(id="s-bakery", title="Sourdough & Co")
    store.save(session)

    async def run_before(pilot: Pilot[Any]) -> None:
        for text in FIRST_ANSWERS:
            await answer(pilot, text)
        await pilot.press("ctrl+b")
        await settle(pilot)
        await answer(pilot, "Cafés that want us to advise them, and locals")
        await pilot.press("ctrl+b")
        await _no_toasts(pilot)

    assert snap_compare(
        app_factory(session=session), terminal_size=(100, 30), run_before=run_before
    )


def test_review(snap_compare, app_factory, store):
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("a", "down", "x")
        await _no_toasts(pilot)

    app = app_factory(session=reviewed(store))
    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)


def test_review_80x24(snap_compare, app_factory, store):
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("a", "down", "x")
        await _no_toasts(pilot)

    app = app_factory(session=reviewed(store))
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_canvas_160x45(snap_compare, app_factory, store):
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("f4")
        await _no_toasts(pilot)

    app = app_factory(session=reviewed(store))
    assert snap_compare(app, terminal_size=(160, 45), run_before=run_before)


def test_canvas(snap_compare, app_factory, store):
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("f4")
        await _no_toasts(pilot)

    app = app_factory(session=reviewed(store))
    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)


def test_export_dialog(snap_compare, app_factory, store):
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await _no_toasts(pilot)

    app = app_factory(session=reviewed(store))
    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)


def test_help(snap_compare, app_factory, store):
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("f1")
        await _no_toasts(pilot)

    app = app_factory(session=reviewed(store))
    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)


def test_interview_workshop(snap_compare, app_factory, store):
    """Workshop mode: the countdown (a fake clock: 2 min 15 s used of 10), the projector
    layout, a facilitator note and an answer flagged as an assumption."""
    session = Session(id="s-bakery", title="Sourdough & Co")
    session.timers["value_proposition"] = 135.0
    store.save(session)

    async def run_before(pilot: Pilot[Any]) -> None:
        for text in FIRST_ANSWERS:
            await answer(pilot, text)
        await pilot.press("f9")  # the last answer: an assumption to validate
        await settle(pilot)
        await pilot.press("ctrl+f", *"Ask the group", "ctrl+s")
        await _no_toasts(pilot)

    app = app_factory(session=session, workshop=True, timer_clock=lambda: 0.0)
    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)
