"""Plans: an activity of one *shape* (every field but its quantity) compiled once.

A :class:`Plan` says, for every value of the activity's quantity, which factor applies (one
:class:`Segment` per band: a flight's distance band, say; most plans have one), what the amount
in the factor's unit is (the quantity times ``multiplier``, or a ``fixed`` amount when the
quantity is not an input, e.g. a flight between two airports) and every notice the line carries.
Evaluating a plan is a comparison and two multiplications: the calculation engine and the
columnar path both evaluate the same plans, so they cannot disagree.

:class:`Context` is what an activity's compile function gets: the table set, the method profile
and the one factor lookup (with GWP re-expression applied), plus helpers that build plans.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._cache import BoundedCache
from ._gwp import gwp_table_ref, regwp
from ._notices import Notice, notice
from .errors import ActivityError
from .tables import CompiledFactor, FactorRef, Hit, TableRef, TableSet

if TYPE_CHECKING:
    from .method import Method

__all__ = ["PLANS", "Context", "Kind", "Plan", "Segment", "basis_label"]

#: compiled plans of every context, keyed by (context, shape): one bounded memory budget
PLANS: BoundedCache[Any, Any] = BoundedCache("plans", 16_384)


@dataclass(frozen=True, slots=True)
class Segment:
    """The factor that applies on one band of the quantity (or the error where none does).

    ``t_per_unit`` is the whole factor applied (direct, plus upstream when the method includes
    it and the tables publish it); ``up_t_per_unit`` is the upstream part of it.
    """

    t_per_unit: float
    factor: FactorRef | None
    gas_basis: str
    notices: tuple[Notice, ...]
    table_id: str
    error: ActivityError | None = None
    upstream: FactorRef | None = None
    up_t_per_unit: float = 0.0


def basis_label(gas_basis: str, gwp: str | None) -> str:
    """The gas basis a line is reported under: ``CO2e (AR5)``, ``CO2e``, ``CO2 only``."""
    if gas_basis == "CO2":
        return "CO2 only"
    return f"CO2e ({gwp})" if gwp else "CO2e"


class Kind:
    """What every line of one plan segment shares: the line's fixed fields (``proto``), the
    factor per unit (whole and upstream part), the breakdown keys and the tables behind it. A
    calculation keeps one reference to a kind and one amount per line; lines are built from
    them when asked for.
    ``json`` holds the line's fixed JSON pieces once a JSON writer has made them."""

    __slots__ = ("basis", "category", "json", "proto", "rate_tables", "t_per_unit", "table",
                 "up_t_per_unit")

    def __init__(self, plan: Plan, proto: dict[str, Any], segment: Segment) -> None:
        self.rate_tables = plan.tables  # the plan's rate tables (no reference to the plan:
        self.proto = proto              # a plan and its kinds make no cycle)
        self.category = plan.category
        self.t_per_unit = segment.t_per_unit
        self.up_t_per_unit = segment.up_t_per_unit
        f = segment.factor
        self.table = None if f is None else f.table
        self.basis = basis_label(segment.gas_basis, None if f is None else f.gwp)
        self.json: Any = None


@dataclass(frozen=True, slots=True)
class Plan:
    """How to turn an activity of one shape into a line, for any value of its quantity."""

    type: str
    category: str
    unit: str  # the amount's unit (the factor's per unit)
    multiplier: float  # amount = quantity [canonical] x multiplier
    fixed: float | None  # the amount when the quantity is not an input
    bounds: tuple[float, ...]  # segment i applies below bounds[i]; the last is open
    segments: tuple[Segment, ...]
    limit: float | None = None  # largest amount accepted (e.g. money after conversion)
    limit_field: str | None = None
    tables: tuple[TableRef, ...] = ()  # rate tables behind the amount
    notices: tuple[Notice, ...] = field(default=())
    #: per segment, the line's fields that do not depend on the input (copied per line)
    protos: tuple[dict[str, Any], ...] = field(default=(), compare=False)
    #: per segment, its :class:`Kind`
    kinds: tuple[Kind, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "protos", tuple(
            {"status": "ok", "index": 0, "type": self.type, "category": self.category,
             "label": None, "tco2e": 0.0, "gas_basis": s.gas_basis, "quantity": 0.0,
             "quantity_unit": self.unit, "factor": s.factor, "notices": s.notices,
             "scope": "direct+upstream" if s.upstream is not None else "direct",
             "upstream": s.upstream, "upstream_tco2e": None}
            for s in self.segments))
        object.__setattr__(self, "kinds", tuple(
            Kind(self, p, s) for p, s in zip(self.protos, self.segments, strict=True)))

    def segment(self, quantity: float) -> Segment:
        if len(self.segments) == 1:
            return self.segments[0]
        return self.segments[bisect_right(self.bounds, quantity)]


class Context:
    """The table set, method and GWP basis of one calculation, and its plan memo."""

    def __init__(self, tset: TableSet, method: Method) -> None:
        self.tset = tset
        self.method = method
        self.gwp = method.gwp
        self.strict = method.gwp_strict
        #: (this context, shape key) -> Plan, or an ActivityError (a shape that cannot
        #: compile); one bound for every context together (see docs/security.md)
        self.plans = PLANS
        self._regwp: dict[int, tuple[CompiledFactor, CompiledFactor]] = {}
        self.extra_tables: tuple[TableRef, ...] = (gwp_table_ref(),) if self.gwp else ()

    # -- lookups ----------------------------------------------------------------------------
    def find(self, activity: str, selectors: dict[str, Any], region: str | None = None, *,
             field: str, value: Any, region_field: str | None = None) -> Hit:
        """The one factor lookup (:meth:`TableSet.find`), in the calculation's GWP set."""
        hit = self.tset.find(activity, selectors, region, field=field, value=value,
                             region_field=region_field)
        return self.in_gwp(hit)

    def in_gwp(self, hit: Hit) -> Hit:
        """``hit`` with its factor expressed in the calculation's GWP set (if one is set)."""
        if self.gwp is None:
            return hit
        held = self._regwp.get(id(hit.factor))  # (the factor, kept alive; its re-expression)
        if held is not None and held[0] is hit.factor:
            cf = held[1]
        else:
            cf = regwp(hit.factor, self.gwp, self.strict)
            if len(self._regwp) < 4_096:
                self._regwp[id(hit.factor)] = (hit.factor, cf)
        extra = cf.notices[len(hit.factor.notices):]
        return Hit(cf, (*hit.notices, *extra))

    # -- plan builders ----------------------------------------------------------------------
    def segment(self, hit: Hit, notices: tuple[Notice, ...] = ()) -> Segment:
        """A segment for a found factor, with its upstream part when the method asks."""
        cf = hit.factor
        if not self.method.upstream:
            return Segment(cf.t_per_unit, cf.ref, cf.gas_basis, (*notices, *hit.notices),
                           cf.table_id)
        up = self.tset.upstream_for(cf)
        if up is None:
            missing = ((notice("upstream_missing"),)
                       if cf.factor.activity in self.tset.upstream_activities else ())
            return Segment(cf.t_per_unit, cf.ref, cf.gas_basis,
                           (*notices, *hit.notices, *missing), cf.table_id)
        up_hit = self.in_gwp(Hit(up, ()))
        upf = up_hit.factor
        return Segment(cf.t_per_unit + upf.t_per_unit, cf.ref, cf.gas_basis,
                       (*notices, *hit.notices, *up_hit.notices, *upf.notices), cf.table_id,
                       upstream=upf.ref, up_t_per_unit=upf.t_per_unit)

    def linear(self, spec: Any, hit: Hit, *, multiplier: float = 1.0, unit: str | None = None,
               notices: tuple[Notice, ...] = (), **extra: Any) -> Plan:
        """A plan with one factor, the amount proportional to the quantity."""
        return Plan(spec.type, spec.category, unit or hit.factor.per_unit, multiplier, None,
                    (), (self.segment(hit, notices),), **extra)

    def fixed(self, spec: Any, hit: Hit, amount: float, *, unit: str | None = None,
              notices: tuple[Notice, ...] = (), **extra: Any) -> Plan:
        """A plan whose amount does not depend on a quantity (counts, airports)."""
        return Plan(spec.type, spec.category, unit or hit.factor.per_unit, 1.0, amount, (),
                    (self.segment(hit, notices),), **extra)

    def banded(self, spec: Any, bands: list[tuple[float | None, Hit | ActivityError]], *,
               multiplier: float, unit: str, notices: tuple[Notice, ...] = ()) -> Plan:
        """A plan whose factor depends on the quantity: ``bands`` = [(upper bound, hit)]."""
        segments = []
        bounds = []
        for below, hit in bands:
            if isinstance(hit, ActivityError):
                segments.append(Segment(0.0, None, "CO2e", (), "", error=hit))
            else:
                segments.append(self.segment(hit, notices))
            if below is not None:
                bounds.append(below)
        return Plan(spec.type, spec.category, unit, multiplier, None, tuple(bounds),
                    tuple(segments))
