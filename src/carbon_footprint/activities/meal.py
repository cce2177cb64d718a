"""Meals served, by diet."""

from __future__ import annotations

from typing import Literal

from .._plans import Context, Plan
from .._registry import ActivitySpec, register
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


def _compile(a: Meal, ctx: Context) -> Plan:
    hit = ctx.find("meal", {"diet": a.diet}, field="diet", value=a.diet)
    return ctx.fixed(SPEC, hit, float(a.count), unit="meal")


SPEC = register(ActivitySpec(
    type="meal", model=Meal, category="dining", selectors=("diet",), per=("meal",),
    quantity=None, kind=None, compile=_compile))
