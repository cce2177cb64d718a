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

__all__ = ["GRAM", "TOTAL_DECIMALS", "apportion", "to_tonnes", "tonnes_and_grams"]

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
    return tonnes_and_grams(value)[0]


def tonnes_and_grams(value: float) -> tuple[Decimal, int]:
    """:func:`to_tonnes` and the same total in whole grams (for :func:`apportion`)."""
    g = _rounded_grams(value)
    if g is not None:
        return Decimal(g).scaleb(-TOTAL_DECIMALS, _CTX), g
    if not math.isfinite(value):
        raise ValueError(f"not a finite total: {value!r}")
    total = _CTX.add(Decimal(repr(float(value))).quantize(GRAM, rounding=ROUND_HALF_EVEN,
                                                          context=_CTX), _ZERO)
    return total, int(total.scaleb(TOTAL_DECIMALS, context=_CTX))


def _rounded_grams(value: float) -> int | None:
    """``value`` [t] (>= 0) at its shortest decimal, rounded half even to whole grams, in
    binary floating point where that is provably the same; else None (see
    :func:`_apportion_floats` for the bound: that decimal in grams is within ``1.5 ulp(x)``
    of ``x = value * 1e6``, so a fractional part of ``x`` at least ``2 ulp(x)`` away from
    one half rounds as the decimal does)."""
    x = (value if type(value) is float else float(value)) * 1e6
    if not 1e-200 <= x < _FLOAT_GRAMS:
        return 0 if x == 0.0 else None  # (not a number, negative, huge or tiny: None)
    f = int(x)
    r = x - f
    e = x * _TWO_ULPS
    if r > 0.5 + e:
        return f + 1
    if r < 0.5 - e:
        return f
    return None  # near a half gram: the decimal decides


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


def apportion(parts: Sequence[float], total: Decimal | None = None, *,
              grams: int | None = None) -> list[Decimal]:
    """Round ``parts`` [t] to the gram so that they add up exactly to ``total``.

    ``total`` defaults to the rounded exact sum of the parts (``grams``, if given, is the
    same total in whole grams: :func:`tonnes_and_grams`). Each part gets its rounded-down
    value in grams, then the grams left over go one each to the parts with the largest
    remainders (ties: the earlier part). Parts are emissions, never negative.
    """
    if total is None:
        total, grams = tonnes_and_grams(math.fsum(parts))
    if len(parts) == 1:  # a single part is the total
        return [total.quantize(GRAM, context=_CTX)]
    if grams is None:
        grams = int(total.scaleb(TOTAL_DECIMALS, context=_CTX))
    fast = _apportion_floats(parts, grams)
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
    left = grams - sum(floors)
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
    return [Decimal(f).scaleb(-TOTAL_DECIMALS, _CTX) for f in floors]


_FLOAT_GRAMS = 2.0**52  # parts below this many grams: x = p * 1e6 has a fractional part
_WHOLE_GRAMS = 1e15  # whole grams up to this have at most 15 significant digits
#: ``2 ulp(x) <= x * _TWO_ULPS`` for every normal x (an ulp is at most ``x * 2**-52``)
_TWO_ULPS = 4.5e-16


def _apportion_floats(parts: Sequence[float], grams: int) -> list[Decimal] | None:
    """:func:`apportion` in binary floating point where that is provably the same, else None
    (``grams``: the total in whole grams).

    For ``x = p * 1e6`` (p >= 0, x >= 1e-200) the exact grams of p's shortest decimal, ``v``,
    are within ``1.5 ulp(x)`` of x: p's decimal is within half an ulp of p, p's ulp times 1e6
    is at most 2 ulp(x) for a normal p, and the product is rounded once. So when x's fractional
    part is at least ``2 ulp(x)`` away from 0 and 1, ``floor(v) == floor(x)`` (the bound used
    is ``x * 4.5e-16``, at least ``2 ulp(x)``).

    A part within ``2 ulp(x)`` of a whole gram ``n`` (3 nights x 0.0535 t) is placed exactly
    by comparing it with ``q = n / 1e6`` (correctly rounded): ``n`` grams has at most 15
    significant digits, and two decimals of at most 15 digits never round to the same double,
    so ``p == q`` means p's shortest decimal is exactly ``n`` grams; ``p > q`` means it is
    above ``n`` (rounding is monotonic), ``p < q`` below. A part tinier than 1e-206 t gets
    its exact split from its decimal.

    The grams left over go to the largest remainders: the float ranking is used only when the
    smallest remainder above the cut exceeds the largest below it by more than twice the
    largest error bound (near ties: None, and the decimal method decides).
    """
    floors: list[int] = []
    fractions: list[float] = []
    floors_append = floors.append
    fractions_append = fractions.append
    xmax = 0.0
    extra = 0.0  # error bound beyond 2 ulp(x) of a remainder found otherwise
    for part in parts:
        p = part if type(part) is float else float(part)
        x = p * 1e6
        if not 0.0 <= x < _WHOLE_GRAMS:  # negative, huge or not a number: decimal method
            return None
        f = int(x)
        r = x - f
        e = x * _TWO_ULPS
        if r < e or r > 1.0 - e or x < 1e-200:  # near a whole gram, or tiny
            if x and x < 1e-200:  # so small that p's own ulp dominates the bound: p's decimal
                q, rem = _CTX.divmod(Decimal(repr(p + 0.0)), GRAM)
                f = int(q)
                r = float(rem.scaleb(TOTAL_DECIMALS, context=_CTX))
                extra = 1e-15
            else:
                n = f if r < 0.5 else f + 1
                nearest = n / 1e6
                if p == nearest:  # exactly n grams
                    f, r = n, 0.0
                elif p > nearest:  # a hair above n grams
                    f, r = n, max(x - n, 0.0)
                else:  # a hair below: n - 1 whole grams and almost one more
                    f, r, extra = n - 1, min(x - n + 1.0, 1.0), 1e-15
        floors_append(f)
        fractions_append(r)
        if x > xmax:
            xmax = x
    left = grams - sum(floors)
    if left:
        if not 0 < left < len(parts):
            return None  # all parts up (or a total below the floors): the decimal method
        order = sorted(range(len(parts)), key=fractions.__getitem__, reverse=True)
        # the smallest remainder going up against the largest staying down, each known to
        # within the largest error bound
        if not fractions[order[left - 1]] - fractions[order[left]] > 2.0 * (
                xmax * _TWO_ULPS + extra):
            return None  # the cut is not certain (a near tie): the decimal method
        for i in order[:left]:
            floors[i] += 1
    return [Decimal(f).scaleb(-TOTAL_DECIMALS, _CTX) for f in floors]


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
