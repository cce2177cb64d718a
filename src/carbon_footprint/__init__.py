"""carbon_footprint: what people do -> tonnes of CO2e -> carbon credits to neutralize them.

>>> from carbon_footprint import calculate
>>> fp = calculate([{"type": "rail", "distance": "350 km", "service": "national"}])
>>> fp.lines[0].factor.table
'desnz-2024'
"""

from typing import Any as _Any

from ._calculate import calculate
from .activities import (
    Activity,
    Bus,
    Car,
    Electricity,
    Flight,
    Food,
    Hotel,
    Meal,
    Metro,
    Motorbike,
    Purchase,
    Rail,
    Taxi,
    validate_activity,
)
from .errors import (
    ActivityError,
    CarbonFootprintError,
    CurrencyError,
    GwpError,
    NoFactorError,
    OffsetPolicyError,
    QuantityError,
    TableError,
    UnknownCodeError,
    UnknownTableError,
)
from .offsets import OffsetPolicy, OffsetResult, credits_for
from .results import ErrorLine, Footprint, LineItem
from .tables import DEFAULT_TABLES, FactorRef, clear_caches, load_table, tables

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_TABLES",
    "Activity",
    "ActivityError",
    "Bus",
    "Car",
    "CarbonFootprintError",
    "CurrencyError",
    "Electricity",
    "ErrorLine",
    "FactorRef",
    "Flight",
    "Food",
    "Footprint",
    "GwpError",
    "Hotel",
    "LineItem",
    "Meal",
    "Metro",
    "Motorbike",
    "NoFactorError",
    "OffsetPolicy",
    "OffsetPolicyError",
    "OffsetResult",
    "Purchase",
    "QuantityError",
    "Rail",
    "TableError",
    "Taxi",
    "UnknownCodeError",
    "UnknownTableError",
    "__version__",
    "activity_schema",
    "calculate",
    "calculate_frame",
    "clear_caches",
    "credits_for",
    "load_table",
    "tables",
    "validate_activity",
]


def activity_schema() -> dict[str, _Any]:
    """JSON Schema of the activity vocabulary (one activity; frontends build forms from it)."""
    from .activities import activity_adapter

    schema: dict[str, _Any] = activity_adapter().json_schema()
    for model in schema.get("$defs", {}).values():  # the discriminator is required in JSON
        if "type" in model.get("properties", {}):
            model["properties"]["type"].pop("default", None)
            model["required"] = ["type", *[r for r in model.get("required", []) if r != "type"]]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "carbon_footprint activity"
    return schema


def __getattr__(name: str) -> _Any:
    # calculate_frame needs numpy/pandas (the [pandas] extra): import it on first use only, so
    # the core install and its import time stay light.
    if name == "calculate_frame":
        from .frame import calculate_frame

        return calculate_frame
    raise AttributeError(f"module 'carbon_footprint' has no attribute {name!r}")
