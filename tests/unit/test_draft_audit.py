"""The audit of a founder's draft: each verdict, the missing activities, the data it reads.

Golden files: each business in tests/data/drafts/ (NAME.answers.toml + NAME.draft.*) →
its audit as text in tests/golden/drafts/NAME.txt. They change only on purpose:

    UPDATE_GOLDEN=1 pytest tests/unit/test_draft_audit.py

then read the diff before committing it.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from canvas_tui.core.draft.audit import VERDICTS, DraftAudit, audit_draft
from canvas_tui.core.draft.mapping import map_line, slug
from canvas_tui.core.draft.parse import parse_draft, read_draft
from canvas_tui.core.draft.rules import Generic, default_rules, read_rules
from canvas_tui.core.errors import BankError
from canvas_tui.core.inference.catalogue import default_catalogue
from canvas_tui.core.inference.infer import infer
from canvas_tui.core.interview.answers import read_answers
from canvas_tui.resources import default_bank_dir

ROOT = Path(__file__).resolve().parents[1]
DRAFTS = ROOT / "data" / "drafts"
GOLDEN = ROOT / "golden" / "drafts"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

SAAS = {
    "value_proposition.offer": "Shiftly is a web app that builds staff rotas for restaurants "
    "and cafés in minutes, so managers stop juggling spreadsheets.",
    "channels.reach": "Restaurant owners find us through Google search and a free trial; "
    "our sales team runs demos for restaurant groups.",
    "relationships.style": "A customer success manager sets up bigger accounts; chat support "
    "answers questions within an hour.",
    "revenue.model": "A monthly subscription per location, billed by card.",
}


@pytest.fixture(scope="module")
def catalogue():
    return default_catalogue()


def audit(text: str, answers=SAAS, catalogue=None, **kw) -> DraftAudit:
    catalogue = catalogue or default_catalogue()
    return audit_draft(parse_draft(text), answers, infer(answers, catalogue), catalogue, **kw)


def verdicts(result: DraftAudit) -> list[tuple[str, str, str]]:
    return [(v.text, v.id, v.verdict) for v in result.verdicts]


# ----------------------------------------------------------------------------- mapping


@pytest.mark.parametrize(
    ("line", "activity"),
    [
        ("customer-success", "customer-success"),
        ("Customer support", "customer-support"),
        ("R&D", "research-and-development"),
        ("Software development (DevOps)", "software-development"),
        ("Sales lead generation", "lead-generation"),
        ("Client support by email", "customer-support"),
        ("Fulfillment & returns logistics", "order-fulfillment"),
        ("social media", "digital-marketing"),
        ("HR", "custom-hr"),
        ("office management", "custom-office-management"),
        ("Quantum widget polishing", "custom-quantum-widget-polishing"),
        ("we do not manufacture", "custom-we-do-not-manufacture"),
    ],
)
def test_each_line_maps_to_a_catalogue_activity_or_a_custom_id(line, activity, catalogue):
    assert map_line(line, catalogue, default_rules()).id == activity


def test_custom_ids_are_ascii_slugs_of_bounded_length():
    assert slug("Café Crème tasting!") == "cafe-creme-tasting"
    assert slug("«»") == "activity"
    assert len(slug("word " * 50)) <= 40


# ----------------------------------------------------------------------------- verdicts


def test_supported_quotes_the_answer_that_needs_it():
    (only,) = audit("Customer support").verdicts
    assert only.verdict == "supported"
    assert only.quote in SAAS[only.question] and "support" in only.quote
    assert f'"{only.quote}" ({only.question})' in only.reason


def test_generic_work_is_flagged_with_its_reason_from_the_data():
    result = audit("HR\naccounting\noffice management\nlegal\nsocial media")
    assert {v.verdict for v in result.verdicts} == {"generic"}
    hr = result.verdicts[0]
    assert hr.generic == "hr" and "customers do not pay for it" in hr.reason
    assert any("job description" in note for note in result.notes)


def test_the_generic_list_is_data_not_code(catalogue):
    rules = default_rules()
    extra = Generic("coffee-runs", ("coffee runs",), "Fetching coffee is not a key activity.")
    widened = replace(rules, generic=(*rules.generic, extra))
    answers = SAAS
    result = audit_draft(
        parse_draft("coffee runs"), answers, infer(answers, catalogue), catalogue, rules=widened
    )
    assert result.verdicts[0].verdict == "generic"
    assert result.verdicts[0].reason == "Fetching coffee is not a key activity."
    plain = audit("coffee runs")
    assert plain.verdicts[0].verdict == "unsupported"


def test_generic_work_the_business_sells_is_judged_like_any_other_line():
    answers = {
        "value_proposition.offer": "We do the bookkeeping and payroll for small restaurants.",
        "revenue.model": "A fixed monthly fee per client.",
    }
    result = audit("Bookkeeping\nOffice management", answers)
    book, office = result.verdicts
    assert book.verdict == "supported" and book.quote == "bookkeeping"
    assert book.id == "consulting"  # the catalogue decides, not the generic list
    assert "It is what you sell" in book.reason
    assert office.verdict == "generic"


def test_a_negated_mention_in_the_value_proposition_does_not_make_generic_work_sold():
    answers = dict(SAAS)
    answers["value_proposition.offer"] += " No accounting skills needed."
    (only,) = audit("Accounting", answers).verdicts
    assert only.verdict == "generic"


def test_duplicate_names_the_first_line():
    result = audit("- Customer support\n- Marketing\n- Helpdesk and chat support")
    assert verdicts(result)[2] == ("Helpdesk and chat support", "customer-support", "duplicate")
    assert 'line 1 ("Customer support")' in result.verdicts[2].reason


def test_a_generic_line_does_not_make_the_real_one_a_duplicate():
    result = audit("social media\nDigital marketing")
    assert [v.verdict for v in result.verdicts] == ["generic", "supported"]


def test_unsupported_asks_about_it():
    (only,) = audit("R&D").verdicts
    assert only.verdict == "unsupported"
    assert "?" in only.reason and not only.quote


def test_a_weak_hint_is_named_but_not_support():
    answers = dict(SAAS)
    answers["relationships.style"] += " We also film short videos."
    result = audit("Content production", answers)
    (only,) = result.verdicts
    assert only.verdict == "unsupported"
    assert "hardly" in only.reason and '"' in only.reason


def test_miscategorised_when_the_founders_label_names_another_category():
    result = audit(
        "- Production: customer onboarding and success\n- Platform: software development"
    )
    wrong, right = result.verdicts
    assert (wrong.id, wrong.verdict, wrong.label) == (
        "customer-success",
        "miscategorised",
        "production",
    )
    assert "You labelled it production" in wrong.reason and "problem solving" in wrong.reason
    assert "you said" in wrong.reason  # the answers still need it: it is kept
    assert wrong.kept
    assert right.verdict == "supported"


def test_a_wrongly_labelled_line_nothing_needs_is_unsupported_with_the_label_noted():
    (only,) = audit("- Platform: roasting coffee beans").verdicts
    assert (only.id, only.verdict) == ("manufacturing", "unsupported")
    assert only.reason.startswith("You labelled it platform, but Manufacturing")
    assert "?" in only.reason and not only.kept


def test_a_custom_line_is_supported_when_an_answer_sentence_holds_its_words():
    answers = dict(SAAS)
    answers["value_proposition.offer"] = "Labs send us quantum widgets and we polish them."
    (only,) = audit("Quantum widget polishing", answers).verdicts
    assert (only.id, only.verdict) == ("custom-quantum-widget-polishing", "supported")
    assert only.quote == "quantum widgets and we polish"
    assert only.quote in answers[only.question]
    (alone,) = audit("Quantum widget polishing").verdicts
    assert alone.verdict == "unsupported"


def test_missing_lists_the_key_activities_the_draft_lacks_with_the_answer():
    result = audit("Sales\nCustomer support", key_ids=["software-development", "sales"])
    assert result.missing_ids == ("software-development",)
    (missing,) = result.missing
    assert missing.quote in SAAS[missing.question]
    assert "does not list it" in missing.reason


def test_without_key_ids_the_focus_and_the_next_best_are_demanded():
    result = audit("Sales")
    assert "software-development" in result.missing_ids
    assert "sales" not in result.missing_ids


def test_a_long_draft_gets_a_note():
    result = audit("\n".join(f"- thing {i}" for i in range(9)))
    assert any("lists 9 key activities" in note for note in result.notes)


def test_every_verdict_is_one_of_the_five():
    result = audit(
        "marketing, sales, R&D, customer support, HR, accounting, social media, recruiting, "
        "legal, and office management"
    )
    assert {v.verdict for v in result.verdicts} <= set(VERDICTS)


# ----------------------------------------------------------------------------- rules file


def test_a_broken_rules_file_is_a_bank_error_naming_it(tmp_path):
    text = (default_bank_dir() / "drafts.toml").read_text(encoding="utf-8")
    bad = tmp_path / "drafts.toml"
    bad.write_text(text.replace('supported = "Your answers', 'supportedX = "Your answers'))
    with pytest.raises(BankError, match="lacks supported"):
        read_rules(bad)
    bad.write_text(text.replace("[labels]\n", "[labels]\nnonsense = ['x']\n"))
    with pytest.raises(BankError, match=r"labels\.nonsense"):
        read_rules(bad)


# ----------------------------------------------------------------------------- golden


def _render(result: DraftAudit) -> str:
    lines = []
    for v in result.verdicts:
        label = f" [{v.label}]" if v.label else ""
        lines.append(f"{v.line:>3} {v.text}{label} -> {v.id}: {v.verdict}\n    {v.reason}")
    for m in result.missing:
        lines.append(f"  + {m.id}: missing\n    {m.reason}")
    lines.extend(f"  ! {note}" for note in result.notes)
    return "\n".join(lines) + "\n"


BUSINESSES = sorted(p.name.removesuffix(".answers.toml") for p in DRAFTS.glob("*.answers.toml"))


def test_there_are_businesses_to_check():
    assert {"saas", "bakery", "bookkeeping"} <= set(BUSINESSES)


@pytest.mark.parametrize("name", BUSINESSES)
def test_the_audit_matches_its_golden_file(name, catalogue):
    answers = read_answers(DRAFTS / f"{name}.answers.toml").answers
    (draft_file,) = [p for p in DRAFTS.glob(f"{name}.draft.*")]
    result = audit_draft(read_draft(draft_file), answers, infer(answers, catalogue), catalogue)
    actual = _render(result)
    golden = GOLDEN / f"{name}.txt"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"{golden} is missing: run with UPDATE_GOLDEN=1 to create it"
    assert actual == golden.read_text(encoding="utf-8"), f"{golden.name} differs"
