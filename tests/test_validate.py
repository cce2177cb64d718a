"""validate(): everything calculate() would refuse, every error of every activity, in the one
error shape that errors="collect" lines and the HTTP service use too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import carbon_footprint as cf
from carbon_footprint.cli import main

BAD = [
    {"type": "flight", "origin": "EPK", "destination": "XQZ"},  # both airports unknown
    {"type": "hotel", "nights": 0, "rooms": 0},  # two fields out of range
    {"type": "hotel", "nights": 1, "country": "ZZ"},  # no such country
    {"type": "flight"},  # no route
    {"type": "flight", "distance": "100 km", "origin": "PEK", "destination": "TFU"},  # both
    {"type": "car", "distance": "66 kg"},  # a mass as a distance
    {"type": "purchase", "category": "teddy bears", "amount": "5 CNY"},
    5,
    {"type": "plane"},
    {"type": "hotel", "nights": 2, "country": "China"},
    {"type": "meal"},  # valid
]
WANTED = [("/0/origin", "iata_unknown"), ("/0/destination", "iata_unknown"),
          ("/1/nights", "out_of_range"), ("/1/rooms", "out_of_range"),
          ("/2/country", "country_unknown"), ("/3/origin", "fields_required"),
          ("/4/distance", "one_of_fields"), ("/5/distance", "unit_dimension"),
          ("/6/category", "category_unknown"), ("/7", "not_an_object"),
          ("/8/type", "type_unknown"), ("/9/country", "country_unknown")]


def test_every_error_of_every_activity() -> None:
    errors = cf.validate(BAD)
    assert [(e["pointer"], e["code"]) for e in errors] == WANTED
    assert errors[11]["suggestions"] == ["CN"]
    assert errors[0]["suggestions"][0] == "PEK"


def test_validate_agrees_with_calculate() -> None:
    """An input validate() passes calculates; one it refuses, calculate() refuses with the
    first of its errors (same code, field and message)."""
    for i, act in enumerate(BAD):
        errors = cf.validate([act])
        if not errors:
            cf.calculate([act])
            continue
        with pytest.raises(cf.CarbonFootprintError) as info:
            cf.calculate([act])
        assert isinstance(info.value, cf.ActivityError), i
        assert info.value.to_dict() in errors, (i, info.value.to_dict(), errors)


def test_one_error_shape_everywhere() -> None:
    fp = cf.calculate(BAD, errors="collect")
    by_index = {e["index"]: e for e in reversed(cf.validate(BAD))}  # the first per input
    for line in fp.errors:
        shown = line.model_dump(mode="json")
        shown.pop("status")
        expected = dict(by_index[line.index])
        if expected["type"] is None and isinstance(BAD[line.index], dict):  # a line names the
            expected["type"] = BAD[line.index]["type"]  # type it was given, known or not
        assert shown == expected, line.index


def test_tables_are_part_of_the_check() -> None:
    act = {"type": "electricity", "energy": "100 kWh", "region": "CN-SC"}
    assert cf.validate([act]) == []
    errors = cf.validate([act], tables=["desnz-2024"])
    assert errors and errors[0]["code"] in ("no_factor_activity", "region_unknown", "no_factor")
    with pytest.raises(cf.UnknownTableError):
        cf.validate([act], tables=["nope-2024"])
    with pytest.raises(cf.ArgumentTypeError):
        cf.validate({"type": "meal"})  # type: ignore[arg-type]


def test_messages_in_chinese() -> None:
    errors = cf.validate(BAD[:2], locale="zh-CN")
    assert "未知的 IATA 机场代码" in errors[0]["message"]
    assert errors[2]["expected"] == "1 到 3660 之间的数"


def test_cli_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(BAD), "utf-8")
    assert main(["validate", str(path), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert not out["valid"] and [(e["pointer"], e["code"]) for e in out["errors"]] == WANTED
    path.write_text(json.dumps({"activities": [BAD[-1]]}), "utf-8")
    assert main(["validate", str(path)]) == 0
    assert "valid" in capsys.readouterr().out
