"""The transcript rules, without a screen: which questions show and in what state, when
back is allowed, and where a note or an assumption flag goes."""

from __future__ import annotations

from canvas_tui.core.interview import transcript
from canvas_tui.core.interview.engine import Interview

OFFER, CUSTOMERS, PROMISE = (
    "value_proposition.offer",
    "value_proposition.customers",
    "value_proposition.promise",
)


def kinds(entries):
    return [(e.kind, e.qid, e.state) for e in entries]


def test_a_new_interview_shows_the_intro_and_the_first_question_only(bank):
    interview = Interview(bank)
    entries = transcript.entries(interview, bank)
    assert entries[0].kind == "intro" and entries[0].title.startswith("Part 1 of ")
    assert kinds(entries[1:]) == [("question", OFFER, "current")]
    assert not transcript.back_allowed(interview)
    assert transcript.reopenable(interview) == []


def test_answers_skips_and_step_notes_show_in_order(bank):
    interview = Interview(bank)
    interview.answer("We roast coffee")
    interview.skip()
    entries = transcript.entries(
        interview, bank, notes={OFFER: "ask about beans"}, step_notes={OFFER: ["said"]}
    )
    assert kinds(entries[1:]) == [
        ("question", OFFER, "asked"),
        ("answer", OFFER, ""),
        ("facilitator", OFFER, ""),
        ("note", "", ""),
        ("question", CUSTOMERS, "asked"),
        ("answer", CUSTOMERS, "skipped"),
        ("question", PROMISE, "current"),
    ]
    assert transcript.back_allowed(interview)
    assert [q.id for q in transcript.reopenable(interview)] == [OFFER, CUSTOMERS]


def test_editing_marks_the_reopened_question_and_the_one_waiting(bank):
    interview = Interview(bank)
    interview.answer("We roast coffee")
    interview.answer("Cafés")
    interview.jump(OFFER)
    states = {(e.kind, e.qid): e.state for e in transcript.entries(interview, bank)}
    assert states[("question", OFFER)] == "editing"
    assert states[("answer", OFFER)] == "editing"
    assert states[("question", PROMISE)] == "waiting"
    # the flag goes to the answer being changed; a note to the question being asked
    assert transcript.assumption_target(interview) == OFFER
    assert transcript.note_target(interview) == OFFER


def test_tips_show_only_when_asked_for_and_only_on_the_current_question(bank):
    interview = Interview(bank)
    assert not any(e.kind == "tips" for e in transcript.entries(interview, bank))
    tips = [e for e in transcript.entries(interview, bank, show_tips=True) if e.kind == "tips"]
    assert [e.qid for e in tips] == [OFFER]


def test_flag_and_note_targets(bank):
    interview = Interview(bank)
    assert transcript.assumption_target(interview) is None  # nothing answered yet
    assert transcript.note_target(interview) == OFFER  # the question being asked
    interview.answer("We roast coffee")
    assert transcript.assumption_target(interview) == OFFER  # the last answer given
    assert transcript.note_target(interview) == CUSTOMERS
    # the answer in focus wins; an unanswered focus is no flag target
    assert transcript.assumption_target(interview, CUSTOMERS) == OFFER
    assert transcript.note_target(interview, OFFER) == OFFER
    entries = transcript.entries(interview, bank, assumptions=[OFFER])
    assert [e.flagged for e in entries if e.kind == "answer"] == [True]


def test_when_every_question_is_answered_the_transcript_ends_with_done(bank):
    interview = Interview(bank)
    while interview.current is not None:
        interview.answer("plain words")
    entries = transcript.entries(interview, bank)
    assert entries[-1].kind == "done" and entries[-1].title == transcript.DONE_TITLE
    assert transcript.back_allowed(interview)
    last = interview.active()[-1].id
    assert transcript.note_target(interview) == last == transcript.assumption_target(interview)
