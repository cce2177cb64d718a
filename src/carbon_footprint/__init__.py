"""carbon_footprint: what people do -> tonnes of CO2e -> carbon credits to neutralize them.

>>> from carbon_footprint import calculate
>>> fp = calculate([{"type": "rail", "distance": "350 km", "service": "national"}])
>>> fp.lines[0].factor.table
'desnz-2024'
"""

from importlib import import_module as _import_module
from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

from ._api import calculate, gc_paused
from ._cache import clear_caches
from ._i18n import labels
from ._notices import Notice
from ._registry import ActivitySpec
from ._registry import specs as _specs
from ._validate import validate
from ._version import __version__
from .activities import Activity, ActivityBase, validate_activity
from .activities.bus import Bus
from .activities.car import Car
from .activities.electricity import Electricity
from .activities.ferry import Ferry
from .activities.flight import Flight
from .activities.food import Food
from .activities.fuel import Fuel
from .activities.heat import Heat
from .activities.hotel import Hotel
from .activities.material import Material
from .activities.meal import Meal
from .activities.metro import Metro
from .activities.motorbike import Motorbike
from .activities.purchase import Purchase
from .activities.rail import Rail
from .activities.refrigerant import Refrigerant
from .activities.taxi import Taxi
from .activities.waste import Waste
from .activities.water import Water
from .errors import (
    ActivityError,
    ArgumentTypeError,
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
from .method import PROFILES, Method
from .offsets import OffsetPolicy, OffsetResult, credits_for
from .results import ErrorLine, Footprint, LineItem, expand_normalized
from .tables import DEFAULT_TABLES, FactorRef, Table, TableRef, list_tables, load_table

#: Names of the neutralize/certify/rank and event layers, imported on first use: a guest's
#: calculation does not pay for them at start-up (cold start).
_LAZY: dict[str, str] = {
    "Allocation": "neutralize",
    "Avoided": "leaderboard",
    "Certificate": "certificates",
    "CertificateError": "_credit_errors",
    "Claim": "neutralize",
    "ClaimCheck": "claims",
    "CreditError": "_credit_errors",
    "Entry": "leaderboard",
    "Event": "event",
    "EventError": "event",
    "EventFootprint": "event",
    "Finding": "claims",
    "MissingExtraError": "_credit_errors",
    "Pool": "neutralize",
    "PoolError": "_credit_errors",
    "PoolResult": "neutralize",
    "RankError": "_credit_errors",
    "Ranked": "leaderboard",
    "RecordError": "_credit_errors",
    "RetirementRecord": "credits",
    "Scheme": "credits",
    "SerialError": "_credit_errors",
    "SerialRange": "credits",
    "Slice": "neutralize",
    "UnknownSchemeError": "_credit_errors",
    "Verification": "certificates",
    "activity_schema": "_schemas",
    "avoided": "leaderboard",
    "calculate_event": "event",
    "request_schema": "_schemas",
    "response_schema": "_schemas",
    "calculate_event_frame": "event",
    "canonical_json": "certificates",
    "certify": "certificates",
    "check_claim": "claims",
    "get_scheme": "credits",
    "parse_serial": "credits",
    "rank": "leaderboard",
    "retirement_record": "credits",
    "rule_sets": "claims",
    "schemes": "credits",
    "verify": "certificates",
}
if _TYPE_CHECKING:
    from ._credit_errors import (
        CertificateError,
        CreditError,
        MissingExtraError,
        PoolError,
        RankError,
        RecordError,
        SerialError,
        UnknownSchemeError,
    )
    from ._schemas import activity_schema, request_schema, response_schema
    from .certificates import Certificate, Verification, canonical_json, certify, verify
    from .claims import ClaimCheck, Finding, check_claim, rule_sets
    from .credits import (
        RetirementRecord,
        Scheme,
        SerialRange,
        get_scheme,
        parse_serial,
        retirement_record,
        schemes,
    )
    from .event import Event, EventError, EventFootprint, calculate_event, calculate_event_frame
    from .leaderboard import Avoided, Entry, Ranked, avoided, rank
    from .neutralize import Allocation, Claim, Pool, PoolResult, Slice

__all__ = [
    "DEFAULT_TABLES",
    "PROFILES",
    "Activity",
    "ActivityBase",
    "ActivityError",
    "ActivitySpec",
    "Allocation",
    "ArgumentTypeError",
    "Avoided",
    "Bus",
    "Car",
    "CarbonFootprintError",
    "Certificate",
    "CertificateError",
    "Claim",
    "ClaimCheck",
    "CreditError",
    "CurrencyError",
    "Electricity",
    "Entry",
    "ErrorLine",
    "Event",
    "EventError",
    "EventFootprint",
    "FactorRef",
    "Ferry",
    "Finding",
    "Flight",
    "Food",
    "Footprint",
    "Fuel",
    "GwpError",
    "Heat",
    "Hotel",
    "LineItem",
    "Material",
    "Meal",
    "Method",
    "Metro",
    "MissingExtraError",
    "Motorbike",
    "NoFactorError",
    "Notice",
    "OffsetPolicy",
    "OffsetPolicyError",
    "OffsetResult",
    "Pool",
    "PoolError",
    "PoolResult",
    "Purchase",
    "QuantityError",
    "Rail",
    "RankError",
    "Ranked",
    "RecordError",
    "Refrigerant",
    "RetirementRecord",
    "Scheme",
    "SerialError",
    "SerialRange",
    "Slice",
    "Table",
    "TableError",
    "TableRef",
    "Taxi",
    "UnknownCodeError",
    "UnknownSchemeError",
    "UnknownTableError",
    "Verification",
    "Waste",
    "Water",
    "__version__",
    "activity_schema",
    "activity_types",
    "avoided",
    "calculate",
    "calculate_event",
    "calculate_event_frame",
    "calculate_frame",
    "canonical_json",
    "certify",
    "check_claim",
    "clear_caches",
    "credits_for",
    "expand_normalized",
    "gc_paused",
    "get_scheme",
    "labels",
    "list_tables",
    "load_table",
    "parse_serial",
    "rank",
    "request_schema",
    "response_schema",
    "retirement_record",
    "rule_sets",
    "schemes",
    "validate",
    "validate_activity",
    "verify",
]


def activity_types() -> dict[str, ActivitySpec]:
    """Every activity type the library knows, with its spec (model, category, quantity...)."""
    return dict(_specs())


def __getattr__(name: str) -> _Any:
    # calculate_frame needs numpy/pandas (the [pandas] extra): import it on first use only, so
    # the core install and its import time stay light.
    if name == "calculate_frame":
        from .frame import calculate_frame

        return calculate_frame
    module = _LAZY.get(name)
    if module is not None:
        value = getattr(_import_module(f"{__name__}.{module}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'carbon_footprint' has no attribute {name!r}")
