"""A ready HTTP service over the library (the ``[web]`` extra: FastAPI and uvicorn).

``carbon-footprint serve [--host 127.0.0.1] [--port 8000]`` starts it; :func:`create_app`
returns the ASGI application to mount elsewhere. Endpoints::

    POST /v1/calculate   activities + offset + options -> the footprint (?compact=1: slim)
    POST /v1/validate    activities + options -> every error of every activity
    GET  /v1/schema      ?kind=activity|request|response &dialect=2020-12|draft-07
                         &locale=zh-CN &type=hotel
    GET  /v1/labels      ?locale=zh-CN: the label catalogue a frontend shows
    GET  /v1/tables      the bundled factor tables
    GET  /docs, /openapi.json   the OpenAPI description
    GET  /               the reference QR calculator page

Every refused request is a 4xx whose body is ``{"errors": [...]}`` in the library's one error
shape (``code``, ``params``, ``message``, and for activities ``index``, ``field``,
``pointer``, ``expected``, ``suggestions``); messages follow ``options.locale``, else the
``Accept-Language`` header. This package uses the library's public API only, and is imported
only by ``serve`` (the core install does not need the extra).
"""

from __future__ import annotations

from ._app import MAX_BODY_BYTES, create_app, serve

__all__ = ["MAX_BODY_BYTES", "create_app", "serve"]
