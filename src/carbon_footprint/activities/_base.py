"""The base class of every activity model."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ActivityBase"]


class ActivityBase(BaseModel):
    """Common configuration: frozen, unknown fields rejected, an optional caller's label."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    #: Reporting category: travel, lodging, dining, shopping or energy.
    reporting_category: ClassVar[str]

    label: str | None = Field(
        None, max_length=200, description="free text the caller can use to match results to "
        "their own records (e.g. a booking reference); not used in the calculation"
    )
