"""Words, inflections and phrase matching for the inference (stdlib only, no I/O).

The catalogue's signals are phrases written in base form ("brew", "contract
manufacturer", "e-commerce", "sourc*"). Here they are compiled into a `Matcher` that finds
them in an answer by whole words, whatever the case, punctuation, accents or inflection:

* ``word``   matches the word and its regular inflections (s, es, ies, ed, ied, ing, a
  doubled final consonant, a dropped final e) plus irregular forms from the catalogue;
* ``word*``  matches any word that starts with ``word`` ("brew*": brewery, brewers);
* ``=word``  matches exactly that word, no inflection ("=ups" is the courier, not "up");
* ``a-b``    a hyphenated word also matches the joined form ("e-commerce", "ecommerce");
* a phrase matches its words in order; filler words ("the", "our", "also"...) may sit
  between them ("we also make", "book the class");
* ``...`` in a phrase stands for up to three words of any kind ("make ... easy");
* ``#`` stands for a number, in digits or words ("# stores": "12 stores", "three stores").

Every token keeps its character offsets, so a match is always an exact span of the
answer: ``text[start:end]``. Long words tolerate one typo (a missing, extra, changed or
swapped letter) when the catalogue allows it.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from binascii import crc32
from collections.abc import Iterable, Iterator, Mapping, Sequence, Sized
from dataclasses import dataclass
from functools import lru_cache

from canvas_tui.core.inference.typos import one_typo as one_typo  # re-exported

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SENTENCE_BREAK = re.compile(r"[.!?;\n]")
_CLAUSE_BREAK = re.compile(r"[,:()\[\]{}\"“”|]|\s[-–—]+\s|[–—]")
_VOWEL = re.compile(r"[aeiouy]")
_ISE = re.compile(r"(?<=[a-z]{3})is(e|es|ed|ing|ation|ations|er|ers)$")


@lru_cache(maxsize=65536)
def norm(word: str) -> str:
    """The comparable form of one word: lower case, no accents, US -ize spelling."""
    word = word.replace("’", "'").lower()
    if not word.isascii():
        word = "".join(
            c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)
        )
    if word.endswith("'s"):
        word = word[:-2]
    return _ISE.sub(r"iz\1", word) if "is" in word else word


def inflections(word: str) -> set[str]:
    """The regular inflected forms of a base word (itself included)."""
    forms = {word}
    if len(word) < 2 or not word.isalpha():
        return forms
    last = word[-1]
    forms.add(word + "s")
    if word.endswith(("s", "x", "z", "ch", "sh")):
        forms.update({word + "es", word + "ed", word + "ing"})
        return forms
    if last == "y" and len(word) > 2 and word[-2] not in "aeiou":
        forms.update({word[:-1] + "ies", word[:-1] + "ied", word + "ing"})
        return forms
    if last == "e":
        forms.update({word + "d", word[:-1] + "ing", word + "r", word + "rs"})
        if word.endswith("ie"):
            forms.add(word[:-2] + "ying")
        return forms
    forms.update({word + "ed", word + "ing"})
    if (
        len(word) >= 3
        and last not in "aeiouwxy"
        and word[-2] in "aeiou"
        and word[-3] not in "aeiou"
    ):
        forms.update({word + last + "ed", word + last + "ing"})
    return forms


def plural(word: str) -> str:
    """The regular plural of a noun: bakery -> bakeries, box -> boxes, shop -> shops."""
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if len(word) > 2 and word[-1] == "y" and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


@dataclass(frozen=True)
class Token:
    text: str  # as typed
    norm: str
    start: int
    end: int
    sentence: int
    clause: int
    #: in a hyphenated compound ("self-service", "check-ups"): the index of its first
    #: token, else -1; `head` marks the compound's last part
    compound: int = -1
    head: bool = False


_THOUSANDS = re.compile(r"^(\d+)([km])$")


def _expanded(
    text: str, match: re.Match[str], word: str, shorthand: Mapping[str, tuple[str, ...]]
) -> tuple[tuple[str, ...], int]:
    """What a typed word stands for (founder shorthand: "subs", "w/", "80k") and where
    its typed form ends; ((), 0) when it stands for itself."""
    end = match.end()
    chunk = text[match.start() :].split(maxsplit=1)[0].lower() if text[match.start() :] else ""
    if "/" in chunk:
        key = chunk.rstrip(".,;:!?)")
        for size in range(len(key), len(word), -1):
            if key[:size] in shorthand and (size == len(key) or not key[size].isalnum()):
                return shorthand[key[:size]], match.start() + size
    if word in shorthand:
        return shorthand[word], end
    thousands = _THOUSANDS.match(word)
    if thousands:
        factor = 1000 if thousands.group(2) == "k" else 1000000
        return (str(int(thousands.group(1)) * factor),), end
    return (), 0


def tokenize(
    text: str,
    breakers: frozenset[str] = frozenset(),
    shorthand: Mapping[str, tuple[str, ...]] | None = None,
) -> list[Token]:
    """Split an answer into word tokens with offsets, sentence and clause numbers.

    Sentences end at . ! ? ; and new lines; clauses also end at commas, colons, brackets,
    dashes and at the `breakers` words ("but", "and"...), which start a new clause.
    """
    tokens: list[Token] = []
    sentence = clause = 0
    previous_end = 0
    skip_to = 0
    for match in _WORD.finditer(text):
        if match.start() < skip_to:  # the "o" of "w/o"
            continue
        gap = text[previous_end : match.start()]
        joined = bool(tokens) and gap == "-"  # a hyphenated compound: "self-service"
        if tokens and not joined:
            if _SENTENCE_BREAK.search(gap):
                sentence += 1
                clause += 1
            elif _CLAUSE_BREAK.search(gap):
                clause += 1
        word = norm(match.group())
        if word in breakers and tokens and not joined:
            clause += 1
        compound = -1
        if joined:
            before = tokens[-1]
            compound = before.compound if before.compound >= 0 else len(tokens) - 1
            tokens[-1] = Token(
                before.text, before.norm, before.start, before.end, before.sentence,
                before.clause, compound, False,
            )  # fmt: skip
        expanded: tuple[str, ...] = ()
        if shorthand is not None and not joined and text[match.end() : match.end() + 1] != "-":
            expanded, typed_end = _expanded(text, match, word, shorthand)
        if expanded:
            # founder shorthand: the words it stands for, each quoting the typed form
            for part in expanded:
                tokens.append(
                    Token(text[match.start() : typed_end], part, match.start(), typed_end,
                          sentence, clause)
                )  # fmt: skip
            skip_to = previous_end = typed_end
            continue
        tokens.append(
            Token(match.group(), word, match.start(), match.end(), sentence, clause, compound,
                  joined)
        )  # fmt: skip
        previous_end = match.end()
    return tokens


def part_of_word(tokens: Sequence[Token], index: int, negating: frozenset[str],
                 suffix_heads: frozenset[str]) -> bool:  # fmt: skip
    """Whether a one-word match on tokens[index] is only part of a hyphenated compound
    and does not stand for the word: "service" in "self-service", "ups" in "check-ups",
    "law" in "brother-in-law", "sugar" in "sugar-free". The head (last part) stands for
    itself when it has 4+ letters and the compound does not start with a negating or
    reflexive prefix ("self", "non", "ex"); an earlier part only before a suffix-like head
    ("subscription-based", "family-run")."""
    token = tokens[index]
    if token.compound < 0:
        return False
    first = tokens[token.compound]
    if token.head:
        return len(token.norm) < 4 or first.norm in negating
    last = index
    while last + 1 < len(tokens) and tokens[last + 1].compound == token.compound:
        last += 1
    return tokens[last].norm not in suffix_heads


# ---------------------------------------------------------------------------------------
# Compiled phrases


@dataclass(frozen=True)
class Phrase:
    """A compiled signal: word specs in order, and the payload it stands for."""

    source: str
    specs: tuple[int, ...]
    payload: object
    gap: int = 3  # how many words a "..." may skip


@dataclass(frozen=True)
class Hit:
    phrase: Phrase
    first: int  # token index
    last: int  # token index, inclusive
    fuzzy: bool


GAP = "..."
NUMBER = "#"
GAP_SPEC = -1
_NUMBER_SPEC = -2
_GAP_SIZE = 3
#: endings a prefix signal usually takes, for typo matching ("recruit*": recruitment)
_ENDINGS = ("", "s", "ing", "ed", "er", "ment", "ion", "ation", "ancy", "y")
_NUMBER_WORDS = frozenset({
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
    "ninety", "hundred", "hundreds", "thousand", "thousands",
    "dozen", "dozens", "several", "few", "multiple",
})  # fmt: skip
NUMBER_WORDS = _NUMBER_WORDS
_SUBJECTS = frozenset({"we", "i"})
_COORD = frozenset({"and", "or", "&", "then"})


class Matcher:
    """Finds compiled phrases in token lists.

    Build it once per catalogue (`add` every phrase, then use `find`); lookups are by
    dictionary on each token, so the cost grows with the answer's length and the number of
    phrases that share a first word, not with the whole catalogue.
    """

    def __init__(
        self,
        irregular: Mapping[str, Iterable[str]] | None = None,
        fillers: Iterable[str] = (),
        fuzzy_min_length: int = 0,
        known_words: frozenset[str] = frozenset(),
        shorthand: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        #: founder shorthand: a signal word "d2c" compiles as what it stands for
        self._shorthand = shorthand or {}
        #: real words are never read as typos of another word ("regular", "football")
        self._known = known_words
        self._irregular = {norm(k): {norm(v) for v in vs} for k, vs in (irregular or {}).items()}
        self._fillers = frozenset(norm(f) for f in fillers)
        self._fuzzy_min = fuzzy_min_length
        self._spec_ids: dict[str, int] = {}
        self._forms: dict[str, set[int]] = {}
        self._prefixes: dict[str, set[int]] = {}
        # Typo index: every typo-tolerant form under its first and its last few letters
        # (with its length). One typo leaves one end intact, so a word that misses exactly
        # looks in at most six small buckets. Cheap to build (two appends per form), unlike
        # an index of every form with each letter deleted.
        self._affix = max(1, (fuzzy_min_length - 1) // 2) if fuzzy_min_length else 0
        self._typo_index: dict[tuple[str, int], list[tuple[str, int]]] = {}
        self._typo_memo: dict[str, frozenset[int]] = {}
        self._by_first: dict[int, list[Phrase]] = {}
        self._phrases: list[Phrase] = []
        #: the packed tables this matcher was read back from (`unpack`), until `add` needs
        #: them as dictionaries again
        self._packed: _Packed | None = None

    @property
    def phrases(self) -> list[Phrase]:
        """Every compiled phrase, in the order added."""
        if self._packed is not None:
            self._thaw()
        return self._phrases

    # -- building ------------------------------------------------------------------------
    def _spec(self, word: str, noun: bool = False) -> int:
        key = "~" + word if noun and not word.endswith("*") and not word.startswith("=") else word
        known = self._spec_ids.get(key)
        if known is not None:
            return known
        spec = len(self._spec_ids)
        self._spec_ids[key] = spec
        if key.startswith("~"):  # a noun: singular and plural, no verb forms ("label")
            base = norm(word)
            forms = {base, plural(base)}
            for form in forms:
                self._forms.setdefault(form, set()).add(spec)
            self._add_fuzzy(forms, spec)
        elif word.endswith("*"):
            prefix = norm(word[:-1])
            self._prefixes.setdefault(prefix, set()).add(spec)
            if len(prefix) >= 5:  # typos: the prefix with its usual endings
                self._add_fuzzy({prefix + end for end in _ENDINGS}, spec)
        elif word.startswith("="):
            form = norm(word[1:])
            self._forms.setdefault(form, set()).add(spec)
            self._add_fuzzy({form}, spec)
        else:
            base = norm(word)
            forms = {norm(f) for f in inflections(base) | self._irregular.get(base, set())}
            for form in forms:
                self._forms.setdefault(form, set()).add(spec)
            self._add_fuzzy({base, base + "s"}, spec)  # typos: in the common forms only
        return spec

    def _add_fuzzy(self, forms: set[str], spec: int) -> None:
        if not self._fuzzy_min:
            return
        index, affix = self._typo_index, self._affix
        for form in forms:
            if len(form) >= self._fuzzy_min and form.isalpha():
                for key in (("<" + form[:affix], len(form)), (">" + form[-affix:], len(form))):
                    index.setdefault(key, []).append((form, spec))
        if self._typo_memo:
            self._typo_memo.clear()

    def _typos(self, word: str) -> frozenset[int]:
        """The specs whose typo-tolerant forms are `word` with one typo (memoised).

        With forms of at least 2h+1 letters (h = the affix length), a typo in the first h
        letters leaves the last h intact and a later one leaves the first h intact, so
        looking under both ends (at lengths n-1, n, n+1) finds every candidate."""
        found = self._typo_memo.get(word)
        if found is not None:
            return found
        affix, specs = self._affix, set()
        for size in (len(word) - 1, len(word), len(word) + 1):
            for key in (("<" + word[:affix], size), (">" + word[-affix:], size)):
                for form, spec in self._typo_index.get(key, ()):
                    if spec not in specs and one_typo(word, form):
                        specs.add(spec)
        if len(self._typo_memo) > 65536:
            self._typo_memo.clear()
        found = self._typo_memo[word] = frozenset(specs)
        return found

    def variants(self, source: str, singular: bool = True) -> list[list[str]]:
        """The word lists a signal stands for (a hyphenated word also joined up)."""
        words = source.split()
        variants: list[list[str]] = [[]]
        for word in words:
            if word == GAP:
                variants = [[*v, GAP] for v in variants if v]
                continue
            if word == NUMBER:
                variants = [[*v, NUMBER] for v in variants]
                continue
            star = word.endswith("*")
            core = word[:-1] if star else word
            prefix = "=" if core.startswith("=") else ""
            core = core.lstrip("=")
            parts = [norm(p) for p in _WORD.findall(core)]
            if not parts:
                continue
            if len(parts) == 1 and not star and parts[0] in self._shorthand:
                parts = list(self._shorthand[parts[0]])
            tail = "*" if star else ""
            split = [prefix + p for p in parts[:-1]] + [prefix + parts[-1] + tail]
            options = [split]
            if len(parts) > 1 and "-" in core:
                options.append([prefix + "".join(parts) + tail])
            variants = [v + o for v in variants for o in options]
        variants = [v[:-1] if v and v[-1] == GAP else v for v in variants if v]
        # a phrase written in the plural also matches its singular ("eye tests": eye test)
        for v in list(variants) if singular else []:
            last = v[-1]
            if v[0] == NUMBER:  # "# sites": "two site technicians" is a modifier
                continue
            if len(v) > 1 and last.isalpha() and len(last) > 3 and last.endswith("s"):
                if last.endswith("ies"):
                    variants.append([*v[:-1], last[:-3] + "y"])
                elif not last.endswith(("ss", "us", "is")):
                    variants.append([*v[:-1], last[:-1]])
        return variants

    def add(
        self,
        source: str,
        payload: object,
        singular: bool = True,
        gap: int = _GAP_SIZE,
        noun: bool = False,
    ) -> list[Phrase]:
        """Compile a signal; `singular=False` keeps a plural phrase plural (exclusions).

        `gap` is how many words a "..." may skip: exclusions, which only hide words, take
        a wider one ("we produce true crime and comedy podcasts"). `noun=True` matches
        plain words in the singular and plural only ("label": labels, not labelling).
        """
        if self._packed is not None:
            self._thaw()
        compiled = []
        for words in self.variants(source, singular):
            specs = tuple(
                GAP_SPEC if w == GAP else _NUMBER_SPEC if w == NUMBER else self._spec(w, noun)
                for w in words
            )
            phrase = Phrase(source, specs, payload, gap)
            self._by_first.setdefault(phrase.specs[0], []).append(phrase)
            self._phrases.append(phrase)
            compiled.append(phrase)
        return compiled

    # -- the compiled cache ----------------------------------------------------------------
    def pack(self) -> tuple[object, ...]:
        """This matcher's tables as a few strings and byte strings of ints, for the compiled
        cache (core/inference/cache.py). Reading them back (`unpack`) builds no object per
        phrase, word form or typo key: a lookup finds its key in a hashed index kept as
        text and builds what it finds, on first use."""
        self._thaw()  # (the typo memo is not packed: an unpacked matcher starts a new one)
        spec_keys = list(self._spec_ids)
        if [self._spec_ids[k] for k in spec_keys] != list(range(len(spec_keys))):
            raise ValueError("spec ids out of order")
        # payloads equal in value are stored once (e.g. one Mark("negator") for the ~100
        # negators): frozen values, compared by ==, never by identity (the interview's
        # markers are classes: one object whatever is done)
        payloads: list[object] = []
        payload_ids: dict[object, int] = {}
        position = {id(phrase): i for i, phrase in enumerate(self._phrases)}
        specs: list[int] = []
        spec_offsets = [0]
        payload_of: list[int] = []
        gaps: list[int] = []
        for phrase in self._phrases:
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
            for phrase in self._by_first.get(spec, ()):
                order.append(position[id(phrase)])  # KeyError: a phrase not in the list
            first_offsets.append(len(order))
        if len(order) != sum(len(v) for v in self._by_first.values()):
            raise ValueError("phrases under an unknown first word")
        sources = [phrase.source for phrase in self._phrases]
        return (
            _PACK_LAYOUT,
            self._shorthand,
            self._irregular,
            self._fillers,
            self._fuzzy_min,
            self._affix,
            self._prefixes,
            _pack_index(sorted(self._known))[1],
            "\n".join(spec_keys),  # words: no line breaks (source.split())
            _pack_sets(self._forms),
            _pack_typos(self._typo_index),
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

    @classmethod
    def unpack(cls, packed: object) -> Matcher:
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

    def _thaw(self) -> None:
        """Back to the dictionaries `add` extends (a matcher read back from the cache that
        is given more phrases: nothing does that today, but it stays a matcher)."""
        table = self._packed
        if table is None:
            return
        names = table.spec_keys.split("\n") if table.spec_keys else []
        self._spec_ids = dict(zip(names, range(len(names)), strict=False))
        self._forms = table.forms.thaw()
        self._typo_index = table.typos.thaw()
        self._by_first = table.phrases.thaw(range(_NUMBER_SPEC, table.phrases.n_specs))
        self._phrases = table.phrases.all()
        self._known = frozenset(self._known)
        self._packed = None

    # -- matching ------------------------------------------------------------------------
    def _token_specs(self, word: str) -> tuple[set[int], set[int]]:
        exact: set[int] = set(self._forms.get(word, ()))
        known = bool(exact)  # the word itself is a signal word, or starts with a long prefix
        if word.isdigit() or word in _NUMBER_WORDS:
            exact.add(_NUMBER_SPEC)
        for size in range(1, len(word) + 1):
            found = self._prefixes.get(word[:size])
            if found:
                exact |= found
                known = known or size >= 5
        fuzzy: set[int] = set()
        if (
            not known
            and self._fuzzy_min
            and len(word) >= self._fuzzy_min
            and word.isalpha()
            and word not in self._known
        ):
            fuzzy = set(self._typos(word))
        return exact, fuzzy

    def find(self, tokens: Sequence[Token]) -> list[Hit]:
        """Every phrase occurrence in the tokens (overlaps included), in text order."""
        specs = [self._token_specs(t.norm) for t in tokens]
        hits: list[Hit] = []
        for i, (exact, fuzzy) in enumerate(specs):
            ahead: set[int] | None = None
            for spec in exact | fuzzy:
                for phrase in self._by_first.get(spec, ()):
                    if len(phrase.specs) > 1 and phrase.specs[1] >= 0:
                        if ahead is None:  # what the next few words could be
                            ahead = set()
                            for near in specs[i + 1 : i + 9]:
                                ahead |= near[0] | near[1]
                        if phrase.specs[1] not in ahead:
                            continue
                    end = self._follow(tokens, specs, i, phrase.specs, phrase.gap)
                    if end is not None:
                        typo = spec not in exact or end[1]
                        hits.append(Hit(phrase, i, end[0], typo))
        hits += self._coordinated(tokens, specs, hits)
        hits.sort(key=lambda h: (h.first, h.last, h.phrase.source))
        return hits

    def _coordinated(
        self,
        tokens: Sequence[Token],
        specs: Sequence[tuple[set[int], set[int]]],
        found: Sequence[Hit],
    ) -> list[Hit]:
        """A subject shared by coordinated verbs: "we design and fit kitchens" matches
        "we fit", "we sort, wash and shred" matches "we shred" (single words joined by
        commas, "and", "or", "&" right after "we"/"I"; "we sell bread and make cakes" is
        no list of verbs)."""
        out: list[Hit] = []
        seen = {(h.phrase, h.first, h.last) for h in found}
        for i, token in enumerate(tokens):
            if token.norm not in _SUBJECTS:
                continue
            j = i + 1
            starts: list[int] = []
            while j + 1 < len(tokens) and tokens[j + 1].sentence == token.sentence:
                # a comma ends a clause: "we survey, design and install"
                comma = tokens[j + 1].clause != tokens[j].clause
                if tokens[j + 1].norm in _COORD and j + 2 < len(tokens):
                    starts.append(j + 2)
                    j += 2
                    if j < len(tokens) and tokens[j].norm in _COORD:
                        break
                    continue
                if comma:
                    starts.append(j + 1)
                    j += 1
                    continue
                break
            for start in starts[:4]:
                virtual = [token, *tokens[start : start + 10]]
                vspecs = [specs[i], *specs[start : start + 10]]
                for spec in specs[i][0]:
                    for phrase in self._by_first.get(spec, ()):
                        if len(phrase.specs) < 2 or phrase.specs[1] < 0:
                            continue
                        end = self._follow(virtual, vspecs, 0, phrase.specs, phrase.gap)
                        if end is None:
                            continue
                        last = start + end[0] - 1
                        key = (phrase, i, last)
                        if key not in seen:
                            seen.add(key)
                            out.append(Hit(phrase, i, last, end[1]))
        return out

    def _follow(
        self,
        tokens: Sequence[Token],
        specs: Sequence[tuple[set[int], set[int]]],
        i: int,
        wanted: tuple[int, ...],
        gap_size: int = _GAP_SIZE,
    ) -> tuple[int, bool] | None:
        position = i
        fuzzy = False
        gap = 0
        for spec in wanted[1:]:
            if spec == GAP_SPEC:
                gap = gap_size
                continue
            position += 1
            skipped = 0
            while True:
                if position >= len(tokens) or tokens[position].sentence != tokens[i].sentence:
                    return None
                exact, near = specs[position]
                if spec in exact:
                    break
                if spec in near:
                    fuzzy = True
                    break
                if skipped < gap or (
                    tokens[position].norm in self._fillers and position - i < len(wanted) + 3
                ):
                    skipped += 1
                    position += 1
                    continue
                return None
            gap = 0
        return position, fuzzy


# ---------------------------------------------------------------------------------------
# A matcher's packed tables (`Matcher.pack`, `Matcher.unpack`): the compiled cache stores
# ~8,000 phrases, ~14,000 word forms, ~15,000 known words and ~18,000 typo entries as a
# few strings and byte strings of ints, so reading it back builds a handful of objects.
# A key is found in a hashed index kept as text (no dictionary of every key to build);
# what a lookup finds is built once (dict.setdefault: racing threads share one object).

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
