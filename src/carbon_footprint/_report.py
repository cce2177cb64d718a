"""Readable text rendering of a Footprint (used by the command line and ``Footprint.summary``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .results import Footprint


def _describe(line: object) -> str:
    from .results import LineItem

    assert isinstance(line, LineItem)
    return f"{line.quantity:,.1f} {line.quantity_unit}"


def render(fp: Footprint) -> str:
    from .results import ErrorLine

    out = []
    out.append(f"Carbon footprint: {fp.total_tco2e:.3f} tCO2e"
               + (f"  ({fp.rejected} input(s) rejected)" if fp.rejected else ""))
    out.append("")
    out.append("By category")
    for cat, t in fp.by_category.items():
        share = t / fp.total_tco2e * 100 if fp.total_tco2e else 0.0
        out.append(f"  {cat:<9} {t:10.4f} t  {share:5.1f} %")
    out.append("")
    out.append("Lines")
    for ln in fp.lines:
        if isinstance(ln, ErrorLine):
            out.append(f"  #{ln.index:<3} {ln.type or '?':<11} ERROR {ln.message}")
            continue
        label = f" [{ln.label}]" if ln.label else ""
        basis = "" if ln.gas_basis == "CO2e" else " (CO2 only)"
        out.append(f"  #{ln.index:<3} {ln.type:<11} {ln.tco2e:10.4f} t{basis}{label}")
        f = ln.factor
        out.append(f"        {_describe(ln)} x {f.value:g} {f.unit}  "
                   f"[{f.table} {f.factor_id}, GWP {f.gwp or 'n/a'}]")
        for n in ln.notices:
            out.append(f"        note: {n}")
    out.append("")
    o = fp.offset
    cost = f", cost {o.cost} {o.currency}" if o.cost is not None else ""
    scheme = f" [{o.policy.scheme}]" if o.policy.scheme else ""
    out.append(f"Offset: {o.credits} credit(s) of {o.policy.credit_size_tco2e} tCO2e{scheme} "
               f"(covers {o.covers_tco2e} t; required {o.required_tco2e} t{cost})")
    out.append("")
    out.append("Tables used")
    for tab in fp.tables:
        flag = "" if tab.verified else "  UNVERIFIED"
        out.append(f"  {tab.id:<20} {tab.title} (rev {tab.revision}, "
                   f"sha256 {tab.sha256[:12]}){flag}")
    return "\n".join(out)
