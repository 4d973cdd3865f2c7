"""Web pages: trafilatura for body and metadata, htmldate for the publication date."""

from __future__ import annotations

from dataclasses import dataclass, field

import trafilatura
from htmldate import find_date
from trafilatura.settings import Document as TrafilaturaDocument

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
    evidence = page_dates(html, url, found.date if found else None)
    if found is None:
        return PageExtraction(body="", date_evidence=evidence)
    body = "\n\n".join(line.strip() for line in (found.text or "").splitlines() if line.strip())
    return PageExtraction(body, found.title, found.author, found.sitename, evidence)


def _trafilatura(html: str, url: str | None) -> TrafilaturaDocument | None:
    found = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=INCLUDE_TABLES,
        favor_precision=FAVOR_PRECISION,
        date_extraction_params=METADATA_DATE_PARAMS,
    )
    assert not isinstance(found, dict)  # a dict only with as_dict=True
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
