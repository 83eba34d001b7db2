"""Guards around crashes inside Textual itself (pinned 8.2.8, the newest release when
checked with `pip index versions textual`; none of these is fixed there).

* Ctrl+P then PageDown (or PageUp) at once: the palette's option list has options but
  has not laid out its lines yet, and `OptionList._move_page` looks up line 0 of an
  empty table (``KeyError: 0``). Guarded: a page move before the first layout does
  nothing (the next key press works as usual).

`install()` is idempotent and called when the app is built. Each guard has a Pilot test
in ``tests/ui/test_hardening.py``, and a seeded random-key test keeps the app alive.
"""

from __future__ import annotations

from typing import Literal

from textual.widgets import OptionList

_INSTALLED = False


def install() -> None:
    global _INSTALLED
    if _INSTALLED:
        return
    move_page = OptionList._move_page

    def guarded_move_page(self: OptionList, direction: Literal[-1, 1]) -> None:
        if not self._lines or not self._index_to_line:
            return  # not laid out yet: nothing to page through
        move_page(self, direction)

    OptionList._move_page = guarded_move_page  # type: ignore[method-assign]  # a deliberate patch of Textual's method
    _INSTALLED = True
