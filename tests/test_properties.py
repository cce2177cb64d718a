"""Hypothesis invariants: unit invariance, linearity, additivity, JSON round trip, offsets."""

from __future__ import annotations

import math
from decimal import ROUND_CEILING, ROUND_HALF_EVEN, Decimal

from hypothesis import given
from hypothesis import strategies as st

import carbon_footprint as cf
from carbon_footprint._exact import TOTAL_DECIMALS, to_tonnes

from .strategies import LENGTH_UNITS, MASS_UNITS, activities

DISTANCE_TYPES = ["flight", "rail", "car", "taxi", "bus", "metro"]
km = st.floats(min_value=0.001, max_value=1_500, allow_nan=False)


@given(st.sampled_from(DISTANCE_TYPES), km, st.sampled_from(sorted(LENGTH_UNITS)))
def test_unit_invariance_distance(kind: str, value_km: float, unit: str) -> None:
    in_unit = value_km / LENGTH_UNITS[unit]
    a = cf.calculate([{"type": kind, "distance": f"{value_km!r} km"}]).lines[0].tco2e
    b = cf.calculate([{"type": kind, "distance": {"value": in_unit, "unit": unit}}]
                     ).lines[0].tco2e
    assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-15)


@given(st.floats(min_value=0.001, max_value=1000), st.sampled_from(sorted(MASS_UNITS)))
def test_unit_invariance_mass(value_kg: float, unit: str) -> None:
    a = cf.calculate([{"type": "food", "item": "rice", "mass": f"{value_kg!r} kg"}])
    b = cf.calculate([{"type": "food", "item": "rice",
                       "mass": {"value": value_kg / MASS_UNITS[unit], "unit": unit}}])
    assert math.isclose(a.lines[0].tco2e, b.lines[0].tco2e, rel_tol=1e-9, abs_tol=1e-15)


@given(st.sampled_from(DISTANCE_TYPES), km, st.integers(min_value=1, max_value=50),
       st.sampled_from(["uk-reporting", "china-large-event"]))
def test_linear_in_distance_within_a_band(kind: str, value_km: float, k: int,
                                          method: str) -> None:
    """Linear in the distance while the factor stays the same (flights: within a band)."""
    one = cf.calculate([{"type": kind, "distance": f"{value_km!r} km"}], method=method).lines[0]
    many = cf.calculate([{"type": kind, "distance": f"{value_km * k!r} km"}],
                        method=method).lines[0]
    if one.factor.factor_id == many.factor.factor_id:  # type: ignore[union-attr]
        assert math.isclose(many.tco2e, one.tco2e * k, rel_tol=1e-9, abs_tol=1e-15)
    else:
        assert kind == "flight" and value_km * k >= 3_700 > value_km


@given(st.integers(1, 100), st.integers(1, 100))
def test_linear_in_counts(nights: int, rooms: int) -> None:
    unit = cf.calculate([{"type": "hotel", "nights": 1, "country": "CN"}]).lines[0].tco2e
    fp = cf.calculate([{"type": "hotel", "nights": nights, "rooms": rooms, "country": "CN"}])
    assert math.isclose(fp.lines[0].tco2e, unit * nights * rooms, rel_tol=1e-12)


@given(st.lists(activities, max_size=12))
def test_additivity(acts: list[dict[str, object]]) -> None:
    fp = cf.calculate(acts, errors="collect")
    lines = [ln.tco2e for ln in fp.ok_lines]
    assert len(fp.lines) == len(acts)
    assert fp.total_tco2e == to_tonnes(math.fsum(lines))  # exact, to the gram
    assert fp.total_tco2e == sum(fp.by_category.values(), Decimal(0))  # parts add up exactly
    # each part alone gives the same line
    for i, act in enumerate(acts[:3]):
        alone = cf.calculate([act], errors="collect").lines[0]
        where = {"index", "message", "pointer"}  # the position in the batch differs
        assert alone.model_dump(exclude=where) == fp.lines[i].model_dump(exclude=where)


@given(st.lists(activities, max_size=8))
def test_json_round_trip(acts: list[dict[str, object]]) -> None:
    fp = cf.calculate(acts, errors="collect")
    text = fp.model_dump_json()
    assert cf.Footprint.model_validate_json(text).model_dump_json() == text


@given(st.lists(activities, max_size=8))
def test_activity_models_round_trip(acts: list[dict[str, object]]) -> None:
    models = [cf.validate_activity(a) for a in acts]
    # what was given (a default taken is said on the line, so defaults stay unset)
    dumped = [m.model_dump(exclude_unset=True) for m in models]
    a = cf.calculate(dumped, errors="collect")
    assert a.model_dump() == cf.calculate(models, errors="collect").model_dump()


@given(
    st.floats(min_value=0, max_value=1e5, allow_nan=False),
    st.decimals(min_value=0, max_value=1, places=3),
    st.sampled_from([Decimal("1"), Decimal("0.5"), Decimal("0.001"), Decimal("10")]),
)
def test_credits_are_ceil(total: float, buffer: Decimal, size: Decimal) -> None:
    res = cf.credits_for(total, cf.OffsetPolicy(buffer=buffer, credit_size_tco2e=size))
    t = Decimal(repr(total)).quantize(Decimal(1).scaleb(-TOTAL_DECIMALS), ROUND_HALF_EVEN)
    expect = (t * (1 + buffer) / size).to_integral_value(ROUND_CEILING)
    assert res.credits == int(expect) and res.credits == res.credits.to_integral_value()
    assert res.covers_tco2e >= res.required_tco2e


@given(st.floats(min_value=0, max_value=1e4, allow_nan=False),
       st.sampled_from([Decimal("0.01"), Decimal("0.1"), Decimal("0.25")]))
def test_fractional_credits(total: float, gran: Decimal) -> None:
    res = cf.credits_for(total, cf.OffsetPolicy(rounding="fractional", granularity=gran))
    assert isinstance(res.credits, (Decimal, int))
    assert res.covers_tco2e >= res.required_tco2e
    assert res.covers_tco2e - res.required_tco2e < gran
    assert (Decimal(res.credits) / gran) == (Decimal(res.credits) / gran).to_integral_value()
