"""Headless start-up: `canvas-tui run`, `--version` and `--help` against a baseline.

Issue 11's target: `canvas-tui run` wall time ≤ 2 × `python -c "import tomllib, jinja2"`.
Each command runs as a fresh process, all of them in turn in the same run (so a busy
machine slows them alike); prints the median wall time and CPU time (user + system, all
threads) of each, and their ratios to the baseline. The target is on wall time; CPU time
is what a room of `serve` participants on two cores pays.

    python benchmarks/headless.py [--runs 21] [--cold]

Conditions (stated because they change the figures):

* bytecode caches are written and used (`PYTHONDONTWRITEBYTECODE` is removed for the
  children, and one warm-up run writes them), as in an installed wheel;
* the compiled catalogue cache (core/inference/cache.py) lives in a temporary folder,
  filled by the warm-up run: a user's second and later runs. `--cold` also times runs that
  start with an empty cache folder (a user's very first run, or after an upgrade);
* output goes to a temporary file (`-o`): `-o /dev/null` is refused by design.

`hyperfine` measures the same commands where it is installed (docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ANSWERS = REPO / "tests" / "data" / "contract_answers.toml"
BANK = REPO / "docs" / "examples" / "restaurant_bank"
BANK_ANSWERS = REPO / "docs" / "examples" / "restaurant_answers.toml"


def canvas_tui() -> list[str]:
    """The console script next to this Python, else `python -m canvas_tui`."""
    script = Path(sys.executable).with_name("canvas-tui")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "canvas_tui"]


def commands(out: Path) -> dict[str, list[str]]:
    cli = canvas_tui()
    return {
        "baseline: python -c 'import tomllib, jinja2'": [
            sys.executable,
            "-c",
            "import tomllib, jinja2",
        ],
        "canvas-tui run ANSWERS -o out.toml": [*cli, "run", str(ANSWERS), "-o", str(out)],
        "canvas-tui run (restaurant bank)": [
            *cli,
            "run",
            str(BANK_ANSWERS),
            "--bank",
            str(BANK),
            "-o",
            str(out),
        ],
        "canvas-tui --version": [*cli, "--version"],
        "canvas-tui --help": [*cli, "--help"],
    }


def once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds: user + system, threads included) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(argv, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{result.stderr.decode(errors='replace')}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


# `--stages`: where one `run` spends its time, step by step, in a fresh process (the same
# calls `cmd_run` makes, the meaning layer's loading split out of the first inference).
STAGES = r"""
import json, sys, time
marks = [("python start-up", time.perf_counter())]
def mark(name):
    marks.append((name, time.perf_counter()))
import canvas_tui.cli
mark("import the CLI")
from canvas_tui.core.exports.render import render
from canvas_tui.core.headless import run_headless
from canvas_tui.core.interview.answers import read_answers
from canvas_tui.core.interview.bank_loader import load_bank_catalogue, load_default_bank
mark("import the run's modules (inference, canvas, export)")
answers = read_answers(sys.argv[1])
bank = load_default_bank()
mark("read the answers and the bank")
catalogue = load_bank_catalogue(bank)
from canvas_tui.core.inference.matching import compiled_for
compiled_for(catalogue)
mark("catalogue: load and compile (the cache's part)")
from canvas_tui.core.inference import meaning
if meaning.enabled():
    table = meaning.load_table()
    mark("meaning: open the word-vector table (pieces.txt, vectors.f16 memory-mapped)")
    meaning.load_layer()
    if table is not None:
        meaning.meanings_for(catalogue, table)
    mark("meaning: the layer and the activities' sentence vectors")
from canvas_tui.core.interview.mentions import preload
preload(bank)
mark("follow-up conditions' matchers (from the cache: mentions-*.bin)")
result = run_headless(answers, bank, catalogue)
mark("run the interview and the inference")
text = render(result.canvas, "toml")
mark("render TOML")
out = [(b[0], b[1] - a[1]) for a, b in zip(marks, marks[1:])]
print(json.dumps(out))
"""


def stages(env: dict[str, str], runs: int) -> None:
    """Median time of each step of `run` (in-process clock, fresh process each time)."""
    samples: dict[str, list[float]] = {}
    for _ in range(runs):
        result = subprocess.run(
            [sys.executable, "-c", STAGES, str(ANSWERS)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        for name, seconds in json.loads(result.stdout.strip().splitlines()[-1]):
            samples.setdefault(name, []).append(seconds)
    print(f"where `run` spends its time (medians of {runs} fresh processes, after start-up):")
    total = 0.0
    for name, values in samples.items():
        median = statistics.median(values)
        total += median
        print(f"  {median * 1000:6.1f} ms  {name}")
    print(f"  {total * 1000:6.1f} ms  sum")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--cold", action="store_true", help="also time an empty cache")
    parser.add_argument(
        "--meaning-off",
        action="store_true",
        help="also time `run` with the meaning layer off (CANVAS_TUI_MEANING=off)",
    )
    parser.add_argument(
        "--stages", action="store_true", help="also break one `run` down step by step"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home, cache = Path(tmp) / "home", Path(tmp) / "cache"
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(CANVAS_TUI_HOME=str(home), CANVAS_TUI_CACHE=str(cache))
        env.pop("CANVAS_TUI_MEANING", None)
        cases = {name: (argv, env) for name, argv in commands(Path(tmp) / "out.toml").items()}
        if args.meaning_off:
            run_argv = cases["canvas-tui run ANSWERS -o out.toml"][0]
            cases["canvas-tui run, meaning off"] = (run_argv, {**env, "CANVAS_TUI_MEANING": "off"})
        for argv, case_env in cases.values():  # warm-up: bytecode and the catalogue cache
            once(argv, case_env)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
        if args.cold:
            times["canvas-tui run, empty cache"] = []
        for _ in range(args.runs):
            for name, (argv, case_env) in cases.items():
                times[name].append(once(argv, case_env))
            if args.cold:  # its own cache folder, emptied before each run
                cold = Path(tmp) / "cold-cache"
                shutil.rmtree(cold, ignore_errors=True)
                run_argv = cases["canvas-tui run ANSWERS -o out.toml"][0]
                cold_env = {**env, "CANVAS_TUI_CACHE": str(cold)}
                times["canvas-tui run, empty cache"].append(once(run_argv, cold_env))

    def median(name: str, which: int) -> float:
        return statistics.median(t[which] for t in times[name])

    first = next(iter(times))
    wall, cpu = median(first, 0), median(first, 1)
    print(f"{len(times)} commands, {args.runs} runs each, alternated; medians (× baseline):")
    print(f"  {'wall':>9}  {'':6}  {'CPU':>9}  {'':6}")
    for name in times:
        w, c = median(name, 0), median(name, 1)
        print(
            f"  {w * 1000:6.1f} ms  ×{w / wall:5.2f}  {c * 1000:6.1f} ms  ×{c / cpu:5.2f}  {name}"
        )
    run = median("canvas-tui run ANSWERS -o out.toml", 0)
    print(f"run / baseline (wall) = {run / wall:.2f}  (target ≤ 2.0)")
    if args.stages:
        with tempfile.TemporaryDirectory() as tmp:
            env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
            env.update(CANVAS_TUI_HOME=str(Path(tmp) / "home"), CANVAS_TUI_CACHE=str(Path(tmp)))
            env.setdefault("OPENBLAS_NUM_THREADS", "1")  # as the CLI sets it
            subprocess.run(
                [sys.executable, "-c", STAGES, str(ANSWERS)],
                env=env,
                check=True,
                capture_output=True,
            )  # fills the cache
            stages(env, args.runs)


if __name__ == "__main__":
    main()
