"""Exact totals: the fast apportioning methods give exactly the integer method's grams."""

from __future__ import annotations

import math
from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from carbon_footprint._exact import (
    GRAM,
    _apportion_floats,
    _apportion_ints,
    apportion,
    to_tonnes,
    tonnes_and_grams,
)

# parts as they come: any size, few decimals (3 nights x 0.0535), exact half grams (ties),
# values a hair either side of a whole or half gram, zeros and -0.0
_grams = st.integers(0, 10**15)
PART = st.one_of(
    st.floats(0, 5e9, allow_nan=False),
    st.floats(0, 1e-3, allow_nan=False),
    _grams.map(lambda g: g * 1e-6),
    st.tuples(_grams, st.sampled_from([5e-7, 2e-7, 4.9999999e-7, 5.0000001e-7, 1e-12])).map(
        lambda t: t[0] * 1e-6 + t[1]),
    st.sampled_from([0.0, -0.0, 0.1605, 0.0535 * 3, 1.5e-6, 2.5e-7]),
)


@settings(max_examples=2000, deadline=None)
@given(st.lists(PART, min_size=2, max_size=9), st.integers(-3, 3))
@example([970547334.8821272, 653167360.6174922, 45574707.38237623, 898860465.2342509,
          909553745.7938697, 140934945.2376649, 862455044.4523116, 681192818.5019014], 0)
def test_apportion_is_hamiltons_method_in_grams(parts: list[float], shift: int) -> None:
    total = max(Decimal(0), to_tonnes(math.fsum(parts)) + shift * GRAM)
    want = [str(x) for x in _apportion_ints(parts, total)]
    assert [str(x) for x in apportion(parts, total)] == want
    fast = _apportion_floats(parts, int(total.scaleb(6)))
    assert fast is None or [str(x) for x in fast] == want
    if shift == 0:
        assert sum(apportion(parts, total)) == total


def test_ties_go_to_the_earlier_part() -> None:
    # 0.5 g each: one gram left over, to the first of the tied parts
    assert apportion([5e-7, 5e-7], Decimal("0.000001")) == [Decimal("0.000001"),
                                                           Decimal("0.000000")]
    assert apportion([0.1605, 0.0], Decimal("0.160500")) == [Decimal("0.160500"),
                                                            Decimal("0.000000")]


def _to_tonnes_by_text(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(GRAM) + 0


@settings(max_examples=3000, deadline=None)
@given(st.one_of(PART, st.tuples(_grams, st.sampled_from([5e-7, 4.99999999e-7, 5.00000001e-7]))
                 .map(lambda t: t[0] * 1e-6 + t[1]), st.floats(0, 1e-190)))
@example(2.5e-7)
@example(0.0000005)
@example(-0.0)
def test_to_tonnes_is_the_shortest_decimal_rounded_half_even(value: float) -> None:
    want = _to_tonnes_by_text(value)
    got, grams = tonnes_and_grams(value)
    assert str(to_tonnes(value)) == str(got) == str(want)
    assert grams == int(want.scaleb(6))


@settings(max_examples=500, deadline=None)
@given(st.integers(0, 10**16))
def test_default_credits_are_the_general_arithmetic(grams: int) -> None:
    from carbon_footprint.offsets import _DEFAULT_POLICY, OffsetPolicy, credits_for

    total = Decimal(grams).scaleb(-6)
    fast = credits_for(total, _DEFAULT_POLICY)
    general = credits_for(total, OffsetPolicy())  # equal, but not the default object
    assert fast == general
    assert [str(getattr(fast, f)) for f in ("credits", "required_tco2e", "covers_tco2e")] == [
        str(getattr(general, f)) for f in ("credits", "required_tco2e", "covers_tco2e")]


def test_parts_of_any_real_type_and_any_decimal_context() -> None:
    import decimal

    import pytest

    np = pytest.importorskip("numpy")
    assert apportion([np.float64(1.0), np.float64(2e-6)]) == [Decimal("1.000000"),
                                                            Decimal("0.000002")]
    assert apportion([Decimal("0.5"), 0.25]) == [Decimal("0.500000"), Decimal("0.250000")]
    with decimal.localcontext() as ctx:  # a caller's narrow context changes nothing
        ctx.prec = 5
        ctx.rounding = decimal.ROUND_DOWN
        assert apportion([123456.123456789, 0.5000004]) == [Decimal("123456.123457"),
                                                             Decimal("0.500000")]
        assert to_tonnes(123456.1234567) == Decimal("123456.123457")
