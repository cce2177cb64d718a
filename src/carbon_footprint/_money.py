"""Spend conversion: an amount in any currency and year -> the spend table's currency and year.

Method (documented in docs/methodology.md): convert the amount to US dollars of the year it was
spent with the World Bank annual average exchange rate for that year (LCU per USD), then move the
dollars to the table's price year with the US CPI-U:

    usd_table_year = amount / fx[currency][year] * cpi[table_year] / cpi[year]

so 10 USD spent when the index was 105.5 is worth 10 x 95.2 / 105.5 = 9.02 USD of a base year
whose index is 95.2. No rate -> ``CurrencyError``; a rate is never made up.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from ._yaml import load_yaml_bytes
from .errors import CurrencyError, closest

__all__ = ["Conversion", "convert_spend"]

_LOCK = threading.Lock()
_RATES: dict[str, Any] = {}


def _load(name: str) -> Any:
    hit = _RATES.get(name)
    if hit is None:
        with _LOCK:
            hit = _RATES.get(name)
            if hit is None:
                from .tables import factors_root

                path = factors_root() / "rates" / f"{name}.yaml"
                hit = load_yaml_bytes(path.read_bytes(), str(path))
                _RATES[name] = hit
    return hit


@dataclass(frozen=True, slots=True)
class Conversion:
    value: float  # in the table currency and price year
    note: str


def convert_spend(amount: float, currency: str, year: int, to_currency: str,
                  to_year: int) -> Conversion:
    """Convert ``amount`` of ``currency`` spent in ``year`` into ``to_currency`` of ``to_year``."""
    if to_currency != "USD":
        raise CurrencyError(f"spend tables in {to_currency} are not supported yet (only USD)")
    fx = _load("fx-worldbank")
    cpi = _load("cpi-us")
    steps = []
    if currency == "USD":
        usd = amount
    else:
        rates = fx["rates"].get(currency)
        if rates is None:
            known = [*fx["rates"], "USD"]
            hint = closest(currency, known)
            raise CurrencyError(
                f"no exchange rate for currency {currency!r}"
                + (f"; closest known: {', '.join(hint)}" if hint else "")
            )
        rate = rates.get(year)
        if rate is None:
            years = sorted(rates)
            raise CurrencyError(
                f"no {currency} exchange rate for {year} in {fx['id']} "
                f"(available {years[0]}-{years[-1]}); pass the year the money was spent "
                "within that range"
            )
        usd = amount / rate
        steps.append(f"{amount:g} {currency} / {rate:.6g} {currency}/USD ({year} average, "
                     f"{fx['id']}) = {usd:.6g} USD{year}")
    if year != to_year:
        idx = cpi["index"]
        if year not in idx or to_year not in idx:
            have = sorted(idx)
            raise CurrencyError(
                f"no US CPI-U value for {year if year not in idx else to_year} "
                f"(available {have[0]}-{have[-1]})"
            )
        before = usd
        usd = usd * idx[to_year] / idx[year]
        steps.append(f"{before:.6g} USD{year} x CPI-U {idx[to_year]:g} ({to_year}) / "
                     f"{idx[year]:g} ({year}) = {usd:.6g} USD{to_year}")
    note = "; ".join(steps) if steps else f"spend already in USD of {to_year}"
    return Conversion(usd, note)
