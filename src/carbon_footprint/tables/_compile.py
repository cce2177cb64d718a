"""Compiling a parsed table file into a :class:`Table`: checks against the activity registry,
unit conversion to tonnes per canonical activity unit, and the factor index.

Checks (each a :class:`~carbon_footprint.errors.TableError` naming the file and the factor):
the activity is registered; the factor carries exactly that activity's selectors (and a region
or codes only where the activity has them); its unit parses (through the unit guard) and is a
mass of CO2e or CO2 per one of the activity's units; the value is plausible (at most
:data:`MAX_T_PER_UNIT` tonnes per canonical unit); the gas split sums to the total within the
source's rounding (relative tolerance); ids and keys are unique; band schemes rise and end open;
fallbacks name real selectors.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from .._cache import BoundedCache
from .._notices import Notice, notice
from .._registry import spec_of, specs
from .._text import brief
from ..errors import TableError
from ..units import (
    KINDS,
    SEED_TABLE_UNITS,
    UnitError,
    check_unit_text,
    get_registry,
    parse_quantity,
    seed,
)
from ._provenance import FactorRef, GasBasis, TableRef
from ._schema import Factor, FactorTable

__all__ = ["MAX_T_PER_UNIT", "CompiledFactor", "Table", "compile_table", "factor_key"]

#: Largest plausible factor [t CO2e per canonical activity unit]; larger is refused at load.
MAX_T_PER_UNIT = 100.0


@dataclass(frozen=True, slots=True)
class CompiledFactor:
    """A factor ready for arithmetic: tonnes of gas per canonical activity unit."""

    factor: Factor
    ref: FactorRef
    per_unit: str  # canonical activity unit: passenger_km, km, room_night, meal, kg, USD, kWh
    t_per_unit: float  # tonnes (CO2e or CO2) per canonical activity unit
    gas_basis: GasBasis
    gases_t: dict[str, float] | None  # per-gas tonnes CO2e per canonical unit
    table_id: str
    #: what every line using this factor must say (derived number; CO2 only)
    notices: tuple[Notice, ...] = ()


@dataclass(frozen=True, eq=False)
class Table:
    """A validated factor table with its compiled index (what ``load_table`` returns)."""

    meta: FactorTable
    sha256: str
    index: dict[tuple[Any, ...], CompiledFactor]
    #: (activity, scheme) -> (selector, ((band, route, upper bound in canonical units), ...))
    bands: dict[tuple[str, str], tuple[str, tuple[tuple[str, str | None, float | None], ...]]] \
        = field(default_factory=dict)
    #: (activity, code name, code) -> factor key
    codes: dict[tuple[str, str, str], tuple[Any, ...]] = field(default_factory=dict)
    ref: TableRef | None = None
    #: upstream (well-to-tank) factors, keyed like ``index``
    upstream: dict[tuple[Any, ...], CompiledFactor] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.meta.id


def factor_key(activity: str, selectors: dict[str, Any], region: str | None) -> tuple[Any, ...]:
    spec = spec_of(activity)
    assert spec is not None
    return (activity, *(selectors[k] for k in spec.selectors), region)


_UNITS: BoundedCache[tuple[str, tuple[str, ...]], tuple[str, float, GasBasis]] = BoundedCache(
    "table units", 1_024)


def compile_unit(unit: str, per_units: tuple[str, ...]) -> tuple[str, float, GasBasis]:
    """(per unit, factor to tonnes per canonical unit, gas basis) for a factor unit."""
    hit = _UNITS.get((unit, per_units))
    if hit is not None:
        return hit
    if seed() and (unit, per_units) in SEED_TABLE_UNITS:
        seeded = SEED_TABLE_UNITS[(unit, per_units)]
        return _UNITS.put((unit, per_units), seeded)  # type: ignore[arg-type]
    try:
        text = check_unit_text(unit)
    except UnitError as exc:
        raise ValueError(f"unit {unit!r} is not a unit expression this library accepts "
                         f"({exc.params.get('reason')})") from None
    reg = get_registry()
    try:
        q = reg.Quantity(1.0, reg.parse_units(text))
    except Exception:
        raise ValueError(f"unknown unit {unit!r}") from None
    for basis in ("CO2e", "CO2"):
        for per in per_units:
            target = reg.parse_units(f"t {basis} / {per}")
            if q.dimensionality == target.dimensionality:
                out = (per, float(q.to(target).magnitude), basis)
                return _UNITS.put((unit, per_units), out)  # type: ignore[arg-type]
    allowed = " or ".join(f"'kg CO2e / {p}'" for p in per_units)
    raise ValueError(f"unit {unit!r} is not a mass of CO2e or CO2 per {'/'.join(per_units)}; "
                     f"expected e.g. {allowed}")


def _factor_notices(f: Factor, basis: str, meta: FactorTable) -> tuple[Notice, ...]:
    out = []
    if f.derived:
        out.append(notice("derived", note=f.note or f.source_ref))
    if basis == "CO2":
        out.append(notice("co2_only"))
    if not meta.verified:
        out.append(notice("unverified", table=meta.id))
    return tuple(out)


def _schema_error(exc: ValidationError, data: dict[str, Any], source: str) -> TableError:
    err = exc.errors()[0]
    loc = list(err["loc"])
    factor_id = None
    if len(loc) >= 2 and loc[0] == "factors" and isinstance(loc[1], int):
        items = data.get("factors")
        if isinstance(items, list) and loc[1] < len(items) and isinstance(items[loc[1]], dict):
            factor_id = str(items[loc[1]].get("id", f"#{loc[1]}"))[:200]
    where = ".".join(str(p) for p in loc)
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    got = "" if err["type"] == "missing" else f"; got {brief(err.get('input'))}"
    return TableError(f"{where}: {err['msg']}{got}{more}", source=source, factor_id=factor_id)


def _bands(meta: FactorTable, source: str) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    for scheme in meta.bands:
        spec = spec_of(scheme.activity)
        if spec is None or spec.kind is None:
            raise TableError(f"bands: activity {scheme.activity!r} has no quantity to band by",
                             source=source)
        if scheme.selector not in spec.selectors:
            raise TableError(f"bands: {scheme.selector!r} is not a selector of "
                             f"{scheme.activity}", source=source)
        kind = KINDS[spec.kind]
        rows = []
        for b in scheme.bands:
            below = None
            if b.below is not None:
                try:
                    below = parse_quantity(b.below, kind).value
                except Exception as exc:
                    raise TableError(f"bands: {exc}", source=source) from None
            rows.append((b.band, b.route, below))
        for route in {r for _, r, _ in rows} | {None}:
            applies = [below for _, r, below in rows if r is None or r == route]
            if not applies:
                continue
            bounds = [b for b in applies if b is not None]
            if bounds != sorted(bounds) or len(set(bounds)) != len(bounds) \
                    or applies[-1] is not None:
                raise TableError(f"bands: scheme {scheme.scheme!r} of {scheme.activity} must "
                                 "rise and end with an open band (below: null) on every route",
                                 source=source)
        key = (scheme.activity, scheme.scheme)
        if key in out:
            raise TableError(f"bands: scheme {scheme.scheme!r} of {scheme.activity} given "
                             "twice", source=source)
        out[key] = (scheme.selector, tuple(rows))
    return out


def compile_table(data: Any, source: str, raw: bytes) -> Table:
    """Validate parsed YAML ``data`` (read from ``source``, bytes ``raw``) into a Table."""
    if not isinstance(data, dict):
        raise TableError("a factor table must be a YAML mapping", source=source)
    try:
        meta = FactorTable.model_validate(data)
    except ValidationError as exc:
        raise _schema_error(exc, data, source) from None
    sha = hashlib.sha256(raw).hexdigest()
    registered = specs()
    for fb in meta.fallbacks:
        spec = registered.get(fb.activity)
        if spec is None or not set(fb.when) | set(fb.use) <= set(spec.selectors):
            raise TableError(f"fallbacks: {fb.activity!r} rule names selectors the activity "
                             "does not have", source=source)
    for act in meta.default_regions:
        spec = registered.get(act)
        if spec is None or spec.region_field is None:
            raise TableError(f"default_regions: activity {act!r} has no region", source=source)
    bands = _bands(meta, source)
    index: dict[tuple[Any, ...], CompiledFactor] = {}
    upstream: dict[tuple[Any, ...], CompiledFactor] = {}
    codes: dict[tuple[str, str, str], tuple[Any, ...]] = {}
    seen_ids: set[str] = set()
    for f in meta.factors:
        if f.id in seen_ids:
            raise TableError("duplicate factor id", source=source, factor_id=f.id)
        seen_ids.add(f.id)
        spec = registered.get(f.activity)
        if spec is None:
            raise TableError(f"unknown activity {f.activity!r}; known: "
                             f"{', '.join(sorted(registered))}", source=source, factor_id=f.id)
        if set(f.selectors) != set(spec.selectors):
            raise TableError(f"selectors {sorted(f.selectors)} do not match activity "
                             f"{f.activity!r}, which needs {list(spec.selectors)}",
                             source=source, factor_id=f.id)
        if f.region is not None and spec.region_field is None:
            raise TableError(f"activity {f.activity!r} has no region dimension",
                             source=source, factor_id=f.id)
        if not set(f.codes) <= set(spec.codes):
            raise TableError(f"codes {sorted(f.codes)} are not codes of {f.activity!r} "
                             f"({list(spec.codes) or 'none'})", source=source, factor_id=f.id)
        try:
            per_unit, scale, basis = compile_unit(f.unit, spec.per)
        except ValueError as exc:
            raise TableError(str(exc), source=source, factor_id=f.id) from None
        t_per_unit = f.value * scale
        if not t_per_unit <= MAX_T_PER_UNIT:
            raise TableError(f"value {f.value:g} {f.unit} is implausible (more than "
                             f"{MAX_T_PER_UNIT:g} t per {per_unit})", source=source,
                             factor_id=f.id)
        if spec.kind == "money" and (meta.price_year is None or per_unit != meta.currency):
            raise TableError(f"a spend factor must be per the table's currency "
                             f"({meta.currency}) with a price_year; it is per {per_unit}",
                             source=source, factor_id=f.id)
        gases_t: dict[str, float] | None = None
        if f.gases is not None:
            total = math.fsum(f.gases.values())
            # the source's rounding (5 d.p. of a kg per unit, DESNZ) plus 0.1 % of the total
            kg_scale = scale * 1000.0
            tolerance = 1e-3 * f.value + (1e-5 * len(f.gases) / kg_scale if kg_scale else 0.0)
            if not abs(total - f.value) <= tolerance:
                raise TableError(f"gas split sums to {total:.6g}, not the total {f.value:.6g}",
                                 source=source, factor_id=f.id)
            gases_t = {g: v * scale for g, v in f.gases.items()}
        region = f.region.upper() if f.region else None
        key = (f.activity, *(f.selectors[k] for k in spec.selectors), region)
        target = upstream if f.scope == "upstream" else index
        if key in target:
            raise TableError(f"same activity, selectors, region and scope as factor "
                             f"{target[key].factor.id!r}", source=source, factor_id=f.id)
        for name, code in f.codes.items():
            codes.setdefault((f.activity, name, code.strip().lower()), key)
        ref = FactorRef(
            table=meta.id, edition=meta.edition, revision=meta.revision, table_sha256=sha,
            factor_id=f.id, value=f.value, unit=f.unit,
            gwp=meta.gwp if basis == "CO2e" else None, gas_basis=basis, region=region,
            scope=f.scope, source=meta.source.title, source_ref=f.source_ref,
            derived=f.derived, verified=meta.verified,
        )
        target[key] = CompiledFactor(f, ref, per_unit, t_per_unit, basis, gases_t, meta.id,
                                     _factor_notices(f, basis, meta))
    table_ref = TableRef(id=meta.id, title=meta.title, edition=meta.edition,
                         revision=meta.revision, sha256=sha, gwp=meta.gwp,
                         verified=meta.verified)
    return Table(meta, sha, index, bands, codes, table_ref, upstream)
