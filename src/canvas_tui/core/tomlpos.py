"""Find the line of a table or key in TOML text, for error messages.

`tomllib` reports lines only for syntax errors. For semantic problems (a duplicate id, a
missing prompt) we look the place up in the raw text: good enough to point a person at the
right spot, and never wrong about which file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


def _norm(name: str) -> str:
    return ".".join(part.strip().strip('"').strip("'") for part in name.split("."))


@dataclass
class TomlLines:
    """Line numbers (1-based) of the headers and keys in one TOML document."""

    text: str
    lines: list[str] = field(init=False)
    headers: list[tuple[int, str, bool]] = field(init=False)  # (line, name, is_array)

    def __post_init__(self) -> None:
        self.lines = self.text.splitlines()
        self.headers = []
        in_multiline: str | None = None
        for number, line in enumerate(self.lines, start=1):
            if in_multiline:
                if line.count(in_multiline) % 2 == 1:
                    in_multiline = None
                continue
            for quote in ('"""', "'''"):
                if line.count(quote) % 2 == 1:
                    in_multiline = quote
            match = _HEADER.match(line)
            if match and not in_multiline:
                self.headers.append((number, _norm(match.group(2)), match.group(1) == "[["))

    def table(self, name: str, index: int = 0) -> int | None:
        """Line of the `index`-th header `[name]` or `[[name]]`."""
        found = [line for line, header, _ in self.headers if header == name]
        return found[index] if index < len(found) else None

    def _region(self, start: int | None) -> tuple[int, int]:
        """Lines from `start` (a header line, or None for the top) to the next header."""
        begin = start or 0
        end = len(self.lines) + 1
        for line, _, _ in self.headers:
            if line > begin:
                end = line
                break
        return begin, end

    def key(self, key: str, table: str | None = None, index: int = 0) -> int | None:
        """Line of `key = ...` in the top-level region, or in the `index`-th `table`."""
        start = None if table is None else self.table(table, index)
        if table is not None and start is None:
            return None
        begin, end = self._region(start)
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for number in range(begin + 1, end):
            if pattern.match(self.lines[number - 1]):
                return number
        return start

    def key_in_array(self, array: str, index: int, key: str) -> int | None:
        """Line of `key` inside the `index`-th `[[array]]` entry, its sub-tables included."""
        start = self.table(array, index)
        if start is None:
            return None
        next_entry = self.table(array, index + 1) or len(self.lines) + 1
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        sub = re.compile(rf"^\s*\[\s*{re.escape(array)}\.{re.escape(key)}\s*\]")
        for number in range(start + 1, next_entry):
            text = self.lines[number - 1]
            if pattern.match(text) or sub.match(text):
                return number
        return start
