"""Meals served, by diet.

Two sources with different scales ship: ADEME's per-meal figures by main protein and
Scarborough et al.'s per-day diets divided by three. Both have vegetarian and vegan figures;
the method setting ``meals`` decides which source serves them, so a comparison between diets
stays within one source (``diet_groups``: the source of the ``average`` diet).
"""

from __future__ import annotations

from typing import Literal

from .._notices import notice
from .._plans import Context, Plan
from .._registry import ActivitySpec, register
from ..tables import Hit
from ._base import ActivityBase
from ._fields import Servings

__all__ = ["Meal"]

#: Published per-meal figures (ADEME) and per-meal derivations of per-day diets (Scarborough 2014).
Diet = Literal[
    "beef", "chicken", "white_fish", "oily_fish", "vegetarian", "vegan",
    "meat_heavy", "average", "meat_light", "pescatarian",
]


class Meal(ActivityBase):
    """Meals served, by diet (default ``average``)."""

    type: Literal["meal"] = "meal"
    diet: Diet = "average"
    count: Servings = 1


#: the diet whose source defines each meal scale
_ANCHORS = {"diet_groups": "average", "main_protein": "beef"}


def _same_source(ctx: Context, diet: str) -> Hit | None:
    """The factor for ``diet`` from the table that serves the method's anchor diet, so a
    comparison of diets stays within one source (method setting ``meals``)."""
    anchor = _ANCHORS.get(ctx.method.meals)
    if anchor is None or anchor == diet:
        return None
    for table in ctx.tset.members:
        if ("meal", anchor, None) in table.index:
            cf = table.index.get(("meal", diet, None))
            if cf is None:
                return None
            note = notice("meal_scale", diet=diet, table=table.id, anchor=anchor,
                          rule=ctx.method.meals)
            return ctx.in_gwp(Hit(cf, (note, *cf.notices)))
    return None


def _compile(a: Meal, ctx: Context) -> Plan:
    hit = _same_source(ctx, a.diet) if a.diet in ("vegetarian", "vegan") else None
    if hit is None:
        hit = ctx.find("meal", {"diet": a.diet}, field="diet", value=a.diet)
    return ctx.fixed(SPEC, hit, float(a.count), unit="meal")


SPEC = register(ActivitySpec(
    type="meal", model=Meal, category="dining", selectors=("diet",), per=("meal",),
    quantity=None, kind=None, compile=_compile))
