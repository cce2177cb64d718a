"""Event footprints: every attendee group, the venue and the phases of an event, in the
categories of China's guide for carbon-neutral large events (MEE, 2019).

An :class:`Event` holds attendee groups (a size and the activities of *one* person, or the
group's totals), the venue's own activities (electricity, fuels, heat, waste, supplies...), and
optional phases on any activity. :func:`calculate_event` computes every activity once with
:func:`~carbon_footprint.calculate` (the same engine, tables and method), multiplies per-person
lines by the group size and reports:

* the total and its breakdowns by MEE category, by group, by phase and by reporting category,
  each adding up exactly to the total (exact decimals to the gram, apportioned);
* per capita, and the venue's share per attendee;
* the boundary: for each of the guide's six sources, whether it was included (with lines),
  excluded (with the organizer's reason) or **not answered** -- an exclusion, never a silent
  zero;
* every line with its provenance.

:meth:`EventFootprint.remainder` gives what is left for the organizer to neutralize once
guests have neutralized their own lines (a line cannot be claimed twice);
:func:`compare` sets a plan made before the event against the actuals.

The MEE categories, and the rule that maps each activity to one (:data:`MEE_RULES`), are
documented in docs/events.md. Large attendee lists go through :func:`calculate_event_frame`.
"""

from __future__ import annotations

import datetime as _dt
import html
import math
from collections import defaultdict
from collections.abc import Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from . import errors as _errors
from ._api import calculate
from ._engine import context_for
from ._exact import GRAM, apportion, to_tonnes
from ._plans import basis_label
from ._registry import CATEGORIES, specs
from ._text import brief, clip, pad
from .errors import ActivityError, ArgumentTypeError, CarbonFootprintError
from .method import Method
from .offsets import OffsetResult, credits_for, offset_policy
from .plot import bar_chart
from .results import ErrorLine, LineItem, ReadOnlyMap
from .tables import TableRef, get_table

__all__ = [
    "MEE_CATEGORIES", "MEE_RULES", "PHASES", "BoundaryItem", "ClaimResult", "Event",
    "EventComparison", "EventError", "EventFootprint", "EventLine", "Group", "calculate_event",
    "calculate_event_frame", "compare", "mee_category",
]

#: The six emission sources of the MEE 2019 guide (排放类型), in its order: key -> (Chinese
#: name as in the guide, English name). ``other`` holds what the guide does not list
#: (refrigerant leaks); it appears only when such lines exist.
MEE_CATEGORIES: dict[str, tuple[str, str]] = {
    "fossil_fuel": ("化石燃料燃烧排放", "Fossil fuel combustion"),
    "purchased_energy": ("净购入电力、热力排放", "Net purchased electricity and heat"),
    "transport": ("交通排放", "Transport"),
    "lodging_catering": ("住宿餐饮排放", "Lodging and catering"),
    "supplies": ("会议用品隐含的碳排放", "Meeting supplies (embodied)"),
    "waste": ("废弃物处理产生的排放", "Waste treatment"),
    "other": ("其他排放", "Other (not listed by the guide)"),
}
SIX = tuple(k for k in MEE_CATEGORIES if k != "other")

#: activity type -> MEE category; ``venue`` overrides for the venue's own activities (the
#: organizer's vehicles are the guide's mobile combustion sources, not participants' transport)
MEE_RULES: dict[str, Any] = {
    "types": {
        "flight": "transport", "rail": "transport", "metro": "transport", "bus": "transport",
        "taxi": "transport", "car": "transport", "motorbike": "transport", "ferry": "transport",
        "hotel": "lodging_catering", "meal": "lodging_catering", "food": "lodging_catering",
        "electricity": "purchased_energy", "heat": "purchased_energy",
        "fuel": "fossil_fuel",
        "material": "supplies", "purchase": "supplies",
        "waste": "waste", "water": "supplies", "refrigerant": "other",
    },
    "venue": {"car": "fossil_fuel", "motorbike": "fossil_fuel", "bus": "fossil_fuel"},
    # waste water sent for treatment is waste treatment; mains water supplied is a supply
    "fields": {("water", "service", "treatment"): "waste"},
}
PHASES = ("preparation", "running", "closing")
_ENTRY_KEYS = ("phase", "id")  # event keys allowed on an activity entry besides its fields


def mee_category(activity_type: str, *, venue: bool = False,
                 fields: Mapping[str, Any] | None = None) -> str:
    """The MEE category of an activity (see :data:`MEE_RULES` and docs/events.md)."""
    for (t, f, v), cat in MEE_RULES["fields"].items():
        if t == activity_type and fields is not None and fields.get(f) == v:
            return str(cat)
    if venue and activity_type in MEE_RULES["venue"]:
        return str(MEE_RULES["venue"][activity_type])
    return str(MEE_RULES["types"].get(activity_type, "other"))


class EventError(CarbonFootprintError):
    """An event file or argument is malformed (not an activity: those raise their own
    ``ActivityError``, placed at the activity's JSON pointer in the event)."""


# -- input ----------------------------------------------------------------------------------
_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Group(_Frozen):
    """Attendees who share the same activities: ``size`` people, each with ``per_person``
    activities, plus the group's ``totals`` (activities for the group as a whole)."""

    id: str = Field(pattern=_ID, description="short id, e.g. non_local")
    title: str | None = Field(None, max_length=200)
    size: int = Field(strict=True, ge=1, le=10_000_000, description="attendees [count]")
    per_person: tuple[dict[str, Any], ...] = Field(
        (), max_length=1_000, description="activities of one attendee (multiplied by size)")
    totals: tuple[dict[str, Any], ...] = Field(
        (), max_length=10_000, description="activities of the whole group (not multiplied)")


class BoundaryDecision(_Frozen):
    """The organizer's decision on one of the guide's sources."""

    included: bool
    reason: str = Field(min_length=1, max_length=500)


class Event(_Frozen):
    """An event: who came, what the venue used, when, and under which method."""

    name: str = Field(min_length=1, max_length=200)
    date: _dt.date | None = Field(None, description="selects the editions in force (calculate on=)")
    location: str | None = Field(
        None, pattern=r"^[A-Za-z]{2}(-[A-Za-z0-9]{1,12}){0,2}$",
        description="ISO 3166 code of where it takes place (CN-SC): the region of venue "
        "electricity and the country of hotels that give none")
    method: str | dict[str, Any] | None = Field(None, description="method profile or settings")
    tables: str | list[str] | None = None
    groups: tuple[Group, ...] = Field((), max_length=1_000)
    venue: tuple[dict[str, Any], ...] = Field((), max_length=100_000)
    boundary: dict[str, BoundaryDecision] = Field(
        default_factory=dict, description="MEE source -> included/excluded with a reason")
    offset: dict[str, Any] | None = None

    @field_validator("groups")
    @classmethod
    def _unique_groups(cls, groups: tuple[Group, ...]) -> tuple[Group, ...]:
        seen: set[str] = set()
        for g in groups:
            if g.id in seen or g.id == "venue":
                raise ValueError(f"group id {g.id!r} is used twice (or is 'venue')")
            seen.add(g.id)
        return groups

    @field_validator("boundary")
    @classmethod
    def _known_sources(cls, b: dict[str, BoundaryDecision]) -> dict[str, BoundaryDecision]:
        for k in b:
            if k not in MEE_CATEGORIES:
                raise ValueError(f"unknown MEE source {k!r}; one of {', '.join(MEE_CATEGORIES)}")
        return b

    @property
    def attendees(self) -> int:
        return sum(g.size for g in self.groups)


def read_event(data: Any) -> Event:
    """An :class:`Event` from a mapping (a parsed YAML/JSON event file) or an Event."""
    if isinstance(data, Event):
        return data
    if not isinstance(data, Mapping):
        raise ArgumentTypeError(f"an event is a mapping (an event file); got "
                                f"{type(data).__name__}")
    try:
        return Event.model_validate(dict(data))
    except ValidationError as exc:
        e = exc.errors(include_url=False)[0]
        where = "/" + "/".join(str(p) for p in e["loc"])
        raise EventError(f"event {where}: {e['msg']}; got {brief(e.get('input'))}"
                         ) from None


# -- result ---------------------------------------------------------------------------------
class EventLine(_Frozen):
    """One activity of the event: its line for one person (or the group/venue) and the total
    for the people it covers."""

    id: str = Field(description="the entry's JSON pointer in the event (or its given id)")
    group: str = Field(description="group id, or 'venue'")
    phase: str | None = None
    mee_category: str
    people: int = Field(description="how many attendees the line is multiplied by")
    per_person: bool = Field(description="a per-person activity of a group (multiplied by its "
                             "size)")
    tco2e: float = Field(description="people x the line's tCO2e (0 for an error)")
    line: LineItem | ErrorLine


class BoundaryItem(_Frozen):
    """One of the guide's sources and whether the event's accounting includes it."""

    source: str
    title_zh: str
    title_en: str
    status: Literal["included", "excluded", "not_answered"]
    reason: str
    tco2e: Decimal


class ClaimResult(_Frozen):
    """What remains for the organizer once some lines were neutralized by the guests."""

    total_tco2e: Decimal
    claimed_tco2e: Decimal
    remaining_tco2e: Decimal
    remaining_by_mee: ReadOnlyMap
    claimed: tuple[tuple[str, int], ...] = Field(description="(line id, people) claimed")


class EventFootprint(BaseModel):
    """The result of :func:`calculate_event`: totals, breakdowns, boundary and lines."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    name: str
    date: _dt.date | None
    location: str | None
    attendees: int
    total_tco2e: Decimal = Field(description="exact to the gram")
    by_mee: ReadOnlyMap = Field(description="MEE category -> tCO2e (the guide's six, plus "
                                "'other' when present); adds up to the total")
    by_group: ReadOnlyMap = Field(description="group id (and 'venue') -> tCO2e")
    by_phase: ReadOnlyMap = Field(description="phase (or 'unspecified') -> tCO2e")
    by_category: ReadOnlyMap = Field(description="reporting category -> tCO2e")
    by_basis: ReadOnlyMap = Field(description="gas basis -> tCO2e (CO2-only lines flagged)")
    per_capita_tco2e: Decimal = Field(description="total / attendees, to the gram")
    venue_tco2e: Decimal
    venue_per_attendee_tco2e: Decimal
    boundary: tuple[BoundaryItem, ...]
    lines: tuple[EventLine, ...] = Field(description="every activity entry, in event order "
                                         "(empty for an event computed from a frame)")
    rejected: int = 0
    offset: OffsetResult
    tables: tuple[TableRef, ...]
    table_set: tuple[str, ...]
    method: Method
    notes: tuple[str, ...] = ()
    library_version: str
    #: an event computed from a frame: its per-row output (not serialized)
    frame: Any = Field(None, exclude=True, repr=False)
    #: tCO2e per MEE category before rounding (what claims are taken from; not serialized)
    mee_floats: dict[str, float] = Field(default_factory=dict, exclude=True, repr=False)

    @property
    def errors(self) -> tuple[EventLine, ...]:
        return tuple(ln for ln in self.lines if isinstance(ln.line, ErrorLine))

    def remainder(self, claims: list[Mapping[str, Any]]) -> ClaimResult:
        """What is left for the organizer after ``claims`` (lines neutralized by guests).

        Each claim is ``{"line": id}`` (the whole line), ``{"line": id, "people": n}`` (``n``
        attendees of a per-person line), ``{"group": id, "people": n}`` (``n`` attendees of a
        group neutralized all their per-person lines) or, for a frame event,
        ``{"attendee": id}``. Claiming more than a line covers, or the same line twice, is an
        :class:`EventError`.
        """
        return _remainder(self, claims)

    def summary(self, locale: str | None = None) -> str:
        """The event as text (what ``carbon-footprint event`` prints)."""
        return _render(self)

    def _repr_html_(self) -> str:
        return _render_html(self)

    def plot(self, by: Literal["mee", "group"] = "mee", ax: Any = None) -> Any:
        """Bar chart by MEE category or by group (needs ``[plot]``)."""
        data = self.by_mee if by == "mee" else self.by_group
        if by == "mee":
            labels = {k: f"{MEE_CATEGORIES[k][1]} {MEE_CATEGORIES[k][0]}" for k in data}
        else:
            labels = {k: k for k in data}
        return bar_chart({labels[k]: float(v) for k, v in data.items()}, ax=ax,
                         title=f"{clip(self.name, 60)}: tCO2e by "
                               f"{'MEE category' if by == 'mee' else 'group'}")


# -- calculation ----------------------------------------------------------------------------
class _Entry(NamedTuple):
    id: str  # the given id, or the pointer
    pointer: str  # JSON pointer of the entry in the event
    group: str
    phase: str | None
    people: int
    venue: bool
    per_person: bool
    activity: dict[str, Any]


def _entries(ev: Event) -> list[_Entry]:
    """Every activity entry of the event, groups first (per person, then totals), then the
    venue; phase and id taken off the activity."""
    out: list[tuple[str, str, int, bool, bool, Any]] = []
    for gi, g in enumerate(ev.groups):
        for part, people in (("per_person", g.size), ("totals", 1)):
            for ai, act in enumerate(getattr(g, part)):
                out.append((f"/groups/{gi}/{part}/{ai}", g.id, people, False,
                            part == "per_person", act))
    for ai, act in enumerate(ev.venue):
        out.append((f"/venue/{ai}", "venue", 1, True, False, act))
    result = []
    for where, group, people, venue, per_person, act in out:
        if not isinstance(act, Mapping):
            raise EventError(f"event {where}: an activity is a mapping; got "
                             f"{type(act).__name__}")
        phase = act.get("phase")
        if phase is not None and phase not in PHASES:
            raise EventError(f"event {where}/phase: unknown phase {brief(phase)}; one of "
                             f"{', '.join(PHASES)}")
        given = act.get("id")
        if given is not None and (not isinstance(given, str) or not 0 < len(given) <= 64):
            raise EventError(f"event {where}/id: an id is a text of 1-64 characters")
        activity = {k: v for k, v in act.items() if k not in _ENTRY_KEYS}
        result.append(_Entry(given or where, where, group, phase, people, venue, per_person,
                             activity))
    ids = [r.id for r in result]
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise EventError(f"event: activity id {brief(dup)} is used twice")
    return result


def _localize(act: dict[str, Any], venue: bool, location: str | None,
              used: dict[str, int]) -> dict[str, Any]:
    """The event location as the default region of venue electricity and country of hotels."""
    if location is None:
        return act
    t = act.get("type")
    if t == "electricity" and venue and "region" not in act:
        used["electricity region"] += 1
        return {**act, "region": location}
    if t == "hotel" and "country" not in act:
        used["hotel country"] += 1
        return {**act, "country": location.split("-")[0]}
    return act


def _error_of(line: ErrorLine) -> ActivityError:
    cls = getattr(_errors, line.error, ActivityError)
    if not (isinstance(cls, type) and issubclass(cls, ActivityError)):
        cls = ActivityError
    state = {"code": line.code, "params": dict(line.params), "index": line.index,
             "field": line.field, "value": line.value, "activity_type": line.type,
             "suggestions": list(line.suggestions)}
    err = _errors._rebuild(cls, state)
    assert isinstance(err, ActivityError)
    return err


def _placed(line: ErrorLine, at: str) -> ErrorLine:
    err = _error_of(line).placed(at)
    d = err.to_dict()
    return ErrorLine(index=line.index, type=line.type, error=d["error"], code=d["code"],
                     message=d["message"], field=d["field"], pointer=d["pointer"],
                     value=d["value"], expected=d["expected"], params=d["params"],
                     suggestions=tuple(d["suggestions"]))


def _quantize(x: Decimal) -> Decimal:
    return x.quantize(GRAM, rounding=ROUND_HALF_EVEN)


def _split(keys: list[str], values: list[float], total: Decimal,
           order: tuple[str, ...] = ()) -> dict[str, Decimal]:
    acc: dict[str, list[float]] = defaultdict(list)
    for k, v in zip(keys, values, strict=True):
        acc[k].append(v)
    names = [k for k in order if k in acc] + sorted(k for k in acc if k not in order)
    parts = apportion([math.fsum(acc[k]) for k in names], total)
    return dict(zip(names, parts, strict=True))


def calculate_event(
    event: Event | Mapping[str, Any],
    *,
    tables: Any = None,
    on: _dt.date | None = None,
    method: Any = None,
    errors: Literal["raise", "collect"] = "raise",
) -> EventFootprint:
    """The footprint of an event (see the module docs and docs/events.md).

    Parameters
    ----------
    event : Event or mapping
        An event (a parsed event file). ``tables``, ``on`` and ``method`` given here override
        the event's own ``tables``, ``date`` and ``method``.
    errors : {"raise", "collect"}
        ``raise`` raises the first invalid activity's error, its pointer inside the event
        (``/groups/0/per_person/2/distance``); ``collect`` keeps every entry, errors included.

    Examples
    --------
    >>> from carbon_footprint.event import calculate_event
    >>> ev = calculate_event({"name": "demo", "location": "CN-SC",
    ...     "groups": [{"id": "guests", "size": 10,
    ...                 "per_person": [{"type": "meal", "diet": "average", "count": 2}]}],
    ...     "venue": [{"type": "electricity", "energy": "1000 kWh"}]})
    >>> ev.total_tco2e, dict(ev.by_mee)["purchased_energy"], ev.per_capita_tco2e
    (Decimal('0.193933'), Decimal('0.156400'), Decimal('0.019393'))
    """
    ev = read_event(event)
    if errors not in ("raise", "collect"):
        raise ArgumentTypeError(f"errors must be 'raise' or 'collect'; got {brief(errors)}")
    entries = _entries(ev)
    used: dict[str, int] = defaultdict(int)
    acts = [_localize(e.activity, e.venue, ev.location, used) for e in entries]
    fp = calculate(acts, tables=tables if tables is not None else ev.tables,
                   on=on if on is not None else ev.date,
                   method=method if method is not None else ev.method,
                   offset=ev.offset, errors="collect")
    lines: list[EventLine] = []
    for e, line in zip(entries, fp.lines, strict=True):
        if isinstance(line, ErrorLine):
            placed = _placed(line, e.pointer)
            if errors == "raise":
                raise _error_of(placed).placed(e.pointer)
            lines.append(EventLine(
                id=e.id, group=e.group, phase=e.phase, mee_category=mee_category(
                    str(e.activity.get("type")), venue=e.venue, fields=e.activity),
                people=e.people, per_person=e.per_person, tco2e=0.0, line=placed))
            continue
        lines.append(EventLine(
            id=e.id, group=e.group, phase=e.phase,
            mee_category=mee_category(line.type, venue=e.venue, fields=e.activity),
            people=e.people, per_person=e.per_person, tco2e=line.tco2e * e.people, line=line))
    notes = [f"event location {ev.location}: used as the {what} of {n} activit"
             f"{'y' if n == 1 else 'ies'} that gave none" for what, n in used.items()]
    return _assemble(ev, lines, fp, tuple(notes), ev.attendees)


def _boundary(ev: Event, by_mee: Mapping[str, Decimal], present: set[str]
              ) -> tuple[BoundaryItem, ...]:
    items = []
    for key in (*SIX, *(["other"] if "other" in present else [])):
        zh, en = MEE_CATEGORIES[key]
        decided = ev.boundary.get(key)
        t = by_mee.get(key, Decimal("0.000000"))
        if key in present:
            if decided is not None and not decided.included:
                raise EventError(f"event /boundary/{key}: declared excluded "
                                 f"({clip(decided.reason, 100)}) but the event has {en.lower()} "
                                 f"activities")
            status, reason = "included", decided.reason if decided else "activities given"
        elif decided is not None:
            status = "included" if decided.included else "excluded"
            reason = decided.reason
        else:
            status, reason = "not_answered", "not answered: no activities and no decision " \
                                             "given (an exclusion, not a zero)"
        items.append(BoundaryItem(source=key, title_zh=zh, title_en=en, status=status,
                                  reason=reason, tco2e=t))
    return tuple(items)


def _assemble(ev: Event, lines: list[EventLine], fp: Any, notes: tuple[str, ...],
              attendees: int, frame: Any = None, parts: Any = None,
              groups: tuple[str, ...] = ()) -> EventFootprint:
    """Totals and exact breakdowns of event lines (or of a frame's aggregated ``parts``:
    [(group, phase, mee, category, basis, tco2e)])."""
    if parts is None:
        parts = [(ln.group, ln.phase, ln.mee_category, ln.line.category, _basis(ln.line),
                  ln.tco2e) for ln in lines if isinstance(ln.line, LineItem)]
    values = [p[5] for p in parts]
    total = to_tonnes(math.fsum(values)) if values else Decimal("0.000000")
    group_order = (*(g.id for g in ev.groups), *groups, "venue")
    by_group = _split([p[0] for p in parts], values, total, group_order)
    by_phase = _split([p[1] or "unspecified" for p in parts], values, total,
                      (*PHASES, "unspecified"))
    by_mee = _split([p[2] for p in parts], values, total, tuple(MEE_CATEGORIES))
    floats: dict[str, list[float]] = defaultdict(list)
    for p in parts:
        floats[p[2]].append(p[5])
    by_category = _split([p[3] for p in parts], values, total, CATEGORIES)
    by_basis = _split([p[4] for p in parts], values, total)
    present = set(by_mee)
    full_mee = {k: by_mee.get(k, Decimal("0.000000")) for k in SIX}
    if "other" in by_mee:
        full_mee["other"] = by_mee["other"]
    boundary = _boundary(ev, by_mee, present)
    venue = by_group.get("venue", Decimal("0.000000"))
    n = Decimal(attendees) if attendees else None
    rejected = sum(1 for ln in lines if isinstance(ln.line, ErrorLine))
    return EventFootprint(
        name=ev.name, date=ev.date, location=ev.location, attendees=attendees,
        total_tco2e=total, by_mee=MappingProxyType(full_mee),
        by_group=MappingProxyType(by_group), by_phase=MappingProxyType(by_phase),
        by_category=MappingProxyType(by_category), by_basis=MappingProxyType(by_basis),
        per_capita_tco2e=_quantize(total / n) if n else Decimal("0.000000"),
        venue_tco2e=venue,
        venue_per_attendee_tco2e=_quantize(venue / n) if n else Decimal("0.000000"),
        boundary=boundary, lines=tuple(lines), rejected=rejected,
        offset=credits_for(total, offset_policy(ev.offset, fp.method.credit_rounding)),
        tables=fp.tables,
        table_set=fp.table_set, method=fp.method, notes=(*notes, *(
            n_.message for n_ in fp.notes)), library_version=fp.library_version, frame=frame,
        mee_floats={k: math.fsum(v) for k, v in floats.items()})


def _factor_basis(ctx: Any, table_id: str, factor_id: str, gas_basis: str) -> str:
    """The basis label calculate() gives a line of this factor (see :func:`_basis`): CO2 only,
    or CO2e in the method's GWP set when the factor was re-expressed from its gas split, else
    in its table's set."""
    if gas_basis == "CO2":
        return "CO2 only"
    table = next((t for t in ctx.tset if t.id == table_id), None)
    if table is None:
        try:
            table = get_table(table_id)
        except CarbonFootprintError:
            return "CO2e"
    gwp = table.meta.gwp
    if ctx.method.gwp is not None:
        split = any(cf.factor.id == factor_id and cf.gases_t is not None
                    for cf in table.index.values())
        if split:
            gwp = ctx.method.gwp
    return f"CO2e ({gwp})" if gwp else "CO2e"


def _basis(line: LineItem) -> str:
    return basis_label(line.gas_basis, line.factor.gwp if line.factor is not None else None)


# -- claims ---------------------------------------------------------------------------------
def _remainder(ev: EventFootprint, claims: list[Mapping[str, Any]]) -> ClaimResult:
    if isinstance(claims, (str, bytes, Mapping)) or not hasattr(claims, "__iter__"):
        raise ArgumentTypeError("claims must be a list of claims")
    by_id = {ln.id: ln for ln in ev.lines}
    groups: dict[str, list[EventLine]] = defaultdict(list)
    for ln in ev.lines:
        if ln.per_person:
            groups[ln.group].append(ln)
    taken: dict[str, int] = defaultdict(int)
    claimed_parts: list[tuple[str, float]] = []
    attendees_done: set[Any] = set()
    for i, c in enumerate(claims):
        if not isinstance(c, Mapping):
            raise EventError(f"claim #{i}: a claim is a mapping; got {type(c).__name__}")
        for key in ("line", "group"):
            if key in c and not isinstance(c[key], str):
                raise EventError(f"claim #{i}/{key}: a {key} id is text; got {brief(c[key])}")
        if "attendee" in c:
            if ev.frame is None:
                raise EventError(f"claim #{i}: 'attendee' claims need an event computed from "
                                 f"a frame")
            a = c["attendee"]
            if isinstance(a, bool) or not isinstance(a, (str, int)):
                raise EventError(f"claim #{i}/attendee: an attendee id is text or a number; "
                                 f"got {brief(a)}")
            if a in attendees_done:
                raise EventError(f"claim #{i}: attendee {brief(a)} is claimed twice")
            attendees_done.add(a)
            continue
        people = c.get("people")
        if people is not None and (isinstance(people, bool) or not isinstance(people, int)
                                   or people < 1):
            raise EventError(f"claim #{i}/people: a whole number >= 1; got {brief(people)}")
        if "line" in c:
            found = by_id.get(c["line"])
            if found is None:
                raise EventError(f"claim #{i}/line: no line {brief(c['line'])} in the event")
            if isinstance(found.line, ErrorLine):
                raise EventError(f"claim #{i}: line {found.id} is an error, nothing to claim")
            targets = [(found, people if people is not None else found.people)]
        elif "group" in c:
            g = c["group"]
            if g not in groups:
                raise EventError(f"claim #{i}/group: no group {brief(g)} in the event")
            if people is None:
                raise EventError(f"claim #{i}/people: a group claim says how many attendees")
            # the attendees' own lines that were calculated (error lines have nothing to claim)
            targets = [(ln, people) for ln in groups[g] if isinstance(ln.line, LineItem)]
        else:
            raise EventError(f"claim #{i}: give 'line', 'group' or 'attendee'")
        for ln, n in targets:
            assert isinstance(ln.line, LineItem)
            taken[ln.id] += n
            if taken[ln.id] > ln.people:
                raise EventError(
                    f"claim #{i}: line {ln.id} is claimed for {taken[ln.id]} attendee(s) but "
                    f"covers {ln.people}: a line cannot be claimed twice")
            claimed_parts.append((ln.mee_category, ln.line.tco2e * n))
    if attendees_done:
        claimed_parts.extend(_frame_claims(ev, attendees_done))
    claimed = to_tonnes(math.fsum(v for _, v in claimed_parts)) if claimed_parts else \
        Decimal("0.000000")
    remaining = ev.total_tco2e - claimed
    per_mee: dict[str, list[float]] = defaultdict(list)
    for k, v in claimed_parts:
        per_mee[k].append(v)
    keys = list(ev.by_mee)
    left = [max(0.0, ev.mee_floats.get(k, 0.0) - math.fsum(per_mee[k])) for k in keys]
    rem = dict(zip(keys, apportion(left, remaining), strict=True)) if keys else {}
    return ClaimResult(total_tco2e=ev.total_tco2e, claimed_tco2e=claimed,
                       remaining_tco2e=remaining, remaining_by_mee=MappingProxyType(rem),
                       claimed=tuple(sorted(taken.items())))


def _frame_claims(ev: EventFootprint, attendees: set[Any]) -> list[tuple[str, float]]:
    out = ev.frame
    col = out.attrs.get("attendee_column", "attendee")
    known = set(out[col].dropna().unique())
    missing = [a for a in attendees if a not in known]
    if missing:
        raise EventError(f"claim: no attendee {brief(missing[0])} in the event")
    rows = out[out[col].isin(list(attendees))]
    sums = rows.groupby("mee_category", observed=True)["tco2e"].sum()
    return [(str(k), float(v)) for k, v in sums.items()]


# -- plan vs actual -------------------------------------------------------------------------
class ComparisonRow(_Frozen):
    key: str
    plan_tco2e: Decimal
    actual_tco2e: Decimal
    change_tco2e: Decimal
    change_percent: float | None


class EventComparison(_Frozen):
    """A plan made before an event against its actuals, by MEE category and by group."""

    total: ComparisonRow
    by_mee: tuple[ComparisonRow, ...]
    by_group: tuple[ComparisonRow, ...]

    def summary(self) -> str:
        out = ["Plan vs actual (tCO2e)", f"  {'':<28} {'plan':>12} {'actual':>12} "
               f"{'change':>12} {'%':>8}"]
        for title, rows in (("MEE category", self.by_mee), ("group", self.by_group)):
            out.append(f" by {title}")
            for r in rows:
                out.append(_row(r))
        out.append(_row(self.total))
        return "\n".join(out)


def _row(r: ComparisonRow) -> str:
    pct = "" if r.change_percent is None else f"{r.change_percent:+.1f}"
    return (f"  {clip(r.key, 28):<28} {r.plan_tco2e:>12.3f} {r.actual_tco2e:>12.3f} "
            f"{r.change_tco2e:>+12.3f} {pct:>8}")


def _cmp(key: str, plan: Decimal, actual: Decimal) -> ComparisonRow:
    change = actual - plan
    pct = float(change / plan * 100) if plan else None
    return ComparisonRow(key=key, plan_tco2e=plan, actual_tco2e=actual, change_tco2e=change,
                         change_percent=pct)


def compare(plan: EventFootprint, actual: EventFootprint) -> EventComparison:
    """Compare an estimate made before the event (``plan``) with the actuals."""
    if not isinstance(plan, EventFootprint) or not isinstance(actual, EventFootprint):
        raise ArgumentTypeError("compare() takes two EventFootprints (plan, actual)")
    zero = Decimal("0.000000")
    mee = [k for k in MEE_CATEGORIES if k in plan.by_mee or k in actual.by_mee]
    groups = list(dict.fromkeys([*plan.by_group, *actual.by_group]))
    return EventComparison(
        total=_cmp("total", plan.total_tco2e, actual.total_tco2e),
        by_mee=tuple(_cmp(k, plan.by_mee.get(k, zero), actual.by_mee.get(k, zero))
                     for k in mee),
        by_group=tuple(_cmp(g, plan.by_group.get(g, zero), actual.by_group.get(g, zero))
                       for g in groups))


# -- large attendee lists -------------------------------------------------------------------
def calculate_event_frame(
    frame: Any,
    event: Event | Mapping[str, Any] | None = None,
    *,
    group_column: str = "group",
    attendee_column: str = "attendee",
    phase_column: str = "phase",
    tables: Any = None,
    on: _dt.date | None = None,
    method: Any = None,
) -> EventFootprint:
    """An event whose attendees' activities are rows of a frame (one activity per row, with
    its attendee id and group), plus the ``event``'s venue activities and groups.

    The rows go through :func:`~carbon_footprint.calculate_frame` (vectorized, equal to
    ``calculate`` row by row); attendees are counted per group as distinct attendee ids
    (a group also listed in ``event.groups`` counts its declared ``size`` instead). Rows that
    are errors are counted in ``rejected``; the per-row output, with the MEE category of each
    row, is ``result.frame``.
    """
    import numpy as np
    import pandas as pd

    from .frame import calculate_frame

    ev = read_event(event if event is not None else {"name": "event"})
    if not isinstance(frame, pd.DataFrame):
        raise ArgumentTypeError(f"calculate_event_frame takes a pandas DataFrame; got "
                                f"{type(frame).__name__}")
    for col in (group_column, attendee_column):
        if col not in frame.columns:
            raise EventError(f"the frame has no {col!r} column (the attendee's "
                             f"{'group' if col == group_column else 'id'})")
    groups = frame[group_column]
    bad = groups.isna() | groups.astype(str).isin(["venue", ""])
    if bad.any():
        row = frame.index[int(np.flatnonzero(bad.to_numpy())[0])]
        raise EventError(f"frame row {row!r}, column {group_column!r}: every row needs a "
                         f"group id (not empty, not 'venue', which is the venue's)")
    if frame[attendee_column].isna().any():
        row = frame.index[int(np.flatnonzero(frame[attendee_column].isna().to_numpy())[0])]
        raise EventError(f"frame row {row!r}, column {attendee_column!r}: every row needs "
                         f"the attendee's id")
    if phase_column in frame.columns:
        phases = frame[phase_column]
        odd = phases.notna() & ~phases.astype(str).isin(PHASES)
        if odd.any():
            row = frame.index[int(np.flatnonzero(odd.to_numpy())[0])]
            raise EventError(f"frame row {row!r}, column {phase_column!r}: unknown phase "
                             f"{brief(phases.loc[row])}; one of {', '.join(PHASES)}")
    if ev.location is not None and "type" in frame.columns:
        # as for an event's groups: the location is the country of hotels that give none
        hotel = (frame["type"] == "hotel").to_numpy()
        if hotel.any():
            frame = frame.copy()
            country = frame["country"].astype(object) if "country" in frame.columns else \
                pd.Series(None, index=frame.index, dtype=object)
            frame["country"] = country.where(~(hotel & country.isna().to_numpy()),
                                             ev.location.split("-")[0])
    keep = [c for c in (group_column, attendee_column, phase_column) if c in frame.columns]
    acts = frame.drop(columns=keep)
    out = calculate_frame(acts, tables=tables if tables is not None else ev.tables,
                          on=on if on is not None else ev.date,
                          method=method if method is not None else ev.method)
    for c in keep:
        out[c] = frame[c]

    n = len(out)

    def factorized(series: Any) -> tuple[Any, Any]:  # codes (NA is a value) and uniques
        codes, uniq = pd.factorize(series, use_na_sentinel=False)
        return np.asarray(codes), list(uniq)

    tcodes, tnames = factorized(acts["type"])
    mee_of_type = [MEE_RULES["types"].get(t, "other") if isinstance(t, str) else "other"
                   for t in tnames]
    if "service" in acts.columns and "water" in tnames:
        scodes, snames = factorized(acts["service"])
        treated = (tcodes == tnames.index("water")) & (
            scodes == (snames.index("treatment") if "treatment" in snames else -1))
    else:
        treated = np.zeros(n, dtype=bool)
    mee_names = [*dict.fromkeys([*mee_of_type, "waste"])]
    mcodes = np.array([mee_names.index(m) for m in mee_of_type], dtype=np.int64)[tcodes]
    mcodes = np.where(treated, mee_names.index("waste"), mcodes)
    out["mee_category"] = pd.Categorical.from_codes(mcodes, categories=mee_names)
    out.attrs["attendee_column"] = attendee_column
    ok = out["error"].isna().to_numpy() if "error" in out.columns else np.ones(n, dtype=bool)
    rows = np.flatnonzero(ok)
    # the gas basis of each factor, as calculate() states it (one per distinct factor)
    tab_codes, tab_names = factorized(out["table"])
    fid_codes, fid_names = factorized(out["factor_id"])
    basis_codes, basis_vals = factorized(out["gas_basis"])
    width = len(fid_names) + 1
    fkey = (tab_codes[rows] * width + fid_codes[rows]) * (len(basis_vals) + 1) \
        + basis_codes[rows]
    fcodes, fuy = pd.factorize(fkey)
    ctx, _ = context_for(tables if tables is not None else ev.tables,
                         on if on is not None else ev.date,
                         method if method is not None else ev.method)
    basis_names = []
    for k in fuy:
        k = int(k)
        b, rest = k % (len(basis_vals) + 1), k // (len(basis_vals) + 1)
        basis_names.append(_factor_basis(ctx, str(tab_names[rest // width]),
                                         str(fid_names[rest % width]), str(basis_vals[b])))
    no_phase = (np.zeros(n, dtype=np.int64), [None])
    coded = [factorized(out[group_column]),
             factorized(out[phase_column]) if phase_column in out else no_phase,
             (mcodes, mee_names), factorized(out["reporting_category"])]
    key = np.zeros(rows.size, dtype=np.int64)
    decoders = []
    for codes, uniq in coded:
        key = key * (len(uniq) + 1) + codes[rows]
        decoders.append((uniq, len(uniq) + 1))
    key = key * (len(basis_names) + 1) + (np.asarray(fcodes) if rows.size else 0)
    decoders.append((basis_names, len(basis_names) + 1))
    kcodes, kuniq = pd.factorize(key)
    sums = np.bincount(kcodes, weights=out["tco2e"].to_numpy(dtype=float)[rows],
                       minlength=len(kuniq)) if rows.size else np.zeros(0)
    parts = []
    for k, t in zip(kuniq, sums, strict=True):
        vals = []
        for uniq, radix in reversed(decoders):
            vals.append(uniq[int(k % radix)])
            k //= radix
        g, p, m, c, b = reversed(vals)
        phase = None if p is None or (isinstance(p, float) and math.isnan(p)) else str(p)
        parts.append((str(g), phase, str(m), str(c), str(b), float(t)))
    # the event's own groups and venue, computed the usual way
    own = calculate_event(ev, tables=tables, on=on, method=method) if (
        ev.groups or ev.venue) else None
    if own is not None:
        parts += [(ln.group, ln.phase, ln.mee_category, ln.line.category, _basis(ln.line),
                   ln.tco2e) for ln in own.lines if isinstance(ln.line, LineItem)]
    counted = {g.id: g.size for g in ev.groups}
    sizes = frame.groupby(group_column, observed=True)[attendee_column].nunique()
    attendees = sum(counted.values()) + int(sum(v for g, v in sizes.items()
                                                if str(g) not in counted))
    fp = _FrameInfo(out, tables, on, method, ev)
    result = _assemble(ev, list(own.lines) if own else [], fp, own.notes if own else (),
                       attendees, frame=out, parts=parts,
                       groups=tuple(str(g) for g in coded[0][1] if g is not None))
    rejected = int((~ok).sum())
    return result.model_copy(update={"rejected": result.rejected + rejected})


class _FrameInfo:
    """Provenance of a frame event: the tables and method calculate() would report."""

    def __init__(self, out: Any, tables: Any, on: Any, method: Any, ev: Event) -> None:
        probe = calculate([], tables=tables if tables is not None else ev.tables,
                          on=on if on is not None else ev.date,
                          method=method if method is not None else ev.method)
        used = set(out["table"].dropna().astype(str).unique()) if "table" in out else set()
        refs = []
        for tid in sorted(used):
            try:
                ref = get_table(tid).ref
            except CarbonFootprintError:
                continue
            if ref is not None:
                refs.append(ref)
        self.tables = tuple(refs)
        self.table_set = probe.table_set
        self.method = probe.method
        self.notes = probe.notes
        self.library_version = probe.library_version


# -- text and HTML --------------------------------------------------------------------------
def _render(ev: EventFootprint) -> str:
    out = [f"Event: {clip(ev.name, 120)}"
           + (f"  ({ev.date.isoformat()})" if ev.date else "")
           + (f"  at {ev.location}" if ev.location else ""),
           f"Method: {ev.method.name} v{ev.method.version}"
           + (f" (overrides: {', '.join(ev.method.overrides)})" if ev.method.overrides else ""),
           f"Total: {ev.total_tco2e:.6f} tCO2e for {ev.attendees} attendees: "
           f"{ev.per_capita_tco2e:.6f} t per attendee (venue {ev.venue_per_attendee_tco2e:.6f})"
           + (f"  ({ev.rejected} activit{'y' if ev.rejected == 1 else 'ies'} rejected)"
              if ev.rejected else ""), "",
           "By MEE category (大型活动碳中和实施指南, 2019)"]
    status = {b.source: b for b in ev.boundary}
    for k, t in ev.by_mee.items():
        zh, en = MEE_CATEGORIES[k]
        b = status.get(k)
        flag = "" if b is None or b.status == "included" else f"  [{b.status}: " \
            f"{clip(b.reason, 80)}]"
        co2 = "  (includes CO2-only lines)" if any(
            ln.mee_category == k and isinstance(ln.line, LineItem)
            and ln.line.gas_basis == "CO2" for ln in ev.lines) else ""
        out.append(f"  {en:<36} {pad(zh, 22)} {t:12.6f} t{co2}{flag}")
    for title, data in (("group", ev.by_group), ("phase", ev.by_phase),
                        ("reporting category", ev.by_category), ("gas basis", ev.by_basis)):
        out += ["", f"By {title}"]
        for k, t in data.items():
            out.append(f"  {clip(str(k), 36):<36} {t:12.6f} t")
    out += ["", "Boundary"]
    for b in ev.boundary:
        out.append(f"  {b.title_en:<36} {b.status:<13} {clip(b.reason, 100)}")
    if ev.lines:
        out += ["", "Lines"]
        for ln in ev.lines:
            line = ln.line
            if isinstance(line, ErrorLine):
                out.append(f"  {clip(ln.id, 30):<30} ERROR {clip(line.message, 300)}")
                continue
            f = line.factor
            out.append(f"  {clip(ln.id, 30):<30} {line.type:<11} {ln.people:>7} x "
                       f"{line.tco2e:.6f} = {ln.tco2e:12.6f} t  [{f.table} {f.factor_id}]")
            for n in line.notices:
                out.append(f"  {'':<30} note: {clip(n.message, 200)}")
    o = ev.offset
    out += ["", f"Offset: {o.credits} credit(s) of {o.policy.credit_size_tco2e} tCO2e "
                f"(covers {o.covers_tco2e} t)"]
    if ev.notes:
        out.append("")
        out += [f"note: {clip(n, 300)}" for n in ev.notes]
    return "\n".join(out)


def _render_html(ev: EventFootprint) -> str:
    rows = "".join(f"<tr><td>{html.escape(MEE_CATEGORIES[k][1])}</td><td>"
                   f"{html.escape(MEE_CATEGORIES[k][0])}</td><td style='text-align:right'>"
                   f"{t:.6f}</td></tr>" for k, t in ev.by_mee.items())
    groups = "".join(f"<tr><td>{html.escape(str(k))}</td><td style='text-align:right'>"
                     f"{t:.6f}</td></tr>" for k, t in ev.by_group.items())
    bounds = "".join(f"<tr><td>{html.escape(b.title_en)}</td><td>{html.escape(b.status)}</td>"
                     f"<td>{html.escape(clip(b.reason, 200))}</td></tr>" for b in ev.boundary)
    return (f"<div><h4>{html.escape(clip(ev.name, 120))}: {ev.total_tco2e:.3f} tCO2e "
            f"({ev.attendees} attendees, {ev.per_capita_tco2e:.4f} t each; method "
            f"{html.escape(ev.method.name)})</h4>"
            f"<table><tr><th>MEE category</th><th></th><th>tCO2e</th></tr>{rows}</table>"
            f"<table><tr><th>group</th><th>tCO2e</th></tr>{groups}</table>"
            f"<table><tr><th>source</th><th>boundary</th><th>reason</th></tr>{bounds}</table>"
            f"</div>")


def event_schema_keys() -> tuple[str, ...]:
    """Keys an activity entry of an event may carry besides the activity's own fields."""
    return _ENTRY_KEYS


def _check_rules() -> None:
    """Every registered activity type has an MEE category (checked by the test suite)."""
    missing = [t for t in specs() if t not in MEE_RULES["types"]]
    if missing:
        raise AssertionError(f"no MEE category for {missing}")
