"""Stage: stance. Which side of a dyad an article blames or favours.

Derived from what the article itself says: the conflictual events it reports against each
side (accusations, sanctions, threats... with that side as target) and the tone of the
sentences that name each side's actors. Outlets that tell one story differently show it
here: the same meeting, one side blamed in one outlet and the other in another.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dyadwatch.store import Store
from dyadwatch.tone import tone_toward

CONFLICT_QUADS = (3, 4)
TONE_MARGIN = 0.1  # tone differences smaller than this say nothing


@dataclass(frozen=True)
class SideView:
    country: str
    blamed_in: int  # conflictual event mentions with this side as target
    tone: float | None  # tone of the sentences naming this side's actors


@dataclass(frozen=True)
class Stance:
    article_id: int
    sides: tuple[SideView, SideView]
    blames: str | None  # the country the article puts in the wrong, if any
    favours: str | None


def article_stance(store: Store, article: dict[str, Any], dyad: tuple[str, str]) -> Stance:
    """The stance of a stored article (as ``Store.article`` gives it) on the dyad's sides."""
    article_id = article["id"]
    mentions = store.actor_mentions(article_id)
    events = store.events(limit=None, dyad=dyad, article_id=article_id)
    sides = tuple(_side(article["body"], country, mentions, events, article_id) for country in dyad)
    first, second = sides
    return Stance(article_id, (first, second), _blamed(first, second), _favoured(first, second))


def _side(
    body: str,
    country: str,
    mentions: list[dict[str, Any]],
    events: list[dict[str, Any]],
    article_id: int,
) -> SideView:
    spans = [(m["start_char"], m["end_char"]) for m in mentions if m["country"] == country]
    blamed = sum(
        1
        for event in events
        if event["quad"] in CONFLICT_QUADS and event["target"]["country"] == country
        for mention in event["mentions"]
        if mention["article_id"] == article_id
    )
    return SideView(country, blamed, tone_toward(body, spans) if spans else None)


def _blamed(first: SideView, second: SideView) -> str | None:
    if first.blamed_in != second.blamed_in:
        return first.country if first.blamed_in > second.blamed_in else second.country
    return _lower_tone(first, second)


def _favoured(first: SideView, second: SideView) -> str | None:
    lower = _lower_tone(first, second)
    if lower is None:
        return None
    return second.country if lower == first.country else first.country


def _lower_tone(first: SideView, second: SideView) -> str | None:
    if first.tone is None or second.tone is None or abs(first.tone - second.tone) < TONE_MARGIN:
        return None
    return first.country if first.tone < second.tone else second.country
