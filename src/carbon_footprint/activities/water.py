"""Water supplied to a venue and treated after use (DESNZ "Water supply" and "Water
treatment"), per cubic metre."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .._plans import Context, Plan
from .._registry import ActivitySpec, register
from ._base import ActivityBase, defaulted
from ._fields import Volume

__all__ = ["Water"]


class Water(ActivityBase):
    """A volume of mains water supplied, or of waste water treated."""

    type: Literal["water"] = "water"
    volume: Volume
    service: Literal["supply", "treatment"] = Field(
        "supply", description="supply: mains water delivered; treatment: waste water sent "
        "for treatment (usually the same volume: give both lines).")


def _compile(a: Water, ctx: Context) -> Plan:
    hit = ctx.find("water", {"service": a.service}, field="service", value=a.service)
    return ctx.linear(SPEC, hit, unit="m^3", notices=defaulted(a, "service"))


SPEC = register(ActivitySpec(
    type="water", model=Water, category="water", selectors=("service",), per=("m^3",),
    quantity="volume", kind="volume", compile=_compile))
