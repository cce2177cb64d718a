"""Method profiles: every methodological choice of a calculation, named, versioned and recorded.

A :class:`Method` bundles the choices that change numbers without changing any input: whether
flights include radiative forcing, the cabin assumed when none is given, how flights are banded,
how hotel rooms shared by several guests are counted, which countries' hotel factors stand in
for missing ones, which meal scale is used, the GWP set and what to do with factors that cannot
be re-expressed, whether upstream (well-to-tank) emissions are included, which editions a date
may select and how credits are rounded by default.

``calculate(..., method="china-large-event")`` (or a ``Method``, or a dict) applies one;
individual options (``gwp=...``) override it and the override is recorded on the result
(``Footprint.method.overrides``), so a certificate can cite exactly what was done. The profiles,
their rules and their sources are in ``docs/methodology.md``; a comparison on a reference guest
is generated into ``docs/methods.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ._text import brief
from .errors import ArgumentTypeError, CarbonFootprintError

__all__ = ["DEFAULT_METHOD", "PROFILES", "Method", "resolve_method"]


class Method(BaseModel):
    """A named, versioned set of methodological choices (see ``docs/methodology.md``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(description="profile name, e.g. china-large-event")
    version: str = Field(description="profile version; any change to a setting bumps it")
    title: str = ""
    radiative_forcing: bool = Field(
        False, description="flights include the non-CO2 effects of aviation (DESNZ's multiplier) "
        "unless an activity says otherwise")
    cabin_if_unknown: Literal["average", "economy", "economy_same_country"] = Field(
        "economy_same_country", description="cabin assumed when a flight gives none: the average "
        "passenger, economy, or economy when both airports are in one country (else average)")
    flight_bands: str = Field(
        "distance", description="band scheme of the flight table: 'route' (DESNZ's route bands "
        "as published) or 'distance' (short/long haul by distance on every route)")
    hotel_sharing: Literal["per_guest", "whole_room"] = Field(
        "per_guest", description="a room shared by several guests: each guest's line covers "
        "their share (per_guest) or the whole room (whole_room)")
    hotel_missing_country: Literal["last_published", "table_default"] = Field(
        "last_published", description="a country the hotel table lacks: the last factor the "
        "publisher published for it (an earlier bundled edition, labelled), else the table's "
        "default; or the table's default directly")
    meals: Literal["diet_groups", "main_protein", "table_order"] = Field(
        "diet_groups", description="meal scale: vegetarian and vegan meals from the same source "
        "as the average diet (diet_groups) or as the protein-based meals (main_protein), or from "
        "the first table that has them (table_order, mixing sources)")
    gwp: Literal["AR4", "AR5", "AR6"] | None = Field(
        None, description="express CO2e in this GWP100 set (from published gas splits); None "
        "keeps each table's own")
    gwp_strict: bool = Field(
        False, description="a factor without a gas split is an error (True) or keeps its "
        "published basis with a notice (False)")
    upstream: bool = Field(
        False, description="add the upstream (well-to-tank) factor where the tables publish "
        "one; each line says which scope it covers")
    editions: Literal["verified", "any"] = Field(
        "verified", description="editions a date (on=) may select: verified only, or any")
    credit_rounding: Literal["up", "fractional"] = Field(
        "up", description="how credits are rounded when no offset policy is given")
    overrides: tuple[str, ...] = Field(
        (), description="settings given as options that override the named profile")

    def settings(self) -> dict[str, Any]:
        """Every setting (without name, version, title and overrides)."""
        return self.model_dump(exclude={"name", "version", "title", "overrides"})


#: The shipped profiles, by name (read-only; docs/methodology.md cites the source of every
#: rule). A profile of your own is a ``Method`` passed as ``method=``.
PROFILES: Mapping[str, Method] = MappingProxyType({
    "china-large-event": Method(
        name="china-large-event", version="1",
        title="China large-scale event carbon neutrality (MEE 2019 guide; IPCC inventory "
              "basis)",
        radiative_forcing=False, cabin_if_unknown="economy_same_country",
        flight_bands="distance", hotel_sharing="per_guest",
        hotel_missing_country="last_published", meals="diet_groups", gwp="AR5",
        gwp_strict=False, upstream=False, editions="verified", credit_rounding="up"),
    "uk-reporting": Method(
        name="uk-reporting", version="1",
        title="UK company reporting (DESNZ conversion factors as DESNZ advises)",
        radiative_forcing=True, cabin_if_unknown="average", flight_bands="route",
        hotel_sharing="per_guest", hotel_missing_country="last_published",
        meals="table_order", gwp=None, gwp_strict=False, upstream=False, editions="verified",
        credit_rounding="up"),
})
#: The profile used when none is given (a documented decision: CHANGELOG, Data).
DEFAULT_METHOD = "china-large-event"


def resolve_method(method: Any = None, **options: Any) -> Method:
    """The method of a calculation: a profile name, a ``Method``, a dict, or None (default),
    with ``options`` (those not None) applied on top and recorded as overrides."""
    if method is None:
        base = PROFILES[DEFAULT_METHOD]
    elif isinstance(method, Method):
        base = method
    elif isinstance(method, str):
        if method not in PROFILES:  # (a str: always hashable)
            raise CarbonFootprintError(f"unknown method profile {brief(method)}; known: "
                                       f"{', '.join(sorted(PROFILES))}")
        base = PROFILES[method]
    elif isinstance(method, dict):
        start = method.get("profile", DEFAULT_METHOD)
        if not isinstance(start, str) or start not in PROFILES:
            raise CarbonFootprintError(f"unknown method profile {brief(start)}; known: "
                                       f"{', '.join(sorted(PROFILES))}")
        changes = {k: v for k, v in method.items() if k != "profile"}
        # in a dict every setting given is meant, None included (gwp: None = each table's own)
        base = resolve_method(PROFILES[start], **{k: v for k, v in changes.items()
                                                  if v is not None})
        explicit = {k: None for k, v in changes.items() if v is None}
        return _apply(base, explicit) if explicit else base
    else:
        raise ArgumentTypeError(f"method must be a profile name, a Method or a dict; got "
                                f"{type(method).__name__}")
    given = {k: v for k, v in options.items() if v is not None}
    return _apply(base, given)


def _apply(base: Method, given: dict[str, Any]) -> Method:
    """``base`` with the settings ``given`` (recorded as overrides where they differ)."""
    changed = {k: v for k, v in given.items() if k not in Method.model_fields
               or getattr(base, k) != v}
    if not changed:
        return base
    for k in changed:
        if k in ("name", "version", "overrides") or k not in Method.model_fields:
            raise CarbonFootprintError(f"{brief(k)} is not a method setting; settings: "
                                       f"{', '.join(sorted(base.settings()))}")
    try:
        return Method.model_validate({**base.model_dump(), **changed,
                                      "overrides": tuple(sorted({*base.overrides, *changed}))})
    except ValidationError as exc:
        e = exc.errors(include_url=False)[0]
        raise CarbonFootprintError(
            f"method {'.'.join(map(str, e['loc']))}: {e['msg']}; got {brief(e.get('input'))}"
        ) from None
