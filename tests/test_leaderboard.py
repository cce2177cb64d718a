"""Leaderboards (tie rules, threshold, per capita, stable order) and avoided emissions."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbon_footprint._credit_errors import RankError
from carbon_footprint.leaderboard import avoided, rank

D = Decimal

#: The members above 1 t of the MyCarbon list published with the 2020 pooled VCU retirement
#: (Etherscan-verified contract of 2020-03-11; research notes §3.2), in the published order.
MYCARBON_TOP = ["6.0", "5.5", "5.1", "4.2", "4.0", "4.0", "3.8", "3.1", "3.0", "2.8", "2.0",
                "2.0", "1.5", "1.4", "1.4", "1.4", "1.3", "1.2", "1.1", "1.1", "1.0"]


def test_mycarbon_list_is_ordinal_with_threshold_1t() -> None:
    # members below the threshold, interleaved, must drop out
    entries = [{"id": f"m{i:02d}", "value": v} for i, v in enumerate(MYCARBON_TOP)]
    entries += [{"id": "small-1", "value": "0.9"}, {"id": "small-2", "value": "0.0061"}]
    board = rank(entries, ties="ordinal", threshold="1")
    assert [r.rank for r in board] == list(range(1, 22))
    assert [str(r.value) for r in board] == MYCARBON_TOP
    assert [r.id for r in board] == [f"m{i:02d}" for i in range(21)]  # ties keep input order
    assert sum(r.value for r in board) == D("56.9")


@pytest.mark.parametrize(("ties", "ranks"), [
    ("ordinal", [1, 2, 3, 4, 5]), ("competition", [1, 2, 2, 4, 4]), ("dense", [1, 2, 2, 3, 3])])
def test_tie_rules(ties: str, ranks: list[int]) -> None:
    entries = [{"id": x, "value": v} for x, v in
               [("a", "6"), ("b", "5"), ("c", "5.000"), ("d", "4"), ("e", "4")]]
    assert [r.rank for r in rank(entries, ties=ties)] == ranks  # type: ignore[arg-type]


def test_per_capita_is_exact() -> None:
    board = rank([{"id": "t1", "value": "10", "members": 3},
                  {"id": "t2", "value": "20", "members": 6},
                  {"id": "t3", "value": "7", "members": 2}], per_capita=True, ties="dense")
    assert [(r.rank, r.id, r.value) for r in board] == [
        (1, "t3", D("3.500000")), (2, "t1", D("3.333333")), (2, "t2", D("3.333333"))]


def test_ascending_and_limit() -> None:
    board = rank([{"id": "a", "value": "3"}, {"id": "b", "value": "1"},
                  {"id": "c", "value": "2"}], descending=False, limit=2)
    assert [r.id for r in board] == ["b", "c"]


@pytest.mark.parametrize(("entries", "kw", "code"), [
    ([{"id": "a", "value": 1.5}], {}, "rank_entry"),
    ([{"id": "a", "value": "1"}, {"id": "a", "value": "2"}], {}, "rank_duplicate"),
    ([{"id": "a", "value": "1", "members": 0}], {}, "rank_entry"),
    ([{"id": "a", "value": "1"}], {"ties": "olympic"}, "rank_ties"),
    ([{"id": "a", "value": "1"}], {"threshold": 1.0}, "rank_entry"),
])
def test_rank_errors(entries: list[dict[str, object]], kw: dict[str, object],
                     code: str) -> None:
    with pytest.raises(RankError) as info:
        rank(entries, **kw)  # type: ignore[arg-type]
    assert info.value.code == code


@given(st.lists(st.decimals(min_value=0, max_value=100, places=3, allow_nan=False,
                            allow_infinity=False), max_size=30),
       st.sampled_from(["ordinal", "competition", "dense"]))
def test_rank_properties(values: list[Decimal], ties: str) -> None:
    entries = [{"id": f"e{i}", "value": str(v)} for i, v in enumerate(values)]
    board = rank(entries, ties=ties)  # type: ignore[arg-type]
    assert len(board) == len(values)
    assert [r.value for r in board] == sorted(values, reverse=True)
    assert board == rank(entries, ties=ties)  # type: ignore[arg-type]
    for a, b in itertools.pairwise(board):
        assert a.rank <= b.rank
        if a.value == b.value:
            assert int(a.id[1:]) < int(b.id[1:])  # stable
            assert (a.rank == b.rank) == (ties != "ordinal")


def test_metro_instead_of_car_for_22_km() -> None:
    a = avoided({"type": "metro", "distance": "22 km"}, {"type": "car", "distance": "22 km"})
    assert a.baseline.factor.factor_id == "car.average.unknown"
    assert a.actual.factor.factor_id == "metro.underground"
    assert a.baseline.factor.table == a.actual.factor.table == "desnz-2024"
    # 22 km x 0.16691 kg/km = 3.672 kg; 22 passenger-km x 0.0278 kg = 0.612 kg (DESNZ 2024)
    assert (a.baseline_tco2e, a.actual_tco2e) == (D("0.003672"), D("0.000612"))
    assert a.avoided_tco2e == D("0.003060")
    base, act = a.lines()
    assert base.startswith("baseline: car 22 km x 0.16691 kg CO2e / km = 0.003672 tCO2e")
    assert act.startswith("actual: metro 22 passenger_km x 0.0278 kg CO2e / passenger_km")
    assert "desnz-2024" in base and "sha256" in act


def test_avoided_names_the_bad_activity() -> None:
    with pytest.raises(RankError, match="baseline"):
        avoided({"type": "metro", "distance": "22 km"}, {"type": "car", "distance": "-1 km"})
