"""Every shipped table is valid; loading is safe; user tables are validated like bundled ones."""

from __future__ import annotations

import math
import textwrap
import time
from pathlib import Path

import pytest

import carbon_footprint as cf
from carbon_footprint.tables import (
    DEFAULT_TABLES,
    bundled_table_ids,
    factors_root,
    get_table,
)
from carbon_footprint.units import get_registry

ALL = bundled_table_ids()


def test_defaults_ship() -> None:
    assert set(DEFAULT_TABLES) <= set(ALL)
    listed = {t["id"]: t for t in cf.list_tables()}
    assert set(listed) == set(ALL)
    assert all(listed[t]["default"] for t in DEFAULT_TABLES)
    served = {k[0] for t in DEFAULT_TABLES for k in get_table(t).index}
    assert served == set(cf.activity_types())  # a real table behind every activity type


@pytest.mark.parametrize("table_id", ALL)
def test_shipped_table(table_id: str) -> None:
    t = get_table(table_id)
    m = t.meta
    assert m.id == table_id
    assert m.licence and m.attribution and m.source.url and len(m.source.sha256) == 64
    assert m.generated_by and m.generated_by.startswith("scripts/import_")
    ids = [f.id for f in m.factors]
    assert len(ids) == len(set(ids))
    reg = get_registry()
    for f in m.factors:
        assert f.source_ref
        assert math.isfinite(f.value) and f.value >= 0
        reg.parse_units(f.unit)  # parses
        if f.gases:
            assert math.isclose(sum(f.gases.values()), f.value, abs_tol=3e-5 + 1e-3 * f.value)
    if m.gwp is None:
        assert all(cf_.gas_basis == "CO2" for cf_ in t.index.values())
    family, edition = table_id.split("-" + m.edition, 1)[0], m.edition
    assert (factors_root() / family / f"{edition}.yaml").is_file()


@pytest.mark.parametrize("table_id", [t for t in ALL if t.startswith("desnz-")])
def test_desnz_radiative_forcing_structure(table_id: str) -> None:
    """CO2 with RF / CO2 without RF = 1.9 for 2021-2022 and 1.7 from 2023 (DESNZ method)."""
    year = int(table_id.split("-")[1])
    expected = 1.9 if year <= 2022 else 1.7
    flights = {f.id: f for f in get_table(table_id).meta.factors if f.activity == "flight"}
    pairs = 0
    for fid, f in flights.items():
        if fid.endswith(".with_rf"):
            g = flights[fid.replace(".with_rf", ".without_rf")]
            assert f.gases and g.gases
            assert f.gases["CO2"] / g.gases["CO2"] == pytest.approx(expected, abs=2e-3)
            pairs += 1
    assert pairs == 14


def _write(tmp_path: Path, text: str, name: str = "t.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


GOOD = """\
schema_version: 1
id: my-2024
title: My venue's own factors
publisher: Example venue
edition: '2024'
revision: 1
published: '2024-01-01'
source: {title: measured, url: 'https://example.org', file: meter.csv,
         sha256: 0000000000000000000000000000000000000000000000000000000000000000}
licence: CC0-1.0
attribution: Example venue
region: CN-SC
gwp: null
valid_from: '2024-01-01'
factors:
- id: electricity.cn-sc
  activity: electricity
  selectors: {}
  region: CN-SC
  value: 0.1
  unit: g CO2 / Wh
  source_ref: meter 1
"""


def test_user_table_is_used_and_converted(tmp_path: Path) -> None:
    table = cf.load_table(_write(tmp_path, GOOD))
    fp = cf.calculate([{"type": "electricity", "energy": "1000 kWh", "region": "CN-SC"}],
                      tables=[table, "desnz-2024"])
    line = fp.ok_lines[0]
    assert line.factor.table == "my-2024"
    assert line.tco2e == pytest.approx(0.1)  # 0.1 g/Wh = 0.1 kg/kWh -> 100 kg
    assert line.gas_basis == "CO2"


@pytest.mark.parametrize(("change", "message"), [
    (("value: 0.1", "value: -0.1"), "greater than or equal"),
    (("value: 0.1", "value: .nan"), "finite"),
    (("value: 0.1", "value: '0.1'"), "valid number"),
    (("value: 0.1", "value: 0123"), "valid number"),  # octal is refused, not read as 83
    (("value: 0.1", "value: 1:30.5"), "valid number"),  # sexagesimal, not 90.5
    (("value: 0.1", "value: 1_0.5"), "valid number"),  # YAML 1.1 underscores, not 10.5
    (("value: 0.1", "value: " + "9" * 5000), "valid number"),  # no bare int overflow
    (("value: 0.1", "value: 1.0e+35"), "implausible"),  # an absurd factor, refused at load
    (("valid_from: '2024-01-01'", "valid_from: '2024-01-01'\nvalid_to: '2023-01-01'"),
     "before valid_from"),
    (("unit: g CO2 / Wh", "unit: g CO2 / km"), "not a mass of CO2e or CO2 per kWh"),
    (("unit: g CO2 / Wh", "unit: furlongs"), "factor 'electricity.cn-sc'"),
    (("activity: electricity", "activity: teleport"), "unknown activity"),
    (("selectors: {}", "selectors: {country: CN-SC}"), "selectors"),
    (("  region: CN-SC", "  region: 12"), "valid string"),
    (("licence: CC0-1.0\n", ""), "licence"),
    (("revision: 1", "revision: 1\nrevision: 2"), "duplicate key"),
    (("id: my-2024", "id: my-2024\nextra: 1"), "extra"),
])
def test_bad_tables(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    p = _write(tmp_path, GOOD.replace(*change))
    with pytest.raises(cf.TableError, match=message) as info:
        cf.load_table(p)
    assert str(p) in str(info.value)


def test_norway_stays_a_string(tmp_path: Path) -> None:
    """YAML 1.1 reads NO as False; the strict loader keeps only true/false as booleans."""
    t = cf.load_table(_write(tmp_path, GOOD.replace("  region: CN-SC", "  region: NO")))
    assert t.meta.factors[0].region == "NO"


def test_yaml_12_floats(tmp_path: Path) -> None:
    """1e-3 is a float (YAML 1.2), read exactly as written."""
    t = cf.load_table(_write(tmp_path, GOOD.replace("value: 0.1", "value: 1e-3")))
    assert t.meta.factors[0].value == 0.001


def test_duplicate_factor_id_and_gas_split(tmp_path: Path) -> None:
    two = GOOD + GOOD[GOOD.index("- id:"):].replace("  region: CN-SC", "  region: CN-BJ")
    with pytest.raises(cf.TableError, match="duplicate factor id"):
        cf.load_table(_write(tmp_path, two))
    split = GOOD.replace("  source_ref: meter 1", "  gases: {CO2: 0.05}\n  source_ref: meter 1")
    with pytest.raises(cf.TableError, match="gas split"):
        cf.load_table(_write(tmp_path, split))


def test_billion_laughs_fails_fast(tmp_path: Path) -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    p = _write(tmp_path, "\n".join(lines) + "\n")
    start = time.perf_counter()
    with pytest.raises(cf.TableError, match="anchors and aliases"):
        cf.load_table(p)
    assert time.perf_counter() - start < 5  # fails fast (a generous bound, not a benchmark)


def test_python_tags_and_junk_refused(tmp_path: Path) -> None:
    with pytest.raises(cf.TableError, match="not valid YAML"):
        cf.load_table(_write(tmp_path, "!!python/object/apply:os.system ['echo hi']\n"))
    with pytest.raises(cf.TableError, match="mapping"):
        cf.load_table(_write(tmp_path, "- 1\n- 2\n"))
    with pytest.raises(cf.TableError, match="cannot read"):
        cf.load_table(tmp_path / "missing.yaml")


def test_size_limit(tmp_path: Path) -> None:
    p = tmp_path / "big.yaml"
    p.write_bytes(b"#" * (21 * 1024 * 1024))
    with pytest.raises(cf.TableError, match="limit"):
        cf.load_table(p)


def test_clear_caches_reloads() -> None:
    a = get_table("desnz-2024")
    cf.clear_caches()
    b = get_table("desnz-2024")
    assert a is not b and a.sha256 == b.sha256


def test_user_table_cannot_shadow_a_bundled_id(tmp_path: Path) -> None:
    p = _write(tmp_path, GOOD.replace("id: my-2024", "id: desnz-2024"))
    with pytest.raises(cf.TableError, match="bundled table's id"):
        cf.load_table(p)
    mine = cf.load_table(p, replace=True)
    fp = cf.calculate([{"type": "electricity", "energy": "1 kWh", "region": "CN-SC"}],
                      tables=[mine])
    assert fp.ok_lines[0].factor.table == "desnz-2024"
    assert fp.ok_lines[0].factor.table_sha256 == mine.sha256 != get_table("desnz-2024").sha256
    with pytest.raises(cf.TableError, match="given twice"):
        cf.calculate([], tables=[mine, "desnz-2024"])
