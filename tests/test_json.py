"""The fast JSON writer of a footprint gives exactly pydantic's bytes."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import carbon_footprint as cf

from .strategies import activity_of


def _pydantic(fp: cf.Footprint) -> str:
    return fp.__pydantic_serializer__.to_json(fp).decode()


def test_reference_guest_and_options() -> None:
    acts = [{"type": "flight", "origin": "PEK", "destination": "TFU", "label": "李华 \x1b[31m"},
            {"type": "hotel", "nights": 2, "country": "TW", "guests_per_room": 2},
            {"type": "meal", "diet": "vegan", "count": 3, "label": 'a "quoted" label'},
            {"type": "fuel", "fuel": "natural_gas", "amount": "1e-9 kWh"},
            {"type": "purchase", "category": "souvenirs", "amount": "1e9 CNY", "year": 2024},
            {"type": "rail", "distance": "0 km"}]
    for method in (None, "uk-reporting", {"upstream": True}, {"gwp": "AR6"}):
        fp = cf.calculate(acts, method=method, offset={"price_per_credit": "42.97",
                                                        "currency": "CNY"})
        assert fp.model_dump_json() == _pydantic(fp)
    fp = cf.calculate([*acts, {"type": "rail"}], errors="collect")  # an error line
    assert fp.model_dump_json() == _pydantic(fp)
    assert fp.model_dump_json(exclude={"lines"}) != _pydantic(fp)  # options go to pydantic


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(sorted(cf.activity_types())).flatmap(activity_of),
                min_size=0, max_size=8), st.sampled_from([None, "uk-reporting"]))
def test_fast_json_equals_pydantic(acts: list[dict[str, Any]], method: Any) -> None:
    fp = cf.calculate(acts, method=method, errors="collect")
    assert fp.model_dump_json() == _pydantic(fp)
