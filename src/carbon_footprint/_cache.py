"""One registry of the library's caches: every memo registers here, all are bounded, and
:func:`clear_caches` empties every one of them.

A :class:`BoundedCache` is a dict with a size bound: when an insert would pass ``maxsize`` the
oldest half is dropped (insertion order), so a stream of distinct keys costs bounded memory and
amortised O(1) per insert. Reads are plain ``dict.get`` (thread-safe in CPython); inserts and
eviction take a lock. Lazily loaded singletons (tables, airports, the unit registry) register a
``clear`` function instead.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["BoundedCache", "clear_caches", "loaded_once", "register_clear"]

K = TypeVar("K")
V = TypeVar("V")

_CLEARERS: list[Callable[[], None]] = []
_LOCK = threading.Lock()


class BoundedCache(dict[K, V], Generic[K, V]):
    """A dict bounded to ``maxsize`` entries (oldest half dropped when full), registered."""

    def __init__(self, name: str, maxsize: int) -> None:
        super().__init__()
        self.name = name
        self.maxsize = maxsize
        self._lock = threading.Lock()
        register_clear(self.clear)

    def put(self, key: K, value: V) -> V:
        """Store ``value`` under ``key`` (evicting the oldest half if full); return it."""
        with self._lock:
            if len(self) >= self.maxsize:
                for old in list(self)[: max(len(self) // 2, 1)]:
                    self.pop(old, None)
            self[key] = value
        return value


def register_clear(fn: Callable[[], None]) -> Callable[[], None]:
    """Register ``fn`` to be called by :func:`clear_caches`; returns ``fn``."""
    with _LOCK:
        _CLEARERS.append(fn)
    return fn


def clear_caches() -> None:
    """Forget every cached table, unit, route, rate and compiled plan.

    The next use reloads from disk; results are the same. Useful after replacing a table file
    and in tests.
    """
    with _LOCK:
        fns = list(_CLEARERS)
    for fn in fns:
        fn()


def loaded_once(load: Callable[[], V]) -> Callable[[], V]:
    """``load()`` called once (thread-safe), its result kept until :func:`clear_caches`: for
    bundled files read on first use (a catalogue, a rule set)."""
    held: list[V] = []
    lock = threading.Lock()

    @functools.wraps(load)
    def get() -> V:
        if not held:
            with lock:
                if not held:
                    held.append(load())
        return held[0]

    register_clear(held.clear)
    return get

