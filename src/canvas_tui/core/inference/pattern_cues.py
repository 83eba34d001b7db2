"""Business-model cues one answer gives by its shape rather than by a listed phrase.

* work on the customers' own goods, land or premises ("their stock", "on your land"):
  problem solving;
* an answer that opens with the work it sells, done for someone ("Dog walking for busy
  owners"): problem solving;
* a price per unit of work done ("per load", "95/acre"): problem solving;
* a cut the business keeps ("we keep 20 %", "we take 15 %"): platform / network.

The words and weights come from roles.toml (``[service]``, ``[revenue]``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from canvas_tui.core.inference.function_words import LIST_JOINERS, NOT_AFTER, POSSESSIVE
from canvas_tui.core.inference.matcher import Hit
from canvas_tui.core.inference.reading import CueRef, Mention, SignalRef
from canvas_tui.core.inference.shares import is_percent
from canvas_tui.core.inference.text import Token

if TYPE_CHECKING:  # pragma: no cover
    from canvas_tui.core.inference.matching import Compiled

#: how far into an answer its title may start ("Night hygiene cleaning for ...")
TITLE_REACH = 4


def whose_goods(
    compiled: Compiled,
    tokens: Sequence[Token],
    marks: Mapping[str, list[Hit]],
    negated: Callable[[int, int], bool],
    who: Callable[[int, int], tuple[str, Hit | None]],
) -> list[Mention]:
    """Work on the customers' own goods, land or premises ("their stock", "clients'
    goods", "on your land"): a problem-solving cue (roles.toml [service])."""
    roles = compiled.roles
    owners = [
        (h.first, h.last)
        for h in marks.get("sowner", [])
        if h.first == 0 or tokens[h.first - 1].norm not in NOT_AFTER
    ]
    owners += [(h.first, h.last) for h in marks.get("syour", [])]
    out: list[Mention] = []
    seen: set[int] = set()
    for prop in marks.get("sproperty", []):
        for first, last in owners:
            between = range(last + 1, prop.first)
            if (
                last < prop.first
                and len(between) <= roles.service_gap
                and tokens[last].clause == tokens[prop.first].clause
                and not any(tokens[i].norm in POSSESSIVE for i in between)
                and first not in seen
            ):
                seen.add(first)
                if negated(first, prop.last):
                    mode = "negated"
                else:
                    mode, _agent = who(first, prop.last)
                if mode == "partner":
                    break
                out.append(
                    Mention(
                        CueRef("problem_solving", roles.service_weight, ()),
                        "whose goods: "
                        + " ".join(tokens[i].norm for i in range(first, prop.last + 1)),
                        first,
                        prop.last,
                        tokens[first].start,
                        tokens[prop.last].end,
                        mode,
                        False,
                        True,
                    )
                )
                break
    return out


def service_title(
    compiled: Compiled,
    tokens: Sequence[Token],
    hits: Sequence[Hit],
    customer_marks: Sequence[Hit],
) -> list[Mention]:
    """An answer that opens with the work it sells, done for someone: "Contract spraying
    and combining for arable farms", "Night hygiene cleaning for food factories", "Dog
    walking for busy owners". A word in -ing among the first words, right before "for"
    (or joined to another such word by and/or/&/+/a comma), is a problem-solving cue,
    unless a production or platform signal covers it ("Brewing for pubs", "Printing for
    agencies" make things) or a noun follows it ("Booking software for salons")."""
    made = {
        i
        for h in hits
        if isinstance(h.phrase.payload, SignalRef)
        and compiled.activities[h.phrase.payload.activity].category
        in ("production", "platform_network")
        for i in range(h.first, h.last + 1)
    }
    marks_at = {h.first for h in customer_marks if tokens[h.first].norm == "for"}
    for i in range(min(TITLE_REACH, len(tokens))):
        if tokens[i].sentence != 0:
            break
        j = i
        gerunds = []
        while j < len(tokens) and tokens[j].sentence == 0:
            norm = tokens[j].norm
            if len(norm) >= 6 and norm.isalpha() and norm.endswith("ing") and j not in made:
                gerunds.append(j)
                j += 1
                if j < len(tokens) and tokens[j].norm in LIST_JOINERS:
                    j += 1
                continue
            break
        if gerunds and j in marks_at:
            first, last = gerunds[0], gerunds[-1]
            return [
                Mention(
                    CueRef("problem_solving", compiled.roles.service_weight, ()),
                    "work sold to others: " + tokens[first].norm,
                    first,
                    last,
                    tokens[first].start,
                    tokens[last].end,
                    "own",
                    False,
                    True,
                )
            ]
    return []


def priced_per_job(
    compiled: Compiled, text: str, tokens: Sequence[Token], marks: Mapping[str, list[Hit]]
) -> list[Mention]:
    """A price per unit of work done for the customer ("per load", "95/acre", "per bin"):
    a problem-solving cue (roles.toml [service] units)."""
    out: list[Mention] = []
    for h in marks.get("sunit", []):
        if h.first == 0:
            continue
        before = tokens[h.first - 1]
        slash = text[before.end : tokens[h.first].start].strip() == "/"
        if not (
            slash
            or (before.norm == "per" and tokens[h.first - 1].sentence == tokens[h.first].sentence)
        ):
            continue
        first = h.first if slash else h.first - 1
        out.append(
            Mention(
                CueRef("problem_solving", compiled.roles.service_weight, ()),
                "priced per job: " + " ".join(tokens[i].norm for i in range(first, h.last + 1)),
                first,
                h.last,
                tokens[first].start,
                tokens[h.last].end,
                "own",
                False,
                True,
            )
        )
    return out


def keeps_a_cut(
    compiled: Compiled,
    text: str,
    tokens: Sequence[Token],
    marks: Mapping[str, list[Hit]],
    negated: Callable[[int, int], bool],
    who: Callable[[int, int], tuple[str, Hit | None]],
) -> list[Mention]:
    """A percentage the business keeps: "we keep 20 %", "we only take 15 %" (not "the
    stores take 30 %", not in a clause of a deposit, a discount or a cost): a platform
    cue (roles.toml [revenue] commission verbs)."""
    roles = compiled.roles
    out: list[Mention] = []
    noshare = {  # a deposit, a discount, a cost: not a cut ("keep" itself is no stop)
        tokens[h.first].clause
        for h in marks.get("noshare", [])
        if not (h.first == h.last and tokens[h.first].norm in roles.commission_verbs)
    }
    for i, t in enumerate(tokens):
        if (
            t.norm.replace(".", "", 1).isdigit()
            and is_percent(text, t.end, tokens[i + 1] if i + 1 < len(tokens) else None)
            and t.clause not in noshare
        ):
            verb = next(
                (
                    j
                    for j in range(max(0, i - 3), i)
                    if tokens[j].norm in roles.commission_verbs and tokens[j].clause == t.clause
                ),
                None,
            )
            if (
                verb is None
                or negated(verb, i)
                # we keep it: "we keep 20 %", "we only take 15 %" (not "the stores take")
                or not any(tokens[k].norm in ("we", "i") for k in range(max(0, verb - 2), verb))
            ):
                continue
            mode, _agent = who(verb, i)
            if mode == "own":
                out.append(
                    Mention(
                        CueRef("platform_network", roles.commission_weight, ()),
                        "keeps a cut: " + " ".join(tokens[k].norm for k in range(verb, i + 1)),
                        verb,
                        i,
                        tokens[verb].start,
                        t.end,
                        "own",
                        False,
                        True,
                    )
                )
    return out
