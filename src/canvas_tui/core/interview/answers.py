"""The answers file of the headless run (docs/contracts.md §2).

    title = "Acme Tutors"            # optional
    [answers]
    "value_proposition.offer" = "..."

Unquoted dotted keys (``value_proposition.offer = "..."``) make nested tables in TOML; we
accept them too, since that is what people naturally type. Other top-level keys are
ignored (an evaluation set may carry an ``[expect]`` table, say).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from canvas_tui.core.errors import AnswersError
from canvas_tui.core.inputs import parse_toml, read_input_text
from canvas_tui.core.tomlpos import TomlLines

if TYPE_CHECKING:
    from canvas_tui.core.interview.bank import Bank

#: The stated limits of the interview (issue 12, bounded work): one answer holds at most
#: MAX_ANSWER_CHARS characters (some pages of text), an answers file at most MAX_ANSWERS
#: answers. Longer input is refused with a message, never silently cut or slowly digested.
MAX_ANSWER_CHARS = 20_000
MAX_ANSWERS = 500


def answer_too_long(text: str) -> str | None:
    """The message for an answer over MAX_ANSWER_CHARS, or None when it is within it."""
    if len(text) <= MAX_ANSWER_CHARS:
        return None
    return (
        f"the answer is {len(text):,} characters long; at most {MAX_ANSWER_CHARS:,} "
        "are taken (shorten it, or split it over the questions)"
    )


_EXAMPLE = '[answers] then "value_proposition.offer" = "We bake sourdough for local cafés."'


@dataclass(frozen=True)
class AnswersFile:
    path: Path
    answers: dict[str, str]
    title: str | None = None
    lines: dict[str, int] = field(default_factory=dict, compare=False)


def _flatten(
    table: dict[str, Any], prefix: str, out: dict[str, Any], path: Path, pos: TomlLines
) -> None:
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            _flatten(value, full, out, path, pos)
        elif full in out:
            # "a.b" = … and a.b = … (or [answers.a] b = …) are two keys to TOML, one
            # question to us: never drop one of the answers silently.
            raise AnswersError(
                f"'{full}' is answered twice (once quoted, once as a dotted key)",
                file=path,
                line=pos.key(full.rsplit(".", 1)[-1]),
                hint="keep one of the two answers",
            )
        else:
            out[full] = value


def read_answers(path: Path | str) -> AnswersFile:
    path = Path(path)
    text = read_input_text(path, AnswersError, what="answers file")
    if not text.strip():
        raise AnswersError(
            "the file is empty", file=path, hint=f"write your answers like this: {_EXAMPLE}"
        )
    data = parse_toml(text, path, AnswersError)
    pos = TomlLines(text)
    title = data.get("title")
    if title is not None and not isinstance(title, str):
        raise AnswersError(
            "'title' must be a string",
            file=path,
            line=pos.key("title"),
            hint='title = "Acme Tutors"',
        )
    raw = data.get("answers")
    if raw is None:
        raise AnswersError("no [answers] table", file=path, hint=f"add one: {_EXAMPLE}")
    if not isinstance(raw, dict):
        raise AnswersError(
            "'answers' must be a table",
            file=path,
            line=pos.key("answers"),
            hint=f"write {_EXAMPLE}",
        )
    flat: dict[str, Any] = {}
    _flatten(raw, "", flat, path, pos)
    if len(flat) > MAX_ANSWERS:
        raise AnswersError(
            f"{len(flat):,} answers; at most {MAX_ANSWERS} are taken",
            file=path,
            hint="an answers file answers the questions of one bank",
        )
    answers: dict[str, str] = {}
    lines: dict[str, int] = {}
    for qid, value in flat.items():
        line = pos.key(qid, "answers") or pos.key(qid.rsplit(".", 1)[-1])
        if not isinstance(value, str):
            kind = type(value).__name__
            raise AnswersError(
                f"the answer to '{qid}' is a {kind}, not text",
                file=path,
                line=line,
                hint='put the answer in double quotes, e.g. "12 pounds a month"',
            )
        too_long = answer_too_long(value)
        if too_long:
            raise AnswersError(f"'{qid}': {too_long}", file=path, line=line)
        answers[qid] = value
        if line:
            lines[qid] = line
    return AnswersFile(
        path=path, answers=answers, title=title.strip() if title else None, lines=lines
    )


def answers_template(bank: Bank) -> str:
    """An answers file to fill in: every question id of `bank`, in interview order, each
    under its prompt as a comment (follow-ups say when they are asked). Empty answers are
    skipped by `canvas-tui run`, so the file runs as it is."""
    lines = [
        f"# Answers for `canvas-tui run` (bank: {bank.label}).",
        '# Write each answer between the quotes ("""...""" for several lines);',
        "# leave the ones you skip empty.",
        'title = ""',
        "",
        "[answers]",
    ]
    for number, qset in enumerate(bank.sets, start=1):
        lines += ["", f"# ── Part {number} · {qset.title}"]
        for question in qset.questions:
            lines.append("")
            for text_line in question.prompt.splitlines() or [""]:
                lines.append(f"# {text_line}".rstrip())
            if question.ask_if is not None:
                lines.append("# (a follow-up: asked only when an earlier answer calls for it)")
            elif not question.required:
                lines.append("# (optional)")
            lines.append(f'"{question.id}" = ""')
    return "\n".join(lines) + "\n"
