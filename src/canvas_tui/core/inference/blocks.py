"""Blocks of the canvas derived from the kept key activities: key resources, key partners
and the cost structure."""

from __future__ import annotations

from collections.abc import Sequence

from canvas_tui.core.inference.catalogue import Catalogue


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
