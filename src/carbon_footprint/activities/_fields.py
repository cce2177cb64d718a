"""Reusable annotated field types for activity models: quantities, money, counts, codes.

A quantity field accepts a pint quantity, a string such as ``"350 km"`` or ``"217.5 mi"``, or a
mapping ``{"value": 350, "unit": "km"}``, in any unit of the right dimension; it validates to a
:class:`~carbon_footprint.units.Measured` that keeps what was given and the value in the field's
canonical unit. Bare numbers are accepted only for counts.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from ..errors import QuantityError
from ..units import DISTANCE, ENERGY, MASS, Measured, QuantityKind, parse_quantity, to_float

__all__ = [
    "Distance", "Energy", "Mass", "Money", "MoneyAmount", "Nights", "Passengers", "Rooms",
    "Servings",
]


class _Parsed:
    """Pydantic field marker: validate with ``parse``, serialize with ``dump``, described by
    ``schema`` (a string form or an object form)."""

    def __init__(self, parse: Callable[[Any], Any], dump: Callable[[Any], Any],
                 schema: JsonSchemaValue) -> None:
        self.parse, self.dump, self.schema = parse, dump, schema

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            self.parse, serialization=core_schema.plain_serializer_function_ser_schema(self.dump))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return copy.deepcopy(self.schema)  # pydantic may add to it per field: never share


def _string_or_object(title: str, description: str, examples: list[str], pattern: str,
                      second: str, second_schema: dict[str, Any]) -> JsonSchemaValue:
    return {
        "title": title, "description": description, "examples": examples,
        "anyOf": [
            {"type": "string", "pattern": pattern},
            {"type": "object",
             "properties": {"value": {"type": "number", "minimum": 0}, second: second_schema},
             "required": ["value", second], "additionalProperties": False},
        ],
    }


def _quantity(kind: QuantityKind) -> _Parsed:
    return _Parsed(
        lambda raw: parse_quantity(raw, kind),
        lambda m: {"value": m.magnitude, "unit": m.unit},
        _string_or_object(
            kind.name.capitalize(),
            f"A {kind.name} in any unit of that dimension, up to {kind.maximum:g} "
            f"{kind.canonical}: a string like {kind.examples[0]!r} or an object with value "
            "and unit.",
            list(kind.examples), r"^\s*[0-9.eE+]+\s*\S.*$",
            "unit", {"type": "string", "examples": [kind.canonical]}),
    )


Distance = Annotated[Measured, _quantity(DISTANCE)]
Mass = Annotated[Measured, _quantity(MASS)]
Energy = Annotated[Measured, _quantity(ENERGY)]


Passengers = Annotated[int, Field(strict=True, ge=1, le=10_000,
                                   description="travellers covered by this line [count]")]
Nights = Annotated[int, Field(strict=True, ge=1, le=3_660, description="nights [count]")]
Rooms = Annotated[int, Field(strict=True, ge=1, le=10_000, description="rooms [count]")]
Servings = Annotated[int, Field(strict=True, ge=1, le=1_000_000, description="meals [count]")]


MAX_MONEY = 1.0e10
_MONEY = re.compile(
    r"^\s*(?:([A-Za-z]{3})\s*([-+]?\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?|[-+]?\.\d+|nan|inf)"
    r"|([-+]?\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?|[-+]?\.\d+|nan|inf)\s*([A-Za-z]{3}))\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class MoneyAmount:
    """A validated amount of money in an ISO 4217 currency."""

    amount: float
    currency: str

    def __str__(self) -> str:
        return f"{self.amount:g} {self.currency}"


def parse_money(raw: Any) -> MoneyAmount:
    expected = "an amount with an ISO 4217 currency code, e.g. '200 CNY' or {'value': 200, " \
               "'currency': 'CNY'}"
    if isinstance(raw, MoneyAmount):
        return raw
    if isinstance(raw, str):
        m = _MONEY.match(raw) if len(raw) <= 60 else None
        if m is None:
            raise QuantityError("cannot read amount", value=raw, expected=expected)
        cur = m.group(1) or m.group(4)
        number: Any = float((m.group(2) or m.group(3)).replace("_", ""))
    elif isinstance(raw, dict):
        keys = set(raw)
        if keys not in ({"value", "currency"}, {"value", "unit"}):
            raise QuantityError("an amount mapping needs the keys 'value' and 'currency'",
                                value=raw, expected=expected)
        number, cur = raw["value"], raw.get("currency", raw.get("unit"))
        if not isinstance(cur, str) or not re.fullmatch(r"[A-Za-z]{3}", cur):
            raise QuantityError("currency must be a 3-letter ISO 4217 code", value=raw,
                                expected=expected)
    else:
        reason = ("a bare number is ambiguous for an amount: give a currency"
                  if isinstance(raw, (int, float)) and not isinstance(raw, bool)
                  else "cannot read amount")
        raise QuantityError(reason, value=raw, expected=expected)
    value = to_float(number, "amount")
    if value > MAX_MONEY:
        raise QuantityError(f"amount is implausibly large (limit {MAX_MONEY:g})", value=raw,
                            expected=f"at most {MAX_MONEY:g}")
    assert math.isfinite(value)
    return MoneyAmount(value, cur.upper())


Money = Annotated[MoneyAmount, _Parsed(
    parse_money,
    lambda m: {"value": m.amount, "currency": m.currency},
    _string_or_object(
        "Money",
        f"An amount in an ISO 4217 currency: '200 CNY' or an object with value and currency; "
        f"up to {MAX_MONEY:g}.",
        ["200 CNY", "35.5 USD"], r"^\s*([A-Za-z]{3}\s*[0-9.]+|[0-9.]+\s*[A-Za-z]{3})\s*$",
        "currency", {"type": "string", "pattern": "^[A-Za-z]{3}$"}),
)]
