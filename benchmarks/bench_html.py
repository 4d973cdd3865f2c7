"""Body extraction from web pages: shingle P/R/F1 of the HTML extractor on the 103 pages.

.venv/bin/python benchmarks/bench_html.py
"""

from __future__ import annotations

import time

from shingle_f1 import aeb_pages, shingle_scores

from dyadwatch.extract.html import extract_html


def main() -> None:
    pages = list(aeb_pages())
    started = time.perf_counter()
    outputs = [extract_html(page["html"], page["url"]).body for page in pages]
    elapsed = time.perf_counter() - started
    p, r, f1 = shingle_scores(zip(outputs, (page["gold_body"] for page in pages), strict=True))
    print(
        f"html body: P {p:.3f} R {r:.3f} F1 {f1:.3f} (goal 0.95) on {len(pages)} pages; "
        f"{len(pages) / elapsed:.1f} pages/s on one core (body, metadata and date)"
    )


if __name__ == "__main__":
    main()
