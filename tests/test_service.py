"""The HTTP service, started for real and called over HTTP: every endpoint, every bad input a
4xx in the library's error shape (never a 500), compact mode, Accept-Language."""

from __future__ import annotations

import contextlib
import http.client
import json
import subprocess
import sys
from typing import Any

import pytest

import carbon_footprint as cf

from ._server import call

GUEST = [{"type": "flight", "origin": "PEK", "destination": "TFU", "cabin": "economy",
          "round_trip": True},
         {"type": "hotel", "nights": 2, "country": "CN"}]


def _shape(body: Any) -> list[dict[str, Any]]:
    assert isinstance(body, dict) and isinstance(body.get("errors"), list) and body["errors"], \
        body
    for err in body["errors"]:
        assert {"error", "code", "message", "params"} <= set(err), err
    return body["errors"]  # type: ignore[no-any-return]


def test_calculate_matches_the_library(service: str) -> None:
    status, body = call(service, "/v1/calculate", {"activities": GUEST})
    assert status == 200
    assert body == json.loads(cf.calculate(GUEST).model_dump_json())


def test_compact(service: str) -> None:
    acts = [*GUEST, {"type": "hotel", "nights": 3, "country": "CN"}]
    status, body = call(service, "/v1/calculate?compact=1", {"activities": acts})
    assert status == 200 and body["total_tco2e"] == str(cf.calculate(acts).total_tco2e)
    assert body["lines"][1]["factor"] == body["lines"][2]["factor"] == "desnz-2024/hotel.cn"
    assert set(body["factors"]) == {ln["factor"] for ln in body["lines"]}  # provenance once
    assert "source_ref" not in json.dumps(body["lines"])
    _, same = call(service, "/v1/calculate", {"activities": acts, "options": {"compact": True}})
    assert same == body


def test_normalized_form(service: str) -> None:
    acts = [*GUEST, {"type": "hotel", "nights": 3, "country": "CN"}]
    status, body = call(service, "/v1/calculate?form=normalized", {"activities": acts})
    assert status == 200 and body == json.loads(cf.calculate(acts).normalized_json())
    assert [ln["source"] for ln in body["lines"]] == [0, 1, 1]
    _, same = call(service, "/v1/calculate",
                   {"activities": acts, "options": {"form": "normalized"}})
    assert same == body
    status, schema = call(service, "/v1/schema?kind=response&form=normalized")
    assert status == 200 and schema == cf.response_schema(form="normalized")
    status, err = call(service, "/v1/calculate?form=short", {"activities": acts})
    assert status == 422 and _shape(err)[0]["params"]["field"] == "form"


def test_collected_errors_with_unwritable_text_are_written(service: str) -> None:
    raw = (b'{"activities": [{"type": "bus\\ud800"}, {"type": "bus", "distance": "1 km", '
           b'"label": "\\udc00"}], "options": {"errors": "collect"}}')
    for path in ("/v1/calculate", "/v1/calculate?form=normalized"):
        status, body = call(service, path, raw=raw)
        assert status == 200 and body["rejected"] == 2, body
        assert body["lines"][0]["type"] == "bus\\ud800"


def test_invalid_activities_give_every_error(service: str) -> None:
    bad = [{"type": "flight", "origin": "EPK", "destination": "TFU"},
           {"type": "hotel", "nights": 0, "rooms": 0}]
    status, body = call(service, "/v1/calculate", {"activities": bad})
    assert status == 422
    errors = _shape(body)
    assert errors == cf.validate(bad)
    status, body = call(service, "/v1/validate", {"activities": bad})
    assert status == 200 and not body["valid"] and body["errors"] == errors
    status, body = call(service, "/v1/calculate",
                        {"activities": bad, "options": {"errors": "collect"}})
    assert status == 200 and body["rejected"] == 2


def test_accept_language(service: str) -> None:
    bad = {"activities": [{"type": "flight", "origin": "EPK", "destination": "TFU"}]}
    _, zh = call(service, "/v1/validate", bad, headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert "未知的 IATA 机场代码" in zh["errors"][0]["message"]
    _, en = call(service, "/v1/validate", bad, headers={"Accept-Language": "fr, en;q=0.5"})
    assert en["errors"][0]["message"] == cf.validate(bad["activities"])[0]["message"]
    _, opt = call(service, "/v1/validate", {**bad, "options": {"locale": "zh-CN"}})
    assert opt == zh
    status, body = call(service, "/v1/calculate",
                        {**bad, "options": {"errors": "collect", "locale": "zh-CN"}})
    assert status == 200 and "未知" in body["lines"][0]["message"]
    status, body = call(service, "/nope", headers={"Accept-Language": "zh-CN"})
    assert status == 404 and "没有此接口" in _shape(body)[0]["message"]


def test_schema_labels_tables_docs_page(service: str) -> None:
    status, body = call(service, "/v1/schema?dialect=draft-07&locale=zh-CN")
    assert status == 200 and body == cf.activity_schema("draft-07", "zh-CN")
    _, body = call(service, "/v1/schema?kind=request")
    assert body == cf.request_schema()
    _, body = call(service, "/v1/schema?kind=activity&type=hotel")
    assert body["title"] == "Hotel stay"
    _, body = call(service, "/v1/labels?locale=zh-CN")
    assert body["types"]["flight"] == "航班" and body["regions"]["CN-SC"] == "四川省"
    _, body = call(service, "/v1/tables")
    assert body == cf.list_tables()
    _, body = call(service, "/openapi.json")
    assert {"/v1/calculate", "/v1/validate", "/v1/schema", "/v1/tables"} <= set(body["paths"])
    status, body = call(service, "/v1/schema?dialect=draft-04&kind=x")
    assert status == 422 and len(_shape(body)) == 2


HOSTILE: list[tuple[str, dict[str, Any]]] = [
    ("not json", {"raw": b"{'activities': }"}),
    ("empty body", {"raw": b""}),
    ("not utf-8", {"raw": b'{"activities": ["\xff\xfe"]}'}),
    ("wrong content type", {"raw": b'{"activities": []}', "headers": {
        "Content-Type": "text/plain"}}),
    ("no content type", {"raw": b'{"activities": []}', "headers": {"Content-Type": ""}}),
    ("form post", {"raw": b"activities=1", "headers": {
        "Content-Type": "application/x-www-form-urlencoded"}}),
    ("deep nesting", {"raw": b"[" * 100_000 + b"]" * 100_000}),
    ("nesting past the limit", {"body": {"activities": [{"type": "meal", "label": json.loads(
        "[" * 40 + "]" * 40)}]}}),
    ("duplicate keys", {"raw": b'{"activities": [], "activities": []}'}),
    ("lone surrogate label", {"raw": b'{"activities": [{"type": "bus", "distance": "1 km", '
                                     b'"label": "\\ud800"}]}'}),
    ("lone surrogate type", {"raw": b'{"activities": [{"type": "bus\\ud800"}]}'}),
    ("bad form", {"body": {"activities": [{"type": "meal"}], "options": {"form": "x"}}}),
    ("a list", {"body": [{"type": "meal"}]}),
    ("a string", {"body": "meal"}),
    ("null", {"raw": b"null"}),
    ("no activities", {"body": {"offset": {}}}),
    ("empty activities", {"body": {"activities": []}}),
    ("activities not a list", {"body": {"activities": {"type": "meal"}}}),
    ("too many activities", {"body": {"activities": [{"type": "meal"}] * 10_001}}),
    ("unknown envelope field", {"body": {"activities": [{"type": "meal"}], "x": 1}}),
    ("unknown option", {"body": {"activities": [{"type": "meal"}], "options": {"x": 1}}}),
    ("bad method", {"body": {"activities": [{"type": "meal"}], "options": {"method": "x"}}}),
    ("method a list", {"body": {"activities": [{"type": "meal"}], "options": {"method": [1]}}}),
    ("method bad settings", {"body": {"activities": [{"type": "meal"}], "options": {
        "method": {"profile": ["x"], "rf": {}}}}}),
    ("bad tables", {"body": {"activities": [{"type": "meal"}], "options": {"tables": "x"}}}),
    ("unknown table", {"body": {"activities": [{"type": "meal"}],
                                "options": {"tables": ["nope-2024"]}}}),
    ("bad date", {"body": {"activities": [{"type": "meal"}], "options": {"on": "2024-13-45"}}}),
    ("bad gwp", {"body": {"activities": [{"type": "meal"}], "options": {"gwp": "AR9"}}}),
    ("bad offset", {"body": {"activities": [{"type": "meal"}], "offset": {"buffer": "-1"}}}),
    ("offset not an object", {"body": {"activities": [{"type": "meal"}], "offset": 3}}),
    ("huge number", {"raw": b'{"activities": [{"type": "meal", "count": 1' + b"0" * 5000
                            + b"}]}"}),
    ("NaN", {"raw": b'{"activities": [{"type": "rail", "distance": NaN}]}'}),
    ("huge label", {"body": {"activities": [{"type": "meal", "label": "x" * 100_000}]}}),
    ("huge key", {"body": {"activities": [{"type": "meal", "k" * 100_000: 1}]}}),
    ("bad activity", {"body": {"activities": [None, 3, "x", [], {"type": None}]}}),
]


@pytest.mark.parametrize(("name", "req"), HOSTILE, ids=[h[0] for h in HOSTILE])
@pytest.mark.parametrize("path", ["/v1/calculate", "/v1/validate"])
def test_hostile_bodies_get_a_4xx_in_the_error_shape(service: str, path: str, name: str,
                                                     req: dict[str, Any]) -> None:
    status, body = call(service, path, req.get("body"), raw=req.get("raw"),
                        headers=req.get("headers"))
    if path == "/v1/validate" and status == 200:  # per-activity problems are a report there
        assert body["valid"] is False and body["errors"], name
        return
    assert 400 <= status < 500, (name, status, body)
    _shape(body)


def _post(service: str, headers: dict[str, str], chunks: list[bytes]) -> tuple[int, Any]:
    """POST raw chunks (chunked transfer when no Content-Length is given); the server may
    answer before it has read everything, so a broken pipe while sending is not a failure."""
    host, port = service.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    try:
        conn.putrequest("POST", "/v1/validate")
        for k, v in headers.items():
            conn.putheader(k, v)
        conn.endheaders()
        chunked = "Content-Length" not in headers
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            for chunk in chunks:
                conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
            if chunked:
                conn.send(b"0\r\n\r\n")
        resp = conn.getresponse()
        return resp.status, json.loads(resp.read())
    finally:
        conn.close()


def test_oversized_bodies_get_413(service: str) -> None:
    # streamed without a length: refused once the limit is passed
    status, body = _post(service, {"Content-Type": "application/json",
                                   "Transfer-Encoding": "chunked"},
                         [b" " * 65_536] * 40)
    assert status == 413 and _shape(body)[0]["code"] == "request_too_large"
    # a Content-Length over the limit is refused before the body is read
    status, body = _post(service, {"Content-Type": "application/json",
                                   "Content-Length": str(10**10)}, [b"[" * 1000])
    assert status == 413 and _shape(body)[0]["code"] == "request_too_large"


def test_wrong_method_and_path(service: str) -> None:
    status, body = call(service, "/v1/calculate", method="GET")
    assert status == 405 and _shape(body)
    status, body = call(service, "/v2/anything", {"activities": []})
    assert status == 404 and _shape(body)


def test_core_import_does_not_load_the_web_framework() -> None:
    code = ("import sys, carbon_footprint; print([m for m in ('fastapi', 'uvicorn', 'starlette')"
            " if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
