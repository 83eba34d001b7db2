"""Issue 12: a seeded fuzz of the CLI's parsers (answers, canvas, bank, session). Any input
gives exit 0 or exit 2 (one line), never exit 1 (an internal error), and never hangs: the
inputs are small and hypothesis' deadline is a generous bound against a hang, not a speed
measurement."""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from canvas_tui.cli import main

ROOT = Path(__file__).resolve().parents[1]
RICH = (ROOT / "data" / "canvases" / "rich.toml").read_text(encoding="utf-8")
ANSWERS = (ROOT / "data" / "contract_answers.toml").read_text(encoding="utf-8")

TOML_TOKENS = [
    "[", "]", "[[", "]]", "{", "}", '"', "'", "=", ",", ".", "\n", " ", "#", "\\",
    "answers", '"revenue.model"', "value_proposition.offer", "title", "schema", "meta",
    "minutes", "ask_if", "matches", "mentions", "questions", "id", "prompt", "x",
    "1", "-1", "0.5", "1e400", "1e308", "inf", "nan", "true", "9" * 30, "9" * 400,
    '"text"', '"\\u001b[2J"', "\ufeff", "\x00", "\x1b", "(a+)+$", "é", "'''", '"""',
]  # fmt: skip
JSON_TOKENS = [
    "{", "}", "[", "]", ":", ",", '"', "null", "true", "1", "1e400", "9" * 400, '"id"',
    '"title"', '"format"', '"canvas-tui-session/1"', '"answers"', '"decisions"',
    '"activities"', '"status"', '"maybe"', '"timers"', '"x"', "-0", "\ufeff", " ",
]  # fmt: skip

FUZZ = settings(
    max_examples=20,
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


def toml_like(base: str) -> st.SearchStrategy[str]:
    """A valid document with random tokens spliced in, or random tokens alone."""
    tokens = st.lists(st.sampled_from(TOML_TOKENS), max_size=40).map("".join)
    spliced = st.tuples(st.integers(0, len(base)), tokens, st.integers(0, 200)).map(
        lambda t: base[: t[0]] + t[1] + base[t[0] + t[2] :]
    )
    return st.one_of(tokens, spliced, st.text(max_size=200))


def run(*argv: str) -> int:
    import contextlib
    import io

    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")  # _emit writes to .buffer
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        return main(list(argv))


@seed(12)
@FUZZ
@given(toml_like(ANSWERS))
def test_fuzz_answers_files(text):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.toml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        assert run("run", str(path)) in (0, 2)


@seed(12)
@FUZZ
@given(toml_like(RICH), st.sampled_from(["c.toml", "c.json"]))
def test_fuzz_canvas_files(text, name):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        assert run("export", str(path)) in (0, 2)
        assert run("diff", str(path), str(path)) in (0, 2)


def _bank_set() -> str:
    from canvas_tui.resources import default_bank_dir

    return (default_bank_dir() / "revenue.toml").read_text(encoding="utf-8")


@seed(12)
@FUZZ
@given(toml_like(_bank_set()))
def test_fuzz_bank_set_files(text):
    from canvas_tui.resources import default_bank_dir

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bank"
        shutil.copytree(default_bank_dir(), folder, ignore=shutil.ignore_patterns("__pycache__"))
        (folder / "revenue.toml").write_text(text, encoding="utf-8", errors="surrogatepass")
        assert run("bank", "check", str(folder)) in (0, 2)


def _session_json() -> str:
    from canvas_tui.core.interview.session import Session

    session = Session(id="s1", title="T", answers={"revenue.model": "fees"})
    return json.dumps(session.to_dict())


@seed(12)
@FUZZ
@given(
    st.one_of(
        st.lists(st.sampled_from(JSON_TOKENS), max_size=40).map("".join),
        st.tuples(st.integers(0, 300), st.lists(st.sampled_from(JSON_TOKENS), max_size=10)).map(
            lambda t: _session_json()[: t[0]] + "".join(t[1]) + _session_json()[t[0] :]
        ),
    )
)
def test_fuzz_session_files(text):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "sessions"
        folder.mkdir()
        (folder / "s1.json").write_text(text, encoding="utf-8")
        assert run("sessions", "--home", tmp) in (0, 2)
        if (folder / "s1.json").exists():
            assert run("sessions", "--home", tmp, "export", "s1") in (0, 2)
