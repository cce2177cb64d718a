"""Shared test configuration: Hypothesis profiles and fixtures.

Profiles: ``default`` (modest, the normal suite), ``fuzz`` (long; select with
``HYPOTHESIS_PROFILE=fuzz``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("default", max_examples=100, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=20_000, deadline=None,
                          suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("CARBON_FOOTPRINT_SHARED_DATA", REPO.parent / "shared" / "data"))


def pytest_sessionstart(session: pytest.Session) -> None:
    """``CARBON_FOOTPRINT_EXPECT_BUILD=compiled`` (set by tests/test_compiled.py for its run
    against the compiled build): refuse to run on the other build, so that run cannot pass on
    the pure source by mistake."""
    expected = os.environ.get("CARBON_FOOTPRINT_EXPECT_BUILD")
    if expected:
        from carbon_footprint.cli import build_kind

        if build_kind() != expected:
            raise pytest.UsageError(f"expected the {expected} build of carbon_footprint; "
                                    f"{build_kind()} is imported")


def pytest_terminal_summary(terminalreporter: object) -> None:
    """Print how many fuzz examples ran and what they produced."""
    import sys

    write = terminalreporter.write_line  # type: ignore[attr-defined]
    for name in ("tests.test_fuzz", "tests.test_equivalence"):
        tally = getattr(sys.modules.get(name), "TALLY", None)
        if not tally:
            continue
        write(f"{name.split('.')[-1]} tally (profile {settings.get_current_profile_name()}):")
        for key, n in sorted(tally.items()):
            write(f"  {n:8d}  {key}")


@pytest.fixture
def guest() -> list[dict[str, object]]:
    """One conference guest: the five activities of the latency benchmark."""
    return [
        {"type": "flight", "origin": "PEK", "destination": "CTU", "cabin": "economy"},
        {"type": "hotel", "nights": 3, "country": "CN"},
        {"type": "meal", "diet": "average", "count": 6},
        {"type": "rail", "distance": "66 km", "service": "high_speed"},
        {"type": "purchase", "category": "souvenirs", "amount": "200 CNY", "year": 2024},
    ]


@pytest.fixture(scope="session")
def service() -> object:
    """The base URL of the real HTTP service, started once as a subprocess (needs [web])."""
    pytest.importorskip("fastapi", reason="the HTTP service needs the [web] extra")
    pytest.importorskip("uvicorn", reason="the HTTP service needs the [web] extra")
    from ._server import running_server

    with running_server() as base:
        yield base
