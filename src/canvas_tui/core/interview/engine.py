"""The interview: which question comes next, answering, skipping, going back, editing.

A state machine over plain data. Its whole state is

* ``answers``  question id -> text (answers to follow-ups that stopped applying are kept,
  dormant, so nothing a person typed is ever lost; they are just not *effective*);
* ``skipped``  question ids the person chose to pass over;
* ``probes``   question id -> a "tell me more" prompt, set by the caller from inference
  when an answer is too vague; it is asked as the dynamic question ``<id>.more``;
* ``editing``  the question the person went back to, or None.

The current question is the one being edited, else the first *pending* question: active,
neither answered nor skipped. That single rule gives "follow-ups are queued": a follow-up
that starts to apply after an edit becomes pending and is asked next.

It knows nothing of screens or terminals.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from canvas_tui.core.interview.bank import Bank, Question, QuestionSet

PROBE_SUFFIX = ".more"


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int

    @property
    def fraction(self) -> float:
        return self.answered / self.total if self.total else 1.0

    @property
    def complete(self) -> bool:
        return self.answered >= self.total


@dataclass(frozen=True)
class Change:
    """What one answer did to the interview: for the UI to say "new question added"."""

    question: str
    edited: bool
    added: tuple[str, ...] = ()  # follow-ups that now apply
    dropped: tuple[str, ...] = ()  # follow-ups that no longer apply


@dataclass
class Interview:
    bank: Bank
    answers: dict[str, str] = field(default_factory=dict)
    skipped: set[str] = field(default_factory=set)
    probes: dict[str, str] = field(default_factory=dict)
    editing: str | None = None

    # ------------------------------------------------------------------ the questions

    def _probe_question(self, parent: Question) -> Question:
        return Question(
            id=parent.id + PROBE_SUFFIX,
            set_id=parent.set_id,
            prompt=self.probes.get(parent.id)
            or "Could you tell me a bit more? A concrete example helps me understand.",
            help="The more concrete the answer — what exactly you do, for whom, how — the better "
            "the suggestions.",
            probe_of=parent.id,
        )

    def _probe_applies(self, parent: Question) -> bool:
        probe_id = parent.id + PROBE_SUFFIX
        if not self.answers.get(parent.id, "").strip():
            return False
        # Sticky once answered or skipped, so answering it never makes it vanish again.
        return parent.id in self.probes or probe_id in self.answers or probe_id in self.skipped

    def active(self, qset: QuestionSet | None = None) -> list[Question]:
        """The questions that apply now, in asking order (probes right after their parent)."""
        sets = [qset] if qset is not None else list(self.bank.sets)
        result: list[Question] = []
        for current_set in sets:
            for question in current_set.questions:
                if question.ask_if is not None and not question.ask_if.holds(self.answers):
                    continue
                result.append(question)
                if self._probe_applies(question):
                    result.append(self._probe_question(question))
        return result

    def question(self, qid: str) -> Question | None:
        """A bank question, or an active probe question."""
        found = self.bank.question(qid)
        if found is not None:
            return found
        if qid.endswith(PROBE_SUFFIX):
            parent = self.bank.question(qid[: -len(PROBE_SUFFIX)])
            if parent is not None:
                return self._probe_question(parent)
        return None

    def is_active(self, qid: str) -> bool:
        return any(q.id == qid for q in self.active())

    def is_answered(self, qid: str) -> bool:
        return bool(self.answers.get(qid, "").strip())

    def pending(self) -> list[Question]:
        return [q for q in self.active() if not self.is_answered(q.id) and q.id not in self.skipped]

    @property
    def current(self) -> Question | None:
        if self.editing is not None:
            question = self.question(self.editing)
            if question is not None and self.is_active(self.editing):
                return question
            self.editing = None
        pending = self.pending()
        return pending[0] if pending else None

    @property
    def done(self) -> bool:
        return self.current is None

    def set_of(self, question: Question) -> QuestionSet:
        found = self.bank.set(question.set_id)
        assert found is not None, question.id
        return found

    # ------------------------------------------------------------------ moving

    def answer(self, text: str) -> Change:
        """Answer the current question. Empty text counts as a skip."""
        question = self.current
        if question is None:
            raise ValueError("the interview is done: there is no question to answer")
        if not text.strip():
            self.skip()
            return Change(question.id, edited=False)
        before = {q.id for q in self.active()}
        edited = self.is_answered(question.id)
        self.answers[question.id] = text
        self.skipped.discard(question.id)
        self.editing = None
        after = {q.id for q in self.active()}
        order = [q.id for q in self.active()]
        added = tuple(qid for qid in order if qid not in before)
        dropped = tuple(sorted(before - after))
        return Change(question.id, edited=edited, added=added, dropped=dropped)

    def skip(self) -> None:
        question = self.current
        if question is None:
            return
        if not self.is_answered(question.id):
            self.skipped.add(question.id)
        self.editing = None

    def back(self) -> Question | None:
        """Reopen the question before the current one (the last one when done)."""
        active = self.active()
        if not active:
            return None
        current = self.current
        index = (
            len(active)
            if current is None
            else next((i for i, q in enumerate(active) if q.id == current.id), len(active))
        )
        if index == 0:
            return current
        self.editing = active[index - 1].id
        return active[index - 1]

    def jump(self, qid: str) -> Question:
        """Reopen any active question to edit it."""
        if not self.is_active(qid):
            raise KeyError(f"no active question '{qid}'")
        self.editing = qid
        question = self.question(qid)
        assert question is not None
        return question

    def cancel_edit(self) -> None:
        self.editing = None

    def set_probes(self, probes: Mapping[str, str]) -> tuple[str, ...]:
        """Replace the vague-answer probes; returns the probe questions that became pending."""
        before = {q.id for q in self.pending()}
        self.probes = {qid: text for qid, text in probes.items() if self.bank.question(qid)}
        return tuple(q.id for q in self.pending() if q.id not in before and q.probe_of)

    # ------------------------------------------------------------------ reading

    def prompts(self, ids: Iterable[str]) -> dict[str, str]:
        """Question id -> its prompt, for the ids this interview knows: the bank's
        (`Bank.prompts`) and the active follow-up probes."""
        return {qid: q.prompt for qid in ids if (q := self.question(qid)) is not None}

    def effective_answers(self) -> dict[str, str]:
        """The non-empty answers of the questions that apply now, in asking order."""
        return {q.id: self.answers[q.id] for q in self.active() if self.is_answered(q.id)}

    def dormant_answers(self) -> dict[str, str]:
        """Answers kept from follow-ups that no longer apply (shown, never used)."""
        active = {q.id for q in self.active()}
        return {
            qid: text for qid, text in self.answers.items() if qid not in active and text.strip()
        }

    def progress(self, qset: QuestionSet | None = None) -> Progress:
        active = self.active(qset)
        settled = sum(1 for q in active if self.is_answered(q.id) or q.id in self.skipped)
        return Progress(settled, len(active))

    def progress_by_set(self) -> dict[str, Progress]:
        return {qset.id: self.progress(qset) for qset in self.bank.sets}

    def unanswered_required(self) -> list[Question]:
        return [q for q in self.active() if q.required and not self.is_answered(q.id)]

    @classmethod
    def replay(
        cls, bank: Bank, answers: Mapping[str, str], skipped: Iterable[str] = ()
    ) -> Interview:
        """An interview in the state reached by answering `answers` (for restore/tests)."""
        return cls(bank, dict(answers), set(skipped))
