"""The transcript rules, without a screen: which questions show and in what state, when
back is allowed, and where a note or an assumption flag goes."""

from __future__ import annotations

from canvas_tui.core.interview import transcript
from canvas_tui.core.interview.engine import Change, Interview

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


def test_the_box_starts_with_the_draft_else_the_reopened_answer(bank):
    interview = Interview(bank)
    asked = transcript.asked(interview)
    assert (asked.qid, asked.editing, asked.box_text, asked.first) == (OFFER, False, "", True)
    assert transcript.asked(interview, {OFFER: "half typed"}).box_text == "half typed"
    interview.answer("We roast coffee")
    asked = transcript.asked(interview, {OFFER: "stale"})
    assert (asked.qid, asked.box_text, asked.first) == (CUSTOMERS, "", False)
    interview.jump(OFFER)
    asked = transcript.asked(interview)
    assert (asked.qid, asked.editing, asked.box_text) == (OFFER, True, "We roast coffee")
    assert asked.prompt == bank.question(OFFER).prompt
    # a draft typed over the reopened answer wins over the answer
    assert transcript.asked(interview, {OFFER: "We roast tea"}).box_text == "We roast tea"
    # the reopened answer, untouched, is no draft; a changed text is
    assert transcript.unsent_draft(interview, OFFER, "We roast coffee") == ""
    assert transcript.unsent_draft(interview, OFFER, "We roast tea") == "We roast tea"
    assert transcript.unsent_draft(interview, CUSTOMERS, "Cafés") == "Cafés"


def test_editing_names_the_answer_being_changed_only_while_it_is_asked(bank):
    interview = Interview(bank)
    assert transcript.editing(interview) is None
    interview.answer("We roast coffee")
    interview.jump(OFFER)
    assert transcript.editing(interview) == OFFER
    interview.answer("We roast tea")
    assert transcript.editing(interview) is None


def test_when_all_is_answered_nothing_is_asked(bank):
    interview = Interview(bank)
    while interview.current is not None:
        interview.answer("plain words")
    asked = transcript.asked(interview, {OFFER: "draft"})
    assert (asked.qid, asked.box_text, asked.editing) == (None, "", False)


def test_progress_counts_each_part_and_marks_the_one_asked(bank):
    interview = Interview(bank)
    parts, overall = transcript.progress(interview, bank)
    assert [p.title for p in parts] == [s.title for s in bank.sets]
    assert [p.current for p in parts] == [True] + [False] * (len(bank.sets) - 1)
    assert all(p.answered == 0 for p in parts) and overall == 0.0
    interview.answer("We roast coffee")
    parts, overall = transcript.progress(interview, bank)
    assert parts[0].answered == 1 and parts[0].total == interview.progress(bank.sets[0]).total
    assert overall == interview.progress().fraction > 0


def test_part_titles_number_the_sets(bank):
    first, last = bank.sets[0], bank.sets[-1]
    n = len(bank.sets)
    assert transcript.part_title(bank, first.id) == f"Part 1 of {n} · {first.title}"
    assert transcript.part_title(bank, last.id) == f"Part {n} of {n} · {last.title}"
    assert transcript.part_title(bank, "nope") == transcript.part_title(bank, None) == ""
    intro = transcript.entries(Interview(bank), bank)[0]
    assert intro.title == transcript.part_title(bank, first.id)


def test_step_notes_say_what_an_answer_did_to_the_questions():
    assert transcript.step_notes(Change(OFFER, False)) == []
    probe = OFFER + ".more"
    (said,) = transcript.step_notes(Change(OFFER, False, added=(probe,)), (probe,))
    assert "one more detail" in said
    assert transcript.step_notes(Change(OFFER, False, added=("a.b",))) == [
        "Your answer raised a follow-up question."
    ]
    two = transcript.step_notes(Change(OFFER, True, added=("a.b", "c.d"), dropped=("e.f",)))
    assert two == [
        "Your answer raised 2 follow-up questions.",
        "1 follow-up question no longer applies; anything you wrote there is kept.",
    ]
    (dropped,) = transcript.step_notes(Change(OFFER, True, dropped=("a.b", "c.d")))
    assert dropped.startswith("2 follow-up questions no longer apply;")
