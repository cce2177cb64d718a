"""One engine: the compiled fast path equals full validation, and calculate_frame equals
calculate(), row by row, on every activity type, every bundled table set, distances up to
20,000 km, both frame forms, with bad rows. The example counts are tallied and printed."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import carbon_footprint as cf
from carbon_footprint import _engine
from carbon_footprint.errors import ActivityError
from carbon_footprint.tables import bundled_table_ids

from .strategies import activities, any_activity, near_valid

#: examples run, printed at the end of the session (conftest)
TALLY: Counter[str] = Counter()

#: every bundled table alone, the default set, and mixed sets of other editions
TABLE_SETS: list[Any] = [None, *bundled_table_ids(),
                         ["desnz-2025", "mee-grid-2022", "scarborough-2014", "ademe-2024",
                          "poore-nemecek-2018", "useeio-1.2"],
                         ["epa-hub-2025", "mee-ets-2023", "ademe-2024", "useeio-1.3.0"],
                         ["desnz-2021", "epa-hub-2024", "mee-grid-2021"]]
long_distances = st.floats(min_value=0.0, max_value=20_000.0, allow_nan=False)
rows = st.one_of(any_activity(long_distances), any_activity(long_distances), near_valid())


def _comparable(line: Any) -> dict[str, Any]:
    data = line.model_dump()
    for k in ("index", "message", "pointer"):
        data.pop(k, None)
    return data


@given(st.lists(rows, max_size=8), st.sampled_from(TABLE_SETS))
def test_fast_path_equals_full_validation(acts: list[Any], tables: Any) -> None:
    """Each input through the compiled shape equals the same input validated in full."""
    TALLY["examples: fast path == full validation"] += 1
    fp = cf.calculate(acts, tables=tables, errors="collect")
    ctx, _ = _engine.context_for(tables)
    for i, act in enumerate(acts):
        try:
            full: Any = _engine.full_line(act, i, ctx)[0]
        except ActivityError as exc:
            full = _engine.error_line(exc.located(i, exc.activity_type), act, i)
        assert _comparable(fp.lines[i]) == _comparable(full), act


def _frame_rows(acts: list[dict[str, Any]], fast: bool) -> list[dict[str, Any]]:
    """The rows of a frame; in the fast form quantity strings become number + unit columns."""
    if not fast:
        return acts
    out = []
    quantities = {s.quantity for s in cf.activity_types().values() if s.quantity}
    for a in acts:
        r = dict(a)
        for q in quantities:
            v = r.get(q)
            if isinstance(v, str) and len(v.split()) == 2:
                number, unit = v.split()
                try:
                    value = float(number)
                except ValueError:
                    continue
                if math.isfinite(value):
                    del r[q]
                    r[q] = value
                    t = r.get("type")
                    spec = cf.activity_types().get(t) if isinstance(t, str) else None
                    money = spec is not None and spec.kind == "money"
                    r[f"{q}_currency" if money else f"{q}_unit"] = unit
        out.append(r)
    return out


def _hashable_rows(acts: list[Any]) -> bool:
    return all(isinstance(a, dict) for a in acts)


def _counts(type_name: Any) -> set[str]:
    spec = cf.activity_types().get(type_name) if isinstance(type_name, str) else None
    if spec is None:
        return set()
    out = set()
    for name, info in spec.model.model_fields.items():
        ann = info.annotation
        if ann is int or int in getattr(ann, "__args__", ()):
            out.add(name)
    return out


def _expected(row: dict[str, Any]) -> dict[str, Any]:
    """What a frame row stands for, by the documented frame rules (docs/analysts.md): a
    missing cell is an absent field; an integral float in a count column is that integer
    (pandas makes integer columns with gaps float); a number beside a unit column is a
    quantity of that unit (``<field>_currency`` for money types, ``<field>_unit`` for the
    others); a column that is no activity's field passes through (a guest id)."""
    counts = _counts(row.get("type"))
    spec = (cf.activity_types().get(row["type"]) if isinstance(row.get("type"), str)
            else None)
    money = spec is not None and spec.kind == "money"
    fields = {f for s in cf.activity_types().values() for f in s.model.model_fields}
    out: dict[str, Any] = {}
    for k, v in row.items():
        if k.endswith("_unit") or k.endswith("_currency") or k not in fields:
            continue
        if v is None or (isinstance(v, float) and math.isnan(v)):
            continue
        if k in counts and type(v) is float and v.is_integer():
            v = int(v)
        second = "currency" if money else "unit"
        unit = row.get(f"{k}_{second}")
        if type(v) is float and unit is not None:
            v = {"value": v, second: unit}
        out[k] = v
    return out


@given(st.lists(rows, min_size=1, max_size=25).filter(_hashable_rows),
       st.sampled_from(TABLE_SETS), st.booleans())
def test_frame_equals_calculate(acts: list[dict[str, Any]], tables: Any, fast: bool) -> None:
    pd = pytest.importorskip("pandas")
    TALLY[f"examples: frame == calculate ({'fast' if fast else 'string'} form)"] += 1
    frame_rows = _frame_rows(acts, fast)
    df = pd.DataFrame(frame_rows)
    expect = cf.calculate([_expected(r) for r in frame_rows], tables=tables, errors="collect")
    out = cf.calculate_frame(df, tables=tables)
    TALLY["rows compared"] += len(df)
    assert len(out) == len(acts) and list(out.columns[:len(df.columns)]) == list(df.columns)
    for i, line in enumerate(expect.lines):
        row = out.iloc[i]
        if line.status == "ok":
            TALLY["rows: ok"] += 1
            assert row["tco2e"] == line.tco2e, (i, frame_rows[i], row["error"])
            assert row["factor_id"] == line.factor.factor_id and row["table"] == line.factor.table
            assert row["reporting_category"] == line.category
        else:
            TALLY["rows: error"] += 1
            assert row["error_code"] == line.code, (i, frame_rows[i], row["error"], line.message)
            assert math.isnan(row["tco2e"])


@given(st.lists(activities, min_size=1, max_size=10))
def test_models_take_the_same_plans(acts: list[dict[str, Any]]) -> None:
    models = [cf.validate_activity(a) for a in acts]
    a = cf.calculate(acts, errors="collect")
    b = cf.calculate(models, errors="collect")
    assert a.model_dump() == b.model_dump()


@pytest.mark.parametrize("tables", ["desnz-2024", "epa-hub-2025"])
def test_banded_flights_by_distance_agree(tables: str) -> None:
    """The reported regression: a frame priced banded flights at one unit, linearly."""
    pd = pytest.importorskip("pandas")
    acts = [{"type": "flight", "distance": f"{d} km", "route": "to_from_uk"}
            for d in (500, 3_699, 3_700, 5_000, 12_000, 19_999)]
    if tables.startswith("epa"):
        acts = [{k: v for k, v in a.items() if k != "route"} for a in acts]
    fp = cf.calculate(acts, tables=tables)
    out = cf.calculate_frame(pd.DataFrame(acts), tables=tables)
    assert out["tco2e"].tolist() == [ln.tco2e for ln in fp.lines]
    assert out["factor_id"].tolist() == [ln.factor.factor_id for ln in fp.lines]
    assert len(set(out["factor_id"])) > 1  # more than one band


def test_one_grammar_for_money() -> None:
    pd = pytest.importorskip("pandas")
    acts = [{"type": "purchase", "category": "restaurant", "amount": "1_000 USD", "year": 2022},
            {"type": "purchase", "category": "restaurant", "amount": "USD 1000", "year": 2022}]
    fp = cf.calculate(acts)
    out = cf.calculate_frame(pd.DataFrame(acts))
    assert out["tco2e"].tolist() == [ln.tco2e for ln in fp.lines]
    assert fp.lines[0].tco2e == fp.lines[1].tco2e
