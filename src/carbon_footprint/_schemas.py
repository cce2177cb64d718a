"""JSON Schemas for frontends, generated from the activity registry and the result models.

Three documents, each in two dialects (JSON Schema 2020-12, and draft-07 for the default Ajv
class that @rjsf/validator-ajv8 builds) and in any shipped locale (titles and descriptions):

* :func:`activity_schema`: one activity. Each type is its own object schema under ``$defs``
  (``#/$defs/Hotel``), chosen by ``if``/``then`` on ``type``; ``type=`` returns one type's schema
  alone, which is what a form for that type validates with.
* :func:`request_schema`: the envelope the HTTP service takes (activities, offset, options).
* :func:`response_schema`: a :class:`~carbon_footprint.results.Footprint` as JSON.

The rules a form needs are written so that every configuration of Ajv compiles them (strict or
not) and a wrong field yields one error: optional fields are simply not required (no ``null``
branches); a quantity is an object ``{"value": number, "unit": one of the accepted units}``
(money: ``{"value", "currency"}``; the library itself still reads ``"350 km"``); a choice lists
its values with display titles (``oneOf`` of ``const`` and ``title``, which rjsf shows in a
dropdown); codes carry ``examples``; the cross-field rules the models declare as data
(``forms``, ``only_with``) are ``oneOf``/``not``/``dependentRequired``. Descriptions are plain
text. Numbers: see :mod:`carbon_footprint.results` (exact amounts are decimal strings).
"""

from __future__ import annotations

import copy
import re
from typing import Annotated, Any, Literal, get_args, get_origin

from ._i18n import choice_label, field_label, label, normalize_locale, render
from ._json import SOURCE_FIELDS
from ._registry import CATEGORIES, specs
from .activities import ACTIVITY_TYPES
from .activities._fields import REGION_PATTERN, quantity_kind
from .activities.purchase import CATEGORY_ALIASES
from .errors import CarbonFootprintError
from .method import PROFILES
from .results import Footprint
from .tables import bundled_table_ids
from .units import QuantityKind, parse_quantity

__all__ = ["DIALECTS", "MAX_ACTIVITIES", "accepted_units", "activity_schema", "request_schema",
           "response_schema"]

Dialect = Literal["2020-12", "draft-07"]
DIALECTS: dict[str, str] = {
    "2020-12": "https://json-schema.org/draft/2020-12/schema",
    "draft-07": "http://json-schema.org/draft-07/schema#",
}
#: the most activities one request may carry (the HTTP service's limit too)
MAX_ACTIVITIES = 10_000

#: units a form offers per quantity kind; only those the library reads are listed
_UNIT_CHOICES: dict[str, tuple[str, ...]] = {
    "distance": ("km", "m", "mi", "nmi"),
    "mass": ("kg", "g", "t", "lb"),
    "energy": ("kWh", "MWh", "GJ", "MJ"),
    "volume": ("m^3", "L"),
    "fuel amount": ("kWh", "MWh", "GJ", "m^3", "L", "kg", "t"),
    "amount": ("CNY", "USD", "EUR", "GBP", "HKD", "JPY"),
}
#: regions a region field suggests: China's provinces and grids as the catalogue labels them
_REGION_EXAMPLES = ("CN", "CN-SC", "CN-BJ", "CN-SH", "CN-GD", "GB", "US")
#: a region as a code, or as a Chinese name (四川, 四川省), which the library reads too
_REGION_OR_NAME = "^(" + REGION_PATTERN[1:-1] + "|[0-9]{2}(0000)?|[\u3400-\u9fff]{2,12})$"
_RST = [(re.compile(r":[a-z]+:`~?([^`]+)`"), r"\1"), (re.compile(r"``([^`]+)``"), r"\1"),
        (re.compile(r"`([^`]+)`"), r"\1"), (re.compile(r"\s*See docs/[\w./-]+\.?"), ""),
        (re.compile(r"\s+"), " ")]


def _plain(text: str | None) -> str | None:
    """A docstring or field description as plain text (no reStructuredText, no paths)."""
    if not text:
        return None
    for pattern, repl in _RST:
        text = pattern.sub(repl, text)
    return text.strip() or None


def accepted_units(kind: QuantityKind) -> list[str]:
    """The units a form offers for ``kind`` (each checked to parse as that kind)."""
    out = []
    for unit in _UNIT_CHOICES.get(kind.name, (kind.canonical,)):
        try:
            parse_quantity({"value": 1, "currency" if kind.money else "unit": unit}, kind)
        except CarbonFootprintError:
            continue
        out.append(unit)
    return out


def _choices(values: list[Any], titles: list[str]) -> list[dict[str, Any]]:
    return [{"const": v, "title": t} for v, t in zip(values, titles, strict=True)]


def _quantity(kind: QuantityKind, loc: str) -> dict[str, Any]:
    second = "currency" if kind.money else "unit"
    units = accepted_units(kind)
    return {
        "title": label("kinds", kind.name, loc).capitalize() if loc == "en"
        else label("kinds", kind.name, loc),
        "type": "object",
        "properties": {
            "value": {"title": label("fields", "value", loc), "type": "number", "minimum": 0},
            second: {"title": label("fields", second, loc), "type": "string",
                     "default": "CNY" if kind.money else units[0],
                     "oneOf": _choices(units, [label("units", u, loc) for u in units])},
        },
        "required": ["value", second],
        "additionalProperties": False,
    }


def _def_name(kind: QuantityKind) -> str:
    return "".join(p.capitalize() for p in kind.name.split()) if not kind.money else "Money"


def _help(atype: str, field: str, info: Any, loc: str) -> str | None:
    if loc == "en":
        return _plain(info.description)
    for key in (f"{atype}.{field}", field):
        text = render("help", key, None, loc)
        if text != key:
            return text
    return None


def _field(atype: str, name: str, info: Any, loc: str, defs: dict[str, Any]) -> dict[str, Any]:
    """The schema of one model field (without null: optional means not required)."""
    out: dict[str, Any] = {"title": field_label(atype, name, loc)}
    kind = quantity_kind(info)
    if kind is not None:
        ref = _def_name(kind)
        defs.setdefault(ref, _quantity(kind, loc))
        out["$ref"] = f"#/$defs/{ref}"
        text = _help(atype, name, info, loc)
        if text:
            out["description"] = text
        return out
    ann = info.annotation
    args = [a for a in get_args(ann) if a is not type(None)] if get_origin(ann) is not Literal \
        else [ann]
    base = args[0] if len(args) == 1 else ann
    while get_origin(base) is Annotated:  # StrictFloat, StrictBool
        base = get_args(base)[0]
    meta: dict[str, Any] = {}
    for m in info.metadata:
        for attr in ("ge", "le", "gt", "lt", "min_length", "max_length", "pattern"):
            if getattr(m, attr, None) is not None:
                meta[attr] = getattr(m, attr)
        if getattr(m, "func", None) is not None and getattr(m.func, "__name__", "") == \
                "_read_region":
            meta["region"] = True
    if get_origin(base) is Literal:
        values = list(get_args(base))
        out["type"] = "string"
        out["oneOf"] = _choices(values, [choice_label(name, v, loc) for v in values])
    elif base is bool or getattr(base, "__name__", "") == "bool":
        out["type"] = "boolean"
    elif base is int:
        out["type"] = "integer"
    elif base is float:
        out["type"] = "number"
    else:
        out["type"] = "string"
    for attr, key in (("ge", "minimum"), ("le", "maximum"), ("gt", "exclusiveMinimum"),
                      ("lt", "exclusiveMaximum"), ("min_length", "minLength"),
                      ("max_length", "maxLength")):
        if attr in meta:
            out[key] = meta[attr]
    if meta.get("region") or name in ("region", "country"):
        out["pattern"] = _REGION_OR_NAME
        out["examples"] = list(_REGION_EXAMPLES)
    elif "pattern" in meta:
        out["pattern"] = meta["pattern"]
    examples = list(info.examples or [])
    if atype == "purchase" and name == "category":
        examples = list(CATEGORY_ALIASES)
    if examples and "examples" not in out:
        out["examples"] = examples
    if info.default is not None and not info.is_required() and name != "type":
        out["default"] = info.default
    text = _help(atype, name, info, loc)
    if text:
        out["description"] = text
    return out


def _type_schema(atype: str, loc: str, defs: dict[str, Any]) -> dict[str, Any]:
    model = ACTIVITY_TYPES[atype]
    props: dict[str, Any] = {"type": {"title": label("fields", "type", loc), "type": "string",
                                      "const": atype, "default": atype}}
    required = ["type"]
    for name, info in model.model_fields.items():
        if name == "type":
            continue
        props[name] = _field(atype, name, info, loc, defs)
        if info.is_required():
            required.append(name)
    out: dict[str, Any] = {"title": label("types", atype, loc), "type": "object"}
    if loc == "en" and _plain(model.__doc__):
        out["description"] = _plain((model.__doc__ or "").split("\n\n")[0])
    out.update(properties=props, required=required, additionalProperties=False)
    forms = getattr(model, "forms", ())
    if forms:
        alternatives = []
        for form in forms:
            others = sorted({f for other in forms if other != form for f in other} - set(form))
            banned = others + sorted(f for f, w in model.only_with.items() if w not in form)
            alt: dict[str, Any] = {"title": " + ".join(field_label(atype, f, loc) for f in form),
                                   "properties": {**{f: True for f in form},
                                                  **{f: False for f in banned}},
                                   "required": list(form)}
            alternatives.append(alt)
        out["oneOf"] = alternatives
    if model.only_with:
        out["dependentRequired"] = {f: [w] for f, w in model.only_with.items()}
    return out


def _to_dialect(schema: dict[str, Any], dialect: str) -> dict[str, Any]:
    """The 2020-12 document in ``dialect`` (draft-07: ``definitions``, ``dependencies``)."""
    if dialect not in DIALECTS:
        raise CarbonFootprintError(f"unknown JSON Schema dialect {str(dialect)[:40]!r}; "
                                   f"known: {', '.join(DIALECTS)}")
    out = {"$schema": DIALECTS[dialect], **schema}
    if dialect == "2020-12":
        return out

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            new = {}
            for k, v in node.items():
                key = {"$defs": "definitions", "dependentRequired": "dependencies"}.get(k, k)
                if k == "$ref" and isinstance(v, str):
                    v = v.replace("#/$defs/", "#/definitions/")
                new[key] = walk(v)
            return new
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(out)  # type: ignore[no-any-return]


def _activity_document(loc: str, atype: str | None) -> dict[str, Any]:
    defs: dict[str, Any] = {}
    types = list(specs())
    if atype is not None:
        if atype not in ACTIVITY_TYPES:
            raise CarbonFootprintError(f"unknown activity type {str(atype)[:40]!r}")
        one = _type_schema(atype, loc, defs)
        return {**one, **({"$defs": defs} if defs else {})}
    for t in types:
        defs[ACTIVITY_TYPES[t].__name__] = _type_schema(t, loc, defs)
    return {
        "title": label("fields", "type", loc) if loc != "en" else "Activity",
        "description": "One activity; its type decides its fields." if loc == "en" else
        label("page", "intro", loc),
        "type": "object",
        "properties": {"type": {"title": label("fields", "type", loc), "type": "string",
                                "oneOf": _choices(types, [label("types", t, loc)
                                                          for t in types])}},
        "required": ["type"],
        "allOf": [{"if": {"properties": {"type": {"const": t}}, "required": ["type"]},
                   "then": {"$ref": f"#/$defs/{ACTIVITY_TYPES[t].__name__}"}} for t in types],
        "$defs": defs,
    }


def activity_schema(dialect: Dialect = "2020-12", locale: str | None = None,
                    type: str | None = None) -> dict[str, Any]:
    """JSON Schema of one activity, for forms and validators (Ajv, rjsf).

    Parameters
    ----------
    dialect : {"2020-12", "draft-07"}
        JSON Schema 2020-12 (Ajv2020), or draft-07 (Ajv's default class, which
        @rjsf/validator-ajv8 uses).
    locale : str, optional
        Titles and descriptions in this locale (``"zh-CN"``); English by default.
    type : str, optional
        One activity type's schema alone (what a form for that type validates with).
    """
    loc = normalize_locale(locale)
    return _to_dialect(_activity_document(loc, type), dialect)


def _decimal(title: str) -> dict[str, Any]:
    return {"title": title, "type": "string", "pattern": r"^[0-9]+(\.[0-9]+)?$"}


def request_schema(dialect: Dialect = "2020-12", locale: str | None = None) -> dict[str, Any]:
    """JSON Schema of a calculation request: ``activities``, an ``offset`` policy and
    ``options`` (``method``, ``tables``, ``on``, ``gwp``, ``locale``, ``errors``,
    ``compact``, ``form``)."""
    loc = normalize_locale(locale)
    activity = _activity_document(loc, None)
    defs = activity.pop("$defs")
    defs["Activity"] = activity
    profiles = list(PROFILES)
    defs["OffsetPolicy"] = {
        "title": "Offset policy", "type": "object", "additionalProperties": False,
        "description": "How the footprint is neutralized with credits; exact amounts are "
                       "decimal strings.",
        "properties": {
            "credit_size_tco2e": _decimal("Credit size [tCO2e]"),
            "rounding": {"title": "Rounding", "type": "string",
                         "oneOf": _choices(["up", "fractional"],
                                           ["Whole credits", "Fractions of a credit"])},
            "granularity": _decimal("Granularity [credits]"),
            "buffer": _decimal("Buffer [fraction]"),
            "price_per_credit": _decimal("Price per credit"),
            "currency": {"title": "Currency", "type": "string", "pattern": "^[A-Z]{3}$"},
            "scheme": {"title": "Scheme", "type": "string", "maxLength": 200},
        },
        "dependentRequired": {"price_per_credit": ["currency"],
                              "currency": ["price_per_credit"]},
    }
    defs["Options"] = {
        "title": "Options", "type": "object", "additionalProperties": False,
        "properties": {
            "method": {"title": "Method profile", "type": "string",
                       "oneOf": _choices(profiles, profiles)},
            "tables": {"title": "Factor tables", "type": "array", "minItems": 1,
                       "maxItems": 50, "items": {"type": "string", "maxLength": 100,
                                                 "examples": list(bundled_table_ids())}},
            "on": {"title": "Editions in force on (YYYY-MM-DD)", "type": "string",
                   "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
            "gwp": {"title": "GWP set", "type": "string",
                    "oneOf": _choices(["AR4", "AR5", "AR6"], ["AR4", "AR5", "AR6"])},
            "locale": {"title": "Language of messages", "type": "string",
                       "oneOf": _choices(["en", "zh-CN"], ["English", "简体中文"])},
            "errors": {"title": "Invalid activities", "type": "string",
                       "oneOf": _choices(["collect", "raise"],
                                         ["Report them as error lines",
                                          "Refuse the request"])},
            "compact": {"title": "Compact response", "type": "boolean", "default": False},
            "form": {"title": "Form of the result", "type": "string",
                     "oneOf": _choices(["full", "normalized"],
                                       ["Full: every line whole",
                                        "Normalized: each source of lines once"])},
        },
    }
    doc = {
        "title": "Calculation request", "type": "object", "additionalProperties": False,
        "properties": {
            "activities": {"title": "Activities", "type": "array", "minItems": 1,
                           "maxItems": MAX_ACTIVITIES, "items": {"$ref": "#/$defs/Activity"}},
            "offset": {"$ref": "#/$defs/OffsetPolicy"},
            "options": {"$ref": "#/$defs/Options"},
        },
        "required": ["activities"],
        "$defs": defs,
    }
    return _to_dialect(doc, dialect)


_WORDS = {"tco2e": "tCO2e", "id": "ID", "gwp": "GWP", "sha256": "SHA-256", "url": "URL",
          "co2e": "CO2e"}


def _title(name: str) -> str:
    """``required_tco2e`` -> ``Required tCO2e`` (not pydantic's ``Required Tco2E``)."""
    words = [_WORDS.get(w, w) for w in name.split("_")]
    first = words[0] if words[0] in _WORDS.values() else words[0].capitalize()
    return " ".join([first, *words[1:]])


def _tidy(node: Any) -> Any:
    """Pydantic's serialization schema made portable: titles from names, no
    ``discriminator`` (the ``status`` const chooses), ``anyOf [X, null]`` kept."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "discriminator":
                continue
            if k == "properties" and isinstance(v, dict):
                out[k] = {name: {**_tidy(sub), "title": _title(name)} if isinstance(sub, dict)
                          else sub for name, sub in v.items()}
                continue
            out[k] = _tidy(v)
        return out
    if isinstance(node, list):
        return [_tidy(v) for v in node]
    return node


def response_schema(dialect: Dialect = "2020-12", form: str = "full") -> dict[str, Any]:
    """JSON Schema of a calculation result (a :class:`Footprint` as JSON).

    Every exact amount (totals, ``by_category``, credits, tonnes covered, costs) is a decimal
    string; measurements (a line's ``tco2e``, ``quantity``, a factor's ``value``) are numbers.
    ``form="normalized"``: the normalized form (:meth:`Footprint.normalized_json`), each
    distinct source of lines once in ``sources``, lines referring to it by position.
    """
    if form not in ("full", "normalized"):
        raise CarbonFootprintError(f"form must be 'full' or 'normalized'; got {form!r}"[:200])
    schema = copy.deepcopy(Footprint.model_json_schema(mode="serialization"))
    schema = _tidy(schema)
    schema["title"] = "Footprint"
    cats = schema["properties"]["by_category"]
    cats["propertyNames"] = {"enum": list(CATEGORIES)}
    if form == "normalized":
        schema = _normalized(schema)
    return _to_dialect(schema, dialect)


def _normalized(schema: dict[str, Any]) -> dict[str, Any]:
    """The full form's schema made the normalized form's."""
    defs = schema["$defs"]
    line = defs.pop("LineItem")
    props = line["properties"]
    defs["Source"] = {
        "title": "Source", "type": "object", "additionalProperties": False,
        "description": "What calculated lines share: type, category, gas basis, unit, the "
                       "factor with its provenance, notices, scope and upstream factor.",
        "properties": {k: props[k] for k in SOURCE_FIELDS},
        "required": [k for k in SOURCE_FIELDS if k in line.get("required", ())],
    }
    kept = ("status", "index", "label", "tco2e", "quantity", "upstream_tco2e")
    defs["NormalizedLine"] = {
        "title": "Calculated line (normalized)", "type": "object",
        "additionalProperties": False,
        "description": "A calculated line: its own index, label and numbers; the rest is "
                       "its source, sources[source].",
        "properties": {**{k: props[k] for k in kept[:2]},
                       "source": {"title": "Source", "type": "integer", "minimum": 0,
                                  "description": "position of the line's source in sources"},
                       **{k: props[k] for k in kept[2:]}},
        "required": ["status", "index", "source", "tco2e", "quantity"],
    }
    out: dict[str, Any] = {"title": "Footprint (normalized)", "type": "object"}
    for key, value in schema.items():
        if key in ("title", "type"):
            continue
        if key == "properties":
            properties: dict[str, Any] = {
                "form": {"title": "Form", "const": "normalized", "type": "string"}}
            for name, sub in value.items():
                if name == "lines":
                    properties["sources"] = {
                        "title": "Sources", "type": "array",
                        "items": {"$ref": "#/$defs/Source"},
                        "description": "each distinct source of calculated lines, in order "
                                       "of first use"}
                    sub = copy.deepcopy(sub)
                    sub["items"] = {"oneOf": [{"$ref": "#/$defs/NormalizedLine"},
                                              {"$ref": "#/$defs/ErrorLine"}]}
                properties[name] = sub
            value = properties
        elif key == "required":
            value = ["form", *value[:value.index("lines")], "sources",
                     *value[value.index("lines"):]]
        out[key] = value
    return out
