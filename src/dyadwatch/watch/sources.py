"""What to watch: the sources a user names, and the pages a fetched source lists.

A source is an RSS/Atom feed or a sitemap (news sitemaps included) by URL; OPML files and
text files (one URL or OPML file a line, ``#`` comments) name many. What a source is shows
only once fetched: a sitemap by its root element, anything else is read as a feed.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.sax import SAXException

import feedparser
from lxml import etree

from dyadwatch.ingest.decode import decode

WEB_SCHEMES = ("http", "https")
SITEMAP_ROOTS = (b"<urlset", b"<sitemapindex")
HEAD_BYTES = 4096
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
INTERVAL = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd]?)")
# No entities, no network, no DTD: an OPML file or sitemap cannot make the parser fetch or
# expand anything.
SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


class SourceError(ValueError):
    """A source that cannot be watched: the message says why."""


@dataclass
class Listing:
    """What a fetched source lists: article pages, or (a sitemap index) more sitemaps."""

    kind: str  # "feed" or "sitemap"
    pages: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    problem: str | None = None  # what was wrong with a source still read


def expand_sources(given: Sequence[str]) -> list[str]:
    """The source URLs named by URLs, OPML files and text files listing either, in order and
    once each; raises ``SourceError`` for anything else."""
    found: list[str] = []
    for item in given:
        found += _expand(item, Path.cwd(), listed=False)
    if not found:
        raise SourceError("no source to watch")
    return list(dict.fromkeys(found))


def _expand(item: str, folder: Path, listed: bool) -> list[str]:
    if "://" in item:
        return [_web_url(item)]
    path = folder / Path(item).expanduser()
    if not path.is_file():
        raise SourceError(f"{item}: neither an http(s) URL nor a file")
    data = path.read_bytes()
    if b"<opml" in data[:HEAD_BYTES].lower():
        return _opml_urls(data, item)
    if listed:
        raise SourceError(f"{item}: a list of sources names URLs and OPML files only")
    lines = (line.strip() for line in decode(data).splitlines())
    return [
        url
        for line in lines
        if line and not line.startswith("#")
        for url in _expand(line, path.parent, listed=True)
    ]


def _web_url(url: str) -> str:
    if urlsplit(url).scheme.lower() not in WEB_SCHEMES:
        raise SourceError(f"{url}: only http and https sources are watched")
    return url


def _opml_urls(data: bytes, name: str) -> list[str]:
    try:
        root = etree.fromstring(data, SAFE_XML)
    except etree.XMLSyntaxError as error:
        raise SourceError(f"{name}: malformed OPML: {error}") from error
    urls = [_web_url(o.get("xmlUrl")) for o in root.iter("{*}outline") if o.get("xmlUrl")]
    if not urls:
        raise SourceError(f"{name}: an OPML file without feeds (no outline with xmlUrl)")
    return urls


def read_listing(body: bytes, url: str, max_bytes: int) -> Listing:
    """The pages (and sitemaps) a fetched feed or sitemap lists, as absolute http(s) URLs;
    raises ``SourceError`` when it is neither."""
    if body.startswith(b"\x1f\x8b"):  # a sitemap.xml.gz
        body = _gunzip(body, max_bytes)
    if any(root in body[:HEAD_BYTES] for root in SITEMAP_ROOTS):
        return _sitemap(body, url)
    feed = feedparser.parse(body, response_headers={"content-location": url}, sanitize_html=False)
    if not feed.entries and (feed.bozo or not feed.version):
        reason = feed.get("bozo_exception") or "neither a feed nor a sitemap"
        raise SourceError(f"malformed feed: {reason}")
    links = [urljoin(url, entry["link"]) for entry in feed.entries if entry.get("link")]
    listing = Listing("feed", pages=_web_urls(links))
    # feedparser's lenient parser recovers entries from broken XML: say it was broken.
    if isinstance(feed.get("bozo_exception"), SAXException):
        listing.problem = f"malformed feed, entries read as far as possible: {feed.bozo_exception}"
    return listing


def _sitemap(body: bytes, url: str) -> Listing:
    try:
        root = etree.fromstring(body, SAFE_XML)
    except etree.XMLSyntaxError as error:
        raise SourceError(f"malformed sitemap: {error}") from error
    # Only a <url>'s own <loc>: an image or video sitemap nests <loc>s of its media.
    pages = [urljoin(url, (loc.text or "").strip()) for loc in root.findall("{*}url/{*}loc")]
    maps = [urljoin(url, (loc.text or "").strip()) for loc in root.findall("{*}sitemap/{*}loc")]
    return Listing("sitemap", pages=_web_urls(pages), sitemaps=_web_urls(maps))


def _web_urls(urls: list[str]) -> list[str]:
    return [u for u in dict.fromkeys(urls) if urlsplit(u).scheme in WEB_SCHEMES]


def _gunzip(body: bytes, max_bytes: int) -> bytes:
    try:
        data = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body, max_bytes + 1)
    except zlib.error as error:
        raise SourceError(f"broken gzip: {error}") from error
    if len(data) > max_bytes:
        raise SourceError(f"over the size cap once decompressed ({max_bytes / 2**20:g} MB)")
    return data


def parse_interval(text: str) -> float:
    """Seconds in "90s", "15m", "1h", "1d" (a bare number is seconds)."""
    found = INTERVAL.fullmatch(text.strip().lower())
    seconds = float(found.group(1)) * UNITS[found.group(2) or "s"] if found else 0.0
    if seconds <= 0:
        raise ValueError(f"not an interval: {text!r} (write 30s, 15m, 1h or 1d)")
    return seconds
