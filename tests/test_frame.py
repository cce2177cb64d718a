"""calculate_frame on pandas, pyarrow and Dask equals calculate() row by row."""

from __future__ import annotations

import contextlib
import math
import sys
from pathlib import Path
from typing import Any

import pytest

pd = pytest.importorskip("pandas", reason="pip install carbon-footprint[pandas]")
np = pytest.importorskip("numpy")

import carbon_footprint as cf  # noqa: E402
from carbon_footprint.frame import OUTPUT_COLUMNS, calculate_frame  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bench_calculate import mixed  # noqa: E402

BAD = [
    {"type": "hotel", "nights": 2, "country": "XX"},
    {"type": "spaceship"},
    {"type": "flight", "distance": "-5 km"},
    {"type": "rail", "distance": "ten km"},
    {"type": "car", "distance": "3 kg"},
    {"type": "car", "distance": "1e9 km"},
    {"type": "flight", "origin": "PEK", "destination": "PEK"},
    {"type": "meal", "diet": "carnivore"},
    {"type": "purchase", "category": "souvenirs", "amount": "10 XYZ", "year": 2024},
    {"type": "electricity", "energy": "nan kWh"},
    {"type": "hotel", "nights": 2, "distance": "3 km"},
]


def _mixed_with_errors(n: int) -> list[dict[str, Any]]:
    acts = mixed(n, seed=7)
    extra = [{"type": "motorbike", "distance": "12 mi"},
             {"type": "taxi", "distance": "5 km", "basis": "vehicle"},
             {"type": "flight", "distance": "800 km", "route": "to_from_uk", "cabin": "first"},
             {"type": "electricity", "energy": "1 GJ", "region": "CN-XZ"}]
    return acts + extra + BAD


def _compare(acts: list[dict[str, Any]], out: Any, **kw: Any) -> None:
    fp = cf.calculate(acts, errors="collect", **kw)
    assert len(out) == len(acts)
    for i, ln in enumerate(fp.lines):
        row = out.iloc[i]
        if isinstance(ln, cf.LineItem):
            assert row["error"] is None or (isinstance(row["error"], float)), (i, row["error"])
            assert math.isclose(ln.tco2e, row["tco2e"], rel_tol=1e-12, abs_tol=1e-15), i
            assert ln.factor.factor_id == row["factor_id"]
            assert ln.factor.table == row["table"] and ln.factor.edition == row["edition"]
            assert ln.category == row["reporting_category"]
            assert ln.gas_basis == row["gas_basis"]
        else:
            assert isinstance(row["error"], str) and row["error"], (i, acts[i])
            assert math.isnan(row["tco2e"])


def test_dict_frame_equals_calculate() -> None:
    acts = _mixed_with_errors(3000)
    out = calculate_frame(pd.DataFrame(acts))
    assert list(out.columns[-len(OUTPUT_COLUMNS):]) == list(OUTPUT_COLUMNS)
    _compare(acts, out)


def test_other_tables_and_gwp() -> None:
    acts = [a for a in _mixed_with_errors(500)]
    _compare(acts, calculate_frame(pd.DataFrame(acts), tables=["desnz-2025", "mee-grid-2022",
                                                               "scarborough-2014",
                                                               "poore-nemecek-2018",
                                                               "useeio-1.2"]),
             tables=["desnz-2025", "mee-grid-2022", "scarborough-2014", "poore-nemecek-2018",
                      "useeio-1.2"])
    travel = [a for a in acts if a["type"] in ("flight", "rail", "car")]
    _compare(travel, calculate_frame(pd.DataFrame(travel), gwp="AR6"), gwp="AR6")


def to_fast_form(acts: list[dict[str, Any]]) -> Any:
    """Numeric quantity columns with a unit column beside each, as categories."""
    rows = []
    for a in acts:
        r = dict(a)
        for q in ("distance", "mass", "energy", "amount"):
            if isinstance(r.get(q), str):
                parts = r.pop(q).split()
                if len(parts) == 2:
                    value, unit = parts
                    try:
                        r[q] = float(value)
                    except ValueError:
                        r[q] = np.nan
                    r[f"{q}_unit" if q != "amount" else "amount_currency"] = unit
        rows.append(r)
    df = pd.DataFrame(rows)
    for col in df.columns:
        if df[col].dtype == object and col not in ("label",):
            with contextlib.suppress(TypeError):
                df[col] = df[col].astype("category")
    return df


def test_fast_form_equals_calculate() -> None:
    acts = [a for a in mixed(3000, seed=11)]
    df = to_fast_form(acts)
    assert df["distance"].dtype == float and "distance_unit" in df
    _compare(acts, calculate_frame(df))


def test_empty_and_missing_type() -> None:
    out = calculate_frame(pd.DataFrame({"type": pd.Series([], dtype=object)}))
    assert len(out) == 0 and "tco2e" in out
    out = calculate_frame(pd.DataFrame({"nights": [1, 2]}))
    assert out["error_code"].tolist() == ["type_missing"] * 2
    assert "missing activity type" in out["error"][0]
    with pytest.raises(TypeError, match="pandas, pyarrow"):
        calculate_frame([{"type": "meal"}])


def test_pyarrow_in_pyarrow_out() -> None:
    pa = pytest.importorskip("pyarrow")
    acts = mixed(400, seed=3)
    table = pa.Table.from_pandas(pd.DataFrame(acts))
    out = calculate_frame(table)
    assert isinstance(out, pa.Table) and out.num_rows == len(acts)
    _compare(acts, out.to_pandas())


@pytest.mark.slow
def test_dask_local_cluster_two_workers() -> None:
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    dask = pytest.importorskip("dask")
    acts = _mixed_with_errors(2000)
    # Dask turns object columns into strings by default ("True" for a bool): keep them as they are
    with dask.config.set({"dataframe.convert-string": False}):
        ddf = dd.from_pandas(pd.DataFrame(acts), npartitions=4)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster), dask.config.set({"dataframe.convert-string": False}):
        lazy = calculate_frame(ddf)
        assert type(lazy).__module__.startswith("dask")
        out = lazy.compute()
    _compare(acts, out.reset_index(drop=True))


def test_footprint_to_frame_html_and_plot(tmp_path: Path) -> None:
    fp = cf.calculate([*mixed(50), {"type": "nope"}], errors="collect")
    frame = fp.to_frame()
    assert len(frame) == 51 and frame["tco2e"].sum() == pytest.approx(float(fp.total_tco2e))
    html = fp._repr_html_()
    assert "Carbon footprint" in html and "<table>" in html
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    for by in ("category", "activity"):
        ax = fp.plot(by=by)
        ax.figure.savefig(tmp_path / f"{by}.png")
        assert (tmp_path / f"{by}.png").stat().st_size > 1000
    with pytest.raises(cf.CarbonFootprintError):
        fp.plot(by="colour")


def test_passthrough_columns_and_misplaced_fields() -> None:
    df = pd.DataFrame([{"type": "hotel", "nights": 2, "country": "CN", "guest_id": 7},
                       {"type": "hotel", "nights": 2, "distance": "5 km", "guest_id": 8}])
    out = calculate_frame(df)
    assert out["guest_id"].tolist() == [7, 8]
    assert out["error"].isna().tolist() == [True, False]
    assert out["error_code"].iloc[1] == "field_unknown" and "'distance'" in out["error"].iloc[1]


def test_guest_generator_example() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
    from generate_guests import guests

    df = guests(2000)
    out = calculate_frame(df)
    assert out["error"].isna().all() and (out["tco2e"] > 0).all()
    per_guest = out.groupby("guest_id", observed=True)["tco2e"].sum()
    assert len(per_guest) == 2000 and 0.05 < per_guest.median() < 2.0


def test_full_column_passes_in_a_second_thread_give_the_same_frame(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A large frame counts its field columns, prices half of its types (fast form), puts its
    results back in row order and builds its text columns partly in a second thread: forced
    on a small frame (numeric and categorical fields, misplaced fields,
    errors), the output is the unthreaded one and calculate()'s."""
    import threading

    from carbon_footprint import frame

    acts = [*_mixed_with_errors(2000), {"type": "hotel", "nights": 2, "distance": "5 km"},
            {"type": "meal", "count": 2, "nights": 3}]
    categorical = to_fast_form(acts)
    for c in categorical.columns:  # every text column a categorical (pandas 3 reads str)
        if not pd.api.types.is_numeric_dtype(categorical[c]) and not isinstance(
                categorical[c].dtype, pd.CategoricalDtype):
            categorical[c] = categorical[c].astype("category")
    started: list[str] = []
    real = threading.Thread.start

    def start(self: threading.Thread) -> None:
        started.append(self.name)
        real(self)

    for df, split in ((pd.DataFrame(acts), False), (to_fast_form(acts), False),
                      (categorical, True)):
        plain = calculate_frame(df)
        started.clear()
        monkeypatch.setattr(frame, "_THREAD_ROWS", 1)
        monkeypatch.setattr(frame, "_cpus", lambda: 2)  # (also on a one-CPU machine)
        monkeypatch.setattr(threading.Thread, "start", start)
        threaded = calculate_frame(df)
        monkeypatch.undo()
        # the column passes, the results back in row order, the text columns; and half of
        # the types where every column holds plain arrays (the fast form's categoricals and
        # numbers, not pyarrow strings)
        assert set(started) == {"carbon_footprint.frame"} and len(started) >= 3
        if split:
            assert len(started) == 4
        pd.testing.assert_frame_equal(threaded, plain)
        _compare(acts, threaded)


def test_an_error_in_the_second_thread_is_raised_by_the_call(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from carbon_footprint import frame

    def fail(self: Any, out: Any = None) -> Any:
        raise MemoryError("no room for the presence mask")

    monkeypatch.setattr(frame, "_THREAD_ROWS", 1)
    monkeypatch.setattr(frame, "_cpus", lambda: 2)
    monkeypatch.setattr(frame._NumCol, "present", fail)
    with pytest.raises(MemoryError, match="presence mask"):
        calculate_frame(to_fast_form(mixed(200, seed=5)))


def test_one_cpu_or_a_small_frame_stays_on_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from carbon_footprint import frame

    started: list[str] = []
    real = threading.Thread.start

    def start(self: threading.Thread) -> None:
        started.append(self.name)
        real(self)

    monkeypatch.setattr(threading.Thread, "start", start)
    df = to_fast_form(mixed(300, seed=9))
    calculate_frame(df)  # 300 rows: below the threshold
    monkeypatch.setattr(frame, "_THREAD_ROWS", 1)
    monkeypatch.setattr(frame, "_cpus", lambda: 1)
    calculate_frame(df)
    assert started == []


def test_non_whole_counts_near_a_whole_number_are_refused() -> None:
    """A count a hair off a whole number (or past float32's whole numbers) is the row's
    error, as calculate() gives it, not a neighbouring count."""
    df = pd.DataFrame({"type": ["meal"] * 3,
                       "count": [-1.0, 2.0000000000000004, 0.9999999999999999]})
    out = calculate_frame(df)
    acts = [{"type": "meal", "count": c} for c in df["count"]]
    _compare(acts, out)
    assert out["error"].notna().all()
    big = pd.DataFrame({"type": ["meal"] * 2,
                        "count": np.array([2.0**30, 2.0**30 + 128], dtype=np.float32)})
    _compare([{"type": "meal", "count": float(c)} for c in big["count"]], calculate_frame(big))


def test_text_column_categories_do_not_follow_the_unit_ids(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The canonical units' ids depend on the order types meet them (in two threads, on
    timing): the text columns' categories follow the rows, not those ids."""
    from synthetic import activity_frame

    from carbon_footprint import frame

    df = activity_frame(3000, seed=4)
    fuel = (df["type"] == "fuel").to_numpy()
    units = df["amount_unit"].astype(object).to_numpy().copy()
    units[fuel] = np.array(["kWh", "kg", "m^3"], dtype=object)[np.arange(fuel.sum()) % 3]
    df["amount_unit"] = pd.Categorical(units)
    plain = calculate_frame(df)
    real = frame._Frame.__init__

    def seeded(self: Any, *args: Any, **kwargs: Any) -> None:
        real(self, *args, **kwargs)
        self.canon.extend(["m^3", "kg", "kWh", "CNY", "km"])  # other ids for the same units

    monkeypatch.setattr(frame._Frame, "__init__", seeded)
    pd.testing.assert_frame_equal(calculate_frame(df), plain)


def test_an_error_in_the_calling_thread_leaves_no_thread_running(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from synthetic import activity_frame

    from carbon_footprint import frame

    real = frame._one_type

    def one_type(*args: Any) -> None:
        if threading.current_thread() is threading.main_thread():
            raise MemoryError("no room in the calling thread")
        real(*args)

    monkeypatch.setattr(frame, "_THREAD_ROWS", 1)
    monkeypatch.setattr(frame, "_cpus", lambda: 2)
    monkeypatch.setattr(frame, "_one_type", one_type)
    with pytest.raises(MemoryError, match="calling thread"):
        calculate_frame(activity_frame(3000, seed=5))
    assert not [t for t in threading.enumerate() if t.name == "carbon_footprint.frame"]
