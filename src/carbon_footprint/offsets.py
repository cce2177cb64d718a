"""Offset policies: how many carbon credits neutralize a footprint, and what they cost.

All arithmetic is exact (``decimal.Decimal``). The footprint total, a float, is first taken at
its shortest decimal representation and rounded to ``TOTAL_DECIMALS`` places (1 gram), so float
noise such as ``1.0000000000000002`` from summing lines cannot buy an extra credit, while a real
excess such as ``1.0001`` t does::

    required = round(total, 6) x (1 + buffer)
    credits  = ceil(required / credit_size)                     (rounding="up", the default)
    credits  = ceil(required / credit_size / granularity) x granularity   (rounding="fractional")
    cost     = credits x price_per_credit
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Context, Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ._exact import GRAM, TOTAL_DECIMALS, to_tonnes
from ._models import fast_constructor
from ._text import brief
from .errors import ArgumentTypeError, OffsetPolicyError

__all__ = ["TOTAL_DECIMALS", "OffsetPolicy", "OffsetResult", "credits_for", "offset_policy"]


class OffsetPolicy(BaseModel):
    """How a footprint is neutralized with credits.

    Attributes
    ----------
    credit_size_tco2e : Decimal
        tCO2e one credit retires [tCO2e], default 1.
    rounding : {"up", "fractional"}
        ``up`` buys whole credits (default); ``fractional`` buys multiples of ``granularity``.
    granularity : Decimal
        Smallest fraction of a credit sold in fractional mode [credits], default 0.01.
    buffer : Decimal
        Extra fraction bought on top, e.g. 0.1 for 10 % [-], default 0.
    price_per_credit, currency : Decimal, str, optional
        Price of one credit, to report a cost.
    scheme : str, optional
        The crediting scheme, e.g. Chengdu's "碳惠天府" carbon-inclusion credits.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    credit_size_tco2e: Decimal = Field(Decimal(1), gt=0, le=1_000_000)
    rounding: Literal["up", "fractional"] = "up"
    granularity: Decimal = Field(Decimal("0.01"), gt=0, le=1)
    buffer: Decimal = Field(Decimal(0), ge=0, le=1)
    price_per_credit: Decimal | None = Field(None, ge=0)
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    scheme: str | None = None

    @model_validator(mode="after")
    def _price_has_currency(self) -> OffsetPolicy:
        if (self.price_per_credit is None) != (self.currency is None):
            raise ValueError("price_per_credit and currency go together")
        for name in ("credit_size_tco2e", "granularity", "buffer", "price_per_credit"):
            v = getattr(self, name)
            if v is not None and not v.is_finite():
                raise ValueError(f"{name} must be finite")
        return self


class OffsetResult(BaseModel):
    """Credits required to neutralize a footprint under a policy."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    credits: Decimal = Field(description="credits to retire: a whole number unless rounding is "
                             "fractional (a decimal string in JSON, like every exact amount)")
    required_tco2e: Decimal = Field(description="total x (1 + buffer), rounded to 1 g")
    covers_tco2e: Decimal = Field(description="tCO2e the credits retire")
    cost: Decimal | None = None
    currency: str | None = None
    policy: OffsetPolicy


_DEFAULT_POLICY = OffsetPolicy()
#: the arithmetic of credits: 60 digits, round half even, the default traps (a fixed context,
#: so a caller's own decimal context cannot change the credits)
_EXACT = Context(prec=60)
_ONE = Decimal(1)
_ZERO = Decimal(0)


_FRACTIONAL_POLICY = OffsetPolicy(rounding="fractional")


def offset_policy(offset: Any, rounding: str = "up") -> OffsetPolicy:
    """An ``OffsetPolicy`` from a policy, a dict or None: the default, 1 t credits rounded as
    the method profile says (``rounding``: whole credits ``up``, or ``fractional``)."""
    if offset is None:
        return _FRACTIONAL_POLICY if rounding == "fractional" else _DEFAULT_POLICY
    if isinstance(offset, OffsetPolicy):
        return offset
    if isinstance(offset, dict):
        try:
            return OffsetPolicy.model_validate(offset)
        except ValidationError as exc:
            e = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in e["loc"]) or "policy"
            raise OffsetPolicyError(f"offset {where}: {e['msg']}; got "
                                    f"{brief(e.get('input'))}") from None
    raise ArgumentTypeError(f"offset must be an OffsetPolicy, a dict or None; got "
                            f"{type(offset).__name__}")


def credits_for(total_tco2e: float | Decimal, policy: OffsetPolicy | None = None
                ) -> OffsetResult:
    """Credits needed for ``total_tco2e`` [tCO2e] under ``policy`` (exact, see module doc)."""
    policy = policy or _DEFAULT_POLICY
    if isinstance(total_tco2e, Decimal):
        if not total_tco2e.is_finite() or total_tco2e < 0:
            raise OffsetPolicyError(f"cannot offset a total of {total_tco2e!r} tCO2e")
        total = total_tco2e.quantize(GRAM, context=_EXACT)
    else:
        if isinstance(total_tco2e, bool) or not isinstance(total_tco2e, (int, float)) \
                or not total_tco2e >= 0 or total_tco2e == float("inf"):
            raise OffsetPolicyError(f"cannot offset a total of {brief(total_tco2e)} tCO2e")
        total = to_tonnes(float(total_tco2e))
    return credits_for_total(total, policy)


def credits_for_total(total: Decimal, policy: OffsetPolicy) -> OffsetResult:
    """:func:`credits_for` of a total already rounded to the gram (finite, not negative)."""
    c = _EXACT
    if policy is _DEFAULT_POLICY:  # whole 1 t credits, no buffer, no price: the arithmetic
        whole = total.to_integral_value(rounding=ROUND_CEILING, context=c)  # below, done
        default: OffsetResult = _new_result({  # by its identities (x 1, / 1, + 0)
            "credits": whole, "required_tco2e": total, "covers_tco2e": whole, "cost": None,
            "currency": None, "policy": policy})
        return default
    required = c.multiply(total, c.add(_ONE, policy.buffer))
    n = c.divide(required, policy.credit_size_tco2e)
    credits: Decimal
    if policy.rounding == "up":
        credits = c.add(n.to_integral_value(rounding=ROUND_CEILING, context=c), _ZERO)
    else:
        steps = c.divide(n, policy.granularity).to_integral_value(rounding=ROUND_CEILING,
                                                                  context=c)
        credits = c.multiply(steps, policy.granularity).normalize(context=c)
        if credits == credits.to_integral_value(context=c):
            credits = credits.quantize(_ONE, context=c)
    covers = c.multiply(credits, policy.credit_size_tco2e)
    cost = None if policy.price_per_credit is None else c.multiply(credits,
                                                                   policy.price_per_credit)
    result: OffsetResult = _new_result({
        "credits": credits, "required_tco2e": required, "covers_tco2e": covers, "cost": cost,
        "currency": policy.currency, "policy": policy})
    return result


_new_result = fast_constructor(OffsetResult)
