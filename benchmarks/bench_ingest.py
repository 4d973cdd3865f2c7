"""Throughput and peak memory of the whole pipeline: ingest → extract → dedupe → store, then
actors → events.

Writes the 103 benchmark pages as HTML files and their w3m text renderings as .txt files and,
for each set, in a fresh interpreter each time (so every run loads its models, as a real one
does; the clock starts after the imports):

- ``ingest``: ingest → extract → dedupe → store into a fresh SQLite store, without coding;
- ``events``: then code the stored articles (``code_events``), in the same interpreter;
- ``whole``: the whole pipeline as one job (``ingest``, which codes events as it stores)
  into another fresh store.

Prints articles/s and CPU time per article (user + system, worker processes included: less
noisy than the clock when other jobs share the cores) for each, and the peak resident memory
of the largest single process.

    .venv/bin/python benchmarks/bench_ingest.py [--workers N] [--repeat N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

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


def cpu_seconds() -> float:
    """User + system time of this process and of its reaped children (the workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def peak_memory_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, workers) / 1024


def measure(mode: str, inputs: Path, db: Path, workers: int) -> dict[str, Any]:
    """One run in this interpreter: wall and CPU seconds of each part."""
    from dyadwatch.pipeline import code_events, ingest

    found: dict[str, Any] = {"mode": mode, "pages": len(list(inputs.iterdir()))}
    started, cpu = time.perf_counter(), cpu_seconds()
    report = ingest([str(inputs)], db, workers=workers, code=mode == "whole")
    found.update(
        seconds=time.perf_counter() - started,
        cpu=cpu_seconds() - cpu,
        stored=report.articles,
        problems=len(report.problems),
    )
    if mode == "whole":
        assert report.coding is not None
        found.update(coded=report.coding.articles, event_mentions=report.coding.event_mentions)
    else:
        started, cpu = time.perf_counter(), cpu_seconds()
        coding = code_events(db, workers=workers)
        found.update(
            events_seconds=time.perf_counter() - started,
            events_cpu=cpu_seconds() - cpu,
            coded=coding.articles,
            event_mentions=coding.event_mentions,
        )
    found["peak_mib"] = peak_memory_mib()
    return found


def run_fresh(mode: str, inputs: Path, db: Path, workers: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--one", mode, str(inputs), str(db), str(workers)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return dict(json.loads(output.splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the median shows")
    parser.add_argument("--one", nargs=4, help=argparse.SUPPRESS)  # a single run (internal)
    args = parser.parse_args()
    if args.one:
        mode, inputs, db, workers = args.one
        print(json.dumps(measure(mode, Path(inputs), Path(db), int(workers))))
        return
    peak = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for kind, inputs in zip(("html", "text"), write_inputs(folder), strict=True):
            runs: dict[str, list[dict[str, Any]]] = {"ingest": [], "whole": []}
            for n in range(args.repeat):
                for mode, found in runs.items():
                    db = folder / f"{kind}-{mode}-{n}.db"
                    found.append(run_fresh(mode, inputs, db, args.workers))
            staged, whole = runs["ingest"], runs["whole"]
            peak = max([peak] + [r["peak_mib"] for r in staged + whole])
            count = staged[0]["pages"]

            def rate(rows: list[dict[str, Any]], *keys: str, count: int = count) -> str:
                per_s = statistics.median(count / sum(r[k] for k in keys) for r in rows)
                return f"{per_s:6.1f} articles/s"

            def cpu(rows: list[dict[str, Any]], *keys: str, count: int = count) -> str:
                per_article = statistics.median(sum(r[k] for k in keys) / count for r in rows)
                return f"{per_article * 1000:5.0f} ms CPU/article"

            print(
                f"{kind:4s}: {count} pages, {staged[0]['stored']} stored, "
                f"{staged[0]['problems']} problems, {whole[0]['event_mentions']} event mentions; "
                f"{args.workers} workers, median of {args.repeat}\n"
                f"  ingest+extract+dedupe+store {rate(staged, 'seconds')}"
                f" ({cpu(staged, 'cpu')})\n"
                f"  then events on the store    {rate(staged, 'events_seconds')}"
                f" ({cpu(staged, 'events_cpu')})\n"
                f"  the two one after the other {rate(staged, 'seconds', 'events_seconds')}"
                f" ({cpu(staged, 'cpu', 'events_cpu')})\n"
                f"  whole pipeline, one job     {rate(whole, 'seconds')} ({cpu(whole, 'cpu')})"
            )
    print(f"peak resident memory: {peak:.0f} MiB (largest single process)")


if __name__ == "__main__":
    main()
