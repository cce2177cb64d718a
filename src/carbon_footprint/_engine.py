"""The calculation engine: validate -> compile the shape once -> evaluate -> sum -> offset.

Most inputs share a *shape* (their type and every field but the one quantity their emissions
are linear in) and differ only in that quantity. The engine compiles each shape once per table
set and method into a :class:`~carbon_footprint._plans.Plan` (full pydantic validation of a
template, the factor lookup, unit and currency conversion, notices), memoized in a bounded,
thread-safe cache; then for each input it parses only the quantity (the same parser, grammar
and bounds as the model field) and evaluates the plan. Anything unusual -- a value that is not a
plain JSON scalar, a quantity that does not parse, a label that pydantic would strip, a shape
that does not compile -- takes the full path (validate the whole activity, then the same plan),
so results and errors are exactly those of validating every input in full; a property test
checks the two paths against each other.

The columnar path (:mod:`carbon_footprint.frame`) compiles the same plans through
:func:`plan_for_raw` and evaluates them vectorized, so the two cannot disagree.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from operator import itemgetter
from types import MappingProxyType
from typing import Any, get_args

from pydantic import ValidationError

from ._cache import BoundedCache
from ._exact import apportion, tonnes_and_grams
from ._gwp import check_gwp
from ._models import fast_constructor
from ._notices import Notice
from ._plans import Context, Kind, Plan
from ._registry import CATEGORIES, ActivitySpec, specs
from ._text import clip
from ._version import __version__
from .activities import ActivityBase, validate_activity
from .errors import (
    ActivityError,
    ArgumentTypeError,
    CarbonFootprintError,
    QuantityError,
)
from .method import resolve_method
from .offsets import credits_for_total, offset_policy
from .results import ErrorLine, Footprint, LineItem, Rows, line_of
from .tables import TableRef, get_table, resolve_tables, tables_on
from .units import KINDS, MAX_TEXT, Measured, QuantityKind, parse_quantity

__all__ = ["FAIL", "compute", "context_for", "evaluate", "full_line", "plan_for_model",
           "plan_for_raw"]

_MISSING = object()
#: a raw shape that does not compile: take the full path for inputs of that shape
FAIL = object()

_new_footprint = fast_constructor(Footprint)
_new_error = fast_constructor(ErrorLine)
_CONTEXTS: BoundedCache[tuple[Any, ...], Context] = BoundedCache("calculation contexts", 32)
_MAX_LABEL = 200


#: (tables, on, method, gwp) as given, when all are plain values -> (context, notes): a web
#: request with the same options skips resolving them again (cleared with the contexts)
_ARGS: BoundedCache[tuple[Any, ...], tuple[Context, tuple[Notice, ...]]] = BoundedCache(
    "calculation options", 256)
_PLAIN_OPTION = (str, type(None), date)


def context_for(tables: Any = None, on: date | None = None, method: Any = None,
                gwp: Any = None) -> tuple[Context, tuple[Notice, ...]]:
    """The compiled context (table set + method) of a calculation, and how tables were chosen."""
    plain = (type(tables) in _PLAIN_OPTION and type(on) in _PLAIN_OPTION
             and type(method) in _PLAIN_OPTION and type(gwp) in _PLAIN_OPTION)
    if plain:
        hit = _ARGS.get((tables, on, method, gwp))
        if hit is not None:
            return hit
    out = _context_for(tables, on, method, gwp)
    if plain:
        _ARGS.put((tables, on, method, gwp), out)
    return out


def _context_for(tables: Any, on: date | None, method: Any, gwp: Any
                 ) -> tuple[Context, tuple[Notice, ...]]:
    m = resolve_method(method, gwp=check_gwp(gwp))
    notes: tuple[Notice, ...] = ()
    if on is not None:
        if tables is not None:
            raise CarbonFootprintError("give tables or on (a date), not both")
        ids, chosen = tables_on(on, unverified=m.editions == "any")
        tables, notes = ids, tuple(chosen)
    tset = resolve_tables(tables)
    key = (tset, m)
    ctx = _CONTEXTS.get(key)
    if ctx is None:
        ctx = _CONTEXTS.put(key, Context(tset, m))
    return ctx, notes


def _template(spec: ActivitySpec, canonical: str) -> Measured:
    return Measured(1.0, canonical, 1.0, canonical)


def plan_for_model(model: ActivityBase, ctx: Context, spec: ActivitySpec | None = None
                   ) -> Plan:
    """The plan of a validated activity's shape (memoized); raises its ``ActivityError``."""
    atype: str = model.type  # type: ignore[attr-defined]
    spec = spec or specs()[atype]
    q = spec.quantity
    measured = getattr(model, q) if q else None
    values = model.__dict__
    # which fields were given is part of the shape: a default taken is said on the line
    key = (ctx, type(model), tuple(v for k, v in values.items() if k != "label" and k != q),
           None if measured is None else measured.canonical,
           frozenset(model.model_fields_set))
    hit = ctx.plans.get(key)
    if hit is None:
        update: dict[str, Any] = {"label": None}
        if measured is not None:
            update[q] = _template(spec, measured.canonical)  # type: ignore[index]
        try:
            hit = spec.compile(model.model_copy(update=update), ctx)
        except ActivityError as exc:  # remembered without its traceback (and its frames)
            hit = exc.located(exc.index, exc.activity_type)
        ctx.plans.put(key, hit)
    if isinstance(hit, ActivityError):
        raise hit.located(None, atype)
    return hit  # type: ignore[no-any-return]


def plan_for_raw(spec: ActivitySpec, items: dict[str, Any], canonical: str | None,
                 ctx: Context) -> Any:
    """The plan of a raw shape (a dict without its label and quantity), or :data:`FAIL`."""
    template = dict(items)
    if canonical is not None:
        template[spec.quantity] = _template(spec, canonical)  # type: ignore[index]
    try:
        # the type's own model: what the union chooses for this "type" (built on first use)
        model = spec.model.model_validate(template)
    except (ValidationError, RecursionError):
        return FAIL
    try:
        return plan_for_model(model, ctx, spec)
    except ActivityError:
        return FAIL


def row(plan: Plan, quantity: float | None, index: int) -> tuple[Kind, float]:
    """The kind (plan segment) and amount of an input of ``plan``'s shape with ``quantity``
    [canonical units]; raises the input's error (no factor on that band, amount too large)."""
    if plan.fixed is not None:
        amount = plan.fixed
        b = 0
    else:
        assert quantity is not None
        amount = quantity * plan.multiplier
        b = 0 if len(plan.segments) == 1 else bisect_right(plan.bounds, quantity)
    seg = plan.segments[b]
    if seg.error is not None:
        raise seg.error.located(index, plan.type)
    if plan.limit is not None and not amount <= plan.limit:
        raise _over_limit(plan, amount, index)
    return plan.kinds[b], amount


def evaluate(plan: Plan, quantity: float | None, index: int, label: str | None) -> LineItem:
    """The line of an input of ``plan``'s shape with ``quantity`` [canonical units]."""
    kind, amount = row(plan, quantity, index)
    return line_of(kind, amount, index, label)


def _over_limit(plan: Plan, amount: float, index: int) -> QuantityError:
    return QuantityError("quantity_too_large", index=index, field=plan.limit_field,
                         activity_type=plan.type, value=amount, params={
                             "what": f"{plan.limit_field} after conversion",
                             "limit": f"{plan.limit:g}", "unit": plan.unit, "expected": ""})


def error_line(exc: ActivityError, raw: Any, index: int) -> ErrorLine:
    d = exc.to_dict()
    atype = d["type"]
    if atype is None:
        t = raw.get("type") if isinstance(raw, dict) else getattr(raw, "type", None)
        atype = clip(t, 40) if isinstance(t, str) else None  # escaped: JSON-safe
    line: ErrorLine = _new_error({
        "status": "error", "index": index, "type": atype, "error": d["error"],
        "code": d["code"], "message": d["message"], "field": d["field"],
        "pointer": d["pointer"], "value": d["value"], "expected": d["expected"],
        "params": d["params"], "suggestions": tuple(d["suggestions"])})
    return line


def full_row(raw: Any, index: int, ctx: Context) -> tuple[Kind, float, str | None, Plan]:
    """The full path: validate the whole activity, then its shape's plan; the input's kind,
    amount and label, and the plan."""
    model = validate_activity(raw, index)
    atype: str = model.type  # type: ignore[attr-defined]
    spec = specs().get(atype)
    if spec is None:  # a model class that is not registered
        raise ArgumentTypeError(f"{type(model).__name__} is not a registered activity type")
    failure: ActivityError | None = None
    try:
        plan = plan_for_model(model, ctx, spec)
    except ActivityError as exc:
        failure = exc.located(index, atype)
    if failure is not None:  # raised outside the handler: no exception context to carry
        raise failure
    q = getattr(model, spec.quantity) if spec.quantity else None
    kind, amount = row(plan, None if q is None else q.value, index)
    return kind, amount, model.label, plan


def full_line(raw: Any, index: int, ctx: Context) -> tuple[LineItem, Plan]:
    """The full path (:func:`full_row`) as a line."""
    kind, amount, label, plan = full_row(raw, index, ctx)
    return line_of(kind, amount, index, label), plan


def _shape_getter(layout: tuple[str, ...], spec: ActivitySpec) -> tuple[Any, bool]:
    """A C-level getter of the values that make an input's shape (every key of ``layout`` but
    the quantity and the label, always a tuple), and whether the key must also hold their
    types: only fields that take numbers or booleans can be given a value of another type
    that compares equal (``True == 1 == 1.0``); text fields cannot."""
    keys = [k for k in layout if k != spec.quantity and k != "label"]
    fields = spec.model.model_fields
    typed = any(k not in fields or _takes_numbers(fields[k].annotation) for k in keys)
    if len(keys) == 1:
        only = keys[0]
        return (lambda raw: (raw[only],)), typed
    return (itemgetter(*keys) if keys else (lambda raw: ())), typed


def _takes_numbers(annotation: Any) -> bool:
    args = get_args(annotation) or (annotation,)
    return any(a in (int, float, bool) or get_args(a) for a in args)


_LAYOUTS: BoundedCache[tuple[str, ...], dict[str, Any]] = BoundedCache("input layouts", 4_096)
_NO_LAYOUT: dict[str, Any] = {}
#: the longest field name and text value a memo key may hold (longer: not memoized)
_KEY_TEXT = 64
_VALUE_TEXT = 256


def _unicode(text: str) -> bool:
    """Whether ``text`` is valid Unicode (no lone surrogates, which JSON cannot carry in
    UTF-8 and the model refuses)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _plain_keys(layout: tuple[Any, ...]) -> bool:
    """Whether every key is a short string (only such layouts are memoized)."""
    return all(type(k) is str and len(k) <= _KEY_TEXT for k in layout)


def _small(vals: tuple[Any, ...]) -> bool:
    """Whether a failed shape's values are small enough to remember (bounded memory)."""
    return all((type(v) is not str or len(v) <= _VALUE_TEXT)
               and (type(v) is not int or -(2**64) < v < 2**64) for v in vals)


def _rows(raws: list[Any], ctx: Context, collect: bool
          ) -> tuple[Rows, dict[Kind, list[float]], int]:
    """Every input's kind and amount, in order (its line, built when asked for, is the one
    ``evaluate`` builds), the amounts by kind, and how many inputs were rejected: the
    compiled fast path where it applies (see the module docs), else the full path. This loop
    is the hot path of the library: it is written out rather than factored into calls.

    The shape key of a dict input is its key layout, the values of every key but the quantity
    and the label, the types of those values when any is a number (``True == 1 == 1.0`` in
    Python, but not to the validator) and the quantity's canonical unit.
    """
    line_kinds: list[Kind | None] = []
    amounts: list[float] = []
    kinds_append = line_kinds.append
    amounts_append = amounts.append
    labels: dict[int, str] = {}
    errors: dict[int, ErrorLine] = {}
    by_kind: dict[Kind, list[float]] = defaultdict(list)
    rejected = 0
    by_type = specs()
    plans = ctx.plans
    get_plan = plans.get
    layouts = _LAYOUTS
    kinds: dict[str, QuantityKind] = KINDS
    plan: Any
    t: Any
    failure: ActivityError
    for i, raw in enumerate(raws):
        try:
            if type(raw) is dict:
                t = raw.get("type")
                spec = by_type.get(t) if type(t) is str and len(t) <= 40 else None
                if spec is not None:
                    label = raw.get("label")
                    if label is None or (type(label) is str and len(label) <= _MAX_LABEL and (
                            not label or not (label[0].isspace() or label[-1].isspace()))
                            and (label.isascii() or _unicode(label))):
                        q = spec.quantity
                        qraw = raw.get(q, _MISSING) if q else _MISSING
                        ok = True
                        qv: float | None = None
                        canonical: str | None = None
                        if qraw is not _MISSING:
                            if type(qraw) is str and len(qraw) <= MAX_TEXT:
                                qkind = kinds[spec.kind]  # type: ignore[index]
                                # "<ASCII decimal> <unit seen before>": the simplest case of
                                # parse_quantity's grammar, with its number, factor and bound
                                # (a property test checks the two agree)
                                sp = qraw.find(" ")
                                num = qraw[:sp]
                                hit = qkind.factors.get(qraw[sp + 1:]) if sp > 0 else None
                                if hit is not None and num.isascii() and \
                                        num.replace(".", "", 1).isdigit() and \
                                        (qv := float(num) * hit[0] + 0.0) <= hit[2]:
                                    canonical = hit[1]
                                else:
                                    try:
                                        m = parse_quantity(qraw, qkind)
                                        qv, canonical = m.value, m.canonical
                                    except ActivityError:
                                        ok = False
                            else:
                                ok = False
                        if ok:
                            layout = tuple(raw)
                            getters = layouts.get(layout)
                            if getters is None:
                                getters = layouts.put(layout, {}) if _plain_keys(layout) \
                                    else _NO_LAYOUT
                            found = getters.get(t)
                            if found is None and getters is not _NO_LAYOUT:
                                found = getters[t] = _shape_getter(layout, spec)
                            if found is None:  # odd keys: the full path names them
                                plan = FAIL
                            else:
                                vals = found[0](raw)
                                key: Any = (ctx, layout, vals, tuple(map(type, vals)),
                                            canonical) if found[1] else (ctx, layout, vals,
                                                                         canonical)
                                plan = None
                                for v in vals:  # long text goes unhashed to the full path,
                                    if type(v) is str and len(v) > _VALUE_TEXT:  # which
                                        plan = FAIL  # refuses it (hashing 1 MB: ~0.2 ms)
                                        break
                                try:
                                    if plan is None:
                                        plan = get_plan(key)
                                except TypeError:  # an unhashable value: the full path
                                    plan = FAIL
                                else:
                                    if plan is None:
                                        items = dict(raw)
                                        items.pop("label", None)
                                        if q:
                                            items.pop(q, None)
                                        plan = plan_for_raw(spec, items, canonical, ctx)
                                        if plan is not FAIL or _small(vals):  # bounded memory
                                            plans.put(key, plan)
                            if plan is not FAIL:
                                # evaluate(plan, qv, i, label), written out
                                if plan.fixed is not None:
                                    amount = plan.fixed
                                    b = 0
                                else:
                                    amount = qv * plan.multiplier
                                    b = 0 if len(plan.segments) == 1 else bisect_right(
                                        plan.bounds, qv)
                                seg = plan.segments[b]
                                if seg.error is not None or (
                                        plan.limit is not None
                                        and not amount <= plan.limit):
                                    row(plan, qv, i)  # raises the error
                                kind = plan.kinds[b]
                                kinds_append(kind)
                                amounts_append(amount)
                                if label is not None:
                                    labels[i] = label
                                by_kind[kind].append(amount)
                                continue
            kind, amount, label, plan = full_row(raw, i, ctx)
        except ActivityError as exc:
            located = exc.located(i, exc.activity_type)
            if not collect:
                failure = located
                break
            kinds_append(None)
            amounts_append(0.0)
            errors[i] = error_line(located, raw, i)
            rejected += 1
            continue
        kinds_append(kind)
        amounts_append(amount)
        if label is not None:
            labels[i] = label
        by_kind[kind].append(amount)
    else:
        return Rows(line_kinds, amounts, labels, errors), by_kind, rejected
    raise failure  # outside the handler: the error carries no exception context


#: (context, the kinds of a calculation in order of first use) -> the tables behind them
_TABLES_USED: BoundedCache[tuple[Any, ...], tuple[TableRef, ...]] = BoundedCache(
    "tables used", 1_024)


def _tables_used(kinds: Iterable[Kind], ctx: Context) -> tuple[TableRef, ...]:
    """The factor and rate tables behind the lines (``kinds`` in order of first use), in
    order of first use; remembered for small sets of kinds (one guest's, say)."""
    seq = tuple(kinds)
    if len(seq) > 64:
        return _find_tables_used(seq, ctx)
    key = (ctx, seq)
    hit = _TABLES_USED.get(key)
    if hit is None:
        hit = _TABLES_USED.put(key, _find_tables_used(seq, ctx))
    return hit


def _find_tables_used(kinds: tuple[Kind, ...], ctx: Context) -> tuple[TableRef, ...]:
    out: dict[str, TableRef] = {}
    rates: dict[int, tuple[TableRef, ...]] = {}
    for kind in kinds:
        tid = kind.table
        if tid is not None and tid not in out:
            ref = ctx.tset.refs.get(tid)
            if ref is None:  # a factor borrowed from a bundled table outside the set (a
                try:         # hotel country's last published factor): it is listed too
                    ref = get_table(tid).ref
                except CarbonFootprintError:
                    ref = None
            if ref is not None:
                out[tid] = ref
        if kind.rate_tables:  # one tuple per plan
            rates.setdefault(id(kind.rate_tables), kind.rate_tables)
    for tables in rates.values():
        for r in tables:
            out.setdefault(r.id, r)
    if kinds:
        for r in ctx.extra_tables:
            out.setdefault(r.id, r)
    found = tuple(out.values())
    # one tuple object per distinct list (the JSON writer remembers the tables' JSON by it)
    key = tuple(map(id, found))
    same = _TABLE_LISTS.get(key)
    if same is not None and all(a is b for a, b in zip(same, found, strict=True)):
        return same
    return _TABLE_LISTS.put(key, found)


#: ids of a list of tables -> that list (one tuple object per distinct list)
_TABLE_LISTS: BoundedCache[tuple[int, ...], tuple[TableRef, ...]] = BoundedCache(
    "table lists", 1_024)


def _parts(by_kind: dict[Kind, list[float]]) -> tuple[dict[str, list[float]], ...]:
    """Every line's tCO2e by category and by gas basis, and its direct and upstream parts
    (``{"direct": [...], "upstream": [...]}``; upstream empty when no line has one)."""
    cats: dict[str, list[float]] = defaultdict(list)
    bases: dict[str, list[float]] = defaultdict(list)
    direct: list[float] = []
    upstream: list[float] = []
    for kind, amounts in by_kind.items():
        t = kind.t_per_unit
        u = kind.up_t_per_unit
        if len(amounts) == 1 and not u:  # one input of this kind (a guest's activities)
            x = amounts[0] * t
            cats[kind.category].append(x)
            bases[kind.basis].append(x)
            direct.append(x)
            continue
        tco2e = [a * t for a in amounts]
        cats[kind.category] += tco2e
        bases[kind.basis] += tco2e
        if u:
            up = [a * u for a in amounts]
            upstream += up
            direct += [x - y for x, y in zip(tco2e, up, strict=True)]
        else:
            direct += tco2e
    return cats, bases, {"direct": direct, "upstream": upstream}


def _breakdowns(bases: dict[str, list[float]], scopes: dict[str, list[float]], total: Any,
                grams: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """tCO2e by gas basis and by scope, each apportioned to add up to ``total`` (``grams``:
    the same in whole grams)."""
    names = sorted(bases)
    if len(names) == 1:  # one basis: it is the total
        by_basis = {names[0]: total}
    else:
        by_basis = dict(zip(names, apportion([math.fsum(bases[n]) for n in names], total,
                                             grams=grams), strict=True)) if names else {}
    if any(scopes["upstream"]):  # some upstream part not zero
        parts = apportion([math.fsum(scopes["direct"]), math.fsum(scopes["upstream"])], total,
                          grams=grams)
        by_scope = {"direct": parts[0], "upstream": parts[1]}
    else:
        by_scope = {"direct": total} if names else {}
    return by_basis, by_scope


def compute(activities: Any, tables: Any, on: Any, gwp: Any, method: Any, offset: Any,
            errors: Any) -> Footprint:
    """:func:`carbon_footprint.calculate` (documented in ``_api``, which calls this): every
    argument as the caller gave it (``Any``: the library's own checks below name a wrong one;
    the compiled build would otherwise refuse it with a bare ``TypeError``)."""
    if errors not in ("raise", "collect"):
        raise CarbonFootprintError(f"errors must be 'raise' or 'collect'; got {errors!r}"[:200])
    if type(activities) is not list and isinstance(activities, (dict, str, bytes,
                                                                ActivityBase)):
        raise ArgumentTypeError(
            "activities must be an iterable of activities (a list), not a single "
            f"{type(activities).__name__}; wrap it in a list")
    try:
        raws = list(activities)
    except TypeError:
        raise ArgumentTypeError(
            f"activities must be an iterable of activities; got {type(activities).__name__}"
        ) from None
    ctx, notes = context_for(tables, on, method, gwp)
    policy = offset_policy(offset, ctx.method.credit_rounding)
    rows, by_kind, rejected = _rows(raws, ctx, errors == "collect")
    tables_used = _tables_used(by_kind, ctx)
    parts, bases, scopes = _parts(by_kind)
    cats = [c for c in CATEGORIES if c in parts]
    sums = [math.fsum(parts[c]) for c in cats]
    try:
        total, grams = tonnes_and_grams(math.fsum(sums))
    except ValueError:  # inputs and factors are bounded: never return a silent inf
        raise CarbonFootprintError(code="total_not_finite",
                                   params={"total": repr(math.fsum(sums))}) from None
    by_category = dict(zip(cats, apportion(sums, total, grams=grams), strict=True))
    by_basis, by_scope = _breakdowns(bases, scopes, total, grams)
    fp: Footprint = _new_footprint({
        "total_tco2e": total, "by_category": MappingProxyType(by_category),
        "by_basis": MappingProxyType(by_basis), "by_scope": MappingProxyType(by_scope),
        "lines": rows, "rejected": rejected,
        "offset": credits_for_total(total, policy), "tables": tables_used,
        "table_set": ctx.tset.ids, "method": ctx.method, "notes": notes,
        "library_version": __version__,
    })
    return fp
