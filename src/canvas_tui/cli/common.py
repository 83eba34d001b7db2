"""Helpers every command uses: writing output, notes on stderr, formats, the bank."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from canvas_tui.core.interview.bank import Bank


PROG = "canvas-tui"


def _emit(text: str, output: str | None) -> None:
    """Write a result to a file (atomically) or to stdout as UTF-8.

    A file is written as it is (each format escapes its own text); stdout gets control
    characters as visible stand-ins (`terminal_text`): text from files is data, and a
    terminal must never act on it. `-o` never creates a folder.
    """
    if output and output != "-":
        from canvas_tui.core.fsutil import atomic_write_text

        atomic_write_text(output, text, create_folder=False)
        return
    from canvas_tui.core.exports.escaping import terminal_text

    sys.stdout.flush()
    sys.stdout.buffer.write(terminal_text(text).encode("utf-8"))
    sys.stdout.buffer.flush()


def _note(message: str) -> None:
    from canvas_tui.core.exports.escaping import terminal_text

    print(f"{PROG}: {terminal_text(message)}", file=sys.stderr)


def _check_output(args: argparse.Namespace, *sources: str | Path) -> None:
    """Refuse an output path that is one of the inputs (`export a.toml -o a.toml`), a
    device, a FIFO or a missing folder, before any work is done."""
    output = getattr(args, "output", None)
    if not output or output == "-":
        return
    from canvas_tui.core.errors import OutputError
    from canvas_tui.core.fsutil import writable_target

    target = writable_target(output, create_folder=False)
    for source in sources:
        try:
            same = target.exists() and Path(source).exists() and target.samefile(source)
        except OSError:
            same = False
        if same:
            raise OutputError(
                f"the output is the input file {source}: refusing to overwrite it",
                file=output,
                hint="choose another output file name",
            )


def _format_for(args: argparse.Namespace, default: str = "toml") -> str:
    """--format, else -o's extension (one that names no format is refused), else default."""
    if args.format:
        return args.format
    if args.output and args.output != "-":
        from canvas_tui.core.errors import OutputError
        from canvas_tui.core.exports.render import EXTENSIONS

        suffix = Path(args.output).suffix.lower()
        for fmt, ext in EXTENSIONS.items():
            if (
                suffix == ext
                or (fmt == "md" and suffix == ".markdown")
                or (fmt == "html" and suffix == ".htm")
            ):
                return fmt
        # Plain text (.txt) takes the command's default format, as it always has.
        if suffix and suffix not in (".txt", ".text") and not getattr(args, "template", None):
            raise OutputError(
                f"'{suffix}' is not a format canvas-tui writes",
                file=args.output,
                hint="end the name in .toml, .md, .html or .json, or pass --format",
            )
    return default


def _load_bank(args: argparse.Namespace) -> Bank:
    from canvas_tui.core.interview.bank_loader import load_bank, load_default_bank

    folder = getattr(args, "bank", None) or getattr(args, "global_bank", None)
    return load_bank(folder) if folder else load_default_bank()


def _report_format(args: argparse.Namespace, choices: Sequence[str], default: str) -> str:
    """--format, else -o's extension (refused if this command cannot write it), else default."""
    if args.format:
        return args.format
    if args.output and args.output != "-":
        from canvas_tui.core.errors import OutputError
        from canvas_tui.core.team.reports import SUFFIX_FORMATS

        fmt = SUFFIX_FORMATS.get(Path(args.output).suffix.lower())
        suffix = Path(args.output).suffix.lower()
        if fmt is None and suffix:
            raise OutputError(
                f"'{suffix}' is not a format '{args.command}' writes",
                file=args.output,
                hint=f"use one of: {', '.join(choices)}, or pass --format",
            )
        if fmt is not None and fmt not in choices:
            raise OutputError(
                f"'{args.command}' cannot write {fmt}",
                file=args.output,
                hint=f"use one of: {', '.join(choices)}",
            )
        if fmt is not None:
            return fmt
    return default


def _confirm(question: str) -> bool:
    sys.stderr.write(f"{question} [y/N] ")
    sys.stderr.flush()
    answer = sys.stdin.readline()
    return answer.strip().lower() in ("y", "yes")
