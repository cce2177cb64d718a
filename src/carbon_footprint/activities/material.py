"""Materials bought and used (DESNZ "Material use"), per tonne: the cradle-to-gate emissions of
producing them (paper for programmes, plastics, metals, construction materials)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .._plans import Context, Plan
from .._registry import ActivitySpec, register
from ._base import ActivityBase, defaulted, pick
from ._fields import Mass

__all__ = ["Material"]


class Material(ActivityBase):
    """A mass of material bought, by where it comes from."""

    type: Literal["material"] = "material"
    material: str = Field(min_length=1, max_length=64,
                          examples=["paper", "plastics_average", "glass"],
                          description="The material (e.g. paper, paper_board_board, "
                          "plastics_average, pet, glass, aluminium_cans_foil, clothing).")
    origin: Literal["primary", "reused", "open_loop", "closed_loop"] = Field(
        "primary", description="primary: newly produced; reused; open_loop or closed_loop: "
        "made from recycled material.")
    mass: Mass


def _compile(a: Material, ctx: Context) -> Plan:
    material = pick(ctx, "material", "material", a.material, "material")
    hit = ctx.find("material", {"material": material, "origin": a.origin}, field="origin",
                   value=a.origin)
    return ctx.linear(SPEC, hit, unit="kg", notices=defaulted(a, "origin"))


SPEC = register(ActivitySpec(
    type="material", model=Material, category="materials", selectors=("material", "origin"),
    per=("kg",), quantity="mass", kind="mass", compile=_compile))
