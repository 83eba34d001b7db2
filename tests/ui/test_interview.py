"""Pilot tests of the welcome screen and the interview: answering, follow-ups, probes,
going back to edit, resuming, markup shown literally, the narrow layout."""

from __future__ import annotations

from textual.widgets import Input, OptionList

from canvas_tui.ui.screens.interview import InterviewScreen
from canvas_tui.ui.screens.welcome import WelcomeScreen
from canvas_tui.ui.widgets.activity_panel import ActivityPanel
from canvas_tui.ui.widgets.answer_box import AnswerBox
from canvas_tui.ui.widgets.transcript import AnswerBubble, QuestionBubble, Transcript
from tests.ui.conftest import answer, new_session, settle


def bubble_text(widget) -> str:
    return widget.render().plain


async def test_new_canvas_from_the_welcome_screen(app_factory, store):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, WelcomeScreen)
        title = app.screen.query_one("#title", Input)
        assert not title.has_focus  # nothing yet: `n` or a name
        await pilot.press("enter")  # no name: a hint, no canvas
        assert isinstance(app.screen, WelcomeScreen)
        assert title.has_focus
        title.blur()
        await pilot.press("n")  # the key people try first: a new canvas, not a letter
        assert title.has_focus and title.value == ""
        await pilot.press(*"Acme Tutors", "enter")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        assert app.bench.session.title == "Acme Tutors"
        assert app.screen.query_one(AnswerBox).has_focus
        [saved] = store.sessions()
        assert saved.title == "Acme Tutors"
        current = app.screen.query(QuestionBubble).last()
        assert "What do you offer" in bubble_text(current)
        assert current.has_class("-current")


async def test_typing_a_name_on_the_welcome_screen_starts_it(app_factory, store):
    """Letters other than n/r/o typed before anything is focused begin the name."""
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"Bike Van", "enter")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        assert app.bench.session.title == "Bike Van"


async def test_n_then_a_name_starting_with_o_in_one_burst(app_factory, store):
    """After `n`, letters are the name's even before the focus has moved: `o` does not open
    a file, `r` does not resume."""
    from tests.ui.test_typing_burst import burst

    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)  # the welcome screen is up (keys before it are the terminal's)
        burst(app, "nor rides")
        for _ in range(100):  # the keys are queued: settle until the canvas has opened
            await settle(pilot)
            if isinstance(app.screen, InterviewScreen):
                break
        assert isinstance(app.screen, InterviewScreen)
        assert app.bench.session.title == "or rides"


async def test_answers_update_the_panel_and_progress(app_factory, store):
    session = new_session(store)
    app = app_factory(session=session)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = app.screen.query_one(ActivityPanel)
        assert not panel.candidate_list.display  # nothing yet
        await answer(pilot, "We bake sourdough and sell it in our shop")
        assert app.bench.current.id == "value_proposition.customers"
        assert store.load(session.id).answers["value_proposition.offer"].startswith("We bake")
        ids = [o.id for o in panel.candidate_list._options if o.id]
        assert ids == ["manufacturing", "store-operations"]
        changes = panel.query_one("#changes").render().plain
        assert "+ Manufacturing" in changes and "+ Store operations" in changes
        # "why": the quote highlighted inside the answer it came from
        why = panel.query_one("#why").render()
        assert "“We bake sourdough and sell it in our shop”" in why.plain
        assert any(why.plain[s.start : s.end] == "bake" for s in why.spans)
        assert "mentions “bake”" in why.plain
        # selecting another activity shows its own evidence; while the list is browsed,
        # the "what changed" lines make room for it
        assert panel.query_one("#changes").display
        panel.candidate_list.focus()
        await pilot.pause()
        assert not panel.query_one("#changes").display
        await pilot.press("down")
        await pilot.pause()
        assert "Store operations" in panel.query_one("#why").render().plain
        cells = app.screen.query("SetCell")
        assert "1/" in cells.first().render().plain


async def test_enter_on_an_empty_box_does_not_skip_and_ctrl_n_does(app_factory, store):
    app = app_factory(session=new_session(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        assert app.bench.current.id == "value_proposition.offer"
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.bench.current.id == "value_proposition.customers"
        skipped = app.screen.query(AnswerBubble).first()
        assert skipped.has_class("-skipped")


async def test_new_line_key_and_paste_make_multiline_answers(app_factory, store):
    app = app_factory(session=new_session(store))
    async with app.run_test(size=(100, 30)) as pilot:
        from textual import events

        await pilot.press(*"We bake", "ctrl+j", *"and deliver")
        box = app.screen.query_one(AnswerBox)
        assert box.text == "We bake\nand deliver"
        app.post_message(events.Paste("\npasted\nlines"))  # as the terminal sends it
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert (
            app.bench.answer_of("value_proposition.offer") == "We bake\nand deliver\npasted\nlines"
        )
        assert box.text == ""


async def test_tips_show_help_and_examples(app_factory, store):
    app = app_factory(session=new_session(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+t")
        await settle(pilot)
        tips = app.screen.query_one("TipsCard")
        assert "For example:" in tips.render().plain
        assert "specialty coffee" in tips.render().plain
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert not app.screen.query("TipsCard")


async def test_follow_ups_and_probes_appear_as_the_engine_asks_them(app_factory, store):
    app = app_factory(session=new_session(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await answer(pilot, "stuff")  # too vague: a "tell me more" probe comes next
        assert app.bench.current.id == "value_proposition.offer.more"
        probe = app.screen.query(QuestionBubble).last()
        assert "A little more detail" in bubble_text(probe)
        assert "What exactly do you sell" in bubble_text(probe)
        notes = " ".join(n.render().plain for n in app.screen.query("NoteBubble"))
        assert "one more detail" in notes
        await answer(pilot, "Sourdough, we bake it")
        await pilot.press("ctrl+n")  # customers
        await settle(pilot)
        await answer(pilot, "We are cheap")  # raises the bank's cost-focus follow-up
        notes = " ".join(n.render().plain for n in app.screen.query("NoteBubble"))
        assert "raised a follow-up question" in notes
        await pilot.press("ctrl+n")  # making
        await settle(pilot)
        assert app.bench.current.id == "value_proposition.cost_focus"
        assert "Follow-up" in bubble_text(app.screen.query(QuestionBubble).last())


async def test_back_edit_changes_the_activities(app_factory, store):
    app = app_factory(session=new_session(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await answer(pilot, "We bake bread")
        await answer(pilot, "Locals near our shop")
        panel = app.screen.query_one(ActivityPanel)
        assert [a.id for a in panel.state.canvas.activities] == [
            "manufacturing",
            "store-operations",
        ]
        # Ctrl+B reopens the previous answer, pre-filled; the draft is kept aside
        await pilot.press(*"half typed")
        await pilot.press("ctrl+b")
        await settle(pilot)
        box = app.screen.query_one(AnswerBox)
        assert box.text == "Locals near our shop"
        assert app.bench.interview.editing == "value_proposition.customers"
        await pilot.press("escape")  # cancel: the old answer stays, the draft comes back
        await settle(pilot)
        assert app.bench.interview.editing is None and box.text == "half typed"

        # edit the first answer from the transcript: focus it, Enter
        first = app.screen.query(AnswerBubble).first()
        first.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.bench.interview.editing == "value_proposition.offer"
        assert box.has_focus and box.text == "We bake bread"
        editing = app.screen.query(QuestionBubble).first()
        assert editing.has_class("-editing")
        await answer(pilot, "We advise cafés")
        diff = panel.state.diff
        assert diff.added == ("consulting",) and diff.removed == ("manufacturing",)
        assert ("store-operations", 2, 1) in diff.moved
        changes = panel.query_one("#changes").render().plain
        assert changes.startswith("After your edit")
        assert "+ Consulting" in changes and "− Manufacturing" in changes
        assert "↑ Store operations  #2 → #1" in changes
        # back to the question that was next, with the draft restored
        assert app.bench.current.id == "value_proposition.promise"
        assert box.text == "half typed"


async def test_answer_picker_and_palette_reopen_any_answer(app_factory, store):
    app = app_factory(session=new_session(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await answer(pilot, "We bake bread")
        await answer(pilot, "Locals")
        await pilot.press("ctrl+g")
        await pilot.pause()
        picker = app.screen
        assert type(picker).__name__ == "AnswerPicker"
        await pilot.press("up", "enter")
        await settle(pilot)
        assert app.bench.interview.editing == "value_proposition.offer"
        await pilot.press("escape")
        await settle(pilot)
        # the command palette lists "Edit answer: …" for each answer
        from canvas_tui.ui.commands import AnswerCommands

        targets = AnswerCommands(app.screen)._targets()
        assert [t[0] for t in targets] == ["value_proposition.offer", "value_proposition.customers"]
        # choosing one from another screen goes back to the interview, editing it
        await pilot.press("f3")
        await settle(pilot)
        AnswerCommands(app.screen)._edit("value_proposition.customers")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        assert app.bench.interview.editing == "value_proposition.customers"
        assert app.screen.query_one(AnswerBox).text == "Locals"


async def test_quit_and_resume_restores_the_exact_state(app_factory, store):
    session = new_session(store)
    app = app_factory(session=session)
    async with app.run_test(size=(100, 30)) as pilot:
        await answer(pilot, "We bake bread")
        await pilot.press("ctrl+n")
        await settle(pilot)
        await answer(pilot, "Freshness, we deliver daily")
        await pilot.press("ctrl+b")  # now editing the promise
        await settle(pilot)
        before_entries = app.screen.query_one(Transcript).entries
        before_current = app.bench.current.id
        before_panel = app.screen.query_one(ActivityPanel).state.canvas
        await pilot.press("ctrl+q")
    resumed = app_factory(resume=True)
    async with resumed.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(resumed.screen, InterviewScreen)
        assert resumed.bench.session.id == session.id
        assert resumed.bench.current.id == before_current == "value_proposition.promise"
        assert resumed.bench.interview.skipped == {"value_proposition.customers"}
        assert resumed.screen.query_one(Transcript).entries == before_entries
        assert resumed.screen.query_one(ActivityPanel).state.canvas == before_panel


async def test_resume_key_on_the_welcome_screen_opens_the_newest(app_factory, store):
    new_session(store, "Older", "s-older")
    store.save(store.load("s-older"))
    newest = new_session(store, "Newest", "s-newest")
    newest.answers["value_proposition.offer"] = "We bake"
    store.save(newest)
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)  # the progress appears once the bank is loaded, after a frame
        listed = app.screen.query_one("#sessions", OptionList)
        assert listed.option_count == 2
        first = listed.get_option_at_index(0).prompt.plain
        assert first.startswith("Newest") and "1 of" in first and "1 hour ago" in first
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.bench.session.id == "s-newest"
        assert app.bench.current.id == "value_proposition.customers"


async def test_markup_in_answers_and_titles_is_shown_literally(app_factory, store):
    session = new_session(store, "[red]Acme[/] <b>", "s-markup")
    app = app_factory(session=session)
    async with app.run_test(size=(100, 30)) as pilot:
        for text in ("[bold red]hi[/] we bake", "<b>shop</b> [link=x]y[/link]", "[/]"):
            await answer(pilot, text)
        bubbles = [b.render().plain for b in app.screen.query(AnswerBubble)]
        assert bubbles == ["[bold red]hi[/] we bake", "<b>shop</b> [link=x]y[/link]", "[/]"]
        assert "[red]Acme[/] <b>" in app.screen.query_one("#brand").render().plain
        why = app.screen.query_one("#why").render().plain
        assert "“[bold red]hi[/] we bake”" in why
        svg = app.export_screenshot()
        assert "[bold&#160;red]hi[/]" in svg or "[bold red]hi[/]" in svg
        # the command palette lists the answers (markup and all) without choking on them
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"edit")
        await pilot.pause(0.3)
        from textual.command import CommandPalette

        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")


async def test_narrow_terminal_collapses_the_panel(app_factory, store):
    app = app_factory(session=new_session(store))
    async with app.run_test(size=(80, 24)) as pilot:
        await answer(pilot, "We bake bread")
        screen = app.screen
        panel = screen.query_one(ActivityPanel)
        assert screen.has_class("-narrow")
        assert panel.styles.display == "none"
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert panel.styles.display == "block"
        assert screen.query_one("#chat").styles.display == "none"
        assert panel.candidate_list.has_focus
        await pilot.press("escape")
        await pilot.pause()
        assert panel.styles.display == "none"
        assert screen.query_one(AnswerBox).has_focus
        # widening the terminal brings the panel back beside the chat
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        assert not screen.has_class("-narrow") and panel.styles.display == "block"


async def test_a_half_typed_answer_survives_quitting(app_factory, store):
    session = new_session(store)
    app = app_factory(session=session)
    async with app.run_test(size=(100, 30)) as pilot:
        await answer(pilot, "We bake bread")
        from textual import events

        for char in "Locals and [b]cafés[/b]":  # a burst of keys, then Ctrl+Q at once
            key = "space" if char == " " else char
            app.post_message(events.Key(key, char))
        app.post_message(events.Key("ctrl+q", None))
        await pilot.pause()
    assert store.load(session.id).drafts == {
        "value_proposition.customers": "Locals and [b]cafés[/b]"
    }
    resumed = app_factory(resume=True)
    async with resumed.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert resumed.screen.query_one(AnswerBox).text == "Locals and [b]cafés[/b]"
        await pilot.press("enter")
        await settle(pilot)
        assert store.load(session.id).drafts == {}
        assert resumed.bench.answer_of("value_proposition.customers") == "Locals and [b]cafés[/b]"


async def test_in_a_browser_the_welcome_lists_only_this_participants_canvases(
    app_factory, store, monkeypatch
):
    from canvas_tui.ui.app import CanvasApp

    monkeypatch.setattr(CanvasApp, "is_web", property(lambda self: True))
    new_session(store, "A neighbour's canvas", "s-neighbour")
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        listed = app.screen.query_one("#sessions", OptionList)
        assert listed.option_count == 0 and not listed.display
        await pilot.press("ctrl+r")  # nothing of mine to resume
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("ctrl+o")  # no server files in a browser
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        app.screen.query_one("#title", Input).value = "Mine"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        listed = app.screen.query_one("#sessions", OptionList)
        assert [
            listed.get_option_at_index(i).prompt.plain.split("\n")[0]
            for i in range(listed.option_count)
        ] == ["Mine"]


def test_why_shows_each_answer_once_with_every_quote_highlighted():
    from canvas_tui.core.canvas.model import Activity
    from canvas_tui.core.inference.infer import Candidate, Evidence
    from canvas_tui.ui.widgets.activity_panel import why

    answer = "We tutor [maths] at school and online"
    evidence = (
        Evidence("q.offer", "tutor", 3, 8, "tutor"),
        Evidence("q.offer", "school", 20, 26, "school"),
        Evidence("q.offer", "gone", 0, 4, "stale"),  # no longer matches the answer
    )
    activity = Activity("service-delivery", "Service delivery", "problem_solving", 0.9)
    candidate = Candidate("service-delivery", "Service delivery", "problem_solving", 0.9, evidence)
    content = why(activity, candidate, {"q.offer": answer}, {"q.offer": "What do you offer?"})
    assert content.plain.count("What do you offer?") == 1
    assert f"“{answer}”" in content.plain and "“gone”" in content.plain
    assert "rules: tutor, school, stale" in content.plain
    highlighted = {
        content.plain[s.start : s.end] for s in content.spans if "reverse" in str(s.style)
    }
    assert highlighted == {"tutor", "school"}


async def test_quitting_right_after_an_answer_keeps_it(app_factory, store):
    """Enter and Ctrl+Q in the same instant: the text is kept (as the answer, or as the
    draft it still was when the quit came), never lost."""
    from textual import events

    session = new_session(store)
    app = app_factory(session=session)
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.query_one(AnswerBox).text = "We bake bread"
        app.post_message(events.Key("enter", None))
        app.post_message(events.Key("ctrl+q", None))  # before the answer is processed
        await pilot.pause()
        await app.workers.wait_for_complete()
    saved = store.load(session.id)
    kept = {**saved.drafts, **saved.answers}
    assert kept == {"value_proposition.offer": "We bake bread"}
