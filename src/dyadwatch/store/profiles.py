"""Each actor's profile kept as events are stored (its rules: ``dyadwatch.analytics.tally``,
``profile_tally``), as the relations index is (``store.index``, whose ``KeptIndex`` keeps
both): its events by type and counterpart, and its timeline, read as sums over a few rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, func, select

from dyadwatch.analytics.tally import TALLY_COLUMNS, ProfileTally, profile_tally
from dyadwatch.store.events import event_query, same_actors
from dyadwatch.store.kept import amount_rows, counted, upsert, write_members
from dyadwatch.store.schema import (
    actor_reports,
    actor_roles,
    actor_spread,
    actor_tallies,
    actors,
    events,
)

FILL_PAGE = 5000  # events read at a time when a store made before fills the profiles
POINT = ("actor", "grain", "period")
ROLE = ("actor", "counterpart", "country", "sector", "type", "step")
NONE = ""  # a country or sector the event does not give, in a key column


def fill(conn: Connection) -> None:
    """Keep the profiles of every stored event's actors (a store made before version 10)."""
    ids = list(conn.execute(select(events.c.id).order_by(events.c.id)).scalars())
    for start in range(0, len(ids), FILL_PAGE):
        found = ProfileTally.empty()
        for _, event in counted(conn, ids[start : start + FILL_PAGE]):
            found.add(profile_tally(event))
        write(conn, found)


def write(conn: Connection, change: ProfileTally) -> None:
    """Add a change to the kept profiles."""
    roles = [
        dict(zip(ROLE, (actor, other, country or NONE, sector or NONE, kind, step), strict=True))
        | {"events": count}
        for (actor, other, country, sector, kind, step), count in change.roles.items()
        if count
    ]
    upsert(conn, actor_roles, roles, ["events"])
    rows = amount_rows(change.amounts, (*POINT, "step"), TALLY_COLUMNS)
    upsert(conn, actor_tallies, rows, TALLY_COLUMNS)
    write_members(conn, actor_reports, actor_spread, (*POINT, "article"), change.reports)


def role_rows(conn: Connection, actor: str, step: int) -> list[dict[str, Any]]:
    """The actor's kept events at the step and above by counterpart (with its name), its
    country and sector in them, and type; those with events only."""
    r = actor_roles.c
    named = func.coalesce(actors.c.name, r.counterpart).label("name")
    query = (
        select(r.counterpart, named, r.country, r.sector, r.type, func.sum(r.events))
        .join(actors, actors.c.id == r.counterpart, isouter=True)
        .where(r.actor == actor, r.step >= step)
        .group_by(r.counterpart, named, r.country, r.sector, r.type)
        .having(func.sum(r.events) > 0)
    )
    return [
        {
            "counterpart": other,
            "name": name,
            "country": country or None,
            "sector": sector or None,
            "type": kind,
            "events": int(count),
        }
        for other, name, country, sector, kind, count in conn.execute(query)
    ]


def timeline_rows(conn: Connection, actor: str, grain: str, step: int) -> list[dict[str, Any]]:
    """The actor's kept timeline at the step and above: per period with counted events,
    the events by quad class, the sum of their intensities, and the articles behind them."""
    t, s = actor_tallies.c, actor_spread.c
    sums = [func.sum(t[name]).label(name) for name in TALLY_COLUMNS]
    amounts = (
        select(t.period, *sums)
        .where(t.actor == actor, t.grain == grain, t.step >= step)
        .group_by(t.period)
        .having(func.sum(t.events) > 0)
        .order_by(t.period)
    )
    spread = (
        select(s.period, func.sum(s.members))
        .where(s.actor == actor, s.grain == grain, s.top >= step)
        .group_by(s.period)
    )
    behind = {period: int(n) for period, n in conn.execute(spread)}
    return [
        dict(row._mapping) | {"articles": behind.get(row.period, 0)}
        for row in conn.execute(amounts)
    ]


SIDES = ("source_actor", "source_country", "source_sector",
         "target_actor", "target_country", "target_sector")  # fmt: skip


def newest_between(
    conn: Connection, actor: str, other: str, min_confidence: float
) -> dict[str, Sequence[str | None]] | None:
    """The two sides (actor, country, sector) of the newest event between two actors, either
    way, coded at least ``min_confidence`` sure, as events are listed (``event_query``)."""
    query = event_query(min_confidence=min_confidence).where(
        same_actors(events, actor, other, True)
    )
    row = conn.execute(
        query.with_only_columns(*(events.c[name] for name in SIDES)).limit(1)
    ).first()
    if row is None:
        return None
    return {"source": tuple(row[:3]), "target": tuple(row[3:])}
