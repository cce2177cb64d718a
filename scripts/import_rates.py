"""Import exchange rates and a price index for spend conversion into factors/rates/.

* ``fx-worldbank.yaml``: World Bank WDI ``PA.NUS.FCRF`` official exchange rate, local currency
  units per US dollar, annual period average (from IMF IFS), one source used consistently.
* ``cpi-us.yaml``: US CPI-U (BLS series CUUR0000SA0, 1982-84=100), annual averages, used to move
  US-dollar amounts between price years (the spend tables are per USD of a given year).

Sources: ../shared/data/extracted/fx-cpi/*.csv (see that folder's README for how they were read).

Usage: python scripts/import_rates.py
"""

from __future__ import annotations

import csv
from collections import defaultdict

from _common import EXTRACTED, sha256, write_table

SCRIPT = "scripts/import_rates.py"
FX = EXTRACTED / "fx-cpi" / "fx_worldbank_pa_nus_fcrf_by_currency.csv"
CPI = EXTRACTED / "fx-cpi" / "cpi_us_cpiu_annual.csv"


def main() -> None:
    rates: dict[str, dict[int, float]] = defaultdict(dict)
    for r in csv.DictReader(FX.open(encoding="utf-8")):
        if r["value"]:
            rates[r["currency"]][int(r["year"])] = float(r["value"])
    fx = {
        "schema_version": 1,
        "kind": "exchange_rates",
        "id": "fx-worldbank",
        "edition": "2026-07-13",
        "revision": 1,
        "title": "Official exchange rate (LCU per US$, period average), World Bank WDI PA.NUS.FCRF",
        "quote": "local currency units per USD, annual average",
        "source": {"title": "World Bank World Development Indicators, PA.NUS.FCRF (from IMF "
                            "International Financial Statistics), 2026-07-13 vintage",
                   "url": "https://data.worldbank.org/indicator/PA.NUS.FCRF",
                   "file": FX.name, "sha256": sha256(FX)},
        "licence": "CC-BY-4.0",
        "generated_by": SCRIPT,
        "rates": {cur: dict(sorted(years.items())) for cur, years in sorted(rates.items())},
    }
    write_table("rates/fx-worldbank.yaml", fx, SCRIPT)
    index = {}
    for r in csv.DictReader(CPI.open(encoding="utf-8")):
        index[int(r["year"])] = float(r["value"])
    cpi = {
        "schema_version": 1,
        "kind": "price_index",
        "id": "cpi-us",
        "edition": f"{max(index)}",
        "revision": 1,
        "title": "US CPI-U, all items, U.S. city average (1982-84=100), annual average",
        "currency": "USD",
        "source": {"title": "US Bureau of Labor Statistics, CPI-U series CUUR0000SA0",
                   "url": "https://www.bls.gov/cpi/", "file": CPI.name, "sha256": sha256(CPI)},
        "licence": "US Government work (public domain)",
        "generated_by": SCRIPT,
        "notes": ["2025 averages 11 months: BLS collected no October 2025 data."],
        "index": dict(sorted(index.items())),
    }
    write_table("rates/cpi-us.yaml", cpi, SCRIPT)
    print("factors/rates/fx-worldbank.yaml factors/rates/cpi-us.yaml")


if __name__ == "__main__":
    main()
