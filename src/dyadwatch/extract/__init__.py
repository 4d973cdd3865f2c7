"""Stage 2, extract: a raw ``Document`` becomes an ``Article`` (clean body and metadata).

Web pages go through trafilatura and htmldate; plain-text scrapes through our line-level
cleaner. Metadata from a container (feed entry, JSON line) fills what the page lacks, and
its date is evidence like any other. The publication date is only set from evidence that
is at least of medium confidence.
"""

from __future__ import annotations

from dyadwatch.extract.html import extract_html
from dyadwatch.extract.language import detect_language
from dyadwatch.extract.text import extract_text
from dyadwatch.models import Article, DateEvidence, Document

ENGLISH = "en"
CONFIDENT = ("high", "medium")


def extract(doc: Document) -> Article:
    found = (
        extract_html(doc.content, doc.url)
        if doc.kind == "html"
        else extract_text(doc.content, doc.url)
    )
    evidence = list(found.date_evidence)
    if doc.published:
        # The container's own date states when it published the item: put it first.
        evidence.insert(0, DateEvidence(doc.published, doc.format or "container", "high"))
    language = detect_language(found.body)
    return Article(
        source=doc.source,
        record=doc.record,
        format=doc.format,
        body=found.body,
        url=doc.url,
        title=found.title or doc.title,
        author=found.author or doc.author,
        outlet=doc.outlet or found.outlet,
        published=next((e.date for e in evidence if e.confidence in CONFIDENT), None),
        date_evidence=evidence,
        language=language,
        skip_reason=_skip_reason(found.body, language),
    )


def _skip_reason(body: str, language: str | None) -> str | None:
    if not body.strip():
        return "no article body found"
    if language is not None and language != ENGLISH:
        return f"language {language}: later stages are English-only"
    return None
