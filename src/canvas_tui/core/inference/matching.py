"""The catalogue compiled for matching, and the entry to reading one answer.

`compiled_for(catalogue)` compiles the catalogue once per object: every signal, cue,
business noun and language mark goes into one `Matcher` (see `text`). `Compiled.read(text)`
then reads an answer (`answer_reader.read_answer`: which mentions it holds, whether each
is negated, who does it, whether it names the customer, whether it is informative). The
reading depends only on the text, so it is cached by text. What a reading is made of:
`reading`.
"""

from __future__ import annotations

from canvas_tui.core.inference.answer_reader import read_answer
from canvas_tui.core.inference.catalogue import CORE_TYPES, Catalogue
from canvas_tui.core.inference.matcher import GAP_SIZE, Matcher
from canvas_tui.core.inference.reading import CueRef, Mark, NounRef, Reading, SignalRef
from canvas_tui.core.inference.roles import default_roles
from canvas_tui.core.inference.shorthand import default_shorthand
from canvas_tui.core.inference.typos import known_words

#: Words a "..." may skip in an exclusion: wider than in a signal, because an exclusion
#: only hides words ("we produce true crime and comedy podcasts" is no manufacturing).
EXCLUDE_GAP = 6
#: Words a "..." may skip in a customer marker ("sell ... to"): what is sold or delivered
#: is often a list ("cleaning chemicals and hygiene paper").
CUSTOMER_GAP = 6


class Compiled:
    """The catalogue compiled for reading answers: one matcher for every phrase, and
    the language, identity and roles settings the reading rules use."""

    def __init__(self, catalogue: Catalogue) -> None:
        lang = catalogue.language
        self.activities = list(catalogue)
        self.index = {a.id: i for i, a in enumerate(self.activities)}
        self.breakers = frozenset(lang.clause_breaks)
        self.window = lang.negation_window
        self.shorthand = default_shorthand()
        self.matcher = Matcher(
            dict(lang.irregular),
            lang.fillers,
            lang.fuzzy_min_length,
            known_words(),
            self.shorthand,
        )
        for i, activity in enumerate(self.activities):
            for group in activity.signals:
                payload = SignalRef(i, group.weight, group.sections)
                for word in group.words:
                    self.matcher.add(word, payload)
            for phrase in activity.exclude:
                self.matcher.add(phrase, Mark("exclude", i), singular=False, gap=EXCLUDE_GAP)
        for cue in catalogue.cues:
            cue_ref = CueRef(cue.type, cue.weight, cue.sections)
            for word in cue.words:
                self.matcher.add(word, cue_ref)
        for noun in catalogue.nouns:
            for word in noun.words:
                self.matcher.add(word, NounRef(noun.type, noun.weight), noun=True)
        identity = catalogue.identity
        self.self_window = identity.self_window
        self.noun_window = identity.customer_window
        self.noun_stops = frozenset(identity.customer_stops)
        self.self_stops = frozenset(identity.self_stops)
        self.customer_window = lang.customer_window
        self.customer_stops = frozenset(lang.customer_stops)
        for kind, words in (
            ("negator", lang.negators),
            ("ignore", lang.ignore),
            ("partner", lang.partner_cues),
            ("own", lang.own_cues),
            ("customer", lang.customer_markers),
            ("product", lang.product_markers),
            ("notcustomer", lang.not_customer),
            ("self", identity.self_words),
            ("before", identity.secondary_before),
            ("after", identity.secondary_after),
            ("modifies", identity.modifies),
        ):
            # "sell cleaning chemicals and hygiene paper to care homes": what is sold, sent
            # or delivered may take more words than a "..." elsewhere
            gap = CUSTOMER_GAP if kind == "customer" else GAP_SIZE
            for word in words:
                self.matcher.add(word, Mark(kind), singular=False, gap=gap)
        for r, rule in enumerate(catalogue.coherence):
            for word in rule.when:
                self.matcher.add(word, Mark("coherence", r))
        roles = self.roles = default_roles()
        for kind, words in (
            ("pname", (*roles.partner_names, *roles.partner_tools)),
            ("ptool", roles.partner_tools),
            ("pdoer", roles.partner_doers),
            ("csubject", roles.customer_subjects),
            ("money", roles.money),
            ("rest", roles.rest),
            ("noshare", roles.not_shares),
            ("supplier", roles.supplier_markers),
            ("othersense", roles.other_senses),
            ("sowner", roles.service_owners),
            ("syour", roles.service_your),
            ("sproperty", roles.service_property),
            ("sunit", roles.service_units),
        ):
            for word in words:
                self.matcher.add(word, Mark(kind), singular=False)
        self.amounts = tuple(amount for _, amount in roles.amounts)
        for i, (word, _amount) in enumerate(roles.amounts):
            self.matcher.add(word, Mark("share", i), singular=False)
        for type_, words in roles.lines:
            if type_ in CORE_TYPES:
                for word in words:
                    self.matcher.add(word, Mark("line", CORE_TYPES.index(type_)))
        vague = catalogue.vague
        self.not_content = frozenset(w.lower() for w in (*vague.words, *vague.stopwords))
        self._cache: dict[str, Reading] = {}
        #: weighed answers (see `weighing.weigh`), by question, text, section and the
        #: customers' nouns of all the answers
        self.weighed: dict[tuple[str, str, str, frozenset[str]], object] = {}

    def read(self, text: str) -> Reading:
        """What `text` says (`answer_reader.read_answer`), cached by text."""
        reading = self._cache.get(text)
        if reading is None:
            if len(self._cache) > 2048:
                self._cache.clear()
            reading = self._cache[text] = read_answer(self, text)
        return reading


def compiled_for(catalogue: Catalogue) -> Compiled:
    """The compiled form of a catalogue, built on first use and kept on the object."""
    compiled = getattr(catalogue, "_compiled", None)
    if compiled is None:
        compiled = Compiled(catalogue)
        catalogue._compiled = compiled  # type: ignore[attr-defined]  # the compiled form rides on its catalogue
    return compiled
