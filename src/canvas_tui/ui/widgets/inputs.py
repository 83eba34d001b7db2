"""A single-line input whose cursor holds still in headless runs (snapshots)."""

from __future__ import annotations

from textual.widgets import Input


class TextInput(Input):
    """An `Input` whose cursor holds still in headless runs (tests, benchmarks)."""

    def on_mount(self) -> None:
        if self.app.is_headless:
            self.cursor_blink = False
