"""The public surface: a sorted, complete __all__; nothing private leaks."""

from __future__ import annotations

import carbon_footprint


def test_all_is_sorted_and_complete() -> None:
    names = carbon_footprint.__all__
    def isort_key(n: str) -> tuple[int, str]:  # ruff RUF022: CONSTANTS, Classes, functions
        return (0 if n.isupper() else 1 if n[:1].isupper() else 2, n)

    assert names == sorted(names, key=isort_key)
    for name in names:
        assert hasattr(carbon_footprint, name), name
    public = {n for n in dir(carbon_footprint) if not n.startswith("_")}
    modules = {"activities", "errors", "offsets", "results", "tables", "units", "cli", "frame",
               "plot", "method", "credits", "neutralize", "claims", "certificates", "leaderboard",
               "event"}
    assert public - set(names) - modules == set()


def test_errors_inherit_value_error() -> None:
    for name in carbon_footprint.__all__:
        obj = getattr(carbon_footprint, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, carbon_footprint.CarbonFootprintError)
            assert issubclass(obj, ValueError)
    assert issubclass(carbon_footprint.UnknownCodeError, LookupError)
    assert issubclass(carbon_footprint.UnknownTableError, LookupError)
    assert issubclass(carbon_footprint.ArgumentTypeError, TypeError)


def test_no_application_registry_side_effect() -> None:
    import pint

    carbon_footprint.calculate([{"type": "rail", "distance": "1 km"}])
    assert pint.get_application_registry().get() is not carbon_footprint.units.get_registry()
