"""Bounded, escaped text for messages, logs and terminals.

Everything the library writes that contains caller input goes through :func:`clip` or
:func:`brief`: control characters (ESC, newlines, bidi overrides) are escaped so input cannot
forge lines or colours in a log or a terminal, and the length is bounded so a message never grows
with the size of the input. :func:`brief` never calls ``repr`` on an unbounded object: huge
integers, deep or long containers and long strings are summarised.
"""

from __future__ import annotations

import math
import reprlib
import unicodedata
from typing import Any

__all__ = ["MAX_MESSAGE", "Shown", "brief", "clip", "json_safe", "no_duplicate_keys", "pad",
           "width"]

#: The longest message head the library builds from caller input [characters].
MAX_MESSAGE = 500

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def clip(text: str, limit: int = 200) -> str:
    """``text`` with control and format characters escaped, cut to ``limit`` characters."""
    if len(text) > limit * 4:  # never scan more than a bounded prefix
        text = text[: limit * 4]
        cut = True
    else:
        cut = False
    if not text.isprintable():  # control, format (bidi overrides), separators other than " "
        text = "".join(ch if ch.isprintable() else _escape_char(ch) for ch in text)
    if cut or len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    return text


class _BoundedRepr(reprlib.Repr):
    def __init__(self) -> None:
        super().__init__()
        self.maxlevel = 3
        self.maxdict = self.maxlist = self.maxtuple = self.maxset = 6
        self.maxstring = 60
        self.maxother = 60
        self.maxlong = 40

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 128:
            digits = int(x.bit_length() * math.log10(2)) + 1
            return f"<{'-' if x < 0 else ''}integer of about {digits} digits>"
        return repr(x)

    def repr_str(self, x: str, level: int) -> str:
        text = repr(x[: self.maxstring + 1])
        if len(x) > self.maxstring:
            text = text[:-1][: self.maxstring] + "…" + text[-1] + f" ({len(x)} characters)"
        return text


_REPR = _BoundedRepr()


class Shown(str):
    """A value that cannot travel as itself (pickled with an error): its JSON text, shown in
    messages as the original value was."""

    shown: str

    def __new__(cls, json_text: str, shown: str) -> Shown:
        obj = super().__new__(cls, json_text)
        obj.shown = shown
        return obj

    def __repr__(self) -> str:
        return self.shown

    def __reduce__(self) -> tuple[Any, ...]:
        return (Shown, (str(self), self.shown))

    @classmethod
    def of(cls, value: Any) -> Any:
        """``value`` if it is a JSON scalar that travels as itself, else its ``Shown``."""
        safe = json_safe(value)
        if safe is value or isinstance(value, Shown) or (
                value is None or isinstance(value, (bool, float))):
            return value
        return cls(safe if isinstance(safe, str) else str(safe), _raw_repr(value))


def _raw_repr(value: Any) -> str:
    try:
        return _REPR.repr(value)
    except Exception:
        return f"<{type(value).__name__}>"


def brief(value: Any, limit: int = 80) -> str:
    """A bounded, escaped ``repr`` of ``value`` for an error message."""
    if isinstance(value, Shown):
        return clip(value.shown, limit)
    try:
        text = _REPR.repr(value)
    except Exception:  # a hostile __repr__: say what it is, nothing more
        text = f"<{type(value).__name__}>"
    return clip(text, limit)


def json_safe(value: Any, limit: int = 200) -> Any:
    """``value`` if it is a small JSON scalar, else a bounded text summary of it."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if abs(value) < 2**53 else brief(value, limit)
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if isinstance(value, str):
        return clip(value, limit)
    return brief(value, limit)


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal (East Asian wide and full-width characters: 2)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, columns: int) -> str:
    """``text`` padded with spaces to ``columns`` terminal columns (wide characters count 2)."""
    return text + " " * max(0, columns - width(text))


def no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``json.loads(..., object_pairs_hook=no_duplicate_keys)``: a JSON object, refusing a key
    given twice (``ValueError``) where the standard parser keeps the last silently."""
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"duplicate key {clip(k, 60)!r}")
        out[k] = v
    return out
