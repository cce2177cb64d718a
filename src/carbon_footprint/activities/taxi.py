"""Taxi rides: per passenger-km (default) or, with ``basis="vehicle"``, per vehicle-km."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .._plans import Context, Plan
from .._registry import ActivitySpec, register
from ._base import ActivityBase, per_passenger, region_code
from ._fields import Distance, Passengers, Region

__all__ = ["Taxi"]


class Taxi(ActivityBase):
    """A taxi ride: per passenger-km (default) or, with ``basis="vehicle"``, per vehicle-km."""

    type: Literal["taxi"] = "taxi"
    distance: Distance
    service: Literal["regular", "black_cab"] = "regular"
    basis: Literal["passenger", "vehicle"] = Field(
        "passenger", description="passenger: the line covers `passengers` travellers; vehicle: "
        "the whole cab (e.g. a hired car with driver).")
    passengers: Passengers = 1
    region: Region | None = Field(None, description="Where the ride is, for tables with "
                                  "regional taxi factors.")


def _compile(a: Taxi, ctx: Context) -> Plan:
    region = region_code(ctx, a.region, "region")
    hit = ctx.find("taxi", {"service": a.service, "basis": a.basis}, region, field="service",
                   value=a.service, region_field="region")
    return per_passenger(ctx, SPEC, hit, a.passengers)


SPEC = register(ActivitySpec(
    type="taxi", model=Taxi, category="travel", selectors=("service", "basis"),
    per=("passenger_km", "km"), quantity="distance", kind="distance", compile=_compile,
    region_field="region"))
