"""Shared fixtures: where third-party data lives, the store back-ends to test, and the store
built from the examples."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from dyadwatch.pipeline import ingest

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
