"""Energy used at a venue: grid electricity."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ._base import ActivityBase
from ._fields import Energy

__all__ = ["Electricity"]


class Electricity(ActivityBase):
    """Grid electricity consumed, location-based.

    ``region`` is an ISO 3166 code: a country (``CN``, ``GB``) or a subdivision (``CN-SC`` for
    Sichuan). A subdivision without its own factor falls back to its country, and the line says
    so; the choice between a national and a provincial factor is the caller's and is recorded.
    """

    reporting_category = "energy"
    type: Literal["electricity"] = "electricity"
    energy: Energy
    region: str | None = Field(None, pattern=r"^[A-Za-z]{2}(-[A-Za-z0-9-]{1,12})?$",
                               examples=["CN", "CN-SC", "GB"])
