"""Import Poore & Nemecek (2018) GHG per kg of food into factors/poore-nemecek/2018.yaml.

Source: ../shared/data/sources/owid-ghg-per-kg-poore-nemecek-2018.csv (Our World in Data's copy of
the study's per-kg values). These are the study's **mean** values across ~38,700 farms: the OWID
per-kg column for beef herd is 99.48 kg CO2e/kg, the mean; the supply-chain-stage file sums to the
median (about 60) instead. The mean is kept deliberately: it is what OWID publishes per kg, and an
offsetting tool should not use a figure below the average of the producers it represents.

Usage: python scripts/import_poore_nemecek.py
"""

from __future__ import annotations

import csv

from _common import SOURCES, round_sig, sha256, slug, write_table

SCRIPT = "scripts/import_poore_nemecek.py"
CSV = SOURCES / "owid-ghg-per-kg-poore-nemecek-2018.csv"
COLUMN = "GHG emissions per kilogram (Poore & Nemecek, 2018)"


def main() -> None:
    factors = []
    for r in csv.DictReader(CSV.open(encoding="utf-8")):
        if not r[COLUMN]:
            continue
        item = slug(r["Entity"])
        factors.append({
            "id": f"food.{item}",
            "activity": "food",
            "selectors": {"item": item},
            "value": round_sig(float(r[COLUMN])),
            "unit": "kg CO2e / kg",
            "source_ref": f"OWID ghg-per-kg-poore, Entity '{r['Entity']}', column '{COLUMN}'",
        })
    factors.sort(key=lambda f: f["id"])
    table = {
        "schema_version": 1,
        "id": "poore-nemecek-2018",
        "title": "Greenhouse gas emissions per kilogram of food product (global mean)",
        "publisher": "Poore J. & Nemecek T., Science 360:987-992, via Our World in Data",
        "edition": "2018",
        "revision": 1,
        "published": "2018-06-01",
        "source": {
            "title": "Our World in Data, 'GHG emissions per kilogram of food product' "
                     "(Poore & Nemecek 2018)",
            "url": "https://ourworldindata.org/grapher/ghg-per-kg-poore",
            "file": CSV.name,
            "sha256": sha256(CSV),
        },
        "licence": "CC-BY-4.0",
        "attribution": "Poore, J. & Nemecek, T. (2018). Reducing food's environmental impacts "
                       "through producers and consumers. Science 360(6392):987-992. Data via Our "
                       "World in Data (CC BY 4.0).",
        "region": "World",
        "gwp": "AR5",
        "valid_from": "2018-06-01",
        "valid_to": None,
        "verified": True,
        "generated_by": SCRIPT,
        "notes": [
            "Mean values across the study's farms (not medians); per kg of food product, "
            "farm to retail (land use change, farm, feed, processing, transport, retail, "
            "packaging).",
            "GWP set: the study reports GWP100 with IPCC AR5 characterisation.",
        ],
        "factors": factors,
    }
    print(write_table("poore-nemecek/2018.yaml", table, SCRIPT))


if __name__ == "__main__":
    main()
