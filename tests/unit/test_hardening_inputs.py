"""Issue 12, input files and bounded work: deep nesting, huge numbers, devices, BOMs,
duplicate keys, bank values that hang or crash, bank new, answer limits, user templates
that would run or grow without bound. Every case: exit 2 and one line, never 1."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from canvas_tui.cli import main
from canvas_tui.core.exports import render as render_module
from canvas_tui.core.interview.answers import MAX_ANSWER_CHARS, MAX_ANSWERS
from canvas_tui.core.interview.bank_safety import regex_problem
from canvas_tui.resources import default_bank_dir

ROOT = Path(__file__).resolve().parents[1]
RICH = ROOT / "data" / "canvases" / "rich.toml"
ANSWERS = ROOT / "data" / "contract_answers.toml"


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "internal error" not in err
    return lines[0]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


DEEP_TOML = "x = " + "[" * 5000 + "]" * 5000 + "\n"
DEEP_JSON = "[" * 5000 + "]" * 5000


# --------------------------------------------------------------------------- answers


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[answers]\n"a.b" = "x"\n' + DEEP_TOML, "nested more than"),
        ('[answers]\n"revenue.model" = "x"\n[deep]\n' + "a = " + "[" * 40 + "]" * 40, "nested"),
        ('[answers]\n"revenue.model" = "x"\nn = ' + "9" * 400 + "\n", "too large"),
        ('[answers]\n"revenue.model" = "x"\nn = ' + "9" * 5000 + "\n", "cannot be read"),
        ('[answers]\n"revenue.model" = "x"\nn = inf\n', "not a finite number"),
    ],
)
def test_hostile_answers_files_exit_2(capsys, tmp_path, text, message):
    code, out, err = cli(capsys, "run", str(write(tmp_path / "a.toml", text)))
    assert (code, out) == (2, "")
    assert message in one_line(err)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_run_dev_zero_is_refused_not_read_forever(capsys):
    code, _, err = cli(capsys, "run", "/dev/zero")
    assert code == 2 and "not a regular file" in one_line(err)


def test_a_huge_answers_file_is_refused_unread(capsys, tmp_path, monkeypatch):
    from canvas_tui.core import inputs

    monkeypatch.setattr(inputs, "MAX_INPUT_BYTES", 1000)
    big = write(tmp_path / "a.toml", '[answers]\n"revenue.model" = "' + "x" * 2000 + '"\n')
    code, _, err = cli(capsys, "run", str(big))
    assert code == 2 and "larger than" in one_line(err)


def test_a_utf8_bom_is_accepted(capsys, tmp_path):
    bom = tmp_path / "a.toml"
    bom.write_bytes(b"\xef\xbb\xbf" + ANSWERS.read_bytes())
    code, out, err = cli(capsys, "run", str(bom))
    assert code == 0 and "Acme Tutors" in out, err


def test_an_answer_given_twice_by_quoting_is_an_error_not_a_dropped_answer(capsys, tmp_path):
    text = '[answers]\n"revenue.model" = "fees"\nrevenue.model = "subscriptions"\n'
    code, _, err = cli(capsys, "run", str(write(tmp_path / "a.toml", text)))
    assert code == 2 and "'revenue.model' is answered twice" in one_line(err)


def test_an_answer_over_the_limit_is_refused(capsys, tmp_path):
    text = '[answers]\n"revenue.model" = "' + "x" * (MAX_ANSWER_CHARS + 1) + '"\n'
    code, _, err = cli(capsys, "run", str(write(tmp_path / "a.toml", text)))
    assert code == 2 and f"at most {MAX_ANSWER_CHARS:,}" in one_line(err)
    ok = '[answers]\n"revenue.model" = "' + "fees " * (MAX_ANSWER_CHARS // 5) + '"\n'
    assert cli(capsys, "run", str(write(tmp_path / "b.toml", ok)))[0] == 0


def test_too_many_answers_are_refused(capsys, tmp_path):
    lines = "".join(f'"x.q{i}" = "a"\n' for i in range(MAX_ANSWERS + 1))
    code, _, err = cli(capsys, "run", str(write(tmp_path / "a.toml", "[answers]\n" + lines)))
    assert code == 2 and f"at most {MAX_ANSWERS}" in one_line(err)


# --------------------------------------------------------------------------- canvases


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("c.toml", DEEP_TOML, "nested more than"),
        ("c.json", DEEP_JSON, "nested more than"),
        ("c.json", '{"n": ' + "9" * 5000 + "}", "cannot be read"),
        ("c.json", '{"n": 1e400}', "not a finite number"),
    ],
)
def test_hostile_canvas_files_exit_2(capsys, tmp_path, name, text, message):
    path = write(tmp_path / name, text)
    for command in (["export", str(path)], ["diff", str(path), str(RICH)], ["merge", str(path)]):
        code, _, err = cli(capsys, *command)
        assert code == 2 and message in one_line(err), command


def test_a_huge_score_in_a_canvas_is_refused_with_its_line(capsys, tmp_path):
    text = RICH.read_text(encoding="utf-8").replace("score = 0.", "score = 1" + "0" * 400 + "#", 1)
    code, _, err = cli(capsys, "export", str(write(tmp_path / "c.toml", text)))
    line = one_line(err)
    assert code == 2 and "too large" in line
    assert f"{tmp_path / 'c.toml'}:" in line


# --------------------------------------------------------------------------- sessions


def _session_file(home: Path, sid: str, data: object) -> Path:
    folder = home / "sessions"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{sid}.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def _valid(sid: str) -> dict:
    from canvas_tui.core.interview.session import Session

    return Session(id=sid, title="T").to_dict()


@pytest.mark.parametrize(
    "breakage",
    [
        lambda d: DEEP_JSON,
        lambda d: json.dumps(d).replace('"timers": {}', '"timers": {"x": 1e400}'),
        lambda d: json.dumps(d).replace('"timers": {}', '"timers": {"x": ' + "9" * 5000 + "}"),
        lambda d: {**d, "decisions": {"activities": {"a": {"status": "maybe"}}}},
        lambda d: {**d, "decisions": {"activities": {"a": {"category": "magic"}}}},
        lambda d: {**d, "decisions": {"activities": {"a": {"name": 5}}}},
        lambda d: {**d, "decisions": {"custom": [{"id": "custom-x", "name": 5}]}},
        lambda d: {**d, "decisions": {"custom": [{"id": "custom-x", "name": "x", "kpis": [1]}]}},
    ],
)
def test_broken_or_hand_edited_sessions_are_set_aside_with_exit_2(capsys, home, breakage):
    path = _session_file(home, "s1", breakage(_valid("s1")))
    code, _, err = cli(capsys, "sessions", "export", "s1")
    assert code == 2 and "set aside" in one_line(err)
    assert not path.exists() and list((home / "sessions" / "corrupt").iterdir())


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a read-only folder")
def test_a_corrupt_session_in_a_read_only_home_is_skipped_and_reported(capsys, home):
    _session_file(home, "good", _valid("good"))
    bad = _session_file(home, "bad", "{not json")
    folder = home / "sessions"
    folder.chmod(0o555)
    try:
        code, out, err = cli(capsys, "sessions")
    finally:
        folder.chmod(0o755)
    assert code == 0 and "good" not in err and "T" in out
    assert "could not be set aside" in err and "Traceback" not in err
    assert bad.exists()


def test_a_corrupt_session_that_cannot_be_moved_is_skipped(home, monkeypatch):
    """The same without needing a non-root user: the move itself fails."""
    from canvas_tui.core.interview import session as session_module
    from canvas_tui.core.interview.session import SessionStore

    _session_file(home, "good", _valid("good"))
    bad = _session_file(home, "bad", "{not json")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Read-only file system")

    monkeypatch.setattr(session_module.shutil, "move", refuse)
    store = SessionStore()
    assert [s.id for s in store.sessions()] == ["good"]
    assert len(store.problems) == 1 and "could not be set aside" in store.problems[0].message
    assert bad.exists()


# --------------------------------------------------------------------------- banks


def _bank(tmp_path: Path) -> Path:
    folder = tmp_path / "bank"
    shutil.copytree(default_bank_dir(), folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def _with_minutes(folder: Path, value: str) -> Path:
    path = next(
        p for p in sorted(folder.glob("*.toml")) if "[[questions]]" in p.read_text(encoding="utf-8")
    )
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if any(line.startswith("minutes") for line in lines):
        lines = [f"minutes = {value}" if line.startswith("minutes") else line for line in lines]
    else:
        first_table = next(i for i, line in enumerate(lines) if line.startswith("["))
        lines.insert(first_table, f"minutes = {value}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("value", "message"), [("inf", "not a finite number"), ("1e308", "at most 1440")]
)
def test_bank_check_refuses_unbounded_minutes_with_file_and_line(capsys, tmp_path, value, message):
    folder = _bank(tmp_path)
    path = _with_minutes(folder, value)
    code, _, err = cli(capsys, "bank", "check", str(folder))
    assert code == 2
    first = err.splitlines()[0]
    assert message in first and first.startswith(f"{path}:")
    code, _, err = cli(capsys, "run", str(ANSWERS), "--bank", str(folder))
    assert code == 2 and message in one_line(err)


def _follow_up(folder: Path, body: str) -> Path:
    path = next(
        p for p in sorted(folder.glob("*.toml")) if "[[questions]]" in p.read_text(encoding="utf-8")
    )
    with path.open("a", encoding="utf-8") as handle:
        handle.write(body)
    return path


def test_bank_check_refuses_a_backtracking_pattern(capsys, tmp_path):
    folder = _bank(tmp_path)
    path = _follow_up(
        folder,
        '\n[[questions]]\nid = "evil"\nprompt = "Evil?"\n'
        "[questions.ask_if]\nquestion = \"revenue.model\"\nmatches = '(a+)+$'\n",
    )
    code, _, err = cli(capsys, "bank", "check", str(folder))
    assert code == 2
    assert any(
        "can take forever" in line and line.startswith(f"{path}:") for line in err.splitlines()
    )


def test_bank_check_refuses_a_follow_up_cycle(capsys, tmp_path):
    folder = _bank(tmp_path)
    set_id = None
    path = next(
        p for p in sorted(folder.glob("*.toml")) if "[[questions]]" in p.read_text(encoding="utf-8")
    )
    import tomllib

    set_id = tomllib.loads(path.read_text(encoding="utf-8"))["id"]
    _follow_up(
        folder,
        f'\n[[questions]]\nid = "ping"\nprompt = "Ping?"\n[questions.ask_if]\nquestion = "{set_id}.pong"\nmentions = ["x"]\n'
        f'\n[[questions]]\nid = "pong"\nprompt = "Pong?"\n[questions.ask_if]\nquestion = "{set_id}.ping"\nmentions = ["x"]\n',
    )
    code, _, err = cli(capsys, "bank", "check", str(folder))
    assert code == 2 and "in a circle" in err


def test_bank_set_files_with_a_bom_are_accepted(capsys, tmp_path):
    folder = _bank(tmp_path)
    for path in folder.glob("*.toml"):
        if "[[questions]]" in path.read_text(encoding="utf-8") or path.name == "bank.toml":
            path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    code, out, err = cli(capsys, "bank", "check", str(folder))
    assert code == 0 and "OK" in out, err


def test_a_bom_a_reader_does_not_accept_is_named_in_the_error():
    """Readers outside core.inputs (the catalogue's) name the BOM instead of "invalid
    statement"."""
    import tomllib

    from canvas_tui.core.errors import toml_decode_problem

    text = '\ufeffid = "x"\n'
    with pytest.raises(tomllib.TOMLDecodeError) as caught:
        tomllib.loads(text)
    problem = toml_decode_problem("f.toml", caught.value, text)
    assert "byte-order mark (BOM)" in problem.message and problem.line == 1


def test_a_deeply_nested_bank_file_is_a_problem_not_a_crash(capsys, tmp_path):
    folder = _bank(tmp_path)
    write(folder / "bank.toml", (folder / "bank.toml").read_text(encoding="utf-8") + DEEP_TOML)
    code, _, err = cli(capsys, "bank", "check", str(folder))
    assert code == 2 and "nested more than" in err and "internal error" not in err


@pytest.mark.parametrize(
    ("pattern", "unsafe"),
    [("(a+)+$", True), (r"(\w*)*", True), ("(x|y+)+z", True), ("subscri(be|ption)", False),
     (r"\d+ (pounds|euros)", False), ("(a|b)+", False), ("(a{1,3})+", False)],
)  # fmt: skip
def test_regex_problem_finds_nested_unbounded_repeats(pattern, unsafe):
    assert bool(regex_problem(pattern)) is unsafe


def test_bank_new_with_a_quote_in_the_name_writes_a_valid_bank(capsys, tmp_path):
    target = tmp_path / 'we"ird'
    assert cli(capsys, "bank", "new", str(target))[0] == 0
    code, out, err = cli(capsys, "bank", "check", str(target))
    assert code == 0 and "bank 'we\"ird'" in out, err


def test_bank_new_onto_an_existing_file_exits_2(capsys, tmp_path):
    existing = write(tmp_path / "bank", "mine")
    code, _, err = cli(capsys, "bank", "new", str(existing))
    assert code == 2 and "a file of that name exists" in one_line(err)
    assert existing.read_text() == "mine"


# --------------------------------------------------------------------------- templates


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ 'a' * 10**10 }}", "too large"),
        ("{{ 10 ** 10000000 }}", "too large"),
        ("{{ 'a' | center(10000000000) }}", "too large"),
        ("{{ '{:>10000000000}'.format(1) }}", "format width"),
        ("{{ '%10000000000s' % 'a' }}", "too large"),
    ],
)
def test_templates_that_would_allocate_without_bound_exit_2(capsys, tmp_path, template, message):
    path = write(tmp_path / "t.md.j2", template)
    code, _, err = cli(capsys, "export", str(RICH), "--template", str(path))
    assert code == 2 and "template stopped" in one_line(err) and message in err


def test_templates_that_run_without_bound_are_stopped(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(render_module, "MAX_TEMPLATE_STEPS", 50_000)
    loops = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    path = write(tmp_path / "t.md.j2", loops)
    code, _, err = cli(capsys, "export", str(RICH), "--template", str(path))
    assert code == 2 and "runs too long" in one_line(err)


def test_templates_that_write_without_bound_are_stopped(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(render_module, "MAX_TEMPLATE_OUTPUT", 100_000)
    path = write(tmp_path / "t.md.j2", "{% for i in range(100000) %}{{ 'x' * 100 }}{% endfor %}")
    code, _, err = cli(capsys, "export", str(RICH), "--template", str(path))
    assert code == 2 and "writes more than 100,000" in one_line(err)


def test_an_ordinary_template_is_untouched_by_the_bounds(capsys, tmp_path):
    path = write(
        tmp_path / "t.md.j2",
        "{{ display_title }}: {% for a in focus %}{{ a.name }};{% endfor %}\n",
    )
    code, out, err = cli(capsys, "export", str(RICH), "--template", str(path))
    assert code == 0 and out.startswith("Bean"), err
