"""What the headless commands load (fresh processes): only what each needs.

`canvas-tui run` never loads the UI toolkit, Jinja2 (its toml/json output needs no
template) or platformdirs (the cache folder is found without it on Linux); with the
meaning layer off it loads no numpy either. `--version` and `--help` load none of the core.
docs/performance.md has the figures these keep."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

UI = ("textual", "rich")


def report(argv: list[str], tmp_path: Path, **env: str) -> dict:
    """`canvas-tui ARGV` in a fresh process: its status, the top-level packages it loaded
    (canvas_tui's own by full name) and the catalogue cache's counters."""
    code = (
        "import sys, json\n"
        "from canvas_tui.cli import main\n"
        "try:\n"
        f"    status = main({argv!r})\n"
        "except SystemExit as exc:\n"
        "    status = exc.code\n"
        "names = {m if m.startswith('canvas_tui') else m.split('.')[0] for m in sys.modules}\n"
        "cache = sys.modules.get('canvas_tui.core.inference.cache')\n"
        "stats = cache.stats if cache else {}\n"
        "said = cache.mention_stats if cache else {}\n"
        "m = sys.modules.get('canvas_tui.core.interview.mentions')\n"
        "said = {**said, 'compiles': m.compiles if m else 0}\n"
        "print(json.dumps({'status': status, 'modules': sorted(names), 'cache': stats,\n"
        "                  'mentions': said}))\n"
    )
    full_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "CANVAS_TUI_HOME": str(tmp_path / "home"),
        "CANVAS_TUI_CACHE": str(tmp_path / "cache"),
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=full_env
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["status"] in (0, None), result.stderr
    return found


def loaded_after(argv: list[str], tmp_path: Path, **env: str) -> set[str]:
    return set(report(argv, tmp_path, **env)["modules"])


def _run_argv(tmp_path: Path) -> list[str]:
    return ["run", "tests/data/contract_answers.toml", "-o", str(tmp_path / "out.toml")]


def test_run_loads_no_ui_no_jinja2_no_platformdirs(tmp_path):
    loaded = loaded_after(_run_argv(tmp_path), tmp_path)
    assert "canvas_tui.core.inference.infer" in loaded  # it did run the inference
    assert "canvas_tui.core.inference.cache" in loaded
    assert loaded.isdisjoint({*UI, "jinja2", "platformdirs"}), sorted(loaded)
    assert "canvas_tui.core.draft.parse" not in loaded  # no [draft], no --draft: not needed
    # nor the session store, nor what only help, errors or other commands need
    unneeded = {"canvas_tui.core.interview.session", "canvas_tui.core.interview.decisions"}
    unneeded |= {"shutil", "secrets", "difflib", "bz2"}
    assert loaded.isdisjoint(unneeded), sorted(loaded & unneeded)
    assert (tmp_path / "out.toml").read_text(encoding="utf-8").startswith('schema = "canvas-tui/1"')


def test_run_with_the_meaning_layer_off_loads_no_numpy(tmp_path):
    loaded = loaded_after(_run_argv(tmp_path), tmp_path, CANVAS_TUI_MEANING="off")
    assert "canvas_tui.core.inference.infer" in loaded
    assert loaded.isdisjoint({*UI, "numpy", "jinja2"}), sorted(loaded)


def test_a_second_run_reads_the_catalogue_from_the_cache(tmp_path):
    # two processes: the first writes the cache entry, the second only reads it
    first = report(_run_argv(tmp_path), tmp_path, CANVAS_TUI_MEANING="off")["cache"]
    assert (first["misses"], first["stores"]) == (1, 1)
    entries = list((tmp_path / "cache").glob("catalogue-*.bin"))
    assert len(entries) == 1
    written = entries[0].stat().st_mtime_ns
    second = report(_run_argv(tmp_path), tmp_path, CANVAS_TUI_MEANING="off")["cache"]
    assert (second["hits"], second["misses"], second["stores"]) == (1, 0, 0)
    assert entries[0].stat().st_mtime_ns == written  # read, not rewritten


def test_a_second_run_compiles_no_follow_up_matcher(tmp_path):
    # the follow-up conditions' matchers: compiled and stored by the first process only
    first = report(_run_argv(tmp_path), tmp_path, CANVAS_TUI_MEANING="off")["mentions"]
    assert (first["misses"], first["stores"]) == (1, 1)
    assert first["compiles"] > 0
    assert len(list((tmp_path / "cache").glob("mentions-*.bin"))) == 1
    second = report(_run_argv(tmp_path), tmp_path, CANVAS_TUI_MEANING="off")["mentions"]
    assert (second["hits"], second["misses"], second["compiles"]) == (1, 0, 0)


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_version_and_help_load_none_of_the_core(flag, tmp_path):
    loaded = loaded_after([flag], tmp_path)
    assert not {m for m in loaded if m.startswith("canvas_tui.core")}, sorted(loaded)
    assert loaded.isdisjoint({*UI, "numpy", "jinja2", "platformdirs", "tomllib"})


def test_the_cli_freezes_what_is_left_at_exit(tmp_path):
    # cli.main registers gc.freeze with atexit (a faster exit, docs/performance.md).
    # atexit runs last-registered first: a probe registered before main runs after it.
    code = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('FROZEN', gc.get_freeze_count() > 0))\n"
        "from canvas_tui.cli import main\n"
        "for _ in range(3):\n"
        "    try:\n"
        "        main(['--version'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print('BEFORE EXIT', gc.get_freeze_count() > 0)\n"
    )
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env
    )
    assert result.returncode == 0, result.stderr
    assert "BEFORE EXIT False" in result.stdout  # nothing is frozen while the work runs
    assert "FROZEN True" in result.stdout


@pytest.mark.parametrize(
    ("argv", "handler", "collecting"),
    [
        (["run", "answers.toml"], "cmd_run", False),  # one shot: no cyclic collection
        (["diff", "a.toml", "b.toml"], "cmd_diff", False),
        ([], "cmd_tui", True),  # the app runs for hours: it keeps the collector
        (["serve"], "cmd_serve", True),
    ],
)
def test_one_shot_commands_pause_the_collector_and_give_it_back(
    argv, handler, collecting, monkeypatch
):
    import gc

    from canvas_tui.cli import main
    from canvas_tui.cli import parser as parser_module

    seen: list[bool] = []
    monkeypatch.setattr(parser_module, handler, lambda args: seen.append(gc.isenabled()) or 0)
    assert gc.isenabled()
    assert main(argv) == 0
    assert seen == [collecting]
    assert gc.isenabled()  # given back, whatever the command
