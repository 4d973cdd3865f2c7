"""Web pages: trafilatura for body and metadata, htmldate (through it) for the date."""

from __future__ import annotations

from dataclasses import dataclass, field

import trafilatura

from dyadwatch.models import DateEvidence

# htmldate's extensive mode, preferring the original publication date over an update.
DATE_PARAMS = {"extensive_search": True, "original_date": True}


@dataclass
class PageExtraction:
    body: str
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    date_evidence: list[DateEvidence] = field(default_factory=list)


def extract_html(html: str, url: str | None = None) -> PageExtraction:
    """Body (paragraphs separated by blank lines) and metadata of one page."""
    found = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params=DATE_PARAMS,
    )
    if found is None:
        return PageExtraction(body="")
    assert not isinstance(found, dict)  # bare_extraction gives a Document unless as_dict
    body = "\n\n".join(line.strip() for line in (found.text or "").splitlines() if line.strip())
    evidence = []
    if found.date:
        evidence.append(
            DateEvidence(found.date, "htmldate", "high", "page metadata, markup or URL")
        )
    return PageExtraction(body, found.title, found.author, found.sitename, evidence)
