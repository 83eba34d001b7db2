"""Business nouns: what the business is counts toward the type by where it is found.

The expected points follow from the rules in business_types.toml's header, with the
factors and weights read from the catalogue (never copied from an output): a noun's points
are `weight x where`, `where` being `head` (the first noun of the offer, or a noun the
founder says the business is), `offer` (any other noun of the offer), `elsewhere` (in the
other sections), times `secondary` in a sideline; a noun after a customer marker, negated
or only modifying the next word counts not at all.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from canvas_tui.core.inference.catalogue import Catalogue, default_catalogue
from canvas_tui.core.inference.infer import infer
from canvas_tui.core.inference.matching import Compiled
from canvas_tui.core.inference.weighing import weigh

CAT = default_catalogue()
ID = CAT.identity
COMPILED = Compiled(CAT)
OFFER = "value_proposition.offer"
REACH = "channels.reach"


def weight(word: str) -> float:
    """The weight of the [[noun]] group that lists `word` (as written there)."""
    return next(n.weight for n in CAT.nouns if word in n.words)


def nouns(text: str, qid: str = OFFER, section: str = "value_proposition") -> dict[str, float]:
    """Noun points per type in one answer (before the type-mix factor)."""
    weighed = weigh(COMPILED, CAT, qid, text, section)
    points: dict[str, float] = {}
    for type_, points_ in weighed.identity:
        points[type_] = points.get(type_, 0.0) + points_
    return points


def varied(**changes: object) -> Catalogue:
    return replace(CAT, identity=replace(ID, **changes))


def test_the_lexicon_has_the_words_these_tests_use() -> None:
    for word in ("design studio", "shop", "marketplace", "cafe", "=app", "=photographer"):
        assert weight(word) > 0
    assert 0 < ID.elsewhere < ID.offer < ID.head and 0 < ID.secondary < 1


# -- where a noun is found ------------------------------------------------------------------


def test_the_first_noun_of_the_offer_is_the_head() -> None:
    assert nouns("Design studio and shop") == pytest.approx(
        {
            "problem_solving": ID.head * weight("design studio"),
            "production": ID.offer * weight("shop"),
        }
    )
    assert nouns("Shop and design studio") == pytest.approx(
        {
            "production": ID.head * weight("shop"),
            "problem_solving": ID.offer * weight("design studio"),
        }
    )


def test_a_self_description_counts_as_the_head_wherever_it_is() -> None:
    start = "Posters, prints and cards for weddings, birthdays and every other occasion; "
    assert nouns(start + "we're a design studio") == pytest.approx(
        {"problem_solving": ID.head * weight("design studio")}
    )
    # the same noun, past the head window and not self-described: an offer noun
    assert nouns(start + "a design studio") == pytest.approx(
        {"problem_solving": ID.offer * weight("design studio")}
    )


def test_a_noun_in_another_section_counts_little() -> None:
    text = "Bike shops sell our lights"
    assert nouns(text) == pytest.approx({"production": ID.head * weight("bike shop")})
    assert nouns(text, REACH, "channels") == pytest.approx(
        {"production": ID.elsewhere * weight("bike shop")}
    )


@pytest.mark.parametrize(
    "text",
    [
        "We are a design studio and also have a small shop",
        "A design studio. We have a small shop too.",
    ],
)
def test_a_sideline_counts_less(text: str) -> None:
    assert nouns(text) == pytest.approx(
        {
            "problem_solving": ID.head * weight("design studio"),
            "production": ID.offer * ID.secondary * weight("shop"),
        }
    )


def test_a_noun_after_a_customer_marker_does_not_count() -> None:
    assert nouns("We paint murals for cafes, offices and schools") == {}
    # the same noun as the answer's first noun, not after "for": the head
    assert nouns("We paint murals in our cafe") == pytest.approx(
        {"production": ID.head * weight("cafe")}
    )


@pytest.mark.parametrize("text", ["We're not a marketplace", "We are not a marketplace, we sell"])
def test_a_negated_noun_does_not_count(text: str) -> None:
    assert nouns(text) == {}
    assert nouns("We're a marketplace") == pytest.approx(
        {"platform_network": ID.head * weight("marketplace")}
    )


def test_a_noun_that_modifies_the_next_word_is_not_the_business() -> None:
    assert "identities" in ID.modifies
    assert nouns("Brand identities for startups") == {}
    assert nouns("A brand for startups") == pytest.approx({"production": ID.head * weight("brand")})


def test_in_a_compound_the_last_noun_is_the_head() -> None:
    assert nouns("marketplace app") == pytest.approx({"platform_network": ID.head * weight("=app")})


def test_a_person_noun_in_the_singular_is_the_business_in_the_plural_not() -> None:
    assert nouns("I'm a photographer") == pytest.approx(
        {"problem_solving": ID.head * weight("=photographer")}
    )
    assert nouns("photographers") == {}


# -- the business type ----------------------------------------------------------------------


def test_the_head_noun_decides_between_close_types() -> None:
    studio_answers = {OFFER: "We're a small design studio making brand identities for startups"}
    studio = infer(studio_answers, CAT)
    market = infer({OFFER: "A marketplace where designers sell brand identities to startups"}, CAT)
    assert studio.dominant == "problem_solving"
    assert market.dominant == "platform_network"
    # the nouns are what tells them apart: without them the studio reads as a maker
    assert infer(studio_answers, replace(CAT, nouns=())).dominant != "problem_solving"


def test_customers_named_after_for_are_not_the_business() -> None:
    answers = {OFFER: "We paint murals for cafes, offices and schools"}
    # nothing here says what the business is but the customers: no café, no school
    assert infer(answers, CAT).dominant not in ("production", "problem_solving")
    assert infer(answers, CAT).mix["production"] == 0
    # the same nouns without the customer marker are read as the business (a café)
    plain = infer({OFFER: "Cafes, offices and schools: we paint murals"}, CAT)
    assert plain.mix["production"] > 0


def test_a_sideline_leaves_the_type_to_the_main_business() -> None:
    assert infer({OFFER: "We're a bakery and also have a small café"}, CAT).dominant == "production"
    answers = {OFFER: "We're a web design agency; we also run a small online shop selling prints"}
    result = infer(answers, CAT)
    assert result.dominant == "problem_solving"
    assert result.mix["production"] < infer(answers, varied(secondary=1.0)).mix["production"]


def test_a_negated_marketplace_is_no_platform() -> None:
    answers = {
        OFFER: "We're not a marketplace: we buy vintage furniture, restore it and sell it ourselves"
    }
    result = infer(answers, CAT)
    assert result.dominant == "production"
    assert result.mix["platform_network"] == 0


@pytest.mark.parametrize(
    "offer",
    [
        "We're a trade association for independent cheesemakers: we lobby, train and run a "
        "yearly fair",
        "A buying group of 90 village hardware shops that orders timber and paint together",
        "Weekly livestock mart where hill farmers sell sheep and cattle to dealers",
    ],
)
def test_a_body_of_members_is_a_network_not_its_members_trade(offer: str) -> None:
    # the members make cheese, run shops or farm; the business brings them together
    result = infer({OFFER: offer}, CAT)
    assert result.dominant == "platform_network"
    without = replace(CAT, nouns=tuple(n for n in CAT.nouns if "guild" not in n.words))
    assert infer({OFFER: offer}, without).dominant != "platform_network"


def test_shops_that_sell_for_you_are_not_your_type() -> None:
    answers = {
        OFFER: "An app that plans cycling routes",
        REACH: "bike shops and cafes recommend us",
    }
    result = infer(answers, CAT)
    assert result.dominant == "platform_network"
    # if a noun in the channels counted like the head of the offer, the shops would win
    assert infer(answers, varied(elsewhere=ID.head)).mix["production"] > result.mix["production"]


# -- properties -------------------------------------------------------------------------------

#: every business noun as typed text ("=app" -> "app", "coffee roaster*" -> "coffee roaster")
TYPED = sorted({w.replace("=", "").replace("*", "") for n in CAT.nouns for w in n.words})
BASES = (
    "We're a small design studio making brand identities",
    "A marketplace where designers sell brand identities",
    "We bake sourdough bread in our own bakery every night",
    "I run a physio clinic in Leeds",
)
MARKERS = ("for", "aimed at", "sold to", ". We sell to", ". Our customers are")


@settings(deadline=None)
@given(st.sampled_from(BASES), st.sampled_from(MARKERS), st.sampled_from(TYPED))
def test_naming_any_business_noun_as_the_customer_adds_no_noun_points(
    base: str, marker: str, noun: str
) -> None:
    text = f"{base} {marker} {noun}".replace(" .", ".")
    # "for" followed by a phrase of [language] not_customer is no customer marker ("for
    # life coaches" starts with "for life"); "for us" also matches "for used" (the
    # regular inflection of "us"), which makes the sentence a partner's
    if marker == "for" and any(f"for {noun}".startswith(p) for p in CAT.language.not_customer):
        return
    assert nouns(text) == nouns(base)


def test_every_hyphenated_business_noun_as_the_customer_adds_no_noun_points() -> None:
    # the property above, exhaustively for the nouns written with hyphens: the inner "to"
    # of "peer-to-peer" once ended the customer's words after "sold to" / "We sell to"
    hyphenated = [w for w in TYPED if "-" in w]
    assert "peer-to-peer marketplace" in hyphenated
    wrong = [
        (base, marker, noun)
        for base in BASES
        for marker in MARKERS
        for noun in hyphenated
        if nouns(f"{base} {marker} {noun}".replace(" .", ".")) != nouns(base)
    ]
    assert wrong == []


def test_a_word_inside_a_hyphenated_compound_is_no_word_of_its_own() -> None:
    # "to" inside "peer-to-peer" ends no customer: the marketplaces are who we sell to
    assert nouns("We bake bread. We sell to peer-to-peer marketplaces") == {}
    assert nouns("We bake bread sold to door-to-door sellers and peer-to-peer platforms") == {}
    assert nouns("We sell to business-to-business marketplaces") == {}
    # ...and is no end of a marker: "sell ... to" does not stop on the "to" of
    # "door-to-door", so the bakery is still ours
    assert nouns("We sell door-to-door bakery goods") == pytest.approx(
        {"production": ID.head * weight("bakery")}
    )
    # a compound's inner "to" is no destination either: the noun after the compound counts
    assert nouns("We run a peer-to-peer marketplace") == pytest.approx(
        {"platform_network": ID.head * weight("peer-to-peer marketplace")}
    )


@settings(deadline=None)
@given(st.sampled_from(TYPED))
def test_a_negated_business_noun_never_counts(noun: str) -> None:
    assert nouns(f"We're not a {noun}") == {}
