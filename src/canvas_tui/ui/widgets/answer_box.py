"""The multi-line answer box: Enter sends, Ctrl+J (or Shift+Enter / Alt+Enter where the
terminal reports them) starts a new line; pasting multi-line text works as in any text
area. The cursor does not blink in headless runs, so snapshots are deterministic.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import TextArea


class AnswerBox(TextArea):
    """A multi-line answer box: Enter sends, Ctrl+J starts a new line."""

    DEFAULT_CSS = """
    AnswerBox {
        height: auto;
        min-height: 3;
        max-height: 8;
        border: tall $border-blurred;
        padding: 0 1;
        &:focus { border: tall $border; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Not in the footer: the line above the box says "Enter sends · Ctrl+J new line",
        # and the footer needs the room (the help screen and the palette list them).
        Binding("enter", "send", "Send", priority=False, show=False),
        Binding(
            "ctrl+j,shift+enter,alt+enter", "newline", "New line", key_display="^j", show=False
        ),
    ]

    class Submitted(Message):
        """The person pressed Enter: `text` is their answer (possibly empty)."""

        def __init__(self, box: AnswerBox, text: str) -> None:
            super().__init__()
            self.box = box
            self.text = text

        @property
        def control(self) -> AnswerBox:
            return self.box

    def __init__(self, text: str = "", *, id: str | None = None, placeholder: str = "") -> None:
        super().__init__(
            text,
            id=id,
            soft_wrap=True,
            show_line_numbers=False,
            tab_behavior="focus",
            placeholder=placeholder,
            highlight_cursor_line=False,
        )
        self.sends = []

    def on_mount(self) -> None:
        if self.app.is_headless:
            self.cursor_blink = False

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            # Enter sends instead of inserting a line break (TextArea's default).
            event.stop()
            event.prevent_default()
            self.action_send()

    #: The box's text at each Enter not yet taken by the screen, oldest first. Kept here,
    #: in step with the text: when the screen takes an answer out of the box it takes it
    #: out of these too (`take_sent`), so an Enter pressed while an earlier answer was
    #: being processed still marks where the next answer ends. A quit that comes right
    #: after Enter saves the first as the answer it is (see CanvasApp._flush_and_exit).
    sends: list[str]

    def action_send(self) -> None:
        self.sends.append(self.text)
        self.post_message(self.Submitted(self, self.text))

    def take_sent(self, answer: str) -> str:
        """Take `answer` (sent with Enter and taken from `sends`) out of the front of the
        box's text and of the Enters pressed after it; returns the text typed after it."""
        text = self.text
        if not text.startswith(answer):
            self.sends = []
            return text  # changed in another way: kept whole, nothing more is sent
        self.sends = [s[len(answer) :] for s in self.sends if s.startswith(answer)]
        return text[len(answer) :]

    def action_newline(self) -> None:
        start, end = self.selection
        self._replace_via_keyboard("\n", start, end)
