"""Stage: stories. Articles that report the same happening, grouped across outlets.

Each new canonical article joins the story whose articles' mean vector (``dyadwatch.embed``:
title and lead) is closest to its own, if that is close enough and the story's articles were
published within a week of it; else it starts a story of its own. Stories are stored as
articles are, so a re-run or a larger store leaves the stories already made as they are.
Copies of an article (duplicates) are in its story. On the development pages
(``benchmarks/bench_chinaus.py``) this groups articles into stories with pairwise F1 0.88,
the threshold chosen on those pages (when they were joined by shared events instead: 0.07;
shared actors and events add next to nothing to the vectors' cosine in telling a pair of
articles of one story from a pair of two).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Connection

from dyadwatch.embed import DIMENSIONS, from_bytes, to_bytes
from dyadwatch.extract.text_meta import latest_date
from dyadwatch.stance import Stance, article_stances
from dyadwatch.store import Store

NEWS_STATUSES = {"happened", "planned", "negated"}
KEY_SENTENCES = 3  # per article in a story
# The least cosine similarity between an article and a story's mean vector for it to join,
# chosen on the development pages: with undated articles placed by the dates they tell,
# 0.5 to 0.6 give pairwise F1 within 0.03 of the best (chosen by a 3-fold CV over
# stories: held-out F1 0.85 to 0.89); the highest of them, since a store denser in time
# than these pages holds more unlike stories within one week.
SIMILARITY = 0.6
WINDOW = timedelta(days=7)  # an article joins a story published within a week of it
NO_DAY = -1
# How much closer than any story of another week an undated article must be to join a story.
UNDATED_MARGIN = 0.03


@dataclass
class Story:
    id: int
    title: str
    start: str | None  # first and last publication day of its articles
    end: str | None
    articles: list[int] = field(default_factory=list)  # canonical article ids
    outlets: list[str] = field(default_factory=list)  # every outlet that carried it
    event_ids: list[int] = field(default_factory=list)
    # one per article and per copy, to set the outlets side by side: outlet and its country,
    # title, link, tone, the sentences reporting the story's events, and (for a dyad) whom it
    # blames or favours (see dyadwatch.stance)
    reports: list[dict[str, Any]] = field(default_factory=list)


def story_day(known: str | None, body: str) -> str | None:
    """The day an article is placed by: the day known for it (published, a weak date, its
    copy's), else the latest full date its text tells: an undated report is written on or
    after the happenings it dates, most often within days. On the development pages, placing
    such articles with the dated ones raised pairwise precision from 0.82 to 0.92."""
    return known or latest_date(body)


def written_on(first: str, last: str) -> str | None:
    """The day an undated article of a story was written, given the first and last
    publication days of the story's dated articles: the last, if they came out within a
    week (else the story is no one happening's, and tells nothing). Its "on Sunday" is then
    the Sunday of the story's week: read from the first day, news of the story's later days
    fell a week early (on the chinaus pages, event dates right 126 -> 136 of 213)."""
    return last if date.fromisoformat(last) - date.fromisoformat(first) <= WINDOW else None


class StoryIndex:
    """The stored stories' vector sums and publication spans, in memory: the story a new
    article joins is found with one matrix product."""

    def __init__(self, stored: Iterable[dict[str, Any]] = ()) -> None:
        self.ids: list[int] = []
        self._sums = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self._units = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self._spans = np.zeros((0, 2), dtype=np.int64)  # ordinal days, NO_DAY when unknown
        self._sizes: list[int] = []
        for row in stored:
            span = _ordinal(row["first_day"]), _ordinal(row["last_day"])
            self._append(row["id"], from_bytes(row["centroid"]), span, row["size"])

    def __len__(self) -> int:
        return len(self.ids)

    def place(
        self, store: Store, conn: Connection, article_id: int, title: str | None,
        day: str | None, vector: np.ndarray,
    ) -> int:  # fmt: skip
        """Store the article in the story it reports (a new one if none is close enough);
        returns the story's id."""
        row = self.closest(vector, _ordinal(day))
        if row is None:
            story_id = store.add_story(conn, title, day, to_bytes(vector))
            self._append(story_id, vector, (_ordinal(day), _ordinal(day)), 1)
        else:
            story_id = self.ids[row]
            self._grow(row, vector, _ordinal(day))
            span = (_day(int(self._spans[row, 0])), _day(int(self._spans[row, 1])))
            store.grow_story(conn, story_id, span, self._sizes[row], to_bytes(self._sums[row]))
        store.join_story(conn, article_id, story_id)
        return story_id

    def closest(self, vector: np.ndarray, day: int) -> int | None:
        """The row of the story closest to the vector among those in the day's window."""
        if not self.ids:
            return None
        similarity = self._units[: len(self.ids)] @ vector
        spans = self._spans[: len(self.ids)]
        if day != NO_DAY:
            similarity = np.where(self._near(spans, day, day), similarity, -1.0)
        best = int(similarity.argmax())
        if similarity[best] < SIMILARITY:
            return None
        if day == NO_DAY and spans[best, 0] != NO_DAY:
            # Undated, it could be a like happening of another time (Blinken's two visits
            # to Beijing): it joins only a story clearly closer than any of other weeks.
            elsewhere = ~self._near(spans, *spans[best]) & (spans[:, 0] != NO_DAY)
            if (similarity[elsewhere] > similarity[best] - UNDATED_MARGIN).any():
                return None
        return best

    @staticmethod
    def _near(spans: np.ndarray, first: int, last: int) -> np.ndarray:
        """Which stories are undated or published within a week of these days."""
        near = (spans[:, 0] - WINDOW.days <= last) & (first <= spans[:, 1] + WINDOW.days)
        return np.asarray(near | (spans[:, 0] == NO_DAY))

    def _append(
        self, story_id: int, vector_sum: np.ndarray, span: tuple[int, int], size: int
    ) -> None:
        row = len(self.ids)
        if row == len(self._sums):  # room doubles as stories come
            grown = max(64, 2 * row)
            self._sums = np.resize(self._sums, (grown, DIMENSIONS))
            self._units = np.resize(self._units, (grown, DIMENSIONS))
            self._spans = np.resize(self._spans, (grown, 2))
        self.ids.append(story_id)
        self._sizes.append(size)
        self._sums[row] = vector_sum
        self._units[row] = _unit(vector_sum)
        self._spans[row] = span

    def _grow(self, row: int, vector: np.ndarray, day: int) -> None:
        self._sums[row] += vector
        self._units[row] = _unit(self._sums[row])
        self._sizes[row] += 1
        if day != NO_DAY:
            first, last = (int(d) for d in self._spans[row])
            self._spans[row] = (day if first == NO_DAY else min(first, day), max(last, day))


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-9)


def _ordinal(day: str | None) -> int:
    return date.fromisoformat(day).toordinal() if day else NO_DAY


def _day(ordinal: int) -> str | None:
    return date.fromordinal(ordinal).isoformat() if ordinal != NO_DAY else None


def build_stories(
    store: Store, dyad: tuple[str, str] | None = None, limit: int | None = None, offset: int = 0
) -> list[Story]:
    """The stored stories with an event of the dyad (without one: with an event or several
    articles), newest first: ``limit`` of them (all if None) after the first ``offset``."""
    if dyad is None:
        rows, events = store.stories(), store.events(limit=None)
    else:
        rows = store.stories_reporting(dyad, sorted(NEWS_STATUSES), limit, offset)
        reporting = [a for row in rows for a in row["articles"]]
        statuses = sorted(NEWS_STATUSES)
        events = store.events(limit=None, dyad=dyad, reported_by=reporting, reported_as=statuses)
    member_of = {a: row["id"] for row in rows for a in row["articles"]}
    events_of: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for event in events:
        for story_id in {member_of[a] for a in _reporting(event) if a in member_of}:
            events_of[story_id].append(event)
    kept = [
        row for row in rows if row["id"] in events_of or (dyad is None and len(row["articles"]) > 1)
    ]
    articles = store.with_copies([a for row in kept for a in row["articles"]])
    stances = article_stances(store, list(articles.values()), dyad) if dyad else {}
    stories = [_story(row, events_of.get(row["id"], []), articles, stances) for row in kept]
    ordered = sorted(stories, key=lambda s: (s.end or "", s.id), reverse=True)
    return ordered if dyad else ordered[offset : None if limit is None else offset + limit]


def _reporting(event: dict[str, Any]) -> list[int]:
    """The canonical articles reporting an event as news."""
    return sorted({m["canonical_id"] for m in event["mentions"] if m["status"] in NEWS_STATUSES})


def _story(
    row: dict[str, Any],
    events: list[dict[str, Any]],
    articles: dict[int, dict[str, Any]],
    stances: dict[int, Stance],
) -> Story:
    """A story from its row, its events, and its articles and their copies (by id)."""
    found = [articles[a] for a in row["articles"] if a in articles]
    copies = [articles[c] for a in found for c in a["copies"]]
    outlets = sorted({a["outlet"] for a in found + copies if a["outlet"]})
    return Story(
        id=row["id"],
        title=row["title"] or f"story {row['id']}",
        start=row["first_day"],
        end=row["last_day"],
        articles=row["articles"],
        outlets=outlets,
        event_ids=sorted({e["id"] for e in events}),
        reports=[
            _report(a, events, stances.get(a["id"]))
            for a in sorted(found + copies, key=lambda a: a["id"])
        ],
    )


def _report(
    article: dict[str, Any], events: list[dict[str, Any]], stance: Stance | None
) -> dict[str, Any]:
    said = [
        m["sentence"]
        for e in events
        for m in e["mentions"]
        if m["article_id"] == article["id"] and m["status"] in NEWS_STATUSES
    ]
    return {
        "article_id": article["id"],
        "copy_of": article["duplicate_of"],
        "outlet": article["outlet"],  # None when the page does not say
        "source": article["source"],  # the file or address it was read from
        "outlet_country": article["outlet_country"],
        "title": article["title"],
        "url": article["url"],
        "published": article["published"],
        "tone": article["tone"],
        "key_sentences": list(dict.fromkeys(said))[:KEY_SENTENCES],
        "blames": stance.blames if stance else None,
        "favours": stance.favours if stance else None,
        "sides": {
            s.country: {"blamed_in": s.blamed_in, "tone": s.tone, "evidence": list(s.evidence)}
            for s in stance.sides
        }
        if stance
        else None,
    }
