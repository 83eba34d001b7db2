"""Who does it, where the money comes from, and how sure the inference is (issue 11).

Every sentence here is written for these tests: none comes from an eval business."""

from __future__ import annotations

import pytest

from canvas_tui.core.inference import typemix
from canvas_tui.core.inference.catalogue import default_catalogue
from canvas_tui.core.inference.infer import derive_blocks, infer
from canvas_tui.core.inference.matching import compiled_for

CAT = default_catalogue()
OFFER = "value_proposition.offer"
REACH = "channels.reach"
STYLE = "relationships.style"
MODEL = "revenue.model"


def evidence_in(result, question: str, text: str, words: str):
    start = text.index(words)
    end = start + len(words)
    return [
        (c.id, e.quote)
        for c in result.candidates
        for e in c.evidence
        if e.question == question and e.start < end and start < e.end
    ]


def assert_contract(result, answers) -> None:
    for c in result.candidates:
        for e in c.evidence:
            assert answers[e.question][e.start : e.end] == e.quote
    for p in (*result.partners, *result.customers):
        assert answers[p.question][p.start : p.end] == p.quote


# --- customers are it or do it: never an activity -------------------------------------


def test_the_customers_industry_never_raises_an_activity() -> None:
    text = "We run a payments API. Our customers are online shops and ticket sellers."
    result = infer({OFFER: text}, CAT)
    assert evidence_in(result, OFFER, text, "online shops") == []
    assert "order-fulfillment" not in {c.id for c in result.candidates}
    # they inform the customer segments instead
    assert [c.quote for c in result.customers] == ["online shops", "sellers"]
    assert_contract(result, {OFFER: text})


@pytest.mark.parametrize(
    ("text", "customers"),
    [
        ("We deliver firewood to farms and care homes every week", ["farms", "care homes"]),
        ("We ship our cheese to restaurants and hotels in France", ["restaurants", "hotels"]),
    ],
)
def test_whom_goods_are_delivered_or_shipped_to_are_the_customers(
    text: str, customers: list[str]
) -> None:
    result = infer({OFFER: text}, CAT)
    assert [c.quote for c in result.customers] == customers
    # the customers' trade raises none of its work (a farm's, a hotel's)
    quotes = {e.quote for c in result.candidates for e in c.evidence}
    assert not quotes & set(customers)
    assert {"manufacturing", "service-delivery"}.isdisjoint(
        c.id for c in result.candidates if c.evidence[0].quote in customers
    )


def test_what_the_customers_do_is_not_our_activity() -> None:
    text = "Our clients ship parcels all over Europe; we give them one dashboard for tracking."
    result = infer({OFFER: text}, CAT)
    assert evidence_in(result, OFFER, text, "ship parcels") == []
    assert "logistics-and-distribution" not in {c.id for c in result.candidates}


def test_the_same_words_as_our_own_work_do_raise_it() -> None:
    text = "We ship parcels all over Europe from our own depot."
    result = infer({OFFER: text}, CAT)
    assert evidence_in(result, OFFER, text, "ship parcels")


# --- a partner does it: Key Partners, named; partner work -----------------------------


ROASTER = {
    OFFER: "We roast single-origin coffee in our own roastery in Bristol.",
    REACH: "Our webshop and Instagram. A 3PL packs and ships every order.",
    STYLE: "We email every subscriber about each new lot.",
    MODEL: "Monthly coffee subscription, plus bags sold one by one. Our insurer covers the roaster.",
}


def test_a_named_partner_lands_in_partners_and_key_partners() -> None:
    result = infer(ROASTER, CAT)
    names = {p.name: p for p in result.partners}
    assert "A 3PL" in names and "Our insurer" in names
    assert "order-fulfillment" in names["A 3PL"].activities
    assert names["Our insurer"].activities == ()  # it names a partner, takes no work
    assert_contract(result, ROASTER)
    kept = [(c.id, c.partner_candidate) for c in result.candidates[:5]]
    partners = derive_blocks(kept, CAT, result.partners)["key_partners"]
    assert any(p.startswith("A 3PL (") and "order fulfil" in p for p in partners)
    assert "Our insurer" in partners


def test_partner_work_stays_out_of_the_top_three() -> None:
    result = infer(ROASTER, CAT)
    by_id = {c.id: c for c in result.candidates}
    fulfilment = by_id["order-fulfillment"]
    assert fulfilment.partner_candidate and fulfilment.priority == 0
    assert any(e.by == "A 3PL" for e in fulfilment.evidence)
    assert "A 3PL" in fulfilment.rationale
    assert by_id["manufacturing"].priority in (1, 2, 3)


def test_the_business_itself_is_no_partner() -> None:
    result = infer({OFFER: "We are a 3PL for small brands: we store, pack and ship."}, CAT)
    assert result.partners == ()


def test_the_customers_are_no_partner() -> None:
    result = infer({OFFER: "We make oat milk and sell to distributors and cafes."}, CAT)
    assert all("distributor" not in p.name for p in result.partners)


# --- nobody does it: negation is never evidence ---------------------------------------


def test_a_negation_never_becomes_evidence() -> None:
    text = "We have no shop and we don't deliver; we design and build furniture to order."
    result = infer({OFFER: text}, CAT)
    assert evidence_in(result, OFFER, text, "shop") == []
    assert evidence_in(result, OFFER, text, "deliver") == []
    assert "store-operations" not in {c.id for c in result.candidates}


def test_what_we_used_to_do_is_not_evidence_and_not_quoted() -> None:
    text = "We used to do consulting for clinics, but now our own booking app is the business."
    result = infer({OFFER: text}, CAT)
    ids = {c.id for c in result.candidates}
    assert "consulting" not in ids
    software = next(c for c in result.candidates if c.id == "software-development")
    assert "consulting" not in software.rationale


# --- follow the money -----------------------------------------------------------------


HYBRID = {
    OFFER: "A small studio: we advise salons on their workflows and we built a booking app.",
    REACH: "Trade fairs and referrals.",
}


def test_revenue_shares_are_read() -> None:
    compiled = compiled_for(CAT)
    amounts = [a for *_, a in compiled.read("Two thirds of our income is books.").shares]
    assert amounts == [0.67]
    amounts = [
        a for *_, a in compiled.read("About 80 % of revenue is the app, the rest is advice.").shares
    ]
    assert amounts == [0.8, None]
    amounts = [a for *_, a in compiled.read("Most of our income is licences.").shares]
    assert amounts == [0.7]


def test_revenue_shares_move_the_type() -> None:
    app = infer({**HYBRID, MODEL: "About 80 % of revenue is the app, the rest is consulting."}, CAT)
    advice = infer(
        {**HYBRID, MODEL: "About 80 % of revenue is consulting, the rest is the app."}, CAT
    )
    assert app.dominant == "platform_network"
    assert advice.dominant == "problem_solving"
    assert app.mix["platform_network"] > advice.mix["platform_network"] + 0.3


def test_a_share_whose_line_is_in_the_next_clause_still_has_its_line() -> None:
    # "and" splits the clause: the line ("ceramics and glassware") is not in the clause
    # of "75 percent of turnover", but in the same sentence, with no share of its own
    from canvas_tui.core.inference.weighing import weigh

    text = (
        "Handmade ceramics and glassware sales are roughly 75 percent of turnover; "
        "the pottery evenings we host bring in the other 25 percent."
    )
    compiled = compiled_for(CAT)
    shares = weigh(compiled, CAT, MODEL, text, "revenue").shares
    # found, and believed as far as a line next to its share is (activity words only)
    assert shares[0] == (0.75, (("production", compiled.roles.trust_nearby),))


def test_a_line_named_by_a_line_word_is_believed_more_than_activity_words() -> None:
    from canvas_tui.core.inference.weighing import weigh

    compiled = compiled_for(CAT)
    named = weigh(compiled, CAT, MODEL, "About 70 % of revenue is the app.", "revenue").shares
    worded = weigh(
        compiled, CAT, MODEL, "About 70 % of revenue is repairs to boilers.", "revenue"
    ).shares
    assert named == ((0.7, (("platform_network", compiled.roles.trust_named),)),)
    assert worded == ((0.7, (("problem_solving", compiled.roles.trust_activities),)),)
    assert compiled.roles.trust_activities < compiled.roles.trust_named


def test_the_doubted_part_of_a_share_keeps_the_mix_of_the_words() -> None:
    words = {"production": 1.0, "problem_solving": 0.0, "platform_network": 0.0}
    sure, _ = typemix.follow_money(words, "production", [(0.8, (("problem_solving", 1.0),))], 1.0)
    half, _ = typemix.follow_money(words, "production", [(0.8, (("problem_solving", 0.5),))], 1.0)
    assert sure["problem_solving"] == 0.8
    # half of the 80 % is believed: 40 % services, the other 60 % follows the words
    assert half["problem_solving"] == 0.4
    assert half["production"] == 0.6


def test_subscriptions_say_how_customers_pay_not_which_line_earns() -> None:
    from canvas_tui.core.inference.weighing import weigh

    text = "Subscriptions bring about 85 % of our revenue."
    shares = weigh(compiled_for(CAT), CAT, MODEL, text, "revenue").shares
    assert all(t != "problem_solving" for _amount, line in shares for t, _ in line)


def _partner_names(making: str) -> list[str]:
    answers = {OFFER: "We make garden furniture.", "value_proposition.making": making}
    return [p.name for p in infer(answers, CAT).partners]


def test_names_after_a_partner_noun_or_a_buying_verb_are_key_partners() -> None:
    assert _partner_names(
        "We buy the steel from two wholesalers (Brannock Metals, Kettering Steel) and weld "
        "the frames ourselves."
    ) == ["Brannock Metals", "Kettering Steel"]
    assert _partner_names("The oak is bought from Osmani Timber.") == ["Osmani Timber"]
    # a partner noun inside a firm's name is that firm, listed once ...
    # ... and "our partners" before their names is no partner of its own
    assert _partner_names("Our partners: Lindqvist Print and Ardent Couriers.") == [
        "Lindqvist Print",
        "Ardent Couriers",
    ]
    # "I've" after a marker is the speaker, not a name
    assert _partner_names("We work with I've no idea how many suppliers.") == []


def test_what_we_say_we_do_in_the_offer_weighs_more(monkeypatch: pytest.MonkeyPatch) -> None:
    from canvas_tui.core.inference import weighing

    compiled = compiled_for(CAT)

    def roast(text: str) -> float:
        weighed = weighing.weigh(compiled, CAT, OFFER, text, "value_proposition")
        return max(e.weight for _i, _w, e, *_ in weighed.items if e.quote == "We roast")

    boosted = roast("We roast coffee in small batches.")
    monkeypatch.setattr(weighing, "SELF_BOOST", 1.0)
    plain = roast("We roast coffee in small lots.")  # another text: not the cached one
    assert boosted == pytest.approx(1.3 * plain)


def test_manufacturers_are_other_firms_not_our_making() -> None:
    result = infer(
        {OFFER: "We calibrate torque sensors that manufacturers fit in their lines."}, CAT
    )
    quotes = [e.quote for c in result.candidates if c.id == "manufacturing" for e in c.evidence]
    assert "manufacturers" not in quotes


def test_certificates_and_mandatory_paperwork_are_compliance_work() -> None:
    result = infer(
        {
            OFFER: "We run guided kayak trips on the estuary. Each guide holds a first-aid "
            "certificate and the harbour paperwork is mandatory."
        },
        CAT,
    )
    quotes = {
        e.quote for c in result.candidates if c.id == "regulatory-compliance" for e in c.evidence
    }
    assert {"certificate", "mandatory"} <= quotes


def test_a_share_without_money_words_is_no_revenue_share() -> None:
    compiled = compiled_for(CAT)
    reading = compiled.read("Most of our clients are dentists.")
    assert not reading.money
    result = infer({**HYBRID, STYLE: "Most of our clients are dentists."}, CAT)
    assert result.mix == infer(HYBRID, CAT).mix


# --- confidence follows the evidence ---------------------------------------------------


def test_a_thin_answer_is_never_confident() -> None:
    answers = {
        OFFER: "we help people with stuff",
        STYLE: "we care about them",
        MODEL: "they pay us",
    }
    result = infer(answers, CAT)
    assert result.confidence == "low"
    assert OFFER in result.probes  # a follow-up names the answer that needs more


def test_one_weak_word_gives_no_type() -> None:
    result = infer({OFFER: "we do good work for people"}, CAT)
    assert result.dominant == "unknown" or result.confidence == "low"


def test_a_clear_business_is_confident() -> None:
    assert infer(ROASTER, CAT).confidence in ("high", "medium")
    clear = {
        OFFER: "We brew craft beer in our own brewery and bottle it ourselves.",
        REACH: "We sell kegs to pubs and bottles through our taproom.",
        MODEL: "Per keg wholesale and per bottle in the taproom.",
    }
    assert infer(clear, CAT).confidence == "high"


def test_one_phrase_raises_one_activity() -> None:
    text = "Nearly all new clients come by word of mouth."
    result = infer({REACH: text, OFFER: "We repair bikes in our workshop."}, CAT)
    start = text.index("word of mouth")
    end = start + len("word of mouth")
    # the phrase itself (a quote inside it) supports one activity; the meaning layer may
    # still quote the whole clause for another, marked "close in meaning to"
    claimed = {
        c.id
        for c in result.candidates
        for e in c.evidence
        if e.question == REACH and start <= e.start and e.end <= end
    }
    assert len(claimed) == 1
    for c in result.candidates:
        for e in c.evidence:
            if e.question == REACH and e.start < start and end < e.end:
                assert e.rule.startswith("close in meaning to"), (c.id, e.rule)


def test_the_list_is_capped_and_the_tail_dropped() -> None:
    answers = {
        OFFER: "We design, manufacture and install kitchens, run a showroom, write a blog, "
        "host events, train apprentices, sell spare parts online, offer finance and an app.",
        REACH: "Instagram, Google ads, trade shows, a newsletter, a podcast and referrals.",
        STYLE: "Account managers, a loyalty club, a community forum and 24/7 support chat.",
        MODEL: "Project fees, monthly maintenance subscriptions, commission on finance, ads.",
    }
    result = infer(answers, CAT)
    assert 0 < len(result.candidates) <= 12
    assert all(c.score >= 0.15 for c in result.candidates)


def test_a_word_in_another_sense_is_no_promise() -> None:
    cost = "We cut costs relentlessly: lean processes, cheapest suppliers, cost cutting everywhere."
    promise = infer({OFFER: "Luxury handmade candles. " + cost}, CAT)
    other = infer({OFFER: "Our insurance premiums doubled this year. " + cost}, CAT)
    assert any(w.kind == "coherence" for w in promise.warnings)
    assert not any(w.kind == "coherence" for w in other.warnings)


def test_what_the_customer_no_longer_has_to_do_is_not_evidence() -> None:
    text = "We pick up your sofa and reupholster it, so you don't have to take it to a store."
    result = infer({OFFER: text}, CAT)
    assert evidence_in(result, OFFER, text, "store") == []


def test_our_noun_after_a_partner_is_still_the_partners_work() -> None:
    text = "A courier makes all our deliveries; we bake the bread ourselves."
    result = infer({OFFER: text}, CAT)
    assert any(
        mode == "partner"
        for c in result.candidates
        for mode, quote in ((e.mode, e.quote) for e in c.evidence)
        if "deliver" in quote
    )
    assert [p.name for p in result.partners] == ["A courier"]


def test_a_split_with_providers_is_no_revenue_line() -> None:
    from canvas_tui.core.inference.weighing import weigh

    compiled = compiled_for(CAT)
    split = weigh(compiled, CAT, MODEL, "Pupils pay per lesson, tutors get 75 %.", "revenue")
    line = weigh(compiled, CAT, MODEL, "75 % tutoring fees, 25 % the app.", "revenue")
    assert split.shares == ()
    assert [amount for amount, _ in line.shares] == [0.75, 0.25]


# --- another firm by its name, the doer after the work (round 6) -----------------------


def own_or_partner(result, question: str, text: str, words: str) -> set[str]:
    start = text.index(words)
    end = start + len(words)
    return {
        e.mode
        for c in result.candidates
        for e in c.evidence
        if e.question == question and e.start < end and start < e.end
    }


def test_a_firm_named_for_its_trade_does_that_work_and_is_a_partner() -> None:
    text = (
        "We grow and smoke trout in the hills. Bryn Transport from the valley takes the "
        "boxes to the fishmongers twice a week."
    )
    result = infer({REACH: text}, CAT)
    assert own_or_partner(result, REACH, text, "Transport") <= {"partner"}
    assert own_or_partner(result, REACH, text, "takes the boxes") <= {"partner"}
    names = {p.name for p in result.partners}
    assert "Bryn Transport" in names
    assert_contract(result, {REACH: text})


@pytest.mark.parametrize(
    ("text", "noun", "name"),
    [
        (
            "We propagate plug plants for growers. The trays travel with our contracted "
            "haulier every Monday.",
            "haulier",
            "our contracted haulier",
        ),
        (
            "We sell roasted coffee beans online; a 3PL in Leeds stores our stock.",
            "3PL",
            "a 3PL",
        ),
    ],
)
def test_a_partner_named_by_its_trade_does_that_work(text: str, noun: str, name: str) -> None:
    # the partner's own noun names the work it does: that work is the partner's
    result = infer({REACH: text}, CAT)
    assert own_or_partner(result, REACH, text, noun) == {"partner"}
    assert name in {p.name for p in result.partners}
    assert_contract(result, {REACH: text})


def test_a_named_person_for_each_client_is_our_own() -> None:
    # "a named bookkeeper" is one of our people, not a bookkeeping partner
    text = "We do the books for cafes. Each client has a named bookkeeper who answers by email."
    result = infer({STYLE: text}, CAT)
    assert not any("bookkeeper" in p.name for p in result.partners)
    assert own_or_partner(result, STYLE, text, "bookkeeper") <= {"own"}


def test_partners_of_a_firm_are_the_firm_itself() -> None:
    # "our senior partners" are the business's own people: their work is ours
    text = "We are a law firm; our senior partners advise farmers on tenancies."
    result = infer({REACH: text}, CAT)
    assert own_or_partner(result, REACH, text, "advise") <= {"own"}


def test_our_own_name_or_a_title_is_no_partner() -> None:
    for text in (
        "We are Bryn Transport, a family haulage firm moving timber for sawmills.",
        "Bryn Transport: a family haulage firm moving timber for sawmills.",
    ):
        result = infer({OFFER: text}, CAT)
        assert "Bryn Transport" not in {p.name for p in result.partners}, text
        assert "logistics-and-distribution" in [c.id for c in result.candidates][:3], text


def test_the_doer_named_after_the_work_does_it() -> None:
    text = "Every cabin is built in our yard; the cabins are then transported by Kestrel on low loaders."
    result = infer({OFFER: text}, CAT)
    assert own_or_partner(result, OFFER, text, "transported") == {"partner"}
    assert "Kestrel" in {p.name for p in result.partners}
    # a time or a unit after "by" names no one
    for other in ("The cabins are transported by Friday.", "The cabins are transported by road."):
        result = infer({OFFER: other}, CAT)
        assert "partner" not in own_or_partner(result, OFFER, other, "transported"), other


def test_a_transport_company_named_in_the_answer_does_the_transport() -> None:
    text = "We press olive oil on the estate. The tins go to our buyers with a transport company from Jaén."
    result = infer({REACH: text}, CAT)
    assert own_or_partner(result, REACH, text, "go to our buyers") <= {"partner"}
    assert "a transport company" in {p.name for p in result.partners}


def test_making_a_visit_or_a_call_is_no_manufacturing() -> None:
    text = "We make the monthly herd visit and make follow-up calls after every calving."
    result = infer({OFFER: text}, CAT)
    assert not any(
        "make" in e.quote.lower()
        for c in result.candidates
        if c.id == "manufacturing"
        for e in c.evidence
    )
    # making things still is
    made = "We make oak stools and benches in our workshop."
    assert "manufacturing" in [c.id for c in infer({OFFER: made}, CAT).candidates][:2]


def test_partner_work_is_not_in_the_suggested_top_three() -> None:
    # the rule: work a named partner does is in the top three only if the user
    # puts it there
    text = "We farm and smoke trout in the hills; Bryn Transport takes the boxes to fishmongers."
    result = infer({OFFER: text}, CAT)
    logistics = next(c for c in result.candidates if c.id == "logistics-and-distribution")
    assert logistics.priority == 0
    assert [c.priority for c in result.candidates if c.priority] == [1]
    assert next(c for c in result.candidates if c.priority == 1).id == "manufacturing"


def test_work_a_named_partner_does_adds_its_fees_not_its_kit() -> None:
    text = "We farm and smoke trout in the hills; Bryn Transport takes the boxes to fishmongers."
    result = infer({OFFER: text}, CAT)
    kept = [(c.id, c.partner_candidate) for c in result.candidates]
    blocks = derive_blocks(kept, CAT, result.partners)
    logistics = CAT.get("logistics-and-distribution")
    assert logistics is not None
    # the vans and depots are the partner's; what we pay is the partner's fees
    assert not set(logistics.resources) & set(blocks["key_resources"])
    assert "Bryn Transport's fees (logistics and distribution)" in blocks["cost_structure"]
    # our own work still brings its resources and costs
    making = CAT.get("manufacturing")
    assert making is not None and set(making.resources) <= set(blocks["key_resources"])


def test_a_title_case_label_in_a_canvas_is_no_firm() -> None:
    # published canvases label their bullets in title case: our own work, not a partner's
    text = "- **Solution Consulting**: we map each client's process\n- Ongoing Consulting\n"
    result = infer({OFFER: text}, CAT)
    assert not {p.name for p in result.partners} & {"Solution Consulting", "Ongoing Consulting"}
    assert own_or_partner(result, OFFER, text, "Consulting") == {"own"}


def test_tradespeople_in_the_plural_are_other_people_unless_they_are_ours() -> None:
    # a supplier's customers, a platform's providers: their trade is not our work
    rest = {REACH: "word of mouth", STYLE: "we know them by name", MODEL: "they pay per order"}
    sold = "We sell workwear and safety boots to electricians, plumbers and scaffolders"
    theirs = infer({OFFER: sold, **rest}, CAT)
    ours = infer({OFFER: "Our electricians and plumbers fix faults in homes", **rest}, CAT)
    hired = infer(
        {OFFER: "We employ electricians and plumbers who fix faults in homes", **rest}, CAT
    )

    def service(result) -> float:
        return next((c.score for c in result.candidates if c.id == "service-delivery"), 0.0)

    assert service(ours) > 0.5 and service(hired) > 0.5
    assert service(theirs) < service(ours) / 2


def test_producers_places_in_the_plural_are_other_peoples_unless_they_are_ours() -> None:
    # "to farms", "for food factories": whom we serve, not where we make things
    rest = {REACH: "word of mouth", STYLE: "we know them by name", MODEL: "they pay per load"}
    theirs = infer({OFFER: "We deliver red diesel and gas oil to farms and factories", **rest}, CAT)
    ours = infer({OFFER: "We run our own farms and grow the oats we mill", **rest}, CAT)

    def score(result, ident: str) -> float:
        return next((c.score for c in result.candidates if c.id == ident), 0.0)

    assert score(theirs, "manufacturing") < 0.5
    assert score(ours, "manufacturing") > 0.5


def test_the_doer_after_a_chain_of_work_takes_all_of_it() -> None:
    # "brewed + canned by", "made and bottled for us by": one doer for every verb before it
    for text in (
        "Craft sodas. Recipes are ours, brewed + canned by Bottle & Co.",
        "Hot sauces. The sauce is made and bottled for us by Saucery Co-Pack in Leeds.",
    ):
        result = infer({OFFER: text}, CAT)
        making = next(c for c in result.candidates if c.id == "manufacturing")
        assert making.partner_candidate, text
        assert making.priority == 0, text
    # a deadline or a unit after "by" names nobody
    own = infer({OFFER: "Hot sauces, made and bottled by hand in our kitchen."}, CAT)
    assert not next(c for c in own.candidates if c.id == "manufacturing").partner_candidate


def test_a_service_word_before_a_goods_noun_names_goods_not_the_service() -> None:
    rest = {REACH: "trade counter and a van", MODEL: "they pay per order"}
    goods = infer({OFFER: "We stock cleaning chemicals and plumbing supplies", **rest}, CAT)
    work = infer({OFFER: "We do office cleaning and small plumbing jobs", **rest}, CAT)

    def service(result) -> float:
        return next((c.score for c in result.candidates if c.id == "service-delivery"), 0.0)

    assert service(work) > 0.5
    assert service(goods) < service(work) / 2


def test_what_is_sold_to_customers_may_be_a_list() -> None:
    # "sell X and Y to care homes": the care homes are the customers, however long the list
    text = "We sell cleaning chemicals and hygiene paper to care homes."
    result = infer({OFFER: text}, CAT)
    assert "care homes" in {m.quote.lower() for m in result.customers}
    assert all(e.quote.lower() != "care homes" for c in result.candidates for e in c.evidence)


def test_a_maker_that_designs_to_order_and_fits_on_site_is_still_a_maker() -> None:
    rest = {
        REACH: "Architects and homeowners find us through our portfolio.",
        STYLE: "One project lead from the first drawing to the fitting.",
        MODEL: "A fixed quote per project, half up front.",
    }
    made = "We design bespoke staircases and gates to order, forge and weld them in our own workshop and fit them on site."
    designed = (
        "We design bespoke staircases and gates to order and project-manage the fitting on site."
    )
    maker = infer({OFFER: made, **rest}, CAT)
    assert maker.dominant == "production"
    # the same custom-design and fitting words without making anything: a service
    assert infer({OFFER: designed, **rest}, CAT).dominant == "problem_solving"
    # the moved activities are still suggested as they are
    assert {"solution-design", "manufacturing"} <= {c.id for c in maker.candidates}


def test_the_tools_a_business_runs_on_are_key_partners_but_do_none_of_its_work() -> None:
    answers = {
        OFFER: "Airport taxi transfers with fixed prices.",
        REACH: "Phone and WhatsApp bookings; we also sell through our Shopify store.",
    }
    result = infer(answers, CAT)
    assert {"WhatsApp", "Shopify"} <= {p.name for p in result.partners}
    booking = next(c for c in result.candidates if c.id == "booking-and-scheduling")
    assert all(e.mode == "own" for e in booking.evidence)
    # a delivery app right before the work still does it ("Deliveroo orders")
    app = infer({OFFER: "A dark kitchen. Deliveroo orders are most of our trade."}, CAT)
    assert any(
        e.mode == "partner" for c in app.candidates for e in c.evidence if e.quote == "orders"
    )


def test_a_partner_described_after_done_by_a_is_named_and_our_team_is_no_partner() -> None:
    coater = infer({OFFER: "We forge gates. The powder coating is done by a local coater."}, CAT)
    assert "a local coater" in {p.name for p in coater.partners}
    team = infer({OFFER: "Everything is made by a small team of three in our shed."}, CAT)
    assert team.partners == ()
    making = next(c for c in team.candidates if c.id == "manufacturing")
    assert not making.partner_candidate
