"""How a value becomes text, the same way everywhere: percentages (and changes of one, in
percentage points) and file-name slugs.

One function per rule, used by the exports, the team reports, the sessions and the UI.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any


def percent(value: Any) -> str:
    """A share as whole percent: 0.456 → "46%" (Python's rounding); "" for a non-number."""
    try:
        return f"{round(float(value) * 100)}%"
    except (TypeError, ValueError):
        return ""


def percent_points(delta: float) -> str:
    """A change of a share in signed percentage points, rounded as `percent` rounds:
    0.054 → "+5 pt", -0.12 → "-12 pt", a change that rounds to nothing → "±0 pt"."""
    points = round(delta * 100)
    return f"{points:+d} pt" if points else "±0 pt"


def slugify(text: str, *, limit: int = 60, fallback: str = "") -> str:
    """A file-name-safe slug: accents folded, other letters kept, dashes between words.

    ``Café Crème`` → ``cafe-creme``, ``咖啡 店`` → ``咖啡-店``; anything but a letter or a digit
    separates words; the slug is cut at `limit` characters, never leaving a dash at either
    end, and is `fallback` when nothing is left (``☕☕``). It names export files, saved
    sessions and custom activities.
    """
    folded = unicodedata.normalize("NFKD", str(text))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    slug = re.sub(r"[\W_]+", "-", folded.lower()).strip("-")
    return slug[:limit].strip("-") or fallback
