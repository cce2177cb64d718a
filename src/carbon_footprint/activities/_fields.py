"""Reusable annotated field types for activity models: quantities, money, counts, codes.

A quantity field accepts a pint quantity, a string such as ``"350 km"`` or ``"217.5 mi"``, or a
mapping ``{"value": 350, "unit": "km"}``, in any unit of the right dimension; it validates to a
:class:`~carbon_footprint.units.Measured` that keeps what was given and the value in a
canonical unit. Money is the same with a currency. Bare numbers are accepted only for counts.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Annotated, Any, get_args

from pydantic import (
    BeforeValidator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    ValidationInfo,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from .._geo import name_suggestions, region_alias
from ..errors import ActivityError, UnknownCodeError
from ..units import (
    DISTANCE,
    ENERGY,
    FUEL_AMOUNT,
    MASS,
    MAX_MONEY,
    MONEY,
    VOLUME,
    Measured,
    QuantityKind,
    parse_quantity,
)

__all__ = [
    "REGION_PATTERN", "Count", "Distance", "Energy", "FuelAmount", "Mass", "Money", "Nights",
    "Passengers", "Region", "Rooms", "Servings", "Volume", "quantity_kind",
]


class _Parsed:
    """Pydantic field marker: validate with ``parse``, serialize with ``dump``, described by
    ``schema``; ``kind`` is the quantity kind the field holds."""

    def __init__(self, kind: QuantityKind, parse: Callable[[Any], Any],
                 dump: Callable[[Any], Any], schema: JsonSchemaValue) -> None:
        self.kind, self.parse, self.dump, self.schema = kind, parse, dump, schema

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        parse = self.parse

        def validate(raw: Any) -> Any:
            try:
                return parse(raw)
            except ActivityError as exc:
                raise exc.carried() from None

        return core_schema.no_info_plain_validator_function(
            validate, serialization=core_schema.plain_serializer_function_ser_schema(self.dump))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return copy.deepcopy(self.schema)  # pydantic may add to it per field: never share


def _schema(kind: QuantityKind, second: str) -> JsonSchemaValue:
    units = ", ".join(f"{u} (up to {m:g})" for u, m in kind.units)
    return {
        "title": kind.name.capitalize(),
        "description": f"A {kind.name}: a string like {kind.examples[0]!r} or an object with "
                       f"value and {second}. Canonical units: {units}.",
        "examples": list(kind.examples),
        "x-quantity": {"kind": kind.name, "second": second,
                       "units": [u for u, _ in kind.units]},
        "anyOf": [
            {"type": "string", "maxLength": 100},
            {"type": "object",
             "properties": {"value": {"type": "number", "minimum": 0},
                            second: {"type": "string", "maxLength": 64}},
             "required": ["value", second], "additionalProperties": False},
        ],
    }


def _quantity(kind: QuantityKind) -> _Parsed:
    second = "currency" if kind.money else "unit"
    return _Parsed(
        kind,
        lambda raw: parse_quantity(raw, kind),
        (lambda m: {"value": m.magnitude, "currency": m.unit}) if kind.money
        else (lambda m: {"value": m.magnitude, "unit": m.unit}),
        _schema(kind, second),
    )


Distance = Annotated[Measured, _quantity(DISTANCE)]
Mass = Annotated[Measured, _quantity(MASS)]
Energy = Annotated[Measured, _quantity(ENERGY)]
Volume = Annotated[Measured, _quantity(VOLUME)]
FuelAmount = Annotated[Measured, _quantity(FUEL_AMOUNT)]
Money = Annotated[Measured, _quantity(MONEY)]
assert MONEY.maximum == MAX_MONEY


def quantity_kind(field_info: Any) -> QuantityKind | None:
    """The quantity kind of a model field, optional or not (None if it is no quantity)."""
    metadata = list(getattr(field_info, "metadata", ()))
    for arg in get_args(getattr(field_info, "annotation", None)):  # ``Distance | None``
        metadata.extend(getattr(arg, "__metadata__", ()))
    for m in metadata:
        if isinstance(m, _Parsed):
            return m.kind
    return None


def Count(ge: int, le: int, description: str) -> Any:
    return Annotated[int, Field(strict=True, ge=ge, le=le, description=description)]


Passengers = Count(1, 10_000, "Travellers covered by this line [count].")
Nights = Count(1, 3_660, "Nights [count].")
Rooms = Count(1, 10_000, "Rooms [count].")
Servings = Count(1, 1_000_000, "Meals [count].")
REGION_PATTERN = r"^[A-Za-z]{2}(-[A-Za-z0-9]{1,12}){0,2}$"
_CODE = re.compile(REGION_PATTERN)


def _read_region(raw: Any, info: ValidationInfo) -> Any:
    """What a person typed for a region, as its ISO 3166 code: a Chinese name or a GB/T 2260
    code (``四川``, ``四川省``, ``CN-51`` -> ``CN-SC``; ``中国`` -> ``CN``). An English name
    (``China``) is not read as a code: it is an unknown code suggesting the one meant."""
    if type(raw) is not str or len(raw) > 32:
        return raw
    alias = region_alias(raw)
    if alias is not None:
        return alias
    if _CODE.match(raw.strip()) is None:
        meant = name_suggestions(raw)
        if meant:
            kind = "country_unknown" if info.field_name == "country" else "region_unknown"
            raise UnknownCodeError(kind, field=info.field_name, value=raw,
                                   suggestions=meant).carried()
    return raw


Region = Annotated[str, BeforeValidator(_read_region),
                   Field(min_length=2, max_length=32, pattern=REGION_PATTERN,
                         examples=["CN", "CN-SC", "GB"])]
