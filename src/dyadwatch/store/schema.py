"""Table definitions (SQLAlchemy Core), shared by SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

schema_info = Table(
    "schema_info",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

inputs = Table(
    "inputs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", Text, nullable=False),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("format", String(32), nullable=False),
    Column("size", Integer, nullable=False),
    # "reading" until every record is stored, then "done" (or "failed" when nothing was readable)
    Column("status", String(16), nullable=False),
    Column("error", Text),
    Column("documents", Integer, nullable=False, default=0),
    Column("started_at", String(32), nullable=False),
    Column("finished_at", String(32)),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("input_id", Integer, ForeignKey("inputs.id"), nullable=False),
    Column("record", Integer, nullable=False),
    Column("source", Text, nullable=False),
    Column("format", String(32), nullable=False),
    Column("url", Text),
    Column("outlet", Text),
    Column("title", Text),
    Column("author", Text),
    Column("published", String(10), index=True),
    Column("date_evidence", Text, nullable=False, default="[]"),  # JSON list
    Column("language", String(8), index=True),
    Column("skip_reason", Text),
    Column("body", Text, nullable=False),
    Column("body_hash", String(64), nullable=False, index=True),
    Column("duplicate_of", Integer, ForeignKey("articles.id"), index=True),
    Column("duplicate_kind", String(8)),  # "exact" or "near"
    Column("similarity", Integer),  # estimated Jaccard, in percent, for near duplicates
    Column("ingested_at", String(32), nullable=False),
    UniqueConstraint("input_id", "record", name="uq_articles_input_record"),
)

# MinHash signatures of canonical articles, so near-duplicate detection spans runs.
signatures = Table(
    "signatures",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("minhash", LargeBinary, nullable=False),
)

problems = Table(
    "problems",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", Text, nullable=False),
    Column("record", Integer, nullable=False, default=-1),  # -1: the input as a whole
    Column("reason", Text, nullable=False),
    Column("first_seen", String(32), nullable=False),
    UniqueConstraint("source", "record", "reason", name="uq_problems"),
)
