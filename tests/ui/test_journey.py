"""Pilot tests for issue 13: what a new user does that must never lose or mislabel work."""

from __future__ import annotations

from textual.widgets import Input, RadioSet

from canvas_tui.ui.screens.export import ExportDialog
from tests.ui.conftest import settle
from tests.ui.test_review_canvas_export import answered_session


async def test_a_typed_extension_chooses_the_format(app_factory, store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = app_factory(session=answered_session(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.query_one("#fmt-toml").value  # TOML selected
        path = dialog.query_one("#path", Input)
        path.value = ""
        await pilot.press(*"bike.md")
        await pilot.pause()
        # the list follows the name, and the hint says the full path it will write
        assert dialog.query_one("#fmt-md").value and not dialog.query_one("#fmt-toml").value
        assert str(tmp_path / "bike.md") in dialog.query_one("#where").render().plain
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExportDialog)
        text = (tmp_path / "bike.md").read_text(encoding="utf-8")
        assert text.startswith("# Sourdough")  # Markdown, not TOML


async def test_arrow_keys_reach_the_format_list_from_the_name(app_factory, store):
    app = app_factory(session=answered_session(store))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(app.focused, Input)
        await pilot.press("down")
        assert isinstance(app.focused, RadioSet)
        await pilot.press("down", "enter")  # the next format, chosen by keyboard
        await pilot.pause()
        assert dialog.query_one("#fmt-md").value
        assert dialog.query_one("#path", Input).value.endswith(".md")


async def test_typing_away_from_the_answer_box_still_types_the_answer(app_factory, store):
    from canvas_tui.ui.widgets.answer_box import AnswerBox
    from canvas_tui.ui.widgets.transcript import AnswerBubble
    from tests.ui.conftest import answer, new_session

    app = app_factory(session=new_session(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await answer(pilot, "We bake sourdough bread")
        first = app.bench.interview.answers["value_proposition.offer"]
        bubble = app.screen.query(AnswerBubble).first()
        bubble.focus()  # as after Ctrl+L, Tab: focus on an earlier answer
        await pilot.pause()
        await pilot.press(*"Locals")
        await pilot.pause()
        box = app.screen.query_one(AnswerBox)
        assert box.has_focus and box.text.endswith("Locals")
        await pilot.press("enter")  # sends this answer, does not reopen question 1
        await settle(pilot)
        assert app.bench.interview.editing is None
        assert "Locals" in app.bench.interview.answers.values()
        assert app.bench.interview.answers["value_proposition.offer"] == first


async def test_escape_always_returns_to_the_answer_box(app_factory, store):
    from canvas_tui.ui.widgets.activity_panel import CandidateList
    from canvas_tui.ui.widgets.answer_box import AnswerBox
    from canvas_tui.ui.widgets.transcript import AnswerBubble
    from tests.ui.conftest import answer, new_session

    app = app_factory(session=new_session(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await answer(pilot, "We bake sourdough bread")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.focused, CandidateList)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, AnswerBox)
        app.screen.query(AnswerBubble).first().focus()
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, AnswerBox)
