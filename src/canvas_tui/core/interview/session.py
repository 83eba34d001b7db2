"""Sessions: everything a person has typed or decided, saved after every change.

A `Session` is plain data (title, bank, answers, skips, review decisions, facilitator
notes, timestamps). A `SessionStore` keeps one JSON file per session in
``<data folder>/sessions/`` and writes it atomically (see fsutil). The data folder is
``$CANVAS_TUI_HOME`` when set, else the per-user data folder of the platform.

A session file that cannot be read is moved to ``sessions/corrupt/`` and reported: never
overwritten, never crashed on.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from canvas_tui.core.errors import Problem, SessionError
from canvas_tui.core.formatting import slugify
from canvas_tui.core.fsutil import atomic_write_text
from canvas_tui.core.inputs import parse_json, read_input_text
from canvas_tui.core.interview import session_lock
from canvas_tui.core.interview.decisions import (
    STATUSES,
    ActivityDecision,
    CustomActivity,
    Decisions,
)
from canvas_tui.core.interview.session_lock import SessionBusy

# re-exported: the error a second writer gets, and the review's data (decisions.py)
__all__ = ["STATUSES", "ActivityDecision", "CustomActivity", "Decisions", "SessionBusy"]

SESSION_FORMAT = "canvas-tui-session/1"


def now_rfc3339() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def data_home() -> Path:
    """The folder where sessions live: $CANVAS_TUI_HOME, else the platform's data folder."""
    override = os.environ.get("CANVAS_TUI_HOME")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("canvas-tui", appauthor=False)


# --------------------------------------------------------------------------- data


@dataclass
class DraftItem:
    """One line of the founder's own draft of key activities (issue 16), as read."""

    text: str
    line: int = 0  # its line in the draft (1-based); 0 when unknown
    label: str = ""  # the category the founder's label names, or ""
    label_text: str = ""  # that label as written


@dataclass
class ActivityDraft:
    """The founder's draft of key activities, kept with the session so the audit follows
    every answer and a resumed session still has it (docs/drafts.md)."""

    items: list[DraftItem] = field(default_factory=list)
    source: str = "draft"  # a file name, or "draft" for pasted text
    form: str = "list"  # "list" | "markdown" | "table" | "toml"
    #: the other blocks of a whole-canvas draft: block id -> items
    blocks: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Session:
    id: str
    title: str
    bank: str = "default"  # the bank folder, or "default"
    bank_id: str = "default"
    answers: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    probes: dict[str, str] = field(default_factory=dict)
    editing: str | None = None
    decisions: Decisions = field(default_factory=Decisions)
    notes: dict[str, str] = field(default_factory=dict)  # facilitator notes per question
    assumptions: list[str] = field(default_factory=list)  # answers flagged "to validate"
    timers: dict[str, float] = field(default_factory=dict)  # workshop: seconds used per set
    time_added: dict[str, float] = field(default_factory=dict)  # workshop: seconds added per set
    drafts: dict[str, str] = field(default_factory=dict)  # question id -> text typed, not sent
    #: the founder's own key-activities draft, audited against the answers (issue 16)
    activity_draft: ActivityDraft | None = None
    created: str = field(default_factory=now_rfc3339)
    updated: str = field(default_factory=now_rfc3339)
    finished: bool = False
    extra: dict[str, Any] = field(default_factory=dict)  # keys of newer versions, kept

    def touch(self) -> None:
        self.updated = now_rfc3339()

    # ------------------------------------------------------------------ (de)serialise

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        extra = data.pop("extra")
        data["skipped"] = sorted(set(self.skipped))
        if data["activity_draft"] is None:
            del data["activity_draft"]  # a session without a draft is written as before
        return {"format": SESSION_FORMAT, **extra, **data}

    @classmethod
    def from_dict(cls, data: Any, *, file: str | Path | None = None) -> Session:
        def bad(message: str) -> SessionError:
            return SessionError(
                message, file=file, hint="the file was set aside; start a new session"
            )

        if not isinstance(data, dict):
            raise bad("not a session (expected a JSON object)")
        if data.get("format") != SESSION_FORMAT:
            raise bad(f"unknown session format {data.get('format')!r}")
        known = {f for f in cls.__dataclass_fields__ if f != "extra"}
        extra = {k: v for k, v in data.items() if k not in known and k != "format"}
        try:
            decisions_raw = data.get("decisions") or {}
            decisions = Decisions(
                activities={
                    str(k): ActivityDecision(**v)
                    for k, v in (decisions_raw.get("activities") or {}).items()
                },
                custom=[CustomActivity(**c) for c in decisions_raw.get("custom") or []],
                focus=(
                    None
                    if decisions_raw.get("focus") is None
                    else [str(x) for x in decisions_raw["focus"]]
                ),
                blocks={
                    str(k): [str(i) for i in v]
                    for k, v in (decisions_raw.get("blocks") or {}).items()
                },
                accepted={
                    str(k): [str(i) for i in v]
                    for k, v in (decisions_raw.get("accepted") or {}).items()
                },
            )
            session = cls(
                id=_req_str(data, "id"),
                title=_req_str(data, "title"),
                bank=str(data.get("bank", "default")),
                bank_id=str(data.get("bank_id", "default")),
                answers=_str_map(data.get("answers")),
                skipped=[str(x) for x in data.get("skipped") or []],
                probes=_str_map(data.get("probes")),
                editing=data.get("editing") if isinstance(data.get("editing"), str) else None,
                decisions=decisions,
                notes=_str_map(data.get("notes")),
                assumptions=[str(x) for x in data.get("assumptions") or []],
                timers={str(k): float(v) for k, v in (data.get("timers") or {}).items()},
                time_added={str(k): float(v) for k, v in (data.get("time_added") or {}).items()},
                drafts=_str_map(data.get("drafts")),
                activity_draft=_activity_draft(data.get("activity_draft")),
                created=str(data.get("created") or now_rfc3339()),
                updated=str(data.get("updated") or now_rfc3339()),
                finished=bool(data.get("finished", False)),
                extra=extra,
            )
        except (TypeError, ValueError, AttributeError) as exc:
            raise bad(f"session data is malformed: {exc}") from None
        problem = _validate(session)
        if problem:
            raise bad(problem)
        return session


def _activity_draft(raw: Any) -> ActivityDraft | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ValueError("'activity_draft' must be an object")
    return ActivityDraft(
        items=[DraftItem(**item) for item in raw.get("items") or []],
        source=raw.get("source", "draft"),
        form=raw.get("form", "list"),
        blocks=dict(raw.get("blocks") or {}),
    )


#: Bounds of a saved draft (the parser's own are lower: core/draft/parse.py).
DRAFT_MAX_ITEMS = 100
DRAFT_MAX_CHARS = 2_000


def _validate_draft(draft: ActivityDraft) -> str | None:
    from canvas_tui.core.inference.catalogue_model import CATEGORIES
    from canvas_tui.core.interview.bank import BLOCKS

    def text(value: Any) -> bool:
        return isinstance(value, str) and len(value) <= DRAFT_MAX_CHARS

    if not text(draft.source) or not isinstance(draft.form, str):
        return "activity_draft: 'source' and 'form' must be strings"
    if not draft.items or len(draft.items) > DRAFT_MAX_ITEMS:
        return f"activity_draft: 1 to {DRAFT_MAX_ITEMS} items expected, not {len(draft.items)}"
    for n, item in enumerate(draft.items, start=1):
        where = f"activity_draft item {n}"
        if not text(item.text) or not item.text.strip():
            return f"{where}: 'text' must be a non-empty string"
        if not isinstance(item.line, int) or isinstance(item.line, bool) or item.line < 0:
            return f"{where}: 'line' must be a whole number, 0 or more"
        if item.label not in ("", *CATEGORIES):
            return f"{where} has unknown label {item.label!r}"
        if not text(item.label_text):
            return f"{where}: 'label_text' must be a string"
    for block, items in draft.blocks.items():
        if block not in BLOCKS or block == "key_activities":
            return f"activity_draft has unknown block {block!r}"
        if not isinstance(items, list) or not all(text(i) for i in items):
            return f"activity_draft block {block!r} must be a list of strings"
    return None


def _validate(session: Session) -> str | None:
    """What is wrong with a loaded (perhaps hand-edited) session, or None: every value
    export and the app rely on has its type and one of its allowed values."""
    from canvas_tui.core.inference.catalogue_model import CATEGORIES

    def str_list(value: Any) -> bool:
        return isinstance(value, list) and all(isinstance(x, str) for x in value)

    for activity_id, d in session.decisions.activities.items():
        where = f"activity '{activity_id}'"
        if d.status not in STATUSES:
            return f"{where} has unknown status {d.status!r}"
        if d.category is not None and d.category not in CATEGORIES:
            return f"{where} has unknown category {d.category!r}"
        if d.kpis is not None and not str_list(d.kpis):
            return f"{where}: 'kpis' must be a list of strings"
        if d.partner_candidate is not None and not isinstance(d.partner_candidate, bool):
            return f"{where}: 'partner_candidate' must be true or false"
        if d.name is not None and not isinstance(d.name, str):
            return f"{where}: 'name' must be a string"
    for c in session.decisions.custom:
        where = f"custom activity {c.id!r}"
        if not isinstance(c.id, str) or not isinstance(c.name, str):
            return f"{where}: 'id' and 'name' must be strings"
        if not isinstance(c.rationale, str):
            return f"{where}: 'rationale' must be a string"
        if c.status not in STATUSES:
            return f"{where} has unknown status {c.status!r}"
        if c.category not in CATEGORIES:
            return f"{where} has unknown category {c.category!r}"
        if not str_list(c.kpis):
            return f"{where}: 'kpis' must be a list of strings"
        if not isinstance(c.partner_candidate, bool):
            return f"{where}: 'partner_candidate' must be true or false"
    if session.activity_draft is not None:
        return _validate_draft(session.activity_draft)
    return None


def _req_str(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise ValueError(f"'{key}' must be a string")
    return value


def _str_map(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ValueError("expected a table of strings")
    return {str(k): v for k, v in value.items()}


# --------------------------------------------------------------------------- store

#: a slug of the title (letters of any script) after a time stamp; never a path
_ID = re.compile(r"[^\W_][\w.-]*")


@dataclass(frozen=True)
class SessionSummary:
    id: str
    title: str
    bank: str
    answered: int
    updated: str
    created: str
    finished: bool
    path: Path


class SessionStore:
    """One JSON file per session in ``root/sessions``; atomic saves; corrupt files set aside."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root is not None else data_home()
        self.folder = self.root / "sessions"
        self.corrupt_folder = self.folder / "corrupt"
        self.problems: list[Problem] = []

    def path(self, session_id: str) -> Path:
        if not _ID.fullmatch(session_id):
            raise SessionError(
                f"'{session_id}' is not a session id", hint="see 'canvas-tui sessions'"
            )
        return self.folder / f"{session_id}.json"

    def new(self, title: str, *, bank: str = "default", bank_id: str = "default") -> Session:
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        base = f"{stamp}-{slugify(title, limit=40, fallback='canvas')}"
        session_id, n = base, 2
        while self.path(session_id).exists():
            session_id, n = f"{base}-{n}", n + 1
        session = Session(
            id=session_id, title=title.strip() or "Untitled canvas", bank=bank, bank_id=bank_id
        )
        self.save(session)
        return session

    def save(self, session: Session) -> Path:
        """Write the session atomically, under its lock (SessionBusy when another process
        has it open: the other writer's answers are never overwritten)."""
        path = self.path(session.id)
        with session_lock.locked(path):
            session.touch()
            text = json.dumps(session.to_dict(), ensure_ascii=False, indent=1, sort_keys=False)
            # Sessions hold a founder's private answers: readable by their owner only.
            return atomic_write_text(path, text + "\n", mode=0o600)

    def open(self, session_id: str) -> None:
        """Hold the session's lock while it is open in this process (SessionBusy when
        another process has it open). `close` gives it back."""
        session_lock.acquire(self.path(session_id))

    def close(self, session_id: str) -> None:
        session_lock.release(self.path(session_id))

    def _set_aside(self, path: Path, error: Exception) -> None:
        """Move an unreadable session to ``corrupt/`` and report it; when it cannot be
        moved (a read-only data folder), leave it where it is, skipped, and report that."""
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        target = self.corrupt_folder / f"{path.stem}.{stamp}{path.suffix}"
        message = str(error.message) if isinstance(error, SessionError) else str(error)
        try:
            self.corrupt_folder.mkdir(parents=True, exist_ok=True)
            shutil.move(str(path), target)
        except OSError as exc:
            self.problems.append(
                Problem(
                    str(path),
                    f"unreadable session skipped: {message}; it could not be set aside "
                    f"({exc.strerror or exc})",
                    hint="nothing was overwritten; move or delete the file yourself",
                )
            )
            return
        self.problems.append(
            Problem(
                str(path),
                f"unreadable session set aside as {target}: {message}",
                hint="nothing was overwritten; the file can be inspected there",
            )
        )

    def _read(self, path: Path) -> Session:
        try:
            text = read_input_text(path, SessionError, what="session")
            raw = parse_json(text, path, SessionError)
        except SessionError as exc:
            raise SessionError(
                exc.message,
                file=path,
                line=exc.line,
                hint="the file was set aside; start a new session",
            ) from None
        session = Session.from_dict(raw, file=path)
        if session.id != path.stem:
            # A copied file (S-backup.json holding id S): the file name is the id, so a
            # save or a rename never writes into another session's file.
            self.problems.append(
                Problem(
                    str(path),
                    f"holds session id '{session.id}'; used as session '{path.stem}' "
                    "(the file name is the id)",
                    hint="a copied file is its own session from now on",
                )
            )
            session.id = path.stem
        return session

    def load(self, session_id: str) -> Session:
        path = self.path(session_id)
        if not path.is_file():
            raise SessionError(
                f"no saved session '{session_id}'",
                file=self.folder,
                hint="'canvas-tui sessions' lists them",
            )
        try:
            return self._read(path)
        except SessionError as exc:
            self._set_aside(path, exc)
            raise

    def sessions(self) -> list[Session]:
        """Every readable session, most recently changed first; corrupt ones set aside."""
        if not self.folder.is_dir():
            return []
        self._sweep_temporaries()
        found: list[tuple[str, int, Session]] = []
        for path in sorted(self.folder.glob("*.json")):
            if not _ID.fullmatch(path.stem):
                self.problems.append(
                    Problem(
                        str(path),
                        "skipped: the file name is not a session id",
                        hint="rename it to letters, digits, '.', '_' or '-' only",
                    )
                )
                continue
            try:
                session = self._read(path)
                found.append((session.updated, path.stat().st_mtime_ns, session))
            except SessionError as exc:
                self._set_aside(path, exc)
            except OSError:
                continue  # vanished while listing (deleted by another process)
        # `updated` has whole seconds; the file's mtime orders saves within one second.
        found.sort(key=lambda item: (item[0], item[1], item[2].id), reverse=True)
        return [session for _, _, session in found]

    def summaries(self) -> list[SessionSummary]:
        return [
            SessionSummary(
                id=s.id,
                title=s.title,
                bank=s.bank_id,
                answered=sum(1 for v in s.answers.values() if v.strip()),
                updated=s.updated,
                created=s.created,
                finished=s.finished,
                path=self.path(s.id),
            )
            for s in self.sessions()
        ]

    def _sweep_temporaries(self, older_than: float = 600.0) -> None:
        """Remove temporary files a killed save left behind (never a session file)."""
        limit = time.time() - older_than
        for tmp in self.folder.glob(".*.json.*.tmp"):
            with contextlib.suppress(OSError):
                if tmp.stat().st_mtime < limit:
                    tmp.unlink()

    def latest_unfinished(self) -> Session | None:
        return next((s for s in self.sessions() if not s.finished), None)

    def delete(self, session_id: str) -> None:
        path = self.path(session_id)
        if not path.exists():
            raise SessionError(
                f"no saved session '{session_id}'", hint="'canvas-tui sessions' lists them"
            )
        with session_lock.locked(path):
            path.unlink()

    def rename(self, session_id: str, title: str) -> Session:
        """Change the title, under the session's lock: refused (SessionBusy) while the
        session is open in an app, whose next save would undo it."""
        path = self.path(session_id)
        with session_lock.locked(path):
            session = self.load(session_id)
            session.title = title.strip() or session.title
            self.save(session)
        return session

    def duplicate(self, session_id: str, title: str | None = None) -> Session:
        original = self.load(session_id)
        copy = self.new(
            title or f"{original.title} (copy)", bank=original.bank, bank_id=original.bank_id
        )
        data = original.to_dict()
        data.update(id=copy.id, title=copy.title, created=copy.created, finished=False)
        duplicate = Session.from_dict(data)
        self.save(duplicate)
        return duplicate
