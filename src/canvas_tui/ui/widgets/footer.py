"""The footer: the keys of the screen, the ones that matter first when they do not fit.

Textual's footer lays every shown key out in one line and lets what does not fit run off
the edge (at 80 columns: "… F9 Assumpti" and a stray character after "^p palette"). This
footer leaves out whole keys instead, least important first: a screen lists its actions
in `FOOTER_ORDER`, most important first; keys it does not list go before any it does
(in their own order). Every key still works, and is in the help screen (F1) and the
palette (Ctrl+P).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

# Textual's own parts of its footer (textual 8.2.8): the same widgets, so the same look.
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

Row = tuple[Binding, bool, str]  # a binding, enabled, tooltip


def fit(rows: list[Row], width: int, order: Iterable[str], key_width: dict[str, int]) -> list[Row]:
    """The rows that fit in `width` columns, dropping the least important first (`order`:
    actions, most important first) and keeping the rest in their own order."""
    ranking = list(order)

    def importance(index: int) -> int:
        action = rows[index][0].action
        if action in ranking:
            return len(rows) + ranking.index(action)
        return index  # not listed: before the listed ones, in their own order

    widths = [key_width[row[0].action] for row in rows]
    kept = set(range(len(rows)))
    for index in sorted(range(len(rows)), key=importance, reverse=True):
        if sum(widths[i] for i in kept) <= width:
            break
        kept.discard(index)
    return [row for i, row in enumerate(rows) if i in kept]


class KeyFooter(Footer):
    """A compact footer that leaves out the least important keys rather than cut."""

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._width = 0
        #: the signature of the keys last composed (`_signature`), None before the first
        self._composed: object = None

    def _item_width(self, row: Row, grouped: bool) -> int:
        binding = row[0]
        keys = cell_len(self.app.get_key_display(binding))
        if grouped:
            return keys
        return keys + 1 + cell_len(binding.description) + 1

    def _layout(self) -> tuple[list[Row], tuple[Binding, bool, str] | None]:
        """The rows shown, in order, and the palette key (None: not shown)."""
        active = self.screen.active_bindings
        rows: list[Row] = []
        seen: set[str] = set()
        for _node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                rows.append((binding, enabled, tooltip))
        key_width: dict[str, int] = {}
        for group, members in groupby(rows, lambda row: row[0].group):
            items = list(members)
            grouped = group is not None and len(items) > 1
            for row in items:
                key_width[row[0].action] = self._item_width(row, grouped)
            if grouped and group is not None:  # the label once, on the group's first key
                key_width[items[0][0].action] += 1 + cell_len(group.description) + 1
        palette = 0
        palette_row: tuple[Binding, bool, str] | None = None
        palette_binding = active.get(self.app.COMMAND_PALETTE_BINDING)
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE and palette_binding:
            palette = self._item_width((palette_binding[1], True, ""), False) + 1  # "▏"
            _node, binding, enabled, _tooltip = palette_binding
            palette_row = (binding, enabled, binding.tooltip or binding.description)
        width = (self._width or self.app.size.width) - palette
        order = getattr(self.screen, "FOOTER_ORDER", ())
        return fit(rows, width, order, key_width), palette_row

    def _signature(self, shown: list[Row], palette: tuple[Binding, bool, str] | None) -> object:
        """What the composed keys show: the same signature, the same widgets."""
        return tuple(
            (b.key, self.app.get_key_display(b), b.description, b.action, b.group, e, t)
            for b, e, t in (*shown, *((palette,) if palette is not None else ()))
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Textual recomposes its footer whenever the screen's bindings are refreshed
        (every focus change); this one only when the keys it shows changed."""
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            if self._composed is not None and self._signature(*self._layout()) == self._composed:
                return
            self.call_after_refresh(self.recompose)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        shown, palette_row = self._layout()
        self._composed = self._signature(shown, palette_row)
        for group, members in groupby(shown, lambda row: row[0].group):
            items = list(members)
            if group is not None and len(items) > 1:
                with KeyGroup(classes="-compact" if group.compact else ""):
                    for binding, enabled, tooltip in items:
                        yield FooterKey(
                            binding.key,
                            self.app.get_key_display(binding),
                            "",
                            binding.action,
                            disabled=not enabled,
                            tooltip=tooltip or binding.description,
                            classes="-grouped",
                        ).data_bind(compact=Footer.compact)
                yield FooterLabel(group.description)
                continue
            for binding, enabled, tooltip in items:
                yield FooterKey(
                    binding.key,
                    self.app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    disabled=not enabled,
                    tooltip=tooltip,
                ).data_bind(compact=Footer.compact)
        if palette_row is not None:
            binding, enabled, tooltip = palette_row
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                classes="-command-palette",
                disabled=not enabled,
                tooltip=tooltip,
            )

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width:
            self._width = event.size.width
            self.call_later(self.recompose)
