"""Credit schemes as cited data, registry serial numbers, and retirement records.

The scheme catalogue (``factors/credits/schemes.yaml``, shipped in the wheel) describes each
crediting scheme a Chinese event platform may retire - 碳惠天府 (CDCER), CCER, Guangdong PHCER,
Beijing and Chongqing carbon-inclusion reductions, China ETS allowances, Verra VCS, Gold Standard,
CDM CERs - as *facts*: every fact carries its sources, and a fact that could not be sourced is
``None`` with a ``not_found`` note. Nothing in it is guessed; :func:`schemes` loads and validates
it (strict YAML, pydantic), and :class:`Fact` enforces "a value has a source, a missing value says
why".

A :class:`RetirementRecord` is one registry transaction: a block of whole units of one scheme,
project and vintage, named by serial ranges where the scheme publishes a serial format (a Verra
range such as ``7331-385170050-385170149-VCU-013-MER-CN-14-1718-01012016-31122016-0`` is parsed
and counted: 100 units), with its status (``purchased`` or ``retired``), dates, beneficiary and
reason. The library stores nothing: records are values the platform passes in and keeps.

Examples
--------
>>> from carbon_footprint.credits import parse_serial
>>> r = parse_serial("7331-385170050-385170149-VCU-013-MER-CN-14-1718-01012016-31122016-0", "vcs")
>>> r.quantity, r.fields["project_id"], r.vintage
(100, '1718', '2016')
>>> r.unit_serial(1)
'7331-385170050-385170050-VCU-013-MER-CN-14-1718-01012016-31122016-0'
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    model_validator,
)

from ._cache import loaded_once
from ._credit_errors import (
    CreditError,
    RecordError,
    SerialError,
    UnknownSchemeError,
    shown,
)
from ._text import brief, clip
from .errors import CarbonFootprintError, TableError
from .tables import factors_root
from .tables._catalogue import read_data

__all__ = [
    "CREDIT_TYPES",
    "CreditCatalogue",
    "Fact",
    "GuideFact",
    "Price",
    "RetirementRecord",
    "Scheme",
    "SerialFormat",
    "SerialRange",
    "Source",
    "exact_decimal",
    "get_scheme",
    "load_schemes",
    "parse_serial",
    "plain",
    "retirement_record",
    "retirement_records",
    "schemes",
]

#: The credit types the claim rules distinguish (``Scheme.credit_type``).
CREDIT_TYPES = ("ets_allowance", "ccer", "carbon_inclusion", "cdm_cer", "international_voluntary")
CreditType = Literal["ets_allowance", "ccer", "carbon_inclusion", "cdm_cer",
                     "international_voluntary"]
ApprovalLevel = Literal["municipal", "provincial", "national", "international"]

_MAX_AMOUNT = Decimal(10) ** 12


def _no_float(value: Any) -> Any:
    """Exact amounts are given as text, int or Decimal; a binary float is refused."""
    if isinstance(value, float):
        raise ValueError("an exact amount is given as a decimal string (e.g. '0.321'), "
                         f"not a float ({value!r})")
    if isinstance(value, bool):
        raise ValueError("an exact amount cannot be true/false")
    return value


def _finite(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise ValueError(f"must be a finite number, got {value}")
    if abs(value) > _MAX_AMOUNT:
        raise ValueError(f"must be at most {_MAX_AMOUNT:,} in size")
    return value + 0  # normalises -0


def plain(value: Decimal) -> str:
    """``value`` as plain decimal text (never exponent notation: ``1E-7`` is ``0.0000001``)."""
    return format(value, "f")


#: An exact decimal amount: text, int or Decimal (never a float), finite and bounded; a plain
#: decimal string in JSON.
exact_decimal = Annotated[Decimal, BeforeValidator(_no_float), AfterValidator(_finite),
                          PlainSerializer(plain, return_type=str)]


def _freeze(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


_ReadOnlyStrMap = Annotated[Mapping[str, str], AfterValidator(_freeze),
                            PlainSerializer(dict, return_type=dict[str, str])]

# -- the catalogue ----------------------------------------------------------------------------

T = TypeVar("T")


class Source(BaseModel):
    """A cited source: its title, address (URL or a stored-index reference) and marker
    (``P`` primary, ``S`` secondary, ``D`` derived by arithmetic)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str
    url: str
    marker: Literal["P", "S", "D"]


class Fact(BaseModel, Generic[T]):
    """One cited fact: a value with the keys of its sources, or ``None`` with why.

    Attributes
    ----------
    value : T or None
        The fact; ``None`` when it could not be sourced.
    sources : tuple of str
        Keys of the catalogue's ``sources`` (at least one when ``value`` is given).
    note : str, optional
        Where in the source, or how a derived value was computed.
    not_found : str, optional
        For ``value=None``: what was looked for and not found (required then).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: T | None = None
    sources: tuple[str, ...] = ()
    note: str | None = None
    not_found: str | None = None

    @model_validator(mode="after")
    def _cited(self) -> Fact[T]:
        if self.value is None:
            if not self.not_found:
                raise ValueError("a fact without a value needs a not_found note saying why")
        elif not self.sources:
            raise ValueError("a fact with a value needs at least one source")
        elif self.not_found:
            raise ValueError("a fact with a value cannot also be not_found")
        return self


class GuideFact(Fact[bool]):
    """Eligibility under MEE's 2019 large-event guide, with an optional host-country condition."""

    condition_host_country: str | None = Field(None, pattern=r"^[A-Z]{2}$")


class SerialFormat(BaseModel):
    """A published (or observed) serial-number format.

    ``regex`` has named groups; ``block_start`` and ``block_end`` (the first and last unit of the
    range) are required, and quantity = block_end - block_start + 1. ``example`` must parse to
    ``example_quantity`` units (checked on load).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    regex: str
    date_format: Literal["DDMMYYYY"] | None = None
    example: str
    example_quantity: int = Field(gt=0)

    @model_validator(mode="after")
    def _compiles(self) -> SerialFormat:
        try:
            rx = re.compile(self.regex)
        except re.error as exc:
            raise ValueError(f"regex does not compile: {exc}") from None
        missing = {"block_start", "block_end"} - set(rx.groupindex)
        if missing:
            raise ValueError(f"regex lacks the named groups {sorted(missing)}")
        return self

    @property
    def pattern(self) -> re.Pattern[str]:
        return _compiled(self.regex)


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _compiled(regex: str) -> re.Pattern[str]:
    hit = _PATTERNS.get(regex)
    if hit is None:
        hit = _PATTERNS[regex] = re.compile(regex)
    return hit


class Price(BaseModel):
    """A price seen in a source [CNY per tCO2e]: one value, or a low-high range."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    cny_per_t: exact_decimal | None = None
    cny_per_t_low: exact_decimal | None = None
    cny_per_t_high: exact_decimal | None = None
    on: str | None = Field(None, description="date or period as the source gives it")
    basis: str
    marker: Literal["P", "S", "D"]
    note: str | None = None
    sources: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _some_price(self) -> Price:
        if self.cny_per_t is None and self.cny_per_t_low is None:
            raise ValueError("a price needs cny_per_t or cny_per_t_low")
        return self


class Scheme(BaseModel):
    """A crediting scheme: what one unit is, who registers and cancels it, its serial format,
    eligibility under the 2019 guide, and prices seen - every field a cited :class:`Fact`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,40}$")
    credit_type: Fact[CreditType]
    name_zh: Fact[str]
    name_en: Fact[str]
    authority: Fact[str]
    approved_at: Fact[ApprovalLevel]
    unit_tco2e: Fact[exact_decimal]
    registry: Fact[str]
    registry_operator: Fact[str]
    registry_url: Fact[str]
    serial_format: Fact[SerialFormat]
    fractional_retirement: Fact[bool]
    retirement_fields: Fact[tuple[str, ...]]
    min_trade_tco2e: Fact[exact_decimal]
    price_tick_cny: Fact[exact_decimal]
    trading_venue: Fact[str]
    large_event_guide: GuideFact
    prices: tuple[Price, ...] = ()

    def facts(self) -> dict[str, Fact[Any]]:
        """Every fact of the scheme by field name."""
        return {name: getattr(self, name) for name in type(self).model_fields
                if isinstance(getattr(self, name), Fact)}

    def not_found(self) -> dict[str, str]:
        """Field -> why it is empty, for every fact that could not be sourced."""
        return {k: f.not_found or "" for k, f in self.facts().items() if f.value is None}

    @property
    def name(self) -> str:
        """A display name: English if sourced, else Chinese, else the id."""
        return self.name_en.value or self.name_zh.value or self.id


class CreditCatalogue(BaseModel):
    """The scheme catalogue: sources by key, and the schemes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: Literal[1]
    id: str
    title: str
    revision: int = Field(ge=1)
    compiled: str
    notes: tuple[str, ...] = ()
    sources: Mapping[str, Source]
    schemes: tuple[Scheme, ...]
    sha256: str = Field("", description="sha256 of the file the catalogue was read from")

    @model_validator(mode="after")
    def _consistent(self) -> CreditCatalogue:
        ids = [s.id for s in self.schemes]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate scheme ids {dupes}")
        for s in self.schemes:
            for name, fact in s.facts().items():
                unknown = [k for k in fact.sources if k not in self.sources]
                if unknown:
                    raise ValueError(f"scheme {s.id!r}, {name}: unknown source keys {unknown}")
            for i, p in enumerate(s.prices):
                unknown = [k for k in p.sources if k not in self.sources]
                if unknown:
                    raise ValueError(f"scheme {s.id!r}, prices[{i}]: unknown source keys "
                                     f"{unknown}")
            fmt = s.serial_format.value
            if fmt is not None:
                got = _match(fmt, fmt.example)
                if got is None or got[1] - got[0] + 1 != fmt.example_quantity:
                    raise ValueError(f"scheme {s.id!r}: the serial example does not parse to "
                                     f"{fmt.example_quantity} units")
        return self

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.schemes)

    def get(self, scheme_id: str) -> Scheme:
        """The scheme ``scheme_id``; :class:`UnknownSchemeError` names the closest ids."""
        for s in self.schemes:
            if s.id == scheme_id:
                return s
        raise UnknownSchemeError("scheme", scheme_id, self.ids)

    def cite(self, fact: Fact[Any]) -> tuple[Source, ...]:
        """The sources of ``fact``."""
        return tuple(self.sources[k] for k in fact.sources)


SCHEMES_FILE = ("credits", "schemes.yaml")


def _validation_detail(exc: ValidationError) -> str:
    e = exc.errors(include_url=False)[0]
    where = ".".join(str(p) for p in e["loc"]) or "(top level)"
    return f"{where}: {e['msg']}; got {brief(e.get('input'), 60)}"


def load_schemes(path: str | Path | None = None) -> CreditCatalogue:
    """Load and validate a scheme catalogue (the bundled one when ``path`` is None).

    Raises
    ------
    TableError
        For unsafe or malformed YAML, or a catalogue that breaks the schema (a fact with a
        value and no source, an unknown source key, a serial example that does not count).
    """
    p = Path(path) if path is not None else factors_root().joinpath(*SCHEMES_FILE)
    data, raw = read_data(p)
    if not isinstance(data, dict):
        raise TableError("a scheme catalogue is a mapping", source=str(p))
    try:
        return CreditCatalogue.model_validate(
            {**data, "sha256": hashlib.sha256(raw).hexdigest()})
    except ValidationError as exc:
        raise TableError(_validation_detail(exc), source=str(p)) from None


@loaded_once
def schemes() -> CreditCatalogue:
    """The bundled scheme catalogue (loaded and validated once, thread-safe)."""
    return load_schemes()


def get_scheme(scheme: str | Scheme) -> Scheme:
    """A bundled scheme by id (or the scheme itself)."""
    if isinstance(scheme, Scheme):
        return scheme
    if not isinstance(scheme, str):
        raise UnknownSchemeError("scheme", scheme, schemes().ids)
    return schemes().get(scheme)


# -- serial numbers -----------------------------------------------------------------------

_MAX_SERIAL = 300


def _match(fmt: SerialFormat, text: str) -> tuple[int, int, re.Match[str]] | None:
    m = fmt.pattern.fullmatch(text)
    if m is None:
        return None
    start, end = int(m.group("block_start")), int(m.group("block_end"))
    return start, end, m


def _dmy(text: str) -> date | None:
    try:
        return date(int(text[4:8]), int(text[2:4]), int(text[0:2]))
    except ValueError:
        return None


class SerialRange(BaseModel):
    """A parsed registry serial range: a block of units of one scheme.

    Attributes
    ----------
    scheme : str
        Scheme id whose format parsed it.
    text : str
        The serial as given.
    block_start, block_end : int
        First and last unit number of the block (inclusive).
    fields : mapping of str to str
        Every named field of the format (labels as the catalogue gives them).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    scheme: str
    text: str = Field(max_length=_MAX_SERIAL)
    block_start: int = Field(ge=0)
    block_end: int = Field(ge=0)
    fields: _ReadOnlyStrMap

    @property
    def quantity(self) -> int:
        """Units in the range [units] = block_end - block_start + 1."""
        return self.block_end - self.block_start + 1

    @property
    def project_id(self) -> str | None:
        return self.fields.get("project_id") or None

    @property
    def country(self) -> str | None:
        return self.fields.get("country") or None

    @property
    def vintage(self) -> str | None:
        """The vintage year (``"2016"``), or ``"2016/2017"`` when a vintage spans years."""
        if self.fields.get("vintage"):
            return self.fields["vintage"]
        start, end = self.fields.get("vintage_start"), self.fields.get("vintage_end")
        if not start or not end:
            return None
        y0, y1 = start[4:8], end[4:8]
        return y0 if y0 == y1 else f"{y0}/{y1}"

    def unit_serial(self, k: int) -> str:
        """The serial of the ``k``-th unit of the range (1-based): the same text with the
        block start and end both set to that unit's number (zero padding kept)."""
        if not 1 <= k <= self.quantity:
            raise SerialError("unit_out_of_range", {"serial": clip(self.text, 120), "unit": k,
                                                    "quantity": self.quantity})
        fmt = get_scheme(self.scheme).serial_format.value
        assert fmt is not None
        got = _match(fmt, self.text)
        assert got is not None
        m = got[2]
        n = self.block_start + k - 1
        s0, e0 = m.span("block_start")
        s1, e1 = m.span("block_end")
        num0 = str(n).zfill(e0 - s0)
        num1 = str(n).zfill(e1 - s1)
        return self.text[:s0] + num0 + self.text[e0:s1] + num1 + self.text[e1:]

    def overlaps(self, other: SerialRange) -> bool:
        """True when both ranges are of one block series (every field but the block numbers
        equal) and share at least one unit number."""
        if self.scheme != other.scheme:
            return False
        skip = {"block_start", "block_end"}
        mine = {k: v for k, v in self.fields.items() if k not in skip}
        theirs = {k: v for k, v in other.fields.items() if k not in skip}
        return mine == theirs and self.block_start <= other.block_end \
            and other.block_start <= self.block_end


def parse_serial(text: str, scheme: str | Scheme) -> SerialRange:
    """Parse and count a serial range of ``scheme`` with the catalogue's published format.

    Parameters
    ----------
    text : str
        The serial range as the registry prints it.
    scheme : str or Scheme
        A scheme id of the catalogue (``"vcs"``, ``"gold-standard"``).

    Returns
    -------
    SerialRange
        With ``quantity`` = block_end - block_start + 1 [units].

    Raises
    ------
    SerialError
        ``serial_no_format`` when the scheme publishes no serial format (CCER, CDCER, ...);
        ``serial_malformed`` when the text does not match it, with the format's example;
        ``serial_reversed`` when the block ends before it starts; ``serial_bad_date`` for an
        impossible vintage date.
    """
    sch = get_scheme(scheme)
    if not isinstance(text, str):
        raise SerialError("serial_not_text", {"scheme": sch.id, "value": brief(text, 60)})
    fmt = sch.serial_format.value
    if fmt is None:
        raise SerialError("serial_no_format", {"scheme": sch.id, "serial": clip(text, 120),
                                                "why": clip(sch.serial_format.not_found or "",
                                                            200)})
    got = _match(fmt, text.strip()) if len(text) <= _MAX_SERIAL else None
    if got is None:
        raise SerialError("serial_malformed", {"scheme": sch.id, "serial": clip(text, 120),
                                               "example": fmt.example})
    start, end, m = got
    if end < start:
        raise SerialError("serial_reversed", {"scheme": sch.id, "serial": clip(text, 120),
                                              "start": start, "end": end})
    fields = {k: v for k, v in m.groupdict().items() if v is not None}
    if fmt.date_format == "DDMMYYYY":
        for key in ("vintage_start", "vintage_end"):
            if key in fields and _dmy(fields[key]) is None:
                raise SerialError("serial_bad_date", {"scheme": sch.id,
                                                      "serial": clip(text, 120), "field": key,
                                                      "value": fields[key]})
    return SerialRange(scheme=sch.id, text=text.strip(), block_start=start, block_end=end,
                       fields=fields)


# -- retirement records -------------------------------------------------------------------

_Text = Annotated[str, Field(min_length=1, max_length=200)]
_Id = Annotated[str, Field(min_length=1, max_length=100)]


class RetirementRecord(BaseModel):
    """One registry transaction: whole units of one scheme, as purchased or retired.

    Build with :func:`retirement_record` (errors name the record and field) or
    ``RetirementRecord.model_validate``.

    Attributes
    ----------
    id : str
        The platform's id of this lot (allocations and findings name it).
    scheme : str
        Scheme id of the catalogue.
    quantity : int
        Whole units in the lot [units]; must equal the serial ranges' count when given.
    unit_tco2e : Decimal
        tCO2e one unit retires [tCO2e]; defaults to the scheme's sourced unit size. Schemes
        that publish none (CDCER, PHCER, ...) need it stated by the caller.
    serials : tuple of str
        Serial ranges as the registry prints them (parsed where the scheme publishes a format,
        kept as opaque references otherwise).
    serial_ranges : tuple of SerialRange
        The parsed ranges (filled in from ``serials``).
    registry, project_id, project_name, vintage, host_country : str, optional
        Registry (defaults to the scheme's), project, vintage year, ISO host country; project,
        vintage and country are read from a parsed serial when not given, and must agree with
        it when given.
    status : {"purchased", "retired"}
        ``retired`` needs ``retired_on``.
    purchased_on, retired_on : datetime.date, optional
    beneficiary, reason : str, optional
        Beneficial owner and retirement reason as recorded at the registry.
    price_per_unit : Decimal, optional
        Price of one unit [currency per unit], with ``currency``.
    currency : str, optional
        ISO 4217 code, e.g. ``CNY``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: _Id
    scheme: _Id
    quantity: int = Field(ge=1, le=10**9)
    unit_tco2e: exact_decimal | None = None
    serials: tuple[Annotated[str, Field(min_length=1, max_length=_MAX_SERIAL)], ...] = Field(
        (), max_length=1000)
    serial_ranges: tuple[SerialRange, ...] = ()
    registry: _Text | None = None
    project_id: _Id | None = None
    project_name: _Text | None = None
    vintage: Annotated[str, Field(pattern=r"^\d{4}(/\d{4})?$")] | None = None
    host_country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    status: Literal["purchased", "retired"]
    purchased_on: date | None = None
    retired_on: date | None = None
    beneficiary: _Text | None = None
    reason: Annotated[str, Field(min_length=1, max_length=1000)] | None = None
    price_per_unit: exact_decimal | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None

    @model_validator(mode="before")
    @classmethod
    def _fill(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        sch = get_scheme(data.get("scheme"))
        serials = data.get("serials") or ()
        if isinstance(serials, str):
            serials = (serials,)
            data["serials"] = serials
        if sch.serial_format.value is not None and not data.get("serial_ranges"):
            ranges = tuple(parse_serial(s, sch) for s in serials)
            data["serial_ranges"] = ranges
            for key, attr in (("project_id", "project_id"), ("vintage", "vintage"),
                              ("host_country", "country")):
                seen = {getattr(r, attr) for r in ranges} - {None}
                if len(seen) == 1 and data.get(key) is None:
                    data[key] = seen.pop()
        if data.get("unit_tco2e") is None and sch.unit_tco2e.value is not None:
            data["unit_tco2e"] = sch.unit_tco2e.value
        if data.get("registry") is None and sch.registry.value is not None:
            data["registry"] = sch.registry.value
        return data

    @model_validator(mode="after")
    def _consistent(self) -> RetirementRecord:
        rid = clip(self.id, 100)
        if self.unit_tco2e is None:
            raise RecordError("unit_size_unknown", {"record": rid, "scheme": self.scheme})
        if self.unit_tco2e <= 0:
            raise RecordError("unit_size_invalid", {"record": rid,
                                                    "value": str(self.unit_tco2e)})
        if self.serial_ranges:
            counted = sum(r.quantity for r in self.serial_ranges)
            if counted != self.quantity:
                raise RecordError("quantity_mismatch", {
                    "record": rid, "quantity": self.quantity, "counted": counted,
                    "serials": clip("; ".join(self.serials), 200)})
            for r in self.serial_ranges:
                for key, attr in (("project_id", "project_id"), ("vintage", "vintage"),
                                  ("host_country", "country")):
                    got = getattr(r, attr)
                    mine = getattr(self, key)
                    if got is not None and mine is not None and got != mine \
                            and len(self.serial_ranges) == 1:
                        raise RecordError("serial_disagrees", {
                            "record": rid, "field": key, "value": clip(str(mine), 60),
                            "serial_value": clip(got, 60), "serial": clip(r.text, 120)})
        if self.status == "retired" and self.retired_on is None:
            raise RecordError("retired_without_date", {"record": rid})
        if self.status == "purchased" and self.retired_on is not None:
            raise RecordError("purchased_with_retired_date", {"record": rid,
                                                              "date": str(self.retired_on)})
        if self.retired_on and self.purchased_on and self.retired_on < self.purchased_on:
            raise RecordError("retired_before_purchase", {
                "record": rid, "retired_on": str(self.retired_on),
                "purchased_on": str(self.purchased_on)})
        if (self.price_per_unit is None) != (self.currency is None):
            raise RecordError("price_needs_currency", {"record": rid})
        if self.price_per_unit is not None and self.price_per_unit < 0:
            raise RecordError("price_negative", {"record": rid,
                                                 "value": str(self.price_per_unit)})
        return self

    @property
    def capacity_tco2e(self) -> Decimal:
        """tCO2e the lot retires [tCO2e] = quantity x unit_tco2e."""
        assert self.unit_tco2e is not None
        return self.quantity * self.unit_tco2e

    def unit_serial(self, k: int) -> str | None:
        """The serial of unit ``k`` of the lot (1-based, across its ranges in order), or None
        when the scheme publishes no serial format."""
        if not self.serial_ranges:
            return None
        for r in self.serial_ranges:
            if k <= r.quantity:
                return r.unit_serial(k)
            k -= r.quantity
        raise SerialError("unit_out_of_range", {"serial": clip(self.id, 100), "unit": k,
                                                "quantity": self.quantity})

    def projects_and_vintages(self) -> set[tuple[str | None, str | None]]:
        """The distinct (project id, vintage) pairs of the lot's serial ranges (or of the
        record's own fields when it has no parsed ranges)."""
        if self.serial_ranges:
            return {(r.project_id, r.vintage) for r in self.serial_ranges}
        return {(self.project_id, self.vintage)}


def located_error(exc: ValidationError, what: str, index: int | None, ident: str | None
                  ) -> CarbonFootprintError:
    """A library error for pydantic's ``exc``: the library error raised inside a validator
    where there is one, else a ``RecordError`` naming the item, field, value and message."""
    errs = exc.errors(include_url=False)
    for e in errs:
        inner = (e.get("ctx") or {}).get("error")
        if isinstance(inner, CreditError):
            if index is not None:
                inner.params.setdefault("index", index)
            return inner
    e = errs[0]
    field = ".".join(str(p) for p in e["loc"]) or "(record)"
    return RecordError("field_invalid", {
        "what": what, "index": "-" if index is None else index,
        "id": clip(ident or "-", 100), "field": clip(field, 80),
        "value": shown(e.get("input"), 60) if not isinstance(e.get("input"), dict)
        else "{...}", "problem": clip(str(e["msg"]), 200)})


def retirement_record(data: Mapping[str, Any] | RetirementRecord, index: int | None = None
                      ) -> RetirementRecord:
    """A validated :class:`RetirementRecord` from a JSON-like mapping.

    Raises
    ------
    RecordError, SerialError, UnknownSchemeError
        Naming the record (``index`` and ``id``), the field, the value and what was expected.
    """
    if isinstance(data, RetirementRecord):
        return data
    if not isinstance(data, Mapping):
        raise RecordError("record_not_mapping", {"index": "-" if index is None else index,
                                                 "type": type(data).__name__})
    ident = data.get("id")
    try:
        return RetirementRecord.model_validate(dict(data))
    except ValidationError as exc:
        raise located_error(exc, "record", index,
                            ident if isinstance(ident, str) else None) from None
    except CreditError as exc:  # raised by the before-validator outside pydantic's wrapping
        if index is not None:
            exc.params.setdefault("index", index)
        raise


def retirement_records(items: Iterable[Mapping[str, Any] | RetirementRecord]
                       ) -> tuple[RetirementRecord, ...]:
    """Validate several records (errors name the first bad one by index and id)."""
    out = tuple(retirement_record(x, i) for i, x in enumerate(items))
    ids = [r.id for r in out]
    for i, rid in enumerate(ids):
        if rid in ids[:i]:
            raise RecordError("record_id_duplicate", {"record": clip(rid, 100), "index": i})
    return out


def as_records(items: Sequence[Any]) -> tuple[RetirementRecord, ...]:
    """``items`` as records (each a record or a mapping); an alias used by the pool."""
    return retirement_records(items)
