"""Waste sent for treatment (DESNZ "Waste disposal"), per tonne, by material and treatment.

The factors cover collection, transport and the treatment's own emissions: landfill includes
its methane; the other treatments (``combustion``: incineration with energy recovery,
recycling, composting, anaerobic digestion) cover collection, transport and minimal
preparation only: DESNZ follows the Scope 3 standard, which attributes recycling to the user
of the recycled material and energy recovery to whoever generates the energy (methodology
paper §12.20-12.21).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .._notices import notice
from .._plans import Context, Plan
from .._registry import ActivitySpec, register
from ._base import ActivityBase, defaulted, pick
from ._fields import Mass

__all__ = ["Waste"]


class Waste(ActivityBase):
    """A mass of waste and how it is treated."""

    type: Literal["waste"] = "waste"
    material: str = Field(min_length=1, max_length=64,
                          examples=["commercial_and_industrial", "food_and_drink", "paper"],
                          description="The waste stream (e.g. commercial_and_industrial, "
                          "household_residual, food_and_drink, paper, plastics_average, "
                          "glass).")
    treatment: Literal["landfill", "combustion", "open_loop", "closed_loop", "composting",
                       "anaerobic_digestion"] = Field(
        "landfill", description="Where it goes: landfill, combustion (incineration with energy "
        "recovery), open_loop or closed_loop recycling, composting or anaerobic_digestion.")
    mass: Mass


def _compile(a: Waste, ctx: Context) -> Plan:
    material = pick(ctx, "waste", "material", a.material, "material")
    hit = ctx.find("waste", {"material": material, "treatment": a.treatment},
                   field="treatment", value=a.treatment)
    notices = (notice("waste_boundary"),) if a.treatment != "landfill" else ()
    return ctx.linear(SPEC, hit, unit="kg", notices=(*defaulted(a, "treatment"), *notices))


SPEC = register(ActivitySpec(
    type="waste", model=Waste, category="waste", selectors=("material", "treatment"),
    per=("kg",), quantity="mass", kind="mass", compile=_compile))
