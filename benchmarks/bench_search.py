"""Semantic search at scale: a store of N articles with vectors (random unit vectors, tiny
bodies), the time to load its vectors into memory once, and the time of a query by meaning
(query embedding included) and of a hybrid one, with and without a filter.

    .venv/bin/python benchmarks/bench_search.py [--articles 100000]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np

from dyadwatch.embed import DIMENSIONS, to_bytes
from dyadwatch.search import search, vector_table
from dyadwatch.store import Store
from dyadwatch.store.schema import article_vectors, articles, inputs

QUERIES = ["the American top diplomat's trip to Beijing", "tariffs on Chinese electric cars"]


def filled(db: Path, count: int) -> Store:
    store = Store(db)
    rng = np.random.default_rng(7)
    with store.transaction() as conn:
        conn.execute(
            inputs.insert(),
            {"id": 1, "source": "bench", "sha256": "0" * 64, "format": "txt", "size": 0,
             "status": "done", "started_at": "2024-01-01"},
        )  # fmt: skip
        for start in range(0, count, 10_000):
            ids = range(start + 1, min(count, start + 10_000) + 1)
            conn.execute(
                articles.insert(),
                [
                    {"id": i, "input_id": 1, "record": i, "source": f"a{i}", "format": "txt",
                     "title": f"Article {i}", "published": f"20{10 + i % 15}-0{1 + i % 9}-1{i % 9}",
                     "body": f"Body of article {i} about trade.", "body_hash": str(i),
                     "ingested_at": "2024-01-01"}
                    for i in ids
                ],
            )  # fmt: skip
            vectors = rng.normal(size=(len(ids), DIMENSIONS)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            rows = zip(ids, vectors, strict=True)
            conn.execute(
                article_vectors.insert(),
                [{"article_id": i, "vector": to_bytes(v)} for i, v in rows],
            )
    return store


def timed(call: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = filled(Path(folder) / "search.db", args.articles)
        started = time.perf_counter()
        vector_table(store)
        loaded = time.perf_counter() - started
        search(store, QUERIES[0], "semantic")  # the encoder loads once
        for query in QUERIES:
            semantic = timed(partial(search, store, query, "semantic"))
            hybrid = timed(partial(search, store, query, "hybrid"))
            dated = timed(partial(search, store, query, "semantic", since="2020-01-01"))
            print(
                f"{args.articles} articles, {query!r}: semantic {semantic * 1000:.0f} ms, "
                f"hybrid {hybrid * 1000:.0f} ms, semantic with a date filter {dated * 1000:.0f} ms"
            )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"vectors loaded in {loaded:.1f} s; peak memory {peak:.0f} MiB")
        store.close()


if __name__ == "__main__":
    main()
