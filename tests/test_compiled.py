"""The opt-in compiled build (pyproject.toml's mypyc hook, ``scripts/build_compiled.py``): it
builds in a bare environment from a clean copy of the source, ships the hot-path modules
compiled, and passes the whole suite (but the slow checks) as the pure build does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

import carbon_footprint as cf
from carbon_footprint.cli import build_kind

from .conftest import REPO


def _compiled_modules() -> list[str]:
    """The modules pyproject.toml's hook compiles (its ``include`` list)."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    include = config["tool"]["hatch"]["build"]["targets"]["wheel"]["hooks"]["mypyc"]["include"]
    return [Path(p).stem for p in include]


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


def test_the_source_tree_is_not_shadowed_by_a_compiled_build() -> None:
    """An in-place compiled build leaves .so files next to the sources, which an editable
    install then loads instead of the edited .py files."""
    here = (REPO / "src" / "carbon_footprint").resolve()
    if Path(cf.__file__).resolve().parent != here:
        pytest.skip("the library is not imported from this source tree")
    assert build_kind() == "pure Python", (
        "compiled modules in src/ shadow the sources: find src -name '*.so' -delete")


@pytest.mark.slow
def test_compiled_build_passes_the_suite(tmp_path: Path) -> None:
    reason = _cannot_compile()
    if reason:
        pytest.skip(reason)
    site = tmp_path / "site"
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "build_compiled.py"),
                           str(site)], capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    compiled = _compiled_modules()
    assert "_engine" in compiled
    for name in compiled:
        assert list((site / "carbon_footprint").glob(f"{name}.*.so")) \
            or list((site / "carbon_footprint").glob(f"{name}.*.pyd")), name
    assert not list((REPO / "src").rglob("*.so"))  # nothing compiled lands in this tree
    env = {**os.environ, "PYTHONPATH": str(site), "CARBON_FOOTPRINT_EXPECT_BUILD": "compiled"}
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not slow",
         "--ignore", str(REPO / "tests" / "test_compiled.py"), str(REPO / "tests")],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=1800)
    assert tests.returncode == 0, tests.stdout[-4000:] + tests.stderr[-2000:]
    assert " passed" in tests.stdout and " failed" not in tests.stdout
