"""The opt-in compiled build (pyproject.toml's mypyc hook, ``scripts/build_compiled.py``): it
builds from a clean copy of the source, ships the hot-path modules compiled, and passes the
engine's tests (the equivalence properties, the exact arithmetic, the JSON writers, errors,
threads, the frame and event paths) as the pure build does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from .conftest import REPO

#: the modules pyproject.toml's hook compiles
COMPILED = ("_engine", "_exact", "_json")
#: the tests run against the compiled build: everything that drives the engine's hot path
SUITE = ("test_equivalence.py", "test_exact.py", "test_json.py", "test_calculate.py",
         "test_lazy_lines.py", "test_normalized.py", "test_hostile.py", "test_threads.py",
         "test_pickling.py", "test_errors.py", "test_frame.py", "test_event.py")


def _cannot_compile() -> str | None:
    """Why a C extension cannot be built here (None: it can)."""
    if not (REPO / "src" / "carbon_footprint" / "_engine.py").exists():
        return "no source tree"
    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(cc) is None:
        return f"no C compiler ({cc})"
    if not (Path(sysconfig.get_paths()["include"]) / "Python.h").exists():
        return "no Python headers"
    return None


@pytest.mark.slow
def test_compiled_build_passes_the_engine_tests(tmp_path: Path) -> None:
    reason = _cannot_compile()
    if reason:
        pytest.skip(reason)
    site = tmp_path / "site"
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "build_compiled.py"),
                           str(site)], capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    for name in COMPILED:
        assert list((site / "carbon_footprint").glob(f"{name}.*.so")) \
            or list((site / "carbon_footprint").glob(f"{name}.*.pyd")), name
    assert not list((REPO / "src").rglob("*.so"))  # nothing compiled lands in this tree
    env = {**os.environ, "PYTHONPATH": str(site)}
    check = subprocess.run(
        [sys.executable, "-c", "import carbon_footprint._engine as e; "
         "from carbon_footprint.cli import build_kind; print(e.__file__); "
         "print(build_kind())"],
        capture_output=True, text=True, env=env, cwd=tmp_path, check=True)
    where, kind = check.stdout.split("\n")[:2]
    assert where.startswith(str(site)) and kind == "compiled", check.stdout
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         *[str(REPO / "tests" / t) for t in SUITE]],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=1200)
    assert tests.returncode == 0, tests.stdout[-4000:]
    assert " passed" in tests.stdout and " failed" not in tests.stdout
