"""Stage: stories. Articles that report the same happening, grouped across outlets.

Two articles belong to one story when they report the same merged event as news (not as
background) between named people or bodies: the event store has already matched actors,
type and date across articles, so a story is a connected group of articles over their
shared events. Copies of one article
(duplicates) count once, through their canonical article.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from dyadwatch.stance import article_stance
from dyadwatch.store import Store

NEWS_STATUSES = {"happened", "planned", "negated"}
KEY_SENTENCES = 3  # per article in a story


@dataclass
class Story:
    id: int  # the id of its earliest canonical article
    title: str
    start: str | None
    end: str | None
    articles: list[int] = field(default_factory=list)  # canonical article ids
    outlets: list[str] = field(default_factory=list)  # every outlet that carried it
    event_ids: list[int] = field(default_factory=list)
    # one per article and per copy, to set the outlets side by side: outlet and its country,
    # title, link, tone, the sentences reporting the story's events, and (for a dyad) whom it
    # blames or favours (see dyadwatch.stance)
    reports: list[dict[str, Any]] = field(default_factory=list)


class _Groups:
    """Union-find over article ids."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, item: int) -> int:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def join(self, items: list[int]) -> None:
        roots = sorted({self.find(i) for i in items})
        for root in roots[1:]:
            self.parent[root] = roots[0]


def story_of(events: list[dict[str, Any]]) -> dict[int, int]:
    """Each canonical article in a story, mapped to the story's id (its earliest article), over
    events as ``Store.events`` gives them. An article in no story is not in the mapping."""
    groups = _Groups()
    for event in filter(_names_both_sides, events):
        groups.join(_reporting(event))
    return {article_id: groups.find(article_id) for article_id in groups.parent}


def build_stories(store: Store, dyad: tuple[str, str] | None = None) -> list[Story]:
    """Stories with at least one event, newest first."""
    events = store.events(limit=None, dyad=dyad)
    members: dict[int, list[int]] = defaultdict(list)
    for article_id, story_id in story_of(events).items():
        members[story_id].append(article_id)
    events_of: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for event in filter(_names_both_sides, events):
        reporting = _reporting(event)
        if reporting:
            events_of[reporting[0]].append(event)
    stories = [
        _story(store, sorted(ids), [e for a in ids for e in events_of.get(a, [])], dyad)
        for ids in members.values()
    ]
    return sorted(stories, key=lambda s: (s.end or "", s.id), reverse=True)


def _reporting(event: dict[str, Any]) -> list[int]:
    """The canonical articles reporting an event as news."""
    return sorted({m["canonical_id"] for m in event["mentions"] if m["status"] in NEWS_STATUSES})


def _names_both_sides(event: dict[str, Any]) -> bool:
    """A happening is specific when both sides are named people or bodies: "China criticised
    the US" alone would tie together every commentary on the relationship."""
    return all(event[side]["id"] != event[side]["country"] for side in ("source", "target"))


def _story(
    store: Store,
    article_ids: list[int],
    events: list[dict[str, Any]],
    dyad: tuple[str, str] | None,
) -> Story:
    found = _articles(store, article_ids)
    copies = _articles(store, [c for a in found for c in a["copies"]])
    dates = sorted(e["date"] for e in events if e["date"])
    outlets = sorted({a["outlet"] for a in found + copies if a["outlet"]})
    title = next((a["title"] for a in found if a["title"]), f"story {article_ids[0]}")
    return Story(
        id=article_ids[0],
        title=title,
        start=dates[0] if dates else None,
        end=dates[-1] if dates else None,
        articles=article_ids,
        outlets=outlets,
        event_ids=sorted({e["id"] for e in events}),
        reports=[
            _report(store, a, events, dyad) for a in sorted(found + copies, key=lambda a: a["id"])
        ],
    )


def _articles(store: Store, ids: list[int]) -> list[dict[str, Any]]:
    return [a for a in map(store.article, ids) if a is not None]


def _report(
    store: Store,
    article: dict[str, Any],
    events: list[dict[str, Any]],
    dyad: tuple[str, str] | None,
) -> dict[str, Any]:
    said = [
        m["sentence"]
        for e in events
        for m in e["mentions"]
        if m["article_id"] == article["id"] and m["status"] in NEWS_STATUSES
    ]
    stance = article_stance(store, article, dyad) if dyad else None
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
