"""Issue 12, two writers: the app lets go of a canvas another window asks for, and a
read-only app can take a canvas over from the palette (the two-process case is in
tests/unit/test_session_takeover.py)."""

from __future__ import annotations

from canvas_tui.core.interview import session_lock
from tests.ui.conftest import new_session, settle


async def test_the_app_lets_go_when_another_window_asks(app_factory, store):
    session = new_session(store)
    app = app_factory(session=session)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        bench = app.bench
        await app._honour_take_over()  # what the app does every second: nobody asked
        assert bench.read_only is None
        session_lock.request_take_over(store.path(session.id))
        await app._honour_take_over()
        await settle(pilot)
        assert bench.read_only == "it was taken over in another window"
        assert not session_lock.held(store.path(session.id))
        assert any(n.title == "Taken over" for n in app._notifications)
        session_lock.clear_take_over(store.path(session.id))


async def test_a_read_only_app_offers_take_over_and_reopens_the_canvas(app_factory, store):
    session = new_session(store)
    app = app_factory(session=session)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        names = [c.title for c in app.get_system_commands(app.screen)]
        assert "Take over this canvas" not in names  # only when read-only
        first = app.bench
        first.read_only = "open in another canvas-tui (pid 1)"  # as SessionBusy leaves it
        names = [c.title for c in app.get_system_commands(app.screen)]
        assert "Take over this canvas" in names
        app.action_take_over()
        await settle(pilot)
        await settle(pilot)
        assert app.bench is not first and app.bench.read_only is None
        assert app.bench.session.id == session.id and app.bench.save()
        assert not session_lock.take_over_path(store.path(session.id)).exists()
