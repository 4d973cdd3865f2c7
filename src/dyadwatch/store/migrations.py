"""Versioned schema migrations: each step runs once, in order, inside one transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, inspect, select, text

from dyadwatch.dedupe import band_keys, from_bytes
from dyadwatch.store import profiles
from dyadwatch.store.index import fill
from dyadwatch.store.schema import (
    VERSION_1_TABLES,
    VERSION_2_TABLES,
    VERSION_3_TABLES,
    VERSION_4_TABLES,
    VERSION_5_TABLES,
    VERSION_6_TABLES,
    VERSION_7_TABLES,
    VERSION_8_TABLES,
    VERSION_9_TABLES,
    VERSION_10_TABLES,
    metadata,
    schema_info,
    signature_bands,
    signatures,
)

FILL_PAGE = 5000  # signatures read at a time when a store made before fills its band keys
SQLITE_FTS = [
    """CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, body, content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    """CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
]

POSTGRES_FTS = [
    """ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS
        (to_tsvector('english', coalesce(title, '') || ' ' || body)) STORED""",
    "CREATE INDEX ix_articles_search ON articles USING gin (search)",
]


def _initial_schema(conn: Connection) -> None:
    # Version 1 is the schema module as first written; later versions must alter, not edit it.
    metadata.create_all(conn, tables=VERSION_1_TABLES)
    statements = SQLITE_FTS if conn.dialect.name == "sqlite" else POSTGRES_FTS
    for statement in statements:
        conn.execute(text(statement))


def _actors_and_events(conn: Connection) -> None:
    metadata.create_all(conn, tables=VERSION_2_TABLES)


def _issues_and_tone(conn: Connection) -> None:
    metadata.create_all(conn, tables=VERSION_3_TABLES)


def _stories(conn: Connection) -> None:
    # Articles stored before have no vector yet: the next ingest embeds them and places
    # them in stories first (``Ingestor``).
    metadata.create_all(conn, tables=VERSION_4_TABLES)


def _watch(conn: Connection) -> None:
    metadata.create_all(conn, tables=VERSION_5_TABLES)


# Columns added by version 6 (a store made since has them from its first migrations).
VERSION_6_COLUMNS = {
    "actors": ["mentions INTEGER NOT NULL DEFAULT 0"],
    "coded_articles": ["stances INTEGER"],
    "events": ["confidence FLOAT", "coverage INTEGER NOT NULL DEFAULT 0", "pair VARCHAR(7)"],
}
# What the API filters and sorts by. SQLite puts nulls last in a descending order as it is.
VERSION_6_INDEXES = {
    "ix_events_pair_listed": "events (pair, date DESC{nulls}, id)",
    "ix_events_listed": "events (date DESC{nulls}, id)",
    "ix_events_weight": (
        "events (pair, (abs(intensity) * (1 + coverage)) DESC, date DESC{nulls}, id)"
    ),
    "ix_events_confidence": "events (confidence)",
    "ix_articles_listed": "articles (published DESC{nulls}, id)",
    "ix_stories_listed": "stories (last_day DESC{nulls}, id DESC)",
    "ix_actors_listed": "actors (mentions DESC, id)",
    "ix_story_pairs_pair": "story_pairs (first, second, status)",
}
VERSION_6_BACKFILL = [
    """UPDATE actors SET mentions =
        (SELECT count(*) FROM actor_mentions m WHERE m.actor_id = actors.id)""",
    """UPDATE events SET pair = CASE WHEN source_country < target_country
        THEN source_country || '-' || target_country
        ELSE target_country || '-' || source_country END""",
    """UPDATE events SET
        confidence = (SELECT max(m.confidence) FROM event_mentions m WHERE m.event_id = events.id),
        coverage = (SELECT count(DISTINCT coalesce(a.duplicate_of, a.id)) FROM event_mentions m
            JOIN articles a ON a.id = m.article_id WHERE m.event_id = events.id)""",
    """INSERT INTO event_issues (event_id, issue)
        SELECT DISTINCT m.event_id, t.issue FROM issue_tags t
        JOIN event_mentions m ON m.id = t.event_mention_id""",
    """INSERT INTO issue_counts (issue, label, articles, events)
        SELECT t.issue, t.label, sum(CASE WHEN t.event_mention_id IS NULL THEN 1 ELSE 0 END),
            (SELECT count(*) FROM event_issues e WHERE e.issue = t.issue)
        FROM issue_tags t GROUP BY t.issue, t.label""",
    """INSERT INTO story_pairs (story_id, first, second, status)
        SELECT DISTINCT s.story_id,
            CASE WHEN e.source_country < e.target_country
                THEN e.source_country ELSE e.target_country END,
            CASE WHEN e.source_country < e.target_country
                THEN e.target_country ELSE e.source_country END,
            m.status
        FROM event_mentions m JOIN events e ON e.id = m.event_id
        JOIN articles a ON a.id = m.article_id
        JOIN story_articles s ON s.article_id = coalesce(a.duplicate_of, a.id)
        WHERE e.source_country IS NOT NULL AND e.target_country IS NOT NULL""",
]


def _read_models(conn: Connection) -> None:
    """Counts and listings the API reads, filled from what is stored; the stances of
    articles coded before are read from their text when asked (``stories``)."""
    metadata.create_all(conn, tables=VERSION_6_TABLES)
    for table, columns in VERSION_6_COLUMNS.items():
        have = {c["name"] for c in inspect(conn).get_columns(table)}
        for column in columns:
            if column.split()[0] not in have:
                conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column}"))
    nulls = "" if conn.dialect.name == "sqlite" else " NULLS LAST"
    for name, spec in VERSION_6_INDEXES.items():
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON {spec.format(nulls=nulls)}"))
    for statement in VERSION_6_BACKFILL:
        conn.execute(text(statement))


def _unsettled(conn: Connection) -> None:
    """Undated events are settled over the articles stored since the last merge; in a store
    made before, every article reporting an event waits, so the next merge settles them all.
    The events of a merge key (its actors and type) are found by an index."""
    metadata.create_all(conn, tables=VERSION_7_TABLES)
    conn.execute(
        text(
            "CREATE INDEX IF NOT EXISTS ix_events_key ON events (source_actor, target_actor, type)"
        )
    )
    conn.execute(
        text(
            """INSERT INTO unsettled_articles (article_id)
            SELECT DISTINCT article_id FROM event_mentions
            WHERE article_id NOT IN (SELECT article_id FROM unsettled_articles)"""
        )
    )


def _kept_index(conn: Connection) -> None:
    """The relations index kept per pair, issue, period and confidence, filled from the
    stored events (anew, should the tables be there already, as in a store set back)."""
    metadata.create_all(conn, tables=VERSION_8_TABLES)
    for table in VERSION_8_TABLES:
        conn.execute(table.delete())
    fill(conn)


def band_rows(article_id: int, bands: Sequence[int]) -> list[dict[str, Any]]:
    return [{"band": band, "key": key, "article_id": article_id} for band, key in enumerate(bands)]


def _signature_bands(conn: Connection) -> None:
    """Each stored signature's band keys, read a page of signatures at a time (anew, should
    the table be there already, as in a store set back)."""
    metadata.create_all(conn, tables=VERSION_9_TABLES)
    conn.execute(signature_bands.delete())
    last = 0
    while page := conn.execute(
        select(signatures.c.article_id, signatures.c.minhash)
        .where(signatures.c.article_id > last)
        .order_by(signatures.c.article_id)
        .limit(FILL_PAGE)
    ).all():
        rows = [band_rows(i, band_keys(from_bytes(data))) for i, data in page]
        conn.execute(signature_bands.insert(), [row for found in rows for row in found])
        last = page[-1][0]


def _actor_profiles(conn: Connection) -> None:
    """Each actor's profile kept by type, counterpart and period, filled from the stored
    events (anew, should the tables be there already, as in a store set back)."""
    metadata.create_all(conn, tables=VERSION_10_TABLES)
    for table in VERSION_10_TABLES:
        conn.execute(table.delete())
    profiles.fill(conn)


MIGRATIONS: list[Callable[[Connection], None]] = [
    _initial_schema,
    _actors_and_events,
    _issues_and_tone,
    _stories,
    _watch,
    _read_models,
    _unsettled,
    _kept_index,
    _signature_bands,
    _actor_profiles,
]
LATEST = len(MIGRATIONS)


def current_version(conn: Connection) -> int:
    if not conn.dialect.has_table(conn, schema_info.name):
        return 0
    value = conn.execute(
        select(schema_info.c.value).where(schema_info.c.key == "version")
    ).scalar_one_or_none()
    return int(value) if value is not None else 0


def migrate(conn: Connection) -> int:
    """Bring the schema to the latest version; returns the version reached."""
    version = current_version(conn)
    if version > LATEST:
        raise RuntimeError(
            f"this database has schema version {version}, newer than this dyadwatch "
            f"({LATEST}); upgrade dyadwatch"
        )
    for step in range(version, LATEST):
        MIGRATIONS[step](conn)
        conn.execute(schema_info.delete().where(schema_info.c.key == "version"))
        conn.execute(schema_info.insert().values(key="version", value=str(step + 1)))
    return LATEST
