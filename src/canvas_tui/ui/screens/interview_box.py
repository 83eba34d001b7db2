"""The interview's answer box: which question its text is for, and nothing typed lost.

`box_for` is the question the box was filled for (`_fill_box`: its draft, or the answer
being changed, from `Workbench.asked`); a draft goes to that question a second after the
last keystroke, when the screen is left and at quit (`draft_to_keep`); an answer sent
with Enter that the screen has not taken yet is saved as the answer at quit
(`take_unsent`); answers typed ahead on the welcome screen are sent in turn.
`InterviewScreen` inherits this; sending an answer is the screen's own (`_submitted`).
"""

from __future__ import annotations

from textual import on
from textual.timer import Timer

from canvas_tui.core.interview.answers import answer_too_long
from canvas_tui.ui.screens.base import BenchScreen
from canvas_tui.ui.widgets.answer_box import AnswerBox

DRAFT_DELAY = 1.0  # seconds after the last keystroke before a draft is saved

PLACEHOLDER = "Type your answer here…"
DONE_PLACEHOLDER = "Press Enter to review your key activities"
FIRST_PLACEHOLDER = (
    "Type your answer here…\nDrafted your key activities already? Ctrl+P → Audit my draft"
)


class AnswerBoxScreen(BenchScreen):
    """The answer box's half of the interview screen (see the module)."""

    def __init__(self) -> None:
        super().__init__()
        self._draft_timer: Timer | None = None
        #: an answer is being processed (from Enter until the next question is shown)
        self.busy = False
        #: The question the answer box's text is for: set when the box is filled for the
        #: question asked. A draft or an answer goes to this question, never to whatever
        #: question happens to be current when a timer fires or a worker runs.
        self.box_for: str | None = None

    def _take_typed_ahead(self, answers: list[str], rest: str) -> None:
        """Answers typed (and sent with Enter) on the welcome screen while this canvas
        opened go into the box and are sent in order; `rest` stays in the box."""
        box = self.query_one(AnswerBox)
        text = box.text
        for answer in answers:
            text += answer
            box.sends.append(text)
        box.text = text + rest
        box.move_cursor(box.document.end)
        if box.sends:
            box.post_message(AnswerBox.Submitted(box, box.sends[0]))

    @property
    def answer_box(self) -> AnswerBox:
        return self.query_one(AnswerBox)

    def _fill_box(self, typed_ahead: str = "", *, keep_sends: bool = False) -> None:
        """Put in the box what belongs to the question now asked: its draft, or (when an
        earlier answer is reopened) that answer; then `typed_ahead`, the text typed for it
        while the last answer was being processed (and, with `keep_sends`, the Enters
        pressed in it: sent in turn)."""
        asked = self.bench.asked()
        text = asked.box_text
        if typed_ahead:
            text = f"{text} {typed_ahead}" if text.strip() else typed_ahead
        self.box_for = asked.qid
        box = self.query_one(AnswerBox)
        if not keep_sends:
            box.sends.clear()
        if box.text != text:
            box.text = text
        box.move_cursor(box.document.end)
        box.placeholder = PLACEHOLDER if asked.qid is not None else DONE_PLACEHOLDER

    def _draft(self) -> tuple[str, str] | None:
        """(question id, text) of what is typed but not sent, or None.

        The question is the one the box was filled for (`box_for`): while an answer is
        being processed the interview has already moved on, but the box still holds that
        answer, which is never the next question's draft (hence None while busy)."""
        bench = self.canvas_app.bench
        qid = self.box_for
        if bench is None or qid is None or self.busy:
            return None
        return qid, bench.unsent_draft(qid, self.query_one(AnswerBox).text)

    @on(AnswerBox.Changed, "#answer")
    def _typed(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self._save_draft)

    def _save_draft(self) -> None:
        draft = self._draft()
        if draft is not None and not self.busy:
            self.run_worker(self.canvas_app.core(self.bench.set_draft, *draft), group="draft")

    def draft_to_keep(self) -> tuple[str, str] | None:
        """What to save as the draft when quitting (the pending timer is stopped).

        None while an answer is being processed: the box still holds that answer, which
        is saved as the answer it is, never as a draft of the next question."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
        return self._draft()

    def take_unsent(self) -> tuple[str, str] | None:
        """(question id, text) sent with Enter that the screen has not taken yet, or None
        (taken now: the quit saves it as the answer)."""
        box = self.answer_box
        if self.busy or not box.sends:
            return None  # nothing sent, or the answer in hand is saved by its worker
        text = box.sends.pop(0)
        box.sends.clear()
        qid = self.box_for
        if qid is None or not text.strip():
            return None
        if answer_too_long(text):
            return None  # never sent: it stays the draft
        return qid, text

    def on_screen_suspend(self) -> None:
        self._save_draft()
