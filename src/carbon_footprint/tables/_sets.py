"""A table set: the ordered tables of one calculation, merged into one lookup.

:meth:`TableSet.find` is the one factor lookup of the library. For an activity's selectors and
region it tries, in order: the exact selectors along the region chain (the region, its declared
parents such as province -> regional grid, its ISO country, then a factor for any region), then
each documented fallback the tables declare (publisher guidance, proxies) along the same chain.
Every step away from what was asked is a notice on the line. Where nothing fits it raises
:class:`~carbon_footprint.errors.NoFactorError` listing what the tables do have.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from .._cache import register_clear
from .._notices import Notice, notice
from .._registry import spec_of
from ..errors import ArgumentTypeError, NoFactorError, TableError
from ._catalogue import DEFAULT_TABLES, get_table
from ._compile import CompiledFactor, Table
from ._provenance import TableRef
from ._schema import Fallback

__all__ = ["Hit", "TableSet", "resolve_tables"]


class Hit(NamedTuple):
    """A factor found for an activity, and the notices of how it was found."""

    factor: CompiledFactor
    notices: tuple[Notice, ...]


BandRows = tuple[tuple[str, str | None, float | None], ...]


class TableSet:
    """An ordered set of tables with one merged factor index (first table wins per key)."""

    def __init__(self, members: Iterable[Table]) -> None:
        self.members = tuple(members)
        ids = [t.id for t in self.members]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise TableError(f"table id(s) {dupes} given twice", source=", ".join(dupes))
        self.ids = tuple(ids)
        self.index: dict[tuple[Any, ...], CompiledFactor] = {}
        self.upstream: dict[tuple[Any, ...], CompiledFactor] = {}
        self._values: dict[tuple[str, str], tuple[str, ...]] = {}
        self.codes: dict[tuple[str, str, str], tuple[Any, ...]] = {}
        self.fallbacks: dict[str, list[Fallback]] = {}
        self.bands: dict[tuple[str, str], tuple[str, BandRows]] = {}
        self.default_scheme: dict[str, str] = {}
        self.region_parents: dict[str, str] = {}
        self.default_regions: dict[str, str] = {}
        self._price_years: dict[str, int] = {}
        for t in self.members:
            for k, v in t.index.items():
                self.index.setdefault(k, v)
            for k, v in t.upstream.items():
                self.upstream.setdefault(k, v)
            for k2, v2 in t.codes.items():
                self.codes.setdefault(k2, v2)
            for fb in t.meta.fallbacks:
                self.fallbacks.setdefault(fb.activity, []).append(fb)
            for (act, scheme), rows in t.bands.items():
                self.bands.setdefault((act, scheme), rows)
                self.default_scheme.setdefault(act, scheme)
            for region, parent in t.meta.region_parents.items():
                self.region_parents.setdefault(region.upper(), parent.upper())
            for act, region in t.meta.default_regions.items():
                self.default_regions.setdefault(act, region.upper())
            if t.meta.price_year is not None:
                self._price_years[t.id] = t.meta.price_year
        self.activities = frozenset(k[0] for k in self.index)
        #: activities with well-to-tank factors in the set (the others, e.g. waste or material
        #: use, are published cradle-to-gate or cradle-to-grave: nothing upstream to add)
        self.upstream_activities = frozenset(k[0] for k in self.upstream)
        self.regions = frozenset(
            {k[-1] for k in self.index if k[-1] is not None} | set(self.region_parents)
            | set(self.region_parents.values()) | set(self.default_regions.values()))
        self.refs: dict[str, TableRef] = {t.id: t.ref for t in self.members
                                           if t.ref is not None}

    def __iter__(self) -> Iterator[Table]:
        return iter(self.members)

    def __repr__(self) -> str:
        return f"TableSet({', '.join(self.ids)})"

    # -- lookups --------------------------------------------------------------------------
    def price_year(self, table_id: str) -> int:
        """Price year of a spend table in the set."""
        year = self._price_years.get(table_id)
        if year is None:
            raise TableError("spend table has no price_year", source=table_id)
        return year

    def values_for(self, activity: str, selector: str) -> list[str]:
        """Selector values present for ``activity`` (``"region"``: its regions); memoized."""
        hit = self._values.get((activity, selector))
        if hit is not None:
            return list(hit)
        spec = spec_of(activity)
        if spec is None:
            return []
        if selector in spec.selectors:
            pos = 1 + spec.selectors.index(selector)
            found = sorted({str(k[pos]) for k in self.index if k[0] == activity})
        else:
            found = sorted({str(k[-1]) for k in self.index if k[0] == activity and k[-1]})
        if len(self._values) < 256:  # keys are registry (activity, selector) pairs
            self._values[(activity, selector)] = tuple(found)
        return found

    def scheme(self, activity: str, name: str | None) -> tuple[str, tuple[str, BandRows]] | None:
        """The band scheme ``name`` of ``activity`` (or the tables' default), with its name."""
        if name is not None and (activity, name) in self.bands:
            return name, self.bands[(activity, name)]
        default = self.default_scheme.get(activity)
        return None if default is None else (default, self.bands[(activity, default)])

    def region_chain(self, region: str) -> list[str | None]:
        """``region``, its declared parents, its ISO country, then None (any region)."""
        chain: list[str | None] = [region]
        here = region
        while (up := self.region_parents.get(here)) is not None and up not in chain:
            chain.append(up)
            here = up
        if "-" in region and (country := region.split("-", 1)[0]) not in chain:
            chain.append(country)
        chain.append(None)
        return chain

    def upstream_for(self, cf: CompiledFactor) -> CompiledFactor | None:
        """The upstream (well-to-tank) factor published for the same key as ``cf``."""
        spec = spec_of(cf.factor.activity)
        assert spec is not None
        key = (cf.factor.activity, *(cf.factor.selectors[k] for k in spec.selectors),
               cf.ref.region)
        return self.upstream.get(key)

    def knows_region(self, code: str) -> bool:
        return code in self.regions

    def by_code(self, activity: str, name: str, code: str) -> tuple[Any, ...] | None:
        return self.codes.get((activity, name, code.strip().lower()))

    def find(self, activity: str, selectors: dict[str, Any], region: str | None = None, *,
             field: str, value: Any, region_field: str | None = None) -> Hit:
        """The factor for ``activity`` with ``selectors`` in ``region`` (see module docs)."""
        spec = spec_of(activity)
        assert spec is not None, activity
        order = spec.selectors
        index = self.index
        notes: list[Notice] = []
        if region is None and activity in self.default_regions:
            region = self.default_regions[activity]
            notes.append(notice("region_default", used=region, field=region_field or "region"))
            asked = None
        else:
            asked = region
        chain = self.region_chain(region) if region is not None else [None]

        def along(sel: dict[str, Any]) -> Hit | None:
            for i, reg in enumerate(chain):
                cf = index.get((activity, *(sel[k] for k in order), reg))
                if cf is None:
                    continue
                extra = list(notes)
                if i and asked is not None:
                    if reg is not None:
                        extra.append(notice("region_parent", activity=activity, region=asked,
                                            used=reg))
                    elif cf.factor.derived:
                        f = cf.factor
                        extra.append(notice("default_factor", activity=activity, wanted=asked,
                                            value=f"{f.value:g}", unit=f.unit,
                                            source_ref=f.source_ref))
                        return Hit(cf, (*extra, *(n for n in cf.notices
                                                   if n.code != "derived")))
                    else:
                        extra.append(notice("region_any", activity=activity, region=asked))
                return Hit(cf, (*extra, *cf.notices))
            return None

        hit = along(selectors)
        if hit is not None:
            return hit
        for rule in self.fallbacks.get(activity, ()):
            if any(selectors.get(k) != v for k, v in rule.when.items()):
                continue
            sub = {**selectors, **rule.use}
            if sub == selectors:
                continue
            hit = along(sub)
            if hit is not None:
                changed = [k for k in order if sub[k] != selectors[k]]
                wanted = ", ".join(f"{k}={_show(selectors[k])}" for k in changed)
                used = ", ".join(f"{k}={_show(sub[k])}" for k in changed)
                sub_note = notice("substituted", activity=activity, wanted=wanted, used=used,
                                  reason=rule.reason)
                return Hit(hit.factor, (sub_note, *hit.notices))
        if activity not in self.activities:
            raise NoFactorError("no_factor_activity", field="type", value=activity,
                                params={"tables": ", ".join(self.ids), "activity": activity})
        choices = self.values_for(activity, field)
        raise NoFactorError("no_factor", field=field, value=value, params={
            "activity": activity, "field": field, "tables": ", ".join(self.ids),
            "choices": ", ".join(choices[:30]) or "none"})


def _show(v: Any) -> str:
    return str(v).lower() if isinstance(v, bool) else str(v)


_LOCK = threading.Lock()
_SETS: dict[tuple[Any, ...], TableSet] = {}
register_clear(_SETS.clear)


def resolve_tables(tables: Any) -> TableSet:
    """Turn the ``tables=`` argument into a :class:`TableSet`.

    Accepts ``None`` (the pinned default set), a table id, a loaded table, a ``TableSet``, or a
    list of ids and tables in priority order.
    """
    if isinstance(tables, TableSet):
        return tables
    if tables is None:
        key: tuple[Any, ...] = DEFAULT_TABLES
    elif isinstance(tables, (str, Table)):
        key = (tables,)
    elif isinstance(tables, (list, tuple)):
        key = tuple(tables)
    else:
        raise ArgumentTypeError(
            "tables must be None, a table id, a loaded table or a list of them; got "
            f"{type(tables).__name__}")
    for item in key:
        if not isinstance(item, (str, Table)):
            raise ArgumentTypeError(
                f"tables entries must be table ids or loaded tables; got {type(item).__name__}")
    hit = _SETS.get(key)
    if hit is not None:
        return hit
    ts = TableSet(get_table(k) if isinstance(k, str) else k for k in key)
    with _LOCK:
        if len(_SETS) >= 64:
            _SETS.clear()
        _SETS[key] = ts
    return ts
