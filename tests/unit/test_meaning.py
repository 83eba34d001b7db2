"""The meaning layer (core/inference/meaning.py) on sentences written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

np = pytest.importorskip("numpy")

from canvas_tui.core.inference import meaning  # noqa: E402
from canvas_tui.core.inference.catalogue import default_catalogue  # noqa: E402
from canvas_tui.core.inference.infer import infer  # noqa: E402

SECTIONS = {
    "value_proposition.offer": "value_proposition",
    "channels.reach": "channels",
    "relationships.style": "relationships",
    "revenue.model": "revenue",
}


@pytest.fixture(scope="module")
def catalogue():
    return default_catalogue()


def test_the_table_ships_and_loads():
    table = meaning.load_table()
    assert table is not None
    assert table.dims == 128
    assert "subscription" in table.index
    assert meaning.load_layer() is not None


def test_word_pieces_follow_the_bert_algorithm():
    vocab = {"un", "##believ", "##able", "cafe", "-", "!"}
    pieces = meaning.word_pieces("Unbelievable café-x!", vocab)
    # "x" is not in the vocabulary: that word is skipped whole; the span is the word's
    assert [p for *_, p in pieces] == ["un", "##believ", "##able", "cafe", "-", "!"]
    assert pieces[0][:2] == (0, 12) and pieces[3][:2] == (13, 17)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("We put the furniture together ourselves in our workshop.", "manufacturing"),
        ("People pay a fee every month to stay signed up.", "recurring-billing"),
        (
            "Buyers and sellers meet on our site and we take a cut of each deal.",
            "network-management",
        ),
        ("Our team answers emails and phone calls when something breaks.", "customer-support"),
        ("Our coders ship new features for the mobile app every week.", "software-development"),
    ],
)
def test_an_unseen_paraphrase_lands_on_its_activity(catalogue, sentence, expected):
    matches = meaning.score_answers(
        {"value_proposition.offer": sentence}, SECTIONS, catalogue, layer=None
    )
    ranked = sorted(matches, key=lambda i: -matches[i].similarity)
    assert ranked[0] == expected


def test_evidence_is_an_exact_clause_of_the_answer(catalogue):
    text = "We are two friends, and folks subscribe and get billed automatically every month."
    answers = {"revenue.model": text}
    matches = meaning.score_answers(answers, SECTIONS, catalogue, layer=None)
    evidence = matches["recurring-billing"].evidence
    assert evidence is not None
    assert text[evidence.start : evidence.end] == evidence.quote
    assert "billed" in evidence.quote
    assert evidence.rule.startswith(meaning.RULE_PREFIX)


def test_a_negated_clause_is_never_evidence(catalogue):
    text = "We never bill anyone monthly. Folks pay once at the door."
    matches = meaning.score_answers({"revenue.model": text}, SECTIONS, catalogue, layer=None)
    for match in matches.values():
        assert match.evidence is None or "never" not in match.evidence.quote


def test_infer_adds_a_meaning_candidate_with_exact_evidence(catalogue, monkeypatch):
    # the thresholds for a new candidate lowered so that this short interview gets one
    monkeypatch.setattr(meaning, "NEW_LAYER", -1.0)
    monkeypatch.setattr(meaning, "NEW_FLOOR", 0.6)
    answers = {
        "value_proposition.offer": "We fix leaking pipes and broken boilers in people's homes.",
        "revenue.model": "People pay a fee every month to stay signed up.",
    }
    result = infer(answers, catalogue)
    found = [
        (c, e)
        for c in result.candidates
        for e in c.evidence
        if e.rule.startswith(meaning.RULE_PREFIX)
    ]
    assert found, "the meaning layer added no evidence"
    for _candidate, evidence in found:
        assert answers[evidence.question][evidence.start : evidence.end] == evidence.quote


def test_rules_only_when_the_table_is_missing(catalogue, monkeypatch):
    answers = {
        "value_proposition.offer": "We roast coffee and sell the beans online.",
        "revenue.model": "Folks subscribe and get billed automatically every four weeks.",
    }
    monkeypatch.setenv("CANVAS_TUI_MEANING", "off")
    rules_only = infer(answers, catalogue)
    monkeypatch.delenv("CANVAS_TUI_MEANING")
    monkeypatch.setattr(meaning, "load_table", lambda folder=None: None)
    missing = infer(answers, catalogue)
    assert missing == rules_only
    assert not any(
        e.rule.startswith(meaning.RULE_PREFIX) for c in missing.candidates for e in c.evidence
    )


def test_a_missing_table_file_gives_no_table(tmp_path: Path):
    assert meaning.load_table(tmp_path) is None
    assert meaning.load_layer(tmp_path) is None


def test_the_layer_changes_scores_but_never_the_type(catalogue, monkeypatch):
    answers = {
        "value_proposition.offer": "We bake sourdough bread and pastries every night.",
        "channels.reach": "People walk past the shop and come in.",
        "revenue.model": "They pay at the till.",
    }
    with_layer = infer(answers, catalogue)
    monkeypatch.setenv("CANVAS_TUI_MEANING", "off")
    without = infer(answers, catalogue)
    assert with_layer.dominant == without.dominant
    assert with_layer.mix == without.mix


def test_fit_layer_recovers_a_linear_rule():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 6))
    y = np.stack([(x[:, 0] > 0).astype(float), (x[:, 1] < 0).astype(float)], axis=1)
    layer = meaning.fit_layer(x, y, ["a", "b"], ridge=0.1)
    out = layer.apply(np.array([2.0, 0, 0, 0, 0, 0]))
    assert out["a"] > 0.8
    assert abs(out["b"] - 0.5) < 0.2


def test_a_bank_meanings_file_extends_the_default(catalogue, tmp_path: Path):
    extra = tmp_path / "meanings.toml"
    extra.write_text(
        '[meaning.fundraising]\nexamples = ["we shake tins outside the station"]\n'
        '[meaning.no-such-activity]\nexamples = ["ignored"]\n',
        encoding="utf-8",
    )
    files = [*meaning.meaning_files(catalogue), extra]
    texts = meaning.read_meanings(catalogue, files)
    assert "we shake tins outside the station" in texts["fundraising"]
    assert "no-such-activity" not in texts
    assert len(texts["fundraising"]) > 2  # the default description and examples stay
