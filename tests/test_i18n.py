"""Locales: the zh-CN catalogue has no gap, labels cover the whole vocabulary, Chinese formatting
and inputs, and English output is byte-identical to what it was before locales existed."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal
from typing import Any, Literal, get_args, get_origin

import pytest
import yaml

import carbon_footprint as cf
from carbon_footprint._i18n import catalogue, format_money, format_tonnes
from carbon_footprint._registry import CATEGORIES
from carbon_footprint.activities.purchase import CATEGORY_ALIASES

from .conftest import REPO

PLACEHOLDER = re.compile(r"\{(\w+)(?:![rsa])?\}")
GOLDEN = REPO / "tests" / "fixtures" / "golden"


def _flat(node: Any, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    if isinstance(node, dict):
        for k, v in node.items():
            out.update(_flat(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(node, str):
        out[prefix] = node
    return out


EN, ZH = _flat(catalogue("en")), _flat(catalogue("zh-CN"))
_LOCALES = REPO / "src" / "carbon_footprint" / "locales"
#: the credit modules' own catalogue (loaded by _credit_errors), checked the same way
CREDITS_EN, CREDITS_ZH = (
    _flat(yaml.safe_load((_LOCALES / f"credits.{loc}.yaml").read_text("utf-8")))
    for loc in ("en", "zh-CN"))


def _choices() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for spec in cf.activity_types().values():
        for name, info in spec.model.model_fields.items():
            for arg in (info.annotation, *get_args(info.annotation)):
                if get_origin(arg) is Literal and name != "type":
                    out.setdefault(name, set()).update(get_args(arg))
    return out


@pytest.mark.parametrize(("en", "zh"), [(EN, ZH), (CREDITS_EN, CREDITS_ZH)],
                         ids=["main", "credits"])
def test_every_english_entry_has_a_chinese_one_with_the_same_placeholders(
        en: dict[str, str], zh: dict[str, str]) -> None:
    missing = sorted(set(en) - set(zh) - {"locale"})
    assert not missing, f"zh-CN lacks {missing}"
    for key, text in en.items():
        if key == "locale":
            continue
        assert set(PLACEHOLDER.findall(zh[key])) == set(PLACEHOLDER.findall(text)), key


def test_every_code_and_vocabulary_item_has_a_label() -> None:
    labels = {loc: cf.labels(loc) for loc in ("en", "zh-CN")}
    needed: list[tuple[str, str]] = []
    for atype, spec in cf.activity_types().items():
        needed.append(("types", atype))
        needed.extend(("fields", f) for f in spec.model.model_fields)
    needed.extend(("categories", c) for c in CATEGORIES)
    for field, values in _choices().items():
        needed.extend((f"choices.{field}", v) for v in values)
    needed.extend(("choices.category", c) for c in CATEGORY_ALIASES)
    needed.extend(("units", u) for u in ("passenger_km", "room_night", "meal", "km", "kg", "USD",
                                         "kWh", "m^3", "tCO2e", "CNY"))
    for loc, data in labels.items():
        for section, key in needed:
            where = data
            for part in section.split("."):
                where = where.get(part, {})
            assert key in where and catalogue(loc).get(section.split(".")[0]), \
                f"{loc}: no label {section}.{key}"
    # every error and notice code the library can raise has a message in both locales
    # (the credit modules render from their own catalogue, checked above)
    credit = {"credits.py", "neutralize.py", "claims.py", "certificates.py", "leaderboard.py",
              "_credit_errors.py"}
    source = "\n".join(p.read_text("utf-8") for p in (REPO / "src").rglob("*.py")
                       if p.name not in credit)
    raised = set(re.findall(r'(?:Error|notice)\(\s*"([a-z_]+)"', source))
    raised |= set(re.findall(r'code="([a-z_]+)"', source))
    known = {k.split(".")[1] for k in EN if k.startswith(("errors.", "notices."))}
    assert raised - known <= {"invalid_argument"}, sorted(raised - known)


def test_mee_category_labels_match_the_event_module() -> None:
    from carbon_footprint.event import MEE_CATEGORIES

    for key, (zh, en) in MEE_CATEGORIES.items():
        assert cf.labels("en")["mee_categories"][key] == en
        assert cf.labels("zh-CN")["mee_categories"][key] == zh


def test_label_catalogue_coverage_figures(capsys: pytest.CaptureFixture[str]) -> None:
    """The coverage report: entries per section in each locale (printed with -s)."""
    sections = sorted({k.split(".")[0] for k in EN} - {"locale"})
    for s in sections:
        en = sum(1 for k in EN if k.startswith(s + "."))
        zh = sum(1 for k in ZH if k.startswith(s + "."))
        assert zh >= en, s
        print(f"{s:12} en {en:4d}  zh-CN {zh:4d}")


def test_english_output_is_byte_identical() -> None:
    out = subprocess.run([sys.executable, str(GOLDEN / "make.py"), "-"], capture_output=True,
                         text=True, cwd=REPO)
    assert out.returncode == 0, out.stderr
    made = json.loads(out.stdout)
    for name, text in made.items():
        golden = (GOLDEN / name).read_text("utf-8")
        if name.endswith(".json"):  # the version moves with releases, nothing else may
            golden, text = (re.sub(r'"library_version": "[^"]*"', "", t) for t in (golden, text))
        assert text == golden, name


def test_chinese_formatting() -> None:
    assert format_tonnes(Decimal("0.461"), "zh-CN") == "0.461 吨二氧化碳当量"
    assert format_tonnes(12_345.6, "zh-CN") == "1.23 万吨二氧化碳当量"
    assert "公吨" not in json.dumps(catalogue("zh-CN"), ensure_ascii=False)
    assert format_money(Decimal("60"), "CNY", "zh-CN") == "¥60.00"
    fp = cf.calculate([{"type": "flight", "origin": "PEK", "destination": "TFU"},
                       {"type": "hotel", "nights": 2, "country": "CN"}],
                      offset={"price_per_credit": "60", "currency": "CNY"})
    text = fp.summary(locale="zh-CN")
    assert text.startswith("碳足迹：0.274 吨二氧化碳当量")
    assert "出行" in text and "住宿" in text and "公里" in text and "¥60.00" in text
    assert fp.summary() == fp.summary(locale="en")


@pytest.mark.parametrize("typed", ["四川", "四川省", "CN-51", "51", "510000", "cn-sc", "CN-SC"])
def test_chinese_region_inputs(typed: str) -> None:
    fp = cf.calculate([{"type": "electricity", "energy": "100 kWh", "region": typed}])
    assert fp.lines[0].factor.factor_id == "electricity.cn-sc"


def test_every_provincial_division_is_read() -> None:
    data = yaml.safe_load((REPO / "src/carbon_footprint/locales/cn-regions.yaml").read_text(
        "utf-8"))
    assert len(data["divisions"]) == 34
    for row in data["divisions"]:
        for typed in (*row["zh"], row["gb"], f"CN-{row['gb']}"):
            act = cf.Hotel.model_validate({"type": "hotel", "nights": 1, "country": typed})
            assert act.country == row["iso"], typed
        assert row["iso"] in cf.labels("zh-CN")["regions"]


@pytest.mark.parametrize(("typed", "field", "code"), [
    ("China", "country", "country_unknown"), ("Sichuan", "region", "region_unknown")])
def test_english_names_suggest_the_code(typed: str, field: str, code: str) -> None:
    act = {"type": "hotel", "nights": 1, "country": typed} if field == "country" else \
        {"type": "rail", "distance": "10 km", "region": typed}
    with pytest.raises(cf.UnknownCodeError) as info:
        cf.calculate([act])
    assert info.value.code == code and info.value.suggestions == [
        "CN" if typed == "China" else "CN-SC"]
    assert cf.calculate([{"type": "hotel", "nights": 1, "country": "中国"}]).lines[0].factor \
        .factor_id == "hotel.cn"


def test_error_messages_in_chinese_keep_english_str() -> None:
    with pytest.raises(cf.UnknownCodeError) as info:
        cf.calculate([{"type": "flight", "origin": "EPK", "destination": "TFU"}])
    err = info.value
    assert str(err).startswith("activity #0 (flight) field 'origin': unknown IATA airport code")
    zh = err.message_in("zh-CN")
    assert "未知的 IATA 机场代码" in zh and "出发机场" in zh and "'PEK'" in zh
    assert err.to_dict("zh")["message"] == zh and err.to_dict()["message"] == str(err)
    with pytest.raises(cf.ActivityError) as info2:
        cf.calculate([{"type": "car", "distance": "66 kg"}])
    assert info2.value.message_in("zh-CN").endswith("应为 带单位的距离，例如 '350 km', '217.5 mi'")
