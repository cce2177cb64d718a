"""The lookup logic on a tiny fixture table: region chains, declared fallbacks and proxies,
band schemes chosen by the method, default regions, and a regional table added with no
library change."""

from __future__ import annotations

from pathlib import Path

import pytest

import carbon_footprint as cf

HERE = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def tiny() -> cf.Table:
    return cf.load_table(HERE / "tiny-2024.yaml")


def line(acts: list[dict[str, object]], **kw: object) -> cf.LineItem:
    kw.setdefault("method", "uk-reporting")  # route bands, radiative forcing, average cabin
    fp = cf.calculate(acts, **kw)  # type: ignore[arg-type]
    first = fp.lines[0]
    assert isinstance(first, cf.LineItem)
    return first


def codes(ln: cf.LineItem) -> list[str]:
    return [n.code for n in ln.notices]


def test_route_bands_and_distance_bands(tiny: cf.Table) -> None:
    near = line([{"type": "flight", "distance": "999 km", "route": "to_from_uk"}], tables=tiny)
    far = line([{"type": "flight", "distance": "1000 km", "route": "to_from_uk"}], tables=tiny)
    other = line([{"type": "flight", "distance": "999 km"}], tables=tiny)
    assert (near.factor.factor_id, far.factor.factor_id) == ("flight.near", "flight.far")
    assert other.factor.factor_id == "flight.elsewhere" and "route_assumed" in codes(other)
    # the method picks the table's other scheme: distance bands on every route
    by_distance = {"profile": "uk-reporting", "flight_bands": "distance"}
    d = line([{"type": "flight", "distance": "999 km"}], tables=tiny, method=by_distance)
    assert d.factor.factor_id == "flight.near" and "route_assumed" not in codes(d)
    assert near.tco2e == pytest.approx(999 * 2.0 / 1000)


def test_declared_fallbacks_in_order(tiny: cf.Table) -> None:
    first = line([{"type": "flight", "distance": "10 km", "route": "to_from_uk",
                   "cabin": "first"}], tables=tiny)
    assert first.factor.factor_id == "flight.near.business"
    assert first.notices[-1].code == "substituted"
    assert first.notices[-1].params["reason"] == "desnz_cabin_guidance"
    eco = line([{"type": "flight", "distance": "10 km", "route": "to_from_uk",
                 "cabin": "economy"}], tables=tiny)
    assert eco.factor.factor_id == "flight.near" and "average passenger" in eco.notices[-1].message
    hsr = line([{"type": "rail", "distance": "10 km", "service": "high_speed"}], tables=tiny)
    assert hsr.factor.factor_id == "rail.national"
    assert "my own proxy" in hsr.notices[0].message  # a reason in plain text is shown as is


def test_region_chain(tiny: cf.Table) -> None:
    sc = line([{"type": "electricity", "energy": "1 kWh", "region": "CN-SC"}], tables=tiny)
    assert sc.factor.factor_id == "electricity.grid-sw"  # CN-SC -> its declared parent
    assert sc.notices[0].code == "region_parent" and sc.notices[0].params["used"] == \
        "CN-GRID-SOUTHWEST"
    default = line([{"type": "electricity", "energy": "1 kWh"}], tables=tiny)
    assert default.notices[0].code == "region_default"  # the table's default region CN-SC
    assert default.factor.factor_id == "electricity.grid-sw"
    hk = line([{"type": "rail", "distance": "1 km", "region": "HK"}], tables=tiny)
    assert hk.factor.factor_id == "rail.national" and "region_any" in codes(hk)
    cn = line([{"type": "rail", "distance": "1 km", "region": "CN-BJ"}], tables=tiny)
    assert cn.factor.factor_id == "rail.national.cn"  # ISO country of a subdivision
    hotel = line([{"type": "hotel", "nights": 1, "country": "FR"}], tables=tiny)
    assert hotel.factor.factor_id == "hotel.any" and codes(hotel) == ["default_factor"]
    with pytest.raises(cf.UnknownCodeError) as info:
        cf.calculate([{"type": "rail", "distance": "1 km", "region": "XX-QQ"}], tables=tiny)
    assert info.value.field == "region" and info.value.code == "region_unknown"


def test_no_factor_names_what_there_is(tiny: cf.Table) -> None:
    with pytest.raises(cf.NoFactorError) as info:
        cf.calculate([{"type": "meal"}], tables=tiny)
    assert info.value.code == "no_factor_activity" and info.value.field == "type"
    with pytest.raises(cf.NoFactorError) as info2:
        cf.calculate([{"type": "rail", "distance": "1 km", "service": "light_rail"}],
                     tables=tiny)
    assert info2.value.code == "no_factor" and "national" in info2.value.expected


def test_a_regional_table_needs_no_library_change() -> None:
    """A province's high-speed rail and metro factors, added as a table: found for that
    province (and its cities' codes), the default set's proxy everywhere else."""
    sichuan = cf.load_table(HERE / "sichuan-transit-2024.yaml")
    tables = [sichuan, *cf.DEFAULT_TABLES]
    hsr = line([{"type": "rail", "distance": "66 km", "service": "high_speed",
                 "region": "CN-SC"}], tables=tables)
    assert hsr.factor.table == "sichuan-transit-2024" and hsr.factor.region == "CN-SC"
    assert hsr.tco2e == pytest.approx(66 * 0.02 / 1000) and not hsr.notices
    metro = line([{"type": "metro", "distance": "18 km", "region": "cn-sc"}], tables=tables)
    assert metro.factor.factor_id == "metro.underground.cn-sc"  # region codes normalized
    assert metro.tco2e == pytest.approx(18 * 0.030 / 1000)
    beijing = line([{"type": "rail", "distance": "66 km", "service": "high_speed",
                     "region": "CN-BJ"}], tables=tables)
    assert beijing.factor.table == "desnz-2024" and beijing.factor.factor_id == "rail.national"
    assert {"substituted", "region_any"} <= set(codes(beijing))
    nowhere = line([{"type": "rail", "distance": "66 km", "service": "high_speed"}],
                   tables=tables)
    assert nowhere.factor.factor_id == "rail.national"
