"""The interview engine: order, answer, skip, back, edit, follow-ups, probes, progress."""

from __future__ import annotations

import pytest

from canvas_tui.core.interview.engine import Interview

VP_BASE = [
    "value_proposition.offer",
    "value_proposition.customers",
    "value_proposition.promise",
    "value_proposition.making",
]


def answer_until(interview: Interview, stop: str, text: str = "plain words") -> None:
    while interview.current is not None and interview.current.id != stop:
        interview.answer(text)


def test_starts_with_the_opening_question_and_walks_the_sets_in_order(bank):
    interview = Interview(bank)
    assert interview.current.id == "value_proposition.offer"
    seen = []
    while interview.current is not None:
        seen.append(interview.current.id)
        interview.answer("plain words")
    assert seen[:4] == VP_BASE
    assert seen[4] == "channels.reach"
    # no follow-up fires on "plain words"
    assert all(not bank.question(q).is_follow_up for q in seen)
    assert interview.done


def test_answer_moves_on_and_records(bank):
    interview = Interview(bank)
    change = interview.answer("We roast coffee")
    assert change.question == "value_proposition.offer" and not change.edited
    assert interview.answers["value_proposition.offer"] == "We roast coffee"
    assert interview.current.id == "value_proposition.customers"


def test_skip_passes_over_and_counts_in_progress(bank):
    interview = Interview(bank)
    interview.skip()
    assert interview.current.id == "value_proposition.customers"
    assert "value_proposition.offer" in interview.skipped
    assert interview.progress(bank.set("value_proposition")).answered == 1
    assert interview.unanswered_required()[0].id == "value_proposition.offer"


def test_empty_answer_is_a_skip(bank):
    interview = Interview(bank)
    interview.answer("   ")
    assert "value_proposition.offer" in interview.skipped
    assert "value_proposition.offer" not in interview.answers


def test_back_reopens_previous_then_returns_to_the_first_pending(bank):
    interview = Interview(bank)
    interview.answer("one")
    interview.answer("two")
    assert interview.back().id == "value_proposition.customers"
    assert interview.current.id == "value_proposition.customers"
    change = interview.answer("two, edited")
    assert change.edited
    assert interview.answers["value_proposition.customers"] == "two, edited"
    assert interview.current.id == "value_proposition.promise"


def test_back_at_the_first_question_stays_there(bank):
    interview = Interview(bank)
    assert interview.back().id == "value_proposition.offer"
    assert interview.current.id == "value_proposition.offer"


def test_back_from_done_reopens_the_last_question(bank):
    interview = Interview(bank)
    while not interview.done:
        interview.answer("x")
    assert interview.back().id == interview.active()[-1].id


def test_jump_edits_any_earlier_answer(bank):
    interview = Interview(bank)
    answer_until(interview, "channels.reach")
    interview.jump("value_proposition.offer")
    assert interview.current.id == "value_proposition.offer"
    interview.answer("new offer")
    assert interview.current.id == "channels.reach"


def test_jump_to_an_inactive_question_is_refused(bank):
    interview = Interview(bank)
    with pytest.raises(KeyError):
        interview.jump("revenue.churn")


def test_follow_up_is_asked_when_its_condition_holds(bank):
    interview = Interview(bank)
    answer_until(interview, "revenue.model")
    change = interview.answer("A monthly subscription box")
    assert "revenue.churn" in change.added
    answer_until(interview, "revenue.churn")
    assert interview.current.id == "revenue.churn"


def test_editing_drops_follow_ups_that_no_longer_apply_but_keeps_the_text(bank):
    interview = Interview(bank)
    answer_until(interview, "revenue.model")
    interview.answer("Monthly subscription")
    answer_until(interview, "revenue.churn")
    interview.answer("We call people who skip a delivery")
    interview.jump("revenue.model")
    change = interview.answer("One-off sales at markets")
    assert change.dropped == ("revenue.churn",)
    assert "revenue.churn" not in interview.effective_answers()
    assert interview.dormant_answers() == {"revenue.churn": "We call people who skip a delivery"}
    # and it comes back, answer intact, when the condition holds again
    interview.jump("revenue.model")
    interview.answer("Subscription after all")
    assert interview.effective_answers()["revenue.churn"] == "We call people who skip a delivery"


def test_new_follow_up_after_an_edit_is_queued_next(bank):
    interview = Interview(bank)
    answer_until(interview, "relationships.style")  # done with VP and channels
    interview.jump("channels.reach")
    change = interview.answer("We sell through Amazon and ship by courier")
    assert change.added == ("channels.partners", "channels.fulfilment")
    assert interview.current.id == "channels.partners"
    interview.answer("Amazon wants stock")
    assert interview.current.id == "channels.fulfilment"
    interview.answer("Courier")
    assert interview.current.id == "relationships.style"


def test_a_follow_up_can_depend_on_several_questions(bank):
    interview = Interview(bank)
    interview.answer("x")
    interview.answer("y")
    interview.answer("Bargain prices, always")  # promise mentions a low price
    assert interview.is_active("value_proposition.cost_focus")


def test_progress_per_set_and_overall(bank):
    interview = Interview(bank)
    interview.answer("a")
    interview.skip()
    by_set = interview.progress_by_set()
    assert by_set["value_proposition"].answered == 2
    assert by_set["value_proposition"].total == 4
    assert by_set["channels"].answered == 0
    overall = interview.progress()
    assert overall.answered == 2 and overall.total == sum(p.total for p in by_set.values())
    assert 0 < overall.fraction < 1 and not overall.complete


def test_probe_is_asked_after_a_vague_answer_and_is_sticky(bank):
    interview = Interview(bank)
    interview.answer("we sell stuff")
    added = interview.set_probes({"value_proposition.offer": "What stuff, and who buys it?"})
    assert added == ("value_proposition.offer.more",)
    assert interview.current.id == "value_proposition.offer.more"
    assert interview.current.prompt == "What stuff, and who buys it?"
    assert interview.current.probe_of == "value_proposition.offer"
    interview.answer("Second-hand bikes, refurbished, to students")
    # the probe no longer fires, yet the answer stays effective
    interview.set_probes({})
    assert interview.effective_answers()["value_proposition.offer.more"].startswith("Second-hand")
    assert interview.current.id == "value_proposition.customers"


def test_probes_for_unknown_questions_are_ignored(bank):
    interview = Interview(bank)
    assert interview.set_probes({"nope.x": "?"}) == ()
    assert interview.probes == {}


def test_answering_when_done_is_an_error(bank):
    interview = Interview(bank)
    while not interview.done:
        interview.skip()
    with pytest.raises(ValueError, match="done"):
        interview.answer("late")


def test_replay_restores_state(bank):
    first = Interview(bank)
    first.answer("a")
    first.skip()
    restored = Interview.replay(bank, first.answers, first.skipped)
    assert restored.current.id == first.current.id
    assert restored.progress() == first.progress()
