"""The canvas file is the source of truth: TOML → Canvas → TOML (and JSON) is the identity.

The strategies here build arbitrary canvases, with any Unicode text (control characters,
line breaks, Markdown and Jinja syntax included); test_export_escaping.py uses them too.
"""

from __future__ import annotations

import json
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from canvas_tui.core.canvas.model import (
    Activity,
    Canvas,
    CanvasWarning,
    EvidenceRef,
)
from canvas_tui.core.errors import CanvasFileError
from canvas_tui.core.exports.render import read_canvas, render, to_json, to_toml
from canvas_tui.core.inference.infer import CATEGORIES, CORE_TYPES, GUIDING
from canvas_tui.core.interview.bank import BLOCKS

#: Characters that mean something to TOML, JSON, Markdown, HTML or Jinja, and the line
#: breaks and control characters a terminal would act on: drawn far more often than chance.
NASTY = [
    *"|#`*_[]()<>&\\{}%$~^=:!-+.\"' \t\n\r\x00\x07\x08\x0b\x0c\x1b\x1c\x7f\x85\x9b",
    *"\u00a0\u2028\u2029\u202e\ufeff",
    *("{{", "}}", "{%", "%}", "\r\n", "<script>", "&amp;", "1. ", "- ", "```", "\U0001f680"),
]

text = st.lists(st.one_of(st.characters(), st.sampled_from(NASTY)), max_size=12).map("".join)
short_lists = st.lists(text, max_size=3).map(tuple)
unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)

evidence = st.builds(EvidenceRef, question=text, quote=text, rule=text)
activities = st.builds(
    Activity,
    id=text,
    name=text,
    category=st.sampled_from(CATEGORIES),
    score=unit,
    priority=st.integers(min_value=0, max_value=3),
    status=st.sampled_from(("suggested", "accepted", "rejected")),
    evidence=st.lists(evidence, max_size=2).map(tuple),
    rationale=text,
    kpis=short_lists,
    partner_candidate=st.booleans(),
    partner_hint=text,
    serves=st.lists(st.one_of(st.sampled_from(GUIDING), text), max_size=3).map(tuple),
    focus_reason=text,
)
warnings = st.builds(CanvasWarning, kind=text, message=text, activities=short_lists)
str_maps = st.dictionaries(text, text, max_size=3)


@st.composite
def canvases(draw: st.DrawFn) -> Canvas:
    return Canvas(
        title=draw(text),
        created=draw(text),
        bank=draw(text),
        generator=draw(text),
        blocks={b: draw(short_lists) for b in BLOCKS},
        dominant=draw(st.sampled_from((*CORE_TYPES, "unknown"))),
        mix={t: draw(unit) for t in CORE_TYPES},
        activities=tuple(draw(st.lists(activities, max_size=4))),
        answers=draw(str_maps),
        questions=draw(str_maps),
        warnings=tuple(draw(st.lists(warnings, max_size=2))),
        notes=draw(str_maps),
        assumptions=draw(short_lists),
    )


FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(canvases())
def test_toml_and_json_round_trips_are_the_identity(canvas: Canvas) -> None:
    toml_text = to_toml(canvas)
    again = Canvas.from_dict(tomllib.loads(toml_text))
    assert again == canvas
    assert to_toml(again) == toml_text

    json_text = to_json(canvas)
    again = Canvas.from_dict(json.loads(json_text))
    assert again == canvas
    assert to_json(again) == json_text


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(canvases())
def test_markdown_from_the_file_equals_markdown_from_the_canvas(canvas: Canvas) -> None:
    again = Canvas.from_dict(tomllib.loads(to_toml(canvas)))
    assert render(again, "md") == render(canvas, "md")
    assert render(again, "html") == render(canvas, "html")


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_a_file_written_by_an_export_reads_back_unchanged(tmp_path, suffix):
    canvas = Canvas(
        title="Tab\there, nul \x00 and a newline\n",
        created="2025-01-01T00:00:00Z",
        bank="default",
        activities=(Activity("custom-x", "X | y", "supporting", 0.5, 1, "accepted"),),
        answers={"a.b": "{{ 7*7 }}"},
    )
    path = tmp_path / f"canvas{suffix}"
    path.write_text(render(canvas, suffix[1:]), encoding="utf-8")
    assert read_canvas(path) == canvas


def test_coverage_is_derived_not_read():
    canvas = Canvas(
        title="t",
        created="c",
        bank="b",
        activities=(
            Activity("a", "A", "production", serves=("channels",)),
            Activity("r", "R", "production", status="rejected", serves=("channels",)),
        ),
    )
    data = canvas.to_dict()
    assert data["coverage"]["channels"] == ["a"]
    data["coverage"] = {"channels": ["nonsense"]}
    assert Canvas.from_dict(data) == canvas


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d.update(schema="other/2"), "schema"),
        (lambda d: d["meta"].update(title=5), "meta.title"),
        (lambda d: d["blocks"].update(channels="one string"), "blocks.channels"),
        (lambda d: d["blocks"].update(channels=[1, 2]), "blocks.channels"),
        (lambda d: d["business_type"].update(dominant="retail"), "business_type.dominant"),
        (lambda d: d["business_type"]["mix"].update(production="high"), "mix.production"),
        (lambda d: d["business_type"]["mix"].update(production=1.5), "mix.production"),
        (lambda d: d["key_activities"][0].update(score="high"), "key_activities[0].score"),
        (lambda d: d["key_activities"][0].update(score=float("nan")), "key_activities[0].score"),
        (lambda d: d["key_activities"][0].update(priority=True), "key_activities[0].priority"),
        (lambda d: d["key_activities"][0].update(priority=7), "key_activities[0].priority"),
        (lambda d: d["key_activities"][0].update(status="maybe"), "key_activities[0].status"),
        (lambda d: d["key_activities"][0].update(category="x"), "key_activities[0].category"),
        (lambda d: d["key_activities"][0].update(kpis="one"), "key_activities[0].kpis"),
        (
            lambda d: d["key_activities"][0].update(partner_candidate="yes"),
            "key_activities[0].partner_candidate",
        ),
        (lambda d: d["key_activities"][0].update(evidence=["q"]), "key_activities[0].evidence"),
        (lambda d: d.update(key_activities={"a": 1}), "key_activities"),
        (lambda d: d.update(answers={"q": 1}), "answers"),
        (lambda d: d.update(warnings=[{"kind": "x"}]), "warnings[0].message"),
    ],
)
def test_from_dict_names_the_key_of_a_bad_value(change, where):
    data = Canvas(
        title="t",
        created="c",
        bank="b",
        activities=(Activity("a", "A", "production", 0.5),),
    ).to_dict()
    change(data)
    with pytest.raises(CanvasFileError) as info:
        Canvas.from_dict(data, file="c.toml")
    assert str(info.value).startswith("c.toml: ")
    assert where in str(info.value)
