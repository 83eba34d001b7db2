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

SESSION_FORMAT = "canvas-tui-session/1"
#: What a person can decide about an activity (the canvas's ``status`` values).
STATUSES = ("suggested", "accepted", "rejected")


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
class ActivityDecision:
    """What the person decided about one inferred activity. None = keep the inferred value."""

    status: str = "suggested"
    category: str | None = None
    kpis: list[str] | None = None
    partner_candidate: bool | None = None
    name: str | None = None


@dataclass
class CustomActivity:
    id: str  # "custom-<slug>"
    name: str
    category: str = "supporting"
    kpis: list[str] = field(default_factory=list)
    partner_candidate: bool = False
    rationale: str = ""
    status: str = "accepted"


@dataclass
class Decisions:
    activities: dict[str, ActivityDecision] = field(default_factory=dict)
    custom: list[CustomActivity] = field(default_factory=list)
    focus: list[str] | None = None  # the person's top three in order; None = the inferred ones
    blocks: dict[str, list[str]] = field(default_factory=dict)  # edited canvas blocks

    def decision(self, activity_id: str) -> ActivityDecision:
        return self.activities.setdefault(activity_id, ActivityDecision())

    def new_custom_id(self, name: str) -> str:
        taken = {c.id for c in self.custom}
        base = f"custom-{slugify(name, limit=40, fallback='activity')}"
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        return candidate


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
                created=str(data.get("created") or now_rfc3339()),
                updated=str(data.get("updated") or now_rfc3339()),
                finished=bool(data.get("finished", False)),
                extra=extra,
            )
        except (TypeError, ValueError, AttributeError) as exc:
            raise bad(f"session data is malformed: {exc}") from None
        for activity_id, decision in session.decisions.activities.items():
            if decision.status not in STATUSES:
                raise bad(f"activity '{activity_id}' has unknown status {decision.status!r}")
        return session


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
        # a slug of the title (letters of any script) after a time stamp; never a path
        if not re.fullmatch(r"[^\W_][\w.-]*", session_id):
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
        session.touch()
        text = json.dumps(session.to_dict(), ensure_ascii=False, indent=1, sort_keys=False)
        # Sessions hold a founder's private answers: readable by their owner only.
        return atomic_write_text(self.path(session.id), text + "\n", mode=0o600)

    def _set_aside(self, path: Path, error: Exception) -> None:
        self.corrupt_folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        target = self.corrupt_folder / f"{path.stem}.{stamp}{path.suffix}"
        with contextlib.suppress(OSError):
            shutil.move(str(path), target)
        message = str(error.message) if isinstance(error, SessionError) else str(error)
        self.problems.append(
            Problem(
                str(path),
                f"unreadable session set aside as {target}: {message}",
                hint="nothing was overwritten; the file can be inspected there",
            )
        )

    def _read(self, path: Path) -> Session:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SessionError(f"not valid JSON: {exc}", file=path) from None
        return Session.from_dict(raw, file=path)

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
        path.unlink()

    def rename(self, session_id: str, title: str) -> Session:
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
