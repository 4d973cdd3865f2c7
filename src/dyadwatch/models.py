"""Typed records passed between pipeline stages.

ingest yields ``Document`` (one candidate article read from an input, raw);
extract turns a ``Document`` into an ``Article`` (clean body plus metadata);
dedupe and store add identity and duplicate links.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from dyadwatch.issues import IssueTag

ContentKind = Literal["html", "text"]
Confidence = Literal["high", "medium", "low"]


@dataclass(frozen=True)
class DateEvidence:
    """One publication-date candidate and where it came from.

    ``origin`` names the evidence ("htmldate", "published-line", "byline", "feed",
    "jsonl", "header-line", ...); ``note`` says why the confidence is what it is.
    """

    date: str  # YYYY-MM-DD
    origin: str
    confidence: Confidence
    note: str = ""


@dataclass
class Document:
    """A raw article candidate read from an input (file, record, feed item, stdin).

    ``source`` is the input path or URL as the user gave it (for a record inside a
    container, the record URL if it has one). ``record`` numbers the candidates
    inside one input so a re-run can recognise what it already stored.
    """

    source: str
    record: int
    kind: ContentKind
    content: str
    url: str | None = None
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    published: str | None = None  # YYYY-MM-DD given by the container (feed, JSONL)
    format: str = ""  # reader that produced it: html, text, jsonl, rss, atom, warc


@dataclass
class Article:
    """An extracted article: clean body and metadata, ready to store."""

    source: str
    record: int
    format: str
    body: str
    url: str | None = None
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    published: str | None = None  # only a date we are sure enough of
    date_evidence: list[DateEvidence] = field(default_factory=list)
    language: str | None = None
    skip_reason: str | None = None  # set when later (English-only) stages must skip it


@dataclass(frozen=True)
class Problem:
    """An input (or a record inside one) that could not be read, with the reason."""

    source: str
    reason: str
    record: int | None = None


@dataclass(frozen=True)
class ArticleTags:
    """What an article and each of its event sentences are about, and their tone."""

    tone: float
    issues: list[IssueTag]
    mention_tones: list[float]  # one per event mention, in the coding's order
    mention_issues: list[list[IssueTag]]
    # its stance on each pair of countries it names (see ``dyadwatch.stance.stances_of``)
    stances: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
