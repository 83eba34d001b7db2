"""The interview: a chat transcript, the answer box and the live activity panel.

Everything shown is rebuilt from the workbench (`refresh_view`); an answer goes to the
workbench in a worker (it re-infers and saves), then the view is redrawn and the panel
shows what the answer changed. The screen draws and forwards: what shows, in what state,
when back/skip/Esc apply and where a note or flag goes are decided in core
(`core/interview/transcript.py`, through the workbench). Its other halves: the answer
box and its drafts (`interview_box.py`), the countdown and notes/flags
(`interview_facilitator.py`).
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Static, TextArea

from canvas_tui.core.interview.answers import answer_too_long
from canvas_tui.core.interview.transcript import Entry, step_notes
from canvas_tui.core.workbench import ActivityDiff, Step
from canvas_tui.ui.screens.interview_box import FIRST_PLACEHOLDER, PLACEHOLDER, AnswerBoxScreen
from canvas_tui.ui.screens.interview_facilitator import FacilitatorTools
from canvas_tui.ui.text import set_content
from canvas_tui.ui.widgets.activity_panel import ActivityPanel, PanelState
from canvas_tui.ui.widgets.answer_box import AnswerBox
from canvas_tui.ui.widgets.countdown import WorkshopCountdown
from canvas_tui.ui.widgets.footer import KeyFooter
from canvas_tui.ui.widgets.progress import SetProgress
from canvas_tui.ui.widgets.topbar import TopBar
from canvas_tui.ui.widgets.transcript import AnswerBubble, Transcript

TICK = 1.0  # seconds between refreshes of the workshop countdown


class InterviewScreen(AnswerBoxScreen, FacilitatorTools):
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
        return PanelState(
            canvas=canvas,
            candidates={c.id: c for c in bench.inference.candidates},
            answers=bench.effective_answers(),
            questions=bench.questions(),
            diff=self._diff,
            diff_title=self._diff_title,
            names=dict(self._names),
        )

    async def refresh_view(self, *, panel: bool = True) -> None:
        async with self._refreshing:
            await self._refresh_view(panel=panel)

    async def _refresh_view(self, *, panel: bool) -> None:
        if panel:
            self.query_one(ActivityPanel).show(self.panel_state())
            self._update_label()
        transcript = self.query_one(Transcript)
        await transcript.show(self.entries())
        await self.query_one(SetProgress).show(*self.bench.progress())
        self.tick()
        self.update_bindings()
        editing = self.bench.editing
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
        bench = self.bench
        asked = bench.asked()
        label = self.query_one("#answer-label", Static)
        if asked.qid is None:
            set_content(
                label,
                Content.assemble(
                    ("All done", "bold $text-success"),
                    ("  Enter or F3: review the activities", "$text-muted"),
                ),
            )
        elif asked.editing:
            set_content(
                label,
                Content.assemble(
                    ("New answer for: ", "bold $text-warning"),
                    (asked.prompt if len(asked.prompt) < 60 else asked.prompt[:59] + "…"),
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
            box = self.query_one(AnswerBox)
            box.placeholder = (
                FIRST_PLACEHOLDER
                if asked.first
                and bench.activity_draft() is None
                and not self.canvas_app.is_web  # a browser keeps Ctrl+P for printing
                else PLACEHOLDER
            )
            kept = len(bench.canvas().kept) if self.has_class("-narrow") else 0
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
        was_editing = self.bench.editing is not None
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
        """Answer `qid` if it is still the question asked (`Workbench.submit_to`)."""
        return self.bench.submit_to(qid, text, save=False)

    def _note_step(self, step: Step) -> None:
        notes = step_notes(step.change, step.probes_added)
        if notes:
            self._notes[step.change.question] = notes
        else:
            self._notes.pop(step.change.question, None)

    def _announce_edit(self, step: Step) -> None:
        if step.diff.empty:
            self.notify("Your activities did not change.", title="Answer updated", timeout=4)
            return
        self.notify(
            f"Activities: {step.diff.summary()}. See the panel for details.",
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
        if action == "cancel":
            return (
                bench.editing is not None
                or self.has_class("-panel-open")
                or not self.query_one(AnswerBox).has_focus
            )
        if action in ("skip", "tips"):
            return bench.current is not None
        if action == "back":
            return bench.back_allowed()
        if action == "pick_answer":
            return bool(bench.reopenable())
        if action == "note":
            return self.note_target() is not None
        if action == "assumption":
            return self.assumption_target() is not None
        if action in ("toggle_timer", "resume_timer", "add_time"):
            return self.timer_key_allowed(action)
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
        editing = self.bench.editing
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
