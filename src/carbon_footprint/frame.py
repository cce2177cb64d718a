"""Columnar calculation: ``calculate_frame`` on pandas, pyarrow, Polars and Dask tables.

One activity per row, the same vocabulary and **the same engine** as
:func:`carbon_footprint.calculate`: rows are grouped by shape (type and every field but the
quantity), each shape is compiled once into the engine's plan (the same validation, factor
lookup, band scheme and notices), the quantity strings are parsed with the same parser, grammar
and bounds (each distinct string once), and the plans are evaluated vectorized: a band index by
``np.searchsorted`` on the plan's bounds, then two multiplications. A property test checks that
every row equals ``calculate()`` on the same activity.

Two input forms:

* the frame of ``pandas.DataFrame(list_of_activity_dicts)``: quantities as strings (``"350 km"``),
  absent fields as NaN;
* the fast form: numeric quantity columns with a unit column beside each (``distance`` = 350.0,
  ``distance_unit`` = ``"km"``; money types' ``amount`` with ``amount_currency``, any other
  type's quantity with ``<field>_unit``). Category dtypes make it faster still.

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

import math
from typing import TYPE_CHECKING, Any, get_args

import numpy as np

from ._engine import FAIL, context_for, full_line, plan_for_raw
from ._plans import Context, Plan
from ._registry import ActivitySpec, specs
from .activities import ACTIVITY_TYPES, validate_activity
from .errors import ActivityError, ArgumentTypeError, CarbonFootprintError
from .units import KINDS, MAX_TEXT, parse_quantity

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["OUTPUT_COLUMNS", "calculate_frame"]

OUTPUT_COLUMNS = ("tco2e", "reporting_category", "gas_basis", "factor_id", "table", "edition",
                  "error", "error_code")
#: every activity field of any type; other columns (guest ids, cities, ...) pass through
_ALL_FIELDS = frozenset(f for m in ACTIVITY_TYPES.values() for f in m.model_fields)


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
    The same kind of table: the input columns plus :data:`OUTPUT_COLUMNS` (``tco2e`` [t],
    ``reporting_category``, ``gas_basis``, ``factor_id``, ``table``, ``edition``, ``error``,
    ``error_code``). A Dask input gives a lazy Dask DataFrame (``map_partitions``).
    """
    kind = type(data).__module__.split(".")[0]
    if not isinstance(output_prefix, str) or len(output_prefix) > 40:
        raise ArgumentTypeError("output_prefix must be a short string")
    if kind.startswith("dask"):
        meta = _pandas_frame(data._meta, tables, on, gwp, method, output_prefix)
        return data.map_partitions(_pandas_frame, tables, on, gwp, method, output_prefix,
                                   meta=meta)
    if kind == "pyarrow" and hasattr(data, "to_pandas") and hasattr(data, "schema"):
        import pyarrow as pa

        frame = _pandas_frame(data.to_pandas(), tables, on, gwp, method, output_prefix)
        return pa.Table.from_pandas(frame, preserve_index=False)
    if kind == "polars" and hasattr(data, "to_arrow"):
        import polars as pl

        frame = _pandas_frame(data.to_pandas(), tables, on, gwp, method, output_prefix)
        return pl.from_pandas(frame)
    if kind == "pandas" and hasattr(data, "columns"):
        return _pandas_frame(data, tables, on, gwp, method, output_prefix)
    raise ArgumentTypeError(
        "calculate_frame takes a pandas, pyarrow, Polars or Dask DataFrame; got "
        f"{type(data).__name__} (use calculate() for lists of activities)")


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (-1 = missing) and ``[None, *distinct values]``; raises TypeError for
    unhashable cells."""
    import pandas as pd

    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        uniques = np.array([None, *values.cat.categories.tolist()], dtype=object)
        return codes, uniques
    codes, uniq = pd.factorize(values, use_na_sentinel=True)
    return codes, np.array([None, *list(uniq)], dtype=object)


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


_PLAIN_KINDS = frozenset({"string", "empty", "integer", "floating", "boolean", "categorical",
                          "decimal", "bytes"})


def pd_infer(series: Any) -> str:
    import pandas as pd

    return str(pd.api.types.infer_dtype(series, skipna=True))


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
        pos = self._ids.get(outcome)
        if pos is None:
            pos = self._ids[outcome] = len(self.rows)
            self.rows.append(outcome)
        return pos

    def error(self, exc: ActivityError) -> int:
        return self.id((None, None, None, None, None, exc.located(None).render(), exc.code))

    def line(self, category: str, gas_basis: str, ref: Any) -> int:
        return self.id((category, gas_basis, ref.factor_id, ref.table, ref.edition, None, None))


class _Frame:
    """The input frame, its columns coded once, and the output arrays."""

    def __init__(self, df: pd.DataFrame, ctx: Context) -> None:
        self.df = df
        self.ctx = ctx
        n = len(df)
        self.tco2e = np.full(n, np.nan)
        self.outcome = np.zeros(n, dtype=np.int32)
        self.outcomes = _Outcomes()
        self.full = np.zeros(n, dtype=bool)  # rows that take the per-row path
        self._codes: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._present: dict[str, np.ndarray] = {}
        self.type_codes = np.zeros(0, dtype=np.int64)
        self.type_values: np.ndarray = np.array([None], dtype=object)

    def codes(self, col: str) -> tuple[np.ndarray, np.ndarray]:
        """(codes, uniques) of a column; unhashable cells are marked for the per-row path."""
        hit = self._codes.get(col)
        if hit is None:
            series = self.df[col]
            try:
                hit = _codes(series)
            except TypeError:  # list or dict cells
                ok = np.fromiter((_hashable(v) for v in series.to_numpy(dtype=object)),
                                 dtype=bool, count=len(series))
                self.full |= ~ok
                hit = _codes(series.where(ok, None))
            if series.dtype == object and pd_infer(series) not in _PLAIN_KINDS:
                # True == 1 and 2.0 == 2 share a code: booleans mixed with numbers take the
                # per-row path, so a bool is never read as a count (calculate() refuses it)
                cells = series.to_numpy(dtype=object)
                is_bool = np.fromiter((type(v) is bool or isinstance(v, np.bool_)
                                       for v in cells), dtype=bool, count=len(cells))
                if is_bool.any() and not is_bool[hit[0] >= 0].all():
                    self.full |= is_bool
            self._codes[col] = hit
        return hit

    def present(self, col: str) -> np.ndarray:
        hit = self._present.get(col)
        if hit is None:
            hit = self._present[col] = self.codes(col)[0] >= 0
        return hit


def _pandas_frame(df: pd.DataFrame, tables: Any, on: Any, gwp: Any, method: Any,
                  prefix: str) -> pd.DataFrame:
    names = [str(c) for c in df.columns]
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
    fr = _Frame(df, ctx)
    if len(df) and "type" in df.columns:
        codes, values = fr.codes("type")
        fr.type_codes = codes.astype(np.int64) + 1
        fr.type_values = values
        order = np.argsort(fr.type_codes, kind="stable")
        bounds = np.concatenate([[0], np.cumsum(np.bincount(fr.type_codes,
                                                             minlength=len(values)))])
        by_type = dict(specs())
        for code, tname in enumerate(values):
            rows = order[bounds[code]:bounds[code + 1]]
            if rows.size == 0:
                continue
            spec = by_type.get(tname) if isinstance(tname, str) else None
            if spec is None:
                fr.full[rows] = True
                continue
            _one_type(fr, rows, spec)
    elif len(df):
        fr.full[:] = True
    _per_row(fr)
    return _assemble(fr, prefix)


def _one_type(fr: _Frame, rows: np.ndarray, spec: ActivitySpec) -> None:
    df = fr.df
    model = spec.model
    fields = [f for f in model.model_fields if f != "label"]
    q = spec.quantity
    counts = _count_fields(spec)
    # a field of another activity type set on these rows: the per-row path names it
    legit = set(model.model_fields)
    unit_col = None
    if q is not None:
        # the unit column of the kind: <quantity>_currency for money, else <quantity>_unit
        cand = f"{q}_currency" if spec.kind == "money" else f"{q}_unit"
        unit_col = cand if cand in df.columns else None
    for col in df.columns:
        if col in legit or col == unit_col or col not in _ALL_FIELDS:
            continue
        fr.full[rows[fr.present(col)[rows]]] = True
    if "label" in df.columns:
        labels = df["label"].to_numpy(dtype=object)[rows]
        bad = np.fromiter((not (_missing(v) or (type(v) is str and len(v) <= 200 and (
            not v or not (v[0].isspace() or v[-1].isspace())))) for v in labels),
            dtype=bool, count=rows.size)
        fr.full[rows[bad]] = True

    # the quantity: canonical value and canonical unit code per row
    nrows = rows.size
    qv = np.full(nrows, np.nan)
    canon_codes = np.zeros(nrows, dtype=np.int64)  # 0 = no quantity given
    canon_values: list[Any] = [None]
    if q is not None and q in df.columns:
        kind = KINDS[spec.kind]  # type: ignore[index]
        col = df[q]
        qcodes, quniq = fr.codes(q)
        qcodes = qcodes[rows].astype(np.int64) + 1
        import pandas as pd

        numeric = pd.api.types.is_numeric_dtype(col.dtype) and not isinstance(
            col.dtype, pd.CategoricalDtype) and not pd.api.types.is_bool_dtype(col.dtype)
        if numeric and unit_col is not None:
            # fast form: number column + unit column, each distinct unit converted once
            numbers = col.to_numpy(dtype=float, na_value=np.nan)[rows]
            ucodes, uniq = fr.codes(unit_col)
            ucodes = ucodes[rows].astype(np.int64) + 1
            scale = np.full(len(uniq), np.nan)
            canon_of_unit = np.zeros(len(uniq), dtype=np.int64)
            for i in range(1, len(uniq)):
                u = uniq[i]
                if not isinstance(u, str) or len(u) > 64:
                    continue
                try:
                    m = parse_quantity(f"1 {u}", kind)
                except ActivityError:
                    continue
                scale[i] = m.value
                if m.canonical not in canon_values:
                    canon_values.append(m.canonical)
                canon_of_unit[i] = canon_values.index(m.canonical)
            has = ~np.isnan(numbers)
            with np.errstate(invalid="ignore"):
                value = numbers * np.take(scale, ucodes) + 0.0
                limits = np.array([math.inf, *(kind.limit(c) for c in canon_values[1:])])
                ok = has & (numbers >= 0) & (value <= np.take(limits, np.take(canon_of_unit,
                                                                               ucodes)))
            fr.full[rows[(has | (ucodes > 0)) & ~ok]] = True
            qv = np.where(ok, value, np.nan)
            canon_codes = np.where(ok, np.take(canon_of_unit, ucodes), 0)
        else:
            # string form: each distinct string parsed once, by the engine's parser
            u_val = np.full(len(quniq), np.nan)
            u_can = np.zeros(len(quniq), dtype=np.int64)
            u_bad = np.zeros(len(quniq), dtype=bool)
            for i in np.unique(qcodes):
                if i == 0:
                    continue
                raw = quniq[i]
                if type(raw) is not str or len(raw) > MAX_TEXT:
                    u_bad[i] = True
                    continue
                try:
                    m = parse_quantity(raw, kind)
                except ActivityError:
                    u_bad[i] = True
                    continue
                u_val[i] = m.value
                if m.canonical not in canon_values:
                    canon_values.append(m.canonical)
                u_can[i] = canon_values.index(m.canonical)
            fr.full[rows[np.take(u_bad, qcodes)]] = True
            qv = np.take(u_val, qcodes)
            canon_codes = np.take(u_can, qcodes)

    # group rows by every other field and the canonical unit (mixed radix codes)
    key = np.zeros(nrows, dtype=np.int64)
    radix = 1
    shape_cols: list[tuple[str, np.ndarray, np.ndarray]] = []
    import pandas as pd

    for f in fields:
        if f == q or f not in df.columns:
            continue
        c, uniq = fr.codes(f)
        c = c[rows].astype(np.int64) + 1
        if not (c > 0).any():
            continue
        shape_cols.append((f, c, uniq))
        if radix * len(uniq) > 2**40:
            key = pd.factorize(key)[0].astype(np.int64)
            radix = int(key.max(initial=0)) + 1
        key = key * len(uniq) + c
        radix *= len(uniq)
    key = key * len(canon_values) + canon_codes
    radix *= len(canon_values)
    if radix <= 1 << 22:
        used = np.flatnonzero(np.bincount(key, minlength=radix))
        lut = np.zeros(radix, dtype=np.int64)
        lut[used] = np.arange(used.size)
        group = lut[key]
    else:
        group = pd.factorize(key)[0]
    ngroups = int(group.max(initial=-1)) + 1
    first = np.empty(ngroups, dtype=np.int64)
    first[group] = np.arange(nrows)

    plans: list[Any] = []
    for r in first:
        template: dict[str, Any] = {"type": spec.type}
        for f, c, uniq in shape_cols:
            v = uniq[c[r]]
            if not _missing(v):
                template[f] = _plain(v, f in counts)
        canonical = canon_values[canon_codes[r]]
        try:
            plan = plan_for_raw(spec, template, canonical, fr.ctx)
        except (TypeError, RecursionError):
            plan = FAIL
        plans.append(plan)
    _evaluate(fr, rows, group, plans, qv)


def _evaluate(fr: _Frame, rows: np.ndarray, group: np.ndarray, plans: list[Any],
              qv: np.ndarray) -> None:
    """Evaluate each row's plan, vectorized: per-group arrays taken by group code."""
    ng = len(plans)
    mult = np.ones(ng)
    fixed = np.full(ng, np.nan)
    tpu = np.full(ng, np.nan)
    out_g = np.zeros(ng, dtype=np.int32)
    fail = np.zeros(ng, dtype=bool)
    limit = np.full(ng, np.inf)
    banded: list[int] = []
    for g, plan in enumerate(plans):
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
            out_g[g] = fr.outcomes.error(seg.error)
        else:
            tpu[g] = seg.t_per_unit
            out_g[g] = fr.outcomes.line(plan.category, seg.gas_basis, seg.factor)
    gfixed = np.take(fixed, group)
    with np.errstate(invalid="ignore"):
        amount = np.where(np.isnan(gfixed), qv * np.take(mult, group), gfixed)
        fr.full[rows[np.take(fail, group) | ~(amount <= np.take(limit, group))]] = True
        t = amount * np.take(tpu, group)
    outcome = np.take(out_g, group)
    for g in banded:
        plan = plans[g]
        mine = np.flatnonzero(group == g)
        band = np.searchsorted(np.asarray(plan.bounds), qv[mine], side="right")
        for b, seg in enumerate(plan.segments):
            at = mine[band == b]
            if seg.error is not None:
                outcome[at] = fr.outcomes.error(seg.error)
                t[at] = np.nan
            else:
                t[at] = amount[at] * seg.t_per_unit
                outcome[at] = fr.outcomes.line(plan.category, seg.gas_basis, seg.factor)
    keep = ~fr.full[rows]
    fr.tco2e[rows[keep]] = t[keep]
    fr.outcome[rows[keep]] = outcome[keep]


_QUANTITY_FIELDS = ("distance", "mass", "energy", "amount", "volume")


class _RowReader:
    """Rows of a frame as the dicts calculate() would be given (missing cells are absent
    fields), read from per-column object arrays (not ``df.iloc``, which costs ~100 us/row)."""

    def __init__(self, df: pd.DataFrame) -> None:
        self.columns = [c for c in df.columns if c in _ALL_FIELDS]
        self.cells = {c: df[c].to_numpy(dtype=object) for c in self.columns}
        #: (quantity field, money?) -> (unit column, its cells): money types read
        #: <field>_currency, the others <field>_unit
        self.units: dict[tuple[str, bool], tuple[str, Any]] = {}
        for q in _QUANTITY_FIELDS:
            for suffix, money in (("_unit", False), ("_currency", True)):
                if f"{q}{suffix}" in df.columns:
                    self.units[(q, money)] = (f"{q}{suffix}",
                                              df[f"{q}{suffix}"].to_numpy(dtype=object))
        self.counts = {t: _count_fields(s) for t, s in specs().items()}
        self.money = {t for t, s in specs().items() if s.kind == "money"}

    def row(self, i: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        tname = self.cells["type"][i] if "type" in self.cells else None
        tname = tname.item() if isinstance(tname, np.generic) else tname
        counts = self.counts.get(tname, set()) if isinstance(tname, str) else set()
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


def _row_dict(df: pd.DataFrame, i: int, counts: dict[str, set[str]] | None = None
              ) -> dict[str, Any]:
    """Row ``i`` of ``df`` as the dict calculate() would be given (see ``_RowReader``)."""
    return _RowReader(df).row(i)


def _per_row(fr: _Frame) -> None:
    """The rows that need the full path: each computed like calculate() does (deduplicated)."""
    rows = np.flatnonzero(fr.full)
    if rows.size == 0:
        return
    reader = _RowReader(fr.df)
    done: dict[Any, tuple[float, int]] = {}
    for i in rows:
        raw = reader.row(int(i))
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


def _assemble(fr: _Frame, prefix: str) -> pd.DataFrame:
    """Input columns + results; the text columns are categoricals built from the outcome ids."""
    import pandas as pd

    out = fr.df.copy(deep=False)
    out[prefix + "tco2e"] = fr.tco2e
    for pos, name in enumerate(OUTPUT_COLUMNS[1:]):
        labels: dict[Any, int] = {}
        codes = [-1 if (v := o[pos]) is None else labels.setdefault(v, len(labels))
                 for o in fr.outcomes.rows]
        dtype = np.int8 if len(labels) < 127 else np.int16 if len(labels) < 32767 else np.int32
        mapping = np.array(codes, dtype=dtype)
        cats = pd.Index(list(labels), dtype=object)
        out[prefix + name] = pd.Categorical.from_codes(np.take(mapping, fr.outcome),
                                                       categories=cats, validate=False)
    return out

