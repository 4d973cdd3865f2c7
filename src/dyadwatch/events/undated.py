"""Undated events: which stored event an undated one reports, decided over snapshots of the
stored events (the store loads them and applies the merges).

An undated mention (no date in its sentence, none on its article) fits any date, so at save
time it would join whichever event of its type and actors happened to be stored first. It
is saved instead as an undated event of its own article, and later moved into the dated event
whose articles plainly tell the same story: the one clear best by the people both articles
name besides the event's own two actors. Undated events of different articles that are each
other's clear best merge too. Only events between named people or bodies are attached (not
"China" and "the US"), and an undated plan never joins a retelling, nor the other way round.

Every round decides over a snapshot of all of a key's events and repeats until nothing moves,
so the outcome depends on what is stored, not on the order it came in, and a second run
changes nothing. Settling after an ingest (``settle_undated``) visits only what the new
articles touch: the keys of the events they report, the undated articles reporting those
events, and again the keys of the events those articles' stories date, until nothing changes.
A key no new article reports was settled before and stays so: evidence comes from a key's own
events and their articles, which only new reports and merges within the key change.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from dyadwatch.events.merge import (
    Location,
    event_location,
    fits,
    merge_key,
    places_agree,
    statuses_agree,
    stronger_status,
)

# People both stories name besides the event's own actors: one (a president, a minister) is
# common to many unrelated reports; two or more are a story's cast. Countries, governments
# and summits (G20, APEC) recur in stories of every year, so they are no evidence.
MIN_EVIDENCE = 2
SAME_ARTICLE = 100  # one article reporting both is as sure as it gets
# A plan and a retelling are never the same mention's happening when neither has a date:
# "a meeting later this year" is not "the two leaders last met in Bali".
APART = {frozenset({"planned", "background"})}
STORY_WEEK = timedelta(days=7)  # the news one undated article joined lies within this


@dataclass(frozen=True)
class Told:
    """A stored event as merging sees it."""

    id: int
    dated: bool
    status: str
    location: Location | None
    articles: frozenset[int]
    told: frozenset[tuple[int, str]]  # (article, status) of each of its mentions
    cast: frozenset[str]  # the people its articles name, besides its own two actors


class Stored(Protocol):
    """What settling reads and changes in the store (``store.undated.StoredEvents``). Event
    rows have the columns id, type, source_actor, target_actor, source_country,
    target_country, date, date_precision, status and the location's."""

    def reported_by(self, articles: Collection[int]) -> set[int]:
        """The events these articles report."""
        ...

    def events(self, ids: Collection[int]) -> list[Any]:
        """These events' rows."""
        ...

    def of_key(self, row: Any) -> list[Any]:
        """The rows of every event of this one's type and actors (either way round for a
        mutual type), oldest first."""
        ...

    def mentions(self, events: Collection[int]) -> list[Any]:
        """(event_id, article_id, status) of every mention of these events."""
        ...

    def people(self, articles: Collection[int]) -> dict[int, frozenset[str]]:
        """The people each of these articles names."""
        ...

    def news_by(self, articles: Collection[int]) -> list[Any]:
        """(article_id, event_id, status, date) of every mention by these articles, with its
        event's date."""
        ...

    def undated_reports(self, events: Collection[int]) -> list[Any]:
        """(article_id, event_id, status) of the mentions of these events by articles with no
        publication date."""
        ...

    def date_by_story(self, event_id: int, day: str) -> None:
        """Give the event this date, at precision "story"."""
        ...

    def move(self, source: int, target: int) -> None:
        """Every mention of ``source`` now reports ``target``, which takes what it adds."""
        ...


def settle_undated(stored: Stored, articles: Collection[int]) -> int:
    """Settle what these articles, stored since the last settling, change: attach undated
    events to the events they report (``settle``), date the news undated articles alone tell
    by the story they joined (``story_dated``), and settle again the keys so dated, until
    nothing changes. Returns how many events were merged away."""
    changed = stored.reported_by(articles)
    merged = 0
    while changed:
        moves = _settle_keys(stored, changed)
        merged += len(moves)
        changed = (changed - {source for source, _ in moves}) | {target for _, target in moves}
        dated = _date_by_story(stored, changed)
        merged += sum(event != kept for event, kept in dated.items())
        changed = set(dated.values())
    return merged


def _settle_keys(stored: Stored, events: set[int]) -> list[tuple[int, int]]:
    """Settle the merge keys of these events, in key order; returns the merges made."""
    keys = {
        merge_key(row.type, row.source_actor, row.target_actor): row
        for row in stored.events(events)
        if between_named(row.source_actor, row.source_country, row.target_actor, row.target_country)
    }
    groups = [stored.of_key(keys[key]) for key in sorted(keys)]
    moves = []
    for group in _told(stored, [g for g in groups if any(row.date is None for row in g)]):
        for source, target in settle(group):
            stored.move(source, target)
            moves.append((source, target))
    return moves


def _told(stored: Stored, groups: list[list[Any]]) -> list[list[Told]]:
    """Each key's event rows as merging sees them."""
    reported: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for event_id, article_id, status in stored.mentions([r.id for g in groups for r in g]):
        reported[event_id].add((article_id, status))
    people = stored.people({a for told in reported.values() for a, _ in told})
    return [[_one_told(row, reported[row.id], people) for row in group] for group in groups]


def _one_told(row: Any, told: set[tuple[int, str]], people: dict[int, frozenset[str]]) -> Told:
    articles = frozenset(a for a, _ in told)
    cast = frozenset().union(*(people.get(a, ()) for a in articles))
    return Told(
        id=row.id,
        dated=row.date is not None,
        status=row.status,
        location=event_location(row),
        articles=articles,
        told=frozenset(told),
        cast=cast - {row.source_actor, row.target_actor},
    )


def _date_by_story(stored: Stored, changed: set[int]) -> dict[int, int]:
    """Date the news that the undated articles reporting these events alone tell, by the
    dated news they joined (``story_dated``), each joining the first stored dated event of
    its key it fits, if any; returns each event dated and the event it is now."""
    articles = {row.article_id for row in stored.undated_reports(changed)}
    news = stored.news_by(articles)
    joined: dict[int, set[str]] = defaultdict(set)  # article: dates of the dated news it joined
    for row in news:
        if row.date is not None and row.status == "happened":
            joined[row.article_id].add(row.date)
    undated = {row.event_id for row in news if row.date is None}
    told: dict[int, set[tuple[int, str]]] = defaultdict(set)  # undated event: (article, status)
    for row in stored.undated_reports(undated):
        told[row.event_id].add((row.article_id, row.status))
    dated = story_dated(joined, told)
    return {event: _join_dated(stored, event, dated[event]) for event in sorted(dated)}


def _join_dated(stored: Stored, event_id: int, day: str) -> int:
    """Date the event; it is then one with the first stored dated event it fits, if any.
    Returns the event it is now."""
    stored.date_by_story(event_id, day)
    (row,) = stored.events([event_id])
    when, place = date.fromisoformat(day), event_location(row)
    for other in stored.of_key(row):
        if (
            other.id != event_id
            and other.date is not None
            and fits(other, row.status, when, row.date_precision, place)
        ):
            stored.move(event_id, other.id)
            return int(other.id)
    return event_id


def between_named(source: str, source_country: str, target: str, target_country: str) -> bool:
    """Both sides are named people or bodies: "China" and "the US" talk in stories of every
    year, so an undated report of that is no one happening's."""
    return source != source_country and target != target_country


def settle(group: list[Told]) -> list[tuple[int, int]]:
    """The merges within one merge key's events, in order, until nothing moves: each
    (source, target) moves every mention of the source into the target. Keys never
    interact: evidence comes from an event's own articles, which only merges within its key
    change."""
    live = {event.id: event for event in group}
    merges = []
    while moves := _dated_moves(live) or _undated_pairs(live):
        for source, target in moves.items():
            live[target] = _joined(live[target], live.pop(source))
            merges.append((source, target))
    return merges


def story_dated(
    joined: dict[int, set[str]], told: dict[int, set[tuple[int, str]]]
) -> dict[int, str]:
    """The events an undated article's story dates, with their dates. An undated article
    whose news joined dated events of one week (``joined``: article -> their dates) was
    written then: its other news events, told by it alone and still undated (``told``: event
    -> (article, status) of its mentions), took place on the latest of those dates (a
    republished report of Blinken's visit to Beijing: its "Wang Yi blamed the US" happened
    that week)."""
    story_dates = {article: max(dates) for article, dates in joined.items() if _one_week(dates)}
    dated = {}
    for event_id, mentions in told.items():
        (article, status), *others = mentions
        if not others and status == "happened" and article in story_dates:
            dated[event_id] = story_dates[article]
    return dated


def _one_week(dates: set[str]) -> bool:
    days = sorted(date.fromisoformat(d) for d in dates)
    return days[-1] - days[0] <= STORY_WEEK


def _dated_moves(live: dict[int, Told]) -> dict[int, int]:
    dated = _Evidence([e for e in live.values() if e.dated])
    moves = {}
    for undated in _undated(live):
        best = dated.clear_best(undated)
        if best is not None:
            moves[undated.id] = best
    return moves


def _undated_pairs(live: dict[int, Told]) -> dict[int, int]:
    """Undated events that are each other's clear best, the later merged into the earlier."""
    others = _Evidence(list(_undated(live)))
    best = {undated.id: others.clear_best(undated) for undated in _undated(live)}
    return {
        event: partner
        for event, partner in best.items()
        if partner is not None and partner < event and best.get(partner) == event
    }


def _joined(target: Told, source: Told) -> Told:
    """The target as the merge leaves it in the store."""
    return Told(
        id=target.id,
        dated=target.dated,
        status=stronger_status(target.status, source.status),
        location=target.location or source.location,
        articles=target.articles | source.articles,
        told=target.told | source.told,
        cast=target.cast | source.cast,
    )


def _undated(live: dict[int, Told]) -> list[Told]:
    return [e for e in live.values() if not e.dated]


class _Evidence:
    """Candidate events indexed by their articles and people, so an undated event is scored
    only against the candidates it shares something with."""

    def __init__(self, candidates: list[Told]) -> None:
        self.events = {event.id: event for event in candidates}
        self.by_article: dict[int, set[int]] = defaultdict(set)
        self.by_person: dict[str, list[int]] = defaultdict(list)
        for event in candidates:
            for article in event.articles:
                self.by_article[article].add(event.id)
            for person in event.cast:
                self.by_person[person].append(event.id)

    def clear_best(self, undated: Told) -> int | None:
        """The candidate with the most evidence, when it has enough and no other as much."""
        ranked = sorted(((score, i) for i, score in self._scores(undated).items()), reverse=True)
        if not ranked or ranked[0][0] < MIN_EVIDENCE:
            return None
        if len(ranked) > 1 and ranked[1][0] == ranked[0][0]:
            return None
        return ranked[0][1]

    def _scores(self, undated: Told) -> Counter[int]:
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


def _compatible(undated: Told, other: Told) -> bool:
    """Statuses and places can be one happening's: not a negation of it, and no mention of
    one a plan where the other's is a retelling ("could pave the way for a meeting later
    this year" beside "the two leaders last met in Bali")."""
    statuses = [frozenset({a, b}) for a in _statuses(undated) for b in _statuses(other)]
    return (
        statuses_agree(other.status, undated.status)
        and not any(pair in APART for pair in statuses)
        and places_agree(other.location, undated.location)
    )


def _statuses(event: Told) -> set[str]:
    return {status for _, status in event.told}
