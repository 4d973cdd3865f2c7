import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import select

from dyadwatch.dedupe import DuplicateLink
from dyadwatch.models import Article, DateEvidence, Problem
from dyadwatch.store import Store, fts_query
from dyadwatch.store.events import new_id
from dyadwatch.store.migrations import LATEST
from dyadwatch.store.schema import actor_mentions, actors, event_mentions, issue_tags
from dyadwatch.store.schema import events as schema_events


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


def code(
    store: Store,
    article_id: int,
    mentions: tuple[str, ...] = (),
    events: tuple[tuple[str, str], ...] = (),
    issues: tuple[str, ...] = (),
    sentence_issues: tuple[str, ...] = (),
) -> None:
    """Stores a coding by hand: actors mentioned (``"CHN"`` is the country itself, and its
    actor), events between countries, issue tags of the article and of its first event."""
    countries = set(mentions) | {c for pair in events for c in pair}
    with store.transaction() as conn:
        for country in countries:
            if conn.execute(select(actors.c.id).where(actors.c.id == country)).first() is None:
                conn.execute(
                    actors.insert().values(
                        id=country, name=country, kind="country", country=country
                    )
                )
        for at, country in enumerate(mentions):
            conn.execute(
                actor_mentions.insert().values(
                    article_id=article_id,
                    actor_id=country,
                    start_char=at,
                    end_char=at + 1,
                    text=country,
                    how="alias",
                )
            )
        mention_ids = []
        for source, target in events:
            row = {"source_actor": source, "source_country": source, "target_actor": target}
            row |= {"target_country": target, "type": "CONSULT", "cameo_root": "04", "quad": 1}
            row |= {"intensity": 1.0, "status": "happened", "date_precision": "unknown"}
            event_id = new_id(conn.execute(schema_events.insert().values(**row)))
            mention = {"event_id": event_id, "article_id": article_id, "sentence": "s"}
            mention |= {"start_char": 0, "end_char": 1, "trigger": "met", "status": "happened"}
            created = conn.execute(event_mentions.insert().values(confidence=1.0, **mention))
            mention_ids.append(new_id(created))
        tags = [(issue, None) for issue in issues]
        tags += [(issue, mention_ids[0]) for issue in sentence_issues]
        for issue, mention_id in tags:
            conn.execute(
                issue_tags.insert().values(
                    article_id=article_id,
                    event_mention_id=mention_id,
                    issue=issue,
                    label=issue.title(),
                    triggers='["Taiwan"]',
                    score=2,
                )
            )


def test_search_filters_by_dyad_issue_outlet_dates_and_copies(db_url: str) -> None:
    with Store(db_url) as store:
        input_id = store.start_input("a", "sha", "text", 1)

        def article(record: int, title: str, outlet: str, published: str | None) -> Article:
            body = f"{title}. Officials spoke about Taiwan and the arms sale on Monday."
            return replace(make_article(record, title, body, published), outlet=outlet)

        sale = add(store, input_id, article(0, "Taiwan arms sale", "Example Times", "2023-04-01"))
        vote = add(store, input_id, article(1, "Taiwan votes", "Other Post", "2024-01-13"))
        copy = add(
            store,
            input_id,
            article(2, "Taiwan arms sale", "Mirror Daily", "2023-04-02"),
            DuplicateLink(sale, "near", 90),
        )
        aside = add(store, input_id, article(3, "Taiwan aside", "Example Times", "2023-06-01"))
        undated = add(store, input_id, article(4, "Taiwan undated", "Example Times", None))
        steel = make_article(5, "Tariffs", "US tariffs on Chinese steel.", "2023-05-01")
        tariffs = add(store, input_id, steel)
        code(store, tariffs, ("CHN", "USA"), (("USA", "CHN"),))
        code(store, sale, ("CHN", "USA"), (("CHN", "USA"),), ("taiwan",))
        code(store, copy, ("USA", "CHN"), (("USA", "CHN"),), ("taiwan",))
        code(store, vote, ("CHN",), (("CHN", "TWN"),), ("taiwan", "elections"))  # event only
        # both sides mentioned, no event between them; Taiwan in one event sentence only
        code(store, aside, ("USA", "CHN", "JPN"), (("USA", "JPN"),), (), ("taiwan",))

        def found(query: str = "Taiwan", **filters: Any) -> set[int]:
            return {hit["id"] for hit in store.search(query, **filters)}

        assert found() == {sale, vote, copy, aside, undated}
        assert found(dyad=("CHN", "USA")) == found(dyad=("USA", "CHN")) == {sale, copy, aside}
        assert found(dyad=("CHN", "TWN")) == {vote}
        assert found(dyad=("USA", "JPN")) == {aside}
        assert found(dyad=("RUS", "USA")) == set()
        assert found(issue="taiwan") == {sale, vote, copy}
        assert found(issue="elections") == {vote}
        assert found(issue="no-such-issue") == set()
        assert found(outlet="post") == {vote}
        assert found(outlet="EXAMPLE times") == {sale, aside, undated}
        assert found(since="2023-04-02") == {vote, copy, aside}
        assert found(until="2023-04-01") == {sale}
        assert found(since="2023-04-01", until="2023-12-31") == {sale, copy, aside}
        assert found(canonical_only=True) == {sale, vote, aside, undated}
        both = {"dyad": ("CHN", "USA"), "issue": "taiwan"}
        assert found(**both) == {sale, copy}
        assert found(**both, canonical_only=True) == {sale}
        assert found(**both, outlet="mirror", since="2023-04-02", until="2023-04-02") == {copy}
        assert found("tariffs", dyad=("CHN", "USA")) == {tariffs}
        assert found("tariffs", issue="taiwan") == set()

        # every word and phrase must match, on both back-ends alike
        assert found('"arms sale" Monday') == {sale, vote, copy, aside, undated}
        assert found('"sale arms"') == set()
        assert found("Taiwan votes") == {vote}

        everything = store.search("Taiwan", limit=None)
        pages = [store.search("Taiwan", limit=2, offset=start) for start in (0, 2, 4)]
        assert [hit["id"] for page in pages for hit in page] == [hit["id"] for hit in everything]
        assert all("[" in hit["snippet"] and "outlet_country" in hit for hit in everything)


def test_inputs_with_their_status_and_error(db_url: str) -> None:
    with Store(db_url) as store:
        good = store.start_input("good.html", "sha1", "html", 10)
        bad = store.start_input("bad.bin", "sha2", "text", 5)
        reading = store.start_input("big.warc", "sha3", "warc", 99)
        store.finish_input(good, "done", 3, None)
        store.finish_input(bad, "failed", 0, "binary content")
        assert [i["id"] for i in store.inputs()] == [good, bad, reading]
        (failed,) = store.inputs(status="failed")
        assert (failed["source"], failed["error"], failed["documents"]) == (
            "bad.bin",
            "binary content",
            0,
        )
        assert [i["id"] for i in store.inputs(status="reading")] == [reading]
        assert [i["id"] for i in store.inputs(limit=1, offset=1)] == [bad]
