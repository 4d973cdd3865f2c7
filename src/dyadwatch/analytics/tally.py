"""What the relations index counts of one event, as the store keeps it per period: the rules
of periods, of the events counted and of the confidence grid, without the store.

The index of a pair of countries (on every event, or on one issue's) is kept per period of
each length and per step of the confidence grid (the event's confidence rounded down to a
multiple of 1/GRID): events by quad class and their intensity, which add up, and the
articles and stories behind them, which do not (an article reporting two events is one), so
each article and story is kept with its events per step and the store counts, per period,
the members whose surest step is each step. A threshold on the grid (the dashboard's slider
moves by 0.05) is then a sum over steps; any other is counted from the events.

An actor's profile is kept the same way (``profile_tally``): per actor, its events by type
and by counterpart (with the counterpart's country and sector in the event), and its timeline
per period of each length, at the step of each event's confidence.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

Period = Literal["day", "week", "month", "year"]
PERIODS: tuple[Period, ...] = ("day", "week", "month", "year")
COUNTED_STATUSES = ("happened", "background")
QUADS = {
    1: "verbal_cooperation",
    2: "material_cooperation",
    3: "verbal_conflict",
    4: "material_conflict",
}
GRID = 20  # confidence steps of 0.05
EVERY_ISSUE = ""  # the scope of the index on every event

# (pair, scope, by, period, step, column): an amount; (pair, scope, by, period, kind,
# member, step): events. Kind "a" is a canonical article, "s" a story (or an article in
# none, as minus its id: a story of its own).
TallyKey = tuple[str, str, str, str, int, str]
ReportKey = tuple[str, str, str, str, str, int, int]
TALLY_COLUMNS = ("events", *QUADS.values(), "intensity")
# An actor's id, and its country and sector as one event has them.
Side = tuple[str, str | None, str | None]
# (actor, by, period, step, column): an amount; (actor, by, period, article, step): events;
# (actor, counterpart, its country, its sector, type, step): events.
ProfileKey = tuple[str, str, str, int, str]
ProfileReportKey = tuple[str, str, str, int, int]
RoleKey = tuple[str, str, str | None, str | None, str, int]


@dataclass(frozen=True)
class Counted:
    """What the index needs of one stored event."""

    pair: str | None
    date: str | None
    status: str
    quad: int
    intensity: float
    confidence: float | None
    issues: frozenset[str]
    articles: frozenset[int]  # canonical ids of the articles reporting it
    stories: frozenset[int]  # their stories (minus the id of an article in none)
    type: str
    source: Side
    target: Side


@dataclass
class Tally:
    """An event's share of the kept index (or a sum or difference of shares)."""

    amounts: defaultdict[TallyKey, float]
    reports: Counter[ReportKey]

    @classmethod
    def empty(cls) -> Tally:
        return cls(defaultdict(float), Counter())

    def add(self, other: Tally, sign: int = 1) -> None:
        for key, amount in other.amounts.items():
            self.amounts[key] += sign * amount
        for report, count in other.reports.items():
            self.reports[report] += sign * count


@dataclass
class ProfileTally:
    """An event's share of the kept profiles of its actors (or a sum or difference)."""

    amounts: defaultdict[ProfileKey, float]
    reports: Counter[ProfileReportKey]
    roles: Counter[RoleKey]

    @classmethod
    def empty(cls) -> ProfileTally:
        return cls(defaultdict(float), Counter(), Counter())

    def add(self, other: ProfileTally, sign: int = 1) -> None:
        for key, amount in other.amounts.items():
            self.amounts[key] += sign * amount
        for report, count in other.reports.items():
            self.reports[report] += sign * count
        for role, count in other.roles.items():
            self.roles[role] += sign * count


def period_of(day: date, by: Period) -> str:
    if by == "day":
        return day.isoformat()
    if by == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if by == "month":
        return f"{day.year}-{day.month:02d}"
    return str(day.year)


def period_start(day: date, by: Period) -> date:
    """The first day of the period ``day`` is in."""
    if by == "week":
        return day - timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    if by == "year":
        return day.replace(month=1, day=1)
    return day


def period_end(day: date, by: Period) -> date:
    """The last day of the period ``day`` is in."""
    if by == "week":
        return period_start(day, by) + timedelta(days=6)
    if by == "month":
        following = day.replace(day=28) + timedelta(days=4)
        return following - timedelta(days=following.day)
    if by == "year":
        return day.replace(month=12, day=31)
    return day


def period_span(period: str, by: Period) -> tuple[date, date]:
    """The first and last day of a period named as ``period_of`` names it; a ValueError for
    a name that is not one."""
    if by == "day":
        first = date.fromisoformat(period)
    elif by == "week":
        year, week = period.split("-W")
        first = date.fromisocalendar(int(year), int(week), 1)
    elif by == "month":
        first = date.fromisoformat(f"{period}-01")
    else:
        first = date(int(period), 1, 1)
    if period_of(first, by) != period:
        raise ValueError(f"{period!r} is no {by}")
    return first, period_end(first, by)


def step_of(confidence: float | None) -> int:
    """The highest step of the grid at or below the confidence (0 for none)."""
    if confidence is None:
        return 0
    step = max(0, min(GRID, math.floor(confidence * GRID)))
    while step > 0 and confidence < step / GRID:
        step -= 1
    while step < GRID and confidence >= (step + 1) / GRID:
        step += 1
    return step


def grid_step(threshold: float) -> int | None:
    """The step whose events are exactly those coded at least ``threshold`` sure, if the
    threshold is on the grid."""
    step = round(threshold * GRID)
    return step if 0 <= step <= GRID and step / GRID == threshold else None


def is_counted(event: Counted) -> bool:
    """A dated happening (or background mention) between two countries."""
    return event.pair is not None and event.date is not None and event.status in COUNTED_STATUSES


def tally(event: Counted) -> Tally:
    """The event's share of the kept index of its pair: on every event and on each of its
    issues, in periods of each length, at the step of its confidence."""
    found = Tally.empty()
    if not is_counted(event):
        return found
    assert event.pair is not None and event.date is not None
    step = step_of(event.confidence)
    day = date.fromisoformat(event.date)
    for scope in (EVERY_ISSUE, *sorted(event.issues)):
        for by in PERIODS:
            where = (event.pair, scope, by, period_of(day, by))
            for column, amount in _amounts(event):
                found.amounts[(*where, step, column)] += amount
            for kind, member in _members(event):
                found.reports[(*where, kind, member, step)] += 1
    return found


def _amounts(event: Counted) -> Iterator[tuple[str, float]]:
    yield "events", 1
    yield QUADS[event.quad], 1
    yield "intensity", event.intensity


def _members(event: Counted) -> Iterator[tuple[str, int]]:
    yield from (("a", article) for article in sorted(event.articles))
    yield from (("s", story) for story in sorted(event.stories))


def profile_tally(event: Counted) -> ProfileTally:
    """The event's share of the kept profile of each of its actors: the event by type with
    the counterpart's side, and, for a dated happening (or background mention) whatever its
    countries, in the actor's timeline in periods of each length, with the articles
    reporting it; all at the step of its confidence. An event no article reports is in no
    profile (a profile counts the events its articles tell)."""
    found = ProfileTally.empty()
    if not event.articles:
        return found
    step = step_of(event.confidence)
    day = date.fromisoformat(event.date) if event.date else None
    timed = day is not None and event.status in COUNTED_STATUSES
    for actor, other in counterparts(event):
        found.roles[(actor, *other, event.type, step)] += 1
        if not timed:
            continue
        assert day is not None
        for by in PERIODS:
            where = (actor, by, period_of(day, by))
            for column, amount in _amounts(event):
                found.amounts[(*where, step, column)] += amount
            for article in sorted(event.articles):
                found.reports[(*where, article, step)] += 1
    return found


def same_profile_share(old: Counted | None, new: Counted | None) -> bool:
    """Whether two readings of an event give its actors' profiles the same share: when they
    differ only in what the index alone counts (the pair, issues and stories)."""
    if old is None or new is None:
        return old is new
    return _profiled(old) == _profiled(new)


def _profiled(event: Counted) -> Counted:
    return replace(event, pair=None, issues=frozenset(), stories=frozenset())


def counterparts(event: Counted) -> list[tuple[str, Side]]:
    """Each actor of the event with its counterpart's side: the target's for the source,
    the source's for the target (once, the target's, for an actor with itself)."""
    source, target = event.source, event.target
    found = [(source[0], target)]
    if target[0] != source[0]:
        found.append((target[0], source))
    return found
