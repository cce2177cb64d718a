"""The FastAPI application: a thin shell over ``calculate``, ``validate`` and the schemas.

Requests are read by hand rather than by FastAPI's body parsing, so that every bad input gets
the library's error shape: the body is read up to :data:`MAX_BODY_BYTES` (413 beyond, whatever
Content-Length says), must be JSON (415 otherwise), is parsed without duplicate keys and with
nesting bounded (400), and the envelope is checked field by field (422). The calculation runs
in a worker thread; the event loop only reads and writes.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from importlib.resources import files
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import (
    PROFILES,
    ActivityError,
    CarbonFootprintError,
    __version__,
    activity_schema,
    calculate,
    labels,
    list_tables,
    request_schema,
    response_schema,
    validate,
)
from .._text import no_duplicate_keys

__all__ = ["MAX_BODY_BYTES", "MAX_DEPTH", "create_app", "serve"]

#: the largest request body read [bytes]: about 10,000 activities
MAX_BODY_BYTES = 2 * 1024 * 1024
#: the deepest JSON nesting read (an envelope needs 5: {activities: [{distance: {...}}]})
MAX_DEPTH = 20
_MAX_ACTIVITIES = 10_000
_OPTIONS = {"method", "tables", "on", "gwp", "locale", "errors", "compact", "form"}
_ENVELOPE = {"activities", "offset", "options"}
_ENDPOINTS = "POST /v1/calculate, POST /v1/validate, GET /v1/schema, GET /v1/labels, " \
             "GET /v1/tables, GET /docs, GET /"
#: a guest of a conference in Chengdu: what warm-up computes before the first request
_WARM_UP = [
    {"type": "flight", "origin": "PEK", "destination": "TFU", "cabin": "economy",
     "round_trip": True},
    {"type": "hotel", "nights": 2, "country": "CN"},
    {"type": "rail", "distance": {"value": 350, "unit": "km"}, "service": "high_speed",
     "region": "CN-SC"},
    {"type": "meal", "diet": "average", "count": 3},
    {"type": "purchase", "category": "souvenirs", "amount": {"value": 200, "currency": "CNY"}},
    {"type": "taxi", "distance": {"value": 30, "unit": "km"}},
]


class _Refused(Exception):
    """A request refused with ``status`` and errors in the library's shape."""

    def __init__(self, status: int, errors: list[dict[str, Any]]) -> None:
        self.status, self.errors = status, errors
        super().__init__(status)


def _error(code: str, locale: str, **params: Any) -> dict[str, Any]:
    out = CarbonFootprintError(code=code, params=params).to_dict(locale)
    out["error"] = "RequestError"
    return out


def _shipped(tag: str) -> str | None:
    """The shipped locale of a language tag (``zh-Hans-CN`` -> ``zh-CN``), or None."""
    try:
        return str(labels(tag)["locale"]) if tag and tag != "*" else None
    except ValueError:
        return None


def pick_locale(accept_language: str | None) -> str:
    """The shipped locale an ``Accept-Language`` header prefers most (``en`` by default)."""
    best, best_q = "en", -1.0
    for part in (accept_language or "").split(",")[:20]:
        tag, _, q = part.strip().partition(";")
        q = q.strip()
        try:
            weight = float(q[2:]) if q.startswith("q=") else 1.0
        except ValueError:
            continue
        loc = _shipped(tag.strip()[:40])
        if loc is not None and weight > best_q:
            best, best_q = loc, weight
    return best


def _locale(request: Request, options: dict[str, Any] | None = None) -> str:
    wanted = (options or {}).get("locale")
    if isinstance(wanted, str):
        loc = _shipped(wanted[:40])
        if loc is not None:
            return loc
    return pick_locale(request.headers.get("accept-language"))


def _depth_ok(node: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether ``node`` nests at most ``limit`` containers deep (iterative: no recursion)."""
    stack = [(node, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return False
            children = item.values() if isinstance(item, dict) else item
            stack.extend((c, depth + 1) for c in children if isinstance(c, (dict, list)))
    return True


async def _body(request: Request, locale: str) -> dict[str, Any]:
    """The request's JSON object, or a refusal (413, 415, 400)."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
        raise _Refused(413, [_error("request_too_large", locale, limit=MAX_BODY_BYTES)])
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/json" and not ctype.endswith("+json"):
        raise _Refused(415, [_error("request_content_type", locale,
                                    content_type=ctype[:80] or "none")])
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _Refused(413, [_error("request_too_large", locale, limit=MAX_BODY_BYTES)])
        chunks.append(chunk)
    try:
        data = json.loads(b"".join(chunks).decode("utf-8"), object_pairs_hook=no_duplicate_keys)
    except RecursionError:
        raise _Refused(400, [_error("request_json", locale, detail="nested too deeply")]
                       ) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise _Refused(400, [_error("request_json", locale, detail=str(exc)[:200])]) from None
    if not _depth_ok(data):
        raise _Refused(400, [_error("request_json", locale,
                                    detail=f"nested deeper than {MAX_DEPTH} levels")])
    if not isinstance(data, dict):
        raise _Refused(422, [_error("request_shape", locale, field="body",
                                    detail="must be a JSON object",
                                    expected="an object with 'activities'")])
    return data


def _envelope(data: dict[str, Any], locale: str, *, offset: bool
              ) -> tuple[list[Any], dict[str, Any], Any]:
    """``activities``, ``options`` and ``offset`` of a request, each checked (422)."""
    problems = []

    def bad(field: str, detail: str, expected: str) -> None:
        problems.append(_error("request_shape", locale, field=field, detail=detail,
                               expected=expected))

    allowed = _ENVELOPE if offset else _ENVELOPE - {"offset"}
    for key in data:
        if key not in allowed:
            bad(str(key)[:60], "unknown field", "one of " + ", ".join(sorted(allowed)))
    acts = data.get("activities")
    if not isinstance(acts, list) or not acts:
        bad("activities", "must be a non-empty list", "a list of activities")
    elif len(acts) > _MAX_ACTIVITIES:
        bad("activities", f"{len(acts)} activities", f"at most {_MAX_ACTIVITIES}")
    opts = data.get("options", {})
    if not isinstance(opts, dict):
        bad("options", "must be an object", "an object")
        opts = {}
    for key, value in opts.items():
        if key not in _OPTIONS:
            bad(f"options.{str(key)[:60]}", "unknown option", ", ".join(sorted(_OPTIONS)))
        elif key == "method" and value is not None and not isinstance(value, dict) and not (
                isinstance(value, str) and value in PROFILES):
            bad("options.method", f"unknown method {str(value)[:60]!r}",
                "one of " + ", ".join(PROFILES) + ", or settings {\"profile\": ..., ...}")
        elif key == "tables" and value is not None and not (
                isinstance(value, list) and value and len(value) <= 50
                and all(isinstance(t, str) for t in value)):
            bad("options.tables", "must be a list of table ids", "a list of 1 to 50 ids")
        elif key == "on" and value is not None:
            try:
                opts = {**opts, "on": date.fromisoformat(str(value))}
            except ValueError:
                bad("options.on", f"not a date: {str(value)[:40]!r}", "YYYY-MM-DD")
        elif key == "gwp" and value not in (None, "AR4", "AR5", "AR6"):
            bad("options.gwp", f"unknown GWP set {str(value)[:20]!r}", "AR4, AR5 or AR6")
        elif key == "errors" and value not in ("raise", "collect"):
            bad("options.errors", f"{str(value)[:20]!r}", "raise or collect")
        elif key == "compact" and not isinstance(value, bool):
            bad("options.compact", "must be true or false", "true or false")
        elif key == "form" and value not in ("full", "normalized"):
            bad("options.form", f"{str(value)[:20]!r}", "full or normalized")
        elif key == "locale" and value not in (None, "en", "zh-CN", "zh"):
            bad("options.locale", f"{str(value)[:20]!r}", "en or zh-CN")
    policy = data.get("offset")
    if policy is not None and not isinstance(policy, dict):
        bad("offset", "must be an object", "an offset policy object")
    if problems:
        raise _Refused(422, problems)
    return acts, opts, policy  # type: ignore[return-value]


async def _read(request: Request, *, offset: bool
                ) -> tuple[str, list[Any], dict[str, Any], Any]:
    """The locale, activities, options and offset policy of a POST, each checked."""
    loc = _locale(request)
    data = await _body(request, loc)
    options = data.get("options")
    loc = _locale(request, options if isinstance(options, dict) else None)
    acts, opts, policy = _envelope(data, loc, offset=offset)
    return loc, acts, opts, policy


def _decimal(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _compact(fp: Any, locale: str) -> dict[str, Any]:
    """Totals and per-line essentials; each factor's provenance once, keyed by
    ``table/factor_id``."""
    factors: dict[str, Any] = {}
    lines = []
    for ln in fp.lines:
        if ln.status == "error":
            lines.append(_error_line(ln, locale))
            continue
        f = ln.factor
        key = f"{f.table}/{f.factor_id}"
        if key not in factors:
            factors[key] = {"value": f.value, "unit": f.unit, "table": f.table,
                            "edition": f.edition, "gwp": f.gwp, "source_ref": f.source_ref}
        line = {"index": ln.index, "type": ln.type, "category": ln.category,
                "tco2e": ln.tco2e, "factor": key,
                "notices": [n.code for n in ln.notices]}
        if ln.label is not None:
            line["label"] = ln.label
        lines.append(line)
    o = fp.offset
    return {
        "total_tco2e": str(fp.total_tco2e),
        "by_category": {k: str(v) for k, v in fp.by_category.items()},
        "offset": {"credits": str(o.credits), "required_tco2e": str(o.required_tco2e),
                   "covers_tco2e": str(o.covers_tco2e), "cost": _decimal(o.cost),
                   "currency": o.currency},
        "rejected": fp.rejected,
        "lines": lines,
        "factors": factors,
        "tables": [t.id for t in fp.tables],
        "method": {"name": fp.method.name, "version": fp.method.version},
        "library_version": fp.library_version,
    }


def _error_line(line: Any, locale: str) -> dict[str, Any]:
    out: dict[str, Any] = line.model_dump(mode="json")
    if locale != "en":
        err = ActivityError.from_dict(out)
        out["message"] = err.message_in(locale)
        out["expected"] = err.render_expected(locale)
    return out


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                    status_code=status, media_type="application/json")


def _page() -> str:
    return files("carbon_footprint.web").joinpath("static", "index.html").read_text("utf-8")


def _warm_up() -> None:
    """Compute a guest, validate it and build every schema once, so the first request is as
    fast as the rest (tables parsed, plans compiled, airports loaded)."""
    calculate(_WARM_UP)
    validate(_WARM_UP)
    validate([{"type": "flight", "origin": "EPK", "destination": "TFU"}], locale="zh-CN")
    for loc in ("en", "zh-CN"):
        labels(loc)
        for dialect in ("2020-12", "draft-07"):
            _schema("activity", dialect, loc, None)


async def _self_request(app: Any, target: str) -> None:
    """One request to ``app`` in process (no socket), as a client would send it."""
    path, _, query = target.partition("?")
    body = json.dumps({"activities": _WARM_UP}).encode()
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": path, "raw_path": path.encode(),
             "query_string": query.encode(), "root_path": "", "client": ("127.0.0.1", 0),
             "server": ("127.0.0.1", 0),
             "headers": [(b"content-type", b"application/json"),
                         (b"content-length", str(len(body)).encode())]}
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        return None

    await app(scope, receive, send)


_SCHEMAS: dict[tuple[str, str, str, str | None, str], dict[str, Any]] = {}


def _schema(kind: str, dialect: str, locale: str, atype: str | None, form: str = "full"
            ) -> dict[str, Any]:
    key = (kind, dialect, locale, atype, form)
    hit: dict[str, Any] | None = _SCHEMAS.get(key)
    if hit is None:
        if kind == "request":
            hit = request_schema(dialect, locale)  # type: ignore[arg-type]
        elif kind == "response":
            hit = response_schema(dialect, form)  # type: ignore[arg-type]
        else:
            hit = activity_schema(dialect, locale, type=atype)  # type: ignore[arg-type]
        if len(_SCHEMAS) < 500:
            _SCHEMAS[key] = hit
    return hit


def create_app(warm_up: bool = True) -> FastAPI:
    """The ASGI application (``warm_up``: compute a guest before serving)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm_up:
            started = time.perf_counter()
            await run_in_threadpool(_warm_up)
            for path in ("/v1/calculate", "/v1/calculate?compact=1", "/v1/validate"):
                await _self_request(app, path)  # routing, parsing, serializing: once
            app.state.warm_up_seconds = time.perf_counter() - started
        yield

    app = FastAPI(title="carbon_footprint", version=__version__, lifespan=lifespan,
                  description="Activities to tCO2e and carbon credits. Every refused request "
                  "is a 4xx with {\"errors\": [...]} in the library's error shape.")

    @app.exception_handler(_Refused)
    async def refused(request: Request, exc: _Refused) -> Response:
        return _json({"errors": exc.errors}, exc.status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        loc = _locale(request)
        if exc.status_code == 404:
            err = _error("request_not_found", loc, method=request.method,
                         path=request.url.path[:100], endpoints=_ENDPOINTS)
        else:
            err = _error("request_shape", loc, field="request", detail=str(exc.detail)[:200],
                         expected=_ENDPOINTS)
        return _json({"errors": [err]}, exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def query_error(request: Request, exc: RequestValidationError) -> Response:
        loc = _locale(request)
        errs = [_error("request_shape", loc, field=".".join(str(p) for p in e["loc"])[:100],
                       detail=str(e.get("msg", ""))[:200], expected="")
                for e in exc.errors()[:20]]
        return _json({"errors": errs}, 422)

    @app.exception_handler(CarbonFootprintError)
    async def library_error(request: Request, exc: CarbonFootprintError) -> Response:
        return _json({"errors": [exc.to_dict(_locale(request))]}, 422)

    @app.post("/v1/calculate", summary="Calculate a footprint",
              description="Body: {activities, offset?, options?} (see GET /v1/schema?kind="
              "request). Invalid activities: 422 with every error, unless options.errors is "
              "'collect' (error lines in the result). ?compact=1 or options.compact: totals "
              "and per-line essentials, each factor's provenance once. ?form=normalized or "
              "options.form: the full result in the normalized form, each source of lines "
              "once (GET /v1/schema?kind=response&form=normalized).")
    async def calculate_endpoint(request: Request, compact: bool = False,
                                 form: str = "full") -> Response:
        loc, acts, opts, policy = await _read(request, offset=True)
        kwargs = {k: opts.get(k) for k in ("method", "tables", "on", "gwp")}
        collect = opts.get("errors", "raise") == "collect"

        def work() -> Any:
            fp = calculate(acts, offset=policy, errors="collect", **kwargs)
            if fp.rejected and not collect:  # then every error of every activity
                raise _Refused(422, validate(acts, locale=loc, **kwargs))
            return fp

        if form not in ("full", "normalized"):
            raise _Refused(422, [_error("request_shape", loc, field="form", detail=form[:40],
                                        expected="full or normalized")])
        fp = await run_in_threadpool(work)
        if compact or opts.get("compact"):
            return _json(_compact(fp, loc))
        normalized = form == "normalized" or opts.get("form") == "normalized"
        if loc == "en" or not fp.rejected:
            return Response(fp.normalized_json() if normalized else fp.model_dump_json(),
                            media_type="application/json")
        out = json.loads(fp.normalized_json() if normalized else fp.model_dump_json())
        if loc != "en":
            out["lines"] = [_error_line(ln, loc) if ln.status == "error" else raw
                            for ln, raw in zip(fp.lines, out["lines"], strict=True)]
        return _json(out)

    @app.post("/v1/validate", summary="Validate without computing",
              description="Body: {activities, options?}. 200 with {valid, errors}: every "
              "error of every activity, with code, params, pointer, message, suggestions.")
    async def validate_endpoint(request: Request) -> Response:
        loc, acts, opts, _ = await _read(request, offset=False)
        kwargs = {k: opts.get(k) for k in ("method", "tables", "on", "gwp")}
        errors = await run_in_threadpool(lambda: validate(acts, locale=loc, **kwargs))
        return _json({"valid": not errors, "errors": errors})

    @app.get("/v1/schema", summary="JSON Schema for forms and validators")
    async def schema_endpoint(request: Request, kind: str = "activity",
                              dialect: str = "2020-12", locale: str | None = None,
                              type: str | None = None, form: str = "full") -> Response:
        loc = _locale(request, {"locale": locale})
        problems = []
        if kind not in ("activity", "request", "response"):
            problems.append(_error("request_shape", loc, field="kind", detail=kind[:40],
                                   expected="activity, request or response"))
        if dialect not in ("2020-12", "draft-07"):
            problems.append(_error("request_shape", loc, field="dialect",
                                   detail=dialect[:40], expected="2020-12 or draft-07"))
        if form not in ("full", "normalized"):
            problems.append(_error("request_shape", loc, field="form", detail=form[:40],
                                   expected="full or normalized"))
        if problems:
            raise _Refused(422, problems)
        return _json(_schema(kind, dialect, loc, type, form))

    @app.get("/v1/labels", summary="Labels for types, fields, choices, units, regions")
    async def labels_endpoint(request: Request, locale: str | None = None) -> Response:
        return _json(labels(_locale(request, {"locale": locale})))

    @app.get("/v1/tables", summary="The bundled factor tables")
    async def tables_endpoint() -> Response:
        return _json(list_tables())

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def page() -> HTMLResponse:
        return HTMLResponse(_page())

    return app


def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the service with uvicorn until interrupted."""
    import uvicorn

    uvicorn.run(create_app(), host=host, port=port, log_level="warning",
                h11_max_incomplete_event_size=64 * 1024, timeout_keep_alive=5)
