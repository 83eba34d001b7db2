"""The docs stay true: the restaurant bank of docs/banks.md loads and runs, every bank key
is documented, and every command in docs/facilitators.md parses."""

from __future__ import annotations

import re
import shlex
import tomllib

import pytest

from canvas_tui.cli import build_parser, main
from canvas_tui.core.interview import bank_loader, bank_sets
from canvas_tui.core.interview.bank_loader import load_bank
from canvas_tui.core.interview.engine import Interview
from tests.conftest import REPO

DOCS = REPO / "docs"
EXAMPLE = DOCS / "examples" / "restaurant_bank"
ANSWERS = DOCS / "examples" / "restaurant_answers.toml"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_example_bank_checks_clean(capsys):
    code, out, err = run(capsys, "bank", "check", EXAMPLE)
    assert code == 0, err
    assert out.strip() == f"{EXAMPLE}: OK — bank 'restaurant', 4 sets, 14 questions"


def test_example_bank_runs_headless(capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    code, out, err = run(capsys, "run", ANSWERS, "--bank", EXAMPLE)
    assert code == 0, err
    canvas = tomllib.loads(out)
    assert canvas["meta"] == {
        "title": "Trattoria Nonna",
        "created": "2023-11-14T22:13:20Z",
        "bank": "restaurant",
        "generator": canvas["meta"]["generator"],
    }
    # the follow-ups the answers call for were asked and answered
    assert "value_proposition.sourcing" in canvas["answers"]
    assert "channels.delivery" in canvas["answers"]
    assert canvas["blocks"]["key_partners"] == ["One delivery app; it takes 30% of each order."]
    assert (
        "skipped 2 unanswered question(s): value_proposition.kitchen, relationships.reviews" in err
    )
    assert "warning" not in err


def test_example_follow_ups_apply_when_they_should():
    bank = load_bank(EXAMPLE)
    interview = Interview(bank)
    interview.answers["value_proposition.offer"] = "Pizza for students, all under 10 euros."
    active = {q.id for q in interview.active()}
    assert "value_proposition.cost_focus" in active  # a word and a price pattern
    assert "value_proposition.sourcing" not in active
    interview.answers["value_proposition.offer"] = "A tasting menu from our own farm."
    active = {q.id for q in interview.active()}
    assert "value_proposition.sourcing" in active and "value_proposition.cost_focus" not in active
    minutes = {s.id: s.minutes for s in bank.sets}
    assert minutes == {"value_proposition": 12, "channels": 8, "relationships": 8, "revenue": 6}


def test_example_catalogue_extends_the_default(capsys):
    from canvas_tui.core.interview.bank_loader import load_bank_catalogue

    bank = load_bank(EXAMPLE)
    assert bank.extends_default and [p.name for p in bank.catalogue_files] == ["activities.toml"]
    catalogue = load_bank_catalogue(bank)
    if not getattr(catalogue, "activities", None):
        pytest.skip("the activity catalogue is still a placeholder on this branch")
    # a new activity, and built-in ones renamed for restaurants, next to the built-in rest
    assert catalogue.get("menu-engineering").category == "production"
    assert catalogue.get("store-operations").name == "Running the dining room"
    assert catalogue.get("manufacturing") is not None
    code, out, _ = run(capsys, "run", ANSWERS, "--bank", EXAMPLE)
    found = {a["id"]: a for a in tomllib.loads(out)["key_activities"]}
    assert code == 0 and "menu-engineering" in found
    assert found["booking-and-scheduling"]["name"] == "Reservations and table planning"


@pytest.mark.parametrize(
    "keys",
    [
        bank_loader.MANIFEST_KEYS,
        bank_loader.CATALOGUE_KEYS,
        bank_sets.SET_KEYS,
        bank_sets.QUESTION_KEYS,
        bank_sets.CONDITION_KEYS,
    ],
    ids=["manifest", "catalogue", "set", "question", "ask_if"],
)
def test_banks_md_documents_every_key(keys):
    text = (DOCS / "banks.md").read_text(encoding="utf-8")
    missing = sorted(k for k in keys if f"`{k}`" not in text and f"`[{k}]`" not in text)
    assert not missing, f"docs/banks.md does not document: {missing}"


def test_banks_md_toml_snippets_are_valid_toml():
    text = (DOCS / "banks.md").read_text(encoding="utf-8")
    snippets = re.findall(r"```toml\n(.*?)```", text, re.S)
    assert len(snippets) >= 3
    for snippet in snippets:
        tomllib.loads(snippet)


def test_banks_md_quotes_the_example_as_it_is():
    text = (DOCS / "banks.md").read_text(encoding="utf-8")
    manifest = (EXAMPLE / "bank.toml").read_text(encoding="utf-8")
    body = "\n".join(line for line in manifest.splitlines() if not line.startswith("#")).strip()
    assert body in text
    for line in (EXAMPLE / "value_proposition.toml").read_text(encoding="utf-8").splitlines():
        if line.startswith(("ask_if", "minutes")):
            assert line in text, line


def _commands(markdown: str) -> list[str]:
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", markdown, re.S):
        for line in block.splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            line = re.sub(r"^(?:[A-Z_]+=\S+\s+)+", "", line)  # VAR=value prefixes
            if not line.startswith("canvas-tui ") and line != "canvas-tui":
                continue
            commands.append(line.split(" | ")[0])
    return commands


@pytest.mark.parametrize("doc", ["facilitators.md", "banks.md", "headless.md"])
def test_every_documented_command_parses(doc):
    path = DOCS / doc
    if not path.is_file():
        pytest.skip(f"docs/{doc} is not there")
    commands = _commands(path.read_text(encoding="utf-8"))
    assert commands or doc == "headless.md"
    parser = build_parser()
    for command in commands:
        argv = [a for a in shlex.split(command)[1:] if not a.startswith("$(")]
        try:
            parser.parse_args(argv)
        except SystemExit as exc:  # argparse says what is wrong on stderr
            raise AssertionError(f"docs/{doc}: '{command}' does not parse") from exc
