"""Spend conversion: an amount in any currency and year -> the spend table's currency and year.

Method (documented in docs/methodology.md): convert the amount to US dollars of the year it was
spent with the World Bank annual average exchange rate for that year (LCU per USD), then move the
dollars to the table's price year with the US CPI-U:

    usd_table_year = amount / fx[currency][year] * cpi[table_year] / cpi[year]

so 10 USD spent when the index was 105.5 is worth 10 x 95.2 / 105.5 = 9.02 USD of a base year
whose index is 95.2. No rate -> ``CurrencyError``; a rate is never made up.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._rates import load_rate_table
from .errors import CurrencyError, UnknownCodeError

__all__ = ["Conversion", "convert_spend"]

@dataclass(frozen=True, slots=True)
class Conversion:
    """Multiply an amount of ``currency`` spent in ``year`` by ``factor`` to get the target."""

    factor: float
    note: str


def convert_spend(currency: str, year: int, to_currency: str, to_year: int,
                  rate: float | None = None) -> Conversion:
    """The factor from ``currency`` spent in ``year`` to ``to_currency`` of ``to_year``.

    ``rate`` (currency units per USD) replaces the bundled exchange rate. Cached per
    (currency, year, target, rate): the rate tables are read once.
    """
    key = (currency, year, to_currency, to_year, rate)
    hit = _CONVERSIONS.get(key)
    if hit is None:
        hit = _conversion(*key)
        if len(_CONVERSIONS) < 10_000:
            _CONVERSIONS[key] = hit
    return hit


_CONVERSIONS: dict[tuple[str, int, str, int, float | None], Conversion] = {}


def _conversion(currency: str, year: int, to_currency: str, to_year: int,
                caller_rate: float | None) -> Conversion:
    if to_currency != "USD":
        raise CurrencyError(f"spend tables in {to_currency} are not supported yet (only USD)")
    fx = load_rate_table("fx-worldbank")
    cpi = load_rate_table("cpi-us")
    steps = []
    factor = 1.0
    if currency != "USD" and caller_rate is not None:
        factor = 1.0 / caller_rate
        steps.append(f"{currency} -> USD at {caller_rate:.6g} {currency}/USD (the caller's rate "
                     f"for {year})")
    elif currency != "USD":
        rates = fx["rates"].get(currency)
        if rates is None:
            raise UnknownCodeError(f"no exchange rate for currency {currency!r} in {fx['id']}",
                                   field="amount", value=currency, choices=[*fx["rates"], "USD"])
        rate = rates.get(year)
        if rate is None:
            years = sorted(rates)
            raise CurrencyError(
                f"no {currency} exchange rate for {year} in {fx['id']} "
                f"(available {years[0]}-{years[-1]}); pass the year the money was spent "
                "within that range"
            )
        factor = 1.0 / rate
        steps.append(f"{currency} -> USD at {rate:.6g} {currency}/USD ({year} annual average, "
                     f"{fx['id']})")
    if year != to_year:
        idx = cpi["index"]
        if year not in idx or to_year not in idx:
            have = sorted(idx)
            raise CurrencyError(
                f"no US CPI-U value for {year if year not in idx else to_year} "
                f"(available {have[0]}-{have[-1]})"
            )
        factor *= idx[to_year] / idx[year]
        steps.append(f"USD{year} -> USD{to_year} x CPI-U {idx[to_year]:g}/{idx[year]:g}")
    note = "; ".join(steps) if steps else f"spend already in USD of {to_year}"
    return Conversion(factor, note)
