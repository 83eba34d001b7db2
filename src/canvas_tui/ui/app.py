"""Placeholder app until the terminal UI lands (issue 6)."""

from __future__ import annotations

import argparse
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class CanvasApp(App[None]):
    TITLE = "canvas-tui"
    BINDINGS: ClassVar = [("ctrl+q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("canvas-tui — the interview screens are coming. Try 'canvas-tui run --help'.")
        yield Footer()


def make_app() -> CanvasApp:
    return CanvasApp()


def run_app(args: argparse.Namespace) -> int:
    make_app().run()
    return 0
