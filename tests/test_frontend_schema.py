"""The frontend schemas: compiled and run by real Ajv (npm ``ajv@8``) in the four standard
configurations, both dialects; one error per bad field; the library reads what they accept."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import carbon_footprint as cf

from .conftest import REPO

CONFIGS = ("draft-07 default", "draft-07 strict", "2020-12 strict", "2020-12 non-strict")
TWO_BAD = {"type": "hotel", "nights": 0, "rooms": 0}
GOOD = [
    {"type": "hotel", "nights": 2, "country": "CN"},
    {"type": "hotel", "nights": 2, "country": "四川"},
    {"type": "flight", "origin": "PEK", "destination": "TFU", "cabin": "economy",
     "round_trip": True},
    {"type": "flight", "distance": {"value": 1500, "unit": "km"}, "route": "non_uk"},
    {"type": "rail", "distance": {"value": 350, "unit": "km"}, "service": "high_speed",
     "region": "CN-SC"},
    {"type": "purchase", "category": "souvenirs", "amount": {"value": 200, "currency": "CNY"}},
    {"type": "meal", "diet": "vegan", "count": 3},
]
CROSS_FIELD_BAD = [
    {"type": "flight"},  # no route at all
    {"type": "flight", "distance": {"value": 100, "unit": "km"}, "origin": "PEK",
     "destination": "TFU"},  # both forms
    {"type": "flight", "origin": "PEK", "destination": "TFU", "route": "non_uk"},  # only_with
    {"type": "flight", "distance": {"value": 66, "unit": "kg"}},  # a mass as a distance
]


@pytest.fixture(scope="session")
def ajv() -> Path:
    """A folder whose node_modules holds ajv@8 (installed from npm once, then reused)."""
    if not shutil.which("node") or not shutil.which("npm"):
        pytest.skip("node and npm are needed to run Ajv (Debian: apt-get install nodejs npm)")
    where = REPO / ".pytest_cache" / "node-ajv"
    if not (where / "node_modules" / "ajv" / "package.json").is_file():
        where.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent",
                               "--prefix", str(where), "ajv@8"], capture_output=True, text=True,
                              timeout=300)
        if proc.returncode != 0:
            pytest.skip(f"npm could not install ajv: {proc.stderr[-300:]}")
    return where / "node_modules"


def run_ajv(modules: Path, schema: dict[str, Any], instances: list[Any],
            tmp_path: Path) -> dict[str, Any]:
    (tmp_path / "s.json").write_text(json.dumps(schema), "utf-8")
    (tmp_path / "i.json").write_text(json.dumps(instances), "utf-8")
    proc = subprocess.run(["node", str(REPO / "tests" / "js" / "ajv_check.js"),
                           str(tmp_path / "s.json"), str(tmp_path / "i.json")],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NODE_PATH": str(modules)})
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def _for(dialect: str) -> tuple[str, ...]:
    return tuple(c for c in CONFIGS if c.startswith("draft") == (dialect == "draft-07"))


@pytest.mark.parametrize("dialect", ["2020-12", "draft-07"])
def test_every_schema_compiles_in_every_configuration(ajv: Path, tmp_path: Path,
                                                      dialect: str) -> None:
    fp = cf.calculate([{"type": "hotel", "nights": 2}, {"type": "plane"}], errors="collect",
                      offset={"price_per_credit": "60", "currency": "CNY"})
    docs = [(cf.activity_schema(dialect), GOOD),
            (cf.activity_schema(dialect, "zh-CN"), GOOD),
            (cf.request_schema(dialect), [{"activities": GOOD, "options": {"locale": "zh-CN"},
                                           "offset": {"rounding": "fractional"}}]),
            (cf.response_schema(dialect), [json.loads(fp.model_dump_json())]),
            (cf.response_schema(dialect, form="normalized"), [json.loads(fp.normalized_json())])]
    for schema, instances in docs:
        out = run_ajv(ajv, schema, instances, tmp_path)
        for config in _for(dialect):
            assert out[config]["compiled"], (config, out[config].get("error"))
            bad = [r["errors"] for r in out[config]["results"] if not r["valid"]]
            assert not bad, (config, bad)


@pytest.mark.parametrize("dialect", ["2020-12", "draft-07"])
def test_a_hotel_with_two_bad_fields_gives_two_errors(ajv: Path, tmp_path: Path,
                                                      dialect: str) -> None:
    one = run_ajv(ajv, cf.activity_schema(dialect, type="hotel"), [TWO_BAD], tmp_path)
    union = run_ajv(ajv, cf.activity_schema(dialect), [TWO_BAD], tmp_path)
    for config in _for(dialect):
        errors = one[config]["results"][0]["errors"]
        assert sorted(e["path"] for e in errors) == ["/nights", "/rooms"], errors
        # the union adds one summary at the root (the failed ``then`` of type hotel)
        errors = union[config]["results"][0]["errors"]
        assert [e["path"] for e in errors if e["path"]] == ["/nights", "/rooms"]
        assert [e["keyword"] for e in errors if not e["path"]] == ["if"]
    assert [e["pointer"] for e in cf.validate([TWO_BAD])] == ["/0/nights", "/0/rooms"]


def test_cross_field_rules_are_in_the_schema(ajv: Path, tmp_path: Path) -> None:
    out = run_ajv(ajv, cf.activity_schema("2020-12", type="flight"), CROSS_FIELD_BAD, tmp_path)
    assert [r["valid"] for r in out["2020-12 strict"]["results"]] == [False] * 4
    for act in CROSS_FIELD_BAD:  # and the library refuses each too
        assert cf.validate([act])


def test_library_accepts_what_the_schema_accepts() -> None:
    assert cf.validate(GOOD) == []


def test_form_rules() -> None:
    schema = cf.activity_schema()
    flight = schema["$defs"]["Flight"]
    assert "null" not in json.dumps(schema)  # optional fields are not required, never null
    cabin = flight["properties"]["cabin"]
    assert {"const": "premium_economy", "title": "Premium economy"} in cabin["oneOf"]
    distance = schema["$defs"]["Distance"]
    assert [o["const"] for o in distance["properties"]["unit"]["oneOf"]] == ["km", "m", "mi",
                                                                             "nmi"]
    assert flight["oneOf"][0]["required"] == ["origin", "destination"]
    assert flight["dependentRequired"] == {"route": ["distance"]}
    purchase = schema["$defs"]["Purchase"]["properties"]["category"]
    assert "souvenirs" in purchase["examples"]
    text = json.dumps(schema)
    assert "``" not in text and "docs/" not in text and ":class:" not in text
    zh = cf.activity_schema(locale="zh-CN")
    assert zh["$defs"]["Hotel"]["title"] == "酒店住宿"
    assert {"const": "economy", "title": "经济舱"} in zh["$defs"]["Flight"]["properties"][
        "cabin"]["oneOf"]
    seven = cf.activity_schema("draft-07")
    assert "definitions" in seven and "$defs" not in json.dumps(seven)


def test_response_schema_names_and_numbers() -> None:
    schema = cf.response_schema()
    text = json.dumps(schema)
    assert "Tco2E" not in text and "_LineDict" not in text
    assert all(not name.startswith("_") for name in schema["$defs"])
    offset = schema["$defs"]["OffsetResult"]["properties"]
    assert offset["required_tco2e"]["title"] == "Required tCO2e"
    assert offset["credits"]["type"] == "string"  # exact amounts are decimal strings
    assert schema["properties"]["total_tco2e"]["type"] == "string"


def test_include_and_exclude_work_on_lines() -> None:
    fp = cf.calculate([{"type": "hotel", "nights": 2}, {"type": "plane"}], errors="collect")
    slim = json.loads(fp.model_dump_json(exclude={"lines": {"__all__": {"factor", "notices"}}}))
    assert "factor" not in slim["lines"][0] and "notices" not in slim["lines"][0]
    only = fp.model_dump(include={"lines": {"__all__": {"index", "status"}}})
    assert list(only["lines"]) == [{"status": "ok", "index": 0}, {"status": "error", "index": 1}]
