"""Pilot tests of "start from your draft" (issue 16): pasting a draft on the welcome screen,
the verdicts beside the review table, a resumed session keeping its draft, bad drafts as
one clear line, the palette's "Audit my draft", and the draft in the exports."""

from __future__ import annotations

import tomllib
from typing import Any

from textual.widgets import Input, Static, TextArea

from canvas_tui.core.draft.parse import parse_draft
from canvas_tui.core.exports.render import render
from canvas_tui.core.interview.session import Session, SessionStore
from canvas_tui.core.workbench import draft_record
from canvas_tui.ui.screens.draft import DraftDialog, DraftInvite
from canvas_tui.ui.screens.review import ReviewScreen
from canvas_tui.ui.screens.welcome import WelcomeScreen
from canvas_tui.ui.widgets.draft_panel import DraftPanel, plain_view
from tests.conftest import REPO
from tests.ui.conftest import settle

DATA = REPO / "tests" / "data" / "drafts"
WHITEBOARD = (DATA / "saas.draft.txt").read_text(encoding="utf-8")
WHITEBOARD_LINES = [
    "marketing",
    "sales",
    "R&D",
    "customer support",
    "HR",
    "accounting",
    "social media",
    "recruiting",
    "legal",
    "office management",
]
#: the fake inference's bakery answers (tests/fakes.py finds bake, shop, instagram...)
BAKERY = {
    "value_proposition.offer": "We bake sourdough and advise cafés on bread",
    "value_proposition.customers": "Cafés and locals near our shop",
    "channels.reach": "Instagram, and we deliver by bike",
    "relationships.style": "Loyal regulars; a subscription for cafés",
    "revenue.model": "Subscription per café, and shop sales",
}
BAKERY_DRAFT = "- Digital marketing\n- Online marketing\n- HR\n- Quantum widget polishing\n"


def saas_session(store: SessionStore, *, draft: bool = True) -> Session:
    data = tomllib.loads((DATA / "saas.answers.toml").read_text(encoding="utf-8"))
    session = Session(id="s-shiftly", title="Shiftly")
    session.answers.update(data["answers"])
    if draft:
        session.activity_draft = draft_record(parse_draft(WHITEBOARD))
    store.save(session)
    return session


def bakery_session(store: SessionStore) -> Session:
    session = Session(id="s-crumb", title="Crumb & Co")
    session.answers.update(BAKERY)
    session.activity_draft = draft_record(parse_draft(BAKERY_DRAFT))
    store.save(session)
    return session


def error_text(app: Any) -> str:
    return str(app.screen.query_one("#error", Static).render())


async def paste(pilot: Any, text: str) -> None:
    """Paste `text` into the open draft dialog and press Ctrl+S."""
    area = pilot.app.screen.query_one(TextArea)
    area.text = text
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_pasting_a_draft_on_the_welcome_screen(app_factory, store):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "drafted already" in str(app.screen.query_one(DraftInvite).render())
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DraftDialog)
        await paste(pilot, WHITEBOARD)
        assert isinstance(app.screen, WelcomeScreen)
        invite = app.screen.query_one(DraftInvite)
        assert invite.draft is not None and list(invite.draft.texts) == WHITEBOARD_LINES
        assert "10 activities: marketing, sales" in str(invite.render())
        await pilot.press("n", *"Shiftly", "enter")
        await settle(pilot)
        assert app.bench is not None
        saved = store.load(app.bench.session.id).activity_draft
        assert saved is not None
        assert [item.text for item in saved.items] == WHITEBOARD_LINES
        # every view of the canvas audits it
        assert [d.text for d in app.bench.canvas().draft] == WHITEBOARD_LINES


async def test_a_name_starting_with_d_after_n_is_the_name(app_factory, store):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n", *"delta", "enter")
        await settle(pilot)
        assert app.bench is not None and app.bench.session.title == "delta"
        assert app.bench.session.activity_draft is None


async def test_review_shows_each_line_with_its_verdict(app_factory, store):
    saas_session(store)
    app = app_factory(resume=True, infer_fn=None)  # the real inference: the documented audit
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        panel = app.screen.query_one(DraftPanel)
        assert panel.has_draft and panel.is_open(100)
        assert panel.region.width == 40  # beside the table, which keeps the rest
        shown = plain_view(app.screen._canvas)
        texts = [str(s.render()) for s in panel.query(Static)]
        body = "\n".join(texts)
        for expected in (
            "✓ marketing → Digital marketing",
            'supported: Your answers need it: you said "Google search" (channels.reach).',
            "? R&D → Research and development",
            "unsupported: Nothing in your answers needs it yet.",
            "✗ HR",
            "generic work: Hiring, paying and looking after staff",
            "Missing from your draft",
            "+ Software development",
            "your answers need it: “web app” (value_proposition.offer)",
        ):
            assert expected in shown
            assert expected in body
        # the count of what the draft lacks is the canvas's (the core audit's), whatever
        # the inference ranks: each of them is listed with a "+"
        lacking = [a for a in app.screen._canvas.activities if a.missing_from_draft]
        assert lacking
        assert f"Draft ✓3 kept ✗7 dropped +{len(lacking)} missing" in body
        for activity in lacking:
            assert f"+ {activity.name}" in body
        # the review table is still the main thing; it marks what the draft lacks with +
        table = app.screen.query_one("#table")
        names = {str(row.key.value): table.get_row(row.key)[1].plain for row in table.rows.values()}
        assert names["software-development"] == "Software development +"
        assert names["digital-marketing"] == "Digital marketing"
        assert table.region.width >= 55
        await pilot.press("v")  # folds the draft: the table takes the width back
        await settle(pilot)
        assert panel.region.height == 1
        assert "Your draft" in str(panel.query_one("#draft-fold", Static).render())


async def test_the_draft_folds_to_a_line_at_80x24(app_factory, store):
    bakery_session(store)
    app = app_factory(resume=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        panel = app.screen.query_one(DraftPanel)
        assert panel.region.height == 1 and not panel.is_open(80)
        assert app.screen.query_one("#detail").display
        await pilot.press("v")
        await settle(pilot)
        assert panel.region.height > 3
        assert not app.screen.query_one("#detail").display  # the draft takes its place
        assert app.screen.query_one("#table").region.height >= 3


async def test_bakery_verdicts_with_the_fake_inference(app_factory, store):
    bakery_session(store)
    app = app_factory(resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        verdicts = {d.text: d.verdict for d in app.screen._canvas.draft}
        assert verdicts == {
            "Digital marketing": "supported",
            "Online marketing": "duplicate",
            "HR": "generic",
            "Quantum widget polishing": "unsupported",
        }
        shown = plain_view(app.screen._canvas)
        assert "= Online marketing → Digital marketing" in shown
        assert "duplicate: " in shown


async def test_resume_keeps_the_draft(app_factory, store):
    bakery_session(store)
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("r")  # resume the newest, as a person would
        await settle(pilot)
        assert app.bench is not None
        draft = app.bench.activity_draft()
        assert draft is not None
        assert list(draft.texts) == [
            "Digital marketing",
            "Online marketing",
            "HR",
            "Quantum widget polishing",
        ]
    # a session without a draft loads and saves as before (no key at all)
    plain = Session(id="s-plain", title="Plain")
    store.save(plain)
    raw = (store.folder / "s-plain.json").read_text(encoding="utf-8")
    assert "activity_draft" not in raw
    assert store.load("s-plain").activity_draft is None


async def test_bad_drafts_are_one_clear_line(app_factory, store, tmp_path):
    binary = tmp_path / "photo.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    bakery_session(store)
    app = app_factory(resume=True, workspace=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("V")
        await settle(pilot)
        assert isinstance(app.screen, DraftDialog)
        cases = {
            "": "the draft is empty (one activity a line",
            "   \n\n  ": "the draft is empty",
            "abc\x00def\n": "binary data, not text (save the draft as plain text or Markdown)",
            "".join(f"- activity {n}\n" for n in range(10_000)): "Line 101: more than 100",
            "- " + "x" * 5_000 + "\n": "Line 1: 5,002 characters on one line",
            "**__**\n<b></b>\n": "no key activities found in the draft",
        }
        for text, words in cases.items():
            await paste(pilot, text)
            assert isinstance(app.screen, DraftDialog), text[:40]
            problem = error_text(app)
            assert words in problem
            assert "\n" not in problem and "Traceback" not in problem
        # a file is named in the line; a relative path is in the workspace
        path = app.screen.query_one("#draft-path", Input)
        for name, words in (
            ("photo.png", f"{binary}: not UTF-8 text"),
            ("nowhere.md", f"{tmp_path / 'nowhere.md'}: draft not found"),
        ):
            path.value = name
            path.focus()
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, DraftDialog)
            assert words in error_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        # nothing changed: the draft kept is the one from before
        assert app.bench is not None
        assert len(app.bench.activity_draft().lines) == 4  # type: ignore[union-attr]


async def test_markup_in_a_draft_is_shown_as_written(app_factory, store):
    session = Session(id="s-markup", title="Markup")
    session.answers.update(BAKERY)
    session.activity_draft = draft_record(parse_draft("- [bold red]Loud[/] baking\n- HR\n"))
    store.save(session)
    app = app_factory(resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert "[bold red]Loud[/] baking" in plain_view(app.screen._canvas)


async def test_audit_my_draft_from_the_palette_and_a_file(app_factory, store, tmp_path):
    (tmp_path / "canvas.md").write_text(
        "# Our canvas\n\n## Key Activities\n\n1. Digital marketing\n2. HR\n\n"
        "## Channels\n\n- Farmers' markets\n",
        encoding="utf-8",
    )
    session = Session(id="s-palette", title="Crumb")
    session.answers.update(BAKERY)
    store.save(session)
    app = app_factory(resume=True, workspace=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Audit my draft" in titles
        command = next(
            c for c in app.get_system_commands(app.screen) if c.title == "Audit my draft"
        )
        command.callback()
        await settle(pilot)
        assert isinstance(app.screen, DraftDialog)
        app.screen.query_one("#draft-path", Input).value = "canvas.md"
        app.screen.query_one("#draft-path", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, DraftDialog)
        bench = app.bench
        assert bench is not None
        assert [i.text for i in bench.session.activity_draft.items] == ["Digital marketing", "HR"]  # type: ignore[union-attr]
        # the TUI's canvas (and so every export) carries the audit
        canvas = bench.canvas()
        assert [d.verdict for d in canvas.draft] == ["supported", "generic"]
        toml = render(canvas, "toml")
        assert "[[draft]]" in toml and 'verdict = "generic"' in toml
        assert "Farmers' markets" in canvas.blocks["channels"]
        assert "Your draft, checked against your answers" in render(canvas, "md")
        # the review screen shows it; forgetting it takes it away
        await pilot.press("f3")
        await settle(pilot)
        assert app.screen.query_one(DraftPanel).has_draft
        await pilot.press("V")
        await settle(pilot)
        await pilot.click("#forget")
        await settle(pilot)
        assert bench.session.activity_draft is None
        assert not app.screen.query_one(DraftPanel).has_draft


async def test_v_without_a_draft_asks_for_one(app_factory, store):
    session = Session(id="s-none", title="None")
    session.answers.update(BAKERY)
    store.save(session)
    app = app_factory(resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert not app.screen.query_one(DraftPanel).display
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, DraftDialog)
        await paste(pilot, "1. Baking bread\n2) Instagram\n")
        assert isinstance(app.screen, ReviewScreen)
        assert [d.text for d in app.screen._canvas.draft] == ["Baking bread", "Instagram"]


async def test_opening_a_drafted_canvas_file_keeps_its_draft(app_factory, store):
    path = REPO / "tests" / "data" / "canvases" / "drafted.toml"
    drafted = [d["text"] for d in tomllib.loads(path.read_text(encoding="utf-8"))["draft"]]
    app = app_factory(canvas_file=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.bench is not None
        kept = app.bench.session.activity_draft
        assert kept is not None and [i.text for i in kept.items] == drafted
        assert [d.text for d in app.bench.canvas().draft] == drafted


async def test_a_browser_session_has_no_server_paths(app_factory, store, monkeypatch):
    from canvas_tui.ui.app import CanvasApp

    monkeypatch.setattr(CanvasApp, "is_web", property(lambda self: True))
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DraftDialog)
        assert not app.screen.query("#draft-path")  # paste only
        await paste(pilot, "- Baking\n")
        assert app.screen.query_one(DraftInvite).draft is not None
