"""calculate(): validate -> match -> multiply (precomputed unit factors) -> sum -> offset."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, Literal

from ._matching import match
from .activities import ActivityBase, validate_many
from .errors import ActivityError, CarbonFootprintError, OffsetPolicyError
from .offsets import OffsetPolicy, credits_for
from .results import CATEGORIES, ErrorLine, Footprint, LineItem, QuantityUsed, TableUsed
from .tables import LoadedTable, TableSet, resolve_tables

__all__ = ["calculate"]

_construct_line = LineItem.model_construct
_construct_qty = QuantityUsed.model_construct


def _version() -> str:
    from . import __version__

    return __version__


def _policy(offset: Any) -> OffsetPolicy:
    if offset is None:
        return OffsetPolicy()
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


def calculate(
    activities: Iterable[Any],
    factors: str | LoadedTable | Iterable[str | LoadedTable] | TableSet | None = None,
    offset: OffsetPolicy | dict[str, Any] | None = None,
    errors: Literal["raise", "collect"] = "raise",
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
    tset = resolve_tables(factors)
    policy = _policy(offset)
    collect = errors == "collect"

    lines: list[LineItem | ErrorLine] = []
    totals = dict.fromkeys(CATEGORIES, 0.0)
    parts: dict[str, list[float]] = {c: [] for c in CATEGORIES}
    used: dict[str, None] = {}
    rejected = 0
    for i, item in enumerate(validate_many(raws)):
        try:
            if isinstance(item, ActivityError):
                raise item
            cf, amount, unit, notices = match(item, tset)
        except ActivityError as exc:
            exc.activity_type = exc.activity_type or getattr(item, "type", None)
            exc.with_index(i)
            if not collect:
                raise
            lines.append(_error_line(exc, raws[i], i))
            rejected += 1
            continue
        t = amount * cf.t_per_unit
        if not math.isfinite(t):  # cannot happen with bounded inputs; never return a silent inf
            raise CarbonFootprintError(f"activity #{i}: non-finite result")
        cat = item.reporting_category
        parts[cat].append(t)
        used[cf.ref.table] = None
        lines.append(_construct_line(
            status="ok", index=i, type=item.type,  # type: ignore[attr-defined]
            category=cat,  # type: ignore[arg-type]
            label=item.label, tco2e=t, gas_basis=cf.gas_basis,
            quantity=_construct_qty(value=amount, unit=unit), factor=cf.ref, notices=notices,
        ))
    for cat in CATEGORIES:
        totals[cat] = math.fsum(parts[cat])
    by_category = {c: v for c, v in totals.items() if parts[c]}
    total = math.fsum(by_category.values())
    members = {t.id: t for t in tset}
    tables_used = [
        TableUsed(id=m.meta.id, title=m.meta.title, edition=m.meta.edition,
                  revision=m.meta.revision, sha256=m.sha256, gwp=m.meta.gwp,
                  verified=m.meta.verified)
        for tid in used for m in (members[tid],)
    ]
    return Footprint.model_construct(
        total_tco2e=total, by_category=by_category, lines=lines, rejected=rejected,
        offset=credits_for(total, policy), tables=tables_used, table_set=list(tset.ids),
        library_version=_version(),
    )
