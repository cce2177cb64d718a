"""Refrigerant lost from air conditioning and refrigeration (DESNZ "Refrigerant & other"), per
kg leaked: the mass topped up to replace leaks, not the system's charge.

Gases are named by their R-number (``r410a``, ``r134a``, ``r32``); ``"R-410A"``,
``"HFC-134a"`` and ``"R404A"`` are read the same way.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field

from .._plans import Context, Plan
from .._registry import ActivitySpec, register
from ._base import ActivityBase, pick
from ._fields import Mass

__all__ = ["Refrigerant", "gas_code"]

_R_NUMBER = re.compile(r"^(?:R|HFC|HCFC|CFC|HFO|PFC)[-\s]?(\d+[A-Z]*)$")


def gas_code(name: str) -> str:
    """``'R-410A'``, ``'HFC-134a'``, ``'r410a'`` -> ``'r410a'``; other names unchanged."""
    m = _R_NUMBER.match(name.strip().upper())
    return f"r{m.group(1).lower()}" if m else name


class Refrigerant(ActivityBase):
    """A mass of refrigerant leaked (topped up) in the period."""

    type: Literal["refrigerant"] = "refrigerant"
    gas: str = Field(min_length=1, max_length=64, examples=["r410a", "R-134a", "r32"],
                     description="The refrigerant: its R-number (r410a, R-134a, HFC-32) or the "
                     "table's name for a blend.")
    mass: Mass


def _compile(a: Refrigerant, ctx: Context) -> Plan:
    gas = pick(ctx, "refrigerant", "gas", gas_code(a.gas), "gas", shown=a.gas)
    hit = ctx.find("refrigerant", {"gas": gas}, field="gas", value=a.gas)
    return ctx.linear(SPEC, hit, unit="kg")


SPEC = register(ActivitySpec(
    type="refrigerant", model=Refrigerant, category="refrigerants", selectors=("gas",),
    per=("kg",), quantity="mass", kind="mass", compile=_compile))
