"""Safe, strict YAML loading for factor tables.

A factor table may only describe data. The loader:

* uses PyYAML's safe constructors only (C-accelerated where available): no Python objects;
* rejects files over ``MAX_BYTES`` before parsing;
* rejects anchors/aliases: generated tables never need them, and refusing them outright is the
  simplest defence against "billion laughs" expansion (the check is a walk of the constructed
  data that stops at the first node seen twice);
* rejects duplicate mapping keys (PyYAML silently keeps the last one);
* resolves only ``true``/``false`` as booleans (YAML 1.1 reads ``NO``, ``yes``, ``on`` as bools:
  a country code ``NO`` would become ``False``);
* reads numbers as YAML 1.2 does: decimal integers (at most 18 digits) and decimal floats
  (``0.5``, ``1e-3``, ``.inf``); YAML 1.1's octal, hexadecimal, sexagesimal and underscored forms
  (``0123``, ``1:30``, ``1:30.5``, ``1_0.5``) stay strings, which the table schema's strict number
  fields then refuse with a message naming the factor, instead of silently reading 83, 90, 90.5
  or 10.5. Numbers too long to be real are strings too, so they cannot raise a bare error.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .errors import TableError

MAX_BYTES = 20 * 1024 * 1024
MAX_NODES = 2_000_000

try:  # pragma: no cover - depends on how PyYAML was built
    _Base: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Base = yaml.SafeLoader


class _StrictLoader(_Base):  # type: ignore[misc]
    """SafeLoader with YAML-1.2-like booleans, no octal ints and duplicate-key rejection."""


# Replace the implicit resolvers for bool, int and float with stricter ones.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (
        "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf")
)
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]{0,17})$"), list("-+0123456789")
)
_EXP = r"[eE][-+]?[0-9]{1,3}"
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(rf"^(?:[-+]?(?:(?:0|[1-9][0-9]{{0,29}})(?:\.[0-9]{{0,30}}(?:{_EXP})?|{_EXP})"
               rf"|\.[0-9]{{1,30}}(?:{_EXP})?)|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."),
)
# Octal, hex, sexagesimal and underscored numbers become strings -> the schema rejects them.


def _construct_mapping(loader: Any, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    out: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            hash(key)
        except TypeError:
            raise TableError(
                f"line {key_node.start_mark.line + 1}: a mapping key must be a scalar"
            ) from None
        if key in out:
            raise TableError(f"line {key_node.start_mark.line + 1}: duplicate key {key!r}")
        out[key] = loader.construct_object(value_node, deep=deep)
    return out


_StrictLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def _check_no_shared_nodes(data: Any) -> None:
    """Reject aliases: a container reached twice means the file used an anchor/alias."""
    seen: set[int] = set()
    stack = [data]
    count = 0
    while stack:
        item = stack.pop()
        if isinstance(item, (dict, list)):
            if id(item) in seen:
                raise TableError("anchors and aliases (&name / *name) are not allowed")
            seen.add(id(item))
            count += 1
            if count > MAX_NODES:
                raise TableError(f"more than {MAX_NODES} nodes")
            stack.extend(item.values() if isinstance(item, dict) else item)


def load_yaml_bytes(raw: bytes, source: str) -> Any:
    """Parse ``raw`` with the strict safe loader; errors are ``TableError`` naming ``source``."""
    if len(raw) > MAX_BYTES:
        raise TableError(f"file is {len(raw)} bytes; the limit is {MAX_BYTES}", source=source)
    # cheap pre-check: only files that could contain anchors pay for the walk
    check_aliases = b"&" in raw or b"*" in raw
    try:
        data = yaml.load(raw, Loader=_StrictLoader)
    except TableError as exc:
        raise TableError(exc.reason, source=source) from None
    except yaml.YAMLError as exc:
        raise TableError(f"not valid YAML: {exc}", source=source) from None
    except RecursionError:
        raise TableError("nesting too deep", source=source) from None
    if check_aliases:
        try:
            _check_no_shared_nodes(data)
        except TableError as exc:
            raise TableError(exc.reason, source=source) from None
    return data
