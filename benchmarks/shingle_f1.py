"""The article-extraction-benchmark metric: precision and recall over 4-word shingles.

Per document: the shingles (4 consecutive ``\\w+`` tokens, case kept) of the output and of
the gold, counted as multisets, give true and false positives and false negatives, scaled to
sum to one; precision is averaged over documents with some output, recall over documents with
some gold text; F1 is the harmonic mean of the two averages. These are the rules of the
benchmark's own evaluate.py, re-implemented here.
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
    """4-token shingles, case kept; a text shorter than 4 tokens is one shingle."""
    tokens = re.findall(r"\w+", text)
    count = max(1, len(tokens) - SHINGLE + 1)
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(count) if tokens[i : i + SHINGLE])


def document_counts(output: str, gold: str) -> tuple[float, float, float]:
    """True positives, false positives and false negatives over shingles, scaled to sum to 1
    so that long pages weigh no more than short ones."""
    found, expected = shingles(output), shingles(gold)
    counts = [
        sum((found & expected).values()),
        sum((found - expected).values()),
        sum((expected - found).values()),
    ]
    total = sum(counts)
    tp, fp, fn = (c / total for c in counts) if total else (0.0, 0.0, 0.0)
    return tp, fp, fn


def document_scores(output: str, gold: str) -> tuple[float, float]:
    """Precision and recall of one output against its gold text."""
    tp, fp, fn = document_counts(output, gold)
    return _ratio(tp, fp, fn), _ratio(tp, fn, fp)


def _ratio(tp: float, wrong: float, other: float) -> float:
    if wrong == other == 0:
        return 1.0
    return tp / (tp + wrong) if tp + wrong else 0.0


def shingle_scores(pairs: Iterable[tuple[str, str]]) -> tuple[float, float, float]:
    """(precision, recall, F1) over (output, gold) pairs, averaged the benchmark's way:
    precision over pages with some output, recall over pages with some gold text."""
    counts = [document_counts(output, gold) for output, gold in pairs]
    precisions = [_ratio(tp, fp, fn) for tp, fp, fn in counts if tp + fp > 0]
    recalls = [_ratio(tp, fn, fp) for tp, fp, fn in counts if tp + fn > 0]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def aeb_pages() -> Iterator[dict[str, Any]]:
    with gzip.open(AEB_PAGES, "rt", encoding="utf-8") as lines:
        yield from map(json.loads, lines)
