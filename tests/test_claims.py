"""Claim checks under named, cited rule sets: each finding code from a small case."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from carbon_footprint._credit_errors import UnknownSchemeError
from carbon_footprint.claims import add_months, check_claim, load_rules, rule_sets
from carbon_footprint.errors import TableError
from carbon_footprint.neutralize import Pool

from .conftest import REPO

MYCARBON = "7331-385170050-385170149-VCU-013-MER-CN-14-1718-01012016-31122016-0"


def _ccer(rid: str = "c1", n: int = 2, **kw: object) -> dict[str, object]:
    rec: dict[str, object] = {"id": rid, "scheme": "ccer", "quantity": n, "status": "retired",
                              "retired_on": "2021-09-20", "project_id": "P1", "vintage": "2021"}
    rec.update(kw)
    return rec


def test_rule_sets_and_every_rule_cites_a_source() -> None:
    cat = rule_sets()
    assert set(cat.ids) == {"integrity", "cn-mee-2019", "guangdong-2026",
                            "chongqing-tanhuitong", "iso-14068-1-2023", "pas-2060-2014"}
    for rs_id in cat.ids:
        rs = cat.get(rs_id)
        for rule in rs.rules:
            assert rule.sources and all(cat.sources[k].url for k in rule.sources)
            assert rule.statement
    # what could not be sourced is said, not guessed
    assert any("deadline" in n for n in cat.get("cn-mee-2019").not_found)
    assert not any(r.check == "deadline" for r in cat.get("cn-mee-2019").rules)
    assert not any(r.check == "deadline" for r in cat.get("pas-2060-2014").rules)


def test_clean_claim_passes() -> None:
    r = check_claim(rule_set="guangdong-2026", emissions_tco2e="1.5", records=[_ccer()],
                    period_end=date(2021, 9, 7), claim_form="self_declaration")
    assert r.ok and r.findings == ()
    assert r.covered_tco2e == 2 and r.rules_applied[:3] == ("retired", "unique-serials",
                                                            "one-project-vintage")


def test_under_covered() -> None:
    r = check_claim(rule_set="cn-mee-2019", emissions_tco2e="2.000001", records=[_ccer()])
    assert r.codes == ("UNDER_COVERED",) and not r.ok
    f = r.findings[0]
    assert f.params["shortfall"] == "0.000001"
    assert f.sources[0].url.startswith("http")
    assert "0.000001" in f.render("zh-CN")


def test_not_retired() -> None:
    r = check_claim(rule_set="cn-mee-2019", emissions_tco2e="1",
                    records=[_ccer(status="purchased", retired_on=None)])
    assert r.codes == ("NOT_RETIRED",) and r.findings[0].record == "c1"


def test_retired_too_late_and_deadline_arithmetic() -> None:
    assert add_months(date(2021, 1, 31), 1) == date(2021, 2, 28)
    assert add_months(date(2020, 2, 29), 12) == date(2021, 2, 28)
    ok = check_claim(rule_set="iso-14068-1-2023", emissions_tco2e="1",
                     records=[_ccer(retired_on="2022-09-07")], period_end=date(2021, 9, 7))
    assert ok.ok
    late = check_claim(rule_set="iso-14068-1-2023", emissions_tco2e="1",
                       records=[_ccer(retired_on="2022-09-08")], period_end=date(2021, 9, 7))
    assert late.codes == ("RETIRED_TOO_LATE",)
    assert late.findings[0].params["deadline"] == "2022-09-07"
    unchecked = check_claim(rule_set="guangdong-2026", emissions_tco2e="1", records=[_ccer()],
                            claim_form="self_declaration")
    assert unchecked.codes == ("DEADLINE_UNCHECKED",) and unchecked.ok  # a warning


def test_double_counted_serials_and_units() -> None:
    a = {"id": "v1", "scheme": "vcs", "quantity": 100, "serials": [MYCARBON],
         "status": "retired", "retired_on": "2020-03-07"}
    b = dict(a, id="v2", quantity=10,
             serials=[MYCARBON.replace("385170050-385170149", "385170140-385170149")])
    r = check_claim(rule_set="integrity", emissions_tco2e="1", records=[a, b])
    assert r.codes == ("DOUBLE_COUNTED",) and r.findings[0].record == "v2"
    # the ledger already holds one of the units for another claim
    r = check_claim(rule_set="integrity", emissions_tco2e="1", records=[a],
                    claimed_elsewhere=[MYCARBON.replace("385170050-385170149",
                                                        "385170060-385170060")])
    assert r.codes == ("DOUBLE_COUNTED",)
    # two allocations of the same part of a unit
    res = Pool.of([_ccer()]).allocate([{"holder": "x", "tco2e": "0.5"}])
    r = check_claim(rule_set="integrity", emissions_tco2e="1", records=[_ccer()],
                    allocations=[*res.allocations, res.allocations[0].model_copy(
                        update={"holder": "y"})])
    assert "DOUBLE_COUNTED" in r.codes


def test_ineligible_types() -> None:
    vcs = {"id": "v1", "scheme": "vcs", "quantity": 100, "serials": [MYCARBON],
           "status": "retired", "retired_on": "2020-03-07"}
    r = check_claim(rule_set="cn-mee-2019", emissions_tco2e="1", records=[vcs])
    assert r.codes == ("INELIGIBLE_TYPE",)
    assert r.findings[0].params["reason_code"] == "type_not_listed"
    cer = _ccer(scheme="cdm-cer", host_country="IN", project_id="1234")
    r = check_claim(rule_set="cn-mee-2019", emissions_tco2e="1", records=[cer])
    assert r.codes == ("INELIGIBLE_TYPE",)
    assert r.findings[0].params["reason_code"] == "host_country"
    r = check_claim(rule_set="chongqing-tanhuitong", emissions_tco2e="1", records=[_ccer()],
                    claim_form="platform_certificate")
    assert r.codes == ("INELIGIBLE_TYPE",)
    cdcer = _ccer(scheme="cdcer", unit_tco2e="1")
    r = check_claim(rule_set="cn-mee-2019", emissions_tco2e="1", records=[cdcer])
    assert r.codes == ("ELIGIBILITY_UNKNOWN",) and r.ok


def test_mixed_lot() -> None:
    other = MYCARBON.replace("385170050-385170149", "1-10").replace("-1718-", "-981-")
    rec = {"id": "v1", "scheme": "vcs", "quantity": 110, "serials": [MYCARBON, other],
           "status": "retired", "retired_on": "2020-03-07"}
    r = check_claim(rule_set="integrity", emissions_tco2e="1", records=[rec])
    assert r.codes == ("MIXED_LOT",)


def test_claim_forms() -> None:
    r = check_claim(rule_set="chongqing-tanhuitong", emissions_tco2e="1",
                    records=[_ccer(scheme="cqcer", unit_tco2e="1")],
                    claim_form="self_declaration")
    assert r.codes == ("CLAIM_FORM_NOT_ALLOWED",)


def test_unknown_rule_set() -> None:
    with pytest.raises(UnknownSchemeError, match="cn-mee-2019"):
        check_claim(rule_set="cn-mee", emissions_tco2e="1", records=[_ccer()])


def test_bad_rules_file(tmp_path: Path) -> None:
    text = (REPO / "factors" / "credits" / "claim-rules.yaml").read_text("utf-8")
    p = tmp_path / "rules.yaml"
    p.write_text(text.replace("    sources: [gd-notice-2026]\n", "    sources: []\n", 1),
                 "utf-8")
    with pytest.raises(TableError, match="sources"):
        load_rules(p)


def test_findings_render_in_chinese_without_english_reasons() -> None:
    vcs = {"id": "v1", "scheme": "vcs", "quantity": 100, "serials": [MYCARBON],
           "status": "purchased"}
    r = check_claim(rule_set="cn-mee-2019", emissions_tco2e="200", records=[vcs])
    assert set(r.codes) == {"NOT_RETIRED", "UNDER_COVERED", "INELIGIBLE_TYPE"}
    zh = {f.code: f.render("zh-CN") for f in r.findings}
    assert "尚未注销" in zh["NOT_RETIRED"] and "缺口 100 tCO2e" in zh["UNDER_COVERED"]
    assert "不在规则集允许的类型中" in zh["INELIGIBLE_TYPE"]
    assert all(f.message == f.render("en") for f in r.findings)
