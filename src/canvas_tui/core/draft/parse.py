"""Reading a founder's draft of key activities, however it was written.

A draft is text a person already has: a whiteboard typed up, a slide, a Notion page, a
README. `parse_draft()` accepts

* plain lines, with or without bullets (``-``, ``*``, ``+``, ``•``, ``–``), numbering
  (``1.``, ``1)``, ``(1)``, ``a)``) or check boxes (``[ ]``); one line of commas
  (``marketing, sales, R&D, HR``) is split at the commas;
* Markdown: a ``Key Activities`` section (``## Key Activities``, ``**Key activities**``,
  ``Key activities:`` with the list after the colon or below it, any case, CRLF), or a
  whole canvas with one section per block, the way canvas-tui's own Markdown export and
  READMEs write it; the other blocks' items are kept in `Draft.blocks`;
* a Markdown table: a one-column list, a table with an ``Activity`` column (and a
  ``Category`` column), or a canvas grid with a ``Key Activities`` column;
* TOML (or a canvas-tui JSON canvas, by its .json name): a canvas-tui canvas (its Key
  Activities block), ``[draft] key_activities = [...]``
  of an answers file, the ``[[draft]]`` entries of an audited canvas, or a top-level
  ``key_activities`` list.

A founder's category label is kept: ``Production: roasting``, ``roasting (production)``,
``[platform] matching``, a ``### Problem solving`` sub-heading, a ``Production:`` line
before its items, a ``Category`` column. Markup is read as markup (emphasis, links,
``<br>``, escapes) and never kept as text.

Bounded: at most `MAX_DRAFT_CHARS` characters in, `MAX_ITEMS` activities, `MAX_ITEM_CHARS`
characters an activity; binary data, an empty draft and a list with no activity are one
`DraftError`. Every step is one pass over the lines (the regular expressions have no
nested repetition), so the work grows linearly with the text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from canvas_tui.core.draft.rules import DraftRules, default_rules, heading_key
from canvas_tui.core.errors import AnswersError, CanvasTuiError
from canvas_tui.core.inputs import parse_json, parse_toml, read_input_text
from canvas_tui.core.tomlpos import TomlLines

#: Characters a draft may hold: some pages of a README, far more than any list.
MAX_DRAFT_CHARS = 1_000_000
#: Activities a draft may list. Ten is already the seeds' "death spiral"; a hundred is
#: not a list of key activities any more.
MAX_ITEMS = 100
#: Characters of one activity, markup removed: a phrase, not a paragraph.
MAX_ITEM_CHARS = 300
#: Characters of one raw line that is read as an activity (links and markup included).
MAX_RAW_CHARS = 2_000
_EXAMPLE = 'one activity a line, e.g. "- Software development", or a "## Key Activities" section'


class DraftError(CanvasTuiError):
    """A draft of key activities that cannot be read."""


@dataclass(frozen=True)
class DraftLine:
    """One drafted activity: the words as written (bullets and markup stripped)."""

    text: str
    #: line number in the draft (1-based); 0 when the draft came from a TOML list
    line: int = 0
    #: the category the founder's own label names ("production"...), or ""
    label: str = ""
    #: that label as written ("Production")
    label_text: str = ""


@dataclass(frozen=True)
class Draft:
    lines: tuple[DraftLine, ...]
    #: "list" | "markdown" | "table" | "toml"
    form: str = "list"
    #: the other blocks of a whole canvas (block id -> items), in the draft's words
    blocks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: where it came from: a file name, or "draft" for pasted text
    source: str = "draft"

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(line.text for line in self.lines)


# --------------------------------------------------------------------------- patterns

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_BREAK = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_FENCE = re.compile(r"^ {0,3}(?:```|~~~)")
_TABLE = re.compile(r"^[ \t]*\|")
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_BOLD_LINE = re.compile(r"^[ \t]*(\*\*|__)([^*_]{1,80})\1[ \t]*:?[ \t]*$")
_TITLE_COLON = re.compile(r"^[ \t]*([A-Za-z][A-Za-z /&'’-]{0,40}?)[ \t]*:[ \t]*(.*)$")
_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+")
_BULLET = re.compile(
    r"^[ \t]*(?:[-*+•·▪◦‣∙–—][ \t]+|\(?\d{1,3}[.)][ \t]+|\(\d{1,3}\)[ \t]*|[a-z]\)[ \t]+"
    r"|\[[ xX]\][ \t]+)"
)
_BULLET_ONLY = re.compile(r"^[ \t]*(?:[-*+•·▪◦‣∙–—]|\d{1,3}[.)])[ \t]*$")
_INDENT = re.compile(r"^[ \t]*")
_INLINE_NUMBER = re.compile(r"[ \t]+(?=\(?\d{1,2}[.)][ \t])")
_FIRST_NUMBER = re.compile(r"^[ \t]*(?:[-*+][ \t]+)?\(?1[.)][ \t]")
_SECOND_NUMBER = re.compile(r"[ \t]\(?2[.)][ \t]")
_BR = re.compile(r"<br[ \t]*/?>", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->")
_IMAGE = re.compile(r"!\[([^\[\]\n]{0,200})\]\([^()\n]{0,500}\)")
_LINK = re.compile(r"\[([^\[\]\n]{0,200})\]\([^()\n]{0,500}\)")
_WIKI = re.compile(r"\[\[([^\[\]|\n]{0,200})(?:\|([^\[\]\n]{0,200}))?\]\]")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,200}>")
_EMPHASIS = re.compile(r"\*\*|__|~~|`")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_SPACE = re.compile(r"\s+")
_TRAILING = re.compile(r"[\s.;,]+$")
_LABEL_BEFORE = re.compile(r"^([^:|\[\]()]{1,40}?)[ \t]*(?::|\|| [-–—] )[ \t]*(\S.*)$")
_LABEL_AFTER = re.compile(r"^(.*\S)[ \t]*(?:\(([^()]{1,40})\)|\[([^\[\]]{1,40})\])$")
_LABEL_DASH_AFTER = re.compile(r"^(.*\S)[ \t]+[-–—][ \t]+([^-–—]{1,40})$")
_LABEL_BRACKET = re.compile(r"^\[([^\[\]]{1,40})\][ \t]*(\S.*)$")
_LIST_SEPARATOR = re.compile(r"[ \t]*[,;][ \t]*")
_AND = re.compile(r"^(?:and|&|or)[ \t]+", re.IGNORECASE)
_TOML_START = re.compile(
    r"^[ \t]*(?:\[\[?[ \t]*[A-Za-z0-9_\"'.-]+[ \t]*\]\]?|[A-Za-z0-9_\"'.-]+[ \t]*=)"
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


# --------------------------------------------------------------------------- entry points


def read_draft(path: Path | str, rules: DraftRules | None = None) -> Draft:
    """A draft file: text, Markdown or (by its .toml name) TOML. `DraftError` if unusable."""
    path = Path(path)
    text = read_input_text(path, DraftError, what="draft")
    if path.suffix.lower() == ".json":  # a canvas-tui canvas as JSON: the TOML's structure
        _check_text(text, str(path))
        data = parse_json(text, path, DraftError)
        if not isinstance(data, dict):
            raise DraftError("not a canvas-tui JSON canvas (an object)", file=path)
        return _from_toml(data, str(path), TomlLines(""), rules or default_rules())
    return parse_draft(text, source=str(path), toml=path.suffix.lower() == ".toml", rules=rules)


def parse_draft(
    text: str,
    *,
    source: str = "draft",
    toml: bool | None = None,
    rules: DraftRules | None = None,
) -> Draft:
    """Read a draft from text. `toml`: True for a .toml file, None to guess."""
    rules = rules or default_rules()
    _check_text(text, source)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if toml or (toml is None and _looks_like_toml(text)):
        try:
            data = parse_toml(text, source, DraftError)
        except DraftError:
            if toml:
                raise
        else:
            return _from_toml(data, source, TomlLines(text), rules)
    return _from_text(text.split("\n"), source, rules)


def draft_from_strings(
    items: Sequence[Any],
    *,
    source: str,
    where: str = "key_activities",
    line: int | None = None,
    rules: DraftRules | None = None,
) -> Draft:
    """A draft from a list of strings (``[draft] key_activities`` of an answers file)."""
    rules = rules or default_rules()
    return _strings_draft(items, source, where, line, rules, labels={})


def read_answers_draft(path: Path | str, rules: DraftRules | None = None) -> Draft | None:
    """The ``[draft] key_activities = [...]`` of an answers file, or None without one."""
    path = Path(path)
    text = read_input_text(path, AnswersError, what="answers file")
    return answers_file_draft(parse_toml(text, path, AnswersError), text, path, rules)


def answers_file_draft(
    data: Mapping[str, Any], text: str, path: Path, rules: DraftRules | None = None
) -> Draft | None:
    """The ``[draft]`` of an answers file already read (`text`) and parsed (`data`)."""
    raw = data.get("draft")
    if raw is None:
        return None
    pos = TomlLines(text)
    if not isinstance(raw, dict):
        raise DraftError(
            "'draft' must be a table",
            file=path,
            line=pos.key("draft"),
            hint='[draft] then key_activities = ["Software development", "Sales"]',
        )
    items = raw.get("key_activities")
    line = pos.key("key_activities", "draft")
    if items is None:
        raise DraftError(
            "[draft] has no key_activities list",
            file=path,
            line=pos.table("draft"),
            hint='key_activities = ["Software development", "Sales"]',
        )
    return draft_from_strings(
        items if isinstance(items, list) else [items],
        source=str(path),
        where="draft.key_activities",
        line=line,
        rules=rules,
    )


# --------------------------------------------------------------------------- checks


def _check_text(text: str, source: str) -> None:
    if len(text) > MAX_DRAFT_CHARS:
        raise DraftError(
            f"{len(text):,} characters; a draft is read up to {MAX_DRAFT_CHARS:,}",
            file=source,
            hint="paste only the Key Activities part",
        )
    if "\x00" in text or len(_CONTROL.findall(text[:4096])) > 16:
        raise DraftError(
            "binary data, not text", file=source, hint="save the draft as plain text or Markdown"
        )
    if not text.strip():
        raise DraftError("the draft is empty", file=source, hint=_EXAMPLE)


def _looks_like_toml(text: str) -> bool:
    for raw in text.split("\n", 200)[:200]:
        stripped = raw.strip()
        if stripped and not stripped.startswith("#"):
            return bool(_TOML_START.match(stripped))
    return False


# --------------------------------------------------------------------------- items


@dataclass
class _Item:
    text: str
    line: int
    label: str = ""
    label_text: str = ""
    raw_len: int = 0


def clean(text: str) -> str:
    """One activity's words: markup, bullets and trailing punctuation removed."""
    if "<!--" in text:
        text = _COMMENT.sub("", text)
    if "[[" in text:
        text = _WIKI.sub(lambda m: m.group(2) or m.group(1), text)
    if "](" in text:
        text = _IMAGE.sub(r"\1", text)
        text = _LINK.sub(r"\1", text)
    if "<" in text:
        text = _TAG.sub("", text)
    for _ in range(3):
        stripped = _BULLET.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    text = _EMPHASIS.sub("", text)
    text = _TRAILING.sub("", text).strip()
    while len(text) > 2 and text[0] == text[-1] and text[0] in "*_":
        text = text[1:-1].strip()
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    if "&" in text:
        text = html.unescape(text)
    return _TRAILING.sub("", _SPACE.sub(" ", text)).strip()


def _split_label(text: str, rules: DraftRules) -> tuple[str, str, str]:
    """(text, category, label as written) for "Production: roasting" and its kin."""
    for pattern, label_group, text_group in (
        (_LABEL_BRACKET, 1, 2),
        (_LABEL_BEFORE, 1, 2),
    ):
        match = pattern.match(text)
        if match:
            category = rules.label(match.group(label_group))
            if category:
                return match.group(text_group).strip(), category, match.group(label_group).strip()
    match = _LABEL_AFTER.match(text)
    if match:
        label = match.group(2) or match.group(3) or ""
        category = rules.label(label)
        if category:
            return match.group(1).strip(), category, label.strip()
    match = _LABEL_DASH_AFTER.match(text)
    if match:
        category = rules.label(match.group(2))
        if category:
            return match.group(1).strip(), category, match.group(2).strip()
    return text, "", ""


def _pieces(raw: str) -> list[str]:
    """A raw line split at <br> and at inline numbering ("1. a 2. b 3. c")."""
    parts = _BR.split(raw) if "<" in raw else [raw]
    out: list[str] = []
    for part in parts:
        if _FIRST_NUMBER.match(part) and _SECOND_NUMBER.search(part):
            out.extend(_INLINE_NUMBER.split(part))
        else:
            out.append(part)
    return out


class _Collector:
    """Items of one region, with the category label in force."""

    def __init__(self, source: str, rules: DraftRules) -> None:
        self.source = source
        self.rules = rules
        self.items: list[_Item] = []
        self.label = ""
        self.label_text = ""
        #: the indent of the bullet that set the label ("- Production" above its items);
        #: -1 for a label that holds until the next one (a heading, "Production:")
        self.label_indent = -1

    def set_label(self, category: str, text: str, indent: int = -1) -> None:
        self.label, self.label_text, self.label_indent = category, text, indent

    def dedent(self, indent: int) -> None:
        """A line back at (or left of) the labelling bullet's indent ends its label."""
        if self.label_indent >= 0 and indent <= self.label_indent:
            self.set_label("", "")

    def add_raw(self, raw: str, line: int, *, label_owner: bool = False) -> None:
        """One raw line (bullets, markup and all)."""
        if len(raw) > MAX_RAW_CHARS:
            raise DraftError(
                f"{len(raw):,} characters on one line; an activity is a short phrase",
                file=self.source,
                line=line or None,
                hint=f"at most {MAX_ITEM_CHARS} characters an activity, one a line",
            )
        for piece in _pieces(raw):
            text = clean(piece)
            if not text:
                continue
            heading = text.rstrip(":").strip()
            category = self.rules.label(heading)
            if category and (text.endswith(":") or label_owner):
                self.set_label(category, heading, _indent(raw) if label_owner else -1)
                continue
            self.add(text, line)

    def add(self, text: str, line: int, label: str = "", label_text: str = "") -> None:
        text = text.rstrip(":").strip()
        if not text:
            return
        own, category, written = _split_label(text, self.rules)
        if category:
            text, label, label_text = own, category, written
        elif not label:
            label, label_text = self.label, self.label_text
        if len(text) > MAX_ITEM_CHARS:
            raise DraftError(
                f"an activity of {len(text):,} characters; an activity is a short phrase",
                file=self.source,
                line=line or None,
                hint=f"at most {MAX_ITEM_CHARS} characters an activity, one a line",
            )
        if len(self.items) >= MAX_ITEMS:
            raise DraftError(
                f"more than {MAX_ITEMS} activities; a list of key activities is a few lines",
                file=self.source,
                line=line or None,
                hint="keep the activities your business must do exceptionally well",
            )
        self.items.append(_Item(text, line, label, label_text))


# --------------------------------------------------------------------------- text


@dataclass(frozen=True)
class _Heading:
    index: int  # line index (0-based)
    level: int  # 1..6 for Markdown headings, 7 for "Title:" and bold lines
    title: str
    block: str
    inline: str = ""


def _scan(lines: Sequence[str], rules: DraftRules) -> tuple[list[_Heading], set[int]]:
    """The headings of a text, and the indexes of lines that are not content."""
    headings: list[_Heading] = []
    skip: set[int] = set()
    fenced = False
    previous_text = -1  # index of the previous plain text line, for setext headings
    for i, raw in enumerate(lines):
        if _FENCE.match(raw):
            fenced = not fenced
            skip.add(i)
            previous_text = -1
            continue
        if fenced or not raw.strip() or _TABLE.match(raw):
            previous_text = -1
            continue
        if len(raw) > MAX_RAW_CHARS:  # never a heading; an error only if read as an item
            previous_text = -1
            continue
        atx = _ATX.match(raw)
        if atx:
            title = clean(atx.group(2) or "")
            headings.append(_Heading(i, len(atx.group(1)), title, rules.block(_bare(title))))
            skip.add(i)
            previous_text = -1
            continue
        setext = _SETEXT.match(raw)
        if setext and previous_text == i - 1:
            title = clean(lines[i - 1])
            level = 1 if setext.group(1).startswith("=") else 2
            headings.append(_Heading(i - 1, level, title, rules.block(_bare(title))))
            skip.update({i - 1, i})
            previous_text = -1
            continue
        if _BREAK.match(raw):
            skip.add(i)
            previous_text = -1
            continue
        bold = _BOLD_LINE.match(raw)
        if bold and rules.block(_bare(bold.group(2))):
            title = clean(bold.group(2))
            headings.append(_Heading(i, 7, title, rules.block(_bare(title))))
            skip.add(i)
            previous_text = -1
            continue
        colon = _TITLE_COLON.match(_BULLET.sub("", raw, count=1))
        if colon and rules.block(_bare(colon.group(1))):
            title = colon.group(1).strip()
            headings.append(_Heading(i, 7, title, rules.block(_bare(title)), colon.group(2)))
            skip.add(i)
            previous_text = -1
            continue
        previous_text = i if not _BULLET.match(raw) and not _QUOTE.match(raw) else -1
    return headings, skip


_BRACKETED = re.compile(r"\([^()]{0,80}\)|\[[^\[\]]{0,80}\]")
_NUMBERED = re.compile(r"^\W*(?:\d{1,2}|[ivx]{1,4})[.):]\s+", re.IGNORECASE)


def _bare(title: str) -> str:
    """A heading without its number, a part in brackets and a trailing colon:
    "7. Key Activities (Top 3):" is "Key Activities"."""
    return _NUMBERED.sub("", _BRACKETED.sub(" ", title).strip()).strip().rstrip(":")


def _section_end(headings: Sequence[_Heading], at: int, total: int) -> int:
    own = headings[at]
    for later in headings[at + 1 :]:
        if later.level <= own.level or later.block:
            return later.index
    return total


def _from_text(lines: list[str], source: str, rules: DraftRules) -> Draft:
    headings, skip = _scan(lines, rules)
    key = next((h for h in headings if h.block == "key_activities"), None)
    blocks: dict[str, tuple[str, ...]] = {}
    if key is not None:
        for n, heading in enumerate(headings):
            if heading.block and heading.block != "key_activities" and heading.block not in blocks:
                end = _section_end(headings, n, len(lines))
                found = _region(lines, heading, end, headings, skip, source, rules, lenient=True)
                blocks[heading.block] = tuple(item.text for item in found)
        at = headings.index(key)
        items = _region(
            lines, key, _section_end(headings, at, len(lines)), headings, skip, source, rules
        )
        form = "markdown"
    else:
        table = _canvas_table(lines, source, rules)
        if table is not None:
            items, blocks = table
            form = "table"
        else:
            named = [h.title for h in headings if h.block]
            if named:
                raise DraftError(
                    "no Key Activities section in the draft (it has "
                    + ", ".join(dict.fromkeys(named))
                    + ")",
                    file=source,
                    hint='add a "## Key Activities" section with one activity a line',
                )
            start = _Heading(-1, 0, "", "")
            items = _region(lines, start, len(lines), headings, skip, source, rules)
            only_table = bool(items) and all(_TABLE.match(lines[i.line - 1]) for i in items)
            form = "table" if only_table else ("markdown" if headings else "list")
    if not items:
        raise DraftError(
            "no key activities found in the draft"
            + (" (the Key Activities section is empty)" if key is not None else ""),
            file=source,
            hint=_EXAMPLE,
        )
    return Draft(
        lines=tuple(DraftLine(i.text, i.line, i.label, i.label_text) for i in items),
        form=form,
        blocks=blocks,
        source=source,
    )


def _region(
    lines: Sequence[str],
    heading: _Heading,
    end: int,
    headings: Sequence[_Heading],
    skip: set[int],
    source: str,
    rules: DraftRules,
    *,
    lenient: bool = False,
) -> list[_Item]:
    """The items of a section: its inline list, its lines and its tables."""
    collect = _Collector(source, rules)
    sub = {h.index: h for h in headings if heading.index < h.index < end}
    if heading.inline.strip():
        parts = [p for p in _LIST_SEPARATOR.split(heading.inline) if p.strip()]
        for part in parts:
            _guarded(collect, lenient, _AND.sub("", part), heading.index + 1)
    i = heading.index + 1
    single: list[tuple[int, int]] = []  # (item index, line) of plain, comma-bearing lines
    while i < end:
        if i in sub:
            inner = sub[i]
            if inner.inline.strip():
                _guarded(collect, lenient, inner.title + ": " + inner.inline, i + 1)
            else:
                category = rules.label(inner.title)
                collect.set_label(category, inner.title if category else "")
            i += 1
            continue
        raw = lines[i]
        if i in skip or not raw.strip():
            i += 1
            continue
        if _TABLE.match(raw):
            j = i
            while j < end and _TABLE.match(lines[j]):
                j += 1
            _table_items(lines, i, j, collect, lenient)
            i = j
            continue
        raw = _QUOTE.sub("", raw)
        if _BULLET_ONLY.match(raw):
            i += 1
            continue
        owner = _owns_children(lines, i, end)
        collect.dedent(_indent(raw))
        before = len(collect.items)
        _guarded(collect, lenient, raw, i + 1, label_owner=owner)
        if len(collect.items) == before + 1 and not _BULLET.match(raw):
            single.append((before, i + 1))
        i += 1
    items = collect.items
    # One line of commas is a list: "marketing, sales, R&D, customer support, HR".
    if len(items) == 1 and single and not heading.inline.strip():
        only = items[0]
        parts = [p for p in _LIST_SEPARATOR.split(only.text) if p.strip()]
        if len(parts) >= 3:
            again = _Collector(source, rules)
            again.set_label(only.label, only.label_text)
            for part in parts:
                _guarded(again, lenient, _AND.sub("", part), only.line)
            items = again.items
    return items


def _guarded(collect: _Collector, lenient: bool, raw: str, line: int, **kw: bool) -> None:
    """Add a raw line; in another block's section (`lenient`) a bad line is skipped."""
    try:
        collect.add_raw(raw, line, **kw)
    except DraftError:
        if not lenient:
            raise


def _indent(raw: str) -> int:
    match = _INDENT.match(raw.expandtabs(4) if "\t" in raw[:8] else raw)
    return len(match.group()) if match else 0


def _owns_children(lines: Sequence[str], i: int, end: int) -> bool:
    """Whether the next non-blank line is a more indented bullet ("- Production" above
    "  - roasting"): then a label-only line is a label, not an activity."""
    own = _indent(lines[i])
    for j in range(i + 1, min(end, i + 3)):
        if lines[j].strip():
            return _indent(lines[j]) > own and bool(_BULLET.match(lines[j]))
    return False


# --------------------------------------------------------------------------- tables

_ACTIVITY_HEADERS = frozenset(
    {"activity", "activities", "key activity", "key activities", "name", "task", "what"}
)
_LABEL_HEADERS = frozenset({"category", "type", "kind", "label", "activity type"})
_NUMBER_HEADERS = frozenset({"", "no", "nr", "n", "number", "priority", "rank", "order", "id"})


def _cells(raw: str) -> list[str]:
    row = raw.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return [c.strip() for c in _CELL_SPLIT.split(row)]


def _header(lines: Sequence[str], start: int, end: int) -> list[str] | None:
    if start + 1 < end and _TABLE_RULE.match(lines[start + 1]):
        return [heading_key(_bare(clean(c))) for c in _cells(lines[start])]
    return None


def _table_items(
    lines: Sequence[str], start: int, end: int, collect: _Collector, lenient: bool
) -> None:
    """The rows of a table inside an activities section (or a whole-list draft)."""
    header = _header(lines, start, end)
    column, label_column = 0, -1
    if header is not None:
        named = [
            n
            for n, h in enumerate(header)
            if h in _ACTIVITY_HEADERS or collect.rules.blocks.get(h) == "key_activities"
        ]
        plain = [n for n, h in enumerate(header) if h not in _NUMBER_HEADERS]
        column = named[0] if named else (plain[0] if plain else 0)
        labels = [n for n, h in enumerate(header) if h in _LABEL_HEADERS]
        label_column = labels[0] if labels else -1
    first = start + (2 if header is not None else 0)
    for i in range(first, end):
        if _TABLE_RULE.match(lines[i]):
            continue
        if len(lines[i]) > MAX_RAW_CHARS * 4:
            if lenient:
                continue
            raise DraftError(
                f"{len(lines[i]):,} characters in one table row; an activity is a short phrase",
                file=collect.source,
                line=i + 1,
            )
        cells = _cells(lines[i])
        if header is None:
            column = next(
                (n for n, c in enumerate(cells) if clean(c) and not clean(c).isdigit()), 0
            )
        if column >= len(cells):
            continue
        category = (
            collect.rules.label(clean(cells[label_column]))
            if 0 <= label_column < len(cells)
            else ""
        )
        saved = (collect.label, collect.label_text)
        if category:
            collect.set_label(category, clean(cells[label_column]))
        _guarded(collect, lenient, cells[column], i + 1)
        collect.set_label(*saved)


def _canvas_table(
    lines: Sequence[str], source: str, rules: DraftRules
) -> tuple[list[_Item], dict[str, tuple[str, ...]]] | None:
    """A canvas written as one table with a "Key Activities" column, if there is one."""
    i = 0
    while i < len(lines):
        if not _TABLE.match(lines[i]):
            i += 1
            continue
        j = i
        while j < len(lines) and _TABLE.match(lines[j]):
            j += 1
        header = _header(lines, i, j)
        if header is not None:
            columns = {n: rules.blocks.get(h, "") for n, h in enumerate(header)}
            key = next((n for n, b in columns.items() if b == "key_activities"), None)
            if key is not None and sum(1 for b in columns.values() if b) >= 2:
                found: dict[int, _Collector] = {}
                for n, block in columns.items():
                    if block:
                        found[n] = _Collector(source, rules)
                for row in range(i + 2, j):
                    if _TABLE_RULE.match(lines[row]) or len(lines[row]) > MAX_RAW_CHARS * 4:
                        continue
                    cells = _cells(lines[row])
                    for n, collect in found.items():
                        if n < len(cells):
                            _guarded(collect, n != key, cells[n], row + 1)
                blocks = {
                    columns[n]: tuple(item.text for item in c.items)
                    for n, c in found.items()
                    if n != key
                }
                return found[key].items, blocks
        i = j
    return None


# --------------------------------------------------------------------------- TOML


def _strings_draft(
    items: Sequence[Any],
    source: str,
    where: str,
    line: int | None,
    rules: DraftRules,
    labels: Mapping[str, str],
    blocks: Mapping[str, tuple[str, ...]] | None = None,
) -> Draft:
    collect = _Collector(source, rules)
    for n, item in enumerate(items):
        if not isinstance(item, str):
            raise DraftError(
                f"'{where}[{n}]' is a {type(item).__name__}, not text",
                file=source,
                line=line,
                hint='write each activity in double quotes: ["Software development", "Sales"]',
            )
        if "\n" in item.strip():
            for part in item.split("\n"):
                collect.add_raw(part, 0)
            continue
        label = labels.get(item, "")
        text = clean(item)
        if len(item) > MAX_RAW_CHARS:
            collect.add_raw(item, 0)  # the one clear message for a long line
        collect.add(text, 0, rules.label(label), label if rules.label(label) else "")
    if not collect.items:
        raise DraftError(f"'{where}' lists no activity", file=source, line=line, hint=_EXAMPLE)
    return Draft(
        lines=tuple(DraftLine(i.text, i.line, i.label, i.label_text) for i in collect.items),
        form="toml",
        blocks=dict(blocks or {}),
        source=source,
    )


def _from_toml(data: dict[str, Any], source: str, pos: TomlLines, rules: DraftRules) -> Draft:
    draft = data.get("draft")
    if isinstance(draft, list):  # [[draft]] of a canvas audited before
        texts = []
        for n, entry in enumerate(draft):
            text = entry.get("text") if isinstance(entry, dict) else None
            if not isinstance(text, str):
                raise DraftError(
                    f"'draft[{n}]' needs a text", file=source, line=pos.table("draft", n)
                )
            texts.append(text)
        return _strings_draft(texts, source, "draft", pos.table("draft"), rules, {})
    if isinstance(draft, dict):
        items = draft.get("key_activities")
        if not isinstance(items, list):
            raise DraftError(
                "[draft] needs key_activities = [...], a list of strings",
                file=source,
                line=pos.key("key_activities", "draft") or pos.table("draft"),
            )
        return _strings_draft(
            items, source, "draft.key_activities", pos.key("key_activities", "draft"), rules, {}
        )
    if draft is not None:
        raise DraftError("'draft' must be a table", file=source, line=pos.key("draft"))
    raw_blocks = data.get("blocks")
    activities = data.get("key_activities")
    labels: dict[str, str] = {}
    if isinstance(activities, list):
        for entry in activities:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                labels[entry["name"]] = str(entry.get("category", ""))
    if isinstance(raw_blocks, dict) and isinstance(raw_blocks.get("key_activities"), list):
        blocks = {
            str(b): tuple(v for v in items if isinstance(v, str))
            for b, items in raw_blocks.items()
            if b != "key_activities" and isinstance(items, list)
        }
        return _strings_draft(
            raw_blocks["key_activities"],
            source,
            "blocks.key_activities",
            pos.key("key_activities", "blocks"),
            rules,
            labels,
            blocks,
        )
    if isinstance(activities, list):
        names: list[Any] = []
        for entry in activities:
            if isinstance(entry, dict):
                if entry.get("status") == "rejected":
                    continue
                names.append(entry.get("name", entry.get("text")))
            else:
                names.append(entry)
        return _strings_draft(
            names, source, "key_activities", pos.key("key_activities"), rules, labels
        )
    raise DraftError(
        "no key activities in this TOML file",
        file=source,
        hint='write [draft] then key_activities = ["Software development", "Sales"]',
    )
