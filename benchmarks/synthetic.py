"""Vectorized synthetic activity tables (fast form: numeric quantities, unit columns, categories;
and the same rows in the string form: ``string_form``).

Built from the activity registry: every registered type gets rows, its literal fields a choice
among the values the default tables can compute, its counts small integers, its quantity a
number with a unit column, its codes one of the field's examples (airports from a list of
busy ones). ``SHARES`` only tunes how common each type is. Deterministic for a seed; used by the
frame benchmark, the analyst walkthrough and a test that every type is covered.
"""

from __future__ import annotations

import types
import typing
from functools import cache
from typing import Any, Literal, get_args, get_origin

import numpy as np
import pandas as pd

import carbon_footprint as cf
from carbon_footprint.activities._fields import quantity_kind
from carbon_footprint.units import KINDS

#: how common each type is (others: DEFAULT_SHARE)
SHARES = {"flight": 0.12, "rail": 0.14, "car": 0.08, "hotel": 0.16, "meal": 0.2, "food": 0.06,
          "purchase": 0.08, "electricity": 0.06}
DEFAULT_SHARE = 0.03
AIRPORTS = ["PEK", "PVG", "CAN", "SZX", "XIY", "KMG", "HKG", "SIN", "NRT", "LHR", "FRA", "TFU"]
#: quantity ranges by kind (canonical units)
RANGES = {"distance": (1.0, 2000.0), "mass": (0.1, 5.0), "energy": (10.0, 5000.0),
          "volume": (1.0, 500.0), "fuel amount": (10.0, 5000.0), "amount": (5.0, 500.0)}
#: a sample value of each kind's quantity for probing which choices compute
PROBE = {"distance": "10 km", "mass": "1 kg", "energy": "1 kWh", "volume": "1 m^3",
         "fuel amount": "1 kWh", "amount": "1 CNY"}


def _unwrap(ann: Any) -> Any:
    if get_origin(ann) in (typing.Union, types.UnionType):
        ann = next(a for a in get_args(ann) if a is not type(None))
    return get_args(ann)[0] if get_origin(ann) is typing.Annotated else ann


@cache
def _usable(name: str, field: str) -> tuple[Any, ...]:
    """The choices of a literal field that the default tables compute."""
    spec = cf.activity_types()[name]
    base: dict[str, Any] = {"type": name}
    for f, info in spec.model.model_fields.items():
        kind = quantity_kind(info)
        if info.is_required() and kind is not None:
            base[f] = PROBE[kind.name]
        elif info.is_required():
            base[f] = info.examples[0] if info.examples else 1
    if name == "flight":
        base["distance"] = "800 km"
    ok = []
    for choice in get_args(_unwrap(spec.model.model_fields[field].annotation)):
        fp = cf.calculate([{**base, field: choice}], errors="collect")
        if fp.lines[0].status == "ok":
            ok.append(choice)
    return tuple(ok)


def _cat(codes: np.ndarray, categories: list[Any]) -> pd.Categorical:
    return pd.Categorical.from_codes(codes.astype(np.int16), categories=categories)


def activity_frame(n: int, seed: int = 2021) -> pd.DataFrame:
    """``n`` mixed activities of every registered type, one per row, in the fast form."""
    rng = np.random.default_rng(seed)
    names = list(cf.activity_types())
    share = np.array([SHARES.get(t, DEFAULT_SHARE) for t in names])
    tcode = rng.choice(len(names), size=n, p=share / share.sum())
    cols: dict[str, Any] = {"type": _cat(tcode, names)}
    text: dict[str, tuple[list[Any], np.ndarray]] = {}  # column -> (categories, codes)
    numbers: dict[str, np.ndarray] = {}
    for ti, name in enumerate(names):
        spec = cf.activity_types()[name]
        rows = np.flatnonzero(tcode == ti)
        if rows.size == 0:
            continue
        skip: np.ndarray = np.zeros(rows.size, dtype=bool)
        if spec.model.forms:  # flights: half by airports, half by distance
            by_air = rng.random(rows.size) < 0.5
            o = rng.integers(0, len(AIRPORTS), rows.size)
            d = (o + 1 + rng.integers(0, len(AIRPORTS) - 1, rows.size)) % len(AIRPORTS)
            for col, codes in (("origin", o), ("destination", d)):
                cats, arr = text.setdefault(col, (list(AIRPORTS), np.full(n, -1)))
                arr[rows[by_air]] = codes[by_air]
            skip = by_air
        for field, info in spec.model.model_fields.items():
            if field in ("type", "label", "origin", "destination", "route"):
                continue
            kind = quantity_kind(info)
            ann = _unwrap(info.annotation)
            if kind is not None:
                low, high = RANGES[kind.name]
                arr = numbers.setdefault(field, np.full(n, np.nan))
                mine = rows[~skip]
                arr[mine] = np.round(rng.uniform(low, high, mine.size), 1)
                unit_col = f"{field}_currency" if kind.money else f"{field}_unit"
                unit = "CNY" if kind.money else kind.units[0][0]
                cats, codes = text.setdefault(unit_col, ([unit], np.full(n, -1)))
                if unit not in cats:
                    cats.append(unit)
                codes[mine] = cats.index(unit)
            elif get_origin(ann) is Literal:
                choices = list(_usable(name, field))
                if not choices:
                    continue
                cats, codes = text.setdefault(field, ([], np.full(n, -1)))
                for c in choices:
                    if c not in cats:
                        cats.append(c)
                pick = rng.integers(0, len(choices), rows.size)
                codes[rows] = [cats.index(choices[k]) for k in pick]
            elif (ann is int and info.is_required()) or field in ("nights", "count", "year"):
                arr = numbers.setdefault(field, np.full(n, np.nan))
                low = 2022 if field == "year" else 1
                arr[rows] = rng.integers(low, low + 3 if field == "year" else 6, rows.size)
            elif ann is str and info.examples and (info.is_required() or field in (
                    "country", "region")):
                values = [e for e in info.examples if not str(e).startswith("naics")]
                cats, codes = text.setdefault(field, ([], np.full(n, -1)))
                for v in values:
                    if v not in cats:
                        cats.append(v)
                pick = rng.integers(0, len(values), rows.size)
                codes[rows] = [cats.index(values[k]) for k in pick]
    for col, (cats, codes) in text.items():
        cols[col] = _cat(codes, cats)
    cols.update(numbers)
    return pd.DataFrame(cols)


def unit_columns(df: pd.DataFrame) -> dict[str, list[str]]:
    """Quantity column -> its unit columns (``<field>_unit``, ``<field>_currency``) in ``df``."""
    quantities = {s.quantity for s in cf.activity_types().values() if s.quantity}
    return {q: [c for c in (f"{q}_unit", f"{q}_currency") if c in df.columns]
            for q in quantities if q in df.columns}


def string_form(df: pd.DataFrame) -> pd.DataFrame:
    """The same rows as ``pandas.DataFrame(list_of_activity_dicts)`` would hold them: quantities
    as text (``"461.8 km"``, ``"200.0 CNY"``), text fields as strings, no unit columns."""
    units = unit_columns(df)
    drop = {u for us in units.values() for u in us}
    out: dict[str, Any] = {}
    for col in df.columns:
        if col in drop:
            continue
        values = df[col]
        if col in units:
            unit = pd.Series(pd.NA, index=df.index, dtype=object)
            for u in units[col]:
                unit = unit.fillna(df[u].astype(object))
            text = values.map(repr, na_action="ignore").astype(object) + " " + unit
            out[col] = pd.Series(text.where(values.notna(), None), dtype="str")
        elif isinstance(values.dtype, pd.CategoricalDtype):
            out[col] = values.astype(object).astype("str")
        else:
            out[col] = values
    return pd.DataFrame(out)


def to_activity_dicts(df: pd.DataFrame) -> list[dict[str, Any]]:
    """The same rows as JSON-like dicts for calculate() (quantities as '350 km' strings)."""
    quantities = {f for s in cf.activity_types().values() if s.quantity for f in [s.quantity]}
    out = []
    for rec in df.to_dict("records"):
        a: dict[str, Any] = {}
        for k, v in rec.items():
            if v is None or (isinstance(v, float) and np.isnan(v)):
                continue
            if k.endswith("_unit") or k.endswith("_currency"):
                continue
            if k in quantities:
                money = cf.activity_types()[rec["type"]].kind == "money"
                unit = rec.get(f"{k}_currency" if money else f"{k}_unit")
                v = f"{v!r} {unit}"
            elif isinstance(v, float) and v.is_integer():
                v = int(v)
            a[k] = v
        out.append(a)
    return out


__all__ = ["KINDS", "activity_frame", "string_form", "to_activity_dicts", "unit_columns"]
