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
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation
from math import ulp

__all__ = ["GRAM", "TOTAL_DECIMALS", "apportion", "to_tonnes"]

#: Decimal places of tCO2e kept in totals (6 = one gram).
TOTAL_DECIMALS = 6
GRAM = Decimal(1).scaleb(-TOTAL_DECIMALS)
_SCALE = 10**TOTAL_DECIMALS
#: the decimal arithmetic of totals: 60 digits, round half even, the default traps (a fixed
#: context, so a caller's own ``decimal`` context cannot change a total)
_CTX = Context(prec=60)
_ZERO = Decimal(0)


def to_tonnes(value: float) -> Decimal:
    """``value`` [t] at its shortest decimal representation, rounded to the gram."""
    if not math.isfinite(value):
        raise ValueError(f"not a finite total: {value!r}")
    return _CTX.add(Decimal(repr(float(value))).quantize(GRAM, rounding=ROUND_HALF_EVEN,
                                                         context=_CTX), _ZERO)


def _grams(p: float) -> tuple[int, int, int]:
    """``p`` [t] at its shortest decimal representation, in grams: (floor, remainder, scale),
    the exact value being ``floor + remainder / 10**scale`` (integer arithmetic only)."""
    r = repr(float(p))
    mant, _, exp = r.partition("e")
    ip, _, fp = mant.partition(".")
    n = int(ip + fp)
    scale = len(fp) - (int(exp) if exp else 0) - TOTAL_DECIMALS
    if scale <= 0:
        return n * 10 ** -scale, 0, 0
    q, rem = divmod(n, 10**scale)
    return q, rem, scale


def apportion(parts: Sequence[float], total: Decimal | None = None) -> list[Decimal]:
    """Round ``parts`` [t] to the gram so that they add up exactly to ``total``.

    ``total`` defaults to the rounded exact sum of the parts. Each part gets its rounded-down
    value in grams, then the grams left over go one each to the parts with the largest
    remainders (ties: the earlier part). Parts are emissions, never negative.
    """
    if total is None:
        total = to_tonnes(math.fsum(parts))
    if len(parts) == 1:  # a single part is the total
        return [total.quantize(GRAM, context=_CTX)]
    fast = _apportion_floats(parts, total)
    if fast is not None:
        return fast
    try:
        # each part's shortest decimal split into whole grams and the exact remainder
        # (decimal arithmetic in C; parts are bounded far below the context's 28 digits)
        split = [_CTX.divmod(Decimal(repr(float(p) + 0.0)), GRAM) for p in parts]
    except InvalidOperation:
        split = []
    if not split or any(q < 0 for q, _ in split):  # a negative or huge part: integers
        return _apportion_ints(parts, total)
    floors = [int(q) for q, _ in split]
    left = int(total.scaleb(TOTAL_DECIMALS, context=_CTX)) - sum(floors)
    if left:
        fractions = [r for _, r in split]
        # largest remainder first, ties in input order (the sort is stable)
        order = sorted(range(len(parts)), key=fractions.__getitem__, reverse=True)
        if left > 0:
            for i in order[:left]:
                floors[i] += 1
        else:  # the total was rounded down below the floors' sum (not for parts >= 0)
            for i in reversed(order[: -left]):
                floors[i] -= 1
    return [_CTX.multiply(Decimal(f), GRAM) for f in floors]


_FLOAT_GRAMS = 2.0**52  # parts below this many grams: x = p * 1e6 has a fractional part


def _apportion_floats(parts: Sequence[float], total: Decimal) -> list[Decimal] | None:
    """:func:`apportion` in binary floating point where that is provably the same, else None.

    For ``x = p * 1e6`` (p >= 0, x >= 1e-200) the exact grams of p's shortest decimal, ``v``,
    are within ``1.5 ulp(x)`` of x: p's decimal is within half an ulp of p, p's ulp times 1e6
    is at most 2 ulp(x) for a normal p, and the product is rounded once. So when x's fractional
    part is at least ``2 ulp(x)`` away from 0 and 1, ``floor(v) == floor(x)``; a part too
    close to a whole gram (or tinier than 1e-206 t) gets its exact split from its decimal. The
    grams left over go to the largest remainders: the float ranking is used only when the
    remainders above the cut all exceed those below it by more than their error bounds (near
    ties: None, and the decimal method decides).
    """
    floors: list[int] = []
    fractions: list[float] = []
    errors: list[float] = []
    for part in parts:
        p = float(part)
        x = p * 1e6
        if not 0.0 <= x < _FLOAT_GRAMS:  # negative, huge or not a number: decimal method
            return None
        f = int(x)
        r = x - f
        e = 2.0 * ulp(x)
        if r < e or r > 1.0 - e or x < 1e-200:
            # near a whole gram (or so small that p's own ulp dominates the bound): the exact
            # split of p's decimal (q whole grams, remainder in [0, 1 g))
            q, rem = _CTX.divmod(Decimal(repr(p + 0.0)), GRAM)
            f = int(q)
            r = float(rem.scaleb(TOTAL_DECIMALS, context=_CTX))
            e = 1e-15
        floors.append(f)
        fractions.append(r)
        errors.append(e)
    left = int(total.scaleb(TOTAL_DECIMALS, context=_CTX)) - sum(floors)
    if left:
        if not 0 < left < len(parts):
            return None  # all parts up (or a total below the floors): the decimal method
        order = sorted(range(len(parts)), key=fractions.__getitem__, reverse=True)
        up, rest = order[:left], order[left:]
        if not (min([fractions[i] - errors[i] for i in up])
                > max([fractions[i] + errors[i] for i in rest])):
            return None  # the cut is not certain (a near tie): the decimal method
        for i in up:
            floors[i] += 1
    return [_CTX.multiply(Decimal(f), GRAM) for f in floors]


def _apportion_ints(parts: Sequence[float], total: Decimal) -> list[Decimal]:
    """:func:`apportion` in integer grams (any part, negative ones too)."""
    grams = [_grams(p) for p in parts]
    floors = [g[0] for g in grams]
    left = int(total.scaleb(TOTAL_DECIMALS, context=_CTX)) - sum(floors)
    if left:
        top = max(g[2] for g in grams)
        fractions = [rem * 10 ** (top - sc) for _, rem, sc in grams]  # one denominator
        order = sorted(range(len(parts)), key=lambda i: (-fractions[i], i))
        if left > 0:
            for i in order[:left]:
                floors[i] += 1
        else:
            for i in reversed(order[: -left]):
                floors[i] -= 1
    return [Decimal(f).scaleb(-TOTAL_DECIMALS, context=_CTX) for f in floors]
