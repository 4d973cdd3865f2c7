"""The article-extraction-benchmark metric: precision and recall over 4-word shingles.

Per document: the shingles (4 consecutive ``\\w+`` tokens) of the output and of the gold,
counted as multisets; precision and recall per document, averaged over documents; F1 is the
harmonic mean of the two averages (as in the benchmark's own evaluate.py, re-implemented here).
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
AEB_PAGES = SHARED / "bench" / "extraction" / "aeb-dev.jsonl.gz"
SHINGLE = 4


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = re.findall(r"\w+", text.lower())
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def document_scores(output: str, gold: str) -> tuple[float, float]:
    """Precision and recall of one output against its gold text."""
    found, expected = shingles(output), shingles(gold)
    true_positive = sum((found & expected).values())
    false_positive = sum((found - expected).values())
    false_negative = sum((expected - found).values())
    precision = true_positive / (true_positive + false_positive) if found else 0.0
    recall = true_positive / (true_positive + false_negative) if expected else 1.0
    if not found and not expected:
        precision = 1.0
    return precision, recall


def shingle_scores(pairs: Iterable[tuple[str, str]]) -> tuple[float, float, float]:
    """(precision, recall, F1) over (output, gold) pairs, averaged the benchmark's way."""
    scores = [document_scores(output, gold) for output, gold in pairs]
    precision = sum(p for p, _ in scores) / len(scores)
    recall = sum(r for _, r in scores) / len(scores)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def aeb_pages() -> Iterator[dict[str, Any]]:
    with gzip.open(AEB_PAGES, "rt", encoding="utf-8") as lines:
        yield from map(json.loads, lines)
