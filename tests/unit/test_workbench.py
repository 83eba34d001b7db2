"""The workbench: answering re-infers and saves; review decisions shape the canvas."""

from __future__ import annotations

import pytest

from canvas_tui.core.canvas.build import build_canvas, summarise
from canvas_tui.core.inference.infer import Inference
from canvas_tui.core.interview.session import Decisions, SessionStore
from canvas_tui.core.workbench import Workbench, diff_inferences, session_from_canvas
from tests.fakes import fake_infer


@pytest.fixture
def store(home):
    return SessionStore()


@pytest.fixture
def bench(bank, store):
    return Workbench(store.new("Bakery"), bank, catalogue=None, store=store, infer_fn=fake_infer)


def reload(bench, store, bank):
    return Workbench(
        store.load(bench.session.id), bank, catalogue=None, store=store, infer_fn=fake_infer
    )


def test_submit_saves_and_reports_the_activity_diff(bench, store, bank):
    step = bench.submit("We bake bread")
    assert step.diff.added == ("manufacturing",)
    assert store.load(bench.session.id).answers["value_proposition.offer"] == "We bake bread"
    bench.submit("Locals near our shop")
    step = bench.submit("Excellent advice, we advise on recipes")
    assert step.diff.added == ("consulting",)
    bench.jump("value_proposition.offer")
    step = bench.submit("We sell flour")
    assert step.diff.removed == ("manufacturing",)
    assert ("store-operations", 2, 1) in step.diff.moved


def test_diff_of_identical_inferences_is_empty():
    inference = fake_infer({"a.b": "bake"}, None)
    assert diff_inferences(inference, inference).empty


def test_vague_answer_queues_a_probe_that_is_asked_next(bench):
    step = bench.submit("stuff")
    assert step.probes_added == ("value_proposition.offer.more",)
    assert bench.current.id == "value_proposition.offer.more"
    bench.submit("Sourdough we bake daily")
    assert bench.current.id == "value_proposition.customers"
    assert "manufacturing" in [c.id for c in bench.inference.candidates]


def test_resume_restores_the_exact_state(bench, store, bank):
    bench.submit("We bake bread")
    bench.skip()
    bench.submit("Price")
    bench.back()  # editing the promise question
    resumed = reload(bench, store, bank)
    assert resumed.current.id == bench.current.id == "value_proposition.promise"
    assert resumed.interview.skipped == {"value_proposition.customers"}
    assert resumed.inference == bench.inference


def test_review_decisions_shape_the_canvas(bench, store, bank):
    bench.submit("We bake bread and sell in our shop; we advise on a subscription")
    ids = [a.id for a in bench.canvas().activities]
    assert ids[:3] == ["manufacturing", "store-operations", "recurring-billing"]
    assert [a.priority for a in bench.canvas().activities[:3]] == [1, 2, 3]

    bench.set_status("store-operations", "rejected")
    canvas = bench.canvas()
    # a rejected focus activity is replaced by the next best, and sorts last
    assert [a.id for a in canvas.focus] == ["manufacturing", "recurring-billing", "consulting"]
    assert canvas.activities[-1].id == "store-operations"
    assert "Store operations" not in canvas.blocks["key_activities"]

    custom = bench.add_custom("Sourdough school", "problem_solving")
    bench.set_focus([custom, "consulting"])
    bench.set_category("consulting", "supporting")
    bench.set_kpis("consulting", ["Repeat clients", " ", "NPS"])
    bench.set_partner("manufacturing", True)
    bench.set_status("manufacturing", "accepted")
    canvas = reload(bench, store, bank).canvas()
    focus = canvas.focus
    assert [a.id for a in focus] == [custom, "consulting"]
    assert focus[0].focus_reason.startswith("You picked it")
    consulting = next(a for a in canvas.activities if a.id == "consulting")
    assert consulting.category == "supporting" and consulting.kpis == ("Repeat clients", "NPS")
    manufacturing = next(a for a in canvas.activities if a.id == "manufacturing")
    assert manufacturing.partner_candidate and manufacturing.status == "accepted"
    # once something is accepted, the key activities block is the accepted ones + focus
    assert canvas.blocks["key_activities"] == ("Sourdough school", "Consulting", "Manufacturing")


def test_explicitly_empty_focus_is_kept(bench):
    bench.submit("We bake bread")
    bench.toggle_focus("manufacturing")
    assert bench.canvas().focus == ()
    bench.reset_focus()
    assert [a.id for a in bench.canvas().focus] == ["manufacturing"]


def test_move_focus(bench):
    bench.submit("We bake in our shop, we advise")
    bench.move_focus("consulting", -2)
    assert [a.id for a in bench.canvas().focus] == [
        "consulting",
        "manufacturing",
        "store-operations",
    ]


def test_picking_a_rejected_activity_for_the_focus_accepts_it(bench):
    bench.submit("We bake")
    bench.set_status("manufacturing", "rejected")
    bench.set_focus(["manufacturing"])
    assert bench.canvas().focus[0].status == "accepted"


def test_block_edits_override_and_reset(bench):
    bench.submit("We bake bread")
    bench.edit_block("key_partners", ["Mill", "  ", "Courier"])
    assert bench.canvas().blocks["key_partners"] == ("Mill", "Courier")
    bench.reset_block("key_partners")
    assert bench.canvas().blocks["key_partners"] == ()
    with pytest.raises(ValueError):
        bench.edit_block("nine", [])


def test_notes_and_assumptions(bench):
    bench.submit("We bake bread")
    bench.set_note("value_proposition.offer", "Check the oven capacity")
    bench.set_assumption("value_proposition.offer", True)
    bench.set_assumption("channels.reach", True)  # not answered: not in the canvas
    canvas = bench.canvas()
    assert canvas.notes == {"value_proposition.offer": "Check the oven capacity"}
    assert canvas.assumptions == ("value_proposition.offer",)
    bench.set_assumption("value_proposition.offer", False)
    bench.set_note("value_proposition.offer", "")
    assert bench.canvas().notes == {} and bench.canvas().assumptions == ()


def test_bad_review_values_are_refused(bench):
    with pytest.raises(ValueError):
        bench.set_status("x", "maybe")
    with pytest.raises(ValueError):
        bench.set_category("x", "magic")
    with pytest.raises(ValueError):
        bench.add_custom("  ")


def test_custom_ids_are_unique(bench):
    assert bench.add_custom("Wholesale") == "custom-wholesale"
    assert bench.add_custom("Wholesale") == "custom-wholesale-2"
    bench.remove_custom("custom-wholesale")
    assert [c.id for c in bench.decisions.custom] == ["custom-wholesale-2"]


def test_a_canvas_reopens_as_it_was(bench, store, bank):
    bench.submit("We bake bread; we advise on a subscription")
    bench.submit("Cafés")
    bench.set_status("consulting", "rejected")
    bench.add_custom("Flour milling", "production")
    bench.set_kpis("manufacturing", ["Loaves per hour"])
    bench.edit_block("key_partners", ["Mill"])
    bench.set_note("value_proposition.offer", "note")
    original = bench.canvas()
    fresh = store.new("placeholder")
    session = session_from_canvas(original, fresh, bank, None, infer_fn=fake_infer)
    reopened = Workbench(session, bank, None, store, infer_fn=fake_infer)
    assert reopened.canvas() == original


def test_summarise_splits_lists_lines_and_long_paragraphs():
    assert summarise("- Bread\n- Cakes\n\n* Coffee") == ["Bread", "Cakes", "Coffee"]
    assert summarise("1. One\n2) Two") == ["One", "Two"]
    short = "We bake. We sell."
    assert summarise(short) == [short]
    long = "We bake sourdough every night in our own ovens. " * 3 + "Cafés collect at dawn."
    assert len(summarise(long)) == 4
    assert summarise("  ") == []


def test_build_canvas_without_candidates_is_clean(bank):
    canvas = build_canvas(
        title="t",
        created="2026-01-01T00:00:00Z",
        bank=bank,
        answers={"value_proposition.customers": "Dog owners\nDog walkers"},
        inference=Inference(),
        decisions=Decisions(),
    )
    assert canvas.blocks["customer_segments"] == ("Dog owners", "Dog walkers")
    assert canvas.activities == () and canvas.dominant == "unknown"
    assert canvas.questions["value_proposition.customers"].startswith("Who are your customers")


def test_open_finds_the_bank_and_catalogue_of_a_session(store, tmp_path, capsys):
    from canvas_tui.cli import main
    from canvas_tui.core.errors import BankError

    session = store.new("Default bank")
    assert Workbench.open(session, store, infer_fn=fake_infer).bank.id == "default"
    main(["bank", "new", str(tmp_path / "mine")])
    custom = store.new("Mine", bank=str(tmp_path / "mine"), bank_id="mine")
    assert Workbench.open(custom, store, infer_fn=fake_infer).bank.id == "mine"
    gone = store.new("Gone", bank=str(tmp_path / "gone"))
    with pytest.raises(BankError, match="does not exist"):
        Workbench.open(gone, store)


def test_an_answer_goes_only_to_the_question_it_was_typed_for(bench, store):
    offer = "value_proposition.offer"
    assert bench.submit_to("value_proposition.customers", "Locals", save=False) is None
    assert bench.answer_of("value_proposition.customers") == ""
    step = bench.submit_to(offer, "We bake bread")
    assert step is not None and step.change.question == offer
    assert store.load(bench.session.id).answers[offer] == "We bake bread"
    assert bench.submit_to(offer, "We sell flour") is None  # no longer asked
    assert bench.answer_of(offer) == "We bake bread"


def test_what_the_interview_screen_reads(bench):
    offer = "value_proposition.offer"
    bench.set_draft(offer, "half typed")
    assert bench.asked().box_text == "half typed" and bench.asked().qid == offer
    bench.submit("We bake bread")
    assert bench.effective_answers() == {offer: "We bake bread"}
    assert bench.prompt_of(offer) == bench.bank.question(offer).prompt
    assert bench.prompt_of("nope.x") is None
    bench.jump(offer)
    assert bench.editing == offer
    assert bench.unsent_draft(offer, "We bake bread") == ""
    bench.set_note(offer, "ask about flour")
    bench.set_assumption(offer, True)
    assert bench.note_of(offer) == "ask about flour" and bench.is_assumption(offer)
    parts, _overall = bench.progress()
    assert parts[0].answered == 1 and parts[0].current
    assert bench.part_title(bench.bank.sets[0].id).startswith("Part 1 of ")


def test_an_activity_diff_sums_itself_up():
    from canvas_tui.core.workbench import ActivityDiff

    assert ActivityDiff().summary() == ""
    diff = ActivityDiff(added=("a", "b"), removed=("c",), moved=(("d", 1, 2),))
    assert diff.summary() == "2 added, 1 removed, 1 re-ranked"
    assert ActivityDiff(moved=(("d", 1, 2),)).summary() == "1 re-ranked"
