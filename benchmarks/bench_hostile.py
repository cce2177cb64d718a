"""The cost of bad input: per-item time of each hostile class against a valid item, measured in
the same run, and memory after many distinct unit spellings.

Each class is a batch of distinct hostile activities (so no cache can hide the cost) run with
``errors="collect"``; its per-item time is compared with a batch of distinct valid activities.
Target: no bad item costs more than 20x a valid item. Then memory: the resident set and the
Python heap after N distinct valid unit spellings (each one parsed by pint once); target: the
caches stay under their documented bounds (docs/security.md), so memory stays flat.

Usage: python benchmarks/bench_hostile.py [--n 2000] [--spellings 1000000] [--json]
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import carbon_footprint as cf
from carbon_footprint._cache import BoundedCache
from carbon_footprint.units import get_registry


def _letters(i: int, n: int = 3) -> str:
    out = ""
    for _ in range(n):
        out += chr(65 + i % 26)
        i //= 26
    return out


def classes(n: int) -> dict[str, Callable[[], list[Any]]]:
    """Hostile batches, each of ``n`` distinct items (a few: fewer, they are big)."""
    deep: list[Any] = []
    node = deep
    for _ in range(5_000):
        nxt: list[Any] = []
        node.append(nxt)
        node = nxt
    big = 10**400
    return {
        "unit exponent tower": lambda: [{"type": "rail", "distance": f"{i} km^9^9^9"}
                                        for i in range(n)],
        "unit unknown name": lambda: [{"type": "rail", "distance": f"1 furlongz{i}"}
                                      for i in range(n)],
        "negative quantity": lambda: [{"type": "rail", "distance": f"-{i} km"}
                                      for i in range(n)],
        "IATA unknown": lambda: [{"type": "flight", "origin": "PEK",
                                  "destination": "Q" + _letters(i, 2)} for i in range(n)],
        "activity type unknown": lambda: [{"type": f"fligth{i}"} for i in range(n)],
        "purchase category unknown": lambda: [
            {"type": "purchase", "category": f"teddy bears {i}", "amount": "1 USD"}
            for i in range(n)],
        "enum value unknown": lambda: [{"type": "flight", "distance": "1 km",
                                        "cabin": f"eco{i}"} for i in range(n)],
        "bool as count": lambda: [{"type": "hotel", "nights": True, "label": str(i)}
                                  for i in range(n)],
        "400-digit quantity": lambda: [{"type": "rail",
                                        "distance": {"value": big + i, "unit": "km"}}
                                       for i in range(n)],
        "5000-digit count": lambda: [{"type": "hotel", "nights": 10**5000 + i}
                                     for i in range(min(n, 200))],
        "exchange rate 1e-200": lambda: [{"type": "purchase", "category": "restaurant",
                                          "amount": f"{i + 1} CNY", "exchange_rate": 1e-200}
                                         for i in range(n)],
        "amount over bound after conversion": lambda: [
            {"type": "purchase", "category": "restaurant", "amount": f"{1e9 + i} CNY",
             "exchange_rate": 1e-4} for i in range(n)],
        "5000-deep list": lambda: [{"type": "rail", "distance": deep} for _ in range(n)],
        "1 MB activity type": lambda: [{"type": "x" * 1_000_000 + str(i)} for i in range(20)],
        "1 MB enum value": lambda: [{"type": "flight", "distance": "1 km",
                                     "cabin": "x" * 1_000_000 + str(i)} for i in range(20)],
        "1 MB field name": lambda: [{"type": "meal", "y" * 1_000_000 + str(i): 1}
                                    for i in range(20)],
        "control characters": lambda: [{"type": f"\x1b[31m{i}\n", "label": "\u202e\x00"}
                                       for i in range(n)],
        "misplaced field": lambda: [{"type": "hotel", "nights": 1, "distance": f"{i} km"}
                                    for i in range(n)],
    }


def per_item(batch: list[Any], repeat: int) -> float:
    cf.calculate(batch[:3], errors="collect")  # warm: compiled plans, suggestion indexes
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        cf.calculate(batch, errors="collect")
        best = min(best, time.perf_counter() - t0)
    return best / len(batch)


def frame_cells(n: int, repeat: int) -> tuple[float, float] | None:
    """calculate_frame: a 32 KB quantity cell of inner spaces vs a valid cell, per row."""
    try:
        import pandas as pd
    except ImportError:
        return None
    valid = pd.DataFrame({"type": ["rail"] * n, "distance": [f"{i}.5 km" for i in range(n)]})
    spaces = pd.DataFrame({"type": ["rail"] * 50,
                           "distance": ["1" + " " * 32_000 + f"km{i}" for i in range(50)]})
    cf.calculate_frame(valid.head(5))

    def best(df: Any) -> float:
        out = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            cf.calculate_frame(df)
            out = min(out, time.perf_counter() - t0)
        return out / len(df)

    return best(valid), best(spaces)


def _spellings(count: int) -> list[str]:
    """``count`` distinct, valid spellings of a length unit (km times x over x)."""
    reg = get_registry()
    names = sorted(n for n in reg._units if n.isidentifier() and len(n) < 12)[:1_200]
    out: list[str] = []
    for a in names:
        for b in names:
            out.append(f"1 km*{a}/{a}*{b}/{b}")
            if len(out) == count:
                return out
    return out


def memory(count: int) -> dict[str, float]:
    """RSS and traced heap growth after ``count`` distinct unit spellings."""
    gc.collect()
    tracemalloc.start()
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    heap0 = tracemalloc.get_traced_memory()[0]
    t0 = time.perf_counter()
    batch: list[dict[str, Any]] = []
    done = 0
    for text in _spellings(count):
        batch.append({"type": "rail", "distance": text})
        if len(batch) == 10_000:
            cf.calculate(batch, errors="collect")
            done += len(batch)
            batch = []
    if batch:
        cf.calculate(batch, errors="collect")
        done += len(batch)
    gc.collect()
    heap1 = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    caches = [c for c in gc.get_objects() if isinstance(c, BoundedCache)]
    return {"spellings": done, "seconds": time.perf_counter() - t0,
            "heap_growth_mib": (heap1 - heap0) / 2**20, "rss_growth_mib": rss1 - rss0,
            "largest_cache_entries": max((len(c) for c in caches), default=0),
            "pint_parse_cache": len(get_registry()._cache.parse_unit)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--spellings", type=int, default=1_000_000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    valid = [{"type": "rail", "distance": f"{i}.5 km"} for i in range(args.n)]
    base = per_item(valid, args.repeat)
    print(f"valid item: {base * 1e6:.1f} us   (batch of {args.n:,} distinct rail activities)")
    print(f"{'hostile class':<36} {'us/item':>9} {'x valid':>8}")
    figures: dict[str, Any] = {"valid_us": base * 1e6, "classes": {}}
    worst = 0.0
    for name, make in classes(args.n).items():
        cost = per_item(make(), args.repeat)
        ratio = cost / base
        worst = max(worst, ratio)
        figures["classes"][name] = {"us": cost * 1e6, "ratio": ratio}
        print(f"{name:<36} {cost * 1e6:9.1f} {ratio:8.1f}")
    print(f"worst ratio {worst:.1f}x   (target <= 20x) {'OK' if worst <= 20 else 'MISSED'}")
    cells = frame_cells(args.n, args.repeat)
    if cells is not None:
        v, s = cells
        figures["frame"] = {"valid_us": v * 1e6, "spaces_32kb_us": s * 1e6}
        print(f"calculate_frame: valid cell {v * 1e6:.1f} us/row, 32 KB cell of spaces "
              f"{s * 1e6:.1f} us/row ({s / v:.0f}x)")
    mem = memory(args.spellings)
    figures["memory"] = mem
    print(f"memory after {mem['spellings']:,} distinct unit spellings ({mem['seconds']:.0f} s): "
          f"heap +{mem['heap_growth_mib']:.1f} MiB, max RSS +{mem['rss_growth_mib']:.1f} MiB, "
          f"largest cache {mem['largest_cache_entries']:,} entries, pint parse cache "
          f"{mem['pint_parse_cache']:,}")
    if args.json:
        print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
