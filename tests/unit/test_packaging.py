"""The built wheel carries the banks and templates and works from any directory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # Build from a copy so the checkout gets no build/ or dist/ litter.
    src = tmp_path_factory.mktemp("src") / "canvas-tui"
    shutil.copytree(
        REPO,
        src,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            "*.egg-info",
            "__pycache__",
            ".pytest_cache",
            ".ruff_cache",
            ".hypothesis",
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(src),
        ],
        check=True,
    )
    (built,) = out.glob("canvas_tui-*.whl")
    return built


def test_the_wheel_carries_its_data_and_runs_installed_from_another_directory(wheel, tmp_path):
    # One test, so the wheel is built once per run (a module fixture is built again on
    # every xdist worker that runs a test of the module).
    names = zipfile.ZipFile(wheel).namelist()
    assert "canvas_tui/question_banks/default/bank.toml" in names
    assert "canvas_tui/question_banks/default/value_proposition.toml" in names
    assert any(n.startswith("canvas_tui/templates/") for n in names)
    assert "canvas_tui/serve/page.html" in names  # the served page's template
    assert not any(n.startswith("tests/") for n in names)

    env_dir = tmp_path / "venv"
    # The test environment already holds the dependencies; the fresh venv sees them through
    # a .pth file, so this test needs no network, yet canvas_tui comes only from the wheel.
    # No pip inside it (ensurepip takes most of this test's time): the outer pip installs
    # into it with --python.
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    deps = [p for p in sys.path if p.endswith("site-packages")]
    Path(site, "outer_deps.pth").write_text("\n".join(deps) + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ],
        check=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    answers = elsewhere / "answers.toml"
    answers.write_text((REPO / "tests" / "data" / "contract_answers.toml").read_text())
    env = {**os.environ, "CANVAS_TUI_HOME": str(tmp_path / "home"), "PYTHONPATH": ""}
    where = subprocess.run(
        [str(python), "-c", "import canvas_tui, sys; print(canvas_tui.__file__)"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
        check=True,
    ).stdout
    assert str(env_dir) in where  # the installed copy, not the checkout
    script = env_dir / "bin" / "canvas-tui"
    result = subprocess.run(
        [str(script), "run", "answers.toml"], capture_output=True, text=True, cwd=elsewhere, env=env
    )
    assert result.returncode == 0, result.stderr
    canvas = tomllib.loads(result.stdout)
    assert canvas["meta"]["title"] == "Acme Tutors"
    check = subprocess.run(
        [str(script), "bank", "new", "mybank"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
    )
    assert check.returncode == 0, check.stderr
    assert (elsewhere / "mybank" / "value_proposition.toml").is_file()
