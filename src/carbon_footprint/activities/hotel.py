"""Hotel stays, per room-night (DESNZ: whatever the number of guests), shared by guests.

Method code here: room-nights, the share of a room a guest's line covers (method setting
``hotel_sharing``), and, for a country the table lacks, the last factor the publisher
published for it in an earlier bundled edition (``hotel_missing_country``, as DESNZ advises),
labelled with that edition, before the table's documented default.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, StrictFloat, model_validator

from .._notices import Notice, notice
from .._plans import Context, Plan
from .._registry import ActivitySpec, register
from ..errors import ActivityError
from ..tables import Hit, bundled_table_ids, family, get_table
from ._base import ActivityBase, region_code
from ._fields import Nights, Region, Rooms

__all__ = ["Hotel"]


class Hotel(ActivityBase):
    """A hotel stay: ``nights`` x ``rooms`` room-nights, whatever the number of guests; a line
    for one of several guests sharing the rooms covers their share (``guests_per_room`` or
    ``share``).

    ``country`` is an ISO 3166-1 alpha-2 code (or an ISO 3166-2 subdivision such as ``GB-LND``).
    An unknown code is an error; a valid country the table lacks uses the last factor published
    for it, else the table's documented default, and the result line says so.
    """

    type: Literal["hotel"] = "hotel"
    nights: Nights
    rooms: Rooms = 1
    country: Region | None = Field(None, description="ISO 3166 country (or subdivision) code.",
                                   examples=["CN", "GB", "US"])
    guests_per_room: int | None = Field(
        None, strict=True, ge=1, le=20, description="Guests sharing each room; the line covers "
        "one guest's share (1 / guests_per_room of the room-nights).")
    share: StrictFloat | None = Field(
        None, gt=0.0, le=1.0, allow_inf_nan=False, description="The share of the room-nights "
        "this line covers (0 to 1), e.g. 0.5 for one of two guests.")

    @model_validator(mode="after")
    def _one_sharing_field(self) -> Any:
        if self.guests_per_room is not None and self.share is not None:
            raise ActivityError("one_of_fields", field="share", value=self.share, params={
                "one": "guests_per_room", "other": "share"}).carried()
        return self


def _last_published(ctx: Context, hit: Hit, code: str) -> Hit | None:
    """The newest earlier edition of the default's table family that has ``code``."""
    fam = family(hit.factor.table_id)
    current = hit.factor.ref.edition
    editions = []
    for tid in bundled_table_ids():
        if family(tid) == fam and tid != hit.factor.table_id:
            t = get_table(tid)
            if t.meta.edition < current:
                cf = t.index.get(("hotel", code))
                if cf is not None and (t.meta.verified or ctx.method.editions == "any"):
                    editions.append((t.meta.edition, t, cf))
    if not editions:
        return None
    edition, table, cf = max(editions, key=lambda e: e[0])
    note = notice("hotel_last_published", country=code, table=hit.factor.table_id,
                  edition=edition, source_table=table.id)
    return ctx.in_gwp(Hit(cf, (note, *cf.notices)))


def _compile(a: Hotel, ctx: Context) -> Plan:
    code = region_code(ctx, a.country, "country", kind="country_unknown")
    hit = ctx.find("hotel", {}, code, field="country", value=a.country, region_field="country")
    notes: tuple[Notice, ...] = hit.notices
    if code is not None and hit.factor.ref.region is None and \
            ctx.method.hotel_missing_country == "last_published":
        older = _last_published(ctx, hit, code)
        if older is None and "-" in code:
            older = _last_published(ctx, hit, code.split("-", 1)[0])
        if older is not None:
            hit, notes = older, older.notices
    if code is None and hit.factor.factor.derived:
        f = hit.factor.factor
        notes = (notice("no_country", value=f"{f.value:g}", unit=f.unit,
                        source_ref=f.source_ref),
                 *(n for n in hit.notices if n.code != "derived"))
    room_nights = float(a.nights * a.rooms)
    share = 1.0 if a.share is None else a.share
    if a.guests_per_room is not None:
        share = 1.0 / a.guests_per_room
    if share != 1.0:
        if ctx.method.hotel_sharing == "per_guest":
            shown = f"1/{a.guests_per_room}" if a.guests_per_room else f"{share:g}"
            notes = (*notes, notice("hotel_shared", share=shown, room_nights=f"{room_nights:g}"))
        else:
            notes = (*notes, notice("hotel_whole_room", rule=ctx.method.hotel_sharing))
            share = 1.0
    amount = room_nights * share if share != 1.0 else room_nights
    return ctx.fixed(SPEC, hit._replace(notices=notes), amount, unit="room_night")


SPEC = register(ActivitySpec(
    type="hotel", model=Hotel, category="lodging", selectors=(), per=("room_night",),
    quantity=None, kind=None, compile=_compile, region_field="country"))
