"""The published site as a visitor sees it: headless Chromium (Debian's chromium and
chromium-driver, driven by Selenium) renders the landing page, a story page and an aggregate
page of a served preview to PNG, and the text a person reads is checked."""

from __future__ import annotations

import shutil
import struct

import pytest
from publish_helpers import EXAMPLE

import hlsgraph
from hlsgraph.publishing.serve import Preview

pytestmark = pytest.mark.slow
CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    assert CHROMIUM and DRIVER, "Debian's chromium and chromium-driver are missing: run `make setup`"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
        "--window-size=1100,900",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browsed")
    hlsgraph.open().publish(folder / "site", **EXAMPLE, description="What we fund and what we learn from it.")
    with Preview(folder / "site", sparql=False) as running:
        yield running


def _png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def _render(browser, url, target):
    from selenium.webdriver.common.by import By

    browser.get(url)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1100, min(max(height, 700), 6000))
    assert browser.save_screenshot(str(target))
    width, tall = _png_size(target)
    assert width >= 1000 and tall >= 600
    return browser.find_element(By.TAG_NAME, "body").text


def test_landing_page_renders_with_title_licence_counts_and_dumps(browser, preview, tmp_path):
    text = _render(browser, preview.url, tmp_path / "landing.png")
    assert "Example Fund open data" in text and "What we fund and what we learn from it." in text
    assert "Creative Commons Attribution 4.0 (CC BY 4.0)" in text
    assert "What it holds" in text and "Story" in text and "Place" in text
    assert "N-Triples, gzip-compressed" in text
    assert "https://w3id.org" not in text  # words, not IRIs


def test_a_story_page_renders_as_a_story(browser, preview, tmp_path):
    from selenium.webdriver.common.by import By

    text = _render(browser, preview.url + "id/story-jacob", tmp_path / "story.png")
    assert browser.current_url.endswith("/id/story-jacob.html")  # the 303 a browser follows
    heading = browser.find_element(By.TAG_NAME, "h1").text
    assert heading.startswith("Jacob's story")
    assert "Summary" in text and "Where this comes from" in text and "Mayday Trust" in text
    assert "Trust" in text and "Turtle · JSON-LD · N-Triples" in text
    # Following a link reaches the concept's page.
    browser.find_element(By.LINK_TEXT, "Trust").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "Trust"


def test_the_aggregate_page_renders_counts_not_people(browser, preview, tmp_path):
    text = _render(browser, preview.url + "aggregates/places.html", tmp_path / "places.png")
    assert "Evidence by place" in text and "Gateshead" in text and "fewer than 5" in text
