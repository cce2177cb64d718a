"""Result models: one line per input (a calculated line or an error entry) and the footprint.

Lines are built without re-validation (``model_construct``) from values the library computed;
their provenance (:class:`~carbon_footprint.tables.FactorRef`) is one shared object per factor.
``Footprint.model_dump_json()`` and ``Footprint.model_validate_json()`` round-trip.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .offsets import OffsetResult
from .tables import FactorRef

__all__ = ["ErrorLine", "Footprint", "LineItem", "TableUsed"]

CATEGORIES = ("travel", "lodging", "dining", "shopping", "energy")


class LineItem(BaseModel):
    """A calculated line: tCO2e for one input activity and how it was obtained."""

    # defer_build: calculate() builds lines without validation, so the schema is only needed
    # on the first dump or validation (this keeps it out of import time).
    model_config = ConfigDict(frozen=True, defer_build=True)

    status: Literal["ok"] = "ok"
    index: int = Field(description="position of the activity in the input")
    type: str
    category: Literal["travel", "lodging", "dining", "shopping", "energy"]
    label: str | None = None
    tco2e: float = Field(description="emissions [t] of the gas basis below")
    gas_basis: Literal["CO2e", "CO2"] = Field(
        description="CO2e, or CO2 only (e.g. China's grid factors), as published")
    quantity: float = Field(description="activity amount the factor was applied to, after unit "
                            "conversion, in quantity_unit")
    quantity_unit: str = Field(description="passenger_km, km, room_night, meal, kg, USD or kWh")
    factor: FactorRef
    notices: tuple[str, ...] = ()


class ErrorLine(BaseModel):
    """An input that could not be calculated (``errors="collect"``)."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    status: Literal["error"] = "error"
    index: int
    type: str | None = None
    error: str = Field(description="error class name")
    message: str
    field: str | None = None
    value: Any = None
    expected: str = ""
    suggestions: list[str] = []


Line = Annotated[LineItem | ErrorLine, Field(discriminator="status")]


class TableUsed(BaseModel):
    """A factor table that produced at least one line."""

    model_config = ConfigDict(frozen=True)
    id: str
    title: str
    edition: str
    revision: int
    sha256: str
    gwp: str | None
    verified: bool


class Footprint(BaseModel):
    """The result of :func:`carbon_footprint.calculate`."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    total_tco2e: float = Field(description="sum of the calculated lines [t]")
    by_category: dict[str, float] = Field(description="category -> tCO2e; sums to the total")
    lines: list[Line] = Field(description="one per input, in input order")
    rejected: int = Field(0, description="inputs that came back as errors")
    offset: OffsetResult
    tables: list[TableUsed] = Field(description="the tables behind the lines")
    table_set: list[str] = Field(description="the tables that were selected, in priority order")
    notes: list[str] = Field(default_factory=list,
                             description="how the table set was chosen (e.g. by date)")
    library_version: str

    @property
    def errors(self) -> list[ErrorLine]:
        return [ln for ln in self.lines if isinstance(ln, ErrorLine)]

    @property
    def ok_lines(self) -> list[LineItem]:
        return [ln for ln in self.lines if isinstance(ln, LineItem)]

    def summary(self) -> str:
        """A readable multi-line breakdown (what the command line prints)."""
        from ._report import render

        return render(self)

    def to_frame(self) -> Any:
        """The lines as a pandas DataFrame, one row per input (needs ``[pandas]``)."""
        from ._report import to_frame

        return to_frame(self)

    def _repr_html_(self) -> str:
        from ._report import render_html

        return render_html(self)

    def plot(self, by: str = "category", ax: Any = None) -> Any:
        """Bar chart of tCO2e by ``category`` or by ``activity`` type (needs ``[plot]``)."""
        from .plot import plot_footprint

        return plot_footprint(self, by=by, ax=ax)
