"""Write the precompiled forms the library loads at start instead of parsing (cold start).

* ``factors/_compiled/<sha256>.json``: the parse of every bundled YAML file (factor, rate and
  credit tables), named by the sha256 of the YAML bytes; the library uses one only for exactly
  those bytes and its loader version (``tables._catalogue.read_data``), else parses the YAML.
* ``src/carbon_footprint/units_seed.json``: the root factor of common unit names and the
  compiled unit of every bundled factor table's units, from pint and ``units.txt``, keyed by
  pint's version and the sha256 of ``units.txt`` (``units.seed``).

A test checks that the committed files equal what this script writes.

Usage: python scripts/precompile.py [--check]
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from carbon_footprint._registry import specs  # noqa: E402
from carbon_footprint._yaml import load_yaml_bytes  # noqa: E402
from carbon_footprint.tables._catalogue import (  # noqa: E402
    COMPILED_DIR,
    LOADER_VERSION,
    _bundled_paths,
    to_json_data,
)
from carbon_footprint.units import (  # noqa: E402
    KINDS,
    SEED_FILE,
    _pint_knows,
    _terms,
    check_unit_text,
    get_registry,
    seed_key,
)

FACTORS = REPO / "factors"
#: unit names people type, beyond those of the kinds' examples and the bundled tables
COMMON = [
    "km", "m", "cm", "mm", "mi", "mile", "miles", "nmi", "ft", "foot", "feet", "yd", "in",
    "inch", "kilometer", "kilometers", "kilometre", "kilometres", "meter", "meters", "metre",
    "metres", "kg", "g", "mg", "t", "tonne", "tonnes", "ton", "tons", "metric_ton", "lb", "lbs",
    "oz", "pound", "pounds", "gram", "grams", "kilogram", "kilograms", "kWh", "MWh", "GWh", "Wh",
    "kJ", "MJ", "GJ", "TJ", "J", "therm", "BTU", "Btu", "kcal", "L", "l", "ml", "mL", "liter",
    "liters", "litre", "litres", "gal", "gallon", "gallons", "m3", "cubic_meter", "hour", "h",
    "day", "pkm", "passenger_km", "room_night", "meal", "passenger", "USD", "CO2e", "CO2",
]


def _dumps(obj: object) -> str:
    # key order kept as parsed: the library reads mappings in file order (e.g. gas splits)
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"


def compiled_files() -> dict[Path, str]:
    out: dict[Path, str] = {}
    for path in sorted(FACTORS.rglob("*.yaml")):
        raw = path.read_bytes()
        if len(raw) <= 4096:  # small files parse in well under a millisecond
            continue
        sha = hashlib.sha256(raw).hexdigest()
        data = load_yaml_bytes(raw, str(path))
        out[FACTORS / COMPILED_DIR / f"{sha}.json"] = _dumps(
            {"loader": LOADER_VERSION, "sha256": sha,
             "source": str(path.relative_to(FACTORS)), "data": to_json_data(data)})
    return out


def units_seed() -> str:
    reg = get_registry()
    names = set(COMMON)
    for kind in KINDS.values():
        if kind.money:
            continue
        for unit, _ in kind.units:
            names.update(n for n, _ in _terms(unit) or ())
        for example in kind.examples:
            names.update(n for n, _ in _terms(example.split(" ", 1)[1]) or ())
    table_units: set[tuple[str, tuple[str, ...]]] = set()
    for path in _bundled_paths().values():
        data = load_yaml_bytes(path.read_bytes(), str(path))
        for f in data.get("factors", []):
            spec = specs().get(f["activity"])
            if spec is not None:
                table_units.add((f["unit"], spec.per))
                names.update(n for n, _ in _terms(check_unit_text(f["unit"])) or ())
        for scheme in data.get("bands") or ():
            for b in scheme.get("bands", ()):
                if isinstance(b.get("below"), str):
                    names.update(n for n, _ in _terms(b["below"].split(" ", 1)[1]) or ())
    roots = {}
    for name in sorted(names):
        if not _pint_knows(name, reg):
            continue
        prefix, unit, _ = reg.parse_unit_name(name)[0]
        factor, root = reg.get_root_units(unit)
        scale = reg._prefixes[prefix].converter.scale if prefix else 1
        roots[name] = [float(factor) * scale,
                       sorted([str(k), int(v)] for k, v in root._units.items())]
    from carbon_footprint.tables._compile import _UNITS, compile_unit

    _UNITS.clear()
    compiled = []
    for unit, per_units in sorted(table_units):
        per, scale, basis = compile_unit(unit, per_units)
        compiled.append([unit, list(per_units), per, scale, basis])
    return json.dumps({"key": seed_key(), "roots": roots, "table_units": compiled},
                      ensure_ascii=False, indent=0, sort_keys=True) + "\n"


def outputs() -> dict[Path, str]:
    out = compiled_files()
    out[REPO / "src" / "carbon_footprint" / SEED_FILE] = units_seed()
    return out


def main(argv: list[str]) -> int:
    check = "--check" in argv
    want = outputs()
    stale = [p for p, text in want.items()
             if not p.is_file() or p.read_text(encoding="utf-8") != text]
    extra = [p for p in (FACTORS / COMPILED_DIR).glob("*.json") if p not in want]
    if check:
        if stale or extra:
            print("out of date (run python scripts/precompile.py): "
                  + ", ".join(str(p.relative_to(REPO)) for p in [*stale, *extra]))
            return 1
        return 0
    (FACTORS / COMPILED_DIR).mkdir(exist_ok=True)
    for p in extra:
        p.unlink()
    for p in stale:
        p.write_text(want[p], encoding="utf-8")
        print(p.relative_to(REPO))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
