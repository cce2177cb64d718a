"""Message catalogues: every error code, notice code and label in every shipped locale.

One YAML file per locale in ``locales/`` (``en.yaml``, ``zh-CN.yaml``) maps codes to templates
with ``{name}`` placeholders filled from an error's or a notice's ``params``. English messages are
rendered from ``en.yaml`` too, so the catalogue is the one source of every text the library
shows. A missing code is a bug (a test checks every locale against the codes the library
defines); at run time a missing template falls back to English, then to the code itself.
"""

from __future__ import annotations

import threading
from importlib.resources import files
from typing import Any

import yaml

from ._cache import register_clear

__all__ = ["LABEL_SECTIONS", "LOCALES", "catalogue", "choice_label", "field_label", "format_money",
           "format_tonnes", "label", "labels", "normalize_locale", "render"]

#: Locales that ship a catalogue.
LOCALES = ("en", "zh-CN")

_LOCK = threading.Lock()
_CATALOGUES: dict[str, dict[str, Any]] = {}


def normalize_locale(locale: str | None) -> str:
    """``None``/``en*`` -> ``en``; ``zh``, ``zh-CN``, ``zh_Hans_CN`` ... -> ``zh-CN``."""
    if not locale:
        return "en"
    tag = str(locale).strip().replace("_", "-").lower()
    if tag.startswith("zh"):
        return "zh-CN"
    if tag.startswith("en"):
        return "en"
    raise ValueError(f"unsupported locale {locale!r}; supported: {', '.join(LOCALES)}")


def catalogue(locale: str = "en", name: str = "") -> dict[str, Any]:
    """The parsed catalogue ``locales/<name.><locale>.yaml`` (loaded once): the library's
    messages and labels (``name=""``) or a layer's own (``name="credits"``)."""
    loc = normalize_locale(locale)
    file = f"{name}.{loc}.yaml" if name else f"{loc}.yaml"
    hit = _CATALOGUES.get(file)
    if hit is None:
        with _LOCK:
            hit = _CATALOGUES.get(file)
            if hit is None:
                text = files("carbon_footprint").joinpath("locales", file).read_text("utf-8")
                loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
                hit = _CATALOGUES[file] = yaml.load(text, Loader=loader)
    return hit


register_clear(_CATALOGUES.clear)


class _Params(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(section: str, code: str, params: dict[str, Any] | None = None,
           locale: str = "en", part: str | None = None) -> str:
    """Render template ``section.code`` (``part`` of it, for two-part templates)."""
    for loc in ((locale, "en") if locale != "en" else ("en",)):
        entry = catalogue(loc).get(section, {}).get(code)
        if isinstance(entry, dict):
            entry = entry.get(part or "message")
        if isinstance(entry, str):
            try:
                return entry.format_map(_Params(params or {}))
            except (ValueError, IndexError, AttributeError, KeyError):  # a malformed template
                return entry
        if part is not None and entry is None and loc == "en":
            return ""
    return code


def label(section: str, key: str, locale: str = "en") -> str:
    """A display label (``types``, ``fields``, ``categories``, ``units``, ``regions``, ``page``
    ...) in ``locale``; English, then the key itself, where a locale lacks it."""
    for loc in ((locale, "en") if locale != "en" else ("en",)):
        hit = catalogue(loc).get(section, {}).get(key)
        if isinstance(hit, str):
            return hit
    return key


def field_label(activity_type: str | None, field: str, locale: str = "en") -> str:
    """The label of ``field`` of an activity type (a per-type label where one is given)."""
    if activity_type:
        for loc in ((locale, "en") if locale != "en" else ("en",)):
            hit = catalogue(loc).get("type_fields", {}).get(
                f"{activity_type}.{field}")
            if isinstance(hit, str):
                return hit
    return label("fields", field, locale)


def choice_label(field: str, value: str, locale: str = "en") -> str:
    """The label of one allowed value of ``field`` (``cabin`` ``economy`` -> ``Economy``)."""
    for loc in ((locale, "en") if locale != "en" else ("en",)):
        hit = catalogue(loc).get("choices", {}).get(field, {}).get(
            value)
        if isinstance(hit, str):
            return hit
    return value


#: totals at or above this many tonnes are shown in 万 (ten thousands) in Chinese
WAN = 10_000


def format_tonnes(tonnes: Any, locale: str = "en", places: int = 3) -> str:
    """``0.461 tCO2e``; in Chinese ``0.461 吨二氧化碳当量``, and ``1.25 万吨二氧化碳当量`` from
    ten thousand tonnes."""
    value = float(tonnes)
    if locale == "en":
        return f"{value:,.{places}f} tCO2e"
    if abs(value) >= WAN:
        return f"{value / WAN:,.2f} 万{label('units', 'tCO2e', locale)}"
    return f"{value:,.{places}f} {label('units', 'tCO2e', locale)}"


def format_money(amount: Any, currency: str | None, locale: str = "en") -> str:
    """``12.5 CNY``; in Chinese ``¥12.50`` for yuan, ``12.5 美元`` otherwise."""
    if locale != "en" and currency == "CNY":
        return f"¥{float(amount):,.2f}"
    if locale != "en" and currency:
        return f"{amount} {label('units', currency, locale)}"
    return f"{amount} {currency or ''}".strip()


#: the catalogue sections that label things for people (the rest are messages)
LABEL_SECTIONS = ("types", "fields", "type_fields", "choices", "categories", "mee_categories",
                  "units", "kinds", "regions", "page", "help")


def labels(locale: str | None = None) -> dict[str, Any]:
    """Every display label in ``locale`` (activity types, fields, choices, categories, units,
    regions, the reference page's texts), English filling any gap: what a frontend needs to
    show the vocabulary in a language."""
    loc = normalize_locale(locale)
    out: dict[str, Any] = {"locale": loc}
    for section in LABEL_SECTIONS:
        merged: dict[str, Any] = {}
        for source in (catalogue("en").get(section, {}), catalogue(loc).get(section, {})):
            for key, value in source.items():
                if isinstance(value, dict):
                    merged[key] = {**merged.get(key, {}), **value}
                else:
                    merged[key] = value
        out[section] = merged
    return out
