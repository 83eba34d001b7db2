"""What the facilitator sees of a room: who has joined, each one's progress per set, the
answers flagged as assumptions, and the live merged canvas. UI-free.

`RoomReader.read()` reads the workshop folder's sessions (``DIR/sessions/*.json``); a
session's canvas (one inference) is computed again only when the session changed (its
``updated`` time and size of answers), so following a room of 20 costs one JSON read per
session per refresh plus one inference per participant who answered since. A session
that cannot be read is reported in ``notes``, never fatal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from canvas_tui.core.canvas.model import Canvas
from canvas_tui.core.errors import CanvasTuiError
from canvas_tui.core.interview.engine import Interview
from canvas_tui.core.interview.session import Session, SessionStore
from canvas_tui.core.team.merge import merge_canvases
from canvas_tui.core.team.merge_inputs import participant_names
from canvas_tui.core.team.merge_model import Merge, Participant
from canvas_tui.core.team.sessions_report import BankCache, session_canvas


@dataclass(frozen=True)
class Flagged:
    """An answer a participant flagged as an assumption to validate."""

    question: str  # the question's prompt (its id when the bank does not know it)
    answer: str


@dataclass(frozen=True)
class ParticipantRow:
    name: str
    session_id: str
    progress: dict[str, tuple[int, int]]  # set id -> (answered or skipped, questions)
    current_set: str | None  # the set of the question they are on (None: all done)
    assumptions: tuple[Flagged, ...] = ()
    finished: bool = False
    problem: str | None = None  # why progress is unknown (a bank that is gone)


@dataclass(frozen=True)
class Overview:
    rows: tuple[ParticipantRow, ...]
    merge: Merge | None  # None until someone has answered
    notes: tuple[str, ...] = ()


def participant_row(session: Session, cache: BankCache) -> ParticipantRow:
    try:
        bank, _ = cache.get(session)
    except CanvasTuiError as exc:
        return ParticipantRow(session.title, session.id, {}, None, problem=exc.message)
    interview = Interview(bank, dict(session.answers), set(session.skipped))
    progress = {set_id: (p.answered, p.total) for set_id, p in interview.progress_by_set().items()}
    current = interview.current
    flagged = tuple(
        Flagged(
            interview.prompts([qid]).get(qid, qid),
            session.answers.get(qid, ""),
        )
        for qid in session.assumptions
        if session.answers.get(qid, "").strip()
    )
    return ParticipantRow(
        session.title,
        session.id,
        progress,
        current.set_id if current is not None else None,
        flagged,
        session.finished,
    )


@dataclass
class RoomReader:
    folder: Path
    cache: BankCache = field(default_factory=BankCache)
    _canvases: dict[str, tuple[tuple[str, int], Canvas | None]] = field(default_factory=dict)

    def _canvas(self, session: Session, notes: list[str]) -> Canvas | None:
        key = (session.updated, len(session.answers) + sum(map(len, session.answers.values())))
        cached = self._canvases.get(session.id)
        if cached is not None and cached[0] == key:
            return cached[1]
        canvas: Canvas | None
        try:
            canvas = session_canvas(session, self.cache)
        except CanvasTuiError as exc:
            notes.append(f"{session.title}: left out of the merge ({exc.message})")
            canvas = None
        self._canvases[session.id] = (key, canvas)
        return canvas

    def read(self) -> Overview:
        store = SessionStore(self.folder)
        # in the order people joined; those who joined in the same second by name, with
        # numbers read as numbers ("Participant 2" before "Participant 10")
        sessions = sorted(store.sessions(), key=lambda s: (s.created, natural(s.title), s.id))
        notes = [str(p) for p in store.problems]
        rows = tuple(participant_row(s, self.cache) for s in sessions)
        answered = [s for s in sessions if any(v.strip() for v in s.answers.values())]
        items = [(s, c) for s in answered if (c := self._canvas(s, notes)) is not None]
        merge = None
        if items:
            names = participant_names([s.title for s, _ in items], [s.id for s, _ in items])
            people = [
                Participant(name, f"session {s.id}", canvas)
                for name, (s, canvas) in zip(names, items, strict=True)
            ]
            merge = merge_canvases(people, title="The room")
        return Overview(rows, merge, tuple(notes))


def natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key that reads runs of digits as numbers: "a2" < "a10"."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.casefold())
        for part in re.split(r"(\d+)", text)
        if part
    )


__all__ = ["Flagged", "Overview", "ParticipantRow", "RoomReader", "participant_row"]
