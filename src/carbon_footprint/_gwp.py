"""Expressing CO2e in another IPCC GWP100 set, from a table's published gas split.

A factor's CO2e total is fixed by its table's GWP set. Where the table publishes the split (kg
CO2e of CO2, CH4 and N2O, as DESNZ and the EPA Hub do), the total in set ``G`` is

    CO2 + CH4_co2e x GWP_G(CH4) / GWP_table(CH4) + N2O_co2e x GWP_G(N2O) / GWP_table(N2O)

Where it does not, the factor keeps its published basis and the line says so (or, with
``strict``, the line is a ``GwpError``): never a silent mix. CO2-only factors are the same in
every set.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ._notices import notice
from .errors import ArgumentTypeError, GwpError
from .tables import CompiledFactor, TableRef, get_rates

__all__ = ["GWP_SETS", "GWP_TABLE", "check_gwp", "gwp_table_ref", "regwp"]

GWP_SETS = ("AR4", "AR5", "AR6")
GWP_TABLE = "ipcc-gwp100"


def gwp_values() -> dict[str, dict[str, float]]:
    sets = get_rates(GWP_TABLE).meta.sets
    assert sets is not None
    return sets


def gwp_table_ref() -> TableRef:
    return get_rates(GWP_TABLE).ref


def check_gwp(gwp: Any) -> str | None:
    if gwp is None:
        return None
    if not isinstance(gwp, str) or gwp not in GWP_SETS:
        raise ArgumentTypeError(f"gwp must be one of {', '.join(GWP_SETS)} or None; got "
                                f"{gwp!r}"[:200])
    return gwp


def regwp(cf: CompiledFactor, target: str, strict: bool) -> CompiledFactor:
    """``cf`` expressed in ``target`` (a new compiled factor with its notice)."""
    ref = cf.ref
    if cf.gas_basis == "CO2" or ref.gwp == target:
        return cf
    if cf.gases_t is None or ref.gwp is None:
        if strict:
            raise GwpError("gwp_no_split", params={
                "factor": ref.factor_id, "table": ref.table, "gwp": ref.gwp, "target": target})
        kept = notice("gwp_kept", gwp=ref.gwp, target=target)
        return dataclasses.replace(cf, notices=(*cf.notices, kept))
    sets = gwp_values()
    src, dst = sets[ref.gwp], sets[target]
    t = sum(v * dst[g] / src[g] for g, v in cf.gases_t.items())
    scale = t / cf.t_per_unit if cf.t_per_unit else 1.0
    new_ref = ref.model_copy(update={"gwp": target, "value": ref.value * scale,
                                     "recomputed_from_gwp": ref.gwp})
    note = notice("gwp_recomputed", source=ref.gwp, target=target,
                  ch4_from=f"{src['CH4']:g}", ch4_to=f"{dst['CH4']:g}",
                  n2o_from=f"{src['N2O']:g}", n2o_to=f"{dst['N2O']:g}",
                  value=f"{ref.value:g}", unit=ref.unit)
    return dataclasses.replace(cf, ref=new_ref, t_per_unit=t, notices=(*cf.notices, note))
