"""The follow-up conditions' compiled matchers in the compiled cache (core/inference/cache.py,
`cached_mentions`; core/interview/mentions.py, `preload`): read back on a second load
instead of compiled, rebuilt when a bank's question file changes its conditions, never
trusted when corrupt, and reading the same as freshly compiled ones.

Compiles are counted (`mentions.compiles`), never timed."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from canvas_tui.core.headless import run_headless
from canvas_tui.core.inference import cache
from canvas_tui.core.inference.catalogue import default_catalogue
from canvas_tui.core.interview import mentions
from canvas_tui.core.interview.answers import read_answers
from canvas_tui.core.interview.bank_loader import load_bank, load_default_bank
from canvas_tui.resources import default_bank_dir
from tests.conftest import REPO


def _forget() -> None:
    """This process's compiled matchers and remembered answers: a new process."""
    mentions._compiled.clear()
    mentions.mentioned.cache_clear()


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder, and no matcher compiled yet in this process."""
    target = tmp_path / "cache"
    monkeypatch.setenv("CANVAS_TUI_CACHE", str(target))
    default_catalogue()  # the language rules, loaded before counting
    _forget()
    yield target
    _forget()


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{cache.MENTIONS_PREFIX}*{cache.SUFFIX}"))


def test_second_load_reads_the_compiled_mentions_instead_of_compiling(folder: Path) -> None:
    bank = load_default_bank()
    words = mentions.bank_words(bank)
    assert len(words) >= 5  # the default bank's follow-up conditions
    before = mentions.compiles
    mentions.preload(bank)
    assert mentions.compiles - before == len(words)  # a first run compiles each once
    assert len(_entries(folder)) == 1

    _forget()  # a second process
    before, hits = mentions.compiles, cache.mention_stats["hits"]
    mentions.preload(bank)
    assert mentions.compiles == before  # nothing compiled: all read back
    assert cache.mention_stats["hits"] == hits + 1
    # and the interview's conditions then compile nothing either
    answers = read_answers(REPO / "tests" / "data" / "contract_answers.toml")
    run_headless(answers, bank, default_catalogue())
    assert mentions.compiles == before


def test_cached_matchers_read_as_freshly_compiled_ones(folder: Path) -> None:
    bank = load_default_bank()
    mentions.preload(bank)
    _forget()
    mentions.preload(bank)  # from the cache
    subscription = next(w for w in mentions.bank_words(bank) if "subscri*" in w)
    cheap = next(w for w in mentions.bank_words(bank) if "no frills" in w)
    cases = [
        ("Customers pay a monthly subscription.", subscription, True),
        ("We have no subscription, people pay per visit.", subscription, False),  # negated
        ("A no frills cafe.", cheap, True),  # the negator is part of the phrase
        ("Not only cheap: we are quick too.", cheap, True),  # an ignored phrase
    ]
    cached = [mentions.mentioned(text, words) for text, words, _ in cases]
    fresh = [bool(mentions.Mentions({"": words}).find(text)) for text, words, _ in cases]
    assert cached == fresh == [expected for _, _, expected in cases]


def test_changing_a_bank_question_file_compiles_again(folder: Path, tmp_path: Path) -> None:
    copy = tmp_path / "bank"
    shutil.copytree(default_bank_dir(), copy)
    bank = load_bank(copy)
    mentions.preload(bank)
    _forget()
    before = mentions.compiles
    mentions.preload(load_bank(copy))
    assert mentions.compiles == before  # unchanged: read back

    revenue = copy / "revenue.toml"
    revenue.write_text(
        revenue.read_text(encoding="utf-8").replace('"saas", ', '"saas", "standing order*", '),
        encoding="utf-8",
    )
    changed = load_bank(copy)
    assert any("standing order*" in w for w in mentions.bank_words(changed))
    _forget()
    before = mentions.compiles
    mentions.preload(changed)
    assert mentions.compiles - before == len(mentions.bank_words(changed))  # a miss: rebuilt
    assert len(_entries(folder)) == 2
    assert mentions.mentioned(
        "Paid by standing order.",
        next(w for w in mentions.bank_words(changed) if "standing order*" in w),
    )


def test_a_corrupt_entry_is_rebuilt_not_trusted(folder: Path) -> None:
    bank = load_default_bank()
    mentions.preload(bank)
    (entry,) = _entries(folder)
    data = bytearray(entry.read_bytes())
    data[-10] ^= 0xFF  # one flipped byte in the body: the digest no longer matches
    entry.write_bytes(bytes(data))
    _forget()
    before, rejected = mentions.compiles, cache.mention_stats["rejected"]
    mentions.preload(bank)
    assert cache.mention_stats["rejected"] == rejected + 1
    assert mentions.compiles - before == len(mentions.bank_words(bank))
    _forget()
    before = mentions.compiles
    mentions.preload(bank)  # the rewritten entry is good again
    assert mentions.compiles == before


def test_the_reader_refuses_foreign_classes(folder: Path) -> None:
    import pickle

    forged = pickle.dumps({("x",): shutil.rmtree})
    with pytest.raises(pickle.UnpicklingError):
        cache._MentionsUnpickler(__import__("io").BytesIO(forged)).load()


def test_no_cache_folder_still_compiles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANVAS_TUI_CACHE", "off")
    _forget()
    bank = load_default_bank()
    before = mentions.compiles
    mentions.preload(bank)
    assert mentions.compiles - before == len(mentions.bank_words(bank))
    _forget()
