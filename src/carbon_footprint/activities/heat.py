"""Heat and steam bought by a venue (DESNZ "Heat and steam": onsite or district), per kWh."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .._plans import Context, Plan
from .._registry import ActivitySpec, register
from ._base import ActivityBase, defaulted
from ._fields import Energy

__all__ = ["Heat"]


class Heat(ActivityBase):
    """Heat or steam delivered to the venue, per kWh of heat."""

    type: Literal["heat"] = "heat"
    energy: Energy
    source: Literal["district", "onsite"] = Field(
        "district", description="district: bought from a district heating network; onsite: "
        "from an on-site plant run by another party.")


def _compile(a: Heat, ctx: Context) -> Plan:
    hit = ctx.find("heat", {"source": a.source}, field="source", value=a.source)
    return ctx.linear(SPEC, hit, unit="kWh", notices=defaulted(a, "source"))


SPEC = register(ActivitySpec(
    type="heat", model=Heat, category="energy", selectors=("source",), per=("kWh",),
    quantity="energy", kind="energy", compile=_compile))
