import sqlite3
from pathlib import Path

from dyadwatch.dedupe import DuplicateLink
from dyadwatch.models import Article, DateEvidence, Problem
from dyadwatch.store import Store, fts_query
from dyadwatch.store.migrations import LATEST


def make_article(record: int, title: str, body: str, published: str | None = None) -> Article:
    evidence = [DateEvidence(published, "test", "high")] if published else []
    return Article(
        source=f"file{record}.txt",
        record=record,
        format="text",
        body=body,
        title=title,
        outlet="Example Times",
        published=published,
        date_evidence=evidence,
        language="en",
    )


def add(
    store: Store, input_id: int, article: Article, duplicate: DuplicateLink | None = None
) -> int:
    with store.transaction() as conn:
        return store.add_article(conn, input_id, article, f"hash{article.record}", duplicate)


def test_new_store_is_a_wal_sqlite_file_with_fts(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    Store(db).close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert {"articles", "inputs", "problems", "articles_fts"} <= tables


def test_reopening_keeps_schema_version_and_data(db_url: str) -> None:
    db = db_url
    with Store(db) as store:
        input_id = store.start_input("a.txt", "abc", "text", 10)
        add(store, input_id, make_article(0, "Talks in Beijing", "Ministers met in Beijing."))
    with Store(db) as store:
        assert store.schema_version == LATEST
        assert store.counts()["articles"] == 1
        assert store.start_input("a.txt", "abc", "text", 10) == input_id


def test_filters_search_and_copies(db_url: str) -> None:
    with Store(db_url) as store:
        input_id = store.start_input("a", "sha", "text", 1)
        first = add(
            store,
            input_id,
            make_article(
                0, "Taiwan Strait patrol", "Ships sailed through the Taiwan Strait.", "2023-04-01"
            ),
        )
        second = add(
            store,
            input_id,
            make_article(1, "Tariff talks", "Trade officials met on tariffs.", "2024-05-14"),
        )
        copy = add(
            store,
            input_id,
            make_article(2, "Taiwan Strait patrol", "Ships sailed.", None),
            DuplicateLink(first, "near", 80),
        )

        assert [a["id"] for a in store.articles(since="2024-01-01")] == [second]
        assert {a["id"] for a in store.articles(until="2023-12-31")} == {first}
        assert copy not in {a["id"] for a in store.articles(canonical_only=True)}
        assert store.article(first)["copies"] == [copy]
        assert store.article(first)["date_evidence"][0]["origin"] == "test"
        assert [hit["id"] for hit in store.search("taiwan strait ships")] == [first, copy]
        assert [hit["id"] for hit in store.search("tariffs")] == [second]
        assert [hit["id"] for hit in store.search('"(unbalanced')] == []
        assert len(list(store.iter_articles())) == 3


def test_problems_are_recorded_once(db_url: str) -> None:
    with Store(db_url) as store:
        for _ in range(2):
            store.add_problem(Problem("junk.bin", "binary content"))
        assert [p["reason"] for p in store.problems()] == ["binary content"]


def test_fts_query_quotes_every_term() -> None:
    assert fts_query('South "China Sea" AND') == '"China Sea" "South" "AND"'
    assert fts_query("*** ()") == ""
