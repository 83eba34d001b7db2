"""Reading a catalogue file's vocabulary tables: [[cue]], [[coherence]], [[adjust]],
[language] and [vague]. Each reader returns what it could read and reports the rest."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from canvas_tui.core.catalogue_activity import Reader, number, strings, table_list
from canvas_tui.core.catalogue_model import (
    CORE_TYPES,
    MAX_WEIGHT,
    Adjust,
    CoherenceRule,
    Cue,
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
_VAGUE_KEYS = {"words", "stopwords", "min_content", "min_weight", "probes", "message"}


def parse_cues(raw: Any, reader: Reader) -> list[Cue]:
    cues = []
    for i, entry in table_list(raw, "cue", reader):
        line = reader.entry_line("cue", i)
        weight = entry.get("weight", 1.0)
        if entry.get("type") not in CORE_TYPES:
            reader.add(
                f"cue {i + 1}: 'type' must be one of {', '.join(CORE_TYPES)}",
                reader.entry_line("cue", i, "type"),
            )
        elif not strings(entry.get("words")):
            reader.add(f"cue {i + 1}: 'words' must be a list of strings", line)
        elif not number(weight) or not 0 < weight <= MAX_WEIGHT:
            reader.add(
                f"cue {i + 1}: bad weight {weight!r}",
                reader.entry_line("cue", i, "weight"),
                f"a number above 0 and at most {MAX_WEIGHT:g}",
            )
        elif not strings(entry.get("sections", [])):
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
            if strings(raw[key]):
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
            if strings(raw[key]):
                changes[key] = getattr(current, key) + tuple(raw[key])
            else:
                reader.add(
                    f"[vague] '{key}' must be a list of strings", reader.lines.key(key, "vague")
                )
    for key in ("min_content", "min_weight"):
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
                "[vague.probes] maps a section to a question", reader.lines.table("vague.probes")
            )
    return replace(current, **changes)


_TYPE_MIX_KEYS = {"section_weights"}


def parse_type_mix(raw: Any, reader: Reader, current: TypeMix) -> TypeMix:
    if raw is None:
        return current
    if not isinstance(raw, dict):
        reader.add("'type_mix' must be a table", reader.lines.table("type_mix"))
        return current
    changes: dict[str, Any] = {}
    for key in sorted(set(raw) - _TYPE_MIX_KEYS):
        reader.add(
            f"unknown key '{key}' in [type_mix]",
            reader.lines.key(key, "type_mix"),
            f"[type_mix] takes {', '.join(sorted(_TYPE_MIX_KEYS))}",
        )
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
