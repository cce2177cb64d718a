"""Result models: one line per input (a calculated line or an error entry) and the footprint.

Everything here is immutable all the way down: models are frozen, sequences are tuples and
mappings read-only. Lines are pydantic models like the rest, so ``model_dump``/JSON and
``include``/``exclude`` work on them (``fp.model_dump_json(exclude={"lines": {"__all__":
{"factor"}}})`` slims a response). Their provenance (:class:`~carbon_footprint.tables.FactorRef`)
and notices are shared objects, one per compiled plan. A footprint from ``calculate()`` builds
its lines on first read of ``lines`` (see :class:`Rows`); its totals, credits and JSON do not
need them.

**Numbers in JSON, one rule:** exact amounts are decimal strings — every total (``total_tco2e``,
``by_category``; rounded to the gram, 6 decimal places of a tonne, and apportioned so the parts
add up exactly to the total), credits, tonnes covered and costs; measurements are JSON numbers at
full precision — each line's ``tco2e``, its ``quantity`` and the factor's ``value``.
"""

from __future__ import annotations

import json
import pickle
import threading
from collections.abc import Iterator, Mapping, Sequence
from copy import deepcopy
from decimal import Decimal
from types import MappingProxyType
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    SerializerFunctionWrapHandler,
    WrapSerializer,
)
from pydantic_core import to_json

from . import _report, plot
from ._json import expand, footprint_json, normalize, normalized_json
from ._models import fast_constructor
from ._notices import Notice
from .method import Method
from .offsets import OffsetPolicy, OffsetResult
from .tables import FactorRef, GasBasis, TableRef

__all__ = ["ErrorLine", "Footprint", "Line", "LineItem", "ReadOnlyMap", "Rows",
           "expand_normalized", "line_of"]


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


class Rows(Sequence[Any]):
    """A footprint's lines before they are built: per input, the :class:`~carbon_footprint.
    _plans.Kind` of its plan segment and its amount (an error's kind is ``None`` and its line
    is in ``errors``).

    ``calculate()`` keeps these instead of building 100,000 line objects that a caller
    wanting the total, the credits or the JSON never reads (building them, and the garbage
    collector scanning them while they accumulate, was half of a large batch's time). The
    first read of ``Footprint.lines`` builds the lines, exactly as the engine would have, and
    the footprint keeps them. Everywhere pydantic reads the field directly (``==``, ``repr``,
    pickling, copies, serialization) this object stands for the built tuple.
    """

    __slots__ = ("_built", "_lock", "amounts", "errors", "kinds", "labels")

    def __init__(self, kinds: list[Any], amounts: list[float], labels: dict[int, str],
                 errors: dict[int, ErrorLine]) -> None:
        self.kinds = kinds
        self.amounts = amounts
        self.labels = labels
        self.errors = errors
        self._built: tuple[LineItem | ErrorLine, ...] | None = None
        self._lock = threading.Lock()

    def build(self) -> tuple[LineItem | ErrorLine, ...]:
        """The lines (built once; thread-safe)."""
        built = self._built
        if built is None:
            with self._lock:
                built = self._built
                if built is None:
                    built = self._built = _build(self)
        return built

    def __len__(self) -> int:
        return len(self.kinds)

    def __getitem__(self, i: Any) -> Any:
        return self.build()[i]

    def __iter__(self) -> Iterator[LineItem | ErrorLine]:
        return iter(self.build())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Rows):
            other = other.build()
        return self.build() == other

    def __hash__(self) -> int:
        return hash(self.build())

    def __repr__(self) -> str:
        return repr(self.build())

    def __reduce__(self) -> Any:
        return tuple, (self.build(),)

    def __copy__(self) -> Rows:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        return deepcopy(self.build(), memo)


def line_of(kind: Any, amount: float, index: int, label: str | None) -> LineItem:
    """The line of an input of ``kind`` (a plan segment) with ``amount`` [the factor's unit]:
    its fixed fields from the plan, its numbers computed here (no validation: the engine made
    every part)."""
    values = kind.proto.copy()
    values["index"] = index
    values["label"] = label
    values["tco2e"] = amount * kind.t_per_unit
    values["quantity"] = amount
    if kind.up_t_per_unit:
        values["upstream_tco2e"] = amount * kind.up_t_per_unit
    line: LineItem = _new_line(values)
    return line


_new_line = fast_constructor(LineItem)


def _build(rows: Rows) -> tuple[LineItem | ErrorLine, ...]:
    """Every line of ``rows``, in input order."""
    labels = rows.labels
    errors = rows.errors
    return tuple(
        errors[i] if kind is None else line_of(kind, amount, i, labels.get(i))
        for i, (kind, amount) in enumerate(zip(rows.kinds, rows.amounts, strict=True)))


_NO_LINES = object()


class _LinesField:
    """``Footprint.lines``: always the tuple of lines (built from :class:`Rows` on first
    read, then kept in the instance)."""

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:  # on the class, as for any pydantic field (and so that a subclass
            # does not take this object as the field's default)
            raise AttributeError("lines: a field, read on an instance")
        d = obj.__dict__
        value = d.get("lines", _NO_LINES)
        if value is _NO_LINES:  # model_construct() without lines
            raise AttributeError(f"{type(obj).__name__!r} object has no attribute 'lines'")
        if type(value) is Rows:
            value = d["lines"] = value.build()
        return value

    def __set__(self, obj: Any, value: Any) -> None:  # pydantic refuses first (frozen)
        obj.__dict__["lines"] = value


def _built(value: Any, handler: SerializerFunctionWrapHandler):  # type: ignore[no-untyped-def]
    """Serialize :class:`Rows` as the lines they stand for. (No return annotation: pydantic
    then documents the field by its own type, the tuple of lines.)"""
    return handler(value.build() if type(value) is Rows else value)


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
    lines: Annotated[tuple[Line, ...], WrapSerializer(_built)
                     ] = Field(description="one per input, in input order")
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

    def __iter__(self) -> Any:  # dict(fp), for name, value in fp: the built lines
        self.lines  # noqa: B018
        return super().__iter__()

    def __copy__(self) -> Footprint:
        self.lines  # noqa: B018
        return super().__copy__()

    # pickling and deep copies: the read-only maps travel as dicts, the lines built
    def __getstate__(self) -> dict[Any, Any]:
        self.lines  # noqa: B018
        state = super().__getstate__()
        state["__dict__"] = {k: dict(v) if type(v) is MappingProxyType else v
                             for k, v in state["__dict__"].items()}
        return state

    def __setstate__(self, state: dict[Any, Any]) -> None:
        state = dict(state)
        state["__dict__"] = {k: MappingProxyType(v) if k in _MAPS else v
                             for k, v in state["__dict__"].items()}
        super().__setstate__(state)

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Footprint:
        copied: Footprint = pickle.loads(pickle.dumps(self))  # immutable all the way down
        return copied

    @property
    def errors(self) -> tuple[ErrorLine, ...]:
        return tuple(ln for ln in self.lines if isinstance(ln, ErrorLine))

    @property
    def ok_lines(self) -> tuple[LineItem, ...]:
        return tuple(ln for ln in self.lines if isinstance(ln, LineItem))

    def model_dump_json(self, **options: Any) -> str:
        """JSON of the footprint (pydantic's, with every option it takes). Without options
        it is written by a faster writer that gives the same bytes (see ``_json``)."""
        if options or not self._plain():
            return super().model_dump_json(**options)
        return footprint_json(self, LineItem, Rows, _pydantic_json)

    def _plain(self) -> bool:
        """Whether the shared parts are of exactly their declared types (the fast writers
        serialize them with their own serializers; pydantic would by the declared type)."""
        o = self.__dict__["offset"]
        return (type(o) is OffsetResult and type(o.policy) is OffsetPolicy
                and type(self.method) is Method
                and all(type(t) is TableRef for t in self.tables)
                and all(type(n) is Notice for n in self.notes))

    def normalized_json(self) -> str:
        """JSON in the *normalized* form, for large batches: each distinct source of lines
        (type, category, gas basis, unit, factor with its provenance, notices, scope, upstream
        factor) once in ``sources``; each calculated line refers to its source by position
        and keeps its own index, label and numbers. ``"form": "normalized"`` says which form
        it is; :func:`expand_normalized` restores the full form (``model_dump_json``), and
        ``carbon_footprint.response_schema(form="normalized")`` describes it."""
        if not self._plain():  # numbers as pydantic writes them
            return to_json(normalize(json.loads(_pydantic_json(self)))).decode()
        return normalized_json(self, LineItem, Rows, _pydantic_json)

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


_MAPS = frozenset({"by_category", "by_basis", "by_scope"})
setattr(Footprint, "lines", _LinesField())  # noqa: B010 (after pydantic made the class)


def _pydantic_json(fp: Footprint) -> str:
    return fp.__pydantic_serializer__.to_json(fp).decode()



def expand_normalized(doc: dict[str, Any]) -> dict[str, Any]:
    """A footprint's JSON (parsed) in the normalized form (:meth:`Footprint.normalized_json`)
    back in the full form, as ``json.loads(fp.model_dump_json())`` gives it; a document in the
    full form is returned as it is."""
    return expand(doc)
