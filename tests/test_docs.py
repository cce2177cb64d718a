"""Docstring examples run (doctest), and the README's Python example works."""

from __future__ import annotations

import doctest
import re

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
