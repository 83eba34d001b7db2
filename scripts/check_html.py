#!/usr/bin/env python3
"""Check the HTML export in a real headless browser (Chromium from the OS packages).

    python scripts/check_html.py [CANVAS.toml ...] [--screenshot PNG] [--keep DIR]

For each canvas (default: tests/data/canvases/*.toml) the HTML export is rendered and
opened in headless Chromium, which takes a 1600×1000 screenshot and prints the page to PDF
on landscape Letter and on landscape A4. The checks:

* Chromium exits cleanly and the screenshot is a 1600×1000 PNG;
* the HTML loads nothing from outside: no script, link, image, import or url();
* every PDF page is landscape and the paper asked for;
* page 1 holds the whole canvas — the nine block titles and the licence line — and the
  details start on page 2 (needs pdftotext from poppler-utils; skipped without it).

``--screenshot PNG`` keeps the first canvas's screenshot (docs/images/canvas-html.png is
made this way); ``--keep DIR`` keeps every HTML, PNG and PDF. Exit status: 0 all passed,
1 a check failed, 2 no Chromium found (install it: ``apt-get install chromium``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parent.parent
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
BLOCK_TITLES = (
    "KEY PARTNERS",
    "KEY ACTIVITIES",
    "KEY RESOURCES",
    "VALUE PROPOSITIONS",
    "CUSTOMER RELATIONSHIPS",
    "CHANNELS",
    "CUSTOMER SEGMENTS",
    "COST STRUCTURE",
    "REVENUE STREAMS",
)
#: Paper name → (width, height) in points, landscape.
PAPERS = {"letter": (792, 612), "A4": (842, 595)}
WINDOW = (1600, 1000)


def find_browser() -> str | None:
    chosen = os.environ.get("CHROMIUM")
    if chosen:
        return shutil.which(chosen) or (chosen if Path(chosen).is_file() else None)
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium(browser: str, *args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--no-first-run",
        "--no-default-browser-check",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def png_size(path: Path) -> tuple[int, int] | None:
    data = path.read_bytes()[:24]
    if len(data) < 24 or data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


def pdf_pages(path: Path) -> list[tuple[float, float]]:
    """Each page's size in points: from pdfinfo when installed, else the MediaBoxes."""
    if shutil.which("pdfinfo"):
        out = subprocess.run(
            ["pdfinfo", "-f", "1", "-l", "9999", str(path)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out)
        return [(float(w), float(h)) for w, h in sizes]
    data = path.read_bytes()
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    return [(float(w), float(h)) for w, h in boxes]


def pdf_text(path: Path, page: int) -> str | None:
    if not shutil.which("pdftotext"):
        return None
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout if out.returncode == 0 else None


def _letters(text: str) -> str:
    return "".join(c for c in text if c.isascii() and c.isalnum())


@dataclass
class Report:
    name: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def check(self, ok: bool, problem: str) -> None:
        if not ok:
            self.problems.append(problem)


class _Resources(HTMLParser):
    """Collects what a page would load: elements that fetch, src attributes, CSS urls."""

    FETCHING: ClassVar[set[str]] = {
        "script",
        "link",
        "img",
        "iframe",
        "object",
        "embed",
        "video",
        "audio",
        "source",
        "base",
    }
    LINKS: ClassVar[set[str]] = {
        "https://www.strategyzer.com",
        "https://creativecommons.org/licenses/by-sa/3.0/",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.FETCHING:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name in ("src", "srcset", "poster", "data", "background"):
                self.found.append(f"{name}= on <{tag}>")
            if name == "href" and value not in self.LINKS:
                self.found.append(f"href={value!r}")
            if name == "style" and value and "url(" in value.lower():
                self.found.append("url() in a style attribute")
        self.in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False

    def handle_data(self, data: str) -> None:
        low = data.lower()
        if self.in_style and ("url(" in low or "@import" in low or "@font-face" in low):
            self.found.append("url(), @import or @font-face in the stylesheet")


def static_checks(html: str, report: Report) -> None:
    parser = _Resources()
    parser.feed(html)
    parser.close()
    for item in parser.found:
        report.problems.append(f"HTML is not self-contained: {item}")


def check_canvas(browser: str, source: Path, work: Path) -> tuple[Report, Path]:
    from canvas_tui.core.exports.render import read_canvas, render, template_context

    report = Report(source.stem)
    canvas = read_canvas(source)
    html = render(canvas, "html")
    static_checks(html, report)
    page = work / f"{source.stem}.html"
    page.write_text(html, encoding="utf-8")

    shot = work / f"{source.stem}.png"
    with tempfile.TemporaryDirectory() as profile:
        run = chromium(
            browser,
            f"--screenshot={shot}",
            f"--window-size={WINDOW[0]},{WINDOW[1]}",
            page.as_uri(),
            profile=Path(profile),
        )
    report.check(run.returncode == 0, f"screenshot: chromium exited {run.returncode}")
    report.check(shot.is_file() and png_size(shot) == WINDOW, f"screenshot is not {WINDOW}")

    for paper, (width, height) in PAPERS.items():
        # The export asks for `size: landscape` on the printer's paper; pin each paper here.
        pinned = html.replace("@page { size: landscape;", f"@page {{ size: {paper} landscape;")
        report.check(pinned != html, "no '@page { size: landscape' rule in the HTML")
        variant = work / f"{source.stem}-{paper}.html"
        variant.write_text(pinned, encoding="utf-8")
        pdf = work / f"{source.stem}-{paper}.pdf"
        with tempfile.TemporaryDirectory() as profile:
            run = chromium(
                browser,
                "--no-pdf-header-footer",
                f"--print-to-pdf={pdf}",
                variant.as_uri(),
                profile=Path(profile),
            )
        if run.returncode != 0 or not pdf.is_file():
            report.problems.append(f"{paper}: print to PDF failed ({run.returncode})")
            continue
        pages = pdf_pages(pdf)
        report.check(bool(pages), f"{paper}: no pages found in the PDF")
        for number, (w, h) in enumerate(pages, start=1):
            report.check(
                abs(w - width) < 2 and abs(h - height) < 2,
                f"{paper}: page {number} is {w:g}×{h:g} pt, expected {width}×{height} landscape",
            )
        first = pdf_text(pdf, 1)
        if first is None:
            report.notes.append("pdftotext not installed: page contents not checked")
            continue
        squashed = " ".join(first.split())
        for title in BLOCK_TITLES:
            report.check(title in squashed, f"{paper}: {title} is not on page 1")
        report.check("CC BY-SA 3.0" in squashed, f"{paper}: the licence line is not on page 1")
        # Nothing is cut from a block unless the export says so ("overfull"): every entry's
        # letters and digits appear, in order, in the text of page 1.
        letters = _letters(first)
        for block in template_context(canvas)["blocks"]:
            if block["density"] == "overfull":
                report.notes.append(f"{paper}: {block['title']} is cut for print, as marked")
                continue
            for entry in block["entries"]:
                report.check(
                    _letters(entry) in letters,
                    f"{paper}: {block['title']}: {entry[:40]!r}… is cut off on page 1",
                )
        report.check(
            "Top three to focus on" not in squashed,
            f"{paper}: the details are on page 1 (the canvas must have the page to itself)",
        )
        second = pdf_text(pdf, 2) or ""
        report.check(
            "Top three to focus on" in " ".join(second.split()),
            f"{paper}: the details do not start on page 2",
        )
        report.notes.append(f"{paper}: {len(pages)} page(s), canvas on page 1")
    return report, shot


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("canvases", nargs="*", type=Path, metavar="CANVAS.toml")
    parser.add_argument("--screenshot", type=Path, help="keep the first screenshot here")
    parser.add_argument("--keep", type=Path, help="keep every HTML, PNG and PDF in this folder")
    args = parser.parse_args(argv)

    browser = find_browser()
    if browser is None:
        print("check_html: no Chromium found (apt-get install chromium)", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT / "src"))
    canvases = args.canvases or sorted((ROOT / "tests" / "data" / "canvases").glob("*.toml"))
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for index, source in enumerate(canvases):
            report, shot = check_canvas(browser, source, work)
            status = "FAIL" if report.problems else "ok"
            print(f"{status:4} {source}")
            for note in report.notes:
                print(f"     {note}")
            for problem in report.problems:
                print(f"     problem: {problem}")
            failed = failed or bool(report.problems)
            if index == 0 and args.screenshot and shot.is_file():
                args.screenshot.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(shot, args.screenshot)
                print(f"     screenshot kept as {args.screenshot}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
