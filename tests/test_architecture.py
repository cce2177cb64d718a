"""The structure stays as drawn: layers import downward only, no cycles, no function-local
imports of the library's own modules (outside the command line's lazy start), one cache
registry, the vocabulary owned by the registry, generated docs up to date."""

from __future__ import annotations

import ast
import gc
import subprocess
import sys

import carbon_footprint as cf
from carbon_footprint._cache import BoundedCache

from .conftest import REPO

SRC = REPO / "src" / "carbon_footprint"

#: bottom to top; a module may import from its own layer's lower entries and lower layers only
LAYERS: list[set[str]] = [
    {"_registry", "_text", "_cache", "_exact", "_models", "_version"},
    {"_i18n", "_suggest", "_geo", "_json"},
    {"errors", "_notices"},
    {"units", "_yaml", "method", "offsets", "plot", "_credit_errors", "_report"},
    {"tables"},
    {"results", "_gwp", "_money"},
    {"_plans"},
    {"activities"},
    {"_engine", "_schemas"},
    {"_api"},
    {"frame", "credits", "_validate"},
    {"event"},
    {"neutralize"},
    {"claims"},
    {"certificates", "leaderboard"},
    {"__init__"},
    {"web"},
    {"cli"},
    {"__main__"},
]
#: third-party modules imported where they are used: optional extras, and two core
#: dependencies that are only needed on some paths (a new unit, a country check) and are
#: slow to import (cold start)
OPTIONAL = {"pandas", "numpy", "pyarrow", "polars", "matplotlib", "dask", "distributed",
            "pint", "pycountry", "cryptography", "PIL", "uvicorn"}


def _unit(module: str) -> str:
    """The layer unit of a module path ('tables._sets' -> 'tables')."""
    return module.split(".")[0]


def _layer(unit: str) -> int:
    for i, layer in enumerate(LAYERS):
        if unit in layer:
            return i
    raise AssertionError(f"module {unit!r} is in no layer: add it to LAYERS")


def _imports() -> list[tuple[str, str, bool, int]]:
    """(importing module, imported library module, at module level?, line) for every import."""
    out = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).with_suffix("")
        module = ".".join(rel.parts)
        package = rel.parts[:-1]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = set(map(id, tree.body))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or not node.level:
                continue
            base = list(package)
            base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
            if node.module:
                targets = [".".join([*base, node.module])]
            else:  # from . import a, b: modules of the package, or names of its __init__
                where = SRC.joinpath(*base)
                targets = [".".join([*base, a.name])
                           if (where / f"{a.name}.py").is_file() or (where / a.name).is_dir()
                           else ".".join([*base, "__init__"]) for a in node.names]
            for target in targets:
                out.append((module, target, id(node) in top, node.lineno))
    return out


def test_layers_import_downward_only() -> None:
    for module, target, _, line in _imports():
        a, b = _unit(module), _unit(target)
        if a == b:
            continue
        assert _layer(b) < _layer(a), (
            f"{module}:{line} imports {target}: layer {_layer(a)} -> {_layer(b)} is upward")


def test_no_import_cycles() -> None:
    graph: dict[str, set[str]] = {}
    for module, target, top_level, _ in _imports():
        if top_level:
            graph.setdefault(module, set()).add(target)
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, ()):
            if nxt == node:
                continue
            if state.get(nxt) == 1:
                raise AssertionError("import cycle: " + " -> ".join([*path, node, nxt]))
            if state.get(nxt) is None:
                visit(nxt, [*path, node])
        state[node] = 2

    for node in list(graph):
        if node not in state:
            visit(node, [])


def test_function_local_imports_are_optional_dependencies() -> None:
    """No import is held inside a function to dodge a cycle: local imports are optional
    extras, or the command line's lazy start (--help and --version stay fast)."""
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(fn):
                if isinstance(node, ast.ImportFrom) and node.level:
                    # frame needs the [pandas] extra: importing it is an optional dependency
                    assert path.name == "cli.py" or node.module == "frame" or (
                        path.name == "__init__.py" and fn.name == "__getattr__"), (
                        f"{path.name}:{node.lineno} imports the library inside a function")
                elif isinstance(node, (ast.Import, ast.ImportFrom)):
                    names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                             else [node.module or ""])
                    for name in names:
                        assert name.split(".")[0] in OPTIONAL, (
                            f"{path.name}:{node.lineno} imports {name} inside a function")


def test_core_import_is_light() -> None:
    code = ("import sys, carbon_footprint; bad = [m for m in ('pandas', 'numpy', 'matplotlib', "
            "'pyarrow', 'dask') if m in sys.modules]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


def test_one_cache_registry_clears_everything() -> None:
    cf.calculate([{"type": "flight", "origin": "PEK", "destination": "TFU"},
                  {"type": "purchase", "category": "restaurant", "amount": "10 CNY"},
                  {"type": "rail", "distance": "3 km*s/s"}])
    caches = [o for o in gc.get_objects() if isinstance(o, BoundedCache)]
    assert any(len(c) for c in caches)
    cf.clear_caches()
    assert all(len(c) == 0 for c in caches), [c.name for c in caches if len(c)]
    assert all(c.maxsize <= 100_000 for c in caches)


def test_no_process_global_side_effects() -> None:
    was = gc.isenabled()
    thresholds = gc.get_threshold()
    cf.calculate([{"type": "meal"}] * 30_000)
    assert gc.isenabled() == was and gc.get_threshold() == thresholds


def test_generated_docs_are_current() -> None:
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "gen_docs.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_python_dash_m() -> None:
    out = subprocess.run([sys.executable, "-m", "carbon_footprint", "--version"],
                         capture_output=True, text=True, check=True).stdout
    from carbon_footprint.cli import build_kind

    assert out.strip() == f"carbon-footprint {cf.__version__} ({build_kind()})"


def test_version_has_one_source() -> None:
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in text and "_version.py" in text
    source = (SRC / "_version.py").read_text(encoding="utf-8")
    assert f'__version__ = "{cf.__version__}"' in source
