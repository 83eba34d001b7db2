"""Question banks: a folder of TOML files, loaded and validated into plain dataclasses.

A bank folder holds

* ``bank.toml`` (optional): ``id``, ``name``, ``description``, ``sets`` (the set files in
  order) and a ``[catalogue]`` table (``files``, ``extends_default``);
* one TOML file per question set (``id``, ``title``, ``guides``, ``guiding_question``,
  ``intro``, ``minutes`` and ``[[questions]]``);
* ``activities.toml``: the activity catalogue (see ``catalogue.py``).

Every problem is reported with the file, the line where it can be found and a hint at the
fix. `check_bank` returns them all; `load_bank` raises a `BankError` carrying them all.
docs/banks.md documents the format for facilitators.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from canvas_tui.core.errors import BankError, Problem
from canvas_tui.core.inputs import parse_toml, read_input_text
from canvas_tui.core.interview.bank_safety import check_sets
from canvas_tui.core.tomlpos import TomlLines

if TYPE_CHECKING:
    from canvas_tui.core.inference.catalogue import Catalogue

#: The nine blocks of the canvas, in the order the canvas is read.
BLOCKS: tuple[str, ...] = (
    "customer_segments",
    "value_propositions",
    "channels",
    "customer_relationships",
    "revenue_streams",
    "key_resources",
    "key_activities",
    "key_partners",
    "cost_structure",
)
#: The four guiding questions a set can serve.
GUIDES: tuple[str, ...] = ("value_proposition", "channels", "relationships", "revenue")

MANIFEST = "bank.toml"
CATALOGUE = "activities.toml"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")

_SET_KEYS = {"id", "title", "guides", "guiding_question", "intro", "minutes", "order", "questions"}
_QUESTION_KEYS = {"id", "prompt", "help", "examples", "required", "block", "ask_if", "note"}
_CONDITION_KEYS = {"question", "mentions", "matches"}
_MANIFEST_KEYS = {"id", "name", "description", "version", "language", "sets", "catalogue"}
_CATALOGUE_KEYS = {"files", "extends_default"}


@dataclass(frozen=True)
class Condition:
    """When a follow-up applies: an earlier answer mentions a word or matches a pattern.

    ``mentions`` are words or phrases, matched whole-word and case-insensitively; a
    trailing ``*`` matches any ending (``subscri*`` → subscribe, subscription).
    """

    questions: tuple[str, ...]
    mentions: tuple[str, ...] = ()
    matches: str = ""
    _regex: re.Pattern[str] | None = field(default=None, compare=False, repr=False)
    line: int | None = field(default=None, compare=False)

    @staticmethod
    def compile(mentions: tuple[str, ...], matches: str) -> re.Pattern[str]:
        parts = []
        for word in mentions:
            stem = word.strip()
            wildcard = stem.endswith("*")
            stem = stem.rstrip("*").strip()
            body = r"\s+".join(re.escape(piece) for piece in stem.split())
            parts.append(rf"\b{body}\w*" if wildcard else rf"\b{body}\b")
        if matches:
            parts.append(f"(?:{matches})")
        return re.compile("|".join(parts) or r"(?!)", re.IGNORECASE)

    def holds(self, answers: Mapping[str, str]) -> bool:
        regex = self._regex or self.compile(self.mentions, self.matches)
        return any(regex.search(answers.get(qid, "") or "") for qid in self.questions)


@dataclass(frozen=True)
class Question:
    id: str  # full id: "<set id>.<key>"
    set_id: str
    prompt: str
    help: str = ""
    examples: tuple[str, ...] = ()
    required: bool = False
    block: str = ""  # the canvas block its answer feeds, if any
    ask_if: Condition | None = None
    probe_of: str = ""  # set for a dynamic "tell me more" question
    line: int | None = None

    @property
    def key(self) -> str:
        return self.id.split(".", 1)[1] if "." in self.id else self.id

    @property
    def is_follow_up(self) -> bool:
        return self.ask_if is not None or bool(self.probe_of)


@dataclass(frozen=True)
class QuestionSet:
    id: str
    title: str
    guides: str
    guiding_question: str
    intro: str
    questions: tuple[Question, ...]
    minutes: float | None = None
    file: str = ""


@dataclass(frozen=True)
class Bank:
    id: str
    name: str
    path: Path
    sets: tuple[QuestionSet, ...]
    description: str = ""
    catalogue_files: tuple[Path, ...] = ()
    extends_default: bool = False

    def __iter__(self) -> Iterator[Question]:
        for qset in self.sets:
            yield from qset.questions

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(self)

    def question(self, qid: str) -> Question | None:
        return self._index().get(qid)

    def set(self, set_id: str) -> QuestionSet | None:
        return next((s for s in self.sets if s.id == set_id), None)

    def set_of(self, qid: str) -> QuestionSet | None:
        question = self.question(qid)
        return self.set(question.set_id) if question else self.set(qid.split(".", 1)[0])

    def sections(self) -> dict[str, str]:
        """Question id -> the guiding question its set serves (for inference)."""
        return {q.id: s.guides for s in self.sets for q in s.questions}

    def _index(self) -> dict[str, Question]:
        cached = self.__dict__.get("_index_cache")
        if cached is None:
            cached = {q.id: q for q in self}
            object.__setattr__(self, "_index_cache", cached)
        return cached

    @property
    def label(self) -> str:
        """How the bank is named in a canvas's meta: its id, or its folder."""
        return self.id


# --------------------------------------------------------------------------- loading


class _Collector:
    """Gathers problems while a bank is read, so all of them can be reported at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: Path | str, message: str, line: int | None = None, hint: str = "") -> None:
        self.problems.append(Problem(str(file), message, line, hint))


def _read_toml(path: Path, out: _Collector) -> tuple[dict[str, Any], TomlLines] | None:
    try:
        text = read_input_text(path, BankError, what="bank file")
        data = parse_toml(text, path, BankError)
    except BankError as exc:
        out.problems.extend(
            exc.problems or [Problem(str(exc.file or path), exc.message, exc.line, exc.hint)]
        )
        return None
    return data, TomlLines(text)


def _unknown_keys(
    data: Mapping[str, Any], allowed: set[str], out: _Collector, path: Path, where: Any
) -> None:
    for key in data:
        if key in allowed:
            continue
        close = difflib.get_close_matches(key, sorted(allowed), n=1)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else f"allowed keys: {', '.join(sorted(allowed))}"
        )
        out.add(path, f"unknown key '{key}'", where(key), hint)


def _string(value: Any) -> bool:
    return isinstance(value, str)


def _set_files(
    folder: Path, manifest: dict[str, Any], pos: TomlLines | None, out: _Collector
) -> list[Path]:
    listed = manifest.get("sets")
    if listed is None:
        # every *.toml but the manifest and the catalogue files with what they include
        from canvas_tui.core.inference.catalogue import included_files

        raw = manifest.get("catalogue")
        names = raw.get("files") if isinstance(raw, dict) else None
        names = names if isinstance(names, list) and all(map(_string, names)) else [CATALOGUE]
        skip = included_files(*(folder / n for n in names)) | {(folder / MANIFEST).resolve()}
        return sorted(
            p
            for p in folder.glob("*.toml")
            if p.resolve() not in skip and p.name != CATALOGUE and not p.name.startswith(".")
        )
    if not isinstance(listed, list) or not all(_string(item) for item in listed):
        out.add(
            folder / MANIFEST,
            "'sets' must be a list of file names",
            pos and pos.key("sets"),
            'e.g. sets = ["value_proposition.toml", "channels.toml"]',
        )
        return []
    files = []
    for name in listed:
        path = folder / name
        if not path.is_file():
            out.add(
                folder / MANIFEST,
                f"set file '{name}' does not exist",
                pos and pos.key("sets"),
                f"create {path} or remove it from 'sets'",
            )
        else:
            files.append(path)
    return files


def _load_condition(
    raw: Any, path: Path, pos: TomlLines, index: int, out: _Collector
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
    _unknown_keys(raw, _CONDITION_KEYS, out, path, lambda _k: line)
    questions = raw.get("question")
    if _string(questions):
        questions = [questions]
    if not questions or not isinstance(questions, list) or not all(_string(q) for q in questions):
        out.add(
            path,
            "'ask_if' needs 'question': the id of the earlier question it depends on",
            line,
            'e.g. question = "revenue.model"',
        )
        return None
    mentions = raw.get("mentions", [])
    if _string(mentions):
        mentions = [mentions]
    if not isinstance(mentions, list) or not all(_string(m) and m.strip("* ") for m in mentions):
        out.add(
            path,
            "'mentions' must be a list of non-empty words",
            line,
            'e.g. mentions = ["subscri*", "monthly"]',
        )
        return None
    matches = raw.get("matches", "")
    if not _string(matches):
        out.add(path, "'matches' must be a string (a regular expression)", line)
        return None
    if not mentions and not matches:
        out.add(
            path,
            "'ask_if' needs 'mentions' or 'matches'",
            line,
            "say which words in the earlier answer make this follow-up apply",
        )
        return None
    try:
        regex = Condition.compile(tuple(mentions), matches)
    except re.error as exc:
        out.add(path, f"'matches' is not a valid regular expression: {exc}", line)
        return None
    return Condition(tuple(questions), tuple(mentions), matches, regex, line)


def _load_question(
    raw: Any, set_id: str, path: Path, pos: TomlLines, index: int, out: _Collector
) -> Question | None:
    header = pos.table("questions", index)
    if not isinstance(raw, dict):
        out.add(
            path, "each entry of 'questions' must be a table", header, "use [[questions]] blocks"
        )
        return None

    def where(key: str) -> int | None:
        return pos.key_in_array("questions", index, key)

    _unknown_keys(raw, _QUESTION_KEYS, out, path, where)
    ok = True
    key = raw.get("id")
    if not _string(key) or not _ID.match(key):
        shown = "missing" if key is None else f"'{key}' is not a valid id"
        hint = (
            'add id = "offer"'
            if key is None
            else "use lower-case letters, digits and _ (the set id is added in front)"
        )
        if _string(key) and "." in key:
            hint = f'write only the part after the set id: id = "{key.rsplit(".", 1)[-1]}"'
        out.add(path, f"question id {shown}", where("id") if key is not None else header, hint)
        ok = False
    prompt = raw.get("prompt")
    if not _string(prompt) or not prompt.strip():
        out.add(
            path,
            f"question '{key}' has no prompt",
            where("prompt") if prompt is not None else header,
            'add prompt = "What do you offer?"',
        )
        ok = False
    help_text = raw.get("help", "")
    if not _string(help_text):
        out.add(path, "'help' must be a string", where("help"))
        ok = False
    examples = raw.get("examples", [])
    if _string(examples):
        examples = [examples]
    if not isinstance(examples, list) or not all(_string(e) and e.strip() for e in examples):
        out.add(
            path,
            "'examples' must be a list of example answers",
            where("examples"),
            'e.g. examples = ["We bake sourdough for local cafés."]',
        )
        ok = False
    elif len(examples) > 3:
        out.add(
            path,
            f"question '{key}' has {len(examples)} examples",
            where("examples"),
            "keep one to three: more overwhelm the person answering",
        )
        ok = False
    required = raw.get("required", False)
    if not isinstance(required, bool):
        out.add(path, "'required' must be true or false", where("required"))
        ok = False
    block = raw.get("block", "")
    if block and block not in BLOCKS:
        close = difflib.get_close_matches(str(block), BLOCKS, n=1)
        out.add(
            path,
            f"unknown canvas block '{block}'",
            where("block"),
            f"did you mean '{close[0]}'?" if close else f"one of: {', '.join(BLOCKS)}",
        )
        ok = False
    condition = None
    if "ask_if" in raw:
        condition = _load_condition(raw["ask_if"], path, pos, index, out)
        ok = ok and condition is not None
    if not ok:
        return None
    return Question(
        id=f"{set_id}.{key}",
        set_id=set_id,
        prompt=prompt.strip(),
        help=help_text.strip(),
        examples=tuple(e.strip() for e in examples),
        required=required,
        block=block,
        ask_if=condition,
        line=header,
    )


def _load_set(path: Path, out: _Collector) -> QuestionSet | None:
    read = _read_toml(path, out)
    if read is None:
        return None
    data, pos = read
    _unknown_keys(data, _SET_KEYS, out, path, lambda k: pos.key(k) or pos.table(k))
    before = len(out.problems)
    set_id = data.get("id")
    if not _string(set_id) or not _ID.match(set_id):
        out.add(
            path,
            "set id missing or not valid" if set_id is None else f"set id '{set_id}' is not valid",
            pos.key("id") if set_id is not None else 1,
            'add id = "value_proposition" (lower-case letters, digits and _)',
        )
        set_id = path.stem
    title = data.get("title")
    if not _string(title) or not title.strip():
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
        if key in data and not _string(data[key]):
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
    if not isinstance(raw_questions, list) or not raw_questions:
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
    if len(out.problems) > before:
        return None
    return QuestionSet(
        id=set_id,
        title=title.strip(),
        guides=guides,
        guiding_question=str(data.get("guiding_question", "")).strip(),
        intro=str(data.get("intro", "")).strip(),
        questions=tuple(questions),
        minutes=float(minutes) if minutes is not None else None,
        file=str(path),
    )


def _check_references(sets: list[QuestionSet], out: _Collector) -> None:
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
                elif target not in seen:
                    close = difflib.get_close_matches(target, all_ids, n=1)
                    out.add(
                        qset.file,
                        f"follow-up '{question.id}' points at question '{target}', which does not exist",
                        line,
                        f"did you mean '{close[0]}'?"
                        if close
                        else "use a full id such as 'revenue.model'",
                    )


def _catalogue_files(
    folder: Path, manifest: dict[str, Any], pos: TomlLines | None, out: _Collector
) -> tuple[tuple[Path, ...], bool]:
    raw = manifest.get("catalogue", {})
    if not isinstance(raw, dict):
        out.add(
            folder / MANIFEST,
            "'catalogue' must be a table",
            pos and pos.key("catalogue"),
            '[catalogue]\nfiles = ["activities.toml"]',
        )
        return (), False
    _unknown_keys(
        raw, _CATALOGUE_KEYS, out, folder / MANIFEST, lambda k: pos and pos.key(k, "catalogue")
    )
    names = raw.get("files")
    if names is None:
        names = [CATALOGUE] if (folder / CATALOGUE).is_file() else []
    if not isinstance(names, list) or not all(_string(n) for n in names):
        out.add(
            folder / MANIFEST,
            "'catalogue.files' must be a list of file names",
            pos and pos.key("files", "catalogue"),
        )
        return (), False
    files = []
    for name in names:
        path = folder / name
        if path.is_file():
            files.append(path)
        else:
            out.add(
                folder / MANIFEST,
                f"catalogue file '{name}' does not exist",
                pos and pos.key("files", "catalogue"),
                f"create {path} or remove it from 'files'",
            )
    extends = raw.get("extends_default", not files)
    if not isinstance(extends, bool):
        out.add(
            folder / MANIFEST,
            "'extends_default' must be true or false",
            pos and pos.key("extends_default", "catalogue"),
        )
        extends = True
    return tuple(files), extends


def _load(folder: Path) -> tuple[Bank | None, list[Problem]]:
    out = _Collector()
    folder = Path(folder)
    if not folder.exists():
        out.add(
            folder,
            "question bank folder does not exist",
            hint="pass the folder that holds the set files, e.g. --bank my_bank/",
        )
        return None, out.problems
    if not folder.is_dir():
        out.add(
            folder, "is a file, not a question bank folder", hint="pass the folder that holds it"
        )
        return None, out.problems
    manifest: dict[str, Any] = {}
    pos: TomlLines | None = None
    if (folder / MANIFEST).is_file():
        read = _read_toml(folder / MANIFEST, out)
        if read is not None:
            manifest, pos = read
            _unknown_keys(
                manifest,
                _MANIFEST_KEYS,
                out,
                folder / MANIFEST,
                lambda k: pos.key(k) or pos.table(k),
            )
    files = _set_files(folder, manifest, pos, out)
    if not files and not out.problems:
        out.add(
            folder,
            "no question set files (*.toml) in this folder",
            hint="copy the default bank with 'canvas-tui bank new DIR' and edit it",
        )
    sets = [qset for qset in (_load_set(path, out) for path in files) if qset is not None]
    _check_references(sets, out)
    out.problems.extend(check_sets(sets))  # values that would hang or crash (bank_safety)
    catalogue_files, extends = _catalogue_files(folder, manifest, pos, out)
    bank_id = manifest.get("id", folder.name)
    if not _string(bank_id):
        out.add(folder / MANIFEST, "'id' must be a string", pos and pos.key("id"))
        bank_id = folder.name
    if out.problems:
        return None, out.problems
    bank = Bank(
        id=bank_id,
        name=str(manifest.get("name", bank_id)),
        description=str(manifest.get("description", "")),
        path=folder.resolve(),
        sets=tuple(sets),
        catalogue_files=catalogue_files,
        extends_default=extends,
    )
    return bank, []


def check_bank(folder: Path | str) -> list[Problem]:
    """Every problem in the bank folder (questions and catalogue); empty when it is fine."""
    bank, problems = _load(Path(folder))
    if bank is not None:
        problems = list(problems) + check_bank_catalogue(bank)
    return problems


def load_bank(folder: Path | str) -> Bank:
    """Load and validate a bank; raise `BankError` listing every problem."""
    bank, problems = _load(Path(folder))
    if bank is None:
        raise BankError.from_problems(problems)
    return bank


def load_default_bank() -> Bank:
    from canvas_tui.resources import default_bank_dir

    return load_bank(default_bank_dir())


def catalogue_paths(bank: Bank) -> tuple[Path, ...]:
    """The catalogue files of a bank, the default catalogue first when it extends it."""
    from canvas_tui.resources import default_bank_dir

    default = (default_bank_dir() / CATALOGUE).resolve()
    files = tuple(p.resolve() for p in bank.catalogue_files)
    if bank.extends_default and default not in files:
        return (default, *files)
    return files or (default,)


def check_bank_catalogue(bank: Bank) -> list[Problem]:
    """Every problem in the catalogue files the bank uses."""
    from canvas_tui.core.inference.catalogue import check_catalogue

    return list(check_catalogue(*catalogue_paths(bank)))


def load_bank_catalogue(bank: Bank) -> Catalogue:
    """The activity catalogue this bank uses (default, extended or replaced)."""
    from canvas_tui.core.inference.catalogue import load_catalogue

    return load_catalogue(*catalogue_paths(bank))
