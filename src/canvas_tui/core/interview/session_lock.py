"""One writer per session: an advisory lock file next to each session.

``sessions/.<id>.lock`` is locked with ``fcntl.flock`` by the process that has the session
open (the app, for as long as the canvas is open) or is writing it (a CLI command, for the
moment of the write). The kernel drops the lock when the process ends, however it ends,
so a crash never leaves a stale lock. The file holds the owner's pid and since when, for
the message the second writer gets.

Within one process a lock is counted, not exclusive: two workbenches of one app (or a test
that restarts an app in-process) share it. Between processes it is exclusive: a second
app opens the session read-only, and `sessions rename` / `delete` refuse while it is open.

Taking over: the second app may ask for the session explicitly. It writes
``sessions/.<id>.takeover`` (`request_take_over`); the app holding the lock checks for
that file (`take_over_requested`, about once a second), saves, gives the lock back and
goes on read-only; the asker then holds the lock (`try_acquire`) and removes the request
(`clear_take_over`). Nothing is written by two processes at once, and nothing saved is
lost: the asker reloads the session from disk once it holds the lock.

On platforms without ``fcntl`` (Windows) locking is a no-op.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from canvas_tui.core.errors import SessionError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]  # no fcntl module on Windows: None means no lock


class SessionBusy(SessionError):
    """The session is open (being written) in another process."""


@dataclass
class _Held:
    fd: int
    count: int


_HELD: dict[str, _Held] = {}
_GUARD = threading.Lock()


def lock_path(session_file: Path) -> Path:
    return session_file.with_name(f".{session_file.stem}.lock")


def _owner(path: Path) -> str:
    with contextlib.suppress(OSError, UnicodeDecodeError):
        text = path.read_text(encoding="utf-8").strip()
        if text:
            return text
    return "another process"


def acquire(session_file: Path) -> None:
    """Take the session's lock (counted within this process) or raise SessionBusy."""
    if fcntl is None:
        return
    path = lock_path(session_file)
    key = str(path.resolve()) if path.parent.exists() else str(path)
    with _GUARD:
        held = _HELD.get(key)
        if held is not None:
            held.count += 1
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return  # a read-only folder: no one can write the session there anyway
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise SessionBusy(
                f"session '{session_file.stem}' is open in another canvas-tui ({_owner(path)})",
                file=session_file,
                hint="close it there first, or work on a copy: canvas-tui sessions duplicate",
            ) from None
        stamp = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.write(fd, f"pid {os.getpid()}, since {stamp}\n".encode())
        _HELD[key] = _Held(fd, 1)


def release(session_file: Path) -> None:
    """Give back one hold of the session's lock (the last one unlocks it)."""
    if fcntl is None:
        return
    path = lock_path(session_file)
    key = str(path.resolve()) if path.parent.exists() else str(path)
    with _GUARD:
        held = _HELD.get(key)
        if held is None:
            return
        held.count -= 1
        if held.count > 0:
            return
        del _HELD[key]
        with contextlib.suppress(OSError):
            os.ftruncate(held.fd, 0)
        with contextlib.suppress(OSError):
            fcntl.flock(held.fd, fcntl.LOCK_UN)
        os.close(held.fd)


def held(session_file: Path) -> bool:
    """Whether this process holds the session's lock."""
    path = lock_path(session_file)
    key = str(path.resolve()) if path.parent.exists() else str(path)
    with _GUARD:
        return key in _HELD


@contextlib.contextmanager
def locked(session_file: Path) -> Iterator[None]:
    """Hold the session's lock for a moment (one write), or raise SessionBusy."""
    acquire(session_file)
    try:
        yield
    finally:
        release(session_file)


def take_over_path(session_file: Path) -> Path:
    return session_file.with_name(f".{session_file.stem}.takeover")


def request_take_over(session_file: Path) -> None:
    """Ask the process that has the session open to give it up (see the module notes)."""
    stamp = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    with contextlib.suppress(OSError):
        take_over_path(session_file).write_text(
            f"pid {os.getpid()}, since {stamp}\n", encoding="utf-8"
        )


def take_over_requested(session_file: Path) -> bool:
    """Whether another process asked for this session, which this process holds."""
    return held(session_file) and take_over_path(session_file).exists()


def clear_take_over(session_file: Path) -> None:
    with contextlib.suppress(OSError):
        take_over_path(session_file).unlink()


def try_acquire(session_file: Path) -> bool:
    """Take the session's lock if it is free (True), without raising."""
    try:
        acquire(session_file)
    except SessionBusy:
        return False
    return True
