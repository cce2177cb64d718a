"""Venue activity types (fuel, heat, waste, material, water, refrigerant) against DESNZ.

Expected values were read independently from the DESNZ flat files (a second reading, not the
import script), kg CO2e per unit, with the row or ID they come from.
"""

from __future__ import annotations

import pytest

import carbon_footprint as cf

#: (activity, edition) -> (kg CO2e per unit, source row/ID); the amount in each case is one unit
CHECKS = {
    "natural gas 1 kWh gross CV": (
        {"type": "fuel", "fuel": "natural_gas", "amount": "1 kWh"},
        {"2021": (0.18316, "row 70"), "2022": (0.18254, "row 82"),
         "2023": (0.182929, "1_100_1004_6_1"), "2024": (0.18290, "1_100_1004_6_1")}),
    "diesel 1 L": (
        {"type": "fuel", "fuel": "diesel", "amount": "1 L"},
        {"2021": (2.51233, "row 174"), "2022": (2.55784, "row 186"),
         "2023": (2.51206, "1_101_1011_8_1"), "2024": (2.51279, "1_101_1011_8_1")}),
    "commercial and industrial waste 1 t landfill": (
        {"type": "waste", "material": "commercial_and_industrial", "treatment": "landfill",
         "mass": "1 t"},
        {"2021": (467.0458, "row 6888"), "2022": (467.008384, "row 4046"),
         "2023": (520.334743, "20_507_5313_15_1"), "2024": (520.3342, "20_507_5313_15_1"),
         "2025": (520.5327, "20_507_5313_15_1")}),
    "paper 1 t primary": (
        {"type": "material", "material": "paper", "mass": "1 t"},
        {"2021": (919.39628, "row 2433"), "2022": (919.39628, "row 3897"),
         "2023": (910.478098, "19_506_5164_15_1"), "2024": (1339.31834, "19_506_5164_15_1"),
         "2025": (1345.0779, "19_506_5164_15_1")}),
    "water supply 1 m3": (
        {"type": "water", "volume": "1 m^3"},
        {"2021": (0.149, "row 2290"), "2022": (0.149, "row 3729"),
         "2023": (0.176685, "17_404_4005_1_1"), "2024": (0.15311, "17_404_4005_1_1"),
         "2025": (0.1913, "17_404_4005_1_1")}),
    "R-410A 1 kg": (
        {"type": "refrigerant", "gas": "R-410A", "mass": "1 kg"},
        {"2021": (2088.0, "R410A"), "2022": (2088.0, "R410A"), "2023": (1924.0, "R410A"),
         "2024": (1924.0, "R410A")}),
}


@pytest.mark.parametrize("name", list(CHECKS))
def test_published_values_every_edition(name: str) -> None:
    act, by_edition = CHECKS[name]
    for edition, (kg, ref) in by_edition.items():
        line = cf.calculate([act], tables=f"desnz-{edition}", method="uk-reporting").lines[0]
        assert line.tco2e * 1000 == pytest.approx(kg, rel=1e-5), (edition, ref)
        assert line.factor.table == f"desnz-{edition}"


def test_issue_examples() -> None:
    fp = cf.calculate([
        {"type": "fuel", "fuel": "natural_gas", "amount": "1000 kWh"},
        {"type": "waste", "material": "commercial_and_industrial", "mass": "1 t"},
        {"type": "material", "material": "paper", "mass": "1 t"},
        {"type": "water", "volume": "1 m^3"},
        {"type": "refrigerant", "gas": "R410A", "mass": "1 kg"},
    ], method="uk-reporting")
    assert [round(ln.tco2e * 1000, 5) for ln in fp.lines] == [
        182.9, 520.3342, 1339.31834, 0.15311, 1924.0]
    assert [ln.category for ln in fp.lines] == [
        "energy", "waste", "materials", "water", "refrigerants"]


def test_fuel_measure_follows_the_unit() -> None:
    def fid(amount: str, **kw: str) -> str:
        act = {"type": "fuel", "fuel": "natural_gas", "amount": amount, **kw}
        return cf.calculate([act]).lines[0].factor.factor_id

    assert fid("2 MWh") == "fuel.natural_gas.energy_gross"
    assert fid("7.2 GJ", calorific_value="net") == "fuel.natural_gas.energy_net"
    assert fid("100 m^3") == "fuel.natural_gas.volume"
    assert fid("0.5 t") == "fuel.natural_gas.mass"
    gj = cf.calculate([{"type": "fuel", "fuel": "natural_gas", "amount": "3.6 GJ"}]).lines[0]
    assert gj.quantity == pytest.approx(1000) and gj.quantity_unit == "kWh"


def test_fuel_errors_name_the_field() -> None:
    with pytest.raises(cf.ActivityError) as exc:
        cf.calculate([{"type": "fuel", "fuel": "coal_industrial", "amount": "3 m^3"}])
    e = exc.value
    assert e.code == "fuel_measure" and e.field == "amount" and "a mass" in e.expected
    with pytest.raises(cf.UnknownCodeError) as exc2:
        cf.calculate([{"type": "fuel", "fuel": "natral gas", "amount": "3 kWh"}])
    assert exc2.value.field == "fuel" and "natural_gas" in exc2.value.suggestions
    with pytest.raises(cf.QuantityError):
        cf.calculate([{"type": "fuel", "fuel": "diesel", "amount": "3 km"}])


def test_names_and_aliases() -> None:
    def fid(act: dict) -> str:
        return cf.calculate([act]).lines[0].factor.factor_id

    assert fid({"type": "fuel", "fuel": "Natural gas", "amount": "1 kWh"}) == \
        "fuel.natural_gas.energy_gross"
    for gas in ("r134a", "R-134a", "HFC-134a", "R134A"):
        assert fid({"type": "refrigerant", "gas": gas, "mass": "1 kg"}) == "refrigerant.r134a"


def test_waste_boundary_notice() -> None:
    landfill, burnt = cf.calculate([
        {"type": "waste", "material": "paper", "mass": "1 t"},
        {"type": "waste", "material": "paper", "treatment": "combustion", "mass": "1 t"},
    ]).lines
    assert not any(n.code == "waste_boundary" for n in landfill.notices)
    assert any(n.code == "waste_boundary" for n in burnt.notices)
    assert burnt.tco2e < landfill.tco2e


def test_unpublished_combination_is_a_clear_error() -> None:
    with pytest.raises(cf.NoFactorError) as exc:
        cf.calculate([{"type": "waste", "material": "paper", "treatment": "open_loop",
                       "mass": "1 t"}])
    assert exc.value.field == "treatment" and "closed_loop" in exc.value.expected
