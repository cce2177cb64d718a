"""Metro (underground) and light-rail rides, per passenger-km."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .._plans import Context, Plan
from .._registry import ActivitySpec, register
from ._base import ActivityBase, per_passenger, region_code
from ._fields import Distance, Passengers, Region

__all__ = ["Metro"]


class Metro(ActivityBase):
    """An underground / metro or light-rail ride, per passenger-km."""

    type: Literal["metro"] = "metro"
    distance: Distance
    service: Literal["underground", "light_rail"] = "underground"
    passengers: Passengers = 1
    region: Region | None = Field(
        None, description="Where the ride is (e.g. CN-SC for Chengdu), for tables with regional "
        "metro factors.")


def _compile(a: Metro, ctx: Context) -> Plan:
    region = region_code(ctx, a.region, "region")
    hit = ctx.find("metro", {"service": a.service}, region, field="service", value=a.service,
                   region_field="region")
    return per_passenger(ctx, SPEC, hit, a.passengers)


SPEC = register(ActivitySpec(
    type="metro", model=Metro, category="travel", selectors=("service",), per=("passenger_km",),
    quantity="distance", kind="distance", compile=_compile, region_field="region"))
