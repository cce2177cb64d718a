"""Result models: one line per input (a calculated line or an error entry) and the footprint.

Lines are immutable records built from values the library computed; their provenance
(:class:`~carbon_footprint.tables.FactorRef`) is one shared object per factor.
``Footprint.model_dump_json()`` and ``Footprint.model_validate_json()`` round-trip.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, NamedTuple

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PlainSerializer,
    Tag,
)
from typing_extensions import TypedDict

from .offsets import OffsetResult
from .tables import FactorRef

__all__ = ["ErrorLine", "Footprint", "LineItem", "TableUsed"]

CATEGORIES = ("travel", "lodging", "dining", "shopping", "energy")


Category = Literal["travel", "lodging", "dining", "shopping", "energy"]
GasBasis = Literal["CO2e", "CO2"]


class LineItem(NamedTuple):
    """A calculated line: tCO2e for one input activity and how it was obtained.

    An immutable record (a named tuple: attribute access, ``._asdict()``); it serializes as a
    JSON object inside :class:`Footprint`. A record rather than a pydantic model because
    calculate() builds one per input: this costs a fifth of a model instance.

    Attributes
    ----------
    status : "ok"
    index : int
        Position of the activity in the input.
    type, category : str
        Activity type and reporting category (travel, lodging, dining, shopping, energy).
    label : str or None
        The caller's label, returned as given.
    tco2e : float
        Emissions [t] of the gas basis below.
    gas_basis : "CO2e" or "CO2"
        CO2e, or CO2 only (China's grid factors), as published.
    quantity, quantity_unit : float, str
        The activity amount the factor was applied to, after unit conversion
        (passenger_km, km, room_night, meal, kg, USD or kWh).
    factor : FactorRef
        The factor's provenance.
    notices : tuple of str
        Every assumption or fallback taken for this line.
    """

    status: Literal["ok"]
    index: int  # type: ignore[assignment]  # a field, shadowing tuple.index
    type: str
    category: Category
    label: str | None
    tco2e: float
    gas_basis: GasBasis
    quantity: float
    quantity_unit: str
    factor: FactorRef
    notices: tuple[str, ...]


#: The JSON form of a :class:`LineItem`: the same fields, as an object.
_LineDict = TypedDict(  # type: ignore[misc]  # noqa: UP013 - built from LineItem's fields
    "_LineDict", dict(LineItem.__annotations__))


def _line_from_json(value: Any) -> Any:
    if isinstance(value, dict):
        missing = [f for f in LineItem._fields if f not in value]
        extra = [k for k in value if k not in LineItem._fields]
        if missing or extra:
            raise ValueError(f"a line needs exactly the fields {', '.join(LineItem._fields)}")
        return tuple(value[f] for f in LineItem._fields)
    return value


def _line_to_json(line: LineItem) -> dict[str, Any]:
    return line._asdict()


def _status(value: Any) -> str | None:
    if isinstance(value, dict):
        status = value.get("status")
        return status if isinstance(status, str) else None
    return getattr(value, "status", None)


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


Line = Annotated[
    Annotated[LineItem, BeforeValidator(_line_from_json),
              PlainSerializer(_line_to_json, return_type=_LineDict), Tag("ok")]
    | Annotated[ErrorLine, Tag("error")],
    Discriminator(_status),
]


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
