"""Import US EPA Supply Chain GHG Emission Factors (USEEIO) into factors/useeio/<version>.yaml.

Source: ../shared/data/sources/epa-supply-chain-ghg-factors-v1.3.0-naics-co2e-usd2022.csv, every
NAICS-6 sector, kg CO2e per 2022 USD at purchaser price (factors *with* margins, the right basis
for a price a guest paid). Each sector is addressed by its NAICS code or a slug of its title.

Usage: python scripts/import_useeio.py
"""

from __future__ import annotations

import csv

from _common import SOURCES, round_sig, sha256, slug, write_table

SCRIPT = "scripts/import_useeio.py"
VERSIONS = {
    "1.3.0": {"file": "epa-supply-chain-ghg-factors-v1.3.0-naics-co2e-usd2022.csv",
              "price_year": 2022, "published": "2024-07-01",
              "url": "https://catalog.data.gov/dataset/supply-chain-greenhouse-gas-emission-factors-v1-3-by-naics-6"},
}


def build(version: str) -> None:
    spec = VERSIONS[version]
    path = SOURCES / spec["file"]
    factors = []
    seen: set[str] = set()
    for r in csv.DictReader(path.open(encoding="utf-8-sig")):
        code = r["2017 NAICS Code"].strip()
        title = r["2017 NAICS Title"].strip()
        assert r["GHG"] == "All GHGs", r["GHG"]
        unit = r["Unit"]
        assert unit == f"kg CO2e/{spec['price_year']} USD, purchaser price", unit
        sector = slug(title)
        if sector in seen:
            sector = f"{sector}_{code}"
        seen.add(sector)
        factors.append({
            "id": f"purchase.naics_{code}",
            "activity": "purchase",
            "selectors": {"sector": sector},
            "value": round_sig(float(r["Supply Chain Emission Factors with Margins"])),
            "unit": "kg CO2e / USD",
            "source_ref": f"NAICS {code} {title}; with margins (without "
                          f"{r['Supply Chain Emission Factors without Margins']} + margins "
                          f"{r['Margins of Supply Chain Emission Factors']}); USEEIO "
                          f"{r['Reference USEEIO Code']}",
        })
    table = {
        "schema_version": 1,
        "id": f"useeio-{version}",
        "title": f"US EPA Supply Chain GHG Emission Factors v{version} (NAICS-6, purchaser price)",
        "publisher": "US Environmental Protection Agency (EPA)",
        "edition": version,
        "revision": 1,
        "published": spec["published"],
        "source": {
            "title": f"Supply Chain Greenhouse Gas Emission Factors v{version} by NAICS-6",
            "url": spec["url"],
            "file": spec["file"],
            "sha256": sha256(path),
            "version": version,
        },
        "licence": "US Government work (public domain)",
        "attribution": "Source: US EPA, Supply Chain Greenhouse Gas Emission Factors for US "
                       f"Industries and Commodities v{version} (USEEIO).",
        "region": "US",
        "gwp": "AR5",
        "valid_from": spec["published"],
        "valid_to": None,
        "currency": "USD",
        "price_year": spec["price_year"],
        "verified": True,
        "generated_by": SCRIPT,
        "notes": [
            f"kg CO2e per {spec['price_year']} US dollar at purchaser price (with margins).",
            "Spend in another currency or year is converted with the bundled exchange-rate and "
            "price-index tables (factors/rates/) before these factors are applied.",
            "US supply chains: a proxy for purchases elsewhere; say so when reporting.",
        ],
        "factors": factors,
    }
    print(write_table(f"useeio/{version}.yaml", table, SCRIPT))


if __name__ == "__main__":
    for v in sorted(VERSIONS):
        build(v)
