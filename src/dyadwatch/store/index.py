"""The relations index kept as events are stored (its rules: ``dyadwatch.analytics.tally``).
Whatever changes events takes their share of the kept index out before and puts the new
one back after (``KeptIndex``); the index is then read as sums over a few rows a period."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, func, select, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from dyadwatch.analytics.tally import TALLY_COLUMNS, Counted, Tally, tally
from dyadwatch.store.schema import (
    articles,
    event_issues,
    event_mentions,
    events,
    index_reports,
    index_spread,
    index_tallies,
    story_articles,
)

CHUNK = 500  # events, or members, per IN list
FILL_PAGE = 5000  # events read at a time when a store made before fills the index
Periods = tuple[str | None, str | None]  # the first and last, either open
MEMBER = ("pair", "scope", "grain", "period", "kind", "member")


class KeptIndex:
    """Events about to change, each with its share of the kept index before the change:
    ``touch`` them before changing them (``created`` for a new one), then ``save``."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.before: dict[int, Tally] = {}

    def touch(self, event_ids: Iterable[int]) -> None:
        new = [i for i in set(event_ids) if i not in self.before]
        found = shares(self.conn, new)
        self.before |= {i: found.get(i, Tally.empty()) for i in new}

    def created(self, event_id: int) -> None:
        self.before.setdefault(event_id, Tally.empty())

    def save(self) -> None:
        """Write what the changes since the events were touched changed in the index."""
        after = shares(self.conn, list(self.before))
        change = Tally.empty()
        for event_id, share in self.before.items():
            change.add(after.get(event_id, Tally.empty()))
            change.add(share, -1)
        write(self.conn, change)
        self.before.clear()


def shares(conn: Connection, event_ids: Sequence[int]) -> dict[int, Tally]:
    """Each stored event's share of the kept index."""
    return {event.id: tally(counted) for event, counted in _counted(conn, event_ids)}


def fill(conn: Connection) -> None:
    """Keep the index of every stored event (a store made before version 8)."""
    ids = list(conn.execute(select(events.c.id).order_by(events.c.id)).scalars())
    for start in range(0, len(ids), FILL_PAGE):
        found = Tally.empty()
        for share in shares(conn, ids[start : start + FILL_PAGE]).values():
            found.add(share)
        write(conn, found)


def _counted(conn: Connection, event_ids: Sequence[int]) -> Iterable[tuple[Any, Counted]]:
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
        columns = (e.id, e.pair, e.date, e.status, e.quad, e.intensity, e.confidence)
        for row in conn.execute(select(*columns).where(e.id.in_(chunk))):
            members = reported[row.id]
            yield (
                row,
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
                ),
            )


def write(conn: Connection, change: Tally) -> None:
    """Add a change to the kept index."""
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for (*where, step, column), amount in change.amounts.items():
        if amount:
            key = (*where, step)
            row = rows.get(key) or rows.setdefault(key, _tally_row(key))
            row[column] += amount
    _upsert(conn, index_tallies, list(rows.values()), TALLY_COLUMNS)
    reports = {key: count for key, count in change.reports.items() if count}
    members = sorted({key[:6] for key in reports})
    tops_before = _tops(conn, members)
    _upsert(conn, index_reports, [_report_row(k, n) for k, n in reports.items()], ["events"])
    tops_after = _tops(conn, members)
    spread: dict[tuple[Any, ...], int] = defaultdict(int)
    for member in members:
        old, new = tops_before.get(member), tops_after.get(member)
        if old != new:
            if old is not None:
                spread[(*member[:5], old)] -= 1
            if new is not None:
                spread[(*member[:5], new)] += 1
    spread_rows = [_spread_row(key, n) for key, n in spread.items() if n]
    _upsert(conn, index_spread, spread_rows, ["members"])


def _tally_row(key: tuple[Any, ...]) -> dict[str, Any]:
    pair, scope, grain, period, step = key
    values = {"pair": pair, "scope": scope, "grain": grain, "period": period, "step": step}
    return values | dict.fromkeys(TALLY_COLUMNS, 0)


def _report_row(key: tuple[Any, ...], count: int) -> dict[str, Any]:
    return dict(zip((*MEMBER, "step"), key, strict=True)) | {"events": count}


def _spread_row(key: tuple[Any, ...], count: int) -> dict[str, Any]:
    return dict(zip((*MEMBER[:5], "top"), key, strict=True)) | {"members": count}


def _tops(conn: Connection, members: Sequence[tuple[Any, ...]]) -> dict[tuple[Any, ...], int]:
    """Each member's surest step with counted events, if any."""
    r = index_reports.c
    columns = [r[name] for name in MEMBER]
    query = select(*columns, func.max(r.step)).where(r.events > 0).group_by(*columns)
    found: dict[tuple[Any, ...], int] = {}
    for start in range(0, len(members), CHUNK):
        chunk = members[start : start + CHUNK]
        for *member, top in conn.execute(query.where(tuple_(*columns).in_(chunk))):
            found[tuple(member)] = top
    return found


def _upsert(
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


def index_rows(
    conn: Connection,
    pair: str,
    scope: str,
    grain: str,
    step: int,
    periods: Periods,
) -> list[dict[str, Any]]:
    """The kept index of periods ``periods`` (first and last, either open) at the step and
    above: per period with events, the events by quad class, the sum of their intensities,
    and the articles and stories behind them."""
    t, s = index_tallies.c, index_spread.c
    sums = [func.sum(t[name]).label(name) for name in TALLY_COLUMNS]
    amounts = (
        select(t.period, *sums)
        .where(*_kept(t, pair, scope, grain, periods), t.step >= step)
        .group_by(t.period)
        .having(func.sum(t.events) > 0)
        .order_by(t.period)
    )
    spread = (
        select(s.period, s.kind, func.sum(s.members))
        .where(*_kept(s, pair, scope, grain, periods), s.top >= step)
        .group_by(s.period, s.kind)
    )
    behind = {(period, kind): int(n) for period, kind, n in conn.execute(spread)}
    return [
        dict(row._mapping)
        | {kind: behind.get((row.period, kind[0]), 0) for kind in ("articles", "stories")}
        for row in conn.execute(amounts)
    ]


def _kept(columns: Any, pair: str, scope: str, grain: str, periods: Periods) -> list[Any]:
    first, last = periods
    found = [columns.pair == pair, columns.scope == scope, columns.grain == grain]
    if first is not None:
        found.append(columns.period >= first)
    if last is not None:
        found.append(columns.period <= last)
    return found
