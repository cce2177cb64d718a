"""The library's unit registry and the quantity type used by activity fields.

One pint registry is owned by the library and built lazily on first use from pint's defaults
plus ``units.txt`` (gas bases CO2e and CO2, passenger_km, room_night, meal, USD). It is never
installed as pint's application registry. pint's definitions cache (``cache_folder=":auto:"``,
the user cache folder) makes the registry start about ten times faster after the first run; set
``CARBON_FOOTPRINT_UNIT_CACHE`` to a folder to move it, or to ``0`` to switch it off.

Parsing is cached per unit string: a quantity such as ``"350 km"`` is split by a regular
expression, and the unit's conversion factor to the field's canonical unit (``km``, ``kg``,
``kWh``) is looked up once per distinct unit, so the per-activity cost is a float multiply.
"""

from __future__ import annotations

import math
import os
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import Any, NamedTuple

from .errors import QuantityError

__all__ = ["DISTANCE", "ENERGY", "MASS", "Measured", "QuantityKind", "get_registry", "to_float"]

_REGISTRY: Any = None
_LOCK = threading.Lock()


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
                _REGISTRY = reg
    return _REGISTRY


_UNIT_OK = re.compile(r"^[A-Za-z_µ°Ω][A-Za-z0-9_µ°Ω·.*/^() -]{0,63}$")


@lru_cache(maxsize=4096)
def unit_factor(unit: str, target: str) -> float:
    """Return the factor that converts a magnitude in ``unit`` into ``target``.

    Raises ``ValueError`` (with a readable message) for unknown units or a wrong dimension.
    Cached per (unit, target) pair: pint is consulted once per distinct pair.
    """
    if not _UNIT_OK.match(unit):
        raise ValueError(f"{unit!r} is not a unit expression")
    reg = get_registry()
    try:
        src = reg.parse_units(unit)
    except Exception as exc:  # pint raises several types (UndefinedUnitError, TypeError, ...)
        raise ValueError(f"unknown unit {unit!r} ({exc})") from None
    dst = reg.parse_units(target)
    if src.dimensionality != dst.dimensionality:
        raise ValueError(
            f"unit {unit!r} has dimension {src.dimensionality}, not {dst.dimensionality}"
        )
    factor = float(reg.Quantity(1.0, src).to(dst).magnitude)
    if not math.isfinite(factor) or factor <= 0:
        raise ValueError(f"unit {unit!r} does not convert to {target!r}")
    return factor


@dataclass(frozen=True, slots=True)
class QuantityKind:
    """A kind of physical quantity an activity field takes.

    Parameters
    ----------
    name : str
        Human name (``"distance"``).
    canonical : str
        Unit the library computes in (``"km"``).
    examples : tuple of str
        Accepted spellings shown in errors and in the JSON Schema.
    maximum : float
        Largest plausible value, in ``canonical`` units; larger input is rejected as absurd.
    """

    name: str
    canonical: str
    examples: tuple[str, ...]
    maximum: float
    #: unit string -> factor to ``canonical``, filled as units are first seen (a plain dict
    #: lookup on the hot path; pint is consulted once per distinct unit string)
    factors: dict[str, float] = field(default_factory=dict, compare=False, hash=False)

    @property
    def expected(self) -> str:
        return f"a {self.name} with a unit, e.g. " + " or ".join(repr(e) for e in self.examples)


DISTANCE = QuantityKind("distance", "km", ("350 km", "217.5 mi"), 100_000.0)
MASS = QuantityKind("mass", "kg", ("0.25 kg", "300 g", "1 lb"), 1_000_000.0)
ENERGY = QuantityKind("energy", "kWh", ("1200 kWh", "3.5 MWh", "10 GJ"), 1.0e9)


class Measured(NamedTuple):
    """A validated quantity: what was given, and its value in the field's canonical unit."""

    magnitude: float
    unit: str
    value: float  # in the field's canonical unit
    canonical: str

    def __str__(self) -> str:
        return f"{self.magnitude:g} {self.unit}"


_NUMBER_UNIT = re.compile(
    r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:nan|inf|infinity))\s*(.*?)\s*$",
    re.IGNORECASE,
)


def to_float(value: Any, what: str) -> float:
    """Return ``value`` as a finite, non-negative float, or raise ``QuantityError``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise QuantityError(f"{what} must be a number", value=value, expected="a number >= 0")
    number = float(value)
    if math.isnan(number):
        raise QuantityError(f"{what} is NaN", value=value, expected="a finite number >= 0")
    if math.isinf(number):
        raise QuantityError(f"{what} is infinite", value=value, expected="a finite number >= 0")
    if number < 0:
        raise QuantityError(f"{what} is negative", value=value, expected="a number >= 0")
    return number


def parse_quantity(raw: Any, kind: QuantityKind) -> Measured:
    """Parse ``raw`` (string, ``{"value", "unit"}`` mapping or pint quantity) as ``kind``."""
    if type(raw) is str and len(raw) <= 100:  # fast path: "350 km" in an already-seen unit
        m = _NUMBER_UNIT.match(raw)
        if m is not None:
            factor = kind.factors.get(m.group(2))
            if factor is not None:
                number = float(m.group(1))
                value = number * factor
                if 0.0 <= value <= kind.maximum:  # False for NaN; inf exceeds the maximum
                    return Measured(number, m.group(2), value, kind.canonical)
    return _parse_quantity(raw, kind)


def _parse_quantity(raw: Any, kind: QuantityKind) -> Measured:
    if isinstance(raw, Measured):
        if raw.canonical == kind.canonical:
            return raw
        raw = {"value": raw.magnitude, "unit": raw.unit}
    expected = kind.expected  # slow path only: errors and first sight of a unit
    if isinstance(raw, str):
        m = _NUMBER_UNIT.match(raw) if len(raw) <= 100 else None
        if m is None:
            raise QuantityError(f"cannot read {kind.name!s}", value=raw, expected=expected)
        magnitude: Any = float(m.group(1))
        unit = m.group(2)
    elif isinstance(raw, dict):
        if set(raw) != {"value", "unit"}:
            raise QuantityError(
                f"a {kind.name} mapping needs exactly the keys 'value' and 'unit'",
                value=raw,
                expected=expected,
            )
        magnitude, unit = raw["value"], raw["unit"]
        if not isinstance(unit, str):
            raise QuantityError("the unit must be a string", value=raw, expected=expected)
    elif hasattr(raw, "magnitude") and hasattr(raw, "units"):  # a pint Quantity, any registry
        magnitude, unit = raw.magnitude, format(raw.units, "~")
        if not isinstance(magnitude, (int, float)):
            raise QuantityError(
                f"a {kind.name} must be a scalar quantity", value=raw, expected=expected
            )
    else:
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            reason = f"a bare number is ambiguous for {kind.name}: give a unit"
        else:
            reason = f"cannot read {kind.name}"
        raise QuantityError(reason, value=raw, expected=expected)
    number = to_float(magnitude, kind.name)
    unit = unit.strip()
    if not unit:
        raise QuantityError(f"{kind.name} has no unit", value=raw, expected=expected)
    try:
        factor = unit_factor(unit, kind.canonical)
    except ValueError as exc:
        raise QuantityError(str(exc), value=raw, expected=expected) from None
    kind.factors[unit] = factor
    value = number * factor
    if value > kind.maximum:
        raise QuantityError(
            f"{kind.name} is implausibly large (limit {kind.maximum:g} {kind.canonical})",
            value=raw,
            expected=f"at most {kind.maximum:g} {kind.canonical}",
        )
    return Measured(number, unit, value, kind.canonical)
