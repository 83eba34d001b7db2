"""Rendering helpers shared by the facilitator reports (diff, merge, sessions).

The reports' Markdown comes from Jinja2 templates in ``templates/`` (``diff.md.j2``,
``merge.md.j2``): the same folder as the export templates, found through `resources`.
These templates are ours, not users', so no sandbox; every string that came from a
person goes through the ``md`` filter, which keeps it on one line and escapes the
characters that would change the Markdown around it (``|`` in a table, ``*``, ``_``…).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from canvas_tui.core.canvas.model import BLOCK_TITLES, CATEGORY_TITLES
from canvas_tui.core.formatting import percent, percent_points
from canvas_tui.core.inference.infer import CORE_TYPES

#: Business types by id, as the reports name them ("unknown" too).
TYPE_TITLES = {t: CATEGORY_TITLES[t] for t in CORE_TYPES} | {"unknown": "Unknown"}

#: Output formats by file extension, for ``-o FILE`` without ``--format``.
SUFFIX_FORMATS: dict[str, str] = {
    ".md": "md",
    ".markdown": "md",
    ".json": "json",
    ".toml": "toml",
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
}

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_MD_LINE_START = re.compile(r"^([-+=>]|\d+[.)])")


def md(value: Any) -> str:
    """A person's text, safe inside a Markdown paragraph, list item or table cell."""
    text = " ".join(str(value).split())
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(r"\\\1", text)


def code(value: Any) -> str:
    """An id (question, activity) as inline code; safe whatever it holds."""
    text = " ".join(str(value).split())
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def num(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "–"
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text or "0"


@lru_cache(maxsize=1)
def _environment() -> Any:
    import jinja2

    from canvas_tui.resources import templates_dir

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=md, code=code, pct=percent, signed_pct=percent_points, num=num)
    env.globals.update(
        block_titles=BLOCK_TITLES, category_titles=CATEGORY_TITLES, type_titles=TYPE_TITLES
    )
    return env


def render_template(name: str, **context: Any) -> str:
    """Render one of the built-in report templates; one trailing newline, no blank runs.

    Every report template also sees ``block_titles``, ``category_titles`` and
    ``type_titles``."""
    text = _environment().get_template(name).render(**context)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.rstrip("\n") + "\n"


def to_json(data: Mapping[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_report(fmt: str, **renderers: Callable[[], str]) -> str:
    """The report in `fmt`, from the renderer of that name (one per format a command
    writes; the CLI has already refused the others). Only the one asked for runs."""
    try:
        renderer = renderers[fmt]
    except KeyError:
        raise ValueError(f"no {fmt} renderer (have: {', '.join(renderers)})") from None
    return renderer()


def text_report(lines: list[str]) -> str:
    """A terminal report: one line per entry (a person's line breaks folded into it)."""
    return "\n".join(" ".join(line.split("\n")) for line in lines) + "\n"
