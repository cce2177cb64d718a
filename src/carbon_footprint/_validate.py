"""Validation without computing: every error of every activity, in the library's one error
shape (:meth:`~carbon_footprint.errors.ActivityError.to_dict`).

It checks what :func:`~carbon_footprint.calculate` would: each field (all of an activity's field
errors at once, not only the first), the cross-field rules, the codes (airports, countries,
regions, categories, fuels...) and that the selected tables have a factor, by compiling the
activity's plan exactly as the calculation does (so the two cannot disagree); nothing is
multiplied or summed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from pydantic import ValidationError

from ._engine import context_for, full_line
from ._i18n import normalize_locale
from ._registry import specs
from .activities import activity_adapter, activity_errors, oversized, validate_activity
from .errors import ActivityError, ArgumentTypeError

__all__ = ["MAX_ERRORS", "validate"]

#: the most errors reported (the rest are counted in the last one)
MAX_ERRORS = 1_000


def _errors_of(raw: Any, index: int, ctx: Any) -> list[ActivityError]:
    """Every error of one activity (empty if it would calculate)."""
    try:
        model = validate_activity(raw, index)
    except ActivityError as first:
        if not isinstance(raw, dict) or oversized(raw, index) is not None:
            return [first]  # refused before validation: nothing more is read
        try:
            activity_adapter().validate_python(raw)
        except ValidationError as exc:
            return activity_errors(exc, raw, index) or [first]
        except RecursionError:
            pass
        return [first]
    atype: str = model.type  # type: ignore[attr-defined]
    spec = specs().get(atype)
    found: list[ActivityError] = []
    if spec is not None:
        for field, check in spec.extra.get("checks", {}).items():
            try:
                check(model, field, ctx)
            except ActivityError as exc:
                found.append(exc.located(index, atype))
    if found:
        return found
    try:
        full_line(model, index, ctx)
    except ActivityError as exc:
        return [exc.located(index, atype)]
    return []


def validate(activities: Iterable[Any], *, tables: Any = None, on: date | None = None,
             method: Any = None, gwp: Any = None, locale: str | None = None
             ) -> list[dict[str, Any]]:
    """Check activities as :func:`~carbon_footprint.calculate` would, without computing.

    Parameters
    ----------
    activities : iterable of dict or Activity
        The inputs, as for ``calculate``.
    tables, on, method, gwp
        As for ``calculate``: codes and factors are checked against this selection.
    locale : str, optional
        Language of the messages (``"zh-CN"``); English by default.

    Returns
    -------
    list of dict
        Every error of every activity, in input order (empty when all would calculate), each
        in the library's one error shape: ``error``, ``code``, ``message``, ``index``,
        ``type``, ``field``, ``pointer`` (``/3/distance``), ``value``, ``expected``,
        ``params``, ``suggestions``. At most :data:`MAX_ERRORS`.

    Raises
    ------
    CarbonFootprintError
        For an argument that is not per activity (unknown table or method, bad date).

    Examples
    --------
    >>> from carbon_footprint import validate
    >>> [e["pointer"] for e in validate([{"type": "hotel", "nights": 0, "rooms": 0}])]
    ['/0/nights', '/0/rooms']
    """
    loc = normalize_locale(locale)
    if isinstance(activities, (str, bytes, dict)) or not isinstance(activities, Iterable):
        raise ArgumentTypeError(f"activities must be a list of activities; got "
                                f"{type(activities).__name__}")
    ctx, _ = context_for(tables, on, method, gwp)
    out: list[dict[str, Any]] = []
    for index, raw in enumerate(activities):
        for err in _errors_of(raw, index, ctx):
            if len(out) >= MAX_ERRORS:
                return out
            out.append(err.to_dict(loc))
    return out
