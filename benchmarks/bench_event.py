"""Event throughput: an event of N attendees from a frame (one activity per row with the
attendee's id and group), against calculate_frame on the same rows (the baseline, measured in
the same run) -- the event's own cost is the aggregation into groups, phases and MEE categories
and the attendee count.

Usage: python benchmarks/bench_event.py [--attendees 100000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import carbon_footprint as cf
from carbon_footprint.event import calculate_event_frame

VENUE = {"name": "bench", "location": "CN-SC", "venue": [
    {"type": "electricity", "energy": "12000 kWh"},
    {"type": "fuel", "fuel": "natural_gas", "amount": "2000 kWh"},
    {"type": "waste", "material": "commercial_and_industrial", "mass": "0.5 t"}]}


def attendees_frame(n: int) -> pd.DataFrame:
    """A quarter of the attendees fly in (flight, hotel, meals), the rest come by metro."""
    far = n // 4
    near = n - far
    cols: dict[str, list[object]] = {k: [] for k in (
        "attendee", "group", "phase", "type", "origin", "destination", "cabin", "round_trip",
        "nights", "country", "diet", "count", "distance")}

    def add(rows: int, ids: list[str], group: str, **fields: object) -> None:
        for k in cols:
            if k == "attendee":
                cols[k].extend(ids)
            elif k == "group":
                cols[k].extend([group] * rows)
            elif k == "phase":
                cols[k].extend(["running"] * rows)
            else:
                cols[k].extend([fields.get(k)] * rows)

    far_ids = [f"n{i}" for i in range(far)]
    near_ids = [f"l{i}" for i in range(near)]
    add(far, far_ids, "non_local", type="flight", origin="PEK", destination="TFU",
        cabin="economy", round_trip=True)
    add(far, far_ids, "non_local", type="hotel", nights=2, country="CN")
    add(far, far_ids, "non_local", type="meal", diet="average", count=6)
    add(near, near_ids, "local", type="metro", distance="44 km")
    add(near, near_ids, "local", type="meal", diet="average", count=2)
    df = pd.DataFrame(cols)
    for c in ("nights", "count"):
        df[c] = df[c].astype("Float64")
    return df


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--attendees", type=int, default=100_000)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    df = attendees_frame(args.attendees)
    acts = df.drop(columns=["attendee", "group", "phase"])
    calculate_event_frame(df.head(50), VENUE)  # warm the plans and tables
    ev_t, base_t = [], []
    for _ in range(args.repeats):  # interleaved: the machine is shared and noisy
        t = time.perf_counter()
        ev = calculate_event_frame(df, VENUE)
        ev_t.append(time.perf_counter() - t)
        t = time.perf_counter()
        cf.calculate_frame(acts)
        base_t.append(time.perf_counter() - t)
    e, b = statistics.median(ev_t), statistics.median(base_t)
    print(f"event of {ev.attendees:,} attendees ({len(df):,} activity rows + "
          f"{len(VENUE['venue'])} venue lines), median of {args.repeats}")
    print(f"  calculate_event_frame  {e:8.3f} s  {ev.attendees / e:12,.0f} attendees/s  "
          f"{len(df) / e:12,.0f} rows/s")
    print(f"  calculate_frame (same rows, baseline) {b:8.3f} s  {len(df) / b:12,.0f} rows/s")
    print(f"  event / baseline time: {e / b:.2f}x")
    print(f"  total {ev.total_tco2e} t; per capita {ev.per_capita_tco2e} t; rejected "
          f"{ev.rejected}")


if __name__ == "__main__":
    main()
