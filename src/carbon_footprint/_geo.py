"""Airports, great-circle distances and ISO 3166 codes.

Airport coordinates come from the ``airportsdata`` package (maintained, ISO 3166 country codes).
Its CSV is read once, lazily, keeping only airports that have an IATA code.
"""

from __future__ import annotations

import csv
import math
import threading
from functools import lru_cache
from importlib.resources import files
from typing import NamedTuple

__all__ = ["EARTH_RADIUS_KM", "Airport", "airport", "great_circle_km", "is_country",
           "is_subdivision"]

#: Mean Earth radius (IUGG), used for great-circle distances [km].
EARTH_RADIUS_KM = 6371.0088


class Airport(NamedTuple):
    iata: str
    name: str
    country: str
    lat: float  # [deg]
    lon: float  # [deg]


_AIRPORTS: dict[str, Airport] | None = None
_LOCK = threading.Lock()


def airports() -> dict[str, Airport]:
    """All airports with an IATA code, keyed by code (loaded once, thread-safe)."""
    global _AIRPORTS
    if _AIRPORTS is None:
        with _LOCK:
            if _AIRPORTS is None:
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
                _AIRPORTS = found
    return _AIRPORTS


def airport(code: str) -> Airport | None:
    """The airport with IATA ``code`` (case-insensitive), or None."""
    return airports().get(code.upper())


def great_circle_km(a: Airport, b: Airport) -> float:
    """Great-circle distance between two airports [km] (haversine, mean Earth radius)."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries)


def country_codes() -> frozenset[str]:
    return _countries()


@lru_cache(maxsize=4096)
def is_country(code: str) -> bool:
    return code.upper() in _countries()


@lru_cache(maxsize=4096)
def is_subdivision(code: str) -> bool:
    import pycountry

    return pycountry.subdivisions.get(code=code.upper()) is not None  # type: ignore[no-untyped-call]
