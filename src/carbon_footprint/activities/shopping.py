"""Shopping: spend-based purchases."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from ..errors import ActivityError
from ._base import ActivityBase
from ._fields import Money

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

    reporting_category = "shopping"
    type: Literal["purchase"] = "purchase"
    category: str = Field(min_length=1, max_length=120,
                           examples=["restaurant", "souvenirs", "naics:722511"])
    amount: Money
    year: int | None = Field(None, strict=True, ge=1990, le=2100,
                             description="year the money was spent (default: the spend table's "
                             "price year)")
    exchange_rate: float | None = Field(
        None, strict=True, gt=0, lt=1e7, allow_inf_nan=False,
        description="the caller's own rate for the spend year, in units of the amount's currency "
        "per US dollar (default: the bundled World Bank annual average)")

    @model_validator(mode="after")
    def _rate_needs_foreign_currency(self) -> Purchase:
        if self.exchange_rate is not None and self.amount.currency == "USD":
            raise ActivityError("an exchange rate is given for an amount already in USD",
                                field="exchange_rate", value=self.exchange_rate,
                                expected="no exchange_rate for USD amounts")
        return self
