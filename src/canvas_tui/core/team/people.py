"""Compare two people's canvases of one business (`canvas-tui diff A B --people`).

`compare.py` says what changed between two dates of one canvas; two participants are not
"before" and "after", and most of what differs between their files is generated filler:
suggestions neither reviewed, and the key resources, costs and partners derived from the
catalogue. `compare_people` frames it as a comparison and keeps what each person chose:

* the business type each sees, and each one's top three;
* the activities both kept, and those only one kept (with what the other did with it:
  rejected, left unreviewed, or never had) — kept means accepted, as in the merge;
* activities both kept but put in different categories;
* the strategic splits between the two (`splits.py`: value promise, revenue model,
  channels), with their sentences;
* per block, the items both wrote and those only one did. In the derived blocks (key
  resources, cost structure, key partners) only items the person's own answers say
  count; the generated ones are left out and counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from canvas_tui.core.canvas.model import BLOCK_TITLES, CATEGORY_TITLES, Activity, Canvas
from canvas_tui.core.interview.bank import BLOCKS
from canvas_tui.core.team.merge_model import Disagreement, Participant

COMPARE_FORMAT = "canvas-tui-compare/1"
#: Blocks whose items canvas-tui derives from the kept activities: only what the person's
#: answers say counts as theirs.
DERIVED_BLOCKS = ("key_resources", "cost_structure", "key_partners")


@dataclass(frozen=True)
class Person:
    name: str
    file: str
    canvas: Canvas

    @property
    def kept(self) -> dict[str, Activity]:
        """The activities the person kept (accepted), in their canvas's order."""
        out: dict[str, Activity] = {}
        for a in self.canvas.activities:
            if a.status == "accepted":
                out.setdefault(a.id, a)
        return out


@dataclass(frozen=True)
class OnlyOne:
    """An activity one person kept; what the other did with it."""

    id: str
    name: str
    category: str
    priority: int
    other: str  # "rejected" | "suggested" (not reviewed) | "absent"


@dataclass(frozen=True)
class BlockCompare:
    block: str
    both: tuple[str, ...] = ()
    only_a: tuple[str, ...] = ()
    only_b: tuple[str, ...] = ()


@dataclass(frozen=True)
class PeopleDiff:
    a: Person
    b: Person
    both: tuple[tuple[str, str], ...] = ()  # (id, name) kept by both
    only_a: tuple[OnlyOne, ...] = ()
    only_b: tuple[OnlyOne, ...] = ()
    categories: tuple[tuple[str, str, str, str], ...] = ()  # (id, name, a's, b's)
    splits: tuple[Disagreement, ...] = ()
    blocks: tuple[BlockCompare, ...] = ()
    unreviewed: int = 0  # suggestions left out: neither reviewed them
    generated: int = 0  # derived block items left out
    names: dict[str, str] = field(default_factory=dict)

    @property
    def same_type(self) -> bool:
        return self.a.canvas.dominant == self.b.canvas.dominant

    @property
    def agree(self) -> bool:
        return not (
            self.only_a
            or self.only_b
            or self.categories
            or self.splits
            or not self.same_type
            or [x.id for x in self.a.canvas.focus] != [x.id for x in self.b.canvas.focus]
            or any(b.only_a or b.only_b for b in self.blocks)
        )

    def to_dict(self) -> dict[str, Any]:
        def person(p: Person) -> dict[str, Any]:
            return {
                "name": p.name,
                "file": p.file,
                "title": p.canvas.title,
                "dominant": p.canvas.dominant,
                "focus": [x.id for x in p.canvas.focus],
                "kept": list(p.kept),
            }

        def only(o: OnlyOne) -> dict[str, Any]:
            return {
                "id": o.id,
                "name": o.name,
                "category": o.category,
                "priority": o.priority,
                "other": o.other,
            }

        return {
            "format": COMPARE_FORMAT,
            "a": person(self.a),
            "b": person(self.b),
            "agree": self.agree,
            "activities": {
                "both": [{"id": i, "name": n} for i, n in self.both],
                "only_a": [only(o) for o in self.only_a],
                "only_b": [only(o) for o in self.only_b],
                "categories": [
                    {"id": i, "name": n, "a": ca, "b": cb} for i, n, ca, cb in self.categories
                ],
            },
            "splits": [
                {
                    "kind": d.kind,
                    "name": d.name,
                    "sides": [{"said": s, "participants": list(w)} for s, w in d.sides],
                    "quotes": [
                        {"participant": q.participant, "question": q.question, "quote": q.quote}
                        for q in d.quotes
                    ],
                }
                for d in self.splits
            ],
            "blocks": {
                b.block: {"both": list(b.both), "only_a": list(b.only_a), "only_b": list(b.only_b)}
                for b in self.blocks
            },
            "left_out": {
                "unreviewed_suggestions": self.unreviewed,
                "generated_items": self.generated,
            },
        }


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def own_items(canvas: Canvas, block: str) -> tuple[list[str], int]:
    """The block's items the person wrote, and how many generated ones were left out.

    In a derived block (key resources, cost structure, key partners) only the items the
    person's answers say are theirs; the rest were generated from the catalogue. A canvas
    with no answers at all (a team canvas, one written by hand) keeps every item."""
    items = list(dict.fromkeys(canvas.blocks.get(block, ())))
    if block not in DERIVED_BLOCKS or not canvas.answers:
        return items, 0
    said = _key(" ".join(canvas.answers.values()))
    own = [i for i in items if _key(i.split(" (", 1)[0]) in said]
    return own, len(items) - len(own)


def _only(mine: dict[str, Activity], theirs: Canvas) -> tuple[OnlyOne, ...]:
    status: dict[str, str] = {}
    for x in theirs.activities:
        status.setdefault(x.id, x.status)
    out = []
    for i, a in mine.items():
        other = status.get(i, "absent")
        if other == "accepted":
            continue
        out.append(OnlyOne(i, a.name, a.category, a.priority, other))
    out.sort(key=lambda o: (o.priority or 9, o.name))
    return tuple(out)


def compare_people(a: Person, b: Person) -> PeopleDiff:
    from canvas_tui.core.team.splits import business_type_split, find_splits

    kept_a, kept_b = a.kept, b.kept
    both = tuple((i, kept_a[i].name) for i in kept_a if i in kept_b)
    categories = tuple(
        (i, kept_a[i].name, kept_a[i].category, kept_b[i].category)
        for i in kept_a
        if i in kept_b and kept_a[i].category != kept_b[i].category
    )
    people = [Participant(a.name, a.file, a.canvas), Participant(b.name, b.file, b.canvas)]
    splits: list[Disagreement] = []
    if a.canvas.dominant != b.canvas.dominant and "unknown" not in (
        a.canvas.dominant,
        b.canvas.dominant,
    ):
        sides = tuple((CATEGORY_TITLES[p.canvas.dominant], (p.name,)) for p in (a, b))
        split = business_type_split(people, sides)
        if split is not None:
            splits.append(split)
    splits.extend(find_splits(people))
    blocks = []
    generated = 0
    for block in BLOCKS:
        if block == "key_activities":
            continue  # the activities stand for it
        items_a, left_a = own_items(a.canvas, block)
        items_b, left_b = own_items(b.canvas, block)
        generated += left_a + left_b
        keys_b = {_key(i) for i in items_b}
        keys_a = {_key(i) for i in items_a}
        compared = BlockCompare(
            block,
            tuple(i for i in items_a if _key(i) in keys_b),
            tuple(i for i in items_a if _key(i) not in keys_b),
            tuple(i for i in items_b if _key(i) not in keys_a),
        )
        if compared.both or compared.only_a or compared.only_b:
            blocks.append(compared)
    reviewed = set(kept_a) | set(kept_b)
    unreviewed = len(
        {x.id for p in (a, b) for x in p.canvas.activities if x.status == "suggested"} - reviewed
    )
    names = {x.id: x.name for p in (b, a) for x in p.canvas.activities}
    return PeopleDiff(
        a=a,
        b=b,
        both=both,
        only_a=_only(kept_a, b.canvas),
        only_b=_only(kept_b, a.canvas),
        categories=categories,
        splits=tuple(splits),
        blocks=tuple(blocks),
        unreviewed=unreviewed,
        generated=generated,
        names=names,
    )


# --------------------------------------------------------------------------- rendering

_OTHER = {
    "rejected": "{who} rejected it",
    "suggested": "{who} left it unreviewed",
    "absent": "{who} was never suggested it",
}


def other_text(o: OnlyOne, who: str) -> str:
    return _OTHER[o.other].format(who=who)


def _focus(canvas: Canvas) -> str:
    return "  ".join(f"{x.priority}. {x.name}" for x in canvas.focus) or "(none)"


def _type(canvas: Canvas) -> str:
    from canvas_tui.core.team.reports import TYPE_TITLES

    return TYPE_TITLES.get(canvas.dominant, canvas.dominant)


def people_text(d: PeopleDiff) -> str:
    a, b = d.a.name, d.b.name
    lines = [
        f"Comparing two people's canvases: {a} ({d.a.file}) and {b} ({d.b.file})",
        f"business type: {a}: {_type(d.a.canvas)}; {b}: {_type(d.b.canvas)}"
        + ("" if d.same_type else "  <- differs"),
        f"top three of {a}: {_focus(d.a.canvas)}",
        f"top three of {b}: {_focus(d.b.canvas)}",
        "both kept: " + (", ".join(n for _, n in d.both) or "(nothing)"),
    ]
    for owner, other, items in ((a, b, d.only_a), (b, a, d.only_b)):
        for o in items:
            lines.append(f"only {owner} kept: {o.name} ({other_text(o, other)})")
    for _, name, ca, cb in d.categories:
        lines.append(f"category of {name}: {a}: {CATEGORY_TITLES[ca]}; {b}: {CATEGORY_TITLES[cb]}")
    for s in d.splits:
        lines.append(f"split: {s.name}: " + "; ".join(f"{x}: {', '.join(w)}" for x, w in s.sides))
        for q in s.quotes:
            lines.append(f"  {q.participant}: “{q.quote}”")
    for blk in d.blocks:
        parts = []
        if blk.both:
            parts.append("both: " + "; ".join(blk.both))
        if blk.only_a:
            parts.append(f"only {a}: " + "; ".join(blk.only_a))
        if blk.only_b:
            parts.append(f"only {b}: " + "; ".join(blk.only_b))
        lines.append(f"{BLOCK_TITLES[blk.block]}: " + " | ".join(parts))
    if d.agree:
        lines.append("they agree on everything compared")
    lines.append(
        f"left out: {d.unreviewed} suggestion(s) neither reviewed, "
        f"{d.generated} generated item(s) of key resources, costs and partners"
    )
    from canvas_tui.core.team.reports import text_report

    return text_report(lines)


def people_markdown(d: PeopleDiff) -> str:
    from canvas_tui.core.team.reports import render_template

    return render_template("people.md.j2", d=d, other_text=other_text)


def render_people(d: PeopleDiff, fmt: str) -> str:
    from canvas_tui.core.team.reports import render_report, to_json

    return render_report(
        fmt,
        json=lambda: to_json(d.to_dict()),
        md=lambda: people_markdown(d),
        text=lambda: people_text(d),
    )


def people_from(a: Canvas, b: Canvas, *, a_file: str = "", b_file: str = "") -> PeopleDiff:
    """Name the two people as the merge does (title, else file name) and compare them."""
    from canvas_tui.core.team.merge_inputs import participant_names

    names: Sequence[str] = participant_names([a.title, b.title], [a_file, b_file])
    return compare_people(Person(names[0], a_file, a), Person(names[1], b_file, b))
