"""Readable renderings of a footprint: text (the command line, ``Footprint.summary``), HTML
(notebooks) and a pandas frame. Caller text (labels, messages) is escaped and bounded.

This module reads results by their attributes only; it imports no result classes, so the
result models can offer these renderings as methods without an import cycle.
"""

from __future__ import annotations

import html
from typing import Any

from ._i18n import format_money, format_tonnes, label, normalize_locale
from ._i18n import render as render_text
from ._text import clip
from .errors import ActivityError

__all__ = ["render", "render_html", "to_frame"]


def _share(part: Any, total: Any) -> float:
    return float(part) / float(total) * 100 if total else 0.0


def render(fp: Any, locale: str | None = None) -> str:
    """The footprint as text, in English or in ``locale`` (``zh-CN``)."""
    loc = normalize_locale(locale)
    if loc != "en":
        return _render_in(fp, loc)
    out = []
    out.append(f"Carbon footprint: {fp.total_tco2e:.3f} tCO2e"
               + (f"  ({fp.rejected} input(s) rejected)" if fp.rejected else ""))
    out.append(f"Method: {fp.method.name} v{fp.method.version}"
               + (f" (overrides: {', '.join(fp.method.overrides)})" if fp.method.overrides
                  else ""))
    out.append("")
    out.append("By category")
    for cat, t in fp.by_category.items():
        out.append(f"  {cat:<12} {t:10.4f} t  {_share(t, fp.total_tco2e):5.1f} %")
    out.append("")
    out.append("Lines")
    for ln in fp.lines:
        if ln.status == "error":
            out.append(f"  #{ln.index:<3} {clip(ln.type or '?', 12):<11} ERROR "
                       f"{clip(ln.message, 400)}")
            continue
        label = f" [{clip(ln.label, 60)}]" if ln.label else ""
        basis = "" if ln.gas_basis == "CO2e" else " (CO2 only)"
        out.append(f"  #{ln.index:<3} {ln.type:<11} {ln.tco2e:10.4f} t{basis}{label}")
        f = ln.factor
        out.append(f"        {ln.quantity:,.1f} {ln.quantity_unit} x {f.value:g} {f.unit}  "
                   f"[{f.table} {f.factor_id}, GWP {f.gwp or 'n/a'}]")
        for n in ln.notices:
            out.append(f"        note: {clip(n.message, 300)}")
    out.append("")
    o = fp.offset
    cost = f", cost {o.cost} {o.currency}" if o.cost is not None else ""
    scheme = f" [{clip(o.policy.scheme, 80)}]" if o.policy.scheme else ""
    out.append(f"Offset: {o.credits} credit(s) of {o.policy.credit_size_tco2e} tCO2e{scheme} "
               f"(covers {o.covers_tco2e} t; required {o.required_tco2e} t{cost})")
    out.append("")
    out.append("Tables used")
    for tab in fp.tables:
        flag = "" if tab.verified else "  UNVERIFIED"
        out.append(f"  {tab.id:<20} {tab.title} (rev {tab.revision}, "
                   f"sha256 {tab.sha256[:12]}){flag}")
    for n in fp.notes:
        out.append(f"  note: {clip(n.message, 300)}")
    return "\n".join(out)


def _error_in(line: Any, loc: str) -> str:
    """An error line's message in ``loc``, rendered again from its code and params."""
    return ActivityError.from_dict(line).render(loc)


def _render_in(fp: Any, loc: str) -> str:
    """The footprint in another locale: the catalogue's words, Chinese number and unit
    formatting (吨二氧化碳当量, 万 for large totals, 公里, ¥ for yuan)."""
    def say(key: str, **params: Any) -> str:
        return render_text("summary", key, params, loc)

    out = [say("title", total=format_tonnes(fp.total_tco2e, loc))
           + (say("rejected", rejected=fp.rejected) if fp.rejected else "")]
    out.append(say("method", name=fp.method.name, version=fp.method.version))
    out.append("")
    out.append(say("by_category"))
    for cat, t in fp.by_category.items():
        out.append(f"  {label('categories', cat, loc)}  {format_tonnes(t, loc, 4)}  "
                   f"{_share(t, fp.total_tco2e):.1f} %")
    out.append("")
    out.append(say("lines"))
    for ln in fp.lines:
        kind = label("types", ln.type, loc) if ln.type else "?"
        if ln.status == "error":
            out.append(f"  #{ln.index:<3} {clip(kind, 12)} {say('error')} "
                       f"{clip(_error_in(ln, loc), 400)}")
            continue
        tag = f" [{clip(ln.label, 60)}]" if ln.label else ""
        out.append(f"  #{ln.index:<3} {kind}  {format_tonnes(ln.tco2e, loc, 4)}{tag}")
        f = ln.factor
        unit = label("units", ln.quantity_unit, loc)
        out.append(f"        {ln.quantity:,.1f} {unit} x {f.value:g} {f.unit}  "
                   f"[{f.table} {f.factor_id}, GWP {f.gwp or 'n/a'}]")
        for n in ln.notices:
            out.append("        " + say("note", message=clip(n.render(loc), 300)))
    out.append("")
    o = fp.offset
    cost = say("cost", cost=format_money(o.cost, o.currency, loc)) if o.cost is not None \
        else ""
    scheme = f" [{clip(o.policy.scheme, 80)}]" if o.policy.scheme else ""
    out.append(say("offset", credits=o.credits,
                   size=format_tonnes(o.policy.credit_size_tco2e, loc, 0), scheme=scheme,
                   covers=format_tonnes(o.covers_tco2e, loc),
                   required=format_tonnes(o.required_tco2e, loc, 6), cost=cost))
    out.append("")
    out.append(say("tables"))
    for tab in fp.tables:
        flag = "" if tab.verified else "  " + say("unverified")
        out.append(f"  {tab.id:<20} {tab.title} (rev {tab.revision}, "
                   f"sha256 {tab.sha256[:12]}){flag}")
    for n in fp.notes:
        out.append("  " + say("note", message=clip(n.render(loc), 300)))
    return "\n".join(out)


def to_frame(fp: Any) -> Any:
    import pandas as pd

    rows = []
    for ln in fp.lines:
        if ln.status == "error":
            rows.append({"index": ln.index, "status": "error", "type": ln.type,
                         "error": ln.message})
            continue
        f = ln.factor
        rows.append({
            "index": ln.index, "status": "ok", "type": ln.type, "category": ln.category,
            "label": ln.label, "tco2e": ln.tco2e, "gas_basis": ln.gas_basis,
            "quantity": ln.quantity, "quantity_unit": ln.quantity_unit,
            "factor_id": f.factor_id, "factor_value": f.value, "factor_unit": f.unit,
            "table": f.table, "edition": f.edition, "gwp": f.gwp, "source_ref": f.source_ref,
            "notices": "; ".join(n.message for n in ln.notices), "error": None,
        })
    columns = ["index", "status", "type", "category", "label", "tco2e", "gas_basis", "quantity",
               "quantity_unit", "factor_id", "factor_value", "factor_unit", "table", "edition",
               "gwp", "source_ref", "notices", "error"]
    return pd.DataFrame(rows, columns=columns).set_index("index")


def render_html(fp: Any, max_lines: int = 50) -> str:
    e = html.escape
    parts = [f"<div><strong>Carbon footprint: {fp.total_tco2e:.3f} tCO2e</strong>"
             f" &middot; {e(str(fp.offset.credits))} credit(s) of "
             f"{e(str(fp.offset.policy.credit_size_tco2e))} tCO2e"
             + (f" &middot; {fp.rejected} rejected" if fp.rejected else "") + "</div>"]
    parts.append("<table><thead><tr><th>category</th><th>tCO2e</th><th>share</th></tr></thead>"
                 "<tbody>")
    for cat, t in fp.by_category.items():
        parts.append(f"<tr><td>{e(cat)}</td><td>{t:.4f}</td>"
                     f"<td>{_share(t, fp.total_tco2e):.1f} %</td></tr>")
    parts.append("</tbody></table>")
    parts.append("<table><thead><tr><th>#</th><th>type</th><th>tCO2e</th><th>factor</th>"
                 "<th>table</th><th>notes</th></tr></thead><tbody>")
    for ln in fp.lines[:max_lines]:
        if ln.status == "error":
            parts.append(f"<tr><td>{ln.index}</td><td>{e(clip(ln.type or '?', 40))}</td>"
                         f"<td>error</td><td colspan='3'>{e(clip(ln.message, 400))}</td></tr>")
            continue
        f = ln.factor
        basis = "" if ln.gas_basis == "CO2e" else " (CO2)"
        notes = "; ".join(clip(n.message, 300) for n in ln.notices)
        parts.append(f"<tr><td>{ln.index}</td><td>{e(ln.type)}</td><td>{ln.tco2e:.4f}{basis}"
                     f"</td><td>{e(f.factor_id)}: {f.value:g} {e(f.unit)}</td>"
                     f"<td>{e(f.table)}</td><td>{e(notes)}</td></tr>")
    if len(fp.lines) > max_lines:
        parts.append(f"<tr><td colspan='6'>... {len(fp.lines) - max_lines} more lines "
                     "(Footprint.to_frame() has them all)</td></tr>")
    parts.append("</tbody></table>")
    return "".join(parts)
