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


@dataclass
class Story:
    id: int  # the id of its earliest canonical article
    title: str
    start: str | None
    end: str | None
    articles: list[int] = field(default_factory=list)  # canonical article ids
    outlets: list[str] = field(default_factory=list)
    event_ids: list[int] = field(default_factory=list)
    # per article: the outlet and whom it blames or favours (see dyadwatch.stance)
    stances: list[dict[str, Any]] = field(default_factory=list)


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


def build_stories(store: Store, dyad: tuple[str, str] | None = None) -> list[Story]:
    """Stories with at least one event, newest first."""
    events = store.events(limit=None, dyad=dyad)
    groups = _Groups()
    events_of: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for event in filter(_names_both_sides, events):
        reporting = sorted(
            {m["canonical_id"] for m in event["mentions"] if m["status"] in NEWS_STATUSES}
        )
        if reporting:
            groups.join(reporting)
            events_of[reporting[0]].append(event)
    members: dict[int, set[int]] = defaultdict(set)
    for article_id in list(groups.parent):
        members[groups.find(article_id)].add(article_id)
    stories = [
        _story(store, sorted(ids), [e for a in ids for e in events_of.get(a, [])], dyad)
        for ids in members.values()
    ]
    return sorted(stories, key=lambda s: (s.end or "", s.id), reverse=True)


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
    articles = [store.article(i) for i in article_ids]
    found = [a for a in articles if a is not None]
    dates = sorted(e["date"] for e in events if e["date"])
    outlets = sorted({a["outlet"] for a in found if a["outlet"]})
    title = next((a["title"] for a in found if a["title"]), f"story {article_ids[0]}")
    return Story(
        id=article_ids[0],
        title=title,
        start=dates[0] if dates else None,
        end=dates[-1] if dates else None,
        articles=article_ids,
        outlets=outlets,
        event_ids=sorted({e["id"] for e in events}),
        stances=[_stance_record(store, a, dyad) for a in found] if dyad else [],
    )


def _stance_record(store: Store, article: dict[str, Any], dyad: tuple[str, str]) -> dict[str, Any]:
    stance = article_stance(store, article, dyad)
    return {
        "article_id": article["id"],
        "outlet": article["outlet"] or article["source"],
        "blames": stance.blames,
        "favours": stance.favours,
        "sides": {s.country: {"blamed_in": s.blamed_in, "tone": s.tone} for s in stance.sides},
    }
