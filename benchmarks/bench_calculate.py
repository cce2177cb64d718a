"""Benchmarks for calculate(): throughput, per-guest latency and cold start.

Every figure is compared with a baseline measured in the same run (machines are shared and
noisy: read the ratios, not the absolute times).

1. Throughput of ``calculate()`` on N mixed activity dicts vs merely validating the same dicts with
   a pydantic ``TypeAdapter`` of the activity union (the floor of any object API), measured both
   per item and as one list; also inside ``gc_paused()`` (opt-in). Target: >= 1.0x the floor.
2. One web request: one guest's ``calculate()`` (5 activities incl. a flight by IATA codes) and
   its JSON (``model_dump_json()``), beside the same with pydantic's own serializer.
   Target: median <= 50 us, p99 <= 150 us.
3. Cold start: a new process that imports the library and runs the first ``calculate()`` on the
   default tables, vs a new process that imports pint and pydantic and builds a
   ``pint.UnitRegistry()``. Target: <= 0.6x.
4. Fixed cost per call: per-item time by batch size (1 to 100,000 items).
5. With ``--compare-compiled``: the opt-in compiled build of this tree
   (``scripts/build_compiled.py``) beside the build being run, one guest's latency in fresh
   processes, alternated.

The first line says which build runs (``pure Python`` or ``compiled``).

Usage: python benchmarks/bench_calculate.py [--n 100000] [--repeat 3] [--cold-runs 7]
       [--compare-compiled]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from typing import Any

from pydantic import TypeAdapter

import carbon_footprint as cf
from carbon_footprint.activities import Activity

GUEST: list[dict[str, Any]] = [
    {"type": "flight", "origin": "PEK", "destination": "CTU", "cabin": "economy"},
    {"type": "hotel", "nights": 3, "country": "CN"},
    {"type": "meal", "diet": "average", "count": 6},
    {"type": "rail", "distance": "66 km", "service": "high_speed"},
    {"type": "purchase", "category": "souvenirs", "amount": "200 CNY", "year": 2024},
]


def mixed(n: int, seed: int = 20211021) -> list[dict[str, Any]]:
    """N realistic mixed activity dicts (all valid), deterministic for a seed."""
    rnd = random.Random(seed)
    iata = ["PEK", "PVG", "CTU", "TFU", "CAN", "SZX", "XIY", "KMG", "LHR", "HKG", "SIN", "NRT"]
    units = ["km", "mi"]
    out: list[dict[str, Any]] = []
    for _ in range(n):
        r = rnd.random()
        d = f"{rnd.uniform(1, 2000):.1f} {rnd.choice(units)}"
        if r < 0.12:
            o, t = rnd.sample(iata, 2)
            out.append({"type": "flight", "origin": o, "destination": t,
                        "cabin": rnd.choice(["economy", "business", "average"]),
                        "round_trip": rnd.random() < 0.5})
        elif r < 0.2:
            out.append({"type": "flight", "distance": d, "cabin": "economy"})
        elif r < 0.32:
            out.append({"type": "rail", "distance": d,
                        "service": rnd.choice(["national", "high_speed"])})
        elif r < 0.4:
            out.append({"type": "car", "distance": d, "fuel": rnd.choice(["petrol", "electric"]),
                        "size": rnd.choice(["small", "medium", "large"])})
        elif r < 0.46:
            out.append({"type": rnd.choice(["taxi", "bus", "metro"]),
                        "distance": f"{rnd.uniform(1, 40):.1f} km"})
        elif r < 0.62:
            out.append({"type": "hotel", "nights": rnd.randint(1, 5),
                        "country": rnd.choice(["CN", "CN", "GB", "US", "JP", "NO"])})
        elif r < 0.78:
            out.append({"type": "meal", "diet": rnd.choice(["average", "beef", "vegetarian"]),
                        "count": rnd.randint(1, 6)})
        elif r < 0.84:
            out.append({"type": "food", "item": rnd.choice(["rice", "tofu", "beef_beef_herd"]),
                        "mass": f"{rnd.uniform(0.1, 5):.2f} kg"})
        elif r < 0.92:
            out.append({"type": "purchase",
                        "category": rnd.choice(["souvenirs", "restaurant", "clothing"]),
                        "amount": f"{rnd.uniform(5, 500):.2f} CNY", "year": 2024})
        else:
            out.append({"type": "electricity", "energy": f"{rnd.uniform(10, 5000):.0f} kWh",
                        "region": rnd.choice(["CN", "CN-SC", "GB"])})
    return out


def best_of(fn: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def throughput(n: int, repeat: int) -> dict[str, float]:
    data = mixed(n)
    one = TypeAdapter(Activity)
    many = TypeAdapter(list[Activity])
    cf.calculate(data[:2000])  # warm caches: tables, units, airports (not part of throughput)

    def per_item() -> None:
        v = one.validate_python
        for d in data:
            v(d)

    def paused() -> None:
        with cf.gc_paused():
            cf.calculate(data)

    def with_lines() -> None:  # lines are built on first read: read them too
        cf.calculate(data).lines  # noqa: B018

    def with_json() -> None:
        cf.calculate(data).model_dump_json()

    def with_normalized() -> None:
        cf.calculate(data).normalized_json()

    # interleaved repeats, best of each: load changes on a shared machine hit all alike
    t_item = t_list = t_calc = t_paused = t_lines = t_json = t_norm = float("inf")
    for _ in range(repeat):
        t_item = min(t_item, best_of(per_item, 1))
        t_list = min(t_list, best_of(lambda: many.validate_python(data), 1))
        t_calc = min(t_calc, best_of(lambda: cf.calculate(data), 1))
        t_paused = min(t_paused, best_of(paused, 1))
        t_lines = min(t_lines, best_of(with_lines, 1))
        t_json = min(t_json, best_of(with_json, 1))
        t_norm = min(t_norm, best_of(with_normalized, 1))
    floor = min(t_item, t_list)
    fp = cf.calculate(data)
    return {"n": n, "validate_per_item_s": t_item, "validate_list_s": t_list,
            "calculate_s": t_calc, "ratio": floor / t_calc,
            "calculate_gc_paused_s": t_paused, "ratio_gc_paused": floor / t_paused,
            "calculate_lines_s": t_lines, "ratio_lines": floor / t_lines,
            "calculate_json_s": t_json, "ratio_json": floor / t_json,
            "calculate_normalized_s": t_norm, "ratio_normalized": floor / t_norm,
            "json_mb": len(fp.model_dump_json()) / 1e6,
            "normalized_mb": len(fp.normalized_json()) / 1e6,
            "calculate_per_s": n / t_calc, "validate_per_s": n / floor}


def per_call(sizes: tuple[int, ...] = (1, 10, 100, 1_000, 10_000, 100_000)
             ) -> dict[int, float]:
    """Per-item time [us] of calculate() by batch size (fixed costs show at small sizes)."""
    data = mixed(max(sizes))
    out = {}
    for size in sizes:
        batch = data[:size]
        reps = max(1, 20_000 // size)
        t = min(best_of(lambda b=batch: cf.calculate(b), reps) for _ in range(3))
        out[size] = t / size * 1e6
    return out


def _pydantic_json(fp: Any) -> str:
    return fp.__pydantic_serializer__.to_json(fp).decode()  # type: ignore[no-any-return]


def latency(runs: int) -> dict[str, Any]:
    """One guest: calculate alone, calculate + JSON, calculate + pydantic's JSON (interleaved)."""
    contenders = {
        "calculate": lambda: cf.calculate(GUEST),
        "calculate+lines": lambda: cf.calculate(GUEST).lines,
        "calculate+json": lambda: cf.calculate(GUEST).model_dump_json(),
        "calculate+pydantic json": lambda: _pydantic_json(cf.calculate(GUEST)),
    }
    assert cf.calculate(GUEST).model_dump_json() == _pydantic_json(cf.calculate(GUEST))
    for fn in contenders.values():
        for _ in range(300):
            fn()
    samples: dict[str, list[float]] = {k: [] for k in contenders}
    cpu: dict[str, list[float]] = {k: [] for k in contenders}
    for _ in range(runs):
        for name, fn in contenders.items():
            c0 = time.thread_time_ns()
            t0 = time.perf_counter_ns()
            fn()
            samples[name].append((time.perf_counter_ns() - t0) / 1000)
            cpu[name].append((time.thread_time_ns() - c0) / 1000)
    out: dict[str, Any] = {"runs": runs}
    for name, xs in samples.items():
        xs.sort()
        out[name] = {"median_us": statistics.median(xs), "p90_us": xs[int(0.9 * len(xs))],
                     "p99_us": xs[int(0.99 * len(xs))],
                     "cpu_median_us": statistics.median(cpu[name])}
    return out


COLD_LIB = ("import carbon_footprint as cf; cf.calculate(" + json.dumps(GUEST) + ")")
COLD_BASE = "import pint, pydantic; pint.UnitRegistry()"


def cold_start(runs: int) -> dict[str, float]:
    """New processes, interleaved: wall time and CPU time (user + system, of the child alone:
    steadier than wall time on a shared machine), medians."""
    import compileall
    import os
    from pathlib import Path

    def once(code: str, **env: str) -> tuple[float, float]:
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", code], env={**os.environ, **env})
        _, status, usage = os.wait4(proc.pid, 0)
        if os.waitstatus_to_exitcode(status):
            raise SystemExit(f"cold start run failed: {code}")
        return time.perf_counter() - t0, usage.ru_utime + usage.ru_stime

    def peak_mib(code: str) -> float:
        """The process's own peak resident memory (VmHWM: not the forking parent's)."""
        out = subprocess.run(
            [sys.executable, "-c", code + "; print(open('/proc/self/status').read()"
             ".split('VmHWM:')[1].split()[0])"], check=True, capture_output=True, text=True)
        return int(out.stdout.split()[-1]) / 1024

    # pint and pydantic come byte-compiled (pip compiles a wheel's modules when it installs
    # it); so must the library, or an editable install under PYTHONDONTWRITEBYTECODE=1 would
    # compile its source in every run (~0.1 s here) while the baseline does not
    compileall.compile_dir(str(Path(cf.__file__).parent), quiet=1)
    once(COLD_LIB)  # first run warms the OS file cache and pint's cache
    once(COLD_BASE)
    lib, base, nocache = [], [], []
    for _ in range(runs):  # interleaved, so load changes hit all alike
        lib.append(once(COLD_LIB))
        base.append(once(COLD_BASE))
        nocache.append(once(COLD_LIB, CARBON_FOOTPRINT_UNIT_CACHE="0"))

    def med(xs: list[tuple[float, float]], i: int) -> float:
        return statistics.median(x[i] for x in xs)

    return {"runs": runs, "library_s": med(lib, 0), "baseline_s": med(base, 0),
            "ratio": med(lib, 0) / med(base, 0),
            "library_cpu_s": med(lib, 1), "baseline_cpu_s": med(base, 1),
            "cpu_ratio": med(lib, 1) / med(base, 1),
            "no_unit_cache_s": med(nocache, 0), "no_unit_cache_ratio":
            med(nocache, 0) / med(base, 0),
            "library_peak_mib": peak_mib(COLD_LIB), "baseline_peak_mib": peak_mib(COLD_BASE)}


LATENCY_CHILD = ("import json, sys; sys.path.insert(0, {bench!r}); import bench_calculate as b; "
                 "from carbon_footprint.cli import build_kind; "
                 "print(json.dumps([build_kind(), b.latency({runs})]))")


def compare_compiled(rounds: int, runs: int) -> list[tuple[str, dict[str, Any]]]:
    """One guest's latency (``latency()``) in fresh processes: the build being run and the
    compiled build of this tree, alternated ``rounds`` times (load changes hit both alike)."""
    import os
    import tempfile
    from pathlib import Path

    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here.parent / "scripts"))
    from build_compiled import build

    out: list[tuple[str, dict[str, Any]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        site = build(Path(tmp) / "site")
        code = LATENCY_CHILD.format(bench=str(here), runs=runs)
        for _ in range(rounds):
            for env in (dict(os.environ), {**os.environ, "PYTHONPATH": str(site)}):
                done = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                                      capture_output=True, text=True)
                kind, figures = json.loads(done.stdout.splitlines()[-1])
                out.append((kind, figures))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--latency-runs", type=int, default=5000)
    ap.add_argument("--cold-runs", type=int, default=7)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON too")
    ap.add_argument("--compare-compiled", action="store_true",
                    help="also build the compiled build of this tree and compare one guest's "
                    "latency in fresh processes")
    args = ap.parse_args()

    from carbon_footprint.cli import build_kind

    print(f"build: {build_kind()} (carbon_footprint {cf.__version__}, {cf.__file__})")

    tp = throughput(args.n, args.repeat)
    print(f"throughput on {tp['n']:,} mixed activity dicts (best of {args.repeat})")
    print(f"  validate only, per item : {tp['validate_per_item_s']:.3f} s")
    print(f"  validate only, as a list: {tp['validate_list_s']:.3f} s")
    print(f"  calculate()             : {tp['calculate_s']:.3f} s "
          f"({tp['calculate_per_s']:,.0f} activities/s)")
    print(f"  calculate / validation floor = {tp['ratio']:.2f}x   (target >= 1.0x) "
          f"{'OK' if tp['ratio'] >= 1.0 else 'MISSED'}")
    print(f"  inside gc_paused() (opt-in): {tp['calculate_gc_paused_s']:.3f} s, "
          f"{tp['ratio_gc_paused']:.2f}x the floor")
    print(f"  calculate() and read fp.lines (every line object built): "
          f"{tp['calculate_lines_s']:.3f} s, {tp['ratio_lines']:.2f}x the floor")
    print(f"  calculate() + model_dump_json() ({tp['json_mb']:.1f} MB): "
          f"{tp['calculate_json_s']:.3f} s, {tp['ratio_json']:.2f}x the floor")
    print(f"  calculate() + normalized_json() ({tp['normalized_mb']:.1f} MB): "
          f"{tp['calculate_normalized_s']:.3f} s, {tp['ratio_normalized']:.2f}x the floor")
    la = latency(args.latency_runs)
    print(f"one guest (5 activities incl. an IATA flight), {la['runs']} interleaved runs")
    for name in ("calculate", "calculate+lines", "calculate+json", "calculate+pydantic json"):
        r = la[name]
        print(f"  {name:<24} median {r['median_us']:6.1f} us, p90 {r['p90_us']:6.1f} us, "
              f"p99 {r['p99_us']:6.1f} us (thread CPU time, median {r['cpu_median_us']:6.1f} "
              f"us)")
    r = la["calculate+json"]
    ok = r["median_us"] <= 50 and r["p99_us"] <= 150
    print(f"  one request (calculate + JSON): target median <= 50 us, p99 <= 150 us "
          f"{'OK' if ok else 'MISSED'}")
    pc = per_call()
    print("per-item time by batch size: " + ", ".join(f"{k:,}: {v:.1f} us"
                                                      for k, v in pc.items()))
    cs = cold_start(args.cold_runs)
    print(f"cold start, median of {cs['runs']} new processes")
    print(f"  import + first calculate(): {cs['library_s'] * 1000:.0f} ms")
    print(f"  import pint, pydantic + UnitRegistry(): {cs['baseline_s'] * 1000:.0f} ms")
    verdict = "OK" if cs["ratio"] <= 0.6 else "MISSED"
    print(f"  ratio {cs['ratio']:.2f}x   (target <= 0.6x) {verdict}")
    print(f"  CPU time (user + system): {cs['library_cpu_s'] * 1000:.0f} ms vs "
          f"{cs['baseline_cpu_s'] * 1000:.0f} ms, ratio {cs['cpu_ratio']:.2f}x")
    print(f"  without pint's definitions cache: {cs['no_unit_cache_s'] * 1000:.0f} ms, ratio "
          f"{cs['no_unit_cache_ratio']:.2f}x (pint is not imported for the guest)")
    print(f"  peak memory (max RSS): library {cs['library_peak_mib']:.0f} MiB, pint+pydantic+"
          f"UnitRegistry {cs['baseline_peak_mib']:.0f} MiB")
    ab: list[tuple[str, dict[str, Any]]] = []
    if args.compare_compiled:
        ab = compare_compiled(3, args.latency_runs)
        print("one guest, calculate + JSON, fresh processes alternated (this build, then the "
              "compiled build of this tree)")
        for kind, figures in ab:
            r = figures["calculate+json"]
            print(f"  {kind:<12} median {r['median_us']:6.1f} us, p99 {r['p99_us']:6.1f} us "
                  f"(calculate alone: median {figures['calculate']['median_us']:6.1f} us)")
        pure = [f["calculate+json"]["median_us"] for k, f in ab if k != "compiled"]
        comp = [f["calculate+json"]["median_us"] for k, f in ab if k == "compiled"]
        if pure and comp:
            print(f"  compiled / this build, median of medians = "
                  f"{statistics.median(comp) / statistics.median(pure):.2f}x")
    if args.json:
        print(json.dumps({"throughput": tp, "latency": la, "per_call_us": pc,
                          "cold_start": cs, "compiled_ab": ab}, indent=2))


if __name__ == "__main__":
    main()
