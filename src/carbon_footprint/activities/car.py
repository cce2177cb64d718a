"""Car journeys: vehicle-km factors, shared among ``occupants``."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from .._notices import Notice, notice
from .._plans import Context, Plan
from .._registry import ActivitySpec, register
from ..errors import ActivityError
from ._base import ActivityBase, region_code
from ._fields import Distance, Passengers, Region

__all__ = ["Car"]


class Car(ActivityBase):
    """A car journey (vehicle-km factors, shared among ``occupants``).

    The vehicle's emissions are shared by ``occupants`` and the line is one occupant's share
    times ``passengers`` (default: the whole car, one occupant).
    """

    type: Literal["car"] = "car"
    distance: Distance
    fuel: Literal["petrol", "diesel", "hybrid", "plugin_hybrid", "electric", "cng", "lpg",
                  "unknown"] = "unknown"
    size: Literal[
        "small", "medium", "large", "average",
        # market segments (DESNZ "Cars (by market segment)")
        "mini", "supermini", "lower_medium", "upper_medium", "executive", "luxury", "sports",
        "dual_purpose_4x4", "mpv",
        # US EPA vehicle classes
        "light_truck",
    ] = "average"
    occupants: Passengers = Field(1, description="People sharing the car [count].")
    passengers: Passengers = Field(1, description="Of the occupants, how many this line covers "
                                   "[count].")
    region: Region | None = Field(None, description="Where the journey is, for tables with "
                                  "regional car factors.")

    @model_validator(mode="after")
    def _share(self) -> Any:
        if self.passengers > self.occupants:
            raise ActivityError("passengers_exceed_occupants", field="passengers",
                                value=self.passengers,
                                params={"occupants": self.occupants}).carried()
        return self


def _compile(a: Car, ctx: Context) -> Plan:
    region = region_code(ctx, a.region, "region")
    hit = ctx.find("car", {"size": a.size, "fuel": a.fuel}, region, field="fuel", value=a.fuel,
                   region_field="region")
    notes: tuple[Notice, ...] = ()
    if a.occupants > 1:
        notes = (notice("car_shared", occupants=a.occupants, passengers=a.passengers),)
    return ctx.linear(SPEC, hit, multiplier=a.passengers / a.occupants, unit="km",
                      notices=notes)


SPEC = register(ActivitySpec(
    type="car", model=Car, category="travel", selectors=("size", "fuel"), per=("km",),
    quantity="distance", kind="distance", compile=_compile, region_field="region"))
