"""Docstring examples run (doctest), and the README's Python example works."""

from __future__ import annotations

import doctest
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import carbon_footprint
from carbon_footprint import _api

from .conftest import REPO


@pytest.mark.parametrize("module", [carbon_footprint, _api])
def test_doctests(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.attempted > 0 and result.failed == 0


def test_readme_example_runs() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", text, re.S)
    assert code is not None
    ns: dict[str, object] = {}
    exec(compile(code.group(1), "README.md", "exec"), ns)
    fp = ns["fp"]
    assert isinstance(fp, carbon_footprint.Footprint)
    # the values the README's comments show
    assert str(fp.total_tco2e) == "0.698659" and fp.offset.credits == 1
    assert fp.method.name == "china-large-event"
    assert fp.lines[0].factor.factor_id == "flight.short_haul.economy.without_rf"
    assert "Decimal('0.698659')" in text and "flight.short_haul.economy.without_rf" in text


@pytest.mark.slow
def test_docs_site_builds_strict(tmp_path: Path) -> None:
    """The documentation site builds with warnings as errors: the API reference is generated
    from the docstrings and the pages' examples run (markdown-exec)."""
    pytest.importorskip("mkdocs", reason="pip install carbon-footprint[docs]")
    pytest.importorskip("mkdocstrings")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d",
                           str(tmp_path / "site")],
                          cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    api = (tmp_path / "site" / "reference" / "api" / "index.html").read_text(encoding="utf-8")
    assert "calculate_frame" in api and "Footprint" in api
