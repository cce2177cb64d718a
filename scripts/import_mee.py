"""Import China's MEE/NBS electricity CO2 emission factors into factors/mee-grid/<year>.yaml.

Source: ../shared/data/extracted/china-grid-factors-mee.csv, a tidy extract of the Ministry of
Ecology and Environment and National Bureau of Statistics notices on electricity CO2 emission
factors (data years 2021, 2022, 2023), with where each row was read in its ``notes``. The notices
themselves are not in ../shared/data, so the extract's sha256 is the recorded checksum.

Kept: the national average factor, the regional grids and the provinces (location-based grid
average). These are kg CO2 per kWh -- CO2 only, not CO2e -- and the tables say so through their
unit (``kg CO2 / kWh``), which the library carries onto every result line. The separate
emissions-trading reporting factors (0.5810 / 0.5703) are a different series and are not mixed in.

Usage: python scripts/import_mee.py
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any

from _common import EXTRACTED, round_sig, sha256, write_table

SCRIPT = "scripts/import_mee.py"
CSV = EXTRACTED / "china-grid-factors-mee.csv"

# Provinces -> ISO 3166-2:CN (checked against pycountry at build time).
PROVINCES = {
    "北京": "CN-BJ", "天津": "CN-TJ", "河北": "CN-HE", "山西": "CN-SX", "内蒙古": "CN-NM",
    "辽宁": "CN-LN", "吉林": "CN-JL", "黑龙江": "CN-HL", "上海": "CN-SH", "江苏": "CN-JS",
    "浙江": "CN-ZJ", "安徽": "CN-AH", "福建": "CN-FJ", "江西": "CN-JX", "山东": "CN-SD",
    "河南": "CN-HA", "湖北": "CN-HB", "湖南": "CN-HN", "广东": "CN-GD", "广西": "CN-GX",
    "海南": "CN-HI", "重庆": "CN-CQ", "四川": "CN-SC", "贵州": "CN-GZ", "云南": "CN-YN",
    "西藏": "CN-XZ", "陕西": "CN-SN", "甘肃": "CN-GS", "青海": "CN-QH", "宁夏": "CN-NX",
    "新疆": "CN-XJ",
}
# Regional grids have no ISO code: the library names them CN-GRID-<direction>.
GRIDS = {
    "华北": "CN-GRID-NORTH", "东北": "CN-GRID-NORTHEAST", "华东": "CN-GRID-EAST",
    "华中": "CN-GRID-CENTRAL", "西北": "CN-GRID-NORTHWEST", "南方": "CN-GRID-SOUTH",
    "西南": "CN-GRID-SOUTHWEST",
}
# Regional grid membership (MEE's regional grid definitions). Used only as the fallback for a
# province without a factor of its own; kept only where that grid has a factor in the data year.
# Eastern Inner Mongolia belongs to the Northeast grid: CN-NM, as a whole, is mapped to North.
GRID_OF = {
    "CN-BJ": "CN-GRID-NORTH", "CN-TJ": "CN-GRID-NORTH", "CN-HE": "CN-GRID-NORTH",
    "CN-SX": "CN-GRID-NORTH", "CN-SD": "CN-GRID-NORTH", "CN-NM": "CN-GRID-NORTH",
    "CN-LN": "CN-GRID-NORTHEAST", "CN-JL": "CN-GRID-NORTHEAST", "CN-HL": "CN-GRID-NORTHEAST",
    "CN-SH": "CN-GRID-EAST", "CN-JS": "CN-GRID-EAST", "CN-ZJ": "CN-GRID-EAST",
    "CN-AH": "CN-GRID-EAST", "CN-FJ": "CN-GRID-EAST",
    "CN-HA": "CN-GRID-CENTRAL", "CN-HB": "CN-GRID-CENTRAL", "CN-HN": "CN-GRID-CENTRAL",
    "CN-JX": "CN-GRID-CENTRAL",
    "CN-SN": "CN-GRID-NORTHWEST", "CN-GS": "CN-GRID-NORTHWEST", "CN-QH": "CN-GRID-NORTHWEST",
    "CN-NX": "CN-GRID-NORTHWEST", "CN-XJ": "CN-GRID-NORTHWEST",
    "CN-GD": "CN-GRID-SOUTH", "CN-GX": "CN-GRID-SOUTH", "CN-YN": "CN-GRID-SOUTH",
    "CN-GZ": "CN-GRID-SOUTH", "CN-HI": "CN-GRID-SOUTH",
    # the Southwest grid (Sichuan, Chongqing, Tibet) appears in the 2021 and 2022 data only
    "CN-SC": "CN-GRID-SOUTHWEST", "CN-CQ": "CN-GRID-SOUTHWEST", "CN-XZ": "CN-GRID-SOUTHWEST",
}
ETS = {
    # id -> (extract version label, notice date, valid_from, valid_to, what it is for)
    # the extract gives the notices' month only: published is YYYY-MM, validity from the 1st
    "2022": ("2021-2022 reporting (set 2022)", "2022-03", "2022-03-01", "2023-01-31",
             "national grid factor for enterprises' 2021 and 2022 emissions reports"),
    "2023": ("2022 (set Feb 2023)", "2023-02", "2023-02-01", None,
             "national grid factor (2022 average) for emissions reports from 2023"),
}
YEARS: dict[str, dict[str, Any]] = {
    # data year: notice publication date (from the notice titles in the extract) and validity
    "2021": {"published": "2024-04-12", "valid_to": "2024-12-19"},
    "2022": {"published": "2024-12-20", "valid_to": "2025-12-30"},
    "2023": {"published": "2025-12-31", "valid_to": None},
}
ACTIVITY = "electricity: grid average CO2 (location-based)"


def _region(label: str) -> tuple[str, str]:
    if label == "China national":
        return "CN", "national"
    if label.startswith("China regional grid "):
        return GRIDS[label.removeprefix("China regional grid ")], "regional grid"
    if label.startswith("China province "):
        return PROVINCES[label.removeprefix("China province ")], "province"
    raise ValueError(f"unexpected region {label!r}")


def build(year: str) -> Path:
    import pycountry

    rows = [r for r in csv.DictReader(CSV.open(encoding="utf-8"))
            if r["version"] == year and r["activity"] == ACTIVITY]
    if not rows:
        raise SystemExit(f"no rows for {year}")
    factors = []
    for r in rows:
        code, level = _region(r["region"])
        if level == "province" and pycountry.subdivisions.get(code=code) is None:
            raise SystemExit(f"{code} is not an ISO 3166-2 code")
        assert r["unit"] == "kg CO2 per kWh", r["unit"]
        factors.append({
            "id": f"electricity.{code.lower()}",
            "activity": "electricity",
            "selectors": {},
            "region": code,
            "value": round_sig(float(r["kgco2e_per_unit"])),
            "unit": "kg CO2 / kWh",
            "source_ref": f"{r['region']} ({level}); {r['notes']}",
        })
    factors.sort(key=lambda f: (len(f["region"]), f["region"]))
    present = {f["region"] for f in factors}
    parents = {p: g for p, g in sorted(GRID_OF.items()) if g in present}
    notice = rows[0]["source"]
    spec = YEARS[year]
    table = {
        "schema_version": 1,
        "id": f"mee-grid-{year}",
        "title": f"China electricity CO2 emission factors, data year {year} (MEE & NBS)",
        "publisher": "Ministry of Ecology and Environment (MEE) and National Bureau of "
                     "Statistics (NBS) of the People's Republic of China",
        "edition": year,
        "revision": 1,
        "published": spec["published"],
        "source": {
            "title": notice,
            "url": "https://www.mee.gov.cn/",
            "file": "china-grid-factors-mee.csv",
            "sha256": sha256(CSV),
            "extract": "../shared/data/extracted/china-grid-factors-mee.csv",
        },
        "licence": "Official government notice (public information of the PRC government)",
        "attribution": f"Source: {notice}.",
        "region": "CN",
        "gwp": None,
        "valid_from": spec["published"],
        "valid_to": spec["valid_to"],
        "verified": True,
        "generated_by": SCRIPT,
        "notes": [
            "CO2 only (not CO2e): results from this table carry gas basis CO2.",
            "Location-based average grid factors: national, regional grids (CN-GRID-*) and "
            "provinces (ISO 3166-2:CN). Sichuan (CN-SC) and the national factor differ about 3x; "
            "which one applies is the caller's explicit choice and shows on the result.",
            "Not the emissions-trading reporting factor (0.5810 / 0.5703 t CO2/MWh), which is a "
            "separate series.",
        ],
        "region_parents": parents,
        "default_regions": {"electricity": "CN"},
        "factors": factors,
    }
    return write_table(f"mee-grid/{year}.yaml", table, SCRIPT)


def build_ets(edition: str) -> Path:
    label, notice_date, valid_from, valid_to, purpose = ETS[edition]
    rows = [r for r in csv.DictReader(CSV.open(encoding="utf-8")) if r["version"] == label]
    assert len(rows) == 1, rows
    r = rows[0]
    assert r["unit"] == "kg CO2 per kWh", r["unit"]
    table = {
        "schema_version": 1,
        "id": f"mee-ets-{edition}",
        "title": f"China national grid emission factor for emissions-trading reporting "
                 f"({edition} notice)",
        "publisher": "Ministry of Ecology and Environment (MEE) of the People's Republic of China",
        "edition": edition,
        "revision": 1,
        "published": notice_date,
        "source": {
            "title": r["source"],
            "url": "https://www.mee.gov.cn/",
            "file": CSV.name,
            "sha256": sha256(CSV),
            "extract": "../shared/data/extracted/china-grid-factors-mee.csv",
        },
        "licence": "Official government notice (public information of the PRC government)",
        "attribution": f"Source: {r['source']}.",
        "region": "CN",
        "gwp": None,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "verified": True,
        "generated_by": SCRIPT,
        "notes": [
            f"The {purpose}; a different series from the MEE/NBS average factors "
            "(mee-grid-*): choose it explicitly, e.g. factors=['mee-ets-2023', ...].",
            "CO2 only (not CO2e). The notice is dated to the month only; validity is taken from "
            "the first of that month.",
        ],
        "factors": [{
            "id": "electricity.cn",
            "activity": "electricity",
            "selectors": {},
            "region": "CN",
            "value": round_sig(float(r["kgco2e_per_unit"])),
            "unit": "kg CO2 / kWh",
            "source_ref": f"{r['activity']}; {r['notes']}",
        }],
        "default_regions": {"electricity": "CN"},
    }
    return write_table(f"mee-ets/{edition}.yaml", table, SCRIPT)


def main(argv: list[str]) -> None:
    for year in argv or sorted(YEARS):
        print(build(year))
    if not argv:
        for edition in sorted(ETS):
            print(build_ets(edition))


if __name__ == "__main__":
    main(sys.argv[1:])
