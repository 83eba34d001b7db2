"""The meaning layer: answers compared with what each activity means, not only its words.

The rules (`matching`, `weighing`, `scoring`) find the phrases the catalogue lists. This
layer adds two things on top, so that phrasings nobody wrote a signal for still count:

* **similarity**: each clause of an answer becomes a vector (the mean of static word-piece
  vectors distilled from the sentence model all-MiniLM-L6-v2, `data/meaning/`), compared
  by cosine with a short description and a few example sentences per activity
  (`question_banks/default/meanings.toml`, data a facilitator can extend). The clause that
  comes closest is the evidence, quoted exactly: rule "close in meaning to: <sentence>";
* **a per-activity linear layer** over the mean vector of each guiding section's answers
  (`data/meaning/layer.npz`), learned by least squares on the project's old evaluation
  sets (`benchmarks/ablation.py --write-layer`): which activities businesses that talk
  like this one turned out to need.

`blend()` is the one hook `infer()` calls: it adds the layer's points to the rules' raw
scores and gives an activity the rules missed a candidate of its own when a clause is
close enough in meaning. It never changes the business type, never raises an activity
from a negated clause, and does nothing when numpy or the table is missing, when
`CANVAS_TUI_MEANING=off`, or when the catalogue has no meanings: inference is then
rules-only, exactly as before. docs/inference.md ("Meaning layer") has the measured
ablation and the constants.

numpy is imported on first use, never at import time: `canvas-tui run` start-up, export,
diff, merge and the app's first frame do not load it (tests/unit/test_meaning_imports.py).
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from canvas_tui.core.inference.results import Evidence

#: the business types (catalogue.CORE_TYPES; repeated to keep this module's import light)
CORE_TYPES = ("production", "problem_solving", "platform_network")

if TYPE_CHECKING:  # pragma: no cover
    from canvas_tui.core.inference.catalogue import Catalogue
    from canvas_tui.core.inference.matching import Compiled
    from canvas_tui.core.inference.scoring import Tally

DATA = Path(__file__).resolve().parent.parent.parent / "data" / "meaning"
TABLE_FILE = "vectors.npz"
LAYER_FILE = "layer.npz"
MEANINGS_FILE = "meanings.toml"
RULE_PREFIX = "close in meaning to: "
#: the guiding sections, in the order the layer's features are laid out
SECTIONS = ("value_proposition", "channels", "relationships", "revenue")

# The blend (chosen by cross-validation on the old evaluation sets, docs/inference.md):
#: raw points per unit of the linear layer's output (its output is about 0..1)
LAYER_WEIGHT = 2.0
#: raw points per unit of cosine above SIMILARITY_FLOOR
SIMILARITY_WEIGHT = 2.0
#: cosine below which a clause is not "close in meaning" at all
SIMILARITY_FLOOR = 0.55
#: an activity the rules did not find becomes a candidate only with a clause this close
NEW_FLOOR = 0.7
#: ... and the linear layer must expect the activity at least this much (its output is a
#: share of businesses that talk like this one needing it: a clause alone, out of context,
#: is not enough to add an activity)
NEW_LAYER = 0.5
#: a clause needs this many word pieces to be compared (shorter ones say too little)
MIN_PIECES = 3

_ASCII_WORD = re.compile(r"[A-Za-z0-9]+|[^\sA-Za-z0-9]")
_CLAUSE_END = re.compile(r"[.!?;:\n]+|,\s+|\s+[-–—]\s+|\(|\)")


# --------------------------------------------------------------------------- switches


def enabled() -> bool:
    """False when the user turned the layer off (`CANVAS_TUI_MEANING=off`)."""
    return os.environ.get("CANVAS_TUI_MEANING", "").strip().lower() not in {"off", "0", "no"}


# --------------------------------------------------------------------------- tokenizer


def _normal(word: str) -> str:
    """Lower case, accents stripped (the BERT uncased normaliser)."""
    if word.isascii():
        return word.lower()
    text = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in text if unicodedata.category(c) != "Mn")


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _words(text: str) -> list[tuple[int, int]]:
    """Spans of the words of `text`: runs between spaces, each punctuation mark alone."""
    if text.isascii():  # every ASCII mark that is not a letter, digit or space is punctuation
        return [m.span() for m in _ASCII_WORD.finditer(text)]
    spans: list[tuple[int, int]] = []
    start = None
    for i, char in enumerate(text):
        if char.isspace() or _is_punctuation(char):
            if start is not None:
                spans.append((start, i))
                start = None
            if not char.isspace():
                spans.append((i, i + 1))
        elif start is None:
            start = i
    if start is not None:
        spans.append((start, len(text)))
    return spans


def word_pieces(text: str, vocab: Mapping[str, int] | set[str]) -> list[tuple[int, int, str]]:
    """(start, end, piece) for each word piece of `text` found in `vocab`.

    The BERT uncased word-piece algorithm: split on spaces and punctuation, normalise each
    word, then take the longest vocabulary prefix, then the longest `##` continuation, and
    so on; a word that cannot be covered is skipped whole. `start:end` is the word's span
    in `text` (shared by all its pieces).
    """
    out: list[tuple[int, int, str]] = []
    for start, end in _words(text):
        word = _normal(text[start:end])
        if not word or len(word) > 100:
            continue
        pieces: list[str] = []
        i = 0
        while i < len(word):
            j = len(word)
            piece = None
            while j > i:
                candidate = word[i:j] if i == 0 else "##" + word[i:j]
                if candidate in vocab:
                    piece = candidate
                    break
                j -= 1
            if piece is None:
                pieces = []
                break
            pieces.append(piece)
            i = j
        out.extend((start, end, p) for p in pieces)
    return out


def clauses(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of the clauses of `text`, stripped of spaces.

    A clause ends at `. ! ? ; :`, a comma, a new line, a dash or a bracket; a piece of
    fewer than three words joins the clause before it (or the next one)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _CLAUSE_END.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    stripped = []
    for a, b in spans:
        piece = text[a:b]
        left = len(piece) - len(piece.lstrip())
        right = len(piece.rstrip())
        if right > left:
            stripped.append((a + left, a + right))
    merged: list[tuple[int, int]] = []
    for a, b in stripped:
        short = len(text[a:b].split()) < 3
        if merged and (short or len(text[merged[-1][0] : merged[-1][1]].split()) < 3):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True, eq=False)  # hashed by identity: answers are cached per table
class Table:
    """The word-piece vectors: `index[piece]` is a row of `vectors` (float16)."""

    index: dict[str, int]
    vectors: Any  # numpy.ndarray, (pieces, dims)

    @property
    def dims(self) -> int:
        return int(self.vectors.shape[1])

    def embed(self, text: str) -> Any:
        """The mean vector of the text's word pieces (float32; zeros when it has none)."""
        import numpy as np

        rows = [self.index[p] for _, _, p in word_pieces(text, self.index)]
        if not rows:
            return np.zeros(self.dims, dtype=np.float32)
        return self.vectors[rows].astype(np.float32).mean(axis=0)


@functools.cache
def load_table(folder: Path = DATA) -> Table | None:
    """The table in `folder`, or None when numpy or the file is missing."""
    try:
        import numpy as np
    except ImportError:
        return None
    path = folder / TABLE_FILE
    if not path.is_file():
        return None
    with np.load(path) as data:
        tokens = data["tokens"].tobytes().decode("ascii").split("\n")
        vectors = data["vectors"]
    return Table({t: i for i, t in enumerate(tokens)}, vectors)


@dataclass(frozen=True)
class Layer:
    """Per-activity linear layer: `features @ weights + bias`, one column per activity."""

    ids: tuple[str, ...]
    weights: Any  # (len(SECTIONS) * dims, len(ids)) float32
    bias: Any  # (len(ids),) float32

    def apply(self, features: Any) -> dict[str, float]:
        out = features @ self.weights + self.bias
        return {i: float(v) for i, v in zip(self.ids, out, strict=True)}


@functools.cache
def load_layer(folder: Path = DATA) -> Layer | None:
    try:
        import numpy as np
    except ImportError:
        return None
    path = folder / LAYER_FILE
    if not path.is_file():
        return None
    with np.load(path) as data:
        ids = tuple(data["ids"].tobytes().decode("ascii").split("\n"))
        return Layer(ids, data["weights"].astype(np.float32), data["bias"].astype(np.float32))


def fit_layer(features: Any, targets: Any, ids: Sequence[str], ridge: float = 1.0) -> Layer:
    """Least squares with a ridge penalty, one column per activity (numpy only).

    `features`: (businesses, F); `targets`: (businesses, activities), 1 where the activity
    is one the business needs, 0 otherwise."""
    import numpy as np

    x = np.asarray(features, dtype=np.float64)
    y = np.asarray(targets, dtype=np.float64)
    mx, my = x.mean(axis=0), y.mean(axis=0)
    xc = x - mx
    gram = xc.T @ xc + ridge * np.eye(x.shape[1])
    weights = np.linalg.solve(gram, xc.T @ (y - my))
    bias = my - mx @ weights
    return Layer(tuple(ids), weights.astype(np.float32), bias.astype(np.float32))


def save_layer(layer: Layer, folder: Path = DATA) -> Path:
    import numpy as np

    path = folder / LAYER_FILE
    np.savez_compressed(
        path,
        ids=np.frombuffer("\n".join(layer.ids).encode("ascii"), dtype=np.uint8),
        weights=np.asarray(layer.weights, dtype=np.float16),
        bias=np.asarray(layer.bias, dtype=np.float32),
    )
    return path


# --------------------------------------------------------------------------- meanings


@dataclass(frozen=True)
class Meanings:
    """Each activity's sentences as unit vectors: rows of `vectors` owned by `owners`."""

    sentences: tuple[str, ...]
    owners: tuple[str, ...]
    vectors: Any  # (sentences, dims) float32, unit length
    ids: tuple[str, ...]  # the activities that have sentences, in catalogue order
    starts: Any  # the row where each of `ids` begins (its rows are contiguous)


def meaning_files(catalogue: Catalogue) -> list[Path]:
    """meanings.toml beside each catalogue file that has one (the default bank's first)."""
    from canvas_tui.resources import default_bank_dir

    files = [default_bank_dir() / MEANINGS_FILE]
    for source in catalogue.sources:
        candidate = Path(source).parent / MEANINGS_FILE
        if candidate.is_file() and candidate.resolve() not in {f.resolve() for f in files}:
            files.append(candidate)
    return [f for f in files if f.is_file()]


def read_meanings(catalogue: Catalogue, files: Sequence[Path]) -> dict[str, list[str]]:
    """activity id -> [description, examples...] for the catalogue's activities."""
    texts: dict[str, dict[str, Any]] = {}
    for path in files:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue  # a broken meanings file turns the layer off for it, never the app
        table = data.get("meaning", {})
        if not isinstance(table, dict):
            continue
        for ident, entry in table.items():
            if not isinstance(entry, dict):
                continue
            slot = texts.setdefault(ident, {"description": "", "examples": []})
            if isinstance(entry.get("description"), str):
                slot["description"] = entry["description"]
            examples = entry.get("examples", [])
            if isinstance(examples, list):
                slot["examples"] += [e for e in examples if isinstance(e, str) and e.strip()]
    out: dict[str, list[str]] = {}
    for activity in catalogue:
        found = texts.get(activity.id)
        if found is None:
            continue
        slot = found
        description = slot["description"] or activity.description
        out[activity.id] = [s for s in (description, *slot["examples"]) if s.strip()]
    return out


_MEANINGS: dict[int, tuple[Catalogue, Meanings | None]] = {}


def meanings_for(catalogue: Catalogue, table: Table) -> Meanings | None:
    """The catalogue's sentences as vectors (computed once per catalogue object)."""
    cached = _MEANINGS.get(id(catalogue))
    if cached is not None and cached[0] is catalogue:
        return cached[1]
    import numpy as np

    sentences: list[str] = []
    owners: list[str] = []
    for ident, texts in read_meanings(catalogue, meaning_files(catalogue)).items():
        sentences += texts
        owners += [ident] * len(texts)
    result = None
    if sentences:
        vectors = np.stack([_unit(table.embed(s)) for s in sentences])
        ids = tuple(dict.fromkeys(owners))
        starts = np.array([owners.index(i) for i in ids], dtype=np.intp)
        result = Meanings(tuple(sentences), tuple(owners), vectors, ids, starts)
    _MEANINGS[id(catalogue)] = (catalogue, result)
    return result


def _unit(vector: Any) -> Any:
    import numpy as np

    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Read:
    """One answer as the layer sees it."""

    spans: tuple[tuple[int, int], ...]  # clauses with enough word pieces
    vectors: Any  # (clauses, dims) unit vectors
    mean: Any  # the whole answer's unit mean vector
    negated: tuple[bool, ...]  # per clause: a negator in it


@functools.lru_cache(maxsize=512)
def _read(table: Table, text: str, negators: frozenset[str]) -> Read:
    import numpy as np

    pieces = word_pieces(text, table.index)
    spans, rows_per, negated = [], [], []
    for start, end in clauses(text):
        rows = [table.index[p] for a, _, p in pieces if start <= a < end]
        if len(rows) < MIN_PIECES:
            continue
        spans.append((start, end))
        rows_per.append(rows)
        words = {_normal(w).replace("’", "'") for w in re.findall(r"[\w'’]+", text[start:end])}
        negated.append(bool(words & negators))
    if rows_per:
        vectors = np.stack(
            [_unit(table.vectors[r].astype(np.float32).mean(axis=0)) for r in rows_per]
        )
    else:
        vectors = np.zeros((0, table.dims), dtype=np.float32)
    all_rows = [table.index[p] for _, _, p in pieces]
    mean = (
        _unit(table.vectors[all_rows].astype(np.float32).mean(axis=0))
        if all_rows
        else np.zeros(table.dims, dtype=np.float32)
    )
    return Read(tuple(spans), vectors, mean, tuple(negated))


def features(reads: Mapping[str, Sequence[Read]], dims: int) -> Any:
    """The layer's input: per guiding section, the unit mean of its answers' vectors."""
    import numpy as np

    parts = []
    for section in SECTIONS:
        vectors = [r.mean for r in reads.get(section, ()) if np.any(r.mean)]
        parts.append(_unit(np.mean(vectors, axis=0)) if vectors else np.zeros(dims, np.float32))
    return np.concatenate(parts).astype(np.float32)


@dataclass(frozen=True)
class Match:
    """An activity's meaning score for one interview."""

    similarity: float  # best cosine of a clause with one of the activity's sentences
    layer: float  # the linear layer's output (0 without a layer)
    evidence: Evidence | None  # the closest clause, exact span


def score_answers(
    answers: Mapping[str, str],
    sections: Mapping[str, str],
    catalogue: Catalogue,
    *,
    table: Table | None = None,
    layer: Layer | None = None,
) -> dict[str, Match] | None:
    """activity id -> Match; None when the layer cannot run (no numpy, table, meanings).

    `sections`: question id -> guiding section, for the answers to read."""
    if not enabled():
        return None
    table = table or load_table()
    if table is None:
        return None
    meanings = meanings_for(catalogue, table)
    if meanings is None:
        return None
    import numpy as np

    layer = layer if layer is not None else load_layer()
    negators = frozenset(_normal(n) for n in catalogue.language.negators if " " not in n)
    reads: dict[str, list[Read]] = {}
    best: dict[str, tuple[float, str, int, int]] = {}  # id -> (cos, qid, start, row)
    places: list[tuple[str, int]] = []  # (qid, clause start) of each usable clause
    blocks = []
    for qid, text in answers.items():
        if not isinstance(text, str) or not text.strip():
            continue
        read = _read(table, text, negators)
        reads.setdefault(sections.get(qid, ""), []).append(read)
        keep = [c for c in range(len(read.spans)) if not read.negated[c]]
        if keep:
            places += [(qid, read.spans[c][0]) for c in keep]
            blocks.append(read.vectors[keep])
    if blocks:
        sims = np.concatenate(blocks) @ meanings.vectors.T  # (clauses, sentences)
        # each activity's sentences are contiguous: the best per activity in one pass
        per_activity = np.maximum.reduceat(sims, meanings.starts, axis=1)
        clause_of = per_activity.argmax(axis=0)
        bounds = [*meanings.starts, len(meanings.sentences)]
        for a, ident in enumerate(meanings.ids):
            c = int(clause_of[a])
            lo, hi = bounds[a], bounds[a + 1]
            k = lo + int(sims[c, lo:hi].argmax())
            best[ident] = (float(sims[c, k]), places[c][0], places[c][1], k)
    outputs = layer.apply(features(reads, table.dims)) if layer is not None else {}
    result: dict[str, Match] = {}
    for ident in meanings.ids:
        found = best.get(ident)
        evidence = None
        similarity = 0.0
        if found is not None:
            similarity, qid, start, k = found
            read = _read(table, answers[qid], negators)
            end = dict(read.spans)[start]
            evidence = Evidence(
                question=qid,
                quote=answers[qid][start:end],
                start=start,
                end=end,
                rule=RULE_PREFIX + meanings.sentences[k],
            )
        result[ident] = Match(similarity, outputs.get(ident, 0.0), evidence)
    return result


def points(match: Match) -> float:
    """Raw-score points the layer adds to an activity (before the rules' own scale)."""
    close = max(0.0, match.similarity - SIMILARITY_FLOOR)
    return LAYER_WEIGHT * max(0.0, match.layer) + SIMILARITY_WEIGHT * close


# --------------------------------------------------------------------------- the hook


def blend(
    answers: Mapping[str, str],
    section_of: Callable[[str], str],
    catalogue: Catalogue,
    compiled: Compiled,
    raws: dict[int, float],
    tallies: dict[int, Tally],
    dominant: str = "unknown",
) -> None:
    """Add the meaning layer's points to the rules' raw scores, in place.

    An activity the rules found gets `points()` on top of its raw score. One they did not
    find (and did not see negated) becomes a candidate only when a clause is at least
    NEW_FLOOR close in meaning; its evidence is that clause. Core activities of another
    type than `dominant` (decided by the rules) get nothing. Does nothing when the layer
    cannot run."""
    from canvas_tui.core.inference.weighing import weigh

    read = {
        q: t
        for q, t in answers.items()
        if isinstance(t, str)
        and t.strip()
        # a vague answer is not read by the rules; the layer skips it too
        and not getattr(weigh(compiled, catalogue, q, t, section_of(q)), "vague", False)
    }
    try:
        matches = score_answers(read, {q: section_of(q) for q in read}, catalogue)
    except Exception:  # the layer is an extra: a broken table never breaks inference
        return
    if not matches:
        return
    for ident, match in matches.items():
        index = compiled.index.get(ident)
        if index is None:
            continue
        added = points(match)
        if added <= 0:
            continue
        category = compiled.activities[index].category
        if dominant in CORE_TYPES and category in CORE_TYPES and category != dominant:
            # core work of another type than the business's: the vectors of a customer's
            # trade ("software for dental clinics") must not pull toward that trade's work
            continue
        if index in raws:
            raws[index] += added
            continue
        tally = tallies.get(index)
        if tally is not None and tally.negations:
            continue
        if match.evidence is None or match.similarity < NEW_FLOOR or match.layer < NEW_LAYER:
            continue
        from dataclasses import replace

        evidence = replace(match.evidence, weight=round(added, 4))
        section = section_of(evidence.question)
        rank = SECTIONS.index(section) if section in SECTIONS else len(SECTIONS)
        tally = tallies.setdefault(index, _new_tally())
        tally.contributions.append((added, rank, evidence, section))
        raws[index] = added


def _new_tally() -> Tally:
    from canvas_tui.core.inference.scoring import Tally

    return Tally()
