"""Second-round rules: product words, partners who are you, one pricing fact, [type_mix]."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from canvas_tui.core.inference.catalogue import (
    TypeMix,
    check_catalogue,
    default_catalogue,
    load_catalogue,
)
from canvas_tui.core.inference.infer import Inference, infer
from canvas_tui.resources import default_bank_dir

CAT = default_catalogue()


def candidate(result: Inference, ident: str):
    return next((c for c in result.candidates if c.id == ident), None)


def test_words_after_software_for_name_the_customers_trade() -> None:
    result = infer(
        {
            "value_proposition.offer": "practice management software for dental clinics - "
            "appointments, patient records and treatment plans in one place"
        },
        CAT,
    )
    assert result.dominant == "platform_network"
    assert result.candidates[0].id == "software-development"
    service = candidate(result, "service-delivery")
    assert service is None or service.score < 0.3


def test_product_markers_are_singular_an_agency_builds_apps() -> None:
    result = infer(
        {"value_proposition.offer": "we design and build apps and websites for retailers"}, CAT
    )
    assert result.dominant == "problem_solving"


def test_an_own_cue_containing_a_partner_word_wins() -> None:
    result = infer({"channels.reach": "our senior partners sell to existing clients"}, CAT)
    lead = candidate(result, "lead-generation")
    assert lead is not None and all(e.mode == "own" for e in lead.evidence)
    assert candidate(result, "partner-management") is None


def test_a_pricing_model_is_one_fact(monkeypatch) -> None:
    # the rules' counting (the meaning layer reads the whole text, so it differs a little)
    monkeypatch.setenv("CANVAS_TUI_MEANING", "off")
    once = candidate(infer({"revenue.model": "subscription"}, CAT), "recurring-billing")
    many = candidate(
        infer({"revenue.model": "subscription, billed monthly, every month"}, CAT),
        "recurring-billing",
    )
    assert once is not None and many is not None
    assert len(many.evidence) > len(once.evidence)
    assert many.score == once.score


def test_type_counts_the_value_proposition_more() -> None:
    answers = {
        "value_proposition.offer": "we roast coffee",
        "relationships.style": "an account manager, onboarding and customer success calls",
    }
    flat = replace(CAT, type_mix=TypeMix())
    weighted = infer(answers, CAT)
    plain = infer(answers, flat)
    assert weighted.mix["production"] > plain.mix["production"]
    # the ranking itself does not depend on [type_mix] (only the off-type factor might)
    assert {c.id for c in weighted.candidates} == {c.id for c in plain.candidates}


def test_type_mix_is_validated(tmp_path: Path) -> None:
    path = tmp_path / "activities.toml"
    path.write_text(
        '[type_mix]\nsection_weights = { channels = "low" }\nlead = 2\n', encoding="utf-8"
    )
    messages = [p.message for p in check_catalogue(path)]
    assert any("section_weights" in m for m in messages)
    assert any("unknown key 'lead'" in m for m in messages)


def test_a_bank_can_change_one_type_mix_weight(tmp_path: Path) -> None:
    path = tmp_path / "activities.toml"
    path.write_text("[type_mix]\nsection_weights = { channels = 0.2 }\n", encoding="utf-8")
    merged = load_catalogue(default_bank_dir() / "activities.toml", path)
    weights = dict(merged.type_mix.section_weights)
    assert weights["channels"] == 0.2
    assert weights["revenue"] == dict(CAT.type_mix.section_weights)["revenue"]
