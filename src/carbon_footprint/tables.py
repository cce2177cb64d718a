"""Factor tables: schema, safe loading, validation, caching and the list of bundled tables.

A factor table is one YAML file per source and edition (``factors/desnz/2024.yaml`` has the id
``desnz-2024``). Its metadata names the publisher, edition, revision, source file and its sha256,
licence and attribution, region, GWP set and validity; each factor has a stable id, the activity it
serves, its selectors, a value with a pint unit, the per-gas split where published and a reference
to where in the source it came from. See ``docs/factor-tables.md`` for the format.

Tables are loaded lazily, validated with pydantic on load (strict numbers, units that parse and
match the activity's dimension, unique ids and selector sets) and cached behind a lock.
This module knows the table format and the activity *keys* a table may serve; it knows nothing of
the activity models.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
)

from ._yaml import MAX_BYTES, load_yaml_bytes
from .errors import TableError, UnknownTableError, _short
from .units import get_registry

__all__ = [
    "ACTIVITY_KEYS",
    "DEFAULT_TABLES",
    "CompiledFactor",
    "Factor",
    "FactorRef",
    "FactorTable",
    "TableSet",
    "bundled_table_ids",
    "clear_caches",
    "get_table",
    "load_table",
    "resolve_tables",
    "tables",
]

#: Table ids used when ``factors=None``. Pinned per library release; changing it is a CHANGELOG
#: entry. Order is priority: for a given factor key the first table that has it wins.
DEFAULT_TABLES: tuple[str, ...] = (
    "desnz-2024",
    "mee-grid-2023",
    "ademe-2024",
    "scarborough-2014",
    "poore-nemecek-2018",
    "useeio-1.3.0",
)

#: The activity keys a table may serve: the selectors each factor must carry (in key order) and
#: the activity units its value may be expressed per (the factor unit's denominator).
ACTIVITY_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "flight": (("band", "cabin", "radiative_forcing"), ("passenger_km",)),
    "rail": (("service",), ("passenger_km",)),
    "bus": (("service",), ("passenger_km",)),
    "metro": (("service",), ("passenger_km",)),
    "taxi": (("service", "basis"), ("passenger_km", "km")),
    "car": (("size", "fuel"), ("km",)),
    "motorbike": (("size",), ("km",)),
    "hotel": (("country",), ("room_night",)),
    "meal": (("diet",), ("meal",)),
    "food": (("item",), ("kg",)),
    "purchase": (("sector",), ("USD",)),
    "electricity": (("region",), ("kWh",)),
}

Gwp = Literal["AR4", "AR5", "AR6"]
GasBasis = Literal["CO2e", "CO2"]
_PACKAGE_FACTORS = files("carbon_footprint").joinpath("factors")
_REPO_FACTORS = Path(__file__).resolve().parents[2] / "factors"
_RATE_DIR = "rates"


def factors_root() -> Path:
    """The folder holding the bundled tables (inside the wheel, or the repo's ``factors/``)."""
    packaged = Path(str(_PACKAGE_FACTORS))
    return packaged if packaged.is_dir() else _REPO_FACTORS


NonNegFloat = Annotated[StrictFloat, Field(ge=0.0, allow_inf_nan=False)]


class Source(BaseModel):
    """Where a table's numbers come from."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    title: StrictStr
    url: StrictStr
    file: StrictStr = Field(description="file name of the published document that was read")
    sha256: StrictStr = Field(pattern=r"^[0-9a-f]{64}$")
    version: StrictStr | None = None
    extract: StrictStr | None = Field(
        None, description="intermediate extract read by the import script, if not the file itself"
    )
    extract_sha256: StrictStr | None = Field(None, pattern=r"^[0-9a-f]{64}$")


class FlightBand(BaseModel):
    """A distance band for flights: applies below ``below`` (a length), or beyond the last."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    band: StrictStr
    below: StrictStr | None = Field(None, description="upper bound, e.g. '300 mi'; null = none")


class Factor(BaseModel):
    """One emission factor."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    id: StrictStr = Field(pattern=r"^[a-z0-9_][a-z0-9_.\-]*$", max_length=200)
    activity: StrictStr
    selectors: dict[StrictStr, StrictStr | StrictBool]
    value: NonNegFloat
    unit: StrictStr = Field(max_length=100)
    gases: dict[Literal["CO2", "CH4", "N2O"], NonNegFloat] | None = Field(
        None, description="per-gas split in the same unit (kg CO2e of each gas), where published"
    )
    source_ref: StrictStr = Field(min_length=1, description="where in the source: sheet, row id")
    derived: StrictBool = Field(
        False, description="true when the number is this library's derivation, not published"
    )
    note: StrictStr | None = None


class FactorTable(BaseModel):
    """A versioned factor table (one YAML file)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    schema_version: Literal[1]
    id: StrictStr = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9.]+)+$")
    title: StrictStr
    publisher: StrictStr
    edition: StrictStr
    revision: StrictInt = Field(ge=1)
    published: StrictStr = Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    source: Source
    licence: StrictStr
    attribution: StrictStr
    region: StrictStr
    gwp: Gwp | None = Field(description="GWP100 set behind CO2e values; null for CO2-only tables")
    valid_from: StrictStr = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    valid_to: StrictStr | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    currency: StrictStr | None = None
    price_year: StrictInt | None = None
    verified: StrictBool = True
    generated_by: StrictStr | None = Field(None, description="script that wrote the file")
    notes: list[StrictStr] = []
    flight_bands: list[FlightBand] | None = Field(
        None, description="flight bands by great-circle distance (e.g. EPA); without it, flights "
        "use DESNZ's route bands (domestic, short/long haul to/from the UK, international)")
    region_parents: dict[StrictStr, StrictStr] = Field(
        default_factory=dict, description="region -> the larger region whose factor applies "
        "when it has none of its own (e.g. province -> regional grid); recorded on the line")
    factors: list[Factor] = Field(min_length=1)

    @field_validator("valid_from", "valid_to")
    @classmethod
    def _is_date(cls, v: str | None) -> str | None:
        if v is not None:
            date.fromisoformat(v)
        return v


class FactorRef(BaseModel):
    """Provenance of the factor behind a result line."""

    model_config = ConfigDict(frozen=True)

    table: str
    edition: str
    revision: int
    table_sha256: str = Field(description="sha256 of the table file's bytes")
    factor_id: str
    value: float
    unit: str
    gwp: str | None
    gas_basis: Literal["CO2e", "CO2"]
    source: str
    source_ref: str
    derived: bool = False
    verified: bool = True
    recomputed_from_gwp: str | None = Field(
        None, description="set when the CO2e was re-expressed from the gas split (gwp=...)")


@dataclass(frozen=True, slots=True)
class CompiledFactor:
    """A factor ready for arithmetic: tonnes of gas per canonical activity unit."""

    factor: Factor
    ref: FactorRef
    per_unit: str  # canonical activity unit: passenger_km, km, room_night, meal, kg, USD, kWh
    t_per_unit: float  # tonnes (CO2e or CO2) per canonical activity unit
    gas_basis: Literal["CO2e", "CO2"]
    gases_t: dict[str, float] | None  # per-gas tonnes CO2e per canonical unit
    table_id: str
    #: what every line using this factor must say (a derived per-meal number; CO2 only)
    notices: tuple[str, ...] = ()


def _factor_notices(f: Factor, basis: str) -> tuple[str, ...]:
    out = []
    if f.derived and f.activity == "meal":
        out.append(f"derived, not published: {f.note or f.source_ref}")
    if basis == "CO2":
        out.append("grid factor is CO2 only (not CO2e), as published; counted in the total")
    return tuple(out)


@dataclass(frozen=True)
class LoadedTable:
    """A validated table with its compiled index."""

    meta: FactorTable
    sha256: str
    index: dict[tuple[Any, ...], CompiledFactor]
    #: meta.flight_bands with each bound in km: ((band, upper bound km or None), ...)
    flight_bands: tuple[tuple[str, float | None], ...] | None = None

    @property
    def id(self) -> str:
        return self.meta.id


@lru_cache(maxsize=1024)
def _compile_unit(unit: str, per_units: tuple[str, ...]) -> tuple[str, float, GasBasis]:
    """Return (per_unit, factor to tonnes per canonical unit, gas basis) for a factor unit."""
    reg = get_registry()
    q = reg.Quantity(1.0, reg.parse_units(unit))
    bases: tuple[GasBasis, ...] = ("CO2e", "CO2")
    for basis in bases:
        for per in per_units:
            target = reg.parse_units(f"t {basis} / {per}")
            if q.dimensionality == target.dimensionality:
                return per, float(q.to(target).magnitude), basis
    allowed = " or ".join(f"'kg CO2e / {p}'" for p in per_units)
    raise ValueError(f"unit {unit!r} is not a mass of CO2e or CO2 per {'/'.join(per_units)}; "
                     f"expected e.g. {allowed}")


def _length_km(text: str, source: str) -> float:
    from .units import DISTANCE, parse_quantity

    try:
        return parse_quantity(text, DISTANCE).value
    except Exception as exc:
        raise TableError(f"flight_bands: {exc}", source=source) from None


def _validate(data: Any, source: str, raw: bytes) -> LoadedTable:
    if not isinstance(data, dict):
        raise TableError("a factor table must be a YAML mapping", source=source)
    try:
        meta = FactorTable.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = list(err["loc"])
        factor_id = None
        if len(loc) >= 2 and loc[0] == "factors" and isinstance(loc[1], int):
            items = data.get("factors")
            if isinstance(items, list) and loc[1] < len(items) and isinstance(items[loc[1]], dict):
                factor_id = str(items[loc[1]].get("id", f"#{loc[1]}"))
        where = ".".join(str(p) for p in loc)
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        got = "" if err["type"] == "missing" else f"; got {_short(err.get('input'))}"
        raise TableError(
            f"{where}: {err['msg']}{got}{more}",
            source=source, factor_id=factor_id,
        ) from None
    sha = hashlib.sha256(raw).hexdigest()
    bands: tuple[tuple[str, float | None], ...] | None = None
    if meta.flight_bands:
        bands = tuple((b.band, None if b.below is None else _length_km(b.below, source))
                      for b in meta.flight_bands)
        bounds = [km for _, km in bands if km is not None]
        if bounds != sorted(bounds) or bands[-1][1] is not None:
            raise TableError("flight_bands must rise and end with an open band (below: null)",
                             source=source)
    index: dict[tuple[Any, ...], CompiledFactor] = {}
    seen_ids: set[str] = set()
    for f in meta.factors:
        if f.id in seen_ids:
            raise TableError("duplicate factor id", source=source, factor_id=f.id)
        seen_ids.add(f.id)
        spec = ACTIVITY_KEYS.get(f.activity)
        if spec is None:
            raise TableError(
                f"unknown activity {f.activity!r}; known: {', '.join(sorted(ACTIVITY_KEYS))}",
                source=source, factor_id=f.id,
            )
        keys, per_units = spec
        if set(f.selectors) != set(keys):
            raise TableError(
                f"selectors {sorted(f.selectors)} do not match activity {f.activity!r}, "
                f"which needs {list(keys)}",
                source=source, factor_id=f.id,
            )
        try:
            per_unit, scale, basis = _compile_unit(f.unit, per_units)
        except Exception as exc:
            raise TableError(str(exc), source=source, factor_id=f.id) from None
        if f.activity == "purchase" and meta.price_year is None:
            raise TableError("a spend table needs price_year", source=source, factor_id=f.id)
        if f.activity == "purchase" and per_unit != meta.currency:
            raise TableError(
                f"spend factor unit is per {per_unit} but the table currency is {meta.currency}",
                source=source, factor_id=f.id,
            )
        gases_t: dict[str, float] | None = None
        if f.gases is not None:
            total = sum(f.gases.values())
            # DESNZ rounds each column to 5 d.p.; allow that rounding plus 0.1 %.
            tolerance = 1e-5 * len(f.gases) + 1e-3 * f.value
            if not math.isclose(total, f.value, abs_tol=tolerance):
                raise TableError(
                    f"gas split sums to {total:.6g}, not the total {f.value:.6g}",
                    source=source, factor_id=f.id,
                )
            gases_t = {g: v * scale for g, v in f.gases.items()}
        key = (f.activity, *(f.selectors[k] for k in keys))
        if key in index:
            raise TableError(
                f"same activity and selectors as factor {index[key].factor.id!r}",
                source=source, factor_id=f.id,
            )
        ref = FactorRef(
            table=meta.id, edition=meta.edition, revision=meta.revision, table_sha256=sha,
            factor_id=f.id, value=f.value, unit=f.unit,
            gwp=meta.gwp if basis == "CO2e" else None, gas_basis=basis,
            source=meta.source.title, source_ref=f.source_ref, derived=f.derived,
            verified=meta.verified,
        )
        index[key] = CompiledFactor(f, ref, per_unit, f.value * scale, basis, gases_t, meta.id,
                                    _factor_notices(f, basis))
    return LoadedTable(meta, sha, index, bands)


def load_table(path: str | Path, *, replace: bool = False) -> LoadedTable:
    """Load and validate a factor table from a YAML file.

    The result can be passed to ``calculate(factors=...)``, alone or in a list with bundled ids.
    A table whose id is also a bundled table's id is refused unless ``replace=True`` says that it
    is meant to stand in for the bundled one (results then carry its own sha256).

    Raises
    ------
    TableError
        For unsafe or malformed YAML, schema violations, bad units or inconsistent factors,
        naming the file and, where one is at fault, the factor id.
    """
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:  # refuse before reading (load_yaml_bytes checks bytes it is given)
            raise TableError(f"file is {size} bytes; the limit is {MAX_BYTES}", source=str(p))
        raw = p.read_bytes()
    except OSError as exc:
        raise TableError(f"cannot read file: {exc.strerror}", source=str(p)) from None
    table = _validate(load_yaml_bytes(raw, str(p)), str(p), raw)
    if not replace and table.id in _bundled_paths():
        bundled = _bundled_paths()[table.id].resolve()
        if bundled != p.resolve():
            raise TableError(
                f"table id {table.id!r} is also a bundled table's id; rename it, or pass "
                "replace=True to use it in place of the bundled one", source=str(p))
    return table


# --------------------------------------------------------------------------- bundled tables

_LOCK = threading.RLock()
_CACHE: dict[str, LoadedTable] = {}
_SETS: dict[tuple[Any, ...], TableSet] = {}
_BUNDLED: dict[str, Path] | None = None


def _bundled_paths() -> dict[str, Path]:
    global _BUNDLED
    if _BUNDLED is None:
        root = factors_root()
        found: dict[str, Path] = {}
        if root.is_dir():
            for sub in sorted(root.iterdir()):
                if sub.is_dir() and sub.name != _RATE_DIR:
                    for f in sorted(sub.glob("*.yaml")):
                        found[f"{sub.name}-{f.stem}"] = f
        _BUNDLED = found
    return _BUNDLED


def bundled_table_ids() -> list[str]:
    """Ids of the tables that ship with the package."""
    return list(_bundled_paths())


def get_table(table_id: str) -> LoadedTable:
    """Return a bundled table by id, loading and validating it on first use (thread-safe)."""
    hit = _CACHE.get(table_id)
    if hit is not None:
        return hit
    with _LOCK:
        hit = _CACHE.get(table_id)
        if hit is None:
            paths = _bundled_paths()
            if table_id not in paths:
                raise UnknownTableError(table_id, paths)
            hit = load_table(paths[table_id])
            if hit.id != table_id:
                raise TableError(f"file declares id {hit.id!r}, expected {table_id!r}",
                                 source=str(paths[table_id]))
            _CACHE[table_id] = hit
    return hit


def clear_caches() -> None:
    """Forget loaded tables, table sets and rate tables (the next use reloads them from disk)."""
    global _BUNDLED
    from . import _money, _rates

    with _LOCK:
        _CACHE.clear()
        _SETS.clear()
        _BUNDLED = None
    _rates.clear()
    _money._CONVERSIONS.clear()


def tables() -> list[dict[str, Any]]:
    """List the bundled tables: id, title, publisher, edition, region, GWP set, validity, licence.

    Each entry also says whether the table is in the default set.
    """
    out = []
    for tid in bundled_table_ids():
        m = get_table(tid).meta
        out.append({
            "id": m.id, "title": m.title, "publisher": m.publisher, "edition": m.edition,
            "revision": m.revision, "region": m.region, "gwp": m.gwp,
            "valid_from": m.valid_from, "valid_to": m.valid_to, "licence": m.licence,
            "verified": m.verified, "factors": len(m.factors), "default": tid in DEFAULT_TABLES,
        })
    return out


class TableSet:
    """An ordered set of tables with one merged factor index (first table wins per key)."""

    def __init__(self, members: Iterable[LoadedTable]) -> None:
        self.members = tuple(members)
        ids = [t.id for t in self.members]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise TableError(f"table id(s) {sorted(dupes)} given twice",
                             source=", ".join(sorted(dupes)))
        self.index: dict[tuple[Any, ...], CompiledFactor] = {}
        for t in self.members:
            for k, v in t.index.items():
                self.index.setdefault(k, v)
        self.ids = tuple(ids)
        self._price_years = {t.id: t.meta.price_year for t in self.members
                             if t.meta.price_year is not None}
        #: per-set caches of the matchers (e.g. purchase category -> factor key)
        self.memo: dict[str, dict[Any, Any]] = {}
        #: distance bands of the table that serves flights (None: DESNZ route bands)
        self.flight_bands = next(
            (t.flight_bands for t in self.members if any(k[0] == "flight" for k in t.index)),
            None)
        self.region_parents: dict[str, str] = {}
        for t in self.members:
            for region, parent in t.meta.region_parents.items():
                self.region_parents.setdefault(region, parent)
        from .results import TableUsed

        self.summaries = {
            t.id: TableUsed(id=t.meta.id, title=t.meta.title, edition=t.meta.edition,
                            revision=t.meta.revision, sha256=t.sha256, gwp=t.meta.gwp,
                            verified=t.meta.verified)
            for t in self.members
        }

    def __iter__(self) -> Iterator[LoadedTable]:
        return iter(self.members)

    def price_year(self, table_id: str) -> int:
        """Price year of a spend table in the set."""
        year = self._price_years.get(table_id)
        if year is None:
            raise TableError("spend table has no price_year", source=table_id)
        return year

    def values_for(self, activity: str, position: int) -> list[Any]:
        """Selector values present for ``activity`` at key ``position`` (for suggestions)."""
        return sorted({str(k[position + 1]) for k in self.index if k[0] == activity})


def family(table_id: str) -> str:
    """The publisher family of a bundled table id: its folder (``desnz``, ``mee-grid``)."""
    path = _bundled_paths().get(table_id)
    return path.parent.name if path is not None else table_id.rsplit("-", 1)[0]


def tables_on(on: date) -> tuple[list[str], list[str]]:
    """For each family of the default set, the bundled edition in force on ``on``.

    In force: the latest edition with ``valid_from <= on`` (and ``on <= valid_to`` when set).
    Where no edition was yet in force, the earliest is used and a note says so.
    """
    if not isinstance(on, date):
        raise TableError(f"on must be a datetime.date; got {type(on).__name__}")
    day = on.isoformat()
    chosen, notes = [], []
    for default_id in DEFAULT_TABLES:
        fam = family(default_id)
        editions = sorted((get_table(t).meta for t in bundled_table_ids() if family(t) == fam),
                          key=lambda m: m.valid_from)
        live = [m for m in editions if m.valid_from <= day and (m.valid_to is None
                                                                 or day <= m.valid_to)]
        if live:
            pick = live[-1]
            notes.append(f"{fam}: {pick.id} in force on {day} "
                         f"({pick.valid_from}..{pick.valid_to or ''})")
        else:
            before = [m for m in editions if m.valid_from <= day]
            pick = before[-1] if before else editions[0]
            notes.append(f"{fam}: no edition in force on {day}; used {pick.id} "
                         f"({pick.valid_from}..{pick.valid_to or ''})")
        chosen.append(pick.id)
    return chosen, notes


def resolve_tables(factors: Any) -> TableSet:
    """Turn the ``factors=`` argument of ``calculate`` into a :class:`TableSet`.

    Accepts ``None`` (the pinned default set), a table id, a loaded table, or a list of those.
    """
    if factors is None:
        hit = _SETS.get(DEFAULT_TABLES)
        if hit is not None:
            return hit
        key: tuple[Any, ...] = DEFAULT_TABLES
    elif isinstance(factors, str):
        hit = _SETS.get((factors,))
        if hit is not None:
            return hit
        key = (factors,)
    elif isinstance(factors, LoadedTable):
        key = (factors,)
    elif isinstance(factors, TableSet):
        return factors
    else:
        try:
            key = tuple(factors)
        except TypeError:
            raise TableError(
                f"factors must be None, a table id, a loaded table or a list of them; "
                f"got {type(factors).__name__}"
            ) from None
    cache_key = tuple(k if isinstance(k, str) else id(k) for k in key)
    hit = _SETS.get(cache_key)
    if hit is not None and all(
        isinstance(k, str) or m is k for k, m in zip(key, hit.members, strict=False)
    ):
        return hit
    members = []
    for item in key:
        if isinstance(item, str):
            members.append(get_table(item))
        elif isinstance(item, LoadedTable):
            members.append(item)
        else:
            raise TableError(
                f"factors entries must be table ids or loaded tables; got {type(item).__name__}"
            )
    ts = TableSet(members)
    with _LOCK:
        if len(_SETS) > 256:
            _SETS.clear()
        _SETS[cache_key] = ts
    return ts
