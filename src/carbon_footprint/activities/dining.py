"""Dining: meals by diet, and food by mass."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ._base import ActivityBase
from ._fields import Mass, Servings

__all__ = ["Diet", "Food", "Meal"]

#: Published per-meal figures (ADEME) and per-meal derivations of per-day diets (Scarborough 2014).
Diet = Literal[
    "beef", "chicken", "white_fish", "oily_fish", "vegetarian", "vegan",
    "meat_heavy", "average", "meat_light", "pescatarian",
]


class Meal(ActivityBase):
    """Meals served, by diet (default ``average``)."""

    reporting_category = "dining"
    type: Literal["meal"] = "meal"
    diet: Diet = "average"
    count: Servings = 1


class Food(ActivityBase):
    """A mass of a food product (Poore & Nemecek items, e.g. ``beef_beef_herd``, ``rice``)."""

    reporting_category = "dining"
    type: Literal["food"] = "food"
    item: str = Field(min_length=1, max_length=100, examples=["rice", "tomatoes"])
    mass: Mass
