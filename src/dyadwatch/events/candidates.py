"""Candidate pairs: the pairs of actor mentions of two different sides that the pair coder
(``pair_model``) reads, each marked in the text it is read in, in the order of the text (one
reading tells the acts of either on the other).

In a sentence naming actors of two or more sides, every pair of them. A sentence naming one
side only ("China condemned the move") is not paired, though a sixth of the gold's events are
told so; measured on held-out pages, cross-validated by story:
- with the other side named in the sentence before, read together: one right event in 24;
- with the other side named first in the nearest of the three sentences before, written
  after the sentence as a country ("China condemned the move | United States"), the model
  refit with such pairs: recall 0.337 -> 0.380 but precision 0.602 -> 0.562 (at confidence
  0.7: 0.312 -> 0.337, 0.650 -> 0.602; status macro-F1 0.71 -> 0.62); kept only at 0.95 or
  more, no better than a higher threshold without them.

Each actor counts once per sentence (its first mention: "a visit to the US ... with the US
side" is told with the first), and a short form standing for an actor named before ("he",
"the ministry") is a source only: its referent is known, not what was said of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from dyadwatch.actors.resolve import ActorMention
from dyadwatch.events.pair_model import Marked, mark
from dyadwatch.nlp import Sentence

MAX_ACTORS_PER_SIDE = 3  # "Xi, Wang Yi and Qin Gang met Blinken": three sources, no more


@dataclass(frozen=True)
class Candidate:
    number: int  # the sentence's number in the article
    sentence: Sentence
    first: ActorMention  # offsets in the article body; first in the text read
    second: ActorMention
    marked: Marked

    def directions(self) -> list[tuple[ActorMention, ActorMention, bool]]:
        """(source, target, forward) of each way the act may go: a short form standing
        for an actor named before is never the target."""
        found = []
        if self.second.how != "coref":
            found.append((self.first, self.second, True))
        if self.first.how != "coref":
            found.append((self.second, self.first, False))
        return found


def candidates(told: list[tuple[Sentence, list[ActorMention]]]) -> list[Candidate]:
    """The candidate pairs of an article, given its sentences with their actor mentions."""
    return [
        Candidate(number, sentence, a, b, _marked(sentence, a, b))
        for number, (sentence, inside) in enumerate(told)
        for a, b in _pairs(_firsts(inside))
    ]


def _marked(sentence: Sentence, first: ActorMention, second: ActorMention) -> Marked:
    return mark(
        sentence.text,
        (first.start - sentence.start, first.end - sentence.start),
        (second.start - sentence.start, second.end - sentence.start),
    )


def _firsts(mentions: list[ActorMention]) -> list[ActorMention]:
    """The first mention of each actor with a side, at most a few actors a side."""
    first: dict[str, ActorMention] = {}
    for mention in mentions:
        if mention.country:
            first.setdefault(mention.actor.id, mention)
    per_side: dict[str, list[ActorMention]] = {}
    for mention in first.values():
        per_side.setdefault(str(mention.country), []).append(mention)
    kept = [m for side in per_side.values() for m in side[:MAX_ACTORS_PER_SIDE]]
    return sorted(kept, key=lambda m: m.start)


def _pairs(kept: list[ActorMention]) -> list[tuple[ActorMention, ActorMention]]:
    """Pairs of mentions of different sides, each in the order of the text."""
    return [
        (first, second)
        for i, first in enumerate(kept)
        for second in kept[i + 1 :]
        if first.country != second.country and first.end <= second.start
    ]
