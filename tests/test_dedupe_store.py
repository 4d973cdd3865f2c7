"""Near copies sought through the band keys the store keeps link the articles the way the
in-memory MinHash LSH over every stored signature linked them (the path before schema 9), on
both back-ends: over the examples, and over generated near copies of the example texts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, fresh_postgres
from datasketch import MinHash, MinHashLSH
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from dyadwatch.dedupe import (
    BANDS,
    MIN_JACCARD,
    NUM_PERM,
    fingerprint,
    is_near_copy,
    near_match,
)
from dyadwatch.pipeline import ingest
from dyadwatch.store import Store
from dyadwatch.store.schema import schema_info, signature_bands, signatures

Link = tuple[int, str, int] | None  # (canonical id, kind, similarity), or None for a canonical
TEXTS = sorted((REPO / "examples" / "text").glob("*.txt"))
CHROME = ["Share this article", "Related stories", "Sign up for our newsletter", "Advertisement"]


class LoadedIndex:
    """The near-copy search as it was: every stored signature in a MinHash LSH in memory."""

    def __init__(self) -> None:
        self.lsh = MinHashLSH(threshold=MIN_JACCARD, num_perm=NUM_PERM)
        self.signatures: dict[int, MinHash] = {}

    def add(self, article_id: int, signature: MinHash) -> None:
        self.lsh.insert(article_id, signature)
        self.signatures[article_id] = signature

    def best_match(self, signature: MinHash) -> Link:
        found = [near_match(i, signature, self.signatures[i]) for i in self.lsh.query(signature)]
        matches = [m for m in found if is_near_copy(m)]
        best = max(matches, key=lambda m: (m.similarity, -m.article_id), default=None)
        return best and (best.article_id, "near", round(best.similarity * 100))


def links_before(articles: list[dict[str, Any]]) -> dict[int, Link]:
    """The links the in-memory search makes of the stored articles, taken in the order stored."""
    index, canonical, links = LoadedIndex(), {}, {}
    for article in articles:
        digest, signature = fingerprint(article["body"])
        link: Link = None
        if not article["body"].strip():
            pass
        elif digest in canonical:
            link = (canonical[digest], "exact", 100)
        elif signature is not None:
            link = index.best_match(signature)
        links[article["id"]] = link
        if link is None:
            canonical.setdefault(digest, article["id"])
            if signature is not None:
                index.add(article["id"], signature)
    return links


def stored_links(db: str) -> tuple[list[dict[str, Any]], dict[int, Link]]:
    with Store(db) as store:
        articles = sorted(store.iter_articles(), key=lambda a: a["id"])
    return articles, {
        a["id"]: a["duplicate_of"] and (a["duplicate_of"], a["duplicate_kind"], a["similarity"])
        for a in articles
    }


def fresh_db(backend: str, folder: Path) -> str:
    return str(folder / "store.db") if backend == "sqlite" else fresh_postgres()


def test_examples_are_linked_as_before(db_url: str) -> None:
    ingest([str(REPO / "examples")], db_url, code=False)
    articles, links = stored_links(db_url)
    assert links == links_before(articles)


@st.composite
def near_copies(draw: st.DrawFn) -> list[str]:
    """Copies of the example texts as other sites carry them: lines dropped, words dropped or
    changed, boilerplate around."""
    rng = draw(st.randoms(use_true_random=False))
    copies = []
    for path in draw(st.lists(st.sampled_from(TEXTS), min_size=1, max_size=6)):
        lines = path.read_text(encoding="utf-8").splitlines()
        kept = [line for line in lines if rng.random() > draw(st.sampled_from([0, 0.1, 0.3]))]
        words = " ".join(kept).split()
        edit = draw(st.sampled_from([0, 0.05, 0.2]))
        words = [w if rng.random() > edit else rng.choice(words) for w in words]
        copies.append("\n\n".join([rng.choice(CHROME), " ".join(words), rng.choice(CHROME)]))
    return copies


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(copies=near_copies())
def test_generated_near_copies_are_linked_as_before(
    backend: str, tmp_path_factory: pytest.TempPathFactory, copies: list[str]
) -> None:
    folder = tmp_path_factory.mktemp("copies")
    for number, text in enumerate([p.read_text(encoding="utf-8") for p in TEXTS] + copies):
        (folder / f"{number:03d}.txt").write_text(text, encoding="utf-8")
    db = fresh_db(backend, tmp_path_factory.mktemp("store"))
    ingest([str(folder)], db, code=False)
    articles, links = stored_links(db)
    assert links == links_before(articles)


def kept_keys(db: str) -> list[tuple[Any, ...]]:
    with Store(db) as store, store.engine.connect() as conn:
        return sorted(tuple(row) for row in conn.execute(select(signature_bands)))


def set_back(db: str, drop_keys: bool) -> None:
    with Store(db) as store, store.engine.begin() as conn:
        if drop_keys:
            signature_bands.drop(conn)
        conn.execute(update(schema_info).where(schema_info.c.key == "version").values(value="8"))


def test_a_store_made_before_gets_the_band_keys_of_its_signatures(
    db_url: str, tmp_path: Path
) -> None:
    """Set back to version 8 without its band keys (or with them, as a re-run would find
    them), the store fills them, and copies ingested after the upgrade link as before."""
    ingest([str(path) for path in TEXTS], db_url, code=False)
    kept = kept_keys(db_url)
    with Store(db_url) as store, store.engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(signatures)).scalar_one()
    assert len(kept) == BANDS * stored > 0
    for drop_keys in (True, False):
        set_back(db_url, drop_keys)
        assert kept_keys(db_url) == kept
    for number, path in enumerate(TEXTS):
        lines = path.read_text(encoding="utf-8").splitlines()
        copy = "\n".join([CHROME[number % len(CHROME)], *lines[: len(lines) * 3 // 4]])
        (tmp_path / f"copy-{number}.txt").write_text(copy, encoding="utf-8")
    ingest([str(tmp_path)], db_url, code=False)
    articles, links = stored_links(db_url)
    assert links == links_before(articles)
    assert all(links[a["id"]] for a in articles if a["source"].startswith(str(tmp_path)))
