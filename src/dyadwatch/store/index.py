"""The relations index kept as events are stored (its rules: ``dyadwatch.analytics.tally``).
Whatever changes events takes their share of the kept index, and of the kept profiles of
their actors (``store.profiles``), out before and puts the new one back after
(``KeptIndex``); the index is then read as sums over a few rows a period."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, func, select

from dyadwatch.analytics.tally import (
    TALLY_COLUMNS,
    Counted,
    ProfileTally,
    Tally,
    profile_tally,
    same_profile_share,
    tally,
)
from dyadwatch.store import profiles
from dyadwatch.store.kept import amount_rows, counted, upsert, write_members
from dyadwatch.store.schema import (
    events,
    index_reports,
    index_spread,
    index_tallies,
)

FILL_PAGE = 5000  # events read at a time when a store made before fills the index
Periods = tuple[str | None, str | None]  # the first and last, either open
POINT = ("pair", "scope", "grain", "period")
MEMBER = (*POINT, "kind", "member")


class KeptIndex:
    """Events about to change, each as the kept index and profiles counted it before the
    change: ``touch`` them before changing them (``created`` for a new one), then ``save``."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.before: dict[int, Counted | None] = {}

    def touch(self, event_ids: Iterable[int]) -> None:
        new = [i for i in set(event_ids) if i not in self.before]
        found = dict(counted(self.conn, new))
        self.before |= {i: found.get(i) for i in new}

    def created(self, event_id: int) -> None:
        self.before.setdefault(event_id, None)

    def save(self) -> None:
        """Write what the changes since the events were touched changed in the index and
        in the profiles."""
        after = dict(counted(self.conn, list(self.before)))
        change, profile_change = Tally.empty(), ProfileTally.empty()
        for event_id, old in self.before.items():
            new = after.get(event_id)
            if new == old:
                continue
            profiled = not same_profile_share(old, new)
            for sign, event in ((1, new), (-1, old)):
                if event is not None:
                    change.add(tally(event), sign)
                    if profiled:
                        profile_change.add(profile_tally(event), sign)
        write(self.conn, change)
        profiles.write(self.conn, profile_change)
        self.before.clear()


def shares(conn: Connection, event_ids: Sequence[int]) -> dict[int, Tally]:
    """Each stored event's share of the kept index."""
    return {event_id: tally(event) for event_id, event in counted(conn, event_ids)}


def fill(conn: Connection) -> None:
    """Keep the index of every stored event (a store made before version 8)."""
    ids = list(conn.execute(select(events.c.id).order_by(events.c.id)).scalars())
    for start in range(0, len(ids), FILL_PAGE):
        found = Tally.empty()
        for share in shares(conn, ids[start : start + FILL_PAGE]).values():
            found.add(share)
        write(conn, found)


def write(conn: Connection, change: Tally) -> None:
    """Add a change to the kept index."""
    rows = amount_rows(change.amounts, (*POINT, "step"), TALLY_COLUMNS)
    upsert(conn, index_tallies, rows, TALLY_COLUMNS)
    write_members(conn, index_reports, index_spread, MEMBER, change.reports)


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
