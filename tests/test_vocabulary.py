"""One owner of the vocabulary: models, registry, compile functions and bundled tables agree,
and everything that lists activity types derives from the registry."""

from __future__ import annotations

import json
import typing
from typing import Literal, get_args, get_origin

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import carbon_footprint as cf
from carbon_footprint._registry import CATEGORIES
from carbon_footprint.activities._fields import quantity_kind
from carbon_footprint.tables import bundled_table_ids, get_table, resolve_tables
from carbon_footprint.units import KINDS

from .strategies import activity_of

SPECS = cf.activity_types()


@pytest.mark.parametrize("name", list(SPECS))
def test_model_and_spec_agree(name: str) -> None:
    spec = SPECS[name]
    fields = spec.model.model_fields
    assert get_args(fields["type"].annotation) == (name,)
    assert spec.category in CATEGORIES
    if spec.quantity is not None:
        kind = quantity_kind(fields[spec.quantity])
        assert kind is not None and kind is KINDS[spec.kind]  # type: ignore[index]
    if spec.region_field is not None:
        assert spec.region_field in fields
    for form in spec.model.forms:
        assert set(form) <= set(fields)
    assert spec.model.__doc__ and spec.model.__module__.startswith("carbon_footprint.activities.")


@pytest.mark.parametrize("name", list(SPECS))
def test_every_type_has_factors(name: str) -> None:
    served = [t for t in bundled_table_ids() if any(k[0] == name for k in get_table(t).index)]
    assert served, f"no bundled table serves {name}"
    assert any(k[0] == name for k in resolve_tables(None).index), "not in the default set"


def _choices(model: type, field: str) -> tuple[object, ...]:
    ann = model.model_fields[field].annotation  # type: ignore[attr-defined]
    if get_origin(ann) in (typing.Union, __import__("types").UnionType):
        ann = next(a for a in get_args(ann) if a is not type(None))
    return get_args(ann) if get_origin(ann) is Literal else ()


@pytest.mark.parametrize("name", list(SPECS))
def test_every_choice_resolves_in_some_bundled_table(name: str) -> None:
    """Each literal value of each field computes a line with at least one bundled table."""
    spec = SPECS[name]
    # free-text selectors: a few published values each (a choice must work with one of them)
    bases = {"flight": [{"distance": "800 km"}], "hotel": [{"nights": 1}],
             "purchase": [{"category": "restaurant", "amount": "1 USD"}],
             "food": [{"item": "rice", "mass": "1 kg"}], "fuel": [{"fuel": "natural_gas"}],
             "refrigerant": [{"gas": "r410a"}],
             "waste": [{"material": m} for m in ("paper", "food_and_drink", "glass")],
             "material": [{"material": m} for m in ("paper", "aggregates")]}.get(name, [{}])
    if spec.quantity:
        sample = {"distance": "10 km", "energy": "1 kWh", "mass": "1 kg", "volume": "1 m^3",
                  "fuel amount": "1 kWh", "amount": "1 USD"}[KINDS[spec.kind].name]  # type: ignore
        bases = [{spec.quantity: sample, **b} for b in bases]
    for field in spec.model.model_fields:
        for choice in _choices(spec.model, field):
            ok = []
            for base in bases:
                act = {"type": name, **base, field: choice}
                if field == "route" and "distance" not in act:
                    continue
                for tid in bundled_table_ids():
                    fp = cf.calculate([act], tables=tid, errors="collect")
                    ok.append(fp.lines[0].status == "ok")
            assert any(ok) or not ok, f"{name}.{field}={choice!r} has no factor in any table"


def test_schema_lists_every_type() -> None:
    schema = cf.activity_schema()
    assert {b["if"]["properties"]["type"]["const"] for b in schema["allOf"]} == set(SPECS)
    assert {m.__name__ for m in (s.model for s in SPECS.values())} <= set(schema["$defs"])
    assert json.dumps(schema)


@settings(max_examples=20)
@given(st.data())
def test_strategies_cover_every_type(data: st.DataObject) -> None:
    for name in SPECS:
        act = data.draw(activity_of(name))
        assert act["type"] == name


def test_synthetic_data_covers_every_type() -> None:
    import sys

    from .conftest import REPO

    pd = pytest.importorskip("pandas")
    sys.path.insert(0, str(REPO / "benchmarks"))
    from synthetic import activity_frame

    df = activity_frame(5_000, seed=3)
    assert isinstance(df, pd.DataFrame) and set(df["type"].unique()) == set(SPECS)
    out = cf.calculate_frame(df)
    assert out["error"].isna().all(), out.loc[out["error"].notna(), "error"].unique()[:5]
