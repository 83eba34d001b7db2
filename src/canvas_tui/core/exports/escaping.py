"""Text that is data, made safe for the output it lands in.

User text (answers, titles, activity names, notes) reaches a template only as a value,
never as template source, and every value is escaped for the output's language:

* `visible` / `text_lines`: control characters become visible stand-ins (U+241B for ESC,
  U+2421 for DEL, U+FFFD for the C1 controls) so a terminal never receives an escape
  sequence; any Unicode line break splits lines.
* `md_inline`: one line of Markdown that renders as exactly the text on GitHub, in
  Obsidian and in CommonMark: table cells stay cells, nothing becomes a heading, list,
  link, image, code, math, emoji, highlight, comment or raw HTML. Line breaks → ``<br>``.
* `md_lines`: the same, one Markdown line per line, joined by hard breaks (for quotes).
* `html_text`: HTML-escaped, line breaks → ``<br>``.

The ``finalize_*`` functions are the Jinja2 ``finalize`` hooks that apply these to every
``{{ … }}`` output by default. No Jinja2 import here: the CLI starts fast.
"""

from __future__ import annotations

import re
from typing import Any

_CONTROL_PICTURES = {c: 0x2400 + c for c in range(0x20) if c != 0x09}
_CONTROL_PICTURES[0x7F] = 0x2421
_CONTROL_PICTURES.update({c: 0xFFFD for c in range(0x80, 0xA0)})


def visible(text: str) -> str:
    """Control characters as visible stand-ins: U+0007 → ␇, DEL → ␡, C1 → U+FFFD.

    Tabs stay; line breaks should be split off first (`text_lines`). Nothing else
    changes, so a terminal never receives an escape sequence from an answer.
    """
    return text.translate(_CONTROL_PICTURES)


_TERMINAL_PICTURES = {c: v for c, v in _CONTROL_PICTURES.items() if c != 0x0A}
_TERMINAL_PICTURES.update({c: 0xFFFD for c in (0x2028, 0x2029, *range(0x202A, 0x202F))})
_TERMINAL_PICTURES.update({c: 0xFFFD for c in range(0x2066, 0x206A)})
_TERMINAL_UNSAFE = re.compile(
    r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def terminal_text(text: str) -> str:
    """The one function for every terminal surface (TUI, CLI output, error lines).

    Control characters become visible stand-ins as in `visible` (ESC → ␛, CR → ␍, C1 →
    U+FFFD), and so do the Unicode line separators and bidi overrides, which a terminal
    may act on or hide. Only the line feed stays, and tabs. One character in, one
    character out: offsets into the text (highlights) stay valid.
    """
    text = str(text)
    if not _TERMINAL_UNSAFE.search(text):
        return text
    return text.translate(_TERMINAL_PICTURES)


#: Line breaks (as str.splitlines sees them) and control characters.
_UNPLAIN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def text_lines(text: str) -> list[str]:
    """The lines of a text (any Unicode line break), control characters made visible."""
    text = str(text)
    if not _UNPLAIN.search(text):  # the common case: one plain line
        return [text] if text else []
    return [visible(line) for line in text.splitlines()]


class MdText(str):
    """A string that is already Markdown: the Markdown finalizer leaves it alone."""

    __slots__ = ()


_MD_SPECIAL = re.compile(
    r"(?P<lt><)"  # raw HTML, autolinks, comments: as an entity
    r"|(?P<amp>&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};))"  # &amp;
    r"|(?P<punct>[\\`*\[\]|~$#^])"  # emphasis, code, links, tables, math, tags, footnotes
    r"|(?P<run>={2,}|%{2,})"  # Obsidian ==highlight== and %%comment%%
    r"|(?P<colon>:(?=[a-z0-9_+\-]*[a-z][a-z0-9_+\-]*:|100:|1234:|[+-]1:))"  # GitHub :emoji:
    r"|(?P<under>_)"
)
_ENTITIES = {"&": "&amp;", "<": "&lt;"}
_LIST_START = re.compile(r"^(\d{1,9})([.)])(?=[ \t]|$)")
_BLOCK_START = re.compile(r"^(?:[-+](?=[ \t]|$)|-(?=-)|=+[ \t]*$|>)")


def _md_escape_line(line: str) -> str:
    """One line of user text as Markdown that renders as exactly that text (trimmed)."""

    def replace(match: re.Match[str]) -> str:
        kind = match.lastgroup
        text = match.group()
        if kind in ("lt", "amp"):
            return _ENTITIES[text]
        if kind == "run":
            return "".join("\\" + c for c in text)
        if kind == "under":
            # An underscore between two letters or digits never starts or ends emphasis.
            i = match.start()
            if 0 < i < len(line) - 1 and line[i - 1].isalnum() and line[i + 1].isalnum():
                return text
        return "\\" + text

    line = line.strip()
    escaped = _MD_SPECIAL.sub(replace, line)
    if _BLOCK_START.match(escaped):  # "- "/"+ " list, "---" rule, "=" underline, "> " quote
        return "\\" + escaped
    return _LIST_START.sub(r"\1\\\2", escaped)  # "1. " would start a list


def md_inline(value: Any, empty: str = "") -> MdText:
    """User text as one line of Markdown: safe in a table cell, list item or heading.

    Line breaks become ``<br>``, blank lines are dropped, each line is trimmed. Text
    that comes out empty is replaced by `empty` (itself escaped), e.g. ``"—"``.
    """
    if isinstance(value, MdText):
        return value if value or not empty else md_inline(empty)
    lines = [_md_escape_line(line) for line in text_lines(str(value))]
    text = "<br>".join(line for line in lines if line)
    if not text and empty:
        return md_inline(empty)
    return MdText(text)


def md_lines(value: Any, prefix: str = "") -> MdText:
    """User text as Markdown lines joined by hard line breaks (a trailing backslash).

    `prefix` starts every line after the first (``"> "`` inside a block quote, spaces in
    a list item). Blank lines are dropped.
    """
    lines = [_md_escape_line(line) for line in text_lines(str(value))]
    return MdText(("\\\n" + prefix).join(line for line in lines if line))


def oneline(value: Any) -> str:
    """User text on one line (line breaks as spaces), control characters visible.

    For places a line break cannot go: an HTML attribute, ``<title>``, a file name.
    """
    return " ".join(line.strip() for line in text_lines(str(value)) if line.strip())


def html_text(value: Any) -> Any:
    """User text as HTML: escaped, control characters visible, line breaks as ``<br>``."""
    from markupsafe import Markup, escape

    if isinstance(value, Markup):
        return value
    lines = text_lines(str(value))
    if len(lines) == 1:
        return escape(lines[0])
    return Markup("<br>").join(escape(line) for line in lines)


def finalize_md(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, MdText) or hasattr(value, "__html__"):  # MdText or Markup
        return value
    return md_inline(value)


def finalize_html(value: Any) -> Any:
    return "" if value is None else html_text(value)


def finalize_raw(value: Any) -> Any:
    return "" if value is None else value
