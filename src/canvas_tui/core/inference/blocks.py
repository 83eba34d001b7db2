"""Blocks of the canvas derived from the kept key activities: key resources, key partners
and the cost structure."""

from __future__ import annotations

from collections.abc import Sequence

from canvas_tui.core.inference.catalogue import Catalogue
from canvas_tui.core.inference.results import PartnerMention


def derive_blocks(
    activities: Sequence[tuple[str, bool]],
    catalogue: Catalogue,
    partners: Sequence[PartnerMention] = (),
) -> dict[str, list[str]]:
    """Key resources, key partners and cost structure from the kept activities.

    Key partners are first the partners the answers name (`Inference.partners`: "A 3PL
    (order fulfilment)", "Our insurer"), then, for a kept partner-candidate activity no
    named partner does, the kind of partner that could ("A 3PL or courier (...)"). An
    activity a named partner does adds no key resources (they are the partner's) and, as
    its cost, the partner's fees ("Hughes Haulage's fees (logistics and distribution)")."""
    blocks: dict[str, list[str]] = {"key_resources": [], "key_partners": [], "cost_structure": []}
    seen: set[str] = set()

    def add(block: str, item: str) -> None:
        if item and item not in blocks[block]:
            blocks[block].append(item)

    covered: dict[str, str] = {}  # activity id -> the named partner that does it
    for mention in partners:
        name = mention.name[:1].upper() + mention.name[1:]
        if partner_key(name) in seen:  # "a delivery app" and "one delivery app": one
            continue
        seen.add(partner_key(name))
        done = [catalogue.get(i) for i in mention.activities] if catalogue is not None else []
        what = ", ".join(a.name.lower() for a in done if a is not None)
        blocks["key_partners"].append(f"{name} ({what})" if what else name)
        for ident in mention.activities:
            covered.setdefault(ident, name)

    for ident, partner in activities:
        activity = catalogue.get(ident) if catalogue is not None else None
        if activity is None:
            continue
        if ident in covered:
            # a partner the answers name does it: its vans or machines are the partner's;
            # what the business pays is the partner's fees
            add("cost_structure", f"{covered[ident]}'s fees ({activity.name.lower()})")
            continue
        for resource in activity.resources:
            add("key_resources", resource)
        for cost in activity.costs:
            add("cost_structure", cost)
        if partner and ident not in covered:
            hint = activity.partner_hint or "a partner"
            add("key_partners", f"{hint[:1].upper()}{hint[1:]} ({activity.name.lower()})")
    return blocks


_DETERMINERS = ("a ", "an ", "the ", "one ", "our ", "my ", "their ")


def partner_key(item: str) -> str:
    """A partner's name for comparing: lower case, without "a", "the", "our" or what it
    does in brackets ("A 3PL (order fulfilment)" -> "3pl")."""
    key = item.split(" (", 1)[0].strip().lower()
    for word in _DETERMINERS:
        if key.startswith(word):
            key = key[len(word) :]
    return key
