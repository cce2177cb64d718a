"""Benchmark calculate_frame on millions of rows, against contenders measured in the same run.

1. ``calculate_frame`` on N mixed rows in the fast form (numeric quantities with unit columns,
   category dtypes) vs a bare numpy floor: integer factor codes -> ``np.take`` of factors ->
   multiply by the quantity. Target: within 10x of the floor.
2. vs ``calculate()`` called row by row on a sample of the same rows (rows/s; target: the frame
   at least 50x faster).
3. Hand-written contenders on the same mixed frame (``--contender-rows``, default 1,000,000),
   in both input forms, timed interleaved (repeats round-robin; medians): a pandas pipeline
   (``str.extract`` of the quantity text, ``merge`` onto a factor table, multiply) and the same
   in Polars (``str.extract``, ``join``, multiply), against ``calculate_frame`` on the pandas
   frame and on the Polars frame (Polars in, Polars out). Targets: the string form at least
   as fast as the Polars pipeline on strings; the fast form at least 2.5x the Polars pipeline
   on the fast form. The contenders do less: one factor per shape (no distance bands), no
   validation, no bounds, no error messages.
4. The fixed cost of one call, after warm-up (medians): ``calculate_frame`` on 1,000 rows, on
   one row of each shape of the mixed frame (~900 rows, every row its own group: the worst
   case) and on 100,000 rows; the fixed cost = the one-per-shape time minus its rows at the
   per-row cost. Target: <= 30 ms. Also the first call in a process (shapes not yet compiled).
5. Dask (``map_partitions``) on a ``distributed.LocalCluster`` (one thread per worker) with
   partitions generated on the workers: large partitions with 1 and 2 workers, each with
   distributed's default worker setting ``MALLOC_TRIM_THRESHOLD_=65536`` and with it unset
   (glibc's default); small partitions (5,000 rows) with 1 worker; each beside the same
   partitions computed in this process. Dask's cost per partition = (Dask time - in-process
   time) / partitions.

Usage: python benchmarks/bench_frame.py [--rows 10000000] [--sample 20000]
       [--contender-rows 1000000] [--contender-repeat 7] [--dask-rows 4000000] [--partitions 8]
       [--small-partitions 64] [--dask-repeat 3] [--no-dask] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_calculate import best_of as best
from synthetic import activity_frame, string_form, to_activity_dicts, unit_columns

import carbon_footprint as cf
from carbon_footprint.frame import calculate_frame
from carbon_footprint.units import NUMBER

#: the contenders read quantity text with the library's own number syntax
QUANTITY_REGEX = rf"^\s*({NUMBER})\s*(.*?)\s*$"


def floor(n: int, repeat: int) -> float:
    """The bare numpy floor: codes into a factor vector, times the quantity."""
    rng = np.random.default_rng(1)
    factors = rng.uniform(0.01, 60.0, size=600)
    codes = rng.integers(0, factors.size, size=n)
    qty = rng.uniform(1, 2000, size=n)
    return best(lambda: np.take(factors, codes) * qty, repeat)


def interleaved(fns: dict[str, Callable[[], Any]], repeat: int) -> dict[str, list[float]]:
    """Each function ``repeat`` times, round-robin (load on a shared machine hits all alike)."""
    times: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return times


# -- hand-written contenders --------------------------------------------------------------------
class Contenders:
    """What an analyst might write instead of calculate_frame: parse the quantity text, join a
    factor table on every other column, multiply. The factor table is prepared once, untimed
    (from calculate_frame's own output: tonnes per unit of the quantity as given, or the fixed
    tonnes of a shape without a quantity, with the factor id and table)."""

    def __init__(self, fast: pd.DataFrame) -> None:
        self.units = unit_columns(fast)
        self.quantities = list(self.units)
        self.fast = fast
        self.text = string_form(fast)
        out = calculate_frame(fast)
        number = fast[self.quantities].sum(axis=1, min_count=1)
        per = pd.DataFrame({"t": out["tco2e"] / number.fillna(1.0), "fixed": number.isna(),
                            "factor_id": out["factor_id"].astype(object),
                            "table": out["table"].astype(object)})
        # fast form: keys are every column but the numbers (unit columns included)
        self.fast_keys = [c for c in fast.columns if c not in self.quantities]
        self.fast_table = pd.concat([fast[self.fast_keys], per], axis=1).drop_duplicates(
            self.fast_keys).reset_index(drop=True)
        # string form: every column but the quantity text, plus the unit read from it
        self.text_keys = [c for c in self.text.columns if c not in self.quantities] + [
            f"{q}_text_unit" for q in self.quantities]
        units = {f"{q}_text_unit": self.text[q].str.extract(QUANTITY_REGEX)[1]
                 for q in self.quantities}
        keyed = self.text[[c for c in self.text.columns if c not in self.quantities]].assign(
            **units)
        self.text_table = pd.concat([keyed, per], axis=1).drop_duplicates(
            self.text_keys).reset_index(drop=True)
        self.polars: Any = None
        try:
            import polars as pl
        except ImportError:
            return
        self.polars = pl
        self.pl_fast = pl.from_pandas(fast)
        self.pl_text = pl.from_pandas(self.text)
        self.pl_fast_table = pl.from_pandas(self.fast_table)
        self.pl_text_table = pl.from_pandas(self.text_table)

    @staticmethod
    def _priced(frame: pd.DataFrame, joined: pd.DataFrame, number: pd.Series) -> pd.DataFrame:
        t = joined["t"].to_numpy()
        tco2e = np.where(joined["fixed"].to_numpy(dtype=bool), t, number.to_numpy() * t)
        return frame.assign(tco2e=tco2e, factor_id=joined["factor_id"].to_numpy(),
                            table=joined["table"].to_numpy())

    def pandas_fast(self) -> pd.DataFrame:
        df = self.fast
        number = df[self.quantities].sum(axis=1, min_count=1)  # one quantity per row
        joined = df[self.fast_keys].merge(self.fast_table, on=self.fast_keys, how="left")
        return self._priced(df, joined, number)

    def pandas_text(self) -> pd.DataFrame:
        df = self.text
        numbers, units = [], {}
        for q in self.quantities:
            parts = df[q].str.extract(QUANTITY_REGEX)
            numbers.append(parts[0].str.replace("_", "").astype(float))
            units[f"{q}_text_unit"] = parts[1]
        number = pd.concat(numbers, axis=1).sum(axis=1, min_count=1)
        keyed = df[[c for c in df.columns if c not in self.quantities]].assign(**units)
        joined = keyed.merge(self.text_table, on=self.text_keys, how="left")
        return self._priced(df, joined, number)

    def _polars_priced(self, frame: Any) -> Any:
        pl = self.polars
        return frame.with_columns(
            pl.when(pl.col("fixed")).then(pl.col("t")).otherwise(pl.col("_q") * pl.col("t"))
            .alias("tco2e"))

    def polars_fast(self) -> Any:
        pl = self.polars
        df = self.pl_fast.with_columns(pl.coalesce(self.quantities).alias("_q"))
        joined = df.join(self.pl_fast_table, on=self.fast_keys, how="left", nulls_equal=True,
                         maintain_order="left")
        return self._polars_priced(joined)

    def polars_text(self) -> Any:
        pl = self.polars
        parsed = [pl.col(q).str.extract(QUANTITY_REGEX, 1).str.replace_all("_", "")
                  .cast(pl.Float64).alias(f"{q}_number") for q in self.quantities]
        units = [pl.col(q).str.extract(QUANTITY_REGEX, 2).alias(f"{q}_text_unit")
                 for q in self.quantities]
        df = self.pl_text.with_columns(*parsed, *units).with_columns(
            pl.coalesce([f"{q}_number" for q in self.quantities]).alias("_q"))
        joined = df.join(self.pl_text_table, on=self.text_keys, how="left", nulls_equal=True,
                         maintain_order="left")
        return self._polars_priced(joined)


def contenders(rows: int, repeat: int) -> dict[str, Any]:
    fast = activity_frame(rows, seed=2024)
    c = Contenders(fast)
    expect = calculate_frame(fast)["tco2e"].to_numpy()
    fns: dict[str, Callable[[], Any]] = {
        "frame, fast form": lambda: calculate_frame(c.fast),
        "frame, string form": lambda: calculate_frame(c.text),
        "pandas by hand, fast form": c.pandas_fast,
        "pandas by hand, string form": c.pandas_text,
    }
    if c.polars is not None:
        fns.update({
            "frame on Polars, fast form": lambda: calculate_frame(c.pl_fast),
            "frame on Polars, string form": lambda: calculate_frame(c.pl_text),
            "Polars by hand, fast form": c.polars_fast,
            "Polars by hand, string form": c.polars_text,
        })
    else:
        print("  (polars is not installed: the Polars contenders are skipped; "
              "pip install polars)")
    agree = {}
    for name, fn in fns.items():  # warm up; how many rows each prices as calculate_frame does
        tco2e = np.asarray(fn()["tco2e"].to_numpy(), dtype=float)
        agree[name] = float(np.isclose(tco2e, expect, rtol=1e-9, equal_nan=True).mean())
    times = interleaved(fns, repeat)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"hand-written contenders on {rows:,} mixed rows (medians of {repeat}, interleaved):")
    for name, t in med.items():
        print(f"  {name:32s} {t:7.3f} s  {rows / t:>12,.0f} rows/s   "
              f"(rows priced as calculate_frame: {agree[name]:.2%})")
    ratios = {
        "fast form: frame / pandas by hand": med["pandas by hand, fast form"]
        / med["frame, fast form"],
        "string form: frame / pandas by hand": med["pandas by hand, string form"]
        / med["frame, string form"],
    }
    if c.polars is not None:
        ratios["fast form: frame / Polars by hand"] = (med["Polars by hand, fast form"]
                                                       / med["frame, fast form"])
        ratios["string form: frame / Polars by hand"] = (med["Polars by hand, string form"]
                                                         / med["frame, string form"])
        ratios["string form on Polars: frame / Polars by hand"] = (
            med["Polars by hand, string form"] / med["frame on Polars, string form"])
    targets = {"fast form: frame / Polars by hand": 2.5,
               "string form: frame / Polars by hand": 1.0}
    for name, r in ratios.items():
        goal = targets.get(name)
        mark = "" if goal is None else (
            f"   (target >= {goal}x) {'OK' if r >= goal else 'MISSED'}")
        print(f"  {name:46s} {r:5.2f}x faster{mark}")
    return {"rows": rows, "repeat": repeat, "median_s": med, "times_s": times,
            "ratios": ratios, "agree": agree}


# -- fixed cost per call ------------------------------------------------------------------------
def one_per_shape(df: pd.DataFrame) -> pd.DataFrame:
    """One row of each shape (type and every column but the quantity numbers) in ``df``: the
    partition whose every row is its own group, the worst case of the per-call cost."""
    numbers = list(unit_columns(df))
    return df.drop_duplicates([c for c in df.columns if c not in numbers]).reset_index(
        drop=True)


def fixed_cost(repeat: int) -> dict[str, Any]:
    """calculate_frame on small partitions after warm-up: the cost that does not scale with
    rows, on 1,000 random rows and on one row of each shape (every row its own group)."""
    from carbon_footprint._plans import PLANS

    shapes = one_per_shape(activity_frame(300_000, seed=76))
    frames = {"1,000 rows": activity_frame(1_000, seed=77),
              f"{len(shapes)} rows, one per shape": shapes,
              "100,000 rows": activity_frame(100_000, seed=78)}
    fns: dict[str, Callable[[], Any]] = {}
    for name, f in frames.items():
        text = string_form(f)
        fns[f"fast form, {name}"] = lambda f=f: calculate_frame(f)
        fns[f"string form, {name}"] = lambda t=text: calculate_frame(t)
    for fn in fns.values():
        fn()
    med = {k: statistics.median(v) for k, v in interleaved(fns, repeat).items()}
    print(f"fixed cost per call (medians of {repeat}, after warm-up):")
    out: dict[str, Any] = {"median_s": med, "shapes": len(shapes)}
    for form in ("fast form", "string form"):
        per_row = (med[f"{form}, 100,000 rows"] - med[f"{form}, 1,000 rows"]) / 99_000
        worst = med[f"{form}, {len(shapes)} rows, one per shape"]
        fixed = worst - len(shapes) * per_row
        out[form] = {"per_row_ns": per_row * 1e9, "one_per_shape_ms": worst * 1e3,
                     "fixed_ms": fixed * 1e3}
        print(f"  {form:11s}: " + ", ".join(f"{name} {med[f'{form}, {name}'] * 1e3:.1f} ms"
                                            for name in frames)
              + f"\n               per row {per_row * 1e9:.0f} ns; fixed cost of a partition with"
              f" every shape {fixed * 1e3:.1f} ms   (target <= 30 ms) "
              f"{'OK' if fixed <= 0.030 else 'MISSED'}")
    cold = []
    for _ in range(max(repeat // 2, 1)):  # a fresh worker: tables loaded, no shape compiled
        PLANS.clear()
        t0 = time.perf_counter()
        calculate_frame(shapes)
        cold.append(time.perf_counter() - t0)
    out["first_call_ms"] = statistics.median(cold) * 1e3
    print(f"  first call in a process (tables loaded, {len(shapes)} shapes to compile): "
          f"{out['first_call_ms']:.0f} ms; later calls reuse the compiled shapes")
    return out


# -- Dask ---------------------------------------------------------------------------------------
def _partition(i: int, rows: int) -> Any:
    return activity_frame(rows, seed=1000 + i)


def _warm() -> None:
    """Import the library and load the default tables on a worker."""
    calculate_frame(pd.DataFrame(activity_frame(2000, seed=5)))


def _trim_setting() -> str | None:
    return os.environ.get("MALLOC_TRIM_THRESHOLD_")


def _dask_run(workers: int, rows: int, partitions: int, trim: str | None, repeat: int
              ) -> dict[str, Any]:
    import dask
    import dask.dataframe as dd
    from distributed import Client, LocalCluster, wait

    saved = os.environ.pop("MALLOC_TRIM_THRESHOLD_", None)  # the Nanny sets it in this process
    try:
        with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_":
                              trim}), \
                LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                             dashboard_address=None) as cluster, Client(cluster) as client:
            seen = set(client.run(_trim_setting).values())
            data = client.persist(dd.from_map(_partition, range(partitions),
                                              rows=rows // partitions))
            wait(data)
            client.run(_warm)  # imports and tables on every worker, outside the timing
            times = []
            for _ in range(repeat):  # each a new graph (a compute's results are not kept)
                t0 = time.perf_counter()
                calculate_frame(data).tco2e.sum().compute()
                times.append(time.perf_counter() - t0)
    finally:
        os.environ.pop("MALLOC_TRIM_THRESHOLD_", None)
        if saved is not None:
            os.environ["MALLOC_TRIM_THRESHOLD_"] = saved
    return {"workers": workers, "trim": trim, "worker_env": sorted(map(str, seen)),
            "times_s": times, "median_s": statistics.median(times)}


def dask_scaling(rows: int, partitions: int, small: int, repeat: int) -> dict[str, Any]:
    """Dask on ``partitions`` partitions of ``rows`` rows in all (1 and 2 workers, the worker
    malloc setting on and off), and on ``small`` partitions of 5,000 rows (1 worker) where the
    cost per partition shows; each beside the same partitions computed in this process."""
    out: dict[str, Any] = {}
    for label, total, parts, configs in (
            ("large", rows, partitions, [(1, "65536"), (1, None), (2, "65536"), (2, None)]),
            ("small", small * 5_000, small, [(1, "65536"), (1, None)])):
        per = total // parts
        local = [_partition(i, per) for i in range(parts)]
        _warm()
        for p in local:
            calculate_frame(p)
        in_process = statistics.median(
            interleaved({"all": lambda local=local: [calculate_frame(p) for p in local]},
                        repeat)["all"])
        print(f"dask on {total:,} rows in {parts} partitions of {per:,} (medians of {repeat});"
              f" the same partitions in this process: {in_process:.2f} s "
              f"({in_process / parts * 1e3:.1f} ms per partition)")
        runs = {}
        for workers, trim in configs:
            name = (f"{workers} worker{'s' if workers > 1 else ''}, MALLOC_TRIM_THRESHOLD_="
                    f"{trim or 'unset'}")
            r = runs[name] = _dask_run(workers, total, parts, trim, repeat)
            extra = ""
            if workers == 1:
                r["dask_cost_per_partition_ms"] = (r["median_s"] - in_process) / parts * 1e3
                extra = (f", {r['median_s'] / in_process:.2f}x in-process; Dask's cost per "
                         f"partition {r['dask_cost_per_partition_ms']:.0f} ms")
            print(f"  {name:42s} {r['median_s']:6.2f} s (worker env {r['worker_env']}){extra}")
        if label == "large":
            t = {name: r["median_s"] for name, r in runs.items()}
            trim, unset = "MALLOC_TRIM_THRESHOLD_=65536", "MALLOC_TRIM_THRESHOLD_=unset"
            print(f"  2 workers / 1 worker: {t[f'1 worker, {trim}'] / t[f'2 workers, {trim}']:.2f}x"
                  f" (unset: {t[f'1 worker, {unset}'] / t[f'2 workers, {unset}']:.2f}x)")
        out[label] = {"rows": total, "partitions": parts, "in_process_s": in_process,
                      "runs": runs}
    return out


def frame_and_floor(rows: int, sample_size: int, repeat: int) -> dict[str, Any]:
    """Sections 1 and 2: the fast form on ``rows`` rows vs the numpy floor and calculate()."""
    t0 = time.perf_counter()
    df = activity_frame(rows)
    print(f"generated {len(df):,} rows in {time.perf_counter() - t0:.1f} s "
          f"({df.memory_usage(deep=True).sum() / 2**20:.0f} MiB)")
    calculate_frame(df.head(5000))  # load tables and warm caches (as any long-lived process)
    t_frame = best(lambda: calculate_frame(df), repeat)
    t_floor = floor(rows, repeat)
    out = calculate_frame(df)
    errors = int(out["error"].notna().sum())
    print(f"calculate_frame: {t_frame:.2f} s ({rows / t_frame:,.0f} rows/s), "
          f"{errors} error rows")
    print(f"numpy floor (np.take + multiply): {t_floor:.3f} s")
    ratio = t_frame / t_floor
    print(f"  frame / floor = {ratio:.1f}x   (target <= 10x) "
          f"{'OK' if ratio <= 10 else 'MISSED'}")

    sample = to_activity_dicts(df.head(sample_size))
    cf.calculate(sample[:100])
    t0 = time.perf_counter()
    for a in sample:
        cf.calculate([a])
    t_rows = time.perf_counter() - t0
    rows_per_s = len(sample) / t_rows
    speedup = (rows / t_frame) / rows_per_s
    print(f"calculate() row by row on {len(sample):,} rows: {rows_per_s:,.0f} rows/s")
    print(f"  frame / row-by-row = {speedup:.0f}x   (target >= 50x) "
          f"{'OK' if speedup >= 50 else 'MISSED'}")
    t0 = time.perf_counter()
    cf.calculate(sample)
    batch = len(sample) / (time.perf_counter() - t0)
    print(f"calculate() on the sample as one batch: {batch:,.0f} rows/s "
          f"(frame {rows / t_frame / batch:.0f}x faster)")
    return {"rows": rows, "frame_s": t_frame, "floor_s": t_floor, "frame_over_floor": ratio,
            "row_by_row_rows_per_s": rows_per_s, "frame_over_row_by_row": speedup,
            "batch_rows_per_s": batch}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--sample", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--contender-rows", type=int, default=1_000_000)
    ap.add_argument("--contender-repeat", type=int, default=7)
    ap.add_argument("--dask-rows", type=int, default=4_000_000)
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument("--small-partitions", type=int, default=64)
    ap.add_argument("--dask-repeat", type=int, default=3)
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    figures = frame_and_floor(args.rows, args.sample, args.repeat)
    figures["contenders"] = contenders(min(args.rows, args.contender_rows),
                                       args.contender_repeat)
    figures["fixed_cost"] = fixed_cost(max(args.repeat, 5))
    if not args.no_dask:
        figures["dask"] = dask_scaling(args.dask_rows, args.partitions, args.small_partitions,
                                       args.dask_repeat)
    if args.json:
        print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
