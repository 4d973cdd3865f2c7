"""Body extraction from plain-text scrapes: shingle P/R/F1 on the benchmark's renderings.

    .venv/bin/python benchmarks/bench_text.py

Scores ``dyadwatch.extract.text.extract_text`` on the `text.lxml_blocks` and `text.w3m`
renderings of the 103 development pages, beside the keep-everything baseline. The line
model was fitted on these same pages, so these figures are in-sample; the held-out figures
are the cross-validated ones that ``benchmarks/train_text.py`` prints.
"""

from __future__ import annotations

import time

from shingle_f1 import aeb_pages, shingle_scores

from dyadwatch.extract.text import extract_text

RENDERINGS = ("lxml_blocks", "w3m")


def main() -> None:
    pages = list(aeb_pages())
    for rendering in RENDERINGS:
        texts = [(page["text"][rendering], page["gold_body"]) for page in pages]
        started = time.perf_counter()
        outputs = [extract_text(text).body for text, _ in texts]
        elapsed = time.perf_counter() - started
        p, r, f1 = shingle_scores(zip(outputs, (gold for _, gold in texts), strict=True))
        _, _, baseline = shingle_scores(texts)
        print(
            f"text {rendering:11s} (in-sample): P {p:.3f} R {r:.3f} F1 {f1:.3f} (goal 0.92; "
            f"keep-everything {baseline:.3f}); {len(pages) / elapsed:.0f} pages/s"
        )


if __name__ == "__main__":
    main()
