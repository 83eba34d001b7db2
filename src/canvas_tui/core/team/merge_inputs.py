"""Merging a team's canvases, the inputs: naming the participants and refusing what cannot
be merged (too few canvases, the same one twice, different question banks).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from canvas_tui.core.canvas.model import Canvas
from canvas_tui.core.interview.bank import BLOCKS
from canvas_tui.core.team.merge_model import MergeError


def participant_names(titles: Sequence[str], sources: Sequence[str]) -> list[str]:
    """Name each participant by their canvas title, or by the file name when titles clash.

    A team often titles every canvas after the business ("Acme Coffee"), so a title
    shared by several canvases is replaced by each one's file name (stem); anything still
    ambiguous gets " (2)", " (3)"… in input order.
    """
    counts = Counter(t.strip() for t in titles)
    names = []
    for title, source in zip(titles, sources, strict=True):
        title = title.strip()
        if title and counts[title] == 1:
            names.append(title)
        else:
            stem = Path(source).stem if source else ""
            names.append(stem or title or "participant")
    counts_by_name = Counter(names)
    reserved = {name for name in names if counts_by_name[name] == 1}
    final: list[str] = []
    taken: set[str] = set()
    for name in names:
        candidate, n = name, 2
        if counts_by_name[name] > 1:
            while candidate in taken or candidate in reserved:
                candidate, n = f"{name} ({n})", n + 1
        taken.add(candidate)
        final.append(candidate)
    return final


def content_key(canvas: Canvas) -> tuple[Any, ...]:
    """What makes two canvases the same one given twice (cheap: no serialising)."""
    return (
        canvas.title,
        canvas.created,
        canvas.bank,
        canvas.dominant,
        canvas.activities,  # frozen dataclasses of tuples: hashable
        tuple(sorted(canvas.answers.items())),
        tuple(tuple(canvas.blocks.get(b, ())) for b in BLOCKS),
    )


def check_inputs(
    items: Sequence[tuple[str, Canvas]], *, allow_mixed_banks: bool = False
) -> tuple[str, ...]:
    """Refuse what cannot be merged; return the banks (sorted). Raises `MergeError`."""
    if not items:
        raise MergeError(
            "no canvases to merge",
            hint="give two or more canvas files, or --workspace DIR with saved sessions",
        )
    if len(items) < 2:
        raise MergeError(
            f"merge needs at least two canvases, got one ({items[0][0]})",
            hint="a team merge compares participants; use 'canvas-tui export' for one canvas",
        )
    seen: dict[tuple[Any, ...], str] = {}
    for source, canvas in items:
        key = content_key(canvas)
        if key in seen:
            raise MergeError(
                f"{source} has the same content as {seen[key]}",
                hint="the same canvas given twice would count one participant twice; remove one",
            )
        seen[key] = source
    banks = sorted({canvas.bank for _, canvas in items})
    if len(banks) > 1 and not allow_mixed_banks:
        by_bank: dict[str, list[str]] = {}
        for source, canvas in items:
            by_bank.setdefault(canvas.bank, []).append(Path(source).name or source)
        detail = "; ".join(f"{bank}: {', '.join(files)}" for bank, files in sorted(by_bank.items()))
        raise MergeError(
            f"the canvases come from different question banks ({detail})",
            hint="merge canvases of one bank, or pass --allow-mixed-banks if you mean it",
        )
    return tuple(banks)
