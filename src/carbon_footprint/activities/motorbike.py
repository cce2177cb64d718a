"""Motorbike journeys, per vehicle-km."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .._plans import Context, Plan
from .._registry import ActivitySpec, register
from ._base import ActivityBase, region_code
from ._fields import Distance, Region

__all__ = ["Motorbike"]


class Motorbike(ActivityBase):
    """A motorbike journey, per vehicle-km."""

    type: Literal["motorbike"] = "motorbike"
    distance: Distance
    size: Literal["small", "medium", "large", "average"] = "average"
    region: Region | None = Field(None, description="Where the journey is, for tables with "
                                  "regional factors.")


def _compile(a: Motorbike, ctx: Context) -> Plan:
    region = region_code(ctx, a.region, "region")
    hit = ctx.find("motorbike", {"size": a.size}, region, field="size", value=a.size,
                   region_field="region")
    return ctx.linear(SPEC, hit, unit="km")


SPEC = register(ActivitySpec(
    type="motorbike", model=Motorbike, category="travel", selectors=("size",), per=("km",),
    quantity="distance", kind="distance", compile=_compile, region_field="region"))
