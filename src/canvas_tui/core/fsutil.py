"""Atomic file writes: a reader sees the old file or the new one, never half of either.

Write a temporary file in the same folder, flush and fsync it, rename it over the target
(atomic on POSIX and Windows), then fsync the folder so the rename itself survives a crash.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from canvas_tui.core.errors import OutputError


def _create_temp(folder: Path, name: str, mode: int) -> tuple[int, str]:
    """A new, unique temporary file next to the target, opened for writing.

    Created with `mode` through os.open, so the kernel applies the umask: nothing reads or
    changes the process umask (which would race with other threads creating files).
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = folder / f".{name}.{secrets.token_hex(6)}.tmp"
        try:
            return os.open(tmp, flags, mode), str(tmp)
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


def atomic_write_bytes(path: Path | str, data: bytes, *, mode: int | None = None) -> Path:
    """Write `data` to `path` atomically.

    `mode` is the new file's permission bits, set exactly; by default what a plain open()
    would give (0o666 minus the umask), since a private 0o600 is wrong for an export.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    blocker = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        raise OutputError(f"cannot write here: {blocker} is a file, not a folder", file=target)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = _create_temp(folder, target.name, 0o666 if mode is None else mode)
    except OSError as exc:
        raise OutputError(
            f"cannot write here: {exc.strerror or exc}",
            file=target,
            hint="choose a folder you can write to",
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            if os.name == "posix" and mode is not None:
                os.fchmod(handle.fileno(), mode)  # exactly `mode`, whatever the umask
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if target.is_dir():
            raise OutputError("is a folder", file=target, hint="give a file name, not a folder")
        os.replace(tmp_name, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise OutputError(f"cannot write: {exc.strerror or exc}", file=target) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _fsync_dir(folder)
    return target


def atomic_write_text(path: Path | str, text: str, *, mode: int | None = None) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"), mode=mode)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
