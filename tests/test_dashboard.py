"""The dashboard in a real browser (Debian's chromium driven by Playwright): the index chart
renders, a click shows the evidence sentences, an article opens with its events, search finds
articles, an issue narrows the index, a story sets its outlets side by side, an actor view
shows its events and counterparts, "What changed" compares a period with the one before,
nothing is fetched from elsewhere, and scraped text can never run as script."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest
import uvicorn
from conftest import shared_path
from playwright.sync_api import Browser, Locator, Page, sync_playwright

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
        "Washington on Thursday. China thanked the United States for the talks, officials "
        "said. A pangolin conservation exchange was also discussed.",
    },
    {  # the same meeting told from Beijing (a .cn address) and from Washington (.us)
        "url": "https://news.example.cn/2023/10/27/wang-yi-washington",
        "title": "Wang Yi urges the US to match words with deeds in Washington",
        "published": "2023-10-27",
        "outlet": "Beijing Test Daily",
        "text": "Chinese Foreign Minister Wang Yi met Secretary of State Antony Blinken in "
        "Washington on Thursday. The US should stop containing China and must correct its "
        "mistaken perception of China. The US is deceiving itself with a hostile and dangerous "
        "containment policy. China has always sought stable and beneficial relations.",
    },
    {
        "url": "https://www.example.us/2023/10/27/blinken-wang",
        "title": "Blinken and Wang Yi talk in Washington ahead of a possible summit",
        "published": "2023-10-27",
        "outlet": "Capital Test Post",
        "text": "Secretary of State Antony Blinken met Chinese Foreign Minister Wang Yi in "
        "Washington on Thursday. Blinken praised Wang Yi for his candour. "
        "Officials said the meeting could prepare a summit between the two presidents.",
    },
    {
        "url": "https://example.org/sanctions",
        "title": "Beijing sanctions US defense firms over Taiwan arms sale",
        "published": "2024-01-07",
        "outlet": "Test Wire",
        "text": "China imposed sanctions on five US defense companies on Sunday over arms sales "
        "to Taiwan. The United States condemned the sanctions, a State Department spokesman said, "
        "and called for calm in the Taiwan Strait.",
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
    {  # Taiwan named once: not an article on the Taiwan issue
        "url": "https://www.example.us/2023/10/17/chip-rules",
        "title": "US tightens chip export rules for China",
        "published": "2023-10-17",
        "outlet": "Capital Test Post",
        "text": "The United States tightened export controls on advanced chips to China on "
        "Tuesday. Commerce officials said the rules also cover factories in Taiwan. China "
        "criticised the measures.",
    },
    {  # on the Taiwan issue, outside the China-US dyad
        "url": "https://example.org/coast-guard",
        "title": "Japan and Taiwan coast guards hold a rescue drill",
        "published": "2024-02-02",
        "outlet": "Test Wire",
        "text": "Japan's coast guard and Taiwan's coast guard held a joint rescue drill near "
        "Yonaguni on Friday. Taiwan said the exercise went smoothly, and Japan praised the "
        "cooperation.",
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


@contextmanager
def serving(db: Path) -> Iterator[str]:
    """The API and dashboard over ``db`` on a free local port; yields its address."""
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
def browser() -> Iterator[Browser]:
    executable = chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@contextmanager
def browsing(browser: Browser, url: str) -> Iterator[Page]:
    """The dashboard open in a new page; on leaving, checks that nothing was fetched from
    elsewhere and that no scraped text ran as script."""
    opened = browser.new_page()
    requested: list[str] = []
    opened.on("request", lambda request: requested.append(request.url))
    opened.goto(url)
    opened.wait_for_selector("#index-chart .main-svg")
    yield opened
    assert all(found.startswith(url) for found in requested), "fetched from elsewhere"
    assert opened.evaluate("typeof window.__pwned") == "undefined"
    opened.close()


@pytest.fixture(scope="module")
def page(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    db = build_store(tmp_path_factory.mktemp("dashboard"))
    with serving(db) as url, browsing(browser, url) as opened:
        yield opened


def click_on_chart(page: Page, trace: Locator, chart: str = "#index-chart") -> None:
    """Clicks the first point of a plotly trace with the mouse, as a reader would."""
    page.locator(chart).scroll_into_view_if_needed()
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
    page.select_option("#search-mode", "words")
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
    assert page.inner_text("#article-title") == ARTICLES[4]["title"]
    assert page.locator("#article-panel script, #article-panel img").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"


def search_with(page: Page, query: str, **filters: str | bool) -> list[str]:
    """Searches from the dashboard's form with its filters; the titles found, in order."""
    page.fill("#search", query)
    page.select_option("#search-issue", str(filters.get("issue", "")))
    page.fill("#search-outlet", str(filters.get("outlet", "")))
    page.fill("#search-since", str(filters.get("since", "")))
    page.fill("#search-until", str(filters.get("until", "")))
    page.set_checked("#search-in-dyad", bool(filters.get("in_dyad", True)))
    page.select_option("#search-mode", str(filters.get("mode", "words")))
    page.evaluate("document.getElementById('search-summary').textContent = ''")
    page.click("#search-form button")
    page.wait_for_function("document.getElementById('search-summary').textContent !== ''")
    return page.locator("#results .result > a").all_inner_texts()


def test_search_filters_by_issue_outlet_dates_and_the_dashboards_dyad(page: Page) -> None:
    sanctions, chips, drill = ARTICLES[3]["title"], ARTICLES[5]["title"], ARTICLES[6]["title"]
    options = page.locator("#search-issue option").all_inner_texts()
    assert "Taiwan" in options and options[0] == "any issue"
    assert set(search_with(page, "Taiwan")) == {sanctions, chips}  # CHN-USA only
    assert search_with(page, "Taiwan", issue="taiwan") == [sanctions]
    assert "on Taiwan" in page.inner_text("#search-summary")
    assert set(search_with(page, "Taiwan", in_dyad=False)) == {sanctions, chips, drill}
    assert set(search_with(page, "Taiwan", issue="taiwan", in_dyad=False)) == {sanctions, drill}
    assert search_with(page, "Taiwan", outlet="capital") == [chips]
    recent = search_with(page, "Taiwan", since="2024-01-01", in_dyad=False)
    assert set(recent) == {sanctions, drill}
    assert search_with(page, "Taiwan", since="2023-10-01", until="2023-12-31") == [chips]
    assert search_with(page, "Taiwan", issue="taiwan", outlet="capital") == []
    assert page.inner_text("#results") == "Nothing found."
    assert page.is_hidden("#more-results")

    page.fill("#dyad", "JPN-TWN")  # the dyad is the dashboard's
    assert page.inner_text("label:has(#search-in-dyad)").strip() == "JPN-TWN only"
    assert search_with(page, "Taiwan") == [drill]
    page.fill("#dyad", "CHN-USA")

    assert search_with(page, "pwned") == [ARTICLES[4]["title"]]  # scraped markup stays text
    assert "<img src=x" in page.inner_text("#results .snippet")
    assert page.locator("#search-panel img, #search-panel script").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_search_by_meaning_finds_an_article_worded_otherwise(page: Page) -> None:
    found = search_with(page, "semiconductor trade curbs", mode="semantic", in_dyad=False)
    assert found and found[0] == ARTICLES[5]["title"]  # "US tightens chip export rules"
    assert "by meaning" in page.inner_text("#search-summary")


def test_an_issue_narrows_the_index_and_its_key_events(page: Page) -> None:
    page.locator("#issues button", has_text="Taiwan").click()
    page.wait_for_function("document.getElementById('index-title').textContent.endsWith('Taiwan')")
    assert page.input_value("#issue") == "taiwan"
    assert page.inner_text("#events-title").endswith("Taiwan")
    assert all("Taiwan" in q for q in page.locator("#events .evidence").all_inner_texts())
    page.select_option("#issue", "")
    page.wait_for_function(
        "document.getElementById('index-title').textContent === 'Relations index CHN-USA'"
    )


def test_the_story_view_sets_two_outlets_side_by_side(page: Page) -> None:
    page.locator("#stories .story button", has_text=ARTICLES[0]["title"]).click()
    page.wait_for_selector("#story-panel:not([hidden]) .report")
    cards = {
        card.locator("h3").inner_text(): card for card in page.locator("#reports .report").all()
    }
    beijing = cards["Beijing Test Daily CHN"]
    washington = cards["Capital Test Post USA"]
    first, second = beijing.bounding_box(), washington.bounding_box()
    assert first and second and first["y"] == second["y"] and first["x"] != second["x"]
    assert "blames USA" in beijing.locator(".stance").inner_text()
    assert washington.locator(".stance").inner_text() == "takes no clear side"
    for card, article in ((beijing, ARTICLES[1]), (washington, ARTICLES[2])):
        assert card.locator(".report-title a").first.inner_text() == article["title"]
        assert (
            card.locator(".report-title a", has_text="original").get_attribute("href")
            == (article["url"])
        )
        quotes = card.locator("blockquote.evidence").all_inner_texts()
        assert quotes and all(q in article["text"] for q in quotes if q)
    assert "country not known" in page.inner_text("#reports")  # the Test Wire report
    assert "#story-" in page.url


def test_a_hostile_story_title_stays_text(page: Page) -> None:
    page.locator("#stories .story button", has_text="Hostile page").click()
    page.wait_for_function(
        "document.getElementById('story-title').textContent.startsWith('Hostile')"
    )
    assert page.inner_text("#story-title") == ARTICLES[4]["title"]
    assert page.locator("#story-panel img, #story-panel script").count() == 0


def test_the_actor_view_shows_events_over_time_and_counterparts(page: Page) -> None:
    names = page.locator("#actors .actor").all_inner_texts()
    assert "Antony Blinken" in names
    page.locator("#actors .actor", has_text="Antony Blinken").click()
    page.wait_for_selector("#actor-panel:not([hidden]) #actor-chart .barlayer .point")
    assert page.inner_text("#actor-title") == "Antony Blinken"
    counterparts = page.locator("#counterparts .counterpart").all_inner_texts()
    assert {"Wang Yi", "Xi Jinping"} <= set(counterparts)
    summaries = page.locator("#actor-events .event summary")
    assert summaries.count() > 0
    assert all("Antony Blinken" in e for e in summaries.all_inner_texts())
    first = page.locator("#actor-events .event").first
    assert not first.locator(".evidence").first.is_visible()  # folded until clicked
    first.locator("summary").click()
    assert first.locator(".evidence").first.is_visible()

    page.locator("#counterparts .counterpart", has_text="Xi Jinping").click()
    page.wait_for_function(
        "document.getElementById('actor-events-title').textContent"
        " === 'Events of Antony Blinken with Xi Jinping'"
    )
    assert all("Xi Jinping" in e for e in summaries.all_inner_texts())

    click_on_chart(page, page.locator("#actor-chart .barlayer .trace").first, "#actor-chart")
    page.wait_for_function(
        "document.getElementById('actor-events-title').textContent"
        ".startsWith('Events of Antony Blinken in ')"
    )
    assert "#actor-person" in page.url


def test_a_malformed_dyad_is_explained_on_the_page(page: Page) -> None:
    page.fill("#dyad", "China")
    page.click("#dyad-form button")
    page.wait_for_function("document.getElementById('status').textContent.includes('CHN-USA')")
    page.fill("#dyad", "chn-usa")
    page.click("#dyad-form button")
    page.wait_for_function("document.getElementById('status').textContent === ''")


def compare(page: Page, since: str, until: str) -> None:
    """Compares these days with those before from the "What changed" panel's form."""
    page.fill("#digest-since", since)
    page.fill("#digest-until", until)
    page.click("#digest-form button")
    page.wait_for_function(
        f"document.getElementById('digest-title').textContent.endsWith('{since} to {until}')"
    )


def test_what_changed_compares_a_period_with_the_one_before(page: Page) -> None:
    compare(page, "2023-10-21", "2023-10-31")  # the talks, against the chip rules before
    assert page.inner_text("#digest-meta") == "11 days, against 2023-10-10 to 2023-10-20"
    cells = page.locator("#digest-index .figure-events td").all_inner_texts()
    assert cells == ["events", "3", "1", "+2"]
    assert page.locator("#digest-index .figure-material_conflict td").last.inner_text() == "-1"
    quotes = page.locator("#digest-events .evidence").all_inner_texts()
    assert quotes and all(
        any(q.split(" article ")[0] in a["text"] for a in ARTICLES) for q in quotes
    )
    story = page.locator("#digest-stories .story-change").first
    assert story.locator("strong").inner_text() == ARTICLES[0]["title"]
    assert "new · 3 articles from Beijing Test Daily, Capital Test Post, Test Wire" in (
        story.inner_text()
    )
    assert "Technology and export controls: 0 events (-1)" in page.inner_text("#digest-issues")
    assert {"Antony Blinken", "Wang Yi"} <= set(
        page.locator("#digest-actors button").all_inner_texts()
    )

    compare(page, "2023-03-01", "2023-03-31")  # the hostile page's story stays text
    assert ARTICLES[4]["title"] in page.inner_text("#digest-stories")
    assert page.locator("#digest-section img, #digest-section script").count() == 0


def test_clicking_an_index_point_compares_its_period(page: Page) -> None:
    page.select_option("#by", "week")
    page.wait_for_function(
        "document.getElementById('index-chart').data.some((t) => String(t.x[0]).includes('-W'))"
    )
    first = index_periods(page)[0]  # e.g. "2023-W09"
    year, week = (int(part) for part in first.split("-W"))
    monday = date.fromisocalendar(year, week, 1)
    click_on_chart(page, page.locator("#index-chart .scatterlayer .trace").first)
    span = f"{monday} to {monday + timedelta(days=6)}"
    page.wait_for_function(
        f"document.getElementById('digest-title').textContent.endsWith('{span}')"
    )
    assert page.locator("#digest-events .evidence").count() > 0
    page.select_option("#by", "month")


# Over the five real seed scrapes (../shared/seeds/README.md says what an analyst reads).
BLINKEN_XI_STORY = "Actions must follow words for US to improve China ties"  # seed 001's title


@pytest.fixture(scope="module")
def seeds_page(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    db = tmp_path_factory.mktemp("seeds-dashboard") / "seeds.db"
    ingest([str(shared_path("seeds"))], db, workers=1)
    with serving(db) as url, browsing(browser, url) as opened:
        yield opened


def seed_texts() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in shared_path("seeds").glob("*.txt")]


def index_periods(page: Page) -> list[str]:
    """The periods of the index's net-cooperation line, in the chart's own data."""
    return page.evaluate(
        "[...document.getElementById('index-chart').data]"
        ".find((trace) => trace.type === 'scatter' && trace.mode.includes('lines')).x"
    )


def heads(event: Locator) -> list[str]:
    """The two sides named in an event's heading."""
    heading = event.locator(".event-head strong").inner_text()  # "date: source TYPE target"
    found = re.match(r"[^:]+: (.+?) [A-Z]+ (.+?)(?: in .+)?$", heading)
    return list(found.groups()) if found else []


def test_over_the_seeds_the_index_spans_2022_to_2024(seeds_page: Page) -> None:
    # 003 (2021) has no trustworthy date of its own, so its events are not placed in time
    years = {period[:4] for period in index_periods(seeds_page)}
    assert {"2022", "2023", "2024"} <= years


def test_the_june_2023_point_traces_blinken_and_xi_to_both_seed_articles(
    seeds_page: Page,
) -> None:
    position = index_periods(seeds_page).index("2023-06")
    line = seeds_page.locator("#index-chart .scatterlayer .trace").first
    seeds_page.locator("#index-chart").scroll_into_view_if_needed()
    box = line.locator(".point").nth(position).bounding_box()
    assert box is not None
    seeds_page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    seeds_page.wait_for_function(
        "document.getElementById('events-title').textContent === 'Events of 2023-06'"
    )
    meetings = [
        event
        for event in seeds_page.locator("#events .event").all()
        if {"Xi Jinping", "Antony Blinken"} <= set(heads(event))
        and " CONSULT " in event.locator(".event-head strong").inner_text()
    ]
    assert len(meetings) == 1  # one meeting, however many sentences and articles report it
    quotes = meetings[0].locator(".evidence").all_inner_texts()
    texts = seed_texts()
    reporting = {i for quote in quotes for i, text in enumerate(texts) if quote[:60] in text}
    assert len(reporting) >= 2  # 001 and 004 both report it


def test_the_blinken_xi_story_sets_two_seed_outlets_side_by_side(seeds_page: Page) -> None:
    seeds_page.locator("#stories .story button", has_text=BLINKEN_XI_STORY).click()
    seeds_page.wait_for_selector("#story-panel:not([hidden]) .report")
    cards = seeds_page.locator("#reports .report").all()
    assert len(cards) >= 2
    stances = {card.locator(".stance").inner_text() for card in cards}
    assert len(stances) >= 2  # the two outlets tell the story differently
    texts = seed_texts()
    for card in cards:
        quotes = card.locator("blockquote.evidence").all_inner_texts()
        assert quotes and all(any(q in text for text in texts) for q in quotes if q)


def test_searching_taiwan_finds_the_seeds_that_discuss_it(seeds_page: Page) -> None:
    found = search_with(seeds_page, "Taiwan", issue="taiwan")
    while seeds_page.is_visible("#more-results"):
        seeds_page.click("#more-results")
        seeds_page.wait_for_timeout(200)
        found = seeds_page.locator("#results .result > a").all_inner_texts()
    seed_titles = [
        {line.strip() for line in text.splitlines()}
        for text in seed_texts()
        if text.count("Taiwan") >= 2
    ]
    assert seed_titles
    for lines in seed_titles:
        assert any(title in lines for title in found)
    snippets = seeds_page.locator("#results .snippet").all_inner_texts()
    assert snippets and all("taiwan" in s.lower() for s in snippets)
