"""Closest valid codes for an unknown one, from a precomputed index (fast on any input).

Suggestions are computed on bounded text (the first 40 characters of what was given) against an
index built once per vocabulary: short codes (IATA, ISO) by transposition and one-character
substitution through hash lookups; longer words by the overlap of their character
trigrams (the Dice coefficient, through an inverted index). A suggestion never costs more
than a few tens of microseconds, whatever the input or the size of the vocabulary (8,000
airports).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from ._cache import BoundedCache

__all__ = ["closest"]

_MAX_TEXT = 40


class _Index:
    def __init__(self, choices: Iterable[str]) -> None:
        self.pool = sorted({str(c) for c in choices})
        self.lowered = {c.lower(): c for c in self.pool}
        self.swaps: dict[tuple[int, str], list[str]] = {}
        self.wild: dict[tuple[int, int, str], list[str]] = {}
        self.grams: dict[str, list[int]] = {}
        lowered = list(self.lowered)
        self.lowered_list = lowered
        for c in self.pool:
            up = c.upper()
            if 2 <= len(up) <= 4:
                self.swaps.setdefault((len(up), "".join(sorted(up))), []).append(c)
                for i in range(len(up)):
                    self.wild.setdefault((len(up), i, up[:i] + up[i + 1:]), []).append(c)
        self.sizes: list[int] = []
        for pos, low in enumerate(lowered):
            grams = _trigrams(low)
            self.sizes.append(len(grams))
            for g in grams:
                self.grams.setdefault(g, []).append(pos)

    def closest(self, text: str, n: int) -> list[str]:
        text = text[:_MAX_TEXT]
        if 2 <= len(text) <= 4 and text.isalnum():
            up = text.upper()

            def diffs(c: str) -> list[bool]:
                return [a != b for a, b in zip(c.upper(), up, strict=True)]

            swaps = sorted((c for c in self.swaps.get((len(up), "".join(sorted(up))), [])
                            if c.upper() != up), key=lambda c: sum(diffs(c)))
            seen: dict[str, None] = {}
            for i in range(len(up)):
                for c in self.wild.get((len(up), i, up[:i] + up[i + 1:]), []):
                    if c.upper() != up:
                        seen[c] = None
            one_off = sorted(sorted(seen), key=lambda c: diffs(c)[::-1])
            ranked = list(dict.fromkeys(swaps + one_off))
            if ranked:
                return ranked[:n]
        low = text.lower()
        mine = _trigrams(low)
        counts: Counter[int] = Counter()
        for g in mine:
            for pos in self.grams.get(g, ()):
                counts[pos] += 1
        scored = []
        for pos, common in counts.items():
            other = self.sizes[pos]
            scored.append((-2.0 * common / (len(mine) + other), self.lowered_list[pos]))
        scored.sort()
        out = [self.lowered[c] for score, c in scored[:n] if -score >= _CUTOFF]
        if not out and low:
            out = [c for c in self.pool if c.lower().startswith(low[:1])][:n]
        return out or self.pool[:n]


_CUTOFF = 0.3


def _trigrams(text: str) -> set[str]:
    padded = f"  {text} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


_INDEXES: BoundedCache[Any, _Index] = BoundedCache("suggestion indexes", 64)


def closest(value: object, choices: Iterable[str], n: int = 5) -> list[str]:
    """Up to ``n`` entries of ``choices`` closest to ``value`` (case-insensitive).

    ``choices`` that are a ``frozenset``, ``tuple`` or dict view of the same vocabulary are
    indexed once and reused; any other iterable is indexed on each call.
    """
    text = value if isinstance(value, str) else str(value)[:_MAX_TEXT] \
        if isinstance(value, (int, float)) else ""
    key: Any
    if isinstance(choices, (frozenset, tuple)):
        key = choices
    elif isinstance(choices, dict):
        key = tuple(choices)
    else:
        choices = tuple(choices)
        key = choices
    index = _INDEXES.get(key)
    if index is None:
        index = _INDEXES.put(key, _Index(key))
    return index.closest(text, n)
