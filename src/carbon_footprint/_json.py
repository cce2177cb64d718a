"""A faster JSON writer for a footprint, byte-identical to pydantic's ``model_dump_json()``.

A footprint's JSON is mostly provenance that does not change between calls: a line's factor,
notices, type and category come from its compiled plan and are shared objects. This writer
serializes each such shared part once (with pydantic's own serializer, kept in a bounded
cache keyed by the objects, which the cache holds so their ids cannot be reused) and per call
writes only what varies: index, label, the line's numbers (all formatted by pydantic in one
call, so floats are written exactly as pydantic writes them), the exact totals and the offset.

Used by ``Footprint.model_dump_json()`` when it is called without options; anything the writer
does not know (an error line, a subclass) goes to pydantic. ``tests/test_json.py`` checks the
two agree byte for byte on generated footprints.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from pydantic_core import to_json

from ._cache import BoundedCache

__all__ = ["SOURCE_FIELDS", "expand", "footprint_json", "normalize", "normalized_json"]

#: (id of each shared part of a line) -> (the parts, kept alive, and their JSON pieces)
_LINE_PARTS: BoundedCache[tuple[int, ...], tuple[Any, Any]] = BoundedCache(
    "line JSON fragments", 8_192)
#: id of a shared object (tables tuple, method, notes, policy) -> (object, its JSON)
_SHARED: BoundedCache[tuple[Any, ...], tuple[Any, str]] = BoundedCache(
    "footprint JSON fragments", 1_024)


def _dump(obj: Any) -> str:
    return obj.__pydantic_serializer__.to_json(obj).decode()  # type: ignore[no-any-return]


def _shared(kind: str, obj: Any, make: Any) -> str:
    key = (kind, id(obj))
    hit = _SHARED.get(key)
    if hit is None or hit[0] is not obj:
        hit = _SHARED.put(key, (obj, make(obj)))
    return hit[1]


def _parts_of(d: dict[str, Any]) -> tuple[str, str, str, str]:
    """The fixed JSON of a line's fields ``d`` (a line's, or its plan's prototype): after
    ``"index":``, between ``tco2e`` and ``quantity``, after ``quantity`` up to
    ``upstream_tco2e``; the line's source (its :data:`SOURCE_FIELDS`) as one object; and the
    whole line as a ``%``-format of its index, label and numbers (as written)."""
    factor, notices, upstream = d["factor"], d["notices"], d["upstream"]
    head = (f',"type":{json.dumps(d["type"], ensure_ascii=False)}'
            f',"category":{json.dumps(d["category"], ensure_ascii=False)}')
    mid = (f',"gas_basis":{json.dumps(d["gas_basis"])},"quantity":')
    note_json = "[" + ",".join(_dump(n) for n in notices) + "]"
    unit = f'"quantity_unit":{json.dumps(d["quantity_unit"], ensure_ascii=False)}'
    provenance = (f'"factor":{_dump(factor)},"notices":{note_json}'
                  f',"scope":{json.dumps(d["scope"])}'
                  f',"upstream":{"null" if upstream is None else _dump(upstream)}')
    source = (f'{{{head[1:]},"gas_basis":{json.dumps(d["gas_basis"])},{unit},{provenance}}}')
    return head, mid, f",{unit},{provenance}", source


def _list(objs: Any) -> str:
    return "[" + ",".join(_dump(o) for o in objs) + "]"


def _ids(ids: Any) -> str:
    return json.dumps(list(ids), ensure_ascii=False, separators=(",", ":"))


def _shared_seq(kind: str, seq: tuple[Any, ...], make: Any) -> str:
    """:func:`_shared` for a tuple of shared objects that may be made anew per call."""
    hit = _SHARED.get((kind, id(seq)))
    if hit is not None and hit[0] is seq:
        return hit[1]
    key = (kind, *map(id, seq))
    hit = _SHARED.get(key)
    if hit is None or len(hit[0]) != len(seq) or any(
            a is not b for a, b in zip(hit[0], seq, strict=True)):
        hit = _SHARED.put(key, (seq, make(seq)))
    if len(seq) < 64:
        _SHARED.put((kind, id(seq)), (seq, hit[1]))
    return hit[1]


def _offset(o: Any, policy: str) -> str:
    """An ``OffsetResult`` as pydantic writes it (``policy``: its policy's JSON)."""
    d = o.__dict__
    cost, currency = d["cost"], d["currency"]
    if (type(d["credits"]) is not Decimal or type(d["required_tco2e"]) is not Decimal
            or type(d["covers_tco2e"]) is not Decimal
            or (cost is not None and type(cost) is not Decimal)
            or (currency is not None and type(currency) is not str)):
        return _dump(o)
    cost_json = "null" if cost is None else f'"{cost}"'
    return (f'{{"credits":"{d["credits"]}","required_tco2e":"{d["required_tco2e"]}"'
            f',"covers_tco2e":"{d["covers_tco2e"]}","cost":{cost_json}'
            f',"currency":{"null" if currency is None else to_json(currency).decode()}'
            f',"policy":{policy}}}')


def _line_parts(line: Any) -> tuple[str, str, str, str]:
    """:func:`_parts_of` a built line (remembered by its shared parts)."""
    d = line.__dict__
    factor, notices, upstream = d["factor"], d["notices"], d["upstream"]
    statics = (d["type"], d["category"], d["gas_basis"], d["quantity_unit"], d["scope"])
    key = (id(factor), id(notices), id(upstream))
    hit = _LINE_PARTS.get(key)
    if hit is None or hit[0][0] is not factor or hit[0][1] is not notices \
            or hit[0][2] is not upstream or hit[0][3] != statics:
        hit = _LINE_PARTS.put(key, ((factor, notices, upstream, statics), _parts_of(d)))
    return hit[1]  # type: ignore[no-any-return]


#: a map's keys -> its JSON as a %-format of its values (decimal strings)
_MAP_FORMATS: dict[tuple[str, ...], str] = {}


def _map(m: Any) -> str:
    """A map of decimals (``by_category`` ...) as pydantic writes it."""
    keys = tuple(m)
    fmt = _MAP_FORMATS.get(keys)
    if fmt is None:
        fmt = "{" + ",".join([json.dumps(k, ensure_ascii=False).replace("%", "%%") + ':"%s"'
                              for k in keys]) + "}"
        if len(_MAP_FORMATS) < 256:  # category, basis and scope names: few combinations
            _MAP_FORMATS[keys] = fmt
    return fmt % tuple(m.values())


def footprint_json(fp: Any, line_type: type, rows_type: Any, pydantic_json: Any) -> str:
    """``fp`` as JSON, exactly as ``pydantic_json(fp)`` (pydantic) would write it. Lines not
    built yet (``rows_type``: a kind and an amount per input) are written without building
    them, their fixed parts kept on their kind."""
    d = fp.__dict__
    lines: Any = d["lines"]
    for part in (d["total_tco2e"], *d["by_category"].values(), *d["by_basis"].values(),
                 *d["by_scope"].values()):
        if type(part) is not Decimal:
            return pydantic_json(fp)  # type: ignore[no-any-return]
    if type(lines) is rows_type and lines.errors:
        lines = fp.lines  # error lines go to pydantic: built once, kept instead of the rows
    if type(lines) is rows_type:
        out = _rows_json(lines)
    else:
        for ln in lines:
            if type(ln) is not line_type:
                return pydantic_json(fp)  # type: ignore[no-any-return]
        out = _lines_json(lines)
    return _document(d, f'"lines":[{out}]')


#: ids of (tables, method, notes, table set, version, offset policy) -> (them, kept alive;
#: the policy's JSON; the document's JSON after the offset)
_TAILS: BoundedCache[tuple[int, ...], tuple[tuple[Any, ...], str, str]] = BoundedCache(
    "footprint JSON tails", 1_024)


def _document(d: dict[str, Any], lines: str) -> str:
    """The footprint's JSON around its lines (``lines``: the members in their place)."""
    offset = d["offset"]
    objs = (d["tables"], d["method"], d["notes"], d["table_set"], d["library_version"],
            offset.__dict__["policy"])
    key = tuple(map(id, objs))
    hit = _TAILS.get(key)
    if hit is None or hit[0] != objs:
        tail = (f',"tables":{_shared_seq("tables", objs[0], _list)}'
                f',"table_set":{_shared("table_set", objs[3], _ids)}'
                f',"method":{_shared("method", objs[1], _dump)}'
                f',"notes":{_shared("notes", objs[2], _list)}'
                f',"library_version":{json.dumps(objs[4])}}}')
        hit = _TAILS.put(key, (objs, _dump(objs[5]), tail))
    return (f'{{"total_tco2e":"{d["total_tco2e"]}","by_category":{_map(d["by_category"])}'
            f',"by_basis":{_map(d["by_basis"])},"by_scope":{_map(d["by_scope"])}'
            f',{lines},"rejected":{d["rejected"]}'
            f',"offset":{_offset(offset, hit[1])}{hit[2]}')


def _floats(numbers: list[float | None]) -> list[str]:
    """The numbers as pydantic writes them (one call for all; floats and None only)."""
    return to_json(numbers).decode()[1:-1].split(",") if numbers else []


def _lines_json(lines: Any) -> str:
    numbers: list[float | None] = []
    for ln in lines:
        v = ln.__dict__
        numbers += (v["tco2e"], v["quantity"], v["upstream_tco2e"])
    floats = _floats(numbers)
    return ",".join([_line_json(ln.__dict__["index"], _line_parts(ln), ln.__dict__["label"],
                                floats, i) for i, ln in enumerate(lines)])


def _rows_json(rows: Any) -> str:
    """The lines of ``rows`` (every one calculated) as JSON, without building them."""
    numbers: list[float | None] = []
    kinds = rows.kinds
    for kind, amount in zip(kinds, rows.amounts, strict=True):
        up = kind.up_t_per_unit
        numbers += (amount * kind.t_per_unit, amount, amount * up if up else None)
    floats = _floats(numbers)
    labels = rows.labels
    return ",".join([_line_json(i, _kind_parts(kind), labels.get(i) if labels else None,
                                floats, i) for i, kind in enumerate(kinds)])


def _kind_parts(kind: Any) -> tuple[str, str, str, str]:
    """:func:`_parts_of` a plan segment's prototype line (made once, kept on the segment)."""
    parts = kind.json
    if parts is None:
        parts = kind.json = _parts_of(kind.proto)
    return parts  # type: ignore[no-any-return]


def _line_json(index: int, parts: tuple[str, str, str, str], label: str | None,
               floats: list[str], j: int) -> str:
    """A calculated line in the full form (``floats[3j:3j+3]``: its numbers as written)."""
    return (f'{{"status":"ok","index":{index}{parts[0]},"label":'
            f'{"null" if label is None else to_json(label).decode()}'
            f',"tco2e":{floats[3 * j]}{parts[1]}{floats[3 * j + 1]}{parts[2]}'
            f',"upstream_tco2e":{floats[3 * j + 2]}}}')


# -- the normalized form ------------------------------------------------------------------------
#: a calculated line's fields that its source holds in the normalized form
SOURCE_FIELDS = ("type", "category", "gas_basis", "quantity_unit", "factor", "notices", "scope",
                 "upstream")
_LINE_ORDER = ("status", "index", "type", "category", "label", "tco2e", "gas_basis",
               "quantity", "quantity_unit", "factor", "notices", "scope", "upstream",
               "upstream_tco2e")


def normalized_json(fp: Any, line_type: type, rows_type: Any, pydantic_json: Any) -> str:
    """``fp`` in the normalized form (see :func:`normalize`), written directly: equal to
    ``normalize(json.loads(full JSON))``."""
    d = fp.__dict__
    lines: Any = d["lines"]
    for part in (d["total_tco2e"], *d["by_category"].values(), *d["by_basis"].values(),
                 *d["by_scope"].values()):
        if type(part) is not Decimal:
            return to_json(normalize(json.loads(pydantic_json(fp)))).decode()
    sources: dict[str, int] = {}
    out: list[str] = []
    if type(lines) is rows_type:
        kinds, amounts, errors, labels = lines.kinds, lines.amounts, lines.errors, lines.labels
        numbers: list[float | None] = []
        for kind, amount in zip(kinds, amounts, strict=True):
            if kind is None:
                numbers += (0.0, 0.0, None)
                continue
            up = kind.up_t_per_unit
            numbers += (amount * kind.t_per_unit, amount, amount * up if up else None)
        floats = _floats(numbers)
        for i, kind in enumerate(kinds):
            if kind is None:
                out.append(_dump(errors[i]))
                continue
            k = sources.setdefault(_kind_parts(kind)[3], len(sources))
            label = labels.get(i) if labels else None
            out.append(_normal_line(i, k, label, floats, i))
    else:
        ok = [ln for ln in lines if type(ln) is line_type]
        numbers = []
        for ln in ok:
            v = ln.__dict__
            numbers += (v["tco2e"], v["quantity"], v["upstream_tco2e"])
        floats = _floats(numbers)
        j = 0
        for ln in lines:
            if type(ln) is not line_type:
                out.append(_dump(ln))
                continue
            k = sources.setdefault(_line_parts(ln)[3], len(sources))
            out.append(_normal_line(ln.__dict__["index"], k, ln.__dict__["label"], floats, j))
            j += 1
    body = f'"sources":[{",".join(sources)}],"lines":[{",".join(out)}]'
    return '{"form":"normalized",' + _document(d, body)[1:]


def _normal_line(index: int, source: int, label: str | None, floats: list[str], j: int
                 ) -> str:
    return (f'{{"status":"ok","index":{index},"source":{source},"label":'
            f'{"null" if label is None else to_json(label).decode()}'
            f',"tco2e":{floats[3 * j]},"quantity":{floats[3 * j + 1]}'
            f',"upstream_tco2e":{floats[3 * j + 2]}}}')


def normalize(full: dict[str, Any]) -> dict[str, Any]:
    """A footprint's JSON (as parsed) in the normalized form: each distinct source of
    calculated lines (:data:`SOURCE_FIELDS`: type, category, gas basis, unit, factor with its
    provenance, notices, scope, upstream factor) once, in ``sources``, in order of first use;
    a calculated line keeps ``status``, ``index``, ``label``, its numbers and ``source``, the
    position of its source. Error lines are as they are; ``"form": "normalized"`` comes first,
    ``sources`` just before ``lines``."""
    sources: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    lines = []
    for ln in full["lines"]:
        if ln.get("status") != "ok":
            lines.append(ln)
            continue
        src = {k: ln[k] for k in SOURCE_FIELDS}
        k = seen.setdefault(json.dumps(src, sort_keys=True), len(sources))
        if k == len(sources):
            sources.append(src)
        lines.append({"status": "ok", "index": ln["index"], "source": k, "label": ln["label"],
                      "tco2e": ln["tco2e"], "quantity": ln["quantity"],
                      "upstream_tco2e": ln["upstream_tco2e"]})
    out: dict[str, Any] = {"form": "normalized"}
    for key, value in full.items():
        if key == "lines":
            out["sources"] = sources
            out["lines"] = lines
        else:
            out[key] = value
    return out


def expand(doc: dict[str, Any]) -> dict[str, Any]:
    """The full form of a normalized footprint (the inverse of :func:`normalize`)."""
    if doc.get("form") != "normalized":
        return doc
    sources = doc["sources"]
    out: dict[str, Any] = {}
    for key, value in doc.items():
        if key in ("form", "sources"):
            continue
        if key == "lines":
            value = [ln if ln.get("status") != "ok" else
                     {f: ln[f] if f in ln else sources[ln["source"]][f] for f in _LINE_ORDER}
                     for ln in value]
        out[key] = value
    return out
