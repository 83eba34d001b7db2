"""Reading a founder's draft of key activities, written the many ways people write lists."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canvas_tui.core.draft.parse import (
    MAX_ITEMS,
    DraftError,
    draft_from_strings,
    parse_draft,
    read_answers_draft,
    read_draft,
)
from tests.conftest import write

THREE = ["Software development", "Customer success", "Sales lead generation"]


def texts(text: str, **kw) -> list[str]:
    return list(parse_draft(text, **kw).texts)


@pytest.mark.parametrize(
    "text",
    [
        "Software development\nCustomer success\nSales lead generation\n",
        "- Software development\n- Customer success\n- Sales lead generation",
        "* Software development\n* Customer success\n* Sales lead generation",
        "• Software development\n• Customer success\n• Sales lead generation",
        "+ Software development\n\n+ Customer success\n\n+ Sales lead generation\n",
        "1. Software development\n2. Customer success\n3. Sales lead generation",
        "1) Software development\n2) Customer success\n3) Sales lead generation",
        "(1) Software development\n(2) Customer success\n(3) Sales lead generation",
        "- [ ] Software development\n- [x] Customer success\n- [ ] Sales lead generation",
        "Software development\r\nCustomer success\r\nSales lead generation\r\n",
        "  - **Software development**  \n  - *Customer success*;\n  - `Sales lead generation`.",
        "1. Software development 2. Customer success 3. Sales lead generation",
        "Software development, Customer success, and Sales lead generation",
        "Software development; Customer success; Sales lead generation",
    ],
    ids=[
        "plain",
        "dashes",
        "stars",
        "bullets",
        "plus-blank-lines",
        "numbered-dot",
        "numbered-paren",
        "numbered-both-parens",
        "checkboxes",
        "crlf",
        "emphasis-and-punctuation",
        "inline-numbering",
        "commas",
        "semicolons",
    ],
)
def test_a_list_written_any_common_way_gives_the_same_three_lines(text):
    assert texts(text) == THREE


def test_line_numbers_are_the_drafts_own():
    draft = parse_draft("# Our list\n\n- Software development\n\n- Sales\n")
    assert [(line.text, line.line) for line in draft.lines] == [
        ("Software development", 3),
        ("Sales", 5),
    ]


def test_the_key_activities_section_of_a_whole_canvas_is_the_draft_and_other_blocks_are_kept():
    text = (
        "# Shiftly\n\n"
        "## Key Partners\n- AWS\n- Stripe\n\n"
        "## KEY ACTIVITIES\n\n- Software development\n- Customer success\n\n"
        "## Key Resources\n- Engineers\n\n"
        "## Customer Segments\n- Restaurants\n"
    )
    draft = parse_draft(text)
    assert draft.form == "markdown"
    assert list(draft.texts) == ["Software development", "Customer success"]
    assert draft.blocks == {
        "key_partners": ("AWS", "Stripe"),
        "key_resources": ("Engineers",),
        "customer_segments": ("Restaurants",),
    }


def test_canvas_tuis_own_markdown_export_reads_back_as_a_draft(tmp_path):
    from canvas_tui.core.exports.render import read_canvas, render

    canvas = read_canvas(Path(__file__).resolve().parents[1] / "data" / "canvases" / "rich.toml")
    draft = parse_draft(render(canvas, "md"))
    assert list(draft.texts) == list(canvas.blocks["key_activities"])
    # the other blocks keep their words (an activity's trailing full stop is dropped)
    assert draft.blocks["channels"] == tuple(c.rstrip(".") for c in canvas.blocks["channels"])


@pytest.mark.parametrize(
    "heading",
    [
        "## Key Activities",
        "### key activities",
        "# KEY ACTIVITIES (top 3)",
        "**Key Activities**",
        "Key activities:",
        "Key Activities\n==============",
        "Key Activities\n---",
        "## 7. Key Activities",
        "## 🔑 Key Activities 🛠",
    ],
)
def test_key_activities_headings_in_any_case_and_style(heading):
    text = f"Value Proposition: rotas in minutes\n\n{heading}\n- Software development\n- Sales\n\n## Channels\n- Web"
    assert texts(text) == ["Software development", "Sales"]


def test_a_key_activities_line_with_the_list_after_the_colon():
    text = "Key partners: AWS, Stripe\nKey activities: software development, customer success; sales\nChannels: web"
    draft = parse_draft(text)
    assert list(draft.texts) == ["software development", "customer success", "sales"]
    assert draft.blocks == {"key_partners": ("AWS", "Stripe"), "channels": ("web",)}


def test_a_canvas_without_a_key_activities_section_is_one_clear_error():
    with pytest.raises(DraftError, match=r"no Key Activities section.*Channels"):
        parse_draft("## Channels\n- Web\n## Key Partners\n- AWS")


def test_an_empty_key_activities_section_is_one_clear_error():
    with pytest.raises(DraftError, match="Key Activities section is empty"):
        parse_draft("## Key Activities\n\n## Channels\n- Web")


def test_a_table_with_an_activity_and_a_category_column():
    text = (
        "| # | Activity | Category |\n"
        "|:-:|----------|----------|\n"
        "| 1 | Software development | Platform |\n"
        "| 2 | Customer success | problem-solving |\n"
        "| 3 | Sales | |\n"
    )
    draft = parse_draft(text)
    assert draft.form == "table"
    assert [(d.text, d.label, d.line) for d in draft.lines] == [
        ("Software development", "platform_network", 3),
        ("Customer success", "problem_solving", 4),
        ("Sales", "", 5),
    ]


def test_a_one_column_table_without_a_header():
    assert texts("| Software development |\n| Sales |") == ["Software development", "Sales"]


def test_a_canvas_grid_table_gives_its_key_activities_column_split_at_br():
    text = (
        "| Key Partners | Key Activities | Value Propositions |\n"
        "|---|---|---|\n"
        "| AWS<br>Stripe | Software development<br/>Sales | Rotas in minutes |\n"
    )
    draft = parse_draft(text)
    assert list(draft.texts) == ["Software development", "Sales"]
    assert draft.blocks["key_partners"] == ("AWS", "Stripe")


def test_the_seeds_table_cell_with_inline_numbering():
    text = (
        "| Industry | Key Activities (Top 3) |\n| :--- | :--- |\n"
        "| SaaS | 1. Software development (DevOps) 2. Customer success management "
        "3. Sales lead generation |\n"
    )
    assert texts(text) == [
        "Software development (DevOps)",
        "Customer success management",
        "Sales lead generation",
    ]


@pytest.mark.parametrize(
    ("line", "text", "label"),
    [
        ("Production: roasting coffee", "roasting coffee", "production"),
        ("roasting coffee (production)", "roasting coffee", "production"),
        ("[Platform] matching drivers", "matching drivers", "platform_network"),
        ("customer onboarding — Problem solving", "customer onboarding", "problem_solving"),
        ("Platform / network: matching", "matching", "platform_network"),
        ("Software development (DevOps)", "Software development (DevOps)", ""),
        ("Customer support: 24/7 chat", "Customer support: 24/7 chat", ""),
    ],
)
def test_a_founders_category_label_is_read_off_the_line(line, text, label):
    (only,) = parse_draft(f"- {line}").lines
    assert (only.text, only.label) == (text, label)


def test_category_sub_headings_and_label_lines_label_the_items_below():
    text = (
        "## Key Activities\n### Production\n- Roasting\n### Problem solving\n- Training baristas\n"
        "### Other\n- Marketing\n"
    )
    assert [(d.text, d.label) for d in parse_draft(text).lines] == [
        ("Roasting", "production"),
        ("Training baristas", "problem_solving"),
        ("Marketing", ""),
    ]
    flat = "Production:\n- Roasting\n- Packing\nSupporting:\n- Marketing"
    assert [(d.text, d.label) for d in parse_draft(flat).lines] == [
        ("Roasting", "production"),
        ("Packing", "production"),
        ("Marketing", "supporting"),
    ]


def test_a_nested_label_holds_only_for_its_children():
    text = "- Production\n  - Roasting\n  - Packing\n- Marketing\n"
    assert [(d.text, d.label) for d in parse_draft(text).lines] == [
        ("Roasting", "production"),
        ("Packing", "production"),
        ("Marketing", ""),
    ]


def test_markup_is_read_as_markup_and_user_markup_stays_text():
    text = (
        "- [Software development](https://example.com/dev)\n"
        "- <b>Sales</b> &amp; marketing\n"
        "- \\*escaped\\* stars\n"
        "- [bold]rich markup[/bold]\n"
        "- <!-- a comment -->Support\n"
    )
    assert texts(text) == [
        "Software development",
        "Sales & marketing",
        "*escaped* stars",
        "[bold]rich markup[/bold]",
        "Support",
    ]


def test_code_fences_and_rules_are_not_activities():
    assert texts("```\n- Sales\n```\n---\n- Support\n***") == ["Sales", "Support"]


# ----------------------------------------------------------------------------- TOML


def test_a_canvas_tui_toml_gives_its_key_activities_block_with_the_categories_as_labels():
    text = (
        'schema = "canvas-tui/1"\n[blocks]\nkey_activities = ["Software development", "My custom"]\n'
        'channels = ["Web"]\n'
        '[[key_activities]]\nid = "custom-my-custom"\nname = "My custom"\ncategory = "production"\n'
    )
    draft = parse_draft(text, toml=True)
    assert draft.form == "toml"
    assert [(d.text, d.label) for d in draft.lines] == [
        ("Software development", ""),
        ("My custom", "production"),
    ]
    assert draft.blocks["channels"] == ("Web",)


def test_draft_key_activities_in_toml_and_the_draft_entries_of_an_audited_canvas():
    assert texts('[draft]\nkey_activities = ["- Sales", "Production: roasting"]\n') == [
        "Sales",
        "roasting",
    ]
    audited = '[[draft]]\ntext = "Sales"\nid = "sales"\n[[draft]]\ntext = "HR"\nid = "custom-hr"\n'
    assert texts(audited, toml=True) == ["Sales", "HR"]


def test_a_toml_draft_with_no_activities_or_a_wrong_type_is_one_clear_error():
    with pytest.raises(DraftError, match="no key activities in this TOML file"):
        parse_draft('title = "x"\n', toml=True)
    with pytest.raises(DraftError, match=r"'draft.key_activities\[1\]' is a int, not text"):
        parse_draft('[draft]\nkey_activities = ["Sales", 3]\n')
    with pytest.raises(DraftError, match="not valid TOML"):
        parse_draft('[draft\nkey_activities = "x"', toml=True)


def test_the_answers_file_draft(tmp_path):
    answers = write(
        tmp_path / "a.toml",
        '[answers]\n"value_proposition.offer" = "x"\n\n[draft]\nkey_activities = ["Sales", "HR"]\n',
    )
    draft = read_answers_draft(answers)
    assert draft is not None and list(draft.texts) == ["Sales", "HR"]
    assert read_answers_draft(write(tmp_path / "b.toml", '[answers]\n"a.b" = "x"\n')) is None
    bad = write(tmp_path / "c.toml", '[answers]\n"a.b" = "x"\n[draft]\nkey_activities = [1]\n')
    with pytest.raises(DraftError) as caught:
        read_answers_draft(bad)
    assert str(caught.value).startswith(f"{bad}:4: ")


# ----------------------------------------------------------------------------- bounds


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the draft is empty"),
        ("  \n\t\n", "the draft is empty"),
        ("abc\x00def", "binary data"),
        ("- " + "x" * 5000, "5,002 characters on one line"),
        ("- " + "x" * 400, "an activity of 400 characters"),
        ("\n".join(f"- activity {i}" for i in range(10_000)), f"more than {MAX_ITEMS} activities"),
        ("- <!-- -->\n- **\n", "no key activities found"),
    ],
    ids=["empty", "blank", "binary", "long-line", "long-item", "10000-lines", "only-markup"],
)
def test_bad_drafts_get_one_clear_line(content, message):
    with pytest.raises(DraftError) as caught:
        parse_draft(content)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_long_line_outside_the_key_activities_section_is_ignored():
    text = "## Notes\n" + "x" * 5000 + "\n## Key Activities\n- Sales\n"
    assert texts(text) == ["Sales"]


def test_a_long_readme_with_a_short_section_is_read():
    text = (
        "\n".join(f"line {i} of the story" for i in range(10_000))
        + "\n## Key Activities\n- Sales\n"
    )
    assert texts(text) == ["Sales"]


def test_read_draft_files(tmp_path):
    md = write(tmp_path / "draft.md", "- Sales\n- Support\n")
    assert list(read_draft(md).texts) == ["Sales", "Support"]
    toml = write(tmp_path / "draft.toml", '[draft]\nkey_activities = ["Sales"]\n')
    assert list(read_draft(toml).texts) == ["Sales"]
    js = write(
        tmp_path / "c.json", '{"schema": "canvas-tui/1", "blocks": {"key_activities": ["Sales"]}}'
    )
    assert list(read_draft(js).texts) == ["Sales"]
    with pytest.raises(DraftError, match="not valid JSON"):
        read_draft(write(tmp_path / "bad.json", "{"))
    with pytest.raises(DraftError, match="not a canvas-tui JSON canvas"):
        read_draft(write(tmp_path / "list.json", "[1]"))
    (tmp_path / "bin.md").write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(DraftError, match="not UTF-8"):
        read_draft(tmp_path / "bin.md")
    with pytest.raises(DraftError, match="draft not found"):
        read_draft(tmp_path / "nope.md")
    with pytest.raises(DraftError, match="is a folder"):
        read_draft(tmp_path)


@given(st.text(max_size=400))
def test_the_parser_never_raises_anything_but_a_draft_error(text):
    try:
        draft = parse_draft(text)
    except DraftError as error:
        assert "\n" not in str(error)
        return
    assert draft.lines
    assert all(line.text and len(line.text) <= 300 for line in draft.lines)


@given(
    st.lists(
        st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from(["- ", "* ", "1. ", "", "| ", "## "]),
)
def test_arbitrary_lines_with_markers_never_raise_anything_but_a_draft_error(lines, marker):
    try:
        draft = parse_draft("\n".join(marker + line for line in lines))
    except DraftError as error:
        assert "\n" not in str(error)
    else:
        assert 1 <= len(draft.lines) <= MAX_ITEMS
        assert all(d.text.strip() and "\n" not in d.text for d in draft.lines)


def test_a_toml_string_of_several_lines_is_a_list():
    draft = draft_from_strings(["- Sales\n- Support\n\n"], source="a.toml")
    assert list(draft.texts) == ["Sales", "Support"]


@given(st.lists(st.text(max_size=60), max_size=6))
def test_any_list_of_strings_is_a_draft_or_one_clear_error(items):
    try:
        draft = draft_from_strings(items, source="a.toml")
    except DraftError as error:
        assert "\n" not in str(error)
    else:
        assert all(d.text.strip() for d in draft.lines)
