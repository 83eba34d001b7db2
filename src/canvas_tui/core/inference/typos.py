"""One typo: whether a typed word is a known word with one slip of the keyboard.

Used by `matcher.Matcher` (and re-exported by text.py): a letter missing or added, two
neighbouring letters swapped, or a letter replaced by a neighbouring key. `known_words()`
are the real English words the matcher never reads as a typo of another word.
"""

from __future__ import annotations

import functools
from pathlib import Path

#: whole English words (from the meaning layer's vocabulary): never read as typos
KNOWN_WORDS = Path(__file__).resolve().parent.parent.parent / "data" / "meaning" / "known_words.txt"


@functools.cache
def known_words() -> frozenset[str]:
    """Real words the typo matcher leaves alone (empty when the file is missing)."""
    try:
        return frozenset(KNOWN_WORDS.read_text(encoding="ascii").split())
    except (OSError, UnicodeDecodeError):
        return frozenset()


_KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEAR = {
    c: {
        _KEYBOARD[r][k]
        for r in range(max(0, row - 1), min(3, row + 2))
        for k in range(max(0, col - 1), min(len(_KEYBOARD[r]), col + 2))
    }
    - {c}
    for row, keys in enumerate(_KEYBOARD)
    for col, c in enumerate(keys)
}


def one_typo(typed: str, word: str) -> bool:
    """Whether `typed` is `word` with one typo: a letter missing or doubled/added, two
    neighbouring letters swapped, or a letter replaced by a neighbouring key. The first
    letter must be right. Real words one letter apart ("concept", "concert") are not typos
    of each other unless the keys are neighbours."""
    if typed == word or not typed or typed[0] != word[0]:
        return False
    if len(typed) == len(word):
        diff = [i for i, (a, b) in enumerate(zip(typed, word, strict=True)) if a != b]
        if len(diff) == 1:
            return typed[diff[0]] in _NEAR.get(word[diff[0]], ())
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and typed[diff[0]] == word[diff[1]]
            and typed[diff[1]] == word[diff[0]]
        )
    short, long_ = (typed, word) if len(typed) < len(word) else (word, typed)
    if len(long_) - len(short) != 1:
        return False
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]
