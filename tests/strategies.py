"""Hypothesis strategies shared by the property and fuzz tests."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

LENGTH_UNITS = {"km": 1.0, "m": 0.001, "mi": 1.609344, "nmi": 1.852, "ft": 0.0003048}
MASS_UNITS = {"kg": 1.0, "g": 0.001, "lb": 0.45359237, "t": 1000.0}
ENERGY_UNITS = {"kWh": 1.0, "MWh": 1000.0, "Wh": 0.001, "GJ": 277.77777777777777}

IATA = ["PEK", "PVG", "CTU", "TFU", "CAN", "SZX", "LHR", "MAN", "EDI", "JFK", "CDG", "HND",
        "SIN", "DXB", "FRA", "SYD"]

positive = st.floats(min_value=0.01, max_value=500, allow_nan=False, allow_infinity=False)
counts = st.integers(min_value=1, max_value=20)


def quantity(units: dict[str, float]) -> st.SearchStrategy[str]:
    return st.builds(lambda v, u: f"{v!r} {u}", positive, st.sampled_from(sorted(units)))


def _type(t: str, **fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"type": st.just(t), **fields})


activities = st.one_of(
    _type("flight", distance=quantity(LENGTH_UNITS),
          cabin=st.sampled_from(["average", "economy", "premium_economy", "business", "first"]),
          passengers=counts, round_trip=st.booleans(), radiative_forcing=st.booleans(),
          route=st.sampled_from(["domestic_uk", "to_from_uk", "non_uk"])),
    _type("flight", origin=st.sampled_from(IATA[:8]), destination=st.sampled_from(IATA[8:])),
    _type("rail", distance=quantity(LENGTH_UNITS),
          service=st.sampled_from(["national", "high_speed", "international", "light_rail"]),
          passengers=counts),
    _type("car", distance=quantity(LENGTH_UNITS),
          fuel=st.sampled_from(["petrol", "diesel", "hybrid", "electric", "unknown"]),
          size=st.sampled_from(["small", "medium", "large", "average"])),
    _type("taxi", distance=quantity(LENGTH_UNITS)),
    _type("bus", distance=quantity(LENGTH_UNITS),
          service=st.sampled_from(["average", "local", "london", "coach"])),
    _type("metro", distance=quantity(LENGTH_UNITS)),
    _type("hotel", nights=counts, rooms=counts,
          country=st.sampled_from(["CN", "GB", "US", "JP", "FR", "NO", "HK"])),
    _type("meal", diet=st.sampled_from(["beef", "vegan", "average", "meat_heavy"]), count=counts),
    _type("food", item=st.sampled_from(["rice", "apples", "beef_beef_herd", "tofu"]),
          mass=quantity(MASS_UNITS)),
    _type("purchase", category=st.sampled_from(["restaurant", "souvenirs", "naics:722511"]),
          amount=st.builds(lambda v, c: f"{v!r} {c}", positive, st.sampled_from(["CNY", "USD",
                                                                                  "EUR"])),
          year=st.integers(2016, 2024)),
    _type("electricity", energy=quantity(ENERGY_UNITS),
          region=st.sampled_from(["CN", "CN-SC", "CN-BJ", "GB"])),
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)


@st.composite
def near_valid(draw: st.DrawFn) -> Any:
    """A valid activity with one field replaced, removed or added at random."""
    act = dict(draw(activities))
    op = draw(st.sampled_from(["replace", "remove", "add", "retype"]))
    keys = sorted(act)
    if op == "replace":
        act[draw(st.sampled_from(keys))] = draw(json_values | st.sampled_from(
            ["-5 km", "nan km", "inf kg", "1e400 km", "3 kg", "ten km", "", "km", "1e9 mi",
             "NO", "ZZZ", "-1 CNY", True, -1, 0, 2**70, float("nan"), float("inf")]))
    elif op == "remove" and len(keys) > 1:
        del act[draw(st.sampled_from([k for k in keys if k != "type"]))]
    elif op == "add":
        act[draw(st.text(min_size=1, max_size=12))] = draw(json_values)
    else:
        act["type"] = draw(st.sampled_from(["flight", "hotel", "meal", "fligth", "", "Flight"]))
    return act
