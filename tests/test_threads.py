"""Many threads, different tables, lazy loading racing: results equal a serial run."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import carbon_footprint as cf

TABLE_SETS = [None, "desnz-2023", "desnz-2025", ["desnz-2024", "mee-grid-2022"],
              ["mee-grid-2021", "desnz-2024"]]
ACTS = [
    {"type": "flight", "origin": "LHR", "destination": "PEK", "cabin": "business"},
    {"type": "hotel", "nights": 2, "country": "CN"},
    {"type": "rail", "distance": "120 km"},
]


def _run(i: int) -> str:
    factors = TABLE_SETS[i % len(TABLE_SETS)]
    acts = [*ACTS, {"type": "electricity", "energy": "500 kWh", "region": "CN-SC"}]
    return cf.calculate(acts, tables=factors, errors="collect").model_dump_json()


def test_threads_match_serial() -> None:
    serial = [_run(i) for i in range(len(TABLE_SETS))]
    for _ in range(3):
        cf.clear_caches()  # every cache, airports and rates included: threads race on loading
        with ThreadPoolExecutor(max_workers=16) as pool:
            got = list(pool.map(_run, range(200)))
        assert all(g == serial[i % len(TABLE_SETS)] for i, g in enumerate(got))


def test_deterministic_json() -> None:
    a = cf.calculate(ACTS).model_dump_json()
    cf.clear_caches()
    assert cf.calculate(ACTS).model_dump_json() == a


def test_byte_identical_across_processes() -> None:
    import json
    import subprocess
    import sys

    acts = [*ACTS, {"type": "purchase", "category": "restaurant", "amount": "88 CNY",
                    "year": 2023}, {"type": "meal", "count": 3}]
    code = ("import json, sys, carbon_footprint as cf; "
            "sys.stdout.write(cf.calculate(json.loads(sys.argv[1])).model_dump_json())")
    outs = {subprocess.run([sys.executable, "-c", code, json.dumps(acts)], check=True,
                           capture_output=True, text=True).stdout for _ in range(2)}
    outs.add(cf.calculate(acts).model_dump_json())
    assert len(outs) == 1
