"""The activity catalogue: what a key activity is, and the words that point to it.

Data, not code: `question_banks/default/activities.toml` holds every activity (id, name,
category, description, KPIs, partner hint, resources, costs, signals) and the language the
inference uses (negation words, partner cues, coherence rules, vague-answer words); it
includes `business_types.toml`, the vocabulary of the business type (business nouns per
type and how they count by where they are found, business-model cues). Their header
comments document the format.

`load_catalogue(a, b, ...)` reads files in order, each followed by the files it names in
`include`: a later file adds activities, overrides fields of an existing id and adds
signals to it, so a facilitator's bank can extend the default. Every problem names the
file, the line where it can, and the fix. UI-free: stdlib and tomllib only.

The model (dataclasses) is in `catalogue_model`, reading [[activity]] entries in
`catalogue_activity`, the vocabulary tables in `catalogue_rules`; this module ties them
together and re-exports their public names.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from canvas_tui.core.errors import BankError, Problem, toml_decode_problem
from canvas_tui.core.inference.cache import cached_catalogue
from canvas_tui.core.inference.catalogue_activity import (
    Reader,
    number,
    parse_activity,
    strings,
    table_list,
)
from canvas_tui.core.inference.catalogue_model import (
    CATEGORIES,
    CORE_TYPES,
    GUIDING,
    MAX_WEIGHT,
    ActivityDef,
    Adjust,
    Catalogue,
    CoherenceRule,
    Cue,
    Identity,
    Language,
    SignalGroup,
    TypeMix,
    Vague,
)
from canvas_tui.core.inference.catalogue_rules import (
    parse_adjust,
    parse_coherence,
    parse_cues,
    parse_identity,
    parse_language,
    parse_type_mix,
    parse_vague,
)

__all__ = [
    "CATEGORIES",
    "CORE_TYPES",
    "GUIDING",
    "MAX_WEIGHT",
    "ActivityDef",
    "Adjust",
    "Catalogue",
    "CoherenceRule",
    "Cue",
    "Identity",
    "Language",
    "SignalGroup",
    "TypeMix",
    "Vague",
    "check_catalogue",
    "default_catalogue",
    "included_files",
    "load_catalogue",
]

_TOP_KEYS = {
    "activity", "language", "cue", "coherence", "adjust", "vague", "question_weights", "type_mix",
    "include", "noun", "identity",
}  # fmt: skip


def _includes(data: dict[str, Any], reader: Reader, path: Path) -> list[Path]:
    """The files a catalogue file includes (`include = ["business_types.toml"]`), read
    right after it, relative to its folder."""
    raw = data.get("include", [])
    if not strings(raw):
        reader.add(
            "'include' must be a list of file names",
            reader.lines.key("include"),
            'include = ["business_types.toml"]',
        )
        return []
    found = []
    for name in raw:
        target = path.parent / name
        if target.is_file():
            found.append(target)
        else:
            reader.add(
                f"included file '{name}' does not exist",
                reader.lines.key("include"),
                f"create {target} or remove it from 'include'",
            )
    return found


def included_files(*paths: Path) -> set[Path]:
    """The catalogue files given and every file they include, resolved: what a bank that
    finds its question sets by globbing `*.toml` must skip. Unreadable files and a bad
    `include` are passed over here; `check_catalogue` reports them."""
    found: set[Path] = set()
    queue = [Path(p) for p in paths]
    while queue:
        path = queue.pop()
        if path.resolve() in found or not path.is_file():
            continue
        found.add(path.resolve())
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        if strings(data.get("include")):
            queue += [path.parent / name for name in data["include"]]
    return found


def _read(paths: tuple[Path, ...]) -> tuple[Catalogue, list[Problem]]:
    problems: list[Problem] = []
    catalogue = Catalogue(sources=tuple(str(p) for p in paths))
    activities: dict[str, ActivityDef] = {}
    cues: list[Cue] = []
    nouns: list[Cue] = []
    coherence: list[CoherenceRule] = []
    adjust: list[Adjust] = []
    checks: list[tuple[Reader, str, int | None, tuple[str, ...]]] = []
    activity_files: dict[str, str] = {}
    queue = [Path(p) for p in paths]
    done: set[Path] = set()
    while queue:
        path = queue.pop(0)
        if path.resolve() in done:  # included twice (or a cycle): read once
            continue
        done.add(path.resolve())
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
        reader = Reader(path, text, problems)
        queue[:0] = _includes(data, reader, path)
        for key in sorted(set(data) - _TOP_KEYS):
            reader.add(
                f"unknown top-level key '{key}'",
                reader.lines.key(key) or reader.lines.table(key),
                f"a catalogue holds {', '.join(sorted(_TOP_KEYS))}",
            )
        seen: set[str] = set()
        for i, raw in table_list(data.get("activity"), "activity", reader):
            activity = parse_activity(raw, reader, i, activities, seen)
            if activity is not None:
                activities[activity.id] = activity
                activity_files[activity.id] = str(path)
        cues += parse_cues(data.get("cue"), reader)
        nouns += parse_cues(data.get("noun"), reader, "noun")
        catalogue.identity = parse_identity(data.get("identity"), reader, catalogue.identity)
        for i, rule in enumerate(parse_coherence(data.get("coherence"), reader)):
            coherence.append(rule)
            checks.append(
                (
                    reader,
                    f"coherence rule '{rule.id}'",
                    reader.entry_line("coherence", i),
                    rule.activities,
                )
            )
        for i, adjusting in enumerate(parse_adjust(data.get("adjust"), reader)):
            adjust.append(adjusting)
            checks.append(
                (reader, "adjust rule", reader.entry_line("adjust", i), adjusting.activities)
            )
        catalogue.language = parse_language(data.get("language"), reader, catalogue.language)
        catalogue.vague = parse_vague(data.get("vague"), reader, catalogue.vague)
        catalogue.type_mix = parse_type_mix(data.get("type_mix"), reader, catalogue.type_mix)
        weights = data.get("question_weights")
        if weights is not None:
            if isinstance(weights, dict) and all(number(v) and v >= 0 for v in weights.values()):
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
    catalogue.nouns = tuple(nouns)
    catalogue.coherence = tuple(coherence)
    catalogue.adjust = tuple(adjust)
    return catalogue, problems


def check_catalogue(*paths: Path) -> list[Problem]:
    """Every problem in the catalogue files (empty when they are fine)."""
    return _read(tuple(Path(p) for p in paths))[1]


@cached_catalogue  # the compiled catalogue cache (cache.py): parsed and compiled once
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
            if catalogue.type_mix == TypeMix():
                catalogue.type_mix = base.type_mix
            if not catalogue.nouns and catalogue.identity == Identity():
                catalogue.nouns, catalogue.identity = base.nouns, base.identity
    return catalogue


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    """The built-in catalogue (cached)."""
    from canvas_tui.resources import default_bank_dir

    return load_catalogue(default_bank_dir() / "activities.toml")
