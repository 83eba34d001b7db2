"""The data of the draft audit (`question_banks/default/drafts.toml`), read once.

Labels, block headings, generic work and the sentences of each verdict are domain
knowledge: they live in the TOML file, and this module only turns them into plain data.
A broken file is a `BankError` naming it, never a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from canvas_tui.core.errors import BankError
from canvas_tui.core.inference.catalogue import CATEGORIES
from canvas_tui.core.inputs import parse_toml, read_input_text
from canvas_tui.resources import default_bank_dir

FILE = "drafts.toml"
REASONS = (
    "supported",
    "supported_vp",
    "weak",
    "unsupported",
    "duplicate",
    "miscategorised",
    "miscategorised_support",
    "missing",
    "job_description",
    "draft_bloat",
)
#: Words a label may carry around the category itself ("Key activities: production").
_LABEL_NOISE = frozenset({"key", "activity", "activities", "type", "types", "kind", "category"})
_NON_WORD = re.compile(r"[^0-9a-z]+")


def label_key(text: str) -> str:
    """The comparable form of a label or heading: lower case, words only, noise dropped."""
    words = _NON_WORD.sub(" ", text.lower()).split()
    return " ".join(w for w in words if w not in _LABEL_NOISE)


def heading_key(text: str) -> str:
    """The comparable form of a heading: lower case, words only."""
    return " ".join(_NON_WORD.sub(" ", text.lower()).split())


@dataclass(frozen=True)
class Generic:
    """Work every company does (HR, accounting...): supporting, not the value."""

    id: str
    words: tuple[str, ...]
    reason: str
    activity: str = ""


@dataclass(frozen=True)
class DraftRules:
    supported_min_score: float = 0.4
    focus_max: int = 7
    #: label key -> category ("platform" -> "platform_network")
    labels: dict[str, str] = field(default_factory=dict)
    #: category -> the words a "miscategorised" reason uses for it
    categories: dict[str, str] = field(default_factory=dict)
    #: heading key -> block id ("key activities" -> "key_activities")
    blocks: dict[str, str] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    generic: tuple[Generic, ...] = ()

    def label(self, text: str) -> str:
        """The category a label names, or ""."""
        return self.labels.get(label_key(text), "")

    def block(self, heading: str) -> str:
        """The canvas block a heading names, or ""."""
        return self.blocks.get(heading_key(heading), "")

    def reason(self, kind: str, **values: object) -> str:
        return self.reasons[kind].format_map({k: str(v) for k, v in values.items()})


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def read_rules(path: Path) -> DraftRules:
    """Read and check a drafts.toml; `BankError` naming the file and key on a problem."""
    data = parse_toml(read_input_text(path, BankError, what="draft rules file"), path, BankError)

    def fail(where: str, problem: str) -> BankError:
        return BankError(f"'{where}' {problem}", file=path)

    audit = data.get("audit", {})
    threshold = audit.get("supported_min_score", 0.4) if isinstance(audit, dict) else None
    if isinstance(threshold, bool) or not isinstance(threshold, int | float):
        raise fail("audit.supported_min_score", "must be a number")
    focus_max = audit.get("focus_max", 7)
    if isinstance(focus_max, bool) or not isinstance(focus_max, int) or focus_max < 1:
        raise fail("audit.focus_max", "must be a whole number above 0")
    labels: dict[str, str] = {}
    for category, words in dict(data.get("labels", {})).items():
        if category not in CATEGORIES or not _strings(words):
            raise fail(f"labels.{category}", "must be a category with a list of words")
        labels.update({label_key(w): category for w in words if label_key(w)})
    categories = dict(data.get("categories", {}))
    if set(categories) != set(CATEGORIES) or not all(
        isinstance(v, str) for v in categories.values()
    ):
        raise fail("categories", f"must give a sentence for each of {', '.join(CATEGORIES)}")
    blocks: dict[str, str] = {}
    for block, words in dict(data.get("blocks", {})).items():
        if not _strings(words):
            raise fail(f"blocks.{block}", "must be a list of headings")
        blocks.update({heading_key(w): block for w in words if heading_key(w)})
    if "key_activities" not in blocks.values():
        raise fail("blocks.key_activities", "is missing")
    reasons = dict(data.get("reasons", {}))
    absent = [r for r in REASONS if not isinstance(reasons.get(r), str)]
    if absent:
        raise fail("reasons", f"lacks {', '.join(absent)}")
    generic = []
    for i, entry in enumerate(data.get("generic", [])):
        if not isinstance(entry, dict):
            raise fail(f"generic[{i}]", "must be a table")
        ident, words, reason = entry.get("id"), entry.get("words"), entry.get("reason")
        activity = entry.get("activity", "")
        if not isinstance(ident, str) or not _strings(words) or not isinstance(reason, str):
            raise fail(f"generic[{i}]", "needs id, words (a list) and reason")
        if not isinstance(activity, str):
            raise fail(f"generic[{i}].activity", "must be an activity id")
        generic.append(Generic(ident, tuple(str(w) for w in words or ()), reason, activity))
    return DraftRules(
        supported_min_score=float(threshold),
        focus_max=focus_max,
        labels=labels,
        categories={k: str(v) for k, v in categories.items()},
        blocks=blocks,
        reasons={k: str(v) for k, v in reasons.items()},
        generic=tuple(generic),
    )


@lru_cache(maxsize=1)
def default_rules() -> DraftRules:
    """The rules of the default bank."""
    return read_rules(default_bank_dir() / FILE)
