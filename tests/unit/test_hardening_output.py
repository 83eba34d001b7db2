"""Issue 12, output paths and terminal output: `-o` onto devices, FIFOs, symlinks, the
input itself, an extension that names no format, a missing folder; control characters
from files never reach the terminal raw."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from canvas_tui.cli import main
from canvas_tui.core.errors import OutputError
from canvas_tui.core.exports.escaping import terminal_text
from canvas_tui.core.fsutil import atomic_write_text

DATA = Path(__file__).resolve().parents[1] / "data" / "canvases"
RICH = DATA / "rich.toml"
ANSWERS = Path(__file__).resolve().parents[1] / "data" / "contract_answers.toml"
posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/null")


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@posix_only
def test_output_onto_a_fifo_is_refused_and_the_fifo_stays(capsys, tmp_path):
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    code, out, err = cli(capsys, "export", str(RICH), "-o", str(fifo))
    assert (code, out) == (2, "")
    assert "FIFO" in one_line(err)
    assert fifo.is_fifo()


@posix_only
def test_output_onto_a_device_is_refused(capsys):
    code, _, err = cli(capsys, "export", str(RICH), "-o", "/dev/null", "--format", "md")
    assert code == 2 and "device" in one_line(err)
    assert Path("/dev/null").is_char_device()


@posix_only
def test_atomic_write_refuses_a_device_itself():
    with pytest.raises(OutputError, match="device"):
        atomic_write_text("/dev/null", "x")


@posix_only
def test_output_onto_a_symlink_writes_its_target_and_keeps_the_link(capsys, tmp_path):
    real = tmp_path / "real" / "canvas.md"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    code, _, _ = cli(capsys, "export", str(RICH), "-o", str(link))
    assert code == 0
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert real.read_text(encoding="utf-8").startswith("# Bean")
    assert sorted(p.name for p in real.parent.iterdir()) == ["canvas.md"]  # no temporaries


def test_export_onto_its_own_source_is_refused(capsys, tmp_path):
    same = tmp_path / "same.toml"
    same.write_bytes(RICH.read_bytes())
    code, out, err = cli(capsys, "export", str(same), "-o", str(same), "--format", "md")
    assert (code, out) == (2, "")
    assert "is the input file" in one_line(err)
    assert same.read_bytes() == RICH.read_bytes()


def test_run_onto_its_answers_file_is_refused(capsys, tmp_path):
    answers = tmp_path / "a.toml"
    answers.write_bytes(ANSWERS.read_bytes())
    code, _, err = cli(capsys, "run", str(answers), "-o", str(answers))
    assert code == 2 and "is the input file" in one_line(err)
    assert answers.read_bytes() == ANSWERS.read_bytes()


@pytest.mark.parametrize("command", [["export", str(RICH)], ["run", str(ANSWERS)]])
def test_an_extension_that_is_no_format_is_refused(capsys, tmp_path, command):
    target = tmp_path / "x.pdf"
    code, _, err = cli(capsys, *command, "-o", str(target))
    assert code == 2 and "'.pdf' is not a format" in one_line(err)
    assert not target.exists()


def test_diff_with_an_extension_that_is_no_format_is_refused(capsys, tmp_path):
    code, _, err = cli(capsys, "diff", str(RICH), str(RICH), "-o", str(tmp_path / "d.pdf"))
    assert code == 2 and "'.pdf' is not a format" in one_line(err)


def test_run_into_a_missing_folder_is_refused(capsys, tmp_path):
    target = tmp_path / "nonexistent" / "dir" / "x.md"
    code, _, err = cli(capsys, "run", str(ANSWERS), "-o", str(target))
    assert code == 2 and "does not exist" in one_line(err)
    assert not (tmp_path / "nonexistent").exists()


# --------------------------------------------------------------------------- terminal


def test_terminal_text_makes_controls_visible_and_keeps_lines_and_length():
    hostile = "T\x1b]0;pwned\x07i\x1b[2J\r\x9b\u202etle\nnext\tcol"
    shown = terminal_text(hostile)
    assert len(shown) == len(hostile)
    assert shown.split("\n") == ["T␛]0;pwned␇i␛[2J␍\ufffd\ufffdtle", "next\tcol"]
    assert terminal_text("plain") == "plain"


HOSTILE_TITLE = "Bean\x1b]0;owned\x07 \x1b[2J"


def _hostile_canvas(tmp_path: Path) -> Path:
    text = RICH.read_text(encoding="utf-8")
    import tomllib

    import tomli_w

    data = tomllib.loads(text)
    data["meta"]["title"] = HOSTILE_TITLE
    data["key_activities"][0]["name"] = "Roast\x1b[31m\x9b"
    path = tmp_path / "hostile.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["text", "md", "json"])
def test_diff_output_has_no_raw_control_bytes(capsys, tmp_path, fmt):
    hostile = _hostile_canvas(tmp_path)
    code, out, err = cli(capsys, "diff", str(RICH), str(hostile), "--format", fmt)
    assert code == 0
    assert not any(c in out + err for c in "\x1b\x07\x9b")


def test_merge_output_has_no_raw_control_bytes(capsys, tmp_path):
    hostile = _hostile_canvas(tmp_path)
    code, out, err = cli(capsys, "merge", str(RICH), str(hostile))
    assert code == 0 and out
    assert not any(c in out + err for c in "\x1b\x07\x9b")


def test_error_lines_have_no_raw_control_bytes(capsys, tmp_path):
    bad = tmp_path / "bad\x1b[2J.toml"
    code, _, err = cli(capsys, "export", str(bad))
    assert code == 2 and "␛[2J" in one_line(err)
    assert "\x1b" not in err


def test_sessions_list_has_no_raw_control_bytes(capsys, home):
    from canvas_tui.core.interview.session import SessionStore

    store = SessionStore()
    session = store.new("Evil")
    session.title = HOSTILE_TITLE
    session.answers["value_proposition.offer"] = "x\x1b[2J"
    store.save(session)
    for fmt in ("text", "json"):
        code, out, err = cli(capsys, "sessions", "--format", fmt)
        assert code == 0 and "Bean" in out
        assert not any(c in out + err for c in "\x1b\x07")
