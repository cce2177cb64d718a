"""Rate tables in ``factors/rates/``: exchange rates, a price index and GWP sets.

Like factor tables they are generated files with a schema, an edition (the data vintage), a
revision and their source's sha256; results that use one list it among their tables (as a
:class:`~carbon_footprint.tables.TableRef` of kind ``exchange_rates``, ``price_index`` or
``gwp``), so a spend conversion or a GWP re-expression is as traceable as a factor.
"""

from __future__ import annotations

import hashlib
import threading
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)

from .._cache import register_clear
from ..errors import TableError
from ._catalogue import RATE_DIR, factors_root, read_data
from ._compile import _schema_error
from ._provenance import TableRef
from ._schema import Source, Text

__all__ = ["RateTable", "get_rates"]

PosFloat = Annotated[StrictFloat, Field(gt=0.0, allow_inf_nan=False)]
Year = Annotated[StrictInt, Field(ge=1900, le=2200)]


class RateTable(BaseModel):
    """Exchange rates (``rates``), a price index (``index``) or GWP sets (``sets``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    schema_version: Literal[1]
    kind: Literal["exchange_rates", "price_index", "gwp"]
    id: StrictStr = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9.]+)+$")
    title: Text
    edition: Annotated[StrictStr, Field(max_length=40)]
    revision: StrictInt = Field(ge=1)
    source: Source
    licence: Text
    generated_by: Text | None = None
    notes: list[Text] = Field(default_factory=list)
    quote: Text | None = Field(None, description="exchange rates: how they are quoted")
    currency: StrictStr | None = Field(None, description="price index: its currency")
    rates: dict[Annotated[StrictStr, Field(pattern=r"^[A-Z]{3}$")],
                dict[Year, PosFloat]] | None = None
    index: dict[Year, PosFloat] | None = None
    sets: dict[StrictStr, dict[StrictStr, PosFloat]] | None = None

    @model_validator(mode="after")
    def _data_for_kind(self) -> RateTable:
        need = {"exchange_rates": "rates", "price_index": "index", "gwp": "sets"}[self.kind]
        present = [k for k in ("rates", "index", "sets") if getattr(self, k) is not None]
        if present != [need]:
            raise ValueError(f"a {self.kind} table holds '{need}' (and only that)")
        return self


class LoadedRates:
    """A validated rate table, its sha256 and its provenance record."""

    def __init__(self, meta: RateTable, sha256: str) -> None:
        self.meta = meta
        self.sha256 = sha256
        self.ref = TableRef(id=meta.id, kind=meta.kind, title=meta.title, edition=meta.edition,
                            revision=meta.revision, sha256=sha256)


_LOCK = threading.Lock()
_CACHE: dict[str, LoadedRates] = {}
register_clear(_CACHE.clear)


def get_rates(table_id: str) -> LoadedRates:
    """The bundled rate table ``factors/rates/<table_id>.yaml`` (loaded once, thread-safe)."""
    hit = _CACHE.get(table_id)
    if hit is None:
        with _LOCK:
            hit = _CACHE.get(table_id)
            if hit is None:
                path = factors_root() / RATE_DIR / f"{table_id}.yaml"
                data, raw = read_data(path)
                if not isinstance(data, dict):
                    raise TableError("a rate table must be a YAML mapping", source=str(path))
                try:
                    meta = RateTable.model_validate(data)
                except ValidationError as exc:
                    raise _schema_error(exc, data, str(path)) from None
                if meta.id != table_id:
                    raise TableError(f"file declares id {meta.id!r}", source=str(path))
                hit = _CACHE[table_id] = LoadedRates(meta, hashlib.sha256(raw).hexdigest())
    return hit
