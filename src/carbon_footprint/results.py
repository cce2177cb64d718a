"""Result models: one line per input (a calculated line or an error entry) and the footprint.

Everything here is immutable all the way down: models are frozen, sequences are tuples and
mappings read-only. Lines are pydantic models like the rest, so ``model_dump``/JSON and
``include``/``exclude`` work on them (``fp.model_dump_json(exclude={"lines": {"__all__":
{"factor"}}})`` slims a response). Their provenance (:class:`~carbon_footprint.tables.FactorRef`)
and notices are shared objects, one per compiled plan.

**Numbers in JSON, one rule:** exact amounts are decimal strings — every total (``total_tco2e``,
``by_category``; rounded to the gram, 6 decimal places of a tonne, and apportioned so the parts
add up exactly to the total), credits, tonnes covered and costs; measurements are JSON numbers at
full precision — each line's ``tco2e``, its ``quantity`` and the factor's ``value``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer

from . import _report, plot
from ._json import footprint_json
from ._notices import Notice
from .method import Method
from .offsets import OffsetResult
from .tables import FactorRef, GasBasis, TableRef

__all__ = ["ErrorLine", "Footprint", "Line", "LineItem", "ReadOnlyMap"]


def _freeze(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


#: A read-only mapping of names to exact decimals (a JSON object of decimal strings).
ReadOnlyMap = Annotated[
    Mapping[str, Decimal], AfterValidator(_freeze),
    PlainSerializer(dict, return_type=dict[str, Decimal]),
]


class LineItem(BaseModel):
    """A calculated line: tCO2e for one input activity and how it was obtained.

    Attributes
    ----------
    status : "ok"
    index : int
        Position of the activity in the input.
    type, category : str
        Activity type and reporting category.
    label : str or None
        The caller's label, returned as given.
    tco2e : float
        Emissions [t] of the gas basis below (full precision; totals are exact decimals).
    gas_basis : "CO2e" or "CO2"
        CO2e, or CO2 only (China's grid factors), as published.
    quantity, quantity_unit : float, str
        The activity amount the factor was applied to, after unit conversion
        (passenger_km, km, room_night, meal, kg, USD, kWh, m^3).
    factor : FactorRef
        The factor's provenance.
    notices : tuple of Notice
        Every assumption or fallback taken for this line.
    scope, upstream, upstream_tco2e : str, FactorRef or None, float or None
        ``direct``, or ``direct+upstream`` with the upstream (well-to-tank) factor and its part
        of ``tco2e`` [t] (method setting ``upstream``).
    """

    model_config = ConfigDict(frozen=True)

    status: Literal["ok"] = "ok"
    index: int
    type: str
    category: str
    label: str | None = None
    tco2e: float = Field(description="emissions [t] (full precision)")
    gas_basis: GasBasis
    quantity: float = Field(description="amount the factor applies to, in quantity_unit")
    quantity_unit: str
    factor: FactorRef
    notices: tuple[Notice, ...] = ()
    scope: Literal["direct", "direct+upstream"] = Field(
        "direct", description="direct emissions, or direct plus upstream (well-to-tank)")
    upstream: FactorRef | None = Field(None, description="the upstream factor, when included")
    upstream_tco2e: float | None = Field(None, description="the upstream part of tco2e [t]")


class ErrorLine(BaseModel):
    """An input that could not be calculated (``errors="collect"``): the library's one error
    shape (as ``ActivityError.to_dict()``)."""

    model_config = ConfigDict(frozen=True)

    status: Literal["error"] = "error"
    index: int
    type: str | None = None
    error: str = Field(description="error class name")
    code: str = Field(description="stable machine code (message catalogue key)")
    message: str = Field(description="the error in English")
    field: str | None = None
    pointer: str = Field("", description="JSON pointer to the field, e.g. /3/distance")
    value: Any = None
    expected: str = ""
    params: dict[str, Any] = Field(default_factory=dict)
    suggestions: tuple[str, ...] = ()


Line = Annotated[LineItem | ErrorLine, Field(discriminator="status")]


class Footprint(BaseModel):
    """The result of :func:`carbon_footprint.calculate`."""

    model_config = ConfigDict(frozen=True)

    total_tco2e: Decimal = Field(description="sum of the calculated lines [t], exact to the "
                                 "gram (a decimal string in JSON)")
    by_category: ReadOnlyMap = Field(description="category -> tCO2e; adds up exactly to the "
                                     "total")
    by_basis: ReadOnlyMap = Field(
        default_factory=dict, description="gas basis of the lines -> tCO2e: 'CO2e (AR5)', "
        "'CO2e (AR4)', 'CO2 only'...; states the mix of GWP sets; adds up to the total")
    by_scope: ReadOnlyMap = Field(
        default_factory=dict, description="direct and upstream (well-to-tank) tCO2e; adds up "
        "to the total")
    lines: tuple[Line, ...] = Field(description="one per input, in input order")
    rejected: int = Field(0, description="inputs that came back as errors")
    offset: OffsetResult
    tables: tuple[TableRef, ...] = Field(description="the factor and rate tables behind the "
                                         "lines")
    table_set: tuple[str, ...] = Field(description="the factor tables that were selected, in "
                                       "priority order")
    method: Method = Field(description="the method profile and every setting applied")
    notes: tuple[Notice, ...] = Field((), description="how the table set was chosen (e.g. by "
                                      "date)")
    library_version: str

    @property
    def errors(self) -> tuple[ErrorLine, ...]:
        return tuple(ln for ln in self.lines if isinstance(ln, ErrorLine))

    @property
    def ok_lines(self) -> tuple[LineItem, ...]:
        return tuple(ln for ln in self.lines if isinstance(ln, LineItem))

    def model_dump_json(self, **options: Any) -> str:
        """JSON of the footprint (pydantic's, with every option it takes). Without options
        it is written by a faster writer that gives the same bytes (see ``_json``)."""
        if options:
            return super().model_dump_json(**options)
        return footprint_json(self, LineItem, _pydantic_json)

    def summary(self, locale: str | None = None) -> str:
        """A readable multi-line breakdown (what the command line prints)."""
        return _report.render(self, locale=locale)

    def to_frame(self) -> Any:
        """The lines as a pandas DataFrame, one row per input (needs ``[pandas]``)."""
        return _report.to_frame(self)

    def _repr_html_(self) -> str:
        return _report.render_html(self)

    def plot(self, by: str = "category", ax: Any = None) -> Any:
        """Bar chart of tCO2e by ``category`` or by ``activity`` type (needs ``[plot]``)."""
        return plot.plot_footprint(self, by=by, ax=ax)


def _pydantic_json(fp: Footprint) -> str:
    return fp.__pydantic_serializer__.to_json(fp).decode()

