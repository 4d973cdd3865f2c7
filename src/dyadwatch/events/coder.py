"""Code one article: who did what to whom, when and where, sentence by sentence.

Actors are found in the whole body once; the dependency parse runs only on sentences naming
actors of two different countries, which is where dyadic events can be.

A sentence-opening "he"/"she" or "the secretary"/"the minister"/"the ministry" stands for the
one person (or office) named in the sentence or two before it, when that is unambiguous; a
sentence-opening "the group"/"the delegation"/"the team" for the one group of people ("the
Chinese delegation", "former US officials") named in the nearest of the three before it, when
no other group of people is in between. Either is kept as an actor mention of its own
(``how="coref"``) and can only be a source, as the subject of its sentence.

Not every other side named is a target: a country only characterised ("emphasizing Taiwan
as a core interest"), one named in a purpose that is no act ("talks with allies to strengthen
its resistance to China") or listed beside the source's own side when someone else is the
counterpart ("the leaders of the US, Japan and India ... had no illusions about China").
No event is taken from a sentence that prescribes rather than reports ("the US should
respect ...", the writer's opinion), from one where no actor is an agent of any verb, or
when the type rests on no cue word and little confidence. The tense of an appositive or a
relative clause ("Pelosi, the most senior US official to visit Taiwan, met Tsai") is not
the event's. A meeting that happened between a visiting side and its hosts, told within a
few sentences after the visit with no place or date of its own, took place where and when
the visit did ("the visit to New York of a group of former Chinese officials in early
November ... The group met former US officials").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from typing import TypeGuard

from spacy.tokens import Doc, Token

from dyadwatch.actors.resolve import ActorMatcher, ActorMention, default_matcher
from dyadwatch.events.classify import (
    BOUND_CONFIDENCE,
    EventType,
    classify,
    clause,
    cues,
    cues_by_first_stem,
    event_status,
    event_type,
    lexicon,
    stem,
    without_evidence,
    words,
)
from dyadwatch.events.dates import EventDate, resolve_event_date
from dyadwatch.events.merge import MUTUAL_TYPES
from dyadwatch.events.places import Place, event_place
from dyadwatch.events.summits import summit_date
from dyadwatch.nlp import Sentence, parse, sentences

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj", "agent"}
# A root verb with one of these is the writer prescribing, not a report: "the US should ...".
PRESCRIPTIVE = {"should", "must", "ought"}
# Sentence-opening short forms, after an introductory phrase at most ("On Friday, he said").
ANAPHOR = re.compile(
    r"^(?:[A-Z][\w'’ -]{0,40},\s+)?(?:(?:But|And|However|Later|Then|There)\s+)?"
    r"(?P<form>[Hh]e|[Ss]he|It(?=\s+(?:also\s+)?(?:urged|called|warned|accused|demanded"
    r"|criticized|criticised|condemned|announced|imposed|vowed|pledged|rejected|protested)\b)"
    r"|[Tt]he(?:\s+(?:top|chief|senior|former|new|foreign|then))?\s+"
    r"(?P<noun>secretary|minister|president|premier|ambassador|envoy|spokesman|spokeswoman"
    r"|spokesperson|diplomat|chancellor|adviser|leader|ministry|department"
    r"|group|delegation|team))\b"
)
OFFICES = {"ministry", "department"}  # short forms of an agency, the others of a person
GROUPS = {"group", "delegation", "team"}  # short forms of a group of people
COREF_WINDOW = 2  # sentences looked back for the antecedent
IT_OPENING = 12  # characters into the sentence before that its subject "it" stands for starts
GROUP_COREF_WINDOW = 3  # "The group met ..." may come a few sentences after the delegation
# Words that name a group of people by themselves: an unresolved one between a group actor and
# "the group" may be what it means ("a group of scholars").
GROUP_WORDS = re.compile(r"\b(?:groups?|delegations?|teams?|delegates)\b", re.IGNORECASE)
# The last word of a group actor that is a body of people "the group" can stand for.
COLLECTIVE_HEADS = {"delegation", "delegations", "delegates", "group", "team", "police"}
PRONOUN_GENDER = {"he": "m", "she": "f"}
PEOPLE_PRONOUNS = {"he", "she", "they", "we", "i"}
# Two capitalised words that no actor covers may be a person the catalogue does not know
# ("Katrina Yu"): "she" after them is not safely anyone named before.
UNKNOWN_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:\s+[A-Z][a-z-]+)+\b")
# Nouns of people whose "of" names their side: "a group of lawmakers", "leaders of the US".
COLLECTIVES = {
    "group", "groups", "delegation", "delegations", "team", "teams", "members", "member",
    "leaders", "leader", "officials", "representatives", "head", "heads", "makers",
    "policymakers", "envoys", "envoy", "spokesman", "spokeswoman", "spokesperson",
}  # fmt: skip
# How specific an actor is: of two mentions in apposition ("Pelosi, the most senior US
# official"; "China's ambassador, Qin Gang") the more specific one is kept.
SPECIFICITY = {"person": 0, "agency": 1, "organization": 2, "group": 3, "country": 4}
MAX_ACTORS_PER_SIDE = 3  # "Xi, Wang Yi and Qin Gang met Blinken": three events, no more
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
# "an agreement to increase commercial flights between the two countries": whatever the
# words around it weigh, an agreement of the two sides is one.
AGREEMENT_BETWEEN = re.compile(
    r"\b(?P<cue>agreements?|deals?|accords?|pacts?|treat(?:y|ies))\b[^.;]{0,80}?"
    r"\bbetween (?:the two|both)\b",
    re.IGNORECASE,
)
TWO_SIDES_WINDOW = 3  # sentences looked back for the two sides
MUTUAL_CONFIDENCE = 0.5  # a mutual act of "the two sides" must be clearer than most
# A meeting retold as the time the news is set after: "their first talks since they met in
# Bali in November 2022", "since Biden hosted Xi in California", "after their meeting".
RETOLD_MEETING = re.compile(
    r"\b(?:since|after)\s+(?:[\w-]+\s+){0,4}?"
    r"(?P<cue>met|talked|spoke|hosted|visited|meeting|talks|summit)\b[^;]*",
    re.IGNORECASE,
)
LATER_REFERENCE = re.compile(r"\b(?:since|after|following)\b", re.IGNORECASE)
# Words of travel: a sentence with one, a place and one side from elsewhere tells a visit.
TRAVEL = re.compile(r"\b(?:visit(?:s|ed|ing)?|trip|travel(?:l?ed|s)?|arriv(?:ed|es|al)|landed)\b")
TRIP_WINDOW = 15  # sentences after a visit whose meetings may be part of it


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
    mentions = matcher.find(body, roles_on or on)
    found: list[EventMention] = []
    every: list[ActorMention] = []
    # The sentences read so far, each with its actor mentions.
    history: list[tuple[list[ActorMention], Sentence]] = []
    trip: Trip | None = None  # the visit told last, for the meetings told after it
    for number, sentence in enumerate(sentences(body)):
        inside = [m for m in mentions if sentence.start <= m.start and m.end <= sentence.end]
        anaphor = _anaphor(sentence, inside, history, matcher, roles_on or on)
        if anaphor is not None:
            inside = sorted([*inside, anaphor], key=lambda m: m.start)
        history.append((inside, sentence))
        every += inside
        if len({m.country for m in inside if m.country}) >= 2:
            coded = list(_code_sentence(sentence, inside, on))
        else:
            coded = list(_both_sides(sentence, history[:-1], matcher, on))
            every += [side for event in coded for side in (event.source, event.target)]
        if coded:
            if trip is not None and number - trip.sentence <= TRIP_WINDOW:
                coded = [_during(event, trip) for event in coded]
            found += coded
        trip = _trip(sentence, inside, on, number) or trip
    return ArticleCoding(every, found)


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
    Bali"). Only a meeting, an agreement or cooperation: the phrase says nothing of who
    acted on whom."""
    found = TWO_SIDES.search(sentence.text)
    if found is None:
        return
    pair = _pair_before(history, found.group("noun").lower() in PEOPLE_NOUNS, matcher)
    if pair is None:
        return
    span = found.start(), found.end()
    doc = parse(sentence.text)
    if _prescribes(doc):
        return
    news = _news_part(doc, (span, span))  # "rose after the visit" is no visit of theirs
    coded = classify(news, span, None)
    if coded is None or coded.root not in MUTUAL_TYPES or coded.confidence < MUTUAL_CONFIDENCE:
        agreed = AGREEMENT_BETWEEN.search(news)
        if agreed is None:
            return
        status = event_status(news, "AGREE")
        coded = event_type("AGREE", news, status, BOUND_CONFIDENCE, agreed.group("cue"))
    start, end = sentence.start + span[0], sentence.start + span[1]
    source, target = (
        ActorMention(start, end, found.group(0), a.actor, a.country, a.sector, "coref")
        for a in pair
    )
    status, when, where = _told(coded, doc, (span, span), [span], on)
    yield EventMention(source, target, coded, status, when, where, sentence)


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


def _anaphor(
    sentence: Sentence,
    inside: list[ActorMention],
    history: list[tuple[list[ActorMention], Sentence]],
    matcher: ActorMatcher,
    on: date | None,
) -> ActorMention | None:
    """The actor a sentence-opening "he", "the minister" or "the ministry" refers back to:
    the single fitting person (or agency) of the nearest of the last sentences naming one."""
    match = ANAPHOR.match(sentence.text)
    if match is None:
        return None
    start, end = sentence.start + match.start("form"), sentence.start + match.end("form")
    if any(m.start < end and start < m.end for m in inside):
        return None  # a title the catalogue resolved already ("The Foreign Minister")
    text = match.group("form")
    noun = match.group("noun") or text.lower()
    if noun in PRONOUN_GENDER and _unknown_name(sentence.text[: match.start("form")], []):
        return None
    if noun == "it":
        return _it(start, end, text, history[-1:])
    window = GROUP_COREF_WINDOW if noun in GROUPS else COREF_WINDOW
    for earlier, told in reversed(history[-window:]):
        fitting = {m.actor.id: m for m in earlier if _fits(m, noun, matcher, on)}
        if noun in PRONOUN_GENDER and _unknown_name(told.text, earlier, told.start):
            return None  # someone the catalogue does not know may be meant
        if noun in GROUPS and _unknown_group(told.text, earlier, told.start):
            return None  # a group the catalogue cannot place may be meant
        if fitting:
            if len(fitting) > 1:
                return None
            (antecedent,) = fitting.values()
            return ActorMention(
                start, end, text, antecedent.actor, antecedent.country, antecedent.sector, "coref"
            )
    return None


def _it(
    start: int, end: int, text: str, history: list[tuple[list[ActorMention], Sentence]]
) -> ActorMention | None:
    """ "It urged the US ...": the body or country that opens the sentence before ("The
    Chinese Ministry of National Defense conveyed that ..."), no person or group."""
    for earlier, told in history:
        opening = [m for m in earlier if m.start - told.start <= IT_OPENING and m.how != "coref"]
        if opening and opening[0].actor.kind in ("agency", "organization", "country"):
            antecedent = opening[0]
            return ActorMention(
                start, end, text, antecedent.actor, antecedent.country, antecedent.sector, "coref"
            )
    return None


def _fits(mention: ActorMention, noun: str, matcher: ActorMatcher, on: date | None) -> bool:
    actor = mention.actor
    if noun in OFFICES:
        return actor.kind == "agency" and noun in actor.name.lower()
    if noun in GROUPS:
        return actor.kind == "group" and _people(mention.text)
    if actor.kind != "person":
        return False
    if noun in PRONOUN_GENDER:  # "he", "she": only someone known to be so
        return actor.gender == PRONOUN_GENDER[noun]
    titles = [role.title.lower() for role in matcher.catalogue.roles_of(actor.id, on)]
    return any(noun in title.split() for title in titles)


def _people(text: str) -> bool:
    """Whether a group mention names a body of people: a plural noun ("officials",
    "executives") or a collective one ("delegation"), not a single office holder."""
    last = text.split()[-1].lower()
    return last in COLLECTIVE_HEADS or (last.endswith("s") and not last.endswith("ss"))


def _unknown_group(text: str, mentions: list[ActorMention], offset: int = 0) -> bool:
    """Whether the text names a group of people ("a team of scholars") outside any actor
    mention: "the group" after it may mean that one."""
    for found in GROUP_WORDS.finditer(text):
        start, end = offset + found.start(), offset + found.end()
        if not any(m.start <= start and end <= m.end for m in mentions):
            return True
    return False


def _unknown_name(text: str, mentions: list[ActorMention], offset: int = 0) -> bool:
    """Whether the text holds a run of capitalised words (not opening it) that no actor
    mention touches: a name the catalogue does not know."""
    for found in UNKNOWN_NAME.finditer(text):
        start, end = offset + found.start(), offset + found.end()
        if not any(m.start < end and start < m.end for m in mentions):
            return True
    return False


def _code_sentence(
    sentence: Sentence, mentions: list[ActorMention], on: date | None
) -> Iterator[EventMention]:
    doc = parse(sentence.text)
    if _prescribes(doc):
        return
    spans = [_local(m, sentence) for m in mentions if m.how != "coref"]
    retold = RETOLD_MEETING.search(sentence.text)
    for number, (source, target) in enumerate(_pairs(doc, sentence, mentions)):
        if _prescribed(doc, _local(source, sentence)):
            continue
        sides = _local(source, sentence), _local(target, sentence)
        coded = classify(sentence.text, *sides)
        if coded is not None and without_evidence(coded):
            coded = _by_main_verb(doc, coded)
        if coded is not None and coded.status != "happened":
            # "Pelosi, the most senior US official to visit Taiwan, met Tsai": the tense of
            # an appositive or a relative clause is not the event's.
            status = event_status(clause(_asides_blanked(doc, sides[1]), *sides), coded.root)
            coded = replace(coded, status=status)
        if coded is not None and not without_evidence(coded):
            status, when, where = _told(coded, doc, sides, spans, on)
            main = EventMention(source, target, coded, status, when, where, sentence)
            yield main
            yield from _joined_acts(doc, main, mentions)
        if (
            retold
            and number == 0
            and retold.start() >= max(end for _, end in sides)  # told after the news
            and _between(retold, mentions, sentence, source, target)
        ):
            yield _retold_meeting(retold, source, target, sentence, on)


def _by_main_verb(doc: Doc, coded: EventType) -> EventType | None:
    """A type resting on function words only gives way to the one the sentence's main verb
    is a cue of ("It urged the USA to stop arming the island, which is holding elections"
    is a request); with no such verb, no event."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None or root.pos_ != "VERB":
        return None
    labels = {
        label for label, cue in cues_by_first_stem().get(stem(root.lower_), []) if len(cue) == 1
    }
    if len(labels) != 1:
        return None
    return event_type(labels.pop(), doc.text, coded.status, coded.confidence, root.text)


def _joined_acts(
    doc: Doc, main: EventMention, mentions: list[ActorMention]
) -> Iterator[EventMention]:
    """The other acts of the main verb's subject, in verb phrases joined to it ("met in Busan
    and agreed to a truce", "met on Friday but reached no ceasefire deal"): events of their
    own between the same sides, on the same day, when a phrase's cue words name one type but
    the main one and it names no actor but the two sides."""
    sides = {main.source.actor.id, main.target.actor.id}
    offset = main.sentence.start
    for verb in doc:
        if verb.dep_ != "conj" or verb.head.dep_ != "ROOT" or verb.pos_ not in ("VERB", "AUX"):
            continue
        words_in = list(verb.subtree)
        start, end = words_in[0].idx, words_in[-1].idx + len(words_in[-1])
        named = {m.actor.id for m in mentions if start <= m.start - offset < end}
        told = doc.text[start:end]
        tokens = words(told)
        found = list(cues(tokens))
        # the verb's own cue ("agreed to a truce in their trade war"), else the phrase's
        own = {label for label, first, _ in found if tokens[first].start == verb.idx - start}
        labels = own or {label for label, _, _ in found}
        if named - sides or len(labels) != 1:
            continue
        (label,) = labels
        status = "background" if main.status == "background" else event_status(told, label)
        coded = event_type(label, told, status, BOUND_CONFIDENCE, verb.text)
        if coded.root != main.type.root:
            yield replace(main, type=coded, status=status)


def _told(
    coded: EventType,
    doc: Doc,
    sides: tuple[tuple[int, int], tuple[int, int]],
    spans: list[tuple[int, int]],
    on: date | None,
) -> tuple[str, EventDate | None, Place | None]:
    """The event's status, date and place, read from the words that tell it; a past event
    retold with no date of its own did not happen on the article's day, and has none."""
    news = _news_part(doc, sides)
    where = event_place(news, spans)
    when = _event_date(coded, news, where, on)
    status = _status(coded, doc, sides, when, on)
    return status, when if status != "background" or _explicit(when) else None, where


def _news_part(doc: Doc, sides: tuple[tuple[int, int], tuple[int, int]]) -> str:
    """The words that tell the event itself, where its date and place are read: the sentence
    without the asides the target is not in ("which Beijing had cut off in August 2022"), up
    to a "since" or "after" past both sides ("the third meeting, after Bali in 2022"), whose
    dates and places are an earlier happening's."""
    text = _asides_blanked(doc, sides[1])
    later = LATER_REFERENCE.search(text, max(end for _, end in sides))
    return text[: later.start()] if later else text


def _between(
    found: re.Match[str],
    mentions: list[ActorMention],
    sentence: Sentence,
    source: ActorMention,
    target: ActorMention,
) -> bool:
    """Whether the retold meeting names no side but the two of the news ("since they met",
    "since Ukrainian and Russian negotiators met"), not others' ("after Tsai met McCarthy")."""
    start, end = sentence.start + found.start(), sentence.start + found.end()
    named = {m.country for m in mentions if start <= m.start and m.end <= end}
    return named <= {source.country, target.country}


def _retold_meeting(
    found: re.Match[str],
    source: ActorMention,
    target: ActorMention,
    sentence: Sentence,
    on: date | None,
) -> EventMention:
    """The earlier meeting of the two sides a sentence sets its news after ("their first
    talks since they met in Bali in November 2022"), as background with its own date."""
    told = found.group(0)
    coded = event_type("CONSULT", told, "background", BOUND_CONFIDENCE, found.group("cue"))
    where = event_place(told, [])
    when = _event_date(coded, told, where, on)
    return EventMention(
        source, target, coded, "background", when if _explicit(when) else None, where, sentence
    )


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


def _prescribed(doc: Doc, span: tuple[int, int]) -> bool:
    """The verb the source is the subject of is prescribed: "It is suggested that policy
    makers of the US should denounce China"."""
    words = doc.char_span(*span, alignment_mode="expand")
    if words is None:
        return False
    token = _climb(words.root, {"conj", "compound", "appos", "amod", "nmod"})
    if token.dep_ not in SUBJECT_DEPS:
        return False
    verb = token.head
    verbs = [verb, *(child for child in verb.children if child.dep_ == "conj")]
    return any(
        child.dep_ == "aux" and child.lower_ in PRESCRIPTIVE for v in verbs for child in v.children
    )


def _pairs(
    doc: Doc, sentence: Sentence, mentions: list[ActorMention]
) -> list[tuple[ActorMention, ActorMention]]:
    """Sources are the grammatical subjects of the main verb (else the first actor that is
    the agent of some verb or the owner of a noun: "Blinken's visit"); targets the others.
    A short form standing for an actor named before is a source or nothing."""
    mentions = _drop_appositives(doc, sentence, mentions)
    subjects = [m for m in mentions if _is_subject(doc, _local(m, sentence))]
    mentions = [m for m in mentions if m.how != "coref" or m in subjects]
    agents = [m for m in mentions if _is_agent(doc, _local(m, sentence))]
    sources = subjects or agents[:1]
    if not sources:
        return []
    source_country = sources[0].country
    sources = [m for m in sources if m.country == source_country][:MAX_ACTORS_PER_SIDE]
    targets = [
        m
        for m in mentions
        if m not in sources
        and m.country
        and m.country != source_country
        and not _no_side(doc, _local(m, sentence))
        and not _in_other_clause(doc, sentence, m, sources, mentions)
    ]
    targets = _without_allies(doc, sentence, mentions, sources, targets)
    unique_targets = list(_first_of_each(targets).values())[:MAX_ACTORS_PER_SIDE]
    unique_sources = list(_first_of_each(sources).values())
    return [(s, t) for s in unique_sources for t in unique_targets]


def _first_of_each(mentions: list[ActorMention]) -> dict[str, ActorMention]:
    """The first mention of each actor ("a visit to the US ... with the US side": the
    first is the one the act is told with)."""
    first: dict[str, ActorMention] = {}
    for mention in mentions:
        first.setdefault(mention.actor.id, mention)
    return first


def _no_side(doc: Doc, span: tuple[int, int]) -> bool:
    """A mention that is no side of what happened: a thing characterised ("emphasizing
    Taiwan as a core interest", "regarding Taiwan as sovereign") or the goal of a purpose
    that is no act ("talks with allies to strengthen its resistance to China")."""
    words = doc.char_span(*span, alignment_mode="expand")
    if words is None:
        return False
    token = _climb(words.root, {"conj", "compound", "appos", "amod", "nmod", "poss"})
    if token.dep_ == "dobj" and any(
        child.dep_ == "prep" and child.lower_ == "as" for child in token.head.children
    ):
        return True
    return _in_purpose(token)


def _in_purpose(token: Token) -> bool:
    """Whether the word sits in an infinitive of purpose ("to strengthen its resistance to
    China") whose verb is no event cue: the aim of the act, not its counterpart."""
    head = token.head
    while head.pos_ not in ("VERB", "AUX") and head.dep_ != "ROOT":
        head = head.head
    if head.dep_ != "advcl" or stem(head.lower_) in _event_stems():
        return False
    children = list(head.children)
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in children) and not any(
        c.dep_ in SUBJECT_DEPS for c in children
    )


def _without_allies(
    doc: Doc,
    sentence: Sentence,
    mentions: list[ActorMention],
    sources: list[ActorMention],
    targets: list[ActorMention],
) -> list[ActorMention]:
    """Targets listed beside another mention of the source's side ("Sullivan said ... the
    leaders of the United States, Japan, India and Australia") are its partners, not its
    counterparts. Listed beside the source itself they are its partners too when some
    other target is there ("the US and Japan warned China"); alone, they are the other side
    of a mutual act ("Xi and Biden met")."""
    country = sources[0].country
    acting = {m.actor.id for m in sources}
    own = [m for m in mentions if m.country == country and m.actor.id not in acting]
    named = [m for m in mentions if m.actor.id in acting]  # the source, named again too
    beside_own = {id(m) for m in targets if any(_conjoined(doc, sentence, m, o) for o in own)}
    beside = {id(m) for m in targets if any(_conjoined(doc, sentence, m, o) for o in named)}
    others = [m for m in targets if id(m) not in beside_own | beside]
    if len(beside_own) >= 2:  # a list of three or more with the source's side in it
        targets = [m for m in targets if id(m) not in beside_own]
    return others or targets


def _in_other_clause(
    doc: Doc,
    sentence: Sentence,
    mention: ActorMention,
    sources: list[ActorMention],
    mentions: list[ActorMention],
) -> bool:
    """A mention inside a clause of its own whose subject is another agent, neither it nor
    the source's side: an actor or a pronoun of people ("Sullivan said ... that they had no
    illusions about China"; "Wang Wenbin said the US must stop arming Taiwan" keeps the US,
    the subject, but not Taiwan). A clause about a thing ("progress has been made during
    the visit of Blinken") or with the source's own side as its subject ("Blinken said the
    US would raise its concerns about China") leaves its actors to the main one."""
    words = doc.char_span(*_local(mention, sentence), alignment_mode="expand")
    if words is None:
        return False
    token = words.root
    verb = token.head
    while verb.pos_ not in ("VERB", "AUX") and verb.dep_ != "ROOT":
        verb = verb.head
    while verb.dep_ == "xcomp" and not _subject_words(verb):  # "must stop arming Taiwan"
        verb = verb.head
    if verb.dep_ not in ("ccomp", "advcl") or token in _subject_words(verb):
        return False
    subject = _subject_words(verb)
    if sources[0].actor.kind == "person" and {t.lower_ for t in subject} & set(PRONOUN_GENDER):
        return False  # the speaker himself: "Biden said he hopes to meet Xi"
    agents = [doc.char_span(*_local(m, sentence), alignment_mode="expand") for m in mentions]
    if not any(t.lower_ in PEOPLE_PRONOUNS for t in subject) and not any(
        found is not None and found.root in subject for found in agents
    ):
        return False
    # The source or its own side as the subject: "Blinken said the US would raise ...".
    side = sources[0].country
    for other in [*sources, *(m for m in mentions if m.country == side)]:
        found = doc.char_span(*_local(other, sentence), alignment_mode="expand")
        if found is None or found.root in subject:
            return False
    return True


def _subject_words(verb: Token) -> set[Token]:
    return {
        word
        for child in verb.children
        if child.dep_ in ("nsubj", "nsubjpass")
        for word in child.subtree
    }


def _conjoined(doc: Doc, sentence: Sentence, one: ActorMention, other: ActorMention) -> bool:
    a = doc.char_span(*_local(one, sentence), alignment_mode="expand")
    b = doc.char_span(*_local(other, sentence), alignment_mode="expand")
    if a is None or b is None:
        return False

    def top(token: Token) -> Token:
        while token.dep_ == "conj":
            token = token.head
        return token

    linked = a.root.dep_ == "conj" or b.root.dep_ == "conj"
    return linked and top(a.root) == top(b.root)


def _drop_appositives(
    doc: Doc, sentence: Sentence, mentions: list[ActorMention]
) -> list[ActorMention]:
    """Of two mentions in apposition, the less specific: "Pelosi, the most senior US
    official", "Yang Jiechi, member of the Political Bureau", "China's ambassador, Qin Gang"."""
    tokens = {id(m): doc.char_span(*_local(m, sentence), alignment_mode="expand") for m in mentions}
    dropped = set()
    for mention in mentions:
        words = tokens[id(mention)]
        if words is None:
            continue
        head = _appositive_head(words.root)
        for other in mentions:
            span = tokens[id(other)]
            if other is mention or span is None or head is None:
                continue
            if span.start <= head.i < span.end:
                rank = (
                    SPECIFICITY.get(mention.actor.kind, 5),
                    SPECIFICITY.get(other.actor.kind, 5),
                )
                if mention.actor == other.actor or rank[0] > rank[1]:
                    dropped.add(id(mention))
                elif rank[0] < rank[1]:
                    dropped.add(id(other))
                # else two different people: a list the parser read as apposition
    return [m for m in mentions if id(m) not in dropped]


def _appositive_head(token: Token) -> Token | None:
    """The word a mention is in apposition to, within a few steps up ("member of the
    Political Bureau" standing in apposition to "Yang Jiechi")."""
    for _ in range(6):  # "Liu Jianchao, head of the International Department of the CPC"
        if token.dep_ == "appos":
            return token.head
        if token.dep_ not in {"pobj", "prep", "compound", "amod", "poss", "nmod"}:
            return None
        token = token.head
    return None


def _is_subject(doc: Doc, span: tuple[int, int]) -> bool:
    """True when the mention heads, or is conjoined to, the subject of the sentence's root."""
    words = doc.char_span(*span, alignment_mode="expand")
    if words is None:
        return False
    token = _climb(words.root, {"conj", "compound", "appos", "poss", "amod", "nmod"})
    return token.dep_ in SUBJECT_DEPS and token.head.dep_ == "ROOT"


def _climb(token: Token, through: set[str]) -> Token:
    """The head a mention stands for: up through conjuncts and modifiers, and through "by"
    of a passive ("staged by US marines") or "of" after a subject ("a group of lawmakers")."""
    while True:
        if token.dep_ in through or (token.dep_ == "pobj" and token.head.dep_ == "agent"):
            token = token.head
        elif (
            token.dep_ == "pobj"
            and token.head.lower_ == "of"
            and token.head.head.lower_ in COLLECTIVES
        ):
            token = token.head.head
        else:
            return token


def _is_agent(doc: Doc, span: tuple[int, int]) -> bool:
    """True when the mention heads, or is conjoined to, the subject of any verb, or owns an
    event noun ("Blinken's visit to Beijing") or takes part in one ("the meeting between Xi
    and Biden")."""
    words = doc.char_span(*span, alignment_mode="expand")
    if words is None:
        return False
    token = _climb(words.root, {"conj", "compound", "appos", "amod", "nmod"})
    if token.dep_ == "poss":
        return stem(token.head.lower_) in _event_stems()
    if token.dep_ == "pobj" and token.head.lower_ == "between":  # "the meeting between X and Y"
        return stem(token.head.head.lower_) in _event_stems()
    return token.dep_ in SUBJECT_DEPS


@cache
def _event_stems() -> frozenset[str]:
    """Stems of the one-word event cues: nouns whose owner is their agent ("Blinken's visit")."""
    return frozenset(cue[0] for _, cue in lexicon() if len(cue) == 1)


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
    if coded.status != "happened":
        return coded.status
    if BACKGROUND_CUES.search(doc.text):
        return "background"
    if _explicit(when):
        return "background" if on is not None and when.date < on - BACKGROUND_AGE else "happened"
    if PAST_MEETING.search(doc.text) or _time_reference(doc, min(sides)[0]):
        return "background"
    return "happened"


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
