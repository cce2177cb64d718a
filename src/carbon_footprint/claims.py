"""Check a carbon-neutrality claim against named rule sets whose every rule cites its source.

The rule sets are data (``factors/credits/claim-rules.yaml``): China's 2019 large-event guide
(``cn-mee-2019``), Guangdong's 2026 notice (``guangdong-2026``), Chongqing's 碳惠通 process
(``chongqing-tanhuitong``), ISO 14068-1:2023 (``iso-14068-1-2023``) and PAS 2060:2014
(``pas-2060-2014``); each includes ``integrity`` (retired status, unique serials, one project
and vintage per lot). A rule names one of the checks below and its parameters; a rule that could
not be sourced is absent and the rule set says so (``not_found``) - e.g. no completion deadline
was found in the 2019 guide, so none is applied.

===================  ================================================  ======================
check                what it finds                                     finding
===================  ================================================  ======================
coverage             credits cover >= emissions x min_ratio            UNDER_COVERED
retired              every record retired, not merely purchased        NOT_RETIRED
deadline             retired no later than N months after the end      RETIRED_TOO_LATE
eligible_types       credit type allowed (carbon-inclusion approval    INELIGIBLE_TYPE,
                     level, CDM host country)                          ELIGIBILITY_UNKNOWN
eligible_schemes     scheme allowed                                    INELIGIBLE_TYPE
unique_serials       no serial, unit slice or record used twice        DOUBLE_COUNTED
one_project_vintage  one project and one vintage per lot               MIXED_LOT
claim_form           the claim form is one the rule set allows         CLAIM_FORM_NOT_ALLOWED
===================  ================================================  ======================

Every finding has a machine ``code``, a ``severity`` (``error`` fails the claim, ``warning``
does not), the rule and its sources, JSON-safe ``params`` and a message rendered from the
credits catalogue (``finding.render("zh-CN")``).
"""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ._cache import loaded_once
from ._credit_errors import UnknownSchemeError, credit_catalogue, render_credit
from ._i18n import normalize_locale
from ._text import clip
from .credits import (
    CREDIT_TYPES,
    RetirementRecord,
    Source,
    exact_decimal,
    get_scheme,
    plain,
    retirement_records,
)
from .errors import TableError
from .neutralize import Allocation, exact_amount
from .tables import factors_root
from .tables._catalogue import read_data

__all__ = [
    "CHECKS",
    "CLAIM_FORMS",
    "ClaimCheck",
    "Finding",
    "Rule",
    "RuleCatalogue",
    "RuleSet",
    "add_months",
    "check_claim",
    "load_rules",
    "rule_sets",
]

CHECKS = ("coverage", "retired", "deadline", "eligible_types", "eligible_schemes",
          "unique_serials", "one_project_vintage", "claim_form")
Check = Literal["coverage", "retired", "deadline", "eligible_types", "eligible_schemes",
                "unique_serials", "one_project_vintage", "claim_form"]
#: Claim forms a rule set may allow.
CLAIM_FORMS = ("self_declaration", "third_party_certificate", "platform_certificate")
ClaimForm = Literal["self_declaration", "third_party_certificate", "platform_certificate"]


class Rule(BaseModel):
    """One rule: a check, its parameters, what the source says, and the source keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    check: Check
    params: dict[str, Any] = Field(default_factory=dict)
    statement: str
    sources: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _params(self) -> Rule:
        p = self.params
        if self.check == "coverage":
            Decimal(str(p.get("min_ratio", "1")))
        elif self.check == "deadline":
            m = p.get("months_after_end")
            if isinstance(m, bool) or not isinstance(m, int) or not 0 <= m <= 600:
                raise ValueError("a deadline rule needs months_after_end, a whole number")
        elif self.check == "eligible_types":
            bad = [t for t in p.get("types", ()) if t not in CREDIT_TYPES]
            if bad or not p.get("types"):
                raise ValueError(f"eligible_types needs types among {CREDIT_TYPES}; got {bad}")
        elif self.check == "eligible_schemes":
            if not p.get("schemes"):
                raise ValueError("eligible_schemes needs schemes")
        elif self.check == "claim_form":
            bad = [f for f in p.get("forms", ()) if f not in CLAIM_FORMS]
            if bad or not p.get("forms"):
                raise ValueError(f"claim_form needs forms among {CLAIM_FORMS}; got {bad}")
        return self


class RuleSet(BaseModel):
    """A named rule set: its rules (with those of the sets it includes, resolved) and what
    could not be sourced."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    title: str
    includes: tuple[str, ...] = ()
    not_found: tuple[str, ...] = ()
    rules: tuple[Rule, ...]


class RuleCatalogue(BaseModel):
    """The claim-rule catalogue: sources by key, and the rule sets."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: Literal[1]
    id: str
    title: str
    revision: int = Field(ge=1)
    compiled: str
    sources: Mapping[str, Source]
    rule_sets: tuple[RuleSet, ...]
    sha256: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> RuleCatalogue:
        ids = [r.id for r in self.rule_sets]
        for rs in self.rule_sets:
            for inc in rs.includes:
                if inc not in ids:
                    raise ValueError(f"rule set {rs.id!r} includes unknown {inc!r}")
            for rule in rs.rules:
                unknown = [k for k in rule.sources if k not in self.sources]
                if unknown:
                    raise ValueError(f"rule {rs.id}/{rule.id}: unknown source keys {unknown}")
                if rule.check == "eligible_schemes":
                    for s in rule.params["schemes"]:
                        get_scheme(s)
        return self

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.rule_sets)

    def get(self, rule_set: str | RuleSet) -> RuleSet:
        """The rule set with its included rules first (resolved), by id."""
        if isinstance(rule_set, RuleSet):
            return rule_set
        found = {r.id: r for r in self.rule_sets}
        if rule_set not in found:
            raise UnknownSchemeError("rule_set", rule_set, self.ids)
        rs = found[rule_set]
        rules: list[Rule] = []
        nf: list[str] = []
        for inc in rs.includes:
            inner = self.get(inc)
            rules.extend(inner.rules)
            nf.extend(inner.not_found)
        return RuleSet(id=rs.id, title=rs.title, includes=rs.includes,
                       not_found=(*nf, *rs.not_found), rules=(*rules, *rs.rules))


RULES_FILE = ("credits", "claim-rules.yaml")


def load_rules(path: str | Path | None = None) -> RuleCatalogue:
    """Load and validate a claim-rule catalogue (the bundled one when ``path`` is None).

    Raises
    ------
    TableError
        For unsafe or malformed YAML or a catalogue that breaks the schema (a rule without a
        source, an unknown check, an unknown included set).
    """
    p = Path(path) if path is not None else factors_root().joinpath(*RULES_FILE)
    data, raw = read_data(p)
    if not isinstance(data, dict):
        raise TableError("a rule catalogue is a mapping", source=str(p))
    try:
        return RuleCatalogue.model_validate({**data, "sha256": hashlib.sha256(raw).hexdigest()})
    except ValidationError as exc:
        e = exc.errors(include_url=False)[0]
        where = ".".join(str(x) for x in e["loc"]) or "(top level)"
        raise TableError(f"{where}: {e['msg']}", source=str(p)) from None


@loaded_once
def rule_sets() -> RuleCatalogue:
    """The bundled claim rules (loaded and validated once, thread-safe)."""
    return load_rules()


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months (the 31st becomes the month's last day)."""
    m = day.month - 1 + months
    year, month = day.year + m // 12, m % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class Finding(BaseModel):
    """One result of a claim check.

    Attributes
    ----------
    code : str
        ``UNDER_COVERED``, ``NOT_RETIRED``, ``RETIRED_TOO_LATE``, ``DOUBLE_COUNTED``,
        ``INELIGIBLE_TYPE``, ``ELIGIBILITY_UNKNOWN``, ``MIXED_LOT``, ``PROJECT_VINTAGE_MISSING``,
        ``CLAIM_FORM_NOT_ALLOWED``, ``CLAIM_FORM_UNSTATED``, ``DEADLINE_UNCHECKED``.
    severity : {"error", "warning"}
    rule_set, rule : str
        Where the rule comes from.
    sources : tuple of Source
        The rule's sources.
    record : str or None
        The retirement record at fault, where one is.
    params : dict
        JSON-safe values of the message.
    message : str
        English text (``render(locale)`` for others).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    severity: Literal["error", "warning"]
    rule_set: str
    rule: str
    sources: tuple[Source, ...]
    record: str | None = None
    params: dict[str, Any]
    message: str

    def render(self, locale: str = "en") -> str:
        """The finding's message in ``locale`` (``en``, ``zh-CN``)."""
        return _render_finding(self.code, self.params, locale)


def _render_finding(code: str, params: Mapping[str, Any], locale: str) -> str:
    p = dict(params)
    if "reason_code" in p:
        p["reason"] = render_credit("reasons", str(p["reason_code"]), p, locale)
    if isinstance(p.get("missing"), list):
        labels = credit_catalogue(locale).get("labels", {})
        sep = "和" if normalize_locale(locale) == "zh-CN" else " and "
        p["missing"] = sep.join(str(labels.get(m, m)) for m in p["missing"])
    return render_credit("findings", code, p, locale)


class ClaimCheck(BaseModel):
    """The result of :func:`check_claim`: ``ok`` when no finding is an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule_set: str
    title: str
    ok: bool
    findings: tuple[Finding, ...]
    rules_applied: tuple[str, ...]
    not_found: tuple[str, ...]
    emissions_tco2e: exact_decimal
    covered_tco2e: exact_decimal
    rules_sha256: str

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self.findings)


def check_claim(*, rule_set: str | RuleSet, emissions_tco2e: Any,
                records: Sequence[RetirementRecord | Mapping[str, Any]],
                allocations: Sequence[Allocation] | None = None,
                period_end: date | None = None, claim_form: ClaimForm | None = None,
                claimed_elsewhere: Iterable[str] = ()) -> ClaimCheck:
    """Check a neutrality claim against a named rule set.

    Parameters
    ----------
    rule_set : str or RuleSet
        A bundled id: ``cn-mee-2019``, ``guangdong-2026``, ``chongqing-tanhuitong``,
        ``iso-14068-1-2023``, ``pas-2060-2014`` (or ``integrity`` alone).
    emissions_tco2e : str, int or Decimal
        The emissions claimed neutral [tCO2e] (a footprint's ``total_tco2e``).
    records : sequence of RetirementRecord or mappings
        The lots behind the claim.
    allocations : sequence of Allocation, optional
        The claimant's allocations from a pool; coverage is then their tCO2e (else every
        record's full capacity covers the claim). Slices must name the records given.
    period_end : datetime.date, optional
        Last day of the event or reporting period (deadline rules count from it).
    claim_form : str, optional
        ``self_declaration``, ``third_party_certificate`` or ``platform_certificate``.
    claimed_elsewhere : iterable of str
        Unit serials (or opaque record serials) the platform's ledger already holds for other
        claims: any reuse is ``DOUBLE_COUNTED``.

    Returns
    -------
    ClaimCheck
    """
    cat = rule_sets()
    rs = cat.get(rule_set)
    recs = retirement_records(records)
    by_id = {r.id: r for r in recs}
    emissions = exact_amount(emissions_tco2e, "emissions_tco2e")
    if allocations is not None:
        covered = sum((s.tco2e for a in allocations for s in a.slices), Decimal(0))
    else:
        covered = sum((r.capacity_tco2e for r in recs), Decimal(0))
    findings: list[Finding] = []

    def add(code: str, rule: Rule, severity: Literal["error", "warning"] = "error",
            record: str | None = None, **params: Any) -> None:
        params = {k: (plain(v) if isinstance(v, Decimal) else v) for k, v in params.items()}
        if record is not None:
            params.setdefault("record", clip(record, 100))
        findings.append(Finding(
            code=code, severity=severity, rule_set=rs.id, rule=rule.id,
            sources=tuple(cat.sources[k] for k in rule.sources), record=record, params=params,
            message=_render_finding(code, params, "en")))

    for rule in rs.rules:
        p = rule.params
        if rule.check == "coverage":
            ratio = Decimal(str(p.get("min_ratio", "1")))
            required = emissions * ratio
            if covered < required:
                add("UNDER_COVERED", rule, covered=covered, required=required,
                    emissions=emissions, min_ratio=ratio, shortfall=required - covered)
        elif rule.check == "retired":
            for r in recs:
                if r.status != "retired":
                    add("NOT_RETIRED", rule, record=r.id, status=r.status)
        elif rule.check == "deadline":
            months = int(p["months_after_end"])
            if period_end is None:
                add("DEADLINE_UNCHECKED", rule, "warning", months=months)
                continue
            deadline = add_months(period_end, months)
            for r in recs:
                if r.retired_on is not None and r.retired_on > deadline:
                    add("RETIRED_TOO_LATE", rule, record=r.id, retired_on=str(r.retired_on),
                        deadline=str(deadline), months=months, end=str(period_end))
        elif rule.check == "eligible_types":
            _eligible_types(rule, recs, add)
        elif rule.check == "eligible_schemes":
            allowed = tuple(p["schemes"])
            for r in recs:
                if r.scheme not in allowed:
                    add("INELIGIBLE_TYPE", rule, record=r.id, reason_code="scheme_not_listed",
                        scheme=r.scheme, schemes=", ".join(allowed))
        elif rule.check == "unique_serials":
            _unique(rule, recs, by_id, allocations, set(claimed_elsewhere), add)
        elif rule.check == "one_project_vintage":
            for r in recs:
                pairs = r.projects_and_vintages()
                if len(pairs) > 1:
                    add("MIXED_LOT", rule, record=r.id, count=len(pairs), pairs=clip(
                        "; ".join(f"{a}/{b}" for a, b in sorted(pairs, key=str)), 200))
                else:
                    (proj, vint), = pairs
                    missing = [n for n, v in (("project_id", proj), ("vintage", vint))
                               if v is None]
                    if missing:
                        add("PROJECT_VINTAGE_MISSING", rule, "warning", record=r.id,
                            missing=missing)
        elif rule.check == "claim_form":
            forms = tuple(p["forms"])
            if claim_form is None:
                add("CLAIM_FORM_UNSTATED", rule, "warning", allowed=", ".join(forms))
            elif claim_form not in forms:
                add("CLAIM_FORM_NOT_ALLOWED", rule, form=clip(str(claim_form), 60),
                    allowed=", ".join(forms))
    return ClaimCheck(
        rule_set=rs.id, title=rs.title, ok=not any(f.severity == "error" for f in findings),
        findings=tuple(findings), rules_applied=tuple(r.id for r in rs.rules),
        not_found=rs.not_found, emissions_tco2e=emissions, covered_tco2e=covered,
        rules_sha256=cat.sha256)


def _eligible_types(rule: Rule, recs: Sequence[RetirementRecord], add: Any) -> None:
    p = rule.params
    types = tuple(p["types"])
    levels = tuple(p.get("carbon_inclusion_approved_at", ()))
    host = p.get("cdm_host_country")
    for r in recs:
        sch = get_scheme(r.scheme)
        ctype = sch.credit_type.value
        if ctype is None:
            add("ELIGIBILITY_UNKNOWN", rule, "warning", record=r.id,
                reason_code="type_unknown", scheme=sch.id)
            continue
        if ctype not in types:
            add("INELIGIBLE_TYPE", rule, record=r.id, reason_code="type_not_listed",
                scheme=sch.id, type=ctype, types=", ".join(types))
            continue
        if ctype == "carbon_inclusion" and levels:
            level = sch.approved_at.value
            if level is None:
                add("ELIGIBILITY_UNKNOWN", rule, "warning", record=r.id,
                    reason_code="approval_unknown", scheme=sch.id,
                    why=clip(sch.approved_at.not_found or "", 200))
            elif level not in levels:
                add("INELIGIBLE_TYPE", rule, record=r.id, reason_code="approval_level",
                    scheme=sch.id, level=level, levels=" / ".join(levels))
        if ctype == "cdm_cer" and host:
            if r.host_country is None:
                add("ELIGIBILITY_UNKNOWN", rule, "warning", record=r.id,
                    reason_code="host_country_unknown", scheme=sch.id, country=host)
            elif r.host_country != host:
                add("INELIGIBLE_TYPE", rule, record=r.id, reason_code="host_country",
                    scheme=sch.id, country=host, found=r.host_country)


def _unique(rule: Rule, recs: Sequence[RetirementRecord], by_id: Mapping[str, RetirementRecord],
            allocations: Sequence[Allocation] | None, elsewhere: set[str], add: Any) -> None:
    # overlapping serial ranges between (or within) records
    ranges = [(r.id, s) for r in recs for s in r.serial_ranges]
    for i, (rid, a) in enumerate(ranges):
        for rid2, b in ranges[i + 1:]:
            if a.overlaps(b):
                add("DOUBLE_COUNTED", rule, record=rid2, what="serial range",
                    item=clip(b.text, 120), detail=clip(f"overlaps {a.text} of record {rid}",
                                                        200))
    # opaque serials (schemes without a published format) repeated
    seen: dict[tuple[str, str], str] = {}
    for r in recs:
        if r.serial_ranges:
            continue
        for s in r.serials:
            key = (r.scheme, s)
            if key in seen:
                add("DOUBLE_COUNTED", rule, record=r.id, what="serial", item=clip(s, 120),
                    detail=f"also in record {seen[key]}")
            seen[key] = r.id
    # slices of one unit allocated twice (overlapping intervals)
    if allocations is not None:
        taken: dict[tuple[str, int], list[tuple[Decimal, Decimal, str]]] = {}
        for alloc in allocations:
            for sl in alloc.slices:
                for lo, hi, who in taken.get((sl.record, sl.unit), []):
                    if sl.start < hi and lo < sl.end:
                        add("DOUBLE_COUNTED", rule, record=sl.record, what="unit",
                            item=f"{sl.record} #{sl.unit}", detail=clip(
                                f"[{sl.start}, {sl.end}) for {alloc.holder} overlaps "
                                f"[{lo}, {hi}) for {who}", 200))
                taken.setdefault((sl.record, sl.unit), []).append(
                    (sl.start, sl.end, alloc.holder))
                if sl.record not in by_id:
                    add("DOUBLE_COUNTED", rule, record=sl.record, what="record",
                        item=clip(sl.record, 100), detail="an allocation names a record that "
                        "is not among the claim's records")
    # reuse of what the ledger already holds for other claims
    if elsewhere:
        for r in recs:
            units = ([r.unit_serial(k) or "" for k in range(1, r.quantity + 1)]
                     if r.serial_ranges and r.quantity <= 100_000 else list(r.serials))
            hits = [u for u in units if u in elsewhere]
            if hits:
                add("DOUBLE_COUNTED", rule, record=r.id, what="serial", item=clip(hits[0], 120),
                    detail=f"{len(hits)} unit(s) already claimed elsewhere per the ledger")
