"""Golden files: each canvas in tests/data/canvases/ → every built-in format.

The expected outputs live in tests/golden/export/ and change only on purpose:

    UPDATE_GOLDEN=1 pytest tests/unit/test_export_golden.py

then read the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from canvas_tui.core.exports.render import EXTENSIONS, FORMATS, read_canvas, render

ROOT = Path(__file__).resolve().parents[1]
CANVASES = sorted((ROOT / "data" / "canvases").glob("*.toml"))
GOLDEN = ROOT / "golden" / "export"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def test_there_are_canvases_to_check():
    assert {p.stem for p in CANVASES} >= {"rich", "minimal", "hostile"}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("source", CANVASES, ids=lambda p: p.stem)
def test_export_matches_golden_file(source: Path, fmt: str) -> None:
    actual = render(read_canvas(source), fmt)
    golden = GOLDEN / f"{source.stem}{EXTENSIONS[fmt]}"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(actual.encode("utf-8"))
    assert golden.is_file(), f"{golden} is missing: run with UPDATE_GOLDEN=1 to create it"
    expected = golden.read_bytes().decode("utf-8")
    assert actual == expected, f"{golden.name} differs: UPDATE_GOLDEN=1 regenerates it"


@pytest.mark.parametrize("source", CANVASES, ids=lambda p: p.stem)
def test_a_canvas_file_is_its_own_toml_export(source: Path) -> None:
    """The files were written by the TOML export: reading and writing changes nothing."""
    assert render(read_canvas(source), "toml") == source.read_text(encoding="utf-8")


@pytest.mark.parametrize("source", CANVASES, ids=lambda p: p.stem)
def test_the_json_export_reads_back_to_the_same_canvas(source: Path, tmp_path) -> None:
    canvas = read_canvas(source)
    path = tmp_path / "canvas.json"
    path.write_text(render(canvas, "json"), encoding="utf-8")
    assert read_canvas(path) == canvas
    assert render(read_canvas(path), "md") == render(canvas, "md")
