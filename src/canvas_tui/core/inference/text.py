"""Words and tokens for the inference (stdlib only, no I/O): the comparable form of a word
(`norm`), its regular inflections and plural, and an answer split into word tokens with
their character offsets, sentence and clause numbers (`tokenize`), founder shorthand
expanded. The phrase matcher that reads these tokens is in matcher.py; its packed form for
the compiled cache in matcher_pack.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from canvas_tui.core.inference.typos import one_typo as one_typo  # re-exported

if TYPE_CHECKING:  # pragma: no cover - the names that moved to matcher.py, re-exported
    from canvas_tui.core.inference.matcher import GAP as GAP
    from canvas_tui.core.inference.matcher import GAP_SPEC as GAP_SPEC
    from canvas_tui.core.inference.matcher import NUMBER as NUMBER
    from canvas_tui.core.inference.matcher import NUMBER_WORDS as NUMBER_WORDS
    from canvas_tui.core.inference.matcher import Hit as Hit
    from canvas_tui.core.inference.matcher import Matcher as Matcher
    from canvas_tui.core.inference.matcher import Phrase as Phrase

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SENTENCE_BREAK = re.compile(r"[.!?;\n]")
_CLAUSE_BREAK = re.compile(r"[,:()\[\]{}\"“”|]|\s[-–—]+\s|[–—]")
_VOWEL = re.compile(r"[aeiouy]")
_ISE = re.compile(r"(?<=[a-z]{3})is(e|es|ed|ing|ation|ations|er|ers)$")


@lru_cache(maxsize=65536)
def norm(word: str) -> str:
    """The comparable form of one word: lower case, no accents, US -ize spelling."""
    word = word.replace("’", "'").lower()
    if not word.isascii():
        word = "".join(
            c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)
        )
    if word.endswith("'s"):
        word = word[:-2]
    return _ISE.sub(r"iz\1", word) if "is" in word else word


def inflections(word: str) -> set[str]:
    """The regular inflected forms of a base word (itself included)."""
    forms = {word}
    if len(word) < 2 or not word.isalpha():
        return forms
    last = word[-1]
    forms.add(word + "s")
    if word.endswith(("s", "x", "z", "ch", "sh")):
        forms.update({word + "es", word + "ed", word + "ing"})
        return forms
    if last == "y" and len(word) > 2 and word[-2] not in "aeiou":
        forms.update({word[:-1] + "ies", word[:-1] + "ied", word + "ing"})
        return forms
    if last == "e":
        forms.update({word + "d", word[:-1] + "ing", word + "r", word + "rs"})
        if word.endswith("ie"):
            forms.add(word[:-2] + "ying")
        return forms
    forms.update({word + "ed", word + "ing"})
    if (
        len(word) >= 3
        and last not in "aeiouwxy"
        and word[-2] in "aeiou"
        and word[-3] not in "aeiou"
    ):
        forms.update({word + last + "ed", word + last + "ing"})
    return forms


def plural(word: str) -> str:
    """The regular plural of a noun: bakery -> bakeries, box -> boxes, shop -> shops."""
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if len(word) > 2 and word[-1] == "y" and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


@dataclass(frozen=True)
class Token:
    text: str  # as typed
    norm: str
    start: int
    end: int
    sentence: int
    clause: int
    #: in a hyphenated compound ("self-service", "check-ups"): the index of its first
    #: token, else -1; `head` marks the compound's last part
    compound: int = -1
    head: bool = False


_THOUSANDS = re.compile(r"^(\d+)([km])$")


def _expanded(
    text: str, match: re.Match[str], word: str, shorthand: Mapping[str, tuple[str, ...]]
) -> tuple[tuple[str, ...], int]:
    """What a typed word stands for (founder shorthand: "subs", "w/", "80k") and where
    its typed form ends; ((), 0) when it stands for itself."""
    end = match.end()
    chunk = text[match.start() :].split(maxsplit=1)[0].lower() if text[match.start() :] else ""
    if "/" in chunk:
        key = chunk.rstrip(".,;:!?)")
        for size in range(len(key), len(word), -1):
            if key[:size] in shorthand and (size == len(key) or not key[size].isalnum()):
                return shorthand[key[:size]], match.start() + size
    if word in shorthand:
        return shorthand[word], end
    thousands = _THOUSANDS.match(word)
    if thousands:
        factor = 1000 if thousands.group(2) == "k" else 1000000
        return (str(int(thousands.group(1)) * factor),), end
    return (), 0


def tokenize(
    text: str,
    breakers: frozenset[str] = frozenset(),
    shorthand: Mapping[str, tuple[str, ...]] | None = None,
) -> list[Token]:
    """Split an answer into word tokens with offsets, sentence and clause numbers.

    Sentences end at . ! ? ; and new lines; clauses also end at commas, colons, brackets,
    dashes and at the `breakers` words ("but", "and"...), which start a new clause.
    """
    tokens: list[Token] = []
    sentence = clause = 0
    previous_end = 0
    skip_to = 0
    for match in _WORD.finditer(text):
        if match.start() < skip_to:  # the "o" of "w/o"
            continue
        gap = text[previous_end : match.start()]
        joined = bool(tokens) and gap == "-"  # a hyphenated compound: "self-service"
        if tokens and not joined:
            if _SENTENCE_BREAK.search(gap):
                sentence += 1
                clause += 1
            elif _CLAUSE_BREAK.search(gap):
                clause += 1
        word = norm(match.group())
        if word in breakers and tokens and not joined:
            clause += 1
        compound = -1
        if joined:
            before = tokens[-1]
            compound = before.compound if before.compound >= 0 else len(tokens) - 1
            tokens[-1] = Token(
                before.text, before.norm, before.start, before.end, before.sentence,
                before.clause, compound, False,
            )  # fmt: skip
        expanded: tuple[str, ...] = ()
        if shorthand is not None and not joined and text[match.end() : match.end() + 1] != "-":
            expanded, typed_end = _expanded(text, match, word, shorthand)
        if expanded:
            # founder shorthand: the words it stands for, each quoting the typed form
            for part in expanded:
                tokens.append(
                    Token(text[match.start() : typed_end], part, match.start(), typed_end,
                          sentence, clause)
                )  # fmt: skip
            skip_to = previous_end = typed_end
            continue
        tokens.append(
            Token(match.group(), word, match.start(), match.end(), sentence, clause, compound,
                  joined)
        )  # fmt: skip
        previous_end = match.end()
    return tokens


def part_of_word(tokens: Sequence[Token], index: int, negating: frozenset[str],
                 suffix_heads: frozenset[str]) -> bool:  # fmt: skip
    """Whether a one-word match on tokens[index] is only part of a hyphenated compound
    and does not stand for the word: "service" in "self-service", "ups" in "check-ups",
    "law" in "brother-in-law", "sugar" in "sugar-free". The head (last part) stands for
    itself when it has 4+ letters and the compound does not start with a negating or
    reflexive prefix ("self", "non", "ex"); an earlier part only before a suffix-like head
    ("subscription-based", "family-run")."""
    token = tokens[index]
    if token.compound < 0:
        return False
    first = tokens[token.compound]
    if token.head:
        return len(token.norm) < 4 or first.norm in negating
    last = index
    while last + 1 < len(tokens) and tokens[last + 1].compound == token.compound:
        last += 1
    return tokens[last].norm not in suffix_heads


#: names that lived here before the phrase matcher moved to matcher.py (issue 14): still
#: importable from this module, read from matcher.py on first use (matcher.py imports this
#: module, so importing them here at load time would be circular). New code imports them
#: from matcher.py.
_MOVED = frozenset({"GAP", "GAP_SPEC", "NUMBER", "NUMBER_WORDS", "Hit", "Matcher", "Phrase"})


def __getattr__(name: str) -> object:
    if name in _MOVED:
        from canvas_tui.core.inference import matcher

        return getattr(matcher, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
