"""Issue 13: one wording for a custom activity's score, and the generated block entries
marked as suggestions (capped, after the user's own words) in every format."""

from __future__ import annotations

from canvas_tui.core.canvas.model import Activity, Canvas
from canvas_tui.core.exports.context import template_context
from canvas_tui.core.exports.render import render


def _custom_canvas() -> Canvas:
    return Canvas(
        title="T",
        created="2026-01-01",
        bank="b",
        activities=(
            Activity(
                id="custom-1",
                name="Taste every sauce",
                category="production",
                score=1.0,
                status="accepted",
            ),
        ),
    )


def test_a_custom_activity_reads_yours_in_every_format():
    canvas = _custom_canvas()
    assert template_context(canvas)["activities"][0]["score_text"] == "yours"
    md = render(canvas, "md")
    assert "| yours |" in md and "1.00" not in md
    html = render(canvas, "html")
    assert "yours" in html and "score yours" in html and "score 1.00" not in html
