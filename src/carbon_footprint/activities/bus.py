"""Bus and coach journeys, per passenger-km."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .._plans import Context, Plan
from .._registry import ActivitySpec, register
from ._base import ActivityBase, per_passenger, region_code
from ._fields import Distance, Passengers, Region

__all__ = ["Bus"]


class Bus(ActivityBase):
    """A bus or coach journey, per passenger-km."""

    type: Literal["bus"] = "bus"
    distance: Distance
    service: Literal["average", "local", "london", "coach"] = "average"
    passengers: Passengers = 1
    region: Region | None = Field(None, description="Where the journey is, for tables with "
                                  "regional bus factors.")


def _compile(a: Bus, ctx: Context) -> Plan:
    region = region_code(ctx, a.region, "region")
    hit = ctx.find("bus", {"service": a.service}, region, field="service", value=a.service,
                   region_field="region")
    return per_passenger(ctx, SPEC, hit, a.passengers)


SPEC = register(ActivitySpec(
    type="bus", model=Bus, category="travel", selectors=("service",), per=("passenger_km",),
    quantity="distance", kind="distance", compile=_compile, region_field="region"))
