"""The normalized JSON form: sources once, lines referring to them; the full form restored."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import carbon_footprint as cf
from carbon_footprint._json import normalize

from .strategies import activity_of

ACTS: list[Any] = [
    {"type": "rail", "distance": "12 km", "label": "to the venue"},
    {"type": "rail", "distance": "30 km"},
    {"type": "hotel", "nights": 2, "country": "CN"},
    {"type": "plane"},  # an error line
    {"type": "rail", "distance": "5 km"},
]


def test_sources_once_lines_refer_to_them() -> None:
    fp = cf.calculate(ACTS, errors="collect")
    doc = json.loads(fp.normalized_json())
    assert list(doc)[:6] == ["form", "total_tco2e", "by_category", "by_basis", "by_scope",
                             "sources"]
    assert doc["form"] == "normalized" and list(doc)[6] == "lines"
    assert [s["type"] for s in doc["sources"]] == ["rail", "hotel"]
    lines = doc["lines"]
    assert [ln.get("source") for ln in lines] == [0, 0, 1, None, 0]
    assert lines[3]["status"] == "error" and lines[3]["code"] == "type_unknown"
    assert lines[0] == {"status": "ok", "index": 0, "source": 0, "label": "to the venue",
                        "tco2e": fp.lines[0].tco2e, "quantity": 12.0, "upstream_tco2e": None}
    assert cf.expand_normalized(doc) == json.loads(fp.model_dump_json())
    assert cf.expand_normalized(json.loads(fp.model_dump_json())) == json.loads(
        fp.model_dump_json())  # the full form is returned as it is


def test_smaller_for_a_batch() -> None:
    acts = [{"type": "bus", "distance": f"{i} km"} for i in range(1, 2001)]
    fp = cf.calculate(acts)
    assert len(fp.normalized_json()) < len(fp.model_dump_json()) / 3


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(sorted(cf.activity_types())).flatmap(activity_of),
                min_size=0, max_size=8), st.sampled_from([None, "uk-reporting"]),
       st.booleans())
def test_normalized_is_the_full_form_normalized(acts: list[dict[str, Any]], method: Any,
                                                built: bool) -> None:
    fp = cf.calculate(acts, method=method, errors="collect")
    if built:
        fp.lines  # noqa: B018 (the writer reads built lines, or the engine's rows)
    full = json.loads(fp.model_dump_json())
    doc = json.loads(fp.normalized_json())
    assert doc == normalize(full)
    assert list(doc) == list(normalize(full))
    expanded = cf.expand_normalized(doc)
    assert expanded == full
    assert [list(ln) for ln in expanded["lines"]] == [list(ln) for ln in full["lines"]]


def test_schema_form_is_checked() -> None:
    schema = cf.response_schema(form="normalized")
    assert schema["properties"]["form"]["const"] == "normalized"
    assert "Source" in schema["$defs"] and "LineItem" not in schema["$defs"]
    assert schema["required"][:1] == ["form"] and "sources" in schema["required"]
    with pytest.raises(cf.CarbonFootprintError, match="form must be"):
        cf.response_schema(form="compact")
