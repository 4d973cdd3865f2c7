"""Undated events, attached after ingest to the event their articles report.

An undated mention (no date in its sentence, none on its article) fits any date, so at save
time it would join whichever event of its type and actors happened to be stored first. It
is saved instead as an undated event of its own article, and ``merge_undated`` later moves
it into the dated event whose articles plainly tell the same story: the one clear best by
the people both articles name besides the event's own two actors. Undated events
of different articles that are each other's clear best merge too.

Every round decides over a snapshot of all stored events and repeats until nothing moves,
so the outcome depends on what is stored, not on the order it came in, and a second run
changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, delete, select, update

from dyadwatch.events.merge import MUTUAL_TYPES, Location, places_agree, statuses_agree
from dyadwatch.store.events import event_location, same_actors, strengthen
from dyadwatch.store.schema import actor_mentions, actors, event_mentions, events

# People both stories name besides the event's own actors: one (a president, a minister) is
# common to many unrelated reports; two or more are a story's cast. Countries, governments
# and summits (G20, APEC) recur in stories of every year, so they are no evidence.
MIN_EVIDENCE = 2
SAME_ARTICLE = 100  # one article reporting both is as sure as it gets


@dataclass(frozen=True)
class _Event:
    id: int
    dated: bool
    status: str
    location: Location | None
    articles: frozenset[int]


@dataclass
class _Snapshot:
    events: dict[int, _Event]
    candidates: dict[int, list[int]]  # undated event: events it could be
    cast: dict[int, frozenset[str]]  # article: the people it names
    own: dict[int, frozenset[str]]  # undated event: its source and target


def merge_undated(conn: Connection) -> int:
    """Attach undated events to the events they report; returns how many were merged away."""
    merged = 0
    while True:
        snapshot = _snapshot(conn)
        moves = _dated_moves(snapshot) or _undated_pairs(snapshot)
        if not moves:
            return merged
        for source, target in moves.items():
            _move(conn, source, target)
        merged += len(moves)


def _dated_moves(snapshot: _Snapshot) -> dict[int, int]:
    moves = {}
    for undated, candidates in snapshot.candidates.items():
        dated = [c for c in candidates if snapshot.events[c].dated]
        best = _clear_best(snapshot, undated, dated)
        if best is not None:
            moves[undated] = best
    return moves


def _undated_pairs(snapshot: _Snapshot) -> dict[int, int]:
    """Undated events that are each other's clear best, the later merged into the earlier."""
    best = {}
    for undated, candidates in snapshot.candidates.items():
        others = [c for c in candidates if not snapshot.events[c].dated]
        best[undated] = _clear_best(snapshot, undated, others)
    return {
        event: partner
        for event, partner in best.items()
        if partner is not None and partner < event and best.get(partner) == event
    }


def _clear_best(snapshot: _Snapshot, undated: int, candidates: list[int]) -> int | None:
    """The candidate with the most evidence, when it has enough and no other has as much."""
    scored = sorted(((_evidence(snapshot, undated, c), c) for c in candidates), reverse=True)
    if not scored or scored[0][0] < MIN_EVIDENCE:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return scored[0][1]


def _evidence(snapshot: _Snapshot, undated: int, candidate: int) -> int:
    mine, theirs = snapshot.events[undated].articles, snapshot.events[candidate].articles
    if mine & theirs:
        return SAME_ARTICLE
    own = snapshot.own[undated]
    return len((_cast(snapshot, mine) & _cast(snapshot, theirs)) - own)


def _cast(snapshot: _Snapshot, articles: Iterable[int]) -> frozenset[str]:
    return frozenset().union(*(snapshot.cast.get(a, frozenset()) for a in articles))


def _snapshot(conn: Connection) -> _Snapshot:
    pairs = _pairs(conn)
    involved = {event for pair in pairs for event in pair}
    rows = {row.id: row for row in _rows(conn, select(events), events.c.id, involved)}
    reported: dict[int, set[int]] = defaultdict(set)
    mentions = select(event_mentions.c.event_id, event_mentions.c.article_id)
    for event_id, article_id in _rows(conn, mentions, event_mentions.c.event_id, involved):
        reported[event_id].add(article_id)
    found = {
        event_id: _Event(
            id=event_id,
            dated=row.date is not None,
            status=row.status,
            location=event_location(row),
            articles=frozenset(reported[event_id]),
        )
        for event_id, row in rows.items()
    }
    candidates: dict[int, list[int]] = defaultdict(list)
    for undated, other in sorted(pairs):
        if _compatible(found[undated], found[other]):
            candidates[undated].append(other)
    own = {e: frozenset((rows[e].source_actor, rows[e].target_actor)) for e in candidates}
    articles = {a for e in found.values() for a in e.articles}
    return _Snapshot(found, dict(candidates), _casts(conn, articles), own)


def _pairs(conn: Connection) -> set[tuple[int, int]]:
    """(undated event, another event of the same type between the same actors); two joins
    rather than one with OR, so each can use the actor index on a store of many events."""
    undated, other = events.alias("undated"), events.alias("other")
    found: set[tuple[int, int]] = set()
    for mutual_only, source, target in (
        (False, undated.c.source_actor, undated.c.target_actor),
        (True, undated.c.target_actor, undated.c.source_actor),
    ):
        query = (
            select(undated.c.id, other.c.id)
            .select_from(undated)
            .join(
                other,
                (other.c.type == undated.c.type)
                & (other.c.id != undated.c.id)
                & same_actors(other, source, target, False),
            )
            .where(undated.c.date.is_(None))
        )
        if mutual_only:
            query = query.where(undated.c.type.in_(MUTUAL_TYPES))
        found.update((a, b) for a, b in conn.execute(query))
    return found


def _compatible(undated: _Event, other: _Event) -> bool:
    return statuses_agree(other.status, undated.status) and places_agree(
        other.location, undated.location
    )


def _casts(conn: Connection, articles: set[int]) -> dict[int, frozenset[str]]:
    """The people each article names."""
    query = (
        select(actor_mentions.c.article_id, actor_mentions.c.actor_id)
        .distinct()
        .join(actors, actors.c.id == actor_mentions.c.actor_id)
        .where(actors.c.kind == "person")
    )
    cast: dict[int, set[str]] = defaultdict(set)
    for article_id, actor_id in _rows(conn, query, actor_mentions.c.article_id, articles):
        cast[article_id].add(actor_id)
    return {article_id: frozenset(names) for article_id, names in cast.items()}


CHUNK = 500  # ids per IN list, well under any back-end's limit on bound parameters


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
