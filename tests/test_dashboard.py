"""The dashboard in a real browser (Debian's chromium driven by Playwright): the index chart
renders, a click shows the evidence sentences, an article opens with its events, search finds
articles, nothing is fetched from elsewhere, and scraped text can never run as script."""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Locator, Page, sync_playwright

from dyadwatch.api import create_app
from dyadwatch.pipeline import ingest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTICLES = [
    {
        "url": "https://example.org/talks",
        "title": "Wang Yi and Blinken hold talks in Washington",
        "published": "2023-10-27",
        "outlet": "Test Wire",
        "text": "Chinese Foreign Minister Wang Yi met Secretary of State Antony Blinken in "
        "Washington on Thursday. The two sides agreed to keep talking about trade, officials "
        "said. A pangolin conservation exchange was also discussed.",
    },
    {
        "url": "https://example.org/sanctions",
        "title": "Beijing sanctions US defense firms over Taiwan arms sale",
        "published": "2024-01-07",
        "outlet": "Test Wire",
        "text": "China imposed sanctions on five US defense companies on Sunday over arms sales "
        "to Taiwan. The United States condemned the sanctions, a State Department spokesman said.",
    },
    {
        "url": "https://example.org/hostile",
        "title": 'Hostile page <img src=x onerror="window.__pwned=1">',
        "published": "2023-03-01",
        "outlet": "Trap Daily",
        "text": "Xi Jinping met Antony Blinken in Beijing on Monday to discuss trade. "
        '<script>window.__pwned = 1</script> <img src=x onerror="window.__pwned = 1"> '
        "The talks lasted three hours, officials said.",
    },
]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        message = "chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def build_store(folder: Path) -> Path:
    articles = folder / "articles.jsonl"
    articles.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    db = folder / "dashboard.db"
    ingest([str(articles)], db, workers=1)
    return db


@pytest.fixture(scope="module")
def dashboard_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = build_store(tmp_path_factory.mktemp("dashboard"))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            pytest.fail("the server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def page(dashboard_url: str) -> Iterator[Page]:
    executable = chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        opened = browser.new_page()
        requested: list[str] = []
        opened.on("request", lambda request: requested.append(request.url))
        opened.goto(dashboard_url)
        opened.wait_for_selector("#index-chart .main-svg")
        yield opened
        assert all(url.startswith(dashboard_url) for url in requested), "fetched from elsewhere"
        assert opened.evaluate("typeof window.__pwned") == "undefined"
        browser.close()


def click_on_chart(page: Page, trace: Locator) -> None:
    """Clicks the first point of a plotly trace with the mouse, as a reader would."""
    page.locator("#index-chart").scroll_into_view_if_needed()
    box = trace.locator(".point").first.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_the_index_chart_draws_bars_line_and_key_events(page: Page) -> None:
    assert page.locator("#index-chart .barlayer .point").count() > 0
    line, stars = page.locator("#index-chart .scatterlayer .trace").all()
    assert line.locator(".point").count() > 0 and stars.locator(".point").count() > 0
    assert page.locator("#events .evidence").count() > 0  # key events listed with evidence


def test_clicking_a_point_shows_its_events_and_evidence(page: Page) -> None:
    click_on_chart(page, page.locator("#index-chart .scatterlayer .trace").first)
    page.wait_for_function(
        "document.getElementById('events-title').textContent.startsWith('Events of')"
    )
    evidence = page.locator("#events .evidence").all_inner_texts()
    sentences = [s for a in ARTICLES for s in a["text"].split(". ")]
    assert evidence and all(any(s[:30] in quote for s in sentences) for quote in evidence)

    page.locator("#events .evidence a").first.click()
    page.wait_for_selector("#article-panel:not([hidden]) #article-events .evidence")
    title = page.inner_text("#article-title")
    assert title in {a["title"] for a in ARTICLES}


def test_clicking_a_star_shows_the_key_events_of_its_period(page: Page) -> None:
    click_on_chart(page, page.locator("#index-chart .scatterlayer .trace").last)
    page.wait_for_function(
        "document.getElementById('events-title').textContent.startsWith('Key events of')"
    )
    assert page.locator("#events .evidence").count() > 0


def test_search_finds_the_article_and_hostile_text_stays_text(page: Page) -> None:
    page.fill("#search", "pangolin")
    page.click("#search-form button")
    page.wait_for_selector("#results .result a")
    assert page.locator("#results .result a").all_inner_texts() == [ARTICLES[0]["title"]]

    page.fill("#search", "hostile")
    page.click("#search-form button")
    page.wait_for_function(
        "document.querySelector('#results .result a')?.textContent.startsWith('Hostile')"
    )
    page.locator("#results .result a").first.click()
    page.wait_for_function(
        "document.getElementById('article-title').textContent.startsWith('Hostile')"
    )
    assert "<script>" in page.inner_text("#article-body")
    assert page.inner_text("#article-title") == ARTICLES[2]["title"]
    assert page.locator("#article-panel script, #article-panel img").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_actors_list_and_their_events(page: Page) -> None:
    names = page.locator("#actors .actor").all_inner_texts()
    assert "Antony Blinken" in names
    page.locator("#actors .actor", has_text="Antony Blinken").click()
    page.wait_for_function(
        "document.getElementById('events-title').textContent === 'Events of Antony Blinken'"
    )
    assert all(
        "Antony Blinken" in e for e in page.locator("#events .event strong").all_inner_texts()
    )


def test_a_malformed_dyad_is_explained_on_the_page(page: Page) -> None:
    page.fill("#dyad", "China")
    page.click("#dyad-form button")
    page.wait_for_function("document.getElementById('status').textContent.includes('CHN-USA')")
    page.fill("#dyad", "chn-usa")
    page.click("#dyad-form button")
    page.wait_for_function("document.getElementById('status').textContent === ''")
