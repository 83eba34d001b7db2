"""The audit of a draft: each drafted line against what the answers show.

`audit_draft()` maps each line (`mapping.map_line`) and gives it one verdict, checked in
this order:

* **generic**: the line is mostly work every company does (HR, accounting, office
  management, legal, social media...: drafts.toml ``[[generic]]``), unless the
  value-proposition answers name that same work (it is what the business sells) or the
  answers make its activity one of the key ones;
* **duplicate**: an earlier line maps to the same activity;
* **miscategorised**: the answers support the line, but the founder's label names another
  category than the activity's ("Production: customer onboarding" is problem solving); a
  wrongly labelled line that nothing needs is **unsupported**, its reason noting the label;
* **supported**: the inference scores the activity at least ``supported_min_score`` from
  the answers; the reason quotes the answer. A custom line is supported when one sentence
  of an answer holds all its words;
* **unsupported**: nothing in the answers needs it (the reason asks about it).

Then **missing**: the activities the answers make key (`key_ids`, the canvas's rule) that
no drafted line maps to, each with the answer that demands it.

Pure: the same draft, answers and inference give the same audit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from canvas_tui.core.draft import VERDICTS
from canvas_tui.core.draft.mapping import Mapped, generic_matcher, map_line
from canvas_tui.core.draft.parse import Draft, DraftLine
from canvas_tui.core.draft.rules import DraftRules, Generic, default_rules
from canvas_tui.core.inference.catalogue import Catalogue
from canvas_tui.core.inference.results import Candidate, Inference
from canvas_tui.core.inference.text import tokenize
from canvas_tui.core.inference.weighing import section_of

__all__ = ["KEPT", "VERDICTS", "DraftAudit", "Missing", "Verdict", "audit_draft"]
#: Verdicts whose line stays in the canvas ("kept from your draft").
KEPT = frozenset({"supported", "miscategorised"})
#: How many activities the answers make key when the caller does not say (the canvas's
#: rule before any review: the focus, then the next best, five in all).
DEFAULT_KEY = 5
#: Characters of an answer a reason quotes at most (the quote is cut at a word).
QUOTE_CHARS = 160


@dataclass(frozen=True)
class Verdict:
    """One drafted line, audited."""

    text: str
    line: int
    id: str
    name: str
    category: str
    verdict: str
    reason: str
    #: the founder's label (a category id) and how they wrote it
    label: str = ""
    label_text: str = ""
    #: the answer that supports it (question id and its exact words), if any
    question: str = ""
    quote: str = ""
    #: the generic-work entry (drafts.toml) the line is made of, if any
    generic: str = ""

    @property
    def kept(self) -> bool:
        return self.verdict in KEPT


@dataclass(frozen=True)
class Missing:
    """An activity the answers demand that the draft lacks."""

    id: str
    name: str
    category: str
    reason: str
    question: str = ""
    quote: str = ""


@dataclass(frozen=True)
class DraftAudit:
    verdicts: tuple[Verdict, ...]
    missing: tuple[Missing, ...] = ()
    #: notes on the whole draft (a job description, too long to focus)
    notes: tuple[str, ...] = ()

    @property
    def kept(self) -> tuple[Verdict, ...]:
        return tuple(v for v in self.verdicts if v.kept)

    @property
    def dropped(self) -> tuple[Verdict, ...]:
        return tuple(v for v in self.verdicts if not v.kept)

    @property
    def missing_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.missing)


def _short(quote: str) -> str:
    quote = " ".join(quote.split())
    if len(quote) <= QUOTE_CHARS:
        return quote
    return quote[:QUOTE_CHARS].rsplit(" ", 1)[0] + "…"


def key_candidates(inference: Inference, count: int = DEFAULT_KEY) -> tuple[str, ...]:
    """The activities the answers make key when the caller gives none: the focus, then the
    best of the rest, `count` in all."""
    ranked = sorted(
        enumerate(inference.candidates),
        key=lambda ic: (ic[1].priority == 0, ic[1].priority, ic[0]),
    )
    return tuple(c.id for _, c in ranked[:count])


class _Auditor:
    def __init__(
        self,
        answers: Mapping[str, str],
        inference: Inference,
        catalogue: Catalogue,
        sections: Mapping[str, str] | None,
        key_ids: Sequence[str],
        rules: DraftRules,
    ) -> None:
        self.answers = {q: t for q, t in answers.items() if isinstance(t, str) and t.strip()}
        self.catalogue = catalogue
        self.rules = rules
        self.sections = sections
        self.key_ids = tuple(key_ids)
        self.candidates: dict[str, Candidate] = {c.id: c for c in inference.candidates}
        self.generic = generic_matcher(rules, catalogue)

    # -- evidence ------------------------------------------------------------------------
    def support(self, mapped: Mapped) -> tuple[str, str, bool]:
        """(question, quote, strong) of the answers' evidence for a mapped activity."""
        candidate = self.candidates.get(mapped.id)
        if candidate is None or not candidate.evidence:
            return "", "", False
        best = candidate.evidence[0]
        strong = candidate.score >= self.rules.supported_min_score
        return best.question, best.quote, strong

    def sold(self, entry: Generic) -> tuple[str, str]:
        """Where a value-proposition answer names this generic work ("we do bookkeeping
        for small firms"): then it is what the business sells. ("", "") when none does."""
        for qid, text in self.answers.items():
            if section_of(qid, self.sections) != "value_proposition":
                continue
            tokens = tokenize(text)
            for hit in self.generic.hits(tokens):
                if hit.phrase.payload != entry:
                    continue
                before = tokens[max(0, hit.first - 3) : hit.first]
                if any(t.norm in self.generic.negators for t in before):
                    continue
                return qid, text[tokens[hit.first].start : tokens[hit.last].end]
        return "", ""

    def custom_support(self, text: str) -> tuple[str, str]:
        """One answer sentence holding every content word of a custom line."""
        wanted = {_stem(t.norm) for t in tokenize(text) if t.norm not in self.generic.not_content}
        if not wanted or len(wanted) > 6:
            return "", ""
        for qid, answer in self.answers.items():
            sentence: dict[str, tuple[int, int]] = {}
            current = -1
            for token in tokenize(answer):
                if token.sentence != current:
                    current, sentence = token.sentence, {}
                stem = _stem(token.norm)
                if stem in wanted:
                    start, _ = sentence.get(stem, (token.start, token.end))
                    sentence[stem] = (start, token.end)
                    if len(sentence) == len(wanted):
                        first = min(s for s, _ in sentence.values())
                        last = max(e for _, e in sentence.values())
                        return qid, answer[first:last]
        return "", ""

    # -- verdicts ------------------------------------------------------------------------
    def run(self, draft: Draft) -> DraftAudit:
        verdicts: list[Verdict] = []
        seen: dict[str, Verdict] = {}
        for line in draft.lines:
            mapped = map_line(line.text, self.catalogue, self.rules)
            sold: tuple[str, str] = ("", "")
            if mapped.generic is not None:
                sold = self.sold(mapped.generic)
                if sold[1]:  # what the business sells: the catalogue decides the activity
                    generic = mapped.generic
                    mapped = map_line(line.text, self.catalogue, self.rules, generic_work=False)
                    mapped = replace(mapped, generic=generic)
            verdict = self.judge(line, mapped, seen, sold)
            if verdict.verdict != "generic" and verdict.id not in seen:
                # a line without a number (a TOML list) is named by its place in the list
                seen[verdict.id] = replace(verdict, line=verdict.line or len(verdicts) + 1)
            verdicts.append(verdict)
        missing = []
        for activity_id in self.key_ids:
            if activity_id in seen:
                continue
            candidate = self.candidates.get(activity_id)
            activity = self.catalogue.get(activity_id)
            if candidate is None and activity is None:
                continue
            name = candidate.name if candidate else activity.name  # type: ignore[union-attr]  # not both None: checked above
            category = candidate.category if candidate else activity.category  # type: ignore[union-attr]  # as above
            evidence = candidate.evidence[0] if candidate and candidate.evidence else None
            question, quote = (evidence.question, evidence.quote) if evidence else ("", "")
            reason = (
                self.rules.reason("missing", quote=_short(quote), question=question, name=name)
                if evidence
                else self.rules.reason("unsupported")
            )
            missing.append(Missing(activity_id, name, category, reason, question, quote))
        notes = []
        if any(v.verdict == "generic" for v in verdicts):
            notes.append(self.rules.reason("job_description"))
        if len(verdicts) > self.rules.focus_max:
            notes.append(self.rules.reason("draft_bloat", count=len(verdicts)))
        return DraftAudit(tuple(verdicts), tuple(missing), tuple(notes))

    def judge(
        self,
        line: DraftLine,
        mapped: Mapped,
        seen: Mapping[str, Verdict],
        sold: tuple[str, str] = ("", ""),
    ) -> Verdict:
        base = Verdict(
            text=line.text,
            line=line.line,
            id=mapped.id,
            name=mapped.name,
            category=mapped.category,
            verdict="",
            reason="",
            label=line.label,
            label_text=line.label_text,
            generic=mapped.generic.id if mapped.generic else "",
        )
        supported = "supported"
        if sold[1]:  # generic work that the value proposition sells
            (question, quote), strong, supported = sold, True, "supported_vp"
        elif mapped.custom:
            question, quote = self.custom_support(line.text)
            strong = bool(quote)
        else:
            question, quote, strong = self.support(mapped)
        made_key = mapped.id in self.key_ids and strong
        if mapped.generic is not None and not sold[1] and not made_key:
            return replace(base, verdict="generic", reason=mapped.generic.reason)
        first = seen.get(mapped.id)
        if first is not None:
            reason = self.rules.reason(
                "duplicate", line=first.line, first=first.text, name=mapped.name
            )
            return replace(base, verdict="duplicate", reason=reason)
        relabel = ""
        if line.label and mapped.category and line.label != mapped.category:
            relabel = self.rules.reason(
                "miscategorised",
                label=(line.label_text or line.label).lower(),
                name=mapped.name,
                category=self.rules.categories.get(mapped.category, mapped.category),
            )
            if strong:  # kept, with the catalogue's category
                reason = relabel + self.rules.reason(
                    "miscategorised_support", quote=_short(quote), question=question
                )
                return replace(
                    base, verdict="miscategorised", reason=reason, question=question, quote=quote
                )
        if strong:
            reason = self.rules.reason(supported, quote=_short(quote), question=question)
            return replace(base, verdict="supported", reason=reason, question=question, quote=quote)
        if quote:
            reason = self.rules.reason("weak", quote=_short(quote), question=question)
        else:
            reason = self.rules.reason("unsupported")
        # a wrong label on a line nothing needs: unsupported first, the label noted
        return replace(base, verdict="unsupported", reason=f"{relabel} {reason}".strip())


def _stem(word: str) -> str:
    """A rough common stem, enough to find "roasting" in "we roast": drop one ending."""
    for ending in ("ing", "ies", "es", "ed", "s"):
        if len(word) > len(ending) + 2 and word.endswith(ending):
            return word[: -len(ending)]
    return word


def audit_draft(
    draft: Draft,
    answers: Mapping[str, str],
    inference: Inference,
    catalogue: Catalogue,
    *,
    sections: Mapping[str, str] | None = None,
    key_ids: Sequence[str] | None = None,
    rules: DraftRules | None = None,
) -> DraftAudit:
    """Audit a draft against the answers and their inference.

    `key_ids`: the activities the answers make key, best first (the canvas passes its own
    rule's list); without it, `key_candidates(inference)`.
    """
    rules = rules or default_rules()
    keys = key_candidates(inference) if key_ids is None else tuple(key_ids)
    return _Auditor(answers, inference, catalogue, sections, keys, rules).run(draft)
