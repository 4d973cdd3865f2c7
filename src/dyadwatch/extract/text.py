"""Plain-text scrapes: find the article body among menus, share bars, tickers and footers.

A line-level method: a small tree model (``text_lines``) gives each non-empty line the
probability that it belongs to the article body; the body is then the contiguous run of
lines with the most evidence (a maximum-sum segment over probability minus a threshold,
weighted by words), so a stray short line inside the article stays and prose in comment
threads or teaser lists far from it goes. Metadata (title, byline, date, outlet) is read from
the lines around the body by ``text_meta``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dyadwatch.extract.text_lines import (
    COMMENT_OPENERS,
    LineModel,
    is_share_row,
    line_model,
    line_shape,
    max_sum_run,
    page_features,
)
from dyadwatch.extract.text_meta import CAPTION, read_metadata
from dyadwatch.models import DateEvidence

MAX_LINES = 20_000  # a scrape longer than this is cut: no article is that long
# Lines weigh in for the body above this probability. Below one half because a wrong cut
# inside the article costs more than a stray line at its edge (cross-validated on the bench).
KEEP = 0.4
# After the best run the body goes on over lines that are still somewhat likely and not
# debris (the list or table that follows an article's first paragraphs), past at most
# EXTEND_GAP other lines in a row, up to a tail opener (cross-validated on the bench).
EXTEND_P = 0.1
EXTEND_GAP = 2
COMMENTS_AFTER = 0.1  # a comment thread's opener ends the body once this share of it is behind
# The model learned on whole web pages (38 lines and more); on a scrape shorter than this it
# can rate every line below KEEP, and then the lines rated at least half the best one's are read.
SHORT_PAGE = 20


@dataclass
class TextExtraction:
    body: str  # paragraphs separated by blank lines
    title: str | None
    author: str | None
    outlet: str | None
    date_evidence: list[DateEvidence]


def extract_text(text: str, url: str | None = None) -> TextExtraction:
    """The article body and metadata of a plain-text scrape."""
    lines = page_lines(text)
    probabilities = line_probabilities(lines)
    start, end = body_span(lines, probabilities)
    meta = read_metadata(lines, start, end, url)
    if meta.body_end is not None:
        end = min(end, meta.body_end)
    body = body_text(lines, probabilities, start, end)
    return TextExtraction(body, meta.title, meta.author, meta.outlet, meta.date_evidence)


def line_probabilities(lines: list[str], model: LineModel | None = None) -> list[float]:
    """For each line, the probability that it belongs to the article body."""
    return (model or line_model()).probabilities(page_features(lines)).tolist()


def page_lines(text: str) -> list[str]:
    """The non-empty lines of a scrape, stripped, whatever its newline convention."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    lines = (line.strip() for line in normalised.split("\n"))
    return [line for line in lines if line][:MAX_LINES]


def best_run(lines: list[str], probabilities: list[float]) -> tuple[int, int]:
    """[start, end) maximising the sum of (p - KEEP) x words (Kadane's algorithm)."""
    words = np.array([max(len(line.split()), 1) for line in lines], dtype=float)
    p = np.array(probabilities, dtype=float)
    start, end = max_sum_run((p - KEEP) * words)
    if end <= start and 0 < len(lines) < SHORT_PAGE:
        start, end = max_sum_run((p - p.max() / 2) * words)
    return start, end


def body_span(lines: list[str], probabilities: list[float]) -> tuple[int, int]:
    """The best run of lines, ended early at a line that opens the page's tail ("Related
    posts") once most of the run's words are behind it, or a comment thread ("34 responses
    to", "Leave a reply") once a tenth are; else extended over the likely lines after it."""
    if lines and all(line_shape(line).prose for line in lines):
        return 0, len(lines)  # a clean text (a feed item, a JSON line): nothing to cut
    start, end = best_run(lines, probabilities)
    words = [len(line.split()) for line in lines[start:end]]
    total, seen = sum(words), 0
    for offset, count in enumerate(words):
        line = lines[start + offset]
        if (seen > total / 2 and line_shape(line).tail_opener) or (
            seen > total * COMMENTS_AFTER and len(line) < 80 and COMMENT_OPENERS.match(line)
        ):
            return start, start + offset
        seen += count
    return start, extend_run(lines, probabilities, start, end)


def extend_run(lines: list[str], probabilities: list[float], start: int, end: int) -> int:
    """The end of the body once the lines after the run that still look like it are in."""
    if end <= start:
        return end
    gap = 0
    for index in range(end, len(lines)):
        shape = line_shape(lines[index])
        if shape.tail_opener:
            break
        if probabilities[index] >= EXTEND_P and not shape.debris:
            end, gap = index + 1, 0
        else:
            gap += 1
            if gap > EXTEND_GAP:
                break
    return end


def body_from_probabilities(lines: list[str], probabilities: list[float]) -> str:
    return body_text(lines, probabilities, *body_span(lines, probabilities))


def body_text(lines: list[str], probabilities: list[float], start: int, end: int) -> str:
    """The lines of the body's span, without the debris (share rows, captions, a caption or
    paragraph printed twice) inside it."""
    kept: dict[str, None] = {}  # ordered, and a repeated line is kept once
    for line, p in zip(lines[start:end], probabilities[start:end], strict=True):
        shape = line_shape(line)
        if CAPTION.search(line) or is_share_row(line, shape.words):
            continue
        if p >= KEEP or not shape.debris:
            kept.setdefault(line)
    return "\n\n".join(kept)
