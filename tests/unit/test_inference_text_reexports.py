"""text.py held the phrase matcher until issue 14 split it into text (words and tokens),
matcher (Phrase, Hit, Matcher) and matcher_pack (the packed form): the names code
imported from text.py still import from there, as the very objects matcher.py defines."""

from __future__ import annotations

import importlib

import pytest

from canvas_tui.core.inference import matcher, text

MOVED = ["GAP", "GAP_SPEC", "NUMBER", "NUMBER_WORDS", "Hit", "Matcher", "Phrase"]


@pytest.mark.parametrize("name", MOVED)
def test_a_moved_name_still_imports_from_text(name: str) -> None:
    assert getattr(importlib.import_module(text.__name__), name) is getattr(matcher, name)


def test_text_offers_no_other_name_it_does_not_define() -> None:
    with pytest.raises(AttributeError):
        text.MatcherTables  # noqa: B018
    with pytest.raises(ImportError):
        exec(f"from {text.__name__} import _Packed", {})


def test_the_matcher_classes_are_defined_where_the_cache_names_them() -> None:
    # the compiled cache resolves a class only by the module that defines it
    assert matcher.Matcher.__module__ == matcher.__name__
    assert matcher.Phrase.__module__ == matcher.__name__
    assert text.Token.__module__ == text.__name__
