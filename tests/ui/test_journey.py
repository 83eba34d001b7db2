"""Pilot tests for issue 13: what a new user does that must never lose or mislabel work."""

from __future__ import annotations

from textual.widgets import Input, RadioSet

from canvas_tui.ui.screens.export import ExportDialog
from tests.ui.conftest import new_session, settle
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


async def test_review_warnings_fold_to_one_line_and_the_table_gets_the_height(app_factory, store):
    from canvas_tui.ui.screens.review import ReviewTable
    from tests.ui.test_review_canvas_export import ANSWERS

    session = answered_session(store)
    session.answers["value_proposition.promise"] = "cheap but bespoke, with an app"
    store.save(session)
    app = app_factory(session=session)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        warnings = app.screen.query_one("#warnings")
        assert warnings.display and warnings.size.height == 1  # two warnings, one line
        assert "2 warnings" in warnings.render().plain
        table = app.screen.query_one(ReviewTable)
        assert table.size.height >= 30 // 3  # the table has the most room
        assert len(ANSWERS) < table.row_count + 1
        await pilot.press("w")
        await pilot.pause()
        assert warnings.size.height >= 2 and "bespoke" in warnings.render().plain


async def test_coverage_says_only_what_is_true(app_factory, store):
    app = app_factory(session=answered_session(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        text = app.screen.query_one("#coverage").render().plain
        assert "Not dropped, per question" in text and "VP offer" in text
        assert "Nothing kept yet" in text and "Each guiding question" not in text
        await pilot.press("a")  # keep the first
        await settle(pilot)
        text = app.screen.query_one("#coverage").render().plain
        assert "Nothing kept yet" not in text and "Nothing you keep serves" in text


async def test_deleting_your_own_activity_asks_first(app_factory, store):
    from canvas_tui.ui.screens.dialogs import ConfirmDialog
    from canvas_tui.ui.screens.review import ReviewTable

    app = app_factory(session=answered_session(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        app.bench.add_custom("Bike repairs", "production")
        await app.screen.refresh_view()
        table = app.screen.query_one(ReviewTable)
        custom = next(a for a in app.bench.canvas().activities if a.custom)
        table.move_cursor(row=table.get_row_index(custom.id), animate=False)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert any(a.custom for a in app.bench.canvas().activities)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert not any(a.custom for a in app.bench.canvas().activities)


async def test_the_why_panel_scrolls_from_the_keyboard(app_factory, store):
    from textual.containers import VerticalScroll

    app = app_factory(session=answered_session(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        detail = app.screen.query_one("#detail", VerticalScroll)
        assert detail.max_scroll_y > 0
        await pilot.press("]")
        await pilot.pause()
        assert detail.scroll_y > 0
        await pilot.press("[")
        await pilot.pause()
        assert detail.scroll_y == 0


async def test_the_why_panel_grows_with_the_terminal(app_factory, store):
    app = app_factory(session=answered_session(store))
    async with app.run_test(size=(200, 45)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        assert app.screen.query_one("#detail").size.width >= 200 * 0.35


async def test_review_columns_that_do_not_fit_are_dropped_in_order(app_factory, store):
    from canvas_tui.ui.screens.review import ReviewTable

    app = app_factory(session=answered_session(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        table = app.screen.query_one(ReviewTable)
        keys = [c.key.value for c in table.ordered_columns]
        assert keys[-4:] == ["value_proposition", "channels", "relationships", "revenue"]
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        keys = [c.key.value for c in table.ordered_columns]
        assert "partner" in keys and "channels" not in keys
        # every column shown fits whole: nothing to scroll sideways
        assert table.max_scroll_x == 0
        await pilot.resize_terminal(60, 24)
        await settle(pilot)
        keys = [c.key.value for c in table.ordered_columns]
        assert "kind" not in keys and "name" in keys and "status" in keys
        assert table.max_scroll_x == 0


async def test_help_rows_keep_keys_and_descriptions_apart(app_factory, store):
    from textual.widgets import Static

    from canvas_tui.ui.screens.help import HelpScreen

    app = app_factory(session=answered_session(store))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = list(app.screen.query(".key").results(Static))
        whats = list(app.screen.query(".what").results(Static))
        assert len(keys) == len(whats) > 40
        for key, what in zip(keys, whats, strict=True):
            text = key.render().plain
            # the key fits its column, with a gap before the description
            assert len(text) + 2 <= key.size.width, text
            assert what.region.x >= key.region.right
            assert text not in ("left", "right")  # keys are named, not raw
            assert what.render().plain.split(" — ")[0].strip()  # every row says something


async def test_the_palette_lists_app_actions_only(app_factory, store):
    from canvas_tui.ui.screens.review import ReviewTable
    from canvas_tui.ui.widgets.transcript import AnswerBubble
    from tests.ui.conftest import answer, new_session

    generic = {"Cursor down", "Cursor up", "Copy selected text", "Focus Next", "Focus Previous"}
    app = app_factory(session=new_session(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await answer(pilot, "We bake bread")
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert "Skip" in titles and not titles & generic
        app.screen.query(AnswerBubble).first().focus()
        await pilot.pause()
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert "Edit this answer" in titles and not titles & generic
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.focused, ReviewTable)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert "Keep" in titles and not titles & generic, titles


async def test_blocks_use_the_clarified_answer_and_the_question_asked_stays(
    app_factory, store, tmp_path
):
    """ "stuff" asks for more detail; the detail fills the block, "stuff" and "not sure
    yet" stay out of the canvas (screen and export), and the transcript keeps the detail
    question as it was asked (issue 13)."""
    from canvas_tui.core.inference.infer import infer
    from canvas_tui.ui.screens.canvas import BlockCard
    from canvas_tui.ui.widgets.transcript import Transcript
    from tests.ui.conftest import answer, new_session

    app = app_factory(session=new_session(store), infer_fn=infer)
    async with app.run_test(size=(160, 45)) as pilot:
        await answer(pilot, "stuff")
        asked = app.bench.current.prompt
        assert app.bench.current.probe_of == "value_proposition.offer"
        await answer(pilot, "We repair bikes at your door from a van")
        await answer(pilot, "not sure yet")
        await pilot.press("ctrl+n")  # skip the detail question for customers
        await settle(pilot)
        transcript = app.screen.query_one(Transcript)
        shown = transcript.message_for("q:value_proposition.offer.more")
        assert shown is not None and asked in shown.render().plain
        await pilot.press("f4")
        await settle(pilot)
        offer = app.screen.query_one("#block-value_propositions", BlockCard).render().plain
        customers = app.screen.query_one("#block-customer_segments", BlockCard).render().plain
        assert "We repair bikes at your door from a van" in offer
        assert "stuff" not in offer and "not sure yet" not in customers
        path = tmp_path / "bike.md"
        app.bench.export(app.bench.canvas(), "md", path)
        text = path.read_text(encoding="utf-8")
        blocks_part = text.split("## Appendix")[0]
        assert "> stuff" in text  # the appendix keeps every answer as given
        assert "- stuff" not in blocks_part and "- not sure yet" not in blocks_part


async def test_explanations_follow_the_top_three_order_the_user_chose(app_factory, store):
    """After moving the second of the top three up, the details no longer call the item
    now second "Priority 1: the strongest evidence" (issue 13)."""
    from canvas_tui.core.inference.infer import infer
    from tests.ui.test_review_canvas_export import answered_session, select

    app = app_factory(session=answered_session(store), infer_fn=infer)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        first, second = app.bench.canvas().focus[:2]
        assert first.focus_reason.startswith("Priority 1: ")
        why = first.focus_reason.removeprefix("Priority 1: ")
        select(app, second.id)
        await pilot.press("shift+up")
        await settle(pilot)
        focus = app.bench.canvas().focus
        assert [a.id for a in focus[:2]] == [second.id, first.id]
        detail = app.screen.query_one("#detail-text")
        select(app, first.id)
        await pilot.pause()
        shown = detail.render().plain
        assert "Priority 2: you put it second of the three to focus on." in shown
        assert "Priority 1" not in shown
        assert f"The evidence alone ranked it first: {why[:30]}" in " ".join(shown.split())
        select(app, second.id)
        await pilot.pause()
        assert "Priority 1: you put it first of the three to focus on." in detail.render().plain


async def test_resume_after_finishing_opens_the_newest_canvas(app_factory, store):
    """`canvas-tui --resume` (and Ctrl+R on the welcome screen) when every canvas is
    finished opens the newest one on its canvas screen, instead of "Nothing to resume"
    above a list that shows it (issue 13)."""
    from canvas_tui.ui.screens.canvas import CanvasScreen
    from canvas_tui.ui.screens.welcome import WelcomeScreen
    from tests.ui.test_review_canvas_export import answered_session

    session = answered_session(store)
    session.finished = True
    store.save(session)
    app = app_factory(resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CanvasScreen)
        assert app.bench.session.id == session.id
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, CanvasScreen)
        assert app.bench.session.id == session.id


async def test_opening_the_same_canvas_file_twice_makes_one_session(app_factory, store, tmp_path):
    from canvas_tui.core.exports.render import render
    from canvas_tui.core.interview.bank_loader import load_bank_catalogue, load_default_bank
    from canvas_tui.core.workbench import Workbench
    from tests.fakes import fake_infer
    from tests.ui.test_review_canvas_export import answered_session

    bank = load_default_bank()
    bench = Workbench(
        answered_session(store), bank, load_bank_catalogue(bank), None, infer_fn=fake_infer
    )
    path = tmp_path / "bike.toml"
    path.write_text(render(bench.canvas(), "toml"), encoding="utf-8")
    before = {s.id for s in store.sessions()}
    opened = []
    for _ in range(2):
        app = app_factory(canvas_file=path)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            opened.append(app.bench.session.id)
    made = [s for s in store.sessions() if s.id not in before]
    assert len(made) == 1 and opened == [made[0].id, made[0].id]
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # changed
    app = app_factory(canvas_file=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.bench.session.id != made[0].id  # a changed file is a new session


def status_of(canvas, activity_id: str) -> str:
    return next(a.status for a in canvas.activities if a.id == activity_id)


async def test_ctrl_z_undoes_dropping_deleting_and_reordering_in_the_review(app_factory, store):
    """Every destructive review action can be undone with Ctrl+Z, newest first (issue 13)."""
    from tests.ui.test_review_canvas_export import answered_session, row_ids, select

    app = app_factory(session=answered_session(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        bench = app.bench
        before = bench.canvas()
        order = [a.id for a in before.focus]
        # drop the first activity, move the (new) second up, add and delete one of ours
        first = row_ids(app)[0]
        select(app, first)
        await pilot.press("x")
        await settle(pilot)
        assert status_of(bench.canvas(), first) == "rejected"
        moved = [a.id for a in bench.canvas().focus][1]
        select(app, moved)
        await pilot.press("shift+up")
        await settle(pilot)
        assert bench.canvas().focus[0].id == moved
        custom = bench.add_custom("Sourdough school")
        await settle(pilot)
        bench.remove_custom(custom)
        await pilot.press("ctrl+z")  # the delete
        await settle(pilot)
        assert any(c.id == custom for c in bench.decisions.custom)
        await pilot.press("ctrl+z")  # the add
        await pilot.press("ctrl+z")  # the move
        await settle(pilot)
        assert bench.canvas().focus[0].id != moved
        await pilot.press("ctrl+z")  # the drop
        await settle(pilot)
        after = bench.canvas()
        assert status_of(after, first) == status_of(before, first)
        assert [a.id for a in after.focus] == order
        assert not bench.can_undo()
        saved = store.load(bench.session.id)
        assert saved.decisions.activities.get(first) is None or (
            saved.decisions.activities[first].status != "rejected"
        )


async def test_the_80x24_footer_shows_the_keys_that_matter_whole(app_factory, store):
    """At 80 columns the footer leaves out the least important keys instead of cutting
    one in half ("F9 Assumpti") or leaving a stray character after "^p palette"."""
    from textual.widgets._footer import FooterKey

    from canvas_tui.ui.widgets.footer import KeyFooter
    from tests.ui.test_review_canvas_export import answered_session

    def footer(app) -> list[tuple[str, int]]:
        keys = app.screen.query_one(KeyFooter).query(FooterKey)
        return [(k.description or k.action, k.region.right) for k in keys]

    app = app_factory(session=answered_session(store))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("x")  # something to undo
        await settle(pilot)
        shown = footer(app)
        names = [name for name, _ in shown]
        assert all(right <= 80 for _, right in shown)
        for key in ("Keep", "Drop", "Top 3", "Add", "Undo", "palette"):
            assert key in names
        await pilot.press("f2")
        await settle(pilot)
        shown = footer(app)
        assert all(right <= 80 for _, right in shown)
        assert {"Skip", "Tips", "Activities"} <= {name for name, _ in shown}


async def test_key_partners_are_shown_in_the_review_and_editable(app_factory, store):
    """The partners the answers name and those for activities marked as partner work show
    in the review, and `e` edits them into the canvas's Key Partners (issue 13)."""
    from textual.widgets import TextArea

    from canvas_tui.core.inference.infer import infer
    from canvas_tui.ui.screens.dialogs import LinesDialog
    from tests.ui.test_review_canvas_export import select

    session = new_session(store, "Bike Van")
    session.answers.update(
        {
            "value_proposition.offer": "A mobile bike repair van, plus a webshop for bike parts",
            "value_proposition.customers": "Commuters and families in Utrecht",
            "value_proposition.making": "We fix the bikes in the van; an insurer covers the van",
        }
    )
    store.save(session)
    app = app_factory(session=session, infer_fn=infer)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        top = app.screen.query_one("#review-top").render().plain
        assert "Key partners: An insurer" in top
        kept = app.bench.canvas().kept[0]
        before = app.bench.canvas().blocks["key_partners"]
        select(app, kept.id)
        await pilot.press("p")  # partner work: the kind of partner joins the list
        await settle(pilot)
        partners = app.bench.canvas().blocks["key_partners"]
        [added] = [p for p in partners if p not in before]
        assert kept.name.lower() in added
        assert added in app.screen.query_one("#review-top").render().plain
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, LinesDialog)
        area = app.screen.query_one(TextArea)
        area.text = "PostNL (webshop deliveries)\nAn insurer\n"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.bench.canvas().blocks["key_partners"] == (
            "PostNL (webshop deliveries)",
            "An insurer",
        )
        assert "PostNL (webshop deliveries)" in app.screen.query_one("#review-top").render().plain
        saved = store.load(session.id)
        assert saved.decisions.blocks["key_partners"] == [
            "PostNL (webshop deliveries)",
            "An insurer",
        ]


async def test_the_html_export_can_be_the_canvas_alone_for_printing(
    app_factory, store, tmp_path, monkeypatch
):
    """An export option: the nine blocks on one landscape page, no details or answers
    after them (issue 13)."""
    from textual.widgets import Checkbox

    monkeypatch.chdir(tmp_path)
    app = app_factory(session=answered_session(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        only = dialog.query_one("#canvas-only", Checkbox)
        assert only.disabled  # TOML selected: not an option
        path = dialog.query_one("#path", Input)
        path.value = "sheet.html"
        await pilot.pause()
        assert not only.disabled
        only.value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        sheet = (tmp_path / "sheet.html").read_text(encoding="utf-8")
        assert 'class="canvas-only"' in sheet and "@page { size: landscape" in sheet
        assert 'aria-label="The nine blocks"' in sheet
        assert "The answers</h2>" not in sheet and "Key activities in detail" not in sheet
        assert "Strategyzer" in sheet  # the licence's attribution stays on the page
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one("#path", Input).value = "full.html"
        await pilot.press("ctrl+s")
        await settle(pilot)
        full = (tmp_path / "full.html").read_text(encoding="utf-8")
        assert "The answers</h2>" in full and 'class="canvas-only"' not in full


async def test_a_double_click_on_a_canvas_block_edits_it(app_factory, store):
    """The double click called the screen's action without running it (a coroutine never
    awaited, found by type-checking ui/): it now opens the block's editor."""
    from canvas_tui.ui.screens.dialogs import LinesDialog

    app = app_factory(session=answered_session(store))
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("f4")
        await settle(pilot)
        await pilot.click("#block-customer_segments", offset=(2, 2), times=2)
        await settle(pilot)
        assert isinstance(app.screen, LinesDialog)


async def test_the_export_dialog_fits_80x24_with_its_buttons(app_factory, store):
    from textual.containers import Vertical
    from textual.widgets import Button

    app = app_factory(session=answered_session(store))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+s")
        await settle(pilot)
        box = app.screen.query_one(Vertical).content_region
        for button in app.screen.query(Button):
            assert box.contains_region(button.region), button.id
