"""Units and quantities: the library's pint registry, the quantity grammar and its guards.

One pint registry is owned by the library and built lazily on first use from pint's defaults
plus ``units.txt`` (gas bases CO2e and CO2, passenger_km, room_night, meal, USD). It is never
installed as pint's application registry. pint's definitions cache (``cache_folder=":auto:"``,
the user cache folder) makes the registry start about ten times faster after the first run; set
``CARBON_FOOTPRINT_UNIT_CACHE`` to a folder to move it, or to ``0`` to switch it off.

**One grammar.** A quantity is a number and a unit: ``"350 km"``, ``"1_000 USD"``, ``"CNY 200"``
(money only), ``{"value": 350, "unit": "km"}`` or a pint quantity. :data:`NUMBER` is the one
number syntax (digits with single underscores between them, an optional fraction and exponent;
``nan`` and ``inf`` are read only to be refused with a clear error); the columnar path uses the
same patterns. Text longer than :data:`MAX_TEXT` is refused before any pattern runs.

**Guards.** A unit expression must match :data:`UNIT_EXPRESSION` before pint sees it: at most
six terms joined by ``*``, ``/``, ``·`` or spaces, each a unit name with at most one single-digit
exponent or one un-nested parenthesised group of such names. An exponent tower such as
``km^9^9^9`` (which makes pint compute a gigantic integer while holding the GIL) is refused in
microseconds. Conversion factors are cached per distinct
unit text in a bounded cache, and pint's own parse caches are reset to their start-up state when
distinct spellings would grow them past a bound, so no stream of inputs costs unbounded memory.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import threading
from dataclasses import dataclass, field
from importlib import metadata
from importlib.resources import files
from typing import Any, NamedTuple

from ._cache import BoundedCache, register_clear
from ._text import clip
from .errors import QuantityError

__all__ = [
    "DISTANCE", "ENERGY", "FUEL_AMOUNT", "KINDS", "MASS", "MAX_TEXT", "MONEY", "NUMBER",
    "SEED_FILE", "SEED_TABLE_UNITS", "UNIT_EXPRESSION", "VOLUME", "Measured", "QuantityKind",
    "get_registry", "parse_money", "parse_number", "parse_quantity", "seed", "seed_key",
    "to_float", "unit_factor",
]

#: Longest quantity text read [characters]; longer text is refused before any pattern runs.
MAX_TEXT = 100
#: Longest unit expression [characters].
MAX_UNIT = 64
#: Largest magnitude of a number read from text or given as an int, before any bound applies.
MAX_ABS_NUMBER = 1e300

#: The one number syntax (text form): digits with single underscores between them, an optional
#: fraction and exponent. Compatible with Python's ``re`` and RE2 (the columnar path).
NUMBER = (r"[-+]?(?:[0-9]+(?:_[0-9]+)*(?:\.(?:[0-9]+(?:_[0-9]+)*)?)?|\.[0-9]+(?:_[0-9]+)*)"
          r"(?:[eE][-+]?[0-9]{1,4})?")
_SPECIAL = r"[-+]?(?i:nan|inf|infinity)"
_NAME = r"[A-Za-z_µμ°Ω][A-Za-z0-9_µμ°Ω]*[²³]?"
_POWER = rf"{_NAME}(?:(?:\^|\*\*)-?[0-9])?"
_GROUP = rf"\(\s*{_POWER}(?:\s*(?:\*|/|·)\s*{_POWER}|\s+{_POWER}){{0,3}}\s*\)"
_TERM = rf"(?:{_POWER}|{_GROUP})"
#: What a unit expression may look like before pint is asked: at most six terms, each a unit
#: name with at most one single-digit exponent, or one un-nested parenthesised group of them.
UNIT_EXPRESSION = rf"{_TERM}(?:\s*(?:\*|/|·)\s*{_TERM}|\s+{_TERM}){{0,5}}"

#: ``<number> <rest>``: the rest is the unit expression (validated separately).
QUANTITY_PATTERN = rf"^\s*({NUMBER}|{_SPECIAL})\s*(.*?)\s*$"
#: ``<number> <CUR>`` or ``<CUR> <number>``.
MONEY_PATTERN = (rf"^\s*(?:([A-Za-z]{{3}})\s*({NUMBER}|{_SPECIAL})"
                 rf"|({NUMBER}|{_SPECIAL})\s*([A-Za-z]{{3}}))\s*$")

_QUANTITY = re.compile(QUANTITY_PATTERN)
_MONEY = re.compile(MONEY_PATTERN)
_UNIT_OK = re.compile(rf"^{UNIT_EXPRESSION}$")
_NUMBER_OK = re.compile(rf"^(?:{NUMBER}|{_SPECIAL})$")

_REGISTRY: Any = None
_LOCK = threading.Lock()
_PINT_BASELINE: dict[str, dict[Any, Any]] = {}
#: entries pint's parse caches may gain beyond their start-up size before they are reset
PINT_CACHE_GROWTH = 2_000


def get_registry() -> Any:
    """Return the library's pint ``UnitRegistry`` (built on first call, thread-safe)."""
    global _REGISTRY
    if _REGISTRY is None:
        with _LOCK:
            if _REGISTRY is None:
                import pint

                reg: Any = None
                cache = os.environ.get("CARBON_FOOTPRINT_UNIT_CACHE", ":auto:")
                if cache.lower() not in ("", "0", "off", "no", "false"):
                    try:  # pint's own definitions cache: ~10x faster registry start
                        reg = pint.UnitRegistry(cache_folder=cache,
                                                autoconvert_offset_to_baseunit=False)
                    except Exception:  # unwritable cache folder etc.: build without it
                        reg = None
                if reg is None:
                    reg = pint.UnitRegistry(autoconvert_offset_to_baseunit=False)
                text = files("carbon_footprint").joinpath("units.txt").read_text("utf-8")
                for line in text.splitlines():
                    line = line.split("#", 1)[0].strip()
                    if line:
                        reg.define(line)
                _snapshot_pint_caches(reg)
                _REGISTRY = reg
    return _REGISTRY


def _pint_caches(reg: Any) -> dict[str, dict[Any, Any]]:
    cache = getattr(reg, "_cache", None)
    out = {}
    for name in ("parse_unit", "dimensionality", "root_units", "conversion_factor",
                 "dimensional_equivalents"):
        d = getattr(cache, name, None)
        if isinstance(d, dict):
            out[name] = d
    return out


def _snapshot_pint_caches(reg: Any) -> None:
    _PINT_BASELINE.clear()
    for name, d in _pint_caches(reg).items():
        _PINT_BASELINE[name] = dict(d)


def _trim_pint_caches(reg: Any) -> None:
    """Reset pint's memo dicts to their start-up content once they have grown too much."""
    for name, d in _pint_caches(reg).items():
        base = _PINT_BASELINE.get(name, {})
        if len(d) > len(base) + PINT_CACHE_GROWTH:
            d.clear()
            d.update(base)


_FACTORS: BoundedCache[tuple[str, str], float] = BoundedCache("unit factors", 4_096)
_DIM_NAMES = {
    "[length]": "length", "[mass]": "mass", "[length] ** 3": "volume", "[time]": "time",
    "[length] ** 2 * [mass] / [time] ** 2": "energy", "[temperature]": "temperature",
    "[length] ** 2": "area", "[currency_USD]": "amount of money",
}


def dimension_name(dim: Any) -> str:
    text = str(dim)
    return _DIM_NAMES.get(text, text or "dimensionless number")


class UnitError(ValueError):
    """Internal: a unit that cannot be used (code + params for the caller's error)."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code, self.params = code, params
        #: root units of a unit of the wrong dimension: its dimension is named (by pint) only
        #: when the error is final (a fuel amount tries three dimensions first)
        self.dims: dict[str, int] | None = None
        super().__init__(code)

    def named(self) -> UnitError:
        """This error with the dimension it found named (``found``); returns it."""
        if self.dims is not None and not self.params.get("found"):
            reg = get_registry()
            found = reg.get_dimensionality(reg.UnitsContainer(
                {u: e for u, e in self.dims.items() if e}))
            self.params["found"] = dimension_name(found)
        return self


def check_unit_text(unit: str) -> str:
    """``unit`` stripped, if it is an expression pint may be asked about; else ``UnitError``."""
    unit = unit.strip()
    if len(unit) > MAX_UNIT:
        raise UnitError("unit_syntax", unit=clip(unit, 40), reason=f"longer than {MAX_UNIT}")
    if not _UNIT_OK.match(unit):
        reason = ("exponents are single digits, one per unit name"
                  if "^" in unit or "**" in unit else "unit names joined by *, / or spaces")
        raise UnitError("unit_syntax", unit=clip(unit, 40), reason=reason)
    return unit


#: words pint's string preprocessor rewrites (``km per h``, ``square m``): not unit names
_PREPROCESSED = frozenset({"per", "squared", "cubed", "cubic", "square", "sq"})
_NAME_TOKEN = re.compile(r"[A-Za-z_µμΩ][A-Za-z0-9_µμΩ]*")
_NAME_VERDICTS: BoundedCache[str, bool] = BoundedCache("unit names", 8_192)


_PREFIXES: dict[str, tuple[str, ...]] = {}


def _pint_knows(name: str, reg: Any) -> bool:
    """Whether pint can read ``name``: its own walk of prefixes and plural suffixes
    (``PlainRegistry._yield_unit_triplets``, case-sensitive), without building a unit; only
    the prefixes that start with the name's first character are tried."""
    units, suffixes = reg._units, reg._suffixes
    if not _PREFIXES:
        by_first: dict[str, list[str]] = {}
        for p in reg._prefixes:
            if p:
                by_first.setdefault(p[0], []).append(p)
        _PREFIXES.update({k: ("", *v) for k, v in by_first.items()})
    prefixes = _PREFIXES.get(name[:1], ("",))
    for suffix in suffixes:
        if not name.endswith(suffix):
            continue
        for prefix in prefixes:
            if name.startswith(prefix):
                core = name[len(prefix):]
                if suffix:
                    core = core[: -len(suffix)]
                    if len(core) == 1:
                        continue
                if core in units:
                    return True
    return False


def unknown_name(text: str, reg: Any) -> str | None:
    """A name in the unit expression ``text`` that pint cannot know, or None (ask pint).

    Distinct unknown spellings are refused here in microseconds instead of costing a full pint
    parse each; the verdict per name is cached in a bounded cache. Expressions with words pint
    rewrites first (``per``, ``square`` ...) or a degree sign are left to pint.
    """
    if "°" in text:
        return None
    names: list[str] = _NAME_TOKEN.findall(text)
    if any(n in _PREPROCESSED for n in names):
        return None
    for name in names:
        verdict = _NAME_VERDICTS.get(name)
        if verdict is None:
            verdict = _NAME_VERDICTS.put(name, _pint_knows(name, reg))
        if not verdict:
            return name
    return None


_TOKEN = re.compile(r"\s*(?:(?P<op>[*/·])|(?P<open>\()|(?P<close>\))|(?P<name>[A-Za-z_µμΩ]"
                    r"[A-Za-z0-9_µμΩ]*)(?P<sup>[²³])?(?:(?:\^|\*\*)(?P<exp>-?[0-9]))?)")
_NAME_ROOTS: BoundedCache[str, tuple[float, tuple[tuple[str, int], ...]]] = BoundedCache(
    "unit name roots", 8_192)
_SPELLINGS: BoundedCache[tuple[Any, ...], float] = BoundedCache("unit spellings", 4_096)


#: Unit facts shipped with the package (``units_seed.json``, written by
#: scripts/precompile.py from pint and units.txt, checked current by a test): the root factor
#: of common unit names and the compiled units of the bundled tables, so that a calculation
#: on the bundled tables with common units never imports pint (cold start). Used only when
#: the installed pint is the version the seed was made with and units.txt is unchanged.
SEED_FILE = "units_seed.json"
_SEEDED: list[bool] = []
#: (factor unit, per units) -> (per unit, factor, basis) from the seed, for tables._compile
SEED_TABLE_UNITS: dict[tuple[str, tuple[str, ...]], tuple[str, float, str]] = {}


def seed_key() -> dict[str, str]:
    """What a seed is valid for: pint's version and the sha256 of units.txt."""
    try:
        pint_version = metadata.version("pint")
    except metadata.PackageNotFoundError:  # pragma: no cover
        pint_version = "?"
    text = files("carbon_footprint").joinpath("units.txt").read_bytes()
    return {"pint": pint_version, "units_txt": hashlib.sha256(text).hexdigest()}


def seed() -> bool:
    """Load the shipped unit facts once (thread-safe); whether they apply here."""
    if _SEEDED:
        return _SEEDED[0]
    with _LOCK:
        if _SEEDED:
            return _SEEDED[0]
        ok = False
        try:
            data = json.loads(files("carbon_footprint").joinpath(SEED_FILE).read_bytes())
            ok = isinstance(data, dict) and data.get("key") == seed_key()
        except (OSError, ValueError):
            ok = False
        if ok:
            for name, (factor, dims) in data["roots"].items():
                root = tuple((str(d), int(e)) for d, e in dims)
                _NAME_ROOTS.put(name, (float(factor), root))
                _NAME_VERDICTS.put(name, True)
            for unit, per_units, per, scale, basis in data["table_units"]:
                SEED_TABLE_UNITS[(unit, tuple(per_units))] = (per, float(scale), basis)
        _SEEDED.append(ok)
        return ok


def _unseed() -> None:
    with _LOCK:
        _SEEDED.clear()
        SEED_TABLE_UNITS.clear()


register_clear(_unseed)


def _terms(text: str) -> tuple[tuple[str, int], ...] | None:
    """The unit names of a guarded expression with their net exponents, sorted: the normalized
    form of a spelling (``km*s/s``, ``s * km / s`` -> ``(("km", 1),)``); None if pint must
    read it (words it rewrites, a degree sign)."""
    if "°" in text:
        return None
    exps: dict[str, int] = {}
    pending, sign, outer = 1, 1, 1
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            if text[pos:].strip():
                return None
            break
        pos = m.end()
        if m.group("op"):
            pending = -1 if m.group("op") == "/" else 1
        elif m.group("open"):
            outer, sign, pending = sign, pending, 1
        elif m.group("close"):
            sign, pending = outer, 1
        else:
            name = m.group("name")
            if name in _PREPROCESSED:
                return None
            exp = int(m.group("exp") or {"²": 2, "³": 3}.get(m.group("sup") or "", 1))
            exps[name] = exps.get(name, 0) + exp * pending * sign
            pending = 1
    return tuple(sorted((n, e) for n, e in exps.items() if e))


def _root(name: str) -> tuple[float, tuple[tuple[str, int], ...]]:
    """(factor, root units) of one unit name, as pint resolves it (prefix, unit, plural);
    names in the shipped seed (:func:`seed`) need no pint at all."""
    hit = _NAME_ROOTS.get(name)
    if hit is None:
        seed()
        hit = _NAME_ROOTS.get(name)
    if hit is None:
        reg = get_registry()
        if not _pint_knows(name, reg):
            raise UnitError("unit_unknown", unit=clip(name, 40))
        prefix, unit, _ = reg.parse_unit_name(name)[0]
        factor, root = reg.get_root_units(unit)
        scale = reg._prefixes[prefix].converter.scale if prefix else 1
        dims = tuple(sorted((str(k), int(v)) for k, v in root._units.items()))
        hit = _NAME_ROOTS.put(name, (float(factor) * scale, dims))
    return hit


def _compose(terms: tuple[tuple[str, int], ...], goal: tuple[tuple[str, int], ...]
             ) -> float:
    """The factor from ``terms`` to ``goal`` (normalized spellings; bounded cache).

    As pint does for a conversion: the root factors of the quotient's units, each to its
    exponent, multiplied in order (``0.0254 * 1000.0 ** -1``, not ``0.0254 / 1000``).
    Raises ``UnitError`` when the dimensions differ.
    """
    key = (terms, goal)
    hit = _SPELLINGS.get(key)
    if hit is None:
        factor = 1.0
        dims: dict[str, int] = {}
        for name, exp in (*terms, *((n, -e) for n, e in goal)):
            f, root = _root(name)
            factor *= f**exp
            for unit, e in root:
                dims[unit] = dims.get(unit, 0) + e * exp
        if any(dims.values()):
            src: dict[str, int] = {}
            for name, exp in terms:
                for unit, e in _root(name)[1]:
                    src[unit] = src.get(unit, 0) + e * exp
            err = UnitError("unit_dimension", unit="", found="")
            err.dims = src
            raise err
        hit = _SPELLINGS.put(key, factor)
    return hit


def unit_factor(unit: str, target: str) -> float:
    """The factor that converts a magnitude in ``unit`` into ``target`` (bounded caches).

    The expression is read into its unit names and net exponents (its normalized form); each
    name is resolved once by pint (prefix, unit, plural; bounded cache) and the factor is
    composed from the names' root factors, so a new spelling of known units costs
    microseconds, not a pint parse. Expressions with words pint rewrites (``per``,
    ``square``...) go to pint itself. Raises ``UnitError`` (internal) for expressions refused
    by the guard, unknown units and wrong dimensions.
    """
    key = (unit, target)
    hit = _FACTORS.get(key)
    if hit is not None:
        return hit
    text = check_unit_text(unit)
    terms, goal = _terms(text), _terms(target)
    if terms is not None and goal is not None:
        try:
            factor = _compose(terms, goal)
        except UnitError as exc:
            if exc.code == "unit_dimension":
                exc.params["unit"] = clip(text, 40)
            raise
    else:
        factor = _pint_factor(text, target, get_registry())
    if not math.isfinite(factor) or factor <= 0:
        raise UnitError("unit_unknown", unit=clip(text, 40))
    return _FACTORS.put(key, factor)


def _pint_factor(text: str, target: str, reg: Any) -> float:
    """The factor by pint itself (expressions pint rewrites before parsing)."""
    if unknown_name(text, reg) is not None:
        raise UnitError("unit_unknown", unit=clip(text, 40))
    try:
        src = reg.parse_units(text)
    except Exception:  # pint raises several types (UndefinedUnitError, TypeError, ...)
        _trim_pint_caches(reg)
        raise UnitError("unit_unknown", unit=clip(text, 40)) from None
    dst = reg.parse_units(target)
    if src.dimensionality != dst.dimensionality:
        _trim_pint_caches(reg)
        raise UnitError("unit_dimension", unit=clip(text, 40),
                        found=dimension_name(src.dimensionality))
    factor = float(reg.Quantity(1.0, src).to(dst).magnitude)
    _trim_pint_caches(reg)
    return factor


@dataclass(frozen=True)
class QuantityKind:
    """A kind of quantity an activity field takes.

    Parameters
    ----------
    name : str
        Human name (``"distance"``).
    units : tuple of (str, float)
        Canonical units the library computes in, each with its largest plausible value
        (``(("km", 100_000.0),)``). A kind with several (a fuel amount: energy, volume or mass)
        accepts a unit of any of their dimensions and keeps the canonical unit it matched.
    examples : tuple of str
        Accepted spellings shown in errors and in the JSON Schema.
    """

    name: str
    units: tuple[tuple[str, float], ...]
    examples: tuple[str, ...]
    money: bool = False
    #: unit text -> (factor to its canonical unit, canonical unit, largest value in it); filled
    #: as units are seen (a plain dict lookup on the hot path)
    factors: BoundedCache[str, tuple[float, str, float]] = field(
        default_factory=lambda: BoundedCache("quantity units", 1_024), compare=False,
        hash=False)

    @property
    def canonical(self) -> str:
        return self.units[0][0]

    @property
    def maximum(self) -> float:
        return self.units[0][1]

    def limit(self, canonical: str) -> float:
        for unit, maximum in self.units:
            if unit == canonical:
                return maximum
        return self.units[0][1]

    @property
    def expected(self) -> str:
        return f"a {self.name} with a unit, e.g. " + " or ".join(repr(e) for e in self.examples)

    def convert(self, unit: str) -> tuple[float, str]:
        """(factor, canonical unit) for ``unit``; ``UnitError`` if none of the kind's fits."""
        hit = self.factors.get(unit)
        if hit is not None:
            return hit[0], hit[1]
        if self.money:
            raise UnitError("currency_malformed")
        first: UnitError | None = None
        for canonical, maximum in self.units:
            try:
                factor = unit_factor(unit, canonical)
                self.factors.put(unit, (factor, canonical, maximum))
                return factor, canonical
            except UnitError as exc:
                if exc.code != "unit_dimension":
                    raise
                first = first or exc
        assert first is not None
        raise first.named()


DISTANCE = QuantityKind("distance", (("km", 100_000.0),), ("350 km", "217.5 mi"))
MASS = QuantityKind("mass", (("kg", 1_000_000.0),), ("0.25 kg", "300 g", "1 lb"))
ENERGY = QuantityKind("energy", (("kWh", 1.0e9),), ("1200 kWh", "3.5 MWh", "10 GJ"))
VOLUME = QuantityKind("volume", (("m^3", 1.0e9),), ("50 m^3", "1200 L"))
FUEL_AMOUNT = QuantityKind(
    "fuel amount", (("kWh", 1.0e9), ("m^3", 1.0e9), ("kg", 1.0e9)),
    ("2000 kWh", "150 m^3", "0.5 t", "300 L"))
#: Money: an amount in an ISO 4217 currency (the canonical "unit" is the currency itself).
MONEY = QuantityKind("amount", (("USD", 1.0e10),), ("200 CNY", "35.5 USD"), money=True)
MAX_MONEY = 1.0e10
#: kinds by name (the registry's ``ActivitySpec.kind``)
KINDS: dict[str, QuantityKind] = {
    "distance": DISTANCE, "mass": MASS, "energy": ENERGY, "volume": VOLUME,
    "fuel_amount": FUEL_AMOUNT, "money": MONEY,
}


class Measured(NamedTuple):
    """A validated quantity: what was given, and its value in a canonical unit.

    For money, ``unit`` and ``canonical`` are the currency and ``value`` is the amount.
    """

    magnitude: float
    unit: str
    value: float  # in ``canonical``
    canonical: str

    def __str__(self) -> str:
        return f"{self.magnitude:g} {self.unit}"


def _qerr(code: str, kind: QuantityKind, raw: Any, **params: Any) -> QuantityError:
    return QuantityError(code, params={"what": kind.name, "expected": kind.expected, **params},
                         value=raw)


def parse_number(text: str) -> float:
    """A number in the library's one syntax (``NUMBER``; underscores between digits)."""
    return float(text.replace("_", "")) if "_" in text else float(text)


def _text_number(text: str, kind: QuantityKind, raw: Any) -> float:
    number = parse_number(text)
    if number in (math.inf, -math.inf) and "n" not in text.lower():  # 1e400: too large
        if number > 0:
            raise _qerr("quantity_too_large", kind, raw, limit=f"{kind.maximum:g}",
                        unit=kind.canonical)
        raise _qerr("quantity_negative", kind, raw)
    return number


def to_float(value: Any, kind: QuantityKind, raw: Any = None) -> float:
    """``value`` as a finite, non-negative float (``-0`` becomes ``0``), or ``QuantityError``."""
    raw = value if raw is None else raw
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _qerr("quantity_not_number", kind, raw)
    if isinstance(value, int) and (value > MAX_ABS_NUMBER or value < -MAX_ABS_NUMBER):
        raise _qerr("quantity_too_large", kind, raw, limit=f"{kind.maximum:g}",
                    unit=kind.canonical) if value > 0 else _qerr("quantity_negative", kind, raw)
    number = float(value)
    if number != number:
        raise _qerr("quantity_nan", kind, raw)
    if number in (math.inf, -math.inf):
        raise _qerr("quantity_infinite", kind, raw)
    if number < 0:
        raise _qerr("quantity_negative", kind, raw)
    return number + 0.0  # -0.0 -> 0.0


def _bounded(number: float, factor: float, canonical: str, unit: str, kind: QuantityKind,
             raw: Any) -> Measured:
    value = number * factor + 0.0
    limit = kind.limit(canonical)
    if not value <= limit:
        raise _qerr("quantity_too_large", kind, raw, limit=f"{limit:g}", unit=canonical)
    return Measured(number, unit, value, canonical)


_LAST_FAILURE = threading.local()


def parse_quantity(raw: Any, kind: QuantityKind) -> Measured:
    """Parse ``raw`` (string, ``{"value", "unit"}`` mapping or pint quantity) as ``kind``.

    A text that just failed to parse as the same kind in this thread fails again without being
    parsed again (the engine's full path re-validates what its fast path refused).
    """
    last = getattr(_LAST_FAILURE, "value", None)
    if last is not None and last[0] is raw and last[1] is kind:
        raise last[2].located(None)
    try:
        return _parse(raw, kind)
    except QuantityError as exc:
        if type(raw) is str:  # a copy: the raised one carries a traceback (and its frames)
            _LAST_FAILURE.value = (raw, kind, exc.located(None))
        raise


def _parse(raw: Any, kind: QuantityKind) -> Measured:
    if type(raw) is str and len(raw) <= MAX_TEXT:  # fast path: "350 km" in a seen unit
        m = _QUANTITY.match(raw)
        if m is not None:
            hit = kind.factors.get(m.group(2))
            if hit is not None:
                number = parse_number(m.group(1))
                value = number * hit[0] + 0.0
                if 0.0 <= value <= hit[2] and number >= 0:  # False for NaN
                    return Measured(number + 0.0, m.group(2), value, hit[1])
    if kind.money:
        return parse_money(raw)
    return _parse_quantity(raw, kind)


def _parse_quantity(raw: Any, kind: QuantityKind) -> Measured:
    if isinstance(raw, Measured):
        if raw.canonical in dict(kind.units) and isinstance(raw.unit, str):
            value = to_float(raw.value, kind, raw)
            to_float(raw.magnitude, kind, raw)
            limit = kind.limit(raw.canonical)
            if not value <= limit:
                raise _qerr("quantity_too_large", kind, raw, limit=f"{limit:g}",
                            unit=raw.canonical)
            return Measured(raw.magnitude + 0.0, raw.unit, value, raw.canonical)
        raw = {"value": raw.magnitude, "unit": raw.unit}
    if isinstance(raw, str):
        m = _QUANTITY.match(raw) if len(raw) <= MAX_TEXT else None
        if m is None:
            raise _qerr("quantity_unreadable", kind, raw)
        number = to_float(_text_number(m.group(1), kind, raw), kind, raw)
        unit = m.group(2)
    elif isinstance(raw, dict):
        if len(raw) != 2 or set(raw) != {"value", "unit"}:
            raise _qerr("quantity_mapping", kind, raw, second="unit")
        number, unit = to_float(raw["value"], kind, raw), raw["unit"]
        if not isinstance(unit, str):
            raise _qerr("unit_not_text", kind, raw)
    elif hasattr(raw, "magnitude") and hasattr(raw, "units"):  # a pint Quantity, any registry
        magnitude = raw.magnitude
        if isinstance(magnitude, bool) or not isinstance(magnitude, (int, float)):
            raise _qerr("quantity_not_scalar", kind, raw)
        number = to_float(magnitude, kind, raw)
        try:
            unit = format(raw.units, "~")
        except Exception:
            raise _qerr("unit_unknown", kind, raw, unit="?") from None
    else:
        code = ("quantity_bare_number" if isinstance(raw, (int, float))
                and not isinstance(raw, bool) else "quantity_unreadable")
        raise _qerr(code, kind, raw)
    unit = unit.strip()
    if not unit:
        raise _qerr("quantity_no_unit", kind, raw)
    try:
        factor, canonical = kind.convert(unit)
    except UnitError as exc:
        raise _qerr(exc.code, kind, raw, **exc.params) from None
    return _bounded(number, factor, canonical, unit, kind, raw)


def parse_money(raw: Any) -> Measured:
    """Parse an amount of money: ``"200 CNY"``, ``"CNY 200"`` or ``{"value", "currency"}``."""
    kind = MONEY
    if isinstance(raw, Measured):
        if len(raw.unit) != 3 or not raw.unit.isalpha():
            raise _qerr("currency_malformed", kind, raw)
        number = to_float(raw.magnitude, kind, raw)
        cur = raw.unit
    elif isinstance(raw, str):
        m = _MONEY.match(raw) if len(raw) <= MAX_TEXT else None
        if m is None:
            raise _qerr("quantity_unreadable", kind, raw)
        cur = m.group(1) or m.group(4)
        number = to_float(_text_number(m.group(2) or m.group(3), kind, raw), kind, raw)
        if m.group(4) and cur.isascii():  # "<number> <CUR>": remember the currency spelling
            kind.factors.put(cur, (1.0, cur.upper(), MAX_MONEY))
    elif isinstance(raw, dict):
        if len(raw) != 2 or set(raw) not in ({"value", "currency"}, {"value", "unit"}):
            raise _qerr("quantity_mapping", kind, raw, second="currency")
        cur_any = raw.get("currency", raw.get("unit"))
        if not isinstance(cur_any, str) or len(cur_any) != 3 or not cur_any.isascii() \
                or not cur_any.isalpha():
            raise _qerr("currency_malformed", kind, raw)
        cur = cur_any
        number = to_float(raw["value"], kind, raw)
    else:
        code = ("quantity_bare_number" if isinstance(raw, (int, float))
                and not isinstance(raw, bool) else "quantity_unreadable")
        raise _qerr(code, kind, raw)
    cur = cur.upper()
    if number > MAX_MONEY:
        raise _qerr("quantity_too_large", kind, raw, limit=f"{MAX_MONEY:g}", unit=cur)
    return Measured(number, cur, number, cur)

