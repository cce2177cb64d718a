"""Columnar calculation: ``calculate_frame`` on pandas, pyarrow and Dask tables.

One activity per row, the same vocabulary as :func:`carbon_footprint.calculate`. Two input forms:

* the frame of ``pandas.DataFrame(list_of_activity_dicts)``: quantities as strings (``"350 km"``),
  absent fields as NaN;
* the fast form: numeric quantity columns with a unit column beside each (``distance`` = 350.0,
  ``distance_unit`` = ``"km"``; ``amount`` with ``amount_currency``). Category dtypes make it
  faster still.

How it stays vectorized: every activity's emissions are linear in its one quantity (distance,
mass, energy or amount). Rows are grouped by everything else (type, options, counts, units,
currency, airports) with integer codes; ``calculate()`` runs once per distinct group on a
template with one canonical unit of the quantity; then each row is the group's tonnes per unit
(``np.take``) times its quantity, converted once per distinct unit. The result equals
``calculate()`` on the same rows (tested), and no Python code runs per row.

Output: the input columns plus ``tco2e``, ``reporting_category``, ``gas_basis``, ``factor_id``,
``table``, ``edition`` and ``error`` (None on good rows), the text ones as categoricals. No row is
dropped. Columns that are no activity's field (a guest id, a city) pass through untouched; a
field of another activity type set on a row (``distance`` on a hotel) is that row's error.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

import numpy as np

from ._calculate import calculate
from .activities import ACTIVITY_TYPES
from .errors import CarbonFootprintError, closest
from .results import LineItem
from .tables import resolve_tables
from .units import DISTANCE, ENERGY, MASS, QuantityKind, unit_factor

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["OUTPUT_COLUMNS", "calculate_frame"]

OUTPUT_COLUMNS = ("tco2e", "reporting_category", "gas_basis", "factor_id", "table", "edition",
                  "error")

#: the one quantity each activity type is linear in, and its kind (None: money)
_MAGNITUDE: dict[str, tuple[str, QuantityKind | None]] = {
    "flight": ("distance", DISTANCE), "rail": ("distance", DISTANCE),
    "car": ("distance", DISTANCE), "taxi": ("distance", DISTANCE), "bus": ("distance", DISTANCE),
    "metro": ("distance", DISTANCE), "motorbike": ("distance", DISTANCE),
    "food": ("mass", MASS), "electricity": ("energy", ENERGY), "purchase": ("amount", None),
}
_QTY = re.compile(r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:nan|inf|infinity))"
                  r"\s*(\S.*?)?\s*$", re.IGNORECASE)
#: every activity field of any type; other columns (guest ids, cities, ...) pass through
_ALL_FIELDS = frozenset(f for m in ACTIVITY_TYPES.values() for f in m.model_fields)
_MONEY_STR = re.compile(r"^\s*(?:([A-Za-z]{3})\s*(\S+)|(\S+?)\s*([A-Za-z]{3}))\s*$")


def calculate_frame(data: Any, factors: Any = None, *, on: Any = None, gwp: Any = None) -> Any:
    """Calculate a table of activities, one per row, and return the same kind of table.

    Parameters
    ----------
    data : pandas.DataFrame, pyarrow.Table or dask.dataframe.DataFrame
        A ``type`` column and the activity fields as columns (see the module docstring).
    factors, on, gwp
        As for :func:`carbon_footprint.calculate`.

    Returns
    -------
    The same kind of table: the input columns plus ``tco2e`` [t], ``reporting_category``,
    ``gas_basis``, ``factor_id``, ``table``, ``edition`` and ``error``. A Dask input gives a lazy
    Dask DataFrame (``map_partitions``); table ids are resolved on each worker.
    """
    kind = type(data).__module__.split(".")[0]
    if kind.startswith("dask"):
        meta = _pandas_frame(data._meta, factors, on, gwp)
        return data.map_partitions(_pandas_frame, factors, on, gwp, meta=meta)
    if kind == "pyarrow":
        import pyarrow as pa

        frame = _pandas_frame(data.to_pandas(), factors, on, gwp)
        return pa.Table.from_pandas(frame, preserve_index=False)
    if kind == "pandas":
        return _pandas_frame(data, factors, on, gwp)
    raise CarbonFootprintError(
        "calculate_frame takes a pandas DataFrame, a pyarrow Table or a Dask DataFrame; got "
        f"{type(data).__name__} (use calculate() for lists of activities)")


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Raw integer codes (any integer dtype, -1 = missing) and ``[None, *distinct values]``.

    Callers add 1 after selecting their rows (``_take_codes``), so code 0 indexes the None.
    """
    import pandas as pd

    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        uniques = np.array([None, *values.cat.categories.tolist()], dtype=object)
        return codes, uniques
    codes, uniq = pd.factorize(values, use_na_sentinel=True)
    return codes, np.array([None, *list(uniq)], dtype=object)


def _take_codes(raw: np.ndarray, rows: np.ndarray | None) -> np.ndarray:
    """Codes of ``rows`` as int64 with 0 = missing."""
    picked = raw if rows is None else raw[rows]
    return picked.astype(np.int64) + 1


class _Columns:
    """Per-column arrays computed once per frame and indexed by row positions for each type."""

    def __init__(self, df: pd.DataFrame) -> None:
        self.df = df
        self._codes: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._present: dict[str, np.ndarray] = {}
        self._numbers: dict[str, np.ndarray] = {}
        self.type_codes = np.zeros(0, dtype=np.int16)
        self.type_values: np.ndarray = np.array([None], dtype=object)
        self._misplaced: dict[str, np.ndarray] = {}

    def codes(self, col: str, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(int64 codes of ``rows`` with 0 = missing, distinct values with [0] = None).

        Categorical and text columns are coded once for the whole frame; a numeric column
        (nights, count, year) is coded on the selected rows only (it serves one type).
        """
        import pandas as pd

        series = self.df[col]
        if rows is not None and pd.api.types.is_numeric_dtype(series.dtype) and \
                not isinstance(series.dtype, pd.CategoricalDtype):
            raw, uniq = _codes(pd.Series(self.numbers(col)[rows]))
            return _take_codes(raw, None), uniq
        hit = self._codes.get(col)
        if hit is None:
            hit = self._codes[col] = _codes(series)
        return _take_codes(hit[0], rows), hit[1]

    def misplaced(self, col: str) -> np.ndarray:
        """Rows where ``col`` has a value but their type has no such field (one pass)."""
        hit = self._misplaced.get(col)
        if hit is None:
            legit = np.array([v is not None and v in ACTIVITY_TYPES
                              and col in ACTIVITY_TYPES[v].model_fields
                              for v in self.type_values], dtype=bool)
            hit = self.present(col) & ~legit[self.type_codes]
            self._misplaced[col] = hit
        return hit

    def empty(self, col: str) -> bool:
        return not self.present(col).any()

    def numbers(self, col: str) -> np.ndarray:
        hit = self._numbers.get(col)
        if hit is None:
            hit = self._numbers[col] = self.df[col].to_numpy(dtype=float, na_value=np.nan)
        return hit

    def present(self, col: str) -> np.ndarray:
        hit = self._present.get(col)
        if hit is None:
            if col in self._codes:
                hit = self._codes[col][0] >= 0
            else:
                hit = self.df[col].notna().to_numpy(dtype=bool)
            self._present[col] = hit
        return hit


def _plain(value: Any) -> Any:
    """A JSON-like Python value for one cell (numpy scalars, integral floats from NaN upcasting)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


class _Outcomes:
    """Distinct per-row outcomes: (reporting_category, gas_basis, factor_id, table, edition,
    error). Rows store an outcome id; the text columns are built from it once, at the end."""

    def __init__(self) -> None:
        self.rows: list[tuple[Any, ...]] = [(None,) * 6]
        self._ids: dict[tuple[Any, ...], int] = {self.rows[0]: 0}

    def id(self, outcome: tuple[Any, ...]) -> int:
        pos = self._ids.get(outcome)
        if pos is None:
            pos = self._ids[outcome] = len(self.rows)
            self.rows.append(outcome)
        return pos

    def error(self, message: str) -> int:
        return self.id((None, None, None, None, None, message))


def _pandas_frame(df: pd.DataFrame, factors: Any, on: Any, gwp: Any) -> pd.DataFrame:
    n = len(df)
    tset_arg: Any = factors
    if on is None:
        tset_arg = resolve_tables(factors)  # validate the argument once, reuse the set
    tco2e = np.full(n, np.nan)
    outcome = np.zeros(n, dtype=np.int32)
    outcomes = _Outcomes()
    if "type" not in df.columns:
        outcome[:] = outcomes.error("missing column 'type'")
        return _assemble(df, tco2e, outcome, outcomes)
    columns = _Columns(df)
    type_codes, type_values = columns.codes("type", None)
    columns.type_codes = type_codes.astype(np.int16)
    columns.type_values = type_values
    # rows of each type, contiguous and in order (a radix sort on 16-bit codes)
    order = np.argsort(columns.type_codes, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(type_codes,
                                                         minlength=len(type_values)))])
    for code, tname in enumerate(type_values):
        rows = order[bounds[code]:bounds[code + 1]]
        if rows.size == 0:
            continue
        if tname is None or tname not in ACTIVITY_TYPES:
            msg = ("missing activity type" if tname is None
                   else f"unknown activity type {tname!r}; closest: "
                        f"{', '.join(closest(tname, ACTIVITY_TYPES))}")
            outcome[rows] = outcomes.error(msg)
            continue
        _one_type(columns, rows, code, str(tname), tset_arg, on, gwp, tco2e, outcome, outcomes)
    return _assemble(df, tco2e, outcome, outcomes)


def _one_type(columns: _Columns, rows: np.ndarray, type_code: int, tname: str, tset: Any,
              on: Any, gwp: Any, tco2e: np.ndarray, outcome: np.ndarray,
              outcomes: _Outcomes) -> None:
    import pandas as pd

    df = columns.df
    model = ACTIVITY_TYPES[tname]
    fields = [f for f in model.model_fields if f not in ("type", "label")]
    mag_field, kind = _MAGNITUDE.get(tname, (None, None))
    unit_col = None
    if mag_field is not None:
        for cand in (f"{mag_field}_unit", f"{mag_field}_currency"):
            if cand in df.columns:
                unit_col = cand
    bad = np.zeros(rows.size, dtype=bool)
    err = np.zeros(rows.size, dtype=np.int32)

    def fail(mask: np.ndarray, message: str) -> None:
        mask = mask & ~bad
        if mask.any():
            err[mask] = outcomes.error(message)
            bad[mask] = True

    # columns that are not fields of this type must be empty on its rows
    extra_ok = {"type", "label", *OUTPUT_COLUMNS}
    if unit_col:
        extra_ok.add(unit_col)
    for col in df.columns:
        if col in extra_ok or col in fields or col not in _ALL_FIELDS \
                or not columns.misplaced(col).any():
            continue
        present = columns.present(col)[rows]
        fail(present, f"unknown field {col!r} for {tname}; expected one of "
                      f"{', '.join(sorted(fields))}")

    # the quantity: value in canonical units (or in its currency for money), and its unit
    value: np.ndarray | float = 1.0
    has_mag = np.zeros(rows.size, dtype=bool)
    unit_codes = np.zeros(rows.size, dtype=np.int32)
    unit_values: np.ndarray = np.array([None], dtype=object)
    if mag_field is not None and mag_field in df.columns:
        has_mag = columns.present(mag_field)[rows]
        if unit_col is not None and pd.api.types.is_numeric_dtype(df[mag_field].dtype):
            numbers = columns.numbers(mag_field)[rows]
            unit_codes, unit_values = columns.codes(unit_col, rows)
        else:
            text = df[mag_field].iloc[rows].astype("string").reset_index(drop=True)
            if kind is None:  # money: "200 CNY" or "CNY 200"
                parts = text.str.extract(_MONEY_STR)
                number_text = parts[1].fillna(parts[2])
                units = parts[0].fillna(parts[3]).str.upper()
            else:
                parts = text.str.extract(_QTY)
                number_text, units = parts[0], parts[1]
            numbers = pd.to_numeric(number_text, errors="coerce").to_numpy(dtype=float,
                                                                        na_value=np.nan)
            unreadable = has_mag & np.isnan(numbers) & ~number_text.str.lower().isin(
                ["nan", "+nan", "-nan"]).to_numpy(dtype=bool, na_value=False)
            fail(unreadable, f"cannot read {mag_field}: expected a number and a unit, "
                             f"e.g. {'200 CNY' if kind is None else kind.examples[0]!r}")
            raw_units, unit_values = _codes(units)
            unit_codes = _take_codes(raw_units, None)
        fail(has_mag & (unit_codes == 0), f"{mag_field} has no unit")
        scale = np.ones(len(unit_values))
        for i, u in enumerate(unit_values):
            if i == 0:
                continue
            if kind is None:
                if not re.fullmatch(r"[A-Za-z]{3}", str(u)):
                    fail(has_mag & (unit_codes == i), f"{mag_field}: {u!r} is not a currency code")
                continue
            try:
                scale[i] = unit_factor(str(u), kind.canonical)
            except ValueError as exc:
                fail(has_mag & (unit_codes == i), f"{mag_field}: {exc}")
        limit = kind.maximum if kind is not None else 1.0e10
        with np.errstate(invalid="ignore"):
            value = numbers * np.take(scale, unit_codes)
            # one combined test on the fast path; the messages only where something failed
            odd = has_mag & ~((numbers >= 0) & (value <= limit))
            if odd.any():
                fail(odd & np.isnan(numbers), f"{mag_field} is NaN")
                fail(odd & np.isinf(numbers), f"{mag_field} is infinite")
                fail(odd & (numbers < 0), f"{mag_field} is negative")
                unit_name = kind.canonical if kind is not None else ""
                fail(odd, f"{mag_field} is implausibly large (limit {limit:g} {unit_name})"
                     .rstrip())
        value = np.where(has_mag & ~bad, value, 1.0)

    # group rows by everything else, with integer codes combined in mixed radix
    sig_cols = [f for f in fields if f != mag_field and f in df.columns]
    key = np.zeros(rows.size, dtype=np.int64)
    col_values: list[tuple[str, np.ndarray, np.ndarray]] = []
    radix = 1
    for f in sig_cols:
        if columns.empty(f):  # column empty everywhere: nothing to group by
            continue
        c, uniq = columns.codes(f, rows)
        col_values.append((f, c, uniq))
        if radix * len(uniq) > 2**40:  # keep the radix product small
            key = pd.factorize(key)[0].astype(np.int64)
            radix = int(key.max(initial=0)) + 1
        key = key * len(uniq) + c
        radix *= len(uniq)
    if mag_field is not None:
        key = key * (len(unit_values) + 1) + np.where(has_mag, unit_codes + 1, 0)
        radix *= len(unit_values) + 1
    if radix <= 1 << 22:  # small key space: a dense lookup instead of hashing
        used = np.flatnonzero(np.bincount(key, minlength=radix))
        lut = np.zeros(radix, dtype=np.int64)
        lut[used] = np.arange(used.size)
        group = lut[key]
    else:
        group = pd.factorize(key)[0]
    first = np.empty(int(group.max(initial=-1)) + 1, dtype=np.int64)
    first[group] = np.arange(rows.size)  # any row of a group represents it: all share the key

    per_t = np.full(len(first), np.nan)
    g_outcome = np.zeros(len(first), dtype=np.int32)
    for g, r in enumerate(first):
        template: dict[str, Any] = {"type": tname}
        for f, c, uniq in col_values:
            v = uniq[c[r]]
            if not _missing(v):
                template[f] = _plain(v)
        if mag_field is not None and has_mag[r]:
            u = unit_values[unit_codes[r]]
            unit = str(u).upper() if kind is None else kind.canonical
            template[mag_field] = f"1 {unit}"
        fp = calculate([template], factors=tset, errors="collect", on=on, gwp=gwp)
        ln = fp.lines[0]
        if not isinstance(ln, LineItem):
            g_outcome[g] = outcomes.error(ln.message.replace("activity #0 ", "", 1))
            continue
        per_t[g] = ln.tco2e
        ref = ln.factor
        g_outcome[g] = outcomes.id((ln.category, ln.gas_basis, ref.factor_id, ref.table,
                                    ref.edition, None))
    row_outcome = np.take(g_outcome, group)
    ok = ~bad & ~np.isnan(np.take(per_t, group))
    tco2e[rows] = np.where(ok, np.take(per_t, group) * value, np.nan)
    outcome[rows] = np.where(bad, err, row_outcome)


def _assemble(df: pd.DataFrame, tco2e: np.ndarray, outcome: np.ndarray,
              outcomes: _Outcomes) -> pd.DataFrame:
    """Input columns + results; the text columns are categoricals built from the outcome ids."""
    import pandas as pd

    out = df.copy(deep=False)
    out["tco2e"] = tco2e
    for pos, name in enumerate(OUTPUT_COLUMNS[1:]):
        labels: dict[Any, int] = {}
        codes = [-1 if (v := o[pos]) is None else labels.setdefault(v, len(labels))
                 for o in outcomes.rows]
        dtype = np.int8 if len(labels) < 127 else np.int16 if len(labels) < 32767 else np.int32
        mapping = np.array(codes, dtype=dtype)
        # object-dtype categories: partitions (Dask) concatenate whatever labels they found
        cats = pd.Index(list(labels), dtype=object)
        out[name] = pd.Categorical.from_codes(np.take(mapping, outcome), categories=cats,
                                              validate=False)  # codes built in range above
    return out
