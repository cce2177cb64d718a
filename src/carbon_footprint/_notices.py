"""Notices: every assumption, fallback or proxy a result line relies on, as data.

A :class:`Notice` has a stable ``code`` (a key of the catalogue's ``notices`` section), the
``params`` its template refers to and the rendered English ``message``. Notices are built once
per compiled plan and shared by every line that uses it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ._i18n import label, render

__all__ = ["Notice", "notice", "reason_text"]

Param = str | int | float | bool | None


class Notice(BaseModel):
    """One assumption or fallback behind a result line."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(description="stable machine code (message catalogue key)")
    message: str = Field(description="the notice in English")
    params: dict[str, Param] = Field(default_factory=dict,
                                     description="values the message template refers to")

    def render(self, locale: str = "en") -> str:
        """The notice in ``locale``."""
        params = dict(self.params)
        if "reason" in params and isinstance(params["reason"], str):
            params["reason"] = reason_text(params["reason"], locale)
        activity = params.get("activity")
        if locale != "en" and isinstance(activity, str):
            params["activity"] = label("types", activity, locale)
        return render("notices", self.code, params, locale)

    def __str__(self) -> str:
        return self.message


def reason_text(reason: str, locale: str = "en") -> str:
    """A fallback reason code rendered in ``locale`` (plain text reasons pass through)."""
    return render("reasons", reason, {}, locale)


def notice(code: str, **params: Any) -> Notice:
    """Build a notice; ``params`` must be JSON scalars."""
    clean = {k: v if isinstance(v, (str, int, float, bool)) or v is None else str(v)
             for k, v in params.items()}
    shown = dict(clean)
    if isinstance(shown.get("reason"), str):
        shown["reason"] = reason_text(str(shown["reason"]))
    return Notice(code=code, message=render("notices", code, shown), params=clean)
