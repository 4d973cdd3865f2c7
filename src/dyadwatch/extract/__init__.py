"""Stage 2, extract: a raw ``Document`` becomes an ``Article`` (clean body and metadata).

Web pages go through trafilatura and htmldate; plain-text scrapes through our line-level
cleaner. Metadata from a container (feed entry, JSON line) fills what the extractor did not
find, and the container's date is evidence like any other. The publication date is only set
from evidence that is at least of medium confidence.
"""

from __future__ import annotations

from dyadwatch.extract.html import extract_html
from dyadwatch.extract.language import detect_language
from dyadwatch.extract.text import extract_text
from dyadwatch.models import Article, DateEvidence, Document

ENGLISH = "en"
CONFIDENCE_RANK = {"high": 0, "medium": 1}  # "low" evidence never sets the date
CONTAINER_ORIGIN = {"rss": "feed", "atom": "feed", "jsonl": "jsonl"}


def extract(doc: Document) -> Article:
    found = (
        extract_html(doc.content, doc.url)
        if doc.kind == "html"
        else extract_text(doc.content, doc.url)
    )
    evidence = _container_evidence(doc) + list(found.date_evidence)
    language = detect_language(found.body)
    return Article(
        source=doc.source,
        record=doc.record,
        format=doc.format,
        body=found.body,
        url=doc.url,
        title=found.title or doc.title,
        author=found.author or doc.author,
        # Extractors fall back to the URL's host; a named outlet from the container is better.
        outlet=doc.outlet or found.outlet,
        published=_best_date(evidence),
        date_evidence=evidence,
        language=language,
        skip_reason=_skip_reason(found.body, language),
    )


def _container_evidence(doc: Document) -> list[DateEvidence]:
    # A feed or a JSON line states when the item was published: it comes first among equals.
    if not doc.published:
        return []
    origin = CONTAINER_ORIGIN.get(doc.format, doc.format or "container")
    return [DateEvidence(doc.published, origin, "high", f"date given by the {origin} item")]


def _best_date(evidence: list[DateEvidence]) -> str | None:
    confident = [e for e in evidence if e.confidence in CONFIDENCE_RANK]
    # sorted() is stable: among equally confident evidence the earlier one wins.
    ranked = sorted(confident, key=lambda e: CONFIDENCE_RANK[e.confidence])
    return ranked[0].date if ranked else None


def _skip_reason(body: str, language: str | None) -> str | None:
    if not body.strip():
        return "no article body found"
    if language is not None and language != ENGLISH:
        return f"language {language}: later stages are English-only"
    return None
