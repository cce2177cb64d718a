"""Generate a realistic activity table for N guests of a Chengdu conference (deterministic).

Each guest travels from one of several cities (by air, or by high-speed rail from nearby
cities), stays 1-4 nights in a hotel, eats lunches and dinners, takes the metro to the venue and
may buy souvenirs. One row per activity, in calculate_frame's fast form, with a ``guest_id``
and ``city`` column that pass through.

Usage: python examples/generate_guests.py [N] [OUT.parquet|OUT.csv]   (default 100000, guests.csv)
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

# city -> (share of guests, mode, IATA code of its airport, rail distance to Chengdu [km])
CITIES = {
    "Beijing": (0.22, "flight", "PEK", None),
    "Shanghai": (0.2, "flight", "PVG", None),
    "Guangzhou": (0.12, "flight", "CAN", None),
    "Shenzhen": (0.1, "flight", "SZX", None),
    "Xi'an": (0.08, "rail", None, 650.0),
    "Chongqing": (0.16, "rail", None, 308.0),
    "Kunming": (0.05, "flight", "KMG", None),
    "Hong Kong": (0.04, "flight", "HKG", None),
    "Singapore": (0.02, "flight", "SIN", None),
    "London": (0.01, "flight", "LHR", None),
}


def guests(n: int, seed: int = 20211021) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    names = list(CITIES)
    share = np.array([CITIES[c][0] for c in names])
    city = rng.choice(len(names), size=n, p=share / share.sum())
    guest_id = np.arange(n)
    frames = []

    # travel to Chengdu and back
    mode = np.array([CITIES[c][1] for c in names])[city]
    fly = mode == "flight"
    airports = np.array([CITIES[c][2] or "" for c in names], dtype=object)[city]
    frames.append(pd.DataFrame({
        "guest_id": guest_id[fly], "city": np.array(names, dtype=object)[city[fly]],
        "type": "flight", "origin": airports[fly], "destination": "TFU",
        "cabin": rng.choice(["economy", "business"], size=int(fly.sum()), p=[0.9, 0.1]),
        "round_trip": True,
    }))
    rail_km = np.array([CITIES[c][3] or 0.0 for c in names])[city]
    frames.append(pd.DataFrame({
        "guest_id": guest_id[~fly], "city": np.array(names, dtype=object)[city[~fly]],
        "type": "rail", "distance": 2 * rail_km[~fly], "distance_unit": "km",
        "service": "high_speed",
    }))
    # hotel, meals, metro, souvenirs
    nights = rng.integers(1, 5, size=n)
    frames.append(pd.DataFrame({"guest_id": guest_id, "city": np.array(names, dtype=object)[city],
                                "type": "hotel", "nights": nights, "country": "CN"}))
    diet = rng.choice(["average", "meat_heavy", "vegetarian", "vegan"], size=n,
                      p=[0.6, 0.25, 0.1, 0.05])
    frames.append(pd.DataFrame({"guest_id": guest_id, "city": np.array(names, dtype=object)[city],
                                "type": "meal", "diet": diet, "count": 2 * nights}))
    frames.append(pd.DataFrame({"guest_id": guest_id, "city": np.array(names, dtype=object)[city],
                                "type": "metro", "distance": rng.uniform(8, 30, size=n).round(1),
                                "distance_unit": "km"}))
    buys = rng.random(n) < 0.4
    frames.append(pd.DataFrame({
        "guest_id": guest_id[buys], "city": np.array(names, dtype=object)[city[buys]],
        "type": "purchase", "category": "souvenirs",
        "amount": rng.gamma(2.0, 80.0, size=int(buys.sum())).round(2), "amount_currency": "CNY",
        "year": 2024,
    }))
    df = pd.concat(frames, ignore_index=True).sort_values(["guest_id", "type"], kind="stable")
    for col in ("city", "type", "origin", "destination", "cabin", "service", "country", "diet",
                "category", "distance_unit", "amount_currency"):
        df[col] = df[col].astype("category")
    return df.reset_index(drop=True)


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv else 100_000
    out = argv[1] if len(argv) > 1 else "guests.csv"
    df = guests(n)
    if out.endswith(".parquet"):
        df.to_parquet(out, index=False)
    else:
        df.to_csv(out, index=False)
    print(f"{len(df):,} activities of {n:,} guests -> {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
