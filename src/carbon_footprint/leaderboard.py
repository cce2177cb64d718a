"""Leaderboards with explicit tie rules, and avoided emissions of a low-carbon choice.

:func:`rank` orders entries (tCO2e neutralized, per capita for teams, avoided emissions) by an
exact value, keeps those at or above a threshold, and numbers them with one of three tie rules:

==============  =================================  ===========================
ties            equal values get                   values 6, 5, 5, 4
==============  =================================  ===========================
``ordinal``     consecutive ranks, input order     1, 2, 3, 4
``competition`` the same rank, then a gap          1, 2, 2, 4
``dense``       the same rank, no gap              1, 2, 2, 3
==============  =================================  ===========================

The order is stable (equal values keep the order they were given in), values are compared
exactly (per-capita values as fractions, shown rounded to the gram), and nothing is a float.
The MyCarbon list published with a pooled 100 t VCU retirement in 2020 ranks its members above
1 t with ordinal ranks (1 to 21, ties numbered consecutively, "超过1吨" including 1.0).

:func:`avoided` compares a low-carbon choice with a baseline (the metro instead of a car for
22 km) by calculating both with the library's tables, and returns both lines with their
provenance and the difference.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ._api import calculate
from ._credit_errors import RankError
from ._exact import GRAM, to_tonnes
from ._text import brief, clip
from .credits import exact_decimal
from .results import ErrorLine, LineItem

__all__ = ["TIES", "Avoided", "Entry", "Ranked", "avoided", "rank"]

TIES = ("ordinal", "competition", "dense")
Ties = Literal["ordinal", "competition", "dense"]


class Entry(BaseModel):
    """A leaderboard entry.

    Attributes
    ----------
    id : str
        A stable id (a pseudonymous member number, a team id).
    value : Decimal
        The measure [tCO2e]: neutralized, avoided, ... (exact; text, int or Decimal).
    name : str, optional
        Display name, returned as given.
    members : int
        People in a team (per-capita ranking divides by it), default 1.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, max_length=200)
    value: exact_decimal
    name: str | None = Field(None, max_length=200)
    members: int = Field(1, ge=1, le=10**9)


class Ranked(BaseModel):
    """A ranked entry: its rank, the value ranked on (per capita when asked, rounded to the
    gram for display) and the entry."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rank: int
    id: str
    name: str | None
    value: exact_decimal
    members: int


def _entries(entries: Iterable[Entry | Mapping[str, Any]]) -> list[Entry]:
    out: list[Entry] = []
    for i, e in enumerate(entries):
        if isinstance(e, Entry):
            out.append(e)
            continue
        if not isinstance(e, Mapping):
            raise RankError("rank_entry", {"index": i, "problem": "an entry is a mapping with "
                                           "id and value, or an Entry",
                                           "value": brief(e, 60)})
        try:
            out.append(Entry.model_validate(dict(e)))
        except ValueError as exc:
            errs = getattr(exc, "errors", None)
            first = errs(include_url=False)[0] if callable(errs) else {"msg": str(exc),
                                                                      "loc": ()}
            field = ".".join(str(p) for p in first.get("loc", ())) or "entry"
            raise RankError("rank_entry", {
                "index": i, "problem": clip(f"{field}: {first['msg']}", 200),
                "value": brief(e.get(field) if field in e else e, 60)}) from None
    ids = [e.id for e in out]
    for i, ident in enumerate(ids):
        if ident in ids[:i]:
            raise RankError("rank_duplicate", {"index": i, "id": clip(ident, 100)})
    return out


def rank(entries: Iterable[Entry | Mapping[str, Any]], *, ties: Ties = "ordinal",
         threshold: Any = None, per_capita: bool = False, descending: bool = True,
         limit: int | None = None) -> tuple[Ranked, ...]:
    """Rank ``entries`` by value with an explicit tie rule.

    Parameters
    ----------
    entries : iterable of Entry or mappings
        ``{"id", "value"[, "name", "members"]}``; value in tCO2e (text, int or Decimal).
    ties : {"ordinal", "competition", "dense"}
        How equal values are numbered (see the module doc).
    threshold : str, int or Decimal, optional
        Keep entries whose (per-capita) value is >= threshold [tCO2e] (<= when ascending).
    per_capita : bool
        Rank on value / members (teams).
    descending : bool
        Largest first (default).
    limit : int, optional
        Keep the first ``limit`` ranked entries.

    Returns
    -------
    tuple of Ranked

    Examples
    --------
    >>> [(r.rank, r.id) for r in rank([{"id": "a", "value": "6"}, {"id": "b", "value": "5"},
    ...     {"id": "c", "value": "5"}, {"id": "d", "value": "4"}], ties="competition")]
    [(1, 'a'), (2, 'b'), (2, 'c'), (4, 'd')]
    """
    if ties not in TIES:
        raise RankError("rank_ties", {"choices": ", ".join(TIES), "value": brief(ties, 40)})
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)
                              or limit < 1):
        raise RankError("rank_entry", {"index": "-", "problem": "limit must be a whole "
                                       "number >= 1", "value": brief(limit, 40)})
    items = _entries(entries)
    keyed: list[tuple[Fraction, int, Entry]] = []
    for i, e in enumerate(items):
        v = Fraction(e.value)
        if per_capita:
            v /= e.members
        keyed.append((v, i, e))
    if threshold is not None:
        if isinstance(threshold, (float, bool)) or not isinstance(threshold,
                                                                   (str, int, Decimal)):
            raise RankError("rank_entry", {"index": "-", "problem": "threshold must be exact "
                                           "(text, int or Decimal)",
                                           "value": brief(threshold, 40)})
        try:
            t = Fraction(Decimal(threshold))
        except (ArithmeticError, ValueError):  # 'abc', 'NaN', 'Infinity'
            raise RankError("rank_entry", {"index": "-", "problem": "threshold must be a "
                                           "finite decimal number",
                                           "value": brief(threshold, 40)}) from None
        keyed = [k for k in keyed if (k[0] >= t if descending else k[0] <= t)]
    keyed.sort(key=lambda k: (-k[0] if descending else k[0], k[1]))
    out: list[Ranked] = []
    prev: Fraction | None = None
    current = dense = 0
    for pos, (v, _, e) in enumerate(keyed, start=1):
        if ties == "ordinal":
            current = pos
        elif v != prev:
            dense += 1
            current = pos if ties == "competition" else dense
        prev = v
        shown = Decimal(v.numerator) / Decimal(v.denominator) if per_capita else e.value
        if per_capita:
            shown = shown.quantize(GRAM, rounding=ROUND_HALF_EVEN) + 0
        out.append(Ranked(rank=current, id=e.id, name=e.name, value=shown, members=e.members))
        if limit is not None and len(out) >= limit:
            break
    return tuple(out)


class Avoided(BaseModel):
    """Avoided emissions of a choice against a baseline, with both lines' provenance.

    Attributes
    ----------
    actual, baseline : LineItem
        The calculated lines (factor, table, edition, sha256, source row, notices).
    actual_tco2e, baseline_tco2e : Decimal
        Each line rounded to the gram [tCO2e].
    avoided_tco2e : Decimal
        baseline - actual [tCO2e] (negative when the choice emits more).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    actual: LineItem
    baseline: LineItem
    actual_tco2e: exact_decimal
    baseline_tco2e: exact_decimal
    avoided_tco2e: exact_decimal

    def lines(self) -> tuple[str, str]:
        """The two provenance lines: what each activity emits and from which factor."""
        def one(tag: str, ln: LineItem, t: Decimal) -> str:
            f = ln.factor
            return (f"{tag}: {ln.type} {ln.quantity:g} {ln.quantity_unit} x {f.value:g} "
                    f"{f.unit} = {t} tCO2e ({f.table} {f.factor_id}, {f.source_ref}, "
                    f"sha256 {f.table_sha256[:12]})")
        return (one("baseline", self.baseline, self.baseline_tco2e),
                one("actual", self.actual, self.actual_tco2e))


def avoided(actual: Mapping[str, Any], baseline: Mapping[str, Any], **options: Any) -> Avoided:
    """Emissions avoided by ``actual`` instead of ``baseline`` (two activities, e.g. the metro
    and a car for the same 22 km), calculated with :func:`carbon_footprint.calculate`.

    Parameters
    ----------
    actual, baseline : mapping
        Activities in the library's vocabulary.
    **options
        Passed to ``calculate`` (``tables``, ``on``, ``method``, ``gwp``).

    Raises
    ------
    RankError
        ``avoided_not_ok`` when either activity cannot be calculated (the library's error is
        named).
    """
    fp = calculate([baseline, actual], errors="collect", **options)
    lines = fp.lines
    for which, ln in (("baseline", lines[0]), ("actual", lines[1])):
        if isinstance(ln, ErrorLine):
            raise RankError("avoided_not_ok", {"which": which, "detail": clip(ln.message, 300)})
    base, act = lines[0], lines[1]
    assert isinstance(base, LineItem) and isinstance(act, LineItem)
    b, a = to_tonnes(base.tco2e), to_tonnes(act.tco2e)
    return Avoided(actual=act, baseline=base, actual_tco2e=a, baseline_tco2e=b,
                   avoided_tco2e=b - a)
