"""What the interview transcript shows, and the rules the interview screen follows.

Pure functions of the interview state (no UI): which questions show and in what state
(`entries`), the question asked and what its answer box holds (`asked`, `unsent_draft`),
when "back", reopening an answer and keeping the old one apply (`back_allowed`,
`reopenable`, `editing`), which answer a facilitator note or an assumption flag belongs to
(`note_target`, `assumption_target`), what the progress row says (`progress`,
`part_title`) and what the app says after an answer (`step_notes`). The interview screen
draws these and forwards keys; the rules have plain unit tests (tests/unit/test_transcript.py).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from canvas_tui.core.interview.bank import Bank, Question
from canvas_tui.core.interview.engine import Change, Interview

DONE_TITLE = "That's every question — well done."
DONE_BODY = (
    "Press Enter or F3 to review the key activities: accept or reject them, pick the "
    "three to focus on, then see your canvas (F4) and export it (Ctrl+S). "
    "You can still change any answer above."
)


@dataclass(frozen=True)
class Entry:
    """One message of the transcript. `key` identifies it; `kind` picks its widget."""

    key: str
    kind: str  # intro | question | answer | note | facilitator | tips | done
    title: str = ""
    body: str = ""
    state: str = ""  # question: asked | current | editing | waiting; answer: skipped | editing
    qid: str = ""
    extra: tuple[str, ...] = ()  # intro: guiding question; tips: examples; question: label
    flagged: bool = False  # answer: flagged "assumption — to validate"


def question_label(question: Question) -> str:
    """The small label above a question: why it is asked, or that it may be skipped."""
    if question.probe_of:
        return "A little more detail, please"
    if question.ask_if is not None:
        return "Follow-up"
    if not question.required:
        return "Optional — Ctrl+N skips it"
    return ""


def part_title(bank: Bank, set_id: str | None) -> str:
    """ "Part 2 of 4 · Channels": a question set as the intro and the countdown name it
    (empty for a set the bank does not have)."""
    for number, qset in enumerate(bank.sets, start=1):
        if qset.id == set_id:
            return f"Part {number} of {len(bank.sets)} · {qset.title}"
    return ""


def entries(
    interview: Interview,
    bank: Bank,
    *,
    notes: Mapping[str, str] = {},
    assumptions: Collection[str] = (),
    show_tips: bool = False,
    step_notes: Mapping[str, Sequence[str]] = {},
) -> list[Entry]:
    """The transcript: each part's intro, every question answered, skipped, being asked or
    next, its answer, facilitator note, tips (when shown) and what the app said after it."""
    current = interview.current
    editing = interview.editing if current is not None else None
    active = interview.active()
    first_pending = next(
        (q for q in active if not interview.is_answered(q.id) and q.id not in interview.skipped),
        None,
    )
    flagged = set(assumptions)
    result: list[Entry] = []
    seen_sets: set[str] = set()
    for question in active:
        answered = interview.is_answered(question.id)
        skipped = question.id in interview.skipped and not answered
        is_current = current is not None and question.id == current.id
        is_next = first_pending is not None and question.id == first_pending.id
        if not (answered or skipped or is_current or is_next):
            continue
        if question.set_id not in seen_sets:
            seen_sets.add(question.set_id)
            qset = bank.set(question.set_id)
            if qset is not None:
                result.append(
                    Entry(
                        key=f"intro:{qset.id}",
                        kind="intro",
                        title=part_title(bank, qset.id),
                        body=qset.intro,
                        extra=(qset.guiding_question,),
                    )
                )
        if editing == question.id:
            state = "editing"
        elif is_current:
            state = "current"
        elif is_next and editing is not None:
            state = "waiting"
        else:
            state = "asked"
        label = question_label(question)
        result.append(
            Entry(
                key=f"q:{question.id}",
                kind="question",
                body=question.prompt,
                state=state,
                qid=question.id,
                extra=(label,) if label else (),
            )
        )
        if answered or skipped:
            result.append(
                Entry(
                    key=f"a:{question.id}",
                    kind="answer",
                    body=interview.answers.get(question.id, ""),
                    state="editing" if state == "editing" else ("skipped" if skipped else ""),
                    qid=question.id,
                    flagged=answered and question.id in flagged,
                )
            )
        note = notes.get(question.id, "")
        if note:
            result.append(
                Entry(key=f"fnote:{question.id}", kind="facilitator", body=note, qid=question.id)
            )
        if state in ("current", "editing") and show_tips:
            result.append(
                Entry(
                    key=f"tips:{question.id}",
                    kind="tips",
                    body=question.help,
                    qid=question.id,
                    extra=tuple(question.examples),
                )
            )
        for n, said in enumerate(step_notes.get(question.id, ())):
            result.append(Entry(key=f"note:{question.id}:{n}", kind="note", body=said))
    if current is None:
        result.append(Entry(key="done", kind="done", title=DONE_TITLE, body=DONE_BODY))
    return result


def back_allowed(interview: Interview) -> bool:
    """ "Back" reopens the previous question: not on the first one, nor with none shown."""
    active = interview.active()
    return bool(active) and (interview.current is None or active[0].id != interview.current.id)


def reopenable(interview: Interview) -> list[Question]:
    """The questions whose answer may be reopened: answered or skipped, in order."""
    return [
        q for q in interview.active() if interview.is_answered(q.id) or q.id in interview.skipped
    ]


def assumption_target(interview: Interview, focused: str | None = None) -> str | None:
    """The answer an assumption flag is for: the answer in focus, else the answer being
    changed, else the last answer given before the question being asked."""
    if focused is not None and interview.is_answered(focused):
        return focused
    current = interview.current
    if current is not None and interview.is_answered(current.id):
        return current.id  # an answer reopened for editing
    active = interview.active()
    ids = [q.id for q in active]
    stop = ids.index(current.id) if current is not None and current.id in ids else len(ids)
    for question in reversed(active[:stop]):
        if interview.is_answered(question.id):
            return question.id
    return None


def note_target(interview: Interview, focused: str | None = None) -> str | None:
    """The question a facilitator note is for: the answer in focus, else the question
    being asked, else (every question answered) the last one answered."""
    if focused is not None:
        return focused
    if interview.current is not None:
        return interview.current.id
    return assumption_target(interview)


@dataclass(frozen=True)
class Asked:
    """The question being asked, as the answer box and its label need it."""

    qid: str | None  # None: every question is answered or skipped
    prompt: str = ""
    #: an earlier answer is reopened: a new answer replaces it, Esc keeps the old one
    editing: bool = False
    #: what the box holds when it is filled for this question: its draft, else (when
    #: reopened) the answer given
    box_text: str = ""
    #: nothing answered yet (the empty box may offer to audit a drafted list)
    first: bool = True


def asked(interview: Interview, drafts: Mapping[str, str] = {}) -> Asked:
    """The question asked now and what its answer box starts with."""
    current = interview.current
    first = not interview.answers
    if current is None:
        return Asked(None, first=first)
    editing = interview.editing is not None
    text = drafts.get(current.id, "")
    if not text and editing:
        text = interview.answers.get(current.id, "")
    return Asked(current.id, current.prompt, editing, text, first)


def unsent_draft(interview: Interview, qid: str, text: str) -> str:
    """What of the box's `text` for `qid` is a draft to keep: the reopened answer,
    untouched, is none."""
    return "" if qid in interview.answers and text == interview.answers[qid] else text


def editing(interview: Interview) -> str | None:
    """The answer being changed (reopened and still asked), if any: Esc keeps the old one."""
    return interview.editing if interview.current is not None else None


@dataclass(frozen=True)
class PartProgress:
    """One cell of the progress row: a question set's answered and active questions."""

    title: str
    answered: int
    total: int
    current: bool  # the question asked is in this set


def progress(interview: Interview, bank: Bank) -> tuple[list[PartProgress], float]:
    """Each question set's progress, in order, and the share of all questions done."""
    current = interview.current
    parts = []
    for qset in bank.sets:
        done = interview.progress(qset)
        parts.append(
            PartProgress(
                qset.title,
                done.answered,
                done.total,
                current is not None and current.set_id == qset.id,
            )
        )
    return parts, interview.progress().fraction


def step_notes(change: Change, probes_added: Sequence[str] = ()) -> list[str]:
    """What the app says after an answer: it asked for more detail, raised follow-ups,
    or made follow-ups no longer apply (their answers are kept)."""
    notes: list[str] = []
    follow_ups = [q for q in change.added if q not in probes_added]
    if probes_added:
        notes.append(
            "That answer is a little general for me to suggest activities from, "
            "so I've asked for one more detail."
        )
    if follow_ups:
        notes.append(
            "Your answer raised a follow-up question."
            if len(follow_ups) == 1
            else f"Your answer raised {len(follow_ups)} follow-up questions."
        )
    if change.dropped:
        n = len(change.dropped)
        notes.append(
            f"{n} follow-up question{'s' if n > 1 else ''} no longer appl{'y' if n > 1 else 'ies'}; "
            "anything you wrote there is kept."
        )
    return notes
