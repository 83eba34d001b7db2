"""The HTML export in a real headless browser: scripts/check_html.py, when Chromium is here.

Skipped without Chromium (``apt-get install chromium``; poppler-utils adds the page-content
checks). The script itself says what it checks.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "check_html.py"


def load_script():
    spec = importlib.util.spec_from_file_location("check_html", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("check_html", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


check_html = load_script()
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(check_html.find_browser() is None, reason="Chromium is not installed"),
]


@pytest.mark.parametrize("name", ["rich", "hostile"])
def test_html_export_in_headless_chromium(tmp_path, capsys, name):
    source = ROOT / "tests" / "data" / "canvases" / f"{name}.toml"
    shot = tmp_path / "shot.png"
    code = check_html.main(
        [str(source), "--keep", str(tmp_path / "out"), "--screenshot", str(shot)]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert check_html.png_size(shot) == (1600, 1000)
    for paper in ("letter", "A4"):
        pages = check_html.pdf_pages(tmp_path / "out" / f"{name}-{paper}.pdf")
        assert pages and all(w > h for w, h in pages)
