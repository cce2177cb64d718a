"""The engine's public entry points, in plain Python: :func:`calculate` and :func:`gc_paused`.

The calculation itself is ``_engine.compute``, which the opt-in compiled build compiles (see
docs/performance.md). These wrappers stay interpreted so that the public functions keep their
documented signature, docstrings and examples in either build, and so that a wrong argument
reaches the library's own checks (a compiled function would refuse an argument of the wrong
type with a bare ``TypeError`` before they run).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, Literal

from ._engine import compute
from .method import Method
from .offsets import OffsetPolicy
from .results import Footprint

__all__ = ["calculate", "gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the block, then restore its state.

    Opt-in, for blocks that build many objects: reading ``fp.lines`` of 100,000 inputs builds
    200,000 live objects, and the collector scanning them while they are built is a large part
    of that time (``calculate()`` itself no longer builds them: docs/performance.md). The
    collector is process-wide, so this affects every thread while the block runs; the library
    never pauses it on its own.

    >>> import carbon_footprint as cf
    >>> with cf.gc_paused():
    ...     fp = cf.calculate([{"type": "rail", "distance": "10 km"}] * 1000)
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def calculate(
    activities: Iterable[Any],
    *,
    tables: Any = None,
    on: date | None = None,
    gwp: Literal["AR4", "AR5", "AR6"] | None = None,
    method: str | Method | dict[str, Any] | None = None,
    offset: OffsetPolicy | dict[str, Any] | None = None,
    errors: Literal["raise", "collect"] = "raise",
) -> Footprint:
    """Calculate the carbon footprint of activities and the credits needed to offset it.

    Parameters
    ----------
    activities : iterable of activity models or JSON-like dicts
        Each dict has a ``"type"`` (see ``carbon_footprint.activity_types()``) and that type's
        fields; see docs/activities.md.
    tables : str, loaded table, list of them, or None
        ``None`` uses the pinned default tables (``carbon_footprint.DEFAULT_TABLES``); a table id
        such as ``"desnz-2024"``; a table from :func:`carbon_footprint.load_table`; or a list,
        in priority order.
    on : datetime.date, optional
        Instead of the pinned defaults, use for each publisher of the default set the edition in
        force on that date (only with ``tables=None``); the choice is listed in ``notes``.
    gwp : {"AR4", "AR5", "AR6"}, optional
        Express every line's CO2e in this GWP100 set, recomputed from the table's published gas
        split (overrides the method profile's setting).
    method : str, Method or dict, optional
        The method profile (``"uk-reporting"``, ...); see ``carbon_footprint.PROFILES``.
    offset : OffsetPolicy or dict, optional
        Credit size, rounding, buffer and price; default one whole credit per tCO2e, rounded up.
    errors : {"raise", "collect"}
        ``raise`` (default) raises on the first invalid activity; ``collect`` returns every
        input in order, as a calculated line or an error entry.

    Returns
    -------
    Footprint
        ``total_tco2e`` [t] (exact to the gram), ``by_category``, one line per input with the
        factor's provenance, the tables used, the method and ``offset`` (credits required).

    Raises
    ------
    ActivityError
        With ``errors="raise"``: the first invalid activity, naming its index and field.
    TableError, OffsetPolicyError, CarbonFootprintError
        For bad ``tables``, ``offset``, ``method`` or ``errors`` arguments.

    Examples
    --------
    >>> from carbon_footprint import calculate
    >>> fp = calculate([{"type": "hotel", "nights": 2, "country": "CN"}])
    >>> fp.total_tco2e, fp.offset.credits
    (Decimal('0.107000'), Decimal('1'))
    """
    return compute(activities, tables, on, gwp, method, offset, errors)
