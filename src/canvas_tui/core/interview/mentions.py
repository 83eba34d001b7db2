"""Does an answer mention a word? Read the way the catalogue reads answers.

Used by follow-up conditions (``ask_if.mentions``) and by the team merge's strategic
splits. Words are matched by the catalogue's `Matcher` (core/inference/matcher.py): whole
words with their inflections ("subscription": subscriptions, "deliver": delivered),
``word*`` a prefix, ``=word`` exactly, a phrase with filler words between its words, one
typo in a long word. A mention is **not** counted when a negator of the catalogue's
``[language]`` stands up to ``negation_window`` words before it in the same clause ("we
have no subscription", "we don't deliver"), unless the negator is part of the phrase
itself ("no frills") or of an ignored phrase ("not only", "no problem").

The language rules are the default catalogue's (its ``[language]`` table).

Compiling a condition's matcher adds its words and the ~120 negators and ignored phrases
(~15 ms for a bank's ten conditions), so `preload` takes a bank's compiled matchers from
the compiled cache (core/inference/cache.py, `cached_mentions`) and `mentioned` remembers
its answers (the interview asks the same condition of the same answer many times).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from canvas_tui.core.inference.matcher import GAP_SPEC, Hit, Matcher
from canvas_tui.core.inference.text import Token, tokenize

if TYPE_CHECKING:
    from canvas_tui.core.inference.catalogue_model import Language
    from canvas_tui.core.interview.bank import Bank


# payload markers: classes, so a matcher read back from the cache keeps their identity
class _NEGATOR:
    """Payload of a negator phrase."""


class _IGNORE:
    """Payload of an ignored phrase ("not only")."""


_CLOSING = frozenset('.!?…%"”’)]')


@dataclass(frozen=True)
class Found:
    """One mention that counts: what it stands for and where it is in the text."""

    key: Hashable
    start: int  # character offsets of the words matched
    end: int
    sentence_start: int  # the sentence it stands in
    sentence_end: int


def _language() -> Language:
    from canvas_tui.core.inference.catalogue import default_catalogue

    return default_catalogue().language


class Mentions:
    """A compiled set of words, each standing for a key; build once, read many answers."""

    def __init__(self, words: Mapping[Hashable, Iterable[str]], language: Language | None = None):
        lang = language or _language()
        self.window = lang.negation_window
        self.breakers = frozenset(lang.clause_breaks)
        self.matcher = Matcher(dict(lang.irregular), lang.fillers, lang.fuzzy_min_length)
        for key, group in words.items():
            for word in group:
                if word.strip("*= "):
                    self.matcher.add(word.strip(), key)
        for word in lang.negators:
            self.matcher.add(word, _NEGATOR, singular=False)
        for word in lang.ignore:
            self.matcher.add(word, _IGNORE, singular=False)

    def find(self, text: str) -> list[Found]:
        """Every mention in `text` that is not negated, in text order."""
        if not text or not text.strip():
            return []
        tokens = tokenize(text, self.breakers)
        hits = self.matcher.find(tokens)
        masked: set[int] = set()
        for hit in hits:
            if hit.phrase.payload is _IGNORE:
                masked.update(range(hit.first, hit.last + 1))
        live = [
            h
            for h in hits
            if h.phrase.payload is not _IGNORE
            and not masked.intersection(range(h.first, h.last + 1))
        ]
        words = [h for h in live if h.phrase.payload is not _NEGATOR]
        longer = [h for h in words if h.last > h.first and GAP_SPEC not in h.phrase.specs]
        negators = [
            (h.first, h.last)
            for h in live
            if h.phrase.payload is _NEGATOR
            and not any(p.first <= h.first and h.last <= p.last for p in longer)
        ]
        negators += [
            (i, i) for i, t in enumerate(tokens) if t.norm.endswith("n't") and i not in masked
        ]
        sentences: dict[int, tuple[int, int]] = {}
        for token in tokens:  # each sentence's first and last character
            first, _ = sentences.get(token.sentence, (token.start, token.end))
            end = token.end
            while end < len(text) and text[end] in _CLOSING:
                end += 1
            sentences[token.sentence] = (first, end)
        found: list[Found] = []
        for hit in words:
            if not self._negated(hit, negators, tokens):
                start, end = sentences[tokens[hit.first].sentence]
                key: Hashable = hit.phrase.payload
                found.append(Found(key, tokens[hit.first].start, tokens[hit.last].end, start, end))
        return found

    def _negated(self, hit: Hit, negators: list[tuple[int, int]], tokens: list[Token]) -> bool:
        for first, last in negators:
            if first >= hit.first and last <= hit.last:
                if GAP_SPEC in hit.phrase.specs:
                    return True  # skipped over by a "...": "have no ... shop"
                continue  # part of the phrase
            if (
                last < hit.first
                and hit.first - last <= self.window
                and tokens[last].clause == tokens[hit.first].clause
            ):
                return True
        return False

    def keys(self, text: str) -> set[Hashable]:
        return {f.key for f in self.find(text)}


#: the compiled matcher of each follow-up condition's words, this process's
_compiled: dict[tuple[str, ...], Mentions] = {}
_LIMIT = 512
#: matchers compiled in this process (not read from the cache): for tests
compiles = 0


def mentions_of(words: tuple[str, ...]) -> Mentions:
    """The compiled matcher of one follow-up condition's ``mentions`` (kept)."""
    found = _compiled.get(words)
    if found is None:
        found = _compile(words)
        if len(_compiled) >= _LIMIT:
            _compiled.clear()
        _compiled[words] = found
    return found


def _compile(words: tuple[str, ...]) -> Mentions:
    global compiles
    compiles += 1
    return Mentions({"": words})


@lru_cache(maxsize=4096)
def mentioned(text: str, words: tuple[str, ...]) -> bool:
    """Whether `text` mentions any of `words`, not negated (see the module's doc)."""
    return bool(words) and bool(mentions_of(words).find(text))


def bank_words(bank: Bank) -> tuple[tuple[str, ...], ...]:
    """The ``mentions`` of every follow-up condition of `bank`, sorted, each once."""
    return tuple(
        sorted({q.ask_if.mentions for q in bank if q.ask_if is not None and q.ask_if.mentions})
    )


def preload(bank: Bank) -> None:
    """Have the compiled matchers of `bank`'s follow-up conditions at hand: from the
    compiled cache when it holds them (no compiling), else compiled and stored there.
    Only a speed-up: `mentioned` compiles what is missing either way."""
    from canvas_tui.core.inference.cache import cached_mentions

    words = tuple(w for w in bank_words(bank) if w not in _compiled)
    if not words:
        return
    found = cached_mentions(words, lambda: {w: _compile(w) for w in words}, Mentions)
    if len(_compiled) + len(found) > _LIMIT:
        _compiled.clear()
    _compiled.update(found)
