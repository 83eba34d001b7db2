"""The argparse parser of `canvas-tui` (arguments only; each command's handler lives in its own module)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

from canvas_tui import __version__

if TYPE_CHECKING:
    pass

from canvas_tui.cli.app import cmd_tui
from canvas_tui.cli.common import PROG
from canvas_tui.cli.documents import cmd_bank_check, cmd_bank_new, cmd_export, cmd_run
from canvas_tui.cli.sessions import (
    cmd_sessions_delete,
    cmd_sessions_duplicate,
    cmd_sessions_export,
    cmd_sessions_list,
    cmd_sessions_rename,
)
from canvas_tui.cli.team import cmd_diff, cmd_merge, cmd_room, cmd_serve


def _columns() -> int:
    """The terminal's width as `shutil.get_terminal_size().columns` finds it ($COLUMNS,
    else the terminal of stdout, else 80), without importing shutil (and with it bz2 and
    lzma: ~1.5 ms of every command)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
        columns = columns or 80
    return columns


class _Formatter(argparse.HelpFormatter):
    """argparse's help formatter, its width found by `_columns` (argparse makes one for
    every argument added, and its own way imports shutil)."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        if width is None:
            width = _columns() - 2  # argparse's own margin
        super().__init__(prog, indent_increment, max_help_position, width)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose help uses `_Formatter`; its sub-commands' parsers too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command; `only="run"`: of `run` alone (`main` asks for that
    when the arguments start with ``run``: the same parsing and messages, without building
    the other sixteen parsers, ~2-4 ms of every headless run)."""
    parser = _Parser(
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
    run.add_argument("answers", metavar="ANSWERS.toml", nargs="?")
    run.add_argument(
        "--template",
        action="store_true",
        help="print an answers file to fill in: every question id of the bank, its prompt "
        "as a comment",
    )
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
    run.add_argument(
        "--draft",
        metavar="FILE",
        help="your own draft of key activities (a list, Markdown or a canvas TOML) to audit "
        "against the answers",
    )
    run.set_defaults(handler=cmd_run)
    if only == "run":
        return parser

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


def _report_options(parser: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    """--format and -o of a facilitator report; the first format is the default."""
    parser.add_argument(
        "--format",
        choices=formats,
        help=f"output format (default: from -o's extension, else {formats[0]})",
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write here (atomically) instead of stdout"
    )


def _add_diff_merge_serve_parsers(sub: argparse._SubParsersAction) -> None:
    diff = sub.add_parser(
        "diff",
        help="what changed between two canvases of the same business (or, with --people, "
        "how two people's canvases differ)",
        description="Compare two canvas files: activities added, removed, re-ranked and "
        "re-categorised, status changes, the business type mix, and the blocks. With "
        "--people: two participants' canvases side by side.",
    )
    diff.add_argument("old", metavar="OLD.toml")
    diff.add_argument("new", metavar="NEW.toml")
    diff.add_argument(
        "--people",
        action="store_true",
        help="two people's canvases, not two dates: compare what each kept and wrote, "
        "leaving out unreviewed suggestions and generated key resources, costs and partners",
    )
    _report_options(diff, ("text", "md", "json"))
    diff.set_defaults(handler=cmd_diff)

    merge = sub.add_parser(
        "merge",
        help="merge a team's canvases: consensus, spread and disagreements",
        description="Merge participants' canvases into a team report (md), the team canvas "
        "as a printable page (html), or a consensus canvas (toml/json, schema canvas-tui/1 "
        "plus a [merge] table). Consensus: activities kept by at least half of the "
        "participants, ranked by mean priority.",
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
    _report_options(merge, ("md", "toml", "json", "html"))
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
        help="the join code, 8 to 64 letters, digits, - or _ (default: generated; always "
        "required off loopback)",
    )
    serve.add_argument(
        "--public-url",
        metavar="URL",
        help="the address participants type, when it differs from http://HOST:PORT",
    )
    serve.add_argument(
        "--warm",
        type=int,
        metavar="N",
        help="app processes to start ahead, so N participants joining at once start at once "
        "(default: 2; about 60 MB each while waiting); on Linux only if the fork server "
        "cannot run",
    )
    serve.add_argument(
        "--no-fork",
        action="store_true",
        help="no fork server: each participant's app is a process started on its own "
        "(Linux forks them from one prepared process, sharing its memory)",
    )
    serve.add_argument(
        "--workshop",
        action="store_true",
        help="a room: participants follow one timer and 'end the set' from the "
        "facilitator's 'canvas-tui room DIR'",
    )
    serve.set_defaults(handler=cmd_serve)

    room = sub.add_parser(
        "room",
        help="the facilitator's view of a 'serve --workshop' room: timer, progress, merge",
        description="Who has joined, each participant's progress per set, answers flagged "
        "as assumptions and the live merged canvas; keys start, pause and extend the room's "
        "timer and end the set for everybody.",
    )
    room.add_argument("workspace", metavar="DIR", help="the workshop folder of 'serve'")
    room.add_argument("--bank", metavar="DIR", help="question bank (when no room file exists)")
    room.set_defaults(handler=cmd_room)
