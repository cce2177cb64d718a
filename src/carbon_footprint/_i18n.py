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

__all__ = ["LOCALES", "catalogue", "normalize_locale", "render"]

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


def catalogue(locale: str = "en") -> dict[str, Any]:
    """The parsed catalogue of ``locale`` (loaded once)."""
    loc = normalize_locale(locale)
    hit = _CATALOGUES.get(loc)
    if hit is None:
        with _LOCK:
            hit = _CATALOGUES.get(loc)
            if hit is None:
                text = files("carbon_footprint").joinpath("locales", f"{loc}.yaml").read_text(
                    "utf-8")
                loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
                hit = _CATALOGUES[loc] = yaml.load(text, Loader=loader)
    return hit


register_clear(_CATALOGUES.clear)


class _Params(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(section: str, code: str, params: dict[str, Any] | None = None,
           locale: str = "en", part: str | None = None) -> str:
    """Render template ``section.code`` (``part`` of it, for two-part templates)."""
    for loc in ((locale, "en") if locale != "en" else ("en",)):
        entry = (_CATALOGUES.get(loc) or catalogue(loc)).get(section, {}).get(code)
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
