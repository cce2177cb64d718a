"""Activity models: the JSON vocabulary of what people do.

Each activity type lives in its own module here (``flight``, ``rail``, ``hotel``, ...): its
frozen pydantic model, its compile function (the method: which factor, what amount) and its
registration in :mod:`carbon_footprint._registry`. Modules are discovered, so adding a type is
adding a module. :data:`Activity` is the discriminated union of every registered model, and
:func:`validate_activity` turns pydantic's errors into
:class:`~carbon_footprint.errors.ActivityError` with a machine code, the field, the value and
what was expected.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from typing import TYPE_CHECKING, Annotated, Any, Union

from pydantic import Field, TypeAdapter, ValidationError

from .._registry import specs
from .._text import brief
from ..errors import ActivityError, UnknownCodeError
from ._base import ActivityBase
from ._fields import quantity_kind

__all__ = [
    "ACTIVITY_TYPES",
    "Activity",
    "ActivityBase",
    "activity_adapter",
    "activity_error",
    "activity_errors",
    "describe_field",
    "oversized",
    "validate_activity",
]

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if not _info.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_info.name}")

#: type -> model class, in registration order
ACTIVITY_TYPES: dict[str, type[ActivityBase]] = {t: s.model for t, s in specs().items()}

if TYPE_CHECKING:
    Activity = ActivityBase
else:
    Activity = Annotated[Union[tuple(ACTIVITY_TYPES.values())],  # noqa: UP007 - built at run time
                         Field(discriminator="type")]
    """The discriminated union of every activity model (on ``type``)."""

_ADAPTER: list[TypeAdapter[Any]] = []


def activity_adapter() -> TypeAdapter[Any]:
    """The ``TypeAdapter`` of the :data:`Activity` union (built once)."""
    if not _ADAPTER:
        _ADAPTER.append(TypeAdapter(Activity))
    return _ADAPTER[0]


_QUOTED = re.compile(r"'([^']*)'")
_TYPES = frozenset(ACTIVITY_TYPES)
_INT = {"int_type", "int_parsing", "int_from_float", "int_parsing_size"}
_RANGE = {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}


def activity_error(exc: ValidationError, raw: Any, index: int | None) -> ActivityError:
    """Convert the first error of a pydantic ``ValidationError`` into an ``ActivityError``."""
    return _converted(exc.errors(include_url=False)[0], raw, index)


def activity_errors(exc: ValidationError, raw: Any, index: int | None,
                    limit: int = 50) -> list[ActivityError]:
    """Every error of a pydantic ``ValidationError`` (up to ``limit``), as ``ActivityError``s,
    one per field."""
    out: list[ActivityError] = []
    seen: set[tuple[str | None, str]] = set()
    for err in exc.errors(include_url=False)[:limit]:
        converted = _converted(err, raw, index)
        key = (converted.field, converted.code)
        if key not in seen:
            seen.add(key)
            out.append(converted)
    return out


def _converted(err: Any, raw: Any, index: int | None) -> ActivityError:
    loc = [str(p) for p in err["loc"]]
    kind = err["type"]
    atype = raw.get("type") if isinstance(raw, dict) else getattr(raw, "type", None)
    atype = atype if isinstance(atype, str) and atype in ACTIVITY_TYPES else None
    if atype and loc and loc[0] == atype:
        loc = loc[1:]  # drop the union tag
    field = ".".join(loc)[:200] or None
    value = err.get("input")
    ctx = err.get("ctx") or {}
    inner = ctx.get("error")
    common: dict[str, Any] = {"index": index, "activity_type": atype}
    if isinstance(inner, ActivityError):  # raised by our own validators: a fresh copy
        out = inner.located(index, atype)
        out.field = inner.field or field
        return out
    if kind == "union_tag_invalid":
        return UnknownCodeError("type_unknown", field="type", value=raw.get("type"),
                                choices=_TYPES, **common)
    if kind == "union_tag_not_found":
        return ActivityError("type_missing", field="type", value=None,
                             params={"choices": ", ".join(sorted(ACTIVITY_TYPES))}, **common)
    if kind in ("model_type", "model_attributes_type", "dict_type") and not loc:
        return ActivityError("not_an_object", field=None, value=raw, **common)
    described = dict(describe_field(atype, field))
    params: dict[str, Any] = {"expected": described.pop("text", "")}
    params.update(described)
    if kind == "missing":
        return ActivityError("field_missing", field=field, value=None, params=params, **common)
    if kind == "extra_forbidden":
        known = tuple(sorted(ACTIVITY_TYPES[atype].model_fields)) if atype else ()
        return UnknownCodeError("field_unknown", field=field, value=field, choices=known,
                                params={"choices": ", ".join(known)}, **common)
    if kind == "literal_error":
        choices = tuple(_QUOTED.findall(str(ctx.get("expected", ""))))
        return UnknownCodeError("choice_unknown", field=field, value=value, choices=choices,
                                params={"choices": ", ".join(repr(c) for c in choices)},
                                **common)
    if kind == "string_pattern_mismatch":
        return UnknownCodeError("code_malformed", field=field, value=value, suggestions=[],
                                params=params, **common)
    code = ("not_integer" if kind in _INT else "not_boolean" if kind.startswith("bool")
            else "not_text" if kind == "string_type"
            else "not_number" if kind.startswith("float") or kind == "finite_number"
            else "out_of_range" if kind in _RANGE
            else "too_long" if kind == "string_too_long" else "value_invalid")
    if code == "too_long":
        params["max_length"] = ctx.get("max_length", "")
    if code == "value_invalid":
        params["detail"] = str(err.get("msg", ""))[:300]
    return ActivityError(code, field=field, value=value, params=params, **common)


_DESCRIBED: dict[tuple[str, str], dict[str, Any]] = {}


def describe_field(atype: str | None, field: str | None) -> dict[str, Any]:
    """What a field accepts: ``text`` (English) and its bounds (``ge``, ``le``) if any.
    (One entry per field of the vocabulary, computed once; do not modify the result.)"""
    if not atype or not field or field not in ACTIVITY_TYPES[atype].model_fields:
        return {}
    hit = _DESCRIBED.get((atype, field))
    if hit is None:
        hit = _DESCRIBED[(atype, field)] = _describe(atype, field)
    return hit


def _describe(atype: str, field: str) -> dict[str, Any]:
    info = ACTIVITY_TYPES[atype].model_fields[field]
    out: dict[str, Any] = {}
    for m in info.metadata:
        for attr in ("ge", "le", "max_length"):
            if getattr(m, attr, None) is not None:
                out[attr] = getattr(m, attr)
    kind = quantity_kind(info)
    if kind is not None:
        name = kind.expected
    else:
        ann = info.annotation
        name = getattr(ann, "__name__", None) or str(ann).replace("typing.", "")
        name = {"int": "a whole number", "str": "text", "bool": "true or false",
                "float": "a number"}.get(name, name)
    parts = [name]
    if "ge" in out or "le" in out:
        parts.append(f"from {out.get('ge', '-inf')} to {out.get('le', 'inf')}")
    if info.description:
        parts.append(f"({info.description.rstrip('.')})")
    out["text"] = " ".join(parts)
    return out


#: the longest field name, activity type and text value read (anything longer is refused before
#: validation: the longest legitimate ones are 20, 11 and 200 characters)
MAX_FIELD_NAME = 64
MAX_TEXT_VALUE = 1_000


def oversized(raw: dict[Any, Any], index: int | None) -> ActivityError | None:
    """An error for a key or text value far beyond any legitimate one, else None."""
    atype = raw.get("type")
    atype = atype if isinstance(atype, str) and atype in ACTIVITY_TYPES else None
    for k, v in raw.items():
        if type(k) is not str or len(k) > MAX_FIELD_NAME:
            known = tuple(sorted(ACTIVITY_TYPES[atype].model_fields)) if atype else ()
            return UnknownCodeError("field_unknown", field=brief(k, 60), value=k, choices=known,
                                    params={"choices": ", ".join(known)}, index=index,
                                    activity_type=atype)
        if type(v) is str and len(v) > (MAX_FIELD_NAME if k == "type" else MAX_TEXT_VALUE):
            if k == "type":
                return UnknownCodeError("type_unknown", field="type", value=v, choices=_TYPES,
                                        index=index)
            return ActivityError("too_long", field=k, value=v, index=index, activity_type=atype,
                                 params={"max_length": MAX_TEXT_VALUE, "expected": ""})
    return None


def validate_activity(raw: Any, index: int | None = None) -> ActivityBase:
    """Validate one activity (a model instance or a JSON-like dict).

    Raises
    ------
    ActivityError
        With a machine ``code``, naming ``index``, the field, the value given and what was
        expected.
    """
    if isinstance(raw, ActivityBase):
        return raw
    if not isinstance(raw, dict):
        raise ActivityError("not_an_object", index=index, value=raw)
    oversized_error = oversized(raw, index)
    if oversized_error is not None:  # refused before the validator copies or formats it
        raise oversized_error
    try:
        return activity_adapter().validate_python(raw)  # type: ignore[no-any-return]
    except ValidationError as exc:
        error = activity_error(exc, raw, index)
    except RecursionError:
        error = ActivityError("value_invalid", index=index, value=brief(raw),
                              params={"detail": "nested too deeply", "expected": ""})
    raise error
