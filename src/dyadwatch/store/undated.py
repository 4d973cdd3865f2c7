"""Undated events, attached after ingest to the event their articles report.

An undated mention (no date in its sentence, none on its article) fits any date, so at save
time it would join whichever event of its type and actors happened to be stored first. It
is saved instead as an undated event of its own article, and ``merge_undated`` later moves
it into the dated event whose articles plainly tell the same story: the one clear best by
the people both articles name besides the event's own two actors. Undated events
of different articles that are each other's clear best merge too. Only events between named
people or bodies are attached (not "China" and "the US"), and an undated plan never joins a
retelling, nor the other way round.

Every round decides over a snapshot of all stored events and repeats until nothing moves,
so the outcome depends on what is stored, not on the order it came in, and a second run
changes nothing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Select, delete, select, update

from dyadwatch.events.merge import (
    MUTUAL_TYPES,
    Location,
    merge_key,
    places_agree,
    statuses_agree,
    stronger_status,
)
from dyadwatch.store.events import event_location, fits, same_actors, strengthen
from dyadwatch.store.schema import actor_mentions, actors, articles, event_mentions, events

# People both stories name besides the event's own actors: one (a president, a minister) is
# common to many unrelated reports; two or more are a story's cast. Countries, governments
# and summits (G20, APEC) recur in stories of every year, so they are no evidence.
MIN_EVIDENCE = 2
SAME_ARTICLE = 100  # one article reporting both is as sure as it gets
COLUMNS = ("id", "type", "source_actor", "target_actor", "source_country", "target_country",
           "date", "status", "location_name", "location_country", "lat", "lon")  # fmt: skip
# A plan and a retelling are never the same mention's happening when neither has a date:
# "a meeting later this year" is not "the two leaders last met in Bali".
APART = {frozenset({"planned", "background"})}
STORY_WEEK = timedelta(days=7)  # the news one undated article joined lies within this
CHUNK = 500  # ids per IN list, well under any back-end's limit on bound parameters


@dataclass(frozen=True)
class _Event:
    id: int
    dated: bool
    status: str
    location: Location | None
    articles: frozenset[int]
    told: frozenset[tuple[int, str]]  # (article, status) of each of its mentions
    cast: frozenset[str]  # the people its articles name, besides its own two actors


def merge_undated(conn: Connection) -> int:
    """Attach undated events to the events they report, then date the rest of their
    articles' news by the story (``date_by_story``); returns how many were merged away."""
    merged = sum(_settle(conn, group) for group in _key_groups(conn))
    date_by_story(conn)
    return merged


def date_by_story(conn: Connection) -> int:
    """An undated article whose news joined dated events of one week was written then: its
    other news events, told by it alone and still undated, take the latest of those dates
    at precision "story" (a republished Al Jazeera report of Blinken's visit to Beijing: its
    "Wang Yi blamed the US" happened that week). Returns how many events were dated."""
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
    story_dates = {a: max(d) for a, d in joined.items() if _one_week(d)}
    dated = 0
    for event_id, mentions in told.items():
        (article, status), *others = mentions
        if others or status != "happened" or article not in story_dates:
            continue
        conn.execute(
            update(events)
            .where(events.c.id == event_id)
            .values(date=story_dates[article], date_precision="story")
        )
        _join_dated(conn, event_id)
        dated += 1
    return dated


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


def _one_week(dates: set[str]) -> bool:
    days = sorted(date.fromisoformat(d) for d in dates)
    return days[-1] - days[0] <= STORY_WEEK


def _settle(conn: Connection, group: list[_Event]) -> int:
    """Merge within one key's events until nothing moves. Keys never interact: evidence
    comes from an event's own articles, which only merges within its key change."""
    live = {event.id: event for event in group}
    merged = 0
    while moves := _dated_moves(live) or _undated_pairs(live):
        for source, target in moves.items():
            live[target] = _joined(live[target], live.pop(source))
            _move(conn, source, target)
        merged += len(moves)
    return merged


def _dated_moves(live: dict[int, _Event]) -> dict[int, int]:
    dated = _Evidence([e for e in live.values() if e.dated])
    moves = {}
    for undated in _undated(live):
        best = dated.clear_best(undated)
        if best is not None:
            moves[undated.id] = best
    return moves


def _undated_pairs(live: dict[int, _Event]) -> dict[int, int]:
    """Undated events that are each other's clear best, the later merged into the earlier."""
    others = _Evidence(list(_undated(live)))
    best = {undated.id: others.clear_best(undated) for undated in _undated(live)}
    return {
        event: partner
        for event, partner in best.items()
        if partner is not None and partner < event and best.get(partner) == event
    }


def _joined(target: _Event, source: _Event) -> _Event:
    """The target as ``_move`` leaves it in the store."""
    return _Event(
        id=target.id,
        dated=target.dated,
        status=stronger_status(target.status, source.status),
        location=target.location or source.location,
        articles=target.articles | source.articles,
        told=target.told | source.told,
        cast=target.cast | source.cast,
    )


def _undated(live: dict[int, _Event]) -> list[_Event]:
    return [e for e in live.values() if not e.dated]


class _Evidence:
    """Candidate events indexed by their articles and people, so an undated event is scored
    only against the candidates it shares something with."""

    def __init__(self, candidates: list[_Event]) -> None:
        self.events = {event.id: event for event in candidates}
        self.by_article: dict[int, set[int]] = defaultdict(set)
        self.by_person: dict[str, list[int]] = defaultdict(list)
        for event in candidates:
            for article in event.articles:
                self.by_article[article].add(event.id)
            for person in event.cast:
                self.by_person[person].append(event.id)

    def clear_best(self, undated: _Event) -> int | None:
        """The candidate with the most evidence, when it has enough and no other as much."""
        ranked = sorted(((score, i) for i, score in self._scores(undated).items()), reverse=True)
        if not ranked or ranked[0][0] < MIN_EVIDENCE:
            return None
        if len(ranked) > 1 and ranked[1][0] == ranked[0][0]:
            return None
        return ranked[0][1]

    def _scores(self, undated: _Event) -> Counter[int]:
        """People shared, plus SAME_ARTICLE for a shared article, of each compatible candidate."""
        scores: Counter[int] = Counter()
        for person in undated.cast:
            scores.update(self.by_person.get(person, []))
        for candidate in set().union(*(self.by_article.get(a, ()) for a in undated.articles)):
            scores[candidate] += SAME_ARTICLE
        return Counter(
            {
                candidate: score
                for candidate, score in scores.items()
                if candidate != undated.id and _compatible(undated, self.events[candidate])
            }
        )


def _compatible(undated: _Event, other: _Event) -> bool:
    """Statuses and places can be one happening's: not a negation of it, and no mention of
    one a plan where the other's is a retelling ("could pave the way for a meeting later
    this year" beside "the two leaders last met in Bali")."""
    statuses = [frozenset({a, b}) for a in _statuses(undated) for b in _statuses(other)]
    return (
        statuses_agree(other.status, undated.status)
        and not any(pair in APART for pair in statuses)
        and places_agree(other.location, undated.location)
    )


def _statuses(event: _Event) -> set[str]:
    return {status for _, status in event.told}


def _key_groups(conn: Connection) -> list[list[_Event]]:
    """The events of every merge key that has an undated event, key by key."""
    rows = _sharing_a_key_with_undated(conn)
    reported: dict[int, set[tuple[int, str]]] = defaultdict(set)
    c = event_mentions.c
    mentions = select(c.event_id, c.article_id, c.status)
    for event_id, article_id, status in _rows(conn, mentions, c.event_id, rows):
        reported[event_id].add((article_id, status))
    people = _people(conn, {a for told in reported.values() for a, _ in told})
    groups: dict[tuple[str, str, str], list[_Event]] = defaultdict(list)
    for row in rows.values():
        articles = frozenset(a for a, _ in reported[row.id])
        cast = frozenset().union(*(people.get(a, ()) for a in articles))
        groups[merge_key(row.type, row.source_actor, row.target_actor)].append(
            _Event(
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
    """Both sides are named people or bodies: "China" and "the US" talk in stories of every
    year, so an undated report of that is no one happening's."""
    return row.source_actor != row.source_country and row.target_actor != row.target_country


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
    conn.execute(delete(events).where(events.c.id == source))
