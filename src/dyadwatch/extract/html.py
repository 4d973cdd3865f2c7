"""Web pages: trafilatura for body and metadata, htmldate for the publication date.

The page is parsed once for trafilatura; its metadata is read from that tree by trafilatura's
own functions, but only the fields kept here (title, author, site name, a quick date): its
categories, tags and licence would cost a tenth of the extraction for nothing. htmldate parses
the page itself, as its own parser keeps the comments (some pages date themselves there).
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

import trafilatura
from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura import metadata as trafilatura_metadata
from trafilatura.settings import Document as TrafilaturaDocument
from trafilatura.utils import load_html

from dyadwatch.models import DateEvidence

# trafilatura's metadata date is only a second opinion: its quick mode keeps the cost low.
METADATA_DATE_PARAMS = {"extensive_search": False, "original_date": True}
# Chosen on the body benchmark: favouring precision loses no F1 against the default and keeps
# boilerplate (related headlines, teasers) that would feed spurious events to later stages
# out; tables in news pages are mostly article content (figures, results), and with them
# recall rises by two points.
FAVOR_PRECISION = True
INCLUDE_TABLES = True


@dataclass
class PageExtraction:
    body: str
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    date_evidence: list[DateEvidence] = field(default_factory=list)


def extract_html(html: str, url: str | None = None) -> PageExtraction:
    """Body (paragraphs separated by blank lines), metadata and date evidence of one page."""
    found = _trafilatura(html, url)
    meta, text = found if found else (None, None)
    evidence = page_dates(html, url, meta.date if meta else None)
    if meta is None:
        return PageExtraction(body="", date_evidence=evidence)
    body = "\n\n".join(line.strip() for line in (text or "").splitlines() if line.strip())
    return PageExtraction(body, meta.title, meta.author, meta.sitename, evidence)


def _trafilatura(html: str, url: str | None) -> tuple[TrafilaturaDocument, str | None] | None:
    """The page's metadata and body text, or None where trafilatura finds no article (as
    ``bare_extraction`` with metadata would say)."""
    tree = load_html(html)
    if tree is None:
        return None
    try:
        meta = page_metadata(tree, url, METADATA_DATE_PARAMS)
    except (TypeError, ValueError):  # what bare_extraction turns into "no article"
        return None
    found = trafilatura.bare_extraction(
        tree,  # copied before trafilatura prunes it
        url=url,
        with_metadata=False,
        include_comments=False,
        include_tables=INCLUDE_TABLES,
        favor_precision=FAVOR_PRECISION,
    )
    assert not isinstance(found, dict)  # a dict only with as_dict=True
    return (meta, found.text) if found is not None else None


def page_metadata(
    tree: HtmlElement, url: str | None, date_params: dict[str, Any]
) -> TrafilaturaDocument:
    """trafilatura's ``extract_metadata`` up to the fields used here, step for step: title,
    author, URL, date and site name, without categories, tags and licence."""
    meta = trafilatura_metadata
    found = meta.examine_meta(tree)
    if found.author and " " not in found.author:
        found.author = None
    with suppress(Exception):  # as trafilatura does: bugs in its JSON metadata reader
        found = meta.extract_meta_json(tree, found)
    found.title = found.title or meta.extract_title(tree)
    found.author = found.author or meta.extract_author(tree)
    found.url = found.url or meta.extract_url(tree, url)
    found.date = find_date(tree, **{**date_params, "url": found.url})
    found.sitename = found.sitename or meta.extract_sitename(tree)
    if found.sitename:
        found.sitename = found.sitename.lstrip("@")  # a Twitter handle
        if found.sitename and "." not in found.sitename and not found.sitename[0].isupper():
            found.sitename = found.sitename.title()
    elif found.url:
        host = meta.META_URL.match(found.url)
        if host:
            found.sitename = host[1]
    found.clean_and_trim()
    return found


def page_dates(html: str, url: str | None, metadata_date: str | None) -> list[DateEvidence]:
    """htmldate's answer first, then trafilatura's metadata date when it differs."""
    evidence = []
    # htmldate's extensive mode, preferring the original publication date over an update;
    # given the page's own URL it scores better on the date benchmark than via trafilatura.
    dated = find_date(html, url=url, extensive_search=True, original_date=True)
    if dated:
        evidence.append(DateEvidence(dated, "htmldate", "high", "page markup, metadata or URL"))
    if metadata_date and metadata_date != dated:
        note = "quick search of the page metadata"
        evidence.append(DateEvidence(metadata_date, "trafilatura", "medium", note))
    return evidence
