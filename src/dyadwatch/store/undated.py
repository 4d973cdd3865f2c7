"""Undated events, attached after ingest to the event their articles report: the merge stage
(``dyadwatch.events.undated``) decides, over the events the articles stored since the last
merge touch, which it reads and changes through ``StoredEvents``. Every query is by id, by
article or by merge key, through an index."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, Select, delete, select, update

from dyadwatch.events.merge import MUTUAL_TYPES
from dyadwatch.events.undated import settle_undated
from dyadwatch.store.events import CHUNK, move_issues, refresh_event, strengthen
from dyadwatch.store.index import KeptIndex
from dyadwatch.store.schema import (
    actor_mentions,
    actors,
    articles,
    event_mentions,
    events,
    unsettled_articles,
)

COLUMNS = ("id", "type", "source_actor", "target_actor", "source_country", "target_country",
           "date", "date_precision", "status", "location_name", "location_country", "lat",
           "lon")  # fmt: skip
EVENT_ROWS = select(*(events.c[name] for name in COLUMNS))


def merge_undated(conn: Connection) -> int:
    """Settle the undated events of the articles stored since the last merge and what they
    touch (``events.undated.settle_undated``); returns how many events were merged away."""
    waiting = conn.execute(select(unsettled_articles.c.article_id)).scalars().all()
    kept = KeptIndex(conn)
    merged = settle_undated(StoredEvents(conn, kept), waiting)
    kept.save()
    for chunk in _chunks(waiting):  # only those read: any stored since wait for the next merge
        conn.execute(delete(unsettled_articles).where(unsettled_articles.c.article_id.in_(chunk)))
    return merged


class StoredEvents:
    """The stored events as settling undated ones reads and changes them (the protocol
    ``events.undated.Stored``), in ``conn``'s transaction. Each event it moves mentions
    from or to, or dates, is touched in ``kept`` first; the caller saves ``kept`` after."""

    def __init__(self, conn: Connection, kept: KeptIndex) -> None:
        self.conn = conn
        self.kept = kept

    def reported_by(self, articles: Collection[int]) -> set[int]:
        query = select(event_mentions.c.event_id).distinct()
        return {row.event_id for row in self._rows(query, event_mentions.c.article_id, articles)}

    def events(self, ids: Collection[int]) -> list[Any]:
        return self._rows(EVENT_ROWS, events.c.id, ids)

    def of_key(self, row: Any) -> list[Any]:
        """One query a way round, each through ix_events_key (SQLite plans an OR of the two
        by the type alone)."""
        ways = {(row.source_actor, row.target_actor)}
        if row.type in MUTUAL_TYPES:
            ways.add((row.target_actor, row.source_actor))
        e = events.c
        found = [
            event
            for source, target in ways
            for event in self.conn.execute(
                EVENT_ROWS.where(
                    e.source_actor == source, e.target_actor == target, e.type == row.type
                )
            )
        ]
        return sorted(found, key=lambda event: int(event.id))

    def mentions(self, ids: Collection[int]) -> list[Any]:
        c = event_mentions.c
        return self._rows(select(c.event_id, c.article_id, c.status), c.event_id, ids)

    def people(self, ids: Collection[int]) -> dict[int, frozenset[str]]:
        query = (
            select(actor_mentions.c.article_id, actor_mentions.c.actor_id)
            .distinct()
            .join(actors, actors.c.id == actor_mentions.c.actor_id)
            .where(actors.c.kind == "person")
        )
        named: dict[int, set[str]] = defaultdict(set)
        for article_id, actor_id in self._rows(query, actor_mentions.c.article_id, ids):
            named[article_id].add(actor_id)
        return {article_id: frozenset(people) for article_id, people in named.items()}

    def news_by(self, ids: Collection[int]) -> list[Any]:
        c = event_mentions.c
        query = select(c.article_id, c.event_id, c.status, events.c.date).join(
            events, events.c.id == c.event_id
        )
        return self._rows(query, c.article_id, ids)

    def undated_reports(self, ids: Collection[int]) -> list[Any]:
        c = event_mentions.c
        query = (
            select(c.article_id, c.event_id, c.status)
            .join(articles, articles.c.id == c.article_id)
            .where(articles.c.published.is_(None))
        )
        return self._rows(query, c.event_id, ids)

    def date_by_story(self, event_id: int, day: str) -> None:
        self.kept.touch([event_id])
        dated = update(events).where(events.c.id == event_id)
        self.conn.execute(dated.values(date=day, date_precision="story"))

    def move(self, source: int, target: int) -> None:
        self.kept.touch([source, target])
        row = self.conn.execute(select(events).where(events.c.id == source)).one()
        moved = update(event_mentions).where(event_mentions.c.event_id == source)
        self.conn.execute(moved.values(event_id=target))
        strengthen(self.conn, target, dict(row._mapping))
        refresh_event(self.conn, target)
        move_issues(self.conn, source, target)
        self.conn.execute(delete(events).where(events.c.id == source))

    def _rows(self, query: Select[Any], column: Any, ids: Collection[int]) -> list[Any]:
        """The query's rows whose ``column`` is one of ``ids``, asked a chunk of ids at a time."""
        found: list[Any] = []
        for chunk in _chunks(ids):
            found += self.conn.execute(query.where(column.in_(chunk))).all()
        return found


def _chunks(ids: Collection[int]) -> list[list[int]]:
    ordered = sorted(ids)
    return [ordered[start : start + CHUNK] for start in range(0, len(ordered), CHUNK)]
