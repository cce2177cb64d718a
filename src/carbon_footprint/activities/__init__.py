"""Activity models: the JSON vocabulary of what people do.

Every activity is a frozen pydantic model with a literal ``type``; :data:`Activity` is their
discriminated union. Plain dicts are validated with :func:`validate_activity`, which turns
pydantic's errors into :class:`~carbon_footprint.errors.ActivityError` naming the field, the value
and what was expected.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated, Any

from pydantic import Field, TypeAdapter, ValidationError

from ..errors import ActivityError, UnknownCodeError
from ._base import ActivityBase
from .dining import Food, Meal
from .energy import Electricity
from .lodging import Hotel
from .shopping import CATEGORY_ALIASES, Purchase
from .travel import Bus, Car, Flight, Metro, Motorbike, Rail, Taxi

__all__ = [
    "ACTIVITY_TYPES",
    "CATEGORY_ALIASES",
    "Activity",
    "ActivityBase",
    "Bus",
    "Car",
    "Electricity",
    "Flight",
    "Food",
    "Hotel",
    "Meal",
    "Metro",
    "Motorbike",
    "Purchase",
    "Rail",
    "Taxi",
    "activity_adapter",
    "activity_error",
    "validate_activity",
]

_MODELS: tuple[type[ActivityBase], ...] = (
    Flight, Rail, Car, Taxi, Bus, Metro, Motorbike, Hotel, Meal, Food, Purchase, Electricity,
)

#: type -> model class
ACTIVITY_TYPES: dict[str, type[ActivityBase]] = {
    m.model_fields["type"].default: m for m in _MODELS
}

Activity = Annotated[
    Flight | Rail | Car | Taxi | Bus | Metro | Motorbike | Hotel | Meal | Food | Purchase
    | Electricity,
    Field(discriminator="type"),
]


@lru_cache(maxsize=1)
def activity_adapter() -> TypeAdapter[Any]:
    """The ``TypeAdapter`` of the :data:`Activity` union (built once)."""
    return TypeAdapter(Activity)


_QUOTED = re.compile(r"'([^']*)'")


def activity_error(exc: ValidationError, raw: Any, index: int | None) -> ActivityError:
    """Convert the first error of a pydantic ``ValidationError`` into an ``ActivityError``."""
    err = exc.errors(include_url=False)[0]
    loc = [str(p) for p in err["loc"]]
    kind = err["type"]
    atype = raw.get("type") if isinstance(raw, dict) else getattr(raw, "type", None)
    atype = atype if isinstance(atype, str) and atype in ACTIVITY_TYPES else None
    if atype and loc and loc[0] == atype:
        loc = loc[1:]  # drop the union tag
    field = ".".join(loc) or None
    value = err.get("input")
    ctx = err.get("ctx") or {}
    inner = ctx.get("error")
    if isinstance(inner, ActivityError):  # raised by our own validators
        inner.index = index
        inner.field = inner.field or field
        inner.activity_type = atype
        return inner.with_index(index) if index is not None else inner
    common: dict[str, Any] = {"index": index, "activity_type": atype}
    if kind == "union_tag_invalid":
        return UnknownCodeError("unknown activity type", field="type", value=raw.get("type"),
                                choices=ACTIVITY_TYPES, **common)
    if kind == "union_tag_not_found":
        return ActivityError("missing activity type", field="type", value=None,
                             expected="one of " + ", ".join(sorted(ACTIVITY_TYPES)), **common)
    if kind in ("model_type", "model_attributes_type", "dict_type") and not loc:
        return ActivityError("an activity must be a JSON object", field=None, value=raw,
                             expected="an object with a 'type' key", **common)
    if kind == "missing":
        return ActivityError("required field is missing", field=field, value=None,
                             expected=_describe_field(atype, field), **common)
    if kind == "extra_forbidden":
        known = sorted(ACTIVITY_TYPES[atype].model_fields) if atype else []
        return UnknownCodeError("unknown field", field=field, value=field,
                                choices=known, expected=f"one of the fields {', '.join(known)}",
                                **common)
    if kind == "literal_error":
        choices = _QUOTED.findall(str(ctx.get("expected", "")))
        return UnknownCodeError(f"unknown {field}", field=field, value=value, choices=choices,
                                expected="one of " + ", ".join(repr(c) for c in choices),
                                **common)
    if kind == "string_pattern_mismatch":
        return UnknownCodeError(f"malformed {field}", field=field, value=value,
                                suggestions=[], expected=_describe_field(atype, field), **common)
    return ActivityError(err["msg"], field=field, value=value,
                         expected=_describe_field(atype, field), **common)


def _describe_field(atype: str | None, field: str | None) -> str:
    if not atype or not field or field not in ACTIVITY_TYPES[atype].model_fields:
        return ""
    info = ACTIVITY_TYPES[atype].model_fields[field]
    meta = {}
    for m in info.metadata:
        for attr in ("ge", "le", "pattern"):
            if getattr(m, attr, None) is not None:
                meta[attr] = getattr(m, attr)
    ann = info.annotation
    name = getattr(ann, "__name__", None) or str(ann).replace("typing.", "")
    if name == "Measured":
        name = "a quantity with a unit"
    parts = [name]
    if "ge" in meta or "le" in meta:
        parts.append(f"from {meta.get('ge', '-inf')} to {meta.get('le', 'inf')}")
    if "pattern" in meta:
        parts.append(f"matching {meta['pattern']}")
    if info.description:
        parts.append(f"({info.description})")
    return " ".join(parts)


def validate_activity(raw: Any, index: int | None = None) -> ActivityBase:
    """Validate one activity (a model instance or a JSON-like dict).

    Raises
    ------
    ActivityError
        Naming ``index``, the field, the value given and what was expected.
    """
    if isinstance(raw, ActivityBase):
        return raw
    if not isinstance(raw, dict):
        raise ActivityError("an activity must be a JSON object (dict) or an activity model",
                            index=index, value=raw, expected="an object with a 'type' key")
    try:
        return activity_adapter().validate_python(raw)  # type: ignore[no-any-return]
    except ValidationError as exc:
        raise activity_error(exc, raw, index) from None
