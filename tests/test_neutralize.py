"""Pooled retirement: the issue's worked examples exactly, fen-exact costs, and invariants."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbon_footprint._credit_errors import PoolError, RecordError
from carbon_footprint.neutralize import Pool, Position, allocate, plan, round_fen

D = Decimal
MYCARBON = "7331-385170050-385170149-VCU-013-MER-CN-14-1718-01012016-31122016-0"


def _lot(n: int, rid: str = "lot-1", **kw: object) -> dict[str, object]:
    rec: dict[str, object] = {"id": rid, "scheme": "ccer", "quantity": n, "status": "retired",
                              "retired_on": "2021-09-08", "project_id": "P1", "vintage": "2021"}
    rec.update(kw)
    return rec


def test_three_guests_worked_example() -> None:
    res = Pool.of([_lot(2)]).allocate([{"holder": "g1", "tco2e": "0.321"},
                                       {"holder": "g2", "tco2e": "0.4774"},
                                       {"holder": "g3", "tco2e": "0.25"}])
    got = [[(s.unit, s.start, s.end) for s in a.slices] for a in res.allocations]
    assert got == [[(1, D("0"), D("0.321"))],
                   [(1, D("0.321"), D("0.7984"))],
                   [(1, D("0.7984"), D("1")), (2, D("0"), D("0.0484"))]]
    assert res.units_opened == 2
    assert res.open_remainder_tco2e == D("0.9516") == res.remaining_tco2e
    assert res.allocated_tco2e == D("1.0484")
    # JSON keeps the exact decimals as plain text
    js = res.allocations[2].model_dump(mode="json")
    assert js["slices"][0]["start"] == "0.7984" and js["slices"][0]["end"] == "1"


def test_allocation_names_unit_and_serial() -> None:
    rec = {"id": "mycarbon", "scheme": "vcs", "quantity": 100, "serials": [MYCARBON],
           "status": "retired", "retired_on": "2020-03-07"}
    res = allocate([{"holder": "a", "tco2e": "0.6"}, {"holder": "b", "tco2e": "0.6"}], [rec])
    b = res.allocations[1]
    assert [s.serial for s in b.slices] == [
        MYCARBON.replace("385170050-385170149", "385170050-385170050"),
        MYCARBON.replace("385170050-385170149", "385170051-385170051")]
    assert res.remaining_tco2e == D("98.8")


def test_pool_continues_from_its_position() -> None:
    first = Pool.of([_lot(2)]).allocate([{"holder": "g1", "tco2e": "0.321"}])
    second = first.pool.allocate([{"holder": "g2", "tco2e": "0.4774"},
                                  {"holder": "g3", "tco2e": "0.25"}])
    assert second.allocations[1].slices[0].start == D("0.7984")
    assert second.pool.position == Position(record=0, unit=2, offset=D("0.0484"))


def test_event_of_50_guests() -> None:
    p = plan(["0.534911"] * 50)
    assert (p.units_alone, p.units_pooled) == (50, 27)
    assert p.total_tco2e == D("26.745550")
    res = Pool.of([_lot(27)]).allocate(
        [{"holder": f"g{i}", "tco2e": "0.534911"} for i in range(50)])
    assert res.units_opened == 27
    assert res.remaining_tco2e == D("0.254450")


def test_one_guest_overbuys_68_percent_alone() -> None:
    p = plan(["0.594"])
    assert p.units_alone == 1 and p.excess_alone == D("0.6835")


def test_chuxiong_published_purchase() -> None:
    """Chuxiong 2024 Torch Festival: 4,397.596 tCO2e, 4,400 t agreed at the June 2024 national
    average of 91.90 CNY/t, "more than 400,000 yuan" (carbon.kcomber.com, 2024)."""
    p = plan(["4397.596"], lot_size=100, price_per_unit="91.90")
    assert p.units_pooled == 4398 and p.units_to_buy == 4400
    assert p.cost_to_buy == D("404360.00")


def test_phcer_auction_lots_add_up() -> None:
    """Guangzhou's two 2018 PHCER auctions: 26,815 at 23.88 and 41,559 at 23.99 CNY = 68,374
    PHCER (ets-china.org); the purchase lines are exact to the fen."""
    pool = Pool.of([
        {"id": "a1", "scheme": "phcer", "quantity": 26815, "unit_tco2e": "1",
         "status": "purchased", "price_per_unit": "23.88", "currency": "CNY"},
        {"id": "a2", "scheme": "phcer", "quantity": 41559, "unit_tco2e": "1",
         "status": "purchased", "price_per_unit": "23.99", "currency": "CNY"}])
    assert pool.capacity_tco2e == 68374
    assert pool.purchase_cost == D("640342.20") + D("997000.41") == D("1637342.61")


def test_costs_are_exact_to_the_fen_and_add_up() -> None:
    pool = Pool.of([_lot(2, price_per_unit="42.97", currency="CNY")])
    res = pool.allocate([{"holder": "g1", "tco2e": "0.321"},
                         {"holder": "g2", "tco2e": "0.4774"},
                         {"holder": "g3", "tco2e": "0.25"}])
    # 0.321 x 42.97 = 13.79337 -> 13.79; 0.4774 x 42.97 = 20.513878 -> 20.51;
    # 0.25 x 42.97 = 10.7425 -> 10.74 (half up at the fen: 10.7425 -> 10.74)
    assert [a.cost for a in res.allocations] == [D("13.79"), D("20.51"), D("10.74")]
    assert res.purchase_cost == D("85.94")
    assert res.unallocated_cost == D("85.94") - D("45.04")
    assert sum(a.cost or 0 for a in res.allocations) + res.unallocated_cost \
        == res.purchase_cost
    assert round_fen(D("0.125")) == D("0.13") and round_fen(D("0.135")) == D("0.14")


def test_exhausted_pool_names_the_claim() -> None:
    with pytest.raises(PoolError) as info:
        Pool.of([_lot(1)]).allocate([{"holder": "g1", "tco2e": "0.9"},
                                     {"holder": "g2", "tco2e": "0.2"}])
    e = info.value
    assert e.code == "pool_exhausted"
    assert e.params["index"] == 1 and e.params["holder"] == "g2"
    assert e.params["shortfall"] == "0.1"


@pytest.mark.parametrize("bad", [{"holder": "g", "tco2e": 0.5}, {"holder": "g", "tco2e": "-1"},
                                 {"holder": "", "tco2e": "1"}, {"tco2e": "1"}, "g1"])
def test_bad_claims(bad: object) -> None:
    with pytest.raises(RecordError) as info:
        Pool.of([_lot(5)]).allocate([bad])  # type: ignore[list-item]
    assert "#0" in str(info.value)


def test_duplicate_holder() -> None:
    with pytest.raises(RecordError, match="appears twice"):
        Pool.of([_lot(5)]).allocate([{"holder": "g", "tco2e": "1"},
                                     {"holder": "g", "tco2e": "1"}])


def test_plan_rejects_floats_and_bad_lots() -> None:
    with pytest.raises(RecordError):
        plan([0.5])
    with pytest.raises(PoolError):
        plan(["1"], lot_size=0)


def test_footprints_plan_directly(guest: list[dict[str, object]]) -> None:
    from carbon_footprint import calculate

    fp = calculate(guest)
    p = plan([fp] * 3)
    assert p.total_tco2e == 3 * fp.total_tco2e


# -- properties -----------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=5, places=6, allow_nan=False,
                      allow_infinity=False)


@given(st.lists(amounts, max_size=40), st.sampled_from(["1", "0.5", "2"]))
def test_pool_invariants(values: list[Decimal], unit: str) -> None:
    size = D(unit)
    total = sum(values, D(0))
    need = max(1, math.ceil(total / size))
    lots = [_lot(need, "a", unit_tco2e=unit), _lot(2, "b", unit_tco2e=unit)]
    claims = [{"holder": f"h{i}", "tco2e": str(v)} for i, v in enumerate(values)]
    res = Pool.of(lots).allocate(claims)
    # order stable, amounts exact
    assert [a.holder for a in res.allocations] == [c["holder"] for c in claims]
    assert sum((s.tco2e for a in res.allocations for s in a.slices), D(0)) == total
    for a, v in zip(res.allocations, values, strict=True):
        assert sum((s.tco2e for s in a.slices), D(0)) == v == a.tco2e
    # units opened = ceil(total / unit)
    assert res.units_opened == math.ceil(total / size)
    # every slice within [0, unit) of its unit; no part of a unit allocated twice
    seen: dict[tuple[str, int], list[tuple[Decimal, Decimal]]] = {}
    for a in res.allocations:
        for s in a.slices:
            assert 0 <= s.start < s.end <= size
            for lo, hi in seen.get((s.record, s.unit), []):
                assert s.end <= lo or hi <= s.start
            seen.setdefault((s.record, s.unit), []).append((s.start, s.end))
    assert res.remaining_tco2e == Pool.of(lots).capacity_tco2e - total
    # allocating in two calls gives the same slices as in one
    if len(claims) > 1:
        first = Pool.of(lots).allocate(claims[:1])
        rest = first.pool.allocate(claims[1:])
        assert first.allocations + rest.allocations == res.allocations


@given(st.lists(amounts, min_size=1, max_size=40))
def test_pooled_never_needs_more_than_alone(values: list[Decimal]) -> None:
    p = plan([str(v) for v in values])
    assert p.units_pooled <= p.units_alone
    assert p.units_pooled == math.ceil(sum(values, D(0)))
