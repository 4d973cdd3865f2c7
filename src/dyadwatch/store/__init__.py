"""Stage: store. One SQLite file by default (WAL, FTS5); any SQLAlchemy URL for a server.

``Store`` owns the connection, runs migrations on open, records inputs, articles and
problems, and answers the queries the CLI and API need.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from functools import reduce
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Integer,
    Select,
    and_,
    column,
    create_engine,
    event,
    func,
    literal_column,
    or_,
    select,
    table,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from dyadwatch.dedupe import DuplicateLink
from dyadwatch.models import Article, Problem
from dyadwatch.outlets import OutletTable
from dyadwatch.store import events as event_store
from dyadwatch.store import index as index_store
from dyadwatch.store import profiles as profile_store
from dyadwatch.store import stories as story_store
from dyadwatch.store import watch as watch_store
from dyadwatch.store.events import new_id
from dyadwatch.store.index import KeptIndex
from dyadwatch.store.migrations import band_rows, migrate
from dyadwatch.store.schema import (
    actor_mentions,
    actors,
    article_tones,
    article_vectors,
    articles,
    coded_articles,
    event_mentions,
    events,
    inputs,
    issue_counts,
    issue_tags,
    problems,
    signature_bands,
    signatures,
    unsettled_articles,
)
from dyadwatch.store.undated import merge_undated

if TYPE_CHECKING:  # the store stays importable without loading the NLP stages
    from dyadwatch.events.coder import ArticleCoding
    from dyadwatch.models import ArticleTags

DEFAULT_DB = "dyadwatch.db"
ARTICLE_COLUMNS = [c for c in articles.c if c.name not in ("body_hash", "input_id")]
SEARCH_COLUMNS = [
    articles.c.id,
    articles.c.title,
    articles.c.outlet,
    articles.c.url,
    articles.c.published,
    articles.c.duplicate_of,
]
SNIPPET_CHARS = 200  # of an article's opening, as the snippet of a hit found by meaning
EVENT_PAGE = 1000  # events (with their mentions) read into memory at a time when streamed


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def database_url(db: str | Path) -> str:
    """A path becomes a SQLite URL; anything with a scheme is used as given."""
    db = str(db)
    return db if "://" in db else f"sqlite:///{Path(db).expanduser()}"


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()


def search_terms(query: str) -> list[str]:
    """The words and "quoted phrases" of a user query, phrases first, punctuation dropped."""
    phrases = re.findall(r'"([^"]+)"', query)
    words = re.findall(r"\w+", re.sub(r'"[^"]*"', " ", query))
    terms = [" ".join(re.findall(r"\w+", p)) for p in phrases] + words
    return [t for t in terms if t]


def fts_query(query: str) -> str:
    """User words and "quoted phrases" as an FTS5 query that cannot be a syntax error."""
    return " ".join(f'"{t}"' for t in search_terms(query))


class Store:
    """The article store. Use as a context manager or call ``close()``.

    ``outlets`` are user outlet files (see ``dyadwatch.outlets``): every article read from the
    store carries its ``outlet_country``, worked out on reading, so a changed table applies to
    articles already stored."""

    def __init__(self, db: str | Path = DEFAULT_DB, outlets: Sequence[Path] = ()) -> None:
        self.outlets = OutletTable.load(outlets)
        self.url = database_url(db)
        self.engine = create_engine(self.url)
        if self.engine.dialect.name == "sqlite":
            _tune_sqlite(self.engine)
        with self.engine.begin() as conn:
            self.schema_version = migrate(conn)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self, conn: Connection | None = None) -> Iterator[Connection]:
        """A transaction committed at the end; within ``conn``'s when one is given (the
        caller's transaction then commits everything together)."""
        if conn is not None:
            yield conn
            return
        with self.engine.begin() as conn:
            yield conn

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def _insert(self, table: Any) -> Any:
        return (pg_insert if self.dialect == "postgresql" else sqlite_insert)(table)

    # --- ingest bookkeeping -------------------------------------------------------------

    def find_input(self, sha256: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            return _input_row(conn, sha256)

    def start_input(
        self, source: str, sha256: str, fmt: str, size: int, conn: Connection | None = None
    ) -> int:
        """Register an input (or pick up an interrupted one) and return its id."""
        existing = self.find_input(sha256) if conn is None else _input_row(conn, sha256)
        if existing:
            return int(existing["id"])
        with self.transaction(conn) as conn:
            result = conn.execute(
                inputs.insert(),
                {
                    "source": source,
                    "sha256": sha256,
                    "format": fmt,
                    "size": size,
                    "status": "reading",
                    "documents": 0,
                    "started_at": now(),
                },
            )
            return new_id(result)

    def finish_input(
        self,
        input_id: int,
        status: str,
        documents: int,
        error: str | None,
        conn: Connection | None = None,
    ) -> None:
        with self.transaction(conn) as conn:
            conn.execute(
                update(inputs)
                .where(inputs.c.id == input_id)
                .values(status=status, documents=documents, error=error, finished_at=now())
            )

    def stored_records(self, input_id: int) -> set[int]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(articles.c.record).where(articles.c.input_id == input_id))
            return {r[0] for r in rows}

    def add_article(
        self,
        conn: Connection,
        input_id: int,
        article: Article,
        body_hash: str,
        duplicate: DuplicateLink | None = None,
    ) -> int:
        """Insert one article, pointing to its canonical article if it is a copy."""
        duplicate_of, kind, similarity = duplicate or (None, None, None)
        # Statements with their values apart: SQLAlchemy then reuses one compiled insert.
        result = conn.execute(
            articles.insert(),
            {
                "input_id": input_id,
                "record": article.record,
                "source": article.source,
                "format": article.format,
                "url": article.url,
                "outlet": article.outlet,
                "title": article.title,
                "author": article.author,
                "published": article.published,
                "date_evidence": json.dumps([asdict(e) for e in article.date_evidence]),
                "language": article.language,
                "skip_reason": article.skip_reason,
                "body": article.body,
                "body_hash": body_hash,
                "duplicate_of": duplicate_of,
                "duplicate_kind": kind,
                "similarity": similarity,
                "ingested_at": now(),
            },
        )
        return new_id(result)

    def add_signature(
        self, conn: Connection, article_id: int, minhash: bytes, bands: Sequence[int]
    ) -> None:
        """A canonical article's signature and its key in each band (in band order)."""
        conn.execute(signatures.insert(), {"article_id": article_id, "minhash": minhash})
        conn.execute(signature_bands.insert(), band_rows(article_id, bands))

    def near_candidates(self, conn: Connection, bands: Sequence[int]) -> list[tuple[int, bytes]]:
        """The signatures of the articles sharing a key in one of the bands (in band order)."""
        b = signature_bands.c
        sharing = select(b.article_id).where(
            or_(*(and_(b.band == band, b.key == key) for band, key in enumerate(bands)))
        )
        found = select(signatures.c.article_id, signatures.c.minhash).where(
            signatures.c.article_id.in_(sharing)
        )
        return [(row[0], row[1]) for row in conn.execute(found)]

    def iter_signatures(self) -> Iterator[tuple[int, bytes]]:
        with self.engine.connect() as conn:
            for row in conn.execute(select(signatures.c.article_id, signatures.c.minhash)):
                yield row[0], row[1]

    def add_vector(self, conn: Connection, article_id: int, vector: bytes) -> None:
        story_store.add_vector(conn, article_id, vector)

    def iter_vectors(self) -> Iterator[tuple[int, bytes]]:
        return story_store.iter_vectors(self.engine)

    def unplaced_ids(self) -> list[int]:
        return story_store.unplaced_ids(self.engine)

    def add_story(self, conn: Connection, title: str | None, day: str | None, sum_: bytes) -> int:
        return story_store.add_story(conn, title, day, sum_)

    def grow_story(
        self,
        conn: Connection,
        story_id: int,
        span: tuple[str | None, str | None],
        size: int,
        vector_sum: bytes,
    ) -> None:
        story_store.grow_story(conn, story_id, span, size, vector_sum)

    def join_story(self, conn: Connection, article_id: int, story_id: int) -> None:
        story_store.join_story(conn, article_id, story_id)

    def story_of(self, conn: Connection, article_id: int) -> int | None:
        return story_store.story_of(conn, article_id)

    def iter_stories(self) -> Iterator[dict[str, Any]]:
        return story_store.iter_stories(self.engine)

    def copies_first_published(self, conn: Connection, article_id: int) -> str | None:
        return story_store.copies_first_published(conn, article_id)

    def vectors(self, conn: Connection, ids: Sequence[int]) -> dict[int, bytes]:
        return story_store.vectors(conn, ids)

    def story_spans(self, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        """Each of these articles in a story with a dated article: the first and last
        publication dates in its story."""
        return story_store.published_spans(self.engine, ids)

    def story_members(self, ids: Collection[int] | None = None) -> dict[int, int]:
        """Each canonical article in a story (of ``ids`` only, if given): its story's id."""
        return story_store.story_members(self.engine, ids)

    def stories(self) -> list[dict[str, Any]]:
        return story_store.story_rows(self.engine)

    def stories_reporting(
        self, dyad: tuple[str, str], statuses: Sequence[str], limit: int | None, offset: int = 0
    ) -> list[dict[str, Any]]:
        """The stories whose articles report events of the dyad (either way) as mentions of
        these statuses, as ``stories`` gives them, last reported first; a page of them."""
        return story_store.stories_reporting(self.engine, dyad, statuses, limit, offset)

    def stories_of(self, ids: Sequence[int]) -> list[dict[str, Any]]:
        """The stories these articles are in, each with all its articles and copies."""
        return story_store.stories_of(self.engine, ids)

    def canonical_with_hash(self, conn: Connection, body_hash: str) -> int | None:
        return conn.execute(
            select(articles.c.id)
            .where(articles.c.body_hash == body_hash, articles.c.duplicate_of.is_(None))
            .order_by(articles.c.id)
            .limit(1)
        ).scalar_one_or_none()

    def add_problem(self, problem: Problem, conn: Connection | None = None) -> None:
        statement = (
            self._insert(problems)
            .values(
                source=problem.source,
                record=-1 if problem.record is None else problem.record,
                reason=problem.reason,
                first_seen=now(),
            )
            .on_conflict_do_nothing()
        )
        with self.transaction(conn) as conn:
            conn.execute(statement)

    # --- the watcher's sources and pages -------------------------------------------------

    def add_watch_sources(
        self, urls: Sequence[str], parent_id: int | None = None
    ) -> list[dict[str, Any]]:
        return watch_store.add_sources(self.engine, self._insert, urls, parent_id, now())

    def watch_children(self, source_id: int) -> list[dict[str, Any]]:
        return watch_store.children(self.engine, source_id)

    def save_watch_poll(self, source_id: int, values: dict[str, Any], urls: Sequence[str]) -> int:
        return watch_store.save_poll(self.engine, self._insert, source_id, values, urls, now())

    def open_watch_pages(self, source_ids: Sequence[int]) -> list[dict[str, Any]]:
        return watch_store.open_pages(self.engine, source_ids)

    def update_watch_page(self, page_id: int, **values: Any) -> None:
        watch_store.update_page(self.engine, page_id, values)

    def watch_page(self, url: str) -> dict[str, Any] | None:
        return watch_store.page(self.engine, url)

    def watch_sources(self) -> list[dict[str, Any]]:
        return watch_store.sources(self.engine)

    # --- event coding -------------------------------------------------------------------

    def uncoded_ids(self) -> list[int]:
        """Ids of the articles the event stage has not read yet and can read (English, with
        a body), in the order they were stored."""
        query = (
            select(articles.c.id)
            .where(
                articles.c.skip_reason.is_(None),
                ~articles.c.id.in_(select(coded_articles.c.article_id)),
            )
            .order_by(articles.c.id)
        )
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def articles_by_id(self, ids: Sequence[int]) -> list[dict[str, Any]]:
        """The stored articles of these ids, bodies included, in id order."""
        query = select(*ARTICLE_COLUMNS).where(articles.c.id.in_(ids)).order_by(articles.c.id)
        with self.engine.connect() as conn:
            return [self._article(row._mapping) for row in conn.execute(query)]

    def save_coding(
        self,
        article_id: int,
        coding: ArticleCoding,
        tags: ArticleTags,
        conn: Connection | None = None,
    ) -> list[int]:
        """An article's actors, events, issues and tone, all or nothing (or with the rest of
        ``conn``'s transaction); returns event ids."""
        coded = coding.events
        with self.transaction(conn) as conn:
            event_store.save_actors(conn, self._insert, coding.actors)
            event_store.save_actor_mentions(conn, article_id, coding.actors)
            kept = KeptIndex(conn)
            mention_ids = [event_store.save_event_mention(conn, kept, article_id, m) for m in coded]
            event_store.save_tags(conn, kept, article_id, mention_ids, tags)
            kept.save()
            if coded:
                event_store.save_story_pairs(conn, article_id)
                conn.execute(unsettled_articles.insert(), {"article_id": article_id})
            event_store.save_stances(conn, article_id, tags.stances)
            event_ids = [event_id for event_id, _ in mention_ids]
            conn.execute(
                coded_articles.insert(),
                {
                    "article_id": article_id,
                    "events": len(coded),
                    "coded_at": now(),
                    "stances": len(tags.stances),
                },
            )
        return event_ids

    def merge_undated(self) -> int:
        """Attach undated events to the events their articles report, over what the articles
        coded since the last merge touch (see ``store.undated``), in one transaction;
        returns how many events were merged away."""
        with self.engine.begin() as conn:
            return merge_undated(conn)

    def events(
        self, limit: int | None = 100, offset: int = 0, **filters: Any
    ) -> list[dict[str, Any]]:
        """Events with their actors and mentions; filters as ``store.events.event_query``."""
        query = event_store.event_query(**filters).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            return event_store.event_records(conn, conn.execute(query).all())

    def iter_events(self, **filters: Any) -> Iterator[dict[str, Any]]:
        """Every event matching ``filters`` (as for ``events``), in the same order, streamed:
        the mentions of a page of events are read at a time."""
        query = event_store.event_query(**filters)
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=EVENT_PAGE).execute(query)
            for rows in result.partitions():
                yield from event_store.event_records(conn, rows)

    def event_outlines(self, **filters: Any) -> list[dict[str, Any]]:
        """Events as ``events`` finds them, with their actors but of their mentions only
        the canonical articles, and no issues: what an index or an actor's profile counts,
        read at a fraction of the cost."""
        with self.engine.connect() as conn:
            return event_store.outlines(conn, event_store.event_query(**filters))

    def event_dates(self, **filters: Any) -> list[tuple[int, str | None]]:
        """The id and date of each event ``events`` finds, in its order."""
        query = event_store.event_query(**filters).with_only_columns(events.c.id, events.c.date)
        with self.engine.connect() as conn:
            return [(event_id, day) for event_id, day in conn.execute(query)]

    def kept_index(
        self,
        dyad: tuple[str, str],
        scope: str,
        by: str,
        step: int,
        periods: tuple[str | None, str | None],
    ) -> list[dict[str, Any]]:
        """The relations index the store keeps (see ``store.index.index_rows``)."""
        pair = event_store.pair_of(*dyad)
        assert pair is not None
        with self.engine.connect() as conn:
            return index_store.index_rows(conn, pair, scope, by, step, periods)

    def kept_profile(self, actor_id: str, by: str, step: int) -> dict[str, list[dict[str, Any]]]:
        """The actor's profile the store keeps, at the step of the confidence grid and above:
        its events by counterpart, the counterpart's country and sector in them, and type
        (``roles``), and its timeline per ``by`` period (see ``store.profiles``)."""
        with self.engine.connect() as conn:
            return {
                "roles": profile_store.role_rows(conn, actor_id, step),
                "timeline": profile_store.timeline_rows(conn, actor_id, by, step),
            }

    def newest_event_between(
        self, actor_id: str, other_id: str, min_confidence: float
    ) -> dict[str, Sequence[str | None]] | None:
        """The sides (actor, country, sector) of the newest event between two actors, either
        way, coded at least ``min_confidence`` sure."""
        with self.engine.connect() as conn:
            return profile_store.newest_between(conn, actor_id, other_id, min_confidence)

    def actor_mentions(self, article_id: int) -> list[dict[str, Any]]:
        """The actor mentions of one article, with each actor's country."""
        query = (
            select(actor_mentions, actors.c.name, actors.c.country)
            .join(actors, actors.c.id == actor_mentions.c.actor_id)
            .where(actor_mentions.c.article_id == article_id)
            .order_by(actor_mentions.c.start_char, actor_mentions.c.id)
        )
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def event(self, event_id: int) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            return event_store.one_event(conn, event_id)

    def actors(self, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """Actors seen in the articles, most mentioned first."""
        query = _actor_query().limit(limit).offset(offset)
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def actor(self, actor_id: str) -> dict[str, Any] | None:
        """One actor seen in the articles, with its number of mentions."""
        with self.engine.connect() as conn:
            row = conn.execute(_actor_query().where(actors.c.id == actor_id)).first()
        return dict(row._mapping) if row else None

    # --- queries ------------------------------------------------------------------------

    def articles(
        self,
        outlet: str | None = None,
        language: str | None = None,
        since: str | None = None,
        until: str | None = None,
        canonical_only: bool = False,
        limit: int | None = 50,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Articles, newest first, filtered; ``since``/``until`` are inclusive YYYY-MM-DD."""
        query = article_query(outlet, language, since, until, canonical_only)
        with self.engine.connect() as conn:
            rows = conn.execute(query.limit(limit).offset(offset))
            return [self._article(row._mapping) for row in rows]

    def iter_articles(self, **filters: Any) -> Iterator[dict[str, Any]]:
        """Every article matching ``filters`` (as for ``articles``), streamed in id order."""
        query = article_query(**filters).order_by(None).order_by(articles.c.id)
        with self.engine.connect() as conn:
            for row in conn.execution_options(yield_per=500).execute(query):
                yield self._article(row._mapping)

    def article(self, article_id: int) -> dict[str, Any] | None:
        """One article with the ids of its copies (articles that point to it)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(*ARTICLE_COLUMNS).where(articles.c.id == article_id)).first()
            if row is None:
                return None
            found = self._article(row._mapping)
            copies = conn.execute(
                select(articles.c.id).where(articles.c.duplicate_of == article_id)
            )
            found["copies"] = [c[0] for c in copies]
            found["tone"] = conn.execute(
                select(article_tones.c.tone).where(article_tones.c.article_id == article_id)
            ).scalar_one_or_none()
            tags = conn.execute(
                select(issue_tags).where(
                    issue_tags.c.article_id == article_id, issue_tags.c.event_mention_id.is_(None)
                )
            )
            found["issues"] = [event_store.issue_record(tag) for tag in tags]
        return found

    def with_copies(self, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """These articles and their copies by id, as ``article`` gives them but without
        their issues, read together."""
        query = select(*ARTICLE_COLUMNS, article_tones.c.tone).join(
            article_tones, article_tones.c.article_id == articles.c.id, isouter=True
        )
        found: dict[int, dict[str, Any]] = {}
        ordered = sorted(ids)
        with self.engine.connect() as conn:
            for start in range(0, len(ordered), event_store.CHUNK):
                chunk = ordered[start : start + event_store.CHUNK]
                theirs = or_(articles.c.id.in_(chunk), articles.c.duplicate_of.in_(chunk))
                for row in conn.execute(query.where(theirs).order_by(articles.c.id)):
                    found[row.id] = {**self._article(row._mapping), "copies": []}
        for article in found.values():
            if article["duplicate_of"] in found:
                found[article["duplicate_of"]]["copies"].append(article["id"])
        return found

    def stances_of(
        self, ids: Sequence[int], dyad: tuple[str, str]
    ) -> dict[int, dict[tuple[str, str], dict[str, Any]] | None]:
        """``stances`` of each of these articles."""
        with self.engine.connect() as conn:
            return event_store.stances_of(conn, ids, dyad)

    def _article(self, row: Any) -> dict[str, Any]:
        found = dict(row)
        found["date_evidence"] = json.loads(found["date_evidence"])
        found["outlet_country"] = self.outlets.country(found["outlet"], found["url"])
        return found

    def issues(self) -> list[dict[str, Any]]:
        """Each issue with the number of articles about it and of events touching it."""
        query = (
            select(issue_counts)
            .where(issue_counts.c.articles > 0)
            .order_by(issue_counts.c.articles.desc(), issue_counts.c.issue)
        )
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def search(
        self,
        query: str,
        *,
        dyad: tuple[str, str] | None = None,
        issue: str | None = None,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        canonical_only: bool = False,
        limit: int | None = 20,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Full-text search over title and body, best match first, with a snippet.

        Every word and "quoted phrase" must occur (on both back-ends). Filters narrow the
        articles as ``article_filters`` says; copies are included unless ``canonical_only``,
        as in ``articles``."""
        terms = search_terms(query)
        if not terms:
            return []
        columns = SEARCH_COLUMNS
        if self.dialect == "sqlite":
            fts: ColumnElement[Any] = literal_column("articles_fts")
            statement = (
                select(*columns, func.snippet(fts, 1, "[", "]", " … ", 12).label("snippet"))
                .select_from(articles.join(fts_table, fts_table.c.rowid == articles.c.id))
                .where(fts.op("MATCH")(fts_query(query)))
                .order_by(func.bm25(fts), articles.c.id)
            )
        else:
            matched = _tsquery(terms)
            vector: ColumnElement[Any] = literal_column("articles.search")
            headline = func.ts_headline(
                ENGLISH, articles.c.body, matched, "StartSel=[,StopSel=],MaxWords=25"
            )
            statement = (
                select(*columns, headline.label("snippet"))
                .where(vector.op("@@")(matched))
                .order_by(func.ts_rank(vector, matched).desc(), articles.c.id)
            )
        statement = statement.where(
            *article_filters(dyad, issue, outlet, since, until, canonical_only)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(statement.limit(limit).offset(offset))
            found = [dict(row._mapping) for row in rows]
        for hit in found:
            hit["outlet_country"] = self.outlets.country(hit["outlet"], hit["url"])
        return found

    def matching_ids(self, **filters: Any) -> set[int]:
        """Ids of the articles the filters of ``article_filters`` keep."""
        query = select(articles.c.id).where(*article_filters(**filters))
        with self.engine.connect() as conn:
            return {row[0] for row in conn.execute(query)}

    def hits(self, ids: Sequence[int]) -> list[dict[str, Any]]:
        """Articles as ``search`` lists them (the lead as the snippet), in the order given."""
        columns = [*SEARCH_COLUMNS, func.substr(articles.c.body, 1, SNIPPET_CHARS).label("snippet")]
        with self.engine.connect() as conn:
            rows = conn.execute(select(*columns).where(articles.c.id.in_(ids)))
            found = {row.id: dict(row._mapping) for row in rows}
        for hit in found.values():
            hit["outlet_country"] = self.outlets.country(hit["outlet"], hit["url"])
            hit["snippet"] = " ".join(hit["snippet"].split()) + " …"
        return [found[i] for i in ids if i in found]

    def last_vector_id(self) -> int:
        """The newest article with a vector (an index lookup, unlike counting the rows)."""
        with self.engine.connect() as conn:
            found = conn.execute(select(func.max(article_vectors.c.article_id))).scalar_one()
            return int(found or 0)

    def inputs(
        self, status: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Every input read (oldest first) with its status ("reading" until all its records
        are stored, then "done", or "failed" when nothing was readable) and first error."""
        query = select(inputs).order_by(inputs.c.id)
        if status:
            query = query.where(inputs.c.status == status)
        with self.engine.connect() as conn:
            rows = conn.execute(query.limit(limit).offset(offset))
            return [dict(r._mapping) for r in rows]

    def problems(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(problems).order_by(problems.c.id))
            return [dict(r._mapping) for r in rows]

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(articles)).scalar_one()
            copies = conn.execute(
                select(func.count()).where(articles.c.duplicate_of.is_not(None))
            ).scalar_one()
            problem_count = conn.execute(select(func.count()).select_from(problems)).scalar_one()
        return {"articles": total, "duplicates": copies, "problems": problem_count}


def _actor_query() -> Select[Any]:
    return select(actors).order_by(actors.c.mentions.desc(), actors.c.id)


def article_query(
    outlet: str | None = None,
    language: str | None = None,
    since: str | None = None,
    until: str | None = None,
    canonical_only: bool = False,
) -> Select[Any]:
    query = select(*ARTICLE_COLUMNS).order_by(
        articles.c.published.desc().nulls_last(), articles.c.id
    )
    if language:
        query = query.where(articles.c.language == language)
    filters = article_filters(
        outlet=outlet, since=since, until=until, canonical_only=canonical_only
    )
    return query.where(*filters)


# The SQLite full-text index (a virtual table made by the first migration), and the
# PostgreSQL text-search configuration of the articles' generated ``search`` column.
fts_table = table("articles_fts", column("rowid", Integer))
ENGLISH: ColumnElement[Any] = literal_column("'english'::regconfig")


def _tsquery(terms: list[str]) -> ColumnElement[Any]:
    """Every term (a word or a phrase) required, as ``fts_query`` asks of SQLite."""
    parts: list[ColumnElement[Any]] = [func.phraseto_tsquery(ENGLISH, term) for term in terms]
    return reduce(lambda left, right: left.op("&&")(right), parts)


def article_filters(
    dyad: tuple[str, str] | None = None,
    issue: str | None = None,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    canonical_only: bool = False,
) -> list[ColumnElement[bool]]:
    """Conditions on ``articles``: a dyad keeps articles that report an event between its
    two countries (either direction) or mention actors of both; an issue keeps articles
    tagged with it as a whole (the tags ``Store.issues`` counts and an article shows, not
    those of single event sentences); ``outlet`` is part of the outlet's name, any case;
    ``since``/``until`` bound the publication date (inclusive YYYY-MM-DD, so an undated
    article is left out by either); ``canonical_only`` leaves out copies."""
    conditions: list[ColumnElement[bool]] = []
    if dyad:
        first, second = dyad
        # Correlated (EXISTS), so a store checks only the articles the other filters keep.
        reported = (
            select(event_mentions.c.id)
            .join(events, events.c.id == event_mentions.c.event_id)
            .where(
                event_mentions.c.article_id == articles.c.id,
                or_(
                    and_(events.c.source_country == first, events.c.target_country == second),
                    and_(events.c.source_country == second, events.c.target_country == first),
                ),
            )
        )
        conditions.append(
            or_(reported.exists(), and_(_mentioning(first).exists(), _mentioning(second).exists()))
        )
    if issue:
        tagged = select(issue_tags.c.article_id).where(
            issue_tags.c.issue == issue, issue_tags.c.event_mention_id.is_(None)
        )
        conditions.append(articles.c.id.in_(tagged))
    if outlet:
        conditions.append(func.lower(articles.c.outlet).contains(outlet.lower()))
    if since:
        conditions.append(articles.c.published >= since)
    if until:
        conditions.append(articles.c.published <= until)
    if canonical_only:
        conditions.append(articles.c.duplicate_of.is_(None))
    return conditions


def _mentioning(country: str) -> Select[Any]:
    """The article's mentions of actors of ``country`` (correlated with ``articles``)."""
    return (
        select(actor_mentions.c.id)
        .join(actors, actors.c.id == actor_mentions.c.actor_id)
        .where(actor_mentions.c.article_id == articles.c.id, actors.c.country == country)
    )


def _input_row(conn: Connection, sha256: str) -> dict[str, Any] | None:
    row = conn.execute(select(inputs).where(inputs.c.sha256 == sha256)).first()
    return dict(row._mapping) if row else None
