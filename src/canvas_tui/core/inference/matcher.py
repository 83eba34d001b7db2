"""Phrase matching for the inference (stdlib only, no I/O).

The catalogue's signals are phrases written in base form ("brew", "contract
manufacturer", "e-commerce", "sourc*"). Here they are compiled into a `Matcher` that finds
them in an answer's tokens (text.py) by whole words, whatever the case, punctuation,
accents or inflection:

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

A matcher's packed form for the compiled cache (`Matcher.pack`, `Matcher.unpack`) is in
matcher_pack.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from canvas_tui.core.inference.text import _WORD, Token, inflections, norm, plural
from canvas_tui.core.inference.typos import one_typo

if TYPE_CHECKING:  # pragma: no cover
    from canvas_tui.core.inference.matcher_pack import _Packed


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
GAP_SIZE = 3
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
        gap: int = GAP_SIZE,
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

    def pack(self) -> tuple[object, ...]:
        """This matcher's tables for the compiled cache (`matcher_pack.pack`)."""
        from canvas_tui.core.inference import matcher_pack

        return matcher_pack.pack(self)

    @classmethod
    def unpack(cls, packed: object) -> Matcher:
        """The matcher `pack` described (`matcher_pack.unpack`): ValueError when the packed
        form does not hold together."""
        from canvas_tui.core.inference import matcher_pack

        return matcher_pack.unpack(cls, packed)

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
        gap_size: int = GAP_SIZE,
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
