"""Hotel stays, per room-night (DESNZ: whatever the number of guests)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .._notices import notice
from .._plans import Context, Plan
from .._registry import ActivitySpec, register
from ._base import ActivityBase, region_code
from ._fields import Nights, Region, Rooms

__all__ = ["Hotel"]


class Hotel(ActivityBase):
    """A hotel stay: ``nights`` x ``rooms`` room-nights, whatever the number of guests.

    ``country`` is an ISO 3166-1 alpha-2 code (or an ISO 3166-2 subdivision such as ``GB-LND``).
    An unknown code is an error; a valid country the table lacks uses the table's documented
    default, and the result line says so.
    """

    type: Literal["hotel"] = "hotel"
    nights: Nights
    rooms: Rooms = 1
    country: Region | None = Field(None, description="ISO 3166 country (or subdivision) code.",
                                   examples=["CN", "GB", "US"])


def _compile(a: Hotel, ctx: Context) -> Plan:
    code = region_code(ctx, a.country, "country", kind="country_unknown")
    hit = ctx.find("hotel", {}, code, field="country", value=a.country, region_field="country")
    notes = hit.notices
    if code is None and hit.factor.factor.derived:
        f = hit.factor.factor
        notes = (notice("no_country", value=f"{f.value:g}", unit=f.unit,
                        source_ref=f.source_ref),
                 *(n for n in hit.notices if n.code != "derived"))
    return ctx.fixed(SPEC, hit._replace(notices=notes), float(a.nights * a.rooms),
                     unit="room_night")


SPEC = register(ActivitySpec(
    type="hotel", model=Hotel, category="lodging", selectors=(), per=("room_night",),
    quantity=None, kind=None, compile=_compile, region_field="country"))
