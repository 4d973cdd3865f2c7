"""Publication dates of web pages: P/R/F1 of the HTML extractor's date on 253 pages.

    .venv/bin/python benchmarks/bench_dates.py

The day must match the gold date; no answer is a false negative, a wrong day a false
positive (as in htmldate's own evaluation).
"""

from __future__ import annotations

import gzip
import json
import time

from shingle_f1 import SHARED

from dyadwatch.extract.html import extract_html

PAGES = SHARED / "bench" / "dates" / "htmldate-dev.jsonl.gz"


def main() -> None:
    with gzip.open(PAGES, "rt", encoding="utf-8") as lines:
        pages = [json.loads(line) for line in lines]
    right = wrong = missing = 0
    started = time.perf_counter()
    for page in pages:
        evidence = extract_html(page["html"], page["url"]).date_evidence
        found = evidence[0].date if evidence else None
        if found is None:
            missing += 1
        elif found == page["gold_date"]:
            right += 1
        else:
            wrong += 1
    elapsed = time.perf_counter() - started
    precision = right / (right + wrong) if right + wrong else 0.0
    recall = right / (right + missing) if right + missing else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(
        f"dates: P {precision:.3f} R {recall:.3f} F1 {f1:.3f} (goal 0.94) on {len(pages)} "
        f"pages ({right} right, {wrong} wrong, {missing} none); {len(pages) / elapsed:.1f} pages/s"
    )


if __name__ == "__main__":
    main()
