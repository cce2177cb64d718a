"""The base of every activity model, and the helpers their compile functions share."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .._geo import country_codes, is_country, is_subdivision
from .._notices import Notice, notice
from .._plans import Context, Plan
from .._registry import ActivitySpec
from ..errors import ActivityError, NoFactorError, UnknownCodeError
from ..tables import Hit

__all__ = ["ActivityBase", "defaulted", "per_passenger", "pick", "region_code"]


class ActivityBase(BaseModel):
    """Common configuration: frozen, unknown fields rejected, an optional caller's label.

    Subclasses may declare cross-field rules as data (used by validation, the JSON Schema and
    the test strategies alike):

    ``forms``
        Alternative groups of fields, exactly one of which must be given in full (a flight: a
        ``distance``, or an ``origin`` and a ``destination``).
    ``only_with``
        ``{field: other}``: ``field`` may only be given together with ``other``.
    """

    # defer_build: a model's validator is built on its first use (a guest builds the five it
    # uses at start, not all of them)
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True,
                              defer_build=True)

    forms: ClassVar[tuple[tuple[str, ...], ...]] = ()
    only_with: ClassVar[dict[str, str]] = {}

    label: str | None = Field(
        None, max_length=200, description="Free text the caller can use to match results to "
        "their own records (e.g. a booking reference); not used in the calculation.")

    @model_validator(mode="after")
    def _cross_field_rules(self) -> Any:
        forms = type(self).forms
        if forms:
            touched = [f for f in forms if any(getattr(self, n) is not None for n in f)]
            if len(touched) > 1:
                last = touched[-1]
                raise ActivityError("one_of_fields", field=last[0],
                                    value=getattr(self, last[0]), params={
                                        "one": " and ".join(touched[0]),
                                        "other": " and ".join(last)}).carried()
            form = touched[0] if touched else forms[0]
            missing = [n for n in form if getattr(self, n) is None]
            if missing:
                needed = " or ".join(" and ".join(f) for f in forms)
                raise ActivityError("fields_required", field=missing[0], value=None,
                                    params={"needed": needed}).carried()
        for name, other in type(self).only_with.items():
            if getattr(self, name) is not None and getattr(self, other) is None:
                raise ActivityError("field_not_allowed", field=name, value=getattr(self, name),
                                    params={"field": name, "when": f"with {other}"}).carried()
        return self


def per_passenger(ctx: Context, spec: ActivitySpec, hit: Hit, passengers: int,
                  **extra: Any) -> Plan:
    """A transit plan: per passenger-km factors times ``passengers``; per vehicle-km factors
    for the whole vehicle."""
    if hit.factor.per_unit == "passenger_km":
        return ctx.linear(spec, hit, multiplier=float(passengers), unit="passenger_km", **extra)
    return ctx.linear(spec, hit, multiplier=1.0, unit="km", **extra)


def region_code(ctx: Context, value: str | None, field: str, *,
                kind: str = "region_unknown") -> str | None:
    """``value`` upper-cased, if it is an ISO 3166 code or a region the tables define; else an
    ``UnknownCodeError`` naming ``field``."""
    if value is None:
        return None
    code = value.upper()
    if ctx.tset.knows_region(code) or (is_subdivision(code) if "-" in code
                                        else is_country(code)):
        return code
    choices = country_codes() if kind == "country_unknown" else frozenset(ctx.tset.regions)
    raise UnknownCodeError(kind, field=field, value=value, choices=choices)


def _slug(text: str) -> str:
    out = []
    for ch in text.lower():
        out.append(ch if ch.isalnum() and ch.isascii() else "_")
    return "_".join(p for p in "".join(out).split("_") if p)


def pick(ctx: Context, activity: str, selector: str, value: str, field: str, *,
         shown: str | None = None) -> str:
    """``value`` as one of the tables' ``selector`` values of ``activity`` (as given, or as a
    slug: ``"Natural gas"`` -> ``natural_gas``); else an ``UnknownCodeError`` naming
    ``field`` with the closest known values."""
    known = ctx.tset.values_for(activity, selector)
    if value in known:
        return value
    slugged = _slug(value)
    if slugged in known:
        return slugged
    if not known:
        raise NoFactorError("no_factor_activity", field="type", value=activity,
                            params={"tables": ", ".join(ctx.tset.ids), "activity": activity})
    raise UnknownCodeError("selector_unknown", field=field, value=shown or value,
                           choices=known, params={"activity": activity, "field": field})


def defaulted(a: ActivityBase, *fields: str) -> tuple[Notice, ...]:
    """A ``field_default`` notice for each of ``fields`` the input did not give (an assumption
    that changes the number, so the line says it was made)."""
    return tuple(notice("field_default", field=f, value=str(getattr(a, f)))
                 for f in fields if f not in a.model_fields_set)

