"""National postal carriers are partners by name, like DHL and DPD (issue 13: 'Key Partners
stayed empty although answers named PostNL')."""

import pytest

from canvas_tui.core.inference.catalogue import default_catalogue
from canvas_tui.core.inference.infer import infer


@pytest.mark.parametrize("carrier", ["PostNL", "bpost", "La Poste", "InPost", "Canada Post"])
def test_a_named_carrier_is_a_key_partner(carrier):
    result = infer(
        {
            "value_proposition.offer": "handmade leather wallets, sold in our webshop",
            "channels.fulfilment": f"we pack every order ourselves and {carrier} delivers it",
        },
        default_catalogue(),
    )
    assert [p.name for p in result.partners] == [carrier]
