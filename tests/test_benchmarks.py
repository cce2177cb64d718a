"""The benchmark scripts run (tiny sizes): they must not rot between releases."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import REPO


@pytest.mark.slow
def test_bench_calculate_smoke() -> None:
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_calculate.py"), "--n", "2000",
         "--repeat", "1", "--latency-runs", "50", "--cold-runs", "1"],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "calculate / validation floor" in proc.stdout and "cold start" in proc.stdout
    assert "calculate+json" in proc.stdout and "batch size" in proc.stdout


@pytest.mark.slow
def test_bench_frame_smoke() -> None:
    pytest.importorskip("pandas")
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_frame.py"), "--rows", "20000",
         "--sample", "200", "--repeat", "1", "--no-dask"],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "frame / floor" in proc.stdout and "frame / row-by-row" in proc.stdout
    assert "string form: frame / pandas by hand" in proc.stdout
    assert "fixed cost of a partition with every shape" in proc.stdout


@pytest.mark.slow
def test_bench_event_smoke() -> None:
    pytest.importorskip("pandas")
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_event.py"), "--attendees", "400",
         "--repeats", "1"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "attendees/s" in proc.stdout and "rejected 0" in proc.stdout
