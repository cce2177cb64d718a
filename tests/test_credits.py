"""The credit-scheme catalogue (every fact cited), serial ranges, retirement records."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from carbon_footprint._credit_errors import (
    CreditError,
    RecordError,
    SerialError,
    UnknownSchemeError,
)
from carbon_footprint.claims import check_claim
from carbon_footprint.credits import (
    RetirementRecord,
    load_schemes,
    parse_serial,
    retirement_record,
    retirement_records,
    schemes,
)
from carbon_footprint.errors import CarbonFootprintError, TableError
from carbon_footprint.tables import bundled_table_ids

from .conftest import REPO

MYCARBON = "7331-385170050-385170149-VCU-013-MER-CN-14-1718-01012016-31122016-0"


def test_catalogue_has_the_issue_schemes() -> None:
    assert set(schemes().ids) == {"cdcer", "ccer", "phcer", "beijing-puhui", "cqcer", "cea",
                                  "vcs", "gold-standard", "cdm-cer"}


def test_every_fact_is_cited_or_says_why_not() -> None:
    cat = schemes()
    used: set[str] = set()
    for s in cat.schemes:
        for name, fact in s.facts().items():
            if fact.value is None:
                assert fact.not_found and len(fact.not_found) > 10, (s.id, name)
                assert not fact.sources, (s.id, name)
            else:
                assert fact.sources and all(k in cat.sources for k in fact.sources), (s.id, name)
            used.update(fact.sources)
        for p in s.prices:
            used.update(p.sources)
    assert used == set(cat.sources), set(cat.sources) - used  # no dead source either
    for src in cat.sources.values():
        assert src.url.startswith(("http://", "https://", "code-index file"))


def test_unknown_facts_stay_empty() -> None:
    """What research could not find is None, never a guess (the report lists these)."""
    cat = schemes()
    assert cat.get("cdcer").registry.value is None
    assert cat.get("cdcer").unit_tco2e.value is None
    assert cat.get("cdcer").large_event_guide.value is None
    assert cat.get("ccer").serial_format.value is None
    assert cat.get("cdm-cer").serial_format.value is None
    assert cat.get("beijing-puhui").name_en.value is None
    assert str(cat.get("ccer").unit_tco2e.value) == "1"


def test_yaml_amounts_are_text_not_floats() -> None:
    raw = yaml.safe_load((REPO / "factors" / "credits" / "schemes.yaml").read_text("utf-8"))

    def walk(x: object, path: str) -> None:
        assert not isinstance(x, float), path
        if isinstance(x, dict):
            for k, v in x.items():
                walk(v, f"{path}/{k}")
        elif isinstance(x, list):
            for i, v in enumerate(x):
                walk(v, f"{path}/{i}")
    walk(raw, "")


def test_credits_folder_is_not_a_factor_table() -> None:
    assert not any(t.startswith("credits-") for t in bundled_table_ids())


def test_guide_eligibility_fact_agrees_with_the_rule_set() -> None:
    """The catalogue's cited eligibility equals what the cn-mee-2019 rules derive."""
    for s in schemes().schemes:
        rec = {"id": "r", "scheme": s.id, "quantity": 1, "unit_tco2e": "1",
               "status": "retired", "retired_on": "2021-09-08", "project_id": "p",
               "vintage": "2020"}
        if s.id == "cdm-cer":
            rec["host_country"] = "CN"
        codes = check_claim(rule_set="cn-mee-2019", emissions_tco2e="1", records=[rec]).codes
        expected = s.large_event_guide.value
        if expected is None:
            assert "ELIGIBILITY_UNKNOWN" in codes, s.id
        elif expected:
            assert "INELIGIBLE_TYPE" not in codes and "ELIGIBILITY_UNKNOWN" not in codes, s.id
        else:
            assert "INELIGIBLE_TYPE" in codes, s.id


def test_bad_catalogue_is_refused(tmp_path: Path) -> None:
    text = (REPO / "factors" / "credits" / "schemes.yaml").read_text("utf-8")
    broken = text.replace("  unit_tco2e: {value: '1', sources: [regen-vcu]}",
                          "  unit_tco2e: {value: '1', sources: []}")
    assert broken != text
    p = tmp_path / "schemes.yaml"
    p.write_text(broken, "utf-8")
    with pytest.raises(TableError, match="at least one source"):
        load_schemes(p)
    p.write_text(text.replace("unit_tco2e: {value: '1', sources: [regen-vcu]}",
                              "unit_tco2e: {value: 1.0, sources: [regen-vcu]}"), "utf-8")
    with pytest.raises(TableError, match="not a float"):
        load_schemes(p)


# -- serials ------------------------------------------------------------------------------

def test_verra_range_is_parsed_and_counted() -> None:
    r = parse_serial(MYCARBON, "vcs")
    assert r.quantity == 100
    assert (r.block_start, r.block_end) == (385170050, 385170149)
    assert r.fields["project_id"] == "1718" and r.country == "CN" and r.vintage == "2016"
    assert r.fields["registry"] == "MER" and "program" not in r.fields
    assert r.unit_serial(1) == MYCARBON.replace("385170149", "385170050")
    assert r.unit_serial(100) == MYCARBON.replace("385170050", "385170149")
    with pytest.raises(SerialError):
        r.unit_serial(101)


@pytest.mark.parametrize(("serial", "scheme", "count"), [
    ("0001-000001-000100-VCS-VCU-003-VER-US-0003-01012020-31122020-1", "vcs", 100),
    ("9344-82392553-82392562-VCS-VCU-261-VER-US-14-1060-01012019-31122019-0", "vcs", 10),
    ("GS1-1-KE-GS7495-16-2025-30645-608-30350", "gold-standard", 29743),
])
def test_other_published_serials(serial: str, scheme: str, count: int) -> None:
    assert parse_serial(serial, scheme).quantity == count


def test_zero_padding_is_kept() -> None:
    r = parse_serial("0001-000001-000100-VCS-VCU-003-VER-US-0003-01012020-31122020-1", "vcs")
    assert r.unit_serial(7).startswith("0001-000007-000007-VCS-VCU")


@pytest.mark.parametrize(("serial", "scheme", "code"), [
    ("7331-385170149-385170050-VCU-013-MER-CN-14-1718-01012016-31122016-0", "vcs",
     "serial_reversed"),
    ("7331-385170050-VCU-013", "vcs", "serial_malformed"),
    ("7331-385170050-385170149-VCU-013-MER-CN-14-1718-32012016-31122016-0", "vcs",
     "serial_bad_date"),
    ("anything", "ccer", "serial_no_format"),
    ("x" * 10_000, "vcs", "serial_malformed"),
])
def test_serial_errors_name_what_is_wrong(serial: str, scheme: str, code: str) -> None:
    with pytest.raises(SerialError) as info:
        parse_serial(serial, scheme)
    assert info.value.code == code
    assert len(str(info.value)) < 1000
    assert scheme in str(info.value)


def test_unknown_scheme_suggests() -> None:
    with pytest.raises(UnknownSchemeError) as info:
        parse_serial(MYCARBON, "vcu")
    assert isinstance(info.value, LookupError) and isinstance(info.value, CarbonFootprintError)
    assert "vcs" in str(info.value)


# -- records ------------------------------------------------------------------------------

def _vcs(**kw: object) -> dict[str, object]:
    base: dict[str, object] = {"id": "mycarbon-2020", "scheme": "vcs", "quantity": 100,
                               "serials": [MYCARBON], "status": "retired",
                               "retired_on": "2020-03-07",
                               "beneficiary": "MyCarbon App of ECO2 Consensus",
                               "reason": "7,083 members offset 2019-11-14 to 2019-12-31"}
    base.update(kw)
    return base


def test_record_from_a_serial() -> None:
    r = retirement_record(_vcs())
    assert isinstance(r, RetirementRecord)
    assert r.project_id == "1718" and r.vintage == "2016" and r.host_country == "CN"
    assert r.registry is not None and "Verra" in r.registry
    assert r.capacity_tco2e == 100
    assert r.unit_serial(3) == MYCARBON.replace("385170050-385170149",
                                                "385170052-385170052")
    assert RetirementRecord.model_validate_json(r.model_dump_json()) == r


@pytest.mark.parametrize(("change", "code"), [
    ({"quantity": 99}, "quantity_mismatch"),
    ({"retired_on": None}, "retired_without_date"),
    ({"status": "purchased"}, "purchased_with_retired_date"),
    ({"project_id": "999"}, "serial_disagrees"),
    ({"purchased_on": "2021-01-01"}, "retired_before_purchase"),
    ({"price_per_unit": "5"}, "price_needs_currency"),
    ({"scheme": "vera"}, "scheme_unknown"),
    ({"quantity": 0}, "field_invalid"),
    ({"unit_tco2e": 1.0}, "field_invalid"),
])
def test_record_errors_name_record_and_field(change: dict[str, object], code: str) -> None:
    with pytest.raises(CreditError) as info:
        retirement_record(_vcs(**change), index=4)
    assert info.value.code == code
    text = str(info.value)
    if code not in ("scheme_unknown",):
        assert "mycarbon-2020" in text


def test_scheme_without_unit_size_needs_one() -> None:
    with pytest.raises(RecordError) as info:
        retirement_record({"id": "c1", "scheme": "cdcer", "quantity": 3, "status": "purchased"})
    assert info.value.code == "unit_size_unknown" and "cdcer" in str(info.value)
    rec = retirement_record({"id": "c1", "scheme": "cdcer", "quantity": 3, "unit_tco2e": "1",
                             "status": "purchased", "serials": ["CDCER-opaque-ref"]})
    assert rec.serial_ranges == () and rec.unit_serial(1) is None


def test_duplicate_record_ids() -> None:
    with pytest.raises(RecordError) as info:
        retirement_records([_vcs(), _vcs()])
    assert info.value.code == "record_id_duplicate"


def test_record_dates_are_dates() -> None:
    r = retirement_record(_vcs())
    assert r.retired_on == date(2020, 3, 7)


def test_every_error_code_has_templates_in_both_locales() -> None:
    en = yaml.safe_load((REPO / "src/carbon_footprint/locales/credits.en.yaml").read_text())
    zh = yaml.safe_load((REPO / "src/carbon_footprint/locales/credits.zh-CN.yaml").read_text())
    for section in en:
        assert set(en[section]) == set(zh[section]), section
    used: set[str] = set()
    for name in ("credits", "neutralize", "claims", "certificates", "leaderboard",
                 "_credit_errors"):
        text = (REPO / "src" / "carbon_footprint" / f"{name}.py").read_text("utf-8")
        used |= set(re.findall(r'(?:Error|add)\(\s*"([A-Za-z_]+)"', text))
    used = (used - {"scheme", "rule_set"}) | {"scheme_unknown", "rule_set_unknown"}
    known = set(en["errors"]) | set(en["findings"])
    assert used <= known, used - known
    placeholders = re.compile(r"{(\w+)")
    for section in en:
        for code, text in en[section].items():
            assert set(placeholders.findall(text)) == set(
                placeholders.findall(zh[section][code])), (section, code)
