"""The activity catalogue: contract ids, loading, errors with file and line, extending."""

from __future__ import annotations

from pathlib import Path

import pytest

from canvas_tui.core.errors import BankError
from canvas_tui.core.inference.catalogue import (
    CATEGORIES,
    check_catalogue,
    default_catalogue,
    load_catalogue,
)
from canvas_tui.resources import default_bank_dir

# docs/contracts.md §4: these ids must exist with these categories.
CONTRACT_IDS = {
    "production": [
        "product-design", "research-and-development", "manufacturing", "quality-control",
        "sourcing-and-procurement", "inventory-management", "order-fulfillment",
        "logistics-and-distribution", "content-production", "cost-optimization",
        "equipment-maintenance",
    ],
    "problem_solving": [
        "consulting", "service-delivery", "solution-design", "customer-support",
        "customer-success", "knowledge-management", "training-and-development",
        "talent-recruitment", "regulatory-compliance", "event-management",
    ],
    "platform_network": [
        "software-development", "platform-maintenance", "network-management",
        "trust-and-safety", "payment-processing", "recommendation-algorithms",
        "data-analysis", "community-management", "user-acquisition", "user-experience-design",
    ],
    "supporting": [
        "digital-marketing", "brand-management", "sales", "lead-generation",
        "customer-retention", "partner-management", "store-operations", "recurring-billing",
        "pricing-management", "booking-and-scheduling",
    ],
}  # fmt: skip

MINIMAL = """
[[activity]]
id = "baking"
name = "Baking"
category = "production"
description = "Baking bread."
kpis = ["Loaves per hour", "Waste"]

  [[activity.signals]]
  weight = 2
  words = ["bake", "sourdough"]
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("category", "ident"), [(c, i) for c, ids in CONTRACT_IDS.items() for i in ids]
)
def test_every_contract_id_is_in_the_default_catalogue(category: str, ident: str) -> None:
    activity = default_catalogue().get(ident)
    assert activity is not None, ident
    assert activity.category == category


def test_default_catalogue_entries_are_complete() -> None:
    catalogue = default_catalogue()
    for activity in catalogue:
        assert activity.category in CATEGORIES
        assert activity.name and activity.description, activity.id
        assert 2 <= len(activity.kpis) <= 4, activity.id
        assert activity.resources and activity.costs, activity.id
        assert activity.signals, activity.id
        assert activity.why, activity.id


def test_default_catalogue_is_clean_and_cached() -> None:
    assert check_catalogue(default_bank_dir() / "activities.toml") == []
    assert default_catalogue() is default_catalogue()


def test_mapping_protocol(tmp_path: Path) -> None:
    catalogue = load_catalogue(write(tmp_path, "a.toml", MINIMAL))
    assert "baking" in catalogue and "nope" not in catalogue
    assert catalogue.get("baking").kpis == ("Loaves per hour", "Waste")
    assert catalogue.get("nope") is None
    assert [a.id for a in catalogue] == ["baking"] == list(catalogue.activities)


def test_malformed_toml_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.toml", MINIMAL + '\n[[activity]]\nid = "x\n')
    with pytest.raises(BankError) as info:
        load_catalogue(path)
    assert info.value.file == str(path)
    assert info.value.line == MINIMAL.count("\n") + 3
    assert "not valid TOML" in str(info.value)


def test_duplicate_id_names_the_line(tmp_path: Path) -> None:
    text = MINIMAL + MINIMAL.replace("\n[[activity]]", "\n# again\n[[activity]]")
    problems = check_catalogue(write(tmp_path, "dup.toml", text))
    assert len(problems) == 1
    assert "duplicate activity id 'baking'" in problems[0].message
    lines = text.splitlines()
    assert lines[problems[0].line - 1].strip() == 'id = "baking"'
    assert problems[0].line > MINIMAL.count("\n")


@pytest.mark.parametrize(
    ("change", "message", "line_text"),
    [
        (('category = "production"', 'category = "cooking"'), "unknown category 'cooking'", 'category = "cooking"'),
        (('name = "Baking"\n', ""), "has no 'name'", "[[activity]]"),
        (("weight = 2", "weight = 9"), "bad weight 9", "[[activity.signals]]"),
        (("weight = 2", 'weight = "heavy"'), "bad weight 'heavy'", "[[activity.signals]]"),
        (('"bake", "sourdough"', '"bake", 3'), "signal 3 is not a word or phrase", "[[activity.signals]]"),
        (('kpis = ["Loaves per hour", "Waste"]', 'kpis = "Loaves"'), "'kpis' must be a list of strings", 'kpis = "Loaves"'),
        (('id = "baking"', 'id = "Baking Bread"'), "needs an 'id'", 'id = "Baking Bread"'),
        (("description =", "descripton ="), "unknown key 'descripton'", "descripton ="),
        (('description = "Baking bread."', 'type_weight = 2'), "'type_weight' must be a number from 0 to 1", "type_weight = 2"),
        (('description = "Baking bread."', 'section_weights = { channels = "x" }'), "'section_weights' must map", "section_weights"),
    ],
)  # fmt: skip
def test_each_problem_names_file_line_and_fix(
    tmp_path: Path, change: tuple[str, str], message: str, line_text: str
) -> None:
    text = MINIMAL.replace(*change)
    path = write(tmp_path, "cat.toml", text)
    problems = check_catalogue(path)
    assert problems, message
    problem = next(p for p in problems if message in p.message)
    assert problem.file == str(path)
    assert problem.line is not None
    assert text.splitlines()[problem.line - 1].strip().startswith(line_text)
    with pytest.raises(BankError) as info:
        load_catalogue(path)
    assert str(path) in str(info.value)


def test_check_reports_every_problem_not_just_the_first(tmp_path: Path) -> None:
    text = (
        MINIMAL.replace('category = "production"', 'category = "cooking"')
        + MINIMAL.replace('"bake", "sourdough"', "1, 2")
        + '\n[[coherence]]\nid = "x"\nwhen = ["cheap"]\nactivities = ["nope"]\nmessage = "m"\n'
    )
    problems = check_catalogue(write(tmp_path, "many.toml", text))
    messages = " | ".join(p.message for p in problems)
    assert "unknown category" in messages
    assert "duplicate activity id" in messages
    assert "unknown activity 'nope'" in messages
    assert len(problems) >= 3


def test_missing_file_is_a_problem(tmp_path: Path) -> None:
    problems = check_catalogue(tmp_path / "absent.toml")
    assert problems and "does not exist" in problems[0].message


def test_later_files_override_fields_and_add_signals(tmp_path: Path) -> None:
    extension = write(
        tmp_path,
        "restaurant.toml",
        """
[[activity]]
id = "manufacturing"
name = "Cooking"
kpis = ["Covers per hour", "Food cost per plate"]

  [[activity.signals]]
  weight = 3
  words = ["mise en place"]

[[activity]]
id = "menu-engineering"
name = "Menu engineering"
category = "supporting"
description = "Designing the menu for margin."
kpis = ["Margin per dish", "Share of dishes sold"]

  [[activity.signals]]
  words = ["menu engineering"]

[language]
negators = ["nae"]
""",
    )
    base = default_catalogue()
    merged = load_catalogue(default_bank_dir() / "activities.toml", extension)
    manufacturing = merged.get("manufacturing")
    assert manufacturing.name == "Cooking"
    assert manufacturing.kpis == ("Covers per hour", "Food cost per plate")
    assert manufacturing.category == "production"  # not overridden
    assert manufacturing.description == base.get("manufacturing").description
    assert manufacturing.signals[: len(base.get("manufacturing").signals)] == (
        base.get("manufacturing").signals
    )
    assert "mise en place" in manufacturing.words
    assert list(merged.activities)[-1] == "menu-engineering"
    assert list(merged.activities)[: len(base)] == list(base.activities)
    assert "nae" in merged.language.negators and "not" in merged.language.negators
    # the default itself is untouched
    assert default_catalogue().get("manufacturing").name != "Cooking"


def test_an_empty_catalogue_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(BankError, match="no activities"):
        load_catalogue(write(tmp_path, "empty.toml", "# nothing\n"))


def test_a_replacing_catalogue_borrows_the_default_language(tmp_path: Path) -> None:
    catalogue = load_catalogue(write(tmp_path, "own.toml", MINIMAL))
    assert "not" in catalogue.language.negators
    assert catalogue.vague.probes


def test_docs_contracts_lists_exactly_the_contract_ids_by_category():
    import re

    text = (Path(__file__).parents[2] / "docs" / "contracts.md").read_text(encoding="utf-8")
    section = text.split("## §4 Activity ids", 1)[1]
    listed: dict[str, list[str]] = {}
    titles = {"Production": "production", "Problem solving": "problem_solving",
              "Platform / network": "platform_network", "Supporting": "supporting"}  # fmt: skip
    current = ""
    for line in section.splitlines():
        heading = next((c for t, c in titles.items() if line.startswith(t + " (")), None)
        if heading:
            current = heading
        elif (found := re.match(r"- `([a-z-]+)`: ", line)) and current:
            listed.setdefault(current, []).append(found[1])
    assert listed == CONTRACT_IDS
