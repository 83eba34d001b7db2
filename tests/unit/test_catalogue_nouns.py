"""The business-noun lexicon in the catalogue: `include`, [[noun]] and [identity] loading,
validation with file and line, and a bank's catalogue extending them."""

from __future__ import annotations

from pathlib import Path

import pytest

from canvas_tui.core.errors import BankError
from canvas_tui.core.inference.catalogue import (
    Identity,
    check_catalogue,
    default_catalogue,
    included_files,
    load_catalogue,
)
from canvas_tui.core.inference.matching import Compiled
from canvas_tui.core.inference.weighing import weigh
from canvas_tui.core.interview.bank_loader import check_bank, load_bank, load_bank_catalogue
from canvas_tui.resources import default_bank_dir
from tests.unit.test_catalogue import MINIMAL, write

NOUNS = """
[identity]
offer = 0.25
self_words = ["we're a"]
self_window = 3

[[noun]]
type = "production"
weight = 1.5
words = ["bakery", "smokehouse"]
"""


def problem_at(problems, message: str):
    return next(p for p in problems if message in p.message)


def line_of(path: Path, line: int | None) -> str:
    assert line is not None
    return path.read_text(encoding="utf-8").splitlines()[line - 1].strip()


# -- include ------------------------------------------------------------------------------


def test_an_included_file_is_read_with_its_includer(tmp_path: Path) -> None:
    write(tmp_path, "nouns.toml", NOUNS)
    main = write(tmp_path, "main.toml", 'include = ["nouns.toml"]\n' + MINIMAL)
    catalogue = load_catalogue(main)
    assert [n.words for n in catalogue.nouns] == [("bakery", "smokehouse")]
    assert catalogue.identity.offer == 0.25
    assert catalogue.identity.self_words == ("we're a",)
    assert included_files(main) == {main.resolve(), (tmp_path / "nouns.toml").resolve()}


def test_an_included_file_is_read_right_after_its_includer(tmp_path: Path) -> None:
    # a.toml includes b.toml; c.toml comes after a.toml on the command line: b, then c
    write(tmp_path, "b.toml", '[[activity]]\nid = "baking"\nname = "From b"\n')
    a = write(tmp_path, "a.toml", 'include = ["b.toml"]\n' + MINIMAL)
    c = write(tmp_path, "c.toml", '[[activity]]\nid = "baking"\nname = "From c"\n')
    assert load_catalogue(a).get("baking").name == "From b"
    assert load_catalogue(a, c).get("baking").name == "From c"


def test_a_missing_included_file_names_file_line_and_fix(tmp_path: Path) -> None:
    path = write(tmp_path, "main.toml", '# the nouns\ninclude = ["nouns.toml"]\n' + MINIMAL)
    problems = check_catalogue(path)
    problem = problem_at(problems, "included file 'nouns.toml' does not exist")
    assert problem.file == str(path)
    assert line_of(path, problem.line) == 'include = ["nouns.toml"]'
    assert str(tmp_path / "nouns.toml") in problem.hint and "remove it" in problem.hint
    with pytest.raises(BankError, match=r"nouns\.toml"):
        load_catalogue(path)


@pytest.mark.parametrize("value", ['"nouns.toml"', "[1, 2]", '[""]', "true"])
def test_include_must_be_a_list_of_file_names(tmp_path: Path, value: str) -> None:
    write(tmp_path, "nouns.toml", NOUNS)
    path = write(tmp_path, "main.toml", f"include = {value}\n" + MINIMAL)
    problem = problem_at(check_catalogue(path), "'include' must be a list of file names")
    assert problem.file == str(path) and problem.line == 1
    assert "include = [" in problem.hint
    assert included_files(path) == {path.resolve()}  # a bad include is passed over there


def test_an_include_cycle_reads_each_file_once(tmp_path: Path) -> None:
    a = write(tmp_path, "a.toml", 'include = ["b.toml"]\n' + MINIMAL)
    write(tmp_path, "b.toml", 'include = ["a.toml"]\n' + NOUNS)
    assert check_catalogue(a) == []
    catalogue = load_catalogue(a)
    assert len(catalogue.nouns) == 1  # b.toml read once, not once per way in
    assert included_files(a) == {a.resolve(), (tmp_path / "b.toml").resolve()}


def test_the_same_file_twice_is_read_once(tmp_path: Path) -> None:
    write(tmp_path, "nouns.toml", NOUNS)
    a = write(tmp_path, "a.toml", 'include = ["nouns.toml", "./nouns.toml"]\n' + MINIMAL)
    b = write(tmp_path, "b.toml", 'include = ["nouns.toml"]\n')
    assert len(load_catalogue(a).nouns) == 1
    assert len(load_catalogue(a, b, tmp_path / "nouns.toml").nouns) == 1


def test_the_default_catalogue_includes_the_business_nouns() -> None:
    catalogue = default_catalogue()
    assert included_files(default_bank_dir() / "activities.toml") == {
        (default_bank_dir() / name).resolve() for name in ("activities.toml", "business_types.toml")
    }
    assert catalogue.nouns and catalogue.identity.self_words
    assert {n.type for n in catalogue.nouns} == {
        "production",
        "problem_solving",
        "platform_network",
    }


# -- [[noun]] and [identity] validation ---------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message", "line_text"),
    [
        (('type = "production"', 'type = "retail"'), "noun 1: 'type' must be one of", 'type = "retail"'),
        (("weight = 1.5", "weight = 0"), "noun 1: bad weight 0", "weight = 0"),
        (("weight = 1.5", "weight = 6"), "noun 1: bad weight 6", "weight = 6"),
        (("weight = 1.5", 'weight = "high"'), "noun 1: bad weight 'high'", 'weight = "high"'),
        (('words = ["bakery", "smokehouse"]', 'words = "bakery"'), "noun 1: 'words' must be a list of strings", "[[noun]]"),
        (('words = ["bakery", "smokehouse"]', 'words = ["bakery"]\nsections = ["channels"]'), "noun 1: unknown key 'sections'", "sections ="),
        (("offer = 0.25", "offre = 0.25"), "unknown key 'offre' in [identity]", "offre = 0.25"),
        (("offer = 0.25", "offer = -1"), "[identity] 'offer' must be a number from 0 to", "offer = -1"),
        (("offer = 0.25", 'offer = "low"'), "[identity] 'offer' must be a number from 0 to", 'offer = "low"'),
        (("self_words = [\"we're a\"]", 'self_words = "we\'re a"'), "[identity] 'self_words' must be a list of strings", "self_words ="),
        (("self_window = 3", "self_window = 2.5"), "[identity] 'self_window' must be a whole number", "self_window = 2.5"),
        (("self_window = 3", "self_window = -1"), "[identity] 'self_window' must be a whole number", "self_window = -1"),
        (("self_window = 3", "self_window = true"), "[identity] 'self_window' must be a whole number", "self_window = true"),
    ],
)  # fmt: skip
def test_each_noun_problem_names_file_and_line(
    tmp_path: Path, change: tuple[str, str], message: str, line_text: str
) -> None:
    text = NOUNS.replace(*change)
    assert text != NOUNS
    path = write(tmp_path, "nouns.toml", text)
    main = write(tmp_path, "main.toml", 'include = ["nouns.toml"]\n' + MINIMAL)
    problem = problem_at(check_catalogue(main), message)
    assert problem.file == str(path)  # the included file, not the one including it
    assert line_of(path, problem.line).startswith(line_text)
    with pytest.raises(BankError) as info:
        load_catalogue(main)
    assert str(path) in str(info.value)


def test_identity_must_be_a_table(tmp_path: Path) -> None:
    path = write(tmp_path, "main.toml", "identity = 3\n" + MINIMAL)
    problem = problem_at(check_catalogue(path), "'identity' must be a table")
    assert problem.file == str(path)


# -- a bank's catalogue extends the nouns -------------------------------------------------

EXTENSION = """
[[noun]]
type = "problem_solving"
weight = 3
words = ["zorbing centre"]

[identity]
offer = 0.2
self_words = ["we're proudly a", "we're a"]
modifies = ["franchise"]
"""


def test_a_later_file_adds_noun_groups_and_extends_identity_lists(tmp_path: Path) -> None:
    base = default_catalogue()
    merged = load_catalogue(
        default_bank_dir() / "activities.toml", write(tmp_path, "ext.toml", EXTENSION)
    )
    assert merged.nouns[: len(base.nouns)] == base.nouns
    assert merged.nouns[-1].words == ("zorbing centre",)
    assert merged.nouns[-1].type == "problem_solving"
    # lists are added to (a word already there is not repeated); numbers are replaced
    assert merged.identity.self_words == (*base.identity.self_words, "we're proudly a")
    assert merged.identity.modifies == (*base.identity.modifies, "franchise")
    assert merged.identity.offer == 0.2
    assert merged.identity.head == base.identity.head
    assert default_catalogue().identity == base.identity  # the default is untouched


def test_an_added_noun_counts_toward_its_type(tmp_path: Path) -> None:
    merged = load_catalogue(
        default_bank_dir() / "activities.toml", write(tmp_path, "ext.toml", EXTENSION)
    )
    text = "We're proudly a zorbing centre on the edge of town"
    before = weigh(
        Compiled(default_catalogue()), default_catalogue(), "x.y", text, "value_proposition"
    )
    after = weigh(Compiled(merged), merged, "x.y", text, "value_proposition")
    assert "problem_solving" not in dict(before.identity)
    # self-described by the added self word: it counts as the head (x its weight 3)
    assert dict(after.identity)["problem_solving"] == pytest.approx(merged.identity.head * 3)


def test_a_replacing_catalogue_without_nouns_borrows_the_default_ones(tmp_path: Path) -> None:
    catalogue = load_catalogue(write(tmp_path, "own.toml", MINIMAL))
    assert catalogue.nouns == default_catalogue().nouns
    assert catalogue.identity == default_catalogue().identity
    own = load_catalogue(write(tmp_path, "own2.toml", MINIMAL + NOUNS))
    assert len(own.nouns) == 1 and own.identity != Identity()


# -- banks --------------------------------------------------------------------------------

BANK_MANIFEST = """
id = "smokers"
[catalogue]
files = ["activities.toml"]
extends_default = true
"""


def _bank(tmp_path: Path, manifest: str = BANK_MANIFEST) -> Path:
    folder = tmp_path / "bank"
    folder.mkdir()
    # Without `sets` the sets are asked in file-name order: numbered, so that follow-ups
    # still point at earlier questions (bank check refuses one that points ahead).
    for n, name in enumerate(("value_proposition", "channels", "relationships", "revenue")):
        text = (default_bank_dir() / f"{name}.toml").read_text(encoding="utf-8")
        write(folder, f"{n + 1}_{name}.toml", text)
    write(folder, "bank.toml", manifest)
    write(folder, "activities.toml", 'include = ["nouns.toml"]\n')
    write(folder, "nouns.toml", EXTENSION)
    return folder


def test_bank_check_accepts_a_bank_whose_catalogue_includes_nouns(tmp_path: Path) -> None:
    folder = _bank(tmp_path)
    assert check_bank(folder) == []
    catalogue = load_bank_catalogue(load_bank(folder))
    assert catalogue.nouns[-1].words == ("zorbing centre",)


def test_an_included_file_is_no_question_set(tmp_path: Path) -> None:
    # without `sets` a bank's sets are its *.toml files: not the catalogue's includes
    folder = _bank(tmp_path)
    assert "sets" not in (folder / "bank.toml").read_text(encoding="utf-8")
    bank = load_bank(folder)
    assert sorted(s.id for s in bank.sets) == sorted(
        ["value_proposition", "channels", "relationships", "revenue"]
    )


def test_bank_check_reports_a_bad_noun_in_a_bank_with_file_and_line(tmp_path: Path) -> None:
    folder = _bank(tmp_path)
    write(folder, "nouns.toml", EXTENSION.replace("weight = 3", "weight = 9"))
    problems = check_bank(folder)
    problem = problem_at(problems, "noun 1: bad weight 9")
    assert problem.file == str((folder / "nouns.toml").resolve())
    assert line_of(folder / "nouns.toml", problem.line) == "weight = 9"


def test_the_bank_check_command_reads_included_noun_files(tmp_path: Path, capsys) -> None:
    from canvas_tui.cli import main

    folder = tmp_path / "copy"
    assert main(["bank", "new", str(folder)]) == 0
    catalogue = folder / "activities.toml"
    text = catalogue.read_text(encoding="utf-8")
    old = 'include = ["business_types.toml"]'
    assert text.count(old) == 1
    catalogue.write_text(
        text.replace(old, 'include = ["business_types.toml", "nouns.toml"]'), encoding="utf-8"
    )
    write(folder, "nouns.toml", EXTENSION)
    capsys.readouterr()
    assert main(["bank", "check", str(folder)]) == 0
    assert "OK" in capsys.readouterr().out
    write(folder, "nouns.toml", EXTENSION.replace("weight = 3", "weight = 9"))
    assert main(["bank", "check", str(folder)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert (
        err[0]
        == f"{folder / 'nouns.toml'}:4: noun 1: bad weight 9 (a number above 0 and at most 5)"
    )
    (folder / "nouns.toml").unlink()
    assert main(["bank", "check", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "activities.toml:" in err and "included file 'nouns.toml' does not exist" in err
