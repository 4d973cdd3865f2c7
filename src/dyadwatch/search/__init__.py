"""Search the store by words, by meaning, or both.

- ``words``: the store's full-text search (every word and "phrase" must occur).
- ``semantic``: the articles whose title and lead vectors (``dyadwatch.embed``) are closest to
  the query's, if close enough, for questions worded unlike the text ("the American top
  diplomat's trip to Beijing"); canonical articles only (a copy's vector is its canonical
  article's).
- ``hybrid`` (the default): both lists fused by reciprocal rank, so an article high in either
  comes first and one high in both before it.

The vectors are scanned with numpy, held in memory by ``VectorTable`` once per store and
reloaded when the store has more; a million articles take about 1.5 GB.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal
from weakref import WeakKeyDictionary

import numpy as np

from dyadwatch.embed import DIMENSIONS, embed, from_bytes
from dyadwatch.store import Store

Mode = Literal["hybrid", "words", "semantic"]
MODES: tuple[Mode, ...] = ("hybrid", "words", "semantic")
RRF_K = 60  # the usual constant of reciprocal rank fusion: ranks past it weigh little
FUSED_DEPTH = 100  # results of each list fused, at least
# The least cosine similarity of a hit by meaning: unrelated texts score about 0.1, an
# article about what a query asks 0.3 to 0.6.
SEMANTIC_FLOOR = 0.3


@dataclass
class VectorTable:
    ids: np.ndarray  # article ids, one per row
    vectors: np.ndarray  # their unit vectors
    last_id: int  # the newest article with a vector when loaded

    @classmethod
    def load(cls, store: Store) -> VectorTable:
        last_id = store.last_vector_id()
        rows = [(i, data) for i, data in store.iter_vectors() if i <= last_id]
        vectors = np.zeros((len(rows), DIMENSIONS), dtype=np.float32)
        for row, (_, data) in enumerate(rows):
            vectors[row] = from_bytes(data)
        return cls(np.array([i for i, _ in rows], dtype=np.int64), vectors, last_id)


_tables: WeakKeyDictionary[Store, VectorTable] = WeakKeyDictionary()


def vector_table(store: Store) -> VectorTable:
    """The store's vectors, loaded again when it has newer ones than when they were loaded."""
    table = _tables.get(store)
    if table is None or table.last_id != store.last_vector_id():
        table = _tables[store] = VectorTable.load(store)
    return table


def search(
    store: Store,
    query: str,
    mode: Mode = "hybrid",
    limit: int = 20,
    offset: int = 0,
    **filters: Any,
) -> list[dict[str, Any]]:
    """Articles for a query, best first, each with a snippet; ``filters`` as
    ``Store.search`` takes them (``dyad``, ``issue``, ``outlet``, ``since``, ``until``,
    ``canonical_only``)."""
    if mode == "words":
        return store.search(query, limit=limit, offset=offset, **filters)
    depth = max(FUSED_DEPTH, offset + limit)
    meant = _closest(store, query, depth, filters)
    if mode == "semantic":
        return store.hits(meant[offset : offset + limit])
    worded = store.search(query, limit=depth, **filters)
    fused = _fused([hit["id"] for hit in worded], meant)
    by_id = {hit["id"]: hit for hit in worded}
    chosen = fused[offset : offset + limit]
    missing = store.hits([i for i in chosen if i not in by_id])
    by_id |= {hit["id"]: hit for hit in missing}
    return [by_id[i] for i in chosen if i in by_id]


def _closest(store: Store, query: str, depth: int, filters: dict[str, Any]) -> list[int]:
    """Ids of the articles closest in meaning to the query, among those the filters keep."""
    table = vector_table(store)
    if not len(table.ids) or not query.strip():
        return []
    similarity = table.vectors @ embed([query])[0]
    if any(value for value in filters.values()):
        kept = store.matching_ids(**filters)
        similarity = np.where(np.isin(table.ids, list(kept)), similarity, -np.inf)
    top = np.argpartition(-similarity, depth)[:depth] if len(similarity) > depth else None
    best = top[np.argsort(-similarity[top])] if top is not None else np.argsort(-similarity)
    return [int(table.ids[i]) for i in best if similarity[i] >= SEMANTIC_FLOOR]


def _fused(*rankings: list[int]) -> list[int]:
    """Reciprocal rank fusion: each list adds 1 / (K + rank) to the articles it ranks."""
    score: dict[int, float] = {}
    for ranking in rankings:
        for rank, article_id in enumerate(ranking):
            score[article_id] = score.get(article_id, 0.0) + 1.0 / (RRF_K + rank + 1)
    return sorted(score, key=lambda i: (-score[i], i))
