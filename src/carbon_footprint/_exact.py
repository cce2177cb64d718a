"""Exact decimal arithmetic for totals: rounding to the gram and apportioning so parts add up.

Lines are computed in binary floating point (factor x amount); every total the library reports
(a footprint, its categories, an event's groups and phases) is an exact decimal rounded to
:data:`TOTAL_DECIMALS` places of a tonne (one gram). Breakdowns are *apportioned*: each part is
rounded and the rounding remainders are given to the parts with the largest fractions
(Hamilton's method), so the parts of every breakdown add up exactly to the total.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, Decimal

__all__ = ["GRAM", "TOTAL_DECIMALS", "apportion", "to_tonnes"]

#: Decimal places of tCO2e kept in totals (6 = one gram).
TOTAL_DECIMALS = 6
GRAM = Decimal(1).scaleb(-TOTAL_DECIMALS)
_SCALE = 10**TOTAL_DECIMALS


def to_tonnes(value: float) -> Decimal:
    """``value`` [t] at its shortest decimal representation, rounded to the gram."""
    if not math.isfinite(value):
        raise ValueError(f"not a finite total: {value!r}")
    return Decimal(repr(float(value))).quantize(GRAM, rounding=ROUND_HALF_EVEN) + 0


def apportion(parts: Sequence[float], total: Decimal | None = None) -> list[Decimal]:
    """Round ``parts`` [t] to the gram so that they add up exactly to ``total``.

    ``total`` defaults to the rounded exact sum of the parts. Each part gets its rounded-down
    value in grams, then the grams left over go one each to the parts with the largest
    remainders (ties: the earlier part). Parts are emissions, never negative.
    """
    if total is None:
        total = to_tonnes(math.fsum(parts))
    if len(parts) == 1:  # a single part is the total
        return [total.quantize(GRAM)]
    exact = [Decimal(repr(float(p))).scaleb(TOTAL_DECIMALS) for p in parts]
    floors = [int(e) if e >= 0 else int(e.to_integral_value(rounding="ROUND_FLOOR"))
              for e in exact]
    left = int(total.scaleb(TOTAL_DECIMALS)) - sum(floors)
    if left:
        fractions = [e - f for e, f in zip(exact, floors, strict=True)]
        order = sorted(range(len(parts)), key=lambda i: (-fractions[i], i))
        if left > 0:
            for i in order[:left]:
                floors[i] += 1
        else:  # the total was rounded down below the floors' sum (not for parts >= 0)
            for i in reversed(order[: -left]):
                floors[i] -= 1
    return [Decimal(f).scaleb(-TOTAL_DECIMALS) for f in floors]
