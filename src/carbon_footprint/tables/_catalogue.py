"""Bundled tables: where they are, loading them lazily (once, behind a lock), listing them,
and choosing editions by date.

The only I/O of the library lives here and in :mod:`._rates`: files are read with a size limit
whatever they are (a FIFO or a device reads at most the limit, then is refused).
"""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

from .._cache import register_clear
from .._notices import Notice, notice
from .._yaml import MAX_BYTES, load_yaml_bytes
from ..errors import ArgumentTypeError, TableError, UnknownTableError
from ._compile import Table, compile_table

__all__ = [
    "COMPILED_DIR",
    "DEFAULT_TABLES",
    "LOADER_VERSION",
    "bundled_table_ids",
    "compiled_path",
    "factors_root",
    "family",
    "get_table",
    "list_tables",
    "load_table",
    "read_data",
    "read_limited",
    "tables_on",
    "to_json_data",
]

#: Table ids used when ``tables=None``. Pinned per library release; changing it is a CHANGELOG
#: entry. Order is priority: for a given factor key the first table that has it wins.
DEFAULT_TABLES: tuple[str, ...] = (
    "desnz-2024",
    "mee-grid-2023",
    "ademe-2024",
    "scarborough-2014",
    "poore-nemecek-2018",
    "useeio-1.3.0",
)

_PACKAGE_FACTORS = files("carbon_footprint").joinpath("factors")
_REPO_FACTORS = Path(__file__).resolve().parents[3] / "factors"
RATE_DIR = "rates"
#: folders of ``factors/`` that hold data other than factor tables (rates; credit schemes and
#: claim rules, read by ``carbon_footprint.credits`` and ``carbon_footprint.claims``)
NOT_TABLE_DIRS = (RATE_DIR, "credits")


def factors_root() -> Path:
    """The folder holding the bundled tables (inside the wheel, or the repo's ``factors/``)."""
    packaged = Path(str(_PACKAGE_FACTORS))
    return packaged if packaged.is_dir() else _REPO_FACTORS


def read_limited(path: Path, limit: int = MAX_BYTES) -> bytes:
    """Read at most ``limit`` bytes of ``path``; refuse anything larger (or endless)."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(limit + 1)
    except OSError as exc:
        raise TableError(f"cannot read file: {exc.strerror or exc}", source=str(path)) from None
    if len(raw) > limit:
        raise TableError(f"file is larger than the limit of {limit} bytes", source=str(path))
    return raw


#: where the parsed form of each bundled YAML file is kept, as JSON named by the YAML's sha256
COMPILED_DIR = "_compiled"
#: bump when the YAML loader's rules change (the cached parses are then ignored)
LOADER_VERSION = 1


#: a parsed mapping whose keys are not all text (years in rate tables) is kept in JSON as
#: ``{INT_KEYS: [[key, value], ...]}``
INT_KEYS = "\u0000int-keys"


def compiled_path(root: Path, sha: str) -> Path:
    return root / COMPILED_DIR / f"{sha}.json"


def to_json_data(data: Any) -> Any:
    """Parsed YAML as JSON-safe data (see :data:`INT_KEYS`); inverse of the loader's hook."""
    if isinstance(data, dict):
        if all(isinstance(k, str) for k in data):
            return {k: to_json_data(v) for k, v in data.items()}
        return {INT_KEYS: [[k, to_json_data(v)] for k, v in data.items()]}
    if isinstance(data, list):
        return [to_json_data(v) for v in data]
    return data


def _json_object(d: dict[str, Any]) -> Any:
    pairs = d.get(INT_KEYS)
    return dict((k, v) for k, v in pairs) if pairs is not None and len(d) == 1 else d


def read_data(path: Path) -> tuple[Any, bytes]:
    """The parsed content of a YAML file and its bytes.

    For the bundled files, the parse is read from ``factors/_compiled/<sha256>.json`` when one
    exists for exactly these bytes and this loader version (JSON is data only: nothing in it
    can run); ``scripts/precompile.py`` writes them and a test keeps them current. Any other
    file, or a mismatch, is parsed by the strict YAML loader.
    """
    raw = read_limited(path)
    sha = hashlib.sha256(raw).hexdigest()
    cached = compiled_path(factors_root(), sha)
    try:
        blob = read_limited(cached) if len(raw) > 4096 and cached.is_file() else None
    except (OSError, TableError):
        blob = None
    if blob is not None:
        try:
            doc = json.loads(blob, object_hook=_json_object)
        except ValueError:
            doc = None
        if (isinstance(doc, dict) and doc.get("loader") == LOADER_VERSION
                and doc.get("sha256") == sha):
            return doc["data"], raw
    return load_yaml_bytes(raw, str(path)), raw


def load_table(path: str | Path, *, replace: bool = False) -> Table:
    """Load and validate a factor table from a YAML file.

    The result can be passed to ``calculate(tables=...)``, alone or in a list with bundled ids.
    A table whose id is also a bundled table's id is refused unless ``replace=True`` says that it
    is meant to stand in for the bundled one (results then carry its own sha256).

    Raises
    ------
    TableError
        For unsafe or malformed YAML, schema violations, bad units or inconsistent factors,
        naming the file and, where one is at fault, the factor id.
    """
    if not isinstance(path, (str, Path)):
        raise ArgumentTypeError(f"load_table takes a path; got {type(path).__name__}")
    p = Path(path)
    data, raw = read_data(p)
    table = compile_table(data, str(p), raw)
    bundled = _bundled_paths()
    if not replace and table.id in bundled and bundled[table.id].resolve() != p.resolve():
        raise TableError(
            f"table id {table.id!r} is also a bundled table's id; rename it, or pass "
            "replace=True to use it in place of the bundled one", source=str(p))
    return table


_LOCK = threading.RLock()
_CACHE: dict[str, Table] = {}
_BUNDLED: dict[str, Path] = {}


def _bundled_paths() -> dict[str, Path]:
    if not _BUNDLED:
        with _LOCK:
            if not _BUNDLED:
                root = factors_root()
                found: dict[str, Path] = {}
                if root.is_dir():
                    for sub in sorted(root.iterdir()):
                        if sub.is_dir() and sub.name not in NOT_TABLE_DIRS:
                            for f in sorted(sub.glob("*.yaml")):
                                found[f"{sub.name}-{f.stem}"] = f
                _BUNDLED.update(found)
    return _BUNDLED


def _clear() -> None:
    with _LOCK:
        _CACHE.clear()
        _BUNDLED.clear()


register_clear(_clear)


def bundled_table_ids() -> list[str]:
    """Ids of the factor tables that ship with the package."""
    return list(_bundled_paths())


def get_table(table_id: str) -> Table:
    """Return a bundled table by id, loading and validating it on first use (thread-safe)."""
    hit = _CACHE.get(table_id)
    if hit is not None:
        return hit
    if not isinstance(table_id, str):
        raise ArgumentTypeError(f"a table id is a string; got {type(table_id).__name__}")
    with _LOCK:
        hit = _CACHE.get(table_id)
        if hit is None:
            paths = _bundled_paths()
            if table_id not in paths:
                raise UnknownTableError(table_id, tuple(paths))
            hit = load_table(paths[table_id])
            if hit.id != table_id:
                raise TableError(f"file declares id {hit.id!r}, expected {table_id!r}",
                                 source=str(paths[table_id]))
            _CACHE[table_id] = hit
    return hit


def list_tables() -> list[dict[str, Any]]:
    """List the bundled factor tables: id, title, publisher, edition, region, GWP set, validity,
    licence, whether verified and whether in the default set."""
    out = []
    for tid in bundled_table_ids():
        m = get_table(tid).meta
        out.append({
            "id": m.id, "title": m.title, "publisher": m.publisher, "edition": m.edition,
            "revision": m.revision, "region": m.region, "gwp": m.gwp,
            "valid_from": m.valid_from, "valid_to": m.valid_to, "licence": m.licence,
            "verified": m.verified, "factors": len(m.factors), "default": tid in DEFAULT_TABLES,
        })
    return out


def family(table_id: str) -> str:
    """The publisher family of a bundled table id: its folder (``desnz``, ``mee-grid``)."""
    path = _bundled_paths().get(table_id)
    return path.parent.name if path is not None else table_id.rsplit("-", 1)[0]


def tables_on(on: date, *, unverified: bool = False
              ) -> tuple[list[str], list[Notice]]:
    """For each family of the default set, the bundled edition in force on ``on``.

    In force: the latest edition with ``valid_from <= on`` (and ``on <= valid_to`` when set).
    Unverified editions (third-party copies) are skipped unless ``unverified=True``. Where no
    edition was yet in force, the earliest is used and the notice says so.
    """
    if not isinstance(on, date):
        raise ArgumentTypeError(f"on must be a datetime.date; got {type(on).__name__}")
    day = on.isoformat()
    chosen: list[str] = []
    notes: list[Notice] = []
    for default_id in DEFAULT_TABLES:
        fam = family(default_id)
        editions = sorted((get_table(t).meta for t in bundled_table_ids() if family(t) == fam),
                          key=lambda m: m.valid_from)
        usable = [m for m in editions if m.verified or unverified] or editions
        live = [m for m in usable if m.valid_from <= day
                and (m.valid_to is None or day <= m.valid_to)]
        if live:
            pick = live[-1]
            code = "table_choice"
        else:
            before = [m for m in usable if m.valid_from <= day]
            pick = before[-1] if before else usable[0]
            code = "table_choice_none"
        notes.append(notice(code, family=fam, table=pick.id, day=day,
                            valid=f"{pick.valid_from}..{pick.valid_to or ''}"))
        chosen.append(pick.id)
    return chosen, notes
