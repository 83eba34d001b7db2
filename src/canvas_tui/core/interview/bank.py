"""Question banks, the model: sets of questions, follow-up conditions and the bank itself.

Plain frozen dataclasses; `bank_loader.py` reads and validates a bank folder into them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

#: The nine blocks of the canvas, in the order the canvas is read.
BLOCKS: tuple[str, ...] = (
    "customer_segments",
    "value_propositions",
    "channels",
    "customer_relationships",
    "revenue_streams",
    "key_resources",
    "key_activities",
    "key_partners",
    "cost_structure",
)
#: The four guiding questions a set can serve.
GUIDES: tuple[str, ...] = ("value_proposition", "channels", "relationships", "revenue")


@dataclass(frozen=True)
class Condition:
    """When a follow-up applies: an earlier answer mentions a word or matches a pattern.

    ``mentions`` are words or phrases, read the way the catalogue reads answers
    (`mentions.py`): whole words with their inflections ("subscription": subscriptions),
    a trailing ``*`` any ending (``subscri*`` → subscribe, subscription), and not when
    negated ("we have no subscription"). ``matches`` is a regular expression, searched
    case-insensitively as it is.
    """

    questions: tuple[str, ...]
    mentions: tuple[str, ...] = ()
    matches: str = ""
    _regex: re.Pattern[str] | None = field(default=None, compare=False, repr=False)
    line: int | None = field(default=None, compare=False)

    @staticmethod
    def compile(matches: str) -> re.Pattern[str]:
        """The ``matches`` pattern (raises `re.error` when it is not valid)."""
        return re.compile(matches or r"(?!)", re.IGNORECASE)

    def holds(self, answers: Mapping[str, str]) -> bool:
        from canvas_tui.core.interview.mentions import mentioned

        regex = (self._regex or self.compile(self.matches)) if self.matches else None
        for qid in self.questions:
            text = answers.get(qid, "") or ""
            if not text.strip():
                continue
            if self.mentions and mentioned(text, self.mentions):
                return True
            if regex is not None and regex.search(text):
                return True
        return False


@dataclass(frozen=True)
class Question:
    id: str  # full id: "<set id>.<key>"
    set_id: str
    prompt: str
    help: str = ""
    examples: tuple[str, ...] = ()
    required: bool = False
    block: str = ""  # the canvas block its answer feeds, if any
    ask_if: Condition | None = None
    probe_of: str = ""  # set for a dynamic "tell me more" question
    line: int | None = None

    @property
    def key(self) -> str:
        return self.id.split(".", 1)[1] if "." in self.id else self.id

    @property
    def is_follow_up(self) -> bool:
        return self.ask_if is not None or bool(self.probe_of)


@dataclass(frozen=True)
class QuestionSet:
    id: str
    title: str
    guides: str
    guiding_question: str
    intro: str
    questions: tuple[Question, ...]
    minutes: float | None = None
    file: str = ""


@dataclass(frozen=True)
class Bank:
    id: str
    name: str
    path: Path
    sets: tuple[QuestionSet, ...]
    description: str = ""
    catalogue_files: tuple[Path, ...] = ()
    extends_default: bool = False

    def __iter__(self) -> Iterator[Question]:
        for qset in self.sets:
            yield from qset.questions

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(self)

    def question(self, qid: str) -> Question | None:
        return self._index().get(qid)

    def prompts(self, ids: Iterable[str]) -> dict[str, str]:
        """Question id -> its prompt, for the ids this bank knows (the interview's
        `prompts` adds its follow-up probes to these)."""
        return {qid: q.prompt for qid in ids if (q := self.question(qid)) is not None}

    def set(self, set_id: str) -> QuestionSet | None:
        return next((s for s in self.sets if s.id == set_id), None)

    def set_of(self, qid: str) -> QuestionSet | None:
        question = self.question(qid)
        return self.set(question.set_id) if question else self.set(qid.split(".", 1)[0])

    def sections(self) -> dict[str, str]:
        """Question id -> the guiding question its set serves (for inference)."""
        return {q.id: s.guides for s in self.sets for q in s.questions}

    def _index(self) -> dict[str, Question]:
        cached = self.__dict__.get("_index_cache")
        if cached is None:
            cached = {q.id: q for q in self}
            object.__setattr__(self, "_index_cache", cached)
        return cached

    @property
    def label(self) -> str:
        """How the bank is named in a canvas's meta: its id, or its folder."""
        return self.id
