"""The meaning layer runs without numpy (fresh processes).

numpy costs 40-55 ms of import: the layer reads its memory-mapped table with the standard
library, so neither `canvas-tui run` start-up, export, diff, merge, the app's first frame
nor the inference itself loads numpy (it is needed only to train the layer, in
benchmarks/ablation.py). Each check runs in a subprocess that then reports whether numpy
is in sys.modules."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO

REPORT = "print('NUMPY=' + str('numpy' in sys.modules), file=sys.stderr)\n"


def _run(code: str, tmp_path) -> str:
    env = {"CANVAS_TUI_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_importing_the_cli_and_the_inference_does_not_load_numpy(tmp_path):
    code = (
        "import sys\n"
        "import canvas_tui.cli, canvas_tui.cli.parser, canvas_tui.core.headless\n"
        "import canvas_tui.core.inference.infer, canvas_tui.core.inference.meaning\n"
        "import canvas_tui.core.workbench\n" + REPORT
    )
    assert "NUMPY=False" in _run(code, tmp_path)


def test_the_inference_with_the_meaning_layer_never_loads_numpy(tmp_path):
    # the layer must really have run (the table open, the answers read), or the check
    # would be vacuous
    code = (
        "import sys\n"
        "from canvas_tui.core.inference.catalogue import default_catalogue\n"
        "from canvas_tui.core.inference.infer import infer\n"
        "from canvas_tui.core.inference import meaning\n"
        "r = infer({'value_proposition.offer': 'We roast coffee beans every week and sell"
        " them in bags.', 'channels.reach': 'People order the bags on our web shop and we"
        " post them out.'}, default_catalogue())\n"
        "ran = meaning.load_table.cache_info().currsize and meaning._read.cache_info().currsize\n"
        "print('MEANING=' + str(bool(ran and r.candidates)), file=sys.stderr)\n" + REPORT
    )
    report = _run(code, tmp_path)
    assert "MEANING=True" in report
    assert "NUMPY=False" in report


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "tests/data/canvases/rich.toml", "--format", "md", "-o", "{tmp}/out.md"],
        ["diff", "tests/data/canvases/minimal.toml", "tests/data/canvases/rich.toml"],
        ["merge", "tests/data/canvases/minimal.toml", "tests/data/canvases/rich.toml"],
    ],
)
def test_export_diff_merge_never_load_numpy(argv, tmp_path):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    code = (
        "import sys\n"
        "from canvas_tui.cli import main\n"
        f"status = main({argv!r})\n"
        + REPORT
        + "raise SystemExit(0 if status in (0, 1) else status)\n"
    )
    assert "NUMPY=False" in _run(code, tmp_path)


def test_the_first_frame_does_not_load_numpy(tmp_path):
    # The app warms the inference up in a thread AFTER the first frame (that loads the
    # layer, on purpose); a stub inference keeps the check on the frame itself.
    code = (
        "import sys, asyncio\n"
        "from canvas_tui.core.interview.session import SessionStore\n"
        "from canvas_tui.ui.app import AppConfig, make_app\n"
        "from canvas_tui.core.inference.results import Inference\n"
        f"app = make_app(AppConfig(store=SessionStore({str(tmp_path)!r}),"
        " infer_fn=lambda *a, **k: Inference()))\n"
        "async def main():\n"
        "    async with app.run_test(size=(100, 30)) as pilot:\n"
        "        await pilot.pause()\n"
        "asyncio.run(main())\n" + REPORT
    )
    assert "NUMPY=False" in _run(code, tmp_path)
