"""The command line: calculate (text and JSON), tables, schema, errors and exit codes."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

import carbon_footprint as cf
from carbon_footprint import activity_types
from carbon_footprint.cli import main

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "chengdu-conference-guest.json"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_calculate_example_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["calculate", str(EXAMPLE)], capsys)
    assert code == 0
    assert "Carbon footprint:" in out and "credit(s)" in out and "desnz-2024" in out


def test_calculate_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["calculate", str(EXAMPLE), "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and len(data["lines"]) == 7 and data["offset"]["credits"] == "1"


def test_calculate_normalized_and_its_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["calculate", str(EXAMPLE), "--normalized"], capsys)
    data = json.loads(out)
    assert code == 0 and data["form"] == "normalized" and len(data["lines"]) == 7
    code, full, _ = run(["calculate", str(EXAMPLE), "--json"], capsys)
    assert cf.expand_normalized(data) == json.loads(full)
    code, out, _ = run(["schema", "response", "--form", "normalized"], capsys)
    assert code == 0 and json.loads(out) == cf.response_schema(form="normalized")


def test_calculate_yaml_stdin(monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    text = "- type: hotel\n  nights: 2\n  country: CN\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    code, out, _ = run(["calculate", "-", "--json"], capsys)
    assert code == 0 and json.loads(out)["lines"][0]["factor"]["factor_id"] == "hotel.cn"


def test_calculate_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('[{"type": "meal"}, {"type": "hotel", "nights": -1}]')
    code, _, err = run(["calculate", str(bad)], capsys)
    assert code == 1 and "activity #1" in err and "nights" in err
    code, out, _ = run(["calculate", str(bad), "--collect"], capsys)
    assert code == 1 and "ERROR" in out and "1 input(s) rejected" in out
    code, _, err = run(["calculate", str(tmp_path / "nope.json")], capsys)
    assert code == 3 and "cannot read" in err  # input/output failures exit 3
    (tmp_path / "obj.json").write_text('{"type": "meal"}')
    code, _, err = run(["calculate", str(tmp_path / "obj.json")], capsys)
    assert code == 1 and "list of activities" in err


def test_calculate_factors_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["calculate", str(EXAMPLE), "--json", "--tables", "desnz-2025",
                        "scarborough-2014", "ademe-2024", "useeio-1.3.0"], capsys)
    assert code == 0 and "desnz-2025" in out
    code, _, err = run(["calculate", str(EXAMPLE), "--tables", "desnz-1999"], capsys)
    assert code == 1 and "unknown factor table" in err


def test_tables_and_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["tables"], capsys)
    assert code == 0 and "desnz-2024" in out and "mee-grid-2023" in out and "UNVERIFIED" in out
    code, out, _ = run(["tables", "--json"], capsys)
    assert any(t["id"] == "useeio-1.3.0" for t in json.loads(out))
    code, out, _ = run(["schema"], capsys)
    schema = json.loads(out)
    assert {b["if"]["properties"]["type"]["const"] for b in schema["allOf"]} == \
        set(activity_types())
    flight = schema["$defs"]["Flight"]
    assert flight["required"][0] == "type"
    assert flight["properties"]["distance"] == {"title": "Distance", "$ref": "#/$defs/Distance",
                                                "description": "Great-circle distance, one way."}
    code, out, _ = run(["schema", "request", "--dialect", "draft-07", "--locale", "zh-CN"],
                       capsys)
    doc = json.loads(out)
    assert "definitions" in doc and doc["definitions"]["Flight"]["title"] == "航班"


def test_tables_show_and_diff(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["tables", "show", "mee-grid-2023"], capsys)
    assert code == 0 and "electricity.cn-sc" in out and "0.1564" in out and "sha256" in out
    code, out, _ = run(["tables", "show", "desnz-2024", "--json"], capsys)
    assert json.loads(out)["id"] == "desnz-2024"
    code, out, _ = run(["tables", "diff", "desnz-2024", "desnz-2025"], capsys)
    flight = next(ln for ln in out.splitlines() if ln.startswith("flight "))
    assert code == 0 and "-31.1 %" in flight
    assert "flight.long_haul.economy.with_rf" in out and "-41.5 %" in out
    code, out, _ = run(["tables", "diff", "desnz-2023", "desnz-2024"], capsys)
    flight = next(ln for ln in out.splitlines() if ln.startswith("flight "))
    assert "unchanged" in flight
    code, _, err = run(["tables", "diff", "desnz-2024"], capsys)
    assert code == 2 and "usage" in err  # usage errors exit 2
