"""Answers about who the customers are name no work of ours by design: they are not
"vague" for want of activities (only for hardly naming anybody), and then the follow-up
asks who they are."""

from canvas_tui.core.inference.catalogue import default_catalogue
from canvas_tui.core.inference.infer import infer

OFFER = "value_proposition.offer"
CUSTOMERS = "value_proposition.customers"


def test_a_plain_customers_answer_gets_no_follow_up():
    result = infer(
        {
            OFFER: "we repair bikes at your door from a van, and sell parts in our webshop",
            CUSTOMERS: "commuters and families in Utrecht",
        },
        default_catalogue(),
    )
    assert CUSTOMERS not in result.probes
    assert not [w for w in result.warnings if w.question == CUSTOMERS]


def test_a_customers_answer_naming_nobody_asks_who_they_are():
    result = infer(
        {
            OFFER: "we repair bikes at your door from a van, and sell parts in our webshop",
            CUSTOMERS: "everyone",
        },
        default_catalogue(),
    )
    assert "Who exactly are they?" in result.probes[CUSTOMERS]
    assert "what you offer" not in result.probes[CUSTOMERS]


def test_a_vague_offer_still_gets_the_offer_follow_up():
    result = infer({OFFER: "we sell stuff"}, default_catalogue())
    assert "what you offer" in result.probes[OFFER]
