"""The built wheel ships factors/; the bundled tables regenerate byte-identically from sources."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import REPO, SHARED_DATA


@pytest.mark.slow
def test_wheel_contains_factors(tmp_path: Path) -> None:
    if shutil.which("git") is None and not (REPO / "pyproject.toml").exists():
        pytest.skip("no source tree")
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
           "-w", str(tmp_path), str(REPO)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    wheel = next(tmp_path.glob("carbon_footprint-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {n for n in names if n.startswith("carbon_footprint/factors/")}
    expected = {f"carbon_footprint/factors/{p.relative_to(REPO / 'factors').as_posix()}"
                for p in (REPO / "factors").rglob("*.yaml")}
    assert expected and expected <= shipped
    assert "carbon_footprint/units.txt" in names and "carbon_footprint/py.typed" in names


@pytest.mark.skipif(not (SHARED_DATA / "sources").is_dir(),
                    reason="../shared/data is not beside this clone: cannot regenerate tables")
def test_tables_regenerate_identically(tmp_path: Path) -> None:
    pytest.importorskip("python_calamine", reason="pip install carbon-footprint[import]")
    env = {**os.environ, "CARBON_FOOTPRINT_FACTORS_OUT": str(tmp_path),
           "CARBON_FOOTPRINT_SHARED_DATA": str(SHARED_DATA)}
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "build_factors.py")],
                          capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    # factors/credits/ (credit schemes, claim rules) is compiled by hand from cited sources,
    # not generated from ../shared/data
    committed = sorted(p.relative_to(REPO / "factors") for p in (REPO / "factors").rglob("*.yaml")
                       if p.relative_to(REPO / "factors").parts[0] != "credits")
    rebuilt = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.yaml"))
    assert committed == rebuilt
    for rel in committed:
        assert (tmp_path / rel).read_bytes() == (REPO / "factors" / rel).read_bytes(), rel
