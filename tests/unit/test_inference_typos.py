"""The typo index finds every one-typo form, wherever the typo is (matcher.Matcher)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from canvas_tui.core.inference.matcher import Matcher
from canvas_tui.core.inference.typos import one_typo

WORDS = ["subscription", "recruitment", "marketplace", "appointment", "warehouse", "roastery"]


def matcher(min_length: int = 7) -> Matcher:
    m = Matcher(fuzzy_min_length=min_length)
    for word in WORDS:
        m.add(word, word)
    return m


def typos(word: str) -> set[str]:
    """Every one-typo variant that keeps the first letter (deletions, swaps, doublings)."""
    out = set()
    for i in range(1, len(word)):
        out.add(word[:i] + word[i + 1 :])  # a letter missing
        out.add(word[:i] + word[i] + word[i:])  # a letter doubled
        if i + 1 < len(word):
            out.add(word[:i] + word[i + 1] + word[i] + word[i + 2 :])  # two letters swapped
    return out - {word}


def specs_of(m: Matcher, word: str) -> set[int]:
    exact, fuzzy = m._token_specs(word)
    return exact | fuzzy


def test_typos_at_every_position_are_found() -> None:
    m = matcher()
    for word in WORDS:
        target = specs_of(m, word)
        for typed in typos(word):
            if len(typed) >= 7:
                assert target <= specs_of(m, typed), (word, typed)


def test_short_words_and_wrong_first_letters_are_not_typos() -> None:
    m = matcher()
    assert specs_of(m, "roastry") == specs_of(m, "roastery")
    assert not specs_of(matcher(9), "roastry")  # below the minimum length: no typo match
    assert not specs_of(m, "xubscription")  # the first letter must be right


@settings(deadline=None)
@given(st.sampled_from(WORDS), st.integers(0, 20), st.sampled_from("aeiourstnlq"))
def test_index_agrees_with_a_full_scan(word: str, position: int, letter: str) -> None:
    m = matcher()
    i = position % len(word)
    typed = word[:i] + letter + word[i + 1 :]
    # the typo-tolerant forms of a plain word: itself and its plural
    expected = {m._spec_ids[w] for w in WORDS if one_typo(typed, w) or one_typo(typed, w + "s")}
    assert m._typos(typed) == frozenset(expected)
