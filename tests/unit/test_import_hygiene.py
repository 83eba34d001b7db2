"""The core and the headless CLI never import the UI toolkit (checked in a fresh process)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO

CORE_MODULES = [
    "canvas_tui.cli",
    "canvas_tui.resources",
    "canvas_tui.core.interview.answers",
    "canvas_tui.core.interview.bank",
    "canvas_tui.core.canvas.model",
    "canvas_tui.core.inference.catalogue",
    "canvas_tui.core.errors",
    "canvas_tui.core.exports.render",
    "canvas_tui.core.fsutil",
    "canvas_tui.core.headless",
    "canvas_tui.core.inference.infer",
    "canvas_tui.core.interview.engine",
    "canvas_tui.core.interview.session",
    "canvas_tui.core.workbench",
]

CHECK = """
import sys
{imports}
leaked = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich"))
print(",".join(leaked))
"""


def test_core_imports_no_ui_toolkit():
    code = CHECK.format(imports="\n".join(f"import {m}" for m in CORE_MODULES))
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


@pytest.mark.parametrize(
    "argv",
    [
        ["bank", "check", "question_banks/default"],
        ["run", "tests/data/contract_answers.toml", "--format", "json"],
    ],
)
def test_headless_commands_never_import_textual(argv, tmp_path):
    code = (
        "import sys, runpy\n"
        f"sys.argv = ['canvas-tui', *{argv!r}]\n"
        "from canvas_tui.cli import main\n"
        "status = main(sys.argv[1:])\n"
        "leaked = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print('LEAKED=' + ','.join(leaked), file=sys.stderr)\n"
        "raise SystemExit(status)\n"
    )
    env = {"CANVAS_TUI_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env
    )
    assert result.returncode == 0, result.stderr
    assert "LEAKED=\n" in result.stderr or result.stderr.rstrip().endswith("LEAKED=")
