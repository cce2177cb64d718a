"""Fuels burned at a venue or by its equipment (DESNZ "Fuels": natural gas, LPG, diesel, gas
oil, coal...), by energy, volume or mass.

The factor follows the amount's dimension: an energy (``"1000 kWh"``) uses the per-kWh factor
on the calorific-value basis given (gross by default, as DESNZ and UK meter readings use), a
volume (``"300 L"``, ``"150 m^3"``) the per-litre or per-cubic-metre factor, a mass (``"2 t"``)
the per-tonne factor. Only the measures the tables publish for a fuel are accepted.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .._plans import Context, Plan
from .._registry import ActivitySpec, register
from ..errors import NoFactorError
from ._base import ActivityBase, pick
from ._fields import FuelAmount

__all__ = ["Fuel"]

_MEASURE = {"m^3": "volume", "kg": "mass"}
_SHOWN = {"energy_gross": "an energy (gross CV)", "energy_net": "an energy (net CV)",
          "volume": "a volume", "mass": "a mass"}


class Fuel(ActivityBase):
    """An amount of fuel burned: an energy, a volume or a mass."""

    type: Literal["fuel"] = "fuel"
    fuel: str = Field(min_length=1, max_length=64,
                      examples=["natural_gas", "diesel", "lpg", "gas_oil"],
                      description="The fuel (e.g. natural_gas, lpg, diesel, petrol, gas_oil, "
                      "burning_oil, coal_industrial).")
    amount: FuelAmount
    calorific_value: Literal["gross", "net"] = Field(
        "gross", description="For an amount in energy units: whether it is on the gross "
        "(higher) or net (lower) calorific-value basis. Ignored for volumes and masses.")


def _compile(a: Fuel, ctx: Context) -> Plan:
    fuel = pick(ctx, "fuel", "fuel", a.fuel, "fuel")
    canonical = a.amount.canonical
    measure = f"energy_{a.calorific_value}" if canonical == "kWh" else _MEASURE[canonical]
    published = {k[2] for k in ctx.tset.index if k[0] == "fuel" and k[1] == fuel}
    if measure not in published:
        tables = [t.id for t in ctx.tset if any(k[0] == "fuel" for k in t.index)]
        raise NoFactorError("fuel_measure", field="amount", value=canonical, params={
            "fuel": fuel, "measure": _SHOWN[measure], "tables": ", ".join(tables),
            "published": " or ".join(_SHOWN[m] for m in sorted(published))})
    hit = ctx.find("fuel", {"fuel": fuel, "measure": measure}, field="amount",
                   value=str(a.amount))
    return ctx.linear(SPEC, hit, unit=canonical)


SPEC = register(ActivitySpec(
    type="fuel", model=Fuel, category="energy", selectors=("fuel", "measure"),
    per=("kWh", "m^3", "kg"), quantity="amount", kind="fuel_amount", compile=_compile))
