"""Hypothesis strategies shared by the property and fuzz tests, derived from the activity registry.

Every registered activity type gets a strategy built from its model's fields: literals become
choices, counts integers within their bounds, quantities a number with a unit of the field's
kind, codes one of the field's ``examples``; the model's declared cross-field rules (``forms``,
``only_with``) decide which fields appear together. A new activity type is covered without
touching this file.
"""

from __future__ import annotations

import types
import typing
from typing import Any, Literal, get_args, get_origin

from hypothesis import strategies as st

from carbon_footprint import activity_types
from carbon_footprint.activities._fields import quantity_kind

#: units per quantity kind, with their factor to the kind's first canonical unit
UNITS: dict[str, dict[str, float]] = {
    "distance": {"km": 1.0, "m": 0.001, "mi": 1.609344, "nmi": 1.852, "ft": 0.0003048},
    "mass": {"kg": 1.0, "g": 0.001, "lb": 0.45359237, "t": 1000.0},
    "energy": {"kWh": 1.0, "MWh": 1000.0, "Wh": 0.001, "GJ": 277.77777777777777},
    "volume": {"m^3": 1.0, "L": 0.001},
    "fuel amount": {"kWh": 1.0, "MWh": 1000.0, "m^3": 1.0, "L": 0.001, "kg": 1.0, "t": 1000.0},
    "amount": {"CNY": 1.0, "USD": 1.0, "EUR": 1.0},
}
LENGTH_UNITS = UNITS["distance"]
MASS_UNITS = UNITS["mass"]

positive = st.floats(min_value=0.01, max_value=500, allow_nan=False, allow_infinity=False)
counts = st.integers(min_value=1, max_value=20)


def quantity(units: dict[str, float], values: st.SearchStrategy[float] = positive
             ) -> st.SearchStrategy[str]:
    return st.builds(lambda v, u: f"{v!r} {u}", values, st.sampled_from(sorted(units)))


def _unwrap(ann: Any) -> tuple[Any, bool]:
    """(the annotation without ``| None``, whether None is allowed)."""
    if get_origin(ann) in (typing.Union, types.UnionType):
        args = [a for a in get_args(ann) if a is not type(None)]
        return (args[0] if len(args) == 1 else ann), len(args) < len(get_args(ann))
    return ann, False


def field_strategy(model: Any, name: str, distance: st.SearchStrategy[float] = positive
                   ) -> st.SearchStrategy[Any] | None:
    """A strategy of valid values for one field (None: leave the field to its default)."""
    info = model.model_fields[name]
    kind = quantity_kind(info)
    if kind is not None:
        values = distance if kind.name == "distance" else positive
        return quantity(UNITS[kind.name], values)
    ann, _ = _unwrap(info.annotation)
    if get_origin(ann) is Literal:
        return st.sampled_from(get_args(ann))
    if ann is bool:
        return st.booleans()
    if ann is int:
        ge = next((m.ge for m in info.metadata if getattr(m, "ge", None) is not None), 1)
        le = next((m.le for m in info.metadata if getattr(m, "le", None) is not None), 20)
        return st.integers(min_value=ge, max_value=min(le, ge + 19))
    examples = info.examples or []
    if examples:
        return st.sampled_from(examples)
    return None


@st.composite
def activity_of(draw: st.DrawFn, type_name: str,
                distance: st.SearchStrategy[float] = positive) -> dict[str, Any]:
    """A schema-valid activity of ``type_name`` (it may still lack a factor in some tables)."""
    model = activity_types()[type_name].model
    forms = model.forms
    chosen = set(draw(st.sampled_from(forms))) if forms else set()
    excluded = {n for form in forms for n in form} - chosen
    out: dict[str, Any] = {"type": type_name}
    for name, info in model.model_fields.items():
        if name in ("type", "label") or name in excluded:
            continue
        needs = model.only_with.get(name)
        if needs is not None and needs not in chosen:
            continue
        strategy = field_strategy(model, name, distance)
        if strategy is None:
            continue
        required = info.is_required() or name in chosen
        if required or draw(st.booleans()):
            out[name] = draw(strategy)
    if draw(st.integers(0, 9)) == 0:
        out["label"] = draw(st.text(min_size=1, max_size=20).map(str.strip).filter(bool))
    return out


def _valid(act: dict[str, Any]) -> bool:
    from carbon_footprint import CarbonFootprintError, validate_activity

    try:
        validate_activity(act)
    except CarbonFootprintError:
        return False
    return True


def any_activity(distance: st.SearchStrategy[float] = positive) -> st.SearchStrategy[Any]:
    """A valid activity of any registered type."""
    return st.one_of([activity_of(t, distance) for t in activity_types()]).filter(_valid)


activities = any_activity()

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)

#: hostile values (issue 9): huge integers, exponent towers, long and control-character
#: strings, confusables, deep nesting, odd unit spellings
hostile_values = st.sampled_from([
    10**400, -(10**400), 2**70, 1e308, -0.0, 1e-300, float("nan"), float("inf"),
    "1 km^9^9^9", "1 km**9**9**9", "1e10 CNY", "1e400 km", "-0 km", "0x10 km", "1_0.5 km",
    "1 km*s/s", "5 " + "k" * 5000, " " * 10_000 + "1 km", "\x1b[31m1 km", "1 km\n2 km",
    "\u202e1 km", "ｆｌｉｇｈｔ", "ＰＥＫ", "1\u00a0km", "1 ㎞", "CN\x00", "1 " + "*" * 300,
    [[[[[[[[["deep"]]]]]]]]], {"value": 10**400, "unit": "km"}, {"value": 1, "unit": "km^9^9"},
])


@st.composite
def near_valid(draw: st.DrawFn) -> Any:
    """A valid activity with one field replaced, removed or added at random."""
    act = dict(draw(activities))
    op = draw(st.sampled_from(["replace", "remove", "add", "retype", "hostile"]))
    keys = sorted(act)
    if op == "replace":
        act[draw(st.sampled_from(keys))] = draw(json_values | st.sampled_from(
            ["-5 km", "nan km", "inf kg", "1e400 km", "3 kg", "ten km", "", "km", "1e9 mi",
             "NO", "ZZZ", "-1 CNY", True, -1, 0, 2**70, float("nan"), float("inf")]))
    elif op == "remove" and len(keys) > 1:
        del act[draw(st.sampled_from([k for k in keys if k != "type"]))]
    elif op == "add":
        act[draw(st.text(min_size=1, max_size=12))] = draw(json_values)
    elif op == "hostile":
        act[draw(st.sampled_from(keys))] = draw(hostile_values)
    else:
        act["type"] = draw(st.sampled_from(["flight", "hotel", "meal", "fligth", "", "Flight"]))
    return act
