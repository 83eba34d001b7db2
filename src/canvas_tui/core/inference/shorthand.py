"""Founder shorthand (`question_banks/default/shorthand.toml`), expanded before matching.

`default_shorthand()` maps a typed word ("subs", "d2c") to the normalised words it
stands for (("subscriptions",), ("directtoconsumer",)): an expansion written with hyphens
is one joined word, as the matcher joins the catalogue's hyphenated signals. `text`
applies it to the answers' tokens and to the catalogue's signals alike. Read once per
process; a bank does not change it.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache

from canvas_tui.resources import default_bank_dir

FILE = "shorthand.toml"
_PART = re.compile(r"[^\W_]+")


def expansion(words: str) -> tuple[str, ...]:
    """The normalised words of an expansion ("direct-to-consumer" is one joined word)."""
    from canvas_tui.core.inference.text import norm

    return tuple(norm("".join(_PART.findall(w))) for w in words.split() if _PART.search(w))


@lru_cache(maxsize=1)
def default_shorthand() -> dict[str, tuple[str, ...]]:
    """Typed word -> normalised words; a key ending in "/" is kept with its slash (it
    counts only when a "/" follows the word). Empty if the file is missing or broken."""
    path = default_bank_dir() / FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
    table = data.get("expand", {})
    out: dict[str, tuple[str, ...]] = {}
    for key, value in table.items():
        if isinstance(key, str) and isinstance(value, str) and expansion(value):
            out[key.lower()] = expansion(value)
    return out
