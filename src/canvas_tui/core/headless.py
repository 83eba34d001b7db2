"""The headless run: an answers file through the same interview engine and inference.

The interview is replayed in asking order: a question the file answers is answered, one
it does not is skipped (and noted). Answers the file gives that the interview would not
ask are not thrown away:

* a follow-up whose condition does not hold is still used (the person wrote it);
* an unknown question id under a known set (``channels.social``) is used for that set;
* an id under no known set is ignored, with a "did you mean" note.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from canvas_tui.core.canvas.build import build_canvas
from canvas_tui.core.canvas.model import Canvas
from canvas_tui.core.inference.catalogue import Catalogue
from canvas_tui.core.inference.infer import infer
from canvas_tui.core.interview.answers import AnswersFile
from canvas_tui.core.interview.bank import Bank
from canvas_tui.core.interview.engine import Interview
from canvas_tui.core.interview.mentions import preload

if TYPE_CHECKING:
    from canvas_tui.core.draft.parse import Draft


@dataclass
class RunResult:
    canvas: Canvas
    notes: list[str] = field(default_factory=list)


def creation_time() -> str:
    """Now, or SOURCE_DATE_EPOCH when set (reproducible output for scripts and tests)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def answers_draft(path: Path) -> Draft | None:
    """The ``[draft]`` of an answers file (`draft.parse.read_answers_draft`), without
    importing the draft reader (~6 ms of regular expressions and classes) when the file
    has none: the same reading and the same errors, as `read_answers` has just read it."""
    from canvas_tui.core.errors import AnswersError
    from canvas_tui.core.inputs import parse_toml, read_input_text

    text = read_input_text(path, AnswersError, what="answers file")
    data = parse_toml(text, path, AnswersError)
    if data.get("draft") is None:
        return None
    from canvas_tui.core.draft.parse import answers_file_draft

    return answers_file_draft(data, text, path)


def run_headless(
    answers_file: AnswersFile, bank: Bank, catalogue: Catalogue, *, draft: Draft | None = None
) -> RunResult:
    """The canvas of an answers file; `draft`: a founder's own key activities to audit."""
    notes: list[str] = []
    given = {qid: text for qid, text in answers_file.answers.items()}
    known = {q.id for q in bank}
    sections = bank.sections()
    extra: dict[str, str] = {}
    for qid, text in given.items():
        if qid in known:
            continue
        qset = bank.set(qid.split(".", 1)[0])
        if qset is not None and "." in qid:
            notes.append(
                f"note: '{qid}' is not a question of bank '{bank.id}'; used as an answer about {qset.title.lower()}"
            )
            extra[qid] = text
            sections[qid] = qset.guides
        else:
            import difflib  # only for an unknown id: not on every run's start-up

            close = difflib.get_close_matches(qid, sorted(known), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            notes.append(f"warning: unknown question id '{qid}' ignored{hint}")

    preload(bank)  # the follow-up conditions' matchers, from the compiled cache
    interview = Interview(bank)
    skipped: list[str] = []
    while (question := interview.current) is not None:
        text = given.get(question.id, "")
        if text.strip():
            interview.answer(text)
        else:
            skipped.append(question.id)
            interview.skip()
    if skipped:
        notes.append(f"note: skipped {len(skipped)} unanswered question(s): {', '.join(skipped)}")

    answers = interview.effective_answers()
    for qid in known:
        if qid in given and qid not in answers and given[qid].strip():
            notes.append(
                f"note: '{qid}' answered although its condition does not hold; used anyway"
            )
            answers[qid] = given[qid]
    answers.update({qid: text for qid, text in extra.items() if text.strip()})
    order = {q.id: i for i, q in enumerate(bank)}
    answers = dict(sorted(answers.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))

    inference = infer(answers, catalogue, sections=sections)
    canvas = build_canvas(
        title=answers_file.title or answers_file.path.stem,
        created=creation_time(),
        bank=bank,
        answers=answers,
        inference=inference,
        catalogue=catalogue,
        draft=draft,
    )
    return RunResult(canvas=canvas, notes=notes)
