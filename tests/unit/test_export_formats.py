"""What each built-in format must contain, file names for the export dialog, lazy Jinja."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import pytest

from canvas_tui.core.canvas.model import BLOCK_TITLES, Canvas
from canvas_tui.core.errors import OutputError
from canvas_tui.core.exports.render import (
    EXTENSIONS,
    FORMATS,
    default_filename,
    read_canvas,
    render,
    slugify,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "canvases"


@pytest.fixture(scope="module")
def rich() -> Canvas:
    return read_canvas(DATA / "rich.toml")


@pytest.fixture(scope="module")
def minimal() -> Canvas:
    return read_canvas(DATA / "minimal.toml")


def test_formats_and_extensions():
    assert FORMATS == ("toml", "md", "html", "json")
    assert set(EXTENSIONS) == set(FORMATS)


def test_unknown_format_is_a_clear_error(rich):
    with pytest.raises(OutputError, match="unknown format 'pdf'"):
        render(rich, "pdf")


def test_markdown_has_every_part_in_order(rich):
    md = render(rich, "md")
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings == [f"## {title}" for title in BLOCK_TITLES.values()] + [
        "## Key activities in detail",
        "## Top three to focus on",
        "## Business type",
        "## The four guiding questions",
        "## Warnings",
        "## Facilitator notes",
        "## Assumptions to validate",
        "## Appendix: the answers",
    ]
    assert md.startswith("# Bean & Gone — Coffee Roasters\n")
    assert "| Priority | Activity | Category | Score | Status | Serves | Evidence | KPIs |" in md
    assert "1. **Roasting and production planning** (Production): Your promise" in md
    assert "| Production | 60% | ██████░░░░ |" in md
    assert "Strategyzer" in md and "CC BY-SA 3.0" in md
    assert "*value_proposition.promise* · ⚑ an assumption to validate" in md
    assert "*Facilitator note:* Pricing by kilo worked in the pilot.<br>Revisit" in md


def test_empty_canvas_renders_cleanly(minimal):
    md = render(minimal, "md")
    assert md.startswith("# Untitled canvas\n")
    assert md.count("*Nothing yet.*") == 9
    assert "*No key activities yet.*" in md
    assert "*No warnings.*" in md
    assert "Facilitator notes" not in md and "Assumptions" not in md
    assert "\n\n\n" not in md
    # no heading is followed directly by another heading
    lines = [line for line in md.splitlines() if line.strip()]
    for first, second in itertools.pairwise(lines):
        assert not (first.startswith("## ") and second.startswith("## ")), first
    html = render(minimal, "html")
    assert html.count("Nothing yet") == 9
    assert "Untitled canvas" in html


def test_markdown_has_no_runs_of_blank_lines(rich):
    assert "\n\n\n" not in render(rich, "md")


def test_html_lays_out_the_classic_grid_and_prints_landscape(rich):
    html = render(rich, "html")
    assert html.startswith("<!DOCTYPE html>")
    assert "@page { size: landscape" in html
    assert '"kp kp ka ka vp vp cr cr cs cs"' in html
    assert '"kp kp kr kr vp vp ch ch cs cs"' in html
    assert '"co co co co co rs rs rs rs rs"' in html
    for area in ("kp", "ka", "kr", "vp", "cr", "ch", "cs", "co", "rs"):
        assert f'class="block block-{area} ' in html
    assert "Strategyzer" in html and "CC BY-SA 3.0" in html
    assert 'class="badge production"' in html
    assert "<script" not in html


@pytest.mark.parametrize(
    ("title", "fmt", "name"),
    [
        ("Bean & Gone — Coffee Roasters", "md", "bean-gone-coffee-roasters.md"),
        ("Café Crème", "html", "cafe-creme.html"),
        ("  ", "toml", "canvas.toml"),
        ("../../etc/passwd", "json", "etc-passwd.json"),
        ("咖啡 店", "md", "咖啡-店.md"),
        ("CON", "md", "con-canvas.md"),
        ("a" * 200, "md", "a" * 60 + ".md"),
        ('<script>/\\:*?"|\x00', "md", "script.md"),
    ],
)
def test_default_filename(title, fmt, name):
    canvas = Canvas(title=title, created="c", bank="b")
    assert default_filename(canvas, fmt) == name


def test_default_filename_unknown_format():
    with pytest.raises(OutputError):
        default_filename(Canvas(title="x", created="c", bank="b"), "pdf")


def test_slugify_never_leaves_separators_at_the_ends():
    assert slugify("--a__b--") == "a-b"
    assert slugify("x" * 59 + " yz", limit=60) == "x" * 59


def test_jinja_is_imported_only_when_a_template_is_rendered():
    code = (
        "import sys\n"
        "from canvas_tui.core.exports import render as export\n"
        "import canvas_tui.cli\n"
        "assert 'jinja2' not in sys.modules, 'jinja2 imported at start-up'\n"
        "from canvas_tui.core.canvas.model import Canvas\n"
        "export.render(Canvas(title='t', created='c', bank='b'), 'toml')\n"
        "assert 'jinja2' not in sys.modules, 'jinja2 imported for TOML'\n"
        "export.render(Canvas(title='t', created='c', bank='b'), 'md')\n"
        "assert 'jinja2' in sys.modules\n"
        "assert 'textual' not in sys.modules and 'rich' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
