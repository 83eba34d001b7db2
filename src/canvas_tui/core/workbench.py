"""One open canvas: the interview, live inference, review decisions and saving, together.

The terminal UI (and the facilitator tools) drive a `Workbench`; it holds all business
state, saves the session after every change, and answers "what did that change do?"
(`ActivityDiff`) so a screen can show activities added, removed and re-ranked.
"""

from __future__ import annotations

import copy
import dataclasses
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from canvas_tui.core.canvas.build import build_canvas
from canvas_tui.core.canvas.model import Canvas
from canvas_tui.core.errors import AnswersError, CanvasTuiError
from canvas_tui.core.inference.catalogue import Catalogue
from canvas_tui.core.inference.infer import CATEGORIES, Inference, infer
from canvas_tui.core.interview import session_lock, transcript
from canvas_tui.core.interview.answers import answer_too_long
from canvas_tui.core.interview.bank import BLOCKS, Bank, Question
from canvas_tui.core.interview.bank_loader import load_bank, load_bank_catalogue, load_default_bank
from canvas_tui.core.interview.engine import PROBE_SUFFIX, Change, Interview
from canvas_tui.core.interview.session import (
    STATUSES,
    ActivityDecision,
    ActivityDraft,
    CustomActivity,
    Decisions,
    DraftItem,
    Session,
    SessionBusy,
    SessionStore,
)
from canvas_tui.core.interview.timer import Clock, WorkshopTimers
from canvas_tui.core.interview.transcript import Asked, Entry, PartProgress

if TYPE_CHECKING:
    from canvas_tui.core.draft.parse import Draft

#: A word of an answer, as the non-answer rule reads it ("n/a", "don't", "e-mail").
_WORD = re.compile(r"[a-z0-9]+(?:['’/-][a-z0-9]+)*")


@dataclass(frozen=True)
class ActivityDiff:
    """How the candidate list changed between two inferences (ranks are 1-based)."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    moved: tuple[tuple[str, int, int], ...] = ()  # (id, old rank, new rank)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.moved)

    def summary(self) -> str:
        """ "2 added, 1 removed, 3 re-ranked" (empty when nothing changed)."""
        parts = []
        if self.added:
            parts.append(f"{len(self.added)} added")
        if self.removed:
            parts.append(f"{len(self.removed)} removed")
        if self.moved:
            parts.append(f"{len(self.moved)} re-ranked")
        return ", ".join(parts)


def diff_inferences(old: Inference, new: Inference) -> ActivityDiff:
    old_rank = {c.id: i for i, c in enumerate(old.candidates, start=1)}
    new_rank = {c.id: i for i, c in enumerate(new.candidates, start=1)}
    return ActivityDiff(
        added=tuple(i for i in new_rank if i not in old_rank),
        removed=tuple(i for i in old_rank if i not in new_rank),
        moved=tuple(
            (i, old_rank[i], new_rank[i])
            for i in new_rank
            if i in old_rank and old_rank[i] != new_rank[i]
        ),
    )


@dataclass(frozen=True)
class Step:
    """The result of answering: the interview change, the activity diff, new probes."""

    change: Change
    diff: ActivityDiff
    probes_added: tuple[str, ...] = ()


class Workbench:
    def __init__(
        self,
        session: Session,
        bank: Bank,
        catalogue: Catalogue | None,
        store: SessionStore | None = None,
        *,
        infer_fn: Callable[..., Inference] | None = None,
    ) -> None:
        self.session = session
        self._infer_fn: Callable[..., Inference] = infer_fn or infer
        self.bank = bank
        self.catalogue = catalogue
        self.store = store
        self.interview = Interview(
            bank,
            answers=session.answers,  # the same dict: an answer is in the session at once
            skipped=set(session.skipped),
            probes=dict(session.probes),
            editing=session.editing,
        )
        self._inference = self._infer()
        #: Review decisions as they were before each change, newest last (Ctrl+Z), with
        #: what the change was ("dropping Store operations"). Kept for this sitting only.
        self._undo: list[tuple[str, Decisions]] = []
        self.timers: WorkshopTimers | None = None  # workshop mode's countdowns
        self._draft_cache: tuple[ActivityDraft, Draft] | None = None
        #: Why the last save failed (a full disk, a folder in the way, another writer),
        #: None when it succeeded. The answers stay here, in memory; every change retries.
        self.save_problem: str | None = None
        #: Why this workbench never writes its session (open in another process), or None.
        self.read_only: str | None = None
        if store is not None:
            try:
                store.open(session.id)
            except SessionBusy as exc:
                self.read_only = exc.message

    @classmethod
    def open(
        cls,
        session: Session,
        store: SessionStore | None = None,
        *,
        infer_fn: Callable[..., Inference] | None = None,
    ) -> Workbench:
        """A workbench for a saved session, with the bank and catalogue it was made with."""
        bank = bank_for(session)
        return cls(session, bank, load_bank_catalogue(bank), store, infer_fn=infer_fn)

    # ------------------------------------------------------------------ persistence

    def _sync(self) -> None:
        self._sync_timers()
        self.session.skipped = sorted(self.interview.skipped)
        self.session.probes = dict(self.interview.probes)
        self.session.editing = self.interview.editing
        self.session.finished = self.interview.done and self.session.finished

    def save(self) -> bool:
        """Save the session; False (and `save_problem` says why) when it could not be.

        A failed save never raises: the change is kept in memory, on screen, and the next
        change (or `save()` again) retries. A read-only workbench never writes.
        """
        self._sync()
        if self.store is None:
            return True
        if self.read_only is not None:
            self.save_problem = f"read-only: {self.read_only}"
            return False
        try:
            self.store.save(self.session)
        except CanvasTuiError as exc:
            self.save_problem = exc.message
            return False
        except OSError as exc:  # pragma: no cover - fsutil turns these into OutputError
            self.save_problem = exc.strerror or str(exc)
            return False
        self.save_problem = None
        return True

    def close(self) -> None:
        """Give back the session's lock (the canvas is no longer open here)."""
        if self.store is not None and self.read_only is None:
            self.store.close(self.session.id)

    # ------------------------------------------------------------------ taking over

    def yield_if_asked(self) -> bool:
        """If another process asked to take this session over: save, give the lock back
        and go on read-only (True). Called about once a second by the app."""
        if self.store is None or self.read_only is not None:
            return False
        path = self.store.path(self.session.id)
        if not session_lock.take_over_requested(path):
            return False
        self.save()
        self.store.close(self.session.id)
        self.read_only = "it was taken over in another window"
        return True

    def take_over(self, *, attempts: int = 30, wait: Callable[[float], None] | None = None) -> bool:
        """Ask the process that has this session open to give it up, and take its lock
        (True); False when it did not within `attempts` tries, `wait(0.2)` apart. The
        caller then reopens the session from disk (the other window saved it last)."""
        if self.store is None or self.read_only is None:
            return self.read_only is None
        pause = wait or time.sleep
        path = self.store.path(self.session.id)
        session_lock.request_take_over(path)
        try:
            for _ in range(max(1, attempts)):
                if session_lock.try_acquire(path):
                    self.read_only = None
                    return True
                pause(0.2)
            return False
        finally:
            session_lock.clear_take_over(path)

    # ------------------------------------------------------------------ inference

    def sections(self, answers: dict[str, str]) -> dict[str, str]:
        sections = {}
        for qid in answers:
            qset = self.bank.set(qid.split(".", 1)[0])
            if qset is not None:
                sections[qid] = qset.guides
        return sections

    def _infer(self) -> Inference:
        answers = self.interview.effective_answers()
        return self._infer_fn(answers, self.catalogue, sections=self.sections(answers))

    @property
    def inference(self) -> Inference:
        return self._inference

    def _reinfer(self) -> tuple[ActivityDiff, tuple[str, ...]]:
        old, self._inference = self._inference, self._infer()
        # A "more detail" question once answered (or skipped) keeps the words it was
        # asked with: the transcript and every export show the question actually asked.
        interview = self.interview
        asked = {
            parent: prompt
            for parent, prompt in interview.probes.items()
            if parent + PROBE_SUFFIX in interview.answers
            or parent + PROBE_SUFFIX in interview.skipped
        }
        probes = interview.set_probes({**self._inference.probes, **asked})
        return diff_inferences(old, self._inference), probes

    # ------------------------------------------------------------------ interview

    @property
    def current(self) -> Question | None:
        return self.interview.current

    def submit(self, text: str, *, save: bool = True) -> Step:
        """Answer the current question, re-infer, save. Empty text skips.

        `save=False` leaves the saving to the caller's next `save()` — the UI shows the
        new activities first and saves right after, so the disk's sync is not in the way.
        """
        too_long = answer_too_long(text)
        if too_long:
            raise AnswersError(too_long, hint="the answer was not sent; it is still in the box")
        change = self.interview.answer(text)
        self.session.drafts.pop(change.question, None)
        diff, probes = self._reinfer()
        if self.timers is not None:
            self.timers.follow(self._timer_set())
        if save:
            self.save()
        return Step(change, diff, probes)

    def submit_to(self, qid: str, text: str, *, save: bool = True) -> Step | None:
        """Answer `qid` if it is still the question asked; None (nothing answered)
        otherwise: an answer is never given to a question it was not typed for."""
        current = self.interview.current
        if current is None or current.id != qid:
            return None
        return self.submit(text, save=save)

    def set_draft(self, qid: str, text: str) -> None:
        """Keep what was typed for `qid` but not sent yet (saved, so quitting loses nothing).
        Text equal to the answer already given is no draft."""
        if text.strip() and text != self.session.answers.get(qid):
            if self.session.drafts.get(qid) == text:
                return
            self.session.drafts[qid] = text
        elif self.session.drafts.pop(qid, None) is None:
            return
        self.save()

    def draft_of(self, qid: str) -> str:
        return self.session.drafts.get(qid, "")

    def skip(self) -> None:
        self.interview.skip()
        self.save()

    def back(self) -> Question | None:
        question = self.interview.back()
        self.save()
        return question

    def jump(self, qid: str) -> Question:
        question = self.interview.jump(qid)
        self.save()
        return question

    def cancel_edit(self) -> None:
        self.interview.cancel_edit()
        self.save()

    def answer_of(self, qid: str) -> str:
        return self.session.answers.get(qid, "")

    # ------------------------------------------------------------------ facilitator

    # ------------------------------------------------------------------ what screens read

    def transcript(
        self, *, show_tips: bool = False, step_notes: Mapping[str, Sequence[str]] | None = None
    ) -> list[Entry]:
        """The interview transcript, as `core.interview.transcript.entries` builds it."""
        return transcript.entries(
            self.interview,
            self.bank,
            notes=self.session.notes,
            assumptions=self.session.assumptions,
            show_tips=show_tips,
            step_notes=step_notes or {},
        )

    def back_allowed(self) -> bool:
        return transcript.back_allowed(self.interview)

    def asked(self) -> Asked:
        """The question asked now and what its answer box starts with."""
        return transcript.asked(self.interview, self.session.drafts)

    def unsent_draft(self, qid: str, text: str) -> str:
        return transcript.unsent_draft(self.interview, qid, text)

    @property
    def editing(self) -> str | None:
        """The answer being changed, if any (Esc keeps the old one)."""
        return transcript.editing(self.interview)

    def progress(self) -> tuple[list[PartProgress], float]:
        return transcript.progress(self.interview, self.bank)

    def part_title(self, set_id: str | None) -> str:
        return transcript.part_title(self.bank, set_id)

    def effective_answers(self) -> dict[str, str]:
        """The non-empty answers of the questions that apply now, in asking order."""
        return self.interview.effective_answers()

    def prompt_of(self, qid: str) -> str | None:
        """The prompt of a question (or an active probe), None for an unknown one."""
        question = self.interview.question(qid)
        return question.prompt if question is not None else None

    def note_of(self, qid: str) -> str:
        return self.session.notes.get(qid, "")

    def is_assumption(self, qid: str) -> bool:
        return qid in self.session.assumptions

    def reopenable(self) -> list[tuple[str, str, str]]:
        """(question id, prompt, answer) of each answer that may be reopened."""
        return [
            (
                q.id,
                q.prompt,
                self.interview.answers.get(q.id, "") if self.interview.is_answered(q.id) else "",
            )
            for q in transcript.reopenable(self.interview)
        ]

    def note_target(self, focused: str | None = None) -> str | None:
        return transcript.note_target(self.interview, focused)

    def assumption_target(self, focused: str | None = None) -> str | None:
        return transcript.assumption_target(self.interview, focused)

    def set_note(self, qid: str, text: str) -> None:
        if text.strip():
            self.session.notes[qid] = text
        else:
            self.session.notes.pop(qid, None)
        self.save()

    def set_assumption(self, qid: str, flagged: bool) -> None:
        flags = [q for q in self.session.assumptions if q != qid]
        if flagged:
            flags.append(qid)
        self.session.assumptions = flags
        self.save()

    # ------------------------------------------------------------------ workshop timers

    def start_workshop(self, clock: Clock | None = None) -> WorkshopTimers:
        """Start the countdowns (workshop mode): the current set's runs, from the time it
        had already used in an earlier sitting. Saved with every save."""
        if self.timers is None:
            self.timers = WorkshopTimers.for_sets(
                self.bank.sets,
                used=self.session.timers,
                added=self.session.time_added,
                **({"clock": clock} if clock is not None else {}),
            )
        self.timers.follow(self._timer_set())
        return self.timers

    def stop_workshop(self) -> None:
        """Stop the countdowns (workshop mode off) and save the time they used."""
        if self.timers is None:
            return
        self.timers.stop()
        self._sync_timers()
        self.timers = None
        self.save()

    def pause_timer(self, paused: bool) -> None:
        if self.timers is not None:
            if paused:
                self.timers.pause()
            else:
                self.timers.resume()
            self.save()

    def add_time(self, seconds: float) -> None:
        if self.timers is not None:
            self.timers.add(seconds)
            self.save()

    def _timer_set(self) -> str | None:
        current = self.interview.current
        return current.set_id if current is not None else None

    def _sync_timers(self) -> None:
        """Move the countdown to the set being answered; keep the times in the session."""
        if self.timers is None:
            return
        self.timers.follow(self._timer_set())
        self.session.timers.update(self.timers.used())
        self.session.time_added.update(self.timers.added())

    def rename(self, title: str) -> None:
        if title.strip():
            self.session.title = title.strip()
            self.save()

    # ------------------------------------------------------------------ review

    @property
    def decisions(self) -> Decisions:
        return self.session.decisions

    def _known(self, activity_id: str) -> bool:
        return any(c.id == activity_id for c in self._inference.candidates) or any(
            c.id == activity_id for c in self.decisions.custom
        )

    def _custom(self, activity_id: str) -> CustomActivity | None:
        return next((c for c in self.decisions.custom if c.id == activity_id), None)

    UNDO_LIMIT = 100

    def _name(self, activity_id: str) -> str:
        custom = self._custom(activity_id)
        if custom is not None:
            return custom.name
        decision = self.decisions.activities.get(activity_id)
        if decision is not None and decision.name:
            return decision.name
        return next((c.name for c in self._inference.candidates if c.id == activity_id), "")

    def _remember(self, what: str) -> None:
        """Keep the decisions as they are now, so `undo` can bring them back."""
        self._undo.append((what, copy.deepcopy(self.session.decisions)))
        del self._undo[: -self.UNDO_LIMIT]

    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> str | None:
        """Undo the last review change (dropping, deleting, reordering, ...); returns what
        it was, or None when there is nothing to undo."""
        if not self._undo:
            return None
        what, decisions = self._undo.pop()
        self.session.decisions = decisions
        self.save()
        return what

    def set_status(self, activity_id: str, status: str) -> None:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        verb = {"rejected": "dropping", "accepted": "keeping", "suggested": "undeciding"}
        self._remember(f"{verb[status]} {self._name(activity_id)}")
        custom = self._custom(activity_id)
        if custom is not None:
            custom.status = status
        else:
            self.decisions.decision(activity_id).status = status
        if status == "rejected" and self.decisions.focus is not None:
            self.decisions.focus = [i for i in self.decisions.focus if i != activity_id]
        self.save()

    def set_category(self, activity_id: str, category: str) -> None:
        if category not in CATEGORIES:
            raise ValueError(f"unknown category {category!r}")
        self._remember(f"the category of {self._name(activity_id)}")
        custom = self._custom(activity_id)
        if custom is not None:
            custom.category = category
        else:
            self.decisions.decision(activity_id).category = category
        self.save()

    def set_kpis(self, activity_id: str, kpis: list[str]) -> None:
        cleaned = [k.strip() for k in kpis if k.strip()]
        self._remember(f"the KPIs of {self._name(activity_id)}")
        custom = self._custom(activity_id)
        if custom is not None:
            custom.kpis = cleaned
        else:
            self.decisions.decision(activity_id).kpis = cleaned
        self.save()

    def set_partner(self, activity_id: str, partner: bool) -> None:
        self._remember(f"the partner mark of {self._name(activity_id)}")
        custom = self._custom(activity_id)
        if custom is not None:
            custom.partner_candidate = partner
        else:
            self.decisions.decision(activity_id).partner_candidate = partner
        self.save()

    def add_custom(
        self, name: str, category: str = "supporting", kpis: list[str] | None = None
    ) -> str:
        if not name.strip():
            raise ValueError("a custom activity needs a name")
        if category not in CATEGORIES:
            raise ValueError(f"unknown category {category!r}")
        self._remember(f"adding {name.strip()}")
        activity_id = self.decisions.new_custom_id(name)
        self.decisions.custom.append(
            CustomActivity(
                id=activity_id, name=name.strip(), category=category, kpis=list(kpis or [])
            )
        )
        self.save()
        return activity_id

    def remove_custom(self, activity_id: str) -> None:
        self._remember(f"deleting {self._name(activity_id)}")
        self.decisions.custom = [c for c in self.decisions.custom if c.id != activity_id]
        if self.decisions.focus is not None:
            self.decisions.focus = [i for i in self.decisions.focus if i != activity_id]
        self.save()

    def reset_focus(self) -> None:
        """Go back to the inferred top three."""
        self._remember("resetting the top three")
        self.decisions.focus = None
        self.save()

    def set_focus(self, activity_ids: list[str], *, what: str = "changing the top three") -> None:
        """The person's top three, in order (at most three; unknown ids dropped)."""
        self._remember(what)
        chosen: list[str] = []
        for activity_id in activity_ids:
            if activity_id not in chosen and self._known(activity_id):
                chosen.append(activity_id)
        self.decisions.focus = chosen[:3]
        for activity_id in self.decisions.focus:
            custom = self._custom(activity_id)
            if custom is not None and custom.status == "rejected":
                custom.status = "accepted"
            elif custom is None and self.decisions.decision(activity_id).status == "rejected":
                self.decisions.decision(activity_id).status = "accepted"
        self.save()

    def toggle_focus(self, activity_id: str) -> None:
        """Add to the top three (the current top three become explicit) or remove from it.

        Adding to a full top three replaces the third: the person's #1 and #2 stay put.
        """
        current = [a.id for a in self.canvas().focus]
        if activity_id in current:
            current.remove(activity_id)
        else:
            # A full top three keeps its first two: the newcomer takes third place.
            current = [*current[:2], activity_id]
        self.set_focus(current, what=f"the top three ({self._name(activity_id)})")

    def move_focus(self, activity_id: str, delta: int) -> None:
        current = [a.id for a in self.canvas().focus]
        if activity_id not in current:
            return
        index = current.index(activity_id)
        target = max(0, min(len(current) - 1, index + delta))
        current.insert(target, current.pop(index))
        self.set_focus(current, what=f"moving {self._name(activity_id)} in the top three")

    def edit_block(self, block: str, items: list[str]) -> None:
        if block not in BLOCKS:
            raise ValueError(f"unknown block {block!r}")
        self._remember(f"editing {block.replace('_', ' ')}")
        self.decisions.blocks[block] = [i.strip() for i in items if i.strip()]
        self.save()

    def accept_suggestion(self, block: str, item: str) -> None:
        """Keep a generated entry of `block` as the person's own (issue 13)."""
        if block not in BLOCKS:
            raise ValueError(f"unknown block {block!r}")
        accepted = self.decisions.accepted.setdefault(block, [])
        if item not in accepted:
            self._remember(f"accepting a suggestion in {block.replace('_', ' ')}")
            accepted.append(item)
            self.save()

    def reset_block(self, block: str) -> None:
        self.decisions.blocks.pop(block, None)
        self.save()

    # ------------------------------------------------------------------ the founder's draft

    def activity_draft(self) -> Draft | None:
        """The founder's own draft of key activities (issue 16), or None."""
        record = self.session.activity_draft
        if record is None:
            return None
        if self._draft_cache is None or self._draft_cache[0] is not record:
            self._draft_cache = (record, draft_of_record(record))
        return self._draft_cache[1]

    def set_activity_draft(self, draft: Draft | None) -> None:
        """Keep (None: forget) the founder's draft; every canvas audits it from now on."""
        self.session.activity_draft = None if draft is None else draft_record(draft)
        self.save()

    # ------------------------------------------------------------------ the canvas

    def questions(self) -> dict[str, str]:
        """Question id -> prompt, for every answer the canvas uses (what an export quotes)."""
        return self.interview.prompts(self.interview.effective_answers())

    def non_answers(self) -> frozenset[str]:
        """The answers that say nothing ("stuff", "not sure yet", "idk"): every word is one
        the catalogue counts as vague, a stopword, a negator, a filler or a clause break
        (data in the bank's catalogue, [vague] and [language])."""
        catalogue = self.catalogue
        if catalogue is None:
            return frozenset()
        empty = {
            w.lower()
            for w in (
                *catalogue.vague.words,
                *catalogue.vague.stopwords,
                *catalogue.language.negators,
                *catalogue.language.fillers,
                *catalogue.language.clause_breaks,
            )
        }
        return frozenset(
            qid
            for qid, text in self.interview.effective_answers().items()
            if all(word in empty for word in _WORD.findall(text.lower()))
        )

    def block_answers(self) -> dict[str, str]:
        """The answers that fill the canvas blocks: a clarification ("a little more
        detail") joins the answer it clarifies, or replaces it when that was a non-answer;
        non-answers stay out. (The canvas still lists every answer as given.)"""
        answers = self.interview.effective_answers()
        vague = self.non_answers()
        blocks: dict[str, str] = {}
        for qid, text in answers.items():
            if qid in vague or not text.strip():
                continue
            question = self.interview.question(qid)
            parent = question.probe_of if question is not None else ""
            if parent:
                blocks[parent] = f"{blocks[parent]}\n{text}" if parent in blocks else text
            else:
                blocks[qid] = text
        return blocks

    def canvas(self) -> Canvas:
        answers = self.interview.effective_answers()
        questions = self.interview.prompts(answers)
        canvas = build_canvas(
            title=self.session.title,
            created=self.session.created,
            bank=self.bank,
            answers=self.block_answers(),
            inference=self._inference,
            decisions=self.decisions,
            catalogue=self.catalogue,
            notes=self.session.notes,
            assumptions=[q for q in self.session.assumptions if q in answers],
            questions=questions,
            draft=self.activity_draft(),
        )
        # the blocks from the answers that fill them; the record keeps every answer given
        return dataclasses.replace(canvas, answers=dict(answers), questions=questions)

    def finish(self) -> None:
        self.session.finished = True
        self.save()

    def export(self, canvas: Canvas, fmt: str, target: Path, *, canvas_only: bool = False) -> Path:
        """Write `canvas` as `fmt` to `target` (atomically; `canvas_only`: the HTML page of
        the nine blocks alone); exporting a canvas whose interview is done marks the
        session finished."""
        from canvas_tui.core.exports.render import render
        from canvas_tui.core.fsutil import atomic_write_text

        written = atomic_write_text(target, render(canvas, fmt, canvas_only=canvas_only))
        if self.interview.done and not self.session.finished:
            self.finish()
        return written


def draft_record(draft: Draft) -> ActivityDraft:
    """A draft as the session keeps it (plain data, no parser needed to read it back)."""
    return ActivityDraft(
        items=[DraftItem(x.text, x.line, x.label, x.label_text) for x in draft.lines],
        source=draft.source,
        form=draft.form,
        blocks={b: list(items) for b, items in draft.blocks.items()},
    )


def draft_of_record(record: ActivityDraft) -> Draft:
    from canvas_tui.core.draft.parse import Draft, DraftLine

    return Draft(
        lines=tuple(DraftLine(i.text, i.line, i.label, i.label_text) for i in record.items),
        form=record.form,
        blocks={b: tuple(items) for b, items in record.blocks.items()},
        source=record.source,
    )


def bank_for(session: Session) -> Bank:
    """The bank a session names: "default", or a bank folder (BankError if it is gone)."""
    if session.bank in ("", "default"):
        return load_default_bank()
    return load_bank(session.bank)


def session_from_canvas(
    canvas: Canvas,
    session: Session,
    bank: Bank,
    catalogue: Catalogue | None,
    *,
    infer_fn: Callable[..., Inference] | None = None,
) -> Session:
    """Fill a fresh session from a canvas file so it reopens as it was exported.

    Answers come back as answers (a probe answer `X.more` too); statuses, categories,
    KPIs, partner flags and the top three become decisions; blocks that differ from what
    the answers would give become block edits.
    """
    session.title = canvas.title
    session.created = canvas.created
    session.answers.update(canvas.answers)
    session.notes.update(canvas.notes)
    session.assumptions = list(canvas.assumptions)
    decisions = Decisions()
    for activity in canvas.activities:
        if activity.custom:
            decisions.custom.append(
                CustomActivity(
                    id=activity.id,
                    name=activity.name,
                    category=activity.category,
                    kpis=list(activity.kpis),
                    partner_candidate=activity.partner_candidate,
                    rationale=activity.rationale,
                    status=activity.status,
                )
            )
        else:
            decisions.activities[activity.id] = ActivityDecision(
                status=activity.status,
                category=activity.category,
                kpis=list(activity.kpis),
                partner_candidate=activity.partner_candidate,
                name=activity.name,
            )
    session.decisions = decisions
    if canvas.draft:  # the founder's draft, audited again as the answers change
        session.activity_draft = ActivityDraft(
            items=[DraftItem(d.text, d.line, d.label) for d in canvas.draft],
            source="canvas file",
            form="toml",
            blocks={b: list(items) for b, items in canvas.draft_blocks.items()},
        )
    session.finished = True
    rebuilt = Workbench(session, bank, catalogue, infer_fn=infer_fn).canvas()
    if [a.id for a in rebuilt.focus] != [a.id for a in canvas.focus]:
        decisions.focus = [a.id for a in canvas.focus]  # the file's top three was a pick
        rebuilt = Workbench(session, bank, catalogue, infer_fn=infer_fn).canvas()
    for block in BLOCKS:
        if tuple(rebuilt.blocks.get(block, ())) != tuple(canvas.blocks.get(block, ())):
            decisions.blocks[block] = list(canvas.blocks.get(block, ()))
    return session


__all__ = [
    "PROBE_SUFFIX",
    "ActivityDiff",
    "Step",
    "Workbench",
    "bank_for",
    "diff_inferences",
    "session_from_canvas",
]
