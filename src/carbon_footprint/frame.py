"""Columnar calculation: ``calculate_frame`` on pandas, pyarrow, Polars and Dask tables.

One activity per row, the same vocabulary and **the same engine** as
:func:`carbon_footprint.calculate`: rows are grouped by shape (type and every field but the
quantity), each shape is compiled once into the engine's plan (the same validation, factor
lookup, band scheme and notices; remembered per process in the engine's bounded plan memo), the
quantity strings are parsed with the same grammar and bounds (each distinct string once), and
the plans are evaluated vectorized: a band index by ``np.searchsorted`` on the plan's bounds,
then two multiplications. A property test checks that every row equals ``calculate()`` on the
same activity.

Two input forms:

* the frame of ``pandas.DataFrame(list_of_activity_dicts)``: quantities as strings (``"350 km"``),
  absent fields as NaN;
* the fast form: numeric quantity columns with a unit column beside each (``distance`` = 350.0,
  ``distance_unit`` = ``"km"``; money types' ``amount`` with ``amount_currency``, any other
  type's quantity with ``<field>_unit``). Category dtypes make it faster still.

Columns are read where they are: a pandas frame's columns, a pyarrow table's arrays and a
Polars frame's series are read in place (no conversion of the whole table), and the results are
appended to the same kind of table. Quantity strings are read with pyarrow's RE2 kernels
(``extract_regex``, ``cast``) on the column's distinct strings, with patterns built from
:data:`carbon_footprint.units.NUMBER`; a string they do not read as plain ASCII
``<number> <unit>`` in range (and every string when pyarrow is absent) goes to
:func:`~carbon_footprint.units.parse_quantity` itself.

Output: the input columns plus :data:`OUTPUT_COLUMNS`: ``tco2e`` [t], ``reporting_category``,
``gas_basis``, ``factor_id``, ``table``, ``edition``, ``error`` and ``error_code`` (None on good
rows), the text ones as categoricals. Every row comes back, in order. Columns that are no
activity's field (a guest id, a city) pass through untouched; no input column is ever lost: an
input column named like an output column is refused (pass ``output_prefix="cf_"``). Frame rules
that differ from a list of dicts, because a table cannot tell them apart: a missing cell (NaN,
None) is an absent field; an integral float in a count column (pandas upcasts integer columns
with missing values) is that integer.
"""

from __future__ import annotations

import contextlib
import math
import os
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, get_args

import numpy as np

from ._engine import FAIL, context_for, full_line, plan_for_raw
from ._plans import Context, Plan
from ._registry import ActivitySpec, specs
from .activities import ACTIVITY_TYPES, validate_activity
from .errors import ActivityError, ArgumentTypeError, CarbonFootprintError
from .units import KINDS, MAX_TEXT, NUMBER, QuantityKind, UnitError, parse_quantity

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["OUTPUT_COLUMNS", "calculate_frame"]

OUTPUT_COLUMNS = ("tco2e", "reporting_category", "gas_basis", "factor_id", "table", "edition",
                  "error", "error_code")
#: every activity field of any type; other columns (guest ids, cities, ...) pass through
_ALL_FIELDS = frozenset(f for m in ACTIVITY_TYPES.values() for f in m.model_fields)
#: the longest text value a remembered group shape may hold (longer: compiled, not remembered)
_KEY_TEXT = 256
#: rows up to which a frame's fixed costs (per type, per column) outweigh passes over its rows
_SMALL_FRAME = 65_536
#: rows from which a frame's full-column passes that only read its arrays (the row order back
#: from type order; each field column's count of cells set) run in a second thread while the
#: types are priced (numpy releases the GIL in them); below, a thread costs more than it saves
_THREAD_ROWS = 262_144

#: RE2 patterns (pyarrow) for the distinct quantity strings (see ``_vector_quantities``): the
#: text is printable ASCII, the number the library's one syntax, the unit starts and ends with
#: a non-space (the unit guard validates it), a currency is three letters.
_PLAIN_RE2 = rf"^[ -~]{{0,{MAX_TEXT}}}$"
_NUMBER_RE2 = rf"^(?:{NUMBER})$"
_UNIT_RE2 = r"^[!-~](?:[ -~]*[!-~])?$"
_MONEY_UNIT_RE2 = r"^[A-Za-z]{3}$"


def calculate_frame(data: Any, *, tables: Any = None, on: Any = None, gwp: Any = None,
                    method: Any = None, output_prefix: str = "") -> Any:
    """Calculate a table of activities, one per row, and return the same kind of table.

    Parameters
    ----------
    data : pandas.DataFrame, pyarrow.Table, polars.DataFrame or dask.dataframe.DataFrame
        A ``type`` column and the activity fields as columns (see the module docstring).
    tables, on, gwp, method
        As for :func:`carbon_footprint.calculate`.
    output_prefix : str
        Prefix of the output columns (default none); an input column that has an output
        column's name is refused rather than overwritten.

    Returns
    -------
    The same kind of table: the input columns, unchanged, plus :data:`OUTPUT_COLUMNS`
    (``tco2e`` [t], ``reporting_category``, ``gas_basis``, ``factor_id``, ``table``,
    ``edition``, ``error``, ``error_code``; categoricals, or dictionary arrays in pyarrow). A
    Dask input gives a lazy Dask DataFrame (``map_partitions``).
    """
    kind = type(data).__module__.split(".")[0]
    if not isinstance(output_prefix, str) or len(output_prefix) > 40:
        raise ArgumentTypeError("output_prefix must be a short string")
    if kind.startswith("dask"):
        meta = _pandas_frame(data._meta, tables, on, gwp, method, output_prefix)
        return data.map_partitions(_pandas_frame, tables, on, gwp, method, output_prefix,
                                   meta=meta)
    if kind == "pyarrow" and hasattr(data, "schema") and hasattr(data, "column_names"):
        names = [str(c) for c in data.column_names]
        fr = _compute(names, lambda c: _arrow_column(data.column(c)), data.num_rows,
                      tables, on, gwp, method, output_prefix)
        return _arrow_out(data, fr, output_prefix)
    if kind == "polars" and hasattr(data, "get_column") and hasattr(data, "hstack"):
        names = [str(c) for c in data.columns]
        fr = _compute(names, lambda c: _polars_column(data.get_column(c)), data.height,
                      tables, on, gwp, method, output_prefix)
        return _polars_out(data, fr, output_prefix)
    if kind == "pandas" and hasattr(data, "columns"):
        return _pandas_frame(data, tables, on, gwp, method, output_prefix)
    raise ArgumentTypeError(
        "calculate_frame takes a pandas, pyarrow, Polars or Dask DataFrame; got "
        f"{type(data).__name__} (use calculate() for lists of activities)")


# -- columns, read in place ---------------------------------------------------------------------
class _Col(ABC):
    """One input column: presence, integer codes of its distinct values (0 = missing), numbers,
    and Python cells for the per-row path. ``full`` marks rows that must take the per-row path
    whatever their shape (unhashable cells; booleans among numbers)."""

    full: np.ndarray | None = None

    def present(self, out: np.ndarray | None = None) -> np.ndarray:
        """Which rows hold a value (a bool array; written to ``out`` when the column has to
        compute it)."""
        return self.codes(None)[0] > 0

    def sort_codes(self) -> tuple[np.ndarray, np.ndarray]:
        """Small non-negative integer codes of every row (0 = missing), in the narrowest
        integer type at hand (for a radix sort), and ``[None, *distinct values]``."""
        codes, uniq = self.codes(None)
        if len(uniq) < 2**15:
            codes = codes.astype(np.int8 if len(uniq) < 2**7 else np.int16)
        return codes, uniq

    @abstractmethod
    def codes(self, rows: np.ndarray | None, out: np.ndarray | None = None
              ) -> tuple[np.ndarray, np.ndarray]:
        """Codes (int64, 0 = missing) of ``rows`` (every row if None; written to ``out`` if
        given) and the object array ``[None, *distinct values]`` they index."""

    def key_codes(self, rows: np.ndarray, sc: _Scratch) -> tuple[np.ndarray, int, np.ndarray]:
        """``(c, shift, uniq)``: the codes of ``rows`` are ``c + shift`` (0 = missing), in
        whatever integer type is cheapest to gather (a scratch buffer), and ``uniq`` as for
        :meth:`codes`."""
        codes, uniq = self.codes(rows, sc.get("codes", rows.size, np.int64))
        return codes, 0, uniq

    def numbers(self) -> np.ndarray | None:
        """The column as float64 (NaN = missing) if it holds numbers (not booleans), else None."""
        return None

    @abstractmethod
    def cells(self, rows: np.ndarray) -> Any:
        """The cells of ``rows`` as Python objects (a sequence aligned with ``rows``)."""

    def values_at(self, rows: np.ndarray) -> Any:
        """The distinct values (as ``codes`` gives them; None = missing) at a few ``rows``."""
        codes, uniq = self.codes(rows)
        return uniq[codes]

    def texts(self) -> tuple[np.ndarray, Any]:
        """Codes of every row and the distinct values they index (without the leading None):
        a pyarrow string array when the column is one, else an object array."""
        codes, uniq = self.codes(None)
        return codes, uniq[1:]


def _take(values: np.ndarray, rows: np.ndarray, out: np.ndarray | None) -> np.ndarray:
    """``values[rows]``, into ``out`` if given (``mode="clip"``: rows are valid and numpy
    would otherwise buffer the result)."""
    taken: np.ndarray = np.take(values, rows, out=out, mode="clip")
    return taken


class _CatCol(_Col):
    """Categorical codes (-1 = missing) and their categories (pandas, arrow dictionary, Polars).
    The codes stay in their narrow integer type; rows asked for are widened."""

    def __init__(self, codes: np.ndarray, categories: list[Any]) -> None:
        missing = [i for i, c in enumerate(categories) if _missing(c)]
        if missing:  # a dictionary may hold a null value: its rows are missing cells
            codes = np.where(np.isin(codes, missing), -1, codes)
        self._raw = codes
        self._uniq = np.empty(len(categories) + 1, dtype=object)
        self._uniq[1:] = categories

    def present(self, out: np.ndarray | None = None) -> np.ndarray:
        present: np.ndarray = np.greater_equal(self._raw, 0, out=out)
        return present

    def sort_codes(self) -> tuple[np.ndarray, np.ndarray]:
        if len(self._uniq) < 2**7 and self._raw.dtype == np.int8:
            return self._raw + np.int8(1), self._uniq
        return super().sort_codes()

    def codes(self, rows: np.ndarray | None, out: np.ndarray | None = None
              ) -> tuple[np.ndarray, np.ndarray]:
        raw = self._raw if rows is None else self._raw[rows]
        return np.add(raw, 1, out=out, dtype=np.int64), self._uniq

    def key_codes(self, rows: np.ndarray, sc: _Scratch) -> tuple[np.ndarray, int, np.ndarray]:
        raw = self._raw
        return _take(raw, rows, sc.get(f"raw-{raw.dtype}", rows.size, raw.dtype)), 1, self._uniq

    def cells(self, rows: np.ndarray) -> Any:
        return self._uniq[self._raw[rows].astype(np.int64) + 1]


def _valid(arr: Any) -> np.ndarray:
    """Which cells of a pyarrow array (chunked or not) are not null, from its bitmaps."""
    chunks = getattr(arr, "chunks", [arr])
    out = []
    for c in chunks:
        bitmap = c.buffers()[0] if c.null_count else None
        if bitmap is None:
            out.append(np.ones(len(c), dtype=bool))
        else:
            bits = np.unpackbits(np.frombuffer(bitmap, dtype=np.uint8), bitorder="little")
            out.append(bits[c.offset:c.offset + len(c)].view(bool))
    return np.concatenate(out) if len(out) != 1 else out[0]


def _dictionary_codes(arr: Any) -> tuple[np.ndarray, Any]:
    """(codes, 0 = null, dictionary) of a pyarrow string array, encoded by pyarrow."""
    import pyarrow.compute as pc

    enc = pc.dictionary_encode(arr)
    ind = enc.indices
    if ind.null_count == len(ind):
        return np.zeros(len(ind), dtype=np.int64), enc.dictionary
    raw = np.frombuffer(ind.buffers()[1], dtype=ind.type.to_pandas_dtype())
    codes = np.add(raw[ind.offset:ind.offset + len(ind)], 1, dtype=np.int64)
    if ind.null_count:
        codes[~_valid(ind)] = 0
    return codes, enc.dictionary


class _StrCol(_Col):
    """A pyarrow string column (pandas' pyarrow-backed ``str``, pyarrow, Polars), dictionary-
    encoded by pyarrow: the rows of one type when they are few, else the whole column once."""

    def __init__(self, arr: Any) -> None:
        import pyarrow as pa

        self._arr = arr if isinstance(arr, pa.ChunkedArray) else pa.chunked_array([arr])
        self._view = pa.types.is_string_view(arr.type)  # few kernels take views
        self._all: tuple[np.ndarray, Any] | None = None
        self._uniq: np.ndarray | None = None
        self._present: np.ndarray | None = None

    def present(self, out: np.ndarray | None = None) -> np.ndarray:
        if self._present is None:
            self._present = _valid(self._arr)
        present: np.ndarray = self._present
        return present

    def codes(self, rows: np.ndarray | None, out: np.ndarray | None = None
              ) -> tuple[np.ndarray, np.ndarray]:
        if rows is not None and self._all is None and 3 * rows.size < len(self._arr):
            if self._view:  # pyarrow takes no string views: one copy, then subsets
                import pyarrow as pa

                self._arr = self._arr.cast(pa.large_string())
                self._view = False
            codes, values = _dictionary_codes(self._arr.take(rows).combine_chunks())
            uniq = np.empty(len(values) + 1, dtype=object)
            uniq[1:] = values.to_pylist()
            if out is not None:
                out[:] = codes
                codes = out
            return codes, uniq
        codes, values = self.texts()
        if self._uniq is None:
            self._uniq = np.empty(len(values) + 1, dtype=object)
            self._uniq[1:] = values.to_pylist()
        return (codes if rows is None else _take(codes, rows, out)), self._uniq

    def texts(self) -> tuple[np.ndarray, Any]:
        if self._all is None:
            import pyarrow as pa

            codes, values = _dictionary_codes(self._arr.combine_chunks())
            if pa.types.is_string_view(values.type):
                values = values.cast(pa.large_string())
            self._all = codes, values
        return self._all

    def cells(self, rows: np.ndarray) -> Any:
        if self._view:
            codes, uniq = self.codes(rows)
            return uniq[codes]
        return self._arr.take(rows).to_pylist()

    def values_at(self, rows: np.ndarray) -> Any:
        return self.cells(rows)


class _NumCol(_Col):
    """A numpy column of numbers or booleans (no missing booleans)."""

    def __init__(self, values: np.ndarray) -> None:
        self._values = values
        self._float = values.dtype.kind == "f"
        self._all: tuple[np.ndarray, np.ndarray] | None = None

    def present(self, out: np.ndarray | None = None) -> np.ndarray:
        if self._float:  # (x >= -inf: not NaN, in one pass)
            given: np.ndarray = np.greater_equal(self._values, -np.inf, out=out)
            return given
        return np.ones(len(self._values), dtype=bool)

    def numbers(self) -> np.ndarray | None:
        if self._values.dtype.kind == "b":
            return None
        return self._values if self._float else self._values.astype(np.float64)

    def codes(self, rows: np.ndarray | None, out: np.ndarray | None = None
              ) -> tuple[np.ndarray, np.ndarray]:
        if rows is None and self._all is not None:
            return self._all
        sub = self._values if rows is None else self._values[rows]
        found = _small_integers(sub, out) if self._float else None
        if found is None:
            import pandas as pd

            codes, uniq = pd.factorize(sub, use_na_sentinel=True)
            values = np.empty(len(uniq) + 1, dtype=object)
            values[1:] = list(uniq)
            found = np.add(codes, 1, out=out, dtype=np.int64), values
        if rows is None:
            self._all = found
        return found

    def cells(self, rows: np.ndarray) -> Any:
        return self._values[rows].astype(object)


def _small_integers(values: np.ndarray, out: np.ndarray | None = None
                    ) -> tuple[np.ndarray, np.ndarray] | None:
    """Codes of a float column of small whole numbers (counts with gaps) without hashing."""
    values = np.asarray(values, dtype=np.float64)  # (float32: its own arithmetic rounds)
    codes = np.zeros(len(values), dtype=np.int64) if out is None else out
    if values.size:
        low, high = np.fmin.reduce(values), np.fmax.reduce(values)  # (ignoring NaN)
    if values.size == 0 or np.isnan(low):
        codes.fill(0)
        return codes, np.array([None], dtype=object)
    if not (-_EXACT_WHOLE < low <= high < _EXACT_WHOLE and high - low < 4096):
        return None  # (an infinite count is the row's error, by the general path)
    if not np.array_equal(np.floor(values), values, equal_nan=True):
        return None  # not whole numbers
    # code = value - low + 1 (exact: whole numbers below 2**52), 0 where missing
    shifted = np.subtract(values, low - 1.0)
    np.nan_to_num(shifted, copy=False, nan=0.0)
    np.copyto(codes, shifted, casting="unsafe")
    uniq = np.empty(int(high - low) + 2, dtype=object)
    uniq[1:] = list(low + np.arange(int(high - low) + 1, dtype=np.float64))
    return codes, uniq


#: whole numbers below this are exact in float64, and so are their differences
_EXACT_WHOLE = 2.0**52


class _ObjCol(_Col):
    """Python objects: factorized once by value; unhashable cells and booleans among numbers
    take the per-row path (``True == 1`` would share a code; calculate() refuses a bool)."""

    def __init__(self, values: np.ndarray) -> None:
        import pandas as pd

        self._values = values
        self.number_values: np.ndarray | None = None
        try:
            codes, uniq = pd.factorize(values, use_na_sentinel=True)
        except TypeError:  # list or dict cells
            ok = np.fromiter((_hashable(v) for v in values), dtype=bool, count=len(values))
            self.full = ~ok
            kept = values.copy()
            kept[~ok] = None
            codes, uniq = pd.factorize(kept, use_na_sentinel=True)
        if str(pd.api.types.infer_dtype(values, skipna=True)) not in _PLAIN_KINDS:
            is_bool = np.fromiter((type(v) is bool or isinstance(v, np.bool_) for v in values),
                                  dtype=bool, count=len(values))
            if is_bool.any() and not is_bool[codes >= 0].all():
                self.full = is_bool if self.full is None else self.full | is_bool
        self._codes = codes.astype(np.int64) + 1
        self._uniq = np.empty(len(uniq) + 1, dtype=object)
        self._uniq[1:] = list(uniq)

    def codes(self, rows: np.ndarray | None, out: np.ndarray | None = None
              ) -> tuple[np.ndarray, np.ndarray]:
        return (self._codes if rows is None else _take(self._codes, rows, out)), self._uniq

    def numbers(self) -> np.ndarray | None:
        return self.number_values

    def cells(self, rows: np.ndarray) -> Any:
        return self._values[rows]


_PLAIN_KINDS = frozenset({"string", "empty", "integer", "floating", "boolean", "categorical",
                          "decimal", "bytes"})


def _objects(values: list[Any]) -> np.ndarray:
    return np.fromiter(values, dtype=object, count=len(values))


def _pandas_column(series: pd.Series) -> _Col:
    import pandas as pd

    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return _CatCol(series.array.codes, list(dtype.categories))  # (no Series built)
    if isinstance(dtype, np.dtype):
        if dtype.kind in "fiub":
            return _NumCol(series.to_numpy())
        return _ObjCol(series.to_numpy(dtype=object))
    arrow = getattr(dtype, "pyarrow_dtype", None)  # pd.ArrowDtype
    if arrow is None and getattr(dtype, "storage", None) in ("pyarrow", "pyarrow_numpy"):
        arrow = "string"  # pd.StringDtype backed by pyarrow
    if arrow is not None and hasattr(series.array, "__arrow_array__"):
        import pyarrow as pa

        arr = series.array.__arrow_array__()
        if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type) or \
                pa.types.is_string_view(arr.type):
            return _StrCol(arr)
    col = _ObjCol(series.to_numpy(dtype=object, na_value=None))
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        col.number_values = series.to_numpy(dtype=np.float64, na_value=np.nan)  # Int64 etc.
    return col


def _arrow_column(arr: Any) -> _Col:
    import pyarrow as pa

    t = arr.type
    if pa.types.is_dictionary(t):
        arr = arr.unify_dictionaries()
        if arr.num_chunks == 0:
            return _CatCol(np.zeros(0, dtype=np.int64), [])
        import pyarrow.compute as pc

        indices = pa.chunked_array([c.indices for c in arr.chunks])
        codes = pc.fill_null(indices.cast(pa.int64()), -1).to_numpy()
        return _CatCol(codes, arr.chunks[0].dictionary.to_pylist())
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return _StrCol(arr)
    if pa.types.is_integer(t) or pa.types.is_floating(t) or (
            pa.types.is_boolean(t) and arr.null_count == 0):
        return _NumCol(arr.to_numpy())
    return _ObjCol(_objects(arr.to_pylist()))


def _polars_column(series: Any) -> _Col:
    import polars as pl

    dtype = series.dtype
    if isinstance(dtype, (pl.Categorical, pl.Enum)):
        # the physical codes index a process-wide mapping: renumber the ones used
        distinct = series.drop_nulls().unique()
        keys = distinct.to_physical().to_numpy().astype(np.int64)
        size = int(keys.max()) + 2 if keys.size else 1
        narrow = np.int8 if keys.size < 2**7 else np.int16 if keys.size < 2**15 else np.int64
        lut = np.full(size, -1, dtype=narrow)
        lut[keys] = np.arange(keys.size)
        phys = series.to_physical().fill_null(size - 1).to_numpy()
        return _CatCol(lut[phys], distinct.cast(pl.String).to_list())
    if dtype == pl.String:
        return _StrCol(series.to_arrow(compat_level=pl.CompatLevel.newest()))
    if dtype.is_float() or dtype.is_integer() or (dtype == pl.Boolean
                                                  and series.null_count() == 0):
        return _NumCol(series.to_numpy())
    return _ObjCol(_objects(series.to_list()))


# -- helpers ------------------------------------------------------------------------------------
def _count_fields(spec: ActivitySpec) -> set[str]:
    """Fields that take whole numbers (``int`` or ``int | None``)."""
    out = set()
    for name, info in spec.model.model_fields.items():
        ann = info.annotation
        if ann is int or int in get_args(ann):
            out.add(name)
    return out


def _plain(value: Any, count: bool) -> Any:
    """A JSON-like Python value for one cell (numpy scalars; integral floats in counts)."""
    if isinstance(value, np.generic):
        value = value.item()
    if count and type(value) is float and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _hashable(v: Any) -> bool:
    try:
        hash(v)
    except TypeError:
        return False
    return True


class _Outcomes:
    """Distinct per-row outcomes: (reporting_category, gas_basis, factor_id, table, edition,
    error, error_code). Rows store an outcome id; text columns are built from it at the end."""

    def __init__(self) -> None:
        self.rows: list[tuple[Any, ...]] = [(None,) * 7]
        self._ids: dict[tuple[Any, ...], int] = {self.rows[0]: 0}

    def id(self, outcome: tuple[Any, ...]) -> int:
        # (one thread per numbering: types priced in two threads number their own)
        pos = self._ids.get(outcome)
        if pos is None:
            pos = self._ids[outcome] = len(self.rows)
            self.rows.append(outcome)
        return pos

    def error(self, exc: ActivityError) -> int:
        return self.id((None, None, None, None, None, exc.located(None).render(), exc.code))

    def line(self, category: str, gas_basis: str, ref: Any) -> int:
        return self.id((category, gas_basis, ref.factor_id, ref.table, ref.edition, None, None))


class _Parsed:
    """A quantity column's distinct strings read as one kind: value [canonical unit], canonical
    unit id (``_Frame.canon``) and whether the per-row path must read it; filled as rows ask."""

    def __init__(self, size: int) -> None:
        self.value = np.full(size, np.nan)
        self.canon = np.zeros(size, dtype=np.int64)
        self.bad = np.zeros(size, dtype=bool)
        self.done = np.zeros(size, dtype=bool)
        self.done[0] = True  # missing


class _Frame:
    """The input's columns (read on first use) and the output arrays."""

    def __init__(self, names: list[str], column: Callable[[str], _Col], n: int,
                 ctx: Context) -> None:
        self.names = names
        self.name_set = frozenset(names)
        self._make = column
        self._cols: dict[str, _Col] = {}
        self.n = n
        self.ctx = ctx
        self.tco2e = np.full(n, np.nan)
        self.outcome = np.zeros(n, dtype=np.intp)  # (intp: np.take reads it as it is)
        self.outcomes = _Outcomes()
        self.full = np.zeros(n, dtype=bool)  # rows that take the per-row path
        self.canon: list[str | None] = [None]  # canonical units seen; 0 = no quantity
        self._parsed: dict[tuple[str, str], _Parsed] = {}
        #: per activity-field column, its cells set on rows of types that have the field
        #: (counted by each type's pass): fewer than all its cells = a misplaced field
        self.owned: dict[str, int] = {}
        self.type_codes = np.zeros(0, dtype=np.int8)  # per row, into type_names
        self.type_names: list[Any] = []
        #: held for what types priced in two threads share: the field counts, the canonical
        #: units, the quantity texts read (reentrant: reading texts adds units)
        self.lock = threading.RLock()

    def columns(self) -> list[_Col]:
        """The columns read so far."""
        return list(self._cols.values())

    def column(self, name: str) -> _Col:
        col = self._cols.get(name)
        if col is None:
            with self.lock:  # (read before types are priced in two threads; to be sure)
                col = self._cols.get(name)
                if col is None:
                    col = self._make(name)
                    if col.full is not None:
                        self.full |= col.full
                    self._cols[name] = col
        return col

    def own(self, name: str, cells: int | np.integer[Any]) -> None:
        """Count ``cells`` of column ``name`` set on rows of a type that has the field."""
        with self.lock:
            self.owned[name] = self.owned.get(name, 0) + int(cells)

    def canon_id(self, unit: str) -> int:
        with self.lock:
            if unit not in self.canon:
                self.canon.append(unit)
            return self.canon.index(unit)

    def parsed(self, name: str, kind: QuantityKind, codes: np.ndarray) -> _Parsed:
        """The distinct strings of column ``name`` that ``codes`` use, read as ``kind``. In a
        small frame, the first call reads those of every type that reads the column as
        ``kind``: one pass of the reader per column and kind instead of one per type (whose
        fixed cost dominates there; in a large frame the extra pass over the rows would)."""
        all_codes, values = self.column(name).texts()
        key = (name, kind.name)
        st = self._parsed.get(key)
        need = np.zeros(len(values) + 1, dtype=bool)
        if st is None:
            st = self._parsed[key] = _Parsed(len(values) + 1)
            if self.n <= _SMALL_FRAME:
                readers = np.array([
                    isinstance(t, str) and (spec := specs().get(t)) is not None
                    and spec.quantity == name and spec.kind is not None
                    and KINDS[spec.kind] is kind for t in self.type_names], dtype=bool)
                need[all_codes[readers[self.type_codes]]] = True
        need[codes] = True
        need &= ~st.done
        todo = np.flatnonzero(need)
        if todo.size:
            _read_quantities(values, todo, kind, st, self)
            st.done[todo] = True
        return st


def _read_quantities(values: Any, todo: np.ndarray, kind: QuantityKind, st: _Parsed,
                     fr: _Frame) -> None:
    """Fill ``st`` at ``todo`` (1-based positions in ``values``): vectorized where pyarrow
    reads the text as plain ``<number> <unit>`` in range, else by ``parse_quantity``."""
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - pyarrow ships with the [pandas] extra
        cells = list(values[todo - 1])
    else:
        if isinstance(values, (pa.Array, pa.ChunkedArray)):
            texts = values.take(pa.array(todo - 1))
            if isinstance(texts, pa.ChunkedArray):
                texts = texts.combine_chunks()
            cells = texts.to_pylist()
        else:
            cells = list(values[todo - 1])
            texts = pa.array([v if type(v) is str else None for v in cells], type=pa.string())
        good, value, canon = _vector_quantities(texts, kind, fr.canon_id)
        st.value[todo[good]] = value
        st.canon[todo[good]] = canon
        todo, cells = todo[~good], [c for c, g in zip(cells, good, strict=True) if not g]
    for i, raw in zip(todo, cells, strict=True):
        if type(raw) is not str or len(raw) > MAX_TEXT:
            st.bad[i] = True
            continue
        try:
            m = parse_quantity(raw, kind)
        except ActivityError:
            st.bad[i] = True
            continue
        st.value[i] = m.value
        st.canon[i] = fr.canon_id(m.canonical)


def _vector_quantities(texts: Any, kind: QuantityKind, canon_id: Callable[[str], int]
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Read quantity strings with pyarrow: (good mask over ``texts``, value [canonical unit]
    and canonical unit id of each good one).

    Read here: printable ASCII of at most ``MAX_TEXT`` characters, ``<number> <unit>`` split at
    the first space, the number matching :data:`~carbon_footprint.units.NUMBER` whole and the
    unit starting and ending with a non-space (a currency: three letters). For such a string
    ``parse_quantity``'s pattern captures the same two parts (the number cannot take in a
    space), so the value is what it gives: the number by pyarrow's correctly rounded ``cast``
    (as ``float()``), the unit converted by the kind's own cache, the same bounds. Everything
    else (``"5km"``, ``"CNY 5"``, other spaces, ``nan``, out of range) is left to
    ``parse_quantity``; a property test compares the two.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(texts)
    good = np.zeros(n, dtype=bool)
    parts = pc.split_pattern(texts, " ", max_splits=1)
    two = pc.and_(pc.equal(pc.list_value_length(parts), 2),
                  pc.match_substring_regex(texts, _PLAIN_RE2))
    at = np.flatnonzero(pc.fill_null(two, False).to_numpy(zero_copy_only=False))
    if at.size == 0:
        return good, np.zeros(0), np.zeros(0, dtype=np.int64)
    flat = pc.list_flatten(parts.take(pa.array(at)))
    number = flat.take(pa.array(np.arange(0, 2 * at.size, 2)))
    unit = flat.take(pa.array(np.arange(1, 2 * at.size, 2)))
    form = pc.and_(pc.match_substring_regex(number, _NUMBER_RE2),
                   pc.match_substring_regex(unit, _MONEY_UNIT_RE2 if kind.money
                                            else _UNIT_RE2)).to_numpy(zero_copy_only=False)
    at, number, unit = at[form], number.filter(pa.array(form)), unit.filter(pa.array(form))
    if at.size == 0:
        return good, np.zeros(0), np.zeros(0, dtype=np.int64)
    digits = pc.replace_substring(number, "_", "")
    # every text of the number syntax casts, to float()'s double (test_frame_columns checks)
    value = pc.cast(digits, pa.float64()).to_numpy(zero_copy_only=False)
    units = pc.dictionary_encode(unit)
    unit_of = units.indices.to_numpy(zero_copy_only=False)
    factor = np.full(len(units.dictionary), np.nan)
    limit = np.full(len(units.dictionary), -np.inf)
    canon = np.zeros(len(units.dictionary), dtype=np.int64)
    for i, text in enumerate(units.dictionary.to_pylist()):
        canonical = ""
        if kind.money:  # "<number> <CUR>": the amount in its currency
            canonical = text.upper()
            factor[i] = 1.0
        else:
            with contextlib.suppress(UnitError):
                factor[i], canonical = kind.convert(text)
        if canonical:
            limit[i] = kind.limit(canonical)
            canon[i] = canon_id(canonical)
    with np.errstate(invalid="ignore"):
        number_ok = (value >= 0) & np.isfinite(value)
        value = value * np.take(factor, unit_of) + 0.0
        ok = number_ok & (value <= np.take(limit, unit_of))
    good[at[ok]] = True
    return good, value[ok], np.take(canon, unit_of[ok])


# -- the calculation ----------------------------------------------------------------------------
def _pandas_frame(df: pd.DataFrame, tables: Any, on: Any, gwp: Any, method: Any,
                  prefix: str) -> pd.DataFrame:
    names = [str(c) for c in df.columns]
    fr = _compute(names, lambda c: _pandas_column(df[c]), len(df), tables, on, gwp, method,
                  prefix)
    return _pandas_out(df, fr, prefix)


def _compute(names: list[str], column: Callable[[str], _Col], n: int, tables: Any, on: Any,
             gwp: Any, method: Any, prefix: str) -> _Frame:
    dupes = sorted({c for c in names if names.count(c) > 1})
    if dupes:
        raise CarbonFootprintError(f"duplicate column names {dupes[:10]}: give each column "
                                   "a distinct name")
    clash = [prefix + c for c in OUTPUT_COLUMNS if prefix + c in names]
    if clash:
        raise CarbonFootprintError(
            f"input columns {clash} would be overwritten by the result; rename them or pass "
            "output_prefix (e.g. output_prefix='cf_')")
    ctx, _ = context_for(tables, on, method, gwp)
    fr = _Frame(names, column, n, ctx)
    if n and "type" in fr.name_set:
        codes, values = fr.column("type").sort_codes()
        fr.type_codes, fr.type_names = codes, list(values)
        order = np.argsort(codes, kind="stable")  # a radix sort for small integer codes
        bounds = np.zeros(len(values) + 1, dtype=np.int64)  # type code c: bounds[c]..[c+1]
        np.cumsum(np.bincount(codes, minlength=len(values)), out=bounds[1:])
        sc = _Scratch(int(np.diff(bounds)[1:].max(initial=0)))
        # results in type order (each type's slice written in place), put in row order once
        tco2e, outcome = np.empty(n), np.empty(n, dtype=np.intp)
        by_type = dict(specs())
        passes = _full_passes(fr, order)
        try:
            _price_types(fr, values, order, bounds, by_type, sc, tco2e, outcome)
        finally:  # (no thread left running after an error)
            passes.wait()
        # back to row order: one scatter of the positions, then gathers (cheaper than
        # scattering each result)
        at, counts = passes.result()
        _both(_threaded(n), lambda: _take(tco2e, at, fr.tco2e),
              lambda: _take(outcome, at, fr.outcome))
        del tco2e, outcome, at
        _misplaced(fr, by_type, counts)
    elif n:
        fr.full[:] = True
    _per_row(fr)
    return fr


def _unit_columns() -> dict[tuple[str, bool], str]:
    """(quantity field, money?) -> the column that gives its unit in the fast form: money
    types read ``<field>_currency``, the others ``<field>_unit``."""
    return {(q, money): f"{q}{suffix}"
            for q in {s.quantity for s in specs().values() if s.quantity}
            for suffix, money in (("_unit", False), ("_currency", True))}


def _price_types(fr: _Frame, values: Any, order: np.ndarray, bounds: np.ndarray,
                 by_type: dict[str, ActivitySpec], sc: _Scratch, tco2e: np.ndarray,
                 outcome: np.ndarray) -> None:
    """Every type's rows priced (``order[bounds[c]:bounds[c + 1]]``: the rows of type code
    c), results written in type order to ``tco2e`` and ``outcome``."""
    n = fr.n
    jobs: list[tuple[ActivitySpec, slice]] = []
    for code, tname in enumerate(values):
        span = slice(bounds[code], bounds[code + 1])
        if span.start == span.stop:
            continue
        spec = by_type.get(tname) if isinstance(tname, str) else None
        if spec is None:
            fr.full[order[span]] = True  # (its slots in tco2e and outcome: the per-row
            continue                     # path's)
        jobs.append((spec, span))

    if _threaded(n) and _shared_safely(fr):
        # two threads, the types split by rows (numpy releases the GIL in each pass);
        # each type numbers its outcomes on its own (in the order of its groups' rows),
        # then they are numbered in type order: as one thread numbers them
        own = [_Outcomes() for _ in jobs]

        def price(some: list[int], sc: _Scratch) -> None:
            for j in some:
                spec, span = jobs[j]
                _one_type(fr, order[span], spec, sc, tco2e[span], outcome[span], own[j])

        sizes = [span.stop - span.start for _, span in jobs]
        mine, theirs = _halves(sizes)
        size = max((sizes[j] for j in theirs), default=0)
        _both(bool(theirs), lambda: price(theirs, _Scratch(size)), lambda: price(mine, sc))
        for (_, span), local in zip(jobs, own, strict=True):
            ids = np.array([fr.outcomes.id(o) for o in local.rows], dtype=np.intp)
            outcome[span] = np.take(ids, outcome[span])
    else:
        for spec, span in jobs:
            _one_type(fr, order[span], spec, sc, tco2e[span], outcome[span], fr.outcomes)


class _Background:
    """``fn()`` in a second thread, for passes over a large frame's arrays that only read
    them or write arrays no other code touches meanwhile (numpy releases the GIL in them);
    :meth:`result` waits for it and returns its value or raises its error. Not threaded
    (``threaded=False``), ``fn`` runs when the result is asked for."""

    def __init__(self, fn: Callable[[], Any], threaded: bool) -> None:
        self._fn = fn
        self._done = False
        self._out: Any = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        if threaded:
            self._thread = threading.Thread(target=self._run, daemon=True,
                                            name="carbon_footprint.frame")
            self._thread.start()

    def _run(self) -> None:
        try:
            self._out = self._fn()
        except BaseException as exc:  # (MemoryError): raised where the result is read
            self._error = exc
        self._done = True

    def wait(self) -> None:
        """Wait for the thread (if any) to end, without raising its error."""
        if self._thread is not None:
            self._thread.join()

    def result(self) -> Any:
        if self._thread is not None:
            self._thread.join()
        elif not self._done:
            self._run()
        if self._error is not None:
            raise self._error
        return self._out


def _cpus() -> int:
    """The CPUs this process may run on (its affinity where the system tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # (not on every system)
        return os.cpu_count() or 1


def _threaded(n: int) -> bool:
    """Whether a frame of ``n`` rows splits its passes over two threads."""
    return n >= _THREAD_ROWS and _cpus() > 1


def _both(threaded: bool, first: Callable[[], Any], second: Callable[[], Any]) -> None:
    """``first()`` and ``second()`` (disjoint outputs), the first in a second thread; an
    error in either is raised once both have ended (no thread left writing)."""
    job = _Background(first, threaded)
    try:
        second()
    finally:
        job.wait()
    job.result()


def _shared_safely(fr: _Frame) -> bool:
    """Whether the types of ``fr`` can be priced in two threads: every column read so far
    holds its arrays (no lazily built state: pyarrow string columns build theirs)."""
    return all(type(col) in (_NumCol, _CatCol, _ObjCol) for col in fr.columns())


def _halves(sizes: list[int]) -> tuple[list[int], list[int]]:
    """Positions of ``sizes`` in two lists of about the same total (largest first, each to
    the lighter list; each list in its original order)."""
    out: tuple[list[int], list[int]] = ([], [])
    load = [0, 0]
    for j in sorted(range(len(sizes)), key=lambda j: -sizes[j]):
        side = 0 if load[0] <= load[1] else 1
        out[side].append(j)
        load[side] += sizes[j]
    return sorted(out[0]), sorted(out[1])


def _full_passes(fr: _Frame, order: np.ndarray) -> _Background:
    """The full-column passes of a frame that only read its arrays, in a second thread for a
    large frame: the row positions of type order (``at[order] = arange``) and the count of
    cells set in each numeric or categorical field column (the others are counted by
    :func:`_misplaced`). The field columns are read now, in this thread (reading a column may
    mark rows for the per-row path)."""
    columns = {}
    for c in fr.names:
        if c in _ALL_FIELDS and c != "type":
            col = fr.column(c)
            if type(col) in (_NumCol, _CatCol):
                columns[c] = col
    for c in _unit_columns().values():
        if c in fr.name_set:
            fr.column(c)  # (read before the types are priced: maybe in two threads)

    def passes() -> tuple[np.ndarray, dict[str, int]]:
        n = order.size
        at = np.empty(n, dtype=np.intp)
        at[order] = np.arange(n, dtype=np.intp)
        buf = np.empty(n, dtype=bool)
        return at, {c: int(np.count_nonzero(col.present(buf))) for c, col in columns.items()}

    return _Background(passes, _threaded(fr.n))


def _misplaced(fr: _Frame, by_type: dict[str, ActivitySpec], counts: dict[str, int]) -> None:
    """Rows that set a field their type does not have take the per-row path (which names the
    field). A column holds such a cell when it has more cells set than the passes of the
    types that have the field counted (``counts``: cells set per column, where counted
    already); only then are its rows looked at."""
    buf = np.empty(fr.n, dtype=bool)
    for c in fr.names:
        if c not in _ALL_FIELDS or c == "type":
            continue
        given = counts.get(c)
        if given is None:
            given = int(np.count_nonzero(fr.column(c).present(buf)))
        if given == fr.owned.get(c, 0):
            continue
        present = fr.column(c).present(buf)
        owner = np.array([isinstance(t, str) and (spec := by_type.get(t)) is not None and (
            c == "label" or c in spec.model.model_fields) for t in fr.type_names], dtype=bool)
        fr.full |= present & ~owner[fr.type_codes]


class _Scratch:
    """Buffers reused by every type of one call (sized to the largest type), so the per-type
    work allocates no full-length temporaries: under a Dask worker, which returns freed memory
    to the system at once (distributed's ``MALLOC_TRIM_THRESHOLD_=65536``), every fresh large
    array costs page faults."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._bufs: dict[str, np.ndarray] = {}
        self._arange: np.ndarray | None = None

    def get(self, name: str, k: int, dtype: Any) -> np.ndarray:
        buf = self._bufs.get(name)
        if buf is None or buf.dtype != dtype:
            buf = self._bufs[name] = np.empty(self.size, dtype=dtype)
        return buf[:k]

    def arange(self, k: int) -> np.ndarray:
        if self._arange is None:
            self._arange = np.arange(self.size, dtype=np.int64)
        return self._arange[:k]


def _one_type(fr: _Frame, rows: np.ndarray, spec: ActivitySpec, sc: _Scratch,
              tco2e: np.ndarray, outcome: np.ndarray, outcomes: _Outcomes) -> None:
    """Every row of one type (``rows``): its tonnes and outcome ids (in ``outcomes``) go to
    ``tco2e`` and ``outcome`` (aligned with ``rows``); rows it cannot price are marked for
    the per-row path."""
    model = spec.model
    q = spec.quantity
    counts = _count_fields(spec)
    mine = [c for c in model.model_fields if c in fr.name_set and c != "type"]
    k = rows.size
    if "label" in fr.name_set:
        codes, uniq = fr.column("label").codes(rows)
        bad = np.array([not (_missing(v) or (type(v) is str and len(v) <= 200 and (
            not v or not (v[0].isspace() or v[-1].isspace())))) for v in uniq], dtype=bool)
        fr.full[rows[bad[codes]]] = True
        fr.own("label", np.count_nonzero(codes))

    # the quantity: value in its canonical unit and the canonical unit's id per row
    canon = sc.get("canon", k, np.int64)  # 0 = no quantity given
    qv = sc.get("qv", k, np.float64)
    if q is not None and q in fr.name_set:
        kind = KINDS[spec.kind]  # type: ignore[index]
        unit_col = _unit_columns()[(q, kind.money)]
        numbers = fr.column(q).numbers() if unit_col in fr.name_set else None
        if numbers is not None:
            fr.own(q, _numbers_with_units(fr, rows, numbers, unit_col, kind, sc, qv, canon))
        else:
            with fr.lock:  # (the texts read so far are shared by the types reading them)
                qcodes = _take(fr.column(q).texts()[0], rows, sc.get("codes", k, np.int64))
                st = fr.parsed(q, kind, qcodes)
                bad = _take(st.bad, qcodes, sc.get("b1", k, np.bool_))
                _take(st.value, qcodes, qv)
                _take(st.canon, qcodes, canon)
            if bad.any():
                fr.full[rows[bad]] = True
            fr.own(q, np.count_nonzero(qcodes))
    else:
        qv.fill(np.nan)
        canon.fill(0)

    # group rows by every other field and the canonical unit (mixed radix codes)
    key = sc.get("key", k, np.int64)
    np.copyto(key, canon)
    radix = len(fr.canon)
    shape_cols: list[str] = []
    shift = 0  # key + shift: the mixed radix number of the codes (0 = missing)
    for f in mine:
        if f == q or f == "label":
            continue
        c, c_shift, uniq = fr.column(f).key_codes(rows, sc)
        given_n = np.count_nonzero(np.greater(c, -c_shift, out=sc.get("b1", k, np.bool_)))
        if not given_n:
            continue
        fr.own(f, given_n)
        shape_cols.append(f)
        if radix * len(uniq) > 2**40:
            np.add(key, shift, out=key)
            radix, shift = _dense(key, radix, key), 0
        np.multiply(key, len(uniq), out=key)
        np.add(key, c, out=key)
        shift = shift * len(uniq) + c_shift
        radix *= len(uniq)
    if shift:
        np.add(key, shift, out=key)
    group = sc.get("group", k, np.int64)
    ngroups = _dense(key, radix, group)
    first = np.empty(ngroups, dtype=np.int64)
    first[group[::-1]] = sc.arange(k)[::-1]  # each group's first row (the last one written)

    # one template per group, read at its first row: type and every field but the quantity
    at = rows[first]
    templates: list[dict[str, Any]] = [{"type": spec.type} for _ in range(ngroups)]
    for f in shape_cols:
        for template, v in zip(templates, fr.column(f).values_at(at), strict=True):
            if not _missing(v):
                template[f] = _plain(v, f in counts)
    plans = [_group_plan(spec, t, fr.canon[u], fr.ctx)
             for t, u in zip(templates, canon[first], strict=True)]
    # outcomes are numbered in the order of the groups' first rows, not of their ids (which
    # follow the canonical units' ids, shared by the types: with types priced in two
    # threads, in the order the threads meet them)
    _evaluate(fr, rows, group, plans, qv, sc, tco2e, outcome, outcomes, np.argsort(first))


def _numbers_with_units(fr: _Frame, rows: np.ndarray, numbers: np.ndarray, unit_col: str,
                        kind: QuantityKind, sc: _Scratch, qv: np.ndarray, canon: np.ndarray
                        ) -> int:
    """The fast form: a number column and a unit column, each distinct unit converted once,
    as calculate() reads ``{"value": number, "unit"/"currency": unit}``. Fills ``qv`` (the
    value in the canonical unit) and ``canon`` (the canonical unit's id); returns how many rows
    give a number. Rows it cannot read take the per-row path."""
    k = rows.size
    number = _take(numbers, rows, sc.get("number", k, np.float64))
    uc, ushift, uniq = fr.column(unit_col).key_codes(rows, sc)
    scale = np.full(len(uniq), np.nan)
    limit = np.full(len(uniq), -np.inf)
    canon_of = np.zeros(len(uniq), dtype=np.int64)
    for i in range(1, len(uniq)):
        u = uniq[i]
        if not isinstance(u, str) or len(u) > 64:
            continue
        if kind.money:  # a currency is three ASCII letters, as given
            if not (len(u) == 3 and u.isascii() and u.isalpha()):
                continue
            canonical, factor = u.upper(), 1.0
        elif not u.strip():
            continue
        else:
            try:
                factor, canonical = kind.convert(u.strip())
            except UnitError:
                continue
        scale[i] = factor
        limit[i] = kind.limit(canonical)
        canon_of[i] = fr.canon_id(canonical)
    ok = sc.get("b1", k, np.bool_)
    also = sc.get("b2", k, np.bool_)
    one = int(uc[0]) + ushift if k and uc.min() == uc.max() else None  # one unit code for all
    ucodes = None if one is not None else np.add(uc, ushift, out=sc.get("codes", k, np.int64))
    with np.errstate(invalid="ignore"):
        if ucodes is None:  # (a scalar factor: the same product as an array of it)
            np.multiply(number, scale[one], out=qv)
        else:
            np.multiply(number, _take(scale, ucodes, qv), out=qv)
        np.add(qv, 0.0, out=qv)  # -0.0 -> 0.0, as parse_quantity
        if ucodes is None:
            np.less_equal(qv, limit[one], out=ok)
        else:
            np.less_equal(qv, _take(limit, ucodes, sc.get("tmp", k, np.float64)), out=ok)
        ok &= np.greater_equal(number, 0, out=also)  # NaN: not ok
    given = np.greater_equal(number, -np.inf, out=also)  # not NaN
    numbered = int(np.count_nonzero(given))
    if ucodes is not None:
        given |= np.greater(ucodes, 0, out=sc.get("b3", k, np.bool_))  # a number or a unit
    elif one:
        given.fill(True)  # a unit on every row
    bad = np.logical_and(given, np.logical_not(ok, out=ok), out=ok)
    if bad.any():
        fr.full[rows[bad]] = True  # the per-row path gives these rows' results
    if ucodes is None:
        canon.fill(canon_of[one])
    else:
        _take(canon_of, ucodes, canon)
    return numbered


def _dense(key: np.ndarray, radix: int, out: np.ndarray) -> int:
    """Group ids 0..k-1 of integer keys below ``radix``, written to ``out`` (which may be
    ``key``); returns k. A lookup table when the radix is small, else a hash."""
    if radix <= 4 * key.size + 1024:
        used = np.bincount(key, minlength=radix) > 0
        lut = np.cumsum(used) - 1
        _take(lut, key, out)
        return int(used.sum())
    import pandas as pd

    codes, uniq = pd.factorize(key)
    out[:] = codes
    return len(uniq)


def _group_plan(spec: ActivitySpec, template: dict[str, Any], canonical: str | None,
                ctx: Context) -> Any:
    """The plan of a group's shape, remembered per process in the engine's bounded plan memo
    (a Dask worker compiles each shape once, not once per partition)."""
    key: Any = (ctx, "frame", tuple((k, type(v), v) for k, v in template.items()), canonical)
    try:
        hit = ctx.plans.get(key)
    except TypeError:  # pragma: no cover - cells are hashable (factorized)
        key, hit = None, None
    if hit is None:
        try:
            hit = plan_for_raw(spec, template, canonical, ctx)
        except (TypeError, RecursionError):
            hit = FAIL
        if key is not None and all(type(v) is not str or len(v) <= _KEY_TEXT
                                   for v in template.values()):
            ctx.plans.put(key, hit)
    return hit


def _evaluate(fr: _Frame, rows: np.ndarray, group: np.ndarray, plans: list[Any],
              qv: np.ndarray, sc: _Scratch, t: np.ndarray, outcome: np.ndarray,
              outcomes: _Outcomes, rank: np.ndarray) -> None:
    """Evaluate each row's plan, vectorized: per-group arrays taken by group code, in the
    engine's order of operations (amount = quantity x multiplier, or the fixed amount; then
    amount x tonnes per unit). Rows it cannot price take the per-row path."""
    ng = len(plans)
    mult = np.ones(ng)
    fixed = np.full(ng, np.nan)
    tpu = np.full(ng, np.nan)
    out_g = np.zeros(ng, dtype=np.int32)
    fail = np.zeros(ng, dtype=bool)
    limit = np.full(ng, np.inf)
    banded: list[int] = []
    for g in rank.tolist():  # (outcomes numbered in this order)
        plan = plans[g]
        if plan is FAIL:
            fail[g] = True
            continue
        assert isinstance(plan, Plan)
        mult[g] = plan.multiplier
        if plan.fixed is not None:
            fixed[g] = plan.fixed
        if plan.limit is not None:
            limit[g] = plan.limit
        if len(plan.segments) > 1:
            banded.append(g)
            continue
        seg = plan.segments[0]
        if seg.error is not None:
            out_g[g] = outcomes.error(seg.error)
        else:
            tpu[g] = seg.t_per_unit
            out_g[g] = outcomes.line(plan.category, seg.gas_basis, seg.factor)
    k = rows.size
    amount = sc.get("amount", k, np.float64)
    tmp = sc.get("tmp", k, np.float64)
    skip = sc.get("b1", k, np.bool_)
    has_fixed = not np.isnan(fixed).all()
    with np.errstate(invalid="ignore"):
        if (mult != 1.0).any():
            np.multiply(qv, _take(mult, group, tmp), out=amount)
        elif has_fixed:
            np.copyto(amount, qv)
        else:
            amount = qv  # (only read from here on)
        if has_fixed:
            gfixed = _take(fixed, group, tmp)
            np.copyto(amount, gfixed, where=~np.isnan(gfixed, out=skip))
        # a row without a price (no quantity, over a limit, no plan) takes the per-row path
        if np.isinf(limit).all():
            np.isnan(amount, out=skip)
        else:
            np.less_equal(amount, _take(limit, group, tmp), out=skip)
            np.logical_not(skip, out=skip)
        if fail.any():
            skip |= _take(fail, group, sc.get("b2", k, np.bool_))
        np.multiply(amount, _take(tpu, group, tmp), out=t)
    _take(out_g.astype(np.intp), group, outcome)
    for g in banded:
        plan = plans[g]
        at_g = np.flatnonzero(group == g)
        band = np.searchsorted(np.asarray(plan.bounds), qv[at_g], side="right")
        for b, seg in enumerate(plan.segments):
            at = at_g[band == b]
            if seg.error is not None:
                outcome[at] = outcomes.error(seg.error)
                t[at] = np.nan
            else:
                t[at] = amount[at] * seg.t_per_unit
                outcome[at] = outcomes.line(plan.category, seg.gas_basis, seg.factor)
    if skip.any():
        fr.full[rows[skip]] = True  # the per-row path overwrites these rows' results


# -- the per-row path ---------------------------------------------------------------------------
class _RowReader:
    """The rows that take the per-row path as the dicts calculate() would be given (missing
    cells are absent fields), read from those rows' cells only."""

    def __init__(self, fr: _Frame, rows: np.ndarray) -> None:
        self.columns = [c for c in fr.names if c in _ALL_FIELDS]
        self.cells = {c: fr.column(c).cells(rows) for c in self.columns}
        #: (quantity field, money?) -> (unit column, its cells)
        self.units: dict[tuple[str, bool], tuple[str, Any]] = {
            key: (c, fr.column(c).cells(rows)) for key, c in _unit_columns().items()
            if c in fr.name_set}
        self.counts = {t: _count_fields(s) for t, s in specs().items()}
        self.money = {t for t, s in specs().items() if s.kind == "money"}

    def row(self, i: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        tname = self.cells["type"][i] if "type" in self.cells else None
        tname = tname.item() if isinstance(tname, np.generic) else tname
        if not isinstance(tname, str):  # a list or a number in the type column
            tname = None
        counts = self.counts.get(tname, set()) if tname is not None else set()
        for col in self.columns:
            v = self.cells[col][i]
            if isinstance(v, (list, dict, tuple)):
                out[col] = v
                continue
            if _missing(v):
                continue
            v = _plain(v, col in counts)
            unit = self.units.get((col, tname in self.money))
            if unit is not None and isinstance(v, (int, float)) and not isinstance(v, bool):
                u = unit[1][i]
                if not _missing(u):
                    v = {"value": v, "currency" if unit[0].endswith("currency") else "unit":
                         _plain(u, False)}
            out[col] = v
        return out


def _per_row(fr: _Frame) -> None:
    """The rows that need the full path: each computed like calculate() does (deduplicated)."""
    rows = np.flatnonzero(fr.full)
    if rows.size == 0:
        return
    reader = _RowReader(fr, rows)
    done: dict[Any, tuple[float, int]] = {}
    for j, i in enumerate(rows):
        raw = reader.row(j)
        try:
            key: Any = tuple(raw.items())
            hash(key)
        except TypeError:
            key = None
        hit = done.get(key) if key is not None else None
        if hit is None:
            hit = _one_row(raw, fr)
            if key is not None and len(done) < 100_000:
                done[key] = hit
        fr.tco2e[i], fr.outcome[i] = hit


def _one_row(raw: dict[str, Any], fr: _Frame) -> tuple[float, int]:
    try:
        if "type" not in raw:
            validate_activity(raw, None)  # raises the same 'missing type' error
        line, _ = full_line(raw, 0, fr.ctx)
    except ActivityError as exc:
        return math.nan, fr.outcomes.error(exc)
    return line.tco2e, fr.outcomes.line(line.category, line.gas_basis, line.factor)


# -- output -------------------------------------------------------------------------------------
def _text_outputs(fr: _Frame) -> list[tuple[str, np.ndarray, list[Any]]]:
    """(name, codes with -1 = missing, categories) of each text output column. A column with
    no value on any row is filled; the others are read off the outcome ids in one gather of
    a record per outcome (their codes side by side), then split into contiguous columns."""
    luts: list[tuple[str, np.ndarray, list[Any]]] = []
    for pos, name in enumerate(OUTPUT_COLUMNS[1:]):
        ids: dict[Any, int] = {}
        per_outcome = [-1 if (v := o[pos]) is None else ids.setdefault(v, len(ids))
                       for o in fr.outcomes.rows]
        dtype = np.int8 if len(ids) < 127 else np.int16 if len(ids) < 32767 else np.int32
        luts.append((name, np.array(per_outcome, dtype=dtype), list(ids)))
    n = fr.outcome.size
    used = sorted((lut for lut in luts if lut[2]), key=lambda lut: -lut[1].itemsize)
    width = sum(lut[1].itemsize for lut in used)
    taken: dict[str, np.ndarray] = {}
    if len(used) > 1 and width <= 16:  # (aligned: the widest codes first)
        record = np.dtype({"names": [lut[0] for lut in used],
                           "formats": [lut[1].dtype for lut in used],
                           "itemsize": 1 << (width - 1).bit_length()})
        table = np.zeros(len(fr.outcomes.rows), dtype=record)
        for name, codes, _ in used:
            table[name] = codes
        taken = {name: np.empty(n, dtype=codes.dtype) for name, codes, _ in used}

        def split(part: slice) -> None:  # the records of these rows, then each column
            rows = np.take(table, fr.outcome[part])
            for name, column in taken.items():
                column[part] = rows[name]

        half = n // 2
        _both(_threaded(n), lambda: split(slice(0, half)), lambda: split(slice(half, n)))
    out = []
    for name, codes, labels in luts:
        if not labels:
            column = np.full(n, -1, dtype=codes.dtype)
        else:
            column = taken[name] if name in taken else np.take(codes, fr.outcome)
        out.append((name, column, labels))
    return out


def _copy_on_write(pd: Any) -> bool:
    """Whether pandas shares column data between frames until written (pandas 3, or 2.x
    with the option on): then one concat builds the result without copying the input."""
    try:
        if int(pd.__version__.split(".")[0]) >= 3:
            return True
        return pd.get_option("mode.copy_on_write") is True
    except (ValueError, KeyError, AttributeError):
        return False


def _pandas_out(df: pd.DataFrame, fr: _Frame, prefix: str) -> pd.DataFrame:
    """Input columns + results; the text columns are categoricals built from the outcome ids."""
    import pandas as pd

    results: dict[str, Any] = {prefix + "tco2e": fr.tco2e}
    for name, codes, labels in _text_outputs(fr):
        results[prefix + name] = pd.Categorical.from_codes(
            codes, categories=pd.Index(labels, dtype=object), validate=False)
    if isinstance(df.columns, pd.MultiIndex) or not df.flags.allows_duplicate_labels \
            or not _copy_on_write(pd):
        # (without copy-on-write, pandas 2's concat consolidates the input's columns into
        # new blocks: a copy of the whole input, 3x slower on a wide frame)
        out = df.copy(deep=False)
        for name, column in results.items():
            out[name] = column
        return out
    # one concat, not a column insertion per result (each rebuilds the column index)
    # (copy=False: the result arrays are new and this frame's own)
    out = pd.concat([df, pd.DataFrame(results, index=df.index, copy=False)], axis=1)
    out.columns = out.columns.set_names(df.columns.names)
    return out.__finalize__(df)  # the input's attrs, as copy() keeps them


def _arrow_outputs(fr: _Frame) -> list[tuple[str, Any]]:
    """The output columns as pyarrow arrays (NaN tonnes as nulls, text as dictionaries)."""
    import pyarrow as pa

    out = [("tco2e", pa.array(fr.tco2e, from_pandas=True))]
    for name, codes, labels in _text_outputs(fr):
        out.append((name, pa.DictionaryArray.from_arrays(
            pa.array(codes, mask=codes < 0), pa.array(labels, type=pa.string()))))
    return out


def _arrow_out(table: Any, fr: _Frame, prefix: str) -> Any:
    for name, arr in _arrow_outputs(fr):
        table = table.append_column(prefix + name, arr)
    return table


def _polars_out(data: Any, fr: _Frame, prefix: str) -> Any:
    import polars as pl

    return data.hstack([pl.Series(prefix + name, arr) for name, arr in _arrow_outputs(fr)])
