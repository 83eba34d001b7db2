"""Golden cases: whole inference outputs pinned in tests/golden/inference/.

Regenerate on purpose only: CANVAS_TUI_REGEN_GOLDEN=1 pytest tests/unit/test_inference_golden.py
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import asdict
from pathlib import Path

import pytest

from canvas_tui.core.inference.catalogue import default_catalogue
from canvas_tui.core.inference.infer import infer

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "inference"
CASES = sorted(p.name.removesuffix(".answers.toml") for p in GOLDEN.glob("*.answers.toml"))


def render(name: str) -> str:
    answers = tomllib.loads((GOLDEN / f"{name}.answers.toml").read_text(encoding="utf-8"))
    result = infer(answers["answers"], default_catalogue())
    return json.dumps(asdict(result), indent=2, ensure_ascii=False) + "\n"


def test_there_are_golden_cases() -> None:
    assert len(CASES) >= 3


@pytest.mark.parametrize("name", CASES)
def test_golden_inference(name: str) -> None:
    expected = GOLDEN / f"{name}.expected.json"
    actual = render(name)
    if os.environ.get("CANVAS_TUI_REGEN_GOLDEN") == "1":
        expected.write_text(actual, encoding="utf-8")
    assert expected.is_file(), f"run CANVAS_TUI_REGEN_GOLDEN=1 pytest {__file__}"
    assert actual == expected.read_text(encoding="utf-8")
