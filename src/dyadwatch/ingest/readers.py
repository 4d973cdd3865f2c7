"""Read the article candidates inside one input, whatever its format.

Every reader yields ``Document`` records numbered 0, 1, 2... in input order (so a re-run
knows what it already stored) and turns what it cannot read into a ``Problem``.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from xml.sax import SAXException

import feedparser
from dateutil import parser as dateutil_parser
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecordLoader

from dyadwatch.ingest.decode import decode
from dyadwatch.ingest.discover import InputFile
from dyadwatch.models import ContentKind, Document, Problem

MAX_PAGE_BYTES = 10 * 1024 * 1024  # a single page larger than this is not an article
MAX_FEED_BYTES = 50 * 1024 * 1024
Items = Iterator[Document | Problem]
PART_PROBES = (datetime(2001, 1, 1), datetime(2002, 2, 2))
# Whole dates only, and none relative to today ("yesterday"): a re-run must give the same day.
DATEPARSER_SETTINGS: Any = {
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PARSERS": ["custom-formats", "absolute-time"],
}


def read_documents(input_file: InputFile) -> Items:
    """The documents inside an input; problems instead of exceptions."""
    reader = READERS.get(input_file.format)
    if reader is None:
        yield Problem(input_file.source, _unreadable(input_file))
        return
    try:
        yield from reader(input_file)
    except (OSError, EOFError, zlib.error, ArchiveLoadFailed) as error:
        yield Problem(input_file.source, f"unreadable or truncated {input_file.format}: {error}")
    except Exception as error:  # a parser tripping on hostile input must not end the run
        kind = type(error).__name__
        yield Problem(input_file.source, f"malformed {input_file.format}: {kind}: {error}")


def _unreadable(input_file: InputFile) -> str:
    if input_file.format == "empty":
        return "empty file"
    if input_file.format == "other-text":
        suffix = input_file.path.suffix
        return f"not read: a {suffix} text file (plain-text scrapes are read from .txt files)"
    return "unsupported format: binary or compressed data that is not a WARC archive"


def _read_page(input_file: InputFile) -> Items:
    if input_file.size > MAX_PAGE_BYTES:
        yield Problem(
            input_file.source,
            f"too large for one article: {input_file.size / 2**20:.0f} MB "
            f"(limit {MAX_PAGE_BYTES // 2**20} MB)",
        )
        return
    content = decode(input_file.path.read_bytes())
    kind: ContentKind = "html" if input_file.format == "html" else "text"
    yield Document(input_file.source, 0, kind, content, input_file.url, format=input_file.format)


def _read_jsonl(input_file: InputFile) -> Items:
    with input_file.path.open("rb") as lines:
        for number, raw in enumerate(lines):
            if raw.strip():
                yield _json_document(input_file.source, number, raw)


def _json_document(source: str, number: int, raw: bytes) -> Document | Problem:
    # the kind of fault first: the end-of-run summary counts problems by it
    where = f"line {number + 1}"
    if len(raw) > MAX_PAGE_BYTES:
        return Problem(source, f"too large for one article: {where}", number)
    try:
        item = json.loads(decode(raw))
    except (ValueError, RecursionError) as error:  # RecursionError: nested past the limit
        return Problem(source, f"malformed JSON: {where} ({error})", number)
    if not isinstance(item, dict):
        return Problem(source, f"not a JSON object: {where}", number)
    html, text = item.get("html"), item.get("text")
    content = html if isinstance(html, str) and html.strip() else text
    if not isinstance(content, str) or not content.strip():
        return Problem(source, f"no 'text' or 'html' field: {where}", number)
    return Document(
        source=_text(item.get("url")) or source,
        record=number,
        kind="html" if content is html else "text",
        content=content,
        url=_text(item.get("url")),
        title=_text(item.get("title")),
        author=_text(item.get("author")),
        outlet=_text(item.get("outlet")),
        published=_day(item.get("published")),
        format="jsonl",
    )


def _read_feed(input_file: InputFile) -> Items:
    if input_file.size > MAX_FEED_BYTES:
        yield Problem(input_file.source, f"feed too large ({input_file.size / 2**20:.0f} MB)")
        return
    feed = feedparser.parse(input_file.path.read_bytes(), sanitize_html=False)
    if not feed.entries:
        reason = feed.get("bozo_exception") or "no entries"
        yield Problem(input_file.source, f"malformed or empty feed: {reason}")
        return
    outlet = _text(feed.feed.get("title"))
    for number, entry in enumerate(feed.entries):
        yield _feed_document(input_file.source, number, entry, outlet, feed.version)
    # feedparser's lenient parser recovers entries from broken XML; say it was broken. (Its
    # other complaints, such as a charset it had to override, are not problems.)
    if isinstance(feed.get("bozo_exception"), SAXException):
        reason = f"malformed feed, entries read as far as possible: {feed.bozo_exception}"
        yield Problem(input_file.source, reason)


def _feed_document(
    source: str, number: int, entry: Any, outlet: str | None, version: str
) -> Document:
    contents = entry.get("content") or []
    # An entry with little or no text is still a candidate: extract decides what it holds.
    html = (contents[0].get("value") if contents else entry.get("summary")) or ""
    link = _text(entry.get("link"))
    return Document(
        source=link or source,
        record=number,
        kind="html",
        content=html,
        url=link,
        title=_text(entry.get("title")),
        author=_text(entry.get("author")),
        outlet=outlet,
        published=_entry_day(entry),
        format="atom" if version.startswith("atom") else "rss",
    )


def _entry_day(entry: Any) -> str | None:
    # The written date keeps the publisher's own day; feedparser's parsed one is in UTC.
    written = _day(entry.get("published") or entry.get("updated"))
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return written or (date(*parsed[:3]).isoformat() if parsed else None)


def _read_warc(input_file: InputFile) -> Items:
    number, records = 0, 0
    with input_file.path.open("rb") as stream:
        for record in _archive(stream):
            records += record.rec_type is not None  # a cut header parses as an empty record
            wanted = record.rec_type == "response" and _is_html_page(record)
            # Every record is read to its end, so a cut in a skipped one is noticed too.
            payload = record.content_stream().read(MAX_PAGE_BYTES + 1) if wanted else b""
            _drain(record.raw_stream)
            # Left to read after draining: the archive ended inside this record.
            if getattr(record.raw_stream, "limit", 0):  # no limit without a Content-Length
                yield Problem(input_file.source, f"truncated WARC: cut inside record {records}")
                return
            if not wanted:
                continue
            yield _warc_document(input_file.source, number, record, payload)
            number += 1
    if not records:
        yield Problem(input_file.source, "truncated or malformed WARC: no record could be read")


def _archive(stream: Any) -> ArchiveIterator:
    archive = ArchiveIterator(stream)
    # The iterator reads nothing before the first record is asked for: not too late to swap.
    archive.loader = _RecordLoader(verify_http=False, arc2warc=False)  # the iterator's defaults
    return archive


class _RecordLoader(ArcWarcRecordLoader):
    """warcio's loader, except that a record without WARC-Target-URI does not end the archive
    (warcio 1.8 calls ``uri.startswith`` on it): that record alone is a problem."""

    def load_http_headers(self, rec_type: str, uri: str | None, stream: Any, length: Any) -> Any:
        return super().load_http_headers(rec_type, uri or "", stream, length)


def _warc_document(source: str, number: int, record: Any, payload: bytes) -> Document | Problem:
    url = record.rec_headers.get_header("WARC-Target-URI")
    if not url:  # the standard requires it of a response: without it a page has no address
        return Problem(source, "malformed warc: a response record without WARC-Target-URI", number)
    if len(payload) > MAX_PAGE_BYTES:
        return Problem(url, "too large for one article", number)
    return Document(
        source=url,
        record=number,
        kind="html",
        content=decode(payload, _http_charset(record)),
        url=url,
        format="warc",
    )


def _drain(stream: Any) -> None:
    while stream.read(1 << 16):
        pass


def _is_html_page(record: Any) -> bool:
    """A successful HTML response (redirects and error pages are not articles)."""
    http = record.http_headers
    if http is None:
        return True  # a bare response record: its payload decides
    kind = http.get_header("Content-Type")
    return (kind is None or "html" in kind.lower()) and http.get_statuscode().startswith("2")


def _http_charset(record: Any) -> str | None:
    http = record.http_headers
    kind = (http.get_header("Content-Type") if http else None) or ""
    return kind.split("charset=", 1)[1].strip(" ;\"'") if "charset=" in kind else None


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _day(value: Any) -> str | None:
    """A full date written any common way (even "Seg, 24 Set 2018") as YYYY-MM-DD, else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        # dateutil fills missing parts from its default: two defaults tell if a part is missing.
        first, second = (
            dateutil_parser.parse(value, fuzzy=True, default=default).date()
            for default in PART_PROBES
        )
    except (ValueError, OverflowError):
        return _day_in_any_language(value)
    return first.isoformat() if first == second else _day_in_any_language(value)


def _day_in_any_language(value: str) -> str | None:
    import dateparser  # slow to load; needed only for non-English feed dates

    parsed = dateparser.parse(value, settings=DATEPARSER_SETTINGS)
    return parsed.date().isoformat() if parsed else None


READERS = {
    "html": _read_page,
    "text": _read_page,
    "jsonl": _read_jsonl,
    "feed": _read_feed,
    "warc": _read_warc,
}
