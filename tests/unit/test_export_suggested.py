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


# ---------------------------------------------------------------- generated entries

from canvas_tui.core.canvas.build import SUGGESTIONS_PER_ACTIVITY  # noqa: E402
from canvas_tui.core.exports.render import read_canvas, to_toml  # noqa: E402
from canvas_tui.core.interview.bank_loader import load_bank_catalogue  # noqa: E402
from canvas_tui.core.interview.session import Session  # noqa: E402
from canvas_tui.core.workbench import Workbench  # noqa: E402

TRATTORIA = (
    "A family trattoria: we cook fresh pasta every day and serve it in our dining room",
    "Families and office workers in Utrecht",
    "We import olive oil and cheese from Italy on buying trips",
)


def trattoria(bank, session: Session | None = None) -> Workbench:
    bench = Workbench(
        session or Session(id="s", title="Trattoria"), bank, load_bank_catalogue(bank)
    )
    for text in TRATTORIA:
        bench.submit(text)
    return bench


def test_generated_entries_are_capped_per_kept_activity_and_marked(bank):
    bench = trattoria(bank)
    canvas = bench.canvas()
    catalogue = load_bank_catalogue(bank)
    kept = [a for a in canvas.activities if a.name in canvas.blocks["key_activities"]]
    assert len(kept) >= 2
    for block, field in (("key_resources", "resources"), ("cost_structure", "costs")):
        items = canvas.blocks[block]
        assert items, block
        # every entry is a suggestion, and no kept activity brings more than the cap
        assert canvas.suggested[block] == items
        for activity in kept:
            known = getattr(catalogue.get(activity.id), field)
            assert sum(1 for i in items if i in known) <= SUGGESTIONS_PER_ACTIVITY
        assert len(items) <= SUGGESTIONS_PER_ACTIVITY * len(kept)
        # the cap did cut: some kept activity has more in the catalogue
        assert any(
            len(getattr(catalogue.get(a.id), field)) > SUGGESTIONS_PER_ACTIVITY for a in kept
        )


def test_the_users_own_entries_come_first_and_accepting_keeps_one(bank, tmp_path):
    bench = trattoria(bank)
    generated = bench.canvas().blocks["key_resources"]
    bench.edit_block("key_resources", [generated[0], "Our chef Marco", *generated[1:]])
    canvas = bench.canvas()
    assert canvas.blocks["key_resources"][0] == "Our chef Marco"
    assert "Our chef Marco" not in canvas.suggested["key_resources"]
    bench.accept_suggestion("key_resources", generated[1])
    canvas = bench.canvas()
    assert generated[1] in canvas.blocks["key_resources"]
    assert generated[1] not in canvas.suggested["key_resources"]
    assert canvas.blocks["key_resources"][:2] == ("Our chef Marco", generated[1])
    # the decision survives a resume
    again = Session.from_dict(bench.session.to_dict())
    assert again.decisions.accepted == {"key_resources": [generated[1]]}


def test_suggestions_are_marked_in_markdown_and_html_and_round_trip(bank, tmp_path):
    canvas = trattoria(bank).canvas()
    first = canvas.suggested["cost_structure"][0]
    md = render(canvas, "md")
    assert f"- {first} *(suggested)*" in md
    html = render(canvas, "html")
    assert '<li class="suggested">' in html and "suggested</span>" in html
    path = tmp_path / "c.toml"
    path.write_text(to_toml(canvas), encoding="utf-8")
    back = read_canvas(path)
    assert back.suggested == canvas.suggested and back.blocks == canvas.blocks
    assert to_toml(back) == to_toml(canvas)


def test_the_html_puts_the_users_words_before_suggestions():
    canvas = Canvas(
        title="T",
        created="2026-01-01",
        bank="b",
        blocks={"key_resources": ("Generic kit", "Our chef Marco")},
        suggested={"key_resources": ("Generic kit",)},
    )
    block = template_context(canvas)["block"]["key_resources"]
    assert block["entries"] == ["Our chef Marco", "Generic kit"]
    html = render(canvas, "html")
    assert html.index("Our chef Marco") < html.index("Generic kit")
    assert "Our chef Marco *(suggested)*" not in render(canvas, "md")
