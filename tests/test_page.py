"""The reference QR calculator page in a real headless browser (Debian's chromium, driven by
Playwright; no browser is downloaded): a guest fills the form in Chinese and in English and
sees the result; a bad airport shows its error beside the field. Screenshots are saved to a
temporary folder (its path is printed) for a person to look at."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import carbon_footprint as cf

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser")) if p), None)
SHOTS = Path(tempfile.mkdtemp(prefix="carbon-footprint-page-"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="pip install playwright (the browser is Debian's)")
    if CHROMIUM is None:
        pytest.skip("no chromium on PATH (Debian: apt-get install chromium; "
                    "scripts/system-packages.sh installs it)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def _fill_guest(page: Any) -> None:
    page.wait_for_selector('[data-type="hotel"]')
    flight = page.locator('[data-type="flight"]')
    flight.locator('[data-field="origin"] input').fill("PEK")
    flight.locator('[data-field="destination"] input').fill("TFU")
    flight.locator('[data-field="cabin"] select').select_option("economy")
    flight.locator('[data-field="round_trip"] input').check()
    hotel = page.locator('[data-type="hotel"]')
    hotel.locator('[data-field="nights"] input').fill("2")
    hotel.locator('[data-field="country"] input').fill("CN")


GUEST = [{"type": "flight", "origin": "PEK", "destination": "TFU", "cabin": "economy",
          "round_trip": True}, {"type": "hotel", "nights": 2, "country": "CN"}]


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_a_guest_fills_the_form_and_sees_the_footprint(service: str, browser: Any,
                                                       locale: str) -> None:
    page = browser.new_page(viewport={"width": 480, "height": 1300})
    page.goto(f"{service}/?locale={locale}")
    _fill_guest(page)
    page.click("#calc")
    page.wait_for_selector("#result:not([hidden])")
    fp = cf.calculate(GUEST)
    total = page.inner_text("#total")
    unit = "吨二氧化碳当量" if locale == "zh-CN" else "tCO2e"
    assert total == f"{float(fp.total_tco2e):.3f} {unit}"
    shown = page.locator("[data-category]").evaluate_all("els => els.map(e => e.dataset.category)")
    assert shown == list(fp.by_category)
    text = page.inner_text("#result")
    assert ("出行" in text and "住宿" in text) if locale == "zh-CN" else "Travel" in text
    assert str(fp.offset.credits) in page.inner_text("#credits")
    page.screenshot(path=str(SHOTS / f"{locale}-result.png"), full_page=True)
    print(f"screenshots in {SHOTS}")
    page.close()


def test_a_bad_airport_shows_its_error_beside_the_field(service: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 480, "height": 1300})
    page.goto(f"{service}/?locale=zh-CN")
    _fill_guest(page)
    page.locator('[data-type="flight"] [data-field="origin"] input').fill("EPK")
    page.click("#calc")
    field = page.locator('[data-type="flight"] [data-field="origin"]')
    page.wait_for_selector('[data-type="flight"] [data-field="origin"].invalid')
    message = field.locator(".err").inner_text()
    assert "未知的 IATA 机场代码" in message and "'PEK'" in message
    # only that field is marked, and no result is shown
    assert page.locator(".invalid").count() == 1
    assert page.locator("#result").is_hidden()
    page.screenshot(path=str(SHOTS / "zh-CN-bad-airport.png"), full_page=True)
    page.click("#lang")  # the form keeps what was typed, in the other language
    page.wait_for_function("document.documentElement.lang === 'en'")
    page.click("#calc")
    page.wait_for_selector('[data-type="flight"] [data-field="origin"].invalid')
    assert "unknown IATA airport code" in field.locator(".err").inner_text() or \
        "unknown IATA airport code" in page.locator(
            '[data-type="flight"] [data-field="origin"] .err').inner_text()
    page.screenshot(path=str(SHOTS / "en-bad-airport.png"), full_page=True)
    page.close()
