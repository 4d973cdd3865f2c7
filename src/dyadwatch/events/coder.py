"""Code one article: who did what to whom, when and where, sentence by sentence.

Actors are found in the whole body once (``coref`` adds the short forms that stand for one
named before); ``candidates`` pairs those of two sides; ``pair_model`` reads every pair of the
article in one batch: the types likely each way, and the status. A sentence tells its surest
act (one type between two countries); of the pairs read as that act, each pair of named people
or bodies is an event, else the surest pair of countries. Its date and place are read from the
words that tell it, not from asides ("which Beijing had cut off in August 2022") or what
follows a later "since"/"after"; a past event retold (an explicit date long before the article,
"last met", "the then Secretary", "since they met") is background, and without a date of its
own has none rather than the article's. A meeting between a visiting side and its hosts, told
within a few sentences after the visit with no place or date of its own, took place where and
when the visit did ("the visit to New York of a group of former Chinese officials in early
November ... The group met former US officials"). What "the two sides" or "both countries" did,
in a sentence naming no side, is read from the two sides named just before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TypeGuard

from spacy.tokens import Doc, Token

from dyadwatch.actors.resolve import ActorMatcher, ActorMention, default_matcher
from dyadwatch.events.candidates import Candidate, candidates
from dyadwatch.events.classify import (
    EventType,
    clause,
    event_status,
    event_type,
)
from dyadwatch.events.coref import sentence_actors
from dyadwatch.events.dates import EventDate, resolve_event_date
from dyadwatch.events.merge import MUTUAL_TYPES
from dyadwatch.events.pair_model import Marked, PairReading, likely, mark, pair_model
from dyadwatch.events.places import Place, event_place
from dyadwatch.events.summits import month_written, summit_date
from dyadwatch.nlp import Sentence, parse

# A root verb with one of these is the writer prescribing, not a report: "the US should ...".
PRESCRIPTIVE = {"should", "must", "ought"}
# An event told as history rather than news: "the two leaders last met in Bali".
BACKGROUND_CUES = re.compile(
    r"\b(last|previously|earlier|first)\s+(met|visited|held|spoke|talked)\b"
    r"|\b(in|during) the past\b",
    re.IGNORECASE,
)
BACKGROUND_AGE = timedelta(days=30)  # an explicit event date this much older than the article
# An event named to set the time of something else is history, not news: "the trip concluded
# around the time Xi and Biden met", "relations have warmed since the meeting between ...".
# "after"/"following" only under a verb in the present or present perfect ("has strengthened
# after the meeting between Xi and Biden"): "After meeting Xi, Blinken told reporters ..."
# tells today's news.
TIME_REFERENCE = re.compile(
    r"\b(?:(?:around|at|by|about) the time|ever since|since|after|following)\b[^,;]{0,40}$",
    re.IGNORECASE,
)
# "the last meeting between", "the then Secretary of State Pompeo", "then-President Trump".
PAST_MEETING = re.compile(
    r"\b(?:last|previous|prior)\s+(?:[\w-]+\s+){0,3}?(?:meeting|visit|summit|talks|trip)\b"
    r"|\bthe then\b|\bthen-[A-Za-z]",
    re.IGNORECASE,
)
# Both sides of the relationship told last: "the two sides agreed", "both leaders met".
TWO_SIDES = re.compile(
    r"\b(?:the two|both)\s+(?P<noun>sides|countries|nations|governments|leaders|presidents)\b",
    re.IGNORECASE,
)
PEOPLE_NOUNS = {"leaders", "presidents"}
TWO_SIDES_WINDOW = 3  # sentences looked back for the two sides
# "... after Bali in 2022": what follows a later "since" or "after" is an earlier happening.
LATER_REFERENCE = re.compile(r"\b(?:since|after|following)\b", re.IGNORECASE)
# Words of travel: a sentence with one, a place and one side from elsewhere tells a visit.
TRAVEL = re.compile(r"\b(?:visit(?:s|ed|ing)?|trip|travel(?:l?ed|s)?|arriv(?:ed|es|al)|landed)\b")
TRIP_WINDOW = 15  # sentences after a visit whose meetings may be part of it
# Prepositions joining a second party to the first: "Biden, alongside Yoon, condemned ...".
COMPANY_WORDS = {"alongside", "besides"}
# The least probability of a type the pair coder must give for an event to be taken.
EVENT_THRESHOLD = 0.5


@dataclass(frozen=True)
class EventMention:
    source: ActorMention  # offsets are in the article body
    target: ActorMention
    type: EventType
    status: str  # "happened", "planned", "negated" or "background"
    date: EventDate | None
    place: Place | None
    sentence: Sentence


@dataclass(frozen=True)
class ArticleCoding:
    actors: list[ActorMention]
    events: list[EventMention]


def code_text(
    body: str,
    on: date | None = None,
    matcher: ActorMatcher | None = None,
    roles_on: date | None = None,
) -> ArticleCoding:
    """The actors and event mentions of an article body. ``on`` is the article's date, which
    relative dates resolve against; ``roles_on`` (default ``on``) is the date office holders
    are looked up for, which may be a rougher guess."""
    matcher = matcher or default_matcher()
    told = list(sentence_actors(body, matcher, roles_on or on))
    written = None if on else _month_written(told, roles_on)
    pairs = candidates(told)
    read: dict[int, list[tuple[Candidate, PairReading]]] = {}
    for pair, reading in zip(pairs, pair_model().read([c.marked for c in pairs]), strict=True):
        read.setdefault(pair.number, []).append((pair, reading))
    found: list[EventMention] = []
    every: list[ActorMention] = []
    # The sentences read so far, each with its actor mentions.
    history: list[tuple[list[ActorMention], Sentence]] = []
    trip: Trip | None = None  # the visit told last, for the meetings told after it
    for number, (sentence, inside) in enumerate(told):
        history.append((inside, sentence))
        every += inside
        coded = list(_code_sentence(sentence, inside, read.get(number, []), on, written))
        if not coded and len({m.country for m in inside if m.country}) < 2:
            coded = list(_both_sides(sentence, history[:-1], matcher, on))
            every += [side for event in coded for side in (event.source, event.target)]
        if coded:
            if trip is not None and number - trip.sentence <= TRIP_WINDOW:
                coded = [_during(event, trip) for event in coded]
            found += coded
        trip = _trip(sentence, inside, on, number) or trip
    return ArticleCoding(every, found)


def dated_by_story(coding: ArticleCoding) -> ArticleCoding:
    """The coding of an undated article read as of its story's date: the news it dated by
    that day alone is dated by the story, not by the article."""
    return replace(
        coding,
        events=[
            replace(e, date=replace(e.date, precision="story"))
            if e.date and e.date.precision == "article"
            else e
            for e in coding.events
        ],
    )


@dataclass(frozen=True)
class Trip:
    """A visit an article tells: who travelled, where to and when."""

    visitor: str  # country of the visiting side
    place: Place
    date: EventDate | None
    sentence: int  # its number in the article


def _both_sides(
    sentence: Sentence,
    history: list[tuple[list[ActorMention], Sentence]],
    matcher: ActorMatcher,
    on: date | None,
) -> Iterator[EventMention]:
    """A mutual act of "the two sides", "both countries" or "the two leaders": the two
    countries (or their two leaders) of the nearest of the sentences before naming exactly
    two ("... a meeting between Biden and Xi later this year. The two leaders last met in
    Bali"). The pair coder reads the sentence with the phrase written as the two ("Biden and
    Xi last met in Bali"); only a meeting, an agreement or cooperation is taken: the phrase
    says nothing of who acted on whom."""
    found = TWO_SIDES.search(sentence.text)
    if found is None:
        return
    pair = _pair_before(history, found.group("noun").lower() in PEOPLE_NOUNS, matcher)
    if pair is None:
        return
    (reading,) = pair_model().read([_written_as(sentence.text, found, pair)])
    mutual = [
        (root, probability)
        for types in (reading.forward, reading.backward)
        for root, probability in likely(types, EVENT_THRESHOLD)
        if root in MUTUAL_TYPES
    ]
    doc = parse(sentence.text)
    if not mutual or _prescribes(doc):
        return
    root, probability = max(mutual, key=lambda item: item[1])
    coded = event_type(root, sentence.text, reading.status, probability, "model")
    start, end = sentence.start + found.start(), sentence.start + found.end()
    source, target = (
        ActorMention(start, end, found.group(0), a.actor, a.country, a.sector, "coref")
        for a in pair
    )
    span = found.start(), found.end()
    status, when, where = _told(coded, doc, (span, span), [span], on)
    yield EventMention(source, target, coded, status, when, where, sentence)


def _written_as(
    text: str, phrase: re.Match[str], pair: tuple[ActorMention, ActorMention]
) -> Marked:
    """The sentence with "the two sides" written as the two it stands for, both marked."""
    first, second = (m.text for m in pair)
    before = text[: phrase.start()]
    joined = f"{before}{first} and {second}{text[phrase.end() :]}"
    second_start = len(before) + len(first) + len(" and ")
    return mark(
        joined, (len(before), len(before) + len(first)), (second_start, second_start + len(second))
    )


def _pair_before(
    history: list[tuple[list[ActorMention], Sentence]], people: bool, matcher: ActorMatcher
) -> tuple[ActorMention, ActorMention] | None:
    """The first mention of each of the two countries in the nearest sentence before naming
    exactly two, as their countries themselves or (``people``) as a person of each."""
    for earlier, _ in reversed(history[-TWO_SIDES_WINDOW:]):
        countries = list(dict.fromkeys(m.country for m in earlier if m.country))
        if len(countries) != 2:
            continue
        if people:
            first, second = (
                next((m for m in earlier if m.country == c and m.actor.kind == "person"), None)
                for c in countries
            )
        else:
            first, second = (_country_mention(matcher, code) for code in countries)
        return (first, second) if first and second else None
    return None


def _country_mention(matcher: ActorMatcher, code: str) -> ActorMention:
    country = matcher.catalogue.get(code)
    return ActorMention(0, 0, country.name, country, code, country.sector, "coref")


def _trip(
    sentence: Sentence, mentions: list[ActorMention], on: date | None, number: int
) -> Trip | None:
    """The visit a sentence tells ("the visit to New York of a group of former Chinese
    officials in early November"): a word of travel, a place, and one side from elsewhere."""
    if not TRAVEL.search(sentence.text):
        return None
    spans = [_local(m, sentence) for m in mentions if m.how != "coref"]
    place = event_place(sentence.text, spans)
    if place is None:
        return None
    visitors = {m.country for m in mentions if m.country and m.country != place.country}
    if len(visitors) != 1:
        return None
    when = resolve_event_date(sentence.text, on)
    return Trip(visitors.pop(), place, when if _explicit(when) else None, number)


def _during(event: EventMention, trip: Trip) -> EventMention:
    """A meeting told after a visit, between the visiting side and its hosts, with no place
    or date of its own, took place there and then ("The group met former US officials")."""
    sides = {event.source.country, event.target.country}
    if event.type.root != "CONSULT" or event.status != "happened" or event.place is not None:
        return event
    if sides != {trip.visitor, trip.place.country}:
        return event
    own_date = _explicit(event.date)
    return replace(
        event, place=trip.place, date=event.date if own_date else trip.date or event.date
    )


def _code_sentence(
    sentence: Sentence,
    mentions: list[ActorMention],
    read: list[tuple[Candidate, PairReading]],
    on: date | None,
    written: date | None,
) -> Iterator[EventMention]:
    """The events the pair coder read in a sentence: its surest act (one type between one
    pair of countries). Each pair of named people or bodies read as that act is an event of
    its own ("Xi, Wang Yi and Qin Gang met Blinken": three), else the surest pair of
    countries. None from a sentence in which the writer prescribes ("the US should respect
    ...").

    One act a sentence: the model's further acts in a sentence are mostly wrong. Kept only
    the surest, held-out pages (chinaus, CV by story, ``bench_chinaus.py --folds``) went
    from precision 0.574 to 0.649 at confidence 0.7, recall 0.332 to 0.312 (all events:
    0.506 to 0.596, 0.371 to 0.336); a confidence threshold losing as much recall gains
    about 0.03 precision."""
    read_as: dict[tuple[str, ...], list[Coded]] = {}
    for pair, reading in read:
        for source, target, forward in pair.directions():
            types = reading.forward if forward else reading.backward
            for root, probability in likely(types, EVENT_THRESHOLD):
                countries = (str(source.country), str(target.country))
                key = (root, *(sorted(countries) if root in MUTUAL_TYPES else countries))
                read_as.setdefault(key, []).append(
                    Coded(probability, source, target, root, reading.status)
                )
    if not read_as:
        return
    doc = parse(sentence.text)
    if _prescribes(doc):
        return
    spans = [_local(m, sentence) for m in mentions if m.how != "coref"]
    acts = [
        [c for c in _carriers(found) if c.root in MUTUAL_TYPES or not _same_side(doc, c, sentence)]
        for found in read_as.values()
    ]
    acts = [carriers for carriers in acts if carriers]
    if not acts:
        return
    surest = max(acts, key=lambda carriers: max(c.probability for c in carriers))
    for one in sorted(surest, key=lambda c: (c.source.start, c.target.start)):
        kind = event_type(one.root, sentence.text, one.status, one.probability, "model")
        sides = _local(one.source, sentence), _local(one.target, sentence)
        told = _told(kind, doc, sides, spans, on, written)
        yield EventMention(one.source, one.target, kind, *told, sentence)


@dataclass(frozen=True)
class Coded:
    """One way of one candidate pair, read as one type."""

    probability: float
    source: ActorMention
    target: ActorMention
    root: str
    status: str


def _carriers(found: list[Coded]) -> list[Coded]:
    """Of the pairs read as one act between two countries, those that carry it: every pair of
    named people or bodies (each once, at its surest), else the surest pair."""
    named = [c for c in found if "country" not in (c.source.actor.kind, c.target.actor.kind)]
    if not named:
        return [max(found, key=lambda c: c.probability)]
    best: dict[frozenset[str], Coded] = {}
    for one in named:
        key = frozenset((one.source.actor.id, one.target.actor.id))
        if key not in best or one.probability > best[key].probability:
            best[key] = one
    return list(best.values())


def _told(
    coded: EventType,
    doc: Doc,
    sides: tuple[tuple[int, int], tuple[int, int]],
    spans: list[tuple[int, int]],
    on: date | None,
    written: date | None = None,
) -> tuple[str, EventDate | None, Place | None]:
    """The event's status, date and place, read from the words that tell it; a past event
    retold with no date of its own did not happen on the article's day, and has none. In an
    undated article known to be written in some month, a plan with no date of its own was
    made that month."""
    news = _news_part(doc, sides)
    where = event_place(news, spans)
    when = _event_date(coded, news, where, on)
    status = _status(coded, doc, sides, when, on)
    if status == "planned" and when is None and written is not None:
        when = EventDate(written, "month", None)
    return status, when if status != "background" or _explicit(when) else None, where


def _month_written(
    told: list[tuple[Sentence, list[ActorMention]]], roles_on: date | None
) -> date | None:
    """The month an undated article was written in, if it says so by a summit it names."""
    for sentence, _ in told:
        found = month_written(sentence.text, roles_on)
        if found is not None:
            return found
    return None


def _news_part(doc: Doc, sides: tuple[tuple[int, int], tuple[int, int]]) -> str:
    """The words that tell the event itself, where its date and place are read: the sentence
    without the asides the target is not in ("which Beijing had cut off in August 2022"), up
    to a "since" or "after" past both sides ("the third meeting, after Bali in 2022"), whose
    dates and places are an earlier happening's."""
    text = _asides_blanked(doc, sides[1])
    later = LATER_REFERENCE.search(text, max(end for _, end in sides))
    return text[: later.start()] if later else text


def _asides_blanked(doc: Doc, target: tuple[int, int]) -> str:
    """The sentence with its appositives and relative clauses (also reduced ones: "the
    understandings reached in Bali") blanked out (same length), but those the target
    stands in ("Xi, who will visit the US, ...")."""
    text = list(doc.text)
    for token in doc:
        if token.dep_ in ("appos", "relcl") or (token.dep_ == "acl" and token.tag_ == "VBN"):
            words = list(token.subtree)
            start, end = words[0].idx, words[-1].idx + len(words[-1])
            if not (start < target[1] and target[0] < end):
                text[start:end] = " " * (end - start)
    return "".join(text)


def _prescribes(doc: Doc) -> bool:
    """The sentence's main verb is prescribed ("the US should respect China's red lines",
    "both sides must ..."): the writer's view of what ought to happen, not a report."""
    roots = [t for t in doc if t.dep_ == "ROOT"]
    return any(
        child.dep_ == "aux" and child.lower_ in PRESCRIPTIVE
        for root in roots[:1]
        for child in root.children
    )


def _same_side(doc: Doc, one: Coded, sentence: Sentence) -> bool:
    """Whether the two sides are told together, as one party ("the US and UK condemned",
    "sanctions on U.S. and Canadian officials", "Biden, alongside Yoon, condemned"): one act
    of both on a third, not of one on the other, unless the act is mutual."""
    source, target = (
        doc.char_span(*_local(m, sentence), alignment_mode="expand")
        for m in (one.source, one.target)
    )
    if source is None or target is None:
        return False
    return _party(source.root) == _party(target.root)


def _party(token: Token) -> Token:
    """The word heading the group a word is listed in: up its conjunctions and appositions,
    and from "alongside X" to the word it goes with."""
    while token.dep_ in ("conj", "appos") or (
        token.dep_ == "pobj" and token.head.lower_ in COMPANY_WORDS
    ):
        token = token.head.head if token.dep_ == "pobj" else token.head
    return token


def _local(mention: ActorMention, sentence: Sentence) -> tuple[int, int]:
    return mention.start - sentence.start, mention.end - sentence.start


def _event_date(
    coded: EventType, text: str, where: Place | None, on: date | None
) -> EventDate | None:
    """The date the text gives; for a meeting at a summit it names with no day of its own,
    the summit's days ("the two leaders last met in November at the G20 summit in Bali")."""
    when = resolve_event_date(text, on)
    if coded.root in MUTUAL_TYPES and not (when and when.precision in ("day", "week")):
        summit = summit_date(text, where, on, future=coded.status == "planned")
        if summit is not None and (not _explicit(when) or _same_month(summit, when)):
            return summit
    return when


def _same_month(one: EventDate, other: EventDate | None) -> bool:
    return other is not None and (one.date.year, one.date.month) == (
        other.date.year,
        other.date.month,
    )


def _status(
    coded: EventType,
    doc: Doc,
    sides: tuple[tuple[int, int], tuple[int, int]],
    when: EventDate | None,
    on: date | None,
) -> str:
    """The words of a plan or a denial around the two sides ("will meet", "did not meet")
    say so first; else the pair coder's reading, made background when the sentence retells
    it ("last met", an explicit date a month before the article). Status macro-F1 on
    held-out pages (CV by story, the events coded unchanged) with the model of stop 18:
    0.70; with the model's reading first, 0.61; with the model's alone and the date's age,
    0.51. A "not" negating no verb ("humans, not machines") is no denial: 0.708 -> 0.738."""
    cued = event_status(clause(_without_contrasts(doc), *sides), coded.root)
    if cued != "happened":
        return cued
    if coded.status != "happened":
        return coded.status
    if BACKGROUND_CUES.search(doc.text):
        return "background"
    if _explicit(when):
        return "background" if on is not None and when.date < on - BACKGROUND_AGE else "happened"
    if PAST_MEETING.search(doc.text) or _time_reference(doc, min(sides)[0]):
        return "background"
    return "happened"


def _without_contrasts(doc: Doc) -> str:
    """The sentence with each "not" that negates no verb blanked: "humans, not artificial
    intelligence, should keep control" denies nothing of what was agreed."""
    text = list(doc.text)
    for token in doc:
        if token.dep_ == "neg" and token.head.pos_ not in ("VERB", "AUX"):
            text[token.idx : token.idx + len(token)] = " " * len(token)
    return "".join(text)


def _explicit(when: EventDate | None) -> TypeGuard[EventDate]:
    """A date the sentence gives, not the article's."""
    return when is not None and when.precision != "article"


def _time_reference(doc: Doc, first_side: int) -> bool:
    """Whether the two sides follow a word that makes their act the time of another one
    ("around the time Xi and Biden met", "since the meeting between ..."); "after" and
    "following" only under a verb in the present or the present perfect."""
    found = TIME_REFERENCE.search(doc.text[:first_side])
    if found is None:
        return False
    if found.group(0).split()[0].lower() not in ("after", "following"):
        return True
    marker = doc.char_span(found.start(), found.start() + len(found.group(0).split()[0]))
    return marker is not None and _present_or_perfect(marker.root.head)


def _present_or_perfect(verb: Token) -> bool:
    """ "has strengthened", "have improved", "remains": a verb of now, not of the news day."""
    if verb.tag_ in ("VBZ", "VBP"):
        return True
    return any(c.dep_ == "aux" and c.lower_ in ("has", "have") for c in verb.children)
