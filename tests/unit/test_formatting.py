"""The one rule for percentages and the one for slugs (exports, reports, sessions, UI)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from canvas_tui.core.formatting import percent, percent_points, slugify


def test_percent_rounds_a_share_to_whole_percent():
    assert percent(0.456) == "46%"
    assert percent(1) == "100%"
    assert percent(0.0) == "0%"
    assert percent("0.5") == "50%"
    assert percent(None) == "" and percent("n/a") == ""


def test_percent_points_signs_a_change_of_a_share():
    assert percent_points(0.054) == "+5 pt"
    assert percent_points(-0.12) == "-12 pt"
    assert percent_points(0.004) == "±0 pt" and percent_points(0) == "±0 pt"


def test_slugify_folds_accents_and_separates_words_with_dashes():
    assert slugify("Café Crème & Co.!") == "cafe-creme-co"
    assert slugify("--a__b--") == "a-b"
    assert slugify("x" * 59 + " yz", limit=60) == "x" * 59
    assert slugify("☕☕") == "" and slugify("☕☕", fallback="canvas") == "canvas"
    assert slugify("Plan A, v2", limit=6) == "plan-a"
    assert slugify("咖啡 店") == "咖啡-店"


@given(st.text(), st.integers(min_value=1, max_value=80))
def test_slugs_are_safe_names(text, limit):
    slug = slugify(text, limit=limit, fallback="canvas")
    assert slug == "canvas" or re.fullmatch(r"[^\W_]+(?:-[^\W_]+)*", slug)
    assert slug == slug.lower() and "/" not in slug and "." not in slug
    assert len(slug) <= max(limit, len("canvas"))
