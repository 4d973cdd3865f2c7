"""Stage: analytics. The relations index of a dyad over time, and its key events.

A point counts distinct events (each merged across all the articles that report it), so wire
copies and re-reporting never inflate it, and says how many articles and how many distinct
stories are behind them: ten events from one summit are one story. Planned and denied events
are not happenings and are left out; background mentions of past events count at the date
the event happened, and so do only the events the coder is sure enough of (``min_confidence``,
by default the one chosen for precision on the development pages). An issue narrows the index
to the events touching it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from dyadwatch.analytics.tally import (
    COUNTED_STATUSES,
    EVERY_ISSUE,
    QUADS,
    Period,
    grid_step,
    period_end,
    period_of,
    period_span,
    period_start,
)
from dyadwatch.events import DEFAULT_MIN_CONFIDENCE

if TYPE_CHECKING:  # the store keeps the index with this stage's rules (``tally``)
    from dyadwatch.store import Store

__all__ = ["COUNTED_STATUSES", "QUADS", "Period", "period_of"]


@dataclass
class IndexPoint:
    period: str  # "2023-06-19", "2023-W25", "2023-06" or "2023"
    events: int = 0
    verbal_cooperation: int = 0
    material_cooperation: int = 0
    verbal_conflict: int = 0
    material_conflict: int = 0
    mean_intensity: float = 0.0  # PLOVER-style scale, -10 (war) to +10
    net_cooperation: int = 0  # cooperative minus conflictual events
    articles: int = 0  # distinct canonical articles behind the point
    stories: int = 0  # distinct stories behind it (an article in no story is one of its own)
    event_ids: list[int] | None = None


def relations_index(
    store: Store,
    dyad: tuple[str, str],
    by: Period = "month",
    since: str | None = None,
    until: str | None = None,
    issue: str | None = None,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    event_ids: bool = False,
) -> list[IndexPoint]:
    """One point per period with events, oldest first; with the ids of its events if
    ``event_ids`` (a read of every event counted, not of a few kept rows a period). Read
    from the index the store keeps when the threshold is on its grid, counting from the
    events only the periods the dates cut; else counted from the events."""
    step = grid_step(min_confidence)
    if step is None:
        points = _counted_index(store, dyad, by, (since, until), issue, min_confidence)
    else:
        points = _kept_index(store, dyad, by, (since, until), issue, min_confidence, step)
    for point in points:
        point.event_ids = None
    if event_ids:
        _add_event_ids(points, store, dyad, by, (since, until), issue, min_confidence)
    return points


Span = tuple[str | None, str | None]  # first and last day, either open


def _counted_index(
    store: Store,
    dyad: tuple[str, str],
    by: Period,
    span: Span,
    issue: str | None,
    min_confidence: float,
) -> list[IndexPoint]:
    """The index counted from the events."""
    since, until = span
    counted = store.event_outlines(
        dyad=dyad, since=since, until=until, issue=issue, **counted_filters(min_confidence)
    )
    return _timeline(counted, by, store.story_members(reporting_articles(counted)))


def _kept_index(
    store: Store,
    dyad: tuple[str, str],
    by: Period,
    span: Span,
    issue: str | None,
    min_confidence: float,
    step: int,
) -> list[IndexPoint]:
    """The index of the whole periods between the dates read from the kept one, and of the
    periods the dates cut counted from their events."""
    since, until = span
    try:
        first = _whole_from(date.fromisoformat(since), by) if since else None
        last = _whole_to(date.fromisoformat(until), by) if until else None
    except OverflowError:  # a date in the calendar's first or last period: none is whole
        return _counted_index(store, dyad, by, span, issue, min_confidence)
    if first and last and first > last:  # within two periods: few events
        return _counted_index(store, dyad, by, span, issue, min_confidence)
    periods = (
        period_of(first, by) if first else None,
        period_of(last, by) if last else None,
    )
    rows = store.kept_index(dyad, issue or EVERY_ISSUE, by, step, periods)
    points = [_kept_point(row) for row in rows]
    if since and first and since != first.isoformat():
        cut = (since, (first - timedelta(days=1)).isoformat())
        points += _counted_index(store, dyad, by, cut, issue, min_confidence)
    if until and last and until != last.isoformat():
        cut = ((last + timedelta(days=1)).isoformat(), until)
        points += _counted_index(store, dyad, by, cut, issue, min_confidence)
    return sorted(points, key=lambda point: point.period)


def _whole_from(day: date, by: Period) -> date:
    """The first day of the first whole period from ``day`` on."""
    return day if period_start(day, by) == day else period_end(day, by) + timedelta(days=1)


def _whole_to(day: date, by: Period) -> date:
    """The last day of the last whole period up to ``day``."""
    return day if period_end(day, by) == day else period_start(day, by) - timedelta(days=1)


def _kept_point(row: dict[str, Any]) -> IndexPoint:
    point = IndexPoint(
        row["period"],
        events=int(row["events"]),
        mean_intensity=round(row["intensity"] / row["events"], 2),
        articles=row["articles"],
        stories=row["stories"],
    )
    for quad, name in QUADS.items():
        setattr(point, name, int(row[name]))
        point.net_cooperation += int(row[name]) * (1 if quad in (1, 2) else -1)
    return point


def point_event_ids(
    store: Store,
    dyad: tuple[str, str],
    by: Period,
    period: str,
    span: Span = (None, None),
    issue: str | None = None,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> list[int]:
    """The ids of the events one point of ``relations_index`` counts (its ``event_ids``),
    in the order the events are listed; a ValueError for a period that is no ``by``."""
    first, last = (day.isoformat() for day in period_span(period, by))
    since, until = max(first, span[0] or first), min(last, span[1] or last)
    listed = store.event_dates(
        dyad=dyad, since=since, until=until, issue=issue, **counted_filters(min_confidence)
    )
    return [event_id for event_id, _ in listed]


def _add_event_ids(
    points: list[IndexPoint],
    store: Store,
    dyad: tuple[str, str],
    by: Period,
    span: Span,
    issue: str | None,
    min_confidence: float,
) -> None:
    """Each point's events, in the order the events are listed."""
    since, until = span
    filters = counted_filters(min_confidence)
    found: dict[str, list[int]] = defaultdict(list)
    listed = store.event_dates(dyad=dyad, since=since, until=until, issue=issue, **filters)
    for event_id, day in listed:
        assert day is not None  # counted events are dated
        found[period_of(date.fromisoformat(day), by)].append(event_id)
    for point in points:
        point.event_ids = found[point.period]


def counted_filters(min_confidence: float) -> dict[str, Any]:
    """The store's filters for the events an index counts (as ``counted_events``)."""
    return {"min_confidence": min_confidence, "statuses": COUNTED_STATUSES, "dated": True}


def reporting_articles(events: list[dict[str, Any]]) -> set[int]:
    return {m["canonical_id"] for event in events for m in event["mentions"]}


def _timeline(
    events: list[dict[str, Any]], by: Period, stories: dict[int, int]
) -> list[IndexPoint]:
    return _points(events, lambda day: period_of(day, by), stories)


def span_point(events: list[dict[str, Any]], label: str, stories: dict[int, int]) -> IndexPoint:
    """Counted events (``counted_events``) as one point, whatever their dates: the index of
    a span of days that is no calendar period. ``stories`` is ``Store.story_members()`` of
    at least the events' articles."""
    found = _points(events, lambda _: label, stories)
    return found[0] if found else IndexPoint(label, event_ids=[])


def _points(
    events: list[dict[str, Any]], key_of: Callable[[date], str], stories: dict[int, int]
) -> list[IndexPoint]:
    points: dict[str, IndexPoint] = {}
    intensities: dict[str, list[float]] = defaultdict(list)
    articles: dict[str, set[int]] = defaultdict(set)
    for event in events:
        key = key_of(date.fromisoformat(event["date"]))
        point = points.setdefault(key, IndexPoint(key, event_ids=[]))
        _add(point, event)
        intensities[key].append(event["intensity"])
        articles[key] |= {m["canonical_id"] for m in event["mentions"]}
    for key, point in points.items():
        point.mean_intensity = round(sum(intensities[key]) / len(intensities[key]), 2)
        point.articles = len(articles[key])
        # an article in no story is a story of its own
        point.stories = len({("story", stories[a]) if a in stories else a for a in articles[key]})
    return [points[key] for key in sorted(points)]


def counted_events(
    events: list[dict[str, Any]],
    since: str | None,
    until: str | None,
    issue: str | None,
    min_confidence: float,
) -> list[dict[str, Any]]:
    """The events an index counts: dated happenings inside the dates, coded sure enough, on
    the issue if any."""
    return [
        e
        for e in events
        if e["date"]
        and e["status"] in COUNTED_STATUSES
        and (e["confidence"] or 0) >= min_confidence
        and (since is None or e["date"] >= since)
        and (until is None or e["date"] <= until)
        and (issue is None or issue in e["issues"])
    ]


def _add(point: IndexPoint, event: dict[str, Any]) -> None:
    point.events += 1
    quad = QUADS[event["quad"]]
    setattr(point, quad, getattr(point, quad) + 1)
    point.net_cooperation += 1 if event["quad"] in (1, 2) else -1
    assert point.event_ids is not None
    point.event_ids.append(event["id"])


def key_events(
    store: Store,
    dyad: tuple[str, str],
    limit: int = 10,
    since: str | None = None,
    issue: str | None = None,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> list[dict[str, Any]]:
    """The events that shaped the relationship: strongest intensity, widest coverage (by
    ``key_weight``, which the store's ``by_weight`` order computes)."""
    filters = counted_filters(min_confidence)
    return store.events(limit, dyad=dyad, since=since, issue=issue, by_weight=True, **filters)


def key_weight(event: dict[str, Any]) -> float:
    """How much an event shaped the relationship: its intensity, by its coverage."""
    coverage = len({m["canonical_id"] for m in event["mentions"]})
    return abs(event["intensity"]) * (1 + coverage)


def actor_profile(
    store: Store,
    actor_id: str,
    by: Period = "month",
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    event_ids: bool = False,
) -> dict[str, Any] | None:
    """One actor: its events by type, its events over time by quad class (as the index
    counts them, each article a story of its own), and its counterparts, most events first,
    each with its events by type and its country and sector in the newest of them. Read from
    the profile the store keeps when the threshold is on its grid, else counted from the
    actor's events. Each point of the timeline lists its events' ids only if ``event_ids``
    (a read of every event counted). None for an actor never seen."""
    actor = store.actor(actor_id)
    if actor is None:
        return None
    step = grid_step(min_confidence)
    if step is None:
        profile = _counted_profile(store, actor_id, by, min_confidence)
    else:
        profile = _kept_profile(store, actor_id, by, min_confidence, step)
    timeline: list[IndexPoint] = profile["timeline"]
    for point in timeline:
        point.event_ids = None
    if event_ids:
        found: dict[str, list[int]] = defaultdict(list)
        for event_id, day in actor_event_dates(store, actor_id, min_confidence):
            assert day is not None  # counted events are dated
            found[period_of(date.fromisoformat(day), by)].append(event_id)
        for point in timeline:
            point.event_ids = found[point.period]
    return {**actor, **profile, "timeline": index_records(timeline)}


def actor_event_dates(
    store: Store, actor_id: str, min_confidence: float, span: Span = (None, None)
) -> list[tuple[int, str | None]]:
    """The id and date of the actor's events its timeline counts, in the order events are
    listed."""
    since, until = span
    filters = counted_filters(min_confidence)
    return store.event_dates(actor_id=actor_id, since=since, until=until, **filters)


def actor_point_event_ids(
    store: Store,
    actor_id: str,
    by: Period,
    period: str,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> list[int]:
    """The ids of the events one point of an actor's timeline counts (its ``event_ids``), in
    the order events are listed; a ValueError for a period that is no ``by``."""
    first, last = (day.isoformat() for day in period_span(period, by))
    return [i for i, _ in actor_event_dates(store, actor_id, min_confidence, (first, last))]


def _counted_profile(
    store: Store, actor_id: str, by: Period, min_confidence: float
) -> dict[str, Any]:
    """The profile counted from every event of the actor."""
    events = store.event_outlines(actor_id=actor_id, min_confidence=min_confidence)
    types: dict[str, int] = defaultdict(int)
    counterparts: dict[str, dict[str, Any]] = {}
    for event in events:
        types[event["type"]] += 1
        other = event["target" if event["source"]["id"] == actor_id else "source"]
        entry = counterparts.setdefault(other["id"], {**other, "events": 0, "types": {}})
        entry["events"] += 1
        entry["types"][event["type"]] = entry["types"].get(event["type"], 0) + 1
    counted = counted_events(events, None, None, None, min_confidence)
    return _profile(len(events), types, counterparts, _timeline(counted, by, {}))


def _kept_profile(
    store: Store, actor_id: str, by: Period, min_confidence: float, step: int
) -> dict[str, Any]:
    """The profile read from the one the store keeps. A counterpart seen with more than one
    country or sector takes those of the newest event between the two."""
    kept = store.kept_profile(actor_id, by, step)
    types: dict[str, int] = defaultdict(int)
    counterparts: dict[str, dict[str, Any]] = {}
    sides: dict[str, set[tuple[str | None, str | None]]] = defaultdict(set)
    for role in kept["roles"]:
        other, kind, count = role["counterpart"], role["type"], role["events"]
        types[kind] += count
        entry = counterparts.setdefault(
            other,
            {"id": other, "name": role["name"], "country": role["country"],
             "sector": role["sector"], "events": 0, "types": {}},
        )  # fmt: skip
        entry["events"] += count
        entry["types"][kind] = entry["types"].get(kind, 0) + count
        sides[other].add((role["country"], role["sector"]))
    for other, seen in sides.items():
        if len(seen) > 1:
            newest = store.newest_event_between(actor_id, other, min_confidence)
            assert newest is not None  # the kept events are stored
            _, country, sector = newest["target" if newest["source"][0] == actor_id else "source"]
            counterparts[other] |= {"country": country, "sector": sector}
    timeline = [_kept_actor_point(row) for row in kept["timeline"]]
    return _profile(sum(types.values()), types, counterparts, timeline)


def _kept_actor_point(row: dict[str, Any]) -> IndexPoint:
    """A point of an actor's timeline: each article behind it a story of its own."""
    return _kept_point(row | {"stories": row["articles"]})


def _profile(
    events: int,
    types: dict[str, int],
    counterparts: dict[str, dict[str, Any]],
    timeline: list[IndexPoint],
) -> dict[str, Any]:
    """Types and each counterpart's types most events first (then by name), counterparts
    most events first (then by id)."""
    for entry in counterparts.values():
        entry["types"] = _most_first(entry["types"])
    return {
        "events": events,
        "types": _most_first(types),
        "timeline": timeline,
        "counterparts": sorted(counterparts.values(), key=lambda c: (-c["events"], c["id"])),
    }


def _most_first(counts: dict[str, int]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def index_records(points: list[IndexPoint]) -> list[dict[str, Any]]:
    return [asdict(point) for point in points]
