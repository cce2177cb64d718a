"""The one owner of the activity vocabulary.

Every activity type is declared once, in its own module under ``activities/``, by registering an
:class:`ActivitySpec`: its model, its reporting category, the selectors its factors carry, the
activity units a factor may be per, the one quantity its emissions are linear in, and the
function that compiles an activity of that shape into a plan. Everything else (the activity
union and its JSON Schema, factor-table validation, the calculation engine, the columnar path,
test strategies, synthetic data and the docs' tables) is derived from these specs.

This module is the bottom of the stack: it imports nothing of the library.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = ["CATEGORIES", "ActivitySpec", "register", "spec_of", "specs"]

#: Reporting categories, in display order.
CATEGORIES: tuple[str, ...] = (
    "travel", "lodging", "dining", "shopping", "energy", "materials", "waste", "water",
    "refrigerants",
)


@dataclass(frozen=True)
class ActivitySpec:
    """How one activity type is read, matched and computed.

    Attributes
    ----------
    type : str
        The JSON ``type`` value.
    model : type
        The frozen pydantic model of the activity.
    category : str
        Reporting category (one of :data:`CATEGORIES`).
    selectors : tuple of str
        Selectors every factor of this activity carries, in key order.
    per : tuple of str
        Activity units a factor's value may be per (the factor unit's denominator).
    quantity : str or None
        The field the emissions are linear in (``distance``, ``mass``, ``energy``, ``amount``),
        or None when the amount comes from counts and codes only.
    kind : str or None
        The quantity's kind: ``distance``, ``mass``, ``energy``, ``volume`` or ``money``.
    compile : callable
        ``compile(shape, context) -> Plan``: the factor lookup and amount rule for an activity
        of one shape (every field but the quantity fixed).
    region_field : str or None
        The activity field that names the factor's region (``region``, ``country``).
    codes : tuple of str
        Alternative codes a factor may carry to be found by (e.g. ``naics``).
    """

    type: str
    model: Any
    category: str
    selectors: tuple[str, ...]
    per: tuple[str, ...]
    quantity: str | None
    kind: str | None
    compile: Callable[[Any, Any], Any]
    region_field: str | None = None
    codes: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"{self.type}: unknown reporting category {self.category!r}")
        if (self.quantity is None) != (self.kind is None):
            raise ValueError(f"{self.type}: quantity and kind go together")


_SPECS: dict[str, ActivitySpec] = {}


def register(spec: ActivitySpec) -> ActivitySpec:
    """Add an activity type to the vocabulary (once per type)."""
    if spec.type in _SPECS and _SPECS[spec.type] is not spec:
        raise ValueError(f"activity type {spec.type!r} is registered twice")
    _SPECS[spec.type] = spec
    return spec


def specs() -> Mapping[str, ActivitySpec]:
    """Every registered activity type, by ``type`` (read-only view, registration order)."""
    return MappingProxyType(_SPECS)


def spec_of(activity_type: str) -> ActivitySpec | None:
    """The spec of ``activity_type``, or None."""
    return _SPECS.get(activity_type)
