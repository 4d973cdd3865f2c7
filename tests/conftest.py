"""Shared fixtures: where third-party data lives, the store back-ends to test, and the store
built from the examples."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Table, create_engine, delete, select, text

from dyadwatch.pipeline import ingest
from dyadwatch.store import Store
from dyadwatch.store.schema import index_reports, index_spread, index_tallies

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def shared_path(relative: str) -> Path:
    """A file under ../shared; in CI its absence is a failure, elsewhere a skip."""
    path = SHARED / relative
    if not path.exists():
        message = f"third-party data missing: {path}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def fresh_postgres() -> str:
    """The test server's URL with an empty database; in CI its absence is a failure."""
    url = os.environ.get("DYADWATCH_TEST_POSTGRES")
    if not url:
        message = "DYADWATCH_TEST_POSTGRES is not set (scripts/start-postgres.sh prints it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    _reset_postgres(url)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database of each back-end (PostgreSQL from DYADWATCH_TEST_POSTGRES)."""
    if request.param == "sqlite":
        return str(tmp_path / "test.db")
    return fresh_postgres()


@pytest.fixture(scope="session")
def examples_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store of the examples, ingested and coded once for the session. Only for tests
    that read it: a test that writes builds its own."""
    path = tmp_path_factory.mktemp("examples") / "examples.db"
    ingest([str(REPO / "examples")], path, workers=1)
    return str(path)


def examples_store(request: pytest.FixtureRequest, tmp: pytest.TempPathFactory) -> Store:
    """The examples on the back-end a fixture's param names ("sqlite": a copy of the session's
    store; "postgresql": ingested into a fresh database)."""
    if request.param == "sqlite":
        db = str(tmp.mktemp("examples-copy") / "examples.db")
        shutil.copy(request.getfixturevalue("examples_db"), db)
    else:
        db = fresh_postgres()
        ingest([str(REPO / "examples")], db, workers=1)
    return Store(db)


KeptCounts = Mapping[Table, str]  # kept tables, each with the column whose 0 counts nothing
INDEX_COUNTS: KeptCounts = {
    index_tallies: "events",
    index_reports: "events",
    index_spread: "members",
}


def counting_rows(conn: Connection, counts: KeptCounts) -> dict[str, set[tuple[Any, ...]]]:
    """The rows of kept tables, but those that count nothing."""
    return {
        table.name: {tuple(row) for row in conn.execute(select(table).where(table.c[n] != 0))}
        for table, n in counts.items()
    }


def kept_and_refilled(
    store: Store, counts: KeptCounts, fill: Callable[[Connection], None]
) -> tuple[dict[str, set[tuple[Any, ...]]], dict[str, set[tuple[Any, ...]]]]:
    """The counting rows of kept tables, and those filling them again from the stored events
    gives (rolled back)."""
    with store.engine.connect() as conn:
        kept = counting_rows(conn, counts)
        for table in counts:
            conn.execute(delete(table))
        fill(conn)
        filled = counting_rows(conn, counts)
        conn.rollback()
    return kept, filled
