"""Throughput and peak memory of the whole pipeline: ingest → extract → dedupe → store, then
actors → events.

Writes the 103 benchmark pages as HTML files and their w3m text renderings as .txt files,
ingests each set into a fresh SQLite store with all cores, codes its events, and prints
articles/s for each part and for the whole, and the peak resident memory of the run.

    .venv/bin/python benchmarks/bench_ingest.py [--workers N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import tempfile
import time
from pathlib import Path

from dyadwatch.pipeline import code_events, ingest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PAGES = SHARED / "bench" / "extraction" / "aeb-dev.jsonl.gz"


def write_inputs(folder: Path) -> tuple[Path, Path]:
    html_dir, text_dir = folder / "html", folder / "text"
    html_dir.mkdir()
    text_dir.mkdir()
    with gzip.open(PAGES, "rt", encoding="utf-8") as rows:
        for row in map(json.loads, rows):
            (html_dir / f"{row['id']}.html").write_text(row["html"], encoding="utf-8")
            (text_dir / f"{row['id']}.txt").write_text(row["text"]["w3m"], encoding="utf-8")
    return html_dir, text_dir


def peak_memory_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, workers) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for kind, inputs in zip(("html", "text"), write_inputs(folder), strict=True):
            count = len(list(inputs.iterdir()))
            db = folder / f"{kind}.db"
            started = time.perf_counter()
            report = ingest([str(inputs)], db, workers=args.workers, code=False)
            read = time.perf_counter() - started
            coding = code_events(db)
            elapsed = time.perf_counter() - started
            print(
                f"{kind:4s}: {count} pages; ingest {count / read:6.1f} articles/s "
                f"({report.articles} stored, {len(report.problems)} problems); "
                f"events {coding.articles / (elapsed - read):6.1f} articles/s "
                f"({coding.event_mentions} event mentions); "
                f"whole pipeline {count / elapsed:6.1f} articles/s with {args.workers} workers"
            )
    print(f"peak resident memory: {peak_memory_mib():.0f} MiB (largest single process)")


if __name__ == "__main__":
    main()
