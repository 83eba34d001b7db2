"""A founder's draft in the canvas: [[draft]] entries, missing_from_draft, the exports."""

from __future__ import annotations

import json
import tomllib
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canvas_tui.core.canvas.build import build_canvas
from canvas_tui.core.canvas.model import Canvas, DraftEntry, EvidenceRef, key_activities
from canvas_tui.core.draft.audit import VERDICTS
from canvas_tui.core.draft.parse import parse_draft
from canvas_tui.core.errors import CanvasFileError
from canvas_tui.core.exports.render import read_canvas, render, to_json, to_toml
from canvas_tui.core.inference.catalogue import default_catalogue
from canvas_tui.core.inference.infer import CATEGORIES, infer
from canvas_tui.core.interview.bank import BLOCKS
from tests.unit.test_canvas_roundtrip import FAST, canvases, text
from tests.unit.test_draft_audit import SAAS

WHITEBOARD = (
    "marketing, sales, R&D, customer support, HR, accounting, social media, recruiting, "
    "legal, and office management"
)


def saas_canvas(bank, draft_text: str | None = WHITEBOARD, answers=SAAS) -> Canvas:
    catalogue = default_catalogue()
    return build_canvas(
        title="Shiftly",
        created="2026-01-01T00:00:00Z",
        bank=bank,
        answers=answers,
        inference=infer(answers, catalogue, sections=bank.sections()),
        catalogue=catalogue,
        draft=parse_draft(draft_text) if draft_text is not None else None,
    )


def test_one_draft_entry_per_drafted_line_in_order(bank):
    canvas = saas_canvas(bank)
    assert [d.text for d in canvas.draft] == [
        "marketing",
        "sales",
        "R&D",
        "customer support",
        "HR",
        "accounting",
        "social media",
        "recruiting",
        "legal",
        "office management",
    ]
    assert all(d.verdict in VERDICTS and d.reason for d in canvas.draft)
    hr = canvas.draft[4]
    assert (hr.id, hr.verdict) == ("custom-hr", "generic")
    support = canvas.draft[3]
    assert support.verdict == "supported"
    (evidence,) = support.evidence
    assert evidence.quote in SAAS[evidence.question] and "support" in evidence.quote


def test_missing_from_draft_marks_the_key_activities_the_draft_lacks(bank):
    canvas = saas_canvas(bank)
    missing = {a.id for a in canvas.activities if a.missing_from_draft}
    key = {a.id for a in key_activities(canvas.activities)}
    drafted = {d.id for d in canvas.draft if d.verdict != "generic"}
    assert missing == key - drafted
    assert "software-development" in missing and "sales" not in missing
    assert any(w.kind == "draft" and "job description" in w.message for w in canvas.warnings)


def test_without_a_draft_the_canvas_file_is_unchanged(bank):
    canvas = saas_canvas(bank, None)
    data = canvas.to_dict()
    assert "draft" not in data
    assert all("missing_from_draft" not in a for a in data["key_activities"])
    assert "Your draft" not in render(canvas, "md")
    assert "Your draft" not in render(canvas, "html")


def test_the_canvas_toml_holds_the_draft_and_reads_back_the_same(bank, tmp_path):
    canvas = saas_canvas(bank)
    written = to_toml(canvas)
    data = tomllib.loads(written)
    first = data["draft"][0]
    assert list(first)[:4] == ["text", "id", "verdict", "reason"]
    assert first["text"] == "marketing" and first["id"] == "digital-marketing"
    flagged = [a["id"] for a in data["key_activities"] if a.get("missing_from_draft")]
    assert flagged and all(
        data["key_activities"][i]["missing_from_draft"] is True
        for i, a in enumerate(data["key_activities"])
        if a["id"] in flagged
    )
    path = tmp_path / "canvas.toml"
    path.write_text(written, encoding="utf-8")
    again = read_canvas(path)
    assert again == canvas
    assert to_toml(again) == written
    assert render(again, "md") == render(canvas, "md")
    json_data = json.loads(to_json(canvas))
    assert json_data["draft"] == data["draft"]
    assert Canvas.from_dict(json_data) == canvas


drafts = st.builds(
    DraftEntry,
    text=text,
    id=text,
    verdict=st.sampled_from(VERDICTS),
    reason=text,
    name=text,
    category=st.sampled_from(("", *CATEGORIES)),
    line=st.integers(min_value=0, max_value=10_000),
    label=st.sampled_from(("", *CATEGORIES)),
    evidence=st.lists(st.builds(EvidenceRef, question=text, quote=text), max_size=1).map(tuple),
)


@FAST
@given(
    canvases(),
    st.lists(drafts, max_size=4),
    st.lists(st.booleans(), max_size=4),
    st.dictionaries(st.sampled_from(BLOCKS), st.lists(text, max_size=2).map(tuple), max_size=2),
)
def test_round_trip_with_a_draft_is_the_identity(canvas, entries, flags, draft_blocks):
    activities = (
        tuple(
            replace(a, missing_from_draft=f) for a, f in zip(canvas.activities, flags, strict=False)
        )
        + canvas.activities[len(flags) :]
    )
    canvas = replace(canvas, draft=tuple(entries), activities=activities, draft_blocks=draft_blocks)
    toml_text = to_toml(canvas)
    again = Canvas.from_dict(tomllib.loads(toml_text))
    assert again == canvas
    assert to_toml(again) == toml_text
    assert Canvas.from_dict(json.loads(to_json(canvas))) == canvas
    assert render(again, "md") == render(canvas, "md")
    assert render(again, "html") == render(canvas, "html")


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["draft"][0].update(verdict="great"), "draft[0].verdict"),
        (lambda d: d["draft"][0].pop("text"), "draft[0].text"),
        (lambda d: d["draft"][0].update(line=-1), "draft[0].line"),
        (lambda d: d["draft"][0].update(label="marketing"), "draft[0].label"),
        (lambda d: d.update(draft={"text": "x"}), "draft"),
        (lambda d: d["key_activities"][0].update(missing_from_draft="yes"), "missing_from_draft"),
        (lambda d: d.update(draft_blocks={"nine": ["x"]}), "draft_blocks.nine"),
        (lambda d: d.update(draft_blocks={"channels": "x"}), "draft_blocks.channels"),
    ],
)
def test_a_broken_draft_in_a_canvas_file_names_the_key(bank, change, where):
    data = saas_canvas(bank).to_dict()
    change(data)
    with pytest.raises(CanvasFileError, match=where.replace("[", r"\[").replace("]", r"\]")):
        Canvas.from_dict(data)


def test_markdown_and_html_show_kept_added_and_dropped_and_why(bank):
    canvas = saas_canvas(bank)
    md = render(canvas, "md")
    section = md[md.index("## Your draft") : md.index("## Business type")]
    assert "**Kept from your draft**" in section
    assert "- customer support → Customer support: Your answers need it" in section
    assert "**Added: your answers need these, your draft lacks them**" in section
    assert "- Software development (Platform / network):" in section
    assert "**Dropped, and why**" in section
    assert "- HR (*generic work*): Hiring, paying" in section
    html = render(canvas, "html")
    assert "<h3>Kept from your draft</h3>" in html
    assert "<h3>Dropped, and why</h3>" in html
    assert "<strong>R&amp;D</strong>" in html


def test_drafted_text_is_data_in_every_export(bank):
    canvas = saas_canvas(
        bank, "- # Heading? <script>x</script> [bold]y[/bold] | pipe\n- Sales if a < b & c"
    )
    md = render(canvas, "md")
    line = next(x for x in md.splitlines() if "pipe" in x)
    assert line.startswith("- ") and "\\# Heading" in line and "\\|" in line
    assert "\\[bold\\]" in line
    html = render(canvas, "html")
    assert "<script>" not in html and "[bold]y[/bold]" in html
    assert "Sales if a &lt; b &amp; c" in html


def test_the_other_blocks_of_a_draft_canvas_fill_the_canvas_marked_as_the_founders(bank):
    draft = (
        "## Key Partners\n- Stripe\n\n## Key Activities\n- Software development\n\n"
        "## Channels\n- Restaurant trade fairs\n"
    )
    canvas = saas_canvas(bank, draft)
    assert "Stripe" in canvas.blocks["key_partners"]
    assert "Restaurant trade fairs" in canvas.blocks["channels"]
    assert canvas.blocks["channels"][0] != "Restaurant trade fairs"  # after the answers'
    assert canvas.draft_blocks == {
        "key_partners": ("Stripe",),
        "channels": ("Restaurant trade fairs",),
    }
    md = render(canvas, "md")
    assert "- Restaurant trade fairs *(from your draft)*" in md
    assert '<li>Stripe <span class="status">from your draft</span></li>' in render(canvas, "html")
    assert "draft_blocks" not in saas_canvas(bank).to_dict()


def test_the_canvas_gives_a_named_partners_work_its_fees_not_its_kit(bank):
    # issue 11's roles in the derived blocks: the haulier's lorries are not our resource
    catalogue = default_catalogue()
    answers = {
        "value_proposition.offer": "We mine and grade anthracite for steam railways and forges. "
        "Hughes Haulage from Ammanford collects the loads at the screens.",
    }
    canvas = saas_canvas(bank, None, answers)  # the same builder, no draft
    logistics = catalogue.get("logistics-and-distribution")
    assert logistics is not None
    assert "logistics-and-distribution" in {a.id for a in canvas.activities}
    assert not set(logistics.resources) & set(canvas.blocks["key_resources"])
    assert not set(logistics.costs) & set(canvas.blocks["cost_structure"])
    assert any("Hughes Haulage's fees" in c for c in canvas.blocks["cost_structure"])
