"""Shared fixtures. Every test gets its own data folder: no test touches the real one."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Bytecode caches for the checkout's own modules. With PYTHONDONTWRITEBYTECODE=1 (set on the
# shared machine the README command runs on) every process the suite starts (each xdist
# worker, every `canvas-tui` subprocess, serve's app processes) compiled the app's modules
# from source again, and each worker re-rewrote every test module (~2 s of a worker's
# collection). Written once, they are read by every later process; __pycache__ is ignored
# by git and by the wheel.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

import pytest  # noqa: E402  (the app's modules below are compiled with the flag set)
from hypothesis import HealthCheck, settings  # noqa: E402

from canvas_tui.core.interview.bank import Bank  # noqa: E402
from canvas_tui.core.interview.bank_loader import load_default_bank  # noqa: E402

REPO = Path(__file__).resolve().parent.parent

# Property tests: how many examples each runs. "ci" (the default, what the README test
# command runs) keeps the suite inside its time budget; "thorough" is for a change to a
# parser, an escaper or the round trip: HYPOTHESIS_PROFILE=thorough pytest tests/unit.
_PROPERTY = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
# "ci" is derandomized: the same examples on every run, so a red CI is never luck; the
# "thorough" profile stays random and is where new counterexamples are found.
settings.register_profile("ci", max_examples=40, derandomize=True, **_PROPERTY)
settings.register_profile("thorough", max_examples=300, **_PROPERTY)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory):
    """The compiled catalogue cache (core/inference/cache.py) of this test run, shared
    by its tests (a miss costs a compile), never the user's own ~/.cache."""
    folder = tmp_path_factory.mktemp("canvas-cache")
    before = os.environ.get("CANVAS_TUI_CACHE")
    os.environ["CANVAS_TUI_CACHE"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("CANVAS_TUI_CACHE", None)
    else:
        os.environ["CANVAS_TUI_CACHE"] = before


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    home = tmp_path_factory.mktemp("canvas-home")
    monkeypatch.setenv("CANVAS_TUI_HOME", str(home))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return home


@pytest.fixture
def home(_isolated_home: Path) -> Path:
    """The data folder ($CANVAS_TUI_HOME) of this test."""
    return _isolated_home


@pytest.fixture(scope="session")
def bank() -> Bank:
    return load_default_bank()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
