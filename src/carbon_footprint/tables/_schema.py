"""The factor table file format (``schema_version: 1``), as pydantic models.

A table is one YAML file per source and edition. This module only describes and checks the
*shape* of a file; what its factors mean for each activity type (selectors, units, bands) is
checked against the activity registry when the table is compiled (:mod:`._compile`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    field_validator,
    model_validator,
)

__all__ = ["Band", "BandScheme", "Factor", "FactorTable", "Fallback", "Source"]

Gwp = Literal["AR4", "AR5", "AR6"]
NonNegFloat = Annotated[StrictFloat, Field(ge=0.0, allow_inf_nan=False)]
Code = Annotated[StrictStr, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.*-]+$")]
Region = Annotated[StrictStr, Field(min_length=2, max_length=32,
                                    pattern=r"^[A-Za-z]{2}(-[A-Za-z0-9]+)*$")]
Text = Annotated[StrictStr, Field(max_length=2_000)]
DAY = r"^\d{4}-\d{2}-\d{2}$"

_FROZEN = ConfigDict(extra="forbid", frozen=True, strict=True)


class Source(BaseModel):
    """Where a table's numbers come from."""

    model_config = _FROZEN

    title: Text
    url: Text
    file: Text = Field(description="file name of the published document that was read")
    sha256: StrictStr = Field(pattern=r"^[0-9a-f]{64}$")
    version: Text | None = None
    extract: Text | None = Field(
        None, description="intermediate extract read by the import script, if not the file itself")
    extract_sha256: StrictStr | None = Field(None, pattern=r"^[0-9a-f]{64}$")


class Band(BaseModel):
    """One band of a scheme: applies on ``route`` (any if null) below ``below`` (a quantity)."""

    model_config = _FROZEN

    band: Code
    route: Code | None = Field(None, description="route class the band is for; null: any")
    below: Annotated[StrictStr, Field(max_length=40)] | None = Field(
        None, description="exclusive upper bound, e.g. '3700 km' or '300 mi'; null: none")


class BandScheme(BaseModel):
    """How a table bands an activity by its quantity (e.g. flights by distance and route).

    The band chosen fills ``selector`` of the factor key. A table may declare several schemes
    for one activity (DESNZ: ``route`` as published, ``distance`` short/long haul for every
    route); the method profile picks one by name, the first is the table's default.
    """

    model_config = _FROZEN

    activity: Code
    scheme: Code
    selector: Code
    bands: list[Band] = Field(min_length=1, max_length=50)


class Fallback(BaseModel):
    """A documented substitution when a factor key is missing (publisher guidance, proxies).

    When an activity's selectors match ``when`` (every listed selector equal; an empty mapping
    matches all) and its exact factor is missing, the selectors in ``use`` replace the activity's
    and the lookup is tried again. ``reason`` is a code of the message catalogue's ``reasons``
    (or plain text) shown on the result line.
    """

    model_config = _FROZEN

    activity: Code
    when: dict[Code, StrictStr | StrictBool] = Field(default_factory=dict, max_length=10)
    use: dict[Code, StrictStr | StrictBool] = Field(min_length=1, max_length=10)
    reason: Annotated[StrictStr, Field(min_length=1, max_length=200)]


class Factor(BaseModel):
    """One emission factor."""

    model_config = _FROZEN

    id: StrictStr = Field(pattern=r"^[a-z0-9_][a-z0-9_.\-]*$", max_length=200)
    activity: Code
    selectors: dict[Code, StrictStr | StrictBool] = Field(max_length=10)
    region: Region | None = Field(
        None, description="ISO 3166 code or a table-defined region the factor is for; null: "
        "any region (the table's fallback where a region has none of its own)")
    codes: dict[Code, StrictStr] = Field(
        default_factory=dict, description="alternative codes the factor is found by "
        "(e.g. naics: '722511')")
    value: NonNegFloat
    unit: Annotated[StrictStr, Field(max_length=100)]
    gases: dict[Literal["CO2", "CH4", "N2O"], NonNegFloat] | None = Field(
        None, description="per-gas split in the same unit (kg CO2e of each gas), where published")
    source_ref: Annotated[StrictStr, Field(min_length=1, max_length=500)] = Field(
        description="where in the source: sheet, row id")
    derived: StrictBool = Field(
        False, description="true when the number is this library's derivation, not published")
    scope: Literal["direct", "upstream"] = Field(
        "direct", description="direct (combustion/operation) or upstream (well-to-tank) "
        "emissions")
    note: Text | None = None


class FactorTable(BaseModel):
    """A versioned factor table (one YAML file)."""

    model_config = _FROZEN

    schema_version: Literal[1]
    id: StrictStr = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9.]+)+$", max_length=64)
    title: Text
    publisher: Text
    edition: Annotated[StrictStr, Field(max_length=40)]
    revision: StrictInt = Field(ge=1, le=1_000)
    published: StrictStr = Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    source: Source
    licence: Text
    attribution: Text
    region: Annotated[StrictStr, Field(min_length=2, max_length=40)] = Field(
        description="where the table's factors apply, e.g. GB, CN, World")
    gwp: Gwp | None = Field(description="GWP100 set behind CO2e values; null for CO2-only tables")
    valid_from: StrictStr = Field(pattern=DAY)
    valid_to: StrictStr | None = Field(None, pattern=DAY)
    currency: Annotated[StrictStr, Field(pattern=r"^[A-Z]{3}$")] | None = None
    price_year: StrictInt | None = Field(None, ge=1900, le=2200)
    verified: StrictBool = True
    generated_by: Text | None = Field(None, description="script that wrote the file")
    notes: list[Text] = Field(default_factory=list, max_length=100)
    bands: list[BandScheme] = Field(default_factory=list, max_length=20)
    fallbacks: list[Fallback] = Field(default_factory=list, max_length=200)
    region_parents: dict[Region, Region] = Field(
        default_factory=dict, max_length=5_000, description="region -> the larger region whose "
        "factor applies when it has none of its own (e.g. province -> regional grid); recorded "
        "on the line")
    default_regions: dict[Code, Region] = Field(
        default_factory=dict, description="activity -> the region used when an activity gives "
        "none (e.g. electricity: CN); recorded on the line")
    factors: list[Factor] = Field(min_length=1, max_length=100_000)

    @field_validator("valid_from", "valid_to")
    @classmethod
    def _is_date(cls, v: str | None) -> str | None:
        if v is not None:
            date.fromisoformat(v)
        return v

    @model_validator(mode="after")
    def _validity_order(self) -> FactorTable:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} is before valid_from {self.valid_from}")
        return self
