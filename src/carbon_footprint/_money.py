"""Spend conversion: an amount in any currency and year -> the spend table's currency and year.

Method (documented in docs/methodology.md): convert the amount to US dollars of the year it was
spent with the World Bank annual average exchange rate for that year (LCU per USD), then move the
dollars to the table's price year with the US CPI-U:

    usd_table_year = amount / fx[currency][year] * cpi[table_year] / cpi[year]

so 10 USD spent when the index was 105.5 is worth 10 x 95.2 / 105.5 = 9.02 USD of a base year
whose index is 95.2. No rate -> ``CurrencyError``; a rate is never made up. The rate tables used
are recorded on the result (``Conversion.tables``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ._cache import BoundedCache
from .errors import CurrencyError, UnknownCodeError
from .tables import TableRef, get_rates

__all__ = ["FX_TABLE", "PRICE_INDEX_TABLE", "RATE_RANGE", "Conversion", "convert_spend"]

FX_TABLE = "fx-worldbank"
PRICE_INDEX_TABLE = "cpi-us"
#: A caller's exchange rate must lie in this range [currency units per USD].
RATE_RANGE = (1.0e-4, 1.0e7)


@dataclass(frozen=True, slots=True)
class Conversion:
    """Multiply an amount of ``currency`` spent in ``year`` by ``factor`` to get the target."""

    factor: float
    steps: str
    tables: tuple[TableRef, ...]


_CONVERSIONS: BoundedCache[tuple[str, int, str, int, float | None], Conversion] = BoundedCache(
    "spend conversions", 4_096)


def convert_spend(currency: str, year: int, to_currency: str, to_year: int,
                  rate: float | None = None) -> Conversion:
    """The factor from ``currency`` spent in ``year`` to ``to_currency`` of ``to_year``.

    ``rate`` (currency units per USD) replaces the bundled exchange rate. Cached per
    (currency, year, target, rate) in a bounded cache.
    """
    key = (currency, year, to_currency, to_year, rate)
    hit = _CONVERSIONS.get(key)
    if hit is None:
        hit = _CONVERSIONS.put(key, _conversion(*key))
    return hit


def _conversion(currency: str, year: int, to_currency: str, to_year: int,
                caller_rate: float | None) -> Conversion:
    if to_currency != "USD":
        raise CurrencyError("spend_currency_unsupported", params={"currency": to_currency})
    steps = []
    used: list[TableRef] = []
    factor = 1.0
    if currency != "USD" and caller_rate is not None:
        factor = 1.0 / caller_rate
        steps.append(f"{currency} -> USD at {caller_rate:.6g} {currency}/USD (the caller's rate "
                     f"for {year})")
    elif currency != "USD":
        fx = get_rates(FX_TABLE)
        assert fx.meta.rates is not None
        rates = fx.meta.rates.get(currency)
        if rates is None:
            raise UnknownCodeError("currency_unknown", field="amount", value=currency,
                                   choices=(*fx.meta.rates, "USD"),
                                   params={"currency": currency, "table": fx.meta.id})
        rate = rates.get(year)
        if rate is None:
            years = sorted(rates)
            raise CurrencyError("rate_missing", field="year", value=year, params={
                "currency": currency, "year": year, "table": fx.meta.id,
                "first": years[0], "last": years[-1]})
        factor = 1.0 / rate
        used.append(fx.ref)
        steps.append(f"{currency} -> USD at {rate:.6g} {currency}/USD ({year} annual average, "
                     f"{fx.meta.id})")
    if year != to_year:
        cpi = get_rates(PRICE_INDEX_TABLE)
        idx = cpi.meta.index
        assert idx is not None
        if year not in idx or to_year not in idx:
            have = sorted(idx)
            raise CurrencyError("price_index_missing", field="year", value=year, params={
                "year": year if year not in idx else to_year, "table": cpi.meta.id,
                "first": have[0], "last": have[-1]})
        factor *= idx[to_year] / idx[year]
        used.append(cpi.ref)
        steps.append(f"USD{year} -> USD{to_year} x CPI-U {idx[to_year]:g}/{idx[year]:g} "
                     f"({cpi.meta.id})")
    text = "; ".join(steps) if steps else f"spend already in USD of {to_year}"
    return Conversion(factor, text, tuple(used))
