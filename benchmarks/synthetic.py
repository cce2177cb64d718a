"""Vectorized synthetic activity tables (fast form: numeric quantities, unit columns, categories).

Used by the frame benchmark and the analyst walkthrough; deterministic for a seed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

TYPES = {  # share of rows
    "flight": 0.12, "rail": 0.14, "car": 0.08, "taxi": 0.04, "bus": 0.03, "metro": 0.03,
    "hotel": 0.16, "meal": 0.2, "food": 0.06, "purchase": 0.08, "electricity": 0.06,
}
AIRPORTS = ["PEK", "PVG", "CAN", "SZX", "XIY", "KMG", "HKG", "SIN", "NRT", "LHR", "FRA", "TFU"]


def _cat(codes: np.ndarray, categories: list[Any]) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=categories)


def activity_frame(n: int, seed: int = 2021) -> pd.DataFrame:
    """``n`` mixed activities, one per row, in the fast form."""
    rng = np.random.default_rng(seed)
    names = list(TYPES)
    tcode = rng.choice(len(names), size=n, p=np.array(list(TYPES.values())) / sum(TYPES.values()))
    cols: dict[str, Any] = {"type": _cat(tcode, names)}

    def pick(type_names: list[str], choices: list[Any], p: list[float] | None = None) -> Any:
        mask = np.isin(tcode, [names.index(t) for t in type_names])
        codes = np.full(n, -1, dtype=np.int8)
        codes[mask] = rng.choice(len(choices), size=int(mask.sum()), p=p)
        return _cat(codes, choices), mask

    def number(type_names: list[str], low: float, high: float, integer: bool = False) -> Any:
        mask = np.isin(tcode, [names.index(t) for t in type_names])
        out = np.full(n, np.nan)
        vals = rng.uniform(low, high, size=int(mask.sum()))
        out[mask] = np.round(vals) if integer else np.round(vals, 1)
        return out, mask

    travel = ["flight", "rail", "car", "taxi", "bus", "metro"]
    # flights: half by airports, half by distance
    is_flight = tcode == names.index("flight")
    by_air = is_flight & (rng.random(n) < 0.5)
    dist, dmask = number(travel, 1, 2000)
    dist[by_air] = np.nan
    cols["distance"] = dist
    unit_codes = np.where(dmask & ~by_air, rng.choice(2, size=n, p=[0.8, 0.2]), -1)
    cols["distance_unit"] = _cat(unit_codes.astype(np.int8), ["km", "mi"])
    o = np.where(by_air, rng.integers(0, len(AIRPORTS), n), -1).astype(np.int8)
    d = np.where(by_air, (o + 1 + rng.integers(0, len(AIRPORTS) - 1, n)) % len(AIRPORTS), -1)
    cols["origin"] = _cat(o, AIRPORTS)
    cols["destination"] = _cat(d.astype(np.int8), AIRPORTS)
    cols["cabin"], _ = pick(["flight"], ["economy", "business", "average"], [0.7, 0.1, 0.2])
    cols["service"] = _cat(np.full(n, -1, dtype=np.int8), ["national", "high_speed"])
    svc, _ = pick(["rail"], ["national", "high_speed"])
    cols["service"] = svc
    cols["fuel"], _ = pick(["car"], ["petrol", "diesel", "hybrid", "electric"])
    cols["size"], _ = pick(["car"], ["small", "medium", "large", "average"])
    cols["nights"], _ = number(["hotel"], 1, 5, integer=True)
    cols["country"], _ = pick(["hotel"], ["CN", "GB", "US", "JP", "FR", "SG"],
                              [0.7, 0.05, 0.05, 0.1, 0.05, 0.05])
    cols["diet"], _ = pick(["meal"], ["average", "beef", "chicken", "vegetarian", "vegan"])
    cols["count"], _ = number(["meal"], 1, 6, integer=True)
    cols["item"], _ = pick(["food"], ["rice", "tofu", "beef_beef_herd", "apples", "coffee"])
    mass, _ = number(["food"], 0.1, 5)
    cols["mass"] = mass
    cols["mass_unit"] = _cat(np.where(~np.isnan(mass), 0, -1).astype(np.int8), ["kg"])
    cols["category"], _ = pick(["purchase"], ["souvenirs", "restaurant", "clothing", "groceries"])
    amount, _ = number(["purchase"], 5, 500)
    cols["amount"] = amount
    cols["amount_currency"] = _cat(np.where(~np.isnan(amount), 0, -1).astype(np.int8), ["CNY"])
    cols["year"], _ = number(["purchase"], 2022, 2024, integer=True)
    cols["region"], _ = pick(["electricity"], ["CN", "CN-SC", "CN-BJ", "GB"])
    energy, _ = number(["electricity"], 10, 5000)
    cols["energy"] = energy
    cols["energy_unit"] = _cat(np.where(~np.isnan(energy), 0, -1).astype(np.int8), ["kWh"])
    return pd.DataFrame(cols)


def to_activity_dicts(df: pd.DataFrame) -> list[dict[str, Any]]:
    """The same rows as JSON-like dicts for calculate() (quantities as '350 km' strings)."""
    out = []
    for rec in df.to_dict("records"):
        a: dict[str, Any] = {}
        for k, v in rec.items():
            if v is None or (isinstance(v, float) and np.isnan(v)):
                continue
            if k.endswith("_unit") or k.endswith("_currency"):
                continue
            if k in ("distance", "mass", "energy"):
                v = f"{v!r} {rec[k + '_unit']}"
            elif k == "amount":
                v = f"{v!r} {rec['amount_currency']}"
            elif isinstance(v, float) and v.is_integer():
                v = int(v)
            a[k] = v
        out.append(a)
    return out
