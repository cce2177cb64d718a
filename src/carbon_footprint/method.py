"""Method profiles: every methodological choice of a calculation, named, versioned and recorded.

A :class:`Method` bundles the choices that change numbers without changing any input: whether
flights include radiative forcing, the cabin assumed when none is given, how flights are banded,
the GWP set and what to do with factors that cannot be re-expressed, which editions a date may
select. ``calculate(..., method="uk-reporting")`` (or a ``Method``) applies one; individual
options (``gwp=...``) override it and the override is recorded on the result, so a certificate
can cite exactly what was done.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ._text import brief
from .errors import ArgumentTypeError, CarbonFootprintError

__all__ = ["DEFAULT_METHOD", "PROFILES", "Method", "resolve_method"]


class Method(BaseModel):
    """A named, versioned set of methodological choices (see ``docs/methodology.md``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(description="profile name, e.g. uk-reporting")
    version: str = Field(description="profile version; any change to a setting bumps it")
    title: str = ""
    radiative_forcing: bool = Field(
        True, description="flights include the non-CO2 effects of aviation (DESNZ's multiplier) "
        "unless an activity says otherwise")
    cabin_if_unknown: Literal["average", "economy", "economy_same_country"] = Field(
        "average", description="cabin assumed when a flight gives none: the average passenger, "
        "economy, or economy when both airports are in one country (else average)")
    flight_bands: str = Field(
        "route", description="band scheme of the flight table: 'route' (DESNZ's route bands as "
        "published) or 'distance' (short/long haul by distance on every route)")
    gwp: Literal["AR4", "AR5", "AR6"] | None = Field(
        None, description="express CO2e in this GWP100 set (from published gas splits); None "
        "keeps each table's own")
    gwp_strict: bool = Field(
        True, description="a factor without a gas split is an error (True) or keeps its "
        "published basis with a notice (False)")
    editions: Literal["verified", "any"] = Field(
        "any", description="editions a date (on=) may select: verified only, or any")
    overrides: tuple[str, ...] = Field(
        (), description="settings given as options that override the named profile")

    def settings(self) -> dict[str, Any]:
        """Every setting (without name, version, title and overrides)."""
        return self.model_dump(exclude={"name", "version", "title", "overrides"})


#: The shipped profiles, by name.
PROFILES: dict[str, Method] = {
    "uk-reporting": Method(
        name="uk-reporting", version="1",
        title="UK company reporting (DESNZ conversion factors as published)"),
}
DEFAULT_METHOD = "uk-reporting"


def resolve_method(method: Any = None, **options: Any) -> Method:
    """The method of a calculation: a profile name, a ``Method``, a dict, or None (default),
    with ``options`` (not None) applied on top and recorded as overrides."""
    if method is None:
        base = PROFILES[DEFAULT_METHOD]
    elif isinstance(method, Method):
        base = method
    elif isinstance(method, str):
        if method not in PROFILES:
            raise CarbonFootprintError(f"unknown method profile {brief(method)}; known: "
                                       f"{', '.join(sorted(PROFILES))}")
        base = PROFILES[method]
    elif isinstance(method, dict):
        try:
            base = Method.model_validate(method)
        except ValidationError as exc:
            e = exc.errors(include_url=False)[0]
            raise CarbonFootprintError(
                f"method {'.'.join(map(str, e['loc']))}: {e['msg']}") from None
    else:
        raise ArgumentTypeError(f"method must be a profile name, a Method or a dict; got "
                                f"{type(method).__name__}")
    given = {k: v for k, v in options.items() if v is not None}
    if not given:
        return base
    changed = {k: v for k, v in given.items() if getattr(base, k) != v}
    if not changed:
        return base
    try:
        return base.model_copy(update={**changed, "overrides": tuple(
            sorted({*base.overrides, *changed}))}).model_validate(
            {**base.model_dump(), **changed,
             "overrides": tuple(sorted({*base.overrides, *changed}))})
    except ValidationError as exc:
        e = exc.errors(include_url=False)[0]
        raise CarbonFootprintError(f"{'.'.join(map(str, e['loc']))}: {e['msg']}") from None
