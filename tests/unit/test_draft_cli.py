"""`canvas-tui run ANSWERS --draft FILE` and `[draft] key_activities` in the answers file."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from canvas_tui.cli import main
from tests.conftest import write

DRAFTS = Path(__file__).resolve().parents[1] / "data" / "drafts"
SAAS = DRAFTS / "saas.answers.toml"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_run_with_a_draft_file_writes_the_audit_into_the_canvas(capsys):
    code, out, _ = run(capsys, "run", str(SAAS), "--draft", str(DRAFTS / "saas.draft.txt"))
    assert code == 0
    canvas = tomllib.loads(out)
    assert [d["text"] for d in canvas["draft"]][:3] == ["marketing", "sales", "R&D"]
    assert {d["verdict"] for d in canvas["draft"]} == {"supported", "unsupported", "generic"}
    missing = [a["id"] for a in canvas["key_activities"] if a.get("missing_from_draft")]
    drafted = {d["id"] for d in canvas["draft"] if d["verdict"] != "generic"}
    assert "software-development" in missing and not drafted & set(missing)


def test_the_answers_files_draft_table_is_audited_too(tmp_path, capsys):
    answers = write(
        tmp_path / "a.toml",
        SAAS.read_text(encoding="utf-8")
        + '\n[draft]\nkey_activities = ["Software development", "HR"]\n',
    )
    code, out, _ = run(capsys, "run", str(answers), "--format", "json")
    assert code == 0
    canvas = json.loads(out)
    assert [(d["text"], d["verdict"]) for d in canvas["draft"]] == [
        ("Software development", "supported"),
        ("HR", "generic"),
    ]


def test_draft_wins_over_the_answers_files_draft_with_a_note(tmp_path, capsys):
    answers = write(
        tmp_path / "a.toml",
        SAAS.read_text(encoding="utf-8") + '\n[draft]\nkey_activities = ["HR"]\n',
    )
    draft = write(tmp_path / "d.md", "## Key Activities\n- Sales\n")
    code, out, err = run(capsys, "run", str(answers), "--draft", str(draft))
    assert code == 0
    assert [d["text"] for d in tomllib.loads(out)["draft"]] == ["Sales"]
    assert f"--draft {draft} is audited" in err


def test_markdown_output_shows_the_draft_section(capsys):
    code, out, _ = run(
        capsys, "run", str(SAAS), "--draft", str(DRAFTS / "saas.draft.txt"), "--format", "md"
    )
    assert code == 0
    assert "## Your draft, checked against your answers" in out
    assert "**Dropped, and why**" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the draft is empty"),
        (b"\x00\x01binary", "binary data"),
        (b"\xff\xfe not utf-8", "not UTF-8"),
        (b"- " + b"x" * 5000, "5,002 characters on one line"),
        ("\n".join(f"- a{i}" for i in range(10_000)).encode(), "more than 100 activities"),
        (b"## Channels\n- Web\n", "no Key Activities section"),
    ],
    ids=["empty", "binary", "not-utf8", "long-line", "10000-lines", "no-section"],
)
def test_a_bad_draft_is_exit_2_and_one_line_naming_the_file(tmp_path, capsys, content, message):
    draft = tmp_path / "draft.md"
    draft.write_bytes(content)
    code, out, err = run(capsys, "run", str(SAAS), "--draft", str(draft))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and str(draft) in err and message in err
    assert "Traceback" not in err


def test_a_bad_draft_table_in_the_answers_file_is_exit_2_with_its_line(tmp_path, capsys):
    answers = write(
        tmp_path / "a.toml",
        '[answers]\n"value_proposition.offer" = "We roast coffee."\n[draft]\nkey_activities = ["Sales", 3]\n',
    )
    code, _, err = run(capsys, "run", str(answers))
    assert code == 2
    assert err.count("\n") == 1 and f"{answers}:4: " in err and "not text" in err


def test_a_missing_draft_file_and_an_output_over_the_draft_are_refused(tmp_path, capsys):
    code, _, err = run(capsys, "run", str(SAAS), "--draft", str(tmp_path / "nope.md"))
    assert code == 2 and "draft not found" in err
    draft = write(tmp_path / "d.md", "- Sales\n")
    code, _, err = run(capsys, "run", str(SAAS), "--draft", str(draft), "-o", str(draft))
    assert code == 2 and draft.read_text(encoding="utf-8") == "- Sales\n"
