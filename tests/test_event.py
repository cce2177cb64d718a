"""Event footprints: the worked Chengdu conference, exact breakdowns, boundary, claims, plan vs
actual, errors placed inside the event, the frame path and the command line.

Worked example (issue 12): 50 non-local guests PEK-TFU economy return, 2 hotel nights, 6
meals; 150 local guests 44 km metro, 2 meals; venue 12,000 kWh on CN-SC, 2,000 kWh natural gas
(gross CV), 0.5 t commercial waste to landfill. Under uk-reporting, by hand from the factors:
flight 3,094.32 km x 0.13465 = 416.6507 kg each; hotel 2 x 53.5 kg; meal 1.87667 kg; metro
0.0278 kg/pkm; Sichuan grid 0.1564 kg CO2/kWh; natural gas 0.1829 kg/kWh; landfill 520.3342 kg/t.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

import carbon_footprint as cf
from carbon_footprint.event import (
    MEE_CATEGORIES,
    MEE_RULES,
    SIX,
    EventError,
    calculate_event,
    calculate_event_frame,
    compare,
)

from .conftest import REPO

EXAMPLE = REPO / "examples" / "chengdu-conference-event.yaml"


def example(**changes: Any) -> dict[str, Any]:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data.update(changes)
    return data


def test_worked_example_uk_reporting() -> None:
    ev = calculate_event(example(), method="uk-reporting")
    assert ev.total_tco2e == Decimal("29.994780")
    assert dict(ev.by_mee) == {
        "fossil_fuel": Decimal("0.365800"), "purchased_energy": Decimal("1.876800"),
        "transport": Decimal("21.016013"), "lodging_catering": Decimal("6.476000"),
        "supplies": Decimal("0.000000"), "waste": Decimal("0.260167")}
    assert ev.attendees == 200 and ev.per_capita_tco2e == Decimal("0.149974")
    assert ev.venue_tco2e == Decimal("2.502767")
    assert ev.venue_per_attendee_tco2e == Decimal("0.012514")
    rest = ev.remainder([{"group": "non_local", "people": 50}])
    assert rest.remaining_tco2e == Decimal("3.249247")
    assert rest.claimed_tco2e + rest.remaining_tco2e == ev.total_tco2e
    assert sum(rest.remaining_by_mee.values()) == rest.remaining_tco2e
    power = next(b for b in ev.by_basis if b == "CO2 only")
    assert ev.by_basis[power] == Decimal("1.876800")  # flagged: the grid factor is CO2 only


def test_worked_example_china_profile() -> None:
    ev = calculate_event(example())  # the file names china-large-event
    assert ev.method.name == "china-large-event"
    assert ev.total_tco2e == Decimal("25.862311")
    assert ev.by_mee["transport"] == Decimal("16.883544")  # no RF, distance bands
    assert ev.per_capita_tco2e == Decimal("0.129312")
    assert ev.remainder([{"group": "non_local", "people": 50}]).remaining_tco2e == \
        Decimal("3.249247")


def test_breakdowns_add_up_exactly() -> None:
    ev = calculate_event(example(), method="uk-reporting")
    for part in (ev.by_mee, ev.by_group, ev.by_phase, ev.by_category, ev.by_basis):
        assert sum(part.values()) == ev.total_tco2e
    assert list(ev.by_group) == ["non_local", "local", "venue"]
    assert dict(ev.by_phase) == {"running": Decimal("29.734613"),
                                 "closing": Decimal("0.260167")}
    assert [ln.people for ln in ev.lines] == [50, 50, 50, 150, 150, 1, 1, 1]


def test_boundary_states_every_source() -> None:
    ev = calculate_event(example(), method="uk-reporting")
    status = {b.source: (b.status, b.reason) for b in ev.boundary}
    assert set(status) == set(SIX)
    assert status["supplies"][0] == "excluded" and "badges" in status["supplies"][1]
    bare = calculate_event(example(boundary={}), method="uk-reporting")
    st = {b.source: b.status for b in bare.boundary}
    assert st["supplies"] == "not_answered"
    with pytest.raises(EventError, match="declared excluded"):
        calculate_event(example(boundary={"waste": {"included": False, "reason": "no"}}))


def test_mee_rules_cover_every_activity_type() -> None:
    assert set(MEE_RULES["types"]) == set(cf.activity_types())
    assert set(MEE_RULES["types"].values()) <= set(MEE_CATEGORIES)
    venue_car = calculate_event({"name": "x", "venue": [
        {"type": "car", "distance": "100 km"}, {"type": "water", "volume": "10 m^3",
                                                 "service": "treatment"},
        {"type": "refrigerant", "gas": "r410a", "mass": "1 kg"}]})
    assert [ln.mee_category for ln in venue_car.lines] == ["fossil_fuel", "waste", "other"]
    assert "other" in venue_car.by_mee
    assert any(b.source == "other" for b in venue_car.boundary)


def test_claims_cannot_count_a_line_twice() -> None:
    ev = calculate_event(example(), method="uk-reporting")
    with pytest.raises(EventError, match="cannot be claimed twice"):
        ev.remainder([{"group": "non_local", "people": 50},
                      {"line": "/groups/0/per_person/0", "people": 1}])
    with pytest.raises(EventError, match="covers 50"):
        ev.remainder([{"group": "non_local", "people": 51}])
    with pytest.raises(EventError, match="no line"):
        ev.remainder([{"line": "/groups/9/per_person/0"}])
    with pytest.raises(EventError):
        ev.remainder([{"line": "venue-gas"}, {"line": "venue-gas"}])
    one = ev.remainder([{"line": "venue-gas"}, {"line": "/groups/0/per_person/0", "people": 3}])
    assert one.claimed_tco2e == Decimal("1.615752")  # 0.3658 + 3 x 0.4166507
    assert dict(one.claimed) == {"venue-gas": 1, "/groups/0/per_person/0": 3}


def test_plan_vs_actual() -> None:
    plan = calculate_event(example(), method="uk-reporting")
    data = example()
    data["groups"][0]["size"] = 40
    actual = calculate_event(data, method="uk-reporting")
    cmp = compare(plan, actual)
    assert cmp.total.plan_tco2e == plan.total_tco2e
    assert cmp.total.change_tco2e == actual.total_tco2e - plan.total_tco2e
    rows = {r.key: r for r in cmp.by_group}
    assert rows["local"].change_tco2e == 0 and rows["non_local"].change_percent == \
        pytest.approx(-20.0, abs=1e-4)
    assert "Plan vs actual" in cmp.summary()


def test_errors_are_placed_inside_the_event() -> None:
    bad = example()
    bad["groups"][1]["per_person"][0]["distance"] = "44 kg"
    with pytest.raises(cf.QuantityError) as exc:
        calculate_event(bad)
    assert exc.value.pointer == "/groups/1/per_person/0/distance"
    assert "activity /groups/1/per_person/0" in str(exc.value)
    ev = calculate_event(bad, errors="collect")
    assert ev.rejected == 1 and ev.errors[0].line.pointer == "/groups/1/per_person/0/distance"
    assert sum(ev.by_mee.values()) == ev.total_tco2e
    for broken, match in [({"name": "x", "groups": [{"id": "a", "size": 0}]}, "size"),
                          ({"name": "x", "venue": [{"type": "rail", "distance": "1 km",
                                                    "phase": "later"}]}, "phase"),
                          ({"name": "x", "boundary": {"food": {"included": True,
                                                               "reason": "r"}}}, "MEE")]:
        with pytest.raises(EventError, match=match):
            calculate_event(broken)


def test_location_fills_venue_region_and_hotel_country() -> None:
    ev = calculate_event({"name": "x", "location": "CN-SC", "venue": [
        {"type": "electricity", "energy": "1000 kWh"}],
        "groups": [{"id": "g", "size": 2, "per_person": [{"type": "hotel", "nights": 1}]}]})
    hotel, power = (ln.line for ln in ev.lines)  # groups first, then the venue
    assert power.factor.factor_id == "electricity.cn-sc"
    assert hotel.factor.factor_id == "hotel.cn"
    assert any("location" in n for n in ev.notes)


def _attendee_frame(n_non: int, n_loc: int) -> Any:
    pd = pytest.importorskip("pandas")
    rows: list[dict[str, Any]] = []
    for i in range(n_non):
        rows += [dict(attendee=f"n{i}", group="non_local", phase="running", type="flight",
                      origin="PEK", destination="TFU", cabin="economy", round_trip=True),
                 dict(attendee=f"n{i}", group="non_local", phase="running", type="hotel",
                      nights=2),
                 dict(attendee=f"n{i}", group="non_local", phase="running", type="meal",
                      diet="average", count=6)]
    for i in range(n_loc):
        rows += [dict(attendee=f"l{i}", group="local", phase="running", type="metro",
                      distance="44 km"),
                 dict(attendee=f"l{i}", group="local", phase="running", type="meal",
                      diet="average", count=2)]
    return pd.DataFrame(rows)


def test_frame_event_equals_the_group_event() -> None:
    venue = {k: v for k, v in example().items() if k != "groups"}
    for method in ("uk-reporting", None):
        big = calculate_event_frame(_attendee_frame(50, 150), venue, method=method)
        small = calculate_event(example(), method=method)
        assert big.total_tco2e == small.total_tco2e and big.attendees == 200
        for part in ("by_mee", "by_phase", "by_basis", "by_category"):
            assert dict(getattr(big, part)) == dict(getattr(small, part)), part
        assert dict(big.by_group) == dict(small.by_group)
    claimed = big.remainder([{"attendee": f"n{i}"} for i in range(50)])
    assert claimed.remaining_tco2e == Decimal("3.249247")
    with pytest.raises(EventError, match="twice"):
        big.remainder([{"attendee": "n1"}, {"attendee": "n1"}])
    with pytest.raises(EventError, match="no attendee"):
        big.remainder([{"attendee": "x"}])


def test_frame_event_keeps_bad_rows() -> None:
    df = _attendee_frame(2, 2)
    df.loc[1, "country"] = "ZZ"
    ev = calculate_event_frame(df, {"name": "x"})
    assert ev.rejected == 1 and ev.attendees == 4
    assert ev.frame["error_code"].notna().sum() == 1
    for column, value, match in [("phase", "bogus", "unknown phase"),
                                 ("group", "venue", "group id"), ("group", None, "group id"),
                                 ("attendee", None, "attendee")]:
        bad = _attendee_frame(2, 2)
        bad.loc[2, column] = value
        with pytest.raises(EventError, match=match):
            calculate_event_frame(bad, {"name": "x"})


def test_claims_are_checked_and_exact() -> None:
    ev = calculate_event({"name": "x", "venue": [
        {"type": "waste", "material": "paper", "treatment": "combustion", "mass": "0.1 kg",
         "id": "w"}, {"type": "water", "volume": "0.001 m^3", "id": "a"},
        {"type": "water", "volume": "0.001 m^3", "service": "treatment", "id": "b"}]})
    rest = ev.remainder([{"line": "w"}])
    assert all(v >= 0 for v in rest.remaining_by_mee.values())
    assert sum(rest.remaining_by_mee.values()) == rest.remaining_tco2e
    for claim in ({"line": ["x"]}, {"group": {"a": 1}, "people": 1}):
        with pytest.raises(EventError):
            ev.remainder([claim])
    bad = example()
    bad["groups"][0]["per_person"][0]["origin"] = "EPK"  # the flight is an error line
    partial = calculate_event(bad, errors="collect", method="uk-reporting")
    rest = partial.remainder([{"group": "non_local", "people": 50}])  # hotel and meals only
    assert rest.claimed_tco2e == Decimal("5.913000")  # 50 x (107 kg + 6 x 1.87667 kg)


def test_pointers_of_entries_with_ids() -> None:
    bad = example()
    bad["venue"][1]["amount"] = "2000 km"  # venue-gas
    with pytest.raises(cf.QuantityError) as exc:
        calculate_event(bad)
    assert exc.value.pointer == "/venue/1/amount"


def test_cli_event(tmp_path: Path) -> None:
    from carbon_footprint.cli import main

    claims = example(claims=[{"group": "non_local", "people": 50}], method="uk-reporting")
    path = tmp_path / "event.json"
    path.write_text(json.dumps(claims), encoding="utf-8")
    out = tmp_path / "out.html"
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["event", str(path), "--json", "--html", str(out)]) == 0
    data = json.loads(buf.getvalue())
    assert data["event"]["total_tco2e"] == "29.994780"
    assert data["organizer_remainder"]["remaining_tco2e"] == "3.249247"
    assert "Transport" in out.read_text(encoding="utf-8")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["event", str(EXAMPLE), "--compare", str(EXAMPLE)]) == 0
    assert "交通排放" in buf.getvalue() and "Plan vs actual" in buf.getvalue()


def test_renderings() -> None:
    ev = calculate_event(example())
    text = ev.summary()
    assert "per attendee" in text and "not_answered" not in text
    assert "<table>" in ev._repr_html_()
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    ax = ev.plot("mee")
    assert len(ax.patches) == 6
    assert len(ev.plot("group").patches) == 3
