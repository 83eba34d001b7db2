"""The activity catalogue: what a key activity is, and the words that point to it.

Data, not code: `question_banks/default/activities.toml` holds every activity (id, name,
category, description, KPIs, partner hint, resources, costs, signals) and the language the
inference uses (negation words, partner cues, business-type cues, coherence rules,
vague-answer words). Its header comment documents the format.

`load_catalogue(a, b, ...)` reads files in order: a later file adds activities, overrides
fields of an existing id and adds signals to it, so a facilitator's bank can extend the
default. Every problem names the file, the line where it can, and the fix. UI-free:
stdlib and tomllib only.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from canvas_tui.core.errors import BankError, Problem, toml_decode_problem
from canvas_tui.core.tomlpos import TomlLines

CATEGORIES = ("production", "problem_solving", "platform_network", "supporting")
CORE_TYPES = CATEGORIES[:3]
GUIDING = ("value_proposition", "channels", "relationships", "revenue")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MAX_WEIGHT = 5.0


@dataclass(frozen=True)
class SignalGroup:
    """Words with one weight, optionally only in some guiding sections."""

    words: tuple[str, ...]
    weight: float = 1.0
    sections: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActivityDef:
    id: str
    name: str
    category: str
    description: str = ""
    kpis: tuple[str, ...] = ()
    partner_hint: str = ""
    resources: tuple[str, ...] = ()
    costs: tuple[str, ...] = ()
    signals: tuple[SignalGroup, ...] = ()
    #: ends "You said '...', so <why>." (per guiding section in `why_by`)
    why: str = ""
    why_by: tuple[tuple[str, str], ...] = ()
    #: a partner usually does this (couriers, payment providers): suggest it as one
    partner_default: bool = False
    #: "a partner does it" lowers the weight (False for activities about managing others)
    partner_sensitive: bool = True
    #: phrases whose words never count for this activity ("online store" for shops)
    exclude: tuple[str, ...] = ()
    #: multiplier per guiding section (content named under channels is marketing)
    section_weights: tuple[tuple[str, float], ...] = ()
    #: when a partner does this, managing that partner is evidence for this other activity
    partner_to: str = ""
    #: how much the activity says about the business type (customer support is everywhere)
    type_weight: float = 1.0

    def why_for(self, section: str) -> str:
        return dict(self.why_by).get(section, self.why)

    def section_weight(self, section: str) -> float:
        return dict(self.section_weights).get(section, 1.0)

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(w for group in self.signals for w in group.words)


@dataclass(frozen=True)
class Cue:
    """Words that point to a business type directly ("commission", "we make")."""

    type: str
    words: tuple[str, ...]
    weight: float = 1.0
    sections: tuple[str, ...] = ()


@dataclass(frozen=True)
class CoherenceRule:
    """A promise (`when` words) that contradicts some activities."""

    id: str
    when: tuple[str, ...]
    activities: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class Adjust:
    """When a type's cues are strong, scale some activities (a marketplace's providers
    deliver the service, not the marketplace)."""

    type: str
    min_cue: float
    factor: float
    activities: tuple[str, ...]
    reason: str = ""
    #: apply only while the type's cue points stay below this (e.g. "not a platform")
    max_cue: float = math.inf


@dataclass(frozen=True)
class Language:
    negators: tuple[str, ...] = ()
    negation_window: int = 4
    clause_breaks: tuple[str, ...] = ()
    fillers: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    partner_cues: tuple[str, ...] = ()
    own_cues: tuple[str, ...] = ()
    irregular: tuple[tuple[str, tuple[str, ...]], ...] = ()
    fuzzy_min_length: int = 7
    #: "for ..." names the customer: signals right after it count less
    customer_markers: tuple[str, ...] = ()
    not_customer: tuple[str, ...] = ()
    customer_stops: tuple[str, ...] = ()
    customer_window: int = 3


@dataclass(frozen=True)
class Vague:
    words: tuple[str, ...] = ()
    stopwords: tuple[str, ...] = ()
    min_content: int = 4
    min_weight: float = 1.0
    probes: tuple[tuple[str, str], ...] = ()
    message: str = "Not enough to go on in this answer: it could describe almost any business."

    def probe_for(self, section: str) -> str:
        probes = dict(self.probes)
        return probes.get(section, probes.get("default", "Could you tell me more?"))


@dataclass
class Catalogue:
    """Activities (ordered by first appearance) plus the inference's vocabulary."""

    activities: dict[str, ActivityDef] = field(default_factory=dict)
    cues: tuple[Cue, ...] = ()
    coherence: tuple[CoherenceRule, ...] = ()
    adjust: tuple[Adjust, ...] = ()
    language: Language = field(default_factory=Language)
    vague: Vague = field(default_factory=Vague)
    question_weights: dict[str, float] = field(default_factory=dict)
    sources: tuple[str, ...] = ()

    def get(self, activity_id: str) -> ActivityDef | None:
        return self.activities.get(activity_id)

    def __contains__(self, activity_id: object) -> bool:
        return activity_id in self.activities

    def __iter__(self) -> Iterator[ActivityDef]:
        return iter(self.activities.values())

    def __len__(self) -> int:
        return len(self.activities)

    def __hash__(self) -> int:  # identity: the inference caches compiled matchers per object
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other


# ---------------------------------------------------------------------------------------
# Loading and checking

_TOP_KEYS = {"activity", "language", "cue", "coherence", "adjust", "vague", "question_weights"}
_ACTIVITY_KEYS = {
    "id", "name", "category", "description", "kpis", "partner_hint", "resources", "costs",
    "signals", "why", "why_by", "partner_default", "partner_sensitive", "exclude",
    "section_weights", "partner_to", "type_weight",
}  # fmt: skip
_SIGNAL_KEYS = {"words", "weight", "sections"}
_LANGUAGE_LISTS = (
    "negators", "clause_breaks", "fillers", "ignore", "partner_cues", "own_cues",
    "customer_markers", "not_customer", "customer_stops",
)  # fmt: skip
_LANGUAGE_KEYS = {
    *_LANGUAGE_LISTS, "negation_window", "irregular", "fuzzy_min_length", "customer_window",
}  # fmt: skip
_VAGUE_KEYS = {"words", "stopwords", "min_content", "min_weight", "probes", "message"}


class _Reader:
    """Collects problems for one file, with line numbers looked up in its text."""

    def __init__(self, path: Path, text: str, problems: list[Problem]) -> None:
        self.path = path
        self.lines = TomlLines(text)
        self.problems = problems

    def add(self, message: str, line: int | None = None, hint: str = "") -> None:
        self.problems.append(Problem(str(self.path), message, line, hint))

    def entry_line(self, array: str, index: int, key: str | None = None) -> int | None:
        if key is None:
            return self.lines.table(array, index)
        return self.lines.key_in_array(array, index, key)

    def signal_line(self, activity_index: int, signal_index: int) -> int | None:
        start = self.lines.table("activity", activity_index)
        end = self.lines.table("activity", activity_index + 1) or 10**9
        found = [
            line
            for line, name, is_array in self.lines.headers
            if name == "activity.signals" and is_array and start is not None and start < line < end
        ]
        if signal_index < len(found):
            return found[signal_index]
        return self.entry_line("activity", activity_index, "signals")


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _signal_groups(raw: Any, reader: _Reader, index: int, ident: str) -> tuple[SignalGroup, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        reader.add(
            f"activity '{ident}': 'signals' must be an array of tables",
            reader.entry_line("activity", index, "signals"),
            'write [[activity.signals]] then words = ["..."] and weight = 1.0',
        )
        return ()
    groups = []
    for j, group in enumerate(raw):
        line = reader.signal_line(index, j)
        if not isinstance(group, dict):
            reader.add(
                f"activity '{ident}': signal group {j + 1} must be a table",
                line,
                'words = ["..."], weight = 1.0',
            )
            continue
        for key in sorted(set(group) - _SIGNAL_KEYS):
            reader.add(
                f"activity '{ident}': unknown key '{key}' in a signal group",
                line,
                "signal groups take words, weight and sections",
            )
        words = group.get("words")
        if not isinstance(words, list) or not words:
            reader.add(
                f"activity '{ident}': signal group {j + 1} needs a non-empty 'words' list",
                line,
                'words = ["brew", "brewery", "craft beer"]',
            )
            continue
        bad = [w for w in words if not isinstance(w, str) or not w.strip()]
        if bad:
            reader.add(
                f"activity '{ident}': signal {bad[0]!r} is not a word or phrase",
                line,
                'every signal is a non-empty string in double quotes, e.g. "roast*"',
            )
            continue
        weight = group.get("weight", 1.0)
        if not _number(weight) or not 0 < weight <= MAX_WEIGHT:
            reader.add(
                f"activity '{ident}': bad weight {weight!r}",
                line,
                f"a weight is a number above 0 and at most {MAX_WEIGHT:g}, e.g. weight = 1.5",
            )
            continue
        sections = group.get("sections", [])
        if not _strings(sections):
            reader.add(
                f"activity '{ident}': 'sections' must be a list of section names",
                line,
                f"use some of {', '.join(GUIDING)}",
            )
            continue
        groups.append(SignalGroup(tuple(words), float(weight), tuple(sections)))
    return tuple(groups)


def _activity(
    raw: Any, reader: _Reader, index: int, known: Mapping[str, ActivityDef], seen: set[str]
) -> ActivityDef | None:
    line = reader.entry_line("activity", index)
    if not isinstance(raw, dict):
        reader.add("each [[activity]] must be a table", line)
        return None
    ident = raw.get("id")
    if not isinstance(ident, str) or not _ID.match(ident):
        reader.add(
            f"activity {index + 1} needs an 'id' of lower-case letters, digits and dashes",
            reader.entry_line("activity", index, "id"),
            'id = "manufacturing"',
        )
        return None
    if ident in seen:
        reader.add(
            f"duplicate activity id '{ident}' in this file",
            reader.entry_line("activity", index, "id"),
            "merge the two entries, or rename one",
        )
        return None
    seen.add(ident)
    for key in sorted(set(raw) - _ACTIVITY_KEYS):
        reader.add(
            f"activity '{ident}': unknown key '{key}'",
            reader.entry_line("activity", index, key),
            f"known keys: {', '.join(sorted(_ACTIVITY_KEYS))}",
        )
    base = known.get(ident)
    ok = True

    def need_text(key: str, required: bool) -> str | None:
        nonlocal ok
        value = raw.get(key)
        if value is None:
            if required:
                ok = False
                reader.add(
                    f"activity '{ident}' has no '{key}'",
                    line,
                    f'add {key} = "..." (a new activity needs name and category)',
                )
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            ok = False
            reader.add(
                f"activity '{ident}': '{key}' must be a non-empty string",
                reader.entry_line("activity", index, key),
            )
            return None
        return value

    def need_list(key: str) -> tuple[str, ...] | None:
        nonlocal ok
        value = raw.get(key)
        if value is None:
            return None
        if not _strings(value):
            ok = False
            reader.add(
                f"activity '{ident}': '{key}' must be a list of strings",
                reader.entry_line("activity", index, key),
                f'{key} = ["...", "..."]',
            )
            return None
        return tuple(value)

    name = need_text("name", base is None)
    category = need_text("category", base is None)
    if category is not None and category not in CATEGORIES:
        ok = False
        reader.add(
            f"activity '{ident}': unknown category '{category}'",
            reader.entry_line("activity", index, "category"),
            f"use one of {', '.join(CATEGORIES)}",
        )
    changes: dict[str, Any] = {}
    for key in ("description", "partner_hint", "why", "partner_to"):
        value = need_text(key, False)
        if value is not None:
            changes[key] = value
    for key in ("kpis", "resources", "costs", "exclude"):
        listed = need_list(key)
        if listed is not None:
            changes[key] = listed
    for key in ("partner_default", "partner_sensitive"):
        if key in raw:
            if isinstance(raw[key], bool):
                changes[key] = raw[key]
            else:
                ok = False
                reader.add(
                    f"activity '{ident}': '{key}' must be true or false",
                    reader.entry_line("activity", index, key),
                )
    why_by = raw.get("why_by")
    if why_by is not None:
        if isinstance(why_by, dict) and all(isinstance(v, str) for v in why_by.values()):
            changes["why_by"] = tuple(sorted(why_by.items()))
        else:
            ok = False
            reader.add(
                f"activity '{ident}': 'why_by' must map a section to a sentence",
                reader.entry_line("activity", index, "why_by"),
                'why_by = { revenue = "..." }',
            )
    if "type_weight" in raw:
        value = raw["type_weight"]
        if _number(value) and 0 <= value <= 1:
            changes["type_weight"] = float(value)
        else:
            ok = False
            reader.add(
                f"activity '{ident}': 'type_weight' must be a number from 0 to 1",
                reader.entry_line("activity", index, "type_weight"),
            )
    weights = raw.get("section_weights")
    if weights is not None:
        if isinstance(weights, dict) and all(
            _number(v) and 0 <= v <= MAX_WEIGHT for v in weights.values()
        ):
            changes["section_weights"] = tuple(sorted((k, float(v)) for k, v in weights.items()))
        else:
            ok = False
            reader.add(
                f"activity '{ident}': 'section_weights' must map a section to a number",
                reader.entry_line("activity", index, "section_weights"),
                "section_weights = { channels = 0.5 }",
            )
    groups = _signal_groups(raw.get("signals"), reader, index, ident)
    if not ok:
        return None
    if base is None:
        return ActivityDef(
            id=ident, name=name or ident, category=category or "supporting", signals=groups,
            **changes,
        )  # fmt: skip
    if name:
        changes["name"] = name
    if category:
        changes["category"] = category
    if "why_by" in changes:
        changes["why_by"] = tuple(sorted({**dict(base.why_by), **dict(changes["why_by"])}.items()))
    if "exclude" in changes:
        changes["exclude"] = base.exclude + changes["exclude"]
    return replace(base, signals=base.signals + groups, **changes)


def _table_list(raw: Any, key: str, reader: _Reader) -> list[tuple[int, dict[str, Any]]]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
        reader.add(f"'{key}' must be an array of tables", reader.lines.table(key), f"[[{key}]]")
        return []
    return list(enumerate(raw))


def _cues(raw: Any, reader: _Reader) -> list[Cue]:
    cues = []
    for i, entry in _table_list(raw, "cue", reader):
        line = reader.entry_line("cue", i)
        weight = entry.get("weight", 1.0)
        if entry.get("type") not in CORE_TYPES:
            reader.add(
                f"cue {i + 1}: 'type' must be one of {', '.join(CORE_TYPES)}",
                reader.entry_line("cue", i, "type"),
            )
        elif not _strings(entry.get("words")):
            reader.add(f"cue {i + 1}: 'words' must be a list of strings", line)
        elif not _number(weight) or not 0 < weight <= MAX_WEIGHT:
            reader.add(
                f"cue {i + 1}: bad weight {weight!r}",
                reader.entry_line("cue", i, "weight"),
                f"a number above 0 and at most {MAX_WEIGHT:g}",
            )
        elif not _strings(entry.get("sections", [])):
            reader.add(f"cue {i + 1}: 'sections' must be a list of section names", line)
        else:
            cues.append(
                Cue(
                    entry["type"],
                    tuple(entry["words"]),
                    float(weight),
                    tuple(entry.get("sections", [])),
                )
            )
    return cues


def _coherence(raw: Any, reader: _Reader) -> list[CoherenceRule]:
    rules = []
    for i, entry in _table_list(raw, "coherence", reader):
        line = reader.entry_line("coherence", i)
        if not (
            isinstance(entry.get("id"), str)
            and _strings(entry.get("when"))
            and _strings(entry.get("activities"))
            and isinstance(entry.get("message"), str)
        ):
            reader.add(
                f"coherence rule {i + 1} needs id, when (words), activities (ids) and message",
                line,
            )
            continue
        rules.append(
            CoherenceRule(
                entry["id"], tuple(entry["when"]), tuple(entry["activities"]), entry["message"]
            )
        )
    return rules


def _adjust(raw: Any, reader: _Reader) -> list[Adjust]:
    out = []
    for i, entry in _table_list(raw, "adjust", reader):
        factor = entry.get("factor")
        if (
            entry.get("type") not in CORE_TYPES
            or not _number(entry.get("min_cue", 0.0))
            or not _number(entry.get("max_cue", 0.0))
            or not _number(factor)
            or not 0 <= factor <= 1
            or not _strings(entry.get("activities"))
        ):
            reader.add(
                f"adjust rule {i + 1} needs type, factor (0..1), activities and"
                " min_cue and/or max_cue (numbers)",
                reader.entry_line("adjust", i),
            )
            continue
        out.append(
            Adjust(
                entry["type"], float(entry.get("min_cue", 0.0)), float(factor),
                tuple(entry["activities"]), str(entry.get("reason", "")),
                float(entry.get("max_cue", math.inf)),
            )
        )  # fmt: skip
    return out


def _language(raw: Any, reader: _Reader, current: Language) -> Language:
    if raw is None:
        return current
    if not isinstance(raw, dict):
        reader.add("'language' must be a table", reader.lines.table("language"))
        return current
    changes: dict[str, Any] = {}
    for key in sorted(set(raw) - _LANGUAGE_KEYS):
        reader.add(f"unknown key '{key}' in [language]", reader.lines.key(key, "language"))
    for key in _LANGUAGE_LISTS:
        if key in raw:
            if _strings(raw[key]):
                old = getattr(current, key)
                changes[key] = old + tuple(w for w in raw[key] if w not in old)
            else:
                reader.add(
                    f"[language] '{key}' must be a list of strings",
                    reader.lines.key(key, "language"),
                )
    for key in ("negation_window", "fuzzy_min_length", "customer_window"):
        if key in raw:
            if isinstance(raw[key], int) and not isinstance(raw[key], bool) and raw[key] >= 0:
                changes[key] = raw[key]
            else:
                reader.add(
                    f"[language] '{key}' must be a whole number", reader.lines.key(key, "language")
                )
    irregular = raw.get("irregular")
    if irregular is not None:
        if isinstance(irregular, dict) and all(_strings(v) for v in irregular.values()):
            merged = {k: tuple(v) for k, v in current.irregular}
            for base, forms in irregular.items():
                merged[base] = merged.get(base, ()) + tuple(forms)
            changes["irregular"] = tuple(sorted(merged.items()))
        else:
            reader.add(
                "[language.irregular] maps a base word to a list of forms",
                reader.lines.table("language.irregular"),
                'make = ["made"]',
            )
    return replace(current, **changes)


def _vague(raw: Any, reader: _Reader, current: Vague) -> Vague:
    if raw is None:
        return current
    if not isinstance(raw, dict):
        reader.add("'vague' must be a table", reader.lines.table("vague"))
        return current
    changes: dict[str, Any] = {}
    for key in sorted(set(raw) - _VAGUE_KEYS):
        reader.add(f"unknown key '{key}' in [vague]", reader.lines.key(key, "vague"))
    for key in ("words", "stopwords"):
        if key in raw:
            if _strings(raw[key]):
                changes[key] = getattr(current, key) + tuple(raw[key])
            else:
                reader.add(
                    f"[vague] '{key}' must be a list of strings", reader.lines.key(key, "vague")
                )
    for key in ("min_content", "min_weight"):
        if key in raw:
            if _number(raw[key]) and raw[key] >= 0:
                changes[key] = type(getattr(current, key))(raw[key])
            else:
                reader.add(f"[vague] '{key}' must be a number", reader.lines.key(key, "vague"))
    if "message" in raw:
        changes["message"] = str(raw["message"])
    probes = raw.get("probes")
    if probes is not None:
        if isinstance(probes, dict) and all(isinstance(v, str) for v in probes.values()):
            changes["probes"] = tuple(sorted({**dict(current.probes), **probes}.items()))
        else:
            reader.add(
                "[vague.probes] maps a section to a question", reader.lines.table("vague.probes")
            )
    return replace(current, **changes)


def _read(paths: tuple[Path, ...]) -> tuple[Catalogue, list[Problem]]:
    problems: list[Problem] = []
    catalogue = Catalogue(sources=tuple(str(p) for p in paths))
    activities: dict[str, ActivityDef] = {}
    cues: list[Cue] = []
    coherence: list[CoherenceRule] = []
    adjust: list[Adjust] = []
    checks: list[tuple[_Reader, str, int | None, tuple[str, ...]]] = []
    activity_files: dict[str, str] = {}
    for path in paths:
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            problems.append(Problem(str(path), "catalogue file does not exist"))
            continue
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(str(path), f"cannot read the catalogue: {exc}"))
            continue
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            problems.append(toml_decode_problem(path, exc, text))
            continue
        reader = _Reader(path, text, problems)
        for key in sorted(set(data) - _TOP_KEYS):
            reader.add(
                f"unknown top-level key '{key}'",
                reader.lines.key(key) or reader.lines.table(key),
                f"a catalogue holds {', '.join(sorted(_TOP_KEYS))}",
            )
        seen: set[str] = set()
        for i, raw in _table_list(data.get("activity"), "activity", reader):
            activity = _activity(raw, reader, i, activities, seen)
            if activity is not None:
                activities[activity.id] = activity
                activity_files[activity.id] = str(path)
        cues += _cues(data.get("cue"), reader)
        for i, rule in enumerate(_coherence(data.get("coherence"), reader)):
            coherence.append(rule)
            checks.append(
                (
                    reader,
                    f"coherence rule '{rule.id}'",
                    reader.entry_line("coherence", i),
                    rule.activities,
                )
            )
        for i, rule in enumerate(_adjust(data.get("adjust"), reader)):
            adjust.append(rule)
            checks.append((reader, "adjust rule", reader.entry_line("adjust", i), rule.activities))
        catalogue.language = _language(data.get("language"), reader, catalogue.language)
        catalogue.vague = _vague(data.get("vague"), reader, catalogue.vague)
        weights = data.get("question_weights")
        if weights is not None:
            if isinstance(weights, dict) and all(_number(v) and v >= 0 for v in weights.values()):
                catalogue.question_weights.update({k: float(v) for k, v in weights.items()})
            else:
                reader.add(
                    "[question_weights] maps a question id to a number",
                    reader.lines.table("question_weights"),
                )
    for ident, activity in activities.items():
        if activity.partner_to and activity.partner_to not in activities:
            problems.append(
                Problem(
                    activity_files.get(ident, ""),
                    f"activity '{ident}': partner_to names unknown activity '{activity.partner_to}'",
                    None,
                    "use an id of an [[activity]]",
                )
            )
    for reader, what, line, ids in checks:
        for ident in ids:
            if ident not in activities:
                reader.add(
                    f"{what} names unknown activity '{ident}'", line, "use an id of an [[activity]]"
                )
    catalogue.activities = activities
    catalogue.cues = tuple(cues)
    catalogue.coherence = tuple(coherence)
    catalogue.adjust = tuple(adjust)
    return catalogue, problems


def check_catalogue(*paths: Path) -> list[Problem]:
    """Every problem in the catalogue files (empty when they are fine)."""
    return _read(tuple(Path(p) for p in paths))[1]


def load_catalogue(*paths: Path) -> Catalogue:
    """Load catalogue files in order (later ones extend and override earlier ones).

    Raises `BankError` naming the file and line of the first problem (all are attached).
    """
    if not paths:
        raise BankError("no catalogue file given", hint="pass activities.toml")
    catalogue, problems = _read(tuple(Path(p) for p in paths))
    if problems:
        raise BankError.from_problems(problems)
    if not catalogue.activities:
        raise BankError(
            "the catalogue defines no activities",
            file=paths[-1],
            hint="add [[activity]] entries, or extend the default catalogue",
        )
    if not catalogue.language.negators or not catalogue.vague.probes:
        # A catalogue that replaces the default still needs the language rules.
        from canvas_tui.resources import default_bank_dir

        default = default_bank_dir() / "activities.toml"
        if default.is_file() and default.resolve() not in {Path(p).resolve() for p in paths}:
            base = default_catalogue()
            if not catalogue.language.negators:
                catalogue.language = base.language
            if not catalogue.vague.probes:
                catalogue.vague = base.vague
    return catalogue


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    """The built-in catalogue (cached)."""
    from canvas_tui.resources import default_bank_dir

    return load_catalogue(default_bank_dir() / "activities.toml")
