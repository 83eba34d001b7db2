"""The team canvas (`merge -o team.html`) in a real headless browser, when Chromium is here.

The checks of scripts/check_html.py, applied to the team page: nothing loaded from outside;
printed on landscape Letter and A4, page 1 holds the nine blocks, every entry and the
licence line, and the details (from "Participants") start on page 2. Skipped without
Chromium (``apt-get install chromium``); the page-content checks need pdftotext.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from canvas_tui.core.exports.render import read_canvas
from canvas_tui.core.team.merge import merge_canvases
from canvas_tui.core.team.merge_inputs import participant_names
from canvas_tui.core.team.merge_model import Participant
from canvas_tui.core.team.merge_output import html_context, merge_html
from tests.unit.test_export_browser import check_html

TEAM = Path(__file__).resolve().parents[1] / "data" / "facilitator" / "team"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(check_html.find_browser() is None, reason="Chromium is not installed"),
]


def test_team_canvas_prints_with_the_grid_on_page_one(tmp_path):
    files = sorted(TEAM.glob("*.toml"))
    canvases = [read_canvas(f) for f in files]
    names = participant_names([c.title for c in canvases], [str(f) for f in files])
    merged = merge_canvases(
        [Participant(n, str(f), c) for n, f, c in zip(names, files, canvases, strict=True)]
    )
    html = merge_html(merged)
    report = check_html.Report("team")
    check_html.static_checks(html, report)
    browser = check_html.find_browser()
    assert browser is not None
    for paper, (width, height) in check_html.PAPERS.items():
        page = tmp_path / f"team-{paper}.html"
        page.write_text(
            html.replace("@page { size: landscape;", f"@page {{ size: {paper} landscape;")
        )
        pdf = tmp_path / f"team-{paper}.pdf"
        with tempfile.TemporaryDirectory() as profile:
            check_html.chromium(
                browser,
                "--no-pdf-header-footer",
                f"--print-to-pdf={pdf}",
                page.as_uri(),
                profile=Path(profile),
            )
        pages = check_html.pdf_pages(pdf)
        assert pages and all(abs(w - width) < 2 and abs(h - height) < 2 for w, h in pages)
        first = check_html.pdf_text(pdf, 1)
        if first is None:
            continue  # no pdftotext: the page contents are not checked
        squashed = " ".join(first.split())
        assert all(title in squashed for title in check_html.BLOCK_TITLES)
        assert "CC BY-SA 3.0" in squashed and "Participants" not in squashed
        letters = check_html._letters(first)
        for block in html_context(merged)["blocks"]:
            for entry in block["entries"]:
                assert check_html._letters(entry) in letters, (paper, entry)
        assert "Participants" in " ".join((check_html.pdf_text(pdf, 2) or "").split())
    assert report.problems == []
