"""Factor tables: the file format, loading and validation, the bundled editions and lookups.

A factor table is one YAML file per source and edition (``factors/desnz/2024.yaml`` has the id
``desnz-2024``). Its metadata names the publisher, edition, revision, source file and its sha256,
licence and attribution, region, GWP set and validity; each factor has a stable id, the activity it
serves, its selectors, optionally a region and alternative codes, a value with a unit, the per-gas
split where published and a reference to where in the source it came from. Tables also declare
publisher knowledge as data: band schemes, documented fallbacks and proxies, region parents and
default regions. See ``docs/factor-tables.md``.

Modules: ``_schema`` (the file format), ``_compile`` (checks against the activity registry and
the factor index), ``_catalogue`` (bundled tables, lazy loading, editions by date), ``_sets`` (a
set of tables and the one lookup), ``_rates`` (exchange rates, price index, GWP sets),
``_provenance`` (what results record), ``_diff`` (comparing editions).
"""

from ._catalogue import (
    DEFAULT_TABLES,
    bundled_table_ids,
    factors_root,
    family,
    get_table,
    list_tables,
    load_table,
    tables_on,
)
from ._compile import MAX_T_PER_UNIT, CompiledFactor, Table, factor_key
from ._provenance import FactorRef, GasBasis, TableRef
from ._rates import RateTable, get_rates
from ._schema import Band, BandScheme, Factor, FactorTable, Fallback, Source
from ._sets import Hit, TableSet, resolve_tables

__all__ = [
    "DEFAULT_TABLES",
    "MAX_T_PER_UNIT",
    "Band",
    "BandScheme",
    "CompiledFactor",
    "Factor",
    "FactorRef",
    "FactorTable",
    "Fallback",
    "GasBasis",
    "Hit",
    "RateTable",
    "Source",
    "Table",
    "TableRef",
    "TableSet",
    "bundled_table_ids",
    "factor_key",
    "factors_root",
    "family",
    "get_rates",
    "get_table",
    "list_tables",
    "load_table",
    "resolve_tables",
    "tables_on",
]
