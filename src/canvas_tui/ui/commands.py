"""The command palette: every key binding, plus "edit my answer to …" for each answer.

Palette titles built from user or bank strings are highlighted without parsing markup
(Textual's `Matcher.highlight` parses its input as markup).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import SystemCommand
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen


def literal_highlight(matcher: Matcher, text: str) -> Content:
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if not score:
        return content
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def _own_bindings(node: object) -> set[tuple[str, str]]:
    """(key, action) of the bindings canvas-tui itself declares on `node`'s classes: not
    those a Textual widget brings (Cursor down, Copy selected text, Focus Next)."""
    own: set[tuple[str, str]] = set()
    for cls in type(node).__mro__:
        if not cls.__module__.startswith("canvas_tui."):
            continue
        for item in cls.__dict__.get("BINDINGS", ()):
            if isinstance(item, Binding):
                own.update((key.strip(), item.action) for key in item.key.split(","))
    return own


def binding_commands(app: App[Any], screen: Screen[Any]) -> Iterable[SystemCommand]:
    """A palette command for each of the app's own bindings that is enabled right now."""
    seen: set[str] = set()
    own: dict[int, set[tuple[str, str]]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description or binding.action in seen or not active.enabled:
            continue
        node_own = own.setdefault(id(active.node), _own_bindings(active.node))
        if (binding.key, binding.action) not in node_own:
            continue
        if binding.action in ("quit", "command_palette"):
            continue  # Textual's own palette entries cover these
        seen.add(binding.action)
        display = binding.key_display or app.get_key_display(binding)
        yield SystemCommand(
            binding.description,
            (binding.tooltip or binding.description) + f"  (key: {display})",
            partial(app.run_action, binding.action, active.node),
        )


class AnswerCommands(Provider):
    """ "Edit answer: <question>" for every answered or skipped question."""

    def _targets(self) -> list[tuple[str, str, str]]:
        bench = getattr(self.app, "bench", None)
        if bench is None:
            return []
        interview = bench.interview
        found = []
        for question in interview.active():
            if interview.is_answered(question.id) or question.id in interview.skipped:
                answer = interview.answers.get(question.id, "").strip().replace("\n", " ")
                found.append((question.id, question.prompt, answer or "(skipped)"))
        return found

    def _edit(self, qid: str) -> None:
        from canvas_tui.ui.screens.interview import InterviewScreen

        self.app.action_goto("interview")  # type: ignore[attr-defined]  # Provider.app is typed App[object]; action_goto is CanvasApp's
        screen = self.app.get_screen("interview")
        if isinstance(screen, InterviewScreen):
            screen.call_after_refresh(screen.edit_answer, qid)

    async def discover(self) -> Hits:
        for qid, prompt, answer in self._targets():
            yield DiscoveryHit(
                Content.assemble(("Edit answer: ", "bold"), prompt),
                partial(self._edit, qid),
                text=f"Edit answer: {prompt}",
                help=_escape(answer[:80]),
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for qid, prompt, answer in self._targets():
            text = f"Edit answer: {prompt}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    literal_highlight(matcher, text),
                    partial(self._edit, qid),
                    text=text,
                    help=_escape(answer[:80]),
                )


def _escape(text: str) -> str:
    from textual.markup import escape

    return escape(text)
