"""Import the US EPA GHG Emission Factors Hub (2024, 2025) into factors/epa-hub/<edition>.yaml.

Reads the Hub workbooks in ../shared/data/sources with python-calamine:

* Table 10 (Scope 3 business travel and commuting): per vehicle-mile for cars, light-duty trucks
  and motorcycles; per passenger-mile for rail, bus and air (short < 300 mi, medium < 2300 mi,
  long haul). Tank-to-wheel combustion only, no radiative forcing.
* Table 6 (electricity, eGRID): total output emission rates per subregion, lb per MWh.

EPA publishes each gas separately (CO2 in kg, CH4 and N2O in g per unit; lb/MWh for the grid).
The CO2e totals here are this library's computation with the GWP100 values the workbook lists
(AR5: CH4 28, N2O 265), so every factor is marked ``derived``; the per-gas CO2e is kept in
``gases``.

Usage: python scripts/import_epa_hub.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from _common import SOURCES, round_sig, sha256, write_table

SCRIPT = "scripts/import_epa_hub.py"
EDITIONS: dict[str, dict[str, Any]] = {
    # the trimmed 2024 copy has no "Last Modified" line: its validity starts with the year
    "2024": {"file": "epa-ghg-emission-factors-hub-2024-trimmed.xlsx", "published": "2024",
             "valid_from": "2024-01-01", "valid_to": "2025-01-14",
             "note": "A re-saved copy trimmed after Table 10 (by its owner, 2024-09-20)."},
    "2025": {"file": "epa-ghg-emission-factors-hub-2025.xlsx", "published": "2025-01-15",
             "valid_from": "2025-01-15", "valid_to": None, "note": None},
}
LB_PER_KG = 2.20462262185  # avoirdupois pound: exactly 0.45359237 kg
TRAVEL: dict[str, list[tuple[str, str, dict[str, Any]]]] = {
    # Table 10 vehicle type -> [(activity, factor id, selectors)]
    "Passenger Car": [("car", "car.average.unknown", {"size": "average", "fuel": "unknown"})],
    "Light-Duty Truck": [("car", "car.light_truck.unknown",
                          {"size": "light_truck", "fuel": "unknown"})],
    "Motorcycle": [("motorbike", "motorbike.average", {"size": "average"})],
    "Intercity Rail - Northeast Corridor": [
        ("rail", "rail.intercity_northeast_corridor", {"service": "intercity_northeast_corridor"})],
    "Intercity Rail - Other Routes": [
        ("rail", "rail.intercity_other_routes", {"service": "intercity_other_routes"})],
    "Intercity Rail - National Average": [("rail", "rail.national", {"service": "national"})],
    "Commuter Rail": [("rail", "rail.commuter", {"service": "commuter"})],
    "Transit Rail (i.e. Subway, Tram)": [
        ("metro", "metro.underground", {"service": "underground"}),
        ("metro", "metro.light_rail", {"service": "light_rail"}),
        ("rail", "rail.light_rail", {"service": "light_rail"}),
    ],
    "Bus": [("bus", "bus.average", {"service": "average"})],
    "Air Travel - Short Haul (< 300 miles)": [("flight", "flight.us_short.average.without_rf", {
        "band": "us_short", "cabin": "average", "radiative_forcing": False})],
    "Air Travel - Medium Haul (>= 300 miles, < 2300 miles)": [
        ("flight", "flight.us_medium.average.without_rf",
         {"band": "us_medium", "cabin": "average", "radiative_forcing": False})],
    "Air Travel - Long Haul (>= 2300 miles)": [("flight", "flight.us_long.average.without_rf", {
        "band": "us_long", "cabin": "average", "radiative_forcing": False})],
}
UNITS = {"vehicle-mile": "mi", "passenger-mile": "passenger / mi"}


def _cells(row: list[Any]) -> list[Any]:
    return [c for c in row if c not in ("", None)]


def build(edition: str) -> Path:
    from python_calamine import CalamineWorkbook

    spec = EDITIONS[edition]
    path = SOURCES / spec["file"]
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    gwp: dict[str, float] = {}
    for r in rows[:20]:
        c = _cells(r)
        if len(c) == 2 and c[0] in ("CH4", "N2O") and isinstance(c[1], float):
            gwp[c[0]] = c[1]
    assert gwp == {"CH4": 28.0, "N2O": 265.0}, gwp  # AR5, as the Hub states
    factors: list[dict[str, Any]] = []
    section = None
    grid_source = ""
    for n, r in enumerate(rows, start=1):
        c = _cells(r)
        if not c:
            continue
        head = str(c[0]).strip()
        if head in ("Table 6", "Table 10"):
            section = head
            continue
        if head.startswith("Table "):
            section = None
        if section == "Table 6":
            if head.startswith("Source"):
                grid_source = head.removeprefix("Source:").strip()
                section = None
                continue
            if len(c) >= 5 and isinstance(c[2], float):
                code, name, co2, ch4, n2o = c[:5]
                per_kwh = [v / LB_PER_KG / 1000 for v in (co2, ch4, n2o)]  # lb/MWh -> kg/kWh
                gases = {"CO2": per_kwh[0], "CH4": per_kwh[1] * gwp["CH4"],
                         "N2O": per_kwh[2] * gwp["N2O"]}
                region = "US" if code == "US Average" else f"US-EGRID-{code}"
                factors.append({
                    "id": f"electricity.{region.lower()}",
                    "activity": "electricity",
                    "selectors": {},
                    "region": region,
                    "value": round_sig(sum(gases.values())),
                    "unit": "kg CO2e / kWh",
                    "gases": {g: round_sig(v) for g, v in gases.items()},
                    "source_ref": f"Table 6, row {n}: {code} ({name}), total output rates "
                                  f"{co2} lb CO2, {ch4} lb CH4, {n2o} lb N2O per MWh",
                    "derived": True,
                    "note": "CO2e computed by carbon_footprint with the Hub's AR5 GWP100.",
                })
        elif section == "Table 10":
            if head.startswith("Source") or head.startswith("Notes"):
                section = None
                continue
            if len(c) == 5 and isinstance(c[1], float):
                label = re.sub(r"\s+[A-E]$", "", head).strip()  # drop footnote letters
                co2_kg, ch4_g, n2o_g, unit = c[1], c[2], c[3], c[4]
                gases = {"CO2": co2_kg, "CH4": ch4_g / 1000 * gwp["CH4"],
                         "N2O": n2o_g / 1000 * gwp["N2O"]}
                for activity, fid, sel in TRAVEL[label]:
                    factors.append({
                        "id": fid,
                        "activity": activity,
                        "selectors": sel,
                        "value": round_sig(sum(gases.values())),
                        "unit": f"kg CO2e / {UNITS[unit]}".replace("/ passenger / mi",
                                                                   "/ (passenger * mi)"),
                        "gases": {g: round_sig(v) for g, v in gases.items()},
                        "source_ref": f"Table 10, row {n}: {label}: {co2_kg} kg CO2, {ch4_g} g "
                                      f"CH4, {n2o_g} g N2O per {unit}",
                        "derived": True,
                        "note": "CO2e computed by carbon_footprint with the Hub's AR5 GWP100.",
                    })
    kinds = {f["activity"] for f in factors}
    assert {"electricity", "flight", "car", "rail", "bus"} <= kinds, kinds
    notes = [
        "Per-gas factors as EPA publishes them; the CO2e totals are this library's computation "
        "with the GWP100 values the Hub lists (IPCC AR5: CH4 28, N2O 265).",
        "Travel factors are tank-to-wheel combustion only, without radiative forcing; flights "
        "are banded by distance (short < 300 mi, medium < 2300 mi, long).",
        f"Electricity: eGRID total output emission rates by subregion ({grid_source}); region "
        "codes US-EGRID-<acronym>, US for the national average.",
    ]
    if spec["note"]:
        notes.append(spec["note"])
    table = {
        "schema_version": 1,
        "id": f"epa-hub-{edition}",
        "title": f"US EPA GHG Emission Factors Hub {edition} (business travel, eGRID electricity)",
        "publisher": "US Environmental Protection Agency (EPA)",
        "edition": edition,
        "revision": 1,
        "published": spec["published"],
        "source": {
            "title": f"EPA GHG Emission Factors Hub {edition}, Tables 6 and 10",
            "url": "https://www.epa.gov/climateleadership/ghg-emission-factors-hub",
            "file": spec["file"],
            "sha256": sha256(path),
        },
        "licence": "US Government work (public domain)",
        "attribution": f"Source: US EPA, GHG Emission Factors Hub {edition}.",
        "region": "US",
        "gwp": "AR5",
        "valid_from": spec["valid_from"],
        "valid_to": spec["valid_to"],
        "verified": True,
        "generated_by": SCRIPT,
        "notes": notes,
        "bands": [{"activity": "flight", "scheme": "distance", "selector": "band", "bands": [
            {"band": "us_short", "below": "300 mi"},
            {"band": "us_medium", "below": "2300 mi"},
            {"band": "us_long"},
        ]}],
        "fallbacks": [
            # the Hub publishes one class per band and no radiative forcing
            {"activity": "flight", "when": {"radiative_forcing": True},
             "use": {"radiative_forcing": False}, "reason": "no_rf_published"},
            {"activity": "flight", "when": {"radiative_forcing": True},
             "use": {"radiative_forcing": False, "cabin": "average"},
             "reason": "no_rf_published"},
            {"activity": "flight", "use": {"cabin": "average"}, "reason": "average_passenger"},
        ],
        "factors": factors,
    }
    return write_table(f"epa-hub/{edition}.yaml", table, SCRIPT)


def main(argv: list[str]) -> None:
    for edition in argv or sorted(EDITIONS):
        print(build(edition))


if __name__ == "__main__":
    main(sys.argv[1:])
