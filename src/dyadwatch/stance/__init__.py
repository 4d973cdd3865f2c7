"""Stage: stance. Which side of a dyad an article blames or favours, in its own voice.

Read from the article's own sentences, not from the events it reports. A report that "Wang
Yi blamed the US" relays China's position; it does not take it. So sentences of reported
speech (a speech verb, a quotation) are set aside, and what is left is the outlet's voice:

- a side told what it should do ("The US should correct its perception of China", "Beijing
  must stop ...") is the side the article puts in the wrong;
- so is a side that is the subject of a hostile sentence ("The US is deceiving itself");
- the tone of the sentences a side is the subject of says which side the article favours.

The subject is the side told what to do, else the side named first in the sentence, leaving
out hyphenated pairs such as "China-US relations", which name the relationship, not an actor.

Why not the conflictual events an article reports: the event coder makes the grammatical
subject the source, so "The US should correct its perception of China" is an accusation by
the US against China, and counting the targets of such events as the blamed side read an
opinion piece against US policy as one blaming China.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any, NamedTuple

from dyadwatch.nlp import Sentence, sentences
from dyadwatch.store import Store
from dyadwatch.tone import sentence_tone

HOSTILE = -0.25  # a sentence at or below this tone finds fault with its subject
TONE_MARGIN = 0.3  # tone differences smaller than this say nothing (VADER is coarse)
BLAME_MARGIN = 2  # sentences more against one side than the other, to call it blamed
EVIDENCE = 3  # sentences kept per side to show why
# Reported speech: the speaker's position, not the article's.
REPORTED = re.compile(
    r"[\"“”]|\b(?:said|says|say|told|tells|stated|states|stressed|stresses|emphasi[sz]ed|"
    r"urged|urges|warned|warns|blamed|blames|accused|accuses|critici[sz]ed|critici[sz]es|"
    r"condemned|condemns|attributed|added|noted|insisted|claimed|claims|asserted|assured|"
    r"expressed|termed|described|highlighted|acknowledged|echoed|reported|argued|argues|called|"
    r"believes?|believed|thinks?|according to|quoted|announced|spokesperson|spokesman)\b",
    re.IGNORECASE,
)
# A side told what to do: the mention, maybe a noun for its government, then a modal.
PRESCRIBED = re.compile(
    r"(?:'s|’s)?\s*(?:(?:side|government|administration|authorities|leadership|leaders|"
    r"officials|policy ?makers)\s+)?(?:should|must|needs? to|has to|have to|ought to|"
    r"had better)\b",
    re.IGNORECASE,
)
COORDINATED = re.compile(r"\b(?:and|or|nor|both)\s+(?:the\s+)?$", re.IGNORECASE)


class Mention(NamedTuple):
    start: int  # character offsets in the body
    end: int
    country: str  # the side the actor acts for


@dataclass(frozen=True)
class SideView:
    country: str
    blamed_in: int  # sentences in the article's voice that put this side in the wrong
    tone: float | None  # mean tone of the article's sentences with this side as subject
    evidence: tuple[str, ...] = ()  # the first of those blaming sentences


@dataclass(frozen=True)
class Stance:
    article_id: int | None
    sides: tuple[SideView, SideView]
    blames: str | None  # the country the article puts in the wrong, if any
    favours: str | None


def article_stances(
    store: Store, articles: Sequence[dict[str, Any]], dyad: tuple[str, str]
) -> dict[int, Stance]:
    """The stance of stored articles (as ``Store.article`` gives them) on the dyad's sides,
    by id: as stored when they were coded (``stances_of``), else read from their text."""
    if dyad[0] == dyad[1]:  # no pair is stored for a country and itself
        return {a["id"]: _read(store, a, dyad) for a in articles}
    stored = store.stances_of([a["id"] for a in articles], dyad)
    return {a["id"]: _stance(store, a, dyad, stored[a["id"]]) for a in articles}


def _stance(
    store: Store,
    article: dict[str, Any],
    dyad: tuple[str, str],
    records: Mapping[tuple[str, str], dict[str, Any]] | None,
) -> Stance:
    if records is None:  # coded before stances were stored
        return _read(store, article, dyad)
    return from_records(records, dyad, article["id"])


def _read(store: Store, article: dict[str, Any], dyad: tuple[str, str]) -> Stance:
    """The stance of a stored article read from its text and its actor mentions."""
    found = store.actor_mentions(article["id"])
    mentions = [
        Mention(m["start_char"], m["end_char"], m["country"]) for m in found if m["country"]
    ]
    return stance_of(article["body"], mentions, dyad, article["id"])


def stance_of(
    body: str, mentions: Sequence[Mention], dyad: tuple[str, str], article_id: int | None = None
) -> Stance:
    """The stance of a text on the dyad's sides, from its actor mentions (any order)."""
    blamed: dict[str, list[str]] = {country: [] for country in dyad}
    tones: dict[str, list[float]] = {country: [] for country in dyad}
    ordered = sorted((m for m in mentions if m.country in dyad), key=lambda m: m.start)
    for sentence in sentences(body):
        inside = [m for m in ordered if sentence.start <= m.start < sentence.end]
        if not inside or REPORTED.search(sentence.text):
            continue
        actors = [m for m in inside if not _paired(body, m)]
        if not actors:
            continue
        told = [m.country for m in actors if _prescribed(body, sentence, m)]
        subject = (told or [actors[0].country])[0]  # a modal's side heads the main clause
        tone = sentence_tone(sentence.text)
        tones[subject].append(tone)
        wronged = set(told) | ({subject} if tone <= HOSTILE else set())
        for country in wronged:
            blamed[country].append(sentence.text)
    first, second = (
        SideView(
            country,
            len(blamed[country]),
            round(sum(tones[country]) / len(tones[country]), 3) if tones[country] else None,
            tuple(blamed[country][:EVIDENCE]),
        )
        for country in dyad
    )
    blames = _blamed(first, second)
    return Stance(article_id, (first, second), blames, _favoured(first, second, blames))


def stances_of(body: str, mentions: Sequence[Mention]) -> dict[tuple[str, str], dict[str, Any]]:
    """The stance of a text on every pair of the countries it names (first < second) and on
    each one against any country it does not name (second ""), as records to store."""
    countries = sorted({m.country for m in mentions})
    pairs = [*combinations(countries, 2), *((country, "") for country in countries)]
    return {pair: _record(stance_of(body, mentions, pair)) for pair in pairs}


def _record(stance: Stance) -> dict[str, Any]:
    sides = {
        side.country: {"blamed_in": side.blamed_in, "tone": side.tone, "evidence": side.evidence}
        for side in stance.sides
    }
    return {"sides": sides, "blames": stance.blames, "favours": stance.favours}


def from_records(
    records: Mapping[tuple[str, str], dict[str, Any]], dyad: tuple[str, str], article_id: int
) -> Stance:
    """The stance on the dyad from the records ``stances_of`` made for its countries: of the
    pair, else of the one country named (the other, "" there, is the dyad's other side)."""
    first, second = dyad
    named = [(min(dyad), max(dyad)), (first, ""), (second, "")]
    record = next((records[key] for key in named if key in records), None)
    if record is None:
        return stance_of("", [], dyad, article_id)
    absent = {"": second if (first, "") in records else first}
    sides = record["sides"]

    def view(country: str) -> SideView:
        side = sides.get(country) or sides[""]
        return SideView(country, side["blamed_in"], side["tone"], tuple(side["evidence"]))

    return Stance(
        article_id,
        (view(first), view(second)),
        absent.get(record["blames"], record["blames"]),
        absent.get(record["favours"], record["favours"]),
    )


def _paired(body: str, mention: Mention) -> bool:
    """ "China-US ties", "US-China": a hyphenated pair names the relationship."""
    before = body[max(0, mention.start - 1) : mention.start]
    after = body[mention.end : mention.end + 1]
    return before in ("-", "–") or after in ("-", "–")


def _prescribed(body: str, sentence: Sentence, mention: Mention) -> bool:
    """The side alone is told what it should do; "China and the US should" tells both."""
    if not PRESCRIBED.match(body, mention.end, sentence.end):
        return False
    return not COORDINATED.search(body[sentence.start : mention.start])


def _blamed(first: SideView, second: SideView) -> str | None:
    if abs(first.blamed_in - second.blamed_in) < BLAME_MARGIN:
        return None
    return first.country if first.blamed_in > second.blamed_in else second.country


def _favoured(first: SideView, second: SideView, blames: str | None) -> str | None:
    """The side the article argues for: the other one when it blames a side (unless the tone
    says the opposite), else the side spoken of more warmly."""
    warmer = _warmer(first, second)
    if blames is not None:
        other = second.country if blames == first.country else first.country
        return other if warmer in (None, other) else None
    return warmer


def _warmer(first: SideView, second: SideView) -> str | None:
    if first.tone is None or second.tone is None or abs(first.tone - second.tone) < TONE_MARGIN:
        return None
    return first.country if first.tone > second.tone else second.country
