"""Precompiled forms (cold start): current, equal to what they replace, and only used when
they match."""

from __future__ import annotations

import json
import subprocess
import sys

import carbon_footprint as cf
from carbon_footprint._yaml import load_yaml_bytes
from carbon_footprint.tables import _catalogue as catalogue
from carbon_footprint.tables._compile import compile_table

from .conftest import REPO


def test_precompiled_files_are_current() -> None:
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "precompile.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_cached_parse_equals_the_yaml_parse() -> None:
    for tid, path in catalogue._bundled_paths().items():
        data, raw = catalogue.read_data(path)
        parsed = load_yaml_bytes(raw, str(path))
        assert data == parsed, tid
        # the same key order too (mappings are read in file order, e.g. gas splits)
        assert json.dumps(data, default=str) == json.dumps(parsed, default=str), tid
        a, b = compile_table(data, str(path), raw), catalogue.get_table(tid)
        assert a.sha256 == b.sha256 and a.index.keys() == b.index.keys()


def test_a_stale_cache_is_ignored(tmp_path) -> None:  # type: ignore[no-untyped-def]
    src = catalogue._bundled_paths()["desnz-2024"]
    copy = tmp_path / "t.yaml"
    copy.write_bytes(src.read_bytes().replace(b"revision: 1", b"revision: 2", 1))
    data, _ = catalogue.read_data(copy)  # no cache for these bytes: parsed from YAML
    assert data["revision"] == 2


def test_a_guest_on_the_bundled_tables_does_not_import_pint() -> None:
    code = ("import sys, carbon_footprint as cf; "
            "cf.calculate([{'type': 'flight', 'origin': 'PEK', 'destination': 'TFU'}, "
            "{'type': 'hotel', 'nights': 2, 'country': 'CN'}, "
            "{'type': 'rail', 'distance': '66 km'}, {'type': 'fuel', 'fuel': 'diesel', "
            "'amount': '20 L'}, {'type': 'purchase', 'category': 'souvenirs', "
            "'amount': '200 CNY'}]); "
            "print(json.dumps(sorted(m for m in ('pint', 'carbon_footprint.credits', "
            "'carbon_footprint.certificates') if m in sys.modules)))")
    proc = subprocess.run([sys.executable, "-c", "import json; " + code],
                          capture_output=True, text=True, check=True)
    assert json.loads(proc.stdout) == []


def test_seed_agrees_with_pint() -> None:
    from carbon_footprint import units

    units.seed()
    reg = units.get_registry()
    for text, target in [("mi", "km"), ("MWh", "kWh"), ("lb", "kg"), ("L", "m^3"),
                         ("GJ", "kWh"), ("t", "kg")]:
        want = float(reg.Quantity(1.0, text).to(target).magnitude)
        assert abs(units.unit_factor(text, target) / want - 1) < 1e-15, text
    cf.clear_caches()
