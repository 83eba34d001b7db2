"""Starting the terminal app (imported lazily: the headless commands never load textual)."""

from __future__ import annotations

import argparse
from pathlib import Path


def run_app(args: argparse.Namespace) -> int:
    """Start the app from the command line (`canvas-tui`, `--resume`, `open FILE`)."""
    from canvas_tui.ui.app import AppConfig, make_app

    folder = getattr(args, "global_bank", None) or getattr(args, "bank", None)
    bank = None
    if folder:
        from canvas_tui.core.interview.bank_loader import load_bank

        bank = load_bank(folder)
    canvas_file = None
    if getattr(args, "command", None) == "open":
        from canvas_tui.core.exports.render import read_canvas

        canvas_file = Path(args.file)
        read_canvas(canvas_file)  # a bad file is a one-line error before the app starts
    workspace = getattr(args, "workspace", None)
    app = make_app(
        AppConfig(
            bank=bank,
            canvas_file=canvas_file,
            resume=bool(getattr(args, "resume", False)),
            workspace=Path(workspace) if workspace is not None else None,
            workshop=bool(getattr(args, "workshop", False)),
        )
    )
    app.run()
    return 0


def cmd_tui(args: argparse.Namespace) -> int:
    return run_app(args) or 0
