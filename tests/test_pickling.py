"""Errors survive pickling and deep copies (multiprocessing, Dask workers), with any extra
installed -- including tblib's traceback pickling, which distributed installs."""

from __future__ import annotations

import copy
import pickle
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest

import carbon_footprint as cf

BAD: list[Any] = [
    {"type": "fligth"},
    {"distance": "1 km"},
    "not a dict",
    {"type": "rail", "distance": "-5 km"},
    {"type": "rail", "distance": "1 km^9^9^9"},
    {"type": "rail", "distance": {"value": 10**400, "unit": "km"}},
    {"type": "flight", "origin": "PEK", "destination": "EPK"},
    {"type": "flight", "origin": "PEK", "destination": "PEK"},
    {"type": "flight", "distance": "1 km", "origin": "PEK", "destination": "CTU"},
    {"type": "hotel", "nights": True},
    {"type": "hotel", "nights": 10**5000},
    {"type": "purchase", "category": "restaurant", "amount": "10 CNY", "year": 2030},
    {"type": "purchase", "category": "restaurant", "amount": "10 XYZ"},
    {"type": "electricity", "energy": "1 kWh", "region": "FR"},
    {"type": "meal", "diet": "beef", "label": "x" * 5000},
]


def _raised(act: Any) -> cf.CarbonFootprintError:
    with pytest.raises(cf.CarbonFootprintError) as info:
        cf.calculate([act])
    return info.value


@pytest.fixture(params=[False, True], ids=["plain", "tblib"])
def pickling(request: pytest.FixtureRequest) -> None:
    if request.param:
        tblib = pytest.importorskip("tblib.pickling_support")
        tblib.install()


@pytest.mark.parametrize("act", BAD, ids=range(len(BAD)))
def test_activity_errors_pickle_and_copy(act: Any, pickling: None) -> None:
    err = _raised(act)
    assert err.__context__ is None or not isinstance(err.__context__, cf.CarbonFootprintError)
    for clone in (pickle.loads(pickle.dumps(err)), copy.deepcopy(err), copy.copy(err)):
        assert type(clone) is type(err)
        assert clone.to_dict() == err.to_dict() and str(clone) == str(err)


def test_other_errors_pickle() -> None:
    errs: list[cf.CarbonFootprintError] = []
    for call in (lambda: cf.calculate([], tables="desnz-2042"),
                 lambda: cf.calculate([], offset={"buffer": -1}),
                 lambda: cf.calculate(5),  # type: ignore[arg-type]
                 lambda: cf.load_table("/nonexistent.yaml")):
        with pytest.raises(cf.CarbonFootprintError) as info:
            call()
        errs.append(info.value)
    for err in errs:
        clone = pickle.loads(pickle.dumps(err))
        assert type(clone) is type(err) and str(clone) == str(err)
        assert clone.to_dict() == err.to_dict()


def _work(act: Any) -> str:
    return cf.calculate([act]).model_dump_json()


def test_process_pool_gets_the_error_back() -> None:
    """An error in a worker comes back as itself: no BrokenProcessPool, no input lost."""
    acts = [{"type": "meal"}, {"type": "fligth"}, {"type": "hotel", "nights": 2}]
    with ProcessPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(_work, a) for a in acts]
        results = []
        for f in futures:
            try:
                results.append(f.result(timeout=120))
            except cf.CarbonFootprintError as exc:
                results.append(exc)
    assert isinstance(results[1], cf.UnknownCodeError) and results[1].index == 0
    assert isinstance(results[0], str) and isinstance(results[2], str)
