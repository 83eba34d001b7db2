"""Shared fixtures. Every test gets its own data folder: no test touches the real one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from canvas_tui.core.interview.bank import Bank
from canvas_tui.core.interview.bank_loader import load_default_bank

REPO = Path(__file__).resolve().parent.parent

# Property tests: how many examples each runs. "ci" (the default, what the README test
# command runs) keeps the suite inside its time budget; "thorough" is for a change to a
# parser, an escaper or the round trip: HYPOTHESIS_PROFILE=thorough pytest tests/unit.
_PROPERTY = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("ci", max_examples=40, **_PROPERTY)
settings.register_profile("thorough", max_examples=300, **_PROPERTY)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


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
