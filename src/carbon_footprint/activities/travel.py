"""Travel activities: flight, rail, car, taxi, bus, metro.

Distances are validated into kilometres once; any length unit is accepted. ``passengers`` counts
the travellers the line covers; for ``car`` the vehicle's emissions are shared by ``occupants`` and
the line is one occupant's share times ``passengers`` (default: the whole car, one occupant).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictBool, model_validator

from ..errors import ActivityError
from ._base import ActivityBase
from ._fields import Distance, Passengers

__all__ = ["Bus", "Car", "Flight", "Metro", "Motorbike", "Rail", "Taxi"]

Cabin = Literal["average", "economy", "premium_economy", "business", "first"]
Route = Literal["domestic_uk", "to_from_uk", "non_uk"]
Iata = str


class Flight(ActivityBase):
    """A flight, by great-circle ``distance`` or by ``origin`` and ``destination`` IATA codes.

    With IATA codes the distance is the great-circle distance between the airports and the route
    (UK domestic, to/from the UK, or not touching the UK) is known; with a bare distance the route
    defaults to ``non_uk`` unless ``route`` says otherwise. See docs/methodology.md.
    """

    reporting_category = "travel"
    type: Literal["flight"] = "flight"
    distance: Distance | None = Field(None, description="great-circle distance, one way")
    origin: Iata | None = Field(None, pattern=r"^[A-Za-z]{3}$", description="IATA airport code")
    destination: Iata | None = Field(None, pattern=r"^[A-Za-z]{3}$",
                                     description="IATA airport code")
    cabin: Cabin = "average"
    passengers: Passengers = 1
    round_trip: StrictBool = False
    radiative_forcing: StrictBool = Field(
        True, description="include the non-CO2 effects of aviation (DESNZ advises reporting "
        "with them)")
    route: Route | None = Field(
        None, description="only with distance: whether the flight is UK domestic, to/from the "
        "UK or neither (default non_uk); inferred from the airports otherwise")

    @model_validator(mode="after")
    def _route_given_once(self) -> Flight:
        has_codes = self.origin is not None or self.destination is not None
        if self.distance is not None and has_codes:
            raise ActivityError("give either distance or origin and destination, not both",
                                field="distance", value=str(self.distance),
                                expected="distance alone, or origin + destination")
        if self.distance is None:
            if self.origin is None or self.destination is None:
                missing = "origin" if self.origin is None else "destination"
                raise ActivityError("a flight needs a distance, or both origin and destination",
                                    field=missing, value=None,
                                    expected="a 3-letter IATA airport code")
            if self.route is not None:
                raise ActivityError("route is inferred from the airports; give it only with "
                                    "distance", field="route", value=self.route,
                                    expected="no route when origin and destination are given")
        return self


class Rail(ActivityBase):
    """A train journey per passenger."""

    reporting_category = "travel"
    type: Literal["rail"] = "rail"
    distance: Distance
    service: Literal[
        "national", "high_speed", "international", "light_rail",
        # US EPA services
        "commuter", "intercity_northeast_corridor", "intercity_other_routes",
    ] = "national"
    passengers: Passengers = 1


class Car(ActivityBase):
    """A car journey (vehicle-km factors, shared among ``occupants``)."""

    reporting_category = "travel"
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
    occupants: Passengers = Field(1, description="people sharing the car [count]")
    passengers: Passengers = Field(1, description="of the occupants, how many this line covers")

    @model_validator(mode="after")
    def _share(self) -> Car:
        if self.passengers > self.occupants:
            raise ActivityError("passengers cannot exceed occupants", field="passengers",
                                value=self.passengers,
                                expected=f"at most occupants ({self.occupants})")
        return self


class Taxi(ActivityBase):
    """A taxi ride: per passenger-km (default) or, with ``basis="vehicle"``, per vehicle-km."""

    reporting_category = "travel"
    type: Literal["taxi"] = "taxi"
    distance: Distance
    service: Literal["regular", "black_cab"] = "regular"
    basis: Literal["passenger", "vehicle"] = Field(
        "passenger", description="passenger: the line covers `passengers` travellers; vehicle: "
        "the whole cab (e.g. a hired car with driver)")
    passengers: Passengers = 1


class Motorbike(ActivityBase):
    """A motorbike journey, per vehicle-km."""

    reporting_category = "travel"
    type: Literal["motorbike"] = "motorbike"
    distance: Distance
    size: Literal["small", "medium", "large", "average"] = "average"


class Bus(ActivityBase):
    """A bus or coach journey, per passenger-km."""

    reporting_category = "travel"
    type: Literal["bus"] = "bus"
    distance: Distance
    service: Literal["average", "local", "london", "coach"] = "average"
    passengers: Passengers = 1


class Metro(ActivityBase):
    """An underground / metro or light-rail ride, per passenger-km."""

    reporting_category = "travel"
    type: Literal["metro"] = "metro"
    distance: Distance
    service: Literal["underground", "light_rail"] = "underground"
    passengers: Passengers = 1
