"""Import ADEME per-meal emission factors into factors/ademe/<edition>.yaml.

Source: ../shared/data/extracted/ademe-impactco2-transport-meals-items.csv, read from ADEME's
Impact CO2 data files (values from ADEME Base Empreinte / Base Carbone). Only the meal rows of the
Impact CO2 revision named below are used; they are published per-meal figures (kg CO2e per meal).

Usage: python scripts/import_ademe.py
"""

from __future__ import annotations

import csv

from _common import EXTRACTED, round_sig, sha256, write_table

SCRIPT = "scripts/import_ademe.py"
CSV = EXTRACTED / "ademe-impactco2-transport-meals-items.csv"
VERSION = "impactco2 git d1d1a015 (2024-11-20)"
DIETS = {  # Impact CO2 slug -> the library's diet code
    "repasavecduboeuf": "beef",
    "repasavecdupoulet": "chicken",
    "repasavecdupoissonblanc": "white_fish",
    "repasavecdupoissongras": "oily_fish",
    "repasvegetarien": "vegetarian",
    "repasvegetalien": "vegan",
}


def main() -> None:
    factors = []
    for r in csv.DictReader(CSV.open(encoding="utf-8")):
        if r["version"] != VERSION or not r["activity"].startswith("meal: "):
            continue
        slug, label = r["activity"].removeprefix("meal: ").split(" ", 1)
        diet = DIETS[slug]
        assert r["unit"] == "kg CO2e per meal", r["unit"]
        factors.append({
            "id": f"meal.{diet}",
            "activity": "meal",
            "selectors": {"diet": diet},
            "value": round_sig(float(r["kgco2e_per_unit"])),
            "unit": "kg CO2e / meal",
            "source_ref": f"Impact CO2 repas.json '{slug}' {label.strip('()')}; {r['notes']}",
        })
    factors.sort(key=lambda f: f["id"])
    table = {
        "schema_version": 1,
        "id": "ademe-2024",
        "title": "ADEME Impact CO2: carbon footprint per meal",
        "publisher": "ADEME (Agence de la transition écologique), France",
        "edition": "2024",
        "revision": 1,
        "published": "2024-11-20",
        "source": {
            "title": "ADEME Impact CO2 data (values from Base Empreinte / Base Carbone), "
                     "repas.json",
            "url": "https://impactco2.fr/outils/alimentation",
            "file": CSV.name,
            "sha256": sha256(CSV),
            "version": VERSION,
            "extract": "../shared/data/extracted/" + CSV.name,
        },
        "licence": "Licence Ouverte / Etalab 2.0",
        "attribution": "Source: ADEME, Impact CO2 (impactco2.fr), Base Empreinte.",
        "region": "FR",
        "gwp": "AR5",
        "valid_from": "2024-11-20",
        "valid_to": None,
        "verified": True,
        "generated_by": SCRIPT,
        "notes": [
            "Published per-meal figures for a French main meal by its main protein; "
            "no single authoritative per-meal table exists for China.",
            "GWP set: ADEME Base Empreinte uses IPCC AR5 GWP100.",
        ],
        "factors": factors,
    }
    print(write_table("ademe/2024.yaml", table, SCRIPT))


if __name__ == "__main__":
    main()
