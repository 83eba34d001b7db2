"""Reading the [[activity]] entries of a catalogue file, with a problem for each mistake.

`Reader` collects problems for one file with line numbers; `parse_activity` turns one
[[activity]] table into an `ActivityDef` (or extends an existing one). The other tables
are read in `catalogue_rules`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeGuard

from canvas_tui.core.errors import Problem
from canvas_tui.core.inference.catalogue_model import (
    CATEGORIES,
    GUIDING,
    MAX_WEIGHT,
    ActivityDef,
    SignalGroup,
)
from canvas_tui.core.tomlpos import TomlLines

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ACTIVITY_KEYS = {
    "id", "name", "category", "description", "kpis", "partner_hint", "resources", "costs",
    "signals", "why", "why_by", "partner_default", "partner_sensitive", "exclude",
    "section_weights", "partner_to", "type_weight",
}  # fmt: skip
_SIGNAL_KEYS = {"words", "weight", "sections"}


class Reader:
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


def strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _signal_groups(raw: Any, reader: Reader, index: int, ident: str) -> tuple[SignalGroup, ...]:
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
        if not number(weight) or not 0 < weight <= MAX_WEIGHT:
            reader.add(
                f"activity '{ident}': bad weight {weight!r}",
                line,
                f"a weight is a number above 0 and at most {MAX_WEIGHT:g}, e.g. weight = 1.5",
            )
            continue
        sections = group.get("sections", [])
        if not strings(sections):
            reader.add(
                f"activity '{ident}': 'sections' must be a list of section names",
                line,
                f"use some of {', '.join(GUIDING)}",
            )
            continue
        groups.append(SignalGroup(tuple(words), float(weight), tuple(sections)))
    return tuple(groups)


def parse_activity(
    raw: Any, reader: Reader, index: int, known: Mapping[str, ActivityDef], seen: set[str]
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
        if not strings(value):
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
        if number(value) and 0 <= value <= 1:
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
            number(v) and 0 <= v <= MAX_WEIGHT for v in weights.values()
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


def table_list(raw: Any, key: str, reader: Reader) -> list[tuple[int, dict[str, Any]]]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
        reader.add(f"'{key}' must be an array of tables", reader.lines.table(key), f"[[{key}]]")
        return []
    return list(enumerate(raw))
