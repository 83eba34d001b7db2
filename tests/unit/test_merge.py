"""`canvas-tui merge`: per-activity counts, spread, disagreements, the consensus canvas."""

from __future__ import annotations

import itertools
import json
import tomllib
from pathlib import Path

import pytest

from canvas_tui.cli import main
from canvas_tui.core.errors import CanvasTuiError
from canvas_tui.core.exports.render import read_canvas, to_toml
from canvas_tui.core.interview.session import CustomActivity, SessionStore
from canvas_tui.core.team.merge import merge_canvases
from canvas_tui.core.team.merge_inputs import check_inputs, participant_names
from canvas_tui.core.team.merge_model import UNPRIORITISED, Participant
from canvas_tui.core.team.merge_output import render_merge
from tests.conftest import REPO, write
from tests.data.facilitator.build import activity, canvas, team

TEAM = REPO / "tests" / "data" / "facilitator" / "team"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def kept(activity_id: str, category: str = "production", **kw):
    """An activity the participant kept (accepted; a top-three pick is accepted too)."""
    return activity(activity_id, category, status="accepted", **kw)


def merged(canvases: dict[str, object]):
    names = participant_names([c.title for c in canvases.values()], list(canvases))
    people = [Participant(n, s, c) for n, (s, c) in zip(names, canvases.items(), strict=True)]
    return merge_canvases(people, created="2026-01-01T00:00:00Z")


def test_team_consensus_counts_and_spread():
    m = merged(team())
    assert [a.id for a in m.consensus] == [
        "manufacturing",
        "software-development",
        "quality-control",
    ]
    roasting = m.stats("manufacturing")
    assert roasting.named_by == ("Ana", "Ben", "Chen") and roasting.rejected_by == ()
    assert roasting.priorities == {"Ana": 1, "Ben": 2, "Chen": 1}
    assert roasting.mean_priority == pytest.approx(4 / 3)
    assert roasting.priority_spread == {1: 2, 2: 1}
    qc = m.stats("quality-control")
    assert qc.named_by == ("Ana", "Chen") and qc.rejected_by == ("Ben",)
    software = m.stats("software-development")
    assert software.categories == {"production": ("Ben",), "platform_network": ("Ana",)}
    assert software.category == "production"  # a tie goes to whoever ranked it highest (Ben: 1)
    others = {a.id: a for a in m.others}
    assert set(others) == {"customer-support", "recurring-billing", "order-fulfillment"}
    assert others["customer-support"].absent == ("Chen",)
    assert others["order-fulfillment"].listed_by == ("Ana",)  # suggested, never reviewed


def test_team_disagreements():
    m = merged(team())
    found = {(d.kind, d.activity): d for d in m.disagreements}
    assert set(found) == {
        ("rejected", "quality-control"),
        ("rejected", "customer-support"),
        ("category", "software-development"),
    }
    assert (
        found["rejected", "quality-control"].message
        == "Chen (priority 2), Ana (priority 3) put it in the top three; Ben rejected it"
    )
    assert found["category", "software-development"].sides == (
        ("Production", ("Ben",)),
        ("Platform / network", ("Ana",)),
    )
    # disagreements become canvas warnings, so exports of the team canvas show them
    kinds = [w.kind for w in m.canvas.warnings]
    assert kinds == ["disagreement"] * 3 + ["strategic_split"] * 3


def test_priority_spread_and_business_type_disagreements():
    a = canvas("A", [kept("x", priority=1)], dominant="production")
    b = canvas(
        "B",
        [kept("y", priority=1), kept("x")],
        dominant="platform_network",
        mix={"production": 0.1, "problem_solving": 0.1, "platform_network": 0.8},
    )
    m = merged({"a.toml": a, "b.toml": b})
    kinds = {(d.kind, d.activity) for d in m.disagreements}
    assert ("priority", "x") in kinds and ("business_type", "") in kinds
    spread = next(d for d in m.disagreements if d.kind == "priority")
    assert spread.sides == (("priority 1", ("A",)), ("named, not in the top three", ("B",)))


def test_consensus_canvas_is_a_valid_canvas_with_attributed_evidence(tmp_path):
    m = merged(team())
    path = write(tmp_path / "team.toml", render_merge(m, "toml"))
    again = read_canvas(path)  # the canvas-tui/1 reader accepts it
    assert [a.id for a in again.activities] == [a.id for a in m.consensus]
    assert [a.priority for a in again.activities] == [1, 2, 3]
    assert again.blocks["key_activities"] == ("Roasting", "Software development", "Quality control")
    assert again.blocks["customer_segments"] == ("Offices", "Cafés")  # union, first wording
    data = tomllib.loads(path.read_text())
    roasting = data["key_activities"][0]
    assert [(e["participant"], e["quote"]) for e in roasting["evidence"]] == [
        ("Ana", "we roast every week"),
        ("Ben", "small-batch roasting"),
        ("Chen", "roasting is the heart of it"),
    ]
    assert roasting["kpis"] == ["cost per kilo", "roasts per week"]
    table = data["merge"]
    assert table["format"] == "canvas-tui-merge/1" and table["participants_count"] == 3
    assert table["unprioritised_counts_as"] == UNPRIORITISED and "tie" in table["rule"]
    stats = {a["id"]: a for a in table["activities"]}
    assert stats["quality-control"]["rejected_by"] == ["Ben"]
    assert stats["quality-control"]["rank"] == 3 and stats["customer-support"]["rank"] == 0
    assert {v["participant"]: v["priority"] for v in stats["manufacturing"]["votes"]} == {
        "Ana": 1,
        "Ben": 2,
        "Chen": 1,
    }
    assert "mean_priority" in stats["manufacturing"]
    # a business type mix that sums to 1
    assert sum(data["business_type"]["mix"].values()) == pytest.approx(1.0)
    assert table["blocks"]["customer_segments"][0] == {
        "item": "Offices",
        "participants": ["Ana", "Ben"],
    }


def test_threshold_is_at_least_half():
    four = {
        f"{n}.toml": canvas(n, [kept("common")] + ([kept("pair")] if n in "ab" else []))
        for n in "abcd"
    }
    m = merged(four)
    assert {a.id for a in m.consensus} == {"common", "pair"}  # 2 of 4 is half
    three = {
        f"{n}.toml": canvas(n, [kept("solo") if n == "a" else kept(f"own-{n}")]) for n in "abc"
    }
    assert merged(three).consensus == ()  # 1 of 3 is less than half


def test_unprioritised_counts_as_four_and_ties_are_broken_by_count_then_score_then_id():
    # x: priorities 3 and none -> mean 3.5; y: named once at 3 by a, once by b at 4 -> 3.5
    a = canvas("A", [kept("x", priority=3), kept("y"), kept("z", score=0.9)])
    b = canvas("B", [kept("x"), kept("y", priority=3), kept("w", score=0.2)])
    c = canvas("C", [kept("w", score=0.2), kept("z", score=0.9)])
    m = merged({"a.toml": a, "b.toml": b, "c.toml": c})
    means = {s.id: s.mean_priority for s in m.activities}
    assert means["x"] == means["y"] == 3.5
    assert means["z"] == means["w"] == UNPRIORITISED
    # x and y tie on everything but the id; z beats w on score (both named by 2)
    assert [s.id for s in m.consensus] == ["x", "y", "z", "w"]


def test_result_does_not_depend_on_file_order():
    base = team()
    results = set()
    for order in itertools.permutations(base.items()):
        m = merged(dict(order))
        results.add(tuple((a.id, a.rank, len(a.named_by)) for a in m.activities if a.consensus))
    assert len(results) == 1


def test_participant_names():
    assert participant_names(["Ana", "Ben"], ["x/a.toml", "x/b.toml"]) == ["Ana", "Ben"]
    # a team titles every canvas after the business: file names then
    assert participant_names(["Acme", "Acme", "Solo"], ["ana.toml", "ben.toml", "c.toml"]) == [
        "ana",
        "ben",
        "Solo",
    ]
    assert participant_names(["Acme", "Acme"], ["a/x.toml", "b/x.toml"]) == ["x", "x (2)"]
    assert participant_names(["", "x (2)", "x", "x"], ["p.toml", "q", "x.toml", "y/x.toml"]) == [
        "p",
        "x (2)",
        "x",
        "x (3)",
    ]


def test_check_inputs():
    a, b = canvas("a"), canvas("b")
    assert check_inputs([("a", a), ("b", b)]) == ("default",)
    with pytest.raises(CanvasTuiError, match="no canvases to merge"):
        check_inputs([])
    with pytest.raises(CanvasTuiError, match="at least two canvases, got one"):
        check_inputs([("a", a)])
    with pytest.raises(CanvasTuiError, match="b has the same content as a"):
        check_inputs([("a", a), ("b", a)])
    mixed = [("a.toml", a), ("r.toml", canvas("r", bank="restaurant"))]
    with pytest.raises(CanvasTuiError, match=r"different question banks \(default: a.toml"):
        check_inputs(mixed)
    assert check_inputs(mixed, allow_mixed_banks=True) == ("default", "restaurant")


# --------------------------------------------------------------------------- the command


def test_cli_markdown_report(capsys):
    code, out, err = run(capsys, "merge", *sorted(TEAM.glob("*.toml")))
    assert code == 0 and err == ""
    assert out.startswith("# Team canvas (3 participants)\n")
    for part in (
        "## Participants",
        "## Consensus: the team's key activities",
        "| 1 | **Roasting** | Production | 3 of 3 | 1.33 | 1 ×2, 2 ×1 | Production ×3 |",
        "## Where the team disagrees",
        "- **Quality control** (rejected): Chen (priority 2), Ana (priority 3) put it",
        "## Named by fewer than half",
        "“we roast every week” — Ana (`value_proposition.offer`)",
        "- Offices — Ana, Ben",
    ):
        assert part in out, part


def test_cli_folder_argument_and_outputs(tmp_path, capsys):
    for name, fmt in (("team.toml", "toml"), ("team.json", "json"), ("team.md", "md")):
        target = tmp_path / name
        code, out, err = run(capsys, "merge", TEAM, "-o", target, "--title", "Roasters")
        assert code == 0 and out == ""
        assert f"merged 3 canvases into {target}: 3 consensus activities, 3 disagreement(s)" in err
        text = target.read_text()
        if fmt == "toml":
            assert tomllib.loads(text)["meta"]["title"] == "Roasters"
        elif fmt == "json":
            assert json.loads(text)["merge"]["participants_count"] == 3
        else:
            assert text.startswith("# Roasters\n")


def test_merged_canvas_can_be_exported_diffed_and_merged_again(tmp_path, capsys):
    team_file = tmp_path / "team.toml"
    assert run(capsys, "merge", TEAM, "-o", team_file)[0] == 0
    code, out, _ = run(capsys, "export", team_file, "--format", "json")
    assert code == 0 and json.loads(out)["schema"] == "canvas-tui/1"
    code, out, _ = run(capsys, "diff", TEAM / "ana.toml", team_file, "--format", "json")
    assert code == 0 and json.loads(out)["changed"] is True
    other = write(tmp_path / "other-team.toml", to_toml(canvas("Other team", [activity("sales")])))
    code, out, _ = run(capsys, "merge", team_file, other, "--format", "json")
    assert code == 0
    names = [p["name"] for p in json.loads(out)["merge"]["participants"]]
    assert names == ["Team canvas (3 participants)", "Other team"]


def test_cli_mixed_banks_refused_then_allowed(tmp_path, capsys):
    other = write(tmp_path / "r.toml", to_toml(canvas("R", [activity("x")], bank="restaurant")))
    code, out, err = run(capsys, "merge", TEAM / "ana.toml", other)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "different question banks (default: ana.toml; restaurant: r.toml)" in err
    assert "--allow-mixed-banks" in err
    code, out, err = run(capsys, "merge", TEAM / "ana.toml", other, "--allow-mixed-banks")
    assert code == 0 and "warning: merging canvases of different banks: default, restaurant" in err
    code, out, _ = run(
        capsys, "merge", TEAM / "ana.toml", other, "--allow-mixed-banks", "--format", "json"
    )
    assert json.loads(out)["meta"]["bank"] == "default+restaurant"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], "no canvases to merge"),
        (["ana"], "merge needs at least two canvases, got one"),
        (["ana", "ana"], "is given twice"),
        (["ana", "copy"], "has the same content as"),
        (["ana", "answers"], "schema: missing"),
        (["ana", "missing"], "canvas file not found"),
        (["ana", "broken"], "not valid TOML"),
        (["empty_dir"], "no canvases to merge"),
    ],
)
def test_cli_error_paths_exit_2_with_one_line(tmp_path, capsys, argv, expected):
    files = {
        "ana": TEAM / "ana.toml",
        "copy": write(tmp_path / "copy.toml", (TEAM / "ana.toml").read_text()),
        "answers": write(tmp_path / "answers.toml", '[answers]\n"revenue.model" = "x"\n'),
        "missing": tmp_path / "missing.toml",
        "broken": write(tmp_path / "broken.toml", "schema = [\n"),
        "empty_dir": tmp_path / "empty",
    }
    files["empty_dir"].mkdir()
    code, out, err = run(capsys, "merge", *(files[a] for a in argv))
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("canvas-tui: ")
    assert expected in lines[0]


def test_cli_writes_the_team_canvas_as_html(tmp_path, capsys, monkeypatch):
    # a fixed clock: the page is written twice below and must be the same both times
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    target = tmp_path / "team.html"
    code, out, err = run(capsys, "merge", TEAM, "-o", target)
    assert code == 0 and out == "" and "merged 3 canvases into" in err
    page = target.read_text()
    # the single-canvas page: the same grid, blocks and print rules
    assert page.startswith("<!DOCTYPE html>") and "@page { size: landscape" in page
    assert page.count('<section class="block block-') == 9
    assert "Business Model Canvas · team" in page
    # who said what, next to each entry of the grid
    assert '<li>Offices<span class="who">Ana, Ben</span></li>' in page
    assert '<li>Market stall<span class="who">Ben</span></li>' in page
    assert (
        'Roasting <span class="badge production">Production</span><span class="who">Ana, Ben, Chen</span>'
        in page
    )
    for part in (
        "<h2>Participants</h2>",
        "<h2>The team's key activities</h2>",
        "<h2>Where the team disagrees</h2>",
        "<h2>Assumptions to validate</h2>",
        '<span class="flag">flagged by Ana</span>',
        "<h2>Facilitator notes</h2>",
        "<cite>Ana · Question value_proposition.offer?</cite>",
        "<h2>Named by fewer than half</h2>",
        "<h3>Revenue model: how the business gets paid</h3>",
        '<p class="quote">“We charge per bag.”<cite>Ben · Question revenue.model?</cite></p>',
    ):
        assert part in page, part
    assert run(capsys, "merge", TEAM, "--format", "html")[1] == page


def test_html_escapes_every_piece_of_user_text():
    evil = "<script>alert(1)</script>"
    a = canvas(
        f"{evil} A",
        [kept("x", name=f"{evil}x", evidence=((MODEL, f"{evil}q"),), kpis=(f"{evil}k",))],
        blocks={"channels": [f"{evil}ch"]},
        answers={MODEL: f"{evil}answer"},
        notes={MODEL: f"{evil}note"},
        assumptions=(MODEL, f"{evil}free"),
    )
    b = canvas("B", [kept("x")])
    page = render_merge(merged({"a.toml": a, "b.toml": b}), "html")
    assert "<script" not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 8


def test_many_participants_are_counted_in_the_grid_and_named_below():
    people = {
        f"p{i}.toml": canvas(f"P{i}", [kept("x")], blocks={"channels": ["Walk-in"]})
        for i in range(5)
    }
    page = render_merge(merged(people), "html")
    assert '<li>Walk-in<span class="who">5 of 5</span></li>' in page
    assert "P0, P1, P2, P3, P4" in page


# --------------------------------------------------------------------------- a workshop folder


def _session(store: SessionStore, title: str, activities: list[tuple[str, str]], focus=None):
    session = store.new(title)
    session.answers["value_proposition.offer"] = f"{title} roasts coffee"
    for activity_id, category in activities:
        session.decisions.custom.append(
            CustomActivity(id=activity_id, name=activity_id[7:].title(), category=category)
        )
    session.decisions.focus = focus
    store.save(session)
    return session


def test_cli_merges_a_workshop_folder(tmp_path, capsys):
    workshop = tmp_path / "workshop"
    store = SessionStore(workshop)
    _session(store, "Ana", [("custom-roasting", "production"), ("custom-app", "platform_network")])
    _session(store, "Ben", [("custom-roasting", "production")], focus=["custom-roasting"])
    store.new("Nobody")  # opened the app and left: no answers
    code, out, err = run(capsys, "merge", "--workspace", workshop, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert [p["name"] for p in data["merge"]["participants"]] == ["Ana", "Ben"]
    assert data["merge"]["participants"][0]["source"].endswith(".json")
    consensus = [a["id"] for a in data["key_activities"]]  # with whatever was inferred
    assert {"custom-roasting", "custom-app"} <= set(consensus)
    stats = {a["id"]: a for a in data["merge"]["activities"]}
    assert stats["custom-roasting"]["named_by"] == ["Ana", "Ben"]
    assert stats["custom-app"]["named_by"] == ["Ana"]  # 1 of 2 is half: in the consensus
    assert "has no answers; left out" in err
    code, out, err = run(capsys, "merge", "--workspace", workshop, "--finished-only")
    assert code == 2 and "no canvases to merge" in err and "is unfinished; left out" in err


def test_cli_workspace_that_does_not_exist(tmp_path, capsys):
    code, _, err = run(capsys, "merge", "--workspace", tmp_path / "nope")
    assert code == 2 and "workshop folder does not exist" in err


def test_an_activity_listed_twice_in_one_canvas_counts_once():
    a = canvas("A", [kept("x", priority=1), activity("x", status="rejected")])
    b = canvas("B", [kept("x", priority=2)])
    stats = merged({"a.toml": a, "b.toml": b}).stats("x")
    assert stats.named_by == ("A", "B") and stats.rejected_by == ()


def test_markdown_escapes_names(tmp_path):
    a = canvas("*A* | x", [kept("x", name="<script>", evidence=(("q.id", "a | b"),))])
    b = canvas("B", [kept("x")])
    text = render_merge(merged({"a.toml": a, "b.toml": b}), "md")
    assert "\\*A\\* \\| x" in text and "\\<script\\>" in text and "“a \\| b”" in text
    assert "<script>" not in text


def test_nobody_typed():
    a = canvas("A", dominant="unknown")
    b = canvas("B", [activity("x")], dominant="unknown")
    m = merged({"a.toml": a, "b.toml": b})
    assert m.canvas.dominant == "unknown" and set(m.canvas.mix.values()) == {0.0}
    assert "No participant's answers gave a business type." in render_merge(m, "md")


def test_data_team_files_are_canvases():
    for path in sorted(Path(TEAM).glob("*.toml")):
        assert read_canvas(path).bank == "default"


def test_facilitator_modules_never_import_the_ui_toolkit():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import canvas_tui.core.team.compare, canvas_tui.core.team.merge, canvas_tui.core.team.reports\n"
        "import canvas_tui.core.team.sessions_report, canvas_tui.serve\n"
        "from canvas_tui.cli import main\n"
        f"main(['merge', {str(TEAM)!r}, '--format', 'toml'])\n"
        "main(['diff', *sorted(__import__('glob').glob("
        f"{str(TEAM / '*.toml')!r}))[:2], '--format', 'md'])\n"
        "leaked = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print('LEAKED=' + ','.join(leaked), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().endswith("LEAKED="), result.stderr


def test_the_output_file_is_not_merged_into_itself(tmp_path, capsys):
    import shutil

    folder = tmp_path / "team"
    shutil.copytree(TEAM, folder)
    target = folder / "team.toml"
    assert run(capsys, "merge", folder, "-o", target)[0] == 0
    code, _, err = run(capsys, "merge", folder, "-o", target)  # again: team.toml is there now
    assert code == 0 and f"note: {target} is the output file; left out of the merge" in err
    assert tomllib.loads(target.read_text())["merge"]["participants_count"] == 3


def test_named_means_kept_an_unreviewed_suggestion_does_not_count():
    # A reviewed: kept a0 (a top-three pick) and a5; a1 is in the inferred top three, unreviewed
    a = canvas(
        "A",
        [
            kept("a0", priority=1),
            activity("a1", priority=2),
            kept("a5"),
            activity("a6"),
            activity("a7", status="rejected"),
        ],
    )
    b = canvas("B", [kept("a0", priority=1), activity("a1", priority=2), kept("a6")])
    # C reviewed nothing: listed with what was suggested, not counted
    c = canvas("C", [activity("a0", priority=1), activity("a1", priority=2), activity("a6")])
    m = merged({"a.toml": a, "b.toml": b, "c.toml": c})
    assert m.unreviewed == ("C",) and m.counted == 2
    assert m.stats("a0").named_by == ("A", "B") and m.stats("a0").listed_by == ("C",)
    assert m.stats("a1").named_by == () and m.stats("a1").listed_by == ("A", "B", "C")
    assert m.stats("a5").named_by == ("A",)  # 1 of the 2 counted: half, in the consensus
    assert m.stats("a7").rejected_by == ("A",)
    assert [s.id for s in m.consensus] == ["a0", "a5", "a6"]
    assert all(s.participants == 2 for s in m.activities)
    assert all(x.status == "accepted" for x in m.canvas.activities)
    table = m.to_dict()["merge"]
    assert table["participants_counted"] == 2 and table["unreviewed"] == ["C"]
    a1 = next(x for x in table["activities"] if x["id"] == "a1")
    assert a1["suggested_only_to"] == ["A", "B", "C"] and a1["named"] == 0
    assert {p["name"]: p["counted"] for p in table["participants"]} == {
        "A": True,
        "B": True,
        "C": False,
    }
    report = render_merge(m, "md")
    assert "Not counted: C kept no activity" in report and "the other 2 of 3" in report
    assert "| c.toml | Production | 1. A0; 2. A1 | none: not counted |" in report


def test_nobody_reviewed_gives_no_consensus_and_says_why():
    a = canvas("A", [activity("x", priority=1)])
    b = canvas("B", [activity("x", priority=1)])
    m = merged({"a.toml": a, "b.toml": b})
    assert m.consensus == () and m.counted == 0
    assert "Nobody kept an activity yet" in render_merge(m, "md")


# --------------------------------------------------------------------------- notes, assumptions

OFFER, MODEL = "value_proposition.offer", "revenue.model"


def test_assumptions_and_notes_are_kept_with_who_said_them(tmp_path):
    m = merged(team())
    assert [(a.question, a.answer, a.participants) for a in m.assumptions] == [
        (OFFER, "Small-batch roasting, the cheapest beans in town.", ("Ben",)),
        (MODEL, "Offices pay a monthly subscription.", ("Ana",)),
    ]
    assert m.assumptions[0].prompt == f"Question {OFFER}?"
    assert [(n.participant, n.question, n.text) for n in m.notes] == [
        ("Ben", OFFER, "Ben and Ana describe the same roastery differently."),
        ("Ana", MODEL, "Ask which offices already said yes."),
    ]
    # the team canvas carries them itself, so any export of it shows them
    assert m.canvas.notes == {
        OFFER: "Ben: Ben and Ana describe the same roastery differently.",
        MODEL: "Ana: Ask which offices already said yes.",
    }
    assert m.canvas.assumptions == (
        f"Question {OFFER}?: Small-batch roasting, the cheapest beans in town. (flagged by Ben)",
        f"Question {MODEL}?: Offices pay a monthly subscription. (flagged by Ana)",
    )
    path = write(tmp_path / "team.toml", render_merge(m, "toml"))
    data = tomllib.loads(path.read_text())
    assert data["merge"]["assumptions"][1] == {
        "question": MODEL,
        "prompt": f"Question {MODEL}?",
        "answer": "Offices pay a monthly subscription.",
        "flagged_by": ["Ana"],
    }
    assert data["merge"]["notes"][0]["participant"] == "Ben"
    again = read_canvas(path)
    assert again.notes == m.canvas.notes and again.assumptions == m.canvas.assumptions
    report = render_merge(m, "md")
    assert "## Assumptions to validate" in report and "## Facilitator notes" in report
    assert (
        f"- **Question {MODEL}?** (`{MODEL}`): Offices pay a monthly subscription. — flagged by "
        "Ana" in report
    )
    assert (
        "- **Question value\\_proposition.offer?** — Ben: Ben and Ana describe the same "
        "roastery differently." in report
    )


def test_the_same_flagged_answer_is_listed_once_with_everyone_who_flagged_it():
    answers = {MODEL: "Per  bag", OFFER: "Coffee"}
    a = canvas("A", [kept("x")], answers=answers, assumptions=(MODEL, "Cafés will switch"))
    b = canvas("B", [kept("x")], answers={MODEL: "per bag"}, assumptions=(MODEL,))
    c = canvas("C", [kept("y")], answers={OFFER: "Tea"}, assumptions=(OFFER, MODEL))
    m = merged({"a.toml": a, "b.toml": b, "c.toml": c})
    # C flagged revenue.model, which C did not answer: left out, as the canvas exports do
    assert [(a.question, a.answer, a.participants) for a in m.assumptions] == [
        (MODEL, "Per  bag", ("A", "B")),
        (OFFER, "Tea", ("C",)),
        ("", "Cafés will switch", ("A",)),
    ]
    assert m.canvas.assumptions[-1] == "Cafés will switch (flagged by A)"


def test_no_flag_no_note_says_so():
    m = merged({"a.toml": canvas("A", [kept("x")]), "b.toml": canvas("B", [kept("x")])})
    report = render_merge(m, "md")
    assert "No answer was flagged as an assumption to validate." in report
    assert "## Facilitator notes" not in report
    assert m.to_dict()["merge"]["notes"] == []


def test_notes_and_assumptions_are_escaped_in_markdown():
    a = canvas(
        "A",
        [kept("x")],
        answers={MODEL: "<b>**free**</b> | x"},
        notes={MODEL: "# not a heading\n- nor a list"},
        assumptions=(MODEL,),
    )
    m = merged({"a.toml": a, "b.toml": canvas("B", [kept("x")])})
    report = render_merge(m, "md")
    assert "\\<b\\>\\*\\*free\\*\\*\\</b\\> \\| x — flagged by A" in report
    assert "A: \\# not a heading - nor a list" in report
    assert "<b>" not in report


# --------------------------------------------------------------------------- strategic splits


def test_strategic_splits_name_the_sides_with_who_and_their_quotes():
    m = merged(team())
    splits = {d.kind: d for d in m.splits}
    assert list(splits) == ["value_promise", "revenue_model", "channels"]
    revenue = splits["revenue_model"]
    assert revenue.sides == (("Per item sold", ("Ben",)), ("Subscription", ("Ana",)))
    assert [(q.side, q.participant, q.question, q.quote) for q in revenue.quotes] == [
        ("Per item sold", "Ben", MODEL, "We charge per bag."),
        ("Subscription", "Ana", MODEL, "Offices pay a monthly subscription."),
    ]
    assert revenue.unsaid == ("Chen",)
    assert splits["value_promise"].sides == (("Lowest price", ("Ben",)), ("Best quality", ("Ana",)))
    # both have an app, Ben a market stall too: different choices, reported
    assert splits["channels"].sides == (
        ("Own website and app", ("Ana", "Ben")),
        ("Walk-in and own premises", ("Ben",)),
    )
    table = m.to_dict()["merge"]["splits"]
    assert table[1]["sides"][1] == {
        "said": "Subscription",
        "participants": ["Ana"],
        "quotes": [
            {
                "participant": "Ana",
                "question": MODEL,
                "quote": "Offices pay a monthly subscription.",
            }
        ],
    }
    report = render_merge(m, "md")
    assert "## Strategic splits" in report
    assert (
        "- **Subscription**: Ana\n  - “Offices pay a monthly subscription.” — Ana (`revenue.model`)"
        in report
    )
    assert "- *Nothing said on this:* Chen" in report


def test_splits_read_inflections_and_ignore_negations():
    a = canvas("A", [kept("x")], answers={MODEL: "Monthly subscriptions for offices."})
    b = canvas(
        "B", [kept("x")], answers={MODEL: "We have no subscription: customers pay per order."}
    )
    c = canvas("C", [kept("x")], answers={MODEL: "Subscribers pay every month."})
    m = merged({"a.toml": a, "b.toml": b, "c.toml": c})
    (split,) = m.splits
    assert split.sides == (("Subscription", ("A", "C")), ("Per item sold", ("B",)))


def test_no_split_when_everyone_says_the_same():
    same = {MODEL: "A monthly subscription."}
    m = merged(
        {
            "a.toml": canvas("A", [kept("x")], answers=same),
            "b.toml": canvas("B", [kept("x")], answers={MODEL: "Subscriptions, paid monthly"}),
            "c.toml": canvas("C", [kept("x")]),  # says nothing on it
        }
    )
    assert m.splits == ()
    assert "No strategic split" in render_merge(m, "md")


def test_business_type_split_quotes_each_side_s_evidence():
    a = canvas("A", [kept("x", evidence=((OFFER, "we roast"),))], dominant="production")
    b = canvas(
        "B",
        [kept("app", "platform_network", evidence=((OFFER, "buyers meet sellers in our app"),))],
        dominant="platform_network",
        mix={"production": 0.1, "problem_solving": 0.1, "platform_network": 0.8},
    )
    m = merged({"a.toml": a, "b.toml": b})
    (split,) = m.splits
    assert split.kind == "business_type"
    assert [(q.side, q.participant, q.quote) for q in split.quotes] == [
        ("Platform / network", "B", "buyers meet sellers in our app"),
        ("Production", "A", "we roast"),
    ]
    assert ("business_type", "") in {(d.kind, d.activity) for d in m.disagreements}


def test_the_default_splits_file_loads_and_every_side_has_words():
    from canvas_tui.core.team.splits import default_rules

    rules = [rule for rule, _ in default_rules()]
    assert [r.id for r in rules] == ["value_promise", "revenue_model", "channels"]
    assert all(len(r.sides) >= 2 and all(s.words for s in r.sides) for r in rules)


def test_a_broken_splits_file_is_one_clear_error(tmp_path):
    from canvas_tui.core.team.splits import load_splits

    path = write(
        tmp_path / "splits.toml", '[[split]]\nid = "x"\ntitle = "X"\nblocks = ["chanels"]\n'
    )
    with pytest.raises(CanvasTuiError, match=r"split\[0\].blocks: unknown block 'chanels'"):
        load_splits(path)


def test_a_workshop_merge_keeps_the_sessions_notes_and_flags(tmp_path, capsys):
    workshop = tmp_path / "workshop"
    store = SessionStore(workshop)
    ana = _session(store, "Ana", [("custom-roasting", "production")], focus=["custom-roasting"])
    ana.notes[OFFER] = "Check the roasting capacity."
    ana.assumptions.append(OFFER)
    store.save(ana)
    _session(store, "Ben", [("custom-roasting", "production")], focus=["custom-roasting"])
    code, out, err = run(capsys, "merge", "--workspace", workshop, "--format", "json")
    assert code == 0, err
    table = json.loads(out)["merge"]
    assert table["assumptions"] == [
        {
            "question": OFFER,
            "prompt": table["assumptions"][0]["prompt"],
            "answer": "Ana roasts coffee",
            "flagged_by": ["Ana"],
        }
    ]
    assert table["assumptions"][0]["prompt"]  # the bank's question, as asked
    assert [(n["participant"], n["text"]) for n in table["notes"]] == [
        ("Ana", "Check the roasting capacity.")
    ]


def test_team_canvas_files_escape_invisible_characters_like_the_canvas_exports(tmp_path):
    a = canvas("A\u202eB", [kept("x")], notes={MODEL: "note\u2028x"})
    m = merged({"a.toml": a, "b.toml": canvas("B", [kept("x")])})
    for fmt in ("toml", "json"):
        text = render_merge(m, fmt)
        assert "\u202e" not in text and "\u2028" not in text
        assert "\\u202e" in text
    path = write(tmp_path / "team.toml", render_merge(m, "toml"))
    assert read_canvas(path).notes == {MODEL: "A\u202eB: note\u2028x"}


def test_generated_items_of_the_derived_blocks_are_nobody_s_words():
    a = canvas(
        "A",
        [kept("x")],
        blocks={"key_resources": ["Roasting machines", "Our van"], "key_partners": ["A 3PL"]},
        answers={OFFER: "We deliver with our van."},
    )
    b = canvas(
        "B", [kept("x")], blocks={"key_resources": ["Roasting machines"]}, answers={OFFER: "x"}
    )
    m = merged({"a.toml": a, "b.toml": b})
    assert m.blocks["key_resources"] == (("Our van", ("A",)),)
    assert m.blocks["key_partners"] == ()
    assert m.generated == 3 and m.to_dict()["merge"]["generated_items_left_out"] == 3
    assert "3 item(s)\ncanvas-tui generated" in render_merge(m, "md")


def test_the_room_counts_each_disagreement_once_by_kind():
    from dataclasses import replace

    from canvas_tui.core.team.merge_model import Disagreement

    a = canvas("A", [kept("x", priority=1), kept("y")], dominant="production")
    b = canvas("B", [activity("x", status="rejected"), kept("y")], dominant="problem_solving")
    m = merged({"a.toml": a, "b.toml": b})
    assert {d.kind for d in m.disagreements} == {"rejected", "business_type"}
    assert [d.kind for d in m.splits] == ["business_type"]
    promise = Disagreement("value_promise", "", "Value promise: what customers are promised", "")
    m = replace(m, splits=(*m.splits, promise, promise))
    # the business type is a disagreement and a split: counted once, with the splits
    assert m.split_titles() == ("Business type", "Value promise")
    assert m.activity_disagreements() == (("kept by some, rejected by others", 1),)
