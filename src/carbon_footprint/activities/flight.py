"""Flights: by great-circle ``distance``, or by ``origin`` and ``destination`` IATA codes.

Method code for flights lives here and only here: the great-circle distance between airports,
the DESNZ route class of a pair of airports (both in the UK, one end in the UK, or neither), the
band chosen by the flight table's band scheme (declared in the table as data), and the cabin
assumed when none is given (the method profile's rule).
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, StrictBool

from .._cache import BoundedCache
from .._geo import airport, airport_codes, great_circle_km
from .._notices import Notice, notice
from .._plans import Context, Plan
from .._registry import ActivitySpec, register
from ..errors import ActivityError, NoFactorError, UnknownCodeError
from ..tables import Hit
from ._base import ActivityBase
from ._fields import Distance, Passengers

__all__ = ["Flight"]

Cabin = Literal["average", "economy", "premium_economy", "business", "first"]
Route = Literal["domestic_uk", "to_from_uk", "non_uk"]
Iata = str


class Flight(ActivityBase):
    """A flight, by great-circle ``distance`` or by ``origin`` and ``destination`` IATA codes.

    With IATA codes the distance is the great-circle distance between the airports and the route
    (UK domestic, to/from the UK, or not touching the UK) is known; with a bare distance the route
    is ``non_uk`` unless ``route`` says otherwise. See docs/methodology.md.
    """

    forms = (("origin", "destination"), ("distance",))
    only_with: ClassVar[dict[str, str]] = {"route": "distance"}

    type: Literal["flight"] = "flight"
    distance: Distance | None = Field(None, description="Great-circle distance, one way.")
    origin: Iata | None = Field(None, pattern=r"^[A-Za-z]{3}$", description="IATA airport code.",
                                examples=["PEK", "CTU", "TFU", "LHR"])
    destination: Iata | None = Field(None, pattern=r"^[A-Za-z]{3}$",
                                     description="IATA airport code.",
                                     examples=["TFU", "PVG", "CAN", "JFK"])
    cabin: Cabin | None = Field(
        None, description="Cabin class; when not given, the method profile's rule decides "
        "(uk-reporting: the average passenger).")
    passengers: Passengers = 1
    round_trip: StrictBool = False
    radiative_forcing: StrictBool | None = Field(
        None, description="Include the non-CO2 effects of aviation; when not given, the "
        "method profile decides (uk-reporting: yes, as DESNZ advises).")
    route: Route | None = Field(
        None, description="Only with distance: whether the flight is UK domestic, to/from the "
        "UK or neither (default non_uk); inferred from the airports otherwise.")


_ROUTES: BoundedCache[tuple[str, str], tuple[float, str, str, str, Notice]] = BoundedCache(
    "flight routes", 50_000)


def route_of(origin: str, destination: str) -> tuple[float, str, str, str, Notice]:
    """Great-circle km, DESNZ route class, both countries and the audit notice (cached)."""
    hit = _ROUTES.get((origin, destination))
    if hit is not None:
        return hit
    ends = []
    for field, code in (("origin", origin), ("destination", destination)):
        ap = airport(code)
        if ap is None:
            raise UnknownCodeError("iata_unknown", field=field, value=code,
                                   choices=airport_codes())
        ends.append(ap)
    o, d = ends
    if o.iata == d.iata:
        raise ActivityError("same_airport", field="destination", value=destination)
    km = great_circle_km(o, d)
    uk = (o.country == "GB") + (d.country == "GB")
    route = "domestic_uk" if uk == 2 else "to_from_uk" if uk == 1 else "non_uk"
    note = notice("great_circle", origin=o.iata, destination=d.iata, km=f"{km:.1f}",
                  origin_country=o.country, destination_country=d.country)
    return _ROUTES.put((origin, destination), (km, route, o.country, d.country, note))


def _cabin(a: Flight, ctx: Context, same_country: bool | None) -> tuple[str, tuple[Notice, ...]]:
    if a.cabin is not None:
        return a.cabin, ()
    rule = ctx.method.cabin_if_unknown
    cabin = "economy" if rule == "economy" or (rule == "economy_same_country"
                                               and same_country) else "average"
    return cabin, (notice("cabin_assumed", cabin=cabin, rule=rule, method=ctx.method.name),)


def _factor(ctx: Context, selector: str, band: str, cabin: str, rf: bool) -> Hit:
    return ctx.find("flight", {selector: band, "cabin": cabin, "radiative_forcing": rf},
                    field="cabin", value=cabin)


def _compile(a: Flight, ctx: Context) -> Plan:
    rf = ctx.method.radiative_forcing if a.radiative_forcing is None else a.radiative_forcing
    mult = float(a.passengers * (2 if a.round_trip else 1))
    found = ctx.tset.scheme("flight", ctx.method.flight_bands)
    if found is None:
        raise NoFactorError("no_factor_activity", field="type", value="flight", params={
            "tables": ", ".join(ctx.tset.ids), "activity": "flight (with a band scheme)"})
    scheme, (selector, rows) = found
    notes: list[Notice] = []
    if scheme != ctx.method.flight_bands:
        notes.append(notice("band_scheme_other", wanted=ctx.method.flight_bands, used=scheme))
    if a.origin is not None and a.destination is not None:
        km, route_class, c1, c2, note = route_of(a.origin.upper(), a.destination.upper())
        cabin, cabin_notes = _cabin(a, ctx, c1 == c2)
        band = next(b for b, r, below in rows if (r is None or r == route_class)
                    and (below is None or km < below))
        hit = _factor(ctx, selector, band, cabin, rf)
        return ctx.fixed(SPEC, hit, km * mult, unit="passenger_km",
                         notices=(note, *notes, *cabin_notes))
    route: str | None = a.route
    if route is None and any(r is not None for _, r, _ in rows):
        route = "non_uk"
        notes.append(notice("route_assumed"))
    cabin, cabin_notes = _cabin(a, ctx, True if route == "domestic_uk" else None)
    bands: list[tuple[float | None, Hit | ActivityError]] = []
    for band, r, below in rows:
        if r is not None and r != route:
            continue
        try:
            bands.append((below, _factor(ctx, selector, band, cabin, rf)))
        except NoFactorError as exc:  # kept in the plan: a copy without the traceback
            bands.append((below, exc.located(None)))
    if all(isinstance(h, ActivityError) for _, h in bands):
        err = bands[0][1]
        assert isinstance(err, ActivityError)
        raise err
    return ctx.banded(SPEC, bands, multiplier=mult, unit="passenger_km",
                      notices=(*notes, *cabin_notes))


def _known_airport(a: Flight, field: str, ctx: Context) -> None:
    """Raise the ``iata_unknown`` error of ``field`` (for validation, which reports both ends;
    the plan stops at the first)."""
    code = getattr(a, field)
    if code is not None and airport(code) is None:
        raise UnknownCodeError("iata_unknown", field=field, value=code, choices=airport_codes())


SPEC = register(ActivitySpec(
    type="flight", model=Flight, category="travel",
    selectors=("band", "cabin", "radiative_forcing"), per=("passenger_km",),
    quantity="distance", kind="distance", compile=_compile,
    extra={"checks": {"origin": _known_airport, "destination": _known_airport}}))
