"""Grid electricity used at a venue, location-based, per kWh."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .._plans import Context, Plan
from .._registry import ActivitySpec, register
from ._base import ActivityBase, region_code
from ._fields import Energy, Region

__all__ = ["Electricity"]


class Electricity(ActivityBase):
    """Grid electricity consumed, location-based.

    ``region`` is an ISO 3166 code: a country (``CN``, ``GB``) or a subdivision (``CN-SC`` for
    Sichuan), or a grid the tables define (``CN-GRID-SOUTHWEST``, ``US-EGRID-CAMX``). A region
    without its own factor falls back along the tables' declared parents (province -> regional
    grid -> country), and the line says so; the choice between a national and a provincial
    factor is the caller's and is recorded.
    """

    type: Literal["electricity"] = "electricity"
    energy: Energy
    region: Region | None = Field(None, examples=["CN", "CN-SC", "GB"],
                                  description="Grid region (ISO 3166 or a table-defined grid).")


def _compile(a: Electricity, ctx: Context) -> Plan:
    region = region_code(ctx, a.region, "region")
    hit = ctx.find("electricity", {}, region, field="region", value=a.region,
                   region_field="region")
    return ctx.linear(SPEC, hit, unit="kWh")


SPEC = register(ActivitySpec(
    type="electricity", model=Electricity, category="energy", selectors=(), per=("kWh",),
    quantity="energy", kind="energy", compile=_compile, region_field="region"))
