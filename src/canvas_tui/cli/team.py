"""The facilitator commands: `diff`, `merge` and `serve`."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from canvas_tui.core.canvas.model import Canvas

from canvas_tui.cli.common import _check_output, _emit, _note, _report_format


def cmd_diff(args: argparse.Namespace) -> int:
    from canvas_tui.core.exports.render import read_canvas
    from canvas_tui.core.team.compare import diff_canvases, render_diff

    fmt = _report_format(args, ("md", "json", "text"), "text")
    _check_output(args, args.old, args.new)
    old = read_canvas(args.old)
    new = read_canvas(args.new)
    if old.bank != new.bank:
        _note(f"note: the canvases come from different banks ({old.bank}, {new.bank})")
    elif not args.people and old.title != new.title and old.created[:10] == new.created[:10]:
        _note(
            "note: two canvases with different titles made the same day: if they are two "
            "people's, --people compares them without the generated filler"
        )
    if args.people:
        from canvas_tui.core.team.people import people_from, render_people

        people = people_from(old, new, a_file=args.old, b_file=args.new)
        _emit(render_people(people, fmt), args.output)
        return 0
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
    from canvas_tui.core.team.merge import merge_canvases
    from canvas_tui.core.team.merge_inputs import check_inputs, participant_names
    from canvas_tui.core.team.merge_model import MergeError, Participant
    from canvas_tui.core.team.merge_output import render_merge

    fmt = _report_format(args, ("md", "toml", "json", "html"), "md")
    _check_output(args)
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
    for name in result.unreviewed:
        _note(f"note: {name} kept no activity (reviewed no suggestion): listed, not counted")
    _emit(render_merge(result, fmt), args.output)
    if args.output and args.output != "-":
        _note(
            f"merged {len(participants)} canvases into {args.output}: "
            f"{len(result.consensus)} consensus activities, "
            f"{len(result.disagreements)} disagreement(s), "
            f"{len(result.assumptions)} assumption(s) to validate"
        )
    return 0


def cmd_room(args: argparse.Namespace) -> int:
    """`canvas-tui room DIR`: the facilitator's view (a terminal app: imports the UI)."""
    from canvas_tui.serve.config import ServeError, open_room

    folder = Path(args.workspace).expanduser().resolve()
    if not folder.is_dir():
        raise ServeError("no workshop folder here", file=folder, hint="the DIR given to serve")
    bank = args.bank or getattr(args, "global_bank", None)
    open_room(folder, Path(bank).expanduser().resolve() if bank else None)
    from canvas_tui.ui.room_app import RoomApp

    RoomApp(folder).run()
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from canvas_tui.serve import serve_command

    return serve_command(args)
