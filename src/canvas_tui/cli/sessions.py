"""`canvas-tui sessions`: list, rename, delete, duplicate and export saved sessions."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from canvas_tui.core.interview.session import SessionStore

from canvas_tui.cli.common import _check_output, _confirm, _emit, _format_for, _note


def _store(args: argparse.Namespace) -> SessionStore:
    from canvas_tui.core.interview.session import SessionStore

    home = getattr(args, "home", None)
    return SessionStore(Path(home).expanduser() if home else None)


def _report_store_problems(store: SessionStore) -> None:
    for problem in store.problems:
        _note(f"warning: {problem}")
    store.problems.clear()


def cmd_sessions_list(args: argparse.Namespace) -> int:
    from canvas_tui.core.team.reports import to_json
    from canvas_tui.core.team.sessions_report import (
        SESSIONS_FORMAT,
        BankCache,
        bank_problems,
        rows,
        text_table,
    )

    store = _store(args)
    cache = BankCache()
    items = rows(store, cache)
    problems = [str(p) for p in store.problems] + bank_problems(cache)
    _report_store_problems(store)
    for problem in bank_problems(cache):
        _note(f"warning: {problem}")
    if (args.format or "text") == "json":
        data = {
            "format": SESSIONS_FORMAT,
            "folder": str(store.folder),
            "sessions": [r.to_dict() for r in items],
            "problems": problems,
        }
        _emit(to_json(data), None)
    elif items:
        _emit(text_table(items), None)
    else:
        _note(f"no saved sessions in {store.folder}")
    return 0


def cmd_sessions_rename(args: argparse.Namespace) -> int:
    from canvas_tui.core.errors import SessionError
    from canvas_tui.core.team.sessions_report import resolve

    if not args.title.strip():
        raise SessionError("the new title is empty", hint='e.g. sessions rename ID "Acme v2"')
    store = _store(args)
    session_id = resolve(store, args.id)
    old = store.load(session_id).title
    session = store.rename(session_id, args.title)
    _note(f"renamed {session_id}: '{old}' -> '{session.title}'")
    return 0


def cmd_sessions_delete(args: argparse.Namespace) -> int:
    from canvas_tui.core.errors import SessionError
    from canvas_tui.core.team.sessions_report import resolve

    store = _store(args)
    session_id = resolve(store, args.id)
    session = store.load(session_id)
    answered = sum(1 for v in session.answers.values() if v.strip())
    if not args.yes:
        if not (sys.stdin and sys.stdin.isatty()):
            raise SessionError(
                f"not deleting session {session_id} without confirmation",
                hint="pass --yes to delete from a script",
            )
        if not _confirm(
            f"Delete session '{session.title}' ({session_id}, {answered} answer(s))? "
            "This cannot be undone."
        ):
            _note("nothing deleted")
            return 0
    store.delete(session_id)
    _note(f"deleted session {session_id} ('{session.title}')")
    return 0


def cmd_sessions_duplicate(args: argparse.Namespace) -> int:
    from canvas_tui.core.team.sessions_report import resolve

    store = _store(args)
    session_id = resolve(store, args.id)
    title = args.title.strip() if args.title else None
    copy = store.duplicate(session_id, title or None)
    _note(f"duplicated {session_id} as '{copy.title}'")
    print(copy.id)  # stdout: the new id alone, for scripts
    return 0


def cmd_sessions_export(args: argparse.Namespace) -> int:
    from canvas_tui.core.exports.render import render
    from canvas_tui.core.team.sessions_report import resolve, rows, session_canvas

    if args.format not in (None, "md", "html", "toml", "json"):
        from canvas_tui.core.errors import OutputError

        raise OutputError(
            f"a session cannot be exported as {args.format}", hint="use md, html, toml or json"
        )
    _check_output(args, *([args.template] if args.template else []))
    fmt = _format_for(args, default="md")
    store = _store(args)
    session_id = resolve(store, args.id)
    session = store.load(session_id)
    if not session.finished:
        row = next((r for r in rows(store) if r.id == session_id), None)
        progress = f" ({row.progress} questions done)" if row and row.total is not None else ""
        _note(f"note: session {session_id} is not finished{progress}; exporting what it has")
    canvas = session_canvas(session)
    template = Path(args.template) if args.template else None
    _emit(render(canvas, fmt, template=template), args.output)
    return 0
