"""Code one article: who did what to whom, when and where, sentence by sentence.

Actors are found in the whole body once; the dependency parse runs only on sentences naming
actors of two different countries, which is where dyadic events can be.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from spacy.tokens import Doc, Token

from dyadwatch.actors.resolve import ActorMatcher, ActorMention, default_matcher
from dyadwatch.events.classify import EventType, classify
from dyadwatch.events.dates import EventDate, resolve_event_date
from dyadwatch.events.places import Place, event_place
from dyadwatch.nlp import Sentence, parse, sentences

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj", "agent"}
MAX_ACTORS_PER_SIDE = 2  # "Blinken and Sullivan met Yang and Wang": four events, no more
# An event told as history rather than news: "the two leaders last met in Bali".
BACKGROUND_CUES = re.compile(
    r"\b(last|previously|earlier|first)\s+(met|visited|held|spoke|talked)\b"
    r"|\b(in|during) the past\b",
    re.IGNORECASE,
)
BACKGROUND_AGE = timedelta(days=30)  # an explicit event date this much older than the article


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
    mentions = (matcher or default_matcher()).find(body, roles_on or on)
    found: list[EventMention] = []
    for sentence in sentences(body):
        inside = [m for m in mentions if sentence.start <= m.start and m.end <= sentence.end]
        if len({m.country for m in inside if m.country}) >= 2:
            found += _code_sentence(sentence, inside, on)
    return ArticleCoding(mentions, found)


def _code_sentence(
    sentence: Sentence, mentions: list[ActorMention], on: date | None
) -> Iterator[EventMention]:
    doc = parse(sentence.text)
    when = resolve_event_date(sentence.text, on)
    spans = [_local(m, sentence) for m in mentions]
    where = event_place(sentence.text, spans)
    for source, target in _pairs(doc, sentence, mentions):
        coded = classify(sentence.text, _local(source, sentence), _local(target, sentence))
        if coded is not None:
            status = _status(coded, sentence.text, when, on)
            yield EventMention(source, target, coded, status, when, where, sentence)


def _pairs(
    doc: Doc, sentence: Sentence, mentions: list[ActorMention]
) -> list[tuple[ActorMention, ActorMention]]:
    """Sources are the grammatical subjects (else the first actor); targets the others."""
    subjects = [m for m in mentions if _is_subject(doc, _local(m, sentence))]
    sources = subjects or mentions[:1]
    source_country = sources[0].country
    sources = [m for m in sources if m.country == source_country][:MAX_ACTORS_PER_SIDE]
    targets = [
        m for m in mentions if m not in sources and m.country and m.country != source_country
    ]
    unique_targets = list({m.actor.id: m for m in targets}.values())[:MAX_ACTORS_PER_SIDE]
    unique_sources = list({m.actor.id: m for m in sources}.values())
    return [(s, t) for s in unique_sources for t in unique_targets]


def _is_subject(doc: Doc, span: tuple[int, int]) -> bool:
    """True when the mention heads, or is conjoined to, the subject of the sentence's root."""
    words = doc.char_span(*span, alignment_mode="expand")
    if words is None:
        return False
    token: Token = words.root
    while token.dep_ in {"conj", "compound", "appos", "poss", "amod", "nmod"}:
        token = token.head
    return token.dep_ in SUBJECT_DEPS and token.head.dep_ == "ROOT"


def _local(mention: ActorMention, sentence: Sentence) -> tuple[int, int]:
    return mention.start - sentence.start, mention.end - sentence.start


def _status(coded: EventType, text: str, when: EventDate | None, on: date | None) -> str:
    if coded.status != "happened":
        return coded.status
    if BACKGROUND_CUES.search(text):
        return "background"
    explicit = when is not None and when.precision != "article"
    if explicit and on is not None and when is not None and when.date < on - BACKGROUND_AGE:
        return "background"
    return "happened"
