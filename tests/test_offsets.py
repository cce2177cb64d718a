"""Exact credit and cost arithmetic at the boundaries."""

from __future__ import annotations

from decimal import Decimal

import pytest

import carbon_footprint as cf


@pytest.mark.parametrize(("total", "credits"), [
    (0.0, 0), (0.321, 1), (1.0, 1), (1.000, 1), (1.0001, 2), (0.999999, 1), (2.0, 2),
    (1.0000000000000002, 1),  # float noise from summing lines buys no extra credit
    (1.000001, 2), (1.0000004, 1),  # the total is kept to the gram
])
def test_whole_credits(total: float, credits: int) -> None:
    res = cf.credits_for(total)
    assert res.credits == credits and isinstance(res.credits, Decimal)
    assert res.covers_tco2e == Decimal(credits)


def test_buffer_size_and_cost() -> None:
    pol = cf.OffsetPolicy(buffer=Decimal("0.1"), credit_size_tco2e=Decimal("0.5"),
                          price_per_credit=Decimal("12.34"), currency="CNY",
                          scheme="Chengdu carbon inclusion")
    res = cf.credits_for(1.0, pol)
    assert res.required_tco2e == Decimal("1.1")
    assert res.credits == 3  # 1.1 / 0.5 = 2.2 -> 3
    assert res.covers_tco2e == Decimal("1.5")
    assert res.cost == Decimal("37.02") and res.currency == "CNY"


def test_fractional_mode() -> None:
    pol = cf.OffsetPolicy(rounding="fractional", granularity=Decimal("0.01"))
    assert cf.credits_for(0.321, pol).credits == Decimal("0.33")
    assert cf.credits_for(1.0, pol).credits == 1
    assert cf.credits_for(1.0001, pol).credits == Decimal("1.01")


def test_bad_policies() -> None:
    with pytest.raises(ValueError):
        cf.OffsetPolicy(credit_size_tco2e=Decimal(0))
    with pytest.raises(ValueError):
        cf.OffsetPolicy(price_per_credit=Decimal(1))  # no currency
    with pytest.raises(ValueError):
        cf.OffsetPolicy(buffer=Decimal("NaN"))
    with pytest.raises(cf.OffsetPolicyError):
        cf.credits_for(float("nan"))
    with pytest.raises(cf.OffsetPolicyError):
        cf.credits_for(-1.0)


def test_policy_json_round_trip() -> None:
    fp = cf.calculate([{"type": "meal"}], offset={"rounding": "fractional", "granularity": "0.1",
                                                   "price_per_credit": "50", "currency": "CNY"})
    again = cf.Footprint.model_validate_json(fp.model_dump_json())
    assert again.offset == fp.offset
    assert again.offset.credits == Decimal("0.1")
