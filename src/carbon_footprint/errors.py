"""Errors raised by carbon_footprint.

Every error the library raises on purpose derives from :class:`CarbonFootprintError`, which also
inherits :class:`ValueError`, so ``except ValueError`` in existing code keeps working::

    CarbonFootprintError (ValueError)
    ├── ActivityError            an input activity is invalid: index, field, value, expected
    │   ├── UnknownCodeError     a code is not in the vocabulary (type, IATA, country, cabin, ...)
    │   │                        and lists the closest valid values in ``suggestions``
    │   ├── QuantityError        unparseable, wrong dimension, negative, NaN, infinite or too large
    │   ├── NoFactorError        valid input, but the selected tables have no factor for it
    │   ├── CurrencyError        no exchange rate or price index to convert a spend amount
    │   └── GwpError             the factor cannot be expressed in the requested GWP set
    ├── TableError               a factor table is malformed; carries ``source`` (file or id) and
    │   │                        ``factor_id`` where one factor is at fault
    │   └── UnknownTableError    a table id that is neither bundled nor loaded
    └── OffsetPolicyError        an offset policy that cannot be applied

Activity errors name the input's position (``index``, 0-based; ``None`` for a single activity
validated on its own), the ``field`` (a dotted path such as ``"distance"``), the ``value`` given and
what was ``expected``. ``to_dict()`` gives the same as JSON-safe data for APIs.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable
from typing import Any

__all__ = [
    "ActivityError",
    "CarbonFootprintError",
    "CurrencyError",
    "GwpError",
    "NoFactorError",
    "OffsetPolicyError",
    "QuantityError",
    "TableError",
    "UnknownCodeError",
    "UnknownTableError",
    "closest",
]


def closest(value: object, choices: Iterable[str], n: int = 5) -> list[str]:
    """Return up to ``n`` entries of ``choices`` closest to ``value`` (case-insensitive)."""
    text = str(value)
    pool = sorted(set(choices))
    if 2 <= len(text) <= 4 and text.isalnum():  # short codes: transpositions, then one-off
        up = text.upper()

        def diffs(c: str) -> list[bool]:
            return [a != b for a, b in zip(c.upper(), up, strict=True)]

        same = [c for c in pool if len(c) == len(up) and c.upper() != up]
        swaps = sorted((c for c in same if sorted(c.upper()) == sorted(up)),
                       key=lambda c: sum(diffs(c)))
        one_off = sorted((c for c in same if sum(diffs(c)) == 1), key=lambda c: diffs(c)[::-1])
        ranked = swaps + one_off
        if ranked:
            return list(dict.fromkeys(ranked))[:n]
    lowered = {c.lower(): c for c in pool}
    hits = difflib.get_close_matches(text.lower(), list(lowered), n=n, cutoff=0.5)
    out = [lowered[h] for h in hits]
    if not out:  # fall back to a prefix match, then to any values, so the user sees valid ones
        out = [c for c in pool if text and c.lower().startswith(text[:1].lower())][:n]
    return out or pool[:n]


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _json_safe(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    return _short(value, 200)


class CarbonFootprintError(ValueError):
    """Base class of every error carbon_footprint raises on purpose."""

    def to_dict(self) -> dict[str, Any]:
        return {"error": type(self).__name__, "message": str(self)}


class ActivityError(CarbonFootprintError):
    """An input activity is invalid.

    Attributes
    ----------
    index : int or None
        Position of the activity in the input (0-based).
    field : str or None
        Dotted path of the offending field (``"distance"``, ``"type"``).
    value : object
        The value that was given.
    expected : str
        What would have been accepted.
    """

    def __init__(
        self,
        message: str,
        *,
        index: int | None = None,
        field: str | None = None,
        value: Any = None,
        expected: str = "",
        activity_type: str | None = None,
    ) -> None:
        self.reason = message
        self.index = index
        self.field = field
        self.value = value
        self.expected = expected
        self.activity_type = activity_type
        super().__init__(self._render())

    def _render(self) -> str:
        where = []
        if self.index is not None:
            where.append(f"activity #{self.index}")
        if self.activity_type:
            where.append(f"({self.activity_type})")
        if self.field:
            where.append(f"field {self.field!r}")
        head = " ".join(where)
        text = f"{head}: {self.reason}" if head else self.reason
        if self.value is not None or self.field:
            text += f"; got {_short(self.value)}"
        if self.expected:
            text += f"; expected {self.expected}"
        return text

    def with_index(self, index: int) -> ActivityError:
        """Return the same error located at input ``index``."""
        self.index = index
        self.args = (self._render(),)
        return self

    def to_dict(self) -> dict[str, Any]:
        return {
            "error": type(self).__name__,
            "message": str(self),
            "index": self.index,
            "field": self.field,
            "value": _json_safe(self.value),
            "expected": self.expected,
        }


class UnknownCodeError(ActivityError):
    """A code (activity type, IATA code, country, cabin, fuel, diet, ...) is not known."""

    def __init__(
        self,
        message: str,
        *,
        choices: Iterable[str] = (),
        suggestions: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        value = kwargs.get("value")
        self.suggestions = suggestions if suggestions is not None else closest(value, choices)
        if self.suggestions and not kwargs.get("expected"):
            kwargs["expected"] = "one of the known codes, e.g. " + ", ".join(
                repr(s) for s in self.suggestions
            )
        super().__init__(message, **kwargs)

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        out["suggestions"] = list(self.suggestions)
        return out


class QuantityError(ActivityError):
    """A quantity is unparseable, of the wrong dimension, or out of range."""


class NoFactorError(ActivityError):
    """The selected factor tables have no factor for a (valid) activity."""


class GwpError(ActivityError):
    """A factor cannot be expressed in the requested GWP set (no published gas split)."""


class TableError(CarbonFootprintError):
    """A factor table file or object is malformed.

    Attributes
    ----------
    source : str
        The file path or table id.
    factor_id : str or None
        The factor at fault, where one is.
    """

    def __init__(self, message: str, *, source: str = "", factor_id: str | None = None) -> None:
        self.reason = message
        self.source = source
        self.factor_id = factor_id
        where = source or "factor table"
        if factor_id:
            where += f", factor {factor_id!r}"
        super().__init__(f"{where}: {message}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "error": type(self).__name__,
            "message": str(self),
            "source": self.source,
            "factor_id": self.factor_id,
        }


class UnknownTableError(TableError):
    """A table id that is neither bundled nor loaded."""

    def __init__(self, table_id: str, choices: Iterable[str]) -> None:
        self.table_id = table_id
        self.suggestions = closest(table_id, choices)
        hint = f"; closest: {', '.join(self.suggestions)}" if self.suggestions else ""
        super().__init__(f"unknown factor table {table_id!r}{hint}", source=str(table_id))


class CurrencyError(ActivityError):
    """A spend amount cannot be converted: unknown currency or no rate for the year."""


class OffsetPolicyError(CarbonFootprintError):
    """An offset policy that cannot be applied."""
