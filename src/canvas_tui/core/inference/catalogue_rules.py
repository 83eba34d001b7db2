"""Reading a catalogue file's vocabulary tables: [[cue]], [[noun]], [[coherence]],
[[adjust]], [language], [vague], [type_mix] and [identity]. Each reader returns what it
could read and reports the rest."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from canvas_tui.core.inference.catalogue_activity import Reader, number, strings, table_list
from canvas_tui.core.inference.catalogue_model import (
    CORE_TYPES,
    MAX_WEIGHT,
    Adjust,
    CoherenceRule,
    Cue,
    Identity,
    Language,
    TypeMix,
    Vague,
)

_LANGUAGE_LISTS = (
    "negators", "clause_breaks", "fillers", "ignore", "partner_cues", "own_cues",
    "customer_markers", "not_customer", "customer_stops", "product_markers",
)  # fmt: skip
_LANGUAGE_KEYS = {
    *_LANGUAGE_LISTS, "negation_window", "irregular", "fuzzy_min_length", "customer_window",
}  # fmt: skip
_CUE_KEYS = {"type", "words", "weight", "sections"}
_IDENTITY_NUMBERS = ("head", "offer", "elsewhere", "secondary", "factor")
_IDENTITY_LISTS = (
    "self_words", "self_stops", "secondary_before", "secondary_after", "customer_stops",
    "modifies",
)  # fmt: skip
_IDENTITY_WHOLE = ("self_window", "customer_window", "head_window")
_IDENTITY_KEYS = {*_IDENTITY_NUMBERS, *_IDENTITY_LISTS, *_IDENTITY_WHOLE}
_VAGUE_KEYS = {
    "words",
    "stopwords",
    "min_content",
    "customer_min_content",
    "min_weight",
    "probes",
    "message",
}


def _table(raw: Any, name: str, keys: set[str], reader: Reader) -> dict[str, Any] | None:
    """`[name]` as a dict, its unknown keys reported; None when absent or not a table."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        reader.add(f"'{name}' must be a table", reader.lines.table(name))
        return None
    for key in sorted(set(raw) - keys):
        reader.add(
            f"unknown key '{key}' in [{name}]",
            reader.lines.key(key, name),
            f"[{name}] takes {', '.join(sorted(keys))}",
        )
    return raw


def _extended_lists(
    raw: dict[str, Any], name: str, keys: Iterable[str], current: Any, reader: Reader
) -> dict[str, Any]:
    """Word lists of `[name]` added to the current ones (a word already there once)."""
    changes: dict[str, Any] = {}
    for key in keys:
        if key in raw:
            if strings(raw[key]):
                old = getattr(current, key)
                changes[key] = old + tuple(w for w in raw[key] if w not in old)
            else:
                reader.add(
                    f"[{name}] '{key}' must be a list of strings", reader.lines.key(key, name)
                )
    return changes


def _whole_numbers(
    raw: dict[str, Any], name: str, keys: Iterable[str], reader: Reader
) -> dict[str, int]:
    changes = {}
    for key in keys:
        if key in raw:
            value = raw[key]
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                changes[key] = value
            else:
                reader.add(f"[{name}] '{key}' must be a whole number", reader.lines.key(key, name))
    return changes


def parse_cues(raw: Any, reader: Reader, table: str = "cue") -> list[Cue]:
    """[[cue]] tables (or [[noun]]: the same shape without `sections`: where a noun is
    found is decided by [identity])."""
    cues = []
    for i, entry in table_list(raw, table, reader):
        line = reader.entry_line(table, i)
        weight = entry.get("weight", 1.0)
        allowed = _CUE_KEYS if table == "cue" else _CUE_KEYS - {"sections"}
        for key in sorted(set(entry) - allowed):
            reader.add(
                f"{table} {i + 1}: unknown key '{key}'",
                reader.entry_line(table, i, key),
                f"a [[{table}]] takes {', '.join(sorted(allowed))}",
            )
        if entry.get("type") not in CORE_TYPES:
            reader.add(
                f"{table} {i + 1}: 'type' must be one of {', '.join(CORE_TYPES)}",
                reader.entry_line(table, i, "type"),
            )
        elif not strings(entry.get("words")):
            reader.add(f"{table} {i + 1}: 'words' must be a list of strings", line)
        elif not number(weight) or not 0 < weight <= MAX_WEIGHT:
            reader.add(
                f"{table} {i + 1}: bad weight {weight!r}",
                reader.entry_line(table, i, "weight"),
                f"a number above 0 and at most {MAX_WEIGHT:g}",
            )
        elif not strings(entry.get("sections", [])):
            reader.add(f"{table} {i + 1}: 'sections' must be a list of section names", line)
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


def parse_coherence(raw: Any, reader: Reader) -> list[CoherenceRule]:
    rules = []
    for i, entry in table_list(raw, "coherence", reader):
        line = reader.entry_line("coherence", i)
        if not (
            isinstance(entry.get("id"), str)
            and strings(entry.get("when"))
            and strings(entry.get("activities"))
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


def parse_adjust(raw: Any, reader: Reader) -> list[Adjust]:
    out = []
    for i, entry in table_list(raw, "adjust", reader):
        factor = entry.get("factor")
        if (
            entry.get("type") not in CORE_TYPES
            or not number(entry.get("min_cue", 0.0))
            or not number(entry.get("max_cue", 0.0))
            or not number(factor)
            or not 0 <= factor <= 1
            or not strings(entry.get("activities"))
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


def parse_language(raw: Any, reader: Reader, current: Language) -> Language:
    raw = _table(raw, "language", _LANGUAGE_KEYS, reader)
    if raw is None:
        return current
    changes: dict[str, Any] = _extended_lists(raw, "language", _LANGUAGE_LISTS, current, reader)
    changes |= _whole_numbers(
        raw, "language", ("negation_window", "fuzzy_min_length", "customer_window"), reader
    )
    irregular = raw.get("irregular")
    if irregular is not None:
        if isinstance(irregular, dict) and all(strings(v) for v in irregular.values()):
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


def parse_vague(raw: Any, reader: Reader, current: Vague) -> Vague:
    raw = _table(raw, "vague", _VAGUE_KEYS, reader)
    if raw is None:
        return current
    changes: dict[str, Any] = {}
    for key in ("words", "stopwords"):
        if key in raw:
            if strings(raw[key]):
                changes[key] = getattr(current, key) + tuple(raw[key])
            else:
                reader.add(
                    f"[vague] '{key}' must be a list of strings", reader.lines.key(key, "vague")
                )
    for key in ("min_content", "customer_min_content", "min_weight"):
        if key in raw:
            if number(raw[key]) and raw[key] >= 0:
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
                "[vague.probes] maps a section (or a question id) to a follow-up question",
                reader.lines.table("vague.probes"),
            )
    return replace(current, **changes)


_TYPE_MIX_KEYS = {"section_weights"}


def parse_type_mix(raw: Any, reader: Reader, current: TypeMix) -> TypeMix:
    raw = _table(raw, "type_mix", _TYPE_MIX_KEYS, reader)
    if raw is None:
        return current
    changes: dict[str, Any] = {}
    weights = raw.get("section_weights")
    if weights is not None:
        if isinstance(weights, dict) and all(
            number(v) and 0 <= v <= MAX_WEIGHT for v in weights.values()
        ):
            merged = {**dict(current.section_weights), **weights}
            changes["section_weights"] = tuple(sorted((k, float(v)) for k, v in merged.items()))
        else:
            reader.add(
                "[type_mix] 'section_weights' must map a section to a number",
                reader.lines.key("section_weights", "type_mix"),
                "section_weights = { value_proposition = 1.0, channels = 0.5 }",
            )
    return replace(current, **changes)


def parse_identity(raw: Any, reader: Reader, current: Identity) -> Identity:
    """[identity]: how business nouns count by where they are found; lists are added to."""
    raw = _table(raw, "identity", _IDENTITY_KEYS, reader)
    if raw is None:
        return current
    changes: dict[str, Any] = _extended_lists(raw, "identity", _IDENTITY_LISTS, current, reader)
    changes |= _whole_numbers(raw, "identity", _IDENTITY_WHOLE, reader)
    for key in _IDENTITY_NUMBERS:
        if key in raw:
            if number(raw[key]) and 0 <= raw[key] <= MAX_WEIGHT:
                changes[key] = float(raw[key])
            else:
                reader.add(
                    f"[identity] '{key}' must be a number from 0 to {MAX_WEIGHT:g}",
                    reader.lines.key(key, "identity"),
                )
    return replace(current, **changes)
