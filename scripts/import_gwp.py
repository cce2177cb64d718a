"""Write factors/rates/gwp.yaml: the IPCC GWP100 sets the library can express CO2e in.

The values are read from ../shared/data/README.md ("GWP100 values (kg CO2e per kg): CH4 25 (AR4),
28 (AR5), 27.9 (AR6); N2O 298, 265, 273"), which quotes IPCC AR4 WG1 Table 2.14, AR5 WG1
Table 8.A.1 and AR6 WG1 Table 7.15. AR6's 27.9 for CH4 is the non-fossil value (fossil methane:
29.8); the tables that publish a CH4 split do not say which, so the shared value is used.

Usage: python scripts/import_gwp.py
"""

from __future__ import annotations

import re

from _common import SHARED, sha256, write_table

SCRIPT = "scripts/import_gwp.py"
README = SHARED / "README.md"


def main() -> None:
    text = README.read_text(encoding="utf-8")
    m = re.search(r"GWP100 values\*\* \(kg CO2e per kg\): CH4 ([\d.]+) \(AR4\), ([\d.]+) \(AR5\), "
                  r"([\d.]+) \(AR6\); N2O ([\d.]+), ([\d.]+), ([\d.]+)", text)
    if m is None:
        raise SystemExit(f"GWP line not found in {README}")
    ch4 = [float(v) for v in m.group(1, 2, 3)]
    n2o = [float(v) for v in m.group(4, 5, 6)]
    sets = {name: {"CO2": 1.0, "CH4": c, "N2O": n}
            for name, c, n in zip(("AR4", "AR5", "AR6"), ch4, n2o, strict=True)}
    table = {
        "schema_version": 1,
        "kind": "gwp",
        "id": "ipcc-gwp100",
        "edition": "AR4-AR6",
        "revision": 1,
        "title": "IPCC 100-year global warming potentials (kg CO2e per kg of gas)",
        "source": {"title": "IPCC AR4 WG1 Table 2.14; AR5 WG1 Table 8.A.1; AR6 WG1 Table 7.15 "
                            "(as quoted in ../shared/data/README.md)",
                   "url": "https://www.ipcc.ch/", "file": "README.md", "sha256": sha256(README)},
        "licence": "IPCC reports: figures quoted with attribution",
        "generated_by": SCRIPT,
        "notes": ["AR6 CH4 27.9 is the non-fossil value; fossil CH4 is 29.8."],
        "sets": sets,
    }
    print(write_table("rates/ipcc-gwp100.yaml", table, SCRIPT))


if __name__ == "__main__":
    main()
