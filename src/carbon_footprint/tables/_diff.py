"""Compare two factor tables: which factors changed between editions, and by how much.

Values are compared at ``decimals`` decimal places (default 5, the precision DESNZ prints): two
values within one unit of that last place are the same factor (a workbook cell may hold
0.134643330 where the printed factor and the next edition's cell read 0.13465).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from ._compile import Table as LoadedTable


@dataclass(frozen=True)
class FactorChange:
    factor_id: str
    activity: str
    old: float | None
    new: float | None
    unit: str

    def relative(self, decimals: int = 5) -> float | None:
        if self.old is None or self.new is None or self.old == 0:
            return None
        if abs(self.new - self.old) <= 10.0 ** -decimals + 1e-15:
            return 0.0
        return self.new / self.old - 1.0


def diff_tables(a: LoadedTable, b: LoadedTable) -> list[FactorChange]:
    """Every factor id of either table, with its value in each (None where absent)."""
    fa = {f.id: f for f in a.meta.factors}
    fb = {f.id: f for f in b.meta.factors}
    out = []
    for fid in sorted(set(fa) | set(fb)):
        x, y = fa.get(fid), fb.get(fid)
        ref = y or x
        assert ref is not None
        out.append(FactorChange(fid, ref.activity, x.value if x else None,
                                y.value if y else None, ref.unit))
    return out


def render_diff(a: LoadedTable, b: LoadedTable, changed_only: bool = True,
                decimals: int = 5) -> str:
    changes = diff_tables(a, b)
    lines = [f"{a.id} -> {b.id} (values compared at {decimals} decimal places)", ""]
    lines.append(f"{'activity':<12} {'factors':>7} {'changed':>7} {'added':>6} {'removed':>7} "
                 f"{'median change':>14} {'largest':>9}")
    by_activity: dict[str, list[FactorChange]] = {}
    for c in changes:
        by_activity.setdefault(c.activity, []).append(c)
    for act, cs in sorted(by_activity.items()):
        rels = [r for c in cs if (r := c.relative(decimals)) is not None]
        changed = [r for r in rels if r != 0.0]
        med = f"{statistics.median(changed) * 100:+.1f} %" if changed else "unchanged"
        big = max(changed, key=abs, default=None)
        top = f"{big * 100:+.1f} %" if big is not None else "-"
        lines.append(f"{act:<12} {len(cs):>7} {len(changed):>7} "
                     f"{sum(c.old is None for c in cs):>6} {sum(c.new is None for c in cs):>7} "
                     f"{med:>14} {top:>9}")
    lines.append("")
    lines.append(f"{'factor':<44} {a.meta.edition:>12} {b.meta.edition:>12} {'change':>9}  unit")
    for c in sorted(changes, key=lambda c: (c.activity, -abs(c.relative(decimals) or 0),
                                            c.factor_id)):
        r = c.relative(decimals)
        if changed_only and r == 0.0:
            continue
        old = "-" if c.old is None else f"{c.old:.6g}"
        new = "-" if c.new is None else f"{c.new:.6g}"
        change = ("added" if c.old is None else "removed" if c.new is None
                  else f"{r * 100:+.2f} %" if r is not None else "")
        lines.append(f"{c.factor_id:<44} {old:>12} {new:>12} {change:>9}  {c.unit}")
    return "\n".join(lines)
