"""Who the participants of a served workshop are: their names, export folders, sessions.

A participant's browser holds a random token in an HttpOnly cookie; the server keeps
``DIR/participants/<id>.json`` where ``<id>`` is a hash of that token (the token itself is
never written down). The record holds the name the participant gave when joining, the
name of their own export folder (``DIR/exports/<folder>/``, from their name) and the ids
of the sessions they opened, so that a page reload brings them back to their canvas.

The server writes the name and folder (on joining); the participant's app process adds
session ids. Both write the file atomically. Pure logic and files: no web framework.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from canvas_tui.core.errors import CanvasTuiError
from canvas_tui.core.formatting import slugify
from canvas_tui.core.fsutil import atomic_write_text

NAME_LIMIT = 40
#: The most participants one workshop folder records: joining is bounded work.
MAX_PARTICIPANTS = 500
_ID = re.compile(r"[0-9a-f]{16}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class JoinNameError(CanvasTuiError):
    """A name a participant typed cannot be used (empty, too long)."""


def new_token() -> str:
    return secrets.token_urlsafe(24)


def participant_id(token: str) -> str:
    """The id a token stands for (16 hex digits; the token cannot be read back from it)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()[:16]


def valid_id(text: str) -> bool:
    return bool(_ID.fullmatch(text))


def clean_name(text: str) -> str:
    """The name as kept: control characters dropped, spaces collapsed (JoinNameError if
    nothing is left or it is longer than NAME_LIMIT)."""
    name = " ".join(_CONTROL.sub(" ", text or "").split())
    if not name:
        raise JoinNameError("give your name (or a nickname) to join")
    if len(name) > NAME_LIMIT:
        raise JoinNameError(f"a name of at most {NAME_LIMIT} characters, please")
    return name


@dataclass
class Participant:
    id: str
    name: str
    folder: str  # the export folder's name, under DIR/exports/
    sessions: list[str] = field(default_factory=list)

    @property
    def canvas_title(self) -> str:
        """The title of their canvases: their name, numbered as their folder is when
        another participant has the same name ("Alex", "Alex (2)"), so merge tells the
        two apart."""
        base = slugify(self.name, limit=40, fallback="participant")
        numbered = re.fullmatch(re.escape(base) + r"-(\d+)", self.folder)
        return f"{self.name} ({numbered.group(1)})" if numbered else self.name

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "folder": self.folder, "sessions": self.sessions}


class Registry:
    """The participants of the workshop in `workspace` (DIR/participants/*.json)."""

    def __init__(self, workspace: Path) -> None:
        self.workspace = workspace
        self.folder = workspace / "participants"
        self.exports = workspace / "exports"

    def path(self, pid: str) -> Path:
        if not valid_id(pid):
            raise ValueError(f"not a participant id: {pid!r}")
        return self.folder / f"{pid}.json"

    def get(self, pid: str) -> Participant | None:
        """The participant with this id, or None (unknown, or an unreadable record)."""
        try:
            data = json.loads(self.path(pid).read_text(encoding="utf-8"))
            sessions = [s for s in data.get("sessions", []) if isinstance(s, str)]
            name, folder = data["name"], data["folder"]
            if not isinstance(name, str) or not isinstance(folder, str):
                return None
            if slugify(folder) != folder:  # a folder name, never a path
                return None
            return Participant(pid, name, folder, sessions)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def save(self, participant: Participant) -> None:
        text = json.dumps(participant.to_dict(), ensure_ascii=False, indent=1)
        atomic_write_text(self.path(participant.id), text + "\n", mode=0o600)

    def join(self, pid: str, name: str) -> Participant:
        """Record (or change) the name of participant `pid`; their export folder is named
        after them on first joining (``alex``, then ``alex-2`` for a second Alex)."""
        name = clean_name(name)
        known = self.get(pid)
        if known is not None:
            known.name = name
            self.save(known)
            return known
        if self.folder.is_dir() and sum(1 for _ in self.folder.glob("*.json")) >= MAX_PARTICIPANTS:
            raise JoinNameError(
                f"this workshop is full ({MAX_PARTICIPANTS} participants)",
                hint="ask the facilitator",
            )
        participant = Participant(pid, name, self._free_folder(name))
        self.save(participant)
        return participant

    def _free_folder(self, name: str) -> str:
        taken = {p.folder for p in self.all()}
        base = slugify(name, limit=40, fallback="participant")
        candidate, n = base, 2
        while candidate in taken or (self.exports / candidate).exists():
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    def all(self) -> list[Participant]:
        if not self.folder.is_dir():
            return []
        found = (self.get(p.stem) for p in sorted(self.folder.glob("*.json")) if valid_id(p.stem))
        return [p for p in found if p is not None]

    def export_folder(self, participant: Participant) -> Path:
        return self.exports / participant.folder

    def add_session(self, pid: str, session_id: str) -> None:
        """Note that participant `pid` opened `session_id` (read, changed, written)."""
        participant = self.get(pid)
        if participant is not None and session_id not in participant.sessions:
            participant.sessions.append(session_id)
            self.save(participant)


EXPORT_NAME_LIMIT = 120


def export_name(text: str) -> str:
    """A participant's export file name: a name, never a path (OutputError otherwise).

    No folder separators, no ``.``/``..``, no leading dot, no control characters, at most
    EXPORT_NAME_LIMIT characters: the file can only land in the participant's own export
    folder, whatever they type.
    """
    from canvas_tui.core.errors import OutputError

    name = (text or "").strip()
    if not name:
        raise OutputError("give the file a name", hint="e.g. canvas.md")
    if "/" in name or "\\" in name or name in (".", ".."):
        raise OutputError(
            "a file name, not a path: exports go to your own folder",
            hint="e.g. canvas.md",
        )
    if name.startswith(".") or _CONTROL.search(name) or ":" in name:
        raise OutputError("that file name cannot be used", hint="letters, digits, '-', '.'")
    if len(name) > EXPORT_NAME_LIMIT:
        raise OutputError(f"a file name of at most {EXPORT_NAME_LIMIT} characters")
    return name
