"""The meaning layer's reading of the business type on top of the rules' mix (round 6).

Pure parts get plain tests; one test runs the shipped layer on sentences of our own."""

from __future__ import annotations

import pytest

from canvas_tui.core.inference import meaning, typemix
from canvas_tui.core.inference.catalogue import CORE_TYPES, default_catalogue
from canvas_tui.core.inference.infer import infer

RULES = {"production": 0.40, "problem_solving": 0.45, "platform_network": 0.15}


def test_the_layer_can_tip_a_close_mix_and_the_shares_still_add_up() -> None:
    scores = {"production": 0.9, "problem_solving": 0.1, "platform_network": -0.2}
    mixed, dominant = typemix.with_layer(RULES, "problem_solving", scores, 0.5)
    assert dominant == "production"
    assert sum(mixed.values()) == pytest.approx(1.0)
    # a negative output adds nothing: platform's share only shrinks with the total
    assert mixed["platform_network"] < RULES["platform_network"]


def test_the_layer_adds_no_type_the_rules_found_no_evidence_for() -> None:
    # "we're not a marketplace": the layer reads whole answers and cannot see the "not"
    rules = {"production": 1.0, "problem_solving": 0.0, "platform_network": 0.0}
    scores = {"production": 0.2, "problem_solving": 0.1, "platform_network": 0.9}
    mixed, dominant = typemix.with_layer(rules, "production", scores, 0.5)
    assert dominant == "production"
    assert mixed == rules


def test_a_clear_mix_is_not_overturned_by_a_small_weight() -> None:
    clear = {"production": 0.1, "problem_solving": 0.85, "platform_network": 0.05}
    scores = {"production": 0.6, "problem_solving": 0.3, "platform_network": 0.1}
    assert typemix.with_layer(clear, "problem_solving", scores, 0.5)[1] == "problem_solving"


def test_without_scores_or_without_a_type_nothing_changes() -> None:
    assert typemix.with_layer(RULES, "problem_solving", None, 0.5) == (RULES, "problem_solving")
    nothing = {t: 0.0 for t in CORE_TYPES}
    scores = {"production": 0.9, "problem_solving": 0.0, "platform_network": 0.0}
    # the layer never decides a type on its own: "unknown" stays unknown
    assert typemix.with_layer(nothing, "unknown", scores, 0.5) == (nothing, "unknown")


def test_the_shipped_layer_has_type_rows_and_reads_the_answers() -> None:
    layer = meaning.load_layer()
    assert layer is not None and set(meaning.TYPE_IDS) <= set(layer.ids)
    app = {
        "value_proposition.offer": "An app where dog owners find vetted walkers nearby and book them.",
        "revenue.model": "We keep 15 % of every walk booked through the app.",
    }
    bakery = {
        "value_proposition.offer": "We bake sourdough loaves and pastries every night in our own bakery.",
        "revenue.model": "Customers pay per loaf in our two shops and wholesale to cafés.",
    }
    sections = lambda q: q.split(".")[0]  # noqa: E731
    a = meaning.type_scores(app, sections, default_catalogue())
    b = meaning.type_scores(bakery, sections, default_catalogue())
    assert a is not None and b is not None
    assert max(a, key=a.get) == "platform_network"
    assert max(b, key=b.get) == "production"


def test_switched_off_the_type_is_the_rules_alone(monkeypatch) -> None:
    answers = {"value_proposition.offer": "We bake sourdough loaves in our own bakery."}
    monkeypatch.setenv("CANVAS_TUI_MEANING", "off")
    assert meaning.type_scores(answers, lambda q: "value_proposition", default_catalogue()) is None
    result = infer(answers, default_catalogue())
    assert result.dominant == "production"
    assert sum(result.mix.values()) == pytest.approx(1.0)


def test_the_layer_reads_no_type_from_a_single_section() -> None:
    # from one answer the layer reads the words, not the business
    cat = default_catalogue()
    offer = {"value_proposition.offer": "A buying group of village shops that orders together"}
    assert meaning.type_scores(offer, lambda q: q.split(".")[0], cat) is None
    both = {**offer, "revenue.model": "Members pay a yearly fee and a small cut of orders"}
    scores = meaning.type_scores(both, lambda q: q.split(".")[0], cat)
    assert scores is not None and set(scores) == set(CORE_TYPES)
