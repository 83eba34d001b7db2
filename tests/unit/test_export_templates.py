"""A person's own template: sandboxed, strict, same context and filters as the built-ins."""

from __future__ import annotations

from pathlib import Path

import pytest

from canvas_tui.core.canvas.model import Activity, Canvas
from canvas_tui.core.errors import TemplateError
from canvas_tui.core.exports.render import read_canvas, render, render_template, template_context

RICH = Path(__file__).resolve().parents[1] / "data" / "canvases" / "rich.toml"


@pytest.fixture(scope="module")
def rich() -> Canvas:
    return read_canvas(RICH)


def template(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def hostile(text: str) -> Canvas:
    return Canvas(
        title=text,
        created="c",
        bank="b",
        activities=(Activity("a", text, "production", 0.5, 1, "accepted"),),
        answers={"q": text},
    )


def test_the_context_is_documented_and_plain(rich):
    context = template_context(rich)
    assert set(context) >= {
        "canvas",
        "title",
        "display_title",
        "meta",
        "blocks",
        "block",
        "activities",
        "kept",
        "rejected",
        "focus",
        "business_type",
        "coverage",
        "warnings",
        "answers",
        "notes",
        "assumptions",
        "attribution",
    }
    docs = (Path(__file__).resolve().parents[2] / "docs" / "export.md").read_text("utf-8")
    for key in context:
        assert f"`{key}`" in docs, f"docs/export.md does not document `{key}`"
    # no key that a template would shadow with a dict method (block.items is a method)
    for block in context["blocks"]:
        assert not set(block) & set(dir(dict))
    for activity in context["activities"]:
        assert not set(activity) & set(dir(dict))


def test_context_matches_the_canvas(rich):
    context = template_context(rich)
    assert [b["id"] for b in context["blocks"]][:2] == ["customer_segments", "value_propositions"]
    assert [a["priority"] for a in context["focus"]] == [1, 2, 3]
    assert [a["name"] for a in context["rejected"]] == ["Event management"]
    assert context["business_type"]["dominant_title"] == "Production"
    assert [t["percent"] for t in context["business_type"]["mix"]] == [60, 25, 15]
    assert context["canvas"] == rich.to_dict()
    assert context["attribution"]["license"] == "CC BY-SA 3.0"
    assert context["answers"][0]["label"].startswith("What do you offer")
    assert any(a["assumption"] for a in context["answers"])


def test_plain_text_template_is_not_escaped(tmp_path):
    path = template(tmp_path, "t.txt.j2", "{{ title }}|{% for a in kept %}{{ a.name }}{% endfor %}")
    assert render_template(hostile("<b>*x*</b>"), path) == "<b>*x*</b>|<b>*x*</b>"


@pytest.mark.parametrize("name", ["t.html", "t.htm", "t.html.j2", "t.HTM.jinja", "t.xml.j2"])
def test_html_templates_are_autoescaped(tmp_path, name):
    path = template(tmp_path, name, "<p>{{ title }}</p>")
    assert render_template(hostile("<script>x</script>"), path) == (
        "<p>&lt;script&gt;x&lt;/script&gt;</p>"
    )


def test_html_format_turns_autoescape_on_for_any_template_name(tmp_path):
    path = template(tmp_path, "t.j2", "<p>{{ title }}</p>")
    assert render_template(hostile("<i>"), path, fmt="html") == "<p>&lt;i&gt;</p>"


def test_markdown_templates_escape_for_markdown(tmp_path):
    path = template(tmp_path, "t.md.j2", "| {{ title }} |\n")
    assert render_template(hostile("a | *b*\nc"), path) == "| a \\| \\*b\\*<br>c |\n"


def test_filters_of_the_built_ins_are_available(tmp_path):
    path = template(
        tmp_path,
        "t.txt.j2",
        "{{ 0.456|percent }} {{ 0.5|bar(4) }} {{ 'A b'|slugify }} {{ 'x|y'|md }}"
        " {{ 'a\nb'|oneline }} {{ '\x1b'|visible }}",
    )
    assert render_template(hostile("t"), path) == "46% ██░░ a-b x\\|y a b ␛"


def test_safe_passes_markup_through_in_markdown(tmp_path):
    path = template(tmp_path, "t.md.j2", "{{ '**bold**'|safe }} {{ '**no**' }}")
    assert render_template(hostile("t"), path) == "**bold** \\*\\*no\\*\\*"


def test_jinja_in_the_data_stays_data(tmp_path):
    path = template(tmp_path, "t.txt.j2", "{{ title }}")
    value = "{{ 7*7 }}{% for x in range(3) %}{{ x }}{% endfor %}"
    assert render_template(hostile(value), path) == value


def test_a_user_template_can_extend_a_built_in(tmp_path, rich):
    path = template(tmp_path, "mine.md.j2", '{% include "canvas.md.j2" %}Extra line\n')
    out = render_template(rich, path)
    assert out == render(rich, "md") + "Extra line\n"


def test_a_user_template_can_include_a_neighbour(tmp_path, rich):
    template(tmp_path, "part.j2", "[{{ display_title }}]")
    path = template(tmp_path, "main.txt.j2", '{% include "part.j2" %}\n{{ meta.bank }}\n')
    # as in the built-ins, a block tag eats the newline after it (trim_blocks)
    assert render_template(rich, path) == "[Bean & Gone — Coffee Roasters]default\n"


def test_trailing_newline_is_kept(tmp_path, rich):
    assert render_template(rich, template(tmp_path, "t.txt", "x\n")) == "x\n"


@pytest.mark.parametrize(
    ("name", "text", "line", "problem"),
    [
        ("syntax.md.j2", "a\n{{ title }\n", 2, "template syntax error"),
        ("unclosed.md.j2", "{% if title %}\n\nx", 2, "template syntax error"),
        ("undefined.md.j2", "a\nb\n{{ nope }}\n", 3, "undefined in template: 'nope' is undefined"),
        ("attr.txt", "{{ meta.nope }}", 1, "undefined in template"),
        ("dunder.txt", "\n{{ title.__class__ }}", 2, "not allowed in a template (sandbox)"),
        ("mutate.txt", "{{ kept.append(1) }}", 1, "not allowed in a template (sandbox)"),
        ("mutate2.txt", "{{ meta.update({}) }}", 1, "not allowed in a template (sandbox)"),
        ("divide.txt", "\n\n{{ 1 / 0 }}", 3, "template failed: ZeroDivisionError"),
        ("include.txt", '\n{% include "missing.j2" %}', 2, "template not found: missing.j2"),
        ("filter.txt", "{{ title|nofilter }}", 1, "template syntax error: No filter named"),
    ],
)
def test_template_errors_name_file_line_and_problem(tmp_path, rich, name, text, line, problem):
    path = template(tmp_path, name, text)
    with pytest.raises(TemplateError) as info:
        render_template(rich, path)
    message = str(info.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert problem in message
    assert "\n" not in message


def test_error_in_an_included_template_names_that_file(tmp_path, rich):
    part = template(tmp_path, "part.j2", "ok\n{{ broken }}\n")
    path = template(tmp_path, "main.txt", '{% include "part.j2" %}')
    with pytest.raises(TemplateError) as info:
        render_template(rich, path)
    assert str(info.value).startswith(f"{part}:2: undefined in template")


def test_missing_unreadable_and_folder_templates(tmp_path, rich):
    with pytest.raises(TemplateError, match="template file not found"):
        render_template(rich, tmp_path / "none.j2")
    with pytest.raises(TemplateError, match="template is not a file"):
        render_template(rich, tmp_path)
    bad = tmp_path / "latin1.j2"
    bad.write_bytes(b"caf\xe9")
    with pytest.raises(TemplateError, match="template cannot be read"):
        render_template(rich, bad)


def test_render_passes_the_template_through(tmp_path, rich):
    path = template(tmp_path, "t.txt", "{{ meta.bank }}")
    assert render(rich, "md", template=path) == "default"
