"""Versioned schema migrations: each step runs once, in order, inside one transaction."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, select, text

from dyadwatch.store.schema import (
    VERSION_1_TABLES,
    VERSION_2_TABLES,
    VERSION_3_TABLES,
    VERSION_4_TABLES,
    VERSION_5_TABLES,
    metadata,
    schema_info,
)

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


MIGRATIONS: list[Callable[[Connection], None]] = [
    _initial_schema,
    _actors_and_events,
    _issues_and_tone,
    _stories,
    _watch,
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
