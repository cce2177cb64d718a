"""Ferry crossings, per passenger-km (DESNZ "Business travel - sea": foot passengers, car
passengers -- travelling with a car on board -- and the average of all passengers)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .._plans import Context, Plan
from .._registry import ActivitySpec, register
from ._base import ActivityBase, per_passenger, region_code
from ._fields import Distance, Passengers, Region

__all__ = ["Ferry"]


class Ferry(ActivityBase):
    """A ferry crossing per passenger (a car on board counts in ``car_passenger``)."""

    type: Literal["ferry"] = "ferry"
    distance: Distance
    service: Literal["foot_passenger", "car_passenger", "average"] = Field(
        "average", description="Foot passenger, passenger with a car on board, or the average "
        "of all passengers.")
    passengers: Passengers = 1
    region: Region | None = Field(None, description="Where the crossing is, for tables with "
                                  "regional ferry factors.")


def _compile(a: Ferry, ctx: Context) -> Plan:
    region = region_code(ctx, a.region, "region")
    hit = ctx.find("ferry", {"service": a.service}, region, field="service", value=a.service,
                   region_field="region")
    return per_passenger(ctx, SPEC, hit, a.passengers)


SPEC = register(ActivitySpec(
    type="ferry", model=Ferry, category="travel", selectors=("service",),
    per=("passenger_km",), quantity="distance", kind="distance", compile=_compile,
    region_field="region"))
