"""Method profiles: every setting changes what it says, is recorded, and can be overridden.

Expected values are DESNZ 2024 factors read from the published flat file (see
docs/tables/desnz.md) times the inputs, computed by hand in the comments.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import carbon_footprint as cf
from carbon_footprint.method import DEFAULT_METHOD, PROFILES, Method, resolve_method

PEK_TFU = {"type": "flight", "origin": "PEK", "destination": "TFU", "round_trip": True}
GC_KM = 3094.3235450090087  # 2 x great-circle PEK-TFU (airportsdata coordinates)


def one(acts: list[dict], **kw: object) -> cf.LineItem:
    fp = cf.calculate(acts, **kw)  # type: ignore[arg-type]
    assert len(fp.lines) == 1
    return fp.lines[0]


def test_default_profile_is_china_large_event_and_recorded() -> None:
    fp = cf.calculate([{"type": "rail", "distance": "10 km"}])
    assert DEFAULT_METHOD == "china-large-event"
    assert fp.method.name == "china-large-event" and fp.method.version == "1"
    assert fp.method.overrides == ()
    dumped = fp.model_dump(mode="json")["method"]
    assert dumped["radiative_forcing"] is False and dumped["gwp"] == "AR5"


def test_every_profile_sets_every_setting() -> None:
    settings = set(Method.model_fields) - {"name", "version", "title", "overrides"}
    for p in PROFILES.values():
        assert set(p.settings()) == settings
        assert p.title


def test_radiative_forcing_per_profile() -> None:
    flight = {**PEK_TFU, "cabin": "economy"}
    uk = one([flight], method="uk-reporting")
    # DESNZ 2024 international, to/from non-UK, economy, with RF 0.13465 kg/pkm
    assert uk.factor.factor_id == "flight.international.economy.with_rf"
    assert uk.tco2e == pytest.approx(GC_KM * 0.13465 / 1000)
    no_rf = one([flight], method={"profile": "uk-reporting", "radiative_forcing": False})
    assert no_rf.factor.factor_id == "flight.international.economy.without_rf"
    assert no_rf.tco2e == pytest.approx(GC_KM * 0.07948 / 1000)
    cn = one([flight])
    # distance bands: 1,547 km < 3,700 km -> short-haul economy without RF 0.10794 kg/pkm
    assert cn.factor.factor_id == "flight.short_haul.economy.without_rf"
    assert cn.tco2e == pytest.approx(GC_KM * 0.10794 / 1000)
    # the activity's own setting wins over the profile
    assert one([{**flight, "radiative_forcing": True}]).factor.factor_id.endswith("with_rf")


def test_cabin_rule_economy_on_domestic_legs_only() -> None:
    cn = one([PEK_TFU])
    assert cn.factor.factor_id == "flight.short_haul.economy.without_rf"
    assert any(n.code == "cabin_assumed" and "economy" in n.message for n in cn.notices)
    abroad = one([{"type": "flight", "origin": "PEK", "destination": "LHR"}])
    assert ".average." in abroad.factor.factor_id
    uk = one([PEK_TFU], method="uk-reporting")
    assert uk.factor.factor_id == "flight.international.average.with_rf"


def test_distance_bands_on_a_short_leg() -> None:
    leg = {"type": "flight", "distance": "300 km", "cabin": "economy"}
    assert one([leg], method="uk-reporting").factor.factor_id.startswith("flight.international")
    assert one([leg]).factor.factor_id.startswith("flight.short_haul")
    long = {"type": "flight", "distance": "5000 km", "cabin": "economy"}
    assert one([long]).factor.factor_id.startswith("flight.long_haul")


def test_room_sharing() -> None:
    # DESNZ 2024 hotel.cn 53.5 kg per room-night
    whole = one([{"type": "hotel", "nights": 3, "country": "CN"}])
    assert whole.tco2e == pytest.approx(0.1605) and whole.quantity == 3
    half = one([{"type": "hotel", "nights": 3, "country": "CN", "guests_per_room": 2}])
    assert half.tco2e == pytest.approx(0.08025) and half.quantity == pytest.approx(1.5)
    assert any(n.code == "hotel_shared" for n in half.notices)
    third = one([{"type": "hotel", "nights": 3, "country": "CN", "share": 1 / 3}])
    assert third.tco2e == pytest.approx(0.0535)
    kept = one([{"type": "hotel", "nights": 3, "country": "CN", "guests_per_room": 2}],
               method={"hotel_sharing": "whole_room"})
    assert kept.tco2e == pytest.approx(0.1605)
    assert any(n.code == "hotel_whole_room" for n in kept.notices)
    with pytest.raises(cf.ActivityError):
        cf.calculate([{"type": "hotel", "nights": 3, "country": "CN", "guests_per_room": 2,
                       "share": 0.5}])


def test_room_counted_once_at_event_level() -> None:
    pair = [{"type": "hotel", "nights": 2, "country": "CN", "guests_per_room": 2}] * 2
    assert cf.calculate(pair).total_tco2e == Decimal("0.107000")  # 2 x 53.5 kg, once


def test_missing_hotel_country_uses_last_published() -> None:
    tw = one([{"type": "hotel", "nights": 1, "country": "TW"}])
    assert tw.factor.table == "desnz-2021" and tw.tco2e == pytest.approx(0.0773)
    assert any(n.code == "hotel_last_published" for n in tw.notices)
    mo = one([{"type": "hotel", "nights": 1, "country": "MO"}])
    assert mo.tco2e == pytest.approx(0.0756)
    median = one([{"type": "hotel", "nights": 1, "country": "TW"}],
                 method={"hotel_missing_country": "table_default"})
    assert median.factor.factor_id == "hotel.default_median"
    never = one([{"type": "hotel", "nights": 1, "country": "NO"}])
    assert never.factor.factor_id == "hotel.default_median"


def test_unverified_edition_only_when_asked() -> None:
    rail = [{"type": "rail", "distance": "100 km"}]
    after = date(2025, 8, 1)
    assert one(rail, on=after).factor.table == "desnz-2024"
    anyed = one(rail, on=after, method={"editions": "any"})
    assert anyed.factor.table == "desnz-2025"
    assert any(n.code == "unverified" for n in anyed.notices)
    named = one(rail, tables="desnz-2025")
    assert any(n.code == "unverified" for n in named.notices)
    assert not any(n.code == "unverified" for n in one(rail).notices)


def test_gwp_lenient_keeps_lines_and_states_the_mix() -> None:
    acts = [{"type": "fuel", "fuel": "natural_gas", "amount": "1000 kWh"},
            {"type": "meal", "diet": "average", "count": 3}]
    fp = cf.calculate(acts, gwp="AR6")
    gas, meal = fp.lines
    assert gas.factor.gwp == "AR6" and gas.factor.recomputed_from_gwp == "AR5"
    assert meal.factor.gwp == "AR4" and any(n.code == "gwp_kept" for n in meal.notices)
    assert set(fp.by_basis) == {"CO2e (AR6)", "CO2e (AR4)"}
    assert sum(fp.by_basis.values()) == fp.total_tco2e
    assert fp.method.overrides == ("gwp",)
    with pytest.raises(cf.GwpError):
        cf.calculate(acts, gwp="AR6", method={"gwp_strict": True})


def test_upstream_scope() -> None:
    gas = {"type": "fuel", "fuel": "natural_gas", "amount": "1000 kWh"}
    direct = one([gas])
    assert direct.scope == "direct" and direct.upstream is None
    assert direct.tco2e == pytest.approx(0.1829)  # 0.18290 kg/kWh gross CV
    both = one([gas], method={"upstream": True})
    # + DESNZ 2024 WTT natural gas 0.03021 kg/kWh
    assert both.scope == "direct+upstream" and both.upstream is not None
    assert both.upstream.factor_id == "fuel.natural_gas.energy_gross.wtt"
    assert both.upstream_tco2e == pytest.approx(0.03021)
    assert both.tco2e == pytest.approx(0.18290 + 0.03021)
    fp = cf.calculate([gas, {"type": "waste", "material": "paper", "mass": "1 t"}],
                      method={"upstream": True})
    assert fp.by_scope["upstream"] == Decimal("0.030210")
    assert sum(fp.by_scope.values()) == fp.total_tco2e
    assert not any(n.code == "upstream_missing" for n in fp.lines[1].notices)
    flight = one([{**PEK_TFU, "cabin": "economy"}], method={"profile": "uk-reporting",
                                                            "upstream": True})
    assert flight.upstream_tco2e == pytest.approx(GC_KM * 0.01656 / 1000)  # ID 22_912_3180_11_1


def test_meal_scale() -> None:
    veg = [{"type": "meal", "diet": "vegetarian", "count": 3}]
    assert one(veg, method="uk-reporting").factor.table == "ademe-2024"
    same = one(veg)
    assert same.factor.table == "scarborough-2014"
    assert any(n.code == "meal_scale" for n in same.notices)


def test_method_errors_name_the_setting() -> None:
    with pytest.raises(cf.CarbonFootprintError, match="unknown method profile"):
        cf.calculate([], method="uk")
    with pytest.raises(cf.CarbonFootprintError, match="not a method setting"):
        cf.calculate([], method={"profile": "uk-reporting", "rf": False})
    with pytest.raises(cf.ArgumentTypeError):
        cf.calculate([], method=3)  # type: ignore[arg-type]
    m = resolve_method({"profile": "uk-reporting", "upstream": True})
    assert m.name == "uk-reporting" and m.overrides == ("upstream",)


def test_frame_takes_the_same_method() -> None:
    pd = pytest.importorskip("pandas")
    acts = [{**PEK_TFU, "cabin": "economy"}, {"type": "hotel", "nights": 3, "country": "CN",
                                              "guests_per_room": 2}]
    for method in ("uk-reporting", None, {"upstream": True}):
        out = cf.calculate_frame(pd.DataFrame(acts), method=method)
        fp = cf.calculate(acts, method=method)
        assert list(out["tco2e"]) == pytest.approx([ln.tco2e for ln in fp.lines])


def test_credit_rounding_setting_is_applied() -> None:
    rail = [{"type": "rail", "distance": "10 km"}]
    assert cf.calculate(rail).offset.credits == 1
    frac = cf.calculate(rail, method={"credit_rounding": "fractional"})
    assert frac.offset.policy.rounding == "fractional" and frac.offset.credits == Decimal("0.01")
    policy = cf.calculate(rail, method={"credit_rounding": "fractional"}, offset={"rounding": "up"})
    assert policy.offset.credits == 1  # an explicit offset policy wins


def test_borrowed_tables_are_listed() -> None:
    fp = cf.calculate([{"type": "hotel", "nights": 1, "country": "MO"}])
    assert "desnz-2021" in [t.id for t in fp.tables]


def test_none_in_a_method_dict_is_a_setting() -> None:
    m = cf.calculate([], method={"profile": "china-large-event", "gwp": None}).method
    assert m.gwp is None and m.overrides == ("gwp",)
    with pytest.raises(cf.CarbonFootprintError):
        cf.calculate([], method={"profile": ["uk-reporting"]})
    with pytest.raises(TypeError):
        PROFILES["mine"] = PROFILES["uk-reporting"]  # type: ignore[index]

