"""Pooled retirement: retire whole registry units, allocate exact fractions to people, in order.

A registry retires whole units (1 tCO2e each for every scheme that states a size). Rounding each
guest up to whole units overbuys: a guest of 0.594 t pays for 1 t (68 % more than needed), and 50
guests of 0.534911 t need 50 units one by one but 27 pooled. A :class:`Pool` holds retirement
records (lots) and hands out, claim by claim in the order given, consecutive slices of its units:
each slice names its record, the unit's number in the record, the unit's serial (where the scheme
publishes a serial format) and the interval ``[start, end)`` of the unit it covers [tCO2e; the
unit is ``[0, unit_tco2e)``, i.e. ``[0, 1)`` for 1 t units]. Amounts are exact decimals; nothing
is rounded, so the allocations add up exactly to the claims.

Guests of 0.321, 0.4774 and 0.25 t take ``[0, 0.321)`` and ``[0.321, 0.7984)`` of unit 1, then
``[0.7984, 1)`` of unit 1 plus ``[0, 0.0484)`` of unit 2; two units are opened and 0.9516 t of
unit 2 stays in the pool for the next claims (``result.pool`` continues from there). The pool is
an immutable value: the platform keeps it (its ledger), the library computes.

**Costs** are exact to the fen (0.01 of the currency) with one rule: *each cost line is computed
exactly and rounded once, half up, to the fen* - a lot's purchase (units x price per unit) and a
guest's share (the guest's tCO2e of each lot / the lot's unit size x its price per unit, summed
over the guest's slices, then rounded). Totals are sums of rounded lines. The part of the
purchases not charged to guests is the purchases' total less the guests' shares, so the lines
always add up exactly; it carries the rounding (at most half a fen per guest line).

**Planning** (:func:`plan`): the units a set of footprints needs alone (each rounded up) and
pooled (the sum rounded up), optionally in lots of ``lot_size`` units (e.g. 100 t blocks), and
their cost at a price per unit - e.g. Chuxiong's 2024 Torch Festival, 4,397.596 tCO2e in 100 t
lots at 91.90 CNY/t: 4,400 t for 404,360.00 CNY, the purchase the organisers published.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ._credit_errors import PoolError, RecordError, shown
from ._text import brief, clip
from .credits import (
    RetirementRecord,
    exact_decimal,
    located_error,
    retirement_records,
)

__all__ = [
    "FEN",
    "Allocation",
    "Claim",
    "Plan",
    "Pool",
    "PoolResult",
    "Position",
    "Slice",
    "allocate",
    "claims_from",
    "exact_amount",
    "plan",
    "round_fen",
    "tidy",
]

#: The smallest money step costs are rounded to: 0.01 of the currency (one fen for CNY).
FEN = Decimal("0.01")
_ZERO = Decimal(0)


def round_fen(amount: Decimal) -> Decimal:
    """``amount`` rounded once, half up, to the fen (0.01) - the library's one cost rule."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP) + 0


def tidy(value: Decimal) -> Decimal:
    """``value`` without trailing zeros (``1.0000`` -> ``1``, ``0.32100`` -> ``0.321``)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1)) + 0
    return value.normalize()


def exact_amount(value: Any, what: str) -> Decimal:
    """``value`` [tCO2e or money] as a finite exact amount >= 0: text, an int or a Decimal,
    never a float (``RecordError`` naming ``what`` otherwise)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise RecordError("amount_invalid", {"what": what, "value": brief(value, 60)})
    try:
        d = Decimal(value.strip() if isinstance(value, str) else value)
    except ArithmeticError:
        raise RecordError("amount_invalid", {"what": what, "value": brief(value, 60)}) from None
    if not d.is_finite() or d < 0 or d > Decimal(10) ** 12:
        raise RecordError("amount_invalid", {"what": what, "value": brief(value, 60)})
    return d + 0


class Claim(BaseModel):
    """A person's (or a team's, an organiser's) tCO2e to neutralize from the pool.

    Attributes
    ----------
    holder : str
        Who the allocation is for (a pseudonymous guest id; the platform maps it to a person).
    tco2e : Decimal
        Emissions to cover [tCO2e], exact (a decimal string in JSON).
    label : str, optional
        Free text returned as given.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    holder: str = Field(min_length=1, max_length=200)
    tco2e: exact_decimal = Field(ge=0)
    label: str | None = Field(None, max_length=200)


def claims_from(items: Iterable[Claim | Mapping[str, Any]]) -> tuple[Claim, ...]:
    """Validate claims (``Claim`` or mappings with ``holder`` and ``tco2e``); errors name the
    claim's index, holder, field and value."""
    out: list[Claim] = []
    for i, item in enumerate(items):
        if isinstance(item, Claim):
            out.append(item)
            continue
        if not isinstance(item, Mapping):
            raise RecordError("claim_not_mapping", {"index": i, "type": type(item).__name__})
        try:
            out.append(Claim.model_validate(dict(item)))
        except ValidationError as exc:
            holder = item.get("holder")
            raise located_error(exc, "claim", i,
                                holder if isinstance(holder, str) else None) from None
    return tuple(out)


class Slice(BaseModel):
    """A part of one registry unit allocated to a holder.

    Attributes
    ----------
    record : str
        Id of the retirement record (lot) the unit belongs to.
    scheme : str
        The record's scheme.
    unit : int
        The unit's number within the record (1-based).
    serial : str or None
        The unit's own serial (a one-unit range), where the scheme publishes a serial format.
    start, end : Decimal
        The interval ``[start, end)`` of the unit covered [tCO2e], ``0 <= start < end <=
        unit_tco2e``.
    tco2e : Decimal
        ``end - start`` [tCO2e].
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    record: str
    scheme: str
    unit: int = Field(ge=1)
    serial: str | None
    start: exact_decimal
    end: exact_decimal
    tco2e: exact_decimal


class Allocation(BaseModel):
    """What one claim received: its slices in order, and its cost share.

    Attributes
    ----------
    holder : str
    tco2e : Decimal
        The claim's tCO2e, equal to the sum of the slices [tCO2e].
    slices : tuple of Slice
    cost : Decimal or None
        The holder's share of the purchase cost, rounded half up to the fen (None when a
        record used has no price).
    currency : str or None
    label : str or None
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    holder: str
    tco2e: exact_decimal
    slices: tuple[Slice, ...]
    cost: exact_decimal | None = None
    currency: str | None = None
    label: str | None = None

    @property
    def units(self) -> tuple[tuple[str, int], ...]:
        """The (record, unit) pairs this allocation touches, in order."""
        return tuple((s.record, s.unit) for s in self.slices)


class Position(BaseModel):
    """Where a pool's next free tCO2e is: record index, unit number in it, offset in the unit."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    record: int = Field(0, ge=0, description="index into the pool's records")
    unit: int = Field(1, ge=1, description="unit number within that record (1-based)")
    offset: exact_decimal = Field(Decimal(0), ge=0,
                                  description="tCO2e of that unit already allocated")


class PoolResult(BaseModel):
    """The outcome of :meth:`Pool.allocate`.

    Attributes
    ----------
    allocations : tuple of Allocation
        One per claim, in the claims' order.
    pool : Pool
        The pool after these allocations (allocate further claims from it).
    allocated_tco2e : Decimal
        Sum of the claims [tCO2e].
    units_opened : int
        Units that hold any of these allocations [units] (the units to retire for them).
    open_remainder_tco2e : Decimal
        tCO2e of the opened units left unallocated after these claims [tCO2e] (0.9516 in the
        module's example).
    remaining_tco2e : Decimal
        tCO2e left in the whole pool [tCO2e].
    purchase_cost : Decimal or None
        Sum of the records' purchase lines, each rounded half up to the fen.
    unallocated_cost : Decimal or None
        ``purchase_cost`` less every share charged so far (the pool's rounding and unsold part).
    currency : str or None
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    allocations: tuple[Allocation, ...]
    pool: Pool
    allocated_tco2e: exact_decimal
    units_opened: int
    open_remainder_tco2e: exact_decimal
    remaining_tco2e: exact_decimal
    purchase_cost: exact_decimal | None = None
    unallocated_cost: exact_decimal | None = None
    currency: str | None = None


class Pool(BaseModel):
    """Whole registry units (retirement records) from which exact fractions are allocated.

    Parameters
    ----------
    records : sequence of RetirementRecord or mappings
        The lots, in the order their units are handed out.
    position : Position, optional
        Where the next allocation starts (default: unit 1 of the first record).
    charged : Decimal, optional
        Cost shares already charged from this pool (kept by :meth:`allocate` so the
        unallocated cost stays exact across calls).

    Examples
    --------
    >>> from carbon_footprint.neutralize import Pool
    >>> pool = Pool.of([{"id": "lot-1", "scheme": "ccer", "quantity": 2, "status": "retired",
    ...                  "retired_on": "2021-09-08"}])
    >>> res = pool.allocate([{"holder": "a", "tco2e": "0.321"},
    ...                      {"holder": "b", "tco2e": "0.4774"},
    ...                      {"holder": "c", "tco2e": "0.25"}])
    >>> [(s.unit, str(s.start), str(s.end)) for s in res.allocations[2].slices]
    [(1, '0.7984', '1'), (2, '0', '0.0484')]
    >>> res.units_opened, res.remaining_tco2e
    (2, Decimal('0.9516'))
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    records: tuple[RetirementRecord, ...] = Field(min_length=1)
    position: Position = Position()
    charged: exact_decimal = Decimal(0)

    @classmethod
    def of(cls, records: Sequence[RetirementRecord | Mapping[str, Any]],
           position: Position | None = None) -> Pool:
        """A pool of ``records`` (validated; errors name the record), from ``position``."""
        recs = retirement_records(records)
        if not recs:
            raise PoolError("pool_empty", {})
        pos = position or Position()
        if pos.record > len(recs) or (pos.record < len(recs) and (
                pos.unit > recs[pos.record].quantity
                or pos.offset >= _unit(recs[pos.record]))):
            raise PoolError("position_invalid", {"position": brief(pos.model_dump(mode="json"),
                                                                   120),
                                                 "records": len(recs)})
        return cls(records=recs, position=pos)

    @property
    def capacity_tco2e(self) -> Decimal:
        """tCO2e of all the pool's units [tCO2e]."""
        return sum((r.capacity_tco2e for r in self.records), _ZERO)

    @property
    def remaining_tco2e(self) -> Decimal:
        """tCO2e not yet allocated [tCO2e]."""
        p = self.position
        if p.record >= len(self.records):
            return _ZERO
        rec = self.records[p.record]
        left = (rec.quantity - p.unit + 1) * _unit(rec) - p.offset
        return left + sum((r.capacity_tco2e for r in self.records[p.record + 1:]), _ZERO)

    @property
    def purchase_cost(self) -> Decimal | None:
        """Sum of the records' purchase lines (units x price, each rounded half up to the fen),
        or None when a record has no price or currencies differ."""
        if any(r.price_per_unit is None for r in self.records):
            return None
        if len({r.currency for r in self.records}) != 1:
            return None
        return sum((round_fen(r.quantity * (r.price_per_unit or _ZERO)) for r in self.records),
                   _ZERO)

    def allocate(self, claims: Iterable[Claim | Mapping[str, Any]]) -> PoolResult:
        """Allocate ``claims`` in order from the pool's position.

        Returns
        -------
        PoolResult
            The allocations, the advanced pool, units opened and what remains.

        Raises
        ------
        PoolError
            ``pool_exhausted`` naming the first claim the pool cannot cover, its holder, the
            tCO2e needed and left, and the shortfall.
        RecordError
            For a malformed claim (index, holder, field, value).
        """
        cl = claims_from(claims)
        holders = [c.holder for c in cl]
        for i, h in enumerate(holders):
            if h in holders[:i]:
                raise RecordError("holder_duplicate", {"index": i, "holder": clip(h, 100)})
        recs = self.records
        ri, unit, off = self.position.record, self.position.unit, self.position.offset
        remaining = self.remaining_tco2e
        opened: set[tuple[int, int]] = set()
        priced = self.purchase_cost is not None
        currency = recs[0].currency if priced else None
        out: list[Allocation] = []
        charged = self.charged
        for i, c in enumerate(cl):
            if c.tco2e > remaining:
                raise PoolError("pool_exhausted", {
                    "index": i, "holder": clip(c.holder, 100), "needed": str(c.tco2e),
                    "available": str(remaining), "shortfall": str(c.tco2e - remaining)})
            need = c.tco2e
            slices: list[Slice] = []
            exact_cost = _ZERO
            while need > 0:
                rec = recs[ri]
                size = _unit(rec)
                take = min(need, size - off)
                slices.append(Slice(record=rec.id, scheme=rec.scheme, unit=unit,
                                    serial=rec.unit_serial(unit), start=tidy(off),
                                    end=tidy(off + take), tco2e=tidy(take)))
                opened.add((ri, unit))
                if priced:
                    with localcontext() as ctx:
                        ctx.prec = 60
                        exact_cost += take / size * rec.price_per_unit  # type: ignore[operator]
                need -= take
                off += take
                if off == size:
                    off, unit = _ZERO, unit + 1
                    if unit > rec.quantity:
                        ri, unit = ri + 1, 1
            remaining -= c.tco2e
            cost = round_fen(exact_cost) if priced else None
            if cost is not None:
                charged += cost
            out.append(Allocation(holder=c.holder, tco2e=c.tco2e, slices=tuple(slices),
                                  cost=cost, currency=currency, label=c.label))
        next_pool = Pool(records=recs, position=Position(record=ri, unit=unit, offset=off),
                         charged=charged)
        allocated = sum((c.tco2e for c in cl), _ZERO)
        open_rem = _ZERO
        if opened and off > 0:
            open_rem = _unit(recs[ri]) - off
        purchase = self.purchase_cost
        return PoolResult(
            allocations=tuple(out), pool=next_pool, allocated_tco2e=allocated,
            units_opened=len(opened), open_remainder_tco2e=open_rem, remaining_tco2e=remaining,
            purchase_cost=purchase,
            unallocated_cost=None if purchase is None else purchase - charged,
            currency=currency)


def _unit(rec: RetirementRecord) -> Decimal:
    assert rec.unit_tco2e is not None
    return rec.unit_tco2e


PoolResult.model_rebuild()


def allocate(claims: Iterable[Claim | Mapping[str, Any]],
             records: Sequence[RetirementRecord | Mapping[str, Any]],
             position: Position | None = None) -> PoolResult:
    """``Pool.of(records, position).allocate(claims)``."""
    return Pool.of(records, position).allocate(claims)


class Plan(BaseModel):
    """Units (and cost) to neutralize a set of footprints alone and pooled.

    Attributes
    ----------
    count : int
        Number of footprints.
    total_tco2e : Decimal
        Their exact sum [tCO2e].
    unit_tco2e : Decimal
        Size of one unit [tCO2e].
    lot_size : int
        Units per purchasable lot [units].
    units_alone : int
        Sum over footprints of ceil(tco2e / unit) [units] (each rounded up on its own).
    units_pooled : int
        ceil(total / unit) [units].
    units_to_buy : int
        ``units_pooled`` rounded up to whole lots [units].
    excess_alone : Decimal or None
        tCO2e bought alone beyond the total, as a fraction of the total (0.6835 for one guest
        of 0.594 t; None for a total of 0) [-], rounded to 4 decimals half-even.
    price_per_unit : Decimal or None
    cost_alone, cost_to_buy : Decimal or None
        units x price, each rounded half up to the fen.
    currency : str or None
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    count: int
    total_tco2e: exact_decimal
    unit_tco2e: exact_decimal
    lot_size: int
    units_alone: int
    units_pooled: int
    units_to_buy: int
    excess_alone: exact_decimal | None
    price_per_unit: exact_decimal | None = None
    cost_alone: exact_decimal | None = None
    cost_to_buy: exact_decimal | None = None
    currency: str | None = None


def _ceil_units(tco2e: Decimal, unit: Decimal) -> int:
    with localcontext() as ctx:
        ctx.prec = 60
        return int((tco2e / unit).to_integral_value(rounding=ROUND_CEILING))


def plan(footprints: Iterable[Any], *, unit_tco2e: Any = "1", lot_size: int = 1,
         price_per_unit: Any = None, currency: str | None = "CNY") -> Plan:
    """Units needed alone and pooled for ``footprints`` [tCO2e each], in lots, with cost.

    Parameters
    ----------
    footprints : iterable
        tCO2e amounts (text, int, Decimal), ``Claim`` objects or footprints (anything with
        ``total_tco2e``).
    unit_tco2e : str, int or Decimal
        tCO2e of one unit [tCO2e], default 1.
    lot_size : int
        Units per lot [units]: the purchase is rounded up to whole lots (e.g. 100).
    price_per_unit : str, int or Decimal, optional
        Price of one unit [currency per unit].
    currency : str, optional
        Currency of the price (default CNY).

    Examples
    --------
    >>> p = plan(["0.534911"] * 50)
    >>> p.units_alone, p.units_pooled
    (50, 27)
    >>> p = plan(["4397.596"], lot_size=100, price_per_unit="91.90")
    >>> p.units_to_buy, p.cost_to_buy
    (4400, Decimal('404360.00'))
    """
    unit = exact_amount(unit_tco2e, "unit_tco2e")
    if unit == 0:
        raise RecordError("amount_invalid", {"what": "unit_tco2e", "value": "0"})
    if isinstance(lot_size, bool) or not isinstance(lot_size, int) or lot_size < 1:
        raise PoolError("lot_size_invalid", {"value": brief(lot_size, 40)})
    price = None
    if price_per_unit is not None:
        try:
            price = exact_amount(price_per_unit, "price_per_unit")
        except RecordError:
            raise PoolError("price_invalid", {"value": shown(brief(price_per_unit, 40))}
                            ) from None
    amounts: list[Decimal] = []
    for i, f in enumerate(footprints):
        if isinstance(f, Claim):
            amounts.append(f.tco2e)
        elif hasattr(f, "total_tco2e"):
            amounts.append(exact_amount(f.total_tco2e, f"footprint #{i}"))
        else:
            amounts.append(exact_amount(f, f"footprint #{i}"))
    total = sum(amounts, _ZERO)
    alone = sum(_ceil_units(a, unit) for a in amounts)
    pooled = _ceil_units(total, unit)
    to_buy = -(-pooled // lot_size) * lot_size
    excess = None
    if total > 0:
        with localcontext() as ctx:
            ctx.prec = 60
            excess = ((alone * unit - total) / total).quantize(Decimal("0.0001"))
    return Plan(count=len(amounts), total_tco2e=total, unit_tco2e=unit, lot_size=lot_size,
                units_alone=alone, units_pooled=pooled, units_to_buy=to_buy,
                excess_alone=excess, price_per_unit=price,
                cost_alone=None if price is None else round_fen(alone * price),
                cost_to_buy=None if price is None else round_fen(to_buy * price),
                currency=currency if price is not None else None)
