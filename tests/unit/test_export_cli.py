"""`canvas-tui export`: formats, -o, and every error path (one line on stderr, exit 2)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from canvas_tui.cli import main
from canvas_tui.core.exports.render import read_canvas, render

DATA = Path(__file__).resolve().parents[1] / "data" / "canvases"
RICH = DATA / "rich.toml"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["export", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("canvas-tui: ")
    assert "Traceback" not in err
    return lines[0]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- success


def test_markdown_to_stdout_by_default(capsys):
    code, out, err = run(capsys, str(RICH))
    assert code == 0 and err == ""
    assert out == render(read_canvas(RICH), "md")
    assert out.startswith("# Bean & Gone — Coffee Roasters\n")


@pytest.mark.parametrize("fmt", ["toml", "md", "html", "json"])
def test_every_format_to_stdout(capsys, fmt):
    code, out, _ = run(capsys, str(RICH), "--format", fmt)
    assert code == 0
    assert out == render(read_canvas(RICH), fmt)


@pytest.mark.parametrize(
    ("name", "marker"),
    [
        ("c.html", "<!DOCTYPE html>"),
        ("c.htm", "<!DOCTYPE html>"),
        ("c.md", "# Bean"),
        ("c.markdown", "# Bean"),
        ("c.json", '"schema": "canvas-tui/1"'),
        ("c.toml", 'schema = "canvas-tui/1"'),
        ("c.txt", "# Bean"),  # unknown extension: Markdown, the export default
    ],
)
def test_format_follows_the_output_extension(capsys, tmp_path, name, marker):
    target = tmp_path / name
    code, out, err = run(capsys, str(RICH), "-o", str(target))
    assert (code, out, err) == (0, "", "")
    assert marker in target.read_text(encoding="utf-8")


def test_explicit_format_beats_the_extension(capsys, tmp_path):
    target = tmp_path / "c.html"
    assert run(capsys, str(RICH), "--format", "json", "-o", str(target))[0] == 0
    assert json.loads(target.read_text(encoding="utf-8"))["meta"]["title"]


def test_toml_and_json_exports_read_back(capsys, tmp_path):
    for name in ("again.toml", "again.json"):
        assert run(capsys, str(RICH), "-o", str(tmp_path / name))[0] == 0
        assert read_canvas(tmp_path / name) == read_canvas(RICH)
    # and export renders from the JSON too
    code, out, _ = run(capsys, str(tmp_path / "again.json"), "--format", "md")
    assert code == 0 and out == render(read_canvas(RICH), "md")


def test_output_replaces_an_existing_file_and_leaves_no_temporaries(capsys, tmp_path):
    target = write(tmp_path / "c.md", "old")
    assert run(capsys, str(RICH), "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8").startswith("# Bean")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.md"]


def test_user_template(capsys, tmp_path):
    template = write(tmp_path / "t.txt.j2", "{{ title }}: {{ kept|length }} kept\n")
    code, out, _ = run(capsys, str(RICH), "--template", str(template))
    assert code == 0
    assert out == "Bean & Gone — Coffee Roasters: 8 kept\n"


# --------------------------------------------------------------------------- errors


def test_missing_canvas_file(capsys, tmp_path):
    missing = tmp_path / "nope.toml"
    code, out, err = run(capsys, str(missing))
    assert code == 2 and out == ""
    line = one_error_line(err)
    assert str(missing) in line and "not found" in line


def test_canvas_path_is_a_folder(capsys, tmp_path):
    code, _, err = run(capsys, str(tmp_path))
    assert code == 2 and "is not a file" in one_error_line(err)


def test_not_toml(capsys, tmp_path):
    bad = write(tmp_path / "c.toml", 'schema = "canvas-tui/1"\n[meta\ntitle = "x"\n')
    code, _, err = run(capsys, str(bad))
    line = one_error_line(err)
    assert code == 2
    assert f"{bad}:2: not valid TOML" in line


def test_not_json(capsys, tmp_path):
    bad = write(tmp_path / "c.json", '{"schema": "canvas-tui/1",\n oops}')
    code, _, err = run(capsys, str(bad))
    assert code == 2 and f"{bad}:2: not valid JSON" in one_error_line(err)


def test_not_utf8(capsys, tmp_path):
    bad = tmp_path / "c.toml"
    bad.write_bytes(b'schema = "\xff\xfe"\n')
    code, _, err = run(capsys, str(bad))
    assert code == 2 and "cannot be read" in one_error_line(err)


def test_an_answers_file_is_not_a_canvas(capsys, tmp_path):
    answers = write(tmp_path / "a.toml", '[answers]\n"revenue.model" = "fees"\n')
    code, _, err = run(capsys, str(answers))
    line = one_error_line(err)
    assert code == 2 and "schema: missing" in line and "canvas written by canvas-tui" in line


def test_wrong_schema(capsys, tmp_path):
    text = RICH.read_text(encoding="utf-8").replace('"canvas-tui/1"', '"canvas-tui/9"')
    bad = write(tmp_path / "c.toml", text)
    code, _, err = run(capsys, str(bad))
    line = one_error_line(err)
    assert code == 2 and f"{bad}:1: schema: is 'canvas-tui/9'" in line


def _line_of(text: str, needle: str, start: int = 0) -> int:
    return text[: text.index(needle, start)].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("score = 0.86", 'score = "high"', "key_activities[0].score: must be a number"),
        ("priority = 2", "priority = 9", "key_activities[1].priority: must be 0, 1, 2 or 3"),
        ('status = "rejected"', 'status = "maybe"', "key_activities[8].status: is 'maybe'"),
        ("partner_candidate = true", 'partner_candidate = "yes"', "partner_candidate"),
        ('dominant = "production"', 'dominant = "retail"', "business_type.dominant"),
        ("production = 0.6", "production = 1.6", "business_type.mix.production"),
        ('title = "Bean', 'title = 5\nold = "Bean', "meta.title: must be a string"),
        ("key_partners = [", 'key_partners = "x"\nold = [', "blocks.key_partners"),
    ],
)
def test_bad_key_types_name_the_key_and_line(capsys, tmp_path, old, new, where):
    text = RICH.read_text(encoding="utf-8")
    assert old in text
    changed = text.replace(old, new, 1)
    bad = write(tmp_path / "c.toml", changed)
    code, _, err = run(capsys, str(bad))
    line = one_error_line(err)
    assert code == 2, err
    assert where in line
    first = new.split("\n")[0]
    assert f"{bad}:{_line_of(changed, first)}: " in line


def test_bad_template_syntax(capsys, tmp_path):
    template = write(tmp_path / "t.md.j2", "# {{ title }}\n{% for a in kept %}\n{{ a.name }}\n")
    code, out, err = run(capsys, str(RICH), "--template", str(template))
    line = one_error_line(err)
    assert (code, out) == (2, "")
    assert line.startswith(f"canvas-tui: {template}:3: template syntax error: ")
    assert "endfor" in line


def test_undefined_variable_in_template(capsys, tmp_path):
    template = write(tmp_path / "t.md.j2", "# {{ title }}\n\n{{ canvas.meta.nmae }}\n")
    code, _, err = run(capsys, str(RICH), "--template", str(template))
    line = one_error_line(err)
    assert code == 2
    assert line.startswith(f"canvas-tui: {template}:3: undefined in template: ")
    assert "nmae" in line


def test_sandbox_violation_in_template(capsys, tmp_path):
    template = write(tmp_path / "t.txt", "{{ title.__class__.__mro__[1].__subclasses__() }}\n")
    code, _, err = run(capsys, str(RICH), "--template", str(template))
    line = one_error_line(err)
    assert code == 2
    assert f"{template}:1: not allowed in a template (sandbox)" in line


def test_missing_template(capsys, tmp_path):
    code, _, err = run(capsys, str(RICH), "--template", str(tmp_path / "none.j2"))
    line = one_error_line(err)
    assert code == 2 and f"{tmp_path / 'none.j2'}: template file not found" in line


def test_unwritable_output_path(capsys, tmp_path):
    blocker = write(tmp_path / "file", "I am a file, not a folder")
    target = blocker / "c.md"
    code, out, err = run(capsys, str(RICH), "-o", str(target))
    line = one_error_line(err)
    assert (code, out) == (2, "")
    assert f"{target}: cannot write here: {blocker} is a file, not a folder" in line


def test_unwritable_output_path_deeper_down(capsys, tmp_path):
    blocker = write(tmp_path / "file", "I am a file")
    target = blocker / "sub" / "c.md"
    code, _, err = run(capsys, str(RICH), "-o", str(target))
    assert code == 2
    assert f"{blocker} is a file, not a folder" in one_error_line(err)
    assert blocker.read_text(encoding="utf-8") == "I am a file"


def test_output_into_a_missing_folder_is_an_error(capsys, tmp_path):
    # issue 13: a typo in a folder name must not silently create folders
    target = tmp_path / "new" / "deeper" / "c.md"
    code, _, err = run(capsys, str(RICH), "-o", str(target))
    assert code == 2 and f"the folder {target.parent} does not exist" in one_error_line(err)
    assert not (tmp_path / "new").exists()
    target.parent.mkdir(parents=True)
    assert run(capsys, str(RICH), "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8").startswith("# Bean")


def test_output_path_is_a_folder(capsys, tmp_path):
    folder = tmp_path / "out.md"
    folder.mkdir()
    code, _, err = run(capsys, str(RICH), "-o", str(folder))
    assert code == 2 and f"{folder}: is a folder" in one_error_line(err)
    assert list(folder.iterdir()) == []  # no temporary left behind


def test_a_failed_export_leaves_the_old_output_alone(capsys, tmp_path):
    target = write(tmp_path / "c.md", "the previous export\n")
    template = write(tmp_path / "t.md.j2", "{{ nope }}")
    code, _, _ = run(capsys, str(RICH), "--template", str(template), "-o", str(target))
    assert code == 2
    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.md", "t.md.j2"]


def test_exported_toml_is_the_contract_schema(capsys):
    code, out, _ = run(capsys, str(RICH), "--format", "toml")
    data = tomllib.loads(out)
    assert code == 0
    assert data["schema"] == "canvas-tui/1"
    assert set(data["meta"]) >= {"title", "created", "bank", "generator"}
    assert set(data["business_type"]) == {"dominant", "mix"}
    first = data["key_activities"][0]
    assert set(first) >= {
        "id",
        "name",
        "category",
        "score",
        "priority",
        "status",
        "evidence",
        "rationale",
        "kpis",
        "partner_candidate",
    }
    assert set(first["evidence"][0]) >= {"question", "quote"}
