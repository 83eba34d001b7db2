"""Question banks, one set file: its questions and follow-up conditions, read and checked.

Also the helpers every bank file shares (collecting problems, reading TOML, unknown keys)
and the check that ids and follow-up references are consistent across a bank's sets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeGuard

from canvas_tui.core.errors import BankError, Problem
from canvas_tui.core.inputs import parse_toml, read_input_text
from canvas_tui.core.interview.bank import BLOCKS, GUIDES, Condition, Question, QuestionSet
from canvas_tui.core.tomlpos import TomlLines

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")

SET_KEYS = {"id", "title", "guides", "guiding_question", "intro", "minutes", "order", "questions"}
QUESTION_KEYS = {"id", "prompt", "help", "examples", "required", "block", "ask_if", "note"}
CONDITION_KEYS = {"question", "mentions", "matches"}


class Collector:
    """Gathers problems while a bank is read, so all of them can be reported at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: Path | str, message: str, line: int | None = None, hint: str = "") -> None:
        self.problems.append(Problem(str(file), message, line, hint))


def read_toml(path: Path, out: Collector) -> tuple[dict[str, Any], TomlLines] | None:
    try:
        text = read_input_text(path, BankError, what="bank file")
        data = parse_toml(text, path, BankError)
    except BankError as exc:
        out.problems.extend(
            exc.problems or [Problem(str(exc.file or path), exc.message, exc.line, exc.hint)]
        )
        return None
    return data, TomlLines(text)


def unknown_keys(
    data: Mapping[str, Any], allowed: set[str], out: Collector, path: Path, where: Any
) -> set[str]:
    """Report each key not in `allowed`; return the allowed keys suggested instead.

    A caller that finds a required key missing checks this first: `promt = "…"` is one
    mistake, reported once ("unknown key 'promt'", did you mean 'prompt'?), not also as
    "has no prompt".
    """
    meant: set[str] = set()
    for key in data:
        if key in allowed:
            continue
        close = _close_matches(key, sorted(allowed), n=1)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else f"allowed keys: {', '.join(sorted(allowed))}"
        )
        out.add(path, f"unknown key '{key}'", where(key), hint)
        meant.update(k for k in close if k not in data)
    return meant


def is_string(value: Any) -> TypeGuard[str]:
    return isinstance(value, str)


def _load_condition(
    raw: Any, path: Path, pos: TomlLines, index: int, out: Collector
) -> Condition | None:
    line = pos.key_in_array("questions", index, "ask_if")
    if not isinstance(raw, dict):
        out.add(
            path,
            "'ask_if' must be a table",
            line,
            'e.g. ask_if = { question = "revenue.model", mentions = ["subscri*"] }',
        )
        return None
    meant = unknown_keys(raw, CONDITION_KEYS, out, path, lambda _k: line)
    questions = raw.get("question")
    if is_string(questions):
        questions = [questions]
    if questions is None and "question" in meant:
        return None  # reported as the misspelt key
    if not questions or not isinstance(questions, list) or not all(is_string(q) for q in questions):
        out.add(
            path,
            "'ask_if' needs 'question': the id of the earlier question it depends on",
            line,
            'e.g. question = "revenue.model"',
        )
        return None
    mentions = raw.get("mentions", [])
    if is_string(mentions):
        mentions = [mentions]
    if not isinstance(mentions, list) or not all(is_string(m) and m.strip("* ") for m in mentions):
        out.add(
            path,
            "'mentions' must be a list of non-empty words",
            line,
            'e.g. mentions = ["subscri*", "monthly"]',
        )
        return None
    matches = raw.get("matches", "")
    if not is_string(matches):
        out.add(path, "'matches' must be a string (a regular expression)", line)
        return None
    if not mentions and not matches:
        if meant & {"mentions", "matches"}:
            return None  # reported as the misspelt key
        out.add(
            path,
            "'ask_if' needs 'mentions' or 'matches'",
            line,
            "say which words in the earlier answer make this follow-up apply",
        )
        return None
    try:
        regex = Condition.compile(matches)
    except re.error as exc:
        out.add(path, f"'matches' is not a valid regular expression: {exc}", line)
        return None
    return Condition(tuple(questions), tuple(mentions), matches, regex, line)


def _load_question(
    raw: Any, set_id: str, path: Path, pos: TomlLines, index: int, out: Collector
) -> Question | None:
    header = pos.table("questions", index)
    if not isinstance(raw, dict):
        out.add(
            path, "each entry of 'questions' must be a table", header, "use [[questions]] blocks"
        )
        return None

    def where(key: str) -> int | None:
        return pos.key_in_array("questions", index, key)

    meant = unknown_keys(raw, QUESTION_KEYS, out, path, where)
    key = raw.get("id")
    if key is None and "id" in meant:
        return None  # reported as the misspelt key
    if not is_string(key) or not ID_PATTERN.match(key):
        shown = "missing" if key is None else f"'{key}' is not a valid id"
        hint = (
            'add id = "offer"'
            if key is None
            else "use lower-case letters, digits and _ (the set id is added in front)"
        )
        if is_string(key) and "." in key:
            hint = f'write only the part after the set id: id = "{key.rsplit(".", 1)[-1]}"'
        out.add(path, f"question id {shown}", where("id") if key is not None else header, hint)
    prompt = raw.get("prompt")
    if prompt is None and "prompt" in meant:
        prompt = ""  # reported as the misspelt key
    elif not is_string(prompt) or not prompt.strip():
        out.add(
            path,
            f"question '{key}' has no prompt",
            where("prompt") if prompt is not None else header,
            'add prompt = "What do you offer?"',
        )
    help_text = raw.get("help", "")
    if not is_string(help_text):
        out.add(path, "'help' must be a string", where("help"))
    examples = raw.get("examples", [])
    if is_string(examples):
        examples = [examples]
    if not isinstance(examples, list) or not all(is_string(e) and e.strip() for e in examples):
        out.add(
            path,
            "'examples' must be a list of example answers",
            where("examples"),
            'e.g. examples = ["We bake sourdough for local cafés."]',
        )
    elif len(examples) > 3:
        out.add(
            path,
            f"question '{key}' has {len(examples)} examples",
            where("examples"),
            "keep one to three: more overwhelm the person answering",
        )
    required = raw.get("required", False)
    if not isinstance(required, bool):
        out.add(path, "'required' must be true or false", where("required"))
    block = raw.get("block", "")
    if block and block not in BLOCKS:
        close = _close_matches(str(block), BLOCKS, n=1)
        out.add(
            path,
            f"unknown canvas block '{block}'",
            where("block"),
            f"did you mean '{close[0]}'?" if close else f"one of: {', '.join(BLOCKS)}",
        )
    condition = None
    if "ask_if" in raw:
        condition = _load_condition(raw["ask_if"], path, pos, index, out)
    if not is_string(key) or not key.strip():
        return None
    # A question with a problem is still returned (the bank is refused anyway): its id
    # is known to the follow-ups of other sets, and its own follow-up is checked.
    return Question(
        id=f"{set_id}.{key}",
        set_id=set_id,
        prompt=str(prompt).strip() if is_string(prompt) else "",
        help=help_text.strip() if is_string(help_text) else "",
        examples=tuple(e.strip() for e in examples if is_string(e))
        if isinstance(examples, list)
        else (),
        required=required if isinstance(required, bool) else False,
        block=block if block in BLOCKS else "",
        ask_if=condition,
        line=header,
    )


def load_set(path: Path, out: Collector) -> QuestionSet | None:
    read = read_toml(path, out)
    if read is None:
        return None
    data, pos = read
    meant = unknown_keys(data, SET_KEYS, out, path, lambda k: pos.key(k) or pos.table(k))
    set_id = data.get("id")
    if set_id is None and "id" in meant:
        set_id = path.stem  # reported as the misspelt key
    elif not is_string(set_id) or not ID_PATTERN.match(set_id):
        out.add(
            path,
            "set id missing or not valid" if set_id is None else f"set id '{set_id}' is not valid",
            pos.key("id") if set_id is not None else 1,
            'add id = "value_proposition" (lower-case letters, digits and _)',
        )
        set_id = path.stem
    title = data.get("title")
    if title is None and "title" in meant:
        title = ""  # reported as the misspelt key
    elif not is_string(title) or not title.strip():
        out.add(
            path,
            "set has no title",
            pos.key("title") if title is not None else 1,
            'add title = "Value proposition"',
        )
    guides = data.get("guides", set_id)
    if guides not in GUIDES:
        out.add(
            path,
            f"'guides' is '{guides}', not one of the four guiding questions",
            pos.key("guides") if "guides" in data else pos.key("id"),
            f"set guides = one of {', '.join(GUIDES)}",
        )
    for key in ("guiding_question", "intro"):
        if key in data and not is_string(data[key]):
            out.add(path, f"'{key}' must be a string", pos.key(key))
    minutes = data.get("minutes")
    if minutes is not None and (
        isinstance(minutes, bool) or not isinstance(minutes, int | float) or minutes <= 0
    ):
        out.add(
            path, "'minutes' must be a positive number", pos.key("minutes"), "e.g. minutes = 10"
        )
        minutes = None
    raw_questions = data.get("questions")
    if raw_questions is None and "questions" in meant:
        raw_questions = []  # reported as the misspelt key
    elif not isinstance(raw_questions, list) or not raw_questions:
        out.add(
            path,
            "set has no questions",
            pos.key("questions") or 1,
            "add at least one [[questions]] table with an id and a prompt",
        )
        raw_questions = []
    questions = []
    for index, raw in enumerate(raw_questions):
        question = _load_question(raw, set_id, path, pos, index, out)
        if question is not None:
            questions.append(question)
    # Returned even with problems (the bank is refused anyway): the other sets' follow-ups
    # are checked against every question it has, and its own follow-ups are checked too.
    return QuestionSet(
        id=set_id,
        title=str(title).strip(),
        guides=guides,
        guiding_question=str(data.get("guiding_question", "")).strip(),
        intro=str(data.get("intro", "")).strip(),
        questions=tuple(questions),
        minutes=float(minutes) if minutes is not None else None,
        file=str(path),
    )


def check_references(sets: list[QuestionSet], out: Collector, *, unreadable: bool = False) -> None:
    """Duplicate ids, and follow-ups pointing at themselves or at no question. With an
    `unreadable` set file, a target in a set that is not known is not reported: its set is
    probably the unreadable one, already reported (one error per mistake)."""
    seen: dict[str, str] = {}
    set_ids: dict[str, str] = {}
    for qset in sets:
        if qset.id in set_ids:
            out.add(
                qset.file,
                f"duplicate set id '{qset.id}' (also in {set_ids[qset.id]})",
                1,
                "give each set its own id",
            )
        set_ids.setdefault(qset.id, qset.file)
        for question in qset.questions:
            if question.id in seen:
                out.add(
                    qset.file,
                    f"duplicate question id '{question.id}' (first defined in {seen[question.id]})",
                    question.line,
                    "give each question its own id",
                )
            seen.setdefault(question.id, f"{qset.file}:{question.line}")
    all_ids = list(seen)
    for qset in sets:
        for question in qset.questions:
            if question.ask_if is None:
                continue
            line = question.ask_if.line or question.line
            for target in question.ask_if.questions:
                if target == question.id:
                    out.add(
                        qset.file,
                        f"follow-up '{question.id}' depends on itself",
                        line,
                        "point 'ask_if.question' at an earlier question",
                    )
                elif target not in seen and not (
                    unreadable and target.split(".", 1)[0] not in set_ids
                ):
                    close = _close_matches(target, all_ids, n=1)
                    out.add(
                        qset.file,
                        f"follow-up '{question.id}' points at question '{target}', which does not exist",
                        line,
                        f"did you mean '{close[0]}'?"
                        if close
                        else "use a full id such as 'revenue.model'",
                    )


def _close_matches(word: str, possibilities: Iterable[str], n: int) -> list[str]:
    """difflib's "did you mean", imported only when a bank has a problem to report."""
    import difflib

    return difflib.get_close_matches(word, possibilities, n=n)
