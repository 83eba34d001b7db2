"""A single-line input whose cursor holds still in headless runs (snapshots), and whose
Enter submits the text as it is when Enter is pressed."""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class TextInput(Input):
    """An `Input` whose cursor holds still in headless runs (tests, benchmarks).

    Enter submits at once, with the value typed before it: Textual's Enter is a binding,
    run only once the key has travelled up to the app, by which time keys typed right
    after Enter (a burst from a terminal multiplexer or a fast typist) are already in the
    value."""

    def on_mount(self) -> None:
        if self.app.is_headless:
            self.cursor_blink = False

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            await self.action_submit()
