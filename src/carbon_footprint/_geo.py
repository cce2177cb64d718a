"""Airports, great-circle distances and ISO 3166 codes.

Airport coordinates come from the ``airportsdata`` package (maintained, ISO 3166 country codes).
Its CSV is read once, lazily, keeping only airports that have an IATA code.
"""

from __future__ import annotations

import csv
import math
import threading
from importlib.resources import files
from typing import NamedTuple

import yaml

from ._cache import register_clear

__all__ = ["EARTH_RADIUS_KM", "Airport", "airport", "airport_codes", "country_codes",
           "great_circle_km", "is_country", "is_subdivision", "name_suggestions", "region_alias",
           "subdivision_codes"]

#: Mean Earth radius (IUGG), used for great-circle distances [km].
EARTH_RADIUS_KM = 6371.0088


class Airport(NamedTuple):
    iata: str
    name: str
    country: str
    lat: float  # [deg]
    lon: float  # [deg]


_AIRPORTS: dict[str, Airport] = {}
_CODES: list[frozenset[str]] = []
_LOCK = threading.Lock()


def _clear() -> None:
    with _LOCK:
        _AIRPORTS.clear()
        _CODES.clear()


register_clear(_clear)


def airports() -> dict[str, Airport]:
    """All airports with an IATA code, keyed by code (loaded once, thread-safe)."""
    if not _AIRPORTS:
        with _LOCK:
            if not _AIRPORTS:
                text = files("airportsdata").joinpath("airports.csv").read_text("utf-8")
                lines = text.splitlines()
                header = next(csv.reader(lines[:1]))
                if header[:2] != ["icao", "iata"]:
                    raise RuntimeError(f"unexpected airportsdata columns: {header}")
                i_name, i_country, i_lat, i_lon = (
                    header.index(c) for c in ("name", "country", "lat", "lon"))
                # Only ~8,000 of ~28,000 airports have an IATA code: skip the others before
                # paying for CSV parsing (the second field is '""' for them).
                wanted = [ln for ln in lines[1:] if ln.split(",", 2)[1] != '""']
                found = {}
                for row in csv.reader(wanted):
                    code = row[1]
                    if code:
                        found[code] = Airport(code, row[i_name], row[i_country],
                                              float(row[i_lat]), float(row[i_lon]))
                _AIRPORTS.update(found)
    return _AIRPORTS


def airport_codes() -> frozenset[str]:
    """Every IATA code (a frozenset, so suggestions index it once)."""
    if not _CODES:
        codes = frozenset(airports())
        with _LOCK:
            if not _CODES:
                _CODES.append(codes)
    return _CODES[0]


def airport(code: str) -> Airport | None:
    """The airport with IATA ``code`` (case-insensitive), or None."""
    return airports().get(code.upper())


def great_circle_km(a: Airport, b: Airport) -> float:
    """Great-circle distance between two airports [km] (haversine, mean Earth radius)."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


_ISO: dict[str, frozenset[str]] = {}


def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes (pycountry)."""
    hit = _ISO.get("countries")
    if hit is None:
        import pycountry

        hit = _ISO["countries"] = frozenset(c.alpha_2 for c in pycountry.countries)
    return hit


def subdivision_codes() -> frozenset[str]:
    """ISO 3166-2 subdivision codes (pycountry)."""
    hit = _ISO.get("subdivisions")
    if hit is None:
        import pycountry

        hit = _ISO["subdivisions"] = frozenset(s.code for s in pycountry.subdivisions)
    return hit


register_clear(_ISO.clear)


def is_country(code: str) -> bool:
    return code.upper() in country_codes()


def is_subdivision(code: str) -> bool:
    return code.upper() in subdivision_codes()


# -- what people type for a region: 四川, 四川省, 51, 510000, CN-51 -> CN-SC ----------------------

_ALIASES: dict[str, dict[str, str]] = {}


def _aliases() -> dict[str, dict[str, str]]:
    """``{"read": {typed: iso}, "named": {english name (casefolded): iso}}`` from
    ``locales/cn-regions.yaml`` (loaded once)."""
    if not _ALIASES:
        text = files("carbon_footprint").joinpath("locales", "cn-regions.yaml").read_text(
            "utf-8")
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        read: dict[str, str] = {}
        named: dict[str, str] = {}
        for row in [data["country"], *data["divisions"]]:
            iso = row["iso"]
            for name in row["zh"]:
                read[name] = iso
            named[row["en"].casefold()] = iso
            if iso != "CN":
                read[row["gb"]] = read[row["gb"] + "0000"] = iso
                read["CN-" + row["gb"]] = read["CN-" + row["gb"] + "0000"] = iso
        with _LOCK:
            _ALIASES.update(read=read, named=named)
    return _ALIASES


register_clear(_ALIASES.clear)


def region_alias(text: str) -> str | None:
    """The ISO 3166 code a person meant by a Chinese name or a GB/T 2260 code (``四川``,
    ``四川省``, ``51``, ``510000``, ``CN-51`` -> ``CN-SC``; ``中国`` -> ``CN``), or None."""
    return _aliases()["read"].get(text.strip().upper())


def name_suggestions(text: str) -> list[str]:
    """Codes an English name stands for (``China`` -> ``["CN"]``, ``Sichuan`` ->
    ``["CN-SC"]``): suggestions only, never read as the code itself."""
    key = text.strip().casefold()
    if not key or len(key) > 100:
        return []
    hit = _aliases()["named"].get(key)
    if hit is not None:
        return [hit]
    import pycountry

    try:
        return [pycountry.countries.lookup(text.strip()).alpha_2]
    except LookupError:
        return []
