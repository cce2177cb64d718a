"""Hostile input (a public QR form, a colleague's table, a command line): nothing stalls, crashes
or fools the library. One test group per class of the audit; the costs are measured by
``benchmarks/bench_hostile.py`` (not asserted here: timed tests are flaky on shared machines)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import carbon_footprint as cf
from carbon_footprint._cache import BoundedCache
from carbon_footprint.units import PINT_CACHE_GROWTH, Measured, get_registry

from .conftest import REPO


def one(act: Any, **kw: Any) -> Any:
    return cf.calculate([act], errors="collect", **kw).lines[0]


# 1. CPU: expressions pint would choke on are refused before pint sees them ------------------
@pytest.mark.parametrize("text", ["1 km^9^9^9", "1 km**9**9**9", "1 km^99", "1 (km*(s/s))",
                                  "1 " + "km*" * 40 + "km", "1 km^-9^9", "1 " + "k" * 300])
def test_unit_towers_and_monsters_are_refused(text: str) -> None:
    line = one({"type": "rail", "distance": text})
    assert line.status == "error" and line.code in ("unit_syntax", "quantity_unreadable")


def test_towers_in_tables_bands_and_frames(tmp_path: Path) -> None:
    table = (REPO / "tests" / "fixtures" / "tiny-2024.yaml").read_text(encoding="utf-8")
    for bad in (table.replace("unit: kg CO2e / passenger_km, source_ref: a",
                              "unit: kg^9^9^9 CO2e / passenger_km, source_ref: a"),
                table.replace("below: 1000 km}\n  - {band: far}", "below: 1 km^9^9^9}\n"
                              "  - {band: far}")):
        p = tmp_path / "t.yaml"
        p.write_text(bad, encoding="utf-8")
        with pytest.raises(cf.TableError, match=r"not a unit expression|bands"):
            cf.load_table(p)
    pd = pytest.importorskip("pandas")
    out = cf.calculate_frame(pd.DataFrame({"type": ["rail", "rail"], "distance": [1.0, 2.0],
                                           "distance_unit": ["km^9^9^9", "km"]}))
    assert out["error_code"].tolist()[0] == "unit_syntax" and out["tco2e"].notna().tolist()[1]


def test_unknown_codes_suggest_from_an_index_on_bounded_text() -> None:
    line = one({"type": "flight", "origin": "PEK", "destination": "EPK" + "X" * 10_000})
    assert line.status == "error" and len(line.message) < 1_000
    line = one({"type": "flight", "origin": "PEK", "destination": "EPK"})
    assert line.code == "iata_unknown" and line.suggestions[0] == "PEK"
    line = one({"type": "purchase", "category": "teddy bears", "amount": "1 USD"})
    assert line.code == "category_unknown" and len(line.suggestions) <= 5


@pytest.mark.parametrize("act", [
    {"type": "x" * 5_000_000},
    {"type": "flight", "distance": "1 km", "cabin": "x" * 5_000_000},
    {"type": "meal", "y" * 5_000_000: 1},
    {"type": "meal", "label": "z" * 5_000_000},
    {"type": "meal", 3: 1},
])
def test_multi_megabyte_strings_are_refused_briefly(act: dict[Any, Any]) -> None:
    line = one(act)
    assert line.status == "error" and len(line.message) < 1_000
    assert len(str(line.value)) < 1_000 and len(line.model_dump_json()) < 5_000


def test_frame_cells_are_capped_like_calculate() -> None:
    pd = pytest.importorskip("pandas")
    cell = "1" + " " * 32_000 + "km"
    out = cf.calculate_frame(pd.DataFrame({"type": ["rail"] * 3, "distance": [
        cell, "12 km", "1_000 km"]}))
    assert out["error_code"].tolist()[0] == one({"type": "rail", "distance": cell}).code
    assert out["tco2e"].tolist()[1:] == [ln.tco2e for ln in cf.calculate([
        {"type": "rail", "distance": "12 km"}, {"type": "rail", "distance": "1_000 km"}]).lines]


# 2. memory: every cache keyed by caller text is bounded --------------------------------------
def test_distinct_unit_spellings_cost_bounded_memory() -> None:
    reg = get_registry()
    names = sorted(n for n in reg._units if n.isidentifier() and len(n) < 10)[:150]
    spellings = [f"1 km*{a}/{a}*{b}/{b}" for a in names for b in names][:20_000]
    for k in range(0, len(spellings), 5_000):
        fp = cf.calculate([{"type": "rail", "distance": t} for t in spellings[k:k + 5_000]],
                          errors="collect")
        assert fp.rejected == 0
    caches = [c for c in gc.get_objects() if isinstance(c, BoundedCache)]
    assert all(len(c) <= c.maxsize for c in caches)
    baseline = 2_000  # pint's parse cache starts near empty and is reset past its bound
    assert len(reg._cache.parse_unit) <= baseline + PINT_CACHE_GROWTH


def test_failed_inputs_are_not_remembered_with_their_batch() -> None:
    """A remembered error must not keep the batch it came from alive (tracebacks hold frames)."""
    import weakref

    class Marker(dict[str, Any]):
        pass

    big = Marker(type="rail", distance="-5 km")
    ref = weakref.ref(big)
    cf.calculate([big] * 3, errors="collect")
    del big
    gc.collect()
    assert ref() is None


# 3. numbers that escape the bounds -----------------------------------------------------------
@pytest.mark.parametrize(("act", "code"), [
    ({"type": "rail", "distance": {"value": 10**400, "unit": "km"}}, "quantity_too_large"),
    ({"type": "rail", "distance": {"value": -(10**400), "unit": "km"}}, "quantity_negative"),
    ({"type": "rail", "distance": "1e400 km"}, "quantity_too_large"),
    ({"type": "hotel", "nights": 10**5000}, "out_of_range"),
    ({"type": "purchase", "category": "restaurant", "amount": "10 CNY",
      "exchange_rate": 1e-200}, "out_of_range"),
    ({"type": "purchase", "category": "restaurant", "amount": "10 CNY",
      "exchange_rate": 1e-300}, "out_of_range"),
    ({"type": "purchase", "category": "restaurant", "amount": "1e10 CNY",
      "exchange_rate": 1e-4}, "quantity_too_large"),
    ({"type": "rail", "distance": Measured(-5.0, "km", -5.0, "km")}, "quantity_negative"),
    ({"type": "rail", "distance": Measured(1.0, "km", 1e300, "km")}, "quantity_too_large"),
    ({"type": "purchase", "category": "restaurant",
      "amount": Measured(1e30, "CNY", 1e30, "CNY")}, "quantity_too_large"),
])
def test_amounts_are_bounded_after_conversion(act: dict[str, Any], code: str) -> None:
    fp = cf.calculate([act, {"type": "meal"}], errors="collect")
    assert fp.lines[0].code == code and fp.lines[1].status == "ok"  # the batch survives


def test_negative_zero_is_zero() -> None:
    line = cf.calculate([{"type": "rail", "distance": "-0 km"}]).lines[0]
    assert str(line.tco2e) == "0.0" and str(line.quantity) == "0.0"


def test_deep_and_huge_python_values_get_bounded_messages() -> None:
    deep: list[Any] = []
    node = deep
    for _ in range(5_000):
        nxt: list[Any] = []
        node.append(nxt)
        node = nxt
    for act in ({"type": "rail", "distance": deep}, {"type": "hotel", "nights": 10**5000},
                {"type": "meal", "count": deep}):
        line = one(act)
        assert line.status == "error" and len(line.message) < 600
        assert len(line.model_dump_json()) < 3_000


# 5. the command line -------------------------------------------------------------------------
def cli(args: list[str], stdin: bytes | None = None, env: dict[str, str] | None = None,
        stdout: Any = subprocess.PIPE) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "carbon_footprint", *args], input=stdin,
                          stdout=stdout, stderr=subprocess.PIPE, timeout=120,
                          env={**os.environ, **(env or {})})


ALIAS_BOMB = textwrap.dedent("""\
    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
    h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
    i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
    """).encode()


@pytest.mark.parametrize(("stdin", "code", "text"), [
    (ALIAS_BOMB, 1, b"anchors and aliases"),
    (b"- type: hotel\n  nights: 012\n  country: CN\n", 1, b"nights"),
    (b"- type: hotel\n  nights: 1:30\n  country: CN\n", 1, b"nights"),
    (b'[{"type": "meal", "type": "hotel", "nights": 2}]', 1, b"duplicate key"),
    (b"[" * 100_000 + b"]" * 100_000, 1, b"nested too deeply"),
    (b'[{"type": "hotel", "nights": ' + b"9" * 5_000 + b"}]", 1, b"invalid JSON"),
    (b"\xff\xfe\x00garbage", 1, b"not UTF-8"),
])
def test_cli_reads_input_strictly(stdin: bytes, code: int, text: bytes) -> None:
    proc = cli(["calculate", "-"], stdin=stdin)
    assert proc.returncode == code, proc.stderr
    assert text in proc.stderr and proc.stderr.count(b"\n") == 1
    assert proc.stderr.startswith(b"carbon-footprint: error:") and b"Traceback" not in proc.stderr


def test_cli_norway_stays_norway() -> None:
    proc = cli(["calculate", "-", "--json"], stdin=b"- type: hotel\n  nights: 1\n  country: NO\n")
    assert proc.returncode == 0 and b'"no hotel factor for NO' in proc.stdout


def test_cli_reads_at_most_the_limit() -> None:
    proc = cli(["calculate", "/dev/zero"])
    assert proc.returncode == 3 and b"larger than" in proc.stderr


def test_cli_output_failures_are_one_line(tmp_path: Path) -> None:
    example = str(REPO / "examples" / "chengdu-conference-guest.json")
    if Path("/dev/full").exists():
        with open("/dev/full", "wb") as full:
            proc = cli(["calculate", example], stdout=full)
        assert proc.returncode == 3 and b"cannot write output" in proc.stderr
    closed = subprocess.run([sys.executable, "-m", "carbon_footprint", "tables"],
                            capture_output=False, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, timeout=60)
    assert closed.returncode == 0
    proc = subprocess.run(f"{sys.executable} -m carbon_footprint tables >&-", shell=True,
                          capture_output=True, timeout=60)
    assert proc.returncode == 3 and b"Traceback" not in proc.stderr


def test_cli_non_utf8_locale_prints_chinese_text() -> None:
    proc = cli(["tables", "show", "mee-grid-2023"], env={"PYTHONIOENCODING": "latin-1"})
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr
    assert b"\\u516c\\u544a" in proc.stdout  # 公告, escaped rather than a crash


def test_cli_usage_errors_exit_2() -> None:
    proc = cli(["calculate"])
    assert proc.returncode == 2 and proc.stderr.startswith(b"carbon-footprint: error:")
    assert cli(["frobnicate"]).returncode == 2
    assert cli(["--version"]).returncode == 0


def test_load_table_on_a_fifo_reads_at_most_the_limit(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["sh", "-c", f"yes 'a: b' > {fifo}"])
    try:
        with pytest.raises(cf.TableError, match="larger than the limit"):
            cf.load_table(fifo)
    finally:
        writer.kill()
        writer.wait()


# 6. tables -----------------------------------------------------------------------------------
def test_gas_split_tolerance_is_relative(tmp_path: Path) -> None:
    text = (REPO / "tests" / "fixtures" / "tiny-2024.yaml").read_text(encoding="utf-8")
    bad = text.replace("value: 0.5, unit: kg CO2 / kWh, source_ref: h}",
                       "value: 0.5, unit: t CO2e / kWh, gases: {CO2: 0.75}, source_ref: h}")
    p = tmp_path / "t.yaml"
    p.write_text(bad, encoding="utf-8")
    with pytest.raises(cf.TableError, match="gas split"):
        cf.load_table(p)


# 7. frames -----------------------------------------------------------------------------------
def test_frames_keep_every_row_and_every_column() -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"type": ["hotel", "hotel", "rail", "hotel"],
                       "nights": [2, True, None, 3],
                       "distance": [None, None, "10 km", None],
                       "country": ["CN", "CN", None, ["CN"]],
                       "guest": ["a", "b", "c", "d"]})
    out = cf.calculate_frame(df)
    assert out["guest"].tolist() == ["a", "b", "c", "d"] and len(out) == 4
    assert out["error_code"].tolist()[1] == "not_integer"  # a bool is never 1 night
    assert out["error_code"].tolist()[3] == "code_malformed" or out["error"].tolist()[3]
    assert out["tco2e"].notna().tolist() == [True, False, True, False]
    with pytest.raises(cf.CarbonFootprintError, match="output_prefix"):
        cf.calculate_frame(df.assign(table=[1, 2, 3, 4]))
    kept = cf.calculate_frame(df.assign(table=[1, 2, 3, 4]), output_prefix="cf_")
    assert kept["table"].tolist() == [1, 2, 3, 4] and "cf_table" in kept
    dupes = pd.concat([df[["type", "nights"]], df[["nights"]]], axis=1)
    with pytest.raises(cf.CarbonFootprintError, match="duplicate column"):
        cf.calculate_frame(dupes)
    with pytest.raises(TypeError):
        cf.calculate_frame(df["type"])


# 8. text -------------------------------------------------------------------------------------
def test_control_characters_never_reach_logs_or_terminals() -> None:
    fp = cf.calculate([{"type": "meal", "label": "ok\x1b[31m\nforged line\u202e"},
                       {"type": "fligth\x1b[2J\n"}], errors="collect")
    text = fp.summary()
    assert "\x1b" not in text and "\u202e" not in text and "forged line" in text
    assert all("\n" not in ln for ln in text.splitlines())
    with pytest.raises(cf.CarbonFootprintError) as info:
        cf.calculate([{"type": "fligth\x1b[2J\n" + "x" * 10_000}])
    message = str(info.value)
    assert "\x1b" not in message and "\n" not in message and len(message) < 1_000
    assert "\x1b" not in fp._repr_html_()


def test_security_page_lists_every_cache() -> None:
    """docs/security.md lists every bounded cache with its bound."""
    pd = pytest.importorskip("pandas")
    cf.calculate([{"type": "flight", "origin": "PEK", "destination": "TFU"},
                  {"type": "purchase", "category": "restaurant", "amount": "1 CNY"}])
    cf.calculate_frame(pd.DataFrame([{"type": "rail", "distance": "3 mi"}]))
    page = (REPO / "docs" / "security.md").read_text(encoding="utf-8")
    for cache in [c for c in gc.get_objects() if isinstance(c, BoundedCache)]:
        row = next((ln for ln in page.splitlines() if ln.startswith(f"| {cache.name} |")), None)
        assert row is not None, f"cache {cache.name!r} is not in docs/security.md"
        assert f"{cache.maxsize:,}" in row, (cache.name, cache.maxsize, row)


def test_lone_surrogates_are_input_errors_not_unwritable_json() -> None:
    # a JSON body may carry "\ud800": text that UTF-8 (and so JSON output) cannot hold
    label = {"type": "bus", "distance": "1 km", "label": "\ud800"}
    with pytest.raises(cf.ActivityError) as info:
        cf.calculate([label])
    assert info.value.field == "label"
    assert [e["field"] for e in cf.validate([label])] == ["label"]
    fp = cf.calculate([label, {"type": "bus\ud800", "distance": "1 km"},
                       {"type": "bus", "distance": "1 km", "label": "李华"}], errors="collect")
    assert [ln.status for ln in fp.lines] == ["error", "error", "ok"]
    for text in (fp.model_dump_json(), fp.normalized_json()):
        text.encode("utf-8")  # writable
    assert fp.lines[1].type == "bus\\ud800" and fp.lines[2].label == "李华"
