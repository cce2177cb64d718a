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
from carbon_footprint import _engine

from .conftest import REPO


@pytest.mark.parametrize("module", [carbon_footprint, _engine])
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
    assert 0.5 < fp.total_tco2e < 1.5 and fp.offset.credits == 1


#: Pages written on a branch whose nav entry is added to mkdocs.yml when it is merged (see
#: INTEGRATION.md); until then the strict build lists them under "Guides" so that it still
#: fails on any other page left out of the nav. Drop entries once mkdocs.yml has them.
PENDING_NAV = {"guide-guest.md": "A guest: QR form to certificate",
               "guide-organizer.md": "An organizer: neutralizing an event"}


def _config_with_pending_nav(tmp_path: Path) -> Path:
    import yaml

    config = REPO / "mkdocs.yml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    listed = repr(data.get("nav"))
    missing = [{title: page} for page, title in PENDING_NAV.items()
               if page not in listed and (REPO / "docs" / page).is_file()]
    if not missing:
        return config
    data["nav"] = [*data["nav"], {"Guides": missing}]
    data["docs_dir"] = str(REPO / "docs")
    for plugin in data.get("plugins", []):
        if isinstance(plugin, dict) and "mkdocstrings" in plugin:
            python = plugin["mkdocstrings"]["handlers"]["python"]
            python["paths"] = [str(REPO / p) for p in python.get("paths", [])]
    out = tmp_path / "mkdocs.yml"
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


@pytest.mark.slow
def test_docs_site_builds_strict(tmp_path: Path) -> None:
    """The documentation site builds with warnings as errors: the API reference is generated
    from the docstrings and the pages' examples run (markdown-exec)."""
    pytest.importorskip("mkdocs", reason="pip install carbon-footprint[docs]")
    pytest.importorskip("mkdocstrings")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d",
                           str(tmp_path / "site"), "-f", str(_config_with_pending_nav(tmp_path))],
                          cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    api = (tmp_path / "site" / "reference" / "api" / "index.html").read_text(encoding="utf-8")
    assert "calculate_frame" in api and "Footprint" in api
