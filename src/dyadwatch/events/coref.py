"""Short forms standing for an actor named just before, and each sentence's actors with them.

A sentence-opening "he"/"she" or "the secretary"/"the minister"/"the ministry" stands for the
one person (or office) named in the sentence or two before it, when that is unambiguous; a
sentence-opening "the group"/"the delegation"/"the team" for the one group of people ("the
Chinese delegation", "former US officials") named in the nearest of the three before it, when
no other group of people is in between; "It urged ..." for the body or country opening the
sentence before. Each is kept as an actor mention of its own (``how="coref"``), which can
only be a source.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from dyadwatch.actors.resolve import ActorMatcher, ActorMention
from dyadwatch.nlp import Sentence, sentences

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
# Two capitalised words that no actor covers may be a person the catalogue does not know
# ("Katrina Yu"): "she" after them is not safely anyone named before.
UNKNOWN_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:\s+[A-Z][a-z-]+)+\b")


def sentence_actors(
    body: str, matcher: ActorMatcher, on: date | None
) -> Iterator[tuple[Sentence, list[ActorMention]]]:
    """Each sentence of a body with its actor mentions, a short form standing for an actor
    named just before ("he", "the ministry") among them."""
    mentions = matcher.find(body, on)
    history: list[tuple[list[ActorMention], Sentence]] = []
    for sentence in sentences(body):
        inside = [m for m in mentions if sentence.start <= m.start and m.end <= sentence.end]
        anaphor = _anaphor(sentence, inside, history, matcher, on)
        if anaphor is not None:
            inside = sorted([*inside, anaphor], key=lambda m: m.start)
        history.append((inside, sentence))
        yield sentence, inside


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
