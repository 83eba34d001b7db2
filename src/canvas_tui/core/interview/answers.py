"""The answers file of the headless run (CONTRACTS.md §1).

    title = "Acme Tutors"            # optional
    [answers]
    "value_proposition.offer" = "..."

Unquoted dotted keys (``value_proposition.offer = "..."``) make nested tables in TOML; we
accept them too, since that is what people naturally type. Other top-level keys are
ignored (an evaluation set may carry an ``[expect]`` table, say).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from canvas_tui.core.errors import AnswersError, toml_decode_problem
from canvas_tui.core.tomlpos import TomlLines

if TYPE_CHECKING:
    from canvas_tui.core.interview.bank import Bank

_EXAMPLE = '[answers] then "value_proposition.offer" = "We bake sourdough for local cafés."'


@dataclass(frozen=True)
class AnswersFile:
    path: Path
    answers: dict[str, str]
    title: str | None = None
    lines: dict[str, int] = field(default_factory=dict, compare=False)


def _flatten(table: dict[str, Any], prefix: str, out: dict[str, Any]) -> None:
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            _flatten(value, full, out)
        else:
            out[full] = value


def read_answers(path: Path | str) -> AnswersFile:
    path = Path(path)
    if not path.exists():
        raise AnswersError("answers file not found", file=path, hint="check the path")
    if path.is_dir():
        raise AnswersError("is a folder, not an answers file", file=path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise AnswersError(
            f"not UTF-8 text (byte {exc.start})", file=path, hint="save it as UTF-8"
        ) from None
    except OSError as exc:
        raise AnswersError(f"cannot be read: {exc.strerror or exc}", file=path) from None
    if not text.strip():
        raise AnswersError(
            "the file is empty", file=path, hint=f"write your answers like this: {_EXAMPLE}"
        )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AnswersError.from_problems([toml_decode_problem(path, exc, text)]) from None
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
    _flatten(raw, "", flat)
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
        "# Write each answer between the quotes (\"\"\"...\"\"\" for several lines);",
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
