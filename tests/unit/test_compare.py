"""`canvas-tui diff OLD NEW`: what changed, in text, Markdown and JSON; bad files exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from canvas_tui.cli import main
from canvas_tui.core.exports.render import to_toml
from canvas_tui.core.team.compare import diff_canvases, diff_markdown, diff_text
from tests.conftest import REPO, write
from tests.data.facilitator.build import activity, canvas, roaster_2025, roaster_2026

DATA = REPO / "tests" / "data" / "facilitator"
OLD = DATA / "roaster-2025.toml"
NEW = DATA / "roaster-2026.toml"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def save(path: Path, c) -> Path:
    return write(path, to_toml(c))


def test_roaster_diff_finds_every_kind_of_change():
    d = diff_canvases(roaster_2025(), roaster_2026())
    assert [a.id for a in d.added] == ["software-development", "recurring-billing"]
    assert [a.id for a in d.removed] == ["order-fulfillment"]
    moved = {r.id: r for r in d.reranked}
    assert set(moved) == {"manufacturing", "sourcing-and-procurement", "quality-control"}
    assert (moved["manufacturing"].old_priority, moved["manufacturing"].new_priority) == (1, 2)
    assert (moved["quality-control"].old_rank, moved["quality-control"].new_rank) == (3, 4)
    assert {(c.id, c.old, c.new) for c in d.status_changes} == {
        ("quality-control", "suggested", "accepted"),
        ("digital-marketing", "rejected", "accepted"),
    }
    assert [(c.id, c.field) for c in d.edits] == [("manufacturing", "kpis")]
    assert d.focus_old == ("manufacturing", "sourcing-and-procurement", "quality-control")
    assert d.focus_new[0] == "software-development"
    assert d.dominant_changed and d.dominant_new == "platform_network"
    shift = {s.type: s.delta for s in d.mix}
    assert shift == {"production": -0.35, "problem_solving": 0.0, "platform_network": 0.35}
    blocks = {b.block: b for b in d.blocks}
    assert blocks["channels"].added == ("Our app",)
    assert blocks["channels"].removed == ("Direct sales",)
    assert blocks["customer_segments"].added == ("Home workers",)
    assert "value_propositions" not in blocks  # unchanged blocks are not listed


def test_recategorised():
    old = canvas("x", [activity("software-development", "production")])
    new = canvas("x", [activity("software-development", "platform_network")])
    d = diff_canvases(old, new)
    assert [(c.old, c.new) for c in d.recategorised] == [("production", "platform_network")]
    assert "re-categorised: Production -> Platform / network" in diff_text(d)


def test_one_new_activity_on_top_does_not_rerank_the_rest():
    rest = [activity(f"a{i}") for i in range(5)]
    d = diff_canvases(canvas("x", rest), canvas("x", [activity("new"), *rest]))
    assert [a.id for a in d.added] == ["new"] and d.reranked == ()


def test_a_swap_is_a_rerank_of_both():
    a, b = activity("a"), activity("b")
    d = diff_canvases(canvas("x", [a, b]), canvas("x", [b, a]))
    assert {r.id for r in d.reranked} == {"a", "b"}


def test_identical_canvases_have_no_changes():
    d = diff_canvases(roaster_2025(), roaster_2025())
    assert d.empty
    assert diff_text(d).strip().endswith("no changes")
    assert "No changes" in diff_markdown(d)


def test_block_items_compare_whitespace_insensitively():
    old = canvas("x", blocks={"channels": ["Our  app"]})
    new = canvas("x", blocks={"channels": ["Our app"]})
    assert diff_canvases(old, new).blocks == ()


def test_cli_text_is_the_default(capsys):
    code, out, err = run(capsys, "diff", OLD, NEW)
    assert code == 0 and err == ""
    assert out.startswith("--- Northside Roasters")
    assert "+ Software development [software-development] added" in out
    assert "- Order fulfillment [order-fulfillment] removed" in out
    assert "dominant type: Production -> Platform / network" in out


def test_cli_json(capsys):
    code, out, _ = run(capsys, "diff", OLD, NEW, "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["format"] == "canvas-tui-diff/1" and data["changed"] is True
    assert [a["id"] for a in data["activities"]["added"]] == [
        "software-development",
        "recurring-billing",
    ]
    assert data["business_type"]["dominant"] == {
        "old": "production",
        "new": "platform_network",
        "changed": True,
    }
    assert data["business_type"]["mix"]["production"]["delta"] == -0.35
    assert data["blocks"]["revenue_streams"] == {
        "added": ["Monthly subscription"],
        "removed": ["Per-bag sales"],
    }
    assert data["old"]["file"] == str(OLD)


def test_cli_markdown_to_a_file_by_extension(tmp_path, capsys):
    target = tmp_path / "changes.md"
    code, out, _ = run(capsys, "diff", OLD, NEW, "-o", target)
    text = target.read_text()
    assert code == 0 and out == ""
    assert text.startswith("# What changed: Northside Roasters\n")
    for heading in ("### Added", "### Removed", "### Re-ranked", "### Status", "## Blocks"):
        assert heading in text
    assert "| 1 | Roasting | Software development |" in text  # the top three, before/after
    assert "**Production → Platform / network**" in text


def test_markdown_escapes_what_people_wrote(tmp_path):
    old = canvas("A | B", [activity("x", name="*bold* | pipe")])
    new = canvas("A | B", [], blocks={"channels": ["<b>html</b> # not a heading"]})
    text = diff_markdown(diff_canvases(old, new))
    assert "\\*bold\\* \\| pipe" in text
    assert "\\<b\\>html\\</b\\> \\# not a heading" in text
    assert "# What changed: A \\| B" in text


def test_cli_refuses_a_format_it_cannot_write(tmp_path, capsys):
    code, out, err = run(capsys, "diff", OLD, NEW, "-o", tmp_path / "x.html")
    assert code == 2 and out == ""
    assert "'diff' cannot write html (use one of: md, json, text)" in err


def test_different_banks_are_noted(tmp_path, capsys):
    other = save(tmp_path / "other.toml", canvas("x", bank="restaurant"))
    code, _, err = run(capsys, "diff", OLD, other)
    assert code == 0 and "note: the canvases come from different banks (default, restaurant)" in err


BAD = {
    "missing": (None, "canvas file not found"),
    "not_toml": ('schema = "canvas-tui/1\n', "not valid TOML"),
    "answers_file": ('[answers]\n"revenue.model" = "x"\n', "schema: missing"),
    "other_schema": ('schema = "canvas-tui/2"\n', "schema: is 'canvas-tui/2'"),
    "bad_activity": (
        OLD.read_text().replace('status = "accepted"', 'status = "maybe"', 1),
        "status: is 'maybe'",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
@pytest.mark.parametrize("side", ["old", "new"])
def test_bad_file_exits_2_with_one_line(tmp_path, capsys, case, side):
    content, expected = BAD[case]
    bad = tmp_path / f"{case}.toml"
    if content is not None:
        bad.write_text(content)
    args = (bad, NEW) if side == "old" else (OLD, bad)
    code, out, err = run(capsys, "diff", *args)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"canvas-tui: {bad}")
    assert expected in lines[0]


def test_session_json_is_not_a_canvas(tmp_path, capsys):
    session = write(tmp_path / "s.json", json.dumps({"format": "canvas-tui-session/1"}))
    code, _, err = run(capsys, "diff", session, NEW)
    assert code == 2 and "schema: missing (is this a canvas written by canvas-tui?)" in err


def test_a_folder_is_not_a_canvas(tmp_path, capsys):
    code, _, err = run(capsys, "diff", tmp_path, NEW)
    assert code == 2 and "is a folder" in err


ids = st.sampled_from(["a", "b", "c", "d", "e", "f"])
activities = st.lists(
    st.builds(
        activity,
        ids,
        st.sampled_from(["production", "supporting"]),
        priority=st.integers(0, 3),
        status=st.sampled_from(["suggested", "accepted", "rejected"]),
    ),
    max_size=6,
    unique_by=lambda a: a.id,
)


@settings(deadline=None)
@given(activities, activities)
def test_diff_is_symmetric(old, new):
    forward = diff_canvases(canvas("x", old), canvas("x", new))
    backward = diff_canvases(canvas("x", new), canvas("x", old))
    assert {a.id for a in forward.added} == {a.id for a in backward.removed}
    assert {r.id for r in forward.reranked} == {r.id for r in backward.reranked}
    assert forward.empty == backward.empty
    assert diff_canvases(canvas("x", old), canvas("x", old)).empty


def test_data_files_are_what_the_builder_writes():
    from tests.data.facilitator.build import files

    for name, text in files().items():
        assert (DATA / name).read_text(encoding="utf-8") == text, (
            f"{name} is stale: run python -m tests.data.facilitator.build"
        )


# --------------------------------------------------------------------------- two people (--people)

TEAM = DATA / "team"


def test_people_mode_frames_a_comparison_of_what_each_kept():
    from canvas_tui.core.team.people import people_from
    from tests.data.facilitator.build import team

    canvases = team()
    d = people_from(
        canvases["ana.toml"], canvases["ben.toml"], a_file="ana.toml", b_file="ben.toml"
    )
    assert (d.a.name, d.b.name) == ("Ana", "Ben")
    assert d.both == (
        ("manufacturing", "Roasting"),
        ("software-development", "Software development"),
    )
    assert [(o.id, o.other) for o in d.only_a] == [("quality-control", "rejected")]
    assert [(o.id, o.other) for o in d.only_b] == [("customer-support", "rejected")]
    assert d.categories == (
        ("software-development", "Software development", "platform_network", "production"),
    )
    assert [s.kind for s in d.splits] == ["value_promise", "revenue_model", "channels"]
    blocks = {b.block: b for b in d.blocks}
    assert blocks["customer_segments"].both == ("Offices",)
    assert blocks["customer_segments"].only_b == ("Cafés",)
    assert d.unreviewed == 1  # Ana's order fulfilment: a suggestion she never reviewed
    assert not d.agree


def test_people_mode_leaves_out_generated_items_and_unreviewed_suggestions():
    from canvas_tui.core.team.people import people_from

    a = canvas(
        "A",
        [activity("x", status="accepted"), activity("noise-a")],
        blocks={
            "key_resources": ["Roasting machines", "Our own van"],
            "cost_structure": ["Green beans"],
        },
        answers={"channels.reach": "We deliver with our own van."},
    )
    b = canvas(
        "B",
        [activity("x", status="accepted"), activity("noise-b")],
        blocks={
            "key_resources": ["Roasting machines", "Packaging line"],
            "cost_structure": ["Rent"],
        },
        answers={"channels.reach": "Farmers' markets."},
    )
    d = people_from(a, b)
    assert [(x.block, x.only_a, x.only_b, x.both) for x in d.blocks] == [
        ("key_resources", ("Our own van",), (), ())
    ]
    assert d.generated == 5 and d.unreviewed == 2
    assert d.only_a == d.only_b == ()
    # a canvas with no answers at all (a team canvas): every item is its own
    bare = people_from(a, canvas("T", [], blocks={"key_resources": ["Roasting machines"]}))
    assert [(x.block, x.both) for x in bare.blocks] == [("key_resources", ())]
    assert bare.blocks[0].only_b == ("Roasting machines",)


def test_cli_people_text_is_short_and_names_both(capsys):
    code, out, err = run(capsys, "diff", TEAM / "ana.toml", TEAM / "ben.toml", "--people")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith("Comparing two people's canvases: Ana (") and "Ben (" in lines[0]
    for part in (
        "top three of Ana: 1. Roasting  2. Software development  3. Quality control",
        "both kept: Roasting, Software development",
        "only Ana kept: Quality control (Ben rejected it)",
        "category of Software development: Ana: Platform / network; Ben: Production",
        "split: Revenue model: how the business gets paid: Per item sold: Ben; Subscription: Ana",
        "  Ana: “Offices pay a monthly subscription.”",
        "Customer Segments: both: Offices | only Ben: Cafés",
        "left out: 1 suggestion(s) neither reviewed, 0 generated item(s)",
    ):
        assert any(part in line for line in lines), part


def test_cli_people_markdown_and_json(capsys, tmp_path):
    code, out, _ = run(
        capsys, "diff", TEAM / "ana.toml", TEAM / "ben.toml", "--people", "--format", "json"
    )
    data = json.loads(out)
    assert code == 0 and data["format"] == "canvas-tui-compare/1"
    assert data["activities"]["only_a"][0] == {
        "id": "quality-control",
        "name": "Quality control",
        "category": "production",
        "priority": 3,
        "other": "rejected",
    }
    target = tmp_path / "ana-vs-ben.md"
    assert (
        run(capsys, "diff", TEAM / "ana.toml", TEAM / "ben.toml", "--people", "-o", target)[0] == 0
    )
    text = target.read_text()
    assert text.startswith("# Comparing Ana and Ben\n")
    assert "- Quality control (Production, top 3): Ben rejected it" in text
    assert "## Strategic splits" in text and "- **Subscription**: Ana" in text


def test_people_markdown_escapes_user_text():
    from canvas_tui.core.team.people import people_from, render_people

    a = canvas(
        "*A*", [activity("x", status="accepted", name="<b>x</b>")], blocks={"channels": ["a | b"]}
    )
    b = canvas("B", [])
    text = render_people(people_from(a, b), "md")
    assert "\\*A\\*" in text and "\\<b\\>x\\</b\\>" in text and "a \\| b" in text
    assert "<b>" not in text


def test_a_plain_diff_of_two_people_hints_at_people_mode(capsys):
    code, _, err = run(capsys, "diff", TEAM / "ana.toml", TEAM / "ben.toml")
    assert code == 0 and "--people compares them" in err
