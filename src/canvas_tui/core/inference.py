"""Key-activity inference: a pure function of (answers, catalogue).

`infer()` reads each answer once (tokens, signal matches, negation, who does it), weighs
the matches by guiding section and question, sums them per activity with diminishing
returns, and ranks the activities. docs/inference.md states the formula and the
tie-break rule. No clock, no randomness, no I/O: the same input gives the same output.

The dataclasses below are a contract the canvas, exporters and UI code against: fields
may be added (with defaults), never renamed or removed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from canvas_tui.core.catalogue import CATEGORIES, CORE_TYPES, GUIDING, Catalogue
from canvas_tui.core.text import GAP_SPEC, Hit, Matcher, Token, tokenize

__all__ = [
    "CATEGORIES",
    "CORE_TYPES",
    "GUIDING",
    "Advice",
    "Candidate",
    "Evidence",
    "Inference",
    "derive_blocks",
    "infer",
]


@dataclass(frozen=True)
class Evidence:
    """The exact words of an answer that support a candidate.

    `quote == answers[question][start:end]` always holds, so a UI can highlight it.
    """

    question: str
    quote: str
    start: int
    end: int
    rule: str = ""
    #: "own" (you do it) or "partner" (someone else does it, at lower weight)
    mode: str = "own"
    #: what this span added to the activity's raw score
    weight: float = 0.0


@dataclass(frozen=True)
class Candidate:
    """One inferred key activity."""

    id: str
    name: str
    category: str
    score: float
    evidence: tuple[Evidence, ...] = ()
    rationale: str = ""
    kpis: tuple[str, ...] = ()
    partner_candidate: bool = False
    partner_hint: str = ""
    serves: tuple[str, ...] = ()
    priority: int = 0
    focus_reason: str = ""


@dataclass(frozen=True)
class Advice:
    """A warning or note about the whole set of candidates.

    kind: "bloat" | "coherence" | "vague" | other kinds the inference adds.
    """

    kind: str
    message: str
    activities: tuple[str, ...] = ()
    question: str = ""


@dataclass(frozen=True)
class Inference:
    candidates: tuple[Candidate, ...] = ()
    mix: Mapping[str, float] = field(
        default_factory=lambda: {"production": 0.0, "problem_solving": 0.0, "platform_network": 0.0}
    )
    dominant: str = "unknown"
    warnings: tuple[Advice, ...] = ()
    #: question id -> a "tell me more" follow-up prompt for an answer too vague to use
    probes: Mapping[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------
# Scoring constants (docs/inference.md explains each)

PARTNER_FACTOR = 0.5  # someone else does it: still key, but less yours
CUSTOMER_FACTOR = 0.35  # "software for restaurants": the words name the customer
FUZZY_FACTOR = 0.8  # matched with one typo
OFF_SECTION_FACTOR = 0.5  # a section-bound signal in a question of an unknown section
DECAY = 0.7  # the k-th strongest mention of an activity counts DECAY**k
SCALE = 3.0  # score = 1 - exp(-raw / SCALE)
CATEGORY_FACTOR = {"supporting": 0.8}  # marketing & co. rank a little below core work
CUE_DECAY = 0.8
LEAD = 0.8  # a min_cue adjust rule needs its type's cues at 80 % of the strongest type's
TYPE_POWER = 2.0  # strong activities decide the type more than a tail of weak ones
CUE_FACTOR = 0.3  # cue points relative to activity scores in the type mix
OFF_TYPE_FACTOR = 0.85  # core activities of a non-dominant type rank a little lower
OFF_TYPE_MIN_SHARE = 0.45  # ...once the dominant type has at least this share of the mix
OFF_TYPE_MARGIN = 0.1  # ...and leads the next type by at least this much
REAL_EVIDENCE = 0.6  # a candidate with at least this score counts toward bloat
BLOAT_LIMIT = 7
TOP_FOCUS = 3
COHERENCE_MIN = 0.3  # a contradicting activity must be at least this strong to warn
QUOTE_LIMIT = 90
_DANGLING = frozenset({"and", "or", "but", "so", "then", "with", "to", "of", "the", "a", "an"})
PARTNER_RULE = " (a partner does it)"

_TYPE_LABEL = {
    "production": "production",
    "problem_solving": "problem-solving",
    "platform_network": "platform",
}
_SECTION_LABEL = {
    "value_proposition": "your value proposition",
    "channels": "channels",
    "relationships": "customer relationships",
    "revenue": "revenue streams",
}


def _join(items: Sequence[str]) -> str:
    """ "your value proposition, channels and revenue streams" """
    if not items:
        return ""
    text = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    return text if text.startswith("your") else "your " + text


# ---------------------------------------------------------------------------------------
# Compiling the catalogue


@dataclass(frozen=True)
class _Signal:
    activity: int
    weight: float
    sections: tuple[str, ...]


@dataclass(frozen=True)
class _Cue:
    type: str
    weight: float
    sections: tuple[str, ...]


@dataclass(frozen=True)
class _Mark:
    kind: str  # "negator" | "ignore" | "partner" | "own" | "exclude" | "coherence"
    ref: int = -1  # activity index for "exclude", rule index for "coherence"


@dataclass(frozen=True)
class _Mention:
    """One kept signal occurrence in one answer."""

    payload: _Signal | _Cue | _Mark
    source: str
    first: int
    last: int
    start: int
    end: int
    mode: str  # "own" | "partner" | "negated"
    fuzzy: bool
    informative: bool  # has a word that is neither a stopword nor a vague word
    about_customer: bool = False  # right after "for ...": it names the customer


@dataclass(frozen=True)
class _Reading:
    """What one answer says, independent of its question (cached by text)."""

    tokens: tuple[Token, ...]
    mentions: tuple[_Mention, ...]
    content_words: int


@dataclass(frozen=True)
class _Weighed:
    """One answer weighed for its question (cached by question, text and section)."""

    vague: bool
    #: (activity index, weight, evidence, negated, index of the partner_to activity)
    items: tuple[tuple[int, float, Evidence, bool, int | None], ...] = ()
    cues: tuple[tuple[str, float], ...] = ()
    promises: tuple[tuple[int, str], ...] = ()
    contexts: Mapping[int, str] = field(default_factory=dict)


class _Compiled:
    def __init__(self, catalogue: Catalogue) -> None:
        lang = catalogue.language
        self.activities = list(catalogue)
        self.index = {a.id: i for i, a in enumerate(self.activities)}
        self.breakers = frozenset(lang.clause_breaks)
        self.window = lang.negation_window
        self.matcher = Matcher(dict(lang.irregular), lang.fillers, lang.fuzzy_min_length)
        for i, activity in enumerate(self.activities):
            for group in activity.signals:
                payload = _Signal(i, group.weight, group.sections)
                for word in group.words:
                    self.matcher.add(word, payload)
            for phrase in activity.exclude:
                self.matcher.add(phrase, _Mark("exclude", i), singular=False)
        for cue in catalogue.cues:
            payload = _Cue(cue.type, cue.weight, cue.sections)
            for word in cue.words:
                self.matcher.add(word, payload)
        self.customer_window = lang.customer_window
        self.customer_stops = frozenset(lang.customer_stops)
        for kind, words in (
            ("negator", lang.negators),
            ("ignore", lang.ignore),
            ("partner", lang.partner_cues),
            ("own", lang.own_cues),
            ("customer", lang.customer_markers),
            ("notcustomer", lang.not_customer),
        ):
            for word in words:
                self.matcher.add(word, _Mark(kind), singular=False)
        for r, rule in enumerate(catalogue.coherence):
            for word in rule.when:
                self.matcher.add(word, _Mark("coherence", r))
        vague = catalogue.vague
        self.not_content = frozenset(w.lower() for w in (*vague.words, *vague.stopwords))
        self._cache: dict[str, _Reading] = {}
        self._weighed: dict[tuple[str, str, str], _Weighed] = {}

    def read(self, text: str) -> _Reading:
        reading = self._cache.get(text)
        if reading is None:
            if len(self._cache) > 2048:
                self._cache.clear()
            reading = self._cache[text] = _read(self, text)
        return reading

    def weigh(self, catalogue: Catalogue, qid: str, text: str, section: str) -> _Weighed:
        key = (qid, text, section)
        weighed = self._weighed.get(key)
        if weighed is None:
            if len(self._weighed) > 2048:
                self._weighed.clear()
            weighed = self._weighed[key] = _weigh(self, catalogue, qid, text, section)
        return weighed


def _compiled(catalogue: Catalogue) -> _Compiled:
    compiled = getattr(catalogue, "_compiled", None)
    if compiled is None:
        compiled = _Compiled(catalogue)
        catalogue._compiled = compiled  # type: ignore[attr-defined]
    return compiled


# ---------------------------------------------------------------------------------------
# Reading one answer


def _overlaps(a: Hit, first: int, last: int) -> bool:
    return a.first <= last and first <= a.last


def _read(compiled: _Compiled, text: str) -> _Reading:
    tokens = tokenize(text, compiled.breakers)
    hits = compiled.matcher.find(tokens)
    masked: set[int] = set()
    for hit in hits:
        if isinstance(hit.phrase.payload, _Mark) and hit.phrase.payload.kind == "ignore":
            masked.update(range(hit.first, hit.last + 1))
    live = [
        h
        for h in hits
        if not (isinstance(h.phrase.payload, _Mark) and h.phrase.payload.kind == "ignore")
        and not masked.intersection(range(h.first, h.last + 1))
    ]
    marks: dict[str, list[Hit]] = {}
    for hit in live:
        if isinstance(hit.phrase.payload, _Mark):
            marks.setdefault(hit.phrase.payload.kind, []).append(hit)
    # A negator inside a longer signal ("no frills", "not-for-profit") is part of it.
    phrases = [
        h
        for h in live
        if h.last > h.first
        and GAP_SPEC not in h.phrase.specs
        and (
            isinstance(h.phrase.payload, _Signal | _Cue)
            or (isinstance(h.phrase.payload, _Mark) and h.phrase.payload.kind == "coherence")
        )
    ]
    negators = [
        (h.first, h.last)
        for h in marks.get("negator", [])
        if not any(p.first <= h.first and h.last <= p.last and p.last > h.last for p in phrases)
    ]
    negators += [(i, i) for i, t in enumerate(tokens) if t.norm.endswith("n't") and i not in masked]
    excluded: dict[int, list[Hit]] = {}
    for hit in marks.get("exclude", []):
        excluded.setdefault(hit.phrase.payload.ref, []).append(hit)  # type: ignore[union-attr]

    def negated(first: int, last: int, gap: bool = False) -> bool:
        for n_first, n_last in negators:
            if n_first >= first and n_last <= last:
                if gap:  # a negator in the words a "..." skipped negates ("have no shop")
                    return True
                continue  # the negator is part of the phrase ("no frills")
            if (
                n_last < first
                and first - n_last <= compiled.window
                and tokens[n_last].clause == tokens[first].clause
            ):
                return True
        return False

    partners = [h for h in marks.get("partner", []) if not negated(h.first, h.last)]
    owners = [
        h for h in marks.get("own", []) if not any(_overlaps(p, h.first, h.last) for p in partners)
    ]

    def who(first: int, last: int) -> str:
        sentence = tokens[first].sentence
        if any(_overlaps(p, first, last) for p in partners):
            return "partner"
        best: tuple[int, str] | None = None
        for kind, group in (("partner", partners), ("own", owners)):
            for h in group:
                if (
                    h.last < first
                    and tokens[h.last].sentence == sentence
                    and (best is None or h.last > best[0])
                ):
                    best = (h.last, kind)
        if best is not None:
            return best[1]
        after: tuple[int, str] | None = None
        for kind, group in (("partner", partners), ("own", owners)):
            for h in group:
                if (
                    h.first > last
                    and tokens[h.first].clause == tokens[last].clause
                    and (after is None or h.first < after[0])
                ):
                    after = (h.first, kind)
        return after[1] if after is not None else "own"

    not_customer = marks.get("notcustomer", [])
    customer_marks = [
        h
        for h in marks.get("customer", [])
        if not any(_overlaps(n, h.first, h.last) for n in not_customer)
    ]

    def about_customer(first: int) -> bool:
        for h in customer_marks:
            if h.last < first and first - h.last <= compiled.customer_window:
                between = range(h.last + 1, first)
                if tokens[h.last].clause == tokens[first].clause and not any(
                    tokens[i].norm in compiled.customer_stops for i in between
                ):
                    return True
        return False

    def in_sentence_partner(first: int) -> bool:
        sentence = tokens[first].sentence
        return any(tokens[p.first].sentence == sentence for p in partners)

    # Signals and cues: per activity, overlapping matches keep the strongest.
    kept: list[Hit] = []
    for hit in live:
        payload = hit.phrase.payload
        if isinstance(payload, _Signal):
            if any(_overlaps(x, hit.first, hit.last) for x in excluded.get(payload.activity, [])):
                continue
            kept.append(hit)
        elif isinstance(payload, _Cue) or (
            isinstance(payload, _Mark) and payload.kind == "coherence"
        ):
            kept.append(hit)

    def strength(hit: Hit) -> tuple[float, int, int]:
        payload = hit.phrase.payload
        weight = payload.weight if isinstance(payload, _Signal | _Cue) else 0.0
        return (weight, hit.last - hit.first, -hit.first)

    chosen: list[Hit] = []
    taken: dict[tuple[str, object], list[Hit]] = {}
    for hit in sorted(kept, key=strength, reverse=True):
        group = taken.setdefault(_group_key(hit), [])
        if any(_overlaps(c, hit.first, hit.last) for c in group):
            continue
        group.append(hit)
        chosen.append(hit)
    chosen.sort(key=lambda h: (h.first, h.last, h.phrase.source))

    mentions = []
    for hit in chosen:
        if negated(hit.first, hit.last, GAP_SPEC in hit.phrase.specs):
            mode = "partner" if in_sentence_partner(hit.first) else "negated"
        else:
            mode = who(hit.first, hit.last)
        mentions.append(
            _Mention(
                hit.phrase.payload,  # type: ignore[arg-type]
                hit.phrase.source,
                hit.first,
                hit.last,
                tokens[hit.first].start,
                tokens[hit.last].end,
                mode,
                hit.fuzzy,
                any(
                    tokens[i].norm not in compiled.not_content
                    for i in range(hit.first, hit.last + 1)
                ),
                about_customer(hit.first),
            )
        )
    content = sum(1 for t in tokens if t.norm not in compiled.not_content and not t.norm.isdigit())
    return _Reading(tuple(tokens), tuple(mentions), content)


def _group_key(hit: Hit) -> tuple[str, object]:
    payload = hit.phrase.payload
    if isinstance(payload, _Signal):
        return ("signal", payload.activity)
    if isinstance(payload, _Cue):
        return ("cue", payload.type)
    return ("mark", payload)


# ---------------------------------------------------------------------------------------
# Inference


@dataclass
class _Tally:
    contributions: list[tuple[float, int, Evidence, str]] = field(default_factory=list)
    negations: list[Evidence] = field(default_factory=list)


def _section_of(qid: str, sections: Mapping[str, str] | None) -> str:
    if sections and qid in sections:
        return sections[qid]
    return qid.split(".", 1)[0]


def _question_weight(qid: str, weights: Mapping[str, float]) -> float:
    while True:
        if qid in weights:
            return weights[qid]
        if not qid.endswith(".more"):
            return 1.0
        qid = qid[: -len(".more")]


def _factor(group_sections: tuple[str, ...], section: str) -> float:
    if not group_sections or section in group_sections:
        return 1.0
    return 0.0 if section in GUIDING else OFF_SECTION_FACTOR


def _decayed(values: Sequence[float], decay: float) -> float:
    return sum(v * decay**i for i, v in enumerate(sorted(values, reverse=True)))


def _context(text: str, reading: _Reading, mention: _Mention) -> str:
    """The words around a mention, for a rationale: its sentence up to 8 words each side,
    else its clause, else the mention itself (whatever stays short enough to read)."""
    tokens = reading.tokens
    for unit in ("sentence", "clause"):
        group = getattr(tokens[mention.first], unit)
        first, last = mention.first, mention.last
        while first > 0 and getattr(tokens[first - 1], unit) == group and mention.first - first < 8:
            first -= 1
        while (
            last + 1 < len(tokens)
            and getattr(tokens[last + 1], unit) == group
            and last - mention.last < 8
        ):
            last += 1
        while last > mention.last and tokens[last].norm in _DANGLING:
            last -= 1
        while first < mention.first and tokens[first].norm in _DANGLING:
            first += 1
        quote = " ".join(text[tokens[first].start : tokens[last].end].split())
        if len(quote) <= QUOTE_LIMIT:
            return quote
    return " ".join(text[mention.start : mention.end].split())


def _weigh(
    compiled: _Compiled, catalogue: Catalogue, qid: str, text: str, section: str
) -> _Weighed:
    """Weigh one answer's mentions for its question and guiding section."""
    activities = compiled.activities
    qweight = _question_weight(qid, catalogue.question_weights)
    reading = compiled.read(text)
    per_phrase: dict[tuple[int, str], tuple[float, _Mention]] = {}
    cues: dict[tuple[str, str], float] = {}
    promises: list[tuple[int, str]] = []
    total = 0.0
    for m in reading.mentions:
        payload = m.payload
        if isinstance(payload, _Signal):
            activity = activities[payload.activity]
            weight = payload.weight * _factor(payload.sections, section) * qweight
            weight *= activity.section_weight(section)
            if m.about_customer:
                weight *= CUSTOMER_FACTOR
            if weight <= 0:
                continue
            if m.fuzzy:
                weight *= FUZZY_FACTOR
            if m.mode == "partner" and activity.partner_sensitive:
                weight *= PARTNER_FACTOR
            if m.informative:  # a negation is information too ("we have no app")
                total += weight
            key = (payload.activity, m.source)
            if key not in per_phrase or weight > per_phrase[key][0]:
                per_phrase[key] = (weight, m)
        elif isinstance(payload, _Cue):
            if m.mode == "negated":
                continue
            weight = payload.weight * _factor(payload.sections, section) * qweight
            if m.about_customer:
                weight *= CUSTOMER_FACTOR
            if weight > 0:
                cues[(payload.type, m.source)] = max(cues.get((payload.type, m.source), 0), weight)
                if m.informative:
                    total += weight * 0.5
        elif isinstance(payload, _Mark) and m.mode != "negated":
            promises.append((payload.ref, text[m.start : m.end]))
    vague = catalogue.vague
    if total < vague.min_weight and reading.content_words < vague.min_content:
        return _Weighed(vague=True)
    items = []
    contexts: dict[int, str] = {}
    for (index, _source), (weight, m) in per_phrase.items():
        activity = activities[index]
        mode = m.mode if (m.mode != "partner" or activity.partner_sensitive) else "own"
        evidence = Evidence(
            qid, text[m.start : m.end], m.start, m.end, m.source, mode, round(weight, 4)
        )
        target = compiled.index.get(activity.partner_to) if mode == "partner" else None
        items.append((index, weight, evidence, m.mode == "negated", target))
        if m.start not in contexts:
            contexts[m.start] = _context(text, reading, m)
    return _Weighed(
        False,
        tuple(items),
        tuple((t, w) for (t, _source), w in cues.items()),
        tuple(promises),
        contexts,
    )


def infer(
    answers: Mapping[str, str],
    catalogue: Catalogue,
    *,
    sections: Mapping[str, str] | None = None,
) -> Inference:
    """Infer the key activities, the business type, focus, warnings and probes."""
    compiled = _compiled(catalogue)
    activities = compiled.activities
    order = {s: i for i, s in enumerate(GUIDING)}
    qids = sorted(
        (q for q, t in answers.items() if isinstance(t, str) and t.strip()),
        key=lambda q: (order.get(_section_of(q, sections), len(order)), q),
    )
    tallies: dict[int, _Tally] = {}
    cue_points: dict[str, list[float]] = {t: [] for t in CORE_TYPES}
    contexts: dict[tuple[str, int], str] = {}
    promises: dict[int, tuple[str, str]] = {}
    warnings: list[Advice] = []
    probes: dict[str, str] = {}

    for qid in qids:
        section = _section_of(qid, sections)
        weighed = compiled.weigh(catalogue, qid, answers[qid], section)
        if weighed.vague:
            if not (answers.get(qid + ".more") or "").strip():
                vague = catalogue.vague
                follow = "" if qid.endswith(".more") else " A follow-up question asks for more."
                warnings.append(Advice("vague", vague.message + follow, question=qid))
                if not qid.endswith(".more"):
                    probes[qid] = vague.probe_for(section)
            continue
        for type_, weight in weighed.cues:
            cue_points[type_].append(weight)
        for ref, quote in weighed.promises:
            promises.setdefault(ref, (qid, quote))
        contexts.update({(qid, start): text for start, text in weighed.contexts.items()})
        rank = order.get(section, len(order))
        for index, weight, evidence, negated, target in weighed.items:
            tally = tallies.setdefault(index, _Tally())
            if negated:
                tally.negations.append(evidence)
                continue
            tally.contributions.append((weight, rank, evidence, section))
            if target is not None:
                managed = replace(evidence, rule=evidence.rule + PARTNER_RULE, mode="own")
                tallies.setdefault(target, _Tally()).contributions.append(
                    (weight, rank, managed, section)
                )

    cue_raw = {t: _decayed(cue_points[t], CUE_DECAY) for t in CORE_TYPES}
    factors: dict[int, tuple[float, str]] = {}
    strongest = max(cue_raw.values())
    for rule in catalogue.adjust:
        points = cue_raw[rule.type]
        if rule.min_cue > 0 and not (points >= rule.min_cue and points >= LEAD * strongest):
            continue
        if points >= rule.max_cue:
            continue
        for ident in rule.activities:
            if ident in compiled.index:
                old = factors.get(compiled.index[ident], (1.0, ""))
                reason = "; ".join(r for r in (old[1], rule.reason) if r)
                factors[compiled.index[ident]] = (old[0] * rule.factor, reason)

    raws: dict[int, float] = {}
    for index, tally in tallies.items():
        if tally.contributions:
            activity = activities[index]
            raw = _decayed([c[0] for c in tally.contributions], DECAY)
            raw *= CATEGORY_FACTOR.get(activity.category, 1.0)
            raws[index] = raw * factors.get(index, (1.0, ""))[0]
    # The type mix comes from these scores; then core activities of another type than
    # the dominant one are ranked a little lower (they rarely are the key ones).
    mix, dominant = _mix(_type_points({i: _score(r) for i, r in raws.items()}, activities), cue_raw)
    runner_up = sorted(mix.values())[-2]
    if (
        dominant in CORE_TYPES
        and mix[dominant] >= OFF_TYPE_MIN_SHARE
        and mix[dominant] - runner_up >= OFF_TYPE_MARGIN
    ):
        for index in raws:
            category = activities[index].category
            if category in CORE_TYPES and category != dominant:
                raws[index] *= OFF_TYPE_FACTOR

    built: list[tuple[tuple, Candidate]] = []
    for index, raw in raws.items():
        tally = tallies[index]
        activity = activities[index]
        score = _score(raw)
        if score <= 0:
            continue
        ranked = sorted(tally.contributions, key=lambda c: (-c[0], c[1], c[2].question, c[2].start))
        evidence = _unique(c[2] for c in ranked)
        serves = tuple(s for s in GUIDING if any(c[3] == s for c in tally.contributions))
        partner_modes = [e for e in evidence if e.mode == "partner"]
        partner = bool(partner_modes) or activity.partner_default
        best = evidence[0]
        quote = contexts.get((best.question, best.start), best.quote)
        section = _section_of(best.question, sections)
        name = activity.name[:1].lower() + activity.name[1:]
        if best.rule.endswith(PARTNER_RULE):
            rationale = (
                f'You said "{quote}": someone else does this for you, so {name} — '
                "choosing that partner and managing the relationship — is the key activity."
            )
        elif len(partner_modes) == len(evidence):
            hint = activity.partner_hint or "partner"
            rationale = (
                f'You said "{quote}": {name} is done by a partner, so it stays key, '
                f"and choosing and managing that {hint} well is the real activity."
            )
        else:
            why = activity.why_for(section) or activity.description.rstrip(".").lower()
            rationale = f'You said "{quote}": {why}.'
        if index in factors and factors[index][1]:
            rationale = rationale[:-1] + f" (weighted down: {factors[index][1]})."
        candidate = Candidate(
            id=activity.id,
            name=activity.name,
            category=activity.category,
            score=score,
            evidence=evidence,
            rationale=rationale,
            kpis=activity.kpis,
            partner_candidate=partner,
            partner_hint=activity.partner_hint,
            serves=serves,
        )
        key = (
            -score,
            -len(evidence),
            -len(serves),
            CATEGORIES.index(activity.category) if activity.category in CATEGORIES else 9,
            index,
        )
        built.append((key, candidate))
    built.sort(key=lambda kc: kc[0])
    candidates = [c for _, c in built]

    candidates = _focus(candidates, dominant)
    warnings += _coherence(catalogue, compiled, candidates, tallies, promises, contexts)
    strong = [c for c in candidates if c.score >= REAL_EVIDENCE]
    if len(strong) > BLOAT_LIMIT:
        rest = ", ".join(c.name for c in strong[TOP_FOCUS:])
        warnings.append(
            Advice(
                "bloat",
                f"{len(strong)} activities have real evidence. A long list of 'key' "
                "activities is a warning sign: focus on the top three and treat the rest "
                f"({rest}) as supporting or as work for partners.",
                tuple(c.id for c in strong[TOP_FOCUS:]),
            )
        )
    return Inference(tuple(candidates), mix, dominant, tuple(warnings), probes)


def _unique(evidence: object) -> tuple[Evidence, ...]:
    seen: set[tuple[str, int, int]] = set()
    out = []
    for e in evidence:  # type: ignore[attr-defined]
        key = (e.question, e.start, e.end)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return tuple(out)


def _score(raw: float) -> float:
    return round(1.0 - math.exp(-raw / SCALE), 4)


def _type_points(scores: Mapping[int, float], activities: Sequence) -> dict[str, float]:
    points: dict[str, float] = {}
    for index, score in scores.items():
        activity = activities[index]
        points[activity.category] = (
            points.get(activity.category, 0.0) + activity.type_weight * score**TYPE_POWER
        )
    return points


def _mix(type_points: Mapping[str, float], cue_raw: Mapping[str, float]) -> tuple[dict, str]:
    """The type mix from activity points per category plus cue points (supporting ignored)."""
    points = {t: CUE_FACTOR * cue_raw[t] + type_points.get(t, 0.0) for t in CORE_TYPES}
    total = sum(points.values())
    if total <= 0:
        return {t: 0.0 for t in CORE_TYPES}, "unknown"
    mix = {t: round(points[t] / total, 4) for t in CORE_TYPES}
    dominant = max(CORE_TYPES, key=lambda t: (points[t], -CORE_TYPES.index(t)))
    mix[dominant] = round(mix[dominant] + 1.0 - sum(mix.values()), 4)
    return mix, dominant


def _focus(candidates: list[Candidate], dominant: str) -> list[Candidate]:
    out = []
    for rank, c in enumerate(candidates):
        if rank >= TOP_FOCUS:
            out.append(c)
            continue
        where = _join([_SECTION_LABEL[s] for s in c.serves]) or "your answers"
        mentions = f"{len(c.evidence)} mention{'s' if len(c.evidence) != 1 else ''}"
        lead = "the strongest evidence" if rank == 0 else "the next strongest evidence"
        reason = f"Priority {rank + 1}: {lead} in your answers ({mentions}, about {where})"
        if c.category == dominant and dominant in _TYPE_LABEL:
            reason += f", and it is core to a {_TYPE_LABEL[dominant]} business"
        elif c.category == "supporting":
            reason += "; it supports the core work rather than being it"
        if c.partner_candidate:
            reason += f"; consider whether a {c.partner_hint or 'partner'} could do it"
        out.append(replace(c, priority=rank + 1, focus_reason=reason + "."))
    return out


def _coherence(
    catalogue: Catalogue,
    compiled: _Compiled,
    candidates: Sequence[Candidate],
    tallies: Mapping[int, _Tally],
    promises: Mapping[int, tuple[str, str]],
    contexts: Mapping[tuple[str, int], str],
) -> list[Advice]:
    out: list[Advice] = []
    strong = {c.id: c for c in candidates if c.score >= COHERENCE_MIN}
    for r, rule in enumerate(catalogue.coherence):
        if r not in promises:
            continue
        hit = [strong[i] for i in rule.activities if i in strong]
        if hit:
            qid, quote = promises[r]
            names = " and ".join(c.name.lower() for c in hit)
            out.append(
                Advice(
                    "coherence",
                    f'You said "{quote}". ' + rule.message.replace("{activity}", names),
                    tuple(c.id for c in hit),
                    qid,
                )
            )
    for index, tally in sorted(tallies.items()):
        ident = compiled.activities[index].id
        if tally.negations and ident in strong:
            neg = tally.negations[0]
            pos = strong[ident].evidence[0]
            out.append(
                Advice(
                    "coherence",
                    f'You said "{contexts.get((neg.question, neg.start), neg.quote)}" but also '
                    f'"{contexts.get((pos.question, pos.start), pos.quote)}": '
                    f"{strong[ident].name.lower()} cannot be both absent and key. Which is it?",
                    (ident,),
                    neg.question,
                )
            )
    return out


def derive_blocks(
    activities: Sequence[tuple[str, bool]], catalogue: Catalogue
) -> dict[str, list[str]]:
    """Key resources, key partners and cost structure from the kept activities."""
    blocks: dict[str, list[str]] = {"key_resources": [], "key_partners": [], "cost_structure": []}

    def add(block: str, item: str) -> None:
        if item and item not in blocks[block]:
            blocks[block].append(item)

    for ident, partner in activities:
        activity = catalogue.get(ident) if catalogue is not None else None
        if activity is None:
            continue
        for resource in activity.resources:
            add("key_resources", resource)
        for cost in activity.costs:
            add("cost_structure", cost)
        if partner:
            hint = activity.partner_hint or "a partner"
            add("key_partners", f"{hint[:1].upper()}{hint[1:]} ({activity.name.lower()})")
    return blocks
