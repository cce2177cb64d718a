"""calculate(): validate -> match -> multiply (precomputed unit factors) -> sum -> offset."""

from __future__ import annotations

import gc
import math
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, Literal

from pydantic import ValidationError

from ._gwp import check_gwp, regwp
from ._matching import MATCHERS
from ._models import fast_constructor
from .activities import ActivityBase, activity_adapter, activity_error, validate_activity
from .errors import ActivityError, CarbonFootprintError, OffsetPolicyError
from .offsets import OffsetPolicy, credits_for
from .results import CATEGORIES, ErrorLine, Footprint, LineItem
from .tables import LoadedTable, TableSet, resolve_tables, tables_on

__all__ = ["calculate"]

_tuple_new = tuple.__new__
_new_footprint = fast_constructor(Footprint)
_DEFAULT_POLICY = OffsetPolicy()


def _version() -> str:
    from . import __version__

    return __version__


def _policy(offset: Any) -> OffsetPolicy:
    if offset is None:
        return _DEFAULT_POLICY
    if isinstance(offset, OffsetPolicy):
        return offset
    if isinstance(offset, dict):
        from pydantic import ValidationError

        try:
            return OffsetPolicy.model_validate(offset)
        except ValidationError as exc:
            e = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in e["loc"]) or "policy"
            raise OffsetPolicyError(f"offset {where}: {e['msg']}; got {e.get('input')!r}"
                                    ) from None
    raise OffsetPolicyError(f"offset must be an OffsetPolicy, a dict or None; got "
                            f"{type(offset).__name__}")


def _error_line(exc: ActivityError, raw: Any, index: int) -> ErrorLine:
    d = exc.to_dict()
    atype = raw.get("type") if isinstance(raw, dict) else getattr(raw, "type", None)
    return ErrorLine(index=index, type=atype if isinstance(atype, str) else None,
                     error=d["error"], message=d["message"], field=d["field"],
                     value=d["value"], expected=d["expected"],
                     suggestions=d.get("suggestions", []))


_GC_LOCK = threading.Lock()
_GC_STATE = {"depth": 0, "was_enabled": False}
#: Batches at least this long run with Python's cyclic garbage collector paused (see
#: ``_batch_gc``); set ``CARBON_FOOTPRINT_BATCH_GC=0`` to never pause it.
GC_PAUSE_MIN_ITEMS = 20_000


@contextmanager
def _batch_gc(n: int) -> Iterator[None]:
    """Pause the cyclic GC while a large batch builds its lines, then restore it.

    A batch of N inputs creates 2N long-lived objects (each line and its dict); the collector
    would traverse them over and over as they pile up (measured ~30 % of calculate() on 100,000
    inputs). calculate() creates no reference cycles, so nothing is lost by collecting once at
    the end instead. Nested and concurrent batches share one pause (a counter under a lock);
    the previous GC state is restored when the last one ends. Small batches (web requests)
    never touch the GC.
    """
    if n < GC_PAUSE_MIN_ITEMS or os.environ.get("CARBON_FOOTPRINT_BATCH_GC", "1") == "0":
        yield
        return
    with _GC_LOCK:
        if _GC_STATE["depth"] == 0:
            _GC_STATE["was_enabled"] = gc.isenabled()
            gc.disable()
        _GC_STATE["depth"] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_STATE["depth"] -= 1
            if _GC_STATE["depth"] == 0 and _GC_STATE["was_enabled"]:
                gc.enable()


def _lines(raws: list[Any], tset: TableSet, collect: bool, gwp: str | None
           ) -> tuple[list[LineItem | ErrorLine], dict[str, list[float]], dict[str, None], int]:
    """validate -> match -> line, one input at a time (no list of validated models is kept)."""
    lines: list[LineItem | ErrorLine] = []
    parts: dict[str, list[float]] = {c: [] for c in CATEGORIES}
    used: dict[str, None] = {}
    rejected = 0
    validate = activity_adapter().validator.validate_python
    matchers = MATCHERS
    tuple_new = _tuple_new
    line_type = LineItem
    append = lines.append
    regwp_cache: dict[int, tuple[float, Any, str | None]] = {}
    for i, raw in enumerate(raws):
        try:
            if type(raw) is dict:
                try:
                    item = validate(raw)
                except ValidationError as verr:
                    raise activity_error(verr, raw, i) from None
            else:
                item = validate_activity(raw, i)
            cf, amount, unit, notices = matchers[type(item)](item, tset)
            t_per_unit, ref = cf.t_per_unit, cf.ref
            if gwp is not None:
                hit = regwp_cache.get(id(cf))
                if hit is None:
                    hit = regwp_cache[id(cf)] = regwp(cf, gwp)
                t_per_unit, ref, note = hit
                if note:
                    notices = (*notices, note)
        except ActivityError as exc:
            if exc.activity_type is None and isinstance(raw, dict):
                atype = raw.get("type")
                exc.activity_type = atype if isinstance(atype, str) else None
            exc.with_index(i)
            if not collect:
                raise
            append(_error_line(exc, raw, i))
            rejected += 1
            continue
        t = amount * t_per_unit
        cat = item.reporting_category
        parts[cat].append(t)
        used[cf.table_id] = None
        append(tuple_new(line_type, ("ok", i, item.type, cat, item.label, t, cf.gas_basis,
                                     amount, unit, ref, notices)))
    return lines, parts, used, rejected


def calculate(
    activities: Iterable[Any],
    factors: str | LoadedTable | Iterable[str | LoadedTable] | TableSet | None = None,
    offset: OffsetPolicy | dict[str, Any] | None = None,
    errors: Literal["raise", "collect"] = "raise",
    *,
    on: date | None = None,
    gwp: Literal["AR4", "AR5", "AR6"] | None = None,
) -> Footprint:
    """Calculate the carbon footprint of activities and the credits needed to offset it.

    Parameters
    ----------
    activities : iterable of activity models or JSON-like dicts
        Each dict has a ``"type"`` (flight, rail, car, taxi, bus, metro, hotel, meal, food,
        purchase, electricity) and that type's fields; see docs/activities.md.
    factors : str, loaded table, list of them, or None
        ``None`` uses the pinned default tables (``carbon_footprint.DEFAULT_TABLES``); a table id
        such as ``"desnz-2024"``; a table from :func:`carbon_footprint.load_table`; or a list,
        in priority order.
    offset : OffsetPolicy or dict, optional
        Credit size, rounding, buffer and price; default one whole credit per tCO2e, rounded up.
    errors : {"raise", "collect"}
        ``raise`` (default) raises on the first invalid activity; ``collect`` returns every
        input in order, as a calculated line or an error entry.
    on : datetime.date, optional
        Instead of the pinned defaults, use for each publisher of the default set the edition in
        force on that date (only with ``factors=None``); the choice is listed in ``notes``.
    gwp : {"AR4", "AR5", "AR6"}, optional
        Express every line's CO2e in this GWP100 set, recomputed from the table's published gas
        split; a line whose factor has no split raises ``GwpError``. Default: each table's own.

    Returns
    -------
    Footprint
        ``total_tco2e`` [t], ``by_category``, one line per input with the factor's provenance,
        the tables used and ``offset`` (credits required).

    Raises
    ------
    ActivityError
        With ``errors="raise"``: the first invalid activity, naming its index and field.
    TableError, OffsetPolicyError, CarbonFootprintError
        For bad ``factors``, ``offset`` or ``errors`` arguments.

    Examples
    --------
    >>> from carbon_footprint import calculate
    >>> fp = calculate([{"type": "hotel", "nights": 2, "country": "CN"}])
    >>> round(fp.total_tco2e, 4), fp.offset.credits
    (0.107, 1)
    """
    if errors not in ("raise", "collect"):
        raise CarbonFootprintError(f"errors must be 'raise' or 'collect'; got {errors!r}")
    if isinstance(activities, (dict, str, bytes, ActivityBase)):
        raise CarbonFootprintError(
            "activities must be an iterable of activities (a list), not a single "
            f"{type(activities).__name__}; wrap it in a list")
    try:
        raws = list(activities)
    except TypeError:
        raise CarbonFootprintError(
            f"activities must be an iterable of activities; got {type(activities).__name__}"
        ) from None
    gwp_set = check_gwp(gwp)
    set_notes: list[str] = []
    if on is not None:
        if factors is not None:
            raise CarbonFootprintError("give factors or on (a date), not both")
        factors, set_notes = tables_on(on)
    tset = resolve_tables(factors)
    policy = _policy(offset)
    collect = errors == "collect"

    with _batch_gc(len(raws)):
        lines, parts, used, rejected = _lines(raws, tset, collect, gwp_set)
    by_category = {c: math.fsum(parts[c]) for c in CATEGORIES if parts[c]}
    total = math.fsum(by_category.values())
    if not math.isfinite(total):  # inputs and factors are bounded: never return a silent inf
        raise CarbonFootprintError(f"non-finite total {total!r}")
    summaries = tset.summaries
    fp: Footprint = _new_footprint({
        "total_tco2e": total, "by_category": by_category, "lines": lines, "rejected": rejected,
        "offset": credits_for(total, policy), "tables": [summaries[tid] for tid in used],
        "table_set": list(tset.ids), "notes": set_notes, "library_version": _version(),
    })
    return fp
