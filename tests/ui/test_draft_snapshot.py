"""Snapshot of the review with a founder's draft beside the table (issue 16), at 100x30.

The fake inference and the bakery answers of the other snapshots; the draft has a line
of each kind the fake inference can give: supported, duplicate, generic, unsupported.
Update on purpose with `pytest tests/ui/test_draft_snapshot.py --snapshot-update`.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from canvas_tui.core.draft.parse import parse_draft
from canvas_tui.core.interview.session import Session
from canvas_tui.core.workbench import draft_record
from tests.ui.conftest import settle
from tests.ui.test_snapshots import reviewed

DRAFT = """\
- Baking bread
- Online marketing
- Digital marketing
- HR and payroll
- Quantum widget polishing
"""


@pytest.fixture(autouse=True)
def _quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir("/")


def drafted(store: Any) -> Session:
    session = reviewed(store)
    session.activity_draft = draft_record(parse_draft(DRAFT))
    store.save(session)
    return session


def test_review_with_draft(snap_compare, app_factory, store):
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    app = app_factory(session=drafted(store))
    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)
