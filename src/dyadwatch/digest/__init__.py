"""Stage: digest. What changed in a dyad's relations over a span of days, against the span of
the same length just before it.

The relations index of each span (``analytics``: distinct events, counted as the index counts
them, at the same ``min_confidence``), the key events of the span with the sentences and
articles behind them, the stories that began in it or grew in it and their outlets, the
issues its events touch more or less often than before, and the actors with events in it and
none in the span before. ``write_digest`` is what a watcher calls after each round.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

from dyadwatch.analytics import (
    IndexPoint,
    counted_events,
    key_weight,
    reporting_articles,
    span_point,
)
from dyadwatch.digest.render import Format, render
from dyadwatch.events import DEFAULT_MIN_CONFIDENCE
from dyadwatch.store import Store

KEY_EVENTS = 10
RELATIVE = re.compile(r"([1-9][0-9]{0,3})([dw])")  # "7d", "2w"
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# The index's figures an alert rule may name, as counted in the span and as changed since the
# span before ("material_conflict", "material_conflict_change").
INDEX_FIGURES = tuple(f.name for f in fields(IndexPoint) if f.type in ("int", "float"))
COUNTS = (
    "key_events",
    "new_stories",
    "growing_stories",
    "rising_issues",
    "falling_issues",
    "new_actors",
)
FIGURES = (*INDEX_FIGURES, *(f"{name}_change" for name in INDEX_FIGURES), *COUNTS)


class PeriodError(ValueError):
    """A span of days that cannot be read or does not exist; the message says why."""


@dataclass(frozen=True)
class Span:
    start: str  # first and last day, inclusive, YYYY-MM-DD
    end: str
    days: int

    @property
    def label(self) -> str:
        return f"{self.start} to {self.end}"


@dataclass
class StoryChange:
    id: int
    title: str
    status: Literal["new", "growing"]  # began in the span, or began before and grew in it
    first_day: str | None
    last_day: str | None
    earlier: int  # its articles (copies included) published before the span
    added: int  # and in it
    outlets: list[str]  # of the articles added
    articles: list[dict[str, Any]]  # the articles added: id, title, outlet, url, published


@dataclass
class IssueChange:
    issue: str
    label: str
    events: int  # counted events touching it in the span
    previous: int  # and in the span before
    change: int


@dataclass
class Digest:
    dyad: str  # "CHN-USA"
    period: Span
    previous: Span
    min_confidence: float
    index: IndexPoint
    previous_index: IndexPoint
    change: dict[str, float]  # each index figure, the span's minus the previous span's
    key_events: list[dict[str, Any]]
    stories: list[StoryChange]
    issues: list[IssueChange]  # whose count changed, most risen first
    new_actors: list[dict[str, Any]]  # id, name, country, events in the span
    figures: dict[str, float] = field(default_factory=dict)  # what alert rules name

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def periods(since: str, until: date | None = None) -> tuple[Span, Span]:
    """The span ``since`` names, ending on ``until`` (default today), and the span of the same
    length just before it. ``since`` is "7d" (the seven days ending on ``until``), "2w", or
    the first day, YYYY-MM-DD."""
    end = until or date.today()
    start = _start(since.strip(), end)
    if start > end:
        raise PeriodError(f"the period would start on {start}, after it ends on {end}")
    days = (end - start).days + 1
    try:
        before = start - timedelta(days=days)
    except OverflowError:
        raise PeriodError(
            f"the {days} days before {start}, to compare with, start before year 1"
        ) from None
    current = Span(start.isoformat(), end.isoformat(), days)
    return current, Span(before.isoformat(), (start - timedelta(days=1)).isoformat(), days)


def _start(since: str, end: date) -> date:
    relative = RELATIVE.fullmatch(since)
    if relative:
        days = int(relative[1]) * (7 if relative[2] == "w" else 1)
        try:
            return end - timedelta(days=days - 1)
        except OverflowError:
            raise PeriodError(f"{since} before {end} reaches before year 1") from None
    if DAY.fullmatch(since):
        try:
            return date.fromisoformat(since)
        except ValueError:
            raise PeriodError(f"{since} is no day of the calendar") from None
    raise PeriodError(
        f"a period is the last N days or weeks (7d, 2w) or starts on a day (YYYY-MM-DD),"
        f" got {since!r}"
    )


def build_digest(
    store: Store,
    dyad: tuple[str, str],
    since: str = "7d",
    until: date | None = None,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    limit: int = KEY_EVENTS,
) -> Digest:
    """What changed in the dyad's relations over the period ``since`` names (see
    ``periods``), against the period before it."""
    current, previous = periods(since, until)
    stored = store.events(limit=None, dyad=dyad, since=previous.start, until=current.end)
    counted = counted_events(stored, previous.start, current.end, None, min_confidence)
    now = [e for e in counted if e["date"] >= current.start]
    before = [e for e in counted if e["date"] < current.start]
    members = store.story_members(reporting_articles(counted))
    index = span_point(now, current.label, members)
    previous_index = span_point(before, previous.label, members)
    digest = Digest(
        dyad="-".join(dyad),
        period=current,
        previous=previous,
        min_confidence=min_confidence,
        index=index,
        previous_index=previous_index,
        change={
            name: round(getattr(index, name) - getattr(previous_index, name), 2)
            for name in INDEX_FIGURES
        },
        key_events=_key_events(store, now, limit),
        stories=_stories(store, dyad, current),
        issues=_issues(now, before),
        new_actors=_new_actors(now, before),
    )
    digest.figures = _figures(digest)
    return digest


def _key_events(store: Store, events: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """The span's strongest, most reported events, each with its sentences and articles."""
    chosen = sorted(events, key=lambda e: (-key_weight(e), e["date"], e["id"]))[:limit]
    articles = _articles(store, {m["article_id"] for e in chosen for m in e["mentions"]})
    return [
        {
            **{key: event[key] for key in ("id", "date", "source", "type", "target", "quad")},
            **{key: event[key] for key in ("intensity", "status", "location", "issues")},
            "mentions": [
                {"sentence": m["sentence"], **articles[m["article_id"]]} for m in event["mentions"]
            ],
        }
        for event in chosen
    ]


def _articles(store: Store, ids: set[int]) -> dict[int, dict[str, Any]]:
    keys = ("title", "outlet", "url", "published")
    return {
        hit["id"]: {"article_id": hit["id"], **{k: hit[k] for k in keys}}
        for hit in store.hits(sorted(ids))
    }


def _stories(store: Store, dyad: tuple[str, str], span: Span) -> list[StoryChange]:
    """The stories of the dyad's articles published in the span: those that began in it, and
    those that began before and grew in it; most articles added first."""
    inside = store.matching_ids(dyad=dyad, since=span.start, until=span.end)
    rows = store.stories_of(sorted(inside))
    articles = _articles(store, {a for row in rows for a in row["articles"]})
    found = []
    for row in rows:
        dated = [articles[a] for a in row["articles"] if articles[a]["published"]]
        added = [a for a in dated if span.start <= a["published"] <= span.end]
        earlier = sum(1 for a in dated if a["published"] < span.start)
        found.append(
            StoryChange(
                id=row["id"],
                title=row["title"] or f"story {row['id']}",
                status="growing" if earlier else "new",
                first_day=row["first_day"],
                last_day=row["last_day"],
                earlier=earlier,
                added=len(added),
                outlets=sorted({a["outlet"] for a in added if a["outlet"]}),
                articles=added,
            )
        )
    return sorted(found, key=lambda s: (s.status != "new", -s.added, s.id))


def _issues(now: list[dict[str, Any]], before: list[dict[str, Any]]) -> list[IssueChange]:
    counts = Counter(i for e in now for i in e["issues"])
    previous = Counter(i for e in before for i in e["issues"])
    labels = {
        tag["issue"]: tag["label"]
        for e in now + before
        for m in e["mentions"]
        for tag in m["issues"]
    }
    changes = [
        IssueChange(issue, labels.get(issue, issue), counts[issue], previous[issue],
                    counts[issue] - previous[issue])
        for issue in counts | previous
        if counts[issue] != previous[issue]
    ]  # fmt: skip
    return sorted(changes, key=lambda c: (-c.change, c.issue))


def _new_actors(now: list[dict[str, Any]], before: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Actors with events in the span and none in the span before, most events first."""
    seen = {e[side]["id"] for e in before for side in ("source", "target")}
    counts: Counter[str] = Counter()
    actors: dict[str, dict[str, Any]] = {}
    for event in now:
        for actor in {event[side]["id"]: event[side] for side in ("source", "target")}.values():
            if actor["id"] not in seen:
                counts[actor["id"]] += 1
                actors[actor["id"]] = actor
    ranked = sorted(counts, key=lambda actor_id: (-counts[actor_id], actor_id))
    return [{**actors[actor_id], "events": counts[actor_id]} for actor_id in ranked]


def _figures(digest: Digest) -> dict[str, float]:
    stories = Counter(story.status for story in digest.stories)
    return {
        **{name: getattr(digest.index, name) for name in INDEX_FIGURES},
        **{f"{name}_change": change for name, change in digest.change.items()},
        "key_events": len(digest.key_events),
        "new_stories": stories["new"],
        "growing_stories": stories["growing"],
        "rising_issues": sum(1 for issue in digest.issues if issue.change > 0),
        "falling_issues": sum(1 for issue in digest.issues if issue.change < 0),
        "new_actors": len(digest.new_actors),
    }


def write_digest(
    store: Store,
    dyad: tuple[str, str],
    since: str,
    fmt: Format,
    path: Path,
    until: date | None = None,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> Digest:
    """Write the digest to ``path`` in one format (what ``watch --digest`` calls after a
    round); returns it, for alert rules."""
    digest = build_digest(store, dyad, since, until, min_confidence)
    path.write_text(render(digest, fmt), encoding="utf-8")
    return digest
