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
from datetime import date
from typing import Any, Literal

from dyadwatch.events import DEFAULT_MIN_CONFIDENCE
from dyadwatch.store import Store

Period = Literal["day", "week", "month", "year"]
COUNTED_STATUSES = ("happened", "background")
QUADS = {
    1: "verbal_cooperation",
    2: "material_cooperation",
    3: "verbal_conflict",
    4: "material_conflict",
}


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


def period_of(day: date, by: Period) -> str:
    if by == "day":
        return day.isoformat()
    if by == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if by == "month":
        return f"{day.year}-{day.month:02d}"
    return str(day.year)


def relations_index(
    store: Store,
    dyad: tuple[str, str],
    by: Period = "month",
    since: str | None = None,
    until: str | None = None,
    issue: str | None = None,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> list[IndexPoint]:
    """One point per period with events, oldest first."""
    counted = store.event_outlines(
        dyad=dyad, since=since, until=until, issue=issue, **counted_filters(min_confidence)
    )
    return _timeline(counted, by, store.story_members(reporting_articles(counted)))


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
) -> dict[str, Any] | None:
    """One actor: its events over time by quad class (as the index counts them), and its
    counterparts, most events first. None for an actor never seen."""
    actor = store.actor(actor_id)
    if actor is None:
        return None
    events = store.event_outlines(actor_id=actor_id, min_confidence=min_confidence)
    types: dict[str, int] = defaultdict(int)
    counterparts: dict[str, dict[str, Any]] = {}
    for event in events:
        types[event["type"]] += 1
        other = event["target" if event["source"]["id"] == actor_id else "source"]
        entry = counterparts.setdefault(other["id"], {**other, "events": 0, "types": {}})
        entry["events"] += 1
        entry["types"][event["type"]] = entry["types"].get(event["type"], 0) + 1
    return {
        **actor,
        "events": len(events),
        "types": dict(sorted(types.items(), key=lambda item: (-item[1], item[0]))),
        "timeline": index_records(
            _timeline(counted_events(events, None, None, None, min_confidence), by, {})
        ),
        "counterparts": sorted(counterparts.values(), key=lambda c: (-c["events"], c["id"])),
    }


def index_records(points: list[IndexPoint]) -> list[dict[str, Any]]:
    return [asdict(point) for point in points]
