"""The guest and organizer guides run as written (their ```python blocks, in order, in one
namespace per page), and the credit modules' docstring examples pass."""

from __future__ import annotations

import doctest
import importlib
import re

import pytest

from .conftest import REPO

GUIDES = ["guide-guest.md", "guide-organizer.md"]


@pytest.mark.parametrize("page", GUIDES)
def test_guide_runs(page: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = (REPO / "docs" / page).read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 4
    ns: dict[str, object] = {"__name__": f"guide_{page}"}
    for i, block in enumerate(blocks):
        exec(compile(block, f"docs/{page} block {i + 1}", "exec"), ns)
    out = capsys.readouterr().out
    # every printed line that the page shows as a comment of the form "# <value>" is checked
    # by the asserts inside the blocks; here, that the pages printed something real
    assert out.strip()


def test_guides_print_what_they_say() -> None:
    """The comments next to print() calls are the outputs (spot checks of the key ones)."""
    guest = (REPO / "docs" / "guide-guest.md").read_text(encoding="utf-8")
    organizer = (REPO / "docs" / "guide-organizer.md").read_text(encoding="utf-8")
    for fragment in ("# cdcer-2021-09-a unit 1 [0.7984, 1) 0.2016", "# 19.29 CNY",
                     "# True ('ELIGIBILITY_UNKNOWN',)", "# 0.003060"):
        assert fragment in guest
    for fragment in ("# 50 27", "# 4400 404360.00", "# False ('NOT_RETIRED',)",
                     "# 27 1.066770", "# certificate_overclaim"):
        assert fragment in organizer


@pytest.mark.parametrize("name",
                         ["credits", "neutralize", "claims", "certificates", "leaderboard"])
def test_docstring_examples(name: str) -> None:
    # by module path (modules certificates, leaderboard; certify(), rank() are functions)
    module = importlib.import_module(f"carbon_footprint.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
