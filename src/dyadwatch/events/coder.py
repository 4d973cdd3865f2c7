"""Code one article: who did what to whom, when and where, sentence by sentence.

Actors are found in the whole body once; the dependency parse runs only on sentences naming
actors of two different countries, which is where dyadic events can be.

A sentence-opening "he"/"she" or "the secretary"/"the minister"/"the ministry" stands for the
one person (or office) named in the sentence or two before it, when that is unambiguous; it
is kept as an actor mention of its own (``how="coref"``) and can only be a source, as the
subject of its sentence. No event is taken from a sentence that prescribes rather than
reports ("the US should respect ...", the writer's opinion), from one where no actor is
an agent of any verb, or when the type rests on no cue word and little confidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from spacy.tokens import Doc, Token

from dyadwatch.actors.resolve import ActorMatcher, ActorMention, default_matcher
from dyadwatch.events.classify import EventType, classify, lexicon, stem, without_evidence
from dyadwatch.events.dates import EventDate, resolve_event_date
from dyadwatch.events.places import Place, event_place
from dyadwatch.nlp import Sentence, parse, sentences

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj", "agent"}
# A root verb with one of these is the writer prescribing, not a report: "the US should ...".
PRESCRIPTIVE = {"should", "must", "ought"}
# Sentence-opening short forms, after an introductory phrase at most ("On Friday, he said").
ANAPHOR = re.compile(
    r"^(?:[A-Z][\w'’ -]{0,40},\s+)?(?:(?:But|And|However|Later|Then|There)\s+)?"
    r"(?P<form>[Hh]e|[Ss]he|[Tt]he(?:\s+(?:top|chief|senior|former|new|foreign|then))?\s+"
    r"(?P<noun>secretary|minister|president|premier|ambassador|envoy|spokesman|spokeswoman"
    r"|spokesperson|diplomat|chancellor|adviser|leader|ministry|department))\b"
)
OFFICES = {"ministry", "department"}  # short forms of an agency, the others of a person
COREF_WINDOW = 2  # sentences looked back for the antecedent
PRONOUN_GENDER = {"he": "m", "she": "f"}
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
    matcher = matcher or default_matcher()
    mentions = matcher.find(body, roles_on or on)
    found: list[EventMention] = []
    every: list[ActorMention] = []
    # The sentences read so far, each with its actor mentions.
    history: list[tuple[list[ActorMention], Sentence]] = []
    for sentence in sentences(body):
        inside = [m for m in mentions if sentence.start <= m.start and m.end <= sentence.end]
        anaphor = _anaphor(sentence, inside, history, matcher, roles_on or on)
        if anaphor is not None:
            inside = sorted([*inside, anaphor], key=lambda m: m.start)
        history.append((inside, sentence))
        every += inside
        if len({m.country for m in inside if m.country}) >= 2:
            found += _code_sentence(sentence, inside, on)
    return ArticleCoding(every, found)


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
    for earlier, words in reversed(history[-COREF_WINDOW:]):
        fitting = {m.actor.id: m for m in earlier if _fits(m, noun, matcher, on)}
        if noun in PRONOUN_GENDER and _unknown_name(words.text, earlier, words.start):
            return None  # someone the catalogue does not know may be meant
        if fitting:
            if len(fitting) > 1:
                return None
            (antecedent,) = fitting.values()
            return ActorMention(
                start, end, text, antecedent.actor, antecedent.country, antecedent.sector, "coref"
            )
    return None


def _fits(mention: ActorMention, noun: str, matcher: ActorMatcher, on: date | None) -> bool:
    actor = mention.actor
    if noun in OFFICES:
        return actor.kind == "agency" and noun in actor.name.lower()
    if actor.kind != "person":
        return False
    if noun in PRONOUN_GENDER:  # "he", "she": only someone known to be so
        return actor.gender == PRONOUN_GENDER[noun]
    titles = [role.title.lower() for role in matcher.catalogue.roles_of(actor.id, on)]
    return any(noun in title.split() for title in titles)


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
    when = resolve_event_date(sentence.text, on)
    spans = [_local(m, sentence) for m in mentions if m.how != "coref"]
    where = event_place(sentence.text, spans)
    for source, target in _pairs(doc, sentence, mentions):
        if _prescribed(doc, _local(source, sentence)):
            continue
        coded = classify(sentence.text, _local(source, sentence), _local(target, sentence))
        if coded is not None and not without_evidence(coded):
            status = _status(coded, sentence.text, when, on)
            yield EventMention(source, target, coded, status, when, where, sentence)


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
        m for m in mentions if m not in sources and m.country and m.country != source_country
    ]
    unique_targets = list({m.actor.id: m for m in targets}.values())[:MAX_ACTORS_PER_SIDE]
    unique_sources = list({m.actor.id: m for m in sources}.values())
    return [(s, t) for s in unique_sources for t in unique_targets]


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
    for _ in range(4):
        if token.dep_ == "appos":
            return token.head
        if token.dep_ not in {"pobj", "prep", "compound", "amod", "poss"}:
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


def _status(coded: EventType, text: str, when: EventDate | None, on: date | None) -> str:
    if coded.status != "happened":
        return coded.status
    if BACKGROUND_CUES.search(text):
        return "background"
    explicit = when is not None and when.precision != "article"
    if explicit and on is not None and when is not None and when.date < on - BACKGROUND_AGE:
        return "background"
    return "happened"
