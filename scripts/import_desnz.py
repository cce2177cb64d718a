"""Import UK DESNZ GHG conversion factors (flat file) into factors/desnz/<edition>.yaml.

Reads the published flat files in ../shared/data/sources (.xls for 2021 and 2022, .xlsx for 2023
and 2024, read with python-calamine; the third-party row-by-row JSON copy for 2025) and keeps what
the library's activities use: flights (every band, class, with and without radiative forcing),
business-travel land factors (cars by size and by market segment for every fuel, motorbikes,
taxis per passenger-km and per vehicle-km, buses and coaches, national, international and light
rail, the Underground), hotel stays for every country published, and UK grid electricity. Each
factor keeps the flat file's row ID (2023 on; the row number before) as its source reference and
the published per-gas split (kg CO2e of CO2, CH4, N2O).

(xlrd 2.0 cannot open the 2021 and 2022 .xls files: their shared-string table fails its own
check. Calamine reads them.)

Usage: python scripts/import_desnz.py [EDITION ...]   (default: all supported editions)
"""

from __future__ import annotations

import json
import re
import statistics
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from _common import SOURCES, round_sig, sha256, slug, write_table

SCRIPT = "scripts/import_desnz.py"

# Dates as stated on the flat files' front pages: "published" is the shipped version's "Updated"
# date; an edition is taken to be in force from the "Next publication date" announced on the
# previous edition's front page (2021: 31/07/2022; 2022: 2023-06-08; 2023: 2024-06-10; 2024:
# 2025-06-10; planned dates) until the day before the next one. 2021 has no predecessor here,
# so it starts at its v3 date.
EDITIONS: dict[str, dict[str, Any]] = {
    "2021": {
        "file": "desnz-2021-flat-file-v3.xls", "version": "3", "published": "2021-10-22",
        "valid_from": "2021-10-22", "valid_to": "2022-07-30", "gwp": "AR4", "verified": True,
        "url": "https://www.gov.uk/government/publications/greenhouse-gas-reporting-conversion-factors-2021",
    },
    "2022": {
        "file": "desnz-2022-flat-file-v3.xls", "version": "3", "published": "2022-09-08",
        "valid_from": "2022-07-31", "valid_to": "2023-06-07", "gwp": "AR4", "verified": True,
        "url": "https://www.gov.uk/government/publications/greenhouse-gas-reporting-conversion-factors-2022",
    },
    "2023": {
        "file": "desnz-2023-flat-file-v1.1.xlsx", "version": "1.1", "published": "2023-06-20",
        "valid_from": "2023-06-08", "valid_to": "2024-06-09", "gwp": "AR5", "verified": True,
        "url": "https://www.gov.uk/government/publications/greenhouse-gas-reporting-conversion-factors-2023",
    },
    "2024": {
        "file": "desnz-2024-flat-file-v1.1.xlsx", "version": "1.1", "published": "2024-10-18",
        "valid_from": "2024-06-10", "valid_to": "2025-06-09", "gwp": "AR5", "verified": True,
        "url": "https://www.gov.uk/government/publications/greenhouse-gas-reporting-conversion-factors-2024",
    },
    "2025": {
        "file": "desnz-2025-third-party-json/conversion_factors_2025_data.json", "version": None,
        "published": "2025-06-10", "valid_from": "2025-06-10", "valid_to": None, "gwp": "AR5",
        "verified": False,
        "url": "https://www.gov.uk/government/publications/greenhouse-gas-reporting-conversion-factors-2025",
    },
}

BANDS = {
    "Domestic, to/from UK": "domestic",
    "Short-haul, to/from UK": "short_haul",
    "Long-haul, to/from UK": "long_haul",
    "International, to/from non-UK": "international",
}
CABINS = {
    "Average passenger": "average",
    "Economy class": "economy",
    "Premium economy class": "premium_economy",
    "Business class": "business",
    "First class": "first",
}
CAR_SIZES = {"Small car": "small", "Medium car": "medium", "Large car": "large",
             "Average car": "average"}
CAR_SEGMENTS = {"Mini": "mini", "Supermini": "supermini", "Lower medium": "lower_medium",
                "Upper medium": "upper_medium", "Executive": "executive", "Luxury": "luxury",
                "Sports": "sports", "Dual purpose 4X4": "dual_purpose_4x4", "MPV": "mpv"}
MOTORBIKES = {"Small": "small", "Medium": "medium", "Large": "large", "Average": "average"}
FUELS = {
    "Diesel": "diesel", "Petrol": "petrol", "Hybrid": "hybrid", "CNG": "cng", "LPG": "lpg",
    "Unknown": "unknown", "Plug-in Hybrid Electric Vehicle": "plugin_hybrid",
    "Battery Electric Vehicle": "electric",
}
TAXIS = {"Regular taxi": "regular", "Black cab": "black_cab"}
FERRIES = {"Foot passenger": "foot_passenger", "Car passenger": "car_passenger",
           "Average (all passenger)": "average"}
# Venue sources (Fuels, Heat and steam, Waste disposal, Material use, Water, Refrigerant).
FUEL_NAMES = {
    "Natural gas": "natural_gas", "Natural gas (100% mineral blend)": "natural_gas_mineral",
    "LPG": "lpg", "Butane": "butane", "Propane": "propane", "CNG": "cng", "LNG": "lng",
    "Other petroleum gas": "other_petroleum_gas",
    "Diesel (average biofuel blend)": "diesel", "Diesel (100% mineral diesel)": "diesel_mineral",
    "Petrol (average biofuel blend)": "petrol", "Petrol (100% mineral petrol)": "petrol_mineral",
    "Burning oil": "burning_oil", "Gas oil": "gas_oil", "Fuel oil": "fuel_oil",
    "Coal (industrial)": "coal_industrial", "Coal (domestic)": "coal_domestic",
}
FUEL_MEASURES = {"kWh (Gross CV)": ("energy_gross", "kWh"), "kWh (Net CV)": ("energy_net", "kWh"),
                 "litres": ("volume", "L"), "cubic metres": ("volume", "m^3"),
                 "tonnes": ("mass", "t")}
HEAT = {"Onsite heat and steam": "onsite", "District heat and steam": "district"}
TREATMENTS = {"Landfill": "landfill", "Combustion": "combustion",
              "Incineration with Energy Recovery": "combustion", "Open-loop": "open_loop",
              "Closed-loop": "closed_loop", "Composting": "composting",
              "Anaerobic digestion": "anaerobic_digestion"}
ORIGINS = {"Primary material production": "primary", "Re-used": "reused",
           "Open-loop source": "open_loop", "Closed-loop source": "closed_loop"}
MATERIALS = {  # waste and material-use Level 3 names -> selector
    "Metals": "construction_metals", "Household residual waste": "household_residual",
    "Organic: food and drink waste": "food_and_drink", "Organic: garden waste": "garden",
    "Organic: mixed food and garden waste": "mixed_food_and_garden",
    "Commercial and industrial waste": "commercial_and_industrial",
    "WEEE - fridges and freezers": "weee_fridges_freezers", "WEEE - large": "weee_large",
    "WEEE - mixed": "weee_mixed", "WEEE - small": "weee_small",
    "Metal: aluminium cans and foil (excl. forming)": "aluminium_cans_foil",
    "Metal: mixed cans": "mixed_cans", "Metal: scrap metal": "scrap_metal",
    "Metal: steel cans": "steel_cans", "Plastics: average plastics": "plastics_average",
    "Plastics: average plastic film": "plastic_film",
    "Plastics: average plastic rigid": "plastic_rigid", "Plastics: HDPE (incl. forming)": "hdpe",
    "Plastics: LDPE and LLDPE (incl. forming)": "ldpe_lldpe",
    "Plastics: PET (incl. forming)": "pet", "Plastics: PP (incl. forming)": "pp",
    "Plastics: PS (incl. forming)": "ps", "Plastics: PVC (incl. forming)": "pvc",
    "Paper and board: board": "paper_board_board", "Paper and board: mixed": "paper_board_mixed",
    "Paper and board: paper": "paper",
}
REFRIGERANT_COLUMNS = {None, "Total emissions including non-Kyoto products"}
# Well-to-tank rows: the same items as the direct rows under other Level 1/2 names.
WTT_LEVEL1 = {
    "WTT- business travel- air": "Business travel- air",
    "WTT- business travel (air)": "Business travel- air",
    "WTT- pass vehs & travel- land": "Business travel- land",
    "WTT- pass vehs & travel (land)": "Business travel- land",
    "WTT- business travel- sea": "Business travel- sea",
    "WTT- business travel (sea)": "Business travel- sea",
    "WTT- fuels": "Fuels",
    "WTT- heat and steam": "Heat and steam",
    "WTT- UK electricity": "UK electricity", "WTT- UK & overseas elec": "UK electricity",
}
WTT_LEVEL2 = {"WTT- flights": "Flights", "WTT- ferry": "Ferry",
              "WTT- heat and steam": "Heat and steam",
              "WTT- UK electricity (generation)": "Electricity generated",
              "WTT- gaseous fuels": "Gaseous fuels", "WTT- liquid fuels": "Liquid fuels",
              "WTT- solid fuels": "Solid fuels"}
BUSES = {"Local bus (not London)": "local", "Local London bus": "london",
         "Average local bus": "average", "Coach": "coach"}
RAIL = {"National rail": [("rail", "national")],
        "International rail": [("rail", "international")],
        "Light rail and tram": [("rail", "light_rail"), ("metro", "light_rail")],
        "London Underground": [("metro", "underground")]}
# DESNZ's hotel country names -> ISO 3166 codes where pycountry's lookup does not find them.
COUNTRY_OVERRIDES = {
    "UK": "GB", "UK (London)": "GB-LND", "Hong Kong, China": "HK", "Korea": "KR",
    "Macau, China": "MO", "Taiwan, China": "TW", "Turkey": "TR",
}
GAS_COLUMNS = {  # 2021 labels the per-gas columns "kg CO2" etc.; they are kg CO2e of each gas
    "kg CO2e": "total", "kg CO2e of CO2 per unit": "CO2", "kg CO2e of CH4 per unit": "CH4",
    "kg CO2e of N2O per unit": "N2O", "kg CO2": "CO2", "kg CH4": "CH4", "kg N2O": "N2O",
    "kg CO2e of CO2": "CO2", "kg CO2e of CH4": "CH4", "kg CO2e of N2O": "N2O",  # 2022
}


def _rows(path: Path) -> Iterator[dict[str, Any]]:
    """Yield the flat file's factor rows as dicts (ID, Level 1..4, Column Text, UOM, GHG, value)."""
    if path.suffix == ".json":
        for n, rec in enumerate(json.loads(path.read_text("utf-8"))):
            raw = next(v for k, v in rec.items() if k.startswith("GHG Conversion Factor"))
            yield {"ID": rec["ID"], "row": n, "Level 1": rec["Level 1"] or None,
                   "Level 2": rec["Level 2"] or None, "Level 3": rec["Level 3"] or None,
                   "Level 4": rec["Level 4"] or None, "Column Text": rec["Column Text"] or None,
                   "UOM": rec["UOM"] or None, "GHG": rec["GHG/Unit"] or None,
                   "value": float(raw) if raw not in ("", None) else None}
        return
    # import-time dependency only: pip install carbon-footprint[import]
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Factors by Category")
    header: list[str] | None = None
    for n, values in enumerate(rows.to_python(), start=1):
        if header is None:
            if "Level 1" in values and "Scope" in values:
                header = [str(v) for v in values]
            continue
        rec = dict(zip(header, values, strict=False))
        if not rec.get("Level 1"):
            continue
        value = next((v for k, v in rec.items() if k.startswith("GHG Conversion Factor")), None)
        if isinstance(value, str) and not value.strip():
            value = None  # other strings ("< 1" for some refrigerants) are left to build()
        yield {
            "ID": rec.get("ID") or None, "row": n,
            **{k: (rec.get(k) or None) for k in ("Level 1", "Level 2", "Level 3", "Level 4",
                                                  "Column Text", "UOM")},
            "GHG": rec.get("GHG/Unit") or rec.get("GHG") or None,
            "value": value,
        }


def _country(name: str) -> str:
    if name in COUNTRY_OVERRIDES:
        return COUNTRY_OVERRIDES[name]
    import pycountry

    return str(pycountry.countries.lookup(name).alpha_2)


Classified = list[tuple[str, str, dict[str, Any], str]]


def _material(name: str) -> str:
    return MATERIALS.get(name) or slug(name)


def _gas(name: str) -> str:
    """A refrigerant's code: its R-number where it has one (HFC-134a -> r134a, R410A -> r410a,
    HCFC-22/R22 -> r22), else a slug of its name."""
    base = name.split(" = ")[0].strip().rstrip("*").strip()
    m = re.search(r"(?:^|/)R-?(\d+[A-Za-z]*)$", base) or \
        re.match(r"^(?:HFC|HCFC|CFC|HFO)-(\d+[A-Za-z]*)", base)
    return f"r{m.group(1).lower()}" if m else slug(base)


def _wtt(row: dict[str, Any]) -> dict[str, Any] | None:
    """A well-to-tank row read as its direct row (None if it is not one we use)."""
    l1 = WTT_LEVEL1.get(row["Level 1"] or "")
    if l1 is None:
        return None
    l2 = row["Level 2"] or ""
    l2 = WTT_LEVEL2.get(l2) or (l2[5:].capitalize() if l2.startswith("WTT- ") else l2)
    l3 = row["Level 3"]
    if l1 == "Fuels" and isinstance(l3, str):  # 2021 title-cases the WTT fuel names
        l3 = next((n for n in FUEL_NAMES if n.casefold() == l3.casefold()), l3)
    return {**row, "Level 1": l1, "Level 2": l2, "Level 3": l3}


def _classify(row: dict[str, Any]) -> Classified:
    """Map a flat-file row to [(activity, factor id, selectors, unit)] (empty: not used);
    a well-to-tank row maps to its direct row's activity with the id suffix ``.wtt``."""
    if (row["Level 1"] or "").startswith("WTT-"):
        direct = _wtt(row)
        if direct is None:
            return []
        return [(a, f"{fid}.wtt", sel, unit) for a, fid, sel, unit in _classify(direct)]
    l1, l2, l3, l4, col, uom = (row["Level 1"], row["Level 2"], row["Level 3"], row["Level 4"],
                                row["Column Text"], row["UOM"])
    if l1 == "Fuels" and l3 in FUEL_NAMES and uom in FUEL_MEASURES:
        measure, unit = FUEL_MEASURES[uom]
        fuel = FUEL_NAMES[l3]
        return [("fuel", f"fuel.{fuel}.{measure}", {"fuel": fuel, "measure": measure},
                 f"kg CO2e / {unit}")]
    if l1 == "Heat and steam" and l3 in HEAT and uom == "kWh":
        return [("heat", f"heat.{HEAT[l3]}", {"source": HEAT[l3]}, "kg CO2e / kWh")]
    if l1 == "Waste disposal" and col in TREATMENTS and uom == "tonnes":
        mat, treat = _material(l3), TREATMENTS[col]
        return [("waste", f"waste.{mat}.{treat}", {"material": mat, "treatment": treat},
                 "kg CO2e / t")]
    if l1 == "Material use" and col in ORIGINS and uom == "tonnes":
        mat, origin = _material(l3), ORIGINS[col]
        return [("material", f"material.{mat}.{origin}", {"material": mat, "origin": origin},
                 "kg CO2e / t")]
    if l1 in ("Water supply", "Water treatment") and uom == "cubic metres":
        svc = "supply" if l1 == "Water supply" else "treatment"
        return [("water", f"water.{svc}", {"service": svc}, "kg CO2e / m^3")]
    if l1 == "Refrigerant & other" and col in REFRIGERANT_COLUMNS and uom == "kg":
        gas = _gas(l3)
        return [("refrigerant", f"refrigerant.{gas}", {"gas": gas}, "kg CO2e / kg")]
    if l1 == "Business travel- air" and l2 == "Flights":
        band, cabin = BANDS[l3], CABINS[l4]
        rf = {"With RF": True, "Without RF": False}[col]
        fid = f"flight.{band}.{cabin}.{'with_rf' if rf else 'without_rf'}"
        sel = {"band": band, "cabin": cabin, "radiative_forcing": rf}
        return [("flight", fid, sel, "kg CO2e / passenger_km")]
    if l1 == "Business travel- land" and uom in ("km", "passenger.km"):
        if l2 in ("Cars (by size)", "Cars (by market segment)") and uom == "km":
            size = CAR_SIZES[l3] if l2 == "Cars (by size)" else CAR_SEGMENTS[l3]
            fuel = FUELS[col]
            return [("car", f"car.{size}.{fuel}", {"size": size, "fuel": fuel}, "kg CO2e / km")]
        if l2 == "Motorbike" and uom == "km":
            size = MOTORBIKES[l3]
            return [("motorbike", f"motorbike.{size}", {"size": size}, "kg CO2e / km")]
        if l2 == "Taxis":
            svc = TAXIS[l3]
            if uom == "passenger.km":
                return [("taxi", f"taxi.{svc}", {"service": svc, "basis": "passenger"},
                         "kg CO2e / passenger_km")]
            return [("taxi", f"taxi.{svc}.vehicle_km", {"service": svc, "basis": "vehicle"},
                     "kg CO2e / km")]
        if l2 == "Bus":
            svc = BUSES[l3]
            return [("bus", f"bus.{svc}", {"service": svc}, "kg CO2e / passenger_km")]
        if l2 == "Rail":
            return [(act, f"{act}.{svc}", {"service": svc}, "kg CO2e / passenger_km")
                    for act, svc in RAIL[l3]]
        return []
    if l1 == "Business travel- sea" and l2 == "Ferry" and uom == "passenger.km":
        svc = FERRIES[l3]
        return [("ferry", f"ferry.{svc}", {"service": svc}, "kg CO2e / passenger_km")]
    if l1 == "Hotel stay":
        code = _country(l3)
        return [("hotel", f"hotel.{code.lower()}", {"region": code}, "kg CO2e / room_night")]
    if l1 == "UK electricity" and l2 == "Electricity generated" and uom == "kWh":
        return [("electricity", "electricity.gb", {"region": "GB"}, "kg CO2e / kWh")]
    return []


# Publisher knowledge, declared as data in every DESNZ table (docs/factor-tables.md).
BAND_SCHEMES = [
    {"activity": "flight", "scheme": "route", "selector": "band", "bands": [
        {"band": "domestic", "route": "domestic_uk"},
        {"band": "short_haul", "route": "to_from_uk", "below": "3700 km"},
        {"band": "long_haul", "route": "to_from_uk"},
        {"band": "international", "route": "non_uk"},
    ]},
    {"activity": "flight", "scheme": "distance", "selector": "band", "bands": [
        {"band": "short_haul", "below": "3700 km"},
        {"band": "long_haul"},
    ]},
]
FALLBACKS = [
    # DESNZ guidance: premium economy as economy and first as business where a band lacks them
    {"activity": "flight", "when": {"cabin": "premium_economy"}, "use": {"cabin": "economy"},
     "reason": "desnz_cabin_guidance"},
    {"activity": "flight", "when": {"cabin": "first"}, "use": {"cabin": "business"},
     "reason": "desnz_cabin_guidance"},
    {"activity": "flight", "use": {"cabin": "average"}, "reason": "average_passenger"},
    {"activity": "car", "use": {"size": "average"}, "reason": "average_size"},
    {"activity": "motorbike", "use": {"size": "average"}, "reason": "average_size"},
    {"activity": "taxi", "when": {"basis": "passenger"}, "use": {"basis": "vehicle"},
     "reason": "other_basis"},
    {"activity": "taxi", "when": {"basis": "vehicle"}, "use": {"basis": "passenger"},
     "reason": "other_basis"},
    # the library's proxy, stated: no citable China-specific high-speed rail factor exists
    {"activity": "rail", "when": {"service": "high_speed"}, "use": {"service": "national"},
     "reason": "proxy_no_china_factor"},
]


def _number(value: Any, row: dict[str, Any]) -> float | None:
    """A cell's number; the published text "< 1" (R1234yf/ze in 2021-2022) is no number."""
    if isinstance(value, str):
        if row["Level 1"] == "Refrigerant & other" and value.strip().startswith("<"):
            return None
        return float(value)
    return float(value)


def build(edition: str) -> Path:
    spec = EDITIONS[edition]
    path = SOURCES / spec["file"]
    grouped: dict[tuple[Any, ...], dict[str, Any]] = defaultdict(dict)
    classified: dict[tuple[Any, ...], Classified] = {}
    refs: dict[tuple[Any, ...], str] = {}
    order: list[tuple[Any, ...]] = []
    for row in _rows(path):
        kind = GAS_COLUMNS.get(row["GHG"] or "")
        if kind is None:
            continue
        what = _classify(row)
        if not what:
            continue
        # one factor = the rows sharing the category path and unit (total + one per gas);
        # 2023 on: IDs <row>_1 total, _2 CO2, _3 CH4, _4 N2O
        base = (row["Level 1"], row["Level 2"], row["Level 3"], row["Level 4"],
                row["Column Text"], row["UOM"])
        if base not in classified:
            classified[base] = what
            order.append(base)
        if kind == "total":
            refs[base] = (f"Factors by Category, ID {row['ID']}" if row["ID"]
                          else f"Factors by Category, row {row['row']}")
        number = None if row["value"] is None else _number(row["value"], row)
        if number is not None:
            grouped[base][kind] = round_sig(number)  # any other non-number here is fatal
    factors = []
    hotel_values = []
    for base in order:
        vals = grouped.get(base, {})
        if "total" not in vals:
            continue  # blank in the source: no factor published
        for activity, fid, sel, unit in classified[base]:
            sel = dict(sel)
            region = sel.pop("region", None)
            entry: dict[str, Any] = {"id": fid, "activity": activity, "selectors": sel}
            if region is not None:
                entry["region"] = region
            entry.update({"value": vals["total"], "unit": unit})
            if fid.endswith(".wtt"):
                entry["scope"] = "upstream"
            gases = {g: vals[g] for g in ("CO2", "CH4", "N2O") if g in vals}
            if len(gases) == 3:
                entry["gases"] = gases
            entry["source_ref"] = refs[base]
            factors.append(entry)
            if activity == "hotel":
                hotel_values.append(vals["total"])
    # A documented default for countries DESNZ does not cover: the median of the published ones.
    factors.append({
        "id": "hotel.default_median", "activity": "hotel", "selectors": {},
        "value": round_sig(statistics.median(hotel_values)), "unit": "kg CO2e / room_night",
        "source_ref": f"derived: median of the {len(hotel_values)} hotel factors in this table",
        "derived": True,
        "note": "Not a DESNZ figure: carbon_footprint's fallback for countries without a factor.",
    })
    verified = spec["verified"]
    notes = [
        "Flight factors are per passenger-km of great-circle distance and already include "
        "DESNZ's 8% uplift for routing and delays: do not add it again.",
        "Radiative forcing (RF) applies to the CO2 part only; rows are published with and "
        "without RF. DESNZ advises reporting with RF.",
        "Hotel factors are per room per night, whatever the number of guests. The factor "
        "without a region (hotel.default_median) is this library's default for countries "
        "DESNZ does not cover.",
        "Car and motorbike factors are per vehicle-km (business-travel land, including the "
        "electricity for electric cars); taxis per passenger-km and per vehicle-km.",
    ]
    if not verified:
        notes.insert(0, "UNVERIFIED: built from a third party's row-by-row copy of the flat "
                        "file; the official workbook was not available. Air values match two "
                        "other independent copies.")
    table = {
        "schema_version": 1,
        "id": f"desnz-{edition}",
        "title": f"UK Government GHG Conversion Factors for Company Reporting {edition}",
        "publisher": "UK Department for Energy Security and Net Zero (DESNZ) and Defra",
        "edition": edition,
        "revision": 1,
        "published": spec["published"],
        "source": {
            "title": f"DESNZ GHG conversion factors {edition}, flat file"
                     + (f" v{spec['version']}" if spec["version"] else " (third-party copy)"),
            "url": spec["url"],
            "file": spec["file"],
            "sha256": sha256(path),
            "version": spec["version"],
        },
        "licence": "OGL-3.0",
        "attribution": "Contains public sector information licensed under the Open Government "
                       "Licence v3.0. Source: DESNZ/Defra, UK Government GHG Conversion Factors "
                       f"for Company Reporting {edition}.",
        "region": "GB",
        "gwp": spec["gwp"],
        "valid_from": spec["valid_from"],
        "valid_to": spec["valid_to"],
        "verified": verified,
        "generated_by": SCRIPT,
        "notes": notes,
        "bands": BAND_SCHEMES,
        "fallbacks": FALLBACKS,
        "factors": factors,
    }
    if spec["version"] is None:
        del table["source"]["version"]
    return write_table(f"desnz/{edition}.yaml", table, SCRIPT)


def main(argv: list[str]) -> None:
    for edition in argv or sorted(EDITIONS):
        print(build(edition))


if __name__ == "__main__":
    main(sys.argv[1:])
