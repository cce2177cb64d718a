"""Editions: selection by id and date, regional fallback chains, GWP sets, spend rates, diffs."""

from __future__ import annotations

from datetime import date

import pytest

import carbon_footprint as cf
from carbon_footprint.tables import bundled_table_ids, get_table
from carbon_footprint.tables._diff import diff_tables

LONG_HAUL = {"type": "flight", "distance": "5000 km", "route": "to_from_uk", "cabin": "economy"}


UK = "uk-reporting"
ANY_EDITION = {"profile": UK, "editions": "any"}


def line(acts: list[dict[str, object]], **kw: object) -> cf.LineItem:
    kw.setdefault("method", UK)
    fp = cf.calculate(acts, **kw)  # type: ignore[arg-type]
    first = fp.lines[0]
    assert isinstance(first, cf.LineItem)
    return first


def test_every_edition_ships() -> None:
    ids = set(bundled_table_ids())
    expected = {f"desnz-{y}" for y in range(2021, 2026)} | {
        "mee-grid-2021", "mee-grid-2022", "mee-grid-2023", "mee-ets-2022", "mee-ets-2023",
        "epa-hub-2024", "epa-hub-2025", "useeio-1.2", "useeio-1.3.0", "ademe-2024",
        "scarborough-2014", "poore-nemecek-2018"}
    assert expected <= ids


@pytest.mark.parametrize(("day", "table", "value"), [
    (date(2022, 1, 1), "desnz-2021", 0.14787),
    (date(2023, 5, 1), "desnz-2022", 0.14787),  # 2021 = 2022 for air
    (date(2024, 1, 1), "desnz-2023", 0.200108280537),
    (date(2025, 1, 1), "desnz-2024", 0.20011),
    (date(2026, 1, 1), "desnz-2025", 0.11704),
])
def test_on_date_picks_edition_in_force(day: date, table: str, value: float) -> None:
    ln = line([LONG_HAUL], on=day, method=ANY_EDITION)
    assert ln.factor.table == table and ln.factor.value == pytest.approx(value)


def test_on_date_skips_unverified_editions_unless_asked() -> None:
    """desnz-2025 is a third party's copy: a date never selects it unless asked for."""
    fp = cf.calculate([LONG_HAUL], on=date(2026, 1, 1), method=UK)
    assert fp.lines[0].factor.table == "desnz-2024"  # type: ignore[union-attr]
    assert any("no edition in force" in n.message for n in fp.notes)
    asked = cf.calculate([LONG_HAUL], on=date(2026, 1, 1), method=ANY_EDITION)
    ln = asked.lines[0]
    assert ln.factor.table == "desnz-2025" and asked.method.overrides == ("editions",)
    assert any(n.code == "unverified" for n in ln.notices)  # type: ignore[union-attr]
    explicit = cf.calculate([LONG_HAUL], tables="desnz-2025").lines[0]
    assert any(n.code == "unverified" for n in explicit.notices)  # type: ignore[union-attr]


def test_on_date_records_choice_and_excludes_factors() -> None:
    fp = cf.calculate([LONG_HAUL], on=date(2024, 1, 1))
    assert any(n.message.startswith("desnz: desnz-2023 in force on 2024-01-01")
               for n in fp.notes)
    assert fp.table_set[0] == "desnz-2023"
    with pytest.raises(cf.CarbonFootprintError, match="not both"):
        cf.calculate([LONG_HAUL], tables="desnz-2024", on=date(2024, 1, 1))


def test_hotel_china_2021_vs_2022() -> None:
    hotel = [{"type": "hotel", "nights": 1, "country": "CN"}]
    assert line(hotel, tables="desnz-2021").factor.value == 62.9
    assert line(hotel, tables="desnz-2022").factor.value == 53.5


def test_sichuan_national_and_grid_fallback() -> None:
    sc = {"type": "electricity", "energy": "1000 kWh", "region": "CN-SC"}
    cn = {"type": "electricity", "energy": "1000 kWh", "region": "CN"}
    xz = {"type": "electricity", "energy": "1000 kWh", "region": "CN-XZ"}  # Tibet: no factor
    for year, value in (("2021", 0.1255), ("2022", 0.1404), ("2023", 0.1564)):
        assert line([sc], tables=f"mee-grid-{year}").factor.value == value
    assert line([cn], tables="mee-grid-2021").factor.value == 0.5568
    assert line([cn], tables="mee-grid-2022").factor.value == 0.5366
    grid = line([xz], tables="mee-grid-2022")
    assert grid.factor.factor_id == "electricity.cn-grid-southwest"
    assert "parent region CN-GRID-SOUTHWEST" in grid.notices[0].message
    national = line([xz], tables="mee-grid-2023")  # no Southwest grid in the 2023 data
    assert national.factor.factor_id == "electricity.cn"
    ets = line([sc], tables="mee-ets-2023")
    assert ets.factor.value == 0.5703 and ets.gas_basis == "CO2"


def test_epa_distance_bands_and_no_rf() -> None:
    short = line([{"type": "flight", "distance": "200 mi"}], tables="epa-hub-2025")
    long_ = line([{"type": "flight", "origin": "JFK", "destination": "LAX"}],
                 tables="epa-hub-2025")
    assert short.factor.factor_id == "flight.us_short.average.without_rf"
    assert long_.factor.factor_id == "flight.us_long.average.without_rf"
    assert any("radiative-forcing" in n.message for n in short.notices)
    assert short.factor.derived  # CO2e computed from EPA's per-gas factors
    grid = line([{"type": "electricity", "energy": "1 MWh", "region": "US-EGRID-CAMX"}],
                tables="epa-hub-2025")
    assert grid.factor.value == pytest.approx(0.198741, abs=1e-6)


def test_gwp_recomputed_from_gas_split() -> None:
    ar5 = line([LONG_HAUL])
    ar6 = line([LONG_HAUL], gwp="AR6")
    # DESNZ 2024 long-haul economy with RF: CO2 0.19911, CH4 0.00001, N2O 0.00099 (AR5)
    expect = 0.19911 + 0.00001 * 27.9 / 28 + 0.00099 * 273 / 265
    assert ar6.factor.gwp == "AR6" and ar6.factor.recomputed_from_gwp == "AR5"
    assert ar6.tco2e == pytest.approx(5000 * expect / 1000)
    assert ar6.tco2e > ar5.tco2e
    ar4 = line([LONG_HAUL], gwp="AR4")
    assert ar4.tco2e == pytest.approx(5000 * (0.19911 + 0.00001 * 25 / 28 + 0.00099 * 298 / 265)
                                      / 1000)
    same = line([LONG_HAUL], gwp="AR5")
    assert same.tco2e == ar5.tco2e and same.factor.recomputed_from_gwp is None
    co2 = line([{"type": "electricity", "energy": "1 kWh", "region": "CN"}], gwp="AR6")
    assert co2.gas_basis == "CO2" and co2.factor.recomputed_from_gwp is None


def test_gwp_without_split_keeps_its_basis_or_is_strict() -> None:
    """Lines that cannot be re-expressed keep their published basis, say so, and the mix is
    stated on the result; strict mode makes them errors."""
    fp = cf.calculate([{"type": "meal"}, LONG_HAUL], gwp="AR6", method=UK)
    meal, flight = fp.lines
    assert meal.factor.gwp == "AR4" and any(n.code == "gwp_kept" for n in meal.notices)
    assert flight.factor.gwp == "AR6"
    assert set(fp.by_basis) == {"CO2e (AR4)", "CO2e (AR6)"}
    assert sum(fp.by_basis.values()) == fp.total_tco2e
    strict = {"profile": UK, "gwp": "AR6", "gwp_strict": True}
    with pytest.raises(cf.GwpError, match="without a gas split"):
        cf.calculate([{"type": "meal", "diet": "beef"}], method=strict)
    fp = cf.calculate([{"type": "meal"}, LONG_HAUL], method=strict, errors="collect")
    assert fp.rejected == 1 and fp.lines[0].status == "error"
    with pytest.raises(TypeError, match="gwp must be"):
        cf.calculate([LONG_HAUL], gwp="AR7")  # type: ignore[arg-type]


def test_deflation_direction_worked_check() -> None:
    """10 spent at CPI 105.5, deflated to a base at CPI 95.2, is 9.02 (not 11.08)."""
    from carbon_footprint._money import convert_spend

    # the bundled CPI-U: 2024 = 313.689, 2022 = 292.655
    conv = convert_spend("USD", 2024, "USD", 2022)
    assert 10 * conv.factor == pytest.approx(10 * 292.655 / 313.689)
    assert 10 * conv.factor < 10


def test_callers_exchange_rate() -> None:
    ln = line([{"type": "purchase", "category": "restaurant", "amount": "700 CNY", "year": 2022,
                "exchange_rate": 7.0}])
    assert ln.quantity == pytest.approx(100.0)
    assert any("caller's rate" in n.message for n in ln.notices)
    with pytest.raises(cf.ActivityError, match="already in USD"):
        cf.calculate([{"type": "purchase", "category": "restaurant", "amount": "7 USD",
                       "exchange_rate": 7.0}])
    with pytest.raises(cf.ActivityError):
        cf.calculate([{"type": "purchase", "category": "restaurant", "amount": "7 CNY",
                       "exchange_rate": 0}])


def test_useeio_versions() -> None:
    old = line([{"type": "purchase", "category": "restaurant", "amount": "100 USD",
                 "year": 2021}], tables="useeio-1.2")
    assert old.factor.table == "useeio-1.2" and old.quantity == pytest.approx(100)


def test_diff_shows_2025_air_drop_and_unchanged_2023_2024() -> None:
    def air(a: str, b: str) -> list[float]:
        changes = diff_tables(get_table(a), get_table(b))
        return [r for c in changes if c.activity == "flight" and not c.factor_id.endswith(".wtt")
                and (r := c.relative()) is not None]

    assert all(r == 0.0 for r in air("desnz-2023", "desnz-2024"))
    assert all(r == 0.0 for r in air("desnz-2021", "desnz-2022"))
    drop = air("desnz-2024", "desnz-2025")
    assert len(drop) == 28 and all(r < -0.1 for r in drop)
    # the 2025 copy repeats 2024's well-to-tank flight factors unchanged
    wtt = [r for c in diff_tables(get_table("desnz-2024"), get_table("desnz-2025"))
           if c.activity == "flight" and c.factor_id.endswith(".wtt")
           and (r := c.relative()) is not None]
    assert len(wtt) == 28 and all(r == 0.0 for r in wtt)
