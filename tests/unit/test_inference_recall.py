"""Recall classes of round 5 (issue 11): the core work of a service firm named by its verb,
regulated work, people sold by the hour, owned fleets, distributors as channel partners.

Sentences written for these tests (never copied from an eval answer)."""

from __future__ import annotations

from canvas_tui.core.inference.catalogue import default_catalogue
from canvas_tui.core.inference.infer import infer

CAT = default_catalogue()
OFFER = "value_proposition.offer"
REACH = "channels.reach"
MONEY = "revenue.model"
COSTS = "revenue.costs"


def ids(result, n: int = 5) -> list[str]:
    return [c.id for c in result.candidates[:n]]


def quotes(result, activity: str) -> list[str]:
    for c in result.candidates:
        if c.id == activity:
            return [e.quote for e in c.evidence]
    return []


def test_a_counted_fleet_is_kit_to_maintain() -> None:
    result = infer({OFFER: "We run sixteen tractors and cut silage for dairy farmers."}, CAT)
    assert "sixteen tractors" in quotes(result, "equipment-maintenance")


def test_a_number_word_above_twelve_counts_as_a_number() -> None:
    result = infer({OFFER: "Thirteen vans, all ours, doing parcel rounds for shops."}, CAT)
    assert "Thirteen vans" in quotes(result, "equipment-maintenance")


def test_work_under_a_regulator_is_compliance() -> None:
    answers = {
        OFFER: "We draw house extensions and take each one through the planning application."
    }
    assert "planning application" in quotes(infer(answers, CAT), "regulatory-compliance")
    vetted = {OFFER: "Vetted dog sitters who stay in your home while you travel."}
    assert "Vetted" in quotes(infer(vetted, CAT), "regulatory-compliance")


def test_pay_as_the_biggest_cost_means_finding_people() -> None:
    answers = {
        OFFER: "Stewards and door staff for concerts and sports grounds.",
        COSTS: "Wages are nearly all of our costs.",
    }
    result = infer(answers, CAT)
    assert "Wages" in quotes(result, "talent-recruitment")
    assert "talent-recruitment" in ids(result)


def test_a_service_named_by_its_verb_is_service_delivery() -> None:
    answers = {
        OFFER: "Emptying cesspits and unblocking drains for farms and cottages.",
        MONEY: "Per visit, more at weekends.",
    }
    result = infer(answers, CAT)
    assert "service-delivery" in ids(result, 2)


def test_a_distributor_is_a_channel_partner_not_our_logistics() -> None:
    answers = {
        OFFER: "We bake gluten-free crackers in our own bakery.",
        REACH: "Health food shops get them through a distributor.",
    }
    result = infer(answers, CAT)
    assert "distributor" in quotes(result, "partner-management")
    assert "distributor" not in quotes(result, "logistics-and-distribution")


def test_hire_as_renting_kit_out_is_not_hiring_staff() -> None:
    rental = infer({OFFER: "Marquee hire for garden parties, set up the day before."}, CAT)
    assert "talent-recruitment" not in ids(rental, 12)
    hiring = infer({OFFER: "Home tutoring; we hire graduates and train them ourselves."}, CAT)
    assert "we hire" in quotes(hiring, "talent-recruitment")
