"""A matcher's packed form (`Matcher.pack`, `Matcher.unpack`), for the compiled catalogue
cache (core/inference/cache.py); stdlib only, no I/O.

The compiled cache stores ~8,000 phrases, ~14,000 word forms, ~15,000 known words and
~18,000 typo entries as a few strings and byte strings of ints, so reading it back builds a
handful of objects. A key is found in a hashed index kept as text (no dictionary of every
key to build); what a lookup finds is built once (dict.setdefault: racing threads share one
object).
"""

from __future__ import annotations

from array import array
from binascii import crc32
from collections.abc import Iterable, Iterator, Mapping, Sequence, Sized

from canvas_tui.core.inference.matcher import _NUMBER_SPEC, Matcher, Phrase

#: the layout of `Matcher.pack` (part of the cache's key through the module's source)
_PACK_LAYOUT = "matcher-2"


def _same(payload: object) -> object:
    """What makes two payloads the same one in a packed matcher: equal values of the same
    type when they are hashable (frozen dataclasses, strings, classes), else identity."""
    try:
        hash(payload)
    except TypeError:
        return ("id", id(payload))
    return (type(payload), payload)


def _check(ok: bool) -> None:
    if not ok:
        raise ValueError("packed matcher does not hold together")


def _ints(values: Iterable[int], code: str = "i") -> bytes:
    """`code`: "i" for spec numbers (GAP_SPEC and _NUMBER_SPEC are negative), "I" for
    offsets and indexes (never negative, so only an upper bound needs checking)."""
    return array(code, values).tobytes()


def _read_ints(data: object, code: str = "i") -> array[int]:
    _check(type(data) is bytes)
    values = array(code)
    values.frombytes(data)  # type: ignore[arg-type]  # checked above
    return values


def _offsets(groups: Sequence[Sized]) -> list[int]:
    offsets = [0]
    for group in groups:
        offsets.append(offsets[-1] + len(group))
    return offsets


def _bucket(key: str, buckets: int) -> int:
    """A key's bucket: CRC-32 of its UTF-8 bytes (stable across processes, unlike hash())."""
    return crc32(key.encode("utf-8", "surrogatepass")) % buckets


def _pack_index(keys: Sequence[str]) -> tuple[list[int], tuple[str, bytes, bytes]]:
    """The positions of `keys` in bucket order (the order their values are stored in), and
    the index: the keys in that order as one string, their offsets, each bucket's first."""
    buckets = max(1, len(keys) // 2)
    of = [_bucket(key, buckets) for key in keys]
    order = sorted(range(len(keys)), key=of.__getitem__)
    firsts = [0] * (buckets + 1)
    for b in of:
        firsts[b + 1] += 1
    for b in range(buckets):
        firsts[b + 1] += firsts[b]
    ordered = [keys[i] for i in order]
    return order, ("".join(ordered), _ints(_offsets(ordered), "I"), _ints(firsts, "I"))


def _pack_sets(table: Mapping[str, Iterable[int]]) -> tuple[object, ...]:
    """A dict of str to sets of ints: the index, and the ints of each set in the order it
    iterates (a set built back from them is built as unpickling built it: same order)."""
    keys = list(table)
    order, index = _pack_index(keys)
    values = [list(table[keys[i]]) for i in order]
    return index, _ints(_offsets(values), "I"), _ints(v for group in values for v in group)


def _pack_typos(table: Mapping[tuple[str, int], Sequence[tuple[str, int]]]) -> tuple[object, ...]:
    """The typo index: (first or last letters, length) -> (form, spec) pairs, in order."""
    keys = list(table)
    order, index = _pack_index([f"{k[0]}\t{k[1]}" for k in keys])
    values = [table[keys[i]] for i in order]
    forms = [form for group in values for form, _ in group]
    return (
        index,
        _ints(_offsets(values), "I"),
        "".join(forms),
        _ints(_offsets(forms), "I"),
        _ints(spec for group in values for _, spec in group),
    )


def pack(matcher: Matcher) -> tuple[object, ...]:
    """This matcher's tables as a few strings and byte strings of ints, for the compiled
    cache (core/inference/cache.py). Reading them back (`unpack`) builds no object per
    phrase, word form or typo key: a lookup finds its key in a hashed index kept as
    text and builds what it finds, on first use."""
    matcher._thaw()  # (the typo memo is not packed: an unpacked matcher starts a new one)
    spec_keys = list(matcher._spec_ids)
    if [matcher._spec_ids[k] for k in spec_keys] != list(range(len(spec_keys))):
        raise ValueError("spec ids out of order")
    # payloads equal in value are stored once (e.g. one Mark("negator") for the ~100
    # negators): frozen values, compared by ==, never by identity (the interview's
    # markers are classes: one object whatever is done)
    payloads: list[object] = []
    payload_ids: dict[object, int] = {}
    position = {id(phrase): i for i, phrase in enumerate(matcher._phrases)}
    specs: list[int] = []
    spec_offsets = [0]
    payload_of: list[int] = []
    gaps: list[int] = []
    for phrase in matcher._phrases:
        if not phrase.specs:
            raise ValueError("a phrase without words")
        specs.extend(phrase.specs)
        spec_offsets.append(len(specs))
        payload_of.append(payload_ids.setdefault(_same(phrase.payload), len(payloads)))
        if payload_of[-1] == len(payloads):
            payloads.append(phrase.payload)
        gaps.append(phrase.gap)
    first_offsets = [0]
    order: list[int] = []
    for spec in range(_NUMBER_SPEC, len(spec_keys)):
        for phrase in matcher._by_first.get(spec, ()):
            order.append(position[id(phrase)])  # KeyError: a phrase not in the list
        first_offsets.append(len(order))
    if len(order) != sum(len(v) for v in matcher._by_first.values()):
        raise ValueError("phrases under an unknown first word")
    sources = [phrase.source for phrase in matcher._phrases]
    return (
        _PACK_LAYOUT,
        matcher._shorthand,
        matcher._irregular,
        matcher._fillers,
        matcher._fuzzy_min,
        matcher._affix,
        matcher._prefixes,
        _pack_index(sorted(matcher._known))[1],
        "\n".join(spec_keys),  # words: no line breaks (source.split())
        _pack_sets(matcher._forms),
        _pack_typos(matcher._typo_index),
        (
            "".join(sources),
            _ints(_offsets(sources), "I"),
            _ints(spec_offsets, "I"),
            _ints(specs),
            _ints(payload_of, "I"),
            _ints(gaps),
            _ints(first_offsets, "I"),
            _ints(order, "I"),
        ),
        tuple(payloads),
    )


def unpack(cls: type[Matcher], packed: object) -> Matcher:
    """The matcher `pack` described, its tables decoded on first use.

    Checked before anything is used, so that a packed form that does not hold together
    raises ValueError here, never an error later in a lookup: the type of every part,
    the sizes of the tables that go together, the hashed indexes' buckets, every
    phrase's words (offsets that always go up, within the table) and every index into
    a Python sequence (a phrase's payload, the phrases under a first word). What is not
    checked cannot fail later, only match oddly: spec numbers of word forms and typos
    (an unknown one matches nothing) and the other offsets (slices out of range are
    short or empty)."""
    if not (isinstance(packed, tuple) and len(packed) == 13 and packed[0] == _PACK_LAYOUT):
        raise ValueError("not a packed matcher")
    (
        _, shorthand, irregular, fillers, fuzzy_min, affix, prefixes,
        known, spec_keys, forms, typos, phrase_table, payloads,
    ) = packed  # fmt: skip
    _check(type(shorthand) is dict and type(irregular) is dict and type(prefixes) is dict)
    _check(type(fillers) is frozenset and type(payloads) is tuple)
    _check(type(fuzzy_min) is int and type(affix) is int and type(spec_keys) is str)
    _check(all(type(t) is tuple for t in (forms, typos, phrase_table)))
    _check(len(forms) == 3 and len(typos) == 5 and len(phrase_table) == 8)
    # prefixes (~500) stay a dictionary of sets of spec numbers: `exact |= found`
    _check(all(type(k) is str and type(v) is set for k, v in prefixes.items()))
    _check(all(type(spec) is int for found in prefixes.values() for spec in found))
    phrases = _PackedPhrases(*phrase_table, payloads=payloads)
    table = _Packed(spec_keys, _PackedSets(*forms), _PackedTypos(*typos), phrases)
    matcher = cls.__new__(cls)
    matcher.__dict__.update(
        _shorthand=shorthand,
        _known=_Words(_TextIndex.read(known)),
        _irregular=irregular,
        _fillers=fillers,
        _fuzzy_min=fuzzy_min,
        _spec_ids=None,
        _forms=table.forms,
        _prefixes=prefixes,
        _affix=affix,
        _typo_index=table.typos,
        _typo_memo={},
        _by_first=phrases,
        _phrases=None,
        _packed=table,
    )
    return matcher


class _TextIndex:
    """Where a key is among n keys, read from `_pack_index`'s form without building a
    dictionary of them: the key's bucket, then the few keys of that bucket."""

    __slots__ = ("_buckets", "_offsets", "_text", "count")

    def __init__(self, text: str, offsets: array[int], buckets: array[int]) -> None:
        _check(type(text) is str and len(offsets) >= 1 and len(buckets) >= 2)
        _check(max(buckets) < len(offsets))  # a bucket's keys are keys
        self._text = text
        self._offsets = offsets
        self._buckets = buckets
        self.count = len(offsets) - 1

    @classmethod
    def read(cls, packed: object) -> _TextIndex:
        if not (isinstance(packed, tuple) and len(packed) == 3):
            raise ValueError("packed matcher does not hold together")
        text: object = packed[0]
        _check(type(text) is str)
        return cls(str(text), _read_ints(packed[1], "I"), _read_ints(packed[2], "I"))

    def find(self, key: str) -> int:
        """The key's position, -1 when it is not one of the keys."""
        buckets, offsets, text = self._buckets, self._offsets, self._text
        b = _bucket(key, len(buckets) - 1)
        size = len(key)
        for j in range(buckets[b], buckets[b + 1]):
            start = offsets[j]
            if offsets[j + 1] - start == size and text.startswith(key, start):
                return j
        return -1

    def words(self) -> list[str]:
        offsets, text = self._offsets, self._text
        return [text[offsets[j] : offsets[j + 1]] for j in range(self.count)]


class _Words:
    """The typo matcher's known words (~15,000) read back: `word in words` asks the
    index; no set of them is built."""

    __slots__ = ("_index",)

    def __init__(self, index: _TextIndex) -> None:
        self._index = index

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._index.find(word) >= 0

    def __iter__(self) -> Iterator[str]:
        return iter(self._index.words())

    def __len__(self) -> int:
        return self._index.count


class _PackedSets:
    """`Matcher._forms` read back: dict-like `get` of a word's set of specs."""

    def __init__(self, index: object, offsets: object, values: object) -> None:
        self._index = _TextIndex.read(index)
        self._offsets = _read_ints(offsets, "I")
        self._values = _read_ints(values)
        _check(len(self._offsets) == self._index.count + 1)
        self._built: dict[int, set[int]] = {}

    def get(self, key: str, default: object = None) -> set[int] | object:
        i = self._index.find(key)
        if i < 0:
            return default
        found = self._built.get(i)
        if found is None:
            found = set(self._values[self._offsets[i] : self._offsets[i + 1]])
            found = self._built.setdefault(i, found)
        return found

    def thaw(self) -> dict[str, set[int]]:
        return {key: self.get(key) for key in self._index.words()}  # type: ignore[misc]


class _PackedTypos:
    """`Matcher._typo_index` read back: dict-like `get` of the (form, spec) pairs filed
    under one (first or last letters, length) key."""

    def __init__(
        self, index: object, offsets: object, forms: object, form_offsets: object, specs: object
    ) -> None:
        _check(type(forms) is str)
        self._index = _TextIndex.read(index)
        self._offsets = _read_ints(offsets, "I")
        self._forms: str = forms  # type: ignore[assignment]  # checked above
        self._form_offsets = _read_ints(form_offsets, "I")
        self._specs = _read_ints(specs)
        _check(len(self._offsets) == self._index.count + 1)
        _check(len(self._form_offsets) == len(self._specs) + 1)
        self._built: dict[int, list[tuple[str, int]]] = {}

    def get(self, key: tuple[str, int], default: object = None) -> list[tuple[str, int]] | object:
        i = self._index.find(f"{key[0]}\t{key[1]}")
        if i < 0:
            return default
        found = self._built.get(i)
        if found is None:
            forms, offsets, specs = self._forms, self._form_offsets, self._specs
            last = min(self._offsets[i + 1], len(specs))
            size = key[1]  # every form filed under this key has this length
            found = [
                (forms[offsets[k] : offsets[k + 1]], specs[k])
                for k in range(self._offsets[i], last)
                if offsets[k + 1] - offsets[k] == size
            ]
            found = self._built.setdefault(i, found)
        return found

    def thaw(self) -> dict[tuple[str, int], list[tuple[str, int]]]:
        out: dict[tuple[str, int], list[tuple[str, int]]] = {}
        for name in self._index.words():
            form, _, size = name.rpartition("\t")
            out[(form, int(size))] = self.get((form, int(size)))  # type: ignore[assignment]
        return out


class _PackedPhrases:
    """`Matcher._by_first` read back: dict-like `get` of the phrases starting with a
    spec, each `Phrase` built once, on first use, and shared as in the matcher packed."""

    def __init__(
        self,
        sources: object,
        source_offsets: object,
        spec_offsets: object,
        specs: object,
        payload_of: object,
        gaps: object,
        first_offsets: object,
        order: object,
        *,
        payloads: tuple[object, ...],
    ) -> None:
        _check(type(sources) is str)
        self._sources: str = sources  # type: ignore[assignment]  # checked above
        self._source_offsets = _read_ints(source_offsets, "I")
        self._spec_offsets = _read_ints(spec_offsets, "I")
        self._specs = _read_ints(specs)
        self._payload_of = _read_ints(payload_of, "I")
        self._gaps = _read_ints(gaps)
        self._first_offsets = _read_ints(first_offsets, "I")
        self._order = _read_ints(order, "I")
        self._payloads = payloads
        count = self.count = len(self._payload_of)
        _check(len(self._source_offsets) == len(self._spec_offsets) == count + 1)
        _check(len(self._gaps) == count)
        # every phrase has words: its specs' offsets always go up, within the table
        firsts = self._spec_offsets.tolist()
        _check(firsts[0] == 0 and firsts[-1] == len(self._specs))
        _check(len(set(firsts)) == count + 1 and firsts == sorted(firsts))
        # indexes into Python sequences: in range (never negative: unsigned)
        _check(not count or max(self._payload_of) < len(payloads))
        _check(not self._order or max(self._order) < count)
        _check(len(self._first_offsets) >= -_NUMBER_SPEC + 1)
        #: specs run from _NUMBER_SPEC to n_specs - 1: one group of phrases each
        self.n_specs = len(self._first_offsets) - 1 + _NUMBER_SPEC
        self._built: dict[int, Phrase] = {}
        self._lists: dict[int, list[Phrase]] = {}

    def phrase(self, i: int) -> Phrase:
        found = self._built.get(i)
        if found is None:
            start, end = self._spec_offsets[i], self._spec_offsets[i + 1]
            found = Phrase(
                self._sources[self._source_offsets[i] : self._source_offsets[i + 1]],
                tuple(self._specs[start:end]),
                self._payloads[self._payload_of[i]],
                self._gaps[i],
            )
            found = self._built.setdefault(i, found)
        return found

    def get(self, spec: int, default: object = None) -> list[Phrase] | object:
        found = self._lists.get(spec)
        if found is None:
            k = spec - _NUMBER_SPEC
            if not 0 <= k < len(self._first_offsets) - 1:
                return default
            first, last = self._first_offsets[k], self._first_offsets[k + 1]
            if first >= last:
                return default
            found = [self.phrase(i) for i in self._order[first:last]]
            found = self._lists.setdefault(spec, found)
        return found

    def thaw(self, specs: Iterable[int]) -> dict[int, list[Phrase]]:
        out: dict[int, list[Phrase]] = {}
        for spec in specs:
            found = self.get(spec)
            if found is not None:
                out[spec] = found  # type: ignore[assignment]  # a list of phrases
        return out

    def all(self) -> list[Phrase]:
        return [self.phrase(i) for i in range(self.count)]


class _Packed:
    """The packed tables of one matcher read back from the cache."""

    def __init__(
        self, spec_keys: str, forms: _PackedSets, typos: _PackedTypos, phrases: _PackedPhrases
    ) -> None:
        self.spec_keys = spec_keys
        self.forms = forms
        self.typos = typos
        self.phrases = phrases
