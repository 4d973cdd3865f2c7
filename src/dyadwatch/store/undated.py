"""Undated events, attached after ingest to the event their articles report: the store loads
the events of every merge key that has an undated one, the merge stage
(``dyadwatch.events.undated``) decides, and the store moves the mentions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, delete, select, update

from dyadwatch.events.merge import MUTUAL_TYPES, event_location, fits, merge_key
from dyadwatch.events.undated import Told, between_named, settle, story_dated
from dyadwatch.store.events import (
    CHUNK,
    move_issues,
    refresh_event,
    same_actors,
    strengthen,
)
from dyadwatch.store.schema import actor_mentions, actors, articles, event_mentions, events

COLUMNS = ("id", "type", "source_actor", "target_actor", "source_country", "target_country",
           "date", "status", "location_name", "location_country", "lat", "lon")  # fmt: skip


def merge_undated(conn: Connection) -> int:
    """Attach undated events to the events they report, then date the rest of their
    articles' news by the story (``date_by_story``); returns how many were merged away."""
    merged = 0
    for group in _key_groups(conn):
        for source, target in settle(group):
            _move(conn, source, target)
            merged += 1
    date_by_story(conn)
    return merged


def date_by_story(conn: Connection) -> int:
    """Date the news undated articles alone tell by the dated news they joined (see
    ``events.undated.story_dated``), at precision "story"; returns how many were dated."""
    undated_articles = select(articles.c.id).where(articles.c.published.is_(None))
    c = event_mentions.c
    news = conn.execute(
        select(c.article_id, c.event_id, c.status, events.c.date)
        .join(events, events.c.id == c.event_id)
        .where(c.article_id.in_(undated_articles))
    ).all()
    joined: dict[int, set[str]] = defaultdict(set)  # article: dates of the dated news it joined
    told: dict[int, set[tuple[int, str]]] = defaultdict(set)  # undated event: (article, status)
    for row in news:
        if row.date is None:
            told[row.event_id].add((row.article_id, row.status))
        elif row.status == "happened":
            joined[row.article_id].add(row.date)
    dated = story_dated(joined, told)
    for event_id, day in dated.items():
        conn.execute(
            update(events).where(events.c.id == event_id).values(date=day, date_precision="story")
        )
        _join_dated(conn, event_id)
    return len(dated)


def _join_dated(conn: Connection, event_id: int) -> None:
    """A newly dated event is one with the first stored dated event it fits, if any."""
    row = conn.execute(select(events).where(events.c.id == event_id)).one()
    mutual = row.type in MUTUAL_TYPES
    others = select(events).where(
        events.c.type == row.type,
        same_actors(events, row.source_actor, row.target_actor, mutual),
        events.c.date.is_not(None),
        events.c.id != event_id,
    )
    day = date.fromisoformat(row.date)
    for other in conn.execute(others.order_by(events.c.id)):
        if fits(other, row.status, day, row.date_precision, event_location(row)):
            _move(conn, event_id, other.id)
            return


def _key_groups(conn: Connection) -> list[list[Told]]:
    """The events of every merge key that has an undated event, key by key."""
    rows = _sharing_a_key_with_undated(conn)
    reported: dict[int, set[tuple[int, str]]] = defaultdict(set)
    c = event_mentions.c
    mentions = select(c.event_id, c.article_id, c.status)
    for event_id, article_id, status in _rows(conn, mentions, c.event_id, rows):
        reported[event_id].add((article_id, status))
    people = _people(conn, {a for told in reported.values() for a, _ in told})
    groups: dict[tuple[str, str, str], list[Told]] = defaultdict(list)
    for row in rows.values():
        articles = frozenset(a for a, _ in reported[row.id])
        cast = frozenset().union(*(people.get(a, ()) for a in articles))
        groups[merge_key(row.type, row.source_actor, row.target_actor)].append(
            Told(
                id=row.id,
                dated=row.date is not None,
                status=row.status,
                location=event_location(row),
                articles=articles,
                told=frozenset(reported[row.id]),
                cast=cast - {row.source_actor, row.target_actor},
            )
        )
    return [groups[key] for key in sorted(groups)]


def _sharing_a_key_with_undated(conn: Connection) -> dict[int, Any]:
    """Events by id, of every merge key that has an undated event. One linear read of the
    columns merging needs: a join on the three key columns is planned badly by SQLite."""
    columns = [events.c[name] for name in COLUMNS]
    by_key: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    for row in conn.execute(select(*columns).order_by(events.c.id)):
        by_key[merge_key(row.type, row.source_actor, row.target_actor)].append(row)
    return {
        row.id: row
        for rows in by_key.values()
        if any(row.date is None for row in rows) and _between_named(rows[0])
        for row in rows
    }


def _between_named(row: Any) -> bool:
    return between_named(row.source_actor, row.source_country, row.target_actor, row.target_country)


def _people(conn: Connection, articles: set[int]) -> dict[int, frozenset[str]]:
    """The people each article names."""
    query = (
        select(actor_mentions.c.article_id, actor_mentions.c.actor_id)
        .distinct()
        .join(actors, actors.c.id == actor_mentions.c.actor_id)
        .where(actors.c.kind == "person")
    )
    named: dict[int, set[str]] = defaultdict(set)
    for article_id, actor_id in _rows(conn, query, actor_mentions.c.article_id, articles):
        named[article_id].add(actor_id)
    return {article_id: frozenset(people) for article_id, people in named.items()}


def _rows(conn: Connection, query: Select[Any], column: Any, ids: Iterable[int]) -> list[Any]:
    """The query's rows whose ``column`` is one of ``ids``, asked a chunk of ids at a time."""
    ordered = sorted(ids)
    found: list[Any] = []
    for start in range(0, len(ordered), CHUNK):
        found += conn.execute(query.where(column.in_(ordered[start : start + CHUNK]))).all()
    return found


def _move(conn: Connection, source: int, target: int) -> None:
    """Every mention of ``source`` now reports ``target``, which takes what it adds."""
    row = conn.execute(select(events).where(events.c.id == source)).one()
    conn.execute(
        update(event_mentions).where(event_mentions.c.event_id == source).values(event_id=target)
    )
    strengthen(conn, target, dict(row._mapping))
    refresh_event(conn, target)
    move_issues(conn, source, target)
    conn.execute(delete(events).where(events.c.id == source))
