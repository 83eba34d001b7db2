"""Service firms inside production sectors, and whose words are whose (issue 11).

Sentences written for these tests (never copied from an eval answer)."""

from __future__ import annotations

from canvas_tui.core.inference.catalogue import default_catalogue
from canvas_tui.core.inference.infer import infer
from canvas_tui.core.inference.matching import compiled_for
from canvas_tui.core.inference.reading import NounRef

CAT = default_catalogue()
OFFER = "value_proposition.offer"
REACH = "channels.reach"
STYLE = "relationships.style"
MONEY = "revenue.model"


def ids(result, n: int = 5) -> list[str]:
    return [c.id for c in result.candidates[:n]]


def test_a_carrier_is_a_service_not_a_maker() -> None:
    answers = {
        OFFER: "We're a haulage firm moving pallets and bulk loads for manufacturers.",
        REACH: "Long contracts, some work from freight exchanges.",
        STYLE: "Live tracking and a named planner.",
        MONEY: "Priced per load plus a fuel surcharge.",
    }
    result = infer(answers, CAT)
    assert result.dominant == "problem_solving"
    assert "logistics-and-distribution" in ids(result, 3)


def test_a_warehouse_that_keeps_its_clients_goods_is_a_service() -> None:
    answers = {
        OFFER: "3PL for small online brands: we keep their stock, pick and pack their orders.",
        MONEY: "Storage fees per pallet per week and a pick and pack fee per order.",
    }
    result = infer(answers, CAT)
    assert result.dominant == "problem_solving"
    assert "order-fulfillment" in ids(result, 3)
    assert result.partners == ()  # the 3PL is the business itself, not its partner


def test_the_same_goods_words_for_a_maker_stay_production() -> None:
    answers = {
        OFFER: "We bake sourdough and pastries in our bakery and deliver them to your door.",
        MONEY: "Per loaf, wholesale to cafes.",
    }
    assert infer(answers, CAT).dominant == "production"


def test_priced_per_unit_of_work_is_a_service_cue() -> None:
    reading = compiled_for(CAT).read("Ploughing at 40/acre, hedges by the day")
    assert any(m.source.startswith("priced per job") for m in reading.mentions)
    assert not any(
        m.source.startswith("priced per job")
        for m in compiled_for(CAT).read("a load of new ideas").mentions
    )


def test_whose_goods_needs_the_customers_as_owner() -> None:
    def read(text: str):
        return compiled_for(CAT).read(text).mentions

    assert any(m.source.startswith("whose goods") for m in read("we clear their imports"))
    # delivered TO their homes: a producer's delivery, not work on their property
    assert not any(m.source.startswith("whose goods") for m in read("delivered to their homes"))
    assert not any(m.source.startswith("whose goods") for m in read("we sell our goods"))
    # "your" after a verb of handling: the customer's goods ("we receive your stock")
    assert any(m.source.startswith("whose goods") for m in read("we receive your stock"))
    assert not any(m.source.startswith("whose goods") for m in read("we sell your favourites"))


def test_a_testing_lab_sells_a_service() -> None:
    answers = {
        OFFER: "An accredited testing laboratory checking water samples for swimming pools.",
        MONEY: "A fixed price per sample, results by email.",
    }
    assert infer(answers, CAT).dominant == "problem_solving"


def test_a_noun_where_a_verb_stands_is_no_business_noun() -> None:
    mentions = compiled_for(CAT).read("We store stock for brands").mentions
    assert not any(isinstance(m.payload, NounRef) and m.source == "store" for m in mentions)
    shop = compiled_for(CAT).read("Our store sells plants").mentions
    assert any(isinstance(m.payload, NounRef) and m.source == "store" for m in shop)


def test_every_item_of_a_customer_list_is_a_customer() -> None:
    result = infer({OFFER: "Accounting for bakeries, breweries and local restaurants"}, CAT)
    assert "manufacturing" not in ids(result, 12)
    assert "store-operations" not in ids(result, 12)
    assert {c.quote for c in result.customers} >= {"breweries", "restaurants"}


def test_the_customers_nouns_name_them_in_every_answer() -> None:
    answers = {
        OFFER: "Hedge cutting and drainage work for dairy farms.",
        STYLE: "The same farms call us back every winter.",
    }
    result = infer(answers, CAT)
    assert "manufacturing" not in ids(result, 12)
    # "our farm" is the business's own
    own = infer({OFFER: "Cheese from our farm, sold to farms nearby."}, CAT)
    assert own.dominant == "production"


def test_partner_work_is_listed_after_the_first_five() -> None:
    answers = {
        OFFER: "We roast speciality coffee in small batches.",
        REACH: "Our webshop and instagram. A 3PL picks, packs and ships every order.",
        STYLE: "Newsletter and a coffee club.",
        MONEY: "Subscriptions and one-off bags.",
    }
    result = infer(answers, CAT)
    assert "order-fulfillment" not in ids(result, 5)
    assert any("3PL" in p.name for p in result.partners)


def test_what_a_partner_charges_is_not_the_business_model() -> None:
    answers = {
        OFFER: "A dark kitchen cooking noodle bowls.",
        REACH: "Only through the delivery apps; their riders deliver everything.",
        MONEY: "Per order; the delivery apps take a 30 percent commission.",
    }
    assert infer(answers, CAT).dominant == "production"


def test_ups_in_capitals_is_the_courier_and_follow_ups_are_not() -> None:
    none = infer({STYLE: "follow ups after every visit, check ups twice a year"}, CAT)
    assert none.partners == ()
    named = infer({REACH: "UPS collects our parcels every afternoon"}, CAT)
    assert any(p.name == "UPS" for p in named.partners)


def test_a_part_of_a_hyphenated_word_is_not_the_word() -> None:
    def sources(text: str) -> list[str]:
        return [m.source for m in compiled_for(CAT).read(text).mentions]

    assert "law" not in " ".join(sources("my brother-in-law helps on saturdays"))
    assert not any(s.startswith("sugar") for s in sources("sugar-free granola"))
    # the head of a compound still stands for itself, an earlier part before "-based"
    assert any(s.startswith("subscri") for s in sources("a subscription-based model"))
    assert "bakery" in sources("a family-run bakery")


def test_a_real_word_is_never_read_as_a_typo_of_another() -> None:
    def fuzzy(text: str) -> list[str]:
        return [m.source for m in compiled_for(CAT).read(text).mentions if m.fuzzy]

    assert fuzzy("regular reviews with families") == []  # not "regulat*"
    assert fuzzy("we sponsor the local football team") == []  # not "footfall"
    # a misspelt key word that is no English word still resolves
    assert fuzzy("we post on instagarm daily")
    assert fuzzy("a free markeplace for makers")


def test_founder_shorthand_is_read_and_quoted_as_typed() -> None:
    result = infer({MONEY: "subs 10% off, avg 38/mo, MRR ~80k"}, CAT)
    billing = next(c for c in result.candidates if c.id == "recurring-billing")
    quotes = {e.quote for e in billing.evidence}
    assert quotes & {"subs", "MRR"}  # the answer's own words, not the expansion
    # a compound is left alone: "sub-contract" is no subscription
    sub = [m.source for m in compiled_for(CAT).read("sub-contract work").mentions]
    assert not any(s.startswith("subscri") for s in sub)
    d2c = infer({OFFER: "D2C skincare brand"}, CAT)
    assert d2c.dominant == "production"


def test_the_customers_answer_names_customers_only() -> None:
    answers = {
        OFFER: "We audit fire alarms and emergency lighting.",
        "value_proposition.customers": "Bakeries, breweries and dairy plants in the region.",
    }
    result = infer(answers, CAT)
    assert "manufacturing" not in ids(result, 12)
    assert result.dominant != "production"


def test_a_list_after_a_colon_elaborates_the_customers() -> None:
    text = "Pest control for food premises: bakeries, butchers and cafes."
    result = infer({OFFER: text}, CAT)
    assert "manufacturing" not in ids(result, 12)
    assert "store-operations" not in ids(result, 12)
    # after a dash the list is the business's own work
    own = infer({OFFER: "We run lettings for landlords - find tenants, collect rent"}, CAT)
    assert any(c.quote == "landlords" for c in own.customers)


def test_a_noun_right_after_a_partners_name_is_the_partners() -> None:
    answers = {
        OFFER: "Payroll and bookkeeping for bars; we reconcile the delivery-app payouts weekly.",
        MONEY: "A fixed monthly fee per client.",
    }
    assert infer(answers, CAT).dominant == "problem_solving"


def test_whom_you_sell_it_to_are_customers() -> None:
    answers = {
        OFFER: "We import Dutch ovens and sell them to bakeries and pizzerias.",
        STYLE: "Each bakery gets a service visit; 40 bakeries on contract.",
    }
    result = infer(answers, CAT)
    assert "manufacturing" not in ids(result, 5)
    assert "store-operations" not in ids(result, 5)


def test_a_negation_reaches_every_item_of_an_or_list() -> None:
    def modes(text: str) -> dict[str, str]:
        return {m.source: m.mode for m in compiled_for(CAT).read(text).mentions}

    assert modes("We don't have a shop or a website")["website"] == "negated"
    assert modes("No shop, cafe or market stall, only wholesale")["market stall*"] == "negated"
    assert modes("No shop, cafe or market stall, only wholesale")["wholesale"] == "own"
    assert modes("No app, just a website")["website"] == "own"
    result = infer({REACH: "We never sell online or through retailers, only at our stall."}, CAT)
    assert all(e.quote != "retailers" for c in result.candidates for e in c.evidence)


def test_the_trade_words_before_a_customer_group_are_the_customers() -> None:
    answers = {
        OFFER: "Bookkeeping and payroll for small construction and manufacturing businesses.",
        MONEY: "A fixed monthly fee.",
    }
    result = infer(answers, CAT)
    assert "manufacturing" not in ids(result, 12)
    assert result.dominant == "problem_solving"
    it = infer({OFFER: "IT support for dental practices and vet clinics."}, CAT)
    assert all(e.quote != "vet" for c in it.candidates for e in c.evidence)


def test_caring_about_something_is_no_care_work() -> None:
    thin = {
        OFFER: "we help people with stuff they need",
        REACH: "word of mouth mostly",
        STYLE: "we really care about relationships",
        MONEY: "they pay us",
    }
    result = infer(thin, CAT)
    assert result.confidence == "low"
    assert result.dominant == "unknown"
    care = infer({OFFER: "Home care for elderly people in their own homes"}, CAT)
    assert care.candidates[0].id == "service-delivery"


def test_keeping_a_cut_is_a_platform_cue_only_when_we_keep_it() -> None:
    def cut(text: str) -> bool:
        return any(
            m.source.startswith("keeps a cut") for m in compiled_for(CAT).read(text).mentions
        )

    assert cut("Guests pay through us and we keep 15% of each booking")
    assert not cut("the stores take 30%")
    assert not cut("we take a 30% deposit")


def test_only_the_offer_answer_has_a_head_noun_by_position() -> None:
    answers = {
        OFFER: "An online service that matches people with independent tutors.",
        "value_proposition.making": "Every tutor is vetted before going live.",
    }
    result = infer(answers, CAT)
    assert result.mix["problem_solving"] < 0.5


def test_a_business_noun_inside_a_compound_is_a_modifier() -> None:
    answers = {
        OFFER: "Community-owned wind farm, we sell the electricity to the grid.",
        MONEY: "Per MWh under a long-term contract.",
    }
    assert infer(answers, CAT).dominant == "production"


def test_other_peoples_premises_name_the_customers() -> None:
    answers = {OFFER: "We repair and service packing machines in food and drink factories."}
    assert "manufacturing" not in ids(infer(answers, CAT), 12)
    # our own premises stay ours
    own = compiled_for(CAT).read("we bake everything in our bakeries")
    assert any(not m.about_customer and m.source.startswith("bake") for m in own.mentions)


def test_whoever_sends_us_work_is_not_our_work() -> None:
    def modes(text: str) -> dict[str, str]:
        return {m.source: m.mode for m in compiled_for(CAT).read(text).mentions}

    assert modes("Builders ring us when a job needs scaffolding")["builder*"] == "customer"
    # another item of a list is not the subject: "venues recommend us"
    assert modes("wedding fairs, venues recommend us")["fairs"] == "own"
    assert modes("wedding fairs, venues recommend us")["venue*"] == "customer"


def test_a_subject_is_shared_by_coordinated_verbs() -> None:
    def sources(text: str) -> set[str]:
        return {m.source for m in compiled_for(CAT).read(text).mentions}

    assert "we install" in sources("we survey, design and install heat pumps")
    assert "we fit" in sources("we design and fit kitchens")
    # a verb with its object before "and" is no list of verbs
    assert "we make" not in sources("we sell bread and make cakes")


def test_our_product_made_by_a_partner_is_the_partners_work() -> None:
    def modes(text: str) -> dict[str, str]:
        return {m.source: m.mode for m in compiled_for(CAT).read(text).mentions}

    assert modes("A co-packer makes and bottles our sauces")["sauces"] == "partner"
    assert modes("A 3PL ships everything, and we roast our beans")["beans"] == "own"


def test_an_answer_that_opens_with_work_sold_to_others_is_a_service() -> None:
    def title(text: str) -> bool:
        return any(
            m.source.startswith("work sold to others")
            for m in compiled_for(CAT).read(text).mentions
        )

    assert title("Hedge trimming and ditching for estates and farms")
    assert not title("Brewing for pubs and bars")  # brewing makes things
    assert not title("Booking software for salons")  # a noun follows: a product


def test_proper_names_after_on_via_such_as_are_named_partners() -> None:
    answers = {
        REACH: "We sell on Etsy and Not On The High Street, bookings via Fresha.",
        "revenue.costs": "Insurance with brokers such as Aviva, Allianz and Hiscox.",
        STYLE: "Free to use, Kindred Plus costs extra. We meet on Mondays.",
    }
    names = {p.name for p in infer(answers, CAT).partners}
    assert {"Etsy", "Fresha", "Aviva", "Allianz", "Hiscox"} <= names
    assert not names & {"Kindred Plus", "Mondays"}


def test_whom_a_firm_serves_are_its_customers() -> None:
    result = infer({OFFER: "A software house serving logistics firms and hauliers."}, CAT)
    assert "logistics-and-distribution" not in ids(result, 12)


def test_a_number_before_a_singular_noun_makes_it_a_modifier() -> None:
    mentions = compiled_for(CAT).read("Our two site technicians clean the panels").mentions
    assert not any(m.source == "# sites" for m in mentions)
    assert any(m.source == "# sites" for m in compiled_for(CAT).read("we run 12 sites").mentions)


def test_storing_goods_is_no_shop_and_a_local_carrier_is_no_sourcing() -> None:
    # "store" the verb is keeping stock, not running a store; "local" before a carrier
    # says where the carrier is, not that we buy locally
    text = "We receive the brands' pallets, store them, pick and pack; a local haulier delivers."
    result = infer({OFFER: text}, CAT)
    assert "store-operations" not in ids(result, 12)
    assert "sourcing-and-procurement" not in ids(result, 12)
    assert "store-operations" in ids(infer({OFFER: "We run a corner store in Leeds"}, CAT))
