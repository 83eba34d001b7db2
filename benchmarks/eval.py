"""Evaluate the key-activity inference on the answer files in benchmarks/eval_set/.

Each file is an answers file (title, [answers]) plus an [expect] table that the run
command ignores:

    [expect]
    dominant = "production"
    top5 = [["manufacturing"], ["quality-control", "sales"]]   # inner list: alternatives
    forbidden = ["software-development"]

Every file goes through `canvas-tui run FILE --format toml` (a subprocess, exactly as a
facilitator would run it); `--direct` calls `infer()` in-process instead (faster, for
tuning). Prints, per part (dev, heldout):

* type accuracy: share of businesses whose dominant type is the expected one;
* recall@5: share of expected items (an item = one inner list) with at least one of its
  alternatives among the first five key activities;
* forbidden rate: share of (business, forbidden id) pairs where the id is in the top five;
* partners named: share of the partners the answers name (`[expect] partners`, as
  written) found in Key Partners (a name containing the other, case ignored);

and the misses per business. Usage:

    python benchmarks/eval.py [--part dev|heldout|all] [--direct] [-v]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tomllib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
EVAL_SET = HERE / "eval_set"
# dev first, then the held-out parts in the order they were written (heldout-1, ...),
# the last blind one ("heldout") at the end.
PARTS = tuple(
    sorted(
        (p.name for p in EVAL_SET.iterdir() if p.is_dir()),
        key=lambda name: (name != "dev", name == "heldout", len(name), name),
    )
)


@dataclass
class Result:
    path: Path
    dominant: str
    top5: list[str]
    expect: dict
    misses: list[str] = field(default_factory=list)
    forbidden_hits: list[str] = field(default_factory=list)
    recall_hits: int = 0
    recall_total: int = 0
    type_ok: bool = False
    #: the partners the answers name ([expect] partners) found in Key Partners
    partner_hits: int = 0
    partner_total: int = 0


def run_cli(path: Path) -> tuple[str, list[str], list[str]]:
    env = dict(os.environ, SOURCE_DATE_EPOCH="0")
    command = [sys.executable, "-m", "canvas_tui", "run", str(path), "--format", "toml"]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(
            f"{path}: canvas-tui run failed ({done.returncode}): {done.stderr.strip()}"
        )
    canvas = tomllib.loads(done.stdout)
    ids = [a["id"] for a in canvas.get("key_activities", [])]
    partners = list(canvas.get("blocks", {}).get("key_partners", []))
    return canvas["business_type"]["dominant"], ids, partners


def run_direct(path: Path) -> tuple[str, list[str], list[str]]:
    from canvas_tui.core.inference.catalogue import default_catalogue
    from canvas_tui.core.inference.infer import infer

    answers = tomllib.loads(path.read_text(encoding="utf-8"))["answers"]
    result = infer(answers, default_catalogue())
    return result.dominant, [c.id for c in result.candidates], [p.name for p in result.partners]


def score(path: Path, dominant: str, ids: list[str], partners: Sequence[str] = ()) -> Result:
    expect = tomllib.loads(path.read_text(encoding="utf-8")).get("expect", {})
    top5 = ids[:5]
    result = Result(path, dominant, top5, expect)
    result.type_ok = dominant == expect.get("dominant")
    for item in expect.get("top5", []):
        options = [item] if isinstance(item, str) else list(item)
        result.recall_total += 1
        if any(o in top5 for o in options):
            result.recall_hits += 1
        else:
            result.misses.append("/".join(options))
    result.forbidden_hits = [f for f in expect.get("forbidden", []) if f in top5]
    found = [" ".join(p.lower().split()) for p in partners]
    for name in expect.get("partners", []):
        name = " ".join(name.lower().split())
        result.partner_total += 1
        result.partner_hits += any(name in f or f in name for f in found if f)
    return result


def evaluate(files: list[Path], direct: bool) -> list[Result]:
    runner = run_direct if direct else run_cli
    if direct:
        outputs = [runner(f) for f in files]
    else:
        with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
            outputs = list(pool.map(runner, files))
    return [score(f, d, ids, ps) for f, (d, ids, ps) in zip(files, outputs, strict=True)]


def report(name: str, results: list[Result], verbose: bool) -> dict[str, float]:
    n = len(results)
    type_acc = sum(r.type_ok for r in results) / n if n else 0.0
    total = sum(r.recall_total for r in results)
    recall = sum(r.recall_hits for r in results) / total if total else 1.0
    pairs = sum(len(r.expect.get("forbidden", [])) for r in results)
    forbidden = sum(len(r.forbidden_hits) for r in results) / pairs if pairs else 0.0
    print(f"== {name}: {n} businesses")
    print(f"   type accuracy   {type_acc:.3f}")
    print(f"   recall@5        {recall:.3f}  ({sum(r.recall_hits for r in results)}/{total})")
    print(
        f"   forbidden rate  {forbidden:.3f}  ({sum(len(r.forbidden_hits) for r in results)}/{pairs})"
    )
    named = sum(r.partner_total for r in results)
    if named:
        hits = sum(r.partner_hits for r in results)
        print(f"   partners named  {hits / named:.3f}  ({hits}/{named} in Key Partners)")
    for r in results:
        problems = []
        if not r.type_ok:
            problems.append(f"type {r.dominant} (expected {r.expect.get('dominant')})")
        if r.misses:
            problems.append("missing " + ", ".join(r.misses))
        if r.forbidden_hits:
            problems.append("forbidden " + ", ".join(r.forbidden_hits))
        if problems or verbose:
            print(f"   {r.path.stem:28} {'; '.join(problems) or 'ok'}")
            if verbose or problems:
                print(f"   {'':28} top5: {', '.join(r.top5)}")
    return {"type_accuracy": type_acc, "recall_at_5": recall, "forbidden_rate": forbidden}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--part",
        choices=[*PARTS, "all"],
        default="dev",
        help="one part; 'all' is every TUNED part (dev, heldout-*), never the frozen test split",
    )
    parser.add_argument("--dir", help="any folder of answers files with [expect] (found text)")
    parser.add_argument("--direct", action="store_true", help="call infer() in-process")
    parser.add_argument("-v", "--verbose", action="store_true", help="show every business")
    args = parser.parse_args(argv)
    if args.dir:
        files = sorted(Path(args.dir).glob("*.toml"))
        report(Path(args.dir).name, evaluate(files, args.direct), args.verbose)
        return 0
    parts = [p for p in PARTS if p != "test"] if args.part == "all" else [args.part]
    for part in parts:
        files = sorted((EVAL_SET / part).glob("*.toml"))
        report(part, evaluate(files, args.direct), args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
