"""Provenance records carried by results: which factor of which table, and which tables."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["FactorRef", "GasBasis", "TableRef"]

GasBasis = Literal["CO2e", "CO2"]


class FactorRef(BaseModel):
    """Provenance of the factor behind a result line."""

    model_config = ConfigDict(frozen=True)

    table: str = Field(description="table id, e.g. desnz-2024")
    edition: str
    revision: int
    table_sha256: str = Field(description="sha256 of the table file's bytes")
    factor_id: str
    value: float = Field(description="the factor as used, in its unit")
    unit: str
    gwp: str | None = Field(description="GWP100 set behind the CO2e; null for CO2-only")
    gas_basis: GasBasis
    region: str | None = Field(None, description="the region the factor is for, if any")
    scope: Literal["direct", "upstream"] = "direct"
    source: str
    source_ref: str = Field(description="where in the source: sheet, row id")
    derived: bool = False
    verified: bool = True
    recomputed_from_gwp: str | None = Field(
        None, description="set when the CO2e was re-expressed from the gas split (gwp=...)")


class TableRef(BaseModel):
    """A table behind a result: a factor table or a rate table (exchange rates, prices, GWP)."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: Literal["factors", "exchange_rates", "price_index", "gwp"] = "factors"
    title: str
    edition: str
    revision: int
    sha256: str
    gwp: str | None = None
    verified: bool = True
