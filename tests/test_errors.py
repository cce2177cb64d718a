"""Every class of bad input gets a CarbonFootprintError naming index, field, value, expected."""

from __future__ import annotations

import pytest

import carbon_footprint as cf
from carbon_footprint.errors import closest

BAD_QUANTITIES = {
    "negative": "-5 km",
    "nan": "nan km",
    "inf": "inf km",
    "minus inf": "-inf km",
    "absurd": "1e7 km",
    "wrong dimension": "3 kg",
    "unparseable": "ten km",
    "no unit": "350",
    "unknown unit": "350 furlongz",
    "bare number": 350,
    "bool": True,
    "mapping missing unit": {"value": 3},
    "mapping with string value": {"value": "3", "unit": "km"},
    "mapping negative": {"value": -3, "unit": "km"},
    "pint scaling factor": "3 2 km",
    "unit syntax": "3 km**km",
}


@pytest.mark.parametrize("bad", list(BAD_QUANTITIES.values()), ids=list(BAD_QUANTITIES))
def test_bad_distance(bad: object) -> None:
    with pytest.raises(cf.QuantityError) as info:
        cf.calculate([{"type": "rail", "distance": "1 km"}, {"type": "rail", "distance": bad}])
    err = info.value
    assert err.index == 1 and err.field == "distance" and err.activity_type == "rail"
    assert err.expected
    assert "activity #1" in str(err) and "'distance'" in str(err)
    assert isinstance(err, ValueError)


def test_absurd_states_the_bound() -> None:
    with pytest.raises(cf.QuantityError, match="limit 100000 km"):
        cf.calculate([{"type": "car", "distance": "1e6 km"}])
    with pytest.raises(cf.QuantityError, match="limit 1e"):
        cf.calculate([{"type": "electricity", "energy": "2e9 kWh"}])


@pytest.mark.parametrize(("act", "field", "cls"), [
    ({"type": "fligth", "distance": "1 km"}, "type", cf.UnknownCodeError),
    ({"distance": "1 km"}, "type", cf.ActivityError),
    ({"type": "flight", "origin": "PEK", "destination": "QQQ"}, "destination",
     cf.UnknownCodeError),
    ({"type": "flight", "origin": "PEK", "destination": "PEK"}, "destination",
     cf.ActivityError),
    ({"type": "flight", "origin": "PEK"}, "destination", cf.ActivityError),
    ({"type": "flight"}, "origin", cf.ActivityError),
    ({"type": "flight", "distance": "1 km", "origin": "PEK", "destination": "CTU"}, "distance",
     cf.ActivityError),
    ({"type": "flight", "distance": "1 km", "cabin": "ecomony"}, "cabin", cf.UnknownCodeError),
    ({"type": "flight", "origin": "PE1", "destination": "CTU"}, "origin", cf.UnknownCodeError),
    ({"type": "car", "distance": "1 km", "fuel": "petrl"}, "fuel", cf.UnknownCodeError),
    ({"type": "hotel", "nights": 1, "country": "XX"}, "country", cf.UnknownCodeError),
    ({"type": "hotel", "nights": 1, "country": "China"}, "country", cf.UnknownCodeError),
    ({"type": "hotel"}, "nights", cf.ActivityError),
    ({"type": "hotel", "nights": "3"}, "nights", cf.ActivityError),
    ({"type": "hotel", "nights": True}, "nights", cf.ActivityError),
    ({"type": "hotel", "nights": 2.5}, "nights", cf.ActivityError),
    ({"type": "hotel", "nights": 0}, "nights", cf.ActivityError),
    ({"type": "hotel", "nights": -1}, "nights", cf.ActivityError),
    ({"type": "hotel", "nights": 10**9}, "nights", cf.ActivityError),
    ({"type": "hotel", "nights": 1, "guests": 2}, "guests", cf.UnknownCodeError),
    ({"type": "meal", "diet": "carnivore"}, "diet", cf.UnknownCodeError),
    ({"type": "food", "item": "unobtainium", "mass": "1 kg"}, "item", cf.UnknownCodeError),
    ({"type": "food", "item": "rice", "mass": "1 km"}, "mass", cf.QuantityError),
    ({"type": "purchase", "category": "spaceships", "amount": "1 USD"}, "category",
     cf.UnknownCodeError),
    ({"type": "purchase", "category": "naics:999999", "amount": "1 USD"}, "category",
     cf.UnknownCodeError),
    ({"type": "purchase", "category": "restaurant", "amount": "10 XYZ"}, "amount",
     cf.UnknownCodeError),
    ({"type": "purchase", "category": "restaurant", "amount": "10 CNY", "year": 2030}, "year",
     cf.CurrencyError),
    ({"type": "purchase", "category": "restaurant", "amount": 10}, "amount", cf.QuantityError),
    ({"type": "purchase", "category": "restaurant", "amount": "-10 USD"}, "amount",
     cf.QuantityError),
    ({"type": "electricity", "energy": "1 km"}, "energy", cf.QuantityError),
    ({"type": "electricity", "energy": "1 kWh", "region": "QQ"}, "region", cf.UnknownCodeError),
    ({"type": "electricity", "energy": "1 kWh", "region": "FR"}, "region", cf.NoFactorError),
])
def test_activity_errors(act: dict[str, object], field: str, cls: type[Exception]) -> None:
    with pytest.raises(cls) as info:
        cf.calculate([act])
    err = info.value
    assert isinstance(err, cf.ActivityError)
    assert err.index == 0
    assert err.field == field, str(err)
    assert err.expected, str(err)
    d = err.to_dict()
    assert d["index"] == 0 and d["field"] == field


def test_unknown_codes_list_closest_values() -> None:
    with pytest.raises(cf.UnknownCodeError) as info:
        cf.calculate([{"type": "fligth", "distance": "1 km"}])
    assert info.value.suggestions[0] == "flight"
    with pytest.raises(cf.UnknownCodeError) as info:
        cf.calculate([{"type": "flight", "distance": "1 km", "cabin": "buisness"}])
    assert "business" in info.value.suggestions
    with pytest.raises(cf.UnknownCodeError) as info:
        cf.calculate([{"type": "purchase", "category": "restaurants", "amount": "1 USD"}])
    assert "restaurant" in info.value.suggestions
    with pytest.raises(cf.UnknownCodeError) as info:
        cf.calculate([{"type": "flight", "origin": "PEK", "destination": "EPK"}])
    assert info.value.suggestions[0] == "PEK"
    with pytest.raises(cf.UnknownTableError) as tinfo:
        cf.calculate([], tables="desnz-2042")
    assert "desnz-2024" in tinfo.value.suggestions


def test_unknown_currency_suggests() -> None:
    with pytest.raises(cf.UnknownCodeError) as info:
        cf.calculate([{"type": "purchase", "category": "restaurant", "amount": "10 CYN"}])
    assert "CNY" in info.value.suggestions


def test_closest_helper() -> None:
    assert closest("flihgt", ["flight", "rail"]) == ["flight"]


def test_non_dict_inputs() -> None:
    for bad in (None, 3, "flight", ["flight"]):
        with pytest.raises(cf.ActivityError) as info:
            cf.calculate([bad])
        assert info.value.index == 0


def test_argument_errors() -> None:
    with pytest.raises(cf.CarbonFootprintError, match="wrap it in a list"):
        cf.calculate({"type": "meal"})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="iterable"):  # misuse of types is also a TypeError
        cf.calculate(5)  # type: ignore[arg-type]
    with pytest.raises(cf.CarbonFootprintError, match="errors must be"):
        cf.calculate([], errors="ignore")  # type: ignore[arg-type]
    # arguments of the wrong type reach the library's own checks (also in the compiled build,
    # whose compiled functions would refuse them with a bare TypeError)
    for wrong in (None, True, b"raise"):
        with pytest.raises(cf.CarbonFootprintError, match="errors must be"):
            cf.calculate([], errors=wrong)  # type: ignore[arg-type]
    for gwp in (5, b"AR5"):
        with pytest.raises(cf.ArgumentTypeError, match="gwp must be"):
            cf.calculate([], gwp=gwp)  # type: ignore[arg-type]
        with pytest.raises(cf.ArgumentTypeError, match="gwp must be"):
            cf.avoided([{"type": "rail", "distance": "10 km"}],
                       [{"type": "rail", "distance": "5 km"}], gwp=gwp)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        cf.calculate([], tables=[3])  # type: ignore[list-item]
    with pytest.raises(cf.TableError, match="given twice"):
        cf.calculate([], tables=["desnz-2024", "desnz-2024"])
    with pytest.raises(cf.OffsetPolicyError, match="buffer"):
        cf.calculate([], offset={"buffer": -1})
    with pytest.raises(TypeError):
        cf.calculate([], offset="lots")  # type: ignore[arg-type]


def test_collect_returns_every_input_in_order() -> None:
    acts = [
        {"type": "meal"},
        {"type": "flight", "distance": "ten km"},
        {"type": "hotel", "nights": 2, "country": "CN"},
        {"type": "spaceship"},
        "not a dict",
        {"type": "rail", "distance": "1 km"},
    ]
    fp = cf.calculate(acts, errors="collect")
    assert [ln.index for ln in fp.lines] == list(range(6))
    assert [ln.status for ln in fp.lines] == ["ok", "error", "ok", "error", "error", "ok"]
    assert fp.rejected == 3
    assert abs(float(fp.total_tco2e) - sum(ln.tco2e for ln in fp.ok_lines)) <= 5.0001e-7
    err = fp.lines[1]
    assert isinstance(err, cf.ErrorLine)
    assert err.field == "distance" and err.value == "ten km" and err.type == "flight"
    assert err.error == "QuantityError"
    assert fp.lines[3].suggestions  # type: ignore[union-attr]


def test_raise_mode_raises_the_first() -> None:
    with pytest.raises(cf.ActivityError) as info:
        cf.calculate([{"type": "meal"}, {"type": "x"}, {"type": "hotel"}])
    assert info.value.index == 1


def test_validate_activity_single() -> None:
    a = cf.validate_activity({"type": "hotel", "nights": 2})
    assert isinstance(a, cf.Hotel)
    with pytest.raises(cf.ActivityError) as info:
        cf.validate_activity({"type": "hotel"})
    assert info.value.index is None and info.value.field == "nights"
