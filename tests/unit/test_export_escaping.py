"""User text is data: in Markdown and HTML any text renders as that literal text.

Markdown is checked by parsing the export with markdown-it-py (CommonMark plus GFM
tables; it comes with Textual): the tables keep their rows and columns, and a cell holding
user text parses to plain text only — no emphasis, link, code or raw HTML but our ``<br>``.
HTML is checked with the standard library's html.parser: the element structure does not
depend on the text, and the text comes back unchanged.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import ClassVar

import pytest
from hypothesis import HealthCheck, example, given, settings

from canvas_tui.core.canvas.model import Activity, Canvas, CanvasWarning, EvidenceRef
from canvas_tui.core.exports.render import (
    html_text,
    md_inline,
    md_lines,
    render,
    text_lines,
    visible,
)
from canvas_tui.core.interview.bank import BLOCKS
from tests.unit.test_canvas_roundtrip import text

markdown_it = pytest.importorskip("markdown_it")

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
HOSTILE = [
    "a | b",
    "# heading",
    "`code`",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "{% if true %}x{% endif %}",
    "*bold* _it_ __b__",
    "[x](javascript:alert(1))",
    "line\nbreak\r\nand\u2028more",
    "\x1b[31mred\x00\x7f\x9b",
    "1. item",
    "- item",
    "---",
    "=",
    "> quote",
    "    code",
    "&amp; &#60; &copy;",
    "trailing \\",
    "$x$ ==h== %%c%% :smile: ^id ~~s~~",
    "<!-- c -->",
    "|",
    "\\|",
    "",
    " ",
]


def expected_text(value: str, *, strip: bool) -> str:
    """What a reader sees: visible control characters, one line per line of the text."""
    lines = text_lines(value)
    if strip:
        lines = [line.strip() for line in lines if line.strip()]
    return "\n".join(lines)


# --------------------------------------------------------------------------- Markdown


def parse_md(source: str):
    md = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"])
    return md.parse(source)


def tables(tokens) -> list[list[list[object]]]:
    """Tables → rows → cells (the cell's inline token)."""
    found: list[list[list[object]]] = []
    for i, token in enumerate(tokens):
        if token.type == "table_open":
            found.append([])
        elif token.type == "tr_open":
            found[-1].append([])
        elif token.type in ("th_open", "td_open"):
            found[-1][-1].append(tokens[i + 1])
    return found


def inline_text(inline) -> str:
    """The text of an inline token; fails on anything but text and our <br>."""
    out = []
    for child in inline.children or []:
        if child.type == "text":
            out.append(child.content)
        elif child.type == "html_inline" and child.content == "<br>":
            out.append("\n")
        else:
            raise AssertionError(f"user text became markup: {child.type} {child.content!r}")
    return "".join(out)


def one_activity_canvas(value: str) -> Canvas:
    activity = Activity(
        id="custom-x",
        name=value,
        category="production",
        score=0.5,
        priority=1,
        status="accepted",
        evidence=(EvidenceRef("q", value),),
        kpis=(value,),
        partner_candidate=True,
        partner_hint=value,
        serves=("channels",),
        focus_reason=value,
        rationale=value,
    )
    return Canvas(
        title=value,
        created=value,
        bank=value,
        blocks={b: (value,) for b in BLOCKS},
        dominant="production",
        mix={"production": 1.0, "problem_solving": 0.0, "platform_network": 0.0},
        activities=(activity, Activity("b", "B", "supporting", 0.2)),
        answers={"q": value},
        questions={"q": value},
        warnings=(CanvasWarning(value, value, ("custom-x",)),),
        notes={"q": value},
        assumptions=("q", value),
    )


@SETTINGS
@given(text)
@example("a | b\nc")
@example("\\")
@example("1. x")
@example("`")
def test_markdown_tables_keep_their_shape_and_cells_stay_text(value: str) -> None:
    tokens = parse_md(render(one_activity_canvas(value), "md"))
    found = tables(tokens)
    # activities, business type, guiding questions
    assert [len(t) for t in found] == [3, 4, 5]
    assert [{len(row) for row in t} for t in found] == [{9}, {3}, {2}]
    _header, row, _ = found[0]
    expected = expected_text(value, strip=True)
    assert inline_text(row[1]) == (expected or "—")  # the activity's name
    kpis = inline_text(row[7])
    assert kpis == (expected or "—")
    assert inline_text(row[6]) == f"“{expected or '…'}”"  # the evidence quote


@SETTINGS
@given(text)
def test_markdown_headings_and_lists_are_only_ours(value: str) -> None:
    source = render(one_activity_canvas(value), "md")
    tokens = parse_md(source)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    h2 = [tokens[i + 1].content for i, t in enumerate(tokens) if t.tag == "h2" and t.nesting == 1]
    assert h2[:9] == [
        "Customer Segments",
        "Value Propositions",
        "Channels",
        "Customer Relationships",
        "Revenue Streams",
        "Key Resources",
        "Key Activities",
        "Key Partners",
        "Cost Structure",
    ]
    # title + 9 blocks + 7 sections of ours (notes and assumptions are present) + 1 answer
    assert len(headings) == 1 + 9 + 8 + 1
    kinds = {t.type for t in tokens}
    assert not kinds & {"html_block", "code_block", "fence"}
    assert sum(t.type == "hr" for t in tokens) == 1  # only the one above the licence
    # the nine blocks, the meta lines, the warnings and the assumptions
    assert sum(t.type == "bullet_list_open" for t in tokens) == 9 + 1 + 1 + 1
    assert sum(t.type == "ordered_list_open" for t in tokens) == 1  # the top three
    for t in tokens:
        if t.type == "inline":
            for child in t.children or []:
                assert child.type != "html_inline" or child.content == "<br>"
                assert child.type not in ("image", "code_inline") and not (
                    child.type == "link_open"
                    and "strategyzer" not in child.attrs["href"]
                    and "creativecommons" not in child.attrs["href"]
                )


@pytest.mark.parametrize("value", HOSTILE)
def test_md_inline_renders_as_the_literal_text(value):
    source = f"| h |\n|---|\n| {md_inline(value)} |\n"
    (table,) = tables(parse_md(source))
    assert inline_text(table[1][0]) == expected_text(value, strip=True)


@pytest.mark.parametrize("value", HOSTILE)
def test_md_lines_in_a_quote_renders_as_the_literal_text(value):
    tokens = parse_md(f"> {md_lines(value, '> ')}\n")
    inline = [t for t in tokens if t.type == "inline"]
    expected = expected_text(value, strip=True)
    if not expected:
        assert not inline or not inline[0].content
        return
    (block,) = inline
    out = []
    for child in block.children:
        if child.type == "text":
            out.append(child.content)
        elif child.type == "hardbreak":
            out.append("\n")
        else:
            raise AssertionError(child.type)
    assert "".join(out) == expected
    assert [t.type for t in tokens][:2] == ["blockquote_open", "paragraph_open"]


def test_md_escaping_keeps_plain_text_readable():
    assert md_inline("Bean & Gone: 20% off at 09:30, snake_case, a -> b") == (
        "Bean & Gone: 20% off at 09:30, snake_case, a -> b"
    )
    assert md_inline("0.86") == "0.86"
    assert md_inline("1. first") == "1\\. first"
    assert md_inline("- dash") == "\\- dash"
    assert md_inline("-5%") == "-5%"
    assert md_inline("<b>") == "&lt;b>"
    assert md_inline("&copy; & &#60;") == "&amp;copy; & &amp;\\#60;"
    assert md_inline(":smile: 10:30:00") == "\\:smile: 10:30:00"
    assert md_inline("a\n\nb") == "a<br>b"
    assert md_inline("", "—") == "—"


def test_control_characters_become_visible():
    assert visible("\x1b[2J\x00\x07\x7f\x9b\t") == "␛[2J␀␇␡\ufffd\t"
    assert text_lines("a\r\nb\rc\x85d\u2028e\x0bf") == ["a", "b", "c", "d", "e", "f"]
    for fmt in ("md", "html"):
        out = render(one_activity_canvas("\x1b]0;owned\x07\x1b[2J"), fmt)
        assert "\x1b" not in out and "\x07" not in out


# --------------------------------------------------------------------------- HTML


class Tree(HTMLParser):
    """Start/end events (tag names, `br` left out) and the text of chosen elements."""

    VOID: ClassVar[set[str]] = {"meta", "br", "img", "input", "link", "hr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[str] = []
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.texts: dict[str, list[str]] = {}
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        attrs_ = dict(attrs)
        if tag == "br":
            self._text("\n")
            return
        if tag not in self.VOID:
            self.stack.append((tag, attrs_))
        if "cut" in (attrs_.get("class") or "").split():
            self.skip += 1  # the "cut for print" note depends on the text's length
        if not self.skip:
            self.events.append(f"<{tag}>")

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        assert self.stack and self.stack[-1][0] == tag, (tag, self.stack[-3:])
        _, attrs = self.stack.pop()
        if not self.skip:
            self.events.append(f"</{tag}>")
        if "cut" in (attrs.get("class") or "").split():
            self.skip -= 1

    def handle_data(self, data):
        self._text(data)

    def _text(self, data):
        for tag, attrs in self.stack:
            key = attrs.get("class") or tag
            if tag in ("h1", "title", "li", "dd", "h3"):
                self.texts.setdefault(key, [""])[-1] += data

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def parse_html(source: str) -> Tree:
    tree = Tree()
    tree.feed(source)
    tree.close()
    assert not tree.stack
    return tree


@SETTINGS
@given(text)
@example("</li></ul><script>alert(1)</script>")
@example("<br>")
@example("a\nb")
@example("q")
def test_html_structure_does_not_depend_on_the_text(value: str) -> None:
    # Text that changes what is shown, not how: nothing, or the question id itself
    # (then the free-text assumption is that question's).
    baseline = "x" if value.strip() and value != "q" else value
    tree = parse_html(render(one_activity_canvas(value), "html"))
    base = parse_html(render(one_activity_canvas(baseline), "html"))
    assert tree.events == base.events
    assert "<script>" not in tree.events
    display = value if value.strip() else "Untitled canvas"
    assert tree.texts["h1"] == [expected_text(display, strip=False)]
    title = " ".join(line.strip() for line in text_lines(display) if line.strip())
    assert tree.texts["title"] == [f"{title} · Business Model Canvas"]


@pytest.mark.parametrize("value", HOSTILE)
def test_html_text_round_trips(value):
    tree = parse_html(f"<p><h1>{html_text(value)}</h1></p>")
    assert tree.texts.get("h1", [""]) == [expected_text(value, strip=False)]


def test_jinja_syntax_in_data_is_never_evaluated():
    value = "{{ 7*7 }} {% for i in range(3) %}{{ i }}{% endfor %} {# c #}"
    canvas = one_activity_canvas(value)
    for fmt in ("md", "html"):
        out = render(canvas, fmt)
        assert "49" not in out and "012" not in out
        assert "{{ 7\\*7 }}" in out or "{{ 7*7 }}" in out


def test_html_is_self_contained():
    hostile = render(one_activity_canvas('<img src="http://evil/x.png"> x'), "html").lower()
    assert "<img" not in hostile and "<script" not in hostile
    low = render(one_activity_canvas("plain"), "html").lower()
    assert "<script" not in low
    assert "<link" not in low
    assert "@import" not in low
    assert "url(" not in low
    assert "src=" not in low
    # the only links are the licence's
    hrefs = [part.split('"', 1)[0] for part in low.split('href="')[1:]]
    assert set(hrefs) <= {
        "https://www.strategyzer.com",
        "https://creativecommons.org/licenses/by-sa/3.0/",
    }
