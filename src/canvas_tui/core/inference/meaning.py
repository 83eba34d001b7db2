"""The meaning layer: answers compared with what each activity means, not only its words.

The rules (`matching`, `weighing`, `scoring`) find the phrases the catalogue lists. This
layer adds two things on top, so that phrasings nobody wrote a signal for still count:

* **similarity**: each clause of an answer becomes a vector (the mean of static word-piece
  vectors distilled from the sentence model all-MiniLM-L6-v2, `data/meaning/`), compared
  by cosine with a short description and a few example sentences per activity
  (`question_banks/default/meanings.toml`, data a facilitator can extend). The clause that
  comes closest is the evidence, quoted exactly: rule "close in meaning to: <sentence>";
* **a per-activity linear layer** over the mean vector of each guiding section's answers
  (`data/meaning/layer.bin`), learned by least squares on the project's old evaluation
  sets (`benchmarks/ablation.py --write-layer`): which activities businesses that talk
  like this one turned out to need.

`blend()` is the one hook `infer()` calls: it adds the layer's points to the rules' raw
scores and gives an activity the rules missed a candidate of its own when a clause is
close enough in meaning. `type_scores()` gives the layer's reading of the business type,
which `typemix.with_layer` adds to the rules' mix (never deciding a type on its own). It
never raises an activity from a negated clause, and does nothing when the table is missing, when
`CANVAS_TUI_MEANING=off`, or when the catalogue has no meanings: inference is then
rules-only, exactly as before. docs/inference.md ("Meaning layer") has the measured
ablation and the constants.

It runs on the standard library alone (numpy's import costs 40-55 ms of a ~100 ms
headless run): the float16 table is memory-mapped and only the rows of the answer's word
pieces are decoded (`struct`); the default bank's sentence vectors are stored computed
(`sentences.bin`); the layer is 42 dot products. numpy is needed only to train the layer
and to build the table (benchmarks/ablation.py, scripts/build_meaning.py), and no run,
export, frame or inference loads it (tests/unit/test_meaning_imports.py).
"""

from __future__ import annotations

import array
import bisect
import functools
import hashlib
import json
import math
import mmap
import operator
import os
import re
import struct
import sys
import tomllib
import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
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
#: the word pieces, sorted, one a line; row i of TABLE_FILE is the vector of line i
PIECES_FILE = "pieces.txt"
#: raw little-endian float16 rows (pieces x dims), memory-mapped
TABLE_FILE = "vectors.f16"
#: a JSON header line (activity ids, inputs), then float32 bias and per-activity weights
LAYER_FILE = "layer.bin"
#: a JSON header line (dims, sentences), then float64 unit vectors: the default bank's
SENTENCES_FILE = "sentences.bin"
MEANINGS_FILE = "meanings.toml"
RULE_PREFIX = "close in meaning to: "
#: the guiding sections, in the order the layer's features are laid out
SECTIONS = ("value_proposition", "channels", "relationships", "revenue")

# The blend (round 6: chosen by 5-fold cross-validation over the tuned sets with writer
# D's blind set, judged on the parts written by outsiders, docs/inference.md):
#: raw points per unit of the linear layer's output (its output is about 0..1); round 8
#: (9 -> 11 with NEW_LAYER 0.4 -> 0.25, by 5-fold CV over the outsider parts): recall@5
#: 3526 -> 3550 of 4231, forbidden 232 -> 198 of 2999 (a lower NEW_FLOOR gained a little
#: more, with evidence clauses a person would not accept)
LAYER_WEIGHT = 11.0
#: raw points per unit of cosine above SIMILARITY_FLOOR (0: the layer carries the meaning;
#: the cosine still decides which clause is the evidence and gates new activities)
SIMILARITY_WEIGHT = 0.0
#: cosine below which a clause is not "close in meaning" at all
SIMILARITY_FLOOR = 0.55
#: an activity the rules did not find becomes a candidate only with a clause this close
NEW_FLOOR = 0.45
#: ... and the linear layer must expect the activity at least this much (its output is a
#: share of businesses that talk like this one needing it: a clause alone, out of context,
#: is not enough to add an activity)
NEW_LAYER = 0.25
#: how many guiding sections must have an answer before the layer adds work on its own
ADD_FROM_SECTIONS = 2
#: The layer learns what coaches call plainly wrong as a negative target, so a low output
#: is a reason against an activity the rules found: below NEGATIVE_BELOW it loses
#: NEGATIVE_WEIGHT raw points per unit, but stays listed (just above advice.MIN_SCORE,
#: NEGATIVE_KEEP x its raw score apart from the others held back). Round 8, by 5-fold CV
#: over the outsider parts: forbidden 287 -> 252 of 2999 pairs, recall@5 3510 -> 3523.
#: Round 10 (with Z10-Z21 in the layer), 0.08 -> 0.1: forbidden -6 of 5246 pairs.
NEGATIVE_WEIGHT = 40.0
NEGATIVE_BELOW = 0.1
NEGATIVE_KEEP = 0.05
#: supporting work (marketing, sales, billing) is expected little by most businesses, so
#: the layer holds it back only when its output is below this (it says "wrong", not "rare")
SUPPORTING_BELOW = 0.0
#: the layer's rows for the business type ("type:production", ...): trained on the
#: labels' dominant type, they add TYPE_WEIGHT x their output to the rules' type mix.
#: Round 10, by 5-fold CV over the 42 outsider parts (2520 businesses): 0.5 -> 0.75 and
#: the rows added before the revenue shares (infer: the stated shares have the last word),
#: type 2282 -> 2294 (after the shares, as before: 2297, but they diluted the money)
TYPE_PREFIX = "type:"
TYPE_IDS = tuple(TYPE_PREFIX + t for t in CORE_TYPES)
TYPE_WEIGHT = 0.75
#: a clause needs this many word pieces to be compared (shorter ones say too little)
MIN_PIECES = 3
#: work the answers say a partner does gets no lift from the layer unless our own evidence
#: for it weighs at least this much and advice.PARTNER_OUTWEIGHS times the partner's
#: (advice.clearly_ours)
#: (round 10, by CV over the outsider parts: no lift for any partner-done work, as
#: before, 6159 hits and 333 traps; this, 6186 and 341; advice.OWN_CLEAR's 1.5, 6191
#: and 344)
LIFT_OWN_CLEAR = 3.0

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


def word_pieces(
    text: str, vocab: Mapping[str, int] | set[str] | Vocab
) -> list[tuple[int, int, str]]:
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


class Vocab:
    """The word pieces, sorted: `piece in vocab`, `vocab[piece]` is its row (bisect).

    A sorted list read with one split costs ~1 ms; a dictionary of the 27,592 pieces
    costs 5-9 ms to build on every start."""

    __slots__ = ("pieces",)

    def __init__(self, pieces: Sequence[str]) -> None:
        self.pieces = pieces

    def get(self, piece: str) -> int | None:
        i = bisect.bisect_left(self.pieces, piece)
        return i if i < len(self.pieces) and self.pieces[i] == piece else None

    def __contains__(self, piece: object) -> bool:
        return isinstance(piece, str) and self.get(piece) is not None

    def __getitem__(self, piece: str) -> int:
        i = self.get(piece)
        if i is None:
            raise KeyError(piece)
        return i

    def __len__(self) -> int:
        return len(self.pieces)


class Table:
    """The word-piece vectors: `index[piece]` is a row of the float16 file `vectors.f16`.

    The file is memory-mapped and a row is decoded (struct's half-float format) only when
    an answer uses its piece: nothing else of the 7 MB table is read."""

    def __init__(self, index: Vocab, data: Any, dims: int) -> None:
        self.index = index
        self._data = data  # an mmap or bytes: rows of `dims` little-endian float16
        self.dims = dims
        self._row = struct.Struct(f"<{dims}e")
        self._rows: dict[int, tuple[float, ...]] = {}

    def row(self, i: int) -> tuple[float, ...]:
        found = self._rows.get(i)
        if found is None:
            found = self._rows[i] = self._row.unpack_from(self._data, i * self._row.size)
        return found

    def mean(self, rows: Sequence[int]) -> list[float]:
        """The mean of these rows (zeros when there are none)."""
        if not rows:
            return [0.0] * self.dims
        n = len(rows)
        return [sum(column) / n for column in zip(*(self.row(r) for r in rows), strict=True)]

    def embed(self, text: str) -> list[float]:
        """The mean vector of the text's word pieces (zeros when it has none)."""
        return self.mean([self.index[p] for _, _, p in word_pieces(text, self.index)])


@functools.cache
def load_table(folder: Path = DATA) -> Table | None:
    """The table in `folder`, or None when its files are missing or do not agree."""
    try:
        pieces = (folder / PIECES_FILE).read_text(encoding="utf-8").split("\n")
        with open(folder / TABLE_FILE, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            try:
                data: Any = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            except (OSError, ValueError):  # a file system without mmap
                data = handle.read()
    except OSError:
        return None
    if not pieces or size % (2 * len(pieces)) or size == 0:
        return None
    return Table(Vocab(pieces), data, size // (2 * len(pieces)))


def write_table(pieces: Sequence[str], rows: Any, folder: Path = DATA) -> None:
    """Write the table: `pieces` (any order) with their float16 `rows` (numpy, build only).

    The pieces are sorted (the file order is the lookup order); a piece listed twice keeps
    its last row."""
    import numpy as np

    last = {piece: i for i, piece in enumerate(pieces)}  # a repeated piece: its last row
    order = [last[piece] for piece in sorted(last)]
    (folder / PIECES_FILE).write_text("\n".join(pieces[i] for i in order), encoding="utf-8")
    np.asarray(rows, dtype="<f2")[order].tofile(folder / TABLE_FILE)


def _dot(a: Sequence[float], b: Sequence[float]) -> float:
    return float(sum(map(operator.mul, a, b)))


def _unit(vector: Sequence[float]) -> list[float]:
    norm = math.sqrt(_dot(vector, vector))
    return [x / norm for x in vector] if norm > 0 else list(vector)


@dataclass(frozen=True)
class Layer:
    """Per-activity linear layer: `features · weights[a] + bias[a]` for each activity a."""

    ids: tuple[str, ...]
    weights: tuple[tuple[float, ...], ...]  # one row of len(SECTIONS) * dims per activity
    bias: tuple[float, ...]

    def apply(self, features: Sequence[float], only: Collection[str] = ()) -> dict[str, float]:
        """Each row's output (or only the rows named in `only`)."""
        return {
            ident: _dot(features, row) + b
            for ident, row, b in zip(self.ids, self.weights, self.bias, strict=True)
            if not only or ident in only
        }


@functools.cache
def load_layer(folder: Path = DATA) -> Layer | None:
    """The layer in `folder` (`layer.bin`: a JSON header line, then float32 bias and rows)."""
    try:
        header, _, body = (folder / LAYER_FILE).read_bytes().partition(b"\n")
        head = json.loads(header)
        ids, inputs = tuple(head["ids"]), int(head["inputs"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    values = array.array("f")
    if len(body) != 4 * len(ids) * (inputs + 1):
        return None
    values.frombytes(body)
    if sys.byteorder == "big":
        values.byteswap()
    n = len(ids)
    bias = tuple(values[:n])
    weights = tuple(tuple(values[n + a * inputs : n + (a + 1) * inputs]) for a in range(n))
    return Layer(ids, weights, bias)


def fit_layer(features: Any, targets: Any, ids: Sequence[str], ridge: float = 1.0) -> Layer:
    """Least squares with a ridge penalty, one column per activity (numpy: build only).

    `features`: (businesses, F); `targets`: (businesses, activities), 1 where the activity
    is one the business needs, 0 otherwise. The weights are rounded to float32, as saved."""
    import numpy as np

    x = np.asarray(features, dtype=np.float64)
    y = np.asarray(targets, dtype=np.float64)
    mx, my = x.mean(axis=0), y.mean(axis=0)
    xc = x - mx
    gram = xc.T @ xc + ridge * np.eye(x.shape[1])
    weights = np.linalg.solve(gram, xc.T @ (y - my))
    bias = my - mx @ weights
    return _layer(ids, weights.T, bias)


def _layer(ids: Sequence[str], rows: Any, bias: Any) -> Layer:
    import numpy as np

    rows32 = np.asarray(rows, dtype=np.float32)
    return Layer(
        tuple(ids),
        tuple(tuple(r) for r in rows32.tolist()),
        tuple(np.asarray(bias, dtype=np.float32).tolist()),
    )


def save_layer(layer: Layer, folder: Path = DATA) -> Path:
    """Write `layer.bin` (what load_layer reads back, bit for bit)."""
    path = folder / LAYER_FILE
    inputs = len(layer.weights[0]) if layer.weights else 0
    header = json.dumps({"ids": list(layer.ids), "inputs": inputs}).encode("ascii")
    values = array.array("f", layer.bias)
    for row in layer.weights:
        values.extend(row)
    if sys.byteorder == "big":
        values.byteswap()
    path.write_bytes(header + b"\n" + values.tobytes())
    return path


# --------------------------------------------------------------------------- meanings


@dataclass(frozen=True, eq=False)  # hashed by identity: readings cache per Meanings
class Meanings:
    """Each activity's sentences as unit vectors: rows of `vectors` owned by `owners`."""

    sentences: tuple[str, ...]
    owners: tuple[str, ...]
    vectors: tuple[tuple[float, ...], ...]  # one unit vector per sentence
    ids: tuple[str, ...]  # the activities that have sentences, in catalogue order
    starts: tuple[int, ...]  # the row where each of `ids` begins (its rows are contiguous)


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
            table = _meaning_table(path.read_bytes())
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue  # a broken meanings file turns the layer off for it, never the app
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


def _meaning_table(raw: bytes) -> Any:
    """A meanings file's `[meaning]` table: the default bank's as stored in
    `sentences.bin` when the file's bytes are the ones it was stored from (SHA-256; saves
    parsing 15 kB of TOML at every start), else parsed."""
    stored = _stored_header().get("meanings")
    if isinstance(stored, dict) and stored.get("sha256") == hashlib.sha256(raw).hexdigest():
        return stored.get("meaning", {})
    return tomllib.loads(raw.decode("utf-8")).get("meaning", {})


@functools.cache
def _stored_header(folder: Path = DATA) -> dict[str, Any]:
    """The JSON header of `sentences.bin` ({} when missing or broken)."""
    try:
        with open(folder / SENTENCES_FILE, "rb") as handle:
            head = json.loads(handle.readline())
    except (OSError, ValueError):
        return {}
    return head if isinstance(head, dict) else {}


def sentence_vector(table: Table, sentence: str) -> tuple[float, ...]:
    """One sentence's unit vector (what `sentences.bin` stores for the default bank)."""
    return tuple(_unit(table.embed(sentence)))


@functools.cache
def stored_sentences(folder: Path = DATA) -> dict[str, tuple[float, ...]]:
    """The default bank's sentence vectors, computed once by `write_sentences` (a start-up
    saving of ~10 ms: 212 sentences tokenized and averaged). A sentence that is not there
    (a bank's own, an edited one) is computed when it is needed: never a wrong vector,
    at worst a slower first inference."""
    try:
        header, _, body = (folder / SENTENCES_FILE).read_bytes().partition(b"\n")
        head = json.loads(header)
        sentences, dims = list(head["sentences"]), int(head["dims"])
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    values = array.array("d")
    if dims <= 0 or len(body) != 8 * dims * len(sentences):
        return {}
    values.frombytes(body)
    if sys.byteorder == "big":
        values.byteswap()
    return {s: tuple(values[i * dims : (i + 1) * dims]) for i, s in enumerate(sentences)}


def write_sentences(
    table: Table, sentences: Sequence[str], folder: Path = DATA, meanings: Path | None = None
) -> Path:
    """Write `sentences.bin`: these sentences' unit vectors (float64, as computed), and
    the `[meaning]` table of the file `meanings` with its SHA-256 (see _meaning_table)."""
    unique = list(dict.fromkeys(sentences))
    head: dict[str, Any] = {"dims": table.dims, "sentences": unique}
    if meanings is not None:
        raw = meanings.read_bytes()
        head["meanings"] = {
            "sha256": hashlib.sha256(raw).hexdigest(),
            "meaning": tomllib.loads(raw.decode("utf-8")).get("meaning", {}),
        }
    header = json.dumps(head, ensure_ascii=False)
    values = array.array("d")
    for sentence in unique:
        values.extend(sentence_vector(table, sentence))
    if sys.byteorder == "big":
        values.byteswap()
    path = folder / SENTENCES_FILE
    path.write_bytes(header.encode("utf-8") + b"\n" + values.tobytes())
    return path


_MEANINGS: dict[int, tuple[Catalogue, Meanings | None]] = {}


def meanings_for(catalogue: Catalogue, table: Table) -> Meanings | None:
    """The catalogue's sentences as vectors (computed once per catalogue object)."""
    cached = _MEANINGS.get(id(catalogue))
    if cached is not None and cached[0] is catalogue:
        return cached[1]
    sentences: list[str] = []
    owners: list[str] = []
    for ident, texts in read_meanings(catalogue, meaning_files(catalogue)).items():
        sentences += texts
        owners += [ident] * len(texts)
    result = None
    if sentences:
        stored = stored_sentences() if table is load_table() else {}
        vectors = tuple(
            v
            if (v := stored.get(s)) is not None and len(v) == table.dims
            else sentence_vector(table, s)
            for s in sentences
        )
        ids = tuple(dict.fromkeys(owners))
        starts = tuple(owners.index(i) for i in ids)
        result = Meanings(tuple(sentences), tuple(owners), vectors, ids, starts)
    _MEANINGS[id(catalogue)] = (catalogue, result)
    return result


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Read:
    """One answer as the layer sees it."""

    spans: tuple[tuple[int, int], ...]  # clauses with enough word pieces
    vectors: tuple[list[float], ...]  # one unit vector per clause
    mean: list[float]  # the whole answer's unit mean vector
    negated: tuple[bool, ...]  # per clause: a negator in it
    #: (meanings, activity, clauses compared) -> (cosine, clause, sentence): the
    #: similarity is computed once per answer text (the reading is cached by its text)
    closest: dict[tuple[Meanings, int, tuple[int, ...]], tuple[float, int, int]] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )


@functools.lru_cache(maxsize=512)
def _read(table: Table, text: str, negators: frozenset[str]) -> Read:
    pieces = word_pieces(text, table.index)
    spans, vectors, negated = [], [], []
    for start, end in clauses(text):
        rows = [table.index[p] for a, _, p in pieces if start <= a < end]
        if len(rows) < MIN_PIECES:
            continue
        spans.append((start, end))
        vectors.append(_unit(table.mean(rows)))
        words = [_normal(w).replace("’", "'") for w in re.findall(r"[\w'’]+", text[start:end])]
        joined = f" {' '.join(words)} "
        negated.append(
            bool(negators.intersection(words))
            or any(f" {n} " in joined for n in negators if " " in n)
        )
    mean = _unit(table.mean([table.index[p] for _, _, p in pieces]))
    return Read(tuple(spans), tuple(vectors), mean, tuple(negated))


def features(reads: Mapping[str, Sequence[Read]], dims: int) -> list[float]:
    """The layer's input: per guiding section, the unit mean of its answers' vectors."""
    out: list[float] = []
    for section in SECTIONS:
        vectors = [r.mean for r in reads.get(section, ()) if any(r.mean)]
        if vectors:
            n = len(vectors)
            out += _unit([sum(column) / n for column in zip(*vectors, strict=True)])
        else:
            out += [0.0] * dims
    return out


@dataclass(frozen=True)
class Match:
    """An activity's meaning score for one interview."""

    similarity: float  # best cosine of a clause with one of the activity's sentences
    layer: float  # the linear layer's output (0 without a layer)
    evidence: Evidence | None  # the closest clause, exact span


@functools.lru_cache(maxsize=8)
def _negators(words: tuple[str, ...]) -> frozenset[str]:
    """The catalogue's negators as the layer compares them: single words ("not", "never",
    "without") and phrases ("rather than", "no longer", "we used to"): a clause with one
    is not what the business does."""
    return frozenset(
        " ".join(_normal(w).replace("’", "'") for w in n.split()) for n in words if n.strip()
    )


def _answer_reads(
    answers: Mapping[str, str], table: Table, negators: frozenset[str]
) -> dict[str, Read]:
    """question id -> its answer's reading (cached by text), for the non-empty answers."""
    return {
        qid: _read(table, text, negators)
        for qid, text in answers.items()
        if isinstance(text, str) and text.strip()
    }


def _by_section(
    reads: Mapping[str, Read], section_of: Callable[[str], str]
) -> dict[str, list[Read]]:
    """The readings grouped by guiding section, in answer order (the layer's input)."""
    out: dict[str, list[Read]] = {}
    for qid, read in reads.items():
        out.setdefault(section_of(qid), []).append(read)
    return out


def type_scores(
    answers: Mapping[str, str], section_of: Callable[[str], str], catalogue: Catalogue
) -> dict[str, float] | None:
    """business type -> the layer's output for it (about 0..1: how much answers that read
    like these were labelled that type); None when the layer cannot run or has no type
    rows, or when fewer than ADD_FROM_SECTIONS guiding sections have answers (from one
    answer the layer reads the words, not the business: "a buying group of hardware
    shops" read as a hardware trade). Vague answers count as the rules read them: the
    caller passes the ones used."""
    if not enabled():
        return None
    if len({section_of(q) for q in answers} & set(SECTIONS)) < ADD_FROM_SECTIONS:
        return None
    table = load_table()
    layer = load_layer()
    if table is None or layer is None or not set(TYPE_IDS) <= set(layer.ids):
        return None
    # read as score_answers reads them (the same cached readings: one pass per text)
    reads = _answer_reads(answers, table, _negators(tuple(catalogue.language.negators)))
    if not reads:
        return None
    out = layer.apply(features(_by_section(reads, section_of), table.dims), TYPE_IDS)
    return {t: out[TYPE_PREFIX + t] for t in CORE_TYPES}


def score_answers(
    answers: Mapping[str, str],
    sections: Mapping[str, str],
    catalogue: Catalogue,
    *,
    table: Table | None = None,
    layer: Layer | None = None,
    wanted: Callable[[str, float], bool] | None = None,
    skip: Mapping[str, Sequence[tuple[int, int]]] | None = None,
) -> dict[str, Match] | None:
    """activity id -> Match; None when the layer cannot run (no table or meanings).

    `sections`: question id -> guiding section, for the answers to read. `wanted(id,
    layer output)`: when given, only these activities are compared clause by clause (the
    others get similarity 0 and no evidence: the similarity is the costly part). `skip`:
    question id -> character spans the rules gave to someone else (the customers, a
    partner): a clause that overlaps one is not compared, as a negated clause is not."""
    if not enabled():
        return None
    table = table or load_table()
    if table is None:
        return None
    meanings = meanings_for(catalogue, table)
    if meanings is None:
        return None
    layer = layer if layer is not None else load_layer()
    reads = _answer_reads(answers, table, _negators(tuple(catalogue.language.negators)))
    usable: list[tuple[str, Read, tuple[int, ...]]] = []  # (qid, read, clauses compared)
    for qid, read in reads.items():
        others = (skip or {}).get(qid, ())
        keep = tuple(
            c
            for c, (lo, hi) in enumerate(read.spans)
            if not read.negated[c] and not any(a < hi and lo < b for a, b in others)
        )
        if keep:
            usable.append((qid, read, keep))
    by_section = _by_section(reads, lambda q: sections.get(q, ""))
    outputs = layer.apply(features(by_section, table.dims)) if layer is not None else {}
    bounds = [*meanings.starts, len(meanings.sentences)]
    result: dict[str, Match] = {}
    for a, ident in enumerate(meanings.ids):
        value = outputs.get(ident, 0.0)
        if not usable or (wanted is not None and not wanted(ident, value)):
            result[ident] = Match(0.0, value, None)
            continue
        # the closest clause over the answers in order (the first on a tie), then its
        # closest sentence; each answer's best is kept with its reading, so that a
        # re-inference after one changed answer compares only that answer's clauses
        best, found = -2.0, None
        for qid, read, keep in usable:
            top, c, k = _closest(read, keep, meanings, a, bounds[a], bounds[a + 1])
            if top > best:
                best, found = top, (qid, read.spans[c], k)
        assert found is not None
        qid, (start, end), k = found
        evidence = Evidence(
            question=qid,
            quote=answers[qid][start:end],
            start=start,
            end=end,
            rule=RULE_PREFIX + meanings.sentences[k],
        )
        result[ident] = Match(best, value, evidence)
    return result


def _closest(
    read: Read, keep: tuple[int, ...], meanings: Meanings, a: int, lo: int, hi: int
) -> tuple[float, int, int]:
    """(cosine, clause, sentence) of the closest of `keep` to activity `a`'s sentences."""
    key = (meanings, a, keep)
    found = read.closest.get(key)
    if found is None:
        mine = meanings.vectors[lo:hi]
        top, clause, sentence = -2.0, keep[0], lo
        for c in keep:
            sims = [_dot(read.vectors[c], v) for v in mine]
            best = max(sims)
            if best > top:
                top, clause, sentence = best, c, lo + sims.index(best)
        found = read.closest[key] = (top, clause, sentence)
    return found


def points(match: Match) -> float:
    """Raw-score points the layer adds to an activity (before the rules' own scale)."""
    close = max(0.0, match.similarity - SIMILARITY_FLOOR)
    return LAYER_WEIGHT * max(0.0, match.layer) + SIMILARITY_WEIGHT * close


def against(match: Match, supporting: bool = False) -> float:
    """Raw-score points the layer takes from an activity it expects too little of."""
    below = SUPPORTING_BELOW if supporting else NEGATIVE_BELOW
    return NEGATIVE_WEIGHT * max(0.0, below - match.layer)


# --------------------------------------------------------------------------- the hook


def blend(
    answers: Mapping[str, str],
    section_of: Callable[[str], str],
    catalogue: Catalogue,
    compiled: Compiled,
    raws: dict[int, float],
    tallies: dict[int, Tally],
    dominant: str = "unknown",
    customer: frozenset[str] = frozenset(),
) -> None:
    """Add the meaning layer's points to the rules' raw scores, in place.

    An activity the rules found gets `points()` on top of its raw score, or loses
    `against()` when the layer expects it less than NEGATIVE_BELOW and every guiding
    section has an answer. One they did not find (and did not see negated) becomes a
    candidate only when ADD_FROM_SECTIONS guiding sections have answers and a clause is at
    least NEW_FLOOR close in meaning; its evidence is that clause. Core activities of
    another type than `dominant` (decided by the rules) get nothing. Does nothing when the
    layer cannot run."""
    from canvas_tui.core.inference.advice import MIN_SCORE, clearly_ours
    from canvas_tui.core.inference.scoring import SCALE
    from canvas_tui.core.inference.weighing import weigh

    roles = getattr(compiled, "roles", None)
    subjects = _subjects(tuple(getattr(roles, "customer_subjects", ())))
    read: dict[str, str] = {}
    others: dict[str, list[tuple[int, int]]] = {}  # spans the rules gave to someone else
    partner_done: set[int] = set()  # activities the answers say a partner does
    for q, t in answers.items():
        if not isinstance(t, str) or not t.strip():
            continue
        # with the nouns the answers use for the customers, as infer() weighs them
        weighed = weigh(compiled, catalogue, q, t, section_of(q), customer)
        if getattr(weighed, "vague", False):
            continue  # a vague answer is not read by the rules; the layer skips it too
        read[q] = t
        # the roles decide whose words these are: a clause about the customers ("our
        # clients are online shops") or a partner's work ("a 3PL packs and ships") must not
        # come back in as our activity through its meaning
        others[q] = [*getattr(weighed, "customers", ())]
        others[q] += customer_clauses(t, subjects)
        for partner in getattr(weighed, "partners", ()):
            others[q].append((partner[1], partner[2]))
            partner_done.update(partner[4])

    # work the answers say a partner does gets no lift, unless our own words for it are
    # clear too ("financial advice" of ours outweighs "accountants" who refer clients)
    for done in list(partner_done):
        found = tallies.get(done)
        if found is None:
            continue
        own = sum(w for w, _r, e, _s in found.contributions if e.mode == "own")
        theirs = sum(w for w, _r, e, _s in found.contributions if e.mode == "partner")
        if clearly_ours(own, theirs, LIFT_OWN_CLEAR):
            partner_done.discard(done)

    def off_type(index: int) -> bool:
        # core work of another type than the business's: the vectors of a customer's
        # trade ("software for dental clinics") must not pull toward that trade's work
        category = compiled.activities[index].category
        return dominant in CORE_TYPES and category in CORE_TYPES and category != dominant

    def wanted(ident: str, layer: float) -> bool:
        # only where the similarity can change something: an activity the rules found,
        # or one the layer expects enough to add (the result is the same, in less time)
        index = compiled.index.get(ident)
        if index is None or off_type(index) or index in partner_done:
            return False
        tally = tallies.get(index)
        return index in raws or (layer >= NEW_LAYER and not (tally and tally.negations))

    # the layer learned from whole interviews: it may hold work back only once every guiding
    # section has an answer it read (early in an interview its doubts are noise)
    answered = {section_of(q) for q in read} & set(SECTIONS)
    complete = answered >= set(SECTIONS)
    # nor may it add work the rules did not find from a single section's answers: from one
    # answer its guess is about the words, not the business ("we help retailers make sense
    # of their sales data" read as close to a factory's work)
    adds = len(answered) >= ADD_FROM_SECTIONS
    listed = -SCALE * math.log(1.0 - MIN_SCORE)  # the raw score of the last one listed
    try:
        matches = score_answers(
            read, {q: section_of(q) for q in read}, catalogue, wanted=wanted, skip=others
        )
    except Exception:  # the layer is an extra: a broken table never breaks inference
        return
    if not matches:
        return
    for ident, match in matches.items():
        index = compiled.index.get(ident)
        if index is None:
            continue
        added = points(match)
        supporting = compiled.activities[index].category == "supporting"
        wrong = against(match, supporting) if complete else 0.0
        if index in raws and wrong > 0 and not off_type(index):
            # held back, not dropped: the user's words stay a listed suggestion (the
            # draft audit and the review screen still see them), in their own order
            raw = raws[index]
            raws[index] = max(raw - wrong, min(raw, listed + NEGATIVE_KEEP * raw))
            continue
        if added <= 0 or off_type(index) or index in partner_done:
            continue
        if index in raws:
            raws[index] += added
            continue
        tally = tallies.get(index)
        if tally is not None and tally.negations:
            continue
        if not adds or match.evidence is None:
            continue
        if match.similarity < NEW_FLOOR or match.layer < NEW_LAYER:
            continue
        from dataclasses import replace

        evidence = replace(match.evidence, weight=round(added, 4))
        section = section_of(evidence.question)
        rank = SECTIONS.index(section) if section in SECTIONS else len(SECTIONS)
        tally = tallies.setdefault(index, _new_tally())
        tally.contributions.append((added, rank, evidence, section))
        raws[index] = added


#: words that may come before a clause's subject ("and our clients ship ...")
_LEADS = frozenset({"and", "but", "so", "then", "while", "where", "who", "whose", "as", "because"})


@functools.lru_cache(maxsize=8)
def _subjects(phrases: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """roles.toml's customer subjects as word tuples ("=users": that exact word)."""
    out = {tuple(p.lstrip("=").lower().split()) for p in phrases if p.strip("= ")}
    return tuple(sorted(out, key=len, reverse=True))


@functools.lru_cache(maxsize=512)
def customer_clauses(
    text: str, subjects: tuple[tuple[str, ...], ...]
) -> tuple[tuple[int, int], ...]:
    """The clauses whose subject is the customers: "our clients ship parcels", "clients
    are online shops who pack orders". Their meaning is the customers' trade, not ours
    (the rules read such a clause the same way: roles.toml [customers])."""
    out = []
    for start, end in clauses(text):
        words = [w.lower() for w in re.findall(r"[\w'’]+", text[start:end])]
        while words and words[0] in _LEADS:
            words.pop(0)
        if any(tuple(words[: len(s)]) == s for s in subjects):
            out.append((start, end))
    return tuple(out)


def _new_tally() -> Tally:
    from canvas_tui.core.inference.scoring import Tally

    return Tally()
