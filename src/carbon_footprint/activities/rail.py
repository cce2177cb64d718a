"""Rail journeys, per passenger-km (DESNZ national, international and light rail; EPA US
services). High-speed rail uses the tables' declared proxy when none has its own factor."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .._plans import Context, Plan
from .._registry import ActivitySpec, register
from ._base import ActivityBase, per_passenger, region_code
from ._fields import Distance, Passengers, Region

__all__ = ["Rail"]


class Rail(ActivityBase):
    """A train journey per passenger."""

    type: Literal["rail"] = "rail"
    distance: Distance
    service: Literal[
        "national", "high_speed", "international", "light_rail",
        # US EPA services
        "commuter", "intercity_northeast_corridor", "intercity_other_routes",
    ] = "national"
    passengers: Passengers = 1
    region: Region | None = Field(
        None, description="Where the journey is (ISO 3166 code, e.g. CN-SC), for tables with "
        "regional rail factors; without one the tables' general factor applies.")


def _compile(a: Rail, ctx: Context) -> Plan:
    region = region_code(ctx, a.region, "region")
    hit = ctx.find("rail", {"service": a.service}, region, field="service", value=a.service,
                   region_field="region")
    return per_passenger(ctx, SPEC, hit, a.passengers)


SPEC = register(ActivitySpec(
    type="rail", model=Rail, category="travel", selectors=("service",), per=("passenger_km",),
    quantity="distance", kind="distance", compile=_compile, region_field="region"))
