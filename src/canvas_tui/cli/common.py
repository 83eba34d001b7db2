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
    """Write a result to a file (atomically) or to stdout as UTF-8."""
    if output and output != "-":
        from canvas_tui.core.exports.render import check_output_path
        from canvas_tui.core.fsutil import atomic_write_text

        check_output_path(output)  # every -o path: a missing folder is an error, not made
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



def _confirm(question: str) -> bool:
    sys.stderr.write(f"{question} [y/N] ")
    sys.stderr.flush()
    answer = sys.stdin.readline()
    return answer.strip().lower() in ("y", "yes")
