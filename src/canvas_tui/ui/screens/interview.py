"""The interview: a chat transcript, the answer box and the live activity panel.

Everything shown is rebuilt from the workbench (`refresh_view`); an answer goes to the
workbench in a worker (it re-infers and saves), then the view is redrawn and the panel
shows what the answer changed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Input, Static, TextArea

from canvas_tui.core.interview.answers import answer_too_long
from canvas_tui.core.interview.transcript import Entry
from canvas_tui.core.workbench import ActivityDiff, Step
from canvas_tui.ui.screens.base import BenchScreen
from canvas_tui.ui.text import set_content
from canvas_tui.ui.widgets.activity_panel import ActivityPanel, PanelState
from canvas_tui.ui.widgets.answer_box import AnswerBox
from canvas_tui.ui.widgets.countdown import CountdownView, WorkshopCountdown
from canvas_tui.ui.widgets.footer import KeyFooter
from canvas_tui.ui.widgets.progress import SetProgress, SetStatus
from canvas_tui.ui.widgets.topbar import TopBar
from canvas_tui.ui.widgets.transcript import AnswerBubble, Transcript

DRAFT_DELAY = 1.0  # seconds after the last keystroke before a draft is saved
TICK = 1.0  # seconds between refreshes of the workshop countdown


PLACEHOLDER = "Type your answer here…"
FIRST_PLACEHOLDER = (
    "Type your answer here…\nDrafted your key activities already? Ctrl+P → Audit my draft"
)


class InterviewScreen(BenchScreen):
    #: The keys that matter most here, first: what the footer keeps when space is short.
    FOOTER_ORDER: ClassVar[tuple[str, ...]] = (
        "skip",
        "toggle_timer",  # workshop mode: the facilitator's pause comes right after
        "resume_timer",
        "cancel",  # shown only while it does something: leaving an edit, the panel
        "panel",
        "tips",
        "back",
        "pick_answer",
        "note",
        "assumption",
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "skip", "Skip", tooltip="Skip this question (you can come back to it)"),
        Binding("ctrl+t", "tips", "Tips", tooltip="Show help and examples for this question"),
        Binding("ctrl+b", "back", "Back", tooltip="Change your previous answer"),
        Binding("ctrl+g", "pick_answer", "Answers", tooltip="Change any earlier answer"),
        Binding("ctrl+l", "panel", "Activities", tooltip="Show or focus the activity panel"),
        Binding("escape", "cancel", "Cancel", tooltip="Keep your earlier answer"),
        Binding(
            "ctrl+f",
            "note",
            "Note",
            tooltip="Facilitator note on this question: saved, never an answer",
        ),
        Binding(
            "f9",
            "assumption",
            "Assumption",
            key_display="F9",
            tooltip="Flag the last answer as an assumption to validate (again: unflag)",
        ),
        # One key, two bindings: the footer says what Ctrl+R will do now.
        Binding(
            "ctrl+r",
            "toggle_timer",
            "Pause",
            tooltip="Workshop mode: pause this part's countdown",
        ),
        Binding(
            "ctrl+r",
            "resume_timer",
            "Resume",
            tooltip="Workshop mode: resume this part's countdown",
        ),
        Binding(
            "f5",
            "add_time(60)",
            "+1 min",
            key_display="F5",
            show=False,  # the footer has no room; the countdown shows it
            tooltip="Workshop mode: one more minute for this part",
        ),
        Binding(
            "shift+f5,f17",
            "add_time(300)",
            "+5 min",
            key_display="⇧F5",
            show=False,  # the footer has no room; the countdown shows it
            tooltip="Workshop mode: five more minutes for this part",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.show_tips = False
        # the mount and a resume (or an answer) can refresh at once; the transcript and
        # the progress row rebuild their children, so one refresh runs at a time
        self._refreshing = asyncio.Lock()
        self._notes: dict[str, list[str]] = {}
        self._names: dict[str, str] = {}
        self._diff = ActivityDiff()
        self._diff_title = ""
        self._draft_timer: Timer | None = None
        self._ticker: Timer | None = None
        self.busy = False
        #: The question the answer box's text is for: set when the box is filled for the
        #: question asked. A draft or an answer goes to this question, never to whatever
        #: question happens to be current when a timer fires or a worker runs.
        self.box_for: str | None = None

    def compose(self) -> ComposeResult:
        yield TopBar("interview", title=self.bench.session.title)
        yield WorkshopCountdown(id="countdown")
        yield SetProgress(id="progress")
        with Horizontal(id="body"):
            with Vertical(id="chat"):
                yield Transcript(id="transcript")
                yield Static(id="answer-label")
                yield AnswerBox(id="answer", placeholder=PLACEHOLDER)
            yield ActivityPanel(id="panel")
        yield KeyFooter()

    async def on_mount(self) -> None:
        self.title = "Interview"
        self._fill_box()
        self._ticker = self.set_interval(TICK, self.tick, pause=not self.canvas_app.workshop)
        await self.refresh_view()
        self.query_one(AnswerBox).focus()
        answers, rest = self.canvas_app.typed_ahead
        self.canvas_app.typed_ahead = ([], "")
        if answers or rest:
            self._take_typed_ahead(answers, rest)

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

    # ------------------------------------------------------------------ drafts

    def _fill_box(self, typed_ahead: str = "", *, keep_sends: bool = False) -> None:
        """Put in the box what belongs to the question now asked: its draft, or (when an
        earlier answer is reopened) that answer; then `typed_ahead`, the text typed for it
        while the last answer was being processed (and, with `keep_sends`, the Enters
        pressed in it: sent in turn)."""
        bench = self.bench
        current = bench.current
        text = ""
        if current is not None:
            text = bench.draft_of(current.id)
            if not text and bench.interview.editing is not None:
                text = bench.answer_of(current.id)
        if typed_ahead:
            text = f"{text} {typed_ahead}" if text.strip() else typed_ahead
        self.box_for = current.id if current is not None else None
        box = self.query_one(AnswerBox)
        if not keep_sends:
            box.sends.clear()
        if box.text != text:
            box.text = text
        box.move_cursor(box.document.end)
        box.placeholder = (
            "Type your answer here…"
            if current is not None
            else "Press Enter to review your key activities"
        )

    def _draft(self) -> tuple[str, str] | None:
        """(question id, text) of what is typed but not sent, or None.

        The question is the one the box was filled for (`box_for`): while an answer is
        being processed the interview has already moved on, but the box still holds that
        answer, which is never the next question's draft (hence None while busy)."""
        bench = self.canvas_app.bench
        qid = self.box_for
        if bench is None or qid is None or self.busy:
            return None
        text = self.query_one(AnswerBox).text
        if qid in bench.session.answers and text == bench.answer_of(qid):
            text = ""  # the reopened answer, untouched: nothing to keep
        return qid, text

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

    async def on_screen_resume(self) -> None:
        await self.refresh_view()

    def on_key(self, event: events.Key) -> None:
        """Printable keys typed while focus is elsewhere (a transcript answer, the activity
        list, the activity panel open over a narrow interview) go to the answer box: a
        typed answer is never dropped. The open panel closes to show the box."""
        box = self.query_one(AnswerBox)
        if box.has_focus or not event.is_printable or event.character is None:
            return
        if isinstance(self.focused, Input | TextArea):
            return
        event.stop()
        event.prevent_default()
        if self.has_class("-panel-open"):
            self.remove_class("-panel-open")
        box.focus()
        box.insert(event.character)

    def on_descendant_focus(self) -> None:
        self.update_bindings()  # Esc ("back to your answer") depends on the focus

    def on_resize(self) -> None:
        # The breakpoint classes change with the size: the label mentions the hidden panel.
        self.call_after_refresh(self._update_label)

    # ------------------------------------------------------------------ view

    def entries(self) -> list[Entry]:
        return self.bench.transcript(show_tips=self.show_tips, step_notes=self._notes)

    def panel_state(self) -> PanelState:
        bench = self.bench
        canvas = bench.canvas()
        self._names.update({a.id: a.name for a in canvas.activities})
        answers = bench.interview.effective_answers()
        questions = bench.questions()
        return PanelState(
            canvas=canvas,
            candidates={c.id: c for c in bench.inference.candidates},
            answers=answers,
            questions=questions,
            diff=self._diff,
            diff_title=self._diff_title,
            names=dict(self._names),
        )

    async def refresh_view(self, *, panel: bool = True) -> None:
        async with self._refreshing:
            await self._refresh_view(panel=panel)

    async def _refresh_view(self, *, panel: bool) -> None:
        bench = self.bench
        interview = bench.interview
        if panel:
            self.query_one(ActivityPanel).show(self.panel_state())
            self._update_label()
        transcript = self.query_one(Transcript)
        await transcript.show(self.entries())
        current = interview.current
        statuses = []
        for qset in bench.bank.sets:
            progress = interview.progress(qset)
            statuses.append(
                SetStatus(
                    qset.title,
                    progress.answered,
                    progress.total,
                    current is not None and current.set_id == qset.id,
                )
            )
        await self.query_one(SetProgress).show(statuses, interview.progress().fraction)
        self.tick()
        self.update_bindings()
        editing = interview.editing if current is not None else None
        target = transcript.message_for(f"q:{editing}") if editing else None
        if target is not None:
            transcript.scroll_to_widget(target, animate=False, top=True)
        elif not isinstance(self.focused, AnswerBubble):
            transcript.scroll_end(animate=False)

    async def _next_frame(self) -> None:
        painted: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def done() -> None:
            if not painted.done():
                painted.set_result(None)

        self.call_after_refresh(done)
        await painted

    def _update_label(self) -> None:
        interview = self.bench.interview
        current = interview.current
        label = self.query_one("#answer-label", Static)
        if current is None:
            set_content(
                label,
                Content.assemble(
                    ("All done", "bold $text-success"),
                    ("  Enter or F3: review the activities", "$text-muted"),
                ),
            )
        elif interview.editing is not None:
            set_content(
                label,
                Content.assemble(
                    ("New answer for: ", "bold $text-warning"),
                    (current.prompt if len(current.prompt) < 60 else current.prompt[:59] + "…"),
                    ("  Esc keeps the old one", "$text-muted"),
                ),
            )
        else:
            parts: list[str | tuple[str, str]] = [
                ("Your answer", "bold"),
                ("  Enter sends · Ctrl+J new line", "$text-muted"),
            ]
            # The first question asks whether the key activities are drafted already
            # (issue 16): until the first answer, the empty box offers the draft dialog.
            bench = self.bench
            box = self.query_one(AnswerBox)
            box.placeholder = (
                FIRST_PLACEHOLDER
                if not bench.interview.answers
                and bench.activity_draft() is None
                and not self.canvas_app.is_web  # a browser keeps Ctrl+P for printing
                else PLACEHOLDER
            )
            kept = len(self.bench.canvas().kept) if self.has_class("-narrow") else 0
            if kept:
                noun = "activity" if kept == 1 else "activities"
                parts.append((f"  ·  {kept} {noun}: Ctrl+L", "$text-accent"))
            set_content(label, Content.assemble(*parts))

    # ------------------------------------------------------------------ answering

    @on(AnswerBox.Submitted)
    def _submitted(self, event: AnswerBox.Submitted) -> None:
        event.stop()
        box = event.box
        if self.busy:
            # The last answer is still being processed and still in the box: this Enter
            # stays in `box.sends` and sends what was typed after that answer, to the
            # next question, once that is asked (an Enter pressed twice, nothing more).
            return
        if not box.sends:
            return  # taken already (saved by a quit that came right after Enter)
        text = box.sends.pop(0)
        current = self.bench.current
        if current is None:
            box.sends.clear()
            self.canvas_app.action_goto("review")
            return
        if current.id != self.box_for:
            self._fill_box(box.text)  # the question changed under the box: not sent
            return
        if not text.strip():
            self.notify(
                "Type an answer first — or press Ctrl+N to skip this question.",
                title="Nothing to send",
                timeout=4,
            )
            return
        too_long = answer_too_long(text)
        if too_long:
            box.sends.clear()
            self.notify(too_long[:1].upper() + too_long[1:] + ".", title="Not sent", timeout=8)
            return
        # Busy from this moment, not from when the worker starts: keys and timers handled
        # before then must not send this answer again nor keep it as a draft.
        self.busy = True
        self.submit_answer(current.id, text)

    @work(group="core")
    async def submit_answer(self, qid: str, text: str) -> None:
        """Answer `qid` (the question the box was filled for) with `text` (the box's text
        at Enter), then show the next question with whatever was typed for it meanwhile;
        an Enter pressed meanwhile sends that in turn."""
        self.busy = True
        try:
            sending: tuple[str, str] | None = (qid, text)
            while sending is not None:
                sending = await self._process(*sending)
        finally:
            self.busy = False

    async def _process(self, qid: str, sent: str) -> tuple[str, str] | None:
        """Answer `qid` with `sent`; returns the next answer to send, if one was typed and
        sent (Enter) while this one was processed."""
        was_editing = self.bench.interview.editing is not None
        step = await self.canvas_app.core(self._answer, qid, sent)
        box = self.query_one(AnswerBox)
        if step is None:  # not answered: everything in the box stays there
            self._fill_box(box.text)
            await self.refresh_view()
            return None
        # What was typed while the answer was processed follows it in the box: it is for
        # the next question. (Text changed in another way stays whole, never sent.)
        self._fill_box(box.take_sent(sent), keep_sends=True)
        self._note_step(step)
        self._diff = step.diff
        self._diff_title = "After your edit" if was_editing else "From your answer"
        # The panel first, painted on its own: it is what a person waits for. The
        # transcript (new messages to mount and lay out) follows a frame later.
        self.query_one(ActivityPanel).show(self.panel_state())
        self._update_label()
        # Saved right away, in the worker thread, while the panel is being painted.
        save = asyncio.ensure_future(self.canvas_app.core(self.bench.save))
        await self._next_frame()
        await save
        await self.refresh_view(panel=False)
        if was_editing:
            self._announce_edit(step)
        return self._next_send()

    def _next_send(self) -> tuple[str, str] | None:
        """The next answer sent with Enter while the last one was processed, or None."""
        box = self.query_one(AnswerBox)
        current = self.bench.current
        while box.sends:
            text = box.sends.pop(0)
            if current is None or current.id != self.box_for or not box.text.startswith(text):
                break  # the question or the box changed: what is typed stays in the box
            if not text.strip():
                continue  # Enter pressed again with nothing typed after the answer
            if answer_too_long(text):
                break  # stays in the box; Enter says why
            return current.id, text
        box.sends.clear()
        return None

    def _answer(self, qid: str, text: str) -> Step | None:
        """Answer `qid`, if it is still the question asked (None otherwise: an answer is
        never given to a question it was not typed for)."""
        current = self.bench.current
        if current is None or current.id != qid:
            return None
        return self.bench.submit(text, save=False)

    def _note_step(self, step: Step) -> None:
        notes: list[str] = []
        follow_ups = [q for q in step.change.added if q not in step.probes_added]
        if step.probes_added:
            notes.append(
                "That answer is a little general for me to suggest activities from, "
                "so I've asked for one more detail."
            )
        if follow_ups:
            notes.append(
                "Your answer raised a follow-up question."
                if len(follow_ups) == 1
                else f"Your answer raised {len(follow_ups)} follow-up questions."
            )
        if step.change.dropped:
            n = len(step.change.dropped)
            notes.append(
                f"{n} follow-up question{'s' if n > 1 else ''} no longer appl{'y' if n > 1 else 'ies'}; "
                "anything you wrote there is kept."
            )
        if notes:
            self._notes[step.change.question] = notes
        else:
            self._notes.pop(step.change.question, None)

    def _announce_edit(self, step: Step) -> None:
        diff = step.diff
        if diff.empty:
            self.notify("Your activities did not change.", title="Answer updated", timeout=4)
            return
        parts = []
        if diff.added:
            parts.append(f"{len(diff.added)} added")
        if diff.removed:
            parts.append(f"{len(diff.removed)} removed")
        if diff.moved:
            parts.append(f"{len(diff.moved)} re-ranked")
        self.notify(
            "Activities: " + ", ".join(parts) + ". See the panel for details.",
            title="Answer updated",
            timeout=6,
        )

    # ------------------------------------------------------------------ actions

    def binding_state(self) -> object:
        bench = self.canvas_app.bench
        if bench is None:
            return None
        return tuple(
            self.check_action(name, ())
            for name in (
                "cancel",
                "skip",
                "back",
                "pick_answer",
                "note",
                "assumption",
                "toggle_timer",
            )
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        bench = self.canvas_app.bench
        if bench is None:
            return False
        interview = bench.interview
        if action == "cancel":
            return (
                interview.editing is not None
                or self.has_class("-panel-open")
                or not self.query_one(AnswerBox).has_focus
            )
        if action in ("skip", "tips"):
            return interview.current is not None
        if action == "back":
            return bench.back_allowed()
        if action == "pick_answer":
            return bool(bench.reopenable())
        if action == "note":
            return self.note_target() is not None
        if action == "assumption":
            return self.assumption_target() is not None
        if action in ("toggle_timer", "resume_timer", "add_time"):
            # workshop mode only: hidden from the footer otherwise
            if not (self.canvas_app.workshop and bench.timers is not None):
                return False
            if action != "add_time":  # Pause while running, Resume while paused
                return bench.timers.paused == (action == "resume_timer")
        return True

    def action_skip(self) -> None:
        if self.busy or self.bench.current is None:
            return
        self.change(self.bench.skip, then=self._refill)

    def _refill(self) -> None:
        self._fill_box()
        self.query_one(AnswerBox).focus()

    async def action_tips(self) -> None:
        self.show_tips = not self.show_tips
        await self.refresh_view()

    def action_back(self) -> None:
        if self.busy:
            return
        self._reopen(None)

    def action_pick_answer(self) -> None:
        from canvas_tui.ui.screens.dialogs import AnswerPicker

        choices = self.bench.reopenable()

        def chosen(qid: str | None) -> None:
            if qid:
                self.edit_answer(qid)

        self.app.push_screen(AnswerPicker(choices), chosen)

    def edit_answer(self, qid: str) -> None:
        """Reopen the answer to `qid` for editing (from the transcript, palette or picker)."""
        if self.busy:
            return
        self._reopen(qid)

    @work(group="core")
    async def _reopen(self, qid: str | None) -> None:
        bench = self.bench
        draft = self._draft()
        if draft is not None:  # keep what was typed for the question being left
            await self.canvas_app.core(bench.set_draft, *draft)
        if qid is None:
            await self.canvas_app.core(bench.back)
        else:
            await self.canvas_app.core(bench.jump, qid)
        self._fill_box()
        await self.refresh_view()
        self.query_one(AnswerBox).focus()

    @on(AnswerBubble.EditRequested)
    def _edit_requested(self, event: AnswerBubble.EditRequested) -> None:
        event.stop()
        self.edit_answer(event.qid)

    def action_cancel(self) -> None:
        box = self.query_one(AnswerBox)
        if self.has_class("-panel-open"):
            self.remove_class("-panel-open")
            box.focus()
            self.update_bindings()
            return
        if not box.has_focus:  # Esc always comes back to the answer box
            box.focus()
            self.update_bindings()
            return
        editing = self.bench.interview.editing
        if editing is None:
            return
        self.change(self._cancel_edit, editing, then=self._refill)

    def _cancel_edit(self, qid: str) -> None:
        self.bench.set_draft(qid, "")
        self.bench.cancel_edit()

    def action_panel(self) -> None:
        panel = self.query_one(ActivityPanel)
        if self.has_class("-narrow"):
            if self.has_class("-panel-open"):
                self.remove_class("-panel-open")
                self.query_one(AnswerBox).focus()
            else:
                self.add_class("-panel-open")
                panel.candidate_list.focus()
            self.update_bindings()
            return
        if panel.candidate_list.has_focus:
            self.query_one(AnswerBox).focus()
        elif panel.candidate_list.display:
            panel.candidate_list.focus()
        self.update_bindings()

    # ------------------------------------------------------------------ workshop

    def tick(self) -> None:
        """Refresh the countdown (once a second in workshop mode) and give the gentle
        signal — one bell — when the set's time has just run out. Nothing is blocked."""
        bench = self.canvas_app.bench
        if bench is None or not self.is_mounted:
            return
        timers = bench.timers
        if timers is None:
            return
        title = ""
        sets = bench.bank.sets
        for number, qset in enumerate(sets, start=1):
            if qset.id == timers.current_id:
                title = f"Part {number} of {len(sets)} · {qset.title}"
        self.query_one(WorkshopCountdown).show(CountdownView.of(title, timers.current))
        if timers.poll():
            self.app.bell()

    def workshop_changed(self) -> None:
        """Workshop mode was turned on or off: start or stop the countdown's refresh."""
        if self._ticker is not None:
            if self.canvas_app.workshop:
                self._ticker.resume()
            else:
                self._ticker.pause()
        self.tick()
        self.update_bindings()

    def action_toggle_timer(self) -> None:
        timers = self.bench.timers
        if timers is None:
            return
        self._timer_change(self.bench.pause_timer, not timers.paused)

    def action_resume_timer(self) -> None:
        self.action_toggle_timer()

    def action_add_time(self, seconds: int) -> None:
        if self.bench.timers is None or self.bench.timers.current is None:
            return
        self._timer_change(self.bench.add_time, float(seconds))
        self.notify(
            f"{seconds // 60} more minute{'s' if seconds > 60 else ''} for this part.",
            title="Time added",
            timeout=3,
        )

    @work(group="timer")
    async def _timer_change(self, fn: Callable[..., None], *args: object) -> None:
        await self.canvas_app.core(fn, *args)  # changes the countdown and saves
        self.tick()
        self.update_bindings()

    # ------------------------------------------------------------------ notes, assumptions

    def _focused_answer(self) -> str | None:
        focused = self.focused
        if isinstance(focused, AnswerBubble) and focused.entry.qid:
            return focused.entry.qid
        return None

    def note_target(self) -> str | None:
        bench = self.canvas_app.bench
        return bench.note_target(self._focused_answer()) if bench is not None else None

    def assumption_target(self) -> str | None:
        bench = self.canvas_app.bench
        return bench.assumption_target(self._focused_answer()) if bench is not None else None

    def action_note(self) -> None:
        from canvas_tui.ui.screens.dialogs import NoteDialog

        qid = self.note_target()
        question = self.bench.interview.question(qid) if qid else None
        if qid is None or question is None:
            return

        def written(text: str | None) -> None:
            if text is None:
                return
            self.change(self.bench.set_note, qid, text, then=lambda: self._reveal(f"fnote:{qid}"))
            self.notify(
                "Saved with the session, apart from the answers."
                if text
                else "The note is removed.",
                title="Facilitator note",
                timeout=3,
            )

        self.app.push_screen(
            NoteDialog(question.prompt, self.bench.session.notes.get(qid, "")), written
        )

    def _reveal(self, key: str) -> None:
        """Scroll the transcript to show a message once it is laid out."""

        def scroll() -> None:
            message = self.query_one(Transcript).message_for(key)
            if message is not None:
                message.scroll_visible(animate=False, immediate=True)

        self.call_after_refresh(scroll)

    def action_assumption(self) -> None:
        qid = self.assumption_target()
        question = self.bench.interview.question(qid) if qid else None
        if qid is None or question is None:
            return
        flag = qid not in self.bench.session.assumptions
        self.change(self.bench.set_assumption, qid, flag)
        prompt = question.prompt if len(question.prompt) < 70 else question.prompt[:69] + "…"
        self.notify(
            prompt,
            title="Flagged: an assumption to validate" if flag else "No longer an assumption",
            markup=False,
            timeout=4,
        )
