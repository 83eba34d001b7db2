"""`canvas-tui run` and `bank check`: exit codes, one-line errors, notes on stderr."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from canvas_tui.cli import main
from canvas_tui.resources import default_bank_dir
from tests.conftest import write

GOOD = """\
title = "Acme Tutors"
[answers]
"value_proposition.offer" = "We tutor children in maths after school."
"channels.reach" = "Parents find us through school newsletters and book on our website."
"relationships.style" = "Personal: each family keeps the same tutor all year."
"revenue.model" = "A monthly subscription for weekly lessons."
"""


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_run_prints_a_canvas_toml_to_stdout(tmp_path, capsys):
    answers = write(tmp_path / "a.toml", GOOD)
    code, out, err = run(capsys, "run", str(answers))
    assert code == 0
    canvas = tomllib.loads(out)
    assert canvas["schema"] == "canvas-tui/1"
    assert canvas["meta"]["title"] == "Acme Tutors"
    assert canvas["meta"]["bank"] == "default"
    assert canvas["meta"]["generator"].startswith("canvas-tui ")
    assert canvas["answers"]["revenue.model"] == "A monthly subscription for weekly lessons."
    assert canvas["blocks"]["revenue_streams"] == ["A monthly subscription for weekly lessons."]
    assert set(canvas["blocks"]) == {
        "customer_segments",
        "value_propositions",
        "channels",
        "customer_relationships",
        "revenue_streams",
        "key_resources",
        "key_activities",
        "key_partners",
        "cost_structure",
    }
    assert canvas["business_type"]["dominant"] in {
        "production",
        "problem_solving",
        "platform_network",
        "unknown",
    }
    # unanswered questions are skipped with a note, not an error
    assert "note: skipped" in err and "value_proposition.customers" in err
    assert "Traceback" not in err


def test_run_json_and_output_file(tmp_path, capsys):
    answers = write(tmp_path / "a.toml", GOOD)
    target = tmp_path / "canvas.json"
    code, out, _ = run(capsys, "run", str(answers), "-o", str(target))
    assert code == 0 and out == ""
    assert json.loads(target.read_text())["meta"]["title"] == "Acme Tutors"


def test_run_title_defaults_to_the_file_name(tmp_path, capsys):
    answers = write(tmp_path / "bike-shop.toml", GOOD.replace('title = "Acme Tutors"\n', ""))
    code, out, _ = run(capsys, "run", str(answers))
    assert code == 0 and tomllib.loads(out)["meta"]["title"] == "bike-shop"


def test_source_date_epoch_makes_output_reproducible(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    answers = write(tmp_path / "a.toml", GOOD)
    _, first, _ = run(capsys, "run", str(answers))
    _, second, _ = run(capsys, "run", str(answers))
    assert first == second
    assert tomllib.loads(first)["meta"]["created"] == "2023-11-14T22:13:20Z"


def test_unquoted_dotted_keys_are_accepted(tmp_path, capsys):
    answers = write(tmp_path / "a.toml", '[answers]\nvalue_proposition.offer = "Bikes"\n')
    code, out, _ = run(capsys, "run", str(answers))
    assert code == 0 and tomllib.loads(out)["answers"] == {"value_proposition.offer": "Bikes"}


def test_unknown_ids_warn_but_do_not_fail(tmp_path, capsys):
    text = (
        GOOD + '"valu_proposition.offer" = "typo"\n"channels.instagram" = "We post reels daily"\n'
    )
    code, out, err = run(capsys, "run", str(write(tmp_path / "a.toml", text)))
    assert code == 0
    assert (
        "warning: unknown question id 'valu_proposition.offer' ignored (did you mean 'value_proposition.offer'?)"
        in err
    )
    # an unknown id under a known set is still used
    assert tomllib.loads(out)["answers"]["channels.instagram"] == "We post reels daily"


def test_follow_up_answer_is_used_even_if_its_condition_does_not_hold(tmp_path, capsys):
    text = (
        GOOD.replace("A monthly subscription", "One-off fees")
        + '"revenue.churn" = "We call them"\n'
    )
    code, out, err = run(capsys, "run", str(write(tmp_path / "a.toml", text)))
    assert code == 0 and tomllib.loads(out)["answers"]["revenue.churn"] == "We call them"
    assert "'revenue.churn' answered although its condition does not hold" in err


BAD_ANSWERS = {
    "missing": (None, "answers file not found"),
    "empty": ("", "the file is empty"),
    "blank": ("   \n\n", "the file is empty"),
    "not_toml": ('[answers]\n"value_proposition.offer" = "unclosed\n', "not valid TOML"),
    "no_answers": ('title = "x"\n', "no [answers] table"),
    "answers_not_table": ('answers = "x"\n', "'answers' must be a table"),
    "not_string": (
        '[answers]\n"revenue.model" = 12\n',
        "the answer to 'revenue.model' is a int, not text",
    ),
    "list_answer": ('[answers]\n"revenue.model" = ["a", "b"]\n', "is a list, not text"),
    "title_not_string": ("title = 3\n[answers]\n", "'title' must be a string"),
}


@pytest.mark.parametrize("case", sorted(BAD_ANSWERS))
def test_bad_answers_file_exits_2_with_one_line(tmp_path, capsys, case):
    content, expected = BAD_ANSWERS[case]
    path = tmp_path / f"{case}.toml"
    if content is not None:
        path.write_text(content)
    code, out, err = run(capsys, "run", str(path))
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"canvas-tui: {path}")
    assert expected in lines[0]


def test_bad_answer_names_the_line(tmp_path, capsys):
    path = write(
        tmp_path / "a.toml", '[answers]\n"value_proposition.offer" = "ok"\n"revenue.model" = 12\n'
    )
    _, _, err = run(capsys, "run", str(path))
    assert f"{path}:3:" in err


def test_non_utf8_answers(tmp_path, capsys):
    path = tmp_path / "a.toml"
    path.write_bytes(b'[answers]\n"value_proposition.offer" = "caf\xe9"\n')
    code, _, err = run(capsys, "run", str(path))
    assert code == 2 and "not UTF-8" in err and len(err.strip().splitlines()) == 1


def test_answers_file_is_a_folder(tmp_path, capsys):
    code, _, err = run(capsys, "run", str(tmp_path))
    assert code == 2 and "is a folder" in err


def test_bank_that_does_not_exist(tmp_path, capsys):
    answers = write(tmp_path / "a.toml", GOOD)
    code, _, err = run(capsys, "run", str(answers), "--bank", str(tmp_path / "nope"))
    assert code == 2
    assert (
        err.strip() == f"canvas-tui: {tmp_path / 'nope'}: question bank folder does not exist "
        "(pass the folder that holds the set files, e.g. --bank my_bank/)"
    )


def test_bank_with_a_broken_file(tmp_path, capsys):
    answers = write(tmp_path / "a.toml", GOOD)
    bank = tmp_path / "bank"
    write(bank / "value_proposition.toml", 'id = "value_proposition"\ntitle = \n')
    code, _, err = run(capsys, "run", str(answers), "--bank", str(bank))
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert f"{bank / 'value_proposition.toml'}:2: not valid TOML" in err


def test_unwritable_output(tmp_path, capsys):
    answers = write(tmp_path / "a.toml", GOOD)
    blocker = write(tmp_path / "file", "x")
    code, _, err = run(capsys, "run", str(answers), "-o", str(blocker / "out.toml"))
    last = err.strip().splitlines()[-1]
    assert (
        code == 2
        and last
        == f"canvas-tui: {blocker / 'out.toml'}: cannot write here: {blocker} is a file, not a folder"
    )


def test_bank_check_ok_and_problems(tmp_path, capsys):
    code, out, _ = run(capsys, "bank", "check", str(default_bank_dir()))
    assert code == 0 and "OK" in out and "4 sets" in out
    bank = tmp_path / "bank"
    write(
        bank / "a.toml",
        'id = "value_proposition"\n[[questions]]\nid = "x"\n[[questions]]\nid = "x"\nprompt = "?"\n',
    )
    code, _, err = run(capsys, "bank", "check", str(bank))
    assert code == 2
    lines = err.strip().splitlines()
    assert any("set has no title" in line for line in lines)
    assert any(":2: question 'x' has no prompt" in line for line in lines)
    assert any(":4: duplicate question id" not in line for line in lines)
    assert lines[-1] == f"canvas-tui: {len(lines) - 1} problem(s) in {bank}"


def test_bank_new_copies_a_checkable_bank(tmp_path, capsys):
    target = tmp_path / "restaurants"
    code, out, _ = run(capsys, "bank", "new", str(target))
    assert code == 0 and "bank check" in out
    assert (target / "bank.toml").read_text().count('id = "restaurants"') == 1
    code, out, _ = run(capsys, "bank", "check", str(target))
    assert code == 0, out
    code, _, err = run(capsys, "bank", "new", str(target))
    assert code == 2 and "not empty" in err


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith("canvas-tui ")


def test_internal_errors_are_one_line(monkeypatch, tmp_path, capsys):
    import canvas_tui.core.headless as headless

    def boom(*args, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(headless, "infer", boom)
    code, _, err = run(capsys, "run", str(write(tmp_path / "a.toml", GOOD)))
    assert code == 1
    assert (
        err.strip()
        == "canvas-tui: internal error: RuntimeError: kaboom (set CANVAS_TUI_DEBUG=1 for the traceback)"
    )


def test_the_answers_file_example_in_the_contract_parses(tmp_path, capsys):
    """The shape in docs/contracts.md §2, copied literally."""
    text = Path(__file__).parent.joinpath("../data/contract_answers.toml").read_text()
    code, out, _ = run(capsys, "run", str(write(tmp_path / "c.toml", text)))
    assert code == 0 and len(tomllib.loads(out)["answers"]) == 5


@pytest.mark.parametrize("command", ["run", "export"])
def test_output_into_a_missing_folder_exits_2_and_creates_nothing(tmp_path, capsys, command):
    answers = write(tmp_path / "a.toml", GOOD)
    source = answers
    if command == "export":
        assert run(capsys, "run", str(answers), "-o", str(tmp_path / "c.toml"))[0] == 0
        source = tmp_path / "c.toml"
    target = tmp_path / "nonexistent" / "dir" / "x.md"
    code, _, err = run(capsys, command, str(source), "-o", str(target))
    assert code == 2
    assert (
        err.strip()
        .splitlines()[-1]
        .startswith(f"canvas-tui: {target}: the folder {target.parent} does not exist (")
    )
    assert not (tmp_path / "nonexistent").exists()


def test_template_lists_every_question_and_runs_as_it_is(tmp_path, capsys):
    from canvas_tui.core.interview.bank_loader import load_default_bank

    code, out, _ = run(capsys, "run", "--template")
    assert code == 0
    bank = load_default_bank()
    parsed = tomllib.loads(out)["answers"]
    assert set(parsed) == {q.id for q in bank.questions}
    for question in bank.questions:  # each id under its prompt
        block = out.split(f'"{question.id}" = ""')[0]
        assert question.prompt.splitlines()[-1] in block.rsplit("\n\n", 1)[-1]
    template = write(
        tmp_path / "t.toml",
        out.replace('"revenue.model" = ""', '"revenue.model" = "a subscription"'),
    )
    assert run(capsys, "run", str(template))[0] == 0


def test_run_without_a_file_says_so(capsys):
    code, _, err = run(capsys, "run")
    assert code == 2 and "no answers file given" in err and "--template" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "a.toml"],
        ["run", "a.toml", "-o", "out.md", "--format", "md", "--bank", "b"],
        ["run", "--template"],
        ["run", "--draft", "d.md", "a.toml"],
    ],
)
def test_the_run_only_parser_parses_as_the_whole_one(argv):
    """`main` builds only run's parser for `canvas-tui run ...`: the same namespace."""
    from canvas_tui.cli import build_parser

    assert vars(build_parser("run").parse_args(argv)) == vars(build_parser().parse_args(argv))


def test_the_run_only_parser_has_runs_help(capsys):
    from canvas_tui.cli import build_parser

    said = []
    for parser in (build_parser("run"), build_parser()):
        with pytest.raises(SystemExit):
            parser.parse_args(["run", "--help"])
        said.append(capsys.readouterr().out)
    assert said[0] == said[1] and "--draft FILE" in said[0]


def test_the_run_only_parser_reports_errors_as_the_whole_one(capsys):
    from canvas_tui.cli import build_parser

    said = []
    for parser in (build_parser("run"), build_parser()):
        with pytest.raises(SystemExit):
            parser.parse_args(["run", "--format", "xml", "a.toml"])
        said.append(capsys.readouterr().err)
    assert said[0] == said[1] and "invalid choice: 'xml'" in said[0]


def test_the_programs_run_ends_at_once_with_everything_written(tmp_path, capsys, monkeypatch):
    """`canvas-tui run` as the program ends the process when done (cli._end_now): its
    stdout, stderr and exit status are those of the same run called in-process."""
    import os
    import subprocess
    import sys

    from tests.conftest import REPO

    answers = REPO / "tests" / "data" / "contract_answers.toml"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    env = {
        **os.environ,
        "CANVAS_TUI_HOME": str(tmp_path / "home"),
        "CANVAS_TUI_CACHE": str(tmp_path / "cache"),
    }
    for status, argv in ((0, [str(answers)]), (2, [str(tmp_path / "missing.toml")])):
        done = subprocess.run(
            [sys.executable, "-m", "canvas_tui", "run", *argv],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
            check=False,
        )
        assert main(["run", *argv]) == status == done.returncode
        said = capsys.readouterr()
        assert (done.stdout, done.stderr) == (said.out, said.err)
        assert said.err  # the skipped-questions note, or the missing file


def test_ending_at_once_waits_for_nothing_it_would_cut_short(monkeypatch):
    """_end_now ends the process only when no other thread runs (a normal exit waits)."""
    import threading

    from canvas_tui import cli

    ended: list[int] = []
    monkeypatch.setattr(cli.os, "_exit", ended.append)
    release = threading.Event()
    worker = threading.Thread(target=release.wait)
    worker.start()
    try:
        cli._end_now(3)
        assert ended == []  # another thread runs: the interpreter ends as usual
    finally:
        release.set()
        worker.join()
    cli._end_now(3)
    assert ended == [3]
