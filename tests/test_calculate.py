"""calculate() on every activity type, against the bundled tables and published figures."""

from __future__ import annotations

import json
import math

import pytest
from pydantic import ValidationError

import carbon_footprint as cf
from carbon_footprint.tables import get_table


def factor(table: str, factor_id: str) -> float:
    meta = get_table(table).meta
    return next(f.value for f in meta.factors if f.id == factor_id)


UK = "uk-reporting"  # DESNZ as DESNZ advises: radiative forcing, route bands, average cabin


def one(activity: dict[str, object], **kw: object) -> cf.LineItem:
    fp = cf.calculate([activity], **kw)  # type: ignore[arg-type]
    line = fp.lines[0]
    assert isinstance(line, cf.LineItem)
    assert abs(float(fp.total_tco2e) - line.tco2e) <= 5.0001e-7  # exact to the gram
    return line


def says(line: cf.LineItem, text: str) -> bool:
    """Whether one of the line's notices says ``text``."""
    return any(text in n.message for n in line.notices)


def test_flight_by_distance_uses_non_uk_band_and_says_so() -> None:
    line = one({"type": "flight", "distance": "1000 km", "cabin": "economy"}, method=UK)
    assert line.factor.factor_id == "flight.international.economy.with_rf"
    assert line.tco2e == pytest.approx(1000 * factor("desnz-2024", line.factor.factor_id) / 1000)
    assert says(line, "route not given")
    assert line.quantity_unit == "passenger_km"


def test_flight_by_iata_great_circle_and_band() -> None:
    # LHR-JFK is ~5,540 km great circle: long-haul to/from UK; no extra 8 % uplift is added
    line = one({"type": "flight", "origin": "LHR", "destination": "JFK", "cabin": "business"},
               method=UK)
    assert line.factor.factor_id == "flight.long_haul.business.with_rf"
    assert 5500 < line.quantity < 5600
    assert line.tco2e == pytest.approx(line.quantity * 0.58028 / 1000)
    short = one({"type": "flight", "origin": "LHR", "destination": "CDG"}, method=UK)
    assert short.factor.factor_id == "flight.short_haul.average.with_rf"
    dom = one({"type": "flight", "origin": "LHR", "destination": "EDI", "cabin": "first"},
              method=UK)
    assert dom.factor.factor_id == "flight.domestic.average.with_rf"
    assert says(dom, "average passenger")


def test_flight_cabin_fallback_on_short_haul() -> None:
    line = one({"type": "flight", "distance": "800 km", "route": "to_from_uk",
                "cabin": "premium_economy"}, method=UK)
    assert line.factor.factor_id == "flight.short_haul.economy.with_rf"
    assert says(line, "DESNZ guidance")


def test_flight_options_scale() -> None:
    base = one({"type": "flight", "distance": "2000 km"}, method=UK)
    both = one({"type": "flight", "distance": "2000 km", "passengers": 3, "round_trip": True},
               method=UK)
    assert both.tco2e == pytest.approx(base.tco2e * 6)
    no_rf = one({"type": "flight", "distance": "2000 km", "radiative_forcing": False}, method=UK)
    assert no_rf.factor.factor_id.endswith("without_rf")
    assert no_rf.tco2e < base.tco2e


def test_published_long_haul_economy_2024_vs_2025() -> None:
    act = {"type": "flight", "distance": "1000 km", "route": "to_from_uk", "cabin": "economy"}
    act["distance"] = "5000 km"
    assert one(act, method=UK).factor.value == 0.20011  # DESNZ 2024, with RF
    assert one(act, method=UK, tables="desnz-2025").factor.value == 0.11704  # 2025 drop
    assert one(act, method=UK, tables="desnz-2025").factor.verified is False


@pytest.mark.parametrize(("service", "fid"), [
    ("national", "rail.national"), ("international", "rail.international"),
    ("light_rail", "rail.light_rail"), ("high_speed", "rail.national"),
])
def test_rail(service: str, fid: str) -> None:
    line = one({"type": "rail", "distance": "100 km", "service": service, "passengers": 2})
    assert line.factor.factor_id == fid
    assert line.tco2e == pytest.approx(200 * factor("desnz-2024", fid) / 1000)
    assert bool(line.notices) == (service == "high_speed")


def test_car_vehicle_km_and_sharing() -> None:
    line = one({"type": "car", "distance": "100 km", "fuel": "petrol", "size": "medium"})
    assert line.factor.factor_id == "car.medium.petrol"
    assert line.tco2e == pytest.approx(100 * factor("desnz-2024", "car.medium.petrol") / 1000)
    shared = one({"type": "car", "distance": "100 km", "fuel": "petrol", "size": "medium",
                  "occupants": 4})
    assert shared.tco2e == pytest.approx(line.tco2e / 4)
    ev = one({"type": "car", "distance": "100 km", "fuel": "electric"})
    assert ev.factor.factor_id == "car.average.electric"
    cng = one({"type": "car", "distance": "10 km", "fuel": "cng", "size": "small"})
    assert cng.factor.factor_id == "car.average.cng"  # no small CNG factor published
    assert cng.notices
    seg = one({"type": "car", "distance": "10 km", "fuel": "diesel", "size": "dual_purpose_4x4"})
    assert seg.factor.factor_id == "car.dual_purpose_4x4.diesel" and not seg.notices


@pytest.mark.parametrize(("act", "fid"), [
    ({"type": "taxi", "distance": "10 km"}, "taxi.regular"),
    ({"type": "taxi", "distance": "10 km", "service": "black_cab"}, "taxi.black_cab"),
    ({"type": "taxi", "distance": "10 km", "basis": "vehicle", "passengers": 3},
     "taxi.regular.vehicle_km"),
    ({"type": "motorbike", "distance": "10 km"}, "motorbike.average"),
    ({"type": "metro", "distance": "10 km", "service": "light_rail"}, "metro.light_rail"),
    ({"type": "bus", "distance": "10 km"}, "bus.average"),
    ({"type": "bus", "distance": "10 km", "service": "coach"}, "bus.coach"),
    ({"type": "metro", "distance": "10 km"}, "metro.underground"),
])
def test_taxi_bus_metro(act: dict[str, object], fid: str) -> None:
    line = one(act)
    assert line.factor.factor_id == fid
    assert line.tco2e == pytest.approx(10 * factor("desnz-2024", fid) / 1000)
    assert line.category == "travel"


def test_hotel_china_and_fallbacks() -> None:
    line = one({"type": "hotel", "nights": 3, "rooms": 2, "country": "CN"})
    assert line.factor.value == 53.5  # DESNZ 2024, kg CO2e per room-night
    assert line.tco2e == pytest.approx(6 * 53.5 / 1000)
    assert line.quantity_unit == "room_night" and line.quantity == 6
    assert line.category == "lodging"
    norway = one({"type": "hotel", "nights": 1, "country": "NO"})
    assert norway.factor.factor_id == "hotel.default_median" and norway.factor.derived
    assert any("NO" in n.message and "default" in n.message for n in norway.notices)
    london = one({"type": "hotel", "nights": 1, "country": "GB-LND"})
    assert london.factor.factor_id == "hotel.gb-lnd"
    nocountry = one({"type": "hotel", "nights": 1})
    assert "no country given" in nocountry.notices[0].message


def test_hotel_2021_china_differs() -> None:
    # 2021 is not bundled yet; 2023 and 2025 carry the 53.5 figure
    for t in ("desnz-2023", "desnz-2025"):
        assert one({"type": "hotel", "nights": 1, "country": "CN"}, tables=t).factor.value == 53.5


def test_meals() -> None:
    beef = one({"type": "meal", "diet": "beef", "count": 2})
    assert beef.factor.table == "ademe-2024" and beef.factor.value == 7.26
    assert beef.tco2e == pytest.approx(2 * 7.26 / 1000)
    avg = one({"type": "meal"})
    assert avg.factor.table == "scarborough-2014" and avg.factor.derived
    assert avg.factor.value == pytest.approx(5.63 / 3, rel=1e-4)
    assert says(avg, "derived")
    assert avg.category == "dining"


def test_food_any_mass_unit() -> None:
    kg = one({"type": "food", "item": "Beef (beef herd)", "mass": "1 kg"})
    lb = one({"type": "food", "item": "beef_beef_herd", "mass": "2.20462262185 lb"})
    assert kg.factor.value == 99.48  # Poore & Nemecek mean, via OWID
    assert kg.tco2e == pytest.approx(lb.tco2e)


def test_purchase_currency_and_deflation() -> None:
    usd22 = one({"type": "purchase", "category": "restaurant", "amount": "100 USD",
                 "year": 2022})
    assert usd22.factor.factor_id == "purchase.naics_722511"
    assert usd22.tco2e == pytest.approx(100 * 0.194 / 1000)
    usd24 = one({"type": "purchase", "category": "naics:722511", "amount": "100 USD",
                 "year": 2024})
    # deflation direction: later dollars are worth fewer 2022 dollars (CPI 313.689 -> 292.655)
    assert usd24.quantity == pytest.approx(100 * 292.655 / 313.689)
    cny = one({"type": "purchase", "category": "restaurant", "amount": "CNY 673.715811237119",
               "year": 2022})
    assert cny.quantity == pytest.approx(100.0)  # World Bank 2022 CNY/USD average
    default_year = one({"type": "purchase", "category": "restaurant", "amount": "100 USD"})
    assert says(default_year, "price year 2022")


def test_electricity_region_choice_is_explicit() -> None:
    sc = one({"type": "electricity", "energy": "1 MWh", "region": "CN-SC"})
    cn = one({"type": "electricity", "energy": "1000 kWh", "region": "CN"})
    assert sc.factor.value == 0.1564 and cn.factor.value == 0.5306  # MEE/NBS 2023
    assert sc.gas_basis == "CO2" and sc.factor.gwp is None
    assert says(sc, "CO2 only")
    assert 3 < cn.tco2e / sc.tco2e < 4
    gb = one({"type": "electricity", "energy": "1000 kWh", "region": "GB"})
    assert gb.gas_basis == "CO2e" and gb.factor.table == "desnz-2024"
    xz = one({"type": "electricity", "energy": "1000 kWh", "region": "CN-XZ"})
    assert xz.factor.factor_id == "electricity.cn" and "CN-XZ" in xz.notices[0].message
    default = one({"type": "electricity", "energy": "1000 kWh"})
    assert default.factor.factor_id == "electricity.cn"
    assert "region not given" in default.notices[0].message


def test_models_and_dicts_give_the_same_result() -> None:
    d = {"type": "rail", "distance": "217.5 mi"}
    m = cf.Rail(distance="217.5 mi")  # type: ignore[arg-type]
    assert one(d).tco2e == one(m.model_dump()).tco2e == cf.calculate([m]).lines[0].tco2e


def test_guest_footprint_and_provenance(guest: list[dict[str, object]]) -> None:
    fp = cf.calculate(guest)
    assert len(fp.lines) == 5 and fp.rejected == 0
    assert [ln.index for ln in fp.lines] == list(range(5))
    assert abs(float(fp.total_tco2e) - math.fsum(ln.tco2e for ln in fp.ok_lines)) <= 5.0001e-7
    assert fp.total_tco2e == sum(fp.by_category.values())  # exact: apportioned to the gram
    assert fp.offset.credits == 1
    for ln in fp.ok_lines:
        f = ln.factor
        assert f.table and f.edition and f.factor_id and f.unit and f.source and f.source_ref
        assert len(f.table_sha256) == 64
    assert {t.id for t in fp.tables if t.kind == "factors"} <= set(fp.table_set)
    rates = {t.id: t for t in fp.tables if t.kind != "factors"}  # the spend conversion's tables
    assert set(rates) == {"fx-worldbank", "cpi-us", "ipcc-gwp100"} and all(len(t.sha256) == 64
                                                             for t in rates.values())


def test_empty_batch_is_a_zero_result() -> None:
    fp = cf.calculate([])
    assert fp.total_tco2e == 0 and fp.lines == () and fp.offset.credits == 0


def test_factor_selection_by_table_id_and_list() -> None:
    act = {"type": "hotel", "nights": 1, "country": "CN"}
    assert one(act, tables="desnz-2023").factor.table == "desnz-2023"
    assert one(act, tables=["desnz-2025", "desnz-2024"]).factor.table == "desnz-2025"
    with pytest.raises(cf.NoFactorError, match="hotel"):
        cf.calculate([act], tables="mee-grid-2023")


def test_offset_policy_passed_through() -> None:
    fp = cf.calculate([{"type": "hotel", "nights": 30, "country": "CN"}],
                      offset={"buffer": "0.1", "price_per_credit": "35.5", "currency": "CNY"})
    # 1.605 t x 1.1 = 1.7655 -> 2 credits x 35.5 CNY
    assert fp.offset.credits == 2 and str(fp.offset.cost) == "71.0"


def test_json_round_trip(guest: list[dict[str, object]]) -> None:
    fp = cf.calculate([*guest, {"type": "nope"}], errors="collect")
    again = cf.Footprint.model_validate_json(fp.model_dump_json())
    assert again.model_dump() == fp.model_dump()
    assert again.model_dump_json() == fp.model_dump_json()


def test_every_purchase_alias_resolves() -> None:
    from carbon_footprint.activities.purchase import CATEGORY_ALIASES

    sectors = {f.selectors["sector"] for f in get_table("useeio-1.3.0").meta.factors}
    assert set(CATEGORY_ALIASES.values()) <= sectors


def test_lines_are_immutable_models_that_dump_and_slim() -> None:
    fp = cf.calculate([{"type": "meal"}, {"type": "meal", "diet": "beef"}])
    line = fp.lines[0]
    assert isinstance(line, cf.LineItem) and line.model_dump()["tco2e"] == line.tco2e
    with pytest.raises(ValidationError):
        line.tco2e = 1.0  # type: ignore[misc]
    with pytest.raises(AttributeError):
        fp.lines.append(line)  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        fp.by_category["dining"] = 0  # type: ignore[index]
    data = json.loads(fp.model_dump_json())
    assert data["lines"][0]["factor"]["table"] == "scarborough-2014"
    slim = json.loads(fp.model_dump_json(exclude={"lines": {"__all__": {"factor", "notices"}}}))
    assert "factor" not in slim["lines"][0] and slim["lines"][1]["tco2e"] == fp.lines[1].tco2e
    only = json.loads(fp.model_dump_json(include={"total_tco2e": True,
                                                  "lines": {"__all__": {"index", "tco2e"}}}))
    assert set(only) == {"total_tco2e", "lines"} and set(only["lines"][0]) == {"index", "tco2e"}
    schema = cf.Footprint.model_json_schema(mode="serialization")
    assert "LineItem" in schema["$defs"] and not any(k.startswith("_") for k in schema["$defs"])
    with pytest.raises(ValueError):
        cf.Footprint.model_validate({**fp.model_dump(), "lines": [{"status": "ok", "index": 0}]})


def test_json_number_rule() -> None:
    """Exact amounts are decimal strings, measurements JSON numbers (one rule, both modes)."""
    fp = cf.calculate([{"type": "hotel", "nights": 1, "country": "CN"}, {"type": "meal"}],
                      offset={"rounding": "fractional"})
    data = json.loads(fp.model_dump_json())
    assert data["total_tco2e"] == "0.055377" and data["by_category"]["lodging"] == "0.053500"
    assert data["offset"]["credits"] == "0.06" and isinstance(data["lines"][0]["tco2e"], float)
    whole = json.loads(cf.calculate([{"type": "meal"}]).model_dump_json())
    assert whole["offset"]["credits"] == "1"
