"""The founder's own draft of key activities beside the review table (issue 16).

Each drafted line with its verdict (supported, generic, duplicate, unsupported,
mis-categorised) and the reason, then the activities the answers make key that the draft
lacks. It only displays: the review screen hands it the canvas (`show`), whose
``draft`` entries and ``missing_from_draft`` flags the core's audit filled in.

Where it sits: docked to the right of the review body, `PANEL_WIDTH` columns, when the
screen is wide (the table keeps the rest); folded to one summary line above the table on
a narrow screen (80x24), where `v` opens it in place of the details under the table.
`v` folds and unfolds it at any size (`toggle`).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from canvas_tui.core.canvas.model import Canvas
from canvas_tui.ui.text import literal, set_content

#: Columns the unfolded panel takes beside the table (its border included).
PANEL_WIDTH = 40
#: Below this screen width the panel is folded (the app's "-narrow" breakpoint).
NARROW_BELOW = 90

#: verdict -> (mark, how it reads, style)
VERDICTS: dict[str, tuple[str, str, str]] = {
    "supported": ("✓", "supported", "$text-success"),
    "miscategorised": ("!", "mis-categorised", "$text-warning"),
    "duplicate": ("=", "duplicate", "$text-warning"),
    "generic": ("✗", "generic work", "$text-error"),
    "unsupported": ("?", "unsupported", "$text-error"),
}


def summary(canvas: Canvas, *, folded: bool = False) -> Content:
    """One line: how many drafted lines are kept and dropped, how many are missing."""
    kept = sum(1 for d in canvas.draft if d.kept)
    dropped = len(canvas.draft) - kept
    missing = sum(1 for a in canvas.activities if a.missing_from_draft)
    return Content.assemble(
        ("Your draft" if folded else "Draft", "bold"),
        (f" ✓{kept} kept", "$text-success"),
        (f" ✗{dropped} dropped", "$text-error" if dropped else "$text-muted"),
        (f" +{missing} missing", "$text-warning" if missing else "$text-muted"),
        ("   v shows each line and why" if folded else "", "$text-muted"),
    )


def draft_view(canvas: Canvas) -> list[tuple[Content, str]]:
    """Every drafted line with its verdict and reason, then the activities missing from
    the draft with the answer that needs each: (content, "head" | "reason" | "title")
    pieces, a reason indented under its line. User text is shown literally."""
    parts: list[tuple[Content, str]] = []
    for entry in canvas.draft:
        mark, word, style = VERDICTS.get(entry.verdict, ("·", entry.verdict, ""))
        head = Content.assemble((mark + " ", f"bold {style}"), literal(entry.text, "bold"))
        if entry.name and entry.name.casefold() != entry.text.casefold():
            head += literal(" → " + entry.name, "$text-muted")
        parts.append((head, "head"))
        reason = Content.assemble((word, style), ": ", literal(entry.reason, "$text-muted"))
        parts.append((reason, "reason"))
    missing = [a for a in canvas.activities if a.missing_from_draft]
    if missing:
        parts.append((Content.styled("Missing from your draft", "bold $text-warning"), "title"))
        for activity in missing:
            parts.append(
                (Content.assemble(("+ ", "bold $text-warning"), literal(activity.name)), "head")
            )
            if activity.evidence:
                evidence = activity.evidence[0]
                reason = Content.assemble(
                    ("your answers need it: ", "$text-muted"),
                    literal(f"“{evidence.quote}”", "$text-muted italic"),
                    literal(f" ({evidence.question})", "$text-muted"),
                )
                parts.append((reason, "reason"))
    elif canvas.draft:
        parts.append(
            (
                Content.styled(
                    "Nothing missing: your draft has every key activity.", "$text-success"
                ),
                "title",
            )
        )
    return parts


def plain_view(canvas: Canvas) -> str:
    """The draft view as plain text (what a test or a screen reader reads)."""
    return "\n".join(content.plain for content, _ in draft_view(canvas))


class DraftPanel(Vertical):
    """The draft, its verdicts and what it lacks (hidden when there is no draft)."""

    # Its rules also place it in the review screen (and hide the details while it is
    # open on a narrow screen): not scoped to the widget.
    SCOPED_CSS: ClassVar[bool] = False
    DEFAULT_CSS = """
    DraftPanel { display: none; }
    DraftPanel.-has-draft {
        display: block;
        dock: right;
        width: 40;
        height: 1fr;
        padding: 0 0 0 1;
        border-left: vkey $panel-lighten-1;
    }
    DraftPanel #draft-summary { height: auto; }
    DraftPanel #draft-fold { display: none; }
    DraftPanel #draft-body { height: 1fr; }
    DraftPanel #draft-body .reason { padding-left: 2; margin-bottom: 1; }
    DraftPanel #draft-body .title { margin-top: 1; }
    ReviewScreen.-narrow DraftPanel.-has-draft, DraftPanel.-has-draft.-closed {
        dock: top;
        width: 1fr;
        height: 1;
        padding: 0 1;
        border-left: none;
    }
    ReviewScreen.-narrow DraftPanel.-has-draft #draft-body,
    DraftPanel.-has-draft.-closed #draft-body,
    ReviewScreen.-narrow DraftPanel.-has-draft #draft-summary,
    DraftPanel.-has-draft.-closed #draft-summary { display: none; }
    ReviewScreen.-narrow DraftPanel.-has-draft #draft-fold,
    DraftPanel.-has-draft.-closed #draft-fold { display: block; }
    ReviewScreen.-narrow DraftPanel.-has-draft.-open {
        dock: bottom;
        height: 65%;
        border-top: hkey $panel-lighten-1;
    }
    ReviewScreen.-narrow DraftPanel.-has-draft.-open #draft-body,
    ReviewScreen.-narrow DraftPanel.-has-draft.-open #draft-summary { display: block; }
    ReviewScreen.-narrow DraftPanel.-has-draft.-open #draft-fold { display: none; }
    ReviewScreen.-narrow.-draft-open #detail { display: none; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        #: the person's choice with `v`: True open, False folded, None the size decides
        self.choice: bool | None = None
        self.has_draft = False
        self._shown: list[tuple[Content, str]] = []

    def compose(self) -> ComposeResult:
        yield Static(id="draft-summary")
        yield Static(id="draft-fold")
        yield VerticalScroll(id="draft-body")

    def show(self, canvas: Canvas) -> None:
        self.has_draft = bool(canvas.draft)
        self.set_class(self.has_draft, "-has-draft")
        if self.has_draft:
            set_content(self.query_one("#draft-summary", Static), summary(canvas))
            set_content(self.query_one("#draft-fold", Static), summary(canvas, folded=True))
            view = draft_view(canvas)
            if view != self._shown:  # rebuilt only when it changed (a layout each time)
                self._shown = view
                body = self.query_one("#draft-body", VerticalScroll)
                body.remove_children()
                body.mount_all(Static(content, classes=kind) for content, kind in view)
        self._apply()

    def is_open(self, width: int) -> bool:
        """Whether the draft view is unfolded on a screen `width` columns wide."""
        if not self.has_draft:
            return False
        return self.choice if self.choice is not None else width >= NARROW_BELOW

    def side_width(self, width: int) -> int:
        """Columns the panel takes beside the table on a screen `width` wide."""
        return PANEL_WIDTH if width >= NARROW_BELOW and self.is_open(width) else 0

    def toggle(self, width: int) -> None:
        self.choice = not self.is_open(width)
        self._apply()

    def _apply(self) -> None:
        self.set_class(self.choice is True, "-open")
        self.set_class(self.choice is False, "-closed")
        self.screen.set_class(self.has_draft and self.choice is True, "-draft-open")
