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
    from canvas_tui.core.bank import Bank

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
        from canvas_tui.core.export import EXTENSIONS

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
    from canvas_tui.core.bank import load_bank, load_default_bank

    folder = getattr(args, "bank", None) or getattr(args, "global_bank", None)
    return load_bank(folder) if folder else load_default_bank()


# --------------------------------------------------------------------------- handlers


def cmd_run(args: argparse.Namespace) -> int:
    from canvas_tui.core.answers import read_answers
    from canvas_tui.core.bank import load_bank_catalogue
    from canvas_tui.core.export import render
    from canvas_tui.core.headless import run_headless

    answers = read_answers(args.answers)
    bank = _load_bank(args)
    catalogue = load_bank_catalogue(bank)
    result = run_headless(answers, bank, catalogue)
    for line in result.notes:
        _note(line)
    _emit(render(result.canvas, _format_for(args)), args.output)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from canvas_tui.core.export import check_output_path, read_canvas, render

    if args.output and args.output != "-":
        check_output_path(args.output)
    canvas = read_canvas(args.canvas)
    fmt = _format_for(args, default="md")
    template = Path(args.template) if args.template else None
    _emit(render(canvas, fmt, template=template), args.output)
    return 0


def cmd_bank_check(args: argparse.Namespace) -> int:
    from canvas_tui.core.bank import check_bank, load_bank

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
    return parser


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
