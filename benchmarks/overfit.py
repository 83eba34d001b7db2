"""List catalogue phrases that occur verbatim in exactly one eval file (overfitting).

A multi-word phrase of the catalogue (an activity signal, a business noun or a
business-model cue) that appears word for word in the answers of exactly one business of
the eval set was most likely lifted from that business's answer: it helps that one file
and says nothing about the next business. Such a phrase is a defect; the count must go
down, never up (issue 11).

The eval set is every part of benchmarks/eval_set/ except test/ (the frozen test split is
never read here). "Verbatim" means the phrase's words in order as whole words, ignoring
case and curly apostrophes; a "*" at the end of the last word allows any ending, "=" is
dropped, "..." stands for up to three words and "#" for a number, as in the matcher.

Usage:

    python benchmarks/overfit.py            # the count and every phrase with its file
    python benchmarks/overfit.py --count    # the counts only
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
EVAL_SET = HERE / "eval_set"
SRC = HERE.parent / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

from canvas_tui.core.inference.catalogue import default_catalogue  # noqa: E402


def catalogue_phrases() -> dict[str, list[str]]:
    """Every multi-word phrase of the default catalogue -> where it is used."""
    catalogue = default_catalogue()
    found: dict[str, list[str]] = defaultdict(list)
    for activity in catalogue:
        for group in activity.signals:
            for word in group.words:
                found[word].append(f"signal {activity.id}")
    for noun in catalogue.nouns:
        for word in noun.words:
            found[word].append(f"noun {noun.type}")
    for cue in catalogue.cues:
        for word in cue.words:
            found[word].append(f"cue {cue.type}")
    return {
        phrase: uses
        for phrase, uses in found.items()
        if len([w for w in phrase.split() if w != "..."]) > 1
    }


_NUMBER = r"(?:\d[\d,.]*|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|dozens?|hundreds?|several|few)"


def pattern(phrase: str) -> re.Pattern[str]:
    words = [w.lstrip("=").lower().replace("’", "'") for w in phrase.split()]
    regex = ""
    for i, word in enumerate(words):
        if word == "...":  # up to three words of any kind
            regex += r"(?:\S+\s+){0,3}"
            continue
        if word == "#":
            core = _NUMBER
        else:
            core = re.escape(word.rstrip("*")) + (r"[\w'-]*" if word.endswith("*") else "")
        regex += core + (r"\s+" if i < len(words) - 1 else "")
    return re.compile(r"(?<![\w'-])" + regex + r"(?![\w'])")


def eval_texts() -> dict[Path, str]:
    texts = {}
    for part in sorted(p for p in EVAL_SET.iterdir() if p.is_dir() and p.name != "test"):
        for path in sorted(part.glob("*.toml")):
            answers = tomllib.loads(path.read_text(encoding="utf-8")).get("answers", {})
            text = "\n".join(str(v) for v in answers.values())
            texts[path] = " ".join(text.lower().replace("’", "'").split())
    return texts


def single_file_phrases() -> tuple[int, list[tuple[str, Path, list[str]]]]:
    """(number of multi-word phrases, [(phrase, the one file, uses)])."""
    phrases = catalogue_phrases()
    texts = eval_texts()
    lonely = []
    for phrase, uses in sorted(phrases.items()):
        regex = pattern(phrase)
        files = [path for path, text in texts.items() if regex.search(text)]
        if len(files) == 1:
            lonely.append((phrase, files[0], uses))
    return len(phrases), lonely


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", action="store_true", help="print the counts only")
    args = parser.parse_args(argv)
    total, lonely = single_file_phrases()
    if not args.count:
        for phrase, path, uses in lonely:
            where = f"{path.parent.name}/{path.stem}"
            print(f"{phrase!r:40} {where:34} {', '.join(sorted(set(uses)))}")
    print(
        f"{len(lonely)} of {total} multi-word catalogue phrases occur verbatim in exactly one eval file"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
