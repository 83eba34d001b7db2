"""Score the inference on found text: canvases other people published (issue 11).

The text is not ours, so the repository keeps only what is needed to find it again and to
judge the result: `benchmarks/found/sources.toml` holds, per canvas, the repository, the
path and the commit it was read at, which of the source's headings map to which answer,
and the labels (written by us, following the protocol in docs/inference.md §9). The text
itself stays in a folder outside the repository that the developer fills:

    # each case's file, as found, saved as <id>.md in one folder, e.g.
    git -C <a clone of owner/name> show <commit>:<path> > /tmp/found/F001.md

    python benchmarks/found_text.py --text-dir /tmp/found [--direct] [-v]

The script cuts each mapped section out of the file (the lines under the heading, up to
the next heading), writes an answers file per canvas into a temporary folder (deleted at
the end), and scores it exactly as `eval.py` scores the eval set: type accuracy, recall@5,
forbidden rate. The Key Activities, Key Resources and Key Partners blocks of a source are
never mapped to answers: they are what the inference must find.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import tomllib
from pathlib import Path

import tomli_w

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "found" / "sources.toml"
sys.path.insert(0, str(HERE))

from eval import evaluate, report  # noqa: E402

# sources.toml field -> the answer it fills. Key Activities, Key Resources and Key
# Partners are never mapped: they are what the inference must find.
FIELDS = {
    "offer_heading": "value_proposition.offer",
    "customers_heading": "value_proposition.customers",
    "channels_heading": "channels.reach",
    "relationships_heading": "relationships.style",
    "revenue_heading": "revenue.model",
    "costs_heading": "revenue.costs",
}
_FORBIDDEN_BLOCKS = re.compile(r"key\s*(activit|resource|partner)", re.IGNORECASE)
_MD_HEADING = re.compile(r"^(#{1,6})\s")
_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<br\s*/?>")


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip()).lower()


def section(text: str, heading: str, stops: list[str] = (), strip_html: bool = False) -> str:
    """The block under `heading`, the way sources.toml's headings were recorded.

    The heading line is the first line equal to `heading` (spaces and case aside), else
    the first that starts with it. In a table row, the block is the row's second cell.
    Otherwise it runs to the next Markdown heading of the same or a higher level, or to
    a line that is (or starts with) one of `stops`.
    """
    lines = text.split("\n")
    want = _normal(heading)
    stop_set = {_normal(s) for s in stops if s and _normal(s) != want}
    at = next((i for i, line in enumerate(lines) if _normal(line) == want), None)
    if at is None:
        at = next((i for i, line in enumerate(lines) if _normal(line).startswith(want)), None)
    if at is None:
        return ""
    line = lines[at].strip()
    if line.startswith("|"):
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        return _BREAK.sub("\n", cells[1] if len(cells) > 1 else "").strip()
    heading_match = _MD_HEADING.match(line)
    level = len(heading_match.group(1)) if heading_match else 99
    body: list[str] = []
    if not heading_match and ":" in line:  # "**Channels:** text on the same line"
        after = line.split(":", 1)[1].strip().lstrip("*").strip()
        if after:
            body.append(after)
    for following in lines[at + 1 :]:
        match = _MD_HEADING.match(following.strip())
        if match and len(match.group(1)) <= level:
            break
        normal = _normal(following)
        if normal and any(normal.startswith(stop) for stop in stop_set):
            break
        body.append(following)
    if strip_html:
        body = [stripped for b in body if (stripped := _TAG.sub("", b).strip())]
    return re.sub(r"\n?-{3,}\s*$", "", "\n".join(body).strip()).strip()


def build_answers(case: dict, text: str) -> dict[str, str]:
    answers: dict[str, str] = {}
    for field, answer_id in FIELDS.items():
        heading = case.get(field)
        if not heading:
            continue
        if _FORBIDDEN_BLOCKS.search(heading):
            raise SystemExit(f"{case['id']}: {heading!r} may not be mapped to {answer_id}")
        body = section(text, heading, case.get("stop_headings", []), case.get("strip_html", False))
        if body:
            answers[answer_id] = body
    return answers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--text-dir", required=True, help="folder holding <id>.md per case")
    parser.add_argument("--sources", default=str(SOURCES), help="provenance and labels")
    parser.add_argument("--direct", action="store_true", help="call infer() in-process")
    parser.add_argument("-v", "--verbose", action="store_true", help="show every business")
    parser.add_argument("--check", help="a folder of answers files to compare the extraction with")
    args = parser.parse_args(argv)
    cases = tomllib.loads(Path(args.sources).read_text(encoding="utf-8"))["case"]
    text_dir = Path(args.text_dir)
    missing = [c["id"] for c in cases if not (text_dir / f"{c['id']}.md").is_file()]
    if missing:
        print(f"not in {text_dir}: {', '.join(missing)} (left out)", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="found-") as tmp:
        files = []
        repo_of: dict[str, str] = {}
        for case in cases:
            source = text_dir / f"{case['id']}.md"
            if not source.is_file():
                continue
            answers = build_answers(case, source.read_text(encoding="utf-8"))
            if not {"value_proposition.offer", "revenue.model"} <= answers.keys():
                print(f"{case['id']}: a mapped heading was not found (left out)", file=sys.stderr)
                continue
            if args.check:
                built = Path(args.check) / f"{case['id']}.toml"
                theirs = tomllib.loads(built.read_text(encoding="utf-8"))["answers"]
                if theirs != answers:
                    print(f"{case['id']}: extraction differs from {built}", file=sys.stderr)
            path = Path(tmp) / f"{case['id']}.toml"
            document = {"title": case.get("title", case["id"]), "answers": answers}
            document["expect"] = case["expect"]
            path.write_bytes(tomli_w.dumps(document).encode())
            files.append(path)
            repo_of[case["id"]] = case["repo"]
        results = evaluate(files, args.direct)
        report("found text", results, args.verbose)
        # A repository that gave many canvases is reported on its own as well, so one
        # writer's style does not hide in the total.
        counts: dict[str, int] = {}
        for repo in repo_of.values():
            counts[repo] = counts.get(repo, 0) + 1
        big = {repo for repo, n in counts.items() if n >= 5}
        for repo in sorted(big):
            report(repo, [r for r in results if repo_of[r.path.stem] == repo], False)
        if big:
            rest = [r for r in results if repo_of[r.path.stem] not in big]
            report("other repositories", rest, False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
