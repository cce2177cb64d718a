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


FIRST_USE = [{"type": "rail", "distance": "12 km"}, {"type": "hotel", "nights": 2},
             {"type": "meal", "count": 2}, {"type": "bus", "distance": "3 km"},
             {"type": "electricity", "energy": "120 kWh", "region": "CN-SC"},
             {"type": "food", "item": "rice", "mass": "2 kg"},
             {"type": "flight", "origin": "PEK", "destination": "CTU"},
             {"type": "purchase", "category": "souvenirs", "amount": "50 CNY", "year": 2024}]

_FIRST_USE_CODE = """
import json, sys, threading
sys.setswitchinterval(1e-6)
import carbon_footprint as cf
acts = json.loads(sys.argv[1])
out = [None] * len(acts)
barrier = threading.Barrier(len(acts))
def run(i):
    barrier.wait()
    bad = {"type": acts[i]["type"], "x": 1}
    out[i] = [cf.calculate([acts[i]]).model_dump_json(), cf.validate([acts[i], bad])]
threads = [threading.Thread(target=run, args=(i,)) for i in range(len(acts))]
for t in threads: t.start()
for t in threads: t.join()
sys.stdout.write(json.dumps(out))
"""


def test_first_use_from_many_threads_in_a_fresh_process() -> None:
    """Activity models build their validators on first use: eight threads, each starting on
    another type right after import, agree with one thread doing it all."""
    import json
    import subprocess
    import sys

    got = subprocess.run([sys.executable, "-c", _FIRST_USE_CODE, json.dumps(FIRST_USE)],
                         check=True, capture_output=True, text=True).stdout
    want = [[cf.calculate([a]).model_dump_json(), cf.validate([a, {"type": a["type"], "x": 1}])]
            for a in FIRST_USE]
    assert json.loads(got) == json.loads(json.dumps(want))
