"""The dashboard in a real browser (Debian's chromium driven by Playwright): the index chart
renders, a click shows the evidence sentences, search finds articles, and scraped text can
never run as script."""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from conftest import REPO

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
HOSTILE = {
    "url": "https://example.org/hostile",
    "title": 'Hostile page <img src=x onerror="window.__pwned=1">',
    "published": "2023-03-01",
    "outlet": "Trap Daily",
    "text": "Xi Jinping met Antony Blinken in Beijing on Monday to discuss Taiwan and trade. "
    "<script>window.__pwned = 1</script> The talks lasted three hours, officials said.",
}


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


@pytest.fixture(scope="module")
def dashboard_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("dashboard")
    (folder / "hostile.jsonl").write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    db = folder / "dash.db"
    ingest([str(REPO / "examples"), str(folder / "hostile.jsonl")], db, workers=1)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    server.should_exit = True
    thread.join(timeout=10)


def test_dashboard_in_a_browser(dashboard_url: str) -> None:
    executable = chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(dashboard_url)
        page.wait_for_selector("#index-chart .main-svg")
        assert page.locator("#index-chart .barlayer .point").count() > 0

        point = page.locator("#index-chart .scatterlayer .point").first.bounding_box()
        assert point is not None
        page.mouse.click(point["x"] + point["width"] / 2, point["y"] + point["height"] / 2)
        page.wait_for_function(
            "document.getElementById('events-title').textContent.startsWith('Events of')"
        )
        assert page.locator("#events .evidence").count() > 0
        assert page.locator("#events .evidence").first.inner_text().strip()

        page.fill("#search", "Taiwan")
        page.click("#search-form button")
        page.wait_for_selector("#results .result")
        titles = page.locator("#results .result a").all_inner_texts()
        assert any("drills around Taiwan" in title for title in titles)

        page.fill("#search", "Hostile")
        page.click("#search-form button")
        page.wait_for_selector("#results .result a")
        page.locator("#results .result a").first.click()
        page.wait_for_selector("#article-body p")
        assert "<script>" in page.inner_text("#article-body")
        assert "<img" in page.inner_text("#article-title")
        assert page.evaluate("typeof window.__pwned") == "undefined"
        browser.close()
