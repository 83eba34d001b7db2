"""Fixtures for the UI tests: a store in the test's data folder, a fake inference, a
fixed clock and fixed session timestamps (snapshots must not depend on the time)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from canvas_tui.core.interview import session as session_module
from canvas_tui.core.interview.session import Session, SessionStore
from canvas_tui.ui.app import AppConfig, CanvasApp, make_app
from canvas_tui.ui.widgets.answer_box import AnswerBox
from tests.fakes import fake_infer

NOW = datetime(2026, 3, 2, 10, 0, 0, tzinfo=UTC)
STAMP = "2026-03-02T09:00:00Z"


@pytest.fixture(autouse=True)
def _fixed_timestamps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sessions are stamped 2026-03-02 09:00 UTC; the app's clock says 10:00."""
    monkeypatch.setattr(session_module, "now_rfc3339", lambda: STAMP)


@pytest.fixture
def store(home: Path) -> SessionStore:
    return SessionStore(home)


@pytest.fixture
def app_factory(store: SessionStore) -> Callable[..., CanvasApp]:
    def build(**kwargs: Any) -> CanvasApp:
        kwargs.setdefault("store", store)
        kwargs.setdefault("infer_fn", fake_infer)
        kwargs.setdefault("clock", lambda: NOW)
        kwargs.setdefault("theme", "textual-dark")
        if kwargs.get("workspace") is not None:
            kwargs["workspace"] = Path(kwargs["workspace"])
        if kwargs.get("canvas_file") is not None:
            kwargs["canvas_file"] = Path(kwargs["canvas_file"])
        return make_app(AppConfig(**kwargs))

    return build


def new_session(
    store: SessionStore, title: str = "Bakery", session_id: str = "s-bakery"
) -> Session:
    """A session with a fixed id (the store's ids carry the time)."""
    session = Session(id=session_id, title=title)
    store.save(session)
    return session


async def settle(pilot: Pilot[Any]) -> None:
    """Let workers (answers, changes, exports) finish and the screen repaint."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()


async def answer(pilot: Pilot[Any], text: str) -> None:
    """Type (paste) an answer and press Enter, as a person would."""
    box = pilot.app.screen.query_one(AnswerBox)
    box.focus()
    box.text = ""
    box.insert(text)
    await pilot.press("enter")
    await settle(pilot)
