"""What the kept read models (the relations index, ``store.index``, and the actor profiles,
``store.profiles``) share: reading what they count of stored events, adding to kept sums,
and keeping, for members counted in several rows (an article reporting two events of a
period), how many have their surest step at each step."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, func, select, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from dyadwatch.analytics.tally import Counted
from dyadwatch.store.schema import (
    articles,
    event_issues,
    event_mentions,
    events,
    story_articles,
)

CHUNK = 500  # events, or members, per IN list


def counted(conn: Connection, event_ids: Sequence[int]) -> Iterable[tuple[int, Counted]]:
    """What the kept read models need of each of these stored events (missing ones left out)."""
    e, m = events.c, event_mentions.c
    canonical = func.coalesce(articles.c.duplicate_of, articles.c.id)
    reporting = (
        select(m.event_id, canonical, story_articles.c.story_id)
        .join(articles, articles.c.id == m.article_id)
        .join(story_articles, story_articles.c.article_id == canonical, isouter=True)
    )
    ordered = sorted(event_ids)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        reported: dict[int, set[tuple[int, int]]] = defaultdict(set)
        for event_id, article_id, story_id in conn.execute(reporting.where(m.event_id.in_(chunk))):
            reported[event_id].add((article_id, -article_id if story_id is None else story_id))
        issues: dict[int, set[str]] = defaultdict(set)
        tagged = select(event_issues).where(event_issues.c.event_id.in_(chunk))
        for event_id, issue in conn.execute(tagged):
            issues[event_id].add(issue)
        columns = (e.id, e.pair, e.date, e.status, e.quad, e.intensity, e.confidence, e.type,
                   e.source_actor, e.source_country, e.source_sector,
                   e.target_actor, e.target_country, e.target_sector)  # fmt: skip
        for row in conn.execute(select(*columns).where(e.id.in_(chunk))):
            members = reported[row.id]
            yield (
                row.id,
                Counted(
                    pair=row.pair,
                    date=row.date,
                    status=row.status,
                    quad=row.quad,
                    intensity=row.intensity,
                    confidence=row.confidence,
                    issues=frozenset(issues[row.id]),
                    articles=frozenset(a for a, _ in members),
                    stories=frozenset(s for _, s in members),
                    type=row.type,
                    source=(row.source_actor, row.source_country, row.source_sector),
                    target=(row.target_actor, row.target_country, row.target_sector),
                ),
            )


def upsert(
    conn: Connection, table: Table, rows: list[dict[str, Any]], adding: Collection[str]
) -> None:
    """Insert the rows, or add their ``adding`` columns to the stored row of their key."""
    if not rows:
        return
    insert = (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(table)
    statement = insert.on_conflict_do_update(
        index_elements=[c.name for c in table.primary_key],
        set_={name: table.c[name] + insert.excluded[name] for name in adding},
    )
    conn.execute(statement, rows)


def amount_rows(
    amounts: dict[tuple[Any, ...], float], key: Sequence[str], columns: Sequence[str]
) -> list[dict[str, Any]]:
    """Amounts keyed by (*key, column) as rows of the key with every column."""
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for (*where, column), amount in amounts.items():
        if amount:
            found = tuple(where)
            row = rows.get(found) or rows.setdefault(
                found, dict(zip(key, found, strict=True)) | dict.fromkeys(columns, 0)
            )
            row[column] += amount
    return list(rows.values())


def write_members(
    conn: Connection,
    reports: Table,
    spread: Table,
    member: Sequence[str],
    change: Counter[tuple[Any, ...]],
) -> None:
    """Add events to members' rows of ``reports`` (keyed by the ``member`` columns and the
    step), and keep in ``spread`` how many members of each point (the member columns but the
    last) have their surest step with events at each step (``top``)."""
    counts = {key: count for key, count in change.items() if count}
    members = sorted({key[: len(member)] for key in counts})
    tops_before = _tops(conn, reports, member, members)
    rows = [dict(zip((*member, "step"), k, strict=True)) | {"events": n} for k, n in counts.items()]
    upsert(conn, reports, rows, ["events"])
    tops_after = _tops(conn, reports, member, members)
    spreads: dict[tuple[Any, ...], int] = defaultdict(int)
    for found in members:
        old, new = tops_before.get(found), tops_after.get(found)
        if old != new:
            if old is not None:
                spreads[(*found[:-1], old)] -= 1
            if new is not None:
                spreads[(*found[:-1], new)] += 1
    point = (*member[:-1], "top")
    spread_rows = [
        dict(zip(point, key, strict=True)) | {"members": n} for key, n in spreads.items() if n
    ]
    upsert(conn, spread, spread_rows, ["members"])


def _tops(
    conn: Connection, reports: Table, member: Sequence[str], members: Sequence[tuple[Any, ...]]
) -> dict[tuple[Any, ...], int]:
    """Each member's surest step with counted events, if any."""
    columns = [reports.c[name] for name in member]
    query = select(*columns, func.max(reports.c.step)).where(reports.c.events > 0)
    query = query.group_by(*columns)
    found: dict[tuple[Any, ...], int] = {}
    for start in range(0, len(members), CHUNK):
        chunk = members[start : start + CHUNK]
        for *key, top in conn.execute(query.where(tuple_(*columns).in_(chunk))):
            found[tuple(key)] = top
    return found
