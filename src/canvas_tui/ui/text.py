"""Turning user and bank strings into display content, literally.

Every string that came from a person (answers, titles, activity names, KPIs) or from a
bank (prompts, help, examples) is shown through these helpers, never interpolated into
markup: an answer ``[bold red]hi[/]`` displays exactly as typed. `Content(...)` and
`Content.assemble(...)` treat plain strings as plain text; only the style tuples here are
ours.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from textual.content import Content
from textual.widgets import Static

from canvas_tui.core.exports.escaping import terminal_text
from canvas_tui.core.formatting import percent as percent  # the one rule, re-exported

#: A colour per category, used by the mix bar, the panel and the review table.
CATEGORY_STYLES: dict[str, str] = {
    "production": "$text-warning",
    "problem_solving": "$text-success",
    "platform_network": "$text-primary",
    "supporting": "$text-muted",
}
CATEGORY_SHORT: dict[str, str] = {
    "production": "Production",
    "problem_solving": "Problem solving",
    "platform_network": "Platform",
    "supporting": "Supporting",
}


def set_content(widget: Static, content: Content) -> None:
    """`widget.update(content)` unless it already shows exactly that: an update always
    asks for a new layout of the screen, which is the costly part of a frame."""
    if getattr(widget, "_shown_content", None) != content:
        widget._shown_content = content  # type: ignore[attr-defined]  # our cache attribute, set on Textual's Static
        widget.update(content)


def literal(text: str, style: str = "") -> Content:
    """A user's or a bank's string as content: never parsed as markup, control
    characters shown as visible stand-ins (`terminal_text`)."""
    content = Content(terminal_text(text))
    return content.stylize(style) if style else content


def highlighted(text: str, start: int, end: int, style: str = "reverse bold") -> Content:
    """`text` with `text[start:end]` highlighted (an evidence quote inside its answer)."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    text = terminal_text(text)  # one character for one: the offsets stay right
    return Content.assemble(text[:start], (text[start:end], style), text[end:])


def highlighted_spans(
    text: str, spans: list[tuple[int, int]], style: str = "reverse bold"
) -> Content:
    """`text` with every `(start, end)` span highlighted."""
    content = Content(terminal_text(text))
    for start, end in spans:
        start = max(0, min(start, len(text)))
        end = max(start, min(end, len(text)))
        if end > start:
            content = content.stylize(style, start, end)
    return content


def excerpt(text: str, start: int, end: int, context: int = 80) -> tuple[str, int, int]:
    """A window of `text` around a span, with "…" where it was cut; the span's new offsets."""
    lo = max(0, start - context)
    hi = min(len(text), end + context)
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < len(text) else ""
    window = prefix + text[lo:hi] + suffix
    shift = len(prefix) - lo
    return window, start + shift, end + shift


def bar(fraction: float, width: int, style: str = "$accent") -> Content:
    """A thin progress bar made of block characters."""
    width = max(1, width)
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return Content.assemble(("━" * filled, style), ("━" * (width - filled), "$panel-lighten-2"))


def mix_bar(mix: Mapping[str, float], width: int) -> Content:
    """The business type mix as one stacked bar, one colour per type."""
    from canvas_tui.core.inference.infer import CORE_TYPES

    width = max(3, width)
    total = sum(max(0.0, mix.get(t, 0.0)) for t in CORE_TYPES)
    if total <= 0:
        return Content.assemble(("░" * width, "$text-muted"))
    # Largest remainder, so the segments always fill the width exactly.
    raw = [max(0.0, mix.get(t, 0.0)) / total * width for t in CORE_TYPES]
    cells = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - cells[i], reverse=True)
    for i in order[: width - sum(cells)]:
        cells[i] += 1
    parts = [("█" * n, CATEGORY_STYLES[t]) for t, n in zip(CORE_TYPES, cells, strict=True) if n]
    return Content.assemble(*parts)


def parse_time(stamp: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def relative_time(stamp: str, now: datetime) -> str:
    """ "just now", "5 minutes ago", "yesterday", "3 Mar 2026" — how people say when."""
    moment = parse_time(stamp)
    if moment is None:
        return stamp
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return "just now"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''} ago"
    hours = minutes // 60
    if hours < 24:
        return f"{hours} hour{'s' if hours != 1 else ''} ago"
    days = hours // 24
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"{days} days ago"
    return f"{moment.day} {moment.strftime('%b %Y')}"
