"""Pilot tests of review, canvas and export: decisions change the canvas, blocks are
editable, exports are written (with overwrite confirmation) and confined to a workspace."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from textual.widgets import Input

from canvas_tui.core.interview.session import Session, SessionStore
from canvas_tui.ui.screens.canvas import BlockCard, CanvasScreen
from canvas_tui.ui.screens.dialogs import ConfirmDialog, LinesDialog
from canvas_tui.ui.screens.export import ExportDialog
from canvas_tui.ui.screens.interview import InterviewScreen
from canvas_tui.ui.screens.review import ReviewScreen, ReviewTable
from canvas_tui.ui.screens.welcome import WelcomeScreen
from tests.ui.conftest import answer, settle

ANSWERS = {
    "value_proposition.offer": "We bake sourdough and advise cafés on bread",
    "value_proposition.customers": "Cafés and locals near our shop",
    "channels.reach": "Instagram, and we deliver by bike",
    "relationships.style": "Loyal regulars; a subscription for cafés",
    "revenue.model": "Subscription per café, and shop sales",
}


def answered_session(store: SessionStore, session_id: str = "s-review") -> Session:
    session = Session(id=session_id, title="Sourdough & Co")
    session.answers.update(ANSWERS)
    store.save(session)
    return session


def row_ids(app) -> list[str]:
    table = app.screen.query_one(ReviewTable)
    return [row.value for row in table.rows]


def select(app, activity_id: str) -> None:
    table = app.screen.query_one(ReviewTable)
    table.move_cursor(row=table.get_row_index(activity_id), animate=False)


async def test_full_interview_to_export(app_factory, store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.query_one("#title", Input).value = "Sourdough & Co"
        await pilot.press("enter")
        await settle(pilot)
        while app.bench.current is not None:
            text = ANSWERS.get(app.bench.current.id)
            if text:
                await answer(pilot, text)
            else:
                await pilot.press("ctrl+n")
                await settle(pilot)
        assert "That's every question" in app.screen.query_one("DoneCard").render().plain
        await pilot.press("enter")  # Enter on the empty box goes to the review
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        select(app, "consulting")
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, CanvasScreen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.query_one("#path", Input).value == "sourdough-co.toml"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExportDialog)
        written = tmp_path / "sourdough-co.toml"
        data = tomllib.loads(written.read_text(encoding="utf-8"))
        assert data["schema"] == "canvas-tui/1"
        assert data["meta"]["title"] == "Sourdough & Co"
        activities = {a["id"]: a for a in data["key_activities"]}
        assert activities["consulting"]["status"] == "accepted"
        assert [a["id"] for a in data["key_activities"] if a.get("priority")] == [
            "manufacturing",
            "store-operations",
            "recurring-billing",
        ]
        assert data["answers"]["channels.reach"] == ANSWERS["channels.reach"]
        assert any(str(written) in n.message for n in app._notifications)
        # exporting a finished interview marks the session finished
        assert store.load(app.bench.session.id).finished
        # and Markdown, from the same dialog
        await pilot.press("ctrl+s")
        await settle(pilot)
        app.screen.query_one("#fmt-md").value = True
        await pilot.pause()
        assert app.screen.query_one("#path", Input).value == "sourdough-co.md"
        await pilot.press("enter")
        await settle(pilot)
        markdown = (tmp_path / "sourdough-co.md").read_text(encoding="utf-8")
        assert "Sourdough" in markdown and "Consulting" in markdown


async def test_review_actions_change_the_canvas(app_factory, store):
    session = answered_session(store)
    app = app_factory(session=session)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        bench = app.bench
        ids = row_ids(app)
        assert ids[:3] == ["manufacturing", "store-operations", "recurring-billing"]
        # bloat warning (more than five candidates) and coverage are shown
        assert "Too many key activities" in app.screen.query_one("#warnings").render().plain
        assert "Not dropped, per question" in app.screen.query_one("#coverage").render().plain

        select(app, "manufacturing")
        await pilot.press("a")
        await settle(pilot)
        select(app, "store-operations")
        await pilot.press("x")
        await settle(pilot)
        canvas = bench.canvas()
        status = {a.id: a.status for a in canvas.activities}
        assert status["manufacturing"] == "accepted" and status["store-operations"] == "rejected"
        assert row_ids(app)[-1] == "store-operations"  # dropped ones sort last
        assert app.screen.query_one(ReviewTable).cursor_row == 1  # the cursor stays put

        # change category through the dialog
        select(app, "consulting")
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("down", "enter")  # problem solving -> platform / network
        await settle(pilot)
        assert next(a for a in bench.canvas().activities if a.id == "consulting").category == (
            "platform_network"
        )

        # partner flag and KPIs
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, LinesDialog)
        app.screen.query_one("TextArea").text = "Repeat cafés\n\n[b]NPS[/b]"
        await pilot.press("ctrl+s")
        await settle(pilot)
        consulting = next(a for a in bench.canvas().activities if a.id == "consulting")
        assert consulting.partner_candidate
        assert consulting.kpis == ("Repeat cafés", "[b]NPS[/b]")
        assert "[b]NPS[/b]" in app.screen.query_one("#detail-text").render().plain

        # add a custom activity (name + category)
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one(Input).value = "Bread school"
        await pilot.press("tab", "up", "enter")  # supporting -> platform / network
        await settle(pilot)
        custom = next(a for a in bench.canvas().activities if a.custom)
        assert (custom.name, custom.category, custom.status) == (
            "Bread school",
            "platform_network",
            "accepted",
        )
        assert app.screen.selected.id == custom.id

        # top three: add the custom one (it takes third place), move it up
        await pilot.press("t")
        await settle(pilot)
        assert [a.id for a in bench.canvas().focus][-1] == custom.id
        await pilot.press("shift+up", "shift+up")
        await settle(pilot)
        assert bench.canvas().focus[0].id == custom.id
        await pilot.press("T")  # back to the suggested top three
        await settle(pilot)
        assert custom.id not in [a.id for a in bench.canvas().focus]
        select(app, custom.id)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")  # deleting asks first (issue 13)
        await settle(pilot)
        assert not any(a.custom for a in bench.canvas().activities)


async def test_canvas_blocks_are_editable(app_factory, store):
    session = answered_session(store)
    app = app_factory(session=session)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CanvasScreen)
        assert screen.focused.block == "key_activities"
        await pilot.press("right", "right", "down")  # VP -> CR -> Channels
        assert screen.focused.block == "channels"
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, LinesDialog)
        assert "Instagram" in dialog.query_one("TextArea").text
        dialog.query_one("TextArea").text = "Instagram\nBike delivery\n[red]Market stall[/]"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.bench.canvas().blocks["channels"] == (
            "Instagram",
            "Bike delivery",
            "[red]Market stall[/]",
        )
        card = screen.query_one("#block-channels", BlockCard)
        assert "• [red]Market stall[/]" in card.render().plain
        assert card.border_subtitle == "3 items · edited"
        await pilot.press("r")  # undo the edits: back to what the answers say
        await settle(pilot)
        assert "channels" not in app.bench.decisions.blocks
        assert "edited" not in card.border_subtitle


async def test_export_asks_before_replacing_a_file(app_factory, store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "mine.json"
    target.write_text("keep me", encoding="utf-8")
    app = app_factory(session=answered_session(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#fmt-json").value = True  # JSON: the extension follows
        await pilot.pause()
        path = dialog.query_one("#path", Input)
        assert path.value == "s-review.json" or path.value.endswith(".json")
        path.value = "mine.json"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # keep it
        await settle(pilot)
        assert app.screen is dialog
        assert target.read_text(encoding="utf-8") == "keep me"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")  # replace
        await settle(pilot)
        assert not isinstance(app.screen, ExportDialog)
        assert json.loads(target.read_text(encoding="utf-8"))["meta"]["title"] == "Sourdough & Co"


async def test_export_errors_are_shown_in_the_dialog(app_factory, store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    app = app_factory(session=answered_session(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#path", Input).value = "folder"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert "is a folder" in dialog.query_one("#error").render().plain
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)


async def test_workspace_confines_sessions_and_exports(app_factory, tmp_path):
    workspace = tmp_path / "workshop"
    app = app_factory(store=None, workspace=workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.query_one("#title", Input).value = "Team A"
        await pilot.press("enter")
        await settle(pilot)
        assert list((workspace / "sessions").glob("*.json"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert str(workspace) in dialog.query_one("#where").render().plain
        dialog.query_one("#path", Input).value = "../outside.toml"
        await pilot.press("enter")
        await settle(pilot)
        assert "inside the workshop folder" in dialog.query_one("#error").render().plain
        assert not (tmp_path / "outside.toml").exists()
        dialog.query_one("#path", Input).value = "team-a.toml"
        await pilot.press("enter")
        await settle(pilot)
        assert (workspace / "team-a.toml").is_file()


async def test_opening_a_canvas_file_restores_it(app_factory, store, tmp_path):
    from canvas_tui.core.exports.render import render
    from canvas_tui.core.workbench import Workbench
    from tests.fakes import fake_infer

    bench = Workbench(answered_session(store, "s-src"), _bank(), None, store, infer_fn=fake_infer)
    bench.set_status("consulting", "accepted")
    bench.edit_block("key_partners", ["Flour mill"])
    path = tmp_path / "sourdough.toml"
    path.write_text(render(bench.canvas(), "toml"), encoding="utf-8")

    app = app_factory(canvas_file=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CanvasScreen)  # a canvas file opens on the canvas
        canvas = app.bench.canvas()
        assert canvas.blocks["key_partners"] == ("Flour mill",)
        assert dict(canvas.answers) == dict(bench.canvas().answers)
        assert next(a for a in canvas.activities if a.id == "consulting").status == "accepted"


async def test_open_file_from_the_welcome_screen_reports_bad_files(app_factory, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("schema = 'nope'\n[", encoding="utf-8")
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        app.screen.query_one(Input).value = str(bad)
        await pilot.press("enter")
        await settle(pilot)
        assert "bad.toml" in app.screen.query_one("#error").render().plain
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)


async def test_corrupt_sessions_are_reported_not_crashed_on(app_factory, store, home):
    answered_session(store)
    folder = Path(home) / "sessions"
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    app = app_factory()
    async with app.run_test(size=(100, 30)):
        problems = app.screen.query_one("#problems")
        assert problems.display
        text = problems.render().plain
        assert "could not be read" in text and "broken.json" in text
        assert app.screen.query_one("#sessions").option_count == 1
    assert (folder / "corrupt").is_dir()


async def test_help_screen_and_palette_list_the_actions(app_factory, store):
    app = app_factory(session=answered_session(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for title in ("Skip", "Tips", "Back", "Answers", "Activities", "Export", "Review"):
            assert title in titles
        await pilot.press("f1")
        await pilot.pause()
        text = "\n".join(w.render().plain for w in app.screen.query("Static"))
        for key in ("Ctrl+N", "Ctrl+T", "Ctrl+B", "Ctrl+S", "F3", "Shift+↑", "Esc"):
            assert key in text
        await pilot.press("escape")
        await pilot.press("f3")
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for title in ("Keep", "Drop", "Top 3", "Category", "Partner", "KPIs", "Add"):
            assert title in titles


@pytest.mark.parametrize("theme", ["textual-light", "textual-dark"])
async def test_both_themes_and_the_theme_key(app_factory, store, theme):
    app = app_factory(session=answered_session(store), theme=theme)
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.theme == theme
        await pilot.press("f8")
        assert app.theme != theme
        assert isinstance(app.screen, InterviewScreen)


def _bank():
    from canvas_tui.core.interview.bank_loader import load_default_bank

    return load_default_bank()


async def test_in_a_browser_exports_are_also_downloads(app_factory, tmp_path, monkeypatch):
    from canvas_tui.ui.app import CanvasApp

    delivered: list[tuple[Path, str]] = []
    monkeypatch.setattr(CanvasApp, "is_web", property(lambda self: True))
    monkeypatch.setattr(
        CanvasApp,
        "deliver_text",
        lambda self, path, **kw: delivered.append((Path(path), kw.get("save_filename"))),
    )
    workspace = tmp_path / "room"
    app = app_factory(store=None, workspace=workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.query_one("#title", Input).value = "Team B"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
    assert delivered == [(workspace / "team-b.toml", "team-b.toml")]
    assert (workspace / "team-b.toml").is_file()


async def test_keys_typed_just_before_ctrl_s_are_kept(app_factory, store):
    """Ctrl+S is a priority key; a burst of typing (or a paste) just before it must land."""
    from textual import events

    app = app_factory(session=answered_session(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        select(app, "consulting")
        await pilot.press("k")
        await pilot.pause()
        for char in "Repeat cafés":
            key = "space" if char == " " else char
            app.post_message(events.Key(key, char))  # as fast as a terminal sends them
        app.post_message(events.Key("ctrl+s", None))
        await settle(pilot)
        consulting = next(a for a in app.bench.canvas().activities if a.id == "consulting")
        assert consulting.kpis == ("Client satisfaction", "Repeat cafés")


async def test_a_suggested_entry_is_marked_and_accepted_on_the_canvas(app_factory, store):
    """Issue 13: generated Key Resources are marked as suggestions; `a` keeps one as the
    person's own, and the decision is saved with the session."""
    session = answered_session(store, "s-suggest")
    app = app_factory(session=session)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CanvasScreen)
        await pilot.press("down")  # Key Activities -> Key Resources
        assert screen.focused.block == "key_resources"
        suggested = app.bench.canvas().suggested["key_resources"]
        card = screen.query_one("#block-key_resources", BlockCard)
        shown = card.render().plain
        assert f"◦ {suggested[0]}" in shown
        assert card.border_subtitle == f"{len(suggested)} suggested"  # all of them
        assert "◦ suggested" in str(screen.query_one("#canvas-top").render())
        await pilot.press("a")
        await settle(pilot)
        canvas = app.bench.canvas()
        assert suggested[0] in canvas.blocks["key_resources"]
        assert suggested[0] not in canvas.suggested.get("key_resources", ())
        assert f"• {suggested[0]}" in card.render().plain
        assert card.border_subtitle == f"{len(suggested) - 1}/{len(suggested)} suggested"
        assert f"◦ {suggested[0]}" not in card.render().plain
        assert store.load("s-suggest").decisions.accepted == {"key_resources": [suggested[0]]}
