"""The compiled catalogue cache (core/inference/cache.py): used on a second load, rebuilt
when a source changes, never trusted when corrupt or foreign, harmless when unwritable.

Loads are counted (how often the TOML is parsed), never timed."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import sys
from pathlib import Path

import pytest

from canvas_tui.core.errors import BankError
from canvas_tui.core.inference import cache
from canvas_tui.core.inference import catalogue as catalogue_module
from canvas_tui.core.inference.catalogue import Catalogue, load_catalogue
from canvas_tui.core.inference.infer import infer
from canvas_tui.core.inference.matching import compiled_for
from canvas_tui.core.interview.bank_loader import load_bank, load_bank_catalogue
from canvas_tui.resources import default_bank_dir
from tests.conftest import REPO

DEFAULT = default_bank_dir() / "activities.toml"

BAKERY = """
[[activity]]
id = "baking"
name = "Baking"
category = "production"
description = "Baking bread."
kpis = ["Loaves per hour"]

  [[activity.signals]]
  weight = 2
  words = ["bake", "sourdough"]
"""

ANSWERS = {
    "value_proposition.offer": "We bake sourdough bread and sell it from our own shop.",
    "channels.reach": "Regulars walk in; cafes order by phone and we deliver with our van.",
    "revenue.model": "Per loaf, plus a weekly bread subscription.",
}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder for this test."""
    target = tmp_path / "cache"
    monkeypatch.setenv("CANVAS_TUI_CACHE", str(target))
    return target


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, ...]]:
    """Every parse of catalogue files (the work the cache saves)."""
    calls: list[tuple[Path, ...]] = []
    real = catalogue_module._read

    def counting(paths: tuple[Path, ...]):
        calls.append(paths)
        return real(paths)

    monkeypatch.setattr(catalogue_module, "_read", counting)
    return calls


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{cache.PREFIX}*{cache.SUFFIX}"))


def test_a_second_load_reads_the_cache_instead_of_parsing(folder, parses):
    first = load_catalogue(DEFAULT)
    assert len(parses) == 1 and len(entries(folder)) == 1
    second = load_catalogue(DEFAULT)
    assert len(parses) == 1  # not parsed again
    assert second is not first  # a fresh object, as without the cache
    assert list(second.activities) == list(first.activities)
    assert second.sources == first.sources
    # ...and it comes compiled: the matcher is the cached one, not built again
    assert compiled_for(second) is second._compiled  # type: ignore[attr-defined]


def test_the_cached_catalogue_infers_exactly_what_a_fresh_one_does(folder):
    fresh = load_catalogue.uncached(DEFAULT)  # type: ignore[attr-defined]
    load_catalogue(DEFAULT)  # stores
    cached = load_catalogue(DEFAULT)  # reads
    assert cache.stats["hits"] >= 1
    assert infer(ANSWERS, cached) == infer(ANSWERS, fresh)


def test_a_changed_catalogue_file_is_parsed_again(tmp_path, folder, parses):
    path = tmp_path / "activities.toml"
    path.write_text(BAKERY, encoding="utf-8")
    assert load_catalogue(DEFAULT, path).get("baking").name == "Baking"
    load_catalogue(DEFAULT, path)
    assert len(parses) == 1
    path.write_text(BAKERY.replace('name = "Baking"', 'name = "Bread baking"'), encoding="utf-8")
    assert load_catalogue(DEFAULT, path).get("baking").name == "Bread baking"
    assert len(parses) == 2


def test_a_changed_included_file_is_parsed_again(tmp_path, folder, parses):
    main = tmp_path / "activities.toml"
    main.write_text('include = ["more.toml"]\n' + BAKERY, encoding="utf-8")
    more = tmp_path / "more.toml"
    more.write_text(BAKERY.replace('"baking"', '"proofing"'), encoding="utf-8")
    assert "proofing" in load_catalogue(DEFAULT, main)
    load_catalogue(DEFAULT, main)
    assert len(parses) == 1
    more.write_text(BAKERY.replace('"baking"', '"shaping"'), encoding="utf-8")
    reloaded = load_catalogue(DEFAULT, main)
    assert "shaping" in reloaded and "proofing" not in reloaded
    assert len(parses) == 2


def test_a_catalogue_with_problems_is_never_cached(tmp_path, folder, parses):
    path = tmp_path / "activities.toml"
    path.write_text(BAKERY.replace('category = "production"', 'category = "baking"'), "utf-8")
    for _ in range(2):
        with pytest.raises(BankError, match="category"):
            load_catalogue(DEFAULT, path)
    assert len(parses) == 2
    assert [e for e in entries(folder) if "baking" in e.read_bytes().decode("latin-1")] == []


@pytest.fixture(scope="module")
def good_entry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid entry for the default catalogue, built once for the tests that break it."""
    folder = tmp_path_factory.mktemp("good-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CANVAS_TUI_CACHE", str(folder))
        load_catalogue(DEFAULT)
    (entry,) = entries(folder)
    return entry


def _damage_and_reload(folder: Path, parses: list, damage, good_entry: Path) -> Catalogue:
    folder.mkdir(parents=True, exist_ok=True)
    entry = Path(shutil.copy(good_entry, folder / good_entry.name))
    assert "manufacturing" in load_catalogue(DEFAULT) and parses == []  # the copy is good
    damage(entry)
    before = cache.stats["rejected"]
    reloaded = load_catalogue(DEFAULT)
    assert cache.stats["rejected"] == before + 1  # seen, refused...
    assert len(parses) == 1  # ...and rebuilt from the TOML
    assert "manufacturing" in reloaded
    # the rebuilt entry replaced the bad one: the next load is a hit again
    load_catalogue(DEFAULT)
    assert len(parses) == 1
    return reloaded


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(
            lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), id="truncated"
        ),
        pytest.param(lambda p: p.write_bytes(b""), id="empty"),
        pytest.param(
            lambda p: p.write_bytes(p.read_bytes()[:-100] + bytes(100)), id="corrupt-body"
        ),
        pytest.param(lambda p: p.write_bytes(b"\x80\x05garbage" * 50), id="garbage"),
        pytest.param(
            lambda p: p.write_bytes(
                p.read_bytes().replace(f'"format": {cache.FORMAT}'.encode(), b'"format": 99', 1)
            ),
            id="other-format",
        ),
    ],
)
def test_a_damaged_cache_file_is_ignored_and_rebuilt(folder, parses, damage, good_entry):
    _damage_and_reload(folder, parses, damage, good_entry)


def _forge(entry: Path, body: bytes) -> None:
    """Replace the body and make the header vouch for it (what only a deliberate
    forger would do): the unpickler's own rule must still refuse it."""
    data = entry.read_bytes()
    end = data.index(b"\n", len(cache.MAGIC))
    header = json.loads(data[len(cache.MAGIC) : end])
    header.update(length=len(body), sha256=hashlib.sha256(body).hexdigest())
    entry.write_bytes(cache.MAGIC + json.dumps(header).encode() + b"\n" + body)


class _Exploit:
    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self):
        return (os.system, (f"touch {self.target}",))


def test_a_forged_cache_file_never_runs_code(tmp_path, folder, parses, good_entry):
    witness = tmp_path / "pwned"
    forge = lambda p: _forge(p, pickle.dumps(_Exploit(witness)))  # noqa: E731
    _damage_and_reload(folder, parses, forge, good_entry)
    assert not witness.exists()


def test_a_cache_file_holding_a_foreign_object_is_refused(folder, parses, good_entry):
    # only classes of the inference are resolved; a Path (or anything else) is refused
    forge = lambda p: _forge(p, pickle.dumps(Path("/etc")))  # noqa: E731
    _damage_and_reload(folder, parses, forge, good_entry)


def test_a_cache_file_naming_a_class_by_its_old_module_is_refused(
    folder, parses, good_entry, monkeypatch
):
    # A whole, valid compiled catalogue as written before a class moved module (SignalRef
    # lived in matching.py until issue 14). Even where the old module still offers the
    # name (a re-export), the class is refused and the entry rebuilt, never misread.
    from canvas_tui.core.inference import matching
    from canvas_tui.core.inference.reading import SignalRef

    catalogue = load_catalogue.uncached(DEFAULT)
    compiled_for(catalogue)
    with monkeypatch.context() as patch:
        patch.setattr(SignalRef, "__module__", matching.__name__)
        patch.setattr(matching, "SignalRef", SignalRef, raising=False)
        # written the way the cache writes (matchers packed), so that only the moved
        # class can be what refuses it
        old = cache._dumps(catalogue)
    parses.clear()
    assert b"SignalRef" in old and matching.__name__.encode() in old
    monkeypatch.setattr(matching, "SignalRef", SignalRef, raising=False)  # a re-export
    forge = lambda p: _forge(p, old)  # noqa: E731
    _damage_and_reload(folder, parses, forge, good_entry)


def test_a_cache_file_for_other_files_is_not_used(tmp_path, folder, parses):
    # a valid entry renamed to another catalogue's key: its header names another key
    load_catalogue(DEFAULT)
    path = tmp_path / "activities.toml"
    path.write_text(BAKERY, encoding="utf-8")
    (entry,) = entries(folder)
    key = cache.entry_key((DEFAULT, path))
    shutil.copy(entry, cache.entry_path(folder, key))
    assert "baking" in load_catalogue(DEFAULT, path)
    assert len(parses) == 2


def test_an_unwritable_cache_folder_is_only_slower(tmp_path, monkeypatch, parses):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("CANVAS_TUI_CACHE", str(blocker / "cache"))
    # nothing is prepared for a folder that cannot take it (no wasted serialising)
    monkeypatch.setattr(cache, "_dependencies", lambda paths: pytest.fail("entry prepared"))
    errors = cache.stats["write_errors"]
    for _ in range(2):
        assert "manufacturing" in load_catalogue(DEFAULT)
    assert len(parses) == 2  # no cache: parsed each time, and no error
    assert cache.stats["write_errors"] == errors + 2


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch, parses):
    monkeypatch.setenv("CANVAS_TUI_CACHE", "off")
    assert cache.cache_dir() is None
    load_catalogue(DEFAULT)
    load_catalogue(DEFAULT)
    assert len(parses) == 2


def test_the_default_folder_follows_xdg(tmp_path, monkeypatch):
    monkeypatch.delenv("CANVAS_TUI_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if not sys.platform.startswith("linux"):
        pytest.skip("XDG is the rule on Linux (platformdirs elsewhere)")
    assert cache.cache_dir() == tmp_path / "xdg" / "canvas-tui"
    monkeypatch.setenv("XDG_CACHE_HOME", "")
    assert cache.cache_dir() == Path.home() / ".cache" / "canvas-tui"


def test_a_facilitators_bank_is_cached_by_its_own_content(tmp_path, folder, parses):
    bank_dir = tmp_path / "restaurant"
    shutil.copytree(REPO / "docs" / "examples" / "restaurant_bank", bank_dir)
    bank = load_bank(bank_dir)
    first = load_bank_catalogue(bank)
    load_bank_catalogue(bank)
    parsed = len(parses)
    assert parsed >= 1 and load_bank_catalogue(bank).sources == first.sources
    assert len(parses) == parsed  # the bank's catalogue came from the cache
    # the facilitator edits their own catalogue: that bank's entry is stale, not the default's
    activities = bank_dir / "activities.toml"
    activities.write_text(
        activities.read_text(encoding="utf-8").replace("\n", "\n# edited\n", 1), encoding="utf-8"
    )
    load_bank_catalogue(load_bank(bank_dir))
    assert len(parses) == parsed + 1
    assert len(entries(folder)) >= 2  # one entry per content


def test_old_entries_are_pruned(tmp_path, folder, monkeypatch):
    monkeypatch.setattr(cache, "KEEP", 2)
    for n in range(4):
        path = tmp_path / f"a{n}.toml"
        path.write_text(BAKERY.replace("Baking bread.", f"Baking bread {n}."), encoding="utf-8")
        load_catalogue(path)  # a catalogue of its own (it borrows the default's language)
    assert len(entries(folder)) == 2


# --------------------------------------------------------------------------- the packed
# matcher (matcher.Matcher.pack / unpack): the entry stores each matcher as a few strings and
# byte strings of ints, decoded on first use; checked whole before anything is used.


@pytest.fixture(scope="module")
def compiled_default() -> Catalogue:
    """The default catalogue, parsed and compiled without the cache, once for this module
    (the tests below only read it; packing leaves it as it is)."""
    catalogue = load_catalogue.uncached(DEFAULT)  # type: ignore[attr-defined]
    compiled_for(catalogue)
    return catalogue


READS = [
    "We bake sourdough bread, deliver 3 times a week and run two stores.",
    "Our clients are restaurants; a 3PL packs and ships everything for us.",
    "we design and fit kitchens, and we don't do subscriptions",
    "Recrutment and consultancy for logistcs firms, subs 10 % off",  # typos, shorthand
    "e-commerce, self-service check-ups, no frills",
]


def _hits(matcher, text: str) -> list[tuple[object, int, int, bool]]:
    from canvas_tui.core.inference.text import tokenize

    return [(h.phrase, h.first, h.last, h.fuzzy) for h in matcher.find(tokenize(text))]


def test_an_unpacked_matcher_finds_exactly_what_the_compiled_one_does(compiled_default):
    from canvas_tui.core.inference.matcher import Matcher

    built = compiled_for(compiled_default).matcher
    unpacked = Matcher.unpack(built.pack())
    for text in READS:
        assert _hits(unpacked, text) == _hits(built, text)  # same phrases, same order
    # the same phrase is the same object on every lookup
    first = _hits(unpacked, READS[0])
    assert first and all(
        a[0] is b[0] for a, b in zip(first, _hits(unpacked, READS[0]), strict=True)
    )
    assert unpacked.phrases == built.phrases
    # payloads equal in value are one object (frozen values, compared by ==, not identity)
    one: dict[object, object] = {}
    for phrase in unpacked.phrases:
        assert one.setdefault((type(phrase.payload), phrase.payload), phrase.payload) is (
            phrase.payload
        )
    assert len(one) < len({id(p.payload) for p in built.phrases}) / 4


def test_an_unpacked_matcher_can_still_be_extended():
    from canvas_tui.core.inference.matcher import Matcher

    built = Matcher(fuzzy_min_length=5)
    for word in ("bake", "sourdough", "deliver ... bread", "# stores", "brew*"):
        built.add(word, word)
    unpacked = Matcher.unpack(built.pack())
    for matcher in (built, unpacked):
        matcher.add("wholesale", "new")
        matcher.add("bake", "again")
    text = "We bake and deliver fresh bread to 3 stores and wholesale, brewing too; sourdugh"
    assert _hits(unpacked, text) == _hits(built, text)
    assert unpacked._spec_ids == built._spec_ids and unpacked.phrases == built.phrases


def _forged_body(catalogue: Catalogue, change) -> bytes:
    """A valid entry's body with its matcher's packed tables changed by `change`."""
    import io

    class Forger(cache._Pickler):
        def persistent_id(self, obj):
            packed = super().persistent_id(obj)
            return None if packed is None else change(list(packed))

    buffer = io.BytesIO()
    Forger(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(catalogue)
    return buffer.getvalue()


def _set(index: int, value: object):
    def change(packed: list) -> tuple:
        packed[index] = value
        return tuple(packed)

    return change


def _at(packed: tuple, path: tuple[int, ...], change) -> tuple:
    """`packed` with the part at `path` (indexes into nested tuples) changed."""
    if not path:
        return change(packed)
    items = list(packed)
    items[path[0]] = _at(items[path[0]], path[1:], change)
    return tuple(items)


def _ints_changed(how):
    """Change a byte string of unsigned ints as a list."""
    from array import array

    def change(data: bytes) -> bytes:
        values = array("I")
        values.frombytes(data)
        return array("I", how(values.tolist())).tobytes()

    return change


def _last(value: int, at: int = -1):
    def how(values: list[int]) -> list[int]:
        values[at] = value
        return values

    return _ints_changed(how)


PHRASES, KNOWN, FORMS, TYPOS = 11, 7, 9, 10  # where Matcher.pack puts them


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda p: tuple(p[:-1]), id="short"),
        pytest.param(_set(0, "matcher-0"), id="other-layout"),
        pytest.param(_set(KNOWN, 12345), id="index-not-a-tuple"),
        pytest.param(lambda p: _at(tuple(p), (KNOWN, 0), lambda _: b"x"), id="text-not-str"),
        pytest.param(lambda p: _at(tuple(p), (PHRASES, 2), lambda _: bytes(4)), id="offsets-cut"),
        pytest.param(lambda p: _at(tuple(p), (PHRASES, 2), _last(0, 1)), id="phrase-no-words"),
        pytest.param(lambda p: _at(tuple(p), (PHRASES, 4), _last(10**6)), id="payload-past"),
        pytest.param(lambda p: _at(tuple(p), (PHRASES, 7), _last(10**6)), id="phrase-past"),
        pytest.param(lambda p: _at(tuple(p), (FORMS, 0, 2), _last(10**6)), id="bucket-past"),
        pytest.param(lambda p: _at(tuple(p), (TYPOS, 1), lambda _: bytes(8)), id="typos-cut"),
        pytest.param(_set(6, {"brew": 5}), id="prefix-not-a-set"),
        pytest.param(_set(6, {"brew": {"5"}}), id="prefix-spec-not-an-int"),
    ],
)
def test_a_forged_packed_matcher_is_refused_and_rebuilt(
    folder, parses, good_entry, change, compiled_default
):
    body = _forged_body(
        compiled_default, change
    )  # the header will vouch for it: only the checks can refuse
    parses.clear()
    _damage_and_reload(folder, parses, lambda p: _forge(p, body), good_entry)


@pytest.mark.parametrize(
    "name", [b"builtins\ncode", b"types\nCodeType", b"types\nFunctionType", b"builtins\ncompile"]
)
def test_a_cache_file_naming_code_is_refused(folder, parses, good_entry, name):
    # code objects, functions and `compile` are no plain values: refused by name
    forged = b"c" + name + b"\n."  # pickle's GLOBAL opcode, as a forger would write it
    _damage_and_reload(folder, parses, lambda p: _forge(p, forged), good_entry)


@pytest.mark.parametrize(
    "how",
    [
        pytest.param(lambda v: v[::-1], id="reversed"),
        pytest.param(lambda v: [x * 1000 for x in v], id="past-the-end"),
        pytest.param(lambda v: v[: len(v) // 2], id="fewer"),
        pytest.param(lambda v: v + v, id="more"),
    ],
)
@pytest.mark.parametrize(
    "path",
    [(FORMS, 1), (FORMS, 0, 1), (TYPOS, 1), (TYPOS, 3), (KNOWN, 1), (PHRASES, 1), (PHRASES, 6)],
    ids=["forms", "form-keys", "typos", "typo-forms", "known", "sources", "firsts"],
)
def test_scrambled_offsets_are_refused_or_only_make_odd_matches(path, how, compiled_default):
    """Offsets are refused by unpack or only slice: a lookup never fails later."""
    from canvas_tui.core.inference.matcher import Matcher

    built = compiled_for(compiled_default).matcher
    try:
        odd = Matcher.unpack(_at(built.pack(), path, _ints_changed(how)))
    except ValueError:
        return  # refused whole: the entry is rebuilt
    for text in READS:
        _hits(odd, text)  # no exception: at worst other (or no) matches


def test_a_matcher_pickled_as_an_object_is_refused(folder, parses, good_entry, compiled_default):
    """A matcher is only read back packed: a whole catalogue pickled the plain way (its
    Matcher as an object, as an older format or a forger would write it) is refused."""
    body = pickle.dumps(compiled_default, protocol=pickle.HIGHEST_PROTOCOL)
    parses.clear()
    _damage_and_reload(folder, parses, lambda p: _forge(p, body), good_entry)
