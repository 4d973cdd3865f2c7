"""Settling undated events after each ingest run visits only what the run's articles touch,
and leaves the store as settling every stored event again would, on SQLite and PostgreSQL,
whatever the order and the runs the articles came in; the relations index kept through the
moves and the dates by story is the one filled again from the stored events."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import pytest
from conftest import INDEX_COUNTS, fresh_postgres, kept_and_refilled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, delete, insert, select, text

from dyadwatch.actors.catalogue import Actor
from dyadwatch.actors.resolve import ActorMention
from dyadwatch.events.classify import EventType
from dyadwatch.events.coder import ArticleCoding, EventMention
from dyadwatch.events.dates import EventDate
from dyadwatch.models import Article, ArticleTags
from dyadwatch.nlp import Sentence
from dyadwatch.store import Store
from dyadwatch.store.index import fill
from dyadwatch.store.schema import (
    event_mentions,
    events,
    unsettled_articles,
)

COUNTRY_OF = {"person:a": "USA", "person:b": "CHN", "person:c": "USA", "person:d": "CHN",
              "USA": "USA", "CHN": "CHN"}  # fmt: skip
# Pairs of sides: people of both countries (either way round) and the two countries, which
# undated reports never join.
PAIRS = [("person:a", "person:b"), ("person:b", "person:a"), ("person:c", "person:d"),
         ("USA", "CHN")]  # fmt: skip
TYPES = {"CONSULT": ("04", 1, 4.0), "ACCUSE": ("11", 3, -2.0)}  # a mutual type and another
DAYS = [None, date(2024, 5, 1), date(2024, 5, 3), date(2024, 5, 12), date(2023, 5, 1)]
STATUSES = ["happened", "happened", "planned", "background", "negated"]

mention = st.tuples(
    st.sampled_from(sorted(TYPES)),
    st.sampled_from(PAIRS),
    st.sampled_from(DAYS),
    st.sampled_from(STATUSES),
)
# An article: its publication day or none, its event mentions, the other people it names.
article = st.tuples(
    st.sampled_from([None, None, "2024-05-02", "2024-05-13"]),
    st.lists(mention, max_size=3),
    st.sets(st.sampled_from(sorted(p for p in COUNTRY_OF if p.startswith("person:")))),
)


@st.composite
def runs(draw: st.DrawFn) -> list[list[Any]]:
    """Articles in some order, cut into ingest runs."""
    drawn = draw(st.lists(article, min_size=1, max_size=9))
    order = draw(st.permutations(range(len(drawn))))
    cuts = draw(st.lists(st.booleans(), min_size=len(drawn), max_size=len(drawn)))
    found: list[list[Any]] = [[]]
    for place, number in enumerate(order):
        found[-1].append((number, *drawn[number]))
        if cuts[place] and place < len(order) - 1:
            found.append([])
    return found


def actor_mention(actor_id: str, start: int) -> ActorMention:
    kind = "country" if actor_id in ("USA", "CHN") else "person"
    actor = Actor(actor_id, actor_id, kind, COUNTRY_OF[actor_id], None, ())
    return ActorMention(start, start + 1, actor_id, actor, COUNTRY_OF[actor_id], None, "alias")


def coding(number: int, mentions: list[Any], others: set[str]) -> ArticleCoding:
    coded = []
    for i, (kind, (source, target), day, status) in enumerate(mentions):
        cameo, quad, intensity = TYPES[kind]
        found_type = EventType(kind, None, cameo, quad, intensity, status, 0.9, "met")
        when = EventDate(day, "day", "on Monday") if day else None
        sentence = Sentence(f"article {number} mention {i}", i, i + 1)
        pair = actor_mention(source, i), actor_mention(target, i)
        coded.append(EventMention(*pair, found_type, status, when, None, sentence))
    named = [actor_mention(p, 0) for p in sorted(others)]
    return ArticleCoding(named + [m for e in coded for m in (e.source, e.target)], coded)


def store_run(store: Store, run: list[Any]) -> None:
    """Store one run's articles and their codings, as ingest does."""
    with store.transaction() as conn:
        key = hashlib.sha256(repr(run).encode()).hexdigest()
        input_id = store.start_input(f"run-{key}", key, "jsonl", 0, conn)
        for record, (number, published, mentions, others) in enumerate(run):
            found = Article(f"run-{key}", record, "jsonl", f"body {number}", published=published)
            article_id = store.add_article(conn, input_id, found, f"{number}", None)
            tags = ArticleTags(0.0, [], [0.0] * len(mentions), [[] for _ in mentions])
            store.save_coding(article_id, coding(number, mentions, others), tags, conn)
        store.finish_input(input_id, "done", len(run), None, conn)


def settle_everything(store: Store) -> int:
    """Settle every stored event again, as if every article were new."""
    with store.engine.begin() as conn:
        conn.execute(delete(unsettled_articles))
        every = select(event_mentions.c.article_id).distinct()
        conn.execute(insert(unsettled_articles).from_select(["article_id"], every))
    return store.merge_undated()


def state(store: Store) -> set[tuple[Any, ...]]:
    """Each event as the sentences of its mentions and what it holds, without ids."""
    with store.engine.connect() as conn:
        told: dict[int, set[str]] = {}
        for event_id, sentence in conn.execute(
            select(event_mentions.c.event_id, event_mentions.c.sentence)
        ):
            told.setdefault(event_id, set()).add(sentence)
        rows = conn.execute(select(events)).all()
    return {
        (
            frozenset(told[row.id]),
            row.date,
            row.date_precision,
            row.status,
            row.confidence,
            row.coverage,
        )
        for row in rows
    }


def kept_index_is_refilled(store: Store) -> bool:
    """Whether the kept index is the one filled from the stored events (rows that count
    nothing aside)."""
    kept, filled = kept_and_refilled(store, INDEX_COUNTS, fill)
    return kept == filled


def stores(backend: str, tmp: pytest.TempPathFactory) -> tuple[Store, Store]:
    """Two empty stores of the back-end (on PostgreSQL, in two schemas of the test database)."""
    if backend == "sqlite":
        folder = tmp.mktemp("undated")
        return Store(folder / "incremental.db"), Store(folder / "scratch.db")
    url = fresh_postgres()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS scratch CASCADE"))
        conn.execute(text("CREATE SCHEMA scratch"))
    engine.dispose()
    return Store(url), Store(f"{url}?options=-csearch_path%3Dscratch")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(drawn=runs())
def test_settling_what_a_run_touches_leaves_the_store_settling_everything_leaves(
    backend: str, tmp_path_factory: pytest.TempPathFactory, drawn: list[list[Any]]
) -> None:
    incremental, scratch = stores(backend, tmp_path_factory)
    with incremental, scratch:
        for run in drawn:
            store_run(incremental, run)
            store_run(scratch, run)
            incremental.merge_undated()
            settle_everything(scratch)
            assert state(incremental) == state(scratch)
            assert kept_index_is_refilled(incremental)
        assert settle_everything(incremental) == 0
        assert state(incremental) == state(scratch)
        assert kept_index_is_refilled(scratch)
