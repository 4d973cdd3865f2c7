"""The whole ingest (extract, dedupe, store, code events) of the same inputs in one process
and on a Dask ``LocalCluster`` of 1 and 2 workers: wall time, speed-up, peak memory per worker,
and whether the stores hold the same rows.

The inputs are news articles made of real ones: the China-US development texts
(``$DYADWATCH_CHINAUS_TEXTS``, default ``~/dyadwatch-dev/chinaus/texts``: 236 articles,
rebuilt as ``../shared/bench/chinaus/README.md`` says), each document the title and opening of one
of them, then paragraphs drawn from the others (seeded, so every run reads the same inputs),
one .txt file each, dated as its first article. Each run is a fresh interpreter (models load
in it, as in a real run); a cluster's start (its workers spawned) is timed apart from the
ingest, which includes loading the models in the workers.

    .venv/bin/python benchmarks/bench_cluster.py [--documents 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

TEXTS = Path(
    os.environ.get("DYADWATCH_CHINAUS_TEXTS", "~/dyadwatch-dev/chinaus/texts")
).expanduser()
MANIFEST = (
    Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "chinaus" / "manifest.jsonl"
)
RUNS = [("single process", 0), ("cluster, 1 worker", 1), ("cluster, 2 workers", 2)]


def write_inputs(folder: Path, count: int, first: int = 0, seed: int = 7) -> None:
    """Documents ``first`` to ``first + count - 1`` (each seed gives other recombinations)."""
    published = {}
    for row in map(json.loads, MANIFEST.read_text(encoding="utf-8").splitlines()):
        published[Path(row["file"]).name] = row["published"]
    articles = []
    for path in sorted(TEXTS.glob("*.txt")):
        title, *paragraphs = path.read_text(encoding="utf-8").split("\n")
        articles.append((title, [p for p in paragraphs if len(p) > 80], published.get(path.name)))
    rng = random.Random(seed)
    for n in range(first, first + count):
        title, paragraphs, day = articles[n % len(articles)]
        others = [p for _, ps, _ in rng.sample(articles, 3) for p in ps[:3]]
        body = paragraphs[:3] + rng.sample(others, min(4, len(others)))
        dateline = f"Published on {date.fromisoformat(day):%d %B %Y}." if day else ""
        text = "\n\n".join([f"{title} ({n})", dateline, *body])
        (folder / f"doc{n:05d}.txt").write_text(text + "\n", encoding="utf-8")


def measure(inputs: Path, db: Path, workers: int) -> dict[str, Any]:
    """One run in this interpreter: 0 workers is the single-process ingest."""
    from dyadwatch.cluster import connect
    from dyadwatch.pipeline import ingest

    if not workers:
        found = timed(lambda: ingest([str(inputs)], db, workers=1))
        found["peak_mib"] = [resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]
        return found
    started = time.perf_counter()
    with connect("local", workers) as client:
        start = time.perf_counter() - started
        found = timed(lambda: ingest([str(inputs)], db, cluster=client))
        usage = client.run(resource.getrusage, resource.RUSAGE_SELF)
    return {**found, "start": start, "peak_mib": [u.ru_maxrss / 1024 for u in usage.values()]}


def timed(run: Callable[[], Any]) -> dict[str, Any]:
    """Wall time and this process's CPU time (on a cluster: storing, dedupe, stories)."""
    started, cpu = time.perf_counter(), time.process_time()
    report = run()
    return {
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "start": 0.0,
        "articles": report.articles,
        "event_mentions": report.coding.event_mentions,
    }


def stored(db: Path) -> Any:
    """The store by content (ids differ): articles, duplicate links, stories, event mentions."""
    from dyadwatch.store import Store

    with Store(db) as store:
        rows = list(store.iter_articles())
        source = {a["id"]: a["source"] for a in rows}
        stories: dict[int, list[str]] = {}
        for article, story in store.story_members().items():
            stories.setdefault(story, []).append(source[article])
        mentions = [
            (e["type"], e["date"], e["status"], source[m["article_id"]], m["sentence"])
            for e in store.events(limit=None)
            for m in e["mentions"]
        ]
    return (
        sorted((a["source"], a["title"], a["body"], source.get(a["duplicate_of"])) for a in rows),
        sorted(sorted(members) for members in stories.values()),
        sorted(mentions, key=repr),  # undated events have no date
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--one", nargs=3, help=argparse.SUPPRESS)  # a single run (internal)
    args = parser.parse_args()
    if args.one:
        inputs, db, workers = args.one
        print(json.dumps(measure(Path(inputs), Path(db), int(workers))))
        return
    if not TEXTS.is_dir():
        sys.exit(f"no chinaus texts at {TEXTS} (set DYADWATCH_CHINAUS_TEXTS)")
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "inputs"
        inputs.mkdir()
        write_inputs(inputs, args.documents)
        results, stores = [], []
        for name, workers in RUNS:
            db = Path(tmp) / f"{workers}.db"
            command = [sys.executable, __file__, "--one", str(inputs), str(db), str(workers)]
            output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            results.append((name, json.loads(output.splitlines()[-1])))
            stores.append(stored(db))
    first = results[0][1]
    print(
        f"{args.documents} documents: {first['articles']} articles stored, "
        f"{first['event_mentions']} event mentions"
    )
    one_worker = results[1][1]["seconds"]
    for name, result in results:
        memory = ", ".join(f"{m:.0f}" for m in result["peak_mib"])
        print(
            f"  {name:20s} {result['seconds']:7.1f} s "
            f"({args.documents / result['seconds']:5.1f} documents/s; "
            f"{one_worker / result['seconds']:4.2f}x one worker; cluster start "
            f"{result['start']:4.1f} s; {result['cpu']:5.1f} s CPU in this process); "
            f"peak memory per process {memory} MiB"
        )
    same = all(store == stores[0] for store in stores)
    print(f"same articles, duplicates, stories and event mentions in every store: {same}")


if __name__ == "__main__":
    main()
