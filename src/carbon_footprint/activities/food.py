"""Food by mass (Poore & Nemecek items, e.g. ``beef_beef_herd``, ``rice``)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field

from .._plans import Context, Plan
from .._registry import ActivitySpec, register
from ..errors import UnknownCodeError
from ._base import ActivityBase
from ._fields import Mass

__all__ = ["Food"]

_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """``'Beef (beef herd)'`` -> ``'beef_beef_herd'``."""
    return _SLUG.sub("_", text.lower()).strip("_")


class Food(ActivityBase):
    """A mass of a food product (Poore & Nemecek items, e.g. ``beef_beef_herd``, ``rice``)."""

    type: Literal["food"] = "food"
    item: str = Field(min_length=1, max_length=100, examples=["rice", "tomatoes"],
                      description="A food product: its slug or its published name.")
    mass: Mass


def _compile(a: Food, ctx: Context) -> Plan:
    item = a.item
    if ("food", item, None) not in ctx.tset.index:
        item = slug(item)
        if ("food", item, None) not in ctx.tset.index:
            raise UnknownCodeError("item_unknown", field="item", value=a.item,
                                   choices=tuple(ctx.tset.values_for("food", "item")))
    hit = ctx.find("food", {"item": item}, field="item", value=a.item)
    return ctx.linear(SPEC, hit, unit="kg")


SPEC = register(ActivitySpec(
    type="food", model=Food, category="dining", selectors=("item",), per=("kg",),
    quantity="mass", kind="mass", compile=_compile))
