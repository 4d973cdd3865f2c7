"""Table definitions (SQLAlchemy Core), shared by SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
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

# Schema version 2: actors and events.

actors = Table(
    "actors",
    metadata,
    Column("id", String(128), primary_key=True),  # catalogue id: "USA", "person:antony-blinken"
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("country", String(3)),
    Column("sector", String(8)),
    Column("mentions", Integer, nullable=False, default=0),  # version 6: in the articles
)

# Every article the event stage has read, coded or not, so a re-run codes only new ones.
coded_articles = Table(
    "coded_articles",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("events", Integer, nullable=False),
    Column("coded_at", String(32), nullable=False),
    Column("stances", Integer),  # version 6: stance rows stored; null if coded before
)

actor_mentions = Table(
    "actor_mentions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False, index=True),
    Column("actor_id", String(128), ForeignKey("actors.id"), nullable=False, index=True),
    Column("start_char", Integer, nullable=False),
    Column("end_char", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("how", String(8), nullable=False),  # "alias", "role" or "fuzzy"
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("date", String(10), index=True),
    Column("date_end", String(10)),
    Column("date_precision", String(8), nullable=False),
    Column("source_actor", String(128), ForeignKey("actors.id"), nullable=False, index=True),
    Column("source_country", String(3), index=True),
    Column("source_sector", String(8)),
    Column("target_actor", String(128), ForeignKey("actors.id"), nullable=False, index=True),
    Column("target_country", String(3), index=True),
    Column("target_sector", String(8)),
    Column("type", String(16), nullable=False, index=True),  # PLOVER root
    Column("mode", String(32)),
    Column("cameo_root", String(2), nullable=False),
    Column("quad", Integer, nullable=False),
    Column("intensity", Float, nullable=False),
    Column("status", String(12), nullable=False),  # happened / planned / negated / background
    Column("location_name", Text),
    Column("location_country", String(3)),
    Column("lat", Float),
    Column("lon", Float),
    # version 6: of its surest mention, and the canonical articles reporting it
    Column("confidence", Float),
    Column("coverage", Integer, nullable=False, default=0),
    Column("pair", String(7)),  # version 6: its two countries in order, "CHN-USA"
)

event_mentions = Table(
    "event_mentions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", Integer, ForeignKey("events.id"), nullable=False, index=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False, index=True),
    Column("sentence", Text, nullable=False),
    Column("start_char", Integer, nullable=False),  # the sentence's offsets in the body
    Column("end_char", Integer, nullable=False),
    Column("trigger", Text, nullable=False),
    Column("status", String(12), nullable=False),
    Column("confidence", Float, nullable=False),
)

VERSION_1_TABLES = [schema_info, inputs, articles, signatures, problems]
VERSION_2_TABLES = [actors, coded_articles, actor_mentions, events, event_mentions]

# Schema version 3: issue tags and tone.

article_tones = Table(
    "article_tones",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("tone", Float, nullable=False),  # VADER compound, mean over sentences, -1..+1
)

mention_tones = Table(
    "mention_tones",
    metadata,
    Column("event_mention_id", Integer, ForeignKey("event_mentions.id"), primary_key=True),
    Column("tone", Float, nullable=False),
)

# An issue an article is about (event_mention_id null) or an event sentence is about.
issue_tags = Table(
    "issue_tags",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False, index=True),
    Column("event_mention_id", Integer, ForeignKey("event_mentions.id"), index=True),
    Column("issue", String(64), nullable=False, index=True),
    Column("label", Text, nullable=False),
    Column("triggers", Text, nullable=False),  # JSON list of the words that triggered it
    Column("score", Integer, nullable=False),
)

VERSION_3_TABLES = [article_tones, mention_tones, issue_tags]

# Schema version 4: article vectors and the stories built from them.

article_vectors = Table(
    "article_vectors",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("vector", LargeBinary, nullable=False),  # float32 unit vector of title and lead
)

# A story: the canonical articles reporting one happening, joined as they are stored.
stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", Text),  # its first article's
    Column("first_day", String(10), index=True),  # publication dates of its articles
    Column("last_day", String(10), index=True),
    Column("size", Integer, nullable=False),  # canonical articles
    Column("centroid", LargeBinary, nullable=False),  # unit mean of their vectors
)

story_articles = Table(
    "story_articles",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("story_id", Integer, ForeignKey("stories.id"), nullable=False, index=True),
)

VERSION_4_TABLES = [article_vectors, stories, story_articles]

# Schema version 5: what the watcher fetched, so a round resumes where the last one stopped.

watch_sources = Table(
    "watch_sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, unique=True),
    Column("parent_id", Integer, ForeignKey("watch_sources.id")),  # a sitemap index's sitemap
    Column("kind", String(16)),  # "feed" or "sitemap", once fetched
    Column("etag", Text),
    Column("last_modified", Text),
    Column("added_at", String(32), nullable=False),
    Column("checked_at", String(32)),  # the last round that polled it
    Column("http_status", Integer),
    Column("error", Text),  # of the last round, or null
    Column("errors", Integer, nullable=False, default=0),  # rounds that ended in an error
)

# A page a source listed: "pending" until fetched, "fetched" while it is ingested, then
# "done", or "failed", "disallowed" (robots.txt) or "refused" (address or scheme).
watch_pages = Table(
    "watch_pages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, unique=True),
    Column("source_id", Integer, ForeignKey("watch_sources.id"), nullable=False, index=True),
    Column("status", String(16), nullable=False, index=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("http_status", Integer),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("sha256", String(64)),  # of the body, to know after a crash if it was ingested
    Column("input_id", Integer, ForeignKey("inputs.id"), index=True),
    Column("error", Text),
    Column("found_at", String(32), nullable=False),
    Column("fetched_at", String(32)),
)

VERSION_5_TABLES = [watch_sources, watch_pages]

# Schema version 6: what the API reads, kept by ingest so answers cost little in a large store.

# Each issue with the articles tagged with it as a whole and the events touching it.
issue_counts = Table(
    "issue_counts",
    metadata,
    Column("issue", String(64), primary_key=True),
    Column("label", Text, nullable=False),
    Column("articles", Integer, nullable=False, default=0),
    Column("events", Integer, nullable=False, default=0),
)

# The issues each event touches (those of its mentions' sentences).
event_issues = Table(
    "event_issues",
    metadata,
    Column("event_id", Integer, ForeignKey("events.id"), primary_key=True),
    Column("issue", String(64), primary_key=True, index=True),
)

# Which stories report events between two countries (first < second), by mention status.
story_pairs = Table(
    "story_pairs",
    metadata,
    Column("story_id", Integer, ForeignKey("stories.id"), primary_key=True),
    Column("first", String(3), primary_key=True),
    Column("second", String(3), primary_key=True),
    Column("status", String(12), primary_key=True),
)

# An article's stance on a pair of countries (first < second; second "" for one country
# and any other the article never names), as ``dyadwatch.stance`` reads it, as JSON.
article_stances = Table(
    "article_stances",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("first", String(3), primary_key=True),
    Column("second", String(3), primary_key=True),
    Column("stance", Text, nullable=False),
)

VERSION_6_TABLES = [issue_counts, event_issues, story_pairs, article_stances]

# Schema version 7: the articles whose events the undated merge has not settled yet (stored
# with their coding, taken by the next ``Store.merge_undated``).
unsettled_articles = Table(
    "unsettled_articles",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
)

VERSION_7_TABLES = [unsettled_articles]

# Schema version 8: the relations index kept per pair of countries, scope (every event, "",
# or one issue's), period length (``grain``: day, week, month or year), period and step of
# the confidence grid (see ``dyadwatch.analytics.tally``).


def _period_key() -> list[Column[Any]]:
    """The columns that name one point of the kept index (each table needs its own)."""
    return [
        Column("pair", String(7), primary_key=True),
        Column("scope", String(64), primary_key=True),
        Column("grain", String(5), primary_key=True),
        Column("period", String(10), primary_key=True),
    ]


# The counted events by quad class, and the sum of their intensities.
index_tallies = Table(
    "index_tallies",
    metadata,
    *_period_key(),
    Column("step", Integer, primary_key=True),
    Column("events", Integer, nullable=False, default=0),
    Column("verbal_cooperation", Integer, nullable=False, default=0),
    Column("material_cooperation", Integer, nullable=False, default=0),
    Column("verbal_conflict", Integer, nullable=False, default=0),
    Column("material_conflict", Integer, nullable=False, default=0),
    Column("intensity", Float, nullable=False, default=0),
)

# The counted events each article ("a", by canonical id) or story ("s", by id, or minus the
# id of an article in none) reports in a period, at each step.
index_reports = Table(
    "index_reports",
    metadata,
    *_period_key(),
    Column("kind", String(1), primary_key=True),
    Column("member", Integer, primary_key=True),
    Column("step", Integer, primary_key=True),
    Column("events", Integer, nullable=False),
)

# How many articles or stories of a period have their surest counted event at each step.
index_spread = Table(
    "index_spread",
    metadata,
    *_period_key(),
    Column("kind", String(1), primary_key=True),
    Column("top", Integer, primary_key=True),
    Column("members", Integer, nullable=False),
)

VERSION_8_TABLES = [index_tallies, index_reports, index_spread]

# Schema version 9: each signature's key in each LSH band (``dyadwatch.dedupe.band_keys``), so
# a new article's candidate copies are found by the index instead of among every signature.
signature_bands = Table(
    "signature_bands",
    metadata,
    Column("band", SmallInteger, primary_key=True),
    Column("key", BigInteger, primary_key=True),
    Column("article_id", Integer, ForeignKey("signatures.article_id"), primary_key=True),
    sqlite_with_rowid=False,  # the key is the whole row: one B-tree, not a table and an index
)

VERSION_9_TABLES = [signature_bands]

# Schema version 10: each actor's profile kept as the relations index is (see
# ``dyadwatch.analytics.tally.profile_tally``): its events by type and counterpart, and its
# timeline per period length (``grain``) and period, each at a step of the confidence grid.


def _actor_point() -> list[Column[Any]]:
    """The columns that name one point of an actor's kept timeline."""
    return [
        Column("actor", String(128), primary_key=True),
        Column("grain", String(5), primary_key=True),
        Column("period", String(10), primary_key=True),
    ]


# The actor's events with each counterpart (its country and sector as the event has them,
# "" for none) of each type.
actor_roles = Table(
    "actor_roles",
    metadata,
    Column("actor", String(128), primary_key=True),
    Column("counterpart", String(128), primary_key=True),
    Column("country", String(3), primary_key=True),
    Column("sector", String(8), primary_key=True),
    Column("type", String(16), primary_key=True),
    Column("step", Integer, primary_key=True),
    Column("events", Integer, nullable=False, default=0),
)

# The actor's counted events of a period by quad class, and the sum of their intensities.
actor_tallies = Table(
    "actor_tallies",
    metadata,
    *_actor_point(),
    Column("step", Integer, primary_key=True),
    Column("events", Integer, nullable=False, default=0),
    Column("verbal_cooperation", Integer, nullable=False, default=0),
    Column("material_cooperation", Integer, nullable=False, default=0),
    Column("verbal_conflict", Integer, nullable=False, default=0),
    Column("material_conflict", Integer, nullable=False, default=0),
    Column("intensity", Float, nullable=False, default=0),
)

# The actor's counted events of a period each canonical article reports, at each step.
actor_reports = Table(
    "actor_reports",
    metadata,
    *_actor_point(),
    Column("article", Integer, primary_key=True),
    Column("step", Integer, primary_key=True),
    Column("events", Integer, nullable=False),
)

# How many articles of a period have their surest of the actor's counted events at each step.
actor_spread = Table(
    "actor_spread",
    metadata,
    *_actor_point(),
    Column("top", Integer, primary_key=True),
    Column("members", Integer, nullable=False),
)

VERSION_10_TABLES = [actor_roles, actor_tallies, actor_reports, actor_spread]
