"""The watcher against a small news site served on 127.0.0.1: feeds that change between
rounds, robots.txt, slow, refused, failing, looping and huge pages, and a watcher stopped
mid-round. The server's own log is the evidence of what was (and was not) requested."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner
from werkzeug import Request, Response

from dyadwatch.cli import app
from dyadwatch.store import Store
from dyadwatch.watch import (
    FetchError,
    Politeness,
    SourceError,
    Watcher,
    check_address,
    expand_sources,
    fetch,
    parse_interval,
)

FAST = Politeness(delay=0.0, timeout=0.5, retries=1, backoff=0.05, allow_private=True)
Route = Response | Callable[[Request], Response]


@dataclass
class Hit:
    path: str
    at: float  # monotonic time the server received it
    headers: dict[str, str]


class Site:
    """A news site: responses by path (changed at will between rounds), every request
    logged with its time and headers."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.routes: dict[str, Route] = {"/robots.txt": Response("User-agent: *\nAllow: /\n")}
        self.hits: list[Hit] = []
        server.expect_request(re.compile(".*")).respond_with_handler(self._handle)

    def url(self, path: str) -> str:
        return self.server.url_for(path)

    def _handle(self, request: Request) -> Response:
        self.hits.append(Hit(request.path, time.monotonic(), dict(request.headers)))
        route = self.routes.get(request.path, Response("not found", 404))
        return route if isinstance(route, Response) else route(request)

    def requests(self, path: str) -> list[Hit]:
        return [hit for hit in self.hits if hit.path == path]

    def article(self, path: str, title: str, day: str, text: str) -> None:
        self.routes[path] = Response(article_html(title, day, text), content_type="text/html")

    def feed(self, path: str, items: list[str], etag: str) -> None:
        """An RSS feed of these page paths that answers 304 to its own ETag."""
        xml = rss(self, items)

        def serve(request: Request) -> Response:
            if request.headers.get("If-None-Match") == etag:
                return Response(status=304, headers={"ETag": etag})
            return Response(xml, content_type="application/rss+xml", headers={"ETag": etag})

        self.routes[path] = serve


@pytest.fixture
def site() -> Iterator[Site]:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)  # a slow page blocks no other
    server.start()
    try:
        yield Site(server)
    finally:
        server.clear()
        server.stop()


STORIES = {
    "/news/talks": (
        "Ministers resume trade talks in Beijing",
        "2024-03-11",
        "Trade ministers from both countries met in Beijing on Monday and agreed to resume "
        "regular talks on tariffs and export controls. Officials said the meeting was frank "
        "and that working groups would meet again within a month to prepare a wider deal.",
    ),
    "/news/flights": (
        "Airlines add weekly flights between the two countries",
        "2024-03-12",
        "Regulators approved twelve more weekly passenger flights between the two countries, "
        "the largest increase since the pandemic. Airlines said the new routes would start in "
        "April and that demand from students and business travellers had grown all winter.",
    ),
    "/news/students": (
        "Universities report more exchange students this spring",
        "2024-03-13",
        "Universities on both sides reported a rise in exchange students this spring after "
        "visa rules were eased. Administrators said the programmes in engineering and public "
        "health had filled fastest, and that more places would open next year.",
    ),
    "/private/memo": (
        "Internal memo that robots.txt keeps out",
        "2024-03-14",
        "This page sits under a path the site's robots.txt disallows, so a polite crawler "
        "never asks for it, whatever a feed says about it. Its text must never be stored.",
    ),
    "/news/summit": (
        "Leaders to meet at a summit next month",
        "2024-03-15",
        "The two leaders will meet at a regional summit next month, officials announced on "
        "Friday. Advisers are preparing a joint statement on climate and on drug trafficking, "
        "and both sides said they hoped to restore military communication channels.",
    ),
}


def article_html(title: str, day: str, text: str) -> str:
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title>"
        f'<meta property="article:published_time" content="{day}T08:00:00Z"></head><body>'
        f"<nav>Home | World | Business</nav><article><h1>{title}</h1>"
        f"<p>Published {day}</p><p>{text}</p><p>{text}</p></article>"
        "<footer>Copyright The Test Herald</footer></body></html>"
    )


def rss(site: Site, paths: list[str]) -> str:
    items = "".join(
        f"<item><title>{STORIES.get(p, (p,))[0]}</title><link>{site.url(p)}</link></item>"
        for p in paths
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>The Test Herald</title><link>{site.url('/')}</link>{items}</channel></rss>"
    )


def publish(site: Site, *paths: str) -> None:
    for path in paths:
        site.article(path, *STORIES[path])


def watch(db: Path | str, sources: list[str], politeness: Politeness = FAST, **options: Any) -> Any:
    with Store(db) as store:
        return Watcher(store, sources, politeness, code=False, **options).round()


def stored_urls(db: Path | str) -> list[str]:
    with Store(db) as store:
        return sorted(article["url"] for article in store.articles(limit=100))


def test_feed_articles_ingested_once_politely_and_unchanged_feed_not_refetched(
    site: Site, db_url: str
) -> None:
    site.routes["/robots.txt"] = Response("User-agent: *\nDisallow: /private/\n")
    publish(site, "/news/talks", "/news/flights", "/private/memo")
    site.feed("/feed.xml", ["/news/talks", "/news/flights", "/private/memo"], etag='"v1"')
    db = db_url

    first = watch(db, [site.url("/feed.xml")])
    assert (first.fetched, first.new_pages, dict(first.skipped)) == (2, 3, {"disallowed": 1})
    assert first.ingest.articles == 2
    assert stored_urls(db) == [site.url("/news/flights"), site.url("/news/talks")]
    assert not site.requests("/private/memo")  # disallowed: never asked for
    assert all(hit.headers["User-Agent"].startswith("dyadwatch/") for hit in site.hits)

    # Unchanged: one conditional request for the feed, and no page fetched again.
    site.hits.clear()
    second = watch(db, [site.url("/feed.xml")])
    assert (second.unchanged, second.fetched) == (1, 0)
    assert [hit.path for hit in site.hits] == ["/robots.txt", "/feed.xml"]
    assert site.hits[1].headers["If-None-Match"] == '"v1"'

    # The feed changes: only its new article is fetched.
    publish(site, "/news/students")
    site.feed("/feed.xml", ["/news/students", "/news/talks", "/news/flights"], etag='"v2"')
    site.hits.clear()
    third = watch(db, [site.url("/feed.xml")])
    assert (third.new_pages, third.fetched) == (1, 1)
    assert [hit.path for hit in site.hits] == ["/robots.txt", "/feed.xml", "/news/students"]
    assert len(stored_urls(db)) == 3


def test_requests_to_a_host_are_spaced_by_the_delay_or_a_longer_crawl_delay(
    site: Site, tmp_path: Path
) -> None:
    publish(site, "/news/talks", "/news/flights", "/news/students")
    site.feed("/feed.xml", ["/news/talks", "/news/flights", "/news/students"], etag='"v1"')
    # Gaps are seen at the server, so they may fall short of the delay by how much later one
    # request arrived than the next (tens of milliseconds on busy cores): a tenth is allowed.
    polite = Politeness(delay=0.5, timeout=2, allow_private=True)
    assert watch(tmp_path / "a.db", [site.url("/feed.xml")], polite).fetched == 3
    gaps = [later.at - earlier.at for earlier, later in pairwise(site.hits)]
    assert len(gaps) == 4 and min(gaps) >= 0.45  # robots, feed, three pages

    site.routes["/robots.txt"] = Response("User-agent: *\nCrawl-delay: 1\n")
    site.hits.clear()
    watch(tmp_path / "b.db", [site.url("/feed.xml")], polite)
    gaps = [later.at - earlier.at for earlier, later in pairwise(site.hits)]
    assert len(gaps) == 4 and min(gaps[1:]) >= 0.9  # from the first request after robots.txt


def test_slow_throttled_failing_looping_and_huge_pages(site: Site, tmp_path: Path) -> None:
    publish(site, "/news/talks")

    def slow(_: Request) -> Response:
        time.sleep(1.5)
        return Response(article_html(*STORIES["/news/flights"]), content_type="text/html")

    throttled = iter([Response("busy", 429, headers={"Retry-After": "1"})])

    def busy_once(_: Request) -> Response:
        return next(throttled, None) or Response(
            article_html(*STORIES["/news/summit"]), content_type="text/html"
        )

    site.routes |= {
        "/news/slow": slow,
        "/news/busy": busy_once,
        "/news/broken": Response("server error", 500),
        "/news/loop": Response(status=302, headers={"Location": "/news/loop"}),
        "/news/huge": Response(b"<html><body><p>" + b"x" * (30 * 2**20), content_type="text/html"),
    }
    paths = ["/news/slow", "/news/busy", "/news/broken", "/news/loop", "/news/huge", "/news/talks"]
    site.feed("/feed.xml", paths, etag='"v1"')
    db = tmp_path / "watch.db"

    started = time.monotonic()
    report = watch(db, [site.url("/feed.xml")])
    assert time.monotonic() - started < 10
    assert report.fetched == 2  # busy (after waiting) and talks
    assert dict(report.skipped) == {"retry later": 2, "failed": 2}  # slow, broken; loop, huge
    busy = site.requests("/news/busy")
    assert len(busy) == 2 and busy[1].at - busy[0].at >= 0.95  # Retry-After: 1 honoured
    assert len(site.requests("/news/broken")) == 2  # tried, then retried once
    assert len(site.requests("/news/loop")) == FAST.max_redirects + 1
    with Store(db) as store:
        errors = {p: store.watch_page(site.url(p))["error"] for p in paths}
        statuses = {p: store.watch_page(site.url(p))["status"] for p in paths}
    assert "timed out" in errors["/news/slow"] and errors["/news/broken"] == "HTTP 500"
    assert "redirects" in errors["/news/loop"] and "size cap" in errors["/news/huge"]
    assert statuses == {
        "/news/slow": "pending",
        "/news/busy": "done",
        "/news/broken": "pending",
        "/news/loop": "failed",
        "/news/huge": "failed",
        "/news/talks": "done",
    }
    assert sorted(stored_urls(db)) == sorted([site.url("/news/busy"), site.url("/news/talks")])


def test_a_host_asking_for_a_long_wait_is_left_to_a_later_round(site: Site, tmp_path: Path) -> None:
    publish(site, "/news/talks")
    site.routes["/news/closed"] = Response("later", 503, headers={"Retry-After": "3600"})
    site.feed("/feed.xml", ["/news/closed", "/news/talks"], etag='"v1"')
    started = time.monotonic()
    report = watch(tmp_path / "watch.db", [site.url("/feed.xml")])
    assert time.monotonic() - started < 5
    assert (report.fetched, dict(report.skipped)) == (0, {"retry later": 2})
    assert len(site.requests("/news/closed")) == 1 and not site.requests("/news/talks")


def test_malformed_feed_is_a_source_error_and_the_other_sources_go_on(
    site: Site, db_url: str
) -> None:
    publish(site, "/news/talks")
    site.feed("/good.xml", ["/news/talks"], etag='"v1"')
    site.routes["/cut.xml"] = Response(
        f"<rss><channel><item><link>{site.url('/news/talks')}</link></item><item><title>cut",
        content_type="text/xml",
    )
    site.routes["/page.html"] = Response(article_html(*STORIES["/news/flights"]))
    db = db_url
    sources = [site.url("/cut.xml"), site.url("/page.html"), site.url("/good.xml")]
    report = watch(db, sources)
    assert report.fetched == 1 and report.new_pages == 1  # talks, listed by cut.xml and good.xml
    assert "entries read as far as possible" in report.source_errors[sources[0]]
    assert "malformed feed" in report.source_errors[sources[1]]
    with Store(db) as store:
        cut, page, good = store.watch_sources()
    assert (cut["errors"], cut["kind"], cut["done"], cut["articles"]) == (1, "feed", 1, 1)
    assert (page["errors"], page["kind"], page["http_status"]) == (1, None, 200)
    assert (good["errors"], good["error"], good["done"]) == (0, None, 0)


def test_a_stopped_round_resumes_without_refetching_or_losing_a_page(
    site: Site, db_url: str
) -> None:
    paths = ["/news/talks", "/news/flights", "/news/students", "/news/summit"]
    publish(site, *paths)
    site.feed("/feed.xml", paths, etag='"v1"')
    db = db_url
    stop = threading.Event()

    def stop_after_two(stage: str, done: int, _total: int, _url: str) -> None:
        if stage == "fetch" and done == 2:
            stop.set()  # as Ctrl-C or SIGTERM does

    first = watch(db, [site.url("/feed.xml")], stop=stop, progress=stop_after_two)
    assert first.stopped and first.fetched == 2 and len(stored_urls(db)) == 2

    site.hits.clear()
    second = watch(db, [site.url("/feed.xml")])  # the feed has not changed (304)
    assert second.unchanged == 1 and second.fetched == 2 and not second.stopped
    assert [hit.path for hit in site.hits][2:] == ["/news/students", "/news/summit"]
    assert stored_urls(db) == sorted(site.url(p) for p in paths)
    with Store(db) as store:
        assert store.watch_sources()[0]["done"] == 4


# The CLI in a process that SIGKILLs itself right after it ingested its DIE_AFTER-th page,
# before marking it done: no cleanup runs, as in a real crash.
KILLED_AFTER_INGEST = """
import os, signal
from dyadwatch.cli import app
from dyadwatch.pipeline import Ingestor
original, runs = Ingestor.run, [0]
def run_then_die(self, *args, **kwargs):
    original(self, *args, **kwargs)
    runs[0] += 1
    if runs[0] == int(os.environ["DIE_AFTER"]):
        os.kill(os.getpid(), signal.SIGKILL)
Ingestor.run = run_then_die
app()
"""


def test_sigterm_stops_between_pages_and_a_killed_watcher_loses_nothing(
    site: Site, tmp_path: Path
) -> None:
    paths = ["/news/talks", "/news/flights", "/news/students", "/news/summit"]
    publish(site, *paths)
    site.feed("/feed.xml", paths, etag='"v1"')
    db = tmp_path / "watch.db"
    args = [site.url("/feed.xml"), "--db", str(db), "--allow-private", "--no-events"]
    watch_ = [sys.executable, "-c", KILLED_AFTER_INGEST, "watch", *args, "--delay", "0.3"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200", "DIE_AFTER": "0"}

    # SIGTERM while the second page is fetched: that page is finished, and the round ends.
    running = subprocess.Popen([*watch_, "--every", "1h"], env=env, stdout=subprocess.PIPE)
    wait_for(lambda: site.requests("/news/flights"))
    running.send_signal(signal.SIGTERM)
    out, _ = running.communicate(timeout=120)
    assert running.returncode == 0 and b"(stopped)" in out
    assert stored_urls(db) == sorted(site.url(p) for p in paths[:2])

    # SIGKILL just after the third page was ingested.
    killed = subprocess.run([*watch_, "--once"], env={**env, "DIE_AFTER": "1"}, timeout=120)
    assert killed.returncode == -signal.SIGKILL

    # The next watcher fetches only the last page; a stop asked for while it waits for its
    # next round ends it at once.
    stop = threading.Event()
    with Store(db) as store:
        watcher = Watcher(store, [site.url("/feed.xml")], FAST, code=False, stop=stop)
        started = time.monotonic()
        for report in watcher.rounds(every=3600):
            assert (report.unchanged, report.fetched) == (1, 1)
            threading.Timer(0.2, stop.set).start()
    assert time.monotonic() - started < 10
    assert stored_urls(db) == sorted(site.url(p) for p in paths)
    assert [len(site.requests(p)) for p in paths] == [1, 1, 1, 1]


def wait_for(condition: Callable[[], object], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_sitemap_index_and_news_sitemap(site: Site, tmp_path: Path) -> None:
    publish(site, "/news/talks", "/news/summit")
    site.routes["/sitemap.xml"] = Response(
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{site.url('/news-sitemap.xml')}</loc></sitemap></sitemapindex>",
        content_type="application/xml",
    )
    site.routes["/news-sitemap.xml"] = Response(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" '
        'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">'
        "<url><loc>/news/talks</loc><news:news><news:publication_date>2024-03-11"
        "</news:publication_date></news:news>"
        "<image:image><image:loc>/img/talks.jpg</image:loc></image:image></url>"
        f"<url><loc>{site.url('/news/summit')}</loc></url></urlset>",
        content_type="application/xml",
    )
    db = tmp_path / "watch.db"
    report = watch(db, [site.url("/sitemap.xml")])
    assert (report.sources, report.fetched) == (2, 2)
    assert not site.requests("/img/talks.jpg")
    with Store(db) as store:
        kinds = [(s["url"].rsplit("/", 1)[1], s["kind"]) for s in store.watch_sources()]
    assert kinds == [("sitemap.xml", "sitemap"), ("news-sitemap.xml", "sitemap")]


def test_loopback_and_private_addresses_are_refused_without_the_flag(
    site: Site, tmp_path: Path
) -> None:
    publish(site, "/news/talks")
    site.feed("/feed.xml", ["/news/talks"], etag='"v1"')
    db = tmp_path / "watch.db"
    result = CliRunner().invoke(
        app, ["watch", site.url("/feed.xml"), "--once", "--db", str(db), "--no-events"]
    )
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert "127.0.0.1 is a loopback address: refused (pass --allow-private" in message
    assert not site.hits  # not even robots.txt

    for url, kind in [
        ("http://10.1.2.3/feed", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]:8080/", "loopback"),
        ("http://localhost/", "loopback"),
    ]:
        with pytest.raises(FetchError, match=f"a {kind} address"):
            check_address(url, allow_private=False)
    for url in ["file:///etc/passwd", "ftp://example.org/feed"]:
        with pytest.raises(FetchError, match="only http and https"):
            check_address(url, allow_private=True)


def test_feed_links_and_redirects_to_private_addresses_are_refused(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The test server stands for a public site (the check alone is told 127.0.0.1 is a
    public address; nothing connects to that one); localhost stays loopback, as for a feed
    linking into the user's intranet."""
    real = fetch.addresses
    monkeypatch.setattr(
        fetch, "addresses", lambda host: ["93.184.216.34"] if host == "127.0.0.1" else real(host)
    )
    inside = site.url("/admin").replace("127.0.0.1", "localhost")
    site.routes["/news/moved"] = Response(status=301, headers={"Location": inside})
    publish(site, "/news/talks")
    site.routes["/feed.xml"] = Response(
        rss(site, ["/news/talks", "/news/moved"]).replace(
            "</channel>", f"<item><link>{inside}</link></item></channel>"
        )
    )
    db = tmp_path / "watch.db"
    report = watch(db, [site.url("/feed.xml")], replace(FAST, allow_private=False))
    assert (report.fetched, dict(report.skipped)) == (1, {"refused": 2})
    assert not site.requests("/admin")
    with Store(db) as store:
        assert "localhost (at 127.0.0.1) is a loopback address" in store.watch_page(inside)["error"]
        assert "loopback" in store.watch_page(site.url("/news/moved"))["error"]


def test_cli_watch_once_with_warc_then_sources_and_reingest(site: Site, tmp_path: Path) -> None:
    publish(site, "/news/talks", "/news/flights")
    site.feed("/feed.xml", ["/news/talks", "/news/flights"], etag='"v1"')
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"# the herald\n{site.url('/feed.xml')}\n", encoding="utf-8")
    db, warc = tmp_path / "watch.db", tmp_path / "warc"
    runner = CliRunner()
    options = ["--db", str(db), "--allow-private", "--delay", "0", "--once", "--no-events"]
    result = runner.invoke(app, ["watch", str(listing), *options, "--warc", str(warc)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "2 fetched, 2 new articles" in said and "responses written to" in said

    shown = runner.invoke(app, ["sources", "--db", str(db)], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    row = next(line for line in shown.output.splitlines() if "feed.xml" in line)
    assert "feed" in row and "2 done" in row and "200" in row

    # The WARC holds the pages as fetched: ingest reads the same articles back.
    again = tmp_path / "again.db"
    result = runner.invoke(app, ["ingest", str(warc), "--db", str(again), "--no-events"])
    assert result.exit_code == 0, result.output
    assert stored_urls(again) == stored_urls(db)


def publish_visit(site: Site) -> None:
    """A feed of one article reporting a China-US meeting."""
    site.article(
        "/news/visit",
        "Blinken meets Wang Yi in Beijing",
        "2023-06-19",
        "US Secretary of State Antony Blinken met Chinese foreign policy chief Wang Yi in "
        "Beijing on Monday, and the two sides agreed to keep talking.",
    )
    site.feed("/feed.xml", ["/news/visit"], etag='"v1"')


def test_watch_codes_events_of_new_articles(site: Site, tmp_path: Path) -> None:
    publish_visit(site)
    db = tmp_path / "watch.db"
    with Store(db) as store:
        report = Watcher(store, [site.url("/feed.xml")], FAST).round()
        assert report.ingest and report.ingest.coding and report.ingest.coding.articles == 1
        assert store.events(dyad=("CHN", "USA"))


def test_watch_writes_the_digest_after_each_round(site: Site, tmp_path: Path) -> None:
    publish_visit(site)
    db, out = tmp_path / "watch.db", tmp_path / "digest.json"
    options = ["--db", str(db), "--allow-private", "--delay", "0", "--once"]
    runner = CliRunner()
    refused = runner.invoke(app, ["watch", site.url("/feed.xml"), *options, "--since", "soon"])
    assert refused.exit_code == 2 and not site.requests("/feed.xml")  # nothing fetched
    digest = ["--digest", str(out), "--since", "2023-06-01"]
    result = runner.invoke(app, ["watch", site.url("/feed.xml"), *options, *digest])
    assert result.exit_code == 0, result.output
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["dyad"] == "CHN-USA" and written["period"]["start"] == "2023-06-01"
    told = [m["sentence"] for e in written["key_events"] for m in e["mentions"]]
    assert any("Blinken met" in sentence for sentence in told)


def test_sources_named_by_files(tmp_path: Path) -> None:
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body><outline text="World">'
        '<outline text="A" xmlUrl="https://a.example/rss"/>'
        '<outline text="B" xmlUrl="https://b.example/atom"/></outline></body></opml>',
        encoding="utf-8",
    )
    listing = tmp_path / "sources.txt"
    listing.write_text(
        "https://c.example/sitemap.xml\n\n# comment\nfeeds.opml\nhttps://a.example/rss\n",
        encoding="utf-8",
    )
    assert expand_sources([str(listing), "https://d.example/feed"]) == [
        "https://c.example/sitemap.xml",
        "https://a.example/rss",
        "https://b.example/atom",
        "https://d.example/feed",
    ]
    with pytest.raises(SourceError, match="only http and https"):
        expand_sources(["ftp://example.org/feed"])
    with pytest.raises(SourceError, match="neither an http"):
        expand_sources([str(tmp_path / "missing.txt")])
    assert (parse_interval("15m"), parse_interval("90s"), parse_interval("1h")) == (900, 90, 3600)
    with pytest.raises(ValueError, match="not an interval"):
        parse_interval("soon")
