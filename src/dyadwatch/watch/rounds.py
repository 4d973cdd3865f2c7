"""A round of watching: poll the sources, then fetch and ingest the pages they listed.

Every step is committed as it is made, so a round stopped or killed anywhere loses nothing:
a polled source's new ETag is stored with the pages it listed (as "pending"); a fetched page
is marked "fetched" with its body's hash before it is ingested, and "done" after. The next
round finishes the pages still open, even when the source has not changed since; a page
"fetched" whose body was already ingested is marked done without fetching it again.
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path, PurePosixPath
from tempfile import TemporaryDirectory
from typing import Any
from urllib.parse import urlsplit

from dyadwatch.ingest import InputFile, detect_format
from dyadwatch.ingest.discover import HEAD_BYTES
from dyadwatch.pipeline import Ingestor, IngestReport, ingesting
from dyadwatch.store import Store, now
from dyadwatch.watch.archive import WarcArchive
from dyadwatch.watch.fetch import RETRIED, Fetcher, FetchError, Politeness, Response, Stopped
from dyadwatch.watch.sources import SourceError, read_listing

MAX_ATTEMPTS = 3  # rounds in which a page that failed for a passing reason is tried
# (stage, done, in all, current URL); stage is "poll" for sources, "fetch" for pages.
WatchHook = Callable[[str, int, int, str], None]


@dataclass
class RoundReport:
    sources: int = 0  # polled, sitemaps of an index included
    unchanged: int = 0  # sources that answered "not modified"
    source_errors: dict[str, str] = field(default_factory=dict)  # by URL
    new_pages: int = 0  # listed for the first time
    fetched: int = 0  # pages fetched and ingested
    skipped: Counter[str] = field(default_factory=Counter)  # pages not ingested, by status
    stopped: bool = False  # a stop was asked for before the round's end
    ingest: IngestReport | None = None
    warc: Path | None = None  # where this round's responses were written


class Watcher:
    """Watches ``sources`` (URLs of feeds and sitemaps) into ``store``. ``stop`` ends a round
    between two pages (and cuts waits short); ``progress`` is told of each source and page."""

    def __init__(
        self,
        store: Store,
        sources: Sequence[str],
        politeness: Politeness | None = None,
        warc: Path | None = None,
        code: bool = True,
        stop: threading.Event | None = None,
        progress: WatchHook | None = None,
    ) -> None:
        self.store = store
        self.sources = list(sources)
        self.politeness = politeness or Politeness()
        self.warc = warc
        self.code = code
        self.stop = stop or threading.Event()
        self.progress = progress

    def rounds(self, every: float | None = None) -> Iterator[RoundReport]:
        """One round, then (with ``every`` seconds) one more each time that has passed, until
        a stop is asked for."""
        while True:
            yield self.round()
            if every is None or self.stop.wait(every):
                return

    def round(self) -> RoundReport:
        report = RoundReport()
        archive = WarcArchive(self.warc) if self.warc else None
        fetcher = Fetcher(self.politeness, self.stop, archive.write if archive else None)
        try:
            source_ids = self._poll_all(fetcher, report)
            self._fetch_pages(fetcher, source_ids, report)
        except Stopped:
            report.stopped = True
        finally:
            fetcher.close()
        if archive and archive.path.exists():
            report.warc = archive.path
        return report

    # --- sources ------------------------------------------------------------------------

    def _poll_all(self, fetcher: Fetcher, report: RoundReport) -> list[int]:
        """Poll every source (and the sitemaps of an index, listed now or before)."""
        queue, polled = self.store.add_watch_sources(self.sources), []
        while queue:
            source = queue.pop(0)
            if source["id"] in polled:
                continue
            if self.stop.is_set():
                raise Stopped
            polled.append(source["id"])
            report.sources = len(polled)
            if self.progress:
                self.progress("poll", len(polled), len(polled) + len(queue), source["url"])
            self._poll(fetcher, source, report)
            queue += self.store.watch_children(source["id"])
        return polled

    def _poll(self, fetcher: Fetcher, source: dict[str, Any], report: RoundReport) -> None:
        response: Response | None = None
        try:
            response = fetcher.get(source["url"], _conditional(source))
            if response.status == 304:
                report.unchanged += 1
                self.store.save_watch_poll(source["id"], {"http_status": 304, "error": None}, [])
                return
            if not 200 <= response.status < 300:
                raise SourceError(f"HTTP {response.status}")
            listing = read_listing(response.body, response.url, self.politeness.max_bytes)
        except (FetchError, SourceError) as error:
            reason = error.reason if isinstance(error, FetchError) else str(error)
            report.source_errors[source["url"]] = reason
            status = response.status if response else None
            self.store.save_watch_poll(source["id"], {"http_status": status, "error": reason}, [])
            return
        if listing.sitemaps:
            self.store.add_watch_sources(listing.sitemaps, parent_id=source["id"])
        if listing.problem:
            report.source_errors[source["url"]] = listing.problem
        values = {
            "kind": listing.kind,
            "http_status": response.status,
            "etag": response.headers.get("etag"),
            "last_modified": response.headers.get("last-modified"),
            "error": listing.problem,
        }
        report.new_pages += self.store.save_watch_poll(source["id"], values, listing.pages)

    # --- pages --------------------------------------------------------------------------

    def _fetch_pages(self, fetcher: Fetcher, source_ids: list[int], report: RoundReport) -> None:
        pages = _interleaved(self.store.open_watch_pages(source_ids))
        if not pages:  # nothing new: the ingest stage is not even loaded
            return
        spool = TemporaryDirectory(prefix="dyadwatch-watch-")
        with spool, ingesting(self.store, workers=1, code=self.code) as ingestor:
            for done, page in enumerate(pages):
                if self.stop.is_set():
                    report.stopped = True
                    break
                try:
                    self._page(fetcher, ingestor, Path(spool.name), page, report)
                except Stopped:
                    report.stopped = True
                    break
                if self.progress:
                    self.progress("fetch", done + 1, len(pages), page["url"])
        report.ingest = ingestor.report

    def _page(
        self,
        fetcher: Fetcher,
        ingestor: Ingestor,
        spool: Path,
        page: dict[str, Any],
        report: RoundReport,
    ) -> None:
        stored = self.store.find_input(page["sha256"]) if page["sha256"] else None
        if stored and stored["status"] != "reading":  # ingested, then killed before "done"
            self.store.update_watch_page(page["id"], status="done", input_id=stored["id"])
            return
        try:
            response = fetcher.get(page["url"])
        except FetchError as error:
            self._not_ingested(page, error.kind, error.reason, None, report)
            return
        if not 200 <= response.status < 300:
            kind = "transient" if response.status in RETRIED else "failed"
            self._not_ingested(page, kind, f"HTTP {response.status}", response.status, report)
            return
        page_file = _spooled(spool, response)
        if page_file.format != "html":
            reason = f"not an HTML page ({page_file.format})"
            self._not_ingested(page, "failed", reason, response.status, report)
            return
        self.store.update_watch_page(
            page["id"],
            status="fetched",
            attempts=page["attempts"] + 1,
            http_status=response.status,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            sha256=page_file.sha256,
            error=None,
            fetched_at=now(),
        )
        ingestor.run([page_file])
        page_file.path.unlink()
        stored = self.store.find_input(page_file.sha256)
        self.store.update_watch_page(page["id"], status="done", input_id=stored and stored["id"])
        report.fetched += 1

    def _not_ingested(
        self,
        page: dict[str, Any],
        kind: str,
        reason: str,
        http_status: int | None,
        report: RoundReport,
    ) -> None:
        """A page refused, disallowed or failed; one that failed for a passing reason stays
        pending for the next rounds, up to ``MAX_ATTEMPTS`` tries."""
        attempts = page["attempts"] + 1
        status = kind
        if kind in ("failed", "transient"):
            status = "pending" if kind == "transient" and attempts < MAX_ATTEMPTS else "failed"
        self.store.update_watch_page(
            page["id"],
            status=status,
            attempts=attempts,
            http_status=http_status,
            error=reason,
            fetched_at=now(),
        )
        report.skipped["retry later" if status == "pending" else status] += 1


def _conditional(source: dict[str, Any]) -> dict[str, str]:
    headers = {}
    if source["etag"]:
        headers["If-None-Match"] = source["etag"]
    if source["last_modified"]:
        headers["If-Modified-Since"] = source["last_modified"]
    return headers


def _spooled(spool: Path, response: Response) -> InputFile:
    """A fetched page as an input of the ingest stage, under its URL."""
    sha256 = hashlib.sha256(response.body).hexdigest()
    path = spool / sha256
    path.write_bytes(response.body)
    name = PurePosixPath(urlsplit(response.url).path).name
    fmt = detect_format(response.body[:HEAD_BYTES], name)
    return InputFile(response.url, path, sha256, len(response.body), fmt, url=response.url)


def _interleaved(pages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pages taken from each host in turn, so that one host's delay is another's fetch."""
    by_host: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for page in pages:
        by_host[urlsplit(page["url"]).netloc].append(page)
    return [page for turn in zip_longest(*by_host.values()) for page in turn if page]
