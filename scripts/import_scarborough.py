"""Import Scarborough et al. (2014) diet emissions into factors/scarborough/2014.yaml.

Source: ../shared/data/extracted/diets-scarborough2014.csv. The paper publishes kg CO2e per
person-day for six UK diet groups (standardised to 2,000 kcal). A per-meal figure is this
library's derivation, one third of a day, and every such factor says so (``derived: true``).

Usage: python scripts/import_scarborough.py
"""

from __future__ import annotations

import csv

from _common import EXTRACTED, round_sig, sha256, write_table

SCRIPT = "scripts/import_scarborough.py"
CSV = EXTRACTED / "diets-scarborough2014.csv"
DIETS = {
    "high meat-eater (>=100 g meat/day)": "meat_heavy",
    "medium meat-eater (50-99 g/day)": "average",
    "low meat-eater (<50 g/day)": "meat_light",
    "fish-eater": "pescatarian",
    "vegetarian": "vegetarian",
    "vegan": "vegan",
}


def main() -> None:
    factors = []
    source = ""
    for r in csv.DictReader(CSV.open(encoding="utf-8")):
        if not r["activity"].startswith("diet: "):
            continue
        source = r["source"]
        group = r["activity"].removeprefix("diet: ")
        diet = DIETS[group]
        per_day = float(r["kgco2e_per_unit"])
        factors.append({
            "id": f"meal.{diet}",
            "activity": "meal",
            "selectors": {"diet": diet},
            "value": round_sig(per_day / 3),
            "unit": "kg CO2e / meal",
            "source_ref": f"Scarborough et al. 2014, {group}: {per_day} kg CO2e per person-day "
                          f"({r['notes']})",
            "derived": True,
            "note": "carbon_footprint's derivation: one third of the published per-day figure.",
        })
    table = {
        "schema_version": 1,
        "id": "scarborough-2014",
        "title": "Dietary GHG emissions of UK diet groups (per meal, derived from per day)",
        "publisher": "Scarborough P. et al., Climatic Change 125:179-192",
        "edition": "2014",
        "revision": 1,
        "published": "2014-06-11",
        "source": {
            "title": source,
            "url": "https://doi.org/10.1007/s10584-014-1169-1",
            "file": CSV.name,
            "sha256": sha256(CSV),
            "extract": "../shared/data/extracted/" + CSV.name,
        },
        "licence": "CC-BY-4.0",
        "attribution": "Scarborough P, Appleby PN, Mizdrak A, et al. Dietary greenhouse gas "
                       "emissions of meat-eaters, fish-eaters, vegetarians and vegans in the UK. "
                       "Climatic Change 2014;125:179-192.",
        "region": "GB",
        "gwp": "AR4",
        "valid_from": "2014-06-11",
        "valid_to": None,
        "verified": True,
        "generated_by": SCRIPT,
        "notes": [
            "Per-meal values are derived (per person-day / 3); the paper publishes per-day values.",
            "Diet 'average' is the paper's medium meat-eater group (50-99 g meat a day).",
            "GWP set: the paper's food LCA data used IPCC AR4 GWP100 (as reported by the paper's "
            "data source); treat as approximate.",
        ],
        "factors": factors,
    }
    print(write_table("scarborough/2014.yaml", table, SCRIPT))


if __name__ == "__main__":
    main()
