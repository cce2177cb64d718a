"""Errors raised by carbon_footprint.

Every error the library raises on purpose derives from :class:`CarbonFootprintError`, which also
inherits :class:`ValueError`, so ``except ValueError`` in existing code keeps working::

    CarbonFootprintError (ValueError)            code "invalid_argument" and others
    ├── ArgumentTypeError (+ TypeError)          an argument of the wrong type (calculate(5))
    ├── ActivityError                            an input activity is invalid
    │   ├── UnknownCodeError (+ LookupError)     a code not in the vocabulary, with suggestions
    │   ├── QuantityError                        unreadable, wrong unit, negative, NaN, too large
    │   ├── NoFactorError                        valid input, no factor in the selected tables
    │   ├── CurrencyError                        no exchange rate or price index for a spend
    │   └── GwpError                             not expressible in the requested GWP set
    ├── TableError                               a malformed factor table (source, factor_id)
    │   └── UnknownTableError (+ LookupError)    a table id neither bundled nor loaded
    └── OffsetPolicyError                        an offset policy that cannot be applied

Every error has a stable machine ``code`` and JSON-safe ``params`` from which its message is
rendered (``locales/<locale>.yaml``; ``error.render("zh-CN")``). Activity errors also name the
input's position (``index``, 0-based; ``None`` for one activity validated alone), the ``field``
(a dotted path), a JSON ``pointer`` to it (``/3/distance``), the ``value`` given, what was
``expected`` and, for unknown codes, ``suggestions``. :meth:`CarbonFootprintError.to_dict` is
the one error shape used everywhere: raised errors, ``errors="collect"`` lines, the HTTP service.

Errors pickle and deep-copy (multiprocessing, Dask workers): they carry no traceback context of
their own and rebuild from their state.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ._i18n import field_label, label, normalize_locale, render
from ._suggest import closest
from ._text import MAX_MESSAGE, Shown, brief, clip, json_safe

__all__ = [
    "ActivityError",
    "ArgumentTypeError",
    "CarbonFootprintError",
    "CurrencyError",
    "GwpError",
    "NoFactorError",
    "OffsetPolicyError",
    "QuantityError",
    "TableError",
    "UnknownCodeError",
    "UnknownTableError",
    "closest",
]


def _rebuild(cls: type[CarbonFootprintError], state: dict[str, Any]) -> CarbonFootprintError:
    err = cls.__new__(cls)
    err.__dict__.update(state)
    return err


class CarbonFootprintError(ValueError):
    """Base class of every error carbon_footprint raises on purpose.

    Parameters
    ----------
    detail : str, optional
        A free-text English detail (for errors without a more specific code).
    code : str, optional
        The machine code (a key of the message catalogue).
    params : dict, optional
        JSON-safe values the message template refers to.
    """

    default_code = "invalid_argument"

    def __init__(self, detail: str | None = None, *, code: str | None = None,
                 params: dict[str, Any] | None = None) -> None:
        self.code = code or self.default_code
        self.params: dict[str, Any] = dict(params or {})
        if detail is not None:
            self.params.setdefault("detail", clip(detail, MAX_MESSAGE))
        super().__init__()

    # The message is rendered when it is read, not when the error is made: an error that is
    # caught and turned into an error line (errors="collect") renders once, a copy never. An
    # error raised inside a pydantic validator is marked ``_carried``: pydantic reads its text
    # for a message nobody sees (the library converts it back), so it is not rendered then.
    def __str__(self) -> str:
        if self.__dict__.get("_carried"):
            return self.code
        return self._message()

    def carried(self) -> CarbonFootprintError:
        """Mark this error as raised inside a validator (see ``__str__``); returns it."""
        self._carried = True
        return self

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._message()!r})"

    # -- rendering ------------------------------------------------------------------------
    def render(self, locale: str = "en") -> str:
        """The message in ``locale`` (``"en"``, ``"zh-CN"``)."""
        return render("errors", self.code, self.params, locale)

    def message_in(self, locale: str | None = None) -> str:
        """The message in ``locale`` (``"zh-CN"``, ``"zh"``, ``"en"``; None is English); the
        exception's ``str()`` stays English."""
        return self.render(normalize_locale(locale))

    def _message(self) -> str:
        return self.render("en")

    def to_dict(self, locale: str | None = None) -> dict[str, Any]:
        """The error as JSON-safe data: ``error`` (class), ``code``, ``params``, ``message``."""
        return {"error": type(self).__name__, "code": self.code, "params": dict(self.params),
                "message": self.render(normalize_locale(locale)) if locale
                else self._message()}

    # -- pickling ---------------------------------------------------------------------------
    def __reduce__(self) -> tuple[Any, ...]:
        state = {k: v for k, v in self.__dict__.items()
                 if k not in ("__traceback__", "__context__", "__cause__")}
        if "value" in state:
            state["value"] = Shown.of(state["value"])
        return (_rebuild, (type(self), state))

    def __deepcopy__(self, memo: dict[int, Any]) -> CarbonFootprintError:
        cls, args = self.__reduce__()[:2]
        return cls(*args)  # type: ignore[no-any-return]


class ArgumentTypeError(CarbonFootprintError, TypeError):
    """An argument of the wrong type (also a ``TypeError``)."""


class ActivityError(CarbonFootprintError):
    """An input activity is invalid.

    Attributes
    ----------
    index : int or None
        Position of the activity in the input (0-based).
    field : str or None
        Dotted path of the offending field (``"distance"``, ``"type"``).
    value : object
        The value that was given.
    expected : str
        What would have been accepted (English; ``to_dict(locale=...)`` renders others).
    activity_type : str or None
        The activity's ``type`` where it is a known one.
    suggestions : list of str
        Closest valid values, for unknown codes.
    """

    default_code = "value_invalid"
    #: JSON pointer of the activity inside a larger document (an event file:
    #: ``/groups/0/per_person/2``); None for a plain list of activities
    at: str | None = None

    def __init__(self, code: str, *, params: dict[str, Any] | None = None,
                 index: int | None = None, field: str | None = None, value: Any = None,
                 activity_type: str | None = None, suggestions: list[str] | None = None,
                 ) -> None:
        self.index = index
        self.field = field
        self.value = value
        self.activity_type = activity_type
        self.suggestions = list(suggestions or [])
        params = dict(params or {})
        if self.suggestions:
            params.setdefault("suggestions", ", ".join(repr(s) for s in self.suggestions))
        params.setdefault("expected", "")
        super().__init__(code=code, params=params)

    @property
    def expected(self) -> str:
        return self.render_expected("en")

    def render_expected(self, locale: str = "en") -> str:
        params = self.params if locale == "en" else _localized(self.params, locale)
        return render("errors", self.code, params, locale, part="expected")

    @property
    def pointer(self) -> str:
        """JSON pointer to the field: ``/3/distance`` (``/distance`` without an index)."""
        parts = [] if self.index is None or self.at is not None else [str(self.index)]
        if self.field:
            parts.extend(p.replace("~", "~0").replace("/", "~1")
                         for p in self.field.split("."))
        inner = "/" + "/".join(parts) if parts else ""
        return (self.at or "") + inner

    def render(self, locale: str = "en") -> str:
        """The message in ``locale``: where (input, type, field), why, what was given and
        what was expected; English is what ``str()`` shows."""
        where = []
        shown_type = self.activity_type and clip(self.activity_type, 40)
        shown_field = self.field and clip(self.field, 60)
        if locale != "en":  # people's words for the type and the field
            shown_type = shown_type and label("types", shown_type, locale)
            if shown_field and "." not in shown_field:
                shown_field = field_label(self.activity_type, shown_field, locale)
        if self.at is not None:
            where.append(render("frames", "activity_at", {"at": clip(self.at, 80)}, locale))
        elif self.index is not None:
            where.append(render("frames", "activity", {"index": self.index}, locale))
        if shown_type:
            where.append(render("frames", "type", {"type": shown_type}, locale))
        if shown_field:
            where.append(render("frames", "field", {"field": shown_field}, locale))
        head = render("frames", "join", None, locale).join(where)
        reason = render("errors", self.code,
                        self.params if locale == "en" else _localized(self.params, locale),
                        locale)
        text = render("frames", "head", {"head": head, "reason": reason}, locale) if head \
            else reason
        if self.value is not None or self.field:
            text += render("frames", "got", {"value": brief(self.value)}, locale)
        expected = self.render_expected(locale)
        if expected:
            text += render("frames", "expected", {"expected": expected}, locale)
        return clip(text, MAX_MESSAGE * 2)

    @classmethod
    def from_dict(cls, data: Any) -> ActivityError:
        """The error back from its :meth:`to_dict` shape (or an error line), e.g. to render
        it in another locale: ``ActivityError.from_dict(line).message_in("zh-CN")``."""
        get = data.get if isinstance(data, dict) else lambda k, d=None: getattr(data, k, d)
        return ActivityError(str(get("code", "value_invalid")), params=dict(get("params") or {}),
                             index=get("index"), field=get("field"), value=get("value"),
                             activity_type=get("type"),
                             suggestions=list(get("suggestions") or ()))

    def located(self, index: int | None, activity_type: str | None = None) -> ActivityError:
        """A copy of this error at input ``index`` (errors cached per shape are shared)."""
        state = {**self.__dict__, "index": index,
                 "activity_type": activity_type or self.activity_type}
        state.pop("_carried", None)
        err = _rebuild(type(self), state)
        assert isinstance(err, ActivityError)
        return err

    def placed(self, at: str) -> ActivityError:
        """A copy of this error for the activity at JSON pointer ``at`` of a larger document."""
        state = {**self.__dict__, "at": at}
        state.pop("_carried", None)
        err = _rebuild(type(self), state)
        assert isinstance(err, ActivityError)
        return err

    def to_dict(self, locale: str | None = None) -> dict[str, Any]:
        loc = normalize_locale(locale)
        return {
            "error": type(self).__name__,
            "code": self.code,
            "message": self.render(loc),
            "index": self.index,
            "type": self.activity_type,
            "field": self.field,
            "pointer": self.pointer,
            "value": json_safe(self.value),
            "expected": self.render_expected(loc),
            "params": {k: v for k, v in self.params.items() if k != "expected" or v},
            "suggestions": list(self.suggestions),
        }


_QUOTED = re.compile(r"'[^']*'")


def _localized(params: dict[str, Any], locale: str) -> dict[str, Any]:
    """``params`` with the English words the library put in them (a quantity's kind, what a
    field expects) in ``locale``; codes and values given stay as they are."""
    out = dict(params)
    for key in ("what", "found"):
        if isinstance(out.get(key), str):
            out[key] = label("kinds", out[key], locale)
    expected = out.get("expected")
    if isinstance(expected, str) and expected:
        if "ge" in out and "le" in out:
            out["expected"] = render("frames", "range", out, locale)
        elif " with a unit, e.g. " in expected and isinstance(out.get("what"), str):
            out["expected"] = render("frames", "with_unit", {
                "what": out["what"], "examples": ", ".join(_QUOTED.findall(expected))}, locale)
    return out


class UnknownCodeError(ActivityError, LookupError):
    """A code (activity type, IATA code, country, cabin, fuel, diet, ...) is not known.

    ``choices`` (the valid codes) are used to compute ``suggestions`` when none are given.
    """

    def __init__(self, code: str, *, choices: Iterable[str] = (),
                 suggestions: list[str] | None = None, **kwargs: Any) -> None:
        if suggestions is None:
            suggestions = closest(kwargs.get("value"), choices)
        super().__init__(code, suggestions=suggestions, **kwargs)


class QuantityError(ActivityError):
    """A quantity is unreadable, of the wrong dimension, or out of range."""


class NoFactorError(ActivityError):
    """The selected factor tables have no factor for a (valid) activity."""


class GwpError(ActivityError):
    """A factor cannot be expressed in the requested GWP set (no published gas split)."""


class CurrencyError(ActivityError):
    """A spend amount cannot be converted: no exchange rate or price index for the year."""


class TableError(CarbonFootprintError):
    """A factor table file or object is malformed.

    Attributes
    ----------
    source : str
        The file path or table id.
    factor_id : str or None
        The factor at fault, where one is.
    """

    default_code = "table_invalid"

    def __init__(self, detail: str | None = None, *, source: str = "",
                 factor_id: str | None = None, code: str | None = None,
                 params: dict[str, Any] | None = None) -> None:
        self.reason = clip(detail or "", MAX_MESSAGE)
        self.source = clip(str(source), 300)
        self.factor_id = None if factor_id is None else clip(str(factor_id), 200)
        super().__init__(detail, code=code, params=params)

    def _message(self) -> str:
        where = self.source or "factor table"
        if self.factor_id:
            where += f", factor {self.factor_id!r}"
        return f"{where}: {self.render('en')}"

    def to_dict(self, locale: str | None = None) -> dict[str, Any]:
        out = super().to_dict(locale)
        out.update(source=self.source, factor_id=self.factor_id)
        return out


class UnknownTableError(TableError, LookupError):
    """A table id that is neither bundled nor loaded."""

    def __init__(self, table_id: str, choices: Iterable[str]) -> None:
        self.table_id = clip(str(table_id), 100)
        self.suggestions = closest(table_id, choices)
        super().__init__(source=self.table_id, code="table_unknown",
                         params={"table": self.table_id,
                                 "suggestions": ", ".join(self.suggestions)})

    def render(self, locale: str = "en") -> str:
        head = render("errors", self.code, self.params, locale)
        if self.suggestions:
            head += render("frames", "closest", {"suggestions": ", ".join(self.suggestions)},
                           locale)
        return head


class OffsetPolicyError(CarbonFootprintError):
    """An offset policy that cannot be applied."""

    default_code = "offset_invalid"
