"""Import US EPA Supply Chain GHG Emission Factors (USEEIO) into factors/useeio/<version>.yaml.

Source: ../shared/data/sources/epa-supply-chain-ghg-factors-v1.3.0-naics-co2e-usd2022.csv, kg CO2e
per 2022 USD at purchaser price (factors *with* margins, the right basis for a price a guest paid).
Kept: the NAICS-6 sectors a venue sells or buys (``SECTORS`` below: food and drink, hotels and
restaurants, retail, clothing, electronics, souvenirs, printing, transport, events, utilities),
not all ~1,000 (the full file would make the table 18x larger and slower to load for sectors
such as mining that no guest buys). Each sector is addressed by its NAICS code or a title slug.

Usage: python scripts/import_useeio.py
"""

from __future__ import annotations

import csv

from _common import SOURCES, round_sig, sha256, slug, write_table

SCRIPT = "scripts/import_useeio.py"
SECTORS = (
    # farm products and food manufacturing
    "111219", "111339", "112111", "112120", "112320", "311611", "311612", "311615", "311513",
    "311520", "311811", "311919", "311920", "312111", "312112", "312120", "312130",
    # retail
    "445110", "445120", "445310", "446110", "446120", "448140", "448210", "443142", "451110",
    "452210", "453210", "453220",
    # manufactured goods guests buy
    "315280", "316210", "334111", "334210", "334310", "325620", "322291", "323111", "339930",
    "339910", "326111", "322220", "511130",
    # lodging, food service, events, leisure
    "721110", "721191", "722511", "722513", "722515", "722320", "722410", "561920", "711110",
    "711310", "712110", "713110", "713990",
    # transport and travel services
    "481111", "482111", "485310", "485210", "485113", "485112", "487110", "532111", "561510",
    # utilities
    "221310", "221210",
)

# The CSVs carry no release date: the year of release is recorded and validity starts with it.
VERSIONS = {
    "1.2": {"file": "epa-supply-chain-ghg-factors-v1.2-naics-co2e-usd2021.csv",
            "price_year": 2021, "published": "2023", "valid_from": "2023-01-01",
            "valid_to": "2023-12-31",
            "url": "https://pasteur.epa.gov/uploads/10.23719/1528686/SupplyChainGHGEmissionFactors_v1.2_NAICS_CO2e_USD2021.csv"},
    "1.3.0": {"file": "epa-supply-chain-ghg-factors-v1.3.0-naics-co2e-usd2022.csv",
              "price_year": 2022, "published": "2024", "valid_from": "2024-01-01",
              "valid_to": None,
              "url": "https://catalog.data.gov/dataset/supply-chain-greenhouse-gas-emission-factors-v1-3-by-naics-6"},
}


def build(version: str) -> None:
    spec = VERSIONS[version]
    path = SOURCES / spec["file"]
    factors = []
    seen: set[str] = set()
    reader = csv.DictReader(path.open(encoding="utf-8-sig"))
    rows = {r["2017 NAICS Code"].strip(): r for r in reader}
    missing = [c for c in SECTORS if c not in rows]
    if missing:
        raise SystemExit(f"NAICS codes not in {path.name}: {missing}")
    for code in sorted(SECTORS):
        r = rows[code]
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
            "codes": {"naics": code},
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
        "valid_from": spec["valid_from"],
        "valid_to": spec["valid_to"],
        "currency": "USD",
        "price_year": spec["price_year"],
        "verified": True,
        "generated_by": SCRIPT,
        "notes": [
            f"kg CO2e per {spec['price_year']} US dollar at purchaser price (with margins).",
            "Spend in another currency or year is converted with the bundled exchange-rate and "
            "price-index tables (factors/rates/) before these factors are applied.",
            "US supply chains: a proxy for purchases elsewhere; say so when reporting.",
            f"{len(SECTORS)} NAICS-6 sectors a venue sells or buys, selected from the full file "
            "by scripts/import_useeio.py.",
        ],
        "factors": factors,
    }
    print(write_table(f"useeio/{version}.yaml", table, SCRIPT))


if __name__ == "__main__":
    for v in sorted(VERSIONS):
        build(v)
