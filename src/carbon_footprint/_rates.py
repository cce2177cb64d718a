"""Auxiliary data tables in factors/rates/: exchange rates, price index, GWP sets (lazy, cached)."""

from __future__ import annotations

import threading
from typing import Any

from ._yaml import load_yaml_bytes

_LOCK = threading.Lock()
_CACHE: dict[str, Any] = {}


def load_rate_table(name: str) -> Any:
    """The parsed ``factors/rates/<name>.yaml`` (loaded once, thread-safe)."""
    hit = _CACHE.get(name)
    if hit is None:
        with _LOCK:
            hit = _CACHE.get(name)
            if hit is None:
                from .tables import factors_root

                path = factors_root() / "rates" / f"{name}.yaml"
                hit = load_yaml_bytes(path.read_bytes(), str(path))
                _CACHE[name] = hit
    return hit


def clear() -> None:
    with _LOCK:
        _CACHE.clear()
