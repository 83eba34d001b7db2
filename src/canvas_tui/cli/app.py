"""Starting the terminal app (imported lazily: the headless commands never load textual)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass


def cmd_tui(args: argparse.Namespace) -> int:
    from canvas_tui.ui.app import run_app

    return run_app(args) or 0
