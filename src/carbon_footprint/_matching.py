"""The one place that knows both activities and tables: activity -> factor and activity amount.

Each activity type has a matcher that returns a chain of candidate factor keys (preferred first,
then documented fallbacks, each with the notice the result line will carry) and the amount of
activity in the factor's unit. The first candidate present in the selected tables wins.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ._geo import airport, airports, country_codes, great_circle_km, is_country, is_subdivision
from ._money import convert_spend
from .activities import (
    CATEGORY_ALIASES,
    ActivityBase,
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
)
from .errors import ActivityError, CurrencyError, NoFactorError, UnknownCodeError
from .tables import ACTIVITY_KEYS, CompiledFactor, TableSet

__all__ = ["MATCHERS", "Match"]

#: DESNZ haul boundary for flights to/from the UK [km]: short-haul below, long-haul at or above
#: (DESNZ/Defra conversion factors methodology paper, "Business travel - air").
SHORT_HAUL_LIMIT_KM = 3700.0

#: Cabin classes DESNZ does not publish for every band, and what to use instead (DESNZ guidance:
#: premium economy on short-haul as economy, first as business), then the band's average.
CABIN_FALLBACK = {"premium_economy": "economy", "first": "business"}

Match = tuple[CompiledFactor, float, str, tuple[str, ...]]  # factor, amount, amount unit, notices
Candidate = tuple[tuple[Any, ...], str | None]


def _pick(act: ActivityBase, tset: TableSet, chain: list[Candidate], field: str,
          value: Any) -> tuple[CompiledFactor, tuple[str, ...]]:
    index = tset.index
    for key, notice in chain:
        cf = index.get(key)
        if cf is not None:
            return cf, (() if notice is None else (notice,))
    activity = chain[0][0][0]
    keys = ACTIVITY_KEYS[activity][0]
    pos = keys.index(field) if field in keys else 0
    have = tset.values_for(activity, pos)
    if not have:
        raise NoFactorError(
            f"none of the selected tables ({', '.join(tset.ids)}) has {activity} factors",
            field="type", value=activity,
            expected="a table set that covers this activity, e.g. the default (factors=None)",
        )
    raise NoFactorError(
        f"no {activity} factor for this {field} in {', '.join(tset.ids)}",
        field=field, value=value, expected="one of " + ", ".join(have[:30]),
    )


def _passenger_amount(cf: CompiledFactor, km: float, passengers: int) -> tuple[float, str]:
    if cf.per_unit == "passenger_km":
        return km * passengers, "passenger_km"
    return km, "km"  # a vehicle-km factor: the whole vehicle


_ROUTES: dict[tuple[str, str], tuple[float, str, str]] = {}


def _route(origin: str, destination: str) -> tuple[float, str, str]:
    """Great-circle km, UK route class and audit note for an airport pair (cached)."""
    hit = _ROUTES.get((origin, destination))
    if hit is not None:
        return hit
    ends = []
    for field, code in (("origin", origin), ("destination", destination)):
        ap = airport(code)
        if ap is None:
            raise UnknownCodeError("unknown IATA airport code", field=field, value=code,
                                   choices=airports())
        ends.append(ap)
    o, d = ends
    if o.iata == d.iata:
        raise ActivityError("origin and destination are the same airport",
                            field="destination", value=destination,
                            expected="an airport other than the origin")
    km = great_circle_km(o, d)
    uk = (o.country == "GB") + (d.country == "GB")
    route = "domestic_uk" if uk == 2 else "to_from_uk" if uk == 1 else "non_uk"
    note = (f"great-circle distance {o.iata}-{d.iata} {km:.1f} km "
            f"({o.country}-{d.country}, airportsdata coordinates)")
    if len(_ROUTES) < 100_000:
        _ROUTES[(origin, destination)] = (km, route, note)
    return km, route, note


_ROUTE_NOTE = ("route not given: treated as not touching the UK (DESNZ 'International, to/from "
               "non-UK' band); pass route to change")


def _flight(a: Flight, tset: TableSet) -> Match:
    notes: list[str] = []
    route: str | None
    if a.distance is not None:
        km = a.distance.value
        route = a.route
        if route is None:
            route = "non_uk"
            if tset.flight_bands is None:  # only DESNZ's bands depend on the route
                notes.append(_ROUTE_NOTE)
    else:
        assert a.origin is not None and a.destination is not None
        km, route, note = _route(a.origin.upper(), a.destination.upper())
        notes.append(note)
    if tset.flight_bands is not None:  # a table with distance bands (e.g. EPA)
        band = next(b for b, below in tset.flight_bands if below is None or km < below)
    elif route == "domestic_uk":
        band = "domestic"
    elif route == "to_from_uk":
        band = "short_haul" if km < SHORT_HAUL_LIMIT_KM else "long_haul"
    else:
        band = "international"
    rf = a.radiative_forcing
    key = ("flight", band, a.cabin, rf)
    cf = tset.index.get(key)
    if cf is None:
        chain: list[Candidate] = [(key, None)]
        alt = CABIN_FALLBACK.get(a.cabin)
        if alt:
            chain.append((("flight", band, alt, rf),
                          f"no {a.cabin} factor for the {band} band: used {alt} (DESNZ guidance)"))
        if a.cabin != "average":
            chain.append((("flight", band, "average", rf),
                          f"no {a.cabin} factor for the {band} band: used the average passenger"))
        if rf:
            no_rf = "the selected flight table publishes no radiative-forcing factors: used "
            chain.append((("flight", band, a.cabin, False), no_rf + "the factor without RF"))
            chain.append((("flight", band, "average", False),
                          no_rf + "the average passenger's factor without RF"))
        cf, fallback = _pick(a, tset, chain, "cabin", a.cabin)
        notes.extend(fallback)
    trips = 2 if a.round_trip else 1
    amount = km * a.passengers * trips
    return cf, amount, "passenger_km", tuple(notes)


_NONE: tuple[str, ...] = ()
_HSR_PROXY = ("no high-speed rail factor in the selected tables: national rail used as a proxy "
              "(no citable China-specific factor)")


def _lookup(a: ActivityBase, tset: TableSet, key: tuple[Any, ...], field: str, value: Any,
            fallbacks: Callable[[], list[Candidate]] | None = None,
            ) -> tuple[CompiledFactor, tuple[str, ...]]:
    """The factor for ``key``; on a miss, the documented ``fallbacks`` (built only then)."""
    cf = tset.index.get(key)
    if cf is not None:
        return cf, _NONE
    chain: list[Candidate] = [(key, None), *(fallbacks() if fallbacks else [])]
    return _pick(a, tset, chain, field, value)


def _rail(a: Rail, tset: TableSet) -> Match:
    cf, notes = _lookup(a, tset, ("rail", a.service), "service", a.service, lambda: [
        (("rail", "national"), _HSR_PROXY)] if a.service == "high_speed" else [])
    amount, unit = _passenger_amount(cf, a.distance.value, a.passengers)
    return cf, amount, unit, notes


def _taxi(a: Taxi, tset: TableSet) -> Match:
    other = "vehicle" if a.basis == "passenger" else "passenger"
    cf, notes = _lookup(a, tset, ("taxi", a.service, a.basis), "service", a.service, lambda: [
        (("taxi", a.service, other), f"no per-{a.basis} taxi factor: used the per-{other} one")])
    amount, unit = _passenger_amount(cf, a.distance.value, a.passengers)
    return cf, amount, unit, notes


def _motorbike(a: Motorbike, tset: TableSet) -> Match:
    cf, notes = _lookup(a, tset, ("motorbike", a.size), "size", a.size, lambda: [
        (("motorbike", "average"), f"no {a.size} motorbike factor: used the average motorbike")])
    return cf, a.distance.value, "km", notes


def _simple_transit(a: Bus | Metro, tset: TableSet) -> Match:
    cf, notes = _lookup(a, tset, (a.type, a.service), "service", a.service)
    amount, unit = _passenger_amount(cf, a.distance.value, a.passengers)
    return cf, amount, unit, notes


def _car(a: Car, tset: TableSet) -> Match:
    cf, notes = _lookup(a, tset, ("car", a.size, a.fuel), "fuel", a.fuel, lambda: [
        (("car", "average", a.fuel),
         f"no {a.size} {a.fuel} car factor: used the average {a.fuel} car")]
        if a.size != "average" else [])
    share = a.passengers / a.occupants
    amount = a.distance.value * share
    if a.occupants > 1:
        notes = (*notes, f"vehicle emissions shared by {a.occupants} occupants; this line "
                         f"covers {a.passengers}")
    return cf, amount, "km", notes


def _hotel(a: Hotel, tset: TableSet) -> Match:
    code = a.country.upper() if a.country else None
    hit = tset.index.get(("hotel", code))
    if hit is not None:
        return hit, float(a.nights * a.rooms), "room_night", _NONE
    chain: list[Candidate] = []
    if code is None:
        default_note = "no country given: used the table's default hotel factor"
    else:
        valid = is_subdivision(code) if "-" in code else is_country(code)
        if not valid and ("hotel", code) not in tset.index:
            raise UnknownCodeError("unknown country code", field="country", value=a.country,
                                   choices=country_codes(),
                                   expected="an ISO 3166-1 alpha-2 code such as 'CN'")
        chain.append((("hotel", code), None))
        if "-" in code:
            parent = code.split("-", 1)[0]
            chain.append((("hotel", parent), f"no hotel factor for {code}: used {parent}"))
        default_note = (f"no hotel factor for {code} in the selected tables: used the "
                        "table's documented default")
    chain.append((("hotel", "*"), default_note))
    cf, notes = _pick(a, tset, chain, "country", a.country)
    if cf.factor.selectors["country"] == "*":
        notes = (f"{notes[0]} ({cf.factor.value:g} {cf.factor.unit}, {cf.factor.source_ref})",)
    return cf, float(a.nights * a.rooms), "room_night", notes


def _meal(a: Meal, tset: TableSet) -> Match:
    cf = tset.index.get(("meal", a.diet))
    if cf is None:
        cf, _ = _pick(a, tset, [(("meal", a.diet), None)], "diet", a.diet)
    return cf, float(a.count), "meal", cf.notices


_SLUG = re.compile(r"[^a-z0-9]+")


def _slug(text: str) -> str:
    return _SLUG.sub("_", text.lower()).strip("_")


def _food(a: Food, tset: TableSet) -> Match:
    cf = tset.index.get(("food", a.item))
    if cf is None:
        cf = tset.index.get(("food", _slug(a.item)))
        if cf is None:
            raise UnknownCodeError("unknown food item", field="item", value=a.item,
                                   choices=tset.values_for("food", 0))
    return cf, a.mass.value, "kg", _NONE


_NAICS = re.compile(r"^(?:naics[:_ ]?)?(\d{6})$")


def _naics_index(tset: TableSet) -> dict[str, tuple[Any, ...]]:
    cached = tset.memo.get("naics")
    if cached is None:
        cached = tset.memo["naics"] = {}
        for key, cf in tset.index.items():
            if key[0] == "purchase" and cf.factor.id.startswith("purchase.naics_"):
                cached.setdefault(cf.factor.id.removeprefix("purchase.naics_"), key)
    return cached


def _purchase_key(category: str, tset: TableSet) -> tuple[Any, ...]:
    """The factor key of a purchase category (alias, sector slug or NAICS code)."""
    raw = category.strip().lower()
    m = _NAICS.match(raw)
    if m:
        key = _naics_index(tset).get(m.group(1))
        if key is None:
            raise UnknownCodeError("unknown NAICS code", field="category", value=category,
                                   choices=[f"naics:{c}" for c in _naics_index(tset)])
        return key
    key = ("purchase", CATEGORY_ALIASES.get(raw, _slug(raw)))
    if key not in tset.index:
        raise UnknownCodeError("unknown purchase category", field="category", value=category,
                               choices=[*CATEGORY_ALIASES, *tset.values_for("purchase", 0)])
    return key


def _purchase(a: Purchase, tset: TableSet) -> Match:
    keys = tset.memo.setdefault("purchase", {})
    key = keys.get(a.category)
    if key is None:
        key = _purchase_key(a.category, tset)
        if len(keys) < 10_000:
            keys[a.category] = key
    cf = tset.index[key]
    notes = _NONE
    currency = cf.per_unit  # the table currency (checked on load)
    price_year = tset.price_year(cf.table_id)
    year = a.year if a.year is not None else price_year
    try:
        conv = convert_spend(a.amount.currency, year, currency, price_year, a.exchange_rate)
    except CurrencyError as exc:
        raise CurrencyError(exc.reason, field="amount" if a.year is None else "year",
                            value=str(a.amount) if a.year is None else a.year,
                            expected="a currency and year covered by the bundled rate tables"
                            ) from None
    if a.year is None:
        notes = (*notes, f"spend year not given: taken as the table's price year {price_year}")
    return cf, a.amount.amount * conv.factor, currency, (*notes, conv.note)


_CO2_ONLY = "grid factor is CO2 only (not CO2e), as published; counted in the total"


def _electricity(a: Electricity, tset: TableSet) -> Match:
    if a.region is not None:  # fast path: the region has its own factor
        cf = tset.index.get(("electricity", a.region))
        if cf is not None:
            return cf, a.energy.value, "kWh", cf.notices
    notes: list[str] = []
    if a.region is None:
        code = "CN"
        notes.append("region not given: used China's national grid factor (CN); pass region, "
                     "e.g. 'CN-SC' for Sichuan or 'GB'")
    else:
        code = a.region.upper()
    chain: list[Candidate] = [(("electricity", code), None)]
    seen, here = {code}, code
    while (up := tset.region_parents.get(here)) is not None and up not in seen:
        chain.append((("electricity", up), f"no grid factor for {code} in the selected tables: "
                                          f"used its regional grid {up}"))
        seen.add(up)
        here = up
    if "-" in code:
        parent = code.split("-", 1)[0]
        chain.append((("electricity", parent),
                      f"no grid factor for {code} in the selected tables: used {parent}"))
    if ("electricity", code) not in tset.index:
        valid = is_subdivision(code) if "-" in code else is_country(code)
        if not valid:
            raise UnknownCodeError("unknown region code", field="region", value=a.region,
                                   choices=tset.values_for("electricity", 0))
    cf, picked = _pick(a, tset, chain, "region", a.region)
    notes.extend(picked)
    if cf.gas_basis == "CO2":
        notes.append(_CO2_ONLY)
    return cf, a.energy.value, "kWh", tuple(notes)


MATCHERS: dict[type[ActivityBase], Callable[[Any, TableSet], Match]] = {
    Flight: _flight, Rail: _rail, Car: _car, Taxi: _taxi, Bus: _simple_transit,
    Metro: _simple_transit, Motorbike: _motorbike, Hotel: _hotel, Meal: _meal, Food: _food,
    Purchase: _purchase, Electricity: _electricity,
}
