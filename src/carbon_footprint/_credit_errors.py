"""Errors and texts of the credit modules (schemes, retirement records, pools, claims,
certificates, leaderboards), rendered from their own message catalogues.

The catalogues are ``locales/credits.<locale>.yaml`` (``en``, ``zh-CN``), with sections
``errors`` (error codes), ``findings`` (claim-check codes), ``statement`` (certificate wording)
and ``labels``. They are kept apart from ``locales/<locale>.yaml`` so the two can be merged
later without conflicts; a test checks that every code used has a template in every locale.

::

    CarbonFootprintError (ValueError)
    └── CreditError                       code "credit_invalid" and the codes below
        ├── UnknownSchemeError (+ LookupError)   a scheme or rule-set id not in the catalogue
        ├── SerialError                   a serial number that cannot be read or counted
        ├── RecordError                   a retirement record or claim that is inconsistent
        ├── PoolError                     a pool that cannot serve the claims given
        ├── CertificateError              a certificate that cannot be built as asked
        ├── MissingExtraError (+ ImportError)    an optional extra (signing, rendering) absent
        └── RankError                     leaderboard entries or options that cannot be ranked
"""

from __future__ import annotations

from collections.abc import Iterable
from string import Formatter
from typing import Any

from ._i18n import _Params, catalogue
from ._suggest import closest
from ._text import MAX_MESSAGE, brief, clip, json_safe
from .errors import CarbonFootprintError

__all__ = [
    "CertificateError",
    "CreditError",
    "MissingExtraError",
    "PoolError",
    "RankError",
    "RecordError",
    "SerialError",
    "UnknownSchemeError",
    "credit_catalogue",
    "render_credit",
    "shown",
]

def credit_catalogue(locale: str = "en") -> dict[str, Any]:
    """The parsed ``locales/credits.<locale>.yaml`` catalogue (loaded once)."""
    return catalogue(locale, "credits")


_FORMATTER = Formatter()


def render_credit(section: str, code: str, params: dict[str, Any] | None = None,
                  locale: str = "en") -> str:
    """Render ``section.code`` of the credits catalogue (English, then the code, as fallbacks)."""
    for loc in (locale, "en"):
        entry = credit_catalogue(loc).get(section, {}).get(code)
        if isinstance(entry, str):
            return _FORMATTER.vformat(entry, (), _Params(params or {}))
    return code


def shown(value: Any, limit: int = 80) -> Any:
    """A JSON-safe, bounded form of ``value`` for error params (text is clipped and escaped)."""
    safe = json_safe(value, limit)
    return clip(safe, limit) if isinstance(safe, str) else safe


class CreditError(CarbonFootprintError):
    """An error of the credit modules; its message comes from ``credits.<locale>.yaml``.

    Parameters
    ----------
    code : str
        The machine code (a key of the ``errors`` section).
    params : dict
        JSON-safe values for the template. Text values are clipped by the raiser.
    """

    default_code = "credit_invalid"

    def __init__(self, code: str | None = None, params: dict[str, Any] | None = None) -> None:
        super().__init__(code=code, params=params)

    def render(self, locale: str = "en") -> str:
        return clip(render_credit("errors", self.code, self.params, locale), MAX_MESSAGE * 2)


class UnknownSchemeError(CreditError, LookupError):
    """A scheme or rule-set id that is not in the bundled catalogue (with the closest ids)."""

    def __init__(self, what: str, value: Any, choices: Iterable[str]) -> None:
        choices = list(choices)
        self.suggestions = closest(value, choices) if isinstance(value, str) else []
        super().__init__(f"{what}_unknown", {
            "value": brief(value, 60), "choices": ", ".join(choices),
            "suggestions": ", ".join(self.suggestions) or "-"})


class SerialError(CreditError):
    """A serial number that does not match its scheme's published format, or cannot be counted."""


class RecordError(CreditError):
    """A retirement record, a claim or a footprint share that is inconsistent or out of range."""


class PoolError(CreditError):
    """A pool that cannot serve the claims given (too few units, a bad position)."""


class CertificateError(CreditError):
    """A certificate that cannot be built or read as asked."""


class MissingExtraError(CreditError, ImportError):
    """An optional extra that is not installed (``[sign]``, ``[render]``) or a missing font."""


class RankError(CreditError):
    """Leaderboard entries or options that cannot be ranked."""
