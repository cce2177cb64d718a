"""Breakdown plots (matplotlib, the ``[plot]`` extra): by category or by activity type.

Reads results by their attributes only (no import of the result classes).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .errors import CarbonFootprintError

__all__ = ["bar_chart", "breakdown", "plot_footprint"]


def breakdown(fp: Any, by: str) -> dict[str, float]:
    """tCO2e summed by ``category`` or by ``activity`` type, largest first."""
    if by == "category":
        items = {k: float(v) for k, v in fp.by_category.items()}
    elif by == "activity":
        acc: dict[str, float] = defaultdict(float)
        for ln in fp.lines:
            if ln.status == "ok":
                acc[ln.type] += ln.tco2e
        items = dict(acc)
    else:
        raise CarbonFootprintError(f"by must be 'category' or 'activity'; got {by!r}"[:200])
    return dict(sorted(items.items(), key=lambda kv: -kv[1]))


def bar_chart(data: dict[str, float], ax: Any = None, title: str = "") -> Any:
    """Horizontal bar chart of ``data`` (tCO2e by name, drawn in the given order from the top);
    returns the matplotlib Axes."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(6, 0.5 + 0.4 * max(len(data), 1)))
    names = list(data)[::-1]
    values = [data[k] for k in names]
    bars = ax.barh(names, values, color="#3a7d44")
    ax.bar_label(bars, labels=[f"{v:.3f}" for v in values], padding=3)
    ax.set_xlabel("tCO2e")
    if title:
        ax.set_title(title)
    ax.margins(x=0.15)
    return ax


def plot_footprint(fp: Any, by: str = "category", ax: Any = None) -> Any:
    """Horizontal bar chart of the breakdown; returns the matplotlib Axes."""
    return bar_chart(breakdown(fp, by), ax=ax,
                     title=f"Carbon footprint by {by}: {float(fp.total_tco2e):.3f} tCO2e")
