"""The export-path rules of the core: confined to a workspace, format from the name."""

from __future__ import annotations

import pytest

from canvas_tui.core.errors import OutputError
from canvas_tui.core.exports.target import format_of_name, resolve_target


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("bike.md", "md"),
        ("B.HTML", "html"),
        ("x.htm", "html"),
        ("c.toml", "toml"),
        ("d.json", "json"),
        ("notes.txt", None),
        ("plain", None),
    ],
)
def test_format_of_name(name, fmt):
    assert format_of_name(name) == fmt


def test_targets_resolve_against_the_base_and_stay_in_the_workspace(tmp_path):
    assert resolve_target("a.md", tmp_path, None) == (tmp_path / "a.md").resolve()
    assert resolve_target("a.md", tmp_path, tmp_path) == (tmp_path / "a.md").resolve()
    with pytest.raises(OutputError, match="inside the workshop folder"):
        resolve_target("../a.md", tmp_path, tmp_path)
    with pytest.raises(OutputError, match="does not exist"):
        resolve_target("missing/a.md", tmp_path, None)
