"""The document commands: `run` (an answers file through the interview), `export`, `bank check` and `bank new`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

from canvas_tui.cli.common import _check_output, _emit, _format_for, _load_bank, _note


def cmd_run(args: argparse.Namespace) -> int:
    from canvas_tui.core.exports.render import render
    from canvas_tui.core.headless import answers_draft, run_headless
    from canvas_tui.core.interview.answers import answers_template, read_answers
    from canvas_tui.core.interview.bank_loader import load_bank_catalogue

    if getattr(args, "template", False):
        _emit(answers_template(_load_bank(args)), args.output)
        return 0
    if args.answers is None:
        from canvas_tui.core.errors import CanvasTuiError

        raise CanvasTuiError(
            "no answers file given", hint="canvas-tui run ANSWERS.toml (or --template for one)"
        )

    draft_file = getattr(args, "draft", None)
    _check_output(args, args.answers, *([draft_file] if draft_file else []))
    fmt = _format_for(args)
    answers = read_answers(args.answers)
    # a founder's own draft of key activities (issue 16): --draft FILE, else the answers
    # file's [draft] key_activities; --draft wins when both are given
    in_answers = answers_draft(Path(args.answers))  # the draft reader only when needed
    if draft_file:
        from canvas_tui.core.draft.parse import read_draft
    draft = read_draft(draft_file) if draft_file else in_answers
    if draft_file and in_answers is not None:
        _note(f"note: --draft {draft_file} is audited; the [draft] of {args.answers} is not")
    bank = _load_bank(args)
    catalogue = load_bank_catalogue(bank)
    result = run_headless(answers, bank, catalogue, draft=draft)
    for line in result.notes:
        _note(line)
    _emit(render(result.canvas, fmt), args.output)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from canvas_tui.core.exports.render import check_output_path, read_canvas, render

    if args.output and args.output != "-":
        check_output_path(args.output)
    _check_output(args, args.canvas, *([args.template] if args.template else []))
    fmt = _format_for(args, default="md")
    canvas = read_canvas(args.canvas)
    template = Path(args.template) if args.template else None
    _emit(render(canvas, fmt, template=template), args.output)
    return 0


def cmd_bank_check(args: argparse.Namespace) -> int:
    from canvas_tui.core.interview.bank_loader import check_bank, load_bank

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
    if target.exists() and not target.is_dir():
        raise OutputError(
            "a file of that name exists", file=target, hint="choose a new folder name"
        )
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
        import tomli_w

        # A TOML string, whatever the name holds (quotes, backslashes): `id = "we\"ird"`.
        text = text.replace('id = "default"', tomli_w.dumps({"id": target.name}).strip(), 1)
        manifest.write_text(text, encoding="utf-8")
    print(f"created {target}: edit the TOML files, then run 'canvas-tui bank check {target}'")
    return 0
