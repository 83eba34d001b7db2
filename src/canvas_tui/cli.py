"""The `canvas-tui` command line.

`canvas-tui` alone opens the terminal app; the subcommands are headless and scriptable.
This module must not import textual or rich at import time (a test checks it): the TUI is
imported inside the handlers that start it, so `run`, `export` and `bank` start fast.

Exit status: 0 success, 1 an internal error (a bug), 2 bad input (one line on stderr).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from canvas_tui import __version__
from canvas_tui.core.errors import CanvasTuiError

if TYPE_CHECKING:
    from canvas_tui.core.canvas.model import Canvas
    from canvas_tui.core.interview.bank import Bank
    from canvas_tui.core.interview.session import SessionStore

PROG = "canvas-tui"


def _emit(text: str, output: str | None) -> None:
    """Write a result to a file (atomically) or to stdout as UTF-8."""
    if output and output != "-":
        from canvas_tui.core.fsutil import atomic_write_text

        atomic_write_text(output, text)
        return
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def _note(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr)


def _format_for(args: argparse.Namespace, default: str = "toml") -> str:
    if args.format:
        return args.format
    if args.output and args.output != "-":
        from canvas_tui.core.exports.render import EXTENSIONS

        suffix = Path(args.output).suffix.lower()
        for fmt, ext in EXTENSIONS.items():
            if (
                suffix == ext
                or (fmt == "md" and suffix == ".markdown")
                or (fmt == "html" and suffix == ".htm")
            ):
                return fmt
    return default


def _load_bank(args: argparse.Namespace) -> Bank:
    from canvas_tui.core.interview.bank import load_bank, load_default_bank

    folder = getattr(args, "bank", None) or getattr(args, "global_bank", None)
    return load_bank(folder) if folder else load_default_bank()


# --------------------------------------------------------------------------- handlers


def cmd_run(args: argparse.Namespace) -> int:
    from canvas_tui.core.exports.render import render
    from canvas_tui.core.headless import run_headless
    from canvas_tui.core.interview.answers import read_answers
    from canvas_tui.core.interview.bank import load_bank_catalogue

    answers = read_answers(args.answers)
    bank = _load_bank(args)
    catalogue = load_bank_catalogue(bank)
    result = run_headless(answers, bank, catalogue)
    for line in result.notes:
        _note(line)
    _emit(render(result.canvas, _format_for(args)), args.output)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from canvas_tui.core.exports.render import check_output_path, read_canvas, render

    if args.output and args.output != "-":
        check_output_path(args.output)
    canvas = read_canvas(args.canvas)
    fmt = _format_for(args, default="md")
    template = Path(args.template) if args.template else None
    _emit(render(canvas, fmt, template=template), args.output)
    return 0


def cmd_bank_check(args: argparse.Namespace) -> int:
    from canvas_tui.core.interview.bank import check_bank, load_bank

    problems = check_bank(args.folder)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        _note(f"{len(problems)} problem(s) in {args.folder}")
        return 2
    bank = load_bank(args.folder)
    questions = sum(len(s.questions) for s in bank.sets)
    print(f"{args.folder}: OK — bank '{bank.id}', {len(bank.sets)} sets, {questions} questions")
    return 0


def cmd_bank_new(args: argparse.Namespace) -> int:
    import shutil

    from canvas_tui.core.errors import OutputError
    from canvas_tui.resources import default_bank_dir

    target = Path(args.folder)
    if target.exists() and any(target.iterdir()):
        raise OutputError(
            "folder exists and is not empty", file=target, hint="choose a new folder name"
        )
    shutil.copytree(
        default_bank_dir(),
        target,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("__pycache__", ".*"),
    )
    manifest = target / "bank.toml"
    if manifest.is_file():
        text = manifest.read_text(encoding="utf-8")
        text = text.replace('id = "default"', f'id = "{target.name}"', 1)
        manifest.write_text(text, encoding="utf-8")
    print(f"created {target}: edit the TOML files, then run 'canvas-tui bank check {target}'")
    return 0


# --------------------------------------------------------------------------- facilitator


def _report_format(args: argparse.Namespace, choices: Sequence[str], default: str) -> str:
    """--format, else -o's extension (refused if this command cannot write it), else default."""
    if args.format:
        return args.format
    if args.output and args.output != "-":
        from canvas_tui.core.errors import OutputError
        from canvas_tui.core.team.reports import SUFFIX_FORMATS

        fmt = SUFFIX_FORMATS.get(Path(args.output).suffix.lower())
        if fmt is not None and fmt not in choices:
            raise OutputError(
                f"'{args.command}' cannot write {fmt}",
                file=args.output,
                hint=f"use one of: {', '.join(choices)}",
            )
        if fmt is not None:
            return fmt
    return default


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


def _confirm(question: str) -> bool:
    sys.stderr.write(f"{question} [y/N] ")
    sys.stderr.flush()
    answer = sys.stdin.readline()
    return answer.strip().lower() in ("y", "yes")


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
    store = _store(args)
    session_id = resolve(store, args.id)
    session = store.load(session_id)
    if not session.finished:
        row = next((r for r in rows(store) if r.id == session_id), None)
        progress = f" ({row.progress} questions done)" if row and row.total is not None else ""
        _note(f"note: session {session_id} is not finished{progress}; exporting what it has")
    canvas = session_canvas(session)
    template = Path(args.template) if args.template else None
    _emit(render(canvas, _format_for(args, default="md"), template=template), args.output)
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from canvas_tui.core.exports.render import read_canvas
    from canvas_tui.core.team.compare import diff_canvases, render_diff

    old = read_canvas(args.old)
    new = read_canvas(args.new)
    fmt = _report_format(args, ("md", "json", "text"), "text")
    if old.bank != new.bank:
        _note(f"note: the canvases come from different banks ({old.bank}, {new.bank})")
    diff = diff_canvases(old, new, old_file=args.old, new_file=args.new)
    _emit(render_diff(diff, fmt), args.output)
    return 0


def _canvas_files(given: Sequence[str]) -> list[Path]:
    """The files to merge: each argument, or the *.toml and *.json files of a folder."""
    files: list[Path] = []
    for name in given:
        path = Path(name)
        if path.is_dir():
            inside = sorted(
                p for p in path.iterdir() if p.suffix.lower() in (".toml", ".json") and p.is_file()
            )
            files.extend(inside)
        else:
            files.append(path)
    return files


def cmd_merge(args: argparse.Namespace) -> int:
    from canvas_tui.core.exports.render import read_canvas
    from canvas_tui.core.headless import creation_time
    from canvas_tui.core.team.merge import (
        MergeError,
        Participant,
        check_inputs,
        merge_canvases,
        participant_names,
        render_merge,
    )

    fmt = _report_format(args, ("md", "toml", "json"), "md")
    items: list[tuple[str, str, Canvas]] = []  # (title, source, canvas)
    seen: dict[Path, str] = {}
    target = Path(args.output).resolve() if args.output and args.output != "-" else None
    for path in _canvas_files(args.canvases):
        key = path.resolve()
        if key == target:
            _note(f"note: {path} is the output file; left out of the merge")
            continue
        if key in seen:
            raise MergeError(
                f"{path} is given twice (also as {seen[key]})",
                hint="each participant's canvas counts once; remove the repeat",
            )
        seen[key] = str(path)
        canvas = read_canvas(path)
        items.append((canvas.title, str(path), canvas))
    if args.workspace:
        from canvas_tui.core.team.sessions_report import load_session_participants

        found, notes = load_session_participants(
            Path(args.workspace).expanduser(), finished_only=args.finished_only
        )
        for line in notes:
            _note(line)
        items.extend(found)
    banks = check_inputs(
        [(source, canvas) for _, source, canvas in items],
        allow_mixed_banks=args.allow_mixed_banks,
    )
    if len(banks) > 1:
        _note(f"warning: merging canvases of different banks: {', '.join(banks)}")
    names = participant_names([t for t, _, _ in items], [s for _, s, _ in items])
    participants = [
        Participant(name, source, canvas)
        for name, (_, source, canvas) in zip(names, items, strict=True)
    ]
    result = merge_canvases(participants, title=args.title, created=creation_time())
    _emit(render_merge(result, fmt), args.output)
    if args.output and args.output != "-":
        _note(
            f"merged {len(participants)} canvases into {args.output}: "
            f"{len(result.consensus)} consensus activities, "
            f"{len(result.disagreements)} disagreement(s)"
        )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from canvas_tui.serve import serve_command

    return serve_command(args)


def cmd_tui(args: argparse.Namespace) -> int:
    from canvas_tui.ui.app import run_app

    return run_app(args) or 0


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="A guided interview for the Business Model Canvas: answer four sets of "
        "questions, review the key activities it infers, export the canvas.",
        epilog="Run without a command to open the terminal app.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--bank",
        dest="global_bank",
        metavar="DIR",
        help="question bank folder (default: the built-in bank)",
    )
    parser.add_argument(
        "--resume", action="store_true", help="resume the most recent unfinished session"
    )
    parser.add_argument(
        "--workshop",
        action="store_true",
        help="workshop mode: projector-friendly layout and timers per question set",
    )
    parser.add_argument(
        "--workspace",
        metavar="DIR",
        help="keep this session's files in DIR (used by 'serve' for each participant)",
    )
    parser.set_defaults(handler=cmd_tui, command=None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser(
        "run",
        help="answer the interview from a file, without the UI",
        description="Run the interview and inference on an answers file; print the canvas.",
    )
    run.add_argument("answers", metavar="ANSWERS.toml")
    run.add_argument(
        "--bank", metavar="DIR", help="question bank folder (default: the built-in bank)"
    )
    run.add_argument(
        "--format",
        choices=("toml", "md", "html", "json"),
        help="output format (default: from -o's extension, else toml)",
    )
    run.add_argument(
        "-o", "--output", metavar="FILE", help="write here (atomically) instead of stdout"
    )
    run.set_defaults(handler=cmd_run)

    export = sub.add_parser(
        "export",
        help="render a canvas file as Markdown, HTML, JSON or TOML",
        description="Render a canvas TOML/JSON file; the file alone is the source.",
    )
    export.add_argument("canvas", metavar="CANVAS.toml")
    export.add_argument(
        "--format",
        choices=("toml", "md", "html", "json"),
        help="output format (default: from -o's extension, else md)",
    )
    export.add_argument(
        "-o", "--output", metavar="FILE", help="write here (atomically) instead of stdout"
    )
    export.add_argument("--template", metavar="FILE", help="your own Jinja2 template (sandboxed)")
    export.set_defaults(handler=cmd_export)

    bank = sub.add_parser("bank", help="check or create question banks")
    bank_sub = bank.add_subparsers(dest="bank_command", metavar="ACTION", required=True)
    check = bank_sub.add_parser("check", help="validate a bank folder; exit 2 if it has problems")
    check.add_argument("folder", metavar="DIR")
    check.set_defaults(handler=cmd_bank_check)
    new = bank_sub.add_parser("new", help="copy the default bank into DIR as a starting point")
    new.add_argument("folder", metavar="DIR")
    new.set_defaults(handler=cmd_bank_new)

    open_ = sub.add_parser("open", help="open a canvas TOML file in the app")
    open_.add_argument("file", metavar="CANVAS.toml")
    open_.set_defaults(handler=cmd_tui)

    _add_sessions_parser(sub)
    _add_diff_merge_serve_parsers(sub)
    return parser


def _home_option(parser: argparse.ArgumentParser, *, inner: bool) -> None:
    parser.add_argument(
        "--home",
        metavar="DIR",
        # Given after the action too (`sessions rename ID T --home DIR`): an inner default
        # must not overwrite the value given before the action.
        default=argparse.SUPPRESS if inner else None,
        help="the data folder holding sessions/ (default: $CANVAS_TUI_HOME, else the "
        "per-user data folder); a workshop folder from 'serve --workspace'",
    )


def _add_sessions_parser(sub: argparse._SubParsersAction) -> None:
    sessions = sub.add_parser(
        "sessions",
        help="list, rename, delete, duplicate or export saved sessions",
        description="Saved sessions: without an action, list them (most recent first).",
    )
    _home_option(sessions, inner=False)
    sessions.add_argument(
        "--format", choices=("text", "json"), help="listing format (default: text)"
    )
    sessions.set_defaults(handler=cmd_sessions_list, output=None)
    actions = sessions.add_subparsers(dest="sessions_command", metavar="ACTION")

    list_ = actions.add_parser("list", help="list saved sessions (the default action)")
    _home_option(list_, inner=True)
    list_.add_argument(
        "--format", choices=("text", "json"), default=argparse.SUPPRESS, help="default: text"
    )
    list_.set_defaults(handler=cmd_sessions_list)

    rename = actions.add_parser("rename", help="give a session a new title")
    rename.add_argument("id", metavar="ID", help="session id (or a unique start of one)")
    rename.add_argument("title", metavar="TITLE")
    _home_option(rename, inner=True)
    rename.set_defaults(handler=cmd_sessions_rename)

    delete = actions.add_parser(
        "delete",
        help="delete a session (asks first; --yes for scripts)",
        description="Delete a saved session. On a terminal it asks first; from a script "
        "(no terminal) it refuses unless --yes is given.",
    )
    delete.add_argument("id", metavar="ID", help="session id (or a unique start of one)")
    delete.add_argument("--yes", "-y", action="store_true", help="do not ask")
    _home_option(delete, inner=True)
    delete.set_defaults(handler=cmd_sessions_delete)

    duplicate = actions.add_parser(
        "duplicate",
        help="copy a session to explore an alternative (prints the new id)",
    )
    duplicate.add_argument("id", metavar="ID", help="session id (or a unique start of one)")
    duplicate.add_argument("--title", metavar="TITLE", help="default: '<title> (copy)'")
    _home_option(duplicate, inner=True)
    duplicate.set_defaults(handler=cmd_sessions_duplicate)

    export = actions.add_parser(
        "export",
        help="render a session's canvas without opening the app",
        description="Render a saved session's canvas as Markdown, HTML, TOML or JSON.",
    )
    export.add_argument("id", metavar="ID", help="session id (or a unique start of one)")
    export.add_argument(
        "--format",
        choices=("md", "html", "toml", "json"),
        default=argparse.SUPPRESS,
        help="output format (default: from -o's extension, else md)",
    )
    export.add_argument(
        "-o", "--output", metavar="FILE", help="write here (atomically) instead of stdout"
    )
    export.add_argument("--template", metavar="FILE", help="your own Jinja2 template (sandboxed)")
    _home_option(export, inner=True)
    export.set_defaults(handler=cmd_sessions_export)


def _add_diff_merge_serve_parsers(sub: argparse._SubParsersAction) -> None:
    diff = sub.add_parser(
        "diff",
        help="what changed between two canvases of the same business",
        description="Compare two canvas files: activities added, removed, re-ranked and "
        "re-categorised, status changes, the business type mix, and the blocks.",
    )
    diff.add_argument("old", metavar="OLD.toml")
    diff.add_argument("new", metavar="NEW.toml")
    diff.add_argument(
        "--format",
        choices=("text", "md", "json"),
        help="output format (default: from -o's extension, else text)",
    )
    diff.add_argument(
        "-o", "--output", metavar="FILE", help="write here (atomically) instead of stdout"
    )
    diff.set_defaults(handler=cmd_diff)

    merge = sub.add_parser(
        "merge",
        help="merge a team's canvases: consensus, spread and disagreements",
        description="Merge participants' canvases into a team report (md) or a consensus "
        "canvas (toml/json, schema canvas-tui/1 plus a [merge] table). Consensus: "
        "activities named by at least half of the participants, ranked by mean priority.",
    )
    merge.add_argument(
        "canvases",
        metavar="CANVAS",
        nargs="*",
        help="canvas files (TOML or JSON), or folders holding them",
    )
    merge.add_argument(
        "--workspace",
        metavar="DIR",
        help="also merge the sessions saved in this workshop folder (see 'serve')",
    )
    merge.add_argument(
        "--finished-only",
        action="store_true",
        help="with --workspace: leave out unfinished sessions",
    )
    merge.add_argument(
        "--allow-mixed-banks",
        action="store_true",
        help="merge canvases made with different question banks (refused otherwise)",
    )
    merge.add_argument("--title", metavar="TITLE", help="title of the team canvas")
    merge.add_argument(
        "--format",
        choices=("md", "toml", "json"),
        help="output format (default: from -o's extension, else md)",
    )
    merge.add_argument(
        "-o", "--output", metavar="FILE", help="write here (atomically) instead of stdout"
    )
    merge.set_defaults(handler=cmd_merge)

    serve = sub.add_parser(
        "serve",
        help="serve the app to browsers (a workshop room)",
        description="Serve the app with textual-serve: each browser that connects gets its "
        "own session, saved in the workshop folder. Binds to 127.0.0.1 unless --host says "
        "otherwise; on any other address a join code is required in the URL.",
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument(
        "--workspace",
        metavar="DIR",
        help="the workshop folder where sessions are saved (default: $CANVAS_TUI_HOME, "
        "else ./workshop)",
    )
    serve.add_argument("--bank", metavar="DIR", help="question bank for every participant")
    serve.add_argument(
        "--code",
        metavar="CODE",
        help="the join code (default: generated; always required off loopback)",
    )
    serve.add_argument(
        "--public-url",
        metavar="URL",
        help="the address participants type, when it differs from http://HOST:PORT",
    )
    serve.set_defaults(handler=cmd_serve)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except CanvasTuiError as exc:
        _note(str(exc))
        return 2
    except BrokenPipeError:
        # The reader went away (`canvas-tui run x.toml | head`): not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: say so in one line, the traceback only on request
        if os.environ.get("CANVAS_TUI_DEBUG"):
            raise
        _note(
            f"internal error: {type(exc).__name__}: {exc} (set CANVAS_TUI_DEBUG=1 for the traceback)"
        )
        return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
