"""Purchases, spend-based: money spent in a sector, converted to the spend table's currency and
price year (exchange rate of the spend year, then the price index)."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field, model_validator

from .._money import RATE_RANGE, convert_spend
from .._notices import notice
from .._plans import Context, Plan
from .._registry import ActivitySpec, register
from ..errors import ActivityError, CurrencyError, UnknownCodeError
from ..units import MAX_MONEY
from ._base import ActivityBase
from ._fields import Money
from .food import slug

__all__ = ["CATEGORY_ALIASES", "Purchase"]

#: Everyday names for the spend sectors a venue sells or buys, mapped to the sector slugs of the
#: spend tables (USEEIO NAICS-6 titles). Any sector slug or ``naics:<code>`` is accepted too.
CATEGORY_ALIASES: dict[str, str] = {
    "restaurant": "full_service_restaurants",
    "fast_food": "limited_service_restaurants",
    "cafe": "snack_and_nonalcoholic_beverage_bars",
    "bar": "drinking_places_alcoholic_beverages",
    "catering": "caterers",
    "hotel": "hotels_except_casino_hotels_and_motels",
    "groceries": "supermarkets_and_other_grocery_except_convenience_stores",
    "convenience_store": "convenience_stores",
    "clothing": "family_clothing_stores",
    "souvenirs": "gift_novelty_and_souvenir_stores",
    "books": "book_publishers",
    "electronics": "electronics_stores",
    "computer": "electronic_computer_manufacturing",
    "shoes": "shoe_stores",
    "pharmacy": "pharmacies_and_drug_stores",
    "liquor": "beer_wine_and_liquor_stores",
    "stationery": "office_supplies_and_stationery_stores",
    "printing": "commercial_printing_except_screen_and_books",
    "theatre": "theater_companies_and_dinner_theaters",
    "bed_and_breakfast": "bed_and_breakfast_inns",
    "sightseeing": "scenic_and_sightseeing_transportation_land",
    "phone": "telephone_apparatus_manufacturing",
    "toys": "doll_toy_and_game_manufacturing",
    "jewellery": "jewelry_and_silverware_manufacturing",
    "cosmetics": "toilet_preparation_manufacturing",
    "event_services": "convention_and_trade_show_organizers",
    "museum": "museums",
    "theme_park": "amusement_and_theme_parks",
    "air_travel": "scheduled_passenger_air_transportation",
    "taxi": "taxi_service",
    "car_rental": "passenger_car_rental",
    "travel_agency": "travel_agencies",
}


class Purchase(ActivityBase):
    """Money spent in a sector; converted to the spend table's currency and price year."""

    type: Literal["purchase"] = "purchase"
    category: str = Field(min_length=1, max_length=120,
                          examples=["restaurant", "souvenirs", "naics:722511"],
                          description="An everyday category, a sector slug of the spend table "
                          "or naics:<6-digit code>.")
    amount: Money
    year: int | None = Field(None, strict=True, ge=1990, le=2100,
                             description="Year the money was spent (default: the spend table's "
                             "price year).")
    exchange_rate: float | None = Field(
        None, strict=True, ge=RATE_RANGE[0], le=RATE_RANGE[1], allow_inf_nan=False,
        description="The caller's own rate for the spend year, in units of the amount's "
        "currency per US dollar (default: the bundled World Bank annual average).")

    @model_validator(mode="after")
    def _rate_needs_foreign_currency(self) -> Any:
        if self.exchange_rate is not None and self.amount.unit == "USD":
            raise ActivityError("rate_for_usd", field="exchange_rate",
                                value=self.exchange_rate).carried()
        return self


_NAICS = re.compile(r"^(?:naics[:_ ]?)?(\d{6})$")


def _sector_key(category: str, ctx: Context) -> dict[str, Any]:
    raw = category.strip().lower()
    tset = ctx.tset
    m = _NAICS.match(raw)
    if m:
        key = tset.by_code("purchase", "naics", m.group(1))
        if key is None:
            codes = sorted(f"naics:{c}" for (act, name, c) in tset.codes
                           if act == "purchase" and name == "naics")
            raise UnknownCodeError("naics_unknown", field="category", value=category,
                                   choices=tuple(codes))
        return {"sector": key[1]}
    sector = CATEGORY_ALIASES.get(raw, slug(raw))
    if ("purchase", sector, None) not in tset.index:
        raise UnknownCodeError("category_unknown", field="category", value=category,
                               choices=(*CATEGORY_ALIASES, *tset.values_for("purchase",
                                                                             "sector")))
    return {"sector": sector}


def _compile(a: Purchase, ctx: Context) -> Plan:
    hit = ctx.find("purchase", _sector_key(a.category, ctx), field="category",
                   value=a.category)
    currency = hit.factor.per_unit  # the table currency (checked on load)
    price_year = ctx.tset.price_year(hit.factor.table_id)
    year = a.year if a.year is not None else price_year
    try:
        conv = convert_spend(a.amount.unit, year, currency, price_year, a.exchange_rate)
    except CurrencyError as exc:
        field = "amount" if a.year is None else "year"
        raise type(exc)(exc.code, field=field, value=exc.value, params=exc.params,
                        suggestions=exc.suggestions) from None
    notes = []
    if a.year is None:
        notes.append(notice("spend_year_assumed", year=price_year))
    notes.append(notice("spend_conversion", steps=conv.steps))
    return ctx.linear(SPEC, hit, multiplier=conv.factor, unit=currency, notices=tuple(notes),
                      limit=MAX_MONEY, limit_field="amount", tables=conv.tables)


SPEC = register(ActivitySpec(
    type="purchase", model=Purchase, category="shopping", selectors=("sector",),
    per=("USD",), quantity="amount", kind="money", compile=_compile, codes=("naics",)))
