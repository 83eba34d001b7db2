"""Bank values that would hang or crash the interview, refused by `bank check` and load.

* ``minutes``: a finite number of at most `MAX_MINUTES` (``inf`` or ``1e308`` would
  break the workshop countdown);
* ``ask_if.matches``: no regular expression that can backtrack without bound — a
  repeated group that itself holds an unbounded repeat (``(a+)+$``, ``(\\w*)*``), found
  in the parsed pattern, not by guessing at its text;
* follow-ups point at questions asked before them (a follow-up waiting for a later
  answer would pop up out of order, back in an earlier set); a circle (A is asked if B's answer says…, B if A's…)
  is reported as one problem, naming the circle.

Each problem names the file and the line. Kept apart from the loader so the rules are
in one place; `bank._load` calls `check_sets`.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from canvas_tui.core.errors import Problem
from canvas_tui.core.tomlpos import TomlLines

if TYPE_CHECKING:
    from canvas_tui.core.interview.bank import QuestionSet

# Python 3.11+: the regular expression parser behind `re` (private modules, untyped)
import importlib

sre_constants: Any = importlib.import_module("re._constants")
sre_parse: Any = importlib.import_module("re._parser")

MAX_MINUTES = 24 * 60  # one day: more is no workshop

_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT}
_UNBOUNDED = sre_constants.MAXREPEAT


def _has_unbounded_repeat(items: Any) -> bool:
    for op, arg in items:
        if op in _REPEATS:
            _low, high, sub = arg
            if high == _UNBOUNDED or _has_unbounded_repeat(sub):
                return True
        elif op == sre_constants.SUBPATTERN:
            if _has_unbounded_repeat(arg[-1]):
                return True
        elif op == sre_constants.BRANCH:
            if any(_has_unbounded_repeat(branch) for branch in arg[1]):
                return True
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT) and _has_unbounded_repeat(
            arg[1]
        ):
            return True
    return False


def _nested_unbounded(items: Any) -> bool:
    """A repeat with no upper bound (or a large one) around another unbounded repeat."""
    for op, arg in items:
        if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            _low, high, sub = arg
            if (high == _UNBOUNDED or high > 100) and _has_unbounded_repeat(sub):
                return True
            if _nested_unbounded(sub):
                return True
        elif op == sre_constants.SUBPATTERN:
            if _nested_unbounded(arg[-1]):
                return True
        elif op == sre_constants.BRANCH:
            if any(_nested_unbounded(branch) for branch in arg[1]):
                return True
        elif op in (
            sre_constants.ASSERT,
            sre_constants.ASSERT_NOT,
            sre_constants.POSSESSIVE_REPEAT,
        ) and _nested_unbounded(arg[-1] if op == sre_constants.POSSESSIVE_REPEAT else arg[1]):
            return True
    return False


def regex_problem(pattern: str) -> str | None:
    """Why `pattern` may take unbounded time on a long answer, or None."""
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        return f"not a valid regular expression: {exc}"
    if _nested_unbounded(list(parsed)):
        return (
            f"the pattern {pattern!r} repeats a group that itself repeats without bound: "
            "matching it can take forever on some answers"
        )
    return None


def _line_of(file: str, key: str) -> int | None:
    try:
        return TomlLines(Path(file).read_text(encoding="utf-8-sig")).key(key)
    except (OSError, UnicodeDecodeError):
        return None


def check_sets(sets: list[QuestionSet]) -> list[Problem]:
    problems: list[Problem] = []
    for qset in sets:
        minutes = qset.minutes
        if minutes is not None and (not math.isfinite(minutes) or minutes > MAX_MINUTES):
            problems.append(
                Problem(
                    qset.file,
                    f"'minutes' is {minutes:g}: at most {MAX_MINUTES} (one day)",
                    _line_of(qset.file, "minutes"),
                    "e.g. minutes = 10",
                )
            )
        for question in qset.questions:
            condition = question.ask_if
            if condition is None or not condition.matches:
                continue
            why = regex_problem(condition.matches)
            if why:
                problems.append(
                    Problem(
                        qset.file,
                        f"follow-up '{question.id}': {why}",
                        condition.line or question.line,
                        "use plain words in 'mentions', or a pattern without nested repeats",
                    )
                )
    problems.extend(_order(sets))
    return problems


def _order(sets: list[QuestionSet]) -> list[Problem]:
    """A follow-up must point at questions asked before it (bank order: the sets in order,
    then the questions of each). One problem per mistake: a follow-up pointing ahead is
    reported once, as a circle when what it points at depends on it in turn."""
    position: dict[str, int] = {}
    depends: dict[str, tuple[str, ...]] = {}
    for qset in sets:
        for question in qset.questions:
            position.setdefault(question.id, len(position))
            if question.ask_if is not None and question.id not in depends:
                depends[question.id] = tuple(
                    t for t in question.ask_if.questions if t != question.id
                )

    def path_to(start: str, goal: str) -> list[str] | None:
        """start -> ... -> goal along the follow-ups' dependencies, if there is one."""
        before: dict[str, str] = {}
        todo, seen = [start], {start}
        while todo:
            current = todo.pop()
            if current == goal:
                chain = [goal]
                while chain[-1] != start:
                    chain.append(before[chain[-1]])
                return chain[::-1]
            for target in depends.get(current, ()):
                if target not in seen:
                    seen.add(target)
                    before[target] = current
                    todo.append(target)
        return None

    problems: list[Problem] = []
    circles: set[frozenset[str]] = set()
    for qset in sets:
        for question in qset.questions:
            if question.ask_if is None or position.get(question.id) is None:
                continue
            line = question.ask_if.line or question.line
            for target in question.ask_if.questions:
                if target == question.id or target not in position:
                    continue  # reported by the loader (itself; does not exist)
                if position[target] < position[question.id]:
                    continue
                circle = path_to(target, question.id)
                if circle is not None:
                    key = frozenset(circle)
                    if key not in circles:
                        circles.add(key)
                        problems.append(
                            Problem(
                                qset.file,
                                "follow-ups depend on each other in a circle: "
                                + " -> ".join([question.id, *circle])
                                + " (none of them would ever be asked)",
                                line,
                                "make one of them depend on an ordinary question",
                            )
                        )
                    continue
                problems.append(
                    Problem(
                        qset.file,
                        f"follow-up '{question.id}' points at question '{target}', "
                        "which is asked after it",
                        line,
                        f"a follow-up comes after the question it depends on: point it at an "
                        f"earlier question, or move it after '{target}' (without 'sets' in "
                        "bank.toml, sets are asked in file-name order)",
                    )
                )
    return problems
