"""The question bank format: the default bank, and every error a facilitator can make."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from canvas_tui.core.errors import BankError
from canvas_tui.core.interview.bank import BLOCKS, GUIDES, Condition
from canvas_tui.core.interview.bank_loader import check_bank, load_bank
from canvas_tui.resources import default_bank_dir
from tests.conftest import write

CONTRACT_IDS = ["value_proposition.offer", "channels.reach", "relationships.style", "revenue.model"]


# --------------------------------------------------------------------------- default bank


def test_default_bank_keeps_the_contract_opening_questions(bank):
    ids = [q.id for q in bank]
    for qid in CONTRACT_IDS:
        assert qid in ids
    # each opening question is the first of its set
    assert [s.questions[0].id for s in bank.sets] == CONTRACT_IDS


def test_default_bank_has_four_sets_of_four_to_seven_questions(bank):
    assert [s.guides for s in bank.sets] == list(GUIDES)
    for qset in bank.sets:
        assert 4 <= len(qset.questions) <= 7, qset.id
        assert qset.title and qset.intro and "key activities" in qset.guiding_question.lower()
        assert qset.minutes and qset.minutes > 0


def test_every_default_question_has_help_and_one_to_three_examples(bank):
    for question in bank:
        assert "?" in question.prompt, question.id
        assert question.help, question.id
        assert 1 <= len(question.examples) <= 3, question.id


def test_default_bank_asks_who_the_customers_are(bank):
    customers = bank.question("value_proposition.customers")
    assert customers is not None and customers.block == "customer_segments"


def test_default_bank_feeds_each_answer_block(bank):
    fed = {q.block for q in bank if q.block}
    for block in (
        "customer_segments",
        "value_propositions",
        "channels",
        "customer_relationships",
        "revenue_streams",
        "cost_structure",
    ):
        assert block in fed
    assert fed <= set(BLOCKS)


def test_default_bank_has_follow_ups_that_point_at_earlier_questions(bank):
    ids = [q.id for q in bank]
    follow_ups = [q for q in bank if q.ask_if]
    assert len(follow_ups) >= 4
    for question in follow_ups:
        for target in question.ask_if.questions:
            assert ids.index(target) < ids.index(question.id)


def test_subscription_follow_up_condition():
    condition = Condition(("revenue.model",), ("subscri*", "monthly"))
    assert condition.holds({"revenue.model": "People Subscribe for £10"})
    assert condition.holds({"revenue.model": "a MONTHLY plan"})
    assert not condition.holds({"revenue.model": "one-off sales at the market"})
    assert not condition.holds({"revenue.model": "bimonthly"})  # whole words only
    assert not condition.holds({})


def test_check_bank_on_default_is_clean():
    assert check_bank(default_bank_dir()) == []


# --------------------------------------------------------------------------- errors


@pytest.fixture
def mybank(tmp_path: Path) -> Path:
    folder = tmp_path / "mybank"
    shutil.copytree(default_bank_dir(), folder)
    return folder


def only_problem(folder: Path):
    problems = check_bank(folder)
    assert len(problems) == 1, problems
    return problems[0]


SIMPLE_SET = """\
id = "value_proposition"
title = "Value"

[[questions]]
id = "offer"
prompt = "What do you offer?"

[[questions]]
id = "customers"
prompt = "Who buys?"
"""


def simple_bank(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "b"
    write(folder / "value_proposition.toml", text)
    return folder


def test_malformed_toml_names_file_and_line(tmp_path):
    folder = simple_bank(tmp_path, SIMPLE_SET.replace('prompt = "Who buys?"', "prompt = Who buys?"))
    problem = only_problem(folder)
    assert problem.file.endswith("value_proposition.toml")
    assert problem.line == 10
    assert "not valid TOML" in problem.message and problem.hint


def test_duplicate_question_id_names_the_second_one(tmp_path):
    folder = simple_bank(tmp_path, SIMPLE_SET.replace('id = "customers"', 'id = "offer"'))
    problem = only_problem(folder)
    assert "duplicate question id 'value_proposition.offer'" in problem.message
    assert problem.line == 8
    assert "own id" in problem.hint


def test_duplicate_id_across_files(tmp_path):
    folder = simple_bank(tmp_path, SIMPLE_SET)
    write(folder / "zz.toml", SIMPLE_SET.replace("Value", "Again"))
    messages = [p.message for p in check_bank(folder)]
    assert any("duplicate set id 'value_proposition'" in m for m in messages)
    assert any("duplicate question id 'value_proposition.offer'" in m for m in messages)


def test_missing_prompt_names_line_and_fix(tmp_path):
    folder = simple_bank(tmp_path, SIMPLE_SET.replace('prompt = "Who buys?"\n', ""))
    problem = only_problem(folder)
    assert "question 'customers' has no prompt" in problem.message
    assert problem.line == 8
    assert "prompt =" in problem.hint


def test_follow_up_pointing_at_missing_question(tmp_path):
    text = (
        SIMPLE_SET + '\n[[questions]]\nid = "churn"\nprompt = "Why do they leave?"\n'
        'ask_if = { question = "revenue.modle", mentions = ["subscri*"] }\n'
    )
    folder = simple_bank(tmp_path, text)
    problem = only_problem(folder)
    assert "points at question 'revenue.modle', which does not exist" in problem.message
    assert problem.line == 15  # the ask_if line


def test_follow_up_did_you_mean(mybank):
    path = mybank / "revenue.toml"
    path.write_text(
        path.read_text().replace('question = "revenue.model"', 'question = "revenue.modle"')
    )
    problem = only_problem(mybank)
    assert problem.hint == "did you mean 'revenue.model'?"


def test_unknown_key_suggests_the_right_one(tmp_path):
    folder = simple_bank(
        tmp_path, SIMPLE_SET.replace('prompt = "Who buys?"', 'prompt = "Who?"\npromt = "x"')
    )
    problem = only_problem(folder)
    assert problem.message == "unknown key 'promt'"
    assert problem.hint == "did you mean 'prompt'?"
    assert problem.line == 11


def test_bad_regex_and_bad_block_are_reported_together(tmp_path):
    text = SIMPLE_SET.replace(
        'prompt = "What do you offer?"', 'prompt = "What?"\nblock = "key_activites"'
    )
    text += '\n[[questions]]\nid = "x"\nprompt = "y?"\nask_if = { question = "value_proposition.offer", matches = "(" }\n'
    folder = simple_bank(tmp_path, text)
    problems = check_bank(folder)
    assert len(problems) == 2
    assert "unknown canvas block 'key_activites'" in problems[0].message
    assert problems[0].hint == "did you mean 'key_activities'?"
    assert "not a valid regular expression" in problems[1].message


def test_dotted_question_id_gets_a_specific_hint(tmp_path):
    folder = simple_bank(
        tmp_path, SIMPLE_SET.replace('id = "offer"', 'id = "value_proposition.offer"')
    )
    problem = only_problem(folder)
    assert 'id = "offer"' in problem.hint


def test_too_many_examples(tmp_path):
    folder = simple_bank(
        tmp_path,
        SIMPLE_SET.replace('prompt = "Who buys?"', 'prompt = "Who?"\nexamples = ["a","b","c","d"]'),
    )
    assert "4 examples" in only_problem(folder).message


def test_folder_that_does_not_exist(tmp_path):
    problem = only_problem(tmp_path / "nope")
    assert "does not exist" in problem.message


def test_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    assert "no question set files" in only_problem(tmp_path / "empty").message


def test_manifest_lists_a_missing_set(mybank):
    manifest = mybank / "bank.toml"
    manifest.write_text(manifest.read_text().replace('"revenue.toml"', '"revenu.toml"'))
    problem = only_problem(mybank)
    assert "set file 'revenu.toml' does not exist" in problem.message
    assert problem.file.endswith("bank.toml") and problem.line == 12


def test_load_bank_raises_with_every_problem(tmp_path):
    folder = simple_bank(
        tmp_path, SIMPLE_SET.replace('prompt = "Who buys?"\n', "").replace('title = "Value"\n', "")
    )
    with pytest.raises(BankError) as info:
        load_bank(folder)
    assert len(info.value.problems) == 2
    assert "(and 1 more problem(s))" in str(info.value)
    assert str(info.value).startswith(str(folder / "value_proposition.toml"))


def test_guides_must_be_one_of_the_four(tmp_path):
    folder = simple_bank(
        tmp_path, SIMPLE_SET.replace('title = "Value"', 'title = "Value"\nguides = "pricing"')
    )
    problem = only_problem(folder)
    assert "not one of the four guiding questions" in problem.message and problem.line == 3


def test_a_custom_set_id_maps_to_its_guiding_question(tmp_path):
    text = SIMPLE_SET.replace(
        'id = "value_proposition"', 'id = "offer_set"\nguides = "value_proposition"'
    )
    bank = load_bank(simple_bank(tmp_path, text))
    assert bank.sections() == {
        "offer_set.offer": "value_proposition",
        "offer_set.customers": "value_proposition",
    }


def test_follow_up_mentions_are_read_like_the_catalogue_reads_answers():
    condition = Condition(("revenue.model",), ("subscription", "deliver"))
    # inflections
    assert condition.holds({"revenue.model": "Most of it comes from subscriptions."})
    assert condition.holds({"revenue.model": "We delivered boxes to offices."})
    # negated: the follow-up would ask about something the person said they do not do
    assert not condition.holds({"revenue.model": "We have no subscription, only per bag."})
    assert not condition.holds({"revenue.model": "We don't deliver."})
    # a negator in another clause, or an ignored phrase ("not only"), does not negate
    assert condition.holds({"revenue.model": "No contracts, but a subscription."})
    assert condition.holds({"revenue.model": "Not only subscriptions: gift cards too."})


def test_follow_up_matches_is_still_a_regular_expression():
    condition = Condition(("q.a",), (), r"under \d+ euros?", Condition.compile(r"under \d+ euros?"))
    assert condition.holds({"q.a": "Mains UNDER 12 euros"})
    assert not condition.holds({"q.a": "no mains under twelve"})


# --------------------------------------------------------------------------- one error per mistake


def test_a_misspelt_prompt_is_one_error_and_hides_no_other(mybank):
    """issue 15: `promt =` gave three errors (one of them about relationships.winning's
    follow-up, whose question exists), and a real typo in another set went unreported."""
    vp = mybank / "value_proposition.toml"
    text = vp.read_text()
    start = text.index('id = "customers"')
    at = text.index("prompt = ", start)
    vp.write_text(text[:at] + "promt = " + text[at + len("prompt = ") :])
    revenue = mybank / "revenue.toml"
    revenue.write_text(
        revenue.read_text().replace('question = "revenue.model"', 'question = "revenue.modle"', 1)
    )
    problems = check_bank(mybank)
    assert [(Path(p.file).name, p.message) for p in problems] == [
        ("value_proposition.toml", "unknown key 'promt'"),
        (
            "revenue.toml",
            "follow-up 'revenue.transactions' points at question 'revenue.modle', which does not exist",
        ),
    ], problems
    assert problems[0].hint == "did you mean 'prompt'?"


def test_each_misspelt_required_key_is_one_error(tmp_path):
    cases = {
        'title = "Value"': ('titel = "Value"', "unknown key 'titel'"),
        'id = "offer"': ('idd = "offer"', "unknown key 'idd'"),
    }
    for old, (new, message) in cases.items():
        folder = simple_bank(tmp_path / old[:2], SIMPLE_SET.replace(old, new, 1))
        assert only_problem(folder).message == message
    text = SIMPLE_SET + (
        '\n[[questions]]\nid = "why"\nprompt = "Why?"\n'
        'ask_if = { questoin = "value_proposition.offer", mentions = ["x"] }\n'
    )
    assert only_problem(simple_bank(tmp_path / "c", text)).message == "unknown key 'questoin'"


def test_a_follow_up_must_point_at_an_earlier_question(tmp_path):
    text = SIMPLE_SET.replace(
        'prompt = "What do you offer?"',
        'prompt = "What do you offer?"\n'
        'ask_if = { question = "value_proposition.customers", mentions = ["x"] }',
    )
    problem = only_problem(simple_bank(tmp_path, text))
    assert problem.message == (
        "follow-up 'value_proposition.offer' points at question "
        "'value_proposition.customers', which is asked after it"
    )
    assert problem.line == 7
    assert "earlier question" in problem.hint


def test_a_circle_of_follow_ups_is_one_error(tmp_path):
    text = SIMPLE_SET.replace(
        'prompt = "What do you offer?"',
        'prompt = "What do you offer?"\n'
        'ask_if = { question = "value_proposition.customers", mentions = ["x"] }',
    ).replace(
        'prompt = "Who buys?"',
        'prompt = "Who buys?"\nask_if = { question = "value_proposition.offer", mentions = ["x"] }',
    )
    problem = only_problem(simple_bank(tmp_path, text))
    assert (
        "in a circle: value_proposition.offer -> value_proposition.customers -> " in problem.message
    )


def test_a_bank_without_a_set_list_does_not_read_its_data_files_as_sets(mybank):
    manifest = mybank / "bank.toml"
    manifest.write_text(
        "\n".join(line for line in manifest.read_text().splitlines() if not line.startswith("sets"))
    )
    files = {Path(p.file).name for p in check_bank(mybank)}
    assert not files & {"roles.toml", "meanings.toml", "splits.toml"}


def test_a_broken_set_does_not_hide_a_catalogue_mistake(mybank):
    vp = mybank / "value_proposition.toml"
    vp.write_text(vp.read_text().replace('title = "', 'titel = "', 1))
    catalogue = mybank / "activities.toml"
    catalogue.write_text(catalogue.read_text() + '\n[[activity]]\nid = "Bad Id"\n')
    problems = check_bank(mybank)
    files = [Path(p.file).name for p in problems]
    assert files.count("value_proposition.toml") == 1 and "activities.toml" in files, problems


def test_a_misspelt_questions_table_is_one_error(tmp_path):
    folder = simple_bank(tmp_path, SIMPLE_SET.replace("[[questions]]", "[[question]]"))
    problem = only_problem(folder)
    assert (
        problem.message == "unknown key 'question'" and problem.hint == "did you mean 'questions'?"
    )


def test_a_set_file_that_is_not_toml_is_one_error(mybank):
    vp = mybank / "value_proposition.toml"
    vp.write_text(vp.read_text().replace('title = "', "title = ", 1))
    revenue = mybank / "revenue.toml"
    revenue.write_text(
        revenue.read_text().replace('question = "revenue.model"', 'question = "revenue.modle"', 1)
    )
    problems = check_bank(mybank)
    # relationships.winning points into the unreadable set: not reported as missing
    assert [Path(p.file).name for p in problems] == ["value_proposition.toml", "revenue.toml"]
    assert "not valid TOML" in problems[0].message
    assert "'revenue.modle', which does not exist" in problems[1].message
