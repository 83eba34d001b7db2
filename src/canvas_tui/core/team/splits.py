"""Strategic splits: where a team's canvases make different strategic choices.

Priorities and categories of activities are one kind of disagreement (`merge.py`); a
facilitator also wants to see the choices behind them — a team where one promises the
lowest price and another the best quality, or one charges per dish and another a
subscription, has not agreed on its business yet. The choices and the words that say
them are data: ``splits.toml`` of the default bank (docs/team.md). Each participant's
answers to the questions of a split's sets, and the items of its blocks, are read with
the catalogue's matcher (`core.interview.mentions`: inflections, not when negated); a
split is reported when participants are on different sides, each side with who is on it
and the sentences that put them there.

The business type is a split too (participants' dominant types differ); its quotes are the
evidence of the activities of that type each participant kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from canvas_tui.core.canvas.model import BLOCK_TITLES, CATEGORY_TITLES
from canvas_tui.core.errors import BankError
from canvas_tui.core.team.merge_model import Disagreement, Participant, SideQuote

SPLITS_FILE = "splits.toml"
#: Sentences quoted per participant and side, at most (the rest are counted, not shown).
QUOTES_PER_SIDE = 2
#: A quoted sentence is cut to this many characters.
QUOTE_LENGTH = 200


@dataclass(frozen=True)
class SideRule:
    id: str
    title: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class SplitRule:
    id: str
    title: str
    sets: tuple[str, ...]
    blocks: tuple[str, ...]
    sides: tuple[SideRule, ...]


def _strings(value: Any, where: str, path: Path) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BankError(f"{where} must be a list of strings", file=path)
    return tuple(value)


def _text(table: dict[str, Any], key: str, where: str, path: Path) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise BankError(f"{where}.{key} must be a non-empty string", file=path)
    return value


def load_splits(path: Path) -> tuple[SplitRule, ...]:
    """Read a splits file; `BankError` naming the file and the entry when it is wrong."""
    from canvas_tui.core.inputs import parse_toml, read_input_text

    data = parse_toml(read_input_text(path, BankError, what="splits file"), path, BankError)
    rules = []
    raw_rules = data.get("split", [])
    if not isinstance(raw_rules, list):
        raise BankError("'split' must be an array of tables ([[split]])", file=path)
    for i, raw in enumerate(raw_rules):
        where = f"split[{i}]"
        if not isinstance(raw, dict):
            raise BankError(f"{where} must be a table", file=path)
        blocks = _strings(raw.get("blocks", []), f"{where}.blocks", path)
        unknown = [b for b in blocks if b not in BLOCK_TITLES]
        if unknown:
            raise BankError(f"{where}.blocks: unknown block '{unknown[0]}'", file=path)
        sides = []
        for j, side in enumerate(raw.get("side", [])):
            at = f"{where}.side[{j}]"
            if not isinstance(side, dict):
                raise BankError(f"{at} must be a table", file=path)
            sides.append(
                SideRule(
                    _text(side, "id", at, path),
                    _text(side, "title", at, path),
                    _strings(side.get("words"), f"{at}.words", path),
                )
            )
        if len(sides) < 2:
            raise BankError(f"{where} needs two sides or more ([[split.side]])", file=path)
        rules.append(
            SplitRule(
                _text(raw, "id", where, path),
                _text(raw, "title", where, path),
                _strings(raw.get("sets", []), f"{where}.sets", path),
                blocks,
                tuple(sides),
            )
        )
    return tuple(rules)


@lru_cache(maxsize=1)
def default_rules() -> tuple[tuple[SplitRule, Any], ...]:
    """The default bank's splits, each with its compiled matcher (built once)."""
    from canvas_tui.core.interview.mentions import Mentions
    from canvas_tui.resources import default_bank_dir

    rules = load_splits(default_bank_dir() / SPLITS_FILE)
    return tuple((rule, Mentions({s.id: s.words for s in rule.sides})) for rule in rules)


def _clip(sentence: str) -> str:
    text = " ".join(sentence.split())
    return text if len(text) <= QUOTE_LENGTH else text[: QUOTE_LENGTH - 1].rstrip() + "…"


def _texts(p: Participant, rule: SplitRule) -> list[tuple[str, str, str]]:
    """(question id or "", label, text) a participant wrote on this choice: the answers to
    the questions of the split's sets, but not those that fed another block (the revenue
    set's question on costs feeds the cost structure, not the revenue model), and the
    items of the split's blocks (which a person may have edited)."""
    canvas = p.canvas
    elsewhere = [
        " ".join(item.split()).casefold()
        for block, items in canvas.blocks.items()
        if block not in rule.blocks and block != "key_activities"
        for item in items
        if len(item.split()) >= 2
    ]
    out = []
    for qid, text in canvas.answers.items():
        if qid.split(".", 1)[0] not in rule.sets:
            continue
        flat = " ".join(text.split()).casefold()
        if any(item in flat for item in elsewhere):
            continue
        out.append((qid, canvas.questions.get(qid, "") or qid, text))
    for block in rule.blocks:
        out.extend(("", BLOCK_TITLES[block], item) for item in canvas.blocks.get(block, ()))
    return out


def find_splits(participants: Sequence[Participant]) -> list[Disagreement]:
    """The strategic splits of the default bank's ``splits.toml`` among `participants`."""
    found: list[Disagreement] = []
    for rule, mentions in default_rules():
        titles = {s.id: s.title for s in rule.sides}
        order = {s.id: i for i, s in enumerate(rule.sides)}
        on: dict[str, list[str]] = {}  # side -> participants
        quotes: list[SideQuote] = []
        sets_by_person: dict[str, frozenset[str]] = {}
        silent: list[str] = []
        for p in participants:
            said: dict[str, list[SideQuote]] = {}
            seen: set[tuple[str, str]] = set()
            for qid, label, text in _texts(p, rule):
                for hit in mentions.find(text):
                    sentence = _clip(text[hit.sentence_start : hit.sentence_end])
                    key = (hit.key, sentence.casefold())
                    if key in seen:
                        continue
                    seen.add(key)
                    side = titles[hit.key]
                    said.setdefault(hit.key, []).append(
                        SideQuote(side, p.name, qid, label, sentence)
                    )
            if not said:
                silent.append(p.name)
                continue
            sets_by_person[p.name] = frozenset(said)
            for side_id, side_quotes in said.items():
                on.setdefault(side_id, []).append(p.name)
                quotes.extend(side_quotes[:QUOTES_PER_SIDE])
        if len(on) < 2 or len(set(sets_by_person.values())) < 2:
            continue  # one side, or everyone who said something said the same
        ranked = sorted(on, key=lambda s: (-len(on[s]), order[s]))
        sides = tuple((titles[s], tuple(on[s])) for s in ranked)
        message = "; ".join(f"{said}: {', '.join(who)}" for said, who in sides)
        if silent:
            message += f" (nothing said on this by {', '.join(silent)})"
        rank = {titles[s]: i for i, s in enumerate(ranked)}
        quotes.sort(key=lambda q: rank[q.side])  # stable: participants in input order
        found.append(
            Disagreement(rule.id, "", rule.title, message, sides, tuple(quotes), tuple(silent))
        )
    return found


def business_type_split(
    participants: Sequence[Participant], sides: tuple[tuple[str, tuple[str, ...]], ...]
) -> Disagreement | None:
    """The business type disagreement as a split, quoting each participant's evidence of
    their type: the evidence of the activities of that type they kept (else listed)."""
    if len(sides) < 2:
        return None
    by_title = {title: t for t, title in CATEGORY_TITLES.items()}
    quotes: list[SideQuote] = []
    for said, who in sides:
        kind = by_title.get(said, "")
        for p in participants:
            if p.name not in who:
                continue
            ordered = sorted(
                (a for a in p.canvas.activities if a.category == kind and a.status != "rejected"),
                key=lambda a: a.status != "accepted",
            )
            picked = [
                SideQuote(
                    said,
                    p.name,
                    e.question,
                    p.canvas.questions.get(e.question, "") or e.question,
                    _clip(e.quote),
                )
                for a in ordered
                for e in a.evidence
            ]
            unique: dict[str, SideQuote] = {}
            for q in picked:
                unique.setdefault(q.quote.casefold(), q)
            quotes.extend(list(unique.values())[:QUOTES_PER_SIDE])
    message = "; ".join(f"{said}: {', '.join(who)}" for said, who in sides)
    return Disagreement("business_type", "", "Business type", message, sides, tuple(quotes))
