"""Lodging: hotel stays, per room-night."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ._base import ActivityBase
from ._fields import Nights, Rooms

__all__ = ["Hotel"]


class Hotel(ActivityBase):
    """A hotel stay: ``nights`` x ``rooms`` room-nights, whatever the number of guests.

    ``country`` is an ISO 3166-1 alpha-2 code (or an ISO 3166-2 subdivision such as ``GB-LND``).
    An unknown code is an error; a valid country the table lacks uses the table's documented
    default, and the result line says so.
    """

    reporting_category = "lodging"
    type: Literal["hotel"] = "hotel"
    nights: Nights
    rooms: Rooms = 1
    country: str | None = Field(None, pattern=r"^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$",
                                examples=["CN", "GB", "US"])
