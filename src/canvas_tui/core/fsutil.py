"""Atomic file writes: a reader sees the old file or the new one, never half of either.

Write a temporary file in the same folder, flush and fsync it, rename it over the target
(atomic on POSIX and Windows), then fsync the folder so the rename itself survives a crash.

The target is a regular file or nothing: a symlink is written through (atomically, at the
file it points to, so the link stays a link), a device, FIFO or socket is refused; the
node is never replaced by a regular file.

`BEFORE_REPLACE` is a test hook: called with the target after the temporary file is
complete and synced, just before the rename. The kill-mid-save test uses it to die inside
a save without guessing timings.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable
from pathlib import Path

from canvas_tui.core.errors import OutputError

#: Test hook (see the module's docstring): None in normal use.
BEFORE_REPLACE: Callable[[Path], None] | None = None


def _create_temp(folder: Path, name: str, mode: int) -> tuple[int, str]:
    """A new, unique temporary file next to the target, opened for writing.

    Created with `mode` through os.open, so the kernel applies the umask: nothing reads or
    changes the process umask (which would race with other threads creating files).
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = folder / f".{name}.{os.urandom(6).hex()}.tmp"  # = secrets.token_hex(6)
        try:
            return os.open(tmp, flags, mode), str(tmp)
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


def writable_target(path: Path | str, *, create_folder: bool = True) -> Path:
    """The regular file a write to `path` lands in (a symlink's target), or OutputError.

    Refused: a folder, a device, a FIFO or a socket; a file standing where a folder should
    be; with `create_folder=False`, a folder that does not exist (no silent mkdir).
    """
    given = Path(path)
    target = Path(os.path.realpath(given)) if given.is_symlink() else given
    try:
        info = os.stat(target)
    except (FileNotFoundError, NotADirectoryError):
        info = None
    except OSError as exc:
        raise OutputError(f"cannot write here: {exc.strerror or exc}", file=given) from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise OutputError("is a folder", file=given, hint="give a file name, not a folder")
        if not stat.S_ISREG(info.st_mode):
            kind = (
                "a FIFO"
                if stat.S_ISFIFO(info.st_mode)
                else "a socket"
                if stat.S_ISSOCK(info.st_mode)
                else "a device"
            )
            raise OutputError(
                f"is {kind}, not a regular file: refusing to replace it",
                file=given,
                hint="write to a regular file and copy it there yourself",
            )
    folder = target.parent if str(target.parent) else Path(".")
    blocker = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        raise OutputError(f"cannot write here: {blocker} is a file, not a folder", file=given)
    if not create_folder and not folder.is_dir():
        raise OutputError(
            f"the folder {folder} does not exist",
            file=given,
            hint="create it first, or choose another output path",
        )
    return target


def atomic_write_bytes(
    path: Path | str, data: bytes, *, mode: int | None = None, create_folder: bool = True
) -> Path:
    """Write `data` to `path` atomically.

    `mode` is the new file's permission bits; by default what a plain open() would give
    (0o666 minus the umask) since a private 0o600 is wrong for an export.
    `create_folder=False` refuses a missing folder instead of creating it.
    """
    target = writable_target(path, create_folder=create_folder)
    folder = target.parent if str(target.parent) else Path(".")
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
        if BEFORE_REPLACE is not None:
            BEFORE_REPLACE(target)
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


def atomic_write_text(
    path: Path | str, text: str, *, mode: int | None = None, create_folder: bool = True
) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"), mode=mode, create_folder=create_folder)


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
