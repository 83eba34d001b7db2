"""Atomic writes: whole files, sensible permissions, clear errors."""

from __future__ import annotations

import os
import stat

import pytest

from canvas_tui.core.errors import OutputError
from canvas_tui.core.fsutil import atomic_write_text
from canvas_tui.core.interview.session import SessionStore

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")


@posix_only
def test_exports_get_the_umask_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        path = atomic_write_text(tmp_path / "canvas.html", "<html>")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert path.read_text() == "<html>"


@posix_only
def test_writing_never_touches_the_process_umask(tmp_path, monkeypatch):
    """Flipping the umask to read it races with worker threads creating files."""
    old = os.umask(0o027)
    calls: list[int] = []
    monkeypatch.setattr(os, "umask", lambda mask: calls.append(mask) or 0o027)
    try:
        path = atomic_write_text(tmp_path / "canvas.md", "# Canvas")
        private = atomic_write_text(tmp_path / "s.json", "{}", mode=0o600)
    finally:
        monkeypatch.undo()
        os.umask(old)
    assert calls == []
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert stat.S_IMODE(private.stat().st_mode) == 0o600


@posix_only
def test_session_files_are_private(home):
    store = SessionStore()
    session = store.new("Secret plans")
    assert stat.S_IMODE(store.path(session.id).stat().st_mode) == 0o600


def test_replacing_leaves_no_temporary_files(tmp_path):
    target = tmp_path / "out.md"
    atomic_write_text(target, "one")
    atomic_write_text(target, "two")
    assert target.read_text() == "two"
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]


def test_writing_onto_a_folder_is_a_clear_error(tmp_path):
    (tmp_path / "d").mkdir()
    with pytest.raises(OutputError, match="is a folder"):
        atomic_write_text(tmp_path / "d", "x")
    assert [p.name for p in tmp_path.iterdir()] == ["d"]
