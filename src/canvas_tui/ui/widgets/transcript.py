"""The chat transcript: the app's questions and the person's answers as messages.

The transcript is a view of the interview's state (`entries` built by the interview
screen), reconciled in place: the messages that did not change stay mounted, so a new
answer appends and an edit replaces only what follows the first difference.

An answer message is focusable: Enter (or a click) asks to edit it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from canvas_tui.core.interview.transcript import Entry
from canvas_tui.ui.text import literal

NOTE_LABEL = "📝 Facilitator note: "
ASSUMPTION_LABEL = "⚑ assumption — to validate"


class ChatMessage(Static):
    """Base of every transcript message: holds its entry, renders it literally."""

    DEFAULT_CSS = """
    ChatMessage { height: auto; width: 1fr; }
    """

    def __init__(self, entry: Entry) -> None:
        super().__init__(classes=f"msg msg-{entry.kind}")
        self.entry = entry
        self._apply(entry)

    def set_entry(self, entry: Entry) -> None:
        if entry != self.entry:
            self.entry = entry
            self._apply(entry)

    def _apply(self, entry: Entry) -> None:
        self.update(self.content_for(entry))
        for state in ("asked", "current", "editing", "waiting", "skipped"):
            self.set_class(entry.state == state, f"-{state}")

    def content_for(self, entry: Entry) -> Content:
        return literal(entry.body)


class IntroCard(ChatMessage):
    DEFAULT_CSS = """
    IntroCard {
        margin: 1 0 0 0;
        padding: 0 1;
        border-left: outer $secondary;
        background: $secondary 10%;
    }
    """

    def content_for(self, entry: Entry) -> Content:
        guiding = entry.extra[0] if entry.extra else ""
        return Content.assemble(
            (entry.title, "bold $text-secondary"),
            "\n",
            (guiding, "bold"),
            "\n",
            (entry.body.strip(), "$text-muted"),
        )


class QuestionBubble(ChatMessage):
    DEFAULT_CSS = """
    QuestionBubble {
        margin: 1 8 0 0;
        padding: 0 1;
        border-left: outer $primary 50%;
        &.-current { border-left: outer $primary; background: $primary 15%; }
        &.-editing { border-left: outer $warning; background: $warning 15%; }
        &.-waiting { color: $text-muted; border-left: outer $panel-lighten-2; }
    }
    """

    def content_for(self, entry: Entry) -> Content:
        label = entry.extra[0] if entry.extra else ""
        parts: list[str | tuple[str, str]] = []
        if entry.state == "editing":
            parts.append(
                (
                    "✎ Editing this answer — type the new one below, Esc to cancel\n",
                    "bold $text-warning",
                )
            )
        elif entry.state == "waiting":
            parts.append(("Next, after your edit:\n", "italic"))
        if label:
            parts.append((label + "\n", "italic $text-muted"))
        parts.append((entry.body, "bold" if entry.state in ("current", "editing") else ""))
        return Content.assemble(*parts)


class AnswerBubble(ChatMessage):
    """The person's answer: focus it and press Enter (or click it) to edit it."""

    can_focus = True

    DEFAULT_CSS = """
    AnswerBubble {
        margin: 0 0 0 8;
        padding: 0 1;
        border-right: outer $accent 60%;
        background: $boost;
        text-align: left;
        &.-skipped { color: $text-muted; text-style: italic; }
        &.-editing { color: $text-muted; text-style: strike; }
        &:focus { border-right: outer $accent; background: $accent 20%; }
        &:hover { background: $accent 10%; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "edit", "Edit this answer"),
        Binding("up", "neighbour(-1)", "Previous answer", show=False),
        Binding("down", "neighbour(1)", "Next answer", show=False),
    ]

    class EditRequested(Message):
        def __init__(self, qid: str) -> None:
            super().__init__()
            self.qid = qid

    def content_for(self, entry: Entry) -> Content:
        if entry.state == "skipped":
            return Content.assemble(
                ("skipped", "italic"), (" — you can answer it any time (Ctrl+G)", "dim")
            )
        if entry.flagged:
            return Content.assemble(
                literal(entry.body), "\n", (ASSUMPTION_LABEL, "bold $text-warning")
            )
        return literal(entry.body)

    def action_edit(self) -> None:
        self.post_message(self.EditRequested(self.entry.qid))

    def action_neighbour(self, delta: int) -> None:
        answers = list(self.screen.query(AnswerBubble))
        if not answers:
            return
        index = answers.index(self) + delta
        if 0 <= index < len(answers):
            answers[index].focus()
            answers[index].scroll_visible()
        elif delta > 0:
            self.screen.focus_next()

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.action_edit()


class NoteBubble(ChatMessage):
    """Something the app tells the person: a follow-up it added, what an edit changed."""

    DEFAULT_CSS = """
    NoteBubble {
        margin: 0 8 0 2;
        color: $text-muted;
        text-style: italic;
    }
    """

    def content_for(self, entry: Entry) -> Content:
        return Content.assemble(("ⓘ ", "not italic"), entry.body)


class FacilitatorNote(ChatMessage):
    """The facilitator's note on a question: marked as a note, never shown as an answer."""

    DEFAULT_CSS = """
    FacilitatorNote {
        margin: 0 8 0 2;
        padding: 0 1;
        border-left: outer $secondary 70%;
        background: $secondary 8%;
    }
    """

    def content_for(self, entry: Entry) -> Content:
        return Content.assemble((NOTE_LABEL, "bold $text-secondary"), literal(entry.body))


class TipsCard(ChatMessage):
    DEFAULT_CSS = """
    TipsCard {
        margin: 0 8 0 2;
        padding: 0 1;
        border: round $primary 40%;
        border-title-color: $text-muted;
    }
    """

    def _apply(self, entry: Entry) -> None:
        super()._apply(entry)
        self.border_title = "Tips"

    def content_for(self, entry: Entry) -> Content:
        parts: list[str | tuple[str, str]] = [entry.body.strip() or "Answer in your own words."]
        if entry.extra:
            parts.append(("\n\nFor example:", "bold"))
            for example in entry.extra:
                parts.extend(["\n• ", (example, "italic")])
        return Content.assemble(*parts)


class DoneCard(ChatMessage):
    DEFAULT_CSS = """
    DoneCard {
        margin: 1 0;
        padding: 0 1;
        border-left: outer $success;
        background: $success 10%;
    }
    """

    def content_for(self, entry: Entry) -> Content:
        return Content.assemble((entry.title, "bold $text-success"), "\n", entry.body)


WIDGETS: dict[str, type[ChatMessage]] = {
    "intro": IntroCard,
    "question": QuestionBubble,
    "answer": AnswerBubble,
    "note": NoteBubble,
    "facilitator": FacilitatorNote,
    "tips": TipsCard,
    "done": DoneCard,
}


class Transcript(VerticalScroll, can_focus=False):
    """A scrolling column of messages, reconciled from a list of entries."""

    DEFAULT_CSS = """
    Transcript {
        height: 1fr;
        padding: 0 1 1 1;
        scrollbar-size-vertical: 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entries: list[Entry] = []

    @property
    def entries(self) -> list[Entry]:
        return list(self._entries)

    async def show(self, entries: Sequence[Entry]) -> None:
        """Make the transcript show `entries`, keeping unchanged messages mounted."""
        widgets: list[ChatMessage] = list(self.query_children(ChatMessage))
        # what is mounted, not what the last call meant to mount, decides what is kept:
        # a refresh interrupted (the screen torn down and rebuilt) leaves no mismatch
        keep = 0
        for widget, new in zip(widgets, entries, strict=False):
            if widget.entry.key != new.key or widget.entry.kind != new.kind:
                break
            keep += 1
        for widget, entry in zip(widgets[:keep], entries[:keep], strict=True):
            widget.set_entry(entry)
        stale = widgets[keep:]
        if stale:
            await self.remove_children(stale)
        fresh: list[Widget] = [WIDGETS[e.kind](e) for e in entries[keep:]]
        if fresh:
            await self.mount_all(fresh)
        self._entries = list(entries)

    def message_for(self, key: str) -> ChatMessage | None:
        for widget in self.query_children(ChatMessage):
            if widget.entry.key == key:
                return widget
        return None
