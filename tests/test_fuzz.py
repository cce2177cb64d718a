"""Fuzzing: arbitrary JSON and near-valid activities; calculate() only raises our errors.

Runs at the default profile's example count in the normal suite; the long run is
``HYPOTHESIS_PROFILE=fuzz python -m pytest -m fuzz`` (see README). The number of examples and
what they produced is tallied and printed at the end of the session.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import carbon_footprint as cf
from carbon_footprint.activities import ACTIVITY_TYPES

from .strategies import activities, hostile_values, json_values, near_valid

pytestmark = pytest.mark.fuzz

#: outcome -> count, printed by conftest.pytest_terminal_summary
TALLY: Counter[str] = Counter()
KNOWN_FIELDS = {f for m in ACTIVITY_TYPES.values() for f in m.model_fields} | {None}


def _run(batch: list[Any]) -> None:
    try:
        fp = cf.calculate(batch)
        TALLY["raise-mode: ok"] += 1
        json.loads(fp.model_dump_json())
    except cf.CarbonFootprintError as exc:
        TALLY[f"raise-mode: {type(exc).__name__}"] += 1
        assert str(exc)
        if isinstance(exc, cf.ActivityError):
            assert exc.index is not None and 0 <= exc.index < len(batch)
            json.dumps(exc.to_dict())
    fp = cf.calculate(batch, errors="collect")
    assert [ln.index for ln in fp.lines] == list(range(len(batch)))
    assert fp.rejected == sum(isinstance(ln, cf.ErrorLine) for ln in fp.lines)
    for ln in fp.lines:
        if isinstance(ln, cf.ErrorLine):
            field = ln.field if ln.field in KNOWN_FIELDS else "an unknown field"
            TALLY[f"line: {ln.error} on {field}"] += 1
    json.loads(fp.model_dump_json())


@given(st.lists(json_values, max_size=5))
def test_arbitrary_json(batch: list[Any]) -> None:
    TALLY["examples: arbitrary JSON batches"] += 1
    _run(batch)


@given(st.lists(near_valid(), min_size=1, max_size=4))
def test_near_valid(batch: list[Any]) -> None:
    TALLY["examples: near-valid batches"] += 1
    _run(batch)


@given(st.lists(st.one_of(activities, near_valid(), st.dictionaries(
    st.sampled_from(["type", "distance", "nights", "energy", "item", "mass", "amount",
                     "category", "origin", "destination", "country", "region"]),
    json_values, max_size=4)), max_size=6))
def test_mixed(batch: list[Any]) -> None:
    TALLY["examples: mixed batches"] += 1
    _run(batch)


@given(st.lists(st.one_of(activities, near_valid(), st.dictionaries(
    st.sampled_from(["type", "distance", "nights", "energy", "amount", "cabin", "label",
                     "exchange_rate", "country", "region", "origin"]),
    hostile_values | st.sampled_from(["rail", "hotel", "flight", "purchase"]), max_size=4)),
    max_size=6))
def test_hostile(batch: list[Any]) -> None:
    """Huge integers, exponent towers, long and control-character strings, confusables, deep
    nesting: only library errors, every input back in order, bounded messages."""
    TALLY["examples: hostile batches"] += 1
    _run(batch)
    fp = cf.calculate(batch, errors="collect")
    for ln in fp.errors:
        assert len(ln.message) < 1_200 and "\x1b" not in ln.message and "\n" not in ln.message
