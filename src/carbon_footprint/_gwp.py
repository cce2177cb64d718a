"""Expressing CO2e in another IPCC GWP100 set, from a table's published gas split.

A factor's CO2e total is fixed by its table's GWP set. Where the table publishes the split (kg
CO2e of CO2, CH4 and N2O, as DESNZ and the EPA Hub do), the total in set ``G`` is

    CO2 + CH4_co2e x GWP_G(CH4) / GWP_table(CH4) + N2O_co2e x GWP_G(N2O) / GWP_table(N2O)

Where it does not, asking for another set is an error for that line -- never a silent mix.
CO2-only factors (China's grid) are the same in every set.
"""

from __future__ import annotations

from typing import Any

from ._rates import load_rate_table
from .errors import CarbonFootprintError, GwpError
from .tables import CompiledFactor

__all__ = ["GWP_SETS", "regwp"]

GWP_SETS = ("AR4", "AR5", "AR6")


def gwp_values() -> dict[str, dict[str, float]]:
    sets: dict[str, dict[str, float]] = load_rate_table("gwp")["sets"]
    return sets


def check_gwp(gwp: Any) -> str | None:
    if gwp is None:
        return None
    if gwp not in GWP_SETS:
        raise CarbonFootprintError(f"gwp must be one of {', '.join(GWP_SETS)} or None; got {gwp!r}")
    return str(gwp)


def regwp(cf: CompiledFactor, target: str) -> tuple[float, Any, str | None]:
    """(tonnes per canonical unit, FactorRef, notice) for ``cf`` expressed in ``target``."""
    ref = cf.ref
    if cf.gas_basis == "CO2" or ref.gwp == target:
        return cf.t_per_unit, ref, None
    if cf.gases_t is None or ref.gwp is None:
        raise GwpError(
            f"factor {ref.factor_id!r} of {ref.table} is published in {ref.gwp} without a gas "
            f"split, so it cannot be expressed in {target}",
            expected="gwp=None (each table's own set), or tables that publish a gas split")
    sets = gwp_values()
    src, dst = sets[ref.gwp], sets[target]
    t = sum(v * dst[g] / src[g] for g, v in cf.gases_t.items())
    scale = t / cf.t_per_unit if cf.t_per_unit else 1.0
    new_ref = ref.model_copy(update={"gwp": target, "value": ref.value * scale,
                                     "recomputed_from_gwp": ref.gwp})
    notice = (f"CO2e recomputed from the published gas split: {ref.gwp} -> {target} "
              f"(CH4 {src['CH4']:g} -> {dst['CH4']:g}, N2O {src['N2O']:g} -> {dst['N2O']:g}); "
              f"published value {ref.value:g} {ref.unit}")
    return t, new_ref, notice
