"""Saved sessions for facilitators: list them, find one by id, turn one into a canvas.

`canvas-tui sessions` (list, rename, delete, duplicate, export) and `canvas-tui merge
--workspace DIR` use these. A session records the bank folder it was made with; the bank
and its catalogue are loaded once per folder (`BankCache`), so listing or merging a room
of a hundred sessions reads each bank once. A bank that is gone never stops a listing:
that row's progress is unknown and the problem is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from canvas_tui.core.canvas.model import Canvas
from canvas_tui.core.errors import CanvasTuiError, SessionError
from canvas_tui.core.interview.session import Session, SessionStore

SESSIONS_FORMAT = "canvas-tui-sessions/1"


@dataclass
class BankCache:
    """Banks and catalogues by the folder a session names ("default" for the built-in)."""

    loaded: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    errors: dict[str, CanvasTuiError] = field(default_factory=dict)

    def get(self, session: Session) -> tuple[Any, Any]:
        from canvas_tui.core.interview.bank_loader import load_bank_catalogue
        from canvas_tui.core.workbench import bank_for

        key = session.bank or "default"
        if key in self.errors:
            raise self.errors[key]
        if key not in self.loaded:
            try:
                bank = bank_for(session)
                self.loaded[key] = (bank, load_bank_catalogue(bank))
            except CanvasTuiError as exc:
                self.errors[key] = exc
                raise
        return self.loaded[key]


@dataclass(frozen=True)
class SessionRow:
    id: str
    title: str
    bank: str
    answered: int  # questions with a non-empty answer
    settled: int | None  # answered or skipped, of the questions that apply now
    total: int | None  # the questions that apply now; None when the bank could not be loaded
    finished: bool
    created: str
    updated: str
    path: Path

    @property
    def progress(self) -> str:
        if self.finished:
            return "finished"
        if self.total is None or self.settled is None:
            return f"{self.answered} answered"
        return f"{self.settled}/{self.total}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "bank": self.bank,
            "answered": self.answered,
            "settled": self.settled,
            "questions": self.total,
            "finished": self.finished,
            "progress": self.progress,
            "created": self.created,
            "updated": self.updated,
            "file": str(self.path),
        }


def rows(store: SessionStore, cache: BankCache | None = None) -> list[SessionRow]:
    """One row per readable session, most recent first (corrupt ones go to store.problems)."""
    from canvas_tui.core.interview.engine import Interview

    cache = cache or BankCache()
    out = []
    for session in store.sessions():
        answered = sum(1 for v in session.answers.values() if v.strip())
        total: int | None = None
        settled: int | None = None
        try:
            bank, _ = cache.get(session)
            interview = Interview(
                bank,
                answers=dict(session.answers),
                skipped=set(session.skipped),
                probes=dict(session.probes),
            )
            progress = interview.progress()
            total, settled = progress.total, progress.answered  # Progress counts skips too
        except CanvasTuiError:
            pass
        out.append(
            SessionRow(
                id=session.id,
                title=session.title,
                bank=session.bank_id,
                answered=answered,
                settled=settled,
                total=total,
                finished=session.finished,
                created=session.created,
                updated=session.updated,
                path=store.path(session.id),
            )
        )
    return out


def bank_problems(cache: BankCache) -> list[str]:
    return [f"bank '{key}' of some sessions: {exc}" for key, exc in cache.errors.items()]


def resolve(store: SessionStore, given: str) -> str:
    """A session id from an exact id or a unique prefix of one."""
    store.path(given)  # validates the characters (SessionError otherwise)
    if store.path(given).is_file():
        return given
    ids = sorted(p.stem for p in store.folder.glob("*.json")) if store.folder.is_dir() else []
    matches = [i for i in ids if i.startswith(given)]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        shown = ", ".join(matches[:5]) + (", …" if len(matches) > 5 else "")
        raise SessionError(
            f"'{given}' matches {len(matches)} sessions: {shown}",
            hint="give more of the id",
        )
    raise SessionError(
        f"no saved session '{given}' in {store.folder}",
        hint="'canvas-tui sessions' lists them; --home DIR picks another folder",
    )


def session_canvas(session: Session, cache: BankCache | None = None) -> Canvas:
    """The canvas of a saved session, as the app would export it (nothing is saved)."""
    from canvas_tui.core.workbench import Workbench

    bank, catalogue = (cache or BankCache()).get(session)
    return Workbench(session, bank, catalogue, store=None).canvas()


def text_table(items: list[SessionRow]) -> str:
    """The listing for a terminal: aligned columns, most recent first."""
    header = ("ID", "TITLE", "BANK", "PROGRESS", "LAST CHANGE")
    table = [header] + [
        (r.id, _clip(r.title, 40), r.bank, r.progress, r.updated.replace("T", " ").rstrip("Z"))
        for r in items
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in table]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def load_session_participants(
    folder: Path | str, *, finished_only: bool = False
) -> tuple[list[tuple[str, str, Canvas]], list[str]]:
    """(title, session file, canvas) for each session of a workshop folder worth merging.

    Sessions with no answer are left out (someone opened the app and left); with
    ``finished_only`` unfinished ones are too. Returns the notes saying what was left out.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise SessionError("workshop folder does not exist", file=folder)
    store = SessionStore(folder)
    cache = BankCache()
    found: list[tuple[str, str, Canvas]] = []
    notes: list[str] = []
    sessions = sorted(store.sessions(), key=lambda s: (s.created, s.id))
    for session in sessions:
        if not any(v.strip() for v in session.answers.values()):
            notes.append(f"note: session {session.id} ('{session.title}') has no answers; left out")
            continue
        if finished_only and not session.finished:
            notes.append(f"note: session {session.id} ('{session.title}') is unfinished; left out")
            continue
        try:
            canvas = session_canvas(session, cache)
        except CanvasTuiError as exc:
            notes.append(f"warning: session {session.id} left out: {exc}")
            continue
        found.append((session.title, str(store.path(session.id)), canvas))
    notes.extend(f"warning: {p}" for p in store.problems)
    return found, notes
