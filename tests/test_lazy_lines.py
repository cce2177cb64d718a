"""A footprint's lines are built on first read: everything that reads them sees the tuple."""

from __future__ import annotations

import copy
import gc
import json
import pickle
import threading
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

import carbon_footprint as cf
from carbon_footprint.results import Rows

ACTS: list[Any] = [
    {"type": "flight", "origin": "PEK", "destination": "CTU", "label": "Li"},
    {"type": "hotel", "nights": 2, "country": "CN"},
    {"type": "rail"},  # an error (no distance)
    {"type": "meal", "diet": "vegan", "count": 3, "label": "lunch"},
]


def _fresh() -> cf.Footprint:
    return cf.calculate(ACTS, errors="collect", method={"upstream": True})


def _pydantic(fp: cf.Footprint) -> str:
    return fp.__pydantic_serializer__.to_json(fp).decode()


def test_calculate_builds_no_line_until_read() -> None:
    gc.collect()
    before = sum(isinstance(o, cf.LineItem) for o in gc.get_objects())
    fp = cf.calculate([{"type": "rail", "distance": f"{i} km"} for i in range(1, 200)])
    assert type(fp.__dict__["lines"]) is Rows
    assert fp.total_tco2e > 0 and fp.offset.credits >= 1
    assert sum(isinstance(o, cf.LineItem) for o in gc.get_objects()) == before
    lines = fp.lines
    assert type(lines) is tuple and len(lines) == 199 and lines is fp.lines
    assert type(fp.__dict__["lines"]) is tuple


def test_built_lines_are_the_engines() -> None:
    fp = _fresh()
    lines = fp.lines
    assert [ln.index for ln in lines] == [0, 1, 2, 3]
    assert isinstance(lines[2], cf.ErrorLine) and lines[2].field == "distance"
    assert lines[0].label == "Li" and lines[1].label is None and lines[3].label == "lunch"
    for ln in (lines[0], lines[1], lines[3]):
        assert ln.tco2e == ln.quantity * (ln.factor.value / 1000 if ln.factor.unit.startswith(
            "kg") else ln.factor.value) or ln.scope == "direct+upstream"
        # the same line as evaluating the input alone
        alone = cf.calculate([ACTS[ln.index]], method={"upstream": True}).lines[0]
        assert alone.model_dump(exclude={"index"}) == ln.model_dump(exclude={"index"})
    assert lines[0].upstream_tco2e is not None and lines[0].scope == "direct+upstream"


def test_pydantic_paths_see_the_tuple() -> None:
    built = _fresh()
    built.lines  # noqa: B018
    for read in (
        lambda fp: fp == built and built == fp,
        lambda fp: repr(fp) == repr(built),
        lambda fp: pickle.loads(pickle.dumps(fp)) == built,
        lambda fp: copy.deepcopy(fp) == built,
        lambda fp: copy.copy(fp) == built,
        lambda fp: fp.model_copy(update={"rejected": 1}).lines == built.lines,
        lambda fp: fp.model_dump() == built.model_dump(),
        lambda fp: _pydantic(fp) == _pydantic(built) == fp.model_dump_json(),
        lambda fp: fp.model_dump_json(exclude={"lines": {"__all__": {"factor"}}})
        == built.model_dump_json(exclude={"lines": {"__all__": {"factor"}}}),
        lambda fp: dict(fp)["lines"] == built.lines,
        lambda fp: len(fp.summary()) > 0 and fp.errors == built.errors,
    ):
        fp = _fresh()
        assert type(fp.__dict__["lines"]) is Rows
        assert read(fp)
    restored = pickle.loads(pickle.dumps(_fresh()))
    assert type(restored.__dict__["lines"]) is tuple


def test_nested_in_a_callers_model() -> None:
    class Response(BaseModel):
        guest: str
        footprint: cf.Footprint

    r = Response(guest="li", footprint=_fresh())
    data = json.loads(r.model_dump_json())
    assert [ln["index"] for ln in data["footprint"]["lines"]] == [0, 1, 2, 3]
    assert data["footprint"]["lines"][2]["status"] == "error"


def test_json_the_same_before_and_after_building() -> None:
    fp = cf.calculate(ACTS[:2] + ACTS[3:], offset={"price_per_credit": "42.5",
                                                    "currency": "CNY", "buffer": "0.1"})
    before = fp.model_dump_json()
    fp.lines  # noqa: B018
    assert fp.model_dump_json() == before == _pydantic(fp)


def test_threads_build_one_tuple() -> None:
    fp = cf.calculate([{"type": "bus", "distance": f"{i} km"} for i in range(1, 3000)])
    seen: list[Any] = []
    barrier = threading.Barrier(8)

    def read() -> None:
        barrier.wait()
        seen.append(fp.lines)

    threads = [threading.Thread(target=read) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 8 and all(s is seen[0] for s in seen)


def test_review_findings() -> None:
    # a zero upstream part is not an upstream scope (as when every line was built)
    fp = cf.calculate([{"type": "rail", "distance": "0 km"}], method={"upstream": True})
    assert dict(fp.by_scope) == {"direct": cf.calculate(
        [{"type": "rail", "distance": "0 km"}], method={"upstream": True}).total_tco2e}

    # a subclass keeps `lines` required
    class Sub(cf.Footprint):
        pass

    data = cf.calculate([{"type": "rail", "distance": "10 km"}]).model_dump()
    del data["lines"]
    with pytest.raises(ValidationError):
        Sub.model_validate(data)
    assert "lines" in Sub.model_json_schema()["required"]

    # an offset policy of a subclass: the fast writers give pydantic's bytes
    class Policy(cf.OffsetPolicy):
        project: str = "wind"

    fp = cf.calculate([{"type": "rail", "distance": "100 km"}], offset=Policy())
    assert fp.model_dump_json() == _pydantic(fp) and "wind" not in fp.model_dump_json()
    assert json.loads(fp.normalized_json())["offset"] == json.loads(_pydantic(fp))["offset"]

    # iteration and shallow copies see the tuple
    fp = _fresh()
    assert type(dict(fp)["lines"]) is tuple
    assert type(copy.copy(_fresh()).__dict__["lines"]) is tuple

    # model_construct without lines: no attribute, as before
    bare = cf.Footprint.model_construct(rejected=0)
    assert getattr(bare, "lines", None) is None and not hasattr(bare, "lines")
    with pytest.raises(AttributeError):
        cf.Footprint.lines  # noqa: B018 (on the class, as for any pydantic field)


def test_a_callers_decimal_context_changes_nothing() -> None:
    import decimal

    acts = [{"type": "rail", "distance": "9876.54321 km", "service": "national"},
            {"type": "hotel", "nights": 3, "country": "CN"}]
    want = cf.calculate(acts, offset={"price_per_credit": "42.97", "currency": "CNY",
                                      "buffer": "0.1"}).model_dump_json()
    for prec in (1, 5, 10):
        with decimal.localcontext() as ctx:
            ctx.prec = prec
            ctx.rounding = decimal.ROUND_DOWN
            got = cf.calculate(acts, offset={"price_per_credit": "42.97", "currency": "CNY",
                                             "buffer": "0.1"}).model_dump_json()
        assert got == want


def test_normalized_bytes_do_not_depend_on_the_policy_class() -> None:
    class Policy(cf.OffsetPolicy):
        project: str = "wind"

    acts = [{"type": "rail", "distance": "100.123 km"}, {"type": "bus", "distance": "3 km"}]
    sub = cf.calculate(acts, offset=Policy()).normalized_json()
    assert sub == cf.calculate(acts, offset=cf.OffsetPolicy()).normalized_json()
