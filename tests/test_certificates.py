"""Certificates: RFC 8785 canonical JSON, sha256, Ed25519, offline verify, tamper detection,
byte identity across processes, no floats, no over-claim, statement and renderings."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbon_footprint import calculate
from carbon_footprint._credit_errors import CertificateError, MissingExtraError
from carbon_footprint.certificates import (
    Certificate,
    canonical_json,
    certify,
    find_cjk_font,
    public_key,
    sign_bytes,
    statement,
    to_html,
    to_pdf,
    to_png,
    verify,
)
from carbon_footprint.claims import check_claim
from carbon_footprint.neutralize import Pool

from .conftest import REPO

try:  # the reference implementation, a test-only dependency
    import rfc8785
except ImportError:  # pragma: no cover
    rfc8785 = None

# RFC 8032 §7.1, TEST 1
SK1 = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
PK1 = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
SIG1 = bytes.fromhex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590"
                     "a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")

GUEST = [{"type": "flight", "origin": "PEK", "destination": "TFU", "cabin": "economy",
          "round_trip": True},
         {"type": "hotel", "nights": 3, "country": "CN"},
         {"type": "meal", "diet": "average", "count": 6},
         {"type": "metro", "distance": "18 km"}]

BUILD = """
import sys
from carbon_footprint import calculate
from carbon_footprint.neutralize import Pool
from carbon_footprint.certificates import certify
fp = calculate({guest!r})
recs = [{{"id": "cd-1", "scheme": "cdcer", "quantity": 3, "unit_tco2e": "1",
          "status": "retired", "retired_on": "2021-09-08", "vintage": "2020",
          "price_per_unit": "42.97", "currency": "CNY"}}]
res = Pool.of(recs).allocate([{{"holder": "g-1", "tco2e": "0.321"}},
                              {{"holder": "g-2", "tco2e": str(fp.total_tco2e)}}])
cert = certify(footprint=fp, holder={{"id": "g-2", "name": "张三"}},
               issuer={{"id": "https://example.org/platform", "name": "点点碳中和"}},
               subject={{"id": "cdcf-2021", "name": "首届中国数字碳中和高峰论坛"}},
               period=("2021-09-07", "2021-09-07"), allocations=[res.allocations[1]],
               records=recs, issued_at="2021-09-07T18:00:00+08:00",
               claim_form="platform_certificate", certificate_id="urn:uuid:1")
sys.stdout.buffer.write(cert.json_text.encode("utf-8"))
"""


def _cert(sign: bool = False, **kw: Any) -> tuple[Certificate, list[dict[str, Any]]]:
    fp = calculate(GUEST)
    recs: list[dict[str, Any]] = [
        {"id": "cd-1", "scheme": "cdcer", "quantity": 3, "unit_tco2e": "1",
         "status": "retired", "retired_on": "2021-09-08", "vintage": "2020",
         "price_per_unit": "42.97", "currency": "CNY"}]
    res = Pool.of(recs).allocate([{"holder": "g-1", "tco2e": "0.321"},
                                  {"holder": "g-2", "tco2e": str(fp.total_tco2e)}])
    chk = check_claim(rule_set="cn-mee-2019", emissions_tco2e=fp.total_tco2e, records=recs,
                      allocations=[res.allocations[1]])
    args: dict[str, Any] = dict(
        footprint=fp, holder={"id": "g-2", "name": "张三"},
        issuer={"id": "https://example.org/platform", "name": "点点碳中和"},
        subject={"id": "cdcf-2021", "name": "首届中国数字碳中和高峰论坛"},
        period=("2021-09-07", "2021-09-07"), allocations=[res.allocations[1]], records=recs,
        issued_at="2021-09-07T18:00:00+08:00", claim_form="platform_certificate",
        claim_check=chk, certificate_id="urn:uuid:1")
    args.update(kw)
    if sign:
        args["signing_key"] = SK1
        args["key_id"] = "https://example.org/platform#key-1"
    return certify(**args), recs


# -- RFC 8785 -------------------------------------------------------------------------------

def test_rfc8785_package_readme_example() -> None:
    foo = {"key": "value", "another-key": 2, "a-third": [1, 2, 3, [4], (5, 6, "this works too")],
           "more": [None, True, False]}
    out = canonical_json(foo)
    assert out == (b'{"a-third":[1,2,3,[4],[5,6,"this works too"]],"another-key":2,'
                   b'"key":"value","more":[null,true,false]}')
    assert hashlib.sha256(out).hexdigest() == \
        "5c501fde87caad7c535344b17a3c460c85867fef1939e0e362251ca7b6178275"


def test_rfc8785_section_3_2_2_example() -> None:
    """The RFC's own input (§3.2.2) and canonical output (§3.2.3)."""
    value = {"numbers": [333333333.33333329, 1e30, 4.50, 2e-3, 0.000000000000000000000000001],
             "string": "\u20ac$\u000f\u000aA'\u0042\u0022\u005c\\\"/",
             "literals": [None, True, False]}
    out = canonical_json(value, floats=True)
    assert out.decode("utf-8") == ('{"literals":[null,true,false],"numbers":[333333333.3333333,'
                                   '1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\'
                                   '\\"/"}')
    with pytest.raises(CertificateError) as info:
        canonical_json(value)
    assert info.value.code == "certificate_float" and "/numbers/0" in str(info.value)


def test_keys_sort_by_utf16_code_units() -> None:
    # U+1F600 (surrogates D83D DE00) sorts before U+FB33 in UTF-16, after it in code points
    assert canonical_json({"\ufb33": 1, "\U0001f600": 2}).decode() == \
        '{"\U0001f600":2,"\ufb33":1}'


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.text(max_size=8), children, max_size=5),
    max_leaves=25)


@pytest.mark.skipif(rfc8785 is None, reason="pip install rfc8785 (test only)")
@given(json_values)
def test_matches_the_rfc8785_package(value: Any) -> None:
    assert rfc8785 is not None
    assert canonical_json(value, floats=True) == rfc8785.dumps(value)


# -- Ed25519 --------------------------------------------------------------------------------

def test_rfc8032_test_1() -> None:
    pytest.importorskip("cryptography", reason="pip install carbon-footprint[sign]")
    assert public_key(SK1) == PK1
    assert sign_bytes(SK1, b"") == SIG1


# -- certificates -----------------------------------------------------------------------------

def _walk(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, (*path, i))
    else:
        yield path, value


def test_certificate_content_and_offline_verify() -> None:
    cert, _ = _cert()
    doc = cert.document
    cs = doc["credentialSubject"]
    assert doc["type"] == ["VerifiableCredential", "CarbonNeutralityCertificate"]
    assert cs["footprint"]["total_tco2e"] == cs["coverage"]["emissions_tco2e"] \
        == cs["coverage"]["covered_tco2e"]
    assert cs["coverage"]["status"] == "neutral"
    assert {t["id"] for t in cs["tables"]} >= {"desnz-2024", "credit-schemes", "claim-rules"}
    assert all(len(t["sha256"]) == 64 for t in cs["tables"])
    assert cs["allocations"][0]["start"] == "0.321"
    assert cs["claim"]["rule_set"] == "cn-mee-2019" and cs["claim"]["ok"] is True
    assert doc["validFrom"] == "2021-09-07T18:00:00+08:00"
    assert cert.sha256 == hashlib.sha256(canonical_json(doc)).hexdigest()
    v = verify(cert.json_text, sha256=cert.sha256)
    assert v.ok and v.anchored_by == ("sha256",), v.failed
    assert not verify(cert.json_text).ok  # nothing to anchor it


def test_no_float_anywhere() -> None:
    pytest.importorskip("cryptography", reason="pip install carbon-footprint[sign]")
    cert, _ = _cert(sign=True)
    leaves = list(_walk(json.loads(cert.json_text)))
    assert leaves and not any(isinstance(v, float) for _, v in leaves)
    assert all(isinstance(v, (str, int, bool, type(None))) for _, v in leaves)


def _mutated(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return value + "x"
    return "x"


def test_changing_any_field_breaks_verification() -> None:
    pytest.importorskip("cryptography", reason="pip install carbon-footprint[sign]")
    cert, _ = _cert(sign=True)
    doc = cert.document
    assert verify(doc, sha256=cert.sha256, public_key=PK1).ok
    leaves = list(_walk(doc))
    assert len(leaves) > 80
    for path, value in leaves:
        bad = copy.deepcopy(doc)
        target = bad
        for p in path[:-1]:
            target = target[p]
        target[path[-1]] = _mutated(value)
        signed_only = verify(bad, public_key=PK1)
        assert not signed_only.ok, path
        if path[0] != "proof":
            assert not verify(bad, sha256=cert.sha256).ok, path
    for key in [k for k in doc if k != "proof"]:
        bad = {k: v for k, v in doc.items() if k != key}
        assert not verify(bad, public_key=PK1).ok, key
    other = bytes(range(32))
    assert not verify(doc, public_key=public_key(other)).ok


def test_consistency_is_checked_even_when_resigned() -> None:
    """A document re-signed after its coverage was inflated still fails: the allocations
    do not add up to what it claims."""
    pytest.importorskip("cryptography", reason="pip install carbon-footprint[sign]")
    cert, _ = _cert()
    doc = cert.document
    doc["credentialSubject"]["footprint"]["total_tco2e"] = "5.000000"
    doc["credentialSubject"]["coverage"]["emissions_tco2e"] = "5.000000"
    sha = hashlib.sha256(canonical_json(doc)).hexdigest()
    v = verify(doc, sha256=sha)
    assert not v.ok
    assert {c.name for c in v.failed} >= {"claim_covered", "categories_add_up"}


def test_cannot_claim_more_than_allocated() -> None:
    fp = calculate(GUEST)
    recs = [{"id": "cd-1", "scheme": "cdcer", "quantity": 1, "unit_tco2e": "1",
             "status": "retired", "retired_on": "2021-09-08"}]
    res = Pool.of(recs).allocate([{"holder": "g", "tco2e": "0.5"}])
    base = dict(footprint=fp, holder="g", issuer="i", subject={"id": "e"},
                period=("2021-09-07", "2021-09-07"), allocations=res.allocations,
                records=recs, issued_at="2021-09-07T18:00:00+08:00")
    with pytest.raises(CertificateError) as info:
        certify(**base)  # type: ignore[arg-type]
    assert info.value.code == "certificate_overclaim"
    partial = certify(**base, claim="partial")  # type: ignore[arg-type]
    assert partial.document["credentialSubject"]["coverage"]["status"] == "partial"
    assert "部分" in statement(partial, "zh-CN")
    with pytest.raises(CertificateError, match="certificate of"):
        certify(**{**base, "holder": "someone-else"}, claim="partial")  # type: ignore[arg-type]
    with pytest.raises(CertificateError, match="time zone"):
        certify(**{**base, "issued_at": "2021-09-07T18:00:00"},  # type: ignore[arg-type]
                claim="partial")
    # the same allocation twice would count its coverage twice
    with pytest.raises(CertificateError) as twice:
        certify(**{**base, "allocations": [*res.allocations, *res.allocations]},
                claim="partial")  # type: ignore[arg-type]
    assert twice.value.code == "certificate_overlap"
    for bad in ({"holder": {"name": "x"}}, {"footprint": {"x": 1}}, {"period": ("2021-09-07",)},
                {"subject": ["x"]}, {"footprint": {"total_tco2e": "abc"}}):
        with pytest.raises(CertificateError):
            certify(**{**base, **bad}, claim="partial")  # type: ignore[arg-type]


def test_float_payload_is_refused() -> None:
    with pytest.raises(CertificateError) as info:
        _cert(footprint={"total_tco2e": "0.5", "by_category": {}, "method": {"x": 0.5}},
              claim="partial")
    assert info.value.code == "certificate_float"
    cert, _ = _cert()
    text = cert.json_text.replace('"unit":1,', '"unit":1.0,')
    v = verify(text, sha256=cert.sha256)
    assert not v.ok and "float" in v.checks[0].detail


def test_byte_identical_across_processes_and_hash_seeds() -> None:
    code = BUILD.format(guest=GUEST)
    outs = []
    for seed in ("0", "12345", "random"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env,
                              timeout=300, cwd=REPO)
        assert proc.returncode == 0, proc.stderr.decode()[-2000:]
        outs.append(proc.stdout)
    assert outs[0] == outs[1] == outs[2]
    assert verify(outs[0].decode("utf-8"),
                  sha256=hashlib.sha256(outs[0]).hexdigest()).ok


def test_bilingual_statement() -> None:
    cert, _ = _cert()
    zh, en = statement(cert, "zh-CN"), statement(cert, "en")
    total = cert.document["credentialSubject"]["footprint"]["total_tco2e"]
    assert "碳中和证书" in zh and "吨二氧化碳当量" in zh and total in zh
    assert "Certificate of carbon neutrality" in en and total in en
    assert cert.sha256 in zh and cert.sha256 in en
    assert "碳惠天府" in zh


def test_html_escapes_everything() -> None:
    cert, _ = _cert(holder={"id": "g-2", "name": "<script>alert(1)</script>"})
    page = to_html(cert)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert cert.sha256 in page and "碳中和证书" in page


def test_png_and_pdf_render() -> None:
    pytest.importorskip("PIL", reason="pip install carbon-footprint[render]")
    try:
        path, index = find_cjk_font()
    except MissingExtraError:
        pytest.skip("no CJK font (apt-get install fonts-noto-cjk)")
    from PIL import Image, ImageFont

    font = ImageFont.truetype(path, 40, index=index)
    # the glyphs exist: "碳" and an unassigned code point do not draw the same box
    assert font.getmask("碳").getbbox() != font.getmask("\U000f0000").getbbox()
    cert, _ = _cert()
    png = to_png(cert)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    import io

    img = Image.open(io.BytesIO(png))
    assert img.width == 1080 and 1000 < img.height < 4000
    pdf = to_pdf(cert)
    assert pdf[:5] == b"%PDF-"
    out = os.environ.get("CARBON_FOOTPRINT_RENDER_DIR")
    if out:  # keep the files to look at them
        with open(os.path.join(out, "certificate.png"), "wb") as fh:
            fh.write(png)
        with open(os.path.join(out, "certificate.pdf"), "wb") as fh:
            fh.write(pdf)


def test_missing_font_is_named() -> None:
    pytest.importorskip("PIL", reason="pip install carbon-footprint[render]")
    with pytest.raises(MissingExtraError) as info:
        find_cjk_font("/nonexistent/font.ttc")
    assert info.value.code == "font_missing" and "fonts-noto-cjk" in str(info.value)
    assert isinstance(info.value, ImportError)


def test_amounts_are_decimal_text() -> None:
    cert, _ = _cert()
    cs = cert.document["credentialSubject"]
    for value in (cs["footprint"]["total_tco2e"], *cs["footprint"]["by_category"].values(),
                  cs["coverage"]["covered_tco2e"], cs["allocations"][0]["tco2e"]):
        assert isinstance(value, str) and Decimal(value) >= 0
