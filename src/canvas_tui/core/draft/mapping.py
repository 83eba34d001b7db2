"""One drafted line → one activity: a catalogue id, or ``custom-<slug>``.

The line is read with the inference's own matcher (the catalogue's signals, inflections,
typos and negation: `compiled_for(catalogue).read`), so "R&D", "recruiting" and
"Fulfillment & returns logistics" land where an answer with those words would. In order:

1. the line is an activity's id or name ("customer-success", "Customer support");
2. the line is mostly generic work (HR, accounting, office management... from
   drafts.toml): the entry's activity, or a custom id;
3. the activity whose signals in the line weigh most, plus one for each word of the line
   in the activity's name ("Client support" is support more than it is about clients;
   ties: the earlier mention);
4. nothing matches: a custom activity, ``custom-`` and the line's words as a slug.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from canvas_tui.core.draft.rules import DraftRules, Generic, heading_key
from canvas_tui.core.inference.catalogue import Catalogue
from canvas_tui.core.inference.matcher import Hit, Matcher
from canvas_tui.core.inference.matching import compiled_for
from canvas_tui.core.inference.reading import SignalRef
from canvas_tui.core.inference.text import Token, tokenize

_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_CHARS = 40


@dataclass(frozen=True)
class Mapped:
    id: str
    name: str
    #: the activity's category; "" for a custom activity
    category: str = ""
    #: the generic-work entry the line is made of, if any
    generic: Generic | None = None

    @property
    def custom(self) -> bool:
        return self.id.startswith("custom-")


def slug(text: str) -> str:
    """``custom-`` ids: lower case ASCII words joined by dashes, at most SLUG_CHARS."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = _SLUG.sub(" ", ascii_text.lower()).split()
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > SLUG_CHARS:
            break
        out = candidate
    return out or (words[0][:SLUG_CHARS] if words else "activity")


class GenericMatcher:
    """The generic-work words of drafts.toml, compiled with the catalogue's language."""

    def __init__(self, rules: DraftRules, catalogue: Catalogue) -> None:
        lang = catalogue.language
        self.matcher = Matcher(dict(lang.irregular), lang.fillers, lang.fuzzy_min_length)
        for entry in rules.generic:
            for word in entry.words:
                self.matcher.add(word, entry)
        #: words that say nothing about the work ("the", "our", "great", "people")
        self.not_content = frozenset(
            w.lower() for w in (*catalogue.vague.stopwords, *catalogue.vague.words, *lang.fillers)
        )
        self.negators = frozenset(w.lower() for w in lang.negators if " " not in w)

    def hits(self, tokens: list[Token]) -> list[Hit]:
        return self.matcher.find(tokens)

    def of_line(self, text: str) -> Generic | None:
        """The generic entry a line is mostly made of (half its content words or more)."""
        tokens = tokenize(text)
        # the words that say what the work is; a line of only such words ("IT") is all
        content = [i for i, t in enumerate(tokens) if t.norm not in self.not_content]
        content = content or list(range(len(tokens)))
        if not content:
            return None
        covered: dict[Generic, set[int]] = {}
        for hit in self.hits(tokens):
            entry = hit.phrase.payload
            if isinstance(entry, Generic):
                covered.setdefault(entry, set()).update(range(hit.first, hit.last + 1))
        if not covered:
            return None
        union = set().union(*covered.values())
        if 2 * sum(1 for i in content if i in union) < len(content):
            return None
        # the entry covering most words; on a tie, the one starting earlier
        return max(covered, key=lambda e: (len(covered[e]), -min(covered[e])))


_MATCHERS: dict[tuple[int, int], tuple[DraftRules, Catalogue, GenericMatcher]] = {}


def generic_matcher(rules: DraftRules, catalogue: Catalogue) -> GenericMatcher:
    """One compiled matcher per (rules, catalogue) pair, kept while both live."""
    key = (id(rules), id(catalogue))
    found = _MATCHERS.get(key)
    if found is None or found[0] is not rules or found[1] is not catalogue:
        if len(_MATCHERS) > 16:
            _MATCHERS.clear()
        found = _MATCHERS[key] = (rules, catalogue, GenericMatcher(rules, catalogue))
    return found[2]


def map_line(
    text: str, catalogue: Catalogue, rules: DraftRules, *, generic_work: bool = True
) -> Mapped:
    """The activity a drafted line names (see the module's docstring for the order).

    `generic_work=False` skips step 2: for a generic line the answers show is what the
    business sells (a bookkeeping firm's "Bookkeeping"), the catalogue decides.
    """
    key = heading_key(text)
    for activity in catalogue:
        if key and key in (heading_key(activity.id), heading_key(activity.name)):
            return Mapped(activity.id, activity.name, activity.category)
    generics = generic_matcher(rules, catalogue)
    generic = generics.of_line(text) if generic_work else None
    if generic is not None:
        target = catalogue.get(generic.activity) if generic.activity else None
        if target is not None:
            return Mapped(target.id, target.name, target.category, generic)
        return Mapped("custom-" + slug(text), text, "", generic)
    compiled = compiled_for(catalogue)
    weights: dict[int, tuple[float, float, int]] = {}
    for mention in compiled.read(text).mentions:
        payload = mention.payload
        if not isinstance(payload, SignalRef) or mention.mode == "negated":
            continue
        total, best, first = weights.get(payload.activity, (0.0, 0.0, mention.start))
        weights[payload.activity] = (
            total + payload.weight,
            max(best, payload.weight),
            min(first, mention.start),
        )
    if weights:
        words = {t.norm for t in tokenize(text)} - generics.not_content
        for i, (total, best, first) in list(weights.items()):
            named = {t.norm for t in tokenize(compiled.activities[i].name)}
            weights[i] = (total + len(words & named), best, first)
        index = max(weights, key=lambda i: (weights[i][0], weights[i][1], -weights[i][2], -i))
        activity = compiled.activities[index]
        return Mapped(activity.id, activity.name, activity.category)
    return Mapped("custom-" + slug(text), text, "")
