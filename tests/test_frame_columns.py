"""calculate_frame reads columns where they are: pandas (numpy, categorical, pyarrow-backed
strings, objects), pyarrow tables and Polars frames, and the vectorized quantity reader gives
exactly what parse_quantity gives (or leaves the text to it)."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

pd = pytest.importorskip("pandas", reason="pip install carbon-footprint[pandas]")
np = pytest.importorskip("numpy")
pa = pytest.importorskip("pyarrow")

import carbon_footprint as cf  # noqa: E402
from carbon_footprint import frame  # noqa: E402
from carbon_footprint._engine import context_for  # noqa: E402
from carbon_footprint.errors import ActivityError  # noqa: E402
from carbon_footprint.frame import OUTPUT_COLUMNS, calculate_frame  # noqa: E402
from carbon_footprint.units import KINDS, NUMBER, parse_quantity  # noqa: E402

from .strategies import UNITS  # noqa: E402
from .test_equivalence import TALLY  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from synthetic import activity_frame, string_form  # noqa: E402

MIXED = [
    {"type": "rail", "distance": "12 km", "service": "high_speed", "guest": 1},
    {"type": "rail", "distance": "1_000 km", "service": "national", "guest": 2},
    {"type": "flight", "origin": "PEK", "destination": "TFU", "cabin": "economy", "guest": 3},
    {"type": "flight", "distance": "5000 km", "route": "to_from_uk", "guest": None},
    {"type": "hotel", "nights": 2, "country": "CN", "guest": 4},
    {"type": "hotel", "nights": 2, "country": "XX", "guest": 5},
    {"type": "purchase", "category": "restaurant", "amount": "200 CNY", "year": 2024},
    {"type": "purchase", "category": "restaurant", "amount": "USD 35.5", "year": 2024},
    {"type": "fuel", "fuel": "diesel", "amount": "530 kWh"},
    {"type": "electricity", "energy": "1.2 MWh", "region": "CN-SC"},
    {"type": "meal", "diet": "beef", "count": 3},
    {"type": "car", "distance": "ten km"},
    {"type": "car", "distance": "1e9 km"},
    {"type": "spaceship"},
]


def _expect(acts: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    fp = cf.calculate([{k: v for k, v in a.items() if k != "guest" and v is not None}
                       for a in acts], errors="collect")
    return [(ln.tco2e, ln.factor.factor_id, None) if ln.status == "ok"
            else (math.nan, None, ln.code) for ln in fp.lines]


def _got(out: Any) -> list[tuple[Any, ...]]:
    rows = out.to_pandas() if not isinstance(out, pd.DataFrame) else out
    return [(r["tco2e"], None if pd.isna(r["factor_id"]) else r["factor_id"],
             None if pd.isna(r["error_code"]) else r["error_code"])
            for _, r in rows.iterrows()]


def _same(a: list[tuple[Any, ...]], b: list[tuple[Any, ...]]) -> None:
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        if isinstance(x[0], float) and math.isnan(x[0]):
            assert y[0] is None or math.isnan(y[0]), (x, y)
            assert x[2] == y[2], (x, y)
        else:
            assert x == y


def test_pandas_object_strings_equal_arrow_strings() -> None:
    """pandas 2's object columns and pandas 3's pyarrow-backed ``str`` take the same path."""
    df = pd.DataFrame(MIXED)
    as_object = df.astype(object)
    assert all(dtype == np.dtype(object) for dtype in as_object.dtypes)
    expect = _expect(MIXED)
    _same(expect, _got(calculate_frame(df)))
    _same(expect, _got(calculate_frame(as_object)))
    _same(expect, _got(calculate_frame(df.astype({c: "category" for c in df.columns
                                                  if c not in ("nights", "count", "year",
                                                               "guest")}))))


def test_pandas_nullable_columns() -> None:
    """pd.NA in nullable columns is a missing cell on every path (a row with a misplaced field
    takes the per-row path and must not see pd.NA as a value)."""
    df = pd.DataFrame({
        "type": ["hotel", "hotel", "meal", "hotel"],
        "nights": pd.array([2, None, None, 3], dtype="Int64"),
        "country": pd.array(["CN", "CN", None, "XX"], dtype="string[python]"),
        "count": pd.array([None, None, 2, None], dtype="Int64"),
        "diet": pd.array([None, None, "beef", None], dtype="string[python]"),
        "round_trip": pd.array([None, True, None, None], dtype="boolean")})
    acts = [{"type": "hotel", "nights": 2, "country": "CN"},
            {"type": "hotel", "country": "CN", "round_trip": True},
            {"type": "meal", "count": 2, "diet": "beef"},
            {"type": "hotel", "nights": 3, "country": "XX"}]
    _same(_expect(acts), _got(calculate_frame(df)))


def test_pyarrow_in_pyarrow_out_keeps_input_columns() -> None:
    table = pa.Table.from_pandas(pd.DataFrame(MIXED), preserve_index=False)
    out = calculate_frame(table)
    assert isinstance(out, pa.Table)
    assert out.schema.names[:table.num_columns] == table.schema.names
    for name in table.schema.names:  # input columns come back as they were
        assert out.column(name).equals(table.column(name))
    assert out.schema.field("tco2e").type == pa.float64()
    assert pa.types.is_dictionary(out.schema.field("error").type)
    _same(_expect(MIXED), _got(out))
    # several chunks, dictionary columns, string views
    chunked = pa.concat_tables([table.slice(0, 5), table.slice(5)])
    assert chunked.column("type").num_chunks == 2
    _same(_expect(MIXED), _got(calculate_frame(chunked)))
    encoded = table.set_column(0, "type", table.column("type").dictionary_encode())
    _same(_expect(MIXED), _got(calculate_frame(encoded)))
    views = table.set_column(1, "distance", table.column("distance").cast(pa.string_view()))
    _same(_expect(MIXED), _got(calculate_frame(views)))


def test_polars_in_polars_out() -> None:
    pl = pytest.importorskip("polars")
    data = pl.DataFrame(MIXED)
    out = calculate_frame(data)
    assert isinstance(out, pl.DataFrame)
    assert out.columns == [*data.columns, *OUTPUT_COLUMNS]
    assert out.select(data.columns).equals(data)  # Int64 stays Int64, strings stay strings
    assert out.schema["guest"] == pl.Int64 and out.schema["tco2e"] == pl.Float64
    assert out.schema["error_code"] == pl.Categorical
    assert out["tco2e"].null_count() == sum(1 for t, _, _ in _expect(MIXED) if math.isnan(t))
    _same(_expect(MIXED), _got(out))
    cats = data.with_columns(pl.col("type", "service", "country").cast(pl.Categorical))
    _same(_expect(MIXED), _got(calculate_frame(cats)))
    enum = pl.Enum(sorted({a["type"] for a in MIXED}))
    _same(_expect(MIXED), _got(calculate_frame(data.with_columns(pl.col("type").cast(enum)))))
    prefixed = calculate_frame(data, output_prefix="cf_")
    assert "cf_tco2e" in prefixed.columns


def test_both_forms_and_all_inputs_agree_on_every_type() -> None:
    fast = activity_frame(3_000, seed=9)
    text = string_form(fast)
    expect = calculate_frame(fast)
    assert expect["error"].isna().all()
    for other in (text, text.astype(object), pa.Table.from_pandas(text),
                  pa.Table.from_pandas(fast)):
        got = calculate_frame(other)
        got = got.to_pandas() if isinstance(got, pa.Table) else got
        assert got["tco2e"].tolist() == expect["tco2e"].tolist()
        assert got["factor_id"].astype(object).tolist() == \
            expect["factor_id"].astype(object).tolist()
    pl = pytest.importorskip("polars")
    for other in (pl.from_pandas(text), pl.from_pandas(fast)):
        assert calculate_frame(other)["tco2e"].to_list() == expect["tco2e"].tolist()


def test_fast_form_currency_as_calculate_reads_it() -> None:
    """A currency column holds three letters; `" CNY"` is refused as calculate() refuses it."""
    df = pd.DataFrame({"type": ["purchase"] * 3, "category": ["restaurant"] * 3,
                       "amount": [10.0, 10.0, 10.0], "amount_currency": ["CNY", " CNY", "cny"],
                       "year": [2024] * 3})
    out = calculate_frame(df)
    fp = cf.calculate([{"type": "purchase", "category": "restaurant", "year": 2024,
                        "amount": {"value": 10.0, "currency": c}}
                       for c in ("CNY", " CNY", "cny")], errors="collect")
    assert [None if pd.isna(v) else v for v in out["error_code"]] == [
        None if ln.status == "ok" else ln.code for ln in fp.lines]
    assert out["tco2e"].iloc[0] == out["tco2e"].iloc[2] == fp.lines[0].tco2e


def test_group_plans_are_remembered_and_cleared() -> None:
    df = pd.DataFrame(MIXED)
    calculate_frame(df)
    calls = []
    real = frame.plan_for_raw

    def counting(*args: Any) -> Any:
        calls.append(args)
        return real(*args)

    frame.plan_for_raw = counting  # type: ignore[assignment]
    try:
        calculate_frame(df)
        assert calls == []  # every group's plan came from the per-process memo
        cf.clear_caches()
        calculate_frame(df)
        assert calls
    finally:
        frame.plan_for_raw = real  # type: ignore[assignment]


# -- the vectorized quantity reader -------------------------------------------------------------
short_number = st.from_regex(rf"\A(?:{NUMBER})\Z", fullmatch=True).filter(lambda t: len(t) < 40)
numbers = st.one_of(
    st.floats(min_value=0, max_value=1e12, allow_nan=False).map(repr),
    st.integers(min_value=-1_000, max_value=10**15).map(str),
    st.decimals(min_value=0, max_value=10**30, allow_nan=False, places=12).map(str),
    short_number,
    st.sampled_from(["nan", "inf", "-0", "-5", "+5", "1e400", "1e-400", "0x10", "1__0", "1_",
                     "_1", "٣", "1.5.5", ".", "5.", ".5", "00012", "1e+0005", "1_000", "2e3",
                     "1e11", "99999999999"]))
junk_units = ["km^9^9^9", "parsec", "xx", "", "k m", "km/h", "kg CO2e", "(km)", "1 km", "µg",
              "km ", " km", "CN", "CNYY", "C1Y"]
spaces = st.sampled_from(["", " ", "  ", "\t", "\u00a0", " \u2009"])


@st.composite
def quantity_texts(draw: st.DrawFn, kind_name: str) -> str:
    """Texts a quantity column may hold for ``kind_name``: mostly '<number> <unit>' with a unit
    of the kind (any case for currencies), else other spacing, other orders, junk."""
    good = [*sorted(UNITS[KINDS[kind_name].name]), "km*s/s", "kilometer", "usd", "Eur", "MWh"]
    unit = draw(st.one_of(st.sampled_from(good), st.sampled_from(good),
                          st.sampled_from(junk_units)))
    number = draw(numbers)
    return draw(st.one_of(
        st.just(f"{number} {unit}"), st.just(f"{number} {unit}"),
        st.builds(lambda b: f"{number}{b}{unit}", spaces),
        st.builds(lambda a, b, c: f"{a}{number}{b}{unit}{c}", spaces, spaces, spaces),
        st.just(f"{unit} {number}"),
        st.text(max_size=12),
        st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=110)))


#: texts at the edges: the length cap, signs, spacing, currencies in both orders
EDGES = ["0" * 96 + "1 km", "0" * 97 + "1 km", "0" * 95 + "1 CNY", "0" * 96 + "1 CNY",
         "-0 km", "-5 km", "+5 km", "5  km", "5 km ",
         " 5 km", "5km", "5\tkm", "5 km\u00a0", "1e400 km", "1e-400 km", "nan km", "5 CNY",
         "CNY 5", "5 cny", "1e11 CNY", "1e10 CNY", "5 C1Y", "1_000 USD", "100000 km",
         "100000.1 km", "1e5 km", "62137.2 mi", "62138 mi", "5 m^3", "5 L", "5 t", "5 lb"]


def _compare(values: list[str], kind_name: str) -> None:
    kind = KINDS[kind_name]
    ctx, _ = context_for()
    fr = frame._Frame([], lambda c: frame._ObjCol(np.array([], dtype=object)), 0, ctx)
    good, value, canon = frame._vector_quantities(pa.array(values, type=pa.string()), kind,
                                                  fr.canon_id)
    got = iter(zip(value, canon, strict=True))
    TALLY["vector reader: texts"] += len(values)
    TALLY["vector reader: read by pyarrow"] += int(good.sum())
    for text, ok in zip(values, good, strict=True):
        try:
            m = parse_quantity(text, kind)
        except ActivityError:
            assert not ok, text  # refused texts are left to parse_quantity
            continue
        if ok:
            v, c = next(got)
            assert (v, fr.canon[c]) == (m.value, m.canonical), text
            assert math.copysign(1.0, v) == 1.0


@pytest.mark.parametrize("kind_name", sorted(KINDS))
def test_vector_reader_at_the_edges(kind_name: str) -> None:
    _compare(EDGES, kind_name)


@given(st.data(), st.sampled_from(sorted(KINDS)))
def test_vector_reader_equals_parse_quantity(data: st.DataObject, kind_name: str) -> None:
    """Every text pyarrow reads gets exactly parse_quantity's value and canonical unit; every
    text parse_quantity refuses is left to it (the per-row path then names the error)."""
    _compare(data.draw(st.lists(quantity_texts(kind_name), min_size=1, max_size=30)),
             kind_name)


@given(st.lists(st.from_regex(rf"\A(?:{NUMBER})\Z", fullmatch=True), min_size=1, max_size=40))
def test_pyarrow_reads_numbers_as_float_does(values: list[str]) -> None:
    """pyarrow's cast is correctly rounded, like float(): the same double for every text."""
    pc = pytest.importorskip("pyarrow.compute")
    digits = [v.replace("_", "") for v in values]
    cast = pc.cast(pa.array(digits), pa.float64()).to_pylist()
    assert [repr(x) for x in cast] == [repr(float(d)) for d in digits]


def test_results_join_by_concat_only_with_copy_on_write() -> None:
    from types import SimpleNamespace

    from carbon_footprint.frame import _copy_on_write

    def pandas(version: str, cow: object) -> object:
        return SimpleNamespace(__version__=version, get_option=lambda name: cow)

    assert _copy_on_write(pandas("3.1.1", False))
    assert not _copy_on_write(pandas("2.2.3", False))
    assert not _copy_on_write(pandas("2.2.3", "warn"))
    assert _copy_on_write(pandas("2.2.3", True))


_COUNT_CELL = st.one_of(st.integers(-6, 60).map(float), st.just(float("nan")),
                        st.sampled_from([0.5, 2.25, -0.0, 1e20, 2.0**52, 2.0**53, 4096.0, 5000.0,
                                         float("inf"), -float("inf"), 1e300, -3.5, 1e-17,
                                         0.9999999999999999, 2.0000000000000004, 2.0**30,
                                         2.0**30 + 128]),
                        st.integers(-6, 60).map(lambda i: math.nextafter(i, math.inf)),
                        st.integers(-6, 60).map(lambda i: math.nextafter(i, -math.inf)))


@given(st.lists(_COUNT_CELL, max_size=40), st.sampled_from(["float64", "float32"]))
def test_small_whole_numbers_coded_by_arithmetic(cells: list[float], dtype: str) -> None:
    """Codes of a numeric field column without hashing: every cell's value back from its code
    (0 = missing), or None (the general path) when a value is not a small whole number; a
    float32 column as its values read as float64."""
    with np.errstate(over="ignore"):  # (1e300 as float32: inf)
        values = np.array(cells, dtype=dtype)
    cells = [float(v) for v in values]
    found = frame._small_integers(values)
    given_ = [v for v in cells if not math.isnan(v)]
    small = all(math.isfinite(v) and v == math.floor(v) and abs(v) < 2.0**52 for v in given_)
    if found is None:
        assert not small or max(given_) - min(given_) >= 4096
        return
    codes, uniq = found
    assert small
    assert [uniq[c] for c in codes] == [None if math.isnan(v) else v for v in cells]
