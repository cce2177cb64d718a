"""Benchmark of the HTTP service: one guest's calculation over HTTP on 127.0.0.1, beside the
same calculation in process.

Starts ``carbon-footprint serve`` on a free port (needs the [web] extra), then:

1. the first request after start (warm-up makes it as fast as the rest);
2. N requests of one guest (``POST /v1/calculate``, and ``?compact=1``) from C client threads
   on keep-alive connections (bounded load: C in flight at most, N in all): requests/s and
   p50/p99 latency;
3. in-process ``calculate()`` of the same guest: p50/p99 latency, the baseline.

Figures are printed with their ratios to the in-process baseline measured in the same run
(the machine is shared and noisy). The server is stopped by its pid.

Usage: python benchmarks/bench_service.py [--n 2000] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from typing import Any

import carbon_footprint as cf

GUEST: list[dict[str, Any]] = [
    {"type": "flight", "origin": "PEK", "destination": "TFU", "cabin": "economy",
     "round_trip": True},
    {"type": "hotel", "nights": 2, "country": "CN"},
    {"type": "meal", "diet": "average", "count": 6},
    {"type": "rail", "distance": {"value": 66, "unit": "km"}, "service": "high_speed"},
    {"type": "purchase", "category": "souvenirs", "amount": {"value": 200, "currency": "CNY"}},
]
BODY = json.dumps({"activities": GUEST}).encode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _post(conn: http.client.HTTPConnection, path: str) -> float:
    start = time.perf_counter()
    conn.request("POST", path, BODY, {"Content-Type": "application/json"})
    resp = conn.getresponse()
    resp.read()
    if resp.status != 200:
        raise RuntimeError(f"HTTP {resp.status}")
    return time.perf_counter() - start


def _load(port: int, path: str, n: int, concurrency: int) -> tuple[float, list[float]]:
    """(requests per second, latencies [s]) of n requests from `concurrency` threads."""
    latencies: list[float] = []
    lock = threading.Lock()
    left = [n]

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while True:
            with lock:
                if left[0] <= 0:
                    break
                left[0] -= 1
            mine.append(_post(conn, path))
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return n / (time.perf_counter() - start), latencies


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=4)
    args = ap.parse_args()
    n, c = max(10, min(args.n, 100_000)), max(1, min(args.concurrency, 32))

    port = _free_port()
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "carbon_footprint", "serve", "--port",
                             str(port)], stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the service did not start") from None
                time.sleep(0.05)
        ready = time.perf_counter() - started
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        first = _post(conn, "/v1/calculate")
        second = statistics.median(_post(conn, "/v1/calculate") for _ in range(20))
        conn.close()
        full_rps, full = _load(port, "/v1/calculate", n, c)
        compact_rps, compact = _load(port, "/v1/calculate?compact=1", n, c)
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)

    cf.calculate(GUEST)  # warm, as the server is
    local = []
    for _ in range(max(200, n // 2)):
        t = time.perf_counter()
        cf.calculate(GUEST)
        local.append(time.perf_counter() - t)
    base50, base99 = _pct(local, 0.5), _pct(local, 0.99)

    us = 1e6
    print(f"one guest ({len(GUEST)} activities), {n} requests, {c} in flight, 127.0.0.1")
    print(f"  service ready (incl. warm-up)  {ready:8.2f} s")
    print(f"  first request                  {first * us:8.0f} us  "
          f"({first / second:.2f}x the median of the next 20, {second * us:.0f} us)")
    print(f"  in-process calculate()  p50 {base50 * us:8.0f} us   p99 {base99 * us:8.0f} us"
          "   (baseline)")
    for name, rps, lat in (("POST /v1/calculate", full_rps, full),
                           ("POST ?compact=1", compact_rps, compact)):
        p50, p99 = _pct(lat, 0.5), _pct(lat, 0.99)
        print(f"  {name:<22} {rps:7.0f} req/s   p50 {p50 * us:8.0f} us ({p50 / base50:5.1f}x)"
              f"   p99 {p99 * us:8.0f} us ({p99 / base99:5.1f}x)")
    print(f"  requests/s x in-process p50: {full_rps * base50:.3f} (1.0 would be one core's "
          "worth of in-process calculations)")


if __name__ == "__main__":
    main()
