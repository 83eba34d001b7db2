"""Last line of defence: no control character from data reaches the terminal raw.

Text from files and people is shown through `ui.text.literal` & co., which make control
characters visible (`terminal_text`) with the right widths. Some text reaches Textual
another way (a widget's own rendering, a title, a notification), so `install()` also
guards the one place where Textual turns a line of the screen into terminal sequences
(`Strip.render`): any control character still inside a segment's text is replaced by its
visible stand-in there. Styles (the escape sequences Textual itself emits) are untouched.
"""

from __future__ import annotations

from typing import Any

from textual.strip import Strip

from canvas_tui.core.exports.escaping import terminal_text

_INSTALLED = False


def _guarded_segments(strip: Strip) -> None:
    segments = strip._segments
    for index, (text, style, control) in enumerate(segments):
        if control is None:
            safe = terminal_text(text).replace("\n", "\u240a")
            if safe is not text and safe != text:
                segments[index] = type(segments[index])(safe, style, control)


def install() -> None:
    """Guard `Strip.render` (idempotent)."""
    global _INSTALLED
    if _INSTALLED:
        return
    original = Strip.render

    def render(self: Strip, console: Any) -> str:
        if self._render_cache is None:
            _guarded_segments(self)
        return original(self, console)

    Strip.render = render  # type: ignore[method-assign]  # a deliberate patch of Textual's method
    _INSTALLED = True
