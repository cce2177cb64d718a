"""Verifiable electronic certificates of carbon neutrality.

A certificate is a JSON document in the shape of a W3C Verifiable Credential (``@context``,
``type``, ``issuer``, ``validFrom``, ``credentialSubject``, optional ``proof``) whose subject
holds everything a third party needs to check the claim later, offline: the holder, the event or
scene, the period, the footprint total and by category (decimal strings), the method profile and
library version, every table behind the numbers (and the credit catalogues) with edition and
sha256, the allocations with their records, units and serials, the coverage, the claim form and
the claim check. The issue time is given by the caller (the library never reads a clock).

The document is canonicalized with RFC 8785 (JSON Canonicalization Scheme) - object keys sorted
by UTF-16 code units, no whitespace, strings escaped as ECMAScript's ``JSON.stringify`` does - and
its sha256 is the certificate's fingerprint (print it, or keep it in the platform's ledger). An
optional Ed25519 signature (RFC 8032; the ``[sign]`` extra, ``cryptography``) covers the
canonical document with the proof's own fields. :func:`verify` checks a document offline: the
fingerprint or the signature, that no float appears, and that the numbers agree with each other
(allocations add up to the coverage, a "neutral" claim is covered, categories add up to the
total). The proof is this library's own (``type`` ``CarbonFootprintEd25519Signature``); it is not
a W3C Data Integrity cryptosuite, whose test vectors could not be checked here.

The payload holds no float: exact amounts are decimal strings; :func:`canonical_json` refuses
floats unless asked (the RFC's own number examples are tested with ``floats=True``).

Renderings: :func:`statement` (zh-CN / en text), :func:`to_html` (a printable page, every value
escaped), :func:`to_png` and :func:`to_pdf` (a phone-shareable card, needs the ``[render]`` extra,
Pillow, and a font with Chinese glyphs such as Debian's ``fonts-noto-cjk``).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html
import io
import json
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from string import Template
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from ._credit_errors import (
    CertificateError,
    MissingExtraError,
    UnknownSchemeError,
    credit_catalogue,
    render_credit,
)
from ._i18n import normalize_locale
from ._text import brief, clip
from ._version import __version__
from .claims import ClaimCheck, rule_sets
from .credits import RetirementRecord, get_scheme, plain, retirement_records, schemes
from .neutralize import Allocation, tidy
from .results import Footprint

__all__ = [
    "PROOF_TYPE",
    "Certificate",
    "Check",
    "Verification",
    "canonical_json",
    "certify",
    "find_cjk_font",
    "statement",
    "to_html",
    "to_pdf",
    "to_png",
    "verify",
]

#: ``proof.type`` of the library's Ed25519 signature over the RFC 8785 canonical document.
PROOF_TYPE = "CarbonFootprintEd25519Signature"
CONTEXT = "https://www.w3.org/ns/credentials/v2"
CREDENTIAL_TYPE = "CarbonNeutralityCertificate"
_MAX_SAFE_INT = 2**53 - 1

# -- RFC 8785 ---------------------------------------------------------------------------------

_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n",
                  "\r": "\\r", "\t": "\\t"}


def _string(text: str, path: str) -> str:
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[ch])
        elif code < 0x20:
            out.append(f"\\u{code:04x}")
        elif 0xD800 <= code <= 0xDFFF:
            raise CertificateError("certificate_type", {"type": "lone surrogate in a string",
                                                        "path": path})
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _es_number(x: float) -> str:
    """ECMAScript Number::toString for a finite double (RFC 8785 §3.2.2.3)."""
    if x == 0:
        return "0"
    if x < 0:
        return "-" + _es_number(-x)
    _, digits, exp = Decimal(repr(x)).as_tuple()
    ds = "".join(map(str, digits)).rstrip("0") or "0"
    assert isinstance(exp, int)
    k = len(ds)
    n = exp + len(digits)  # x = 0.ds x 10**n
    if k <= n <= 21:
        return ds + "0" * (n - k)
    if 0 < n <= 21:
        return ds[:n] + "." + ds[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + ds
    e = n - 1
    mant = ds[0] + ("." + ds[1:] if k > 1 else "")
    return f"{mant}e{'+' if e >= 0 else '-'}{abs(e)}"


def _utf16_key(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")


def _canon(value: Any, path: str, floats: bool, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        if abs(value) > _MAX_SAFE_INT:
            raise CertificateError("certificate_integer_range", {"path": path})
        out.append(str(value))
    elif isinstance(value, float):
        if not floats:
            raise CertificateError("certificate_float", {"path": path, "value": repr(value)})
        if not math.isfinite(value):
            raise CertificateError("certificate_type", {"type": "non-finite number",
                                                        "path": path})
        out.append(_es_number(value))
    elif isinstance(value, str):
        out.append(_string(value, path))
    elif isinstance(value, Mapping):
        keys = list(value)
        for k in keys:
            if not isinstance(k, str):
                raise CertificateError("certificate_type", {"type": "non-text object key",
                                                            "path": path})
        out.append("{")
        for i, k in enumerate(sorted(keys, key=_utf16_key)):
            if i:
                out.append(",")
            out.append(_string(k, path))
            out.append(":")
            _canon(value[k], f"{path}/{clip(k, 40)}", floats, out)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _canon(item, f"{path}/{i}", floats, out)
        out.append("]")
    else:
        raise CertificateError("certificate_type", {"type": type(value).__name__, "path": path})


def canonical_json(value: Any, *, floats: bool = False) -> bytes:
    """RFC 8785 canonical UTF-8 JSON of ``value``.

    Parameters
    ----------
    value : JSON-like
        dicts (text keys), lists/tuples, text, ints within +/-(2**53-1), bools, None.
    floats : bool
        Allow binary floats, serialized as ECMAScript does (RFC 8785 §3.2.2.3). Off by
        default: certificate amounts are decimal strings, and a float is an error.

    Raises
    ------
    CertificateError
        Naming the JSON path of a float (``certificate_float``), an out-of-range integer or an
        unsupported type.

    Examples
    --------
    >>> canonical_json({"b": [1, None, True], "a": "\u20ac"})
    b'{"a":"\\xe2\\x82\\xac","b":[1,null,true]}'
    """
    out: list[str] = []
    _canon(value, "", floats, out)
    return "".join(out).encode("utf-8")


# -- the certificate ------------------------------------------------------------------------

class Certificate(BaseModel):
    """A certificate: its JSON document (canonical text) and fingerprint.

    Attributes
    ----------
    json_text : str
        The whole document (with ``proof`` when signed), RFC 8785 canonical.
    sha256 : str
        sha256 [hex] of the canonical document *without* ``proof`` - the fingerprint printed on
        the certificate and kept in the ledger.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    json_text: str
    sha256: str

    @property
    def document(self) -> dict[str, Any]:
        """The document as a fresh dict (decimal amounts are strings)."""
        doc: dict[str, Any] = json.loads(self.json_text)
        return doc

    @property
    def canonical(self) -> bytes:
        """The canonical bytes of the whole document."""
        return self.json_text.encode("utf-8")

    @property
    def signed(self) -> bool:
        return "proof" in self.document

    def statement(self, locale: str = "zh-CN") -> str:
        return statement(self, locale)


def _iso_time(value: datetime | str) -> str:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise CertificateError("certificate_time", {"value": brief(value, 60)}) from None
    elif isinstance(value, datetime):
        parsed = value
    else:
        raise CertificateError("certificate_time", {"value": brief(value, 60)})
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise CertificateError("certificate_time", {"value": brief(value, 60)})
    return parsed.isoformat()


def _iso_date(value: date | str, what: str) -> str:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise CertificateError("certificate_not_json", {
            "detail": f"{what} must be a date YYYY-MM-DD; got {brief(value, 40)}"}) from None


def _text(value: Any, limit: int = 200) -> str:
    return clip(str(value), limit)


def _footprint_part(fp: Footprint | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(fp, Footprint):
        return {
            "total_tco2e": plain(fp.total_tco2e),
            "by_category": {k: plain(v) for k, v in fp.by_category.items()},
            "method": {"profile": fp.method.name, "version": fp.method.version,
                       "settings": {k: (list(v) if isinstance(v, tuple) else v)
                                    for k, v in fp.method.settings().items()},
                       "overrides": list(fp.method.overrides)},
            "tables": [{"id": t.id, "kind": t.kind, "edition": t.edition,
                        "revision": t.revision, "sha256": t.sha256} for t in fp.tables],
            "library_version": fp.library_version,
        }
    total = Decimal(str(fp["total_tco2e"]))
    cats = {str(k): plain(Decimal(str(v))) for k, v in (fp.get("by_category") or {}).items()}
    return {"total_tco2e": plain(total), "by_category": cats,
            "method": dict(fp.get("method") or {}), "tables": list(fp.get("tables") or []),
            "library_version": str(fp.get("library_version") or __version__)}


def certify(*, footprint: Footprint | Mapping[str, Any], holder: str | Mapping[str, str],
            issuer: str | Mapping[str, str], subject: Mapping[str, str],
            period: tuple[date | str, date | str], allocations: Sequence[Allocation],
            records: Sequence[RetirementRecord | Mapping[str, Any]],
            issued_at: datetime | str, claim: Literal["carbon_neutral", "partial"] =
            "carbon_neutral", claim_form: str | None = None,
            claim_check: ClaimCheck | None = None, certificate_id: str | None = None,
            signing_key: bytes | None = None, key_id: str | None = None) -> Certificate:
    """Build a certificate for one holder's (or one event's) neutralized footprint.

    Parameters
    ----------
    footprint : Footprint or mapping
        The footprint (``calculate``'s result); or a mapping with ``total_tco2e`` [tCO2e]
        and optionally ``by_category``, ``method``, ``tables``, ``library_version``.
    holder : str or mapping
        Holder id (``{"id": ..., "name": ...}`` to add a display name).
    issuer : str or mapping
        Issuer id (a URL, DID or name; ``{"id", "name"}``).
    subject : mapping
        The event or scene: ``{"id", "name"}`` and optionally ``"kind"`` (event, scene).
    period : (date, date)
        First and last day covered.
    allocations : sequence of Allocation
        This holder's allocations (from :meth:`carbon_footprint.neutralize.Pool.allocate`).
    records : sequence of RetirementRecord or mappings
        The records the allocations name (scheme, registry, project, vintage, status).
    issued_at : datetime or ISO 8601 text with a time zone
        The issue time, given by the caller.
    claim : {"carbon_neutral", "partial"}
        ``carbon_neutral`` needs the allocations to cover the footprint's total.
    claim_form : str, optional
        How the claim is made (``self_declaration``, ``third_party_certificate``,
        ``platform_certificate``).
    claim_check : ClaimCheck, optional
        The result of :func:`carbon_footprint.claims.check_claim`, summarised on the document.
    certificate_id : str, optional
        The document's ``id`` (e.g. ``urn:uuid:...``).
    signing_key : bytes, optional
        A 32-byte Ed25519 private key (raw): signs the document (needs ``[sign]``).
    key_id : str, optional
        ``proof.verificationMethod``: where verifiers find the public key.

    Raises
    ------
    CertificateError
        ``certificate_overclaim`` when ``claim="carbon_neutral"`` and the allocations cover less
        than the total; an allocation of another holder; a slice naming an unknown record; a
        float anywhere; an issue time without a time zone.
    """
    for name, value in (("holder", holder), ("issuer", issuer)):
        if not isinstance(value, str) and not (isinstance(value, Mapping)
                                               and isinstance(value.get("id"), str)):
            raise CertificateError("certificate_argument", {
                "argument": name, "expected": "an id (text) or a mapping with an 'id'",
                "value": brief(value)})
    if not isinstance(subject, Mapping):
        raise CertificateError("certificate_argument", {
            "argument": "subject", "expected": "a mapping with 'id' and 'name'",
            "value": brief(subject)})
    if isinstance(period, (str, bytes)) or not hasattr(period, "__len__") or len(period) != 2:
        raise CertificateError("certificate_argument", {
            "argument": "period", "expected": "(first day, last day)", "value": brief(period)})
    hold = {"id": _text(holder)} if isinstance(holder, str) else \
        {k: _text(v) for k, v in holder.items()}
    iss = {"id": _text(issuer)} if isinstance(issuer, str) else \
        {k: _text(v) for k, v in issuer.items()}
    recs = {r.id: r for r in retirement_records(records)}
    try:
        fpart = _footprint_part(footprint)
        total = Decimal(fpart["total_tco2e"])
    except (KeyError, TypeError, ArithmeticError, ValueError, AttributeError):
        raise CertificateError("certificate_argument", {
            "argument": "footprint", "expected": "a Footprint, or a mapping with a decimal "
            "total_tco2e >= 0", "value": brief(footprint)}) from None
    if not total.is_finite() or total < 0:
        raise CertificateError("certificate_argument", {
            "argument": "footprint", "expected": "a total_tco2e >= 0", "value": str(total)})
    seen: dict[tuple[str, int], list[tuple[Decimal, Decimal]]] = {}
    alloc_out: list[dict[str, Any]] = []
    covered = Decimal(0)
    for a in allocations:
        if a.holder != hold["id"]:
            raise CertificateError("certificate_allocation_holder", {
                "found": clip(a.holder, 100), "holder": clip(hold["id"], 100)})
        for s in a.slices:
            rec = recs.get(s.record)
            if rec is None:
                raise CertificateError("certificate_record_missing", {"record": clip(s.record,
                                                                                     100)})
            for lo, hi in seen.get((s.record, s.unit), []):
                if s.start < hi and lo < s.end:  # the same part of a unit given twice
                    raise CertificateError("certificate_overlap", {
                        "record": clip(s.record, 100), "unit": s.unit})
            seen.setdefault((s.record, s.unit), []).append((s.start, s.end))
            covered += s.tco2e
            entry: dict[str, Any] = {
                "record": rec.id, "scheme": rec.scheme, "registry": rec.registry,
                "project_id": rec.project_id, "project_name": rec.project_name,
                "vintage": rec.vintage, "unit": s.unit, "unit_tco2e": plain(
                    tidy(rec.unit_tco2e or Decimal(1))),
                "serial": s.serial, "start": plain(s.start), "end": plain(s.end),
                "tco2e": plain(s.tco2e), "status": rec.status,
                "retired_on": None if rec.retired_on is None else rec.retired_on.isoformat(),
                "beneficiary": rec.beneficiary}
            alloc_out.append(entry)
    status = "neutral" if covered >= total else "partial"
    if claim == "carbon_neutral" and covered < total:
        raise CertificateError("certificate_overclaim", {
            "claim": "carbon_neutral", "emissions": plain(total), "covered": plain(covered)})
    cat, rules = schemes(), rule_sets()
    tables = [*fpart["tables"],
              {"id": cat.id, "kind": "credit_schemes", "edition": cat.compiled,
               "revision": cat.revision, "sha256": cat.sha256},
              {"id": rules.id, "kind": "claim_rules", "edition": rules.compiled,
               "revision": rules.revision, "sha256": rules.sha256}]
    cs: dict[str, Any] = {
        "id": hold["id"], "holder": hold,
        "subject": {k: _text(v) for k, v in subject.items()},
        "period": {"start": _iso_date(period[0], "period start"),
                   "end": _iso_date(period[1], "period end")},
        "footprint": {"total_tco2e": fpart["total_tco2e"], "by_category": fpart["by_category"],
                      "unit": "tCO2e"},
        "method": {**fpart["method"], "library": "carbon_footprint",
                   "library_version": fpart["library_version"]},
        "tables": tables,
        "allocations": alloc_out,
        "coverage": {"emissions_tco2e": plain(total), "covered_tco2e": plain(tidy(covered)),
                     "status": status},
        "claim": {"type": claim, "form": claim_form},
    }
    if claim_check is not None:
        cs["claim"].update({
            "rule_set": claim_check.rule_set, "ok": claim_check.ok,
            "rules_sha256": claim_check.rules_sha256,
            "findings": [{"code": f.code, "severity": f.severity, "rule": f.rule,
                          "record": f.record} for f in claim_check.findings]})
    doc: dict[str, Any] = {
        "@context": [CONTEXT], "type": ["VerifiableCredential", CREDENTIAL_TYPE],
        "issuer": iss, "validFrom": _iso_time(issued_at), "credentialSubject": cs}
    if certificate_id is not None:
        doc["id"] = _text(certificate_id, 300)
    body = canonical_json(doc)
    digest = hashlib.sha256(body).hexdigest()
    if signing_key is not None:
        doc["proof"] = _sign(doc, signing_key, key_id, doc["validFrom"])
    return Certificate(json_text=canonical_json(doc).decode("utf-8"), sha256=digest)


def _crypto() -> Any:
    try:
        from cryptography.hazmat.primitives.asymmetric import ed25519
    except ImportError as exc:
        raise MissingExtraError("extra_missing", {"feature": "Ed25519 signing", "extra": "sign",
                                                  "detail": clip(str(exc), 100)}) from None
    return ed25519


def _key_bytes(key: bytes, size: int, what: str) -> bytes:
    if not isinstance(key, (bytes, bytearray)) or len(key) != size:
        got = f"{len(key)} bytes" if isinstance(key, (bytes, bytearray)) else \
            type(key).__name__
        raise CertificateError("key_invalid", {"what": what, "size": size, "got": got})
    return bytes(key)


def public_key(signing_key: bytes) -> bytes:
    """The raw 32-byte Ed25519 public key of a raw 32-byte private key (needs ``[sign]``)."""
    ed = _crypto()
    sk = ed.Ed25519PrivateKey.from_private_bytes(_key_bytes(signing_key, 32, "signing_key"))
    raw: bytes = sk.public_key().public_bytes_raw()
    return raw


def sign_bytes(signing_key: bytes, message: bytes) -> bytes:
    """Ed25519 (RFC 8032) signature of ``message`` [64 bytes] (needs ``[sign]``)."""
    ed = _crypto()
    sk = ed.Ed25519PrivateKey.from_private_bytes(_key_bytes(signing_key, 32, "signing_key"))
    sig: bytes = sk.sign(message)
    return sig


def verify_bytes(public: bytes, signature: bytes, message: bytes) -> bool:
    """True when ``signature`` is ``public``'s Ed25519 signature of ``message``."""
    ed = _crypto()
    from cryptography.exceptions import InvalidSignature
    pk = ed.Ed25519PublicKey.from_public_bytes(_key_bytes(public, 32, "public_key"))
    try:
        pk.verify(signature, message)
    except InvalidSignature:
        return False
    return True


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(doc: Mapping[str, Any], key: bytes, key_id: str | None, created: str
          ) -> dict[str, Any]:
    proof: dict[str, Any] = {
        "type": PROOF_TYPE, "created": created, "canonicalization": "RFC8785",
        "publicKey": _b64(public_key(key)),
        "verificationMethod": None if key_id is None else _text(key_id, 300)}
    message = canonical_json({**doc, "proof": proof})
    return {**proof, "proofValue": _b64(sign_bytes(key, message))}


# -- verification ---------------------------------------------------------------------------

class Check(BaseModel):
    """One verification step: its name, whether it passed, and what was found."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    ok: bool
    detail: str = ""


class Verification(BaseModel):
    """The result of :func:`verify`.

    ``ok`` is True only when every check passed *and* the document was anchored: its sha256
    matched the one given, or its signature verified.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    ok: bool
    sha256: str
    anchored_by: tuple[str, ...]
    checks: tuple[Check, ...]

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.ok)


class _FloatSeen(ValueError):
    pass


def _no_float_token(text: str) -> Any:
    raise _FloatSeen(text)


def _parse(document: Certificate | str | bytes | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(document, Certificate):
        document = document.json_text
    if isinstance(document, Mapping):
        return dict(document)
    raw = document.decode("utf-8") if isinstance(document, (bytes, bytearray)) else document
    if not isinstance(raw, str):
        raise CertificateError("certificate_not_json", {"detail": type(document).__name__})
    if len(raw) > 5_000_000:
        raise CertificateError("certificate_not_json", {"detail": "larger than 5 MB"})
    try:
        doc = json.loads(raw, parse_float=_no_float_token,
                         parse_constant=_no_float_token)
    except _FloatSeen as exc:
        raise CertificateError("certificate_float", {"path": "(document)",
                                                     "value": clip(str(exc), 40)}) from None
    except ValueError as exc:
        raise CertificateError("certificate_not_json", {"detail": clip(str(exc), 200)}
                               ) from None
    if not isinstance(doc, dict):
        raise CertificateError("certificate_not_json", {"detail": "not a JSON object"})
    return doc


def _dec(text: Any) -> Decimal | None:
    if not isinstance(text, str):
        return None
    try:
        d = Decimal(text)
    except ArithmeticError:
        return None
    return d if d.is_finite() else None


def _consistency(doc: Mapping[str, Any]) -> list[Check]:
    out: list[Check] = []
    cs = doc.get("credentialSubject")
    if not isinstance(cs, dict):
        return [Check(name="shape", ok=False, detail="no credentialSubject object")]
    types = doc.get("type")
    shape_ok = isinstance(types, list) and CREDENTIAL_TYPE in types and all(
        k in cs for k in ("footprint", "allocations", "coverage", "claim", "period", "tables"))
    out.append(Check(name="shape", ok=shape_ok,
                     detail="" if shape_ok else "missing credential type or subject fields"))
    if not shape_ok:
        return out
    fp, cov, allocs = cs["footprint"], cs["coverage"], cs["allocations"]
    total = _dec(fp.get("total_tco2e")) if isinstance(fp, dict) else None
    cats = fp.get("by_category") if isinstance(fp, dict) else None
    if total is None or not isinstance(cats, dict):
        out.append(Check(name="footprint", ok=False, detail="total or categories unreadable"))
        return out
    parts = [_dec(v) for v in cats.values()]
    cat_ok = all(p is not None for p in parts) and (
        not parts or sum(p for p in parts if p is not None) == total)
    out.append(Check(name="categories_add_up", ok=cat_ok,
                     detail="" if cat_ok else "by_category does not add up to total_tco2e"))
    if not isinstance(cov, dict) or not isinstance(allocs, list):
        out.append(Check(name="coverage", ok=False, detail="coverage or allocations unreadable"))
        return out
    covered = Decimal(0)
    slices_ok = True
    seen: dict[tuple[str, int], list[tuple[Decimal, Decimal]]] = {}
    for a in allocs:
        if not isinstance(a, dict):
            slices_ok = False
            continue
        t, s, e, u = (_dec(a.get("tco2e")), _dec(a.get("start")), _dec(a.get("end")),
                      _dec(a.get("unit_tco2e")))
        if None in (t, s, e, u) or not isinstance(a.get("unit"), int) or \
                not isinstance(a.get("record"), str):
            slices_ok = False
            continue
        assert t is not None and s is not None and e is not None and u is not None
        if not (0 <= s < e <= u and e - s == t):
            slices_ok = False
        key = (a["record"], a["unit"])
        for lo, hi in seen.get(key, []):
            if s < hi and lo < e:
                slices_ok = False
        seen.setdefault(key, []).append((s, e))
        covered += t
    out.append(Check(name="allocations_well_formed", ok=slices_ok,
                     detail="" if slices_ok else "a slice lies outside its unit, does not "
                     "match its tCO2e, or overlaps another"))
    stated = _dec(cov.get("covered_tco2e"))
    sum_ok = stated is not None and stated == covered
    out.append(Check(name="allocations_add_up", ok=sum_ok, detail="" if sum_ok else
                     f"allocations sum to {plain(covered)}, coverage states "
                     f"{clip(str(cov.get('covered_tco2e')), 40)}"))
    em = _dec(cov.get("emissions_tco2e"))
    em_ok = em is not None and em == total
    out.append(Check(name="emissions_match_footprint", ok=em_ok,
                     detail="" if em_ok else "coverage.emissions_tco2e differs from the total"))
    status = cov.get("status")
    claim = cs["claim"].get("type") if isinstance(cs["claim"], dict) else None
    neutral_ok = True
    detail = ""
    if status == "neutral" or claim == "carbon_neutral":
        neutral_ok = em is not None and covered >= em
        detail = "" if neutral_ok else (f"claims carbon neutral but allocations cover "
                                        f"{plain(covered)} of {clip(str(em), 40)} tCO2e")
    if status not in ("neutral", "partial"):
        neutral_ok, detail = False, "coverage.status is neither neutral nor partial"
    out.append(Check(name="claim_covered", ok=neutral_ok, detail=detail))
    return out


def verify(document: Certificate | str | bytes | Mapping[str, Any], *,
           sha256: str | None = None, public_key: bytes | None = None) -> Verification:
    """Verify a certificate offline.

    Parameters
    ----------
    document : Certificate, JSON text/bytes or a parsed mapping
    sha256 : str, optional
        The fingerprint from the ledger or the printed certificate: the canonical document
        without ``proof`` must hash to it.
    public_key : bytes, optional
        The issuer's raw 32-byte Ed25519 public key: the proof must be made with it (without
        it, a signed document is checked against the key it embeds, which proves integrity but
        not who signed).

    Returns
    -------
    Verification
        ``ok`` only when every check passed and the sha256 or the signature anchored the
        document.
    """
    checks: list[Check] = []
    anchored: list[str] = []
    try:
        doc = _parse(document)
        body_doc = {k: v for k, v in doc.items() if k != "proof"}
        body = canonical_json(body_doc)
        checks.append(Check(name="no_float", ok=True))
    except CertificateError as exc:
        return Verification(ok=False, sha256="", anchored_by=(),
                            checks=(Check(name="readable", ok=False, detail=str(exc)),))
    digest = hashlib.sha256(body).hexdigest()
    if sha256 is not None:
        good = isinstance(sha256, str) and sha256.lower() == digest
        checks.append(Check(name="sha256", ok=good, detail="" if good else
                            f"document hashes to {digest}, expected {clip(str(sha256), 80)}"))
        if good:
            anchored.append("sha256")
    proof = doc.get("proof")
    if proof is not None:
        ok, detail = _check_proof(doc, proof, public_key)
        checks.append(Check(name="signature", ok=ok, detail=detail))
        if ok:
            anchored.append("signature")
    elif public_key is not None:
        checks.append(Check(name="signature", ok=False, detail="document is not signed"))
    checks.extend(_consistency(doc))
    if not anchored:
        checks.append(Check(name="anchored", ok=False, detail="nothing to verify against: pass "
                            "sha256= from the ledger, or verify a signed certificate"))
    return Verification(ok=all(c.ok for c in checks) and bool(anchored), sha256=digest,
                        anchored_by=tuple(anchored), checks=tuple(checks))


def _check_proof(doc: Mapping[str, Any], proof: Any, public: bytes | None) -> tuple[bool, str]:
    if not isinstance(proof, dict) or proof.get("type") != PROOF_TYPE:
        return False, f"proof type is not {PROOF_TYPE}"
    try:
        embedded = _unb64(str(proof.get("publicKey", "")))
        sig = _unb64(str(proof.get("proofValue", "")))
    except ValueError:
        return False, "proof values are not base64url"
    if public is not None and bytes(public) != embedded:
        return False, "signed with another key than the one given"
    if len(embedded) != 32 or len(sig) != 64:
        return False, "proof key or signature has the wrong length"
    unsigned = {k: v for k, v in proof.items() if k != "proofValue"}
    try:
        message = canonical_json({**{k: v for k, v in doc.items() if k != "proof"},
                                  "proof": unsigned})
    except CertificateError as exc:
        return False, str(exc)
    if not verify_bytes(embedded, sig, message):
        return False, "signature does not match the document"
    return True, "" if public is not None else "verified with the key the proof embeds"


# -- statement and renderings ---------------------------------------------------------------

def _doc(cert: Certificate | Mapping[str, Any] | str) -> dict[str, Any]:
    return _parse(cert)


def _scheme_names(allocs: Iterable[Mapping[str, Any]], locale: str) -> str:
    names: list[str] = []
    for a in allocs:
        sid = str(a.get("scheme"))
        try:
            sch = get_scheme(sid)
            name = (sch.name_zh.value if locale == "zh-CN" else sch.name_en.value) or sch.name
        except UnknownSchemeError:
            name = sid
        if name not in names:
            names.append(name)
    return "、".join(names) if locale == "zh-CN" else ", ".join(names)


def statement(cert: Certificate | Mapping[str, Any] | str, locale: str = "zh-CN") -> str:
    """A human-readable statement of the certificate in ``locale`` (``zh-CN`` or ``en``)."""
    loc = normalize_locale(locale)
    doc = _doc(cert)
    cs = doc["credentialSubject"]
    cov = cs["coverage"]
    holder = cs["holder"].get("name") or cs["holder"].get("id")
    params = {"holder": holder, "subject": cs["subject"].get("name") or cs["subject"].get("id"),
              "start": cs["period"]["start"], "end": cs["period"]["end"],
              "total": cs["footprint"]["total_tco2e"], "covered": cov["covered_tco2e"],
              "schemes": _scheme_names(cs["allocations"], loc) or "-",
              "issuer": doc["issuer"].get("name") or doc["issuer"].get("id"),
              "issued": doc["validFrom"],
              "sha256": hashlib.sha256(canonical_json(
                  {k: v for k, v in doc.items() if k != "proof"})).hexdigest(),
              "method": f"{cs['method'].get('profile', '-')} v{cs['method'].get('version', '-')}",
              "version": cs["method"].get("library_version", "-")}
    neutral = cov["status"] == "neutral"
    lines = [render_credit("statement", "title" if neutral else "title_partial", params, loc),
             render_credit("statement", "body_neutral" if neutral else "body_partial", params,
                           loc),
             render_credit("statement", "issued", params, loc),
             render_credit("statement", "method", params, loc),
             render_credit("statement", "verify", params, loc)]
    return "\n".join(lines)


def _label(key: str, loc: str) -> str:
    return str(credit_catalogue(loc).get("labels", {}).get(key, key))


def _both(key: str) -> str:
    return f"{_label(key, 'zh-CN')} / {_label(key, 'en')}"


_HTML = Template("""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
margin:0;background:#f3f6f2;color:#1d2b1f}
.card{max-width:720px;margin:24px auto;background:#fff;border:2px solid #2e7d32;border-radius:12px;
padding:28px 32px}
h1{margin:0;color:#2e7d32;font-size:30px}h1 small{display:block;font-size:16px;color:#557a57}
.total{font-size:40px;font-weight:700;margin:16px 0 4px}
table{border-collapse:collapse;width:100%;margin:12px 0}td,th{border-bottom:1px solid #dfe8de;
padding:6px 4px;text-align:left;font-size:14px;vertical-align:top}
.num{text-align:right;font-variant-numeric:tabular-nums}.mono{font-family:monospace;
word-break:break-all;font-size:12px}.stmt{margin:16px 0;line-height:1.6}
footer{font-size:12px;color:#557a57;margin-top:16px}
@media print{body{background:#fff}.card{border:1px solid #2e7d32;margin:0}}
</style></head><body><div class="card">
<h1>$title_zh<small>$title_en</small></h1>
<p>$holder_label: <b>$holder</b><br>$subject_label: <b>$subject</b><br>$period_label: $period</p>
<div class="total">$total <small>tCO2e</small></div>
<table><tr><th>$by_category_label</th><th class="num">tCO2e</th></tr>$category_rows</table>
<p>$covered_label: <b>$covered</b> tCO2e</p>
<table><tr><th>$credits_label</th><th>$serial_label</th><th class="num">tCO2e</th></tr>
$allocation_rows</table>
<div class="stmt">$statement_zh</div><div class="stmt">$statement_en</div>
<p>$claim_line</p>
<footer>$issuer_label: $issuer · $issued_label: $issued<br>
$signed<br>sha256: <span class="mono">$sha256</span></footer>
</div></body></html>
""")


def _rows(cs: Mapping[str, Any]) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    cats = [(f"{_label(k, 'zh-CN')} {k}" if _label(k, "zh-CN") != k else k, v)
            for k, v in cs["footprint"]["by_category"].items()]
    allocs = []
    for a in cs["allocations"]:
        scheme = str(a.get("scheme"))
        with contextlib.suppress(UnknownSchemeError):
            scheme = get_scheme(scheme).name_zh.value or scheme
        who = f"{scheme} · {_label('record', 'zh-CN')} {a.get('record')} · " \
              f"{_label('unit', 'zh-CN')} {a.get('unit')} [{a.get('start')}, {a.get('end')})"
        allocs.append((who, str(a.get("serial") or "-"), str(a.get("tco2e"))))
    return cats, allocs


def to_html(cert: Certificate | Mapping[str, Any] | str) -> str:
    """A printable, self-contained HTML page of the certificate (every value escaped)."""
    doc = _doc(cert)
    cs = doc["credentialSubject"]
    e = html.escape
    cats, allocs = _rows(cs)
    claim = cs.get("claim") or {}
    neutral = cs["coverage"]["status"] == "neutral"
    title_key = "title" if neutral else "title_partial"
    sha = hashlib.sha256(canonical_json({k: v for k, v in doc.items() if k != "proof"})
                         ).hexdigest()
    claim_line = ""
    if claim.get("rule_set"):
        claim_line = e(f"{_both('rule_set')}: {claim['rule_set']} - "
                       f"{_label('claim_ok' if claim.get('ok') else 'claim_failed', 'en')}")
    return _HTML.substitute(
        title=e(render_credit("statement", title_key, {}, "en")),
        title_zh=e(render_credit("statement", title_key, {}, "zh-CN")),
        title_en=e(render_credit("statement", title_key, {}, "en")),
        holder_label=e(_both("holder")), holder=e(str(cs["holder"].get("name")
                                                       or cs["holder"].get("id"))),
        subject_label=e(_both("subject")), subject=e(str(cs["subject"].get("name")
                                                         or cs["subject"].get("id"))),
        period_label=e(_both("period")),
        period=e(f"{cs['period']['start']} – {cs['period']['end']}"),
        total=e(str(cs["footprint"]["total_tco2e"])),
        by_category_label=e(_both("by_category")),
        category_rows="".join(f"<tr><td>{e(k)}</td><td class=\"num\">{e(str(v))}</td></tr>"
                              for k, v in cats),
        covered_label=e(_both("covered")), covered=e(str(cs["coverage"]["covered_tco2e"])),
        credits_label=e(_both("credits")), serial_label=e(_both("serial")),
        allocation_rows="".join(f"<tr><td>{e(w)}</td><td class=\"mono\">{e(s)}</td>"
                                f"<td class=\"num\">{e(t)}</td></tr>" for w, s, t in allocs),
        statement_zh=e(statement(doc, "zh-CN")).replace("\n", "<br>"),
        statement_en=e(statement(doc, "en")).replace("\n", "<br>"),
        claim_line=claim_line,
        issuer_label=e(_both("issuer")), issuer=e(str(doc["issuer"].get("name")
                                                     or doc["issuer"].get("id"))),
        issued_label=e(_both("issued")), issued=e(str(doc["validFrom"])),
        signed=e(_both("signed") if "proof" in doc else _both("unsigned")),
        sha256=e(sha))


# -- PNG / PDF --------------------------------------------------------------------------------

#: Font files tried, in order, when no font is given (Debian/Ubuntu package in brackets).
CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",  # fonts-noto-cjk
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",  # fonts-wqy-zenhei
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # fonts-wqy-microhei
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)


def _pil() -> Any:
    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError as exc:
        raise MissingExtraError("extra_missing", {"feature": "PNG/PDF rendering",
                                                  "extra": "render",
                                                  "detail": clip(str(exc), 100)}) from None
    return Image, ImageDraw, ImageFont


def find_cjk_font(font: str | Path | None = None) -> tuple[str, int]:
    """A font file with Chinese glyphs and the face index to use (Simplified Chinese where a
    collection has several): ``font``, else ``$CARBON_FOOTPRINT_CJK_FONT``, else
    :data:`CJK_FONTS`. Raises ``MissingExtraError`` (``font_missing``) when none exists."""
    _, _, image_font = _pil()
    candidates = [str(font)] if font else []
    env = os.environ.get("CARBON_FOOTPRINT_CJK_FONT")
    if env and not font:
        candidates.append(env)
    if not font:
        candidates.extend(CJK_FONTS)
    for path in candidates:
        if not Path(path).is_file():
            continue
        for index in range(10):
            try:
                f = image_font.truetype(path, 20, index=index)
            except OSError:
                break
            name = " ".join(f.getname())
            if " SC" in name or "CN" in name or "Hei" in name or "PingFang" in name \
                    or "YaHei" in name:
                return path, index
        return path, 0
    raise MissingExtraError("font_missing", {"tried": clip(", ".join(candidates), 300)})


def _wrap(draw: Any, text: str, font: Any, width: int) -> list[str]:
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for ch in para:
            if draw.textlength(line + ch, font=font) <= width:
                line += ch
            else:
                # break at the last space for Latin text, anywhere for Chinese
                cut = line.rfind(" ")
                if cut > len(line) * 0.6 and ch != " ":
                    lines.append(line[:cut])
                    line = line[cut + 1:] + ch
                else:
                    lines.append(line)
                    line = ch.lstrip()
        lines.append(line)
    return lines


def _render(cert: Certificate | Mapping[str, Any] | str, font: str | Path | None) -> Any:
    image, image_draw, image_font = _pil()
    path, index = find_cjk_font(font)
    doc = _doc(cert)
    cs = doc["credentialSubject"]
    width, margin = 1080, 64
    inner = width - 2 * margin

    def f(size: int) -> Any:
        return image_font.truetype(path, size, index=index)

    canvas = image.new("RGB", (width, 4000), "#ffffff")
    d = image_draw.Draw(canvas)
    green, dark, grey = "#2e7d32", "#1d2b1f", "#5f7461"
    neutral = cs["coverage"]["status"] == "neutral"
    key = "title" if neutral else "title_partial"
    d.rectangle((0, 0, width, 210), fill=green)
    d.text((margin, 40), render_credit("statement", key, {}, "zh-CN"), font=f(64),
           fill="#ffffff")
    d.text((margin, 130), render_credit("statement", key, {}, "en"), font=f(32), fill="#e8f5e9")
    y = 250
    holder = str(cs["holder"].get("name") or cs["holder"].get("id"))
    subj = str(cs["subject"].get("name") or cs["subject"].get("id"))
    for label, value in ((_both("holder"), holder), (_both("subject"), subj),
                         (_both("period"), f"{cs['period']['start']} – {cs['period']['end']}")):
        d.text((margin, y), label, font=f(26), fill=grey)
        y += 38
        for ln in _wrap(d, value, f(34), inner):
            d.text((margin, y), ln, font=f(34), fill=dark)
            y += 46
        y += 12
    d.text((margin, y), _both("total"), font=f(26), fill=grey)
    y += 38
    d.text((margin, y), f"{cs['footprint']['total_tco2e']} tCO2e", font=f(72), fill=green)
    y += 100
    cats, allocs = _rows(cs)
    for name, value in cats:
        d.text((margin + 10, y), name, font=f(28), fill=dark)
        w = d.textlength(str(value), font=f(28))
        d.text((width - margin - w, y), str(value), font=f(28), fill=dark)
        y += 42
    y += 16
    d.line((margin, y, width - margin, y), fill="#c8dcc8", width=2)
    y += 20
    d.text((margin, y), f"{_both('covered')}: {cs['coverage']['covered_tco2e']} tCO2e",
           font=f(30), fill=dark)
    y += 52
    shown_allocs = allocs[:6]
    for who, serial, t in shown_allocs:
        for ln in _wrap(d, f"{who}  {t} t", f(24), inner):
            d.text((margin + 10, y), ln, font=f(24), fill=dark)
            y += 34
        if serial != "-":
            for ln in _wrap(d, serial, f(20), inner - 20):
                d.text((margin + 30, y), ln, font=f(20), fill=grey)
                y += 28
        y += 8
    if len(allocs) > len(shown_allocs):
        d.text((margin + 10, y), f"… +{len(allocs) - len(shown_allocs)}", font=f(24),
               fill=grey)
        y += 36
    y += 12
    for loc in ("zh-CN", "en"):
        body = statement(doc, loc).split("\n")[1]
        for ln in _wrap(d, body, f(28), inner):
            d.text((margin, y), ln, font=f(28), fill=dark)
            y += 42
        y += 16
    claim = cs.get("claim") or {}
    if claim.get("rule_set"):
        line = (f"{_both('rule_set')}: {claim['rule_set']} - "
                f"{_label('claim_ok' if claim.get('ok') else 'claim_failed', 'zh-CN')} / "
                f"{_label('claim_ok' if claim.get('ok') else 'claim_failed', 'en')}")
        for ln in _wrap(d, line, f(24), inner):
            d.text((margin, y), ln, font=f(24), fill=grey)
            y += 34
    y += 10
    d.line((margin, y, width - margin, y), fill="#c8dcc8", width=2)
    y += 20
    sha = hashlib.sha256(canonical_json({k: v for k, v in doc.items() if k != "proof"})
                         ).hexdigest()
    issuer = str(doc["issuer"].get("name") or doc["issuer"].get("id"))
    for ln in (f"{_both('issuer')}: {issuer}", f"{_both('issued')}: {doc['validFrom']}",
               _both("signed") if "proof" in doc else _both("unsigned"),
               f"sha256: {sha[:32]}", f"        {sha[32:]}"):
        for part in _wrap(d, ln, f(22), inner):
            d.text((margin, y), part, font=f(22), fill=grey)
            y += 32
    y += margin
    d.rectangle((6, 6, width - 7, y - 7), outline=green, width=4)
    return canvas.crop((0, 0, width, y))


def to_png(cert: Certificate | Mapping[str, Any] | str, *, font: str | Path | None = None
           ) -> bytes:
    """The certificate as a PNG card 1080 px wide (needs ``[render]`` and a CJK font)."""
    img = _render(cert, font)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def to_pdf(cert: Certificate | Mapping[str, Any] | str, *, font: str | Path | None = None
           ) -> bytes:
    """The certificate as a one-page PDF (the PNG card at 150 dpi; needs ``[render]``)."""
    img = _render(cert, font)
    buf = io.BytesIO()
    img.save(buf, format="PDF", resolution=150.0)
    return buf.getvalue()
