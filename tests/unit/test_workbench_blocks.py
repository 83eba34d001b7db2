"""The canvas blocks are the user's: a clarification replaces the non-answer it clarifies,
non-answers ("stuff", "not sure yet") stay out, and the question asked stays the one
shown (issue 13)."""

from __future__ import annotations

from canvas_tui.core.interview.bank_loader import load_bank_catalogue
from canvas_tui.core.interview.session import Session
from canvas_tui.core.workbench import Workbench

OFFER = "value_proposition.offer"
CUSTOMERS = "value_proposition.customers"


def bike_van(bank) -> Workbench:
    bench = Workbench(Session(id="s", title="Bike Van"), bank, load_bank_catalogue(bank))
    bench.submit("stuff")
    assert bench.current is not None and bench.current.id == OFFER + ".more"
    bench.submit("We repair bikes at your door from a van")
    bench.submit("not sure yet")
    assert bench.current is not None and bench.current.id == CUSTOMERS + ".more"
    bench.skip()
    return bench


def test_a_clarified_answer_fills_the_block_and_non_answers_stay_out(bank):
    bench = bike_van(bank)
    canvas = bench.canvas()
    assert canvas.blocks["value_propositions"] == ("We repair bikes at your door from a van",)
    assert canvas.blocks["customer_segments"] == ()
    everything = "\n".join(item for items in canvas.blocks.values() for item in items)
    assert "stuff" not in everything and "not sure yet" not in everything
    # the record of the interview keeps every answer as given
    assert canvas.answers[OFFER] == "stuff"
    assert canvas.answers[OFFER + ".more"] == "We repair bikes at your door from a van"


def test_a_clarification_of_a_real_answer_joins_it(bank):
    bench = Workbench(Session(id="s", title="Bike Van"), bank, load_bank_catalogue(bank))
    bench.submit("We repair bikes at your door from a van")
    bench.submit("commuters")
    assert bench.current is not None and bench.current.id == CUSTOMERS + ".more"
    bench.submit("Office workers in Utrecht who cycle to work")
    assert bench.canvas().blocks["customer_segments"] == (
        "commuters",
        "Office workers in Utrecht who cycle to work",
    )


def test_the_question_asked_for_more_detail_stays_the_one_shown(bank):
    bench = Workbench(Session(id="s", title="Bike Van"), bank, load_bank_catalogue(bank))
    bench.submit("stuff")
    asked = bench.current.prompt
    assert "concrete" in asked
    bench.submit("We repair bikes at your door from a van")
    bench.submit("Commuters and families in Utrecht who cycle every day")
    more = OFFER + ".more"
    assert bench.interview.question(more).prompt == asked
    assert bench.canvas().questions[more] == asked
    assert bench.session.probes[OFFER] == asked  # saved with the session
