"""A cheap test, before the actor and event stages read an article, of whether it may name
actors of two countries: an event has two sides, so an article that cannot is not worth
the actor search, the pair model and the parse.

The test looks for the words of every alias (in their case, as the matcher does) and of
every role title (in any case) among the words of the text, and counts every country the
actor may act for on any day. The countries it finds are a superset of those of the
matcher's mentions, but for one kind: a misspelled name (the matcher's fuzzy search, which
this test is there to spare) that is the only mention of its country.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import cache

from dyadwatch.actors.catalogue import Actor, Catalogue
from dyadwatch.actors.resolve import ActorMatcher, default_matcher

WORD = re.compile(r"\w+")
# A name's words, and the countries it may stand for; kept under its longest word.
Entry = tuple[frozenset[str], frozenset[str]]


class CountryWords:
    """The catalogue's names and titles by word, with their countries."""

    def __init__(self, matcher: ActorMatcher) -> None:
        catalogue = matcher.catalogue
        actors = {a for found in matcher.by_alias.values() for a in found}
        by_title: dict[str, set[str]] = defaultdict(set)
        for actor in actors:
            for role in catalogue.roles_of(actor.id):
                by_title[role.title.lower()] |= _countries(catalogue, actor)
        self._names = _index(
            (alias, set().union(*(_countries(catalogue, a) for a in found)))
            for alias, found in matcher.by_alias.items()
        )
        self._titles = _index(by_title.items())

    def countries(self, text: str) -> set[str]:
        """Every country whose actors the text may name."""
        words = set(WORD.findall(text))
        found = _found(self._names, words)
        return found | _found(self._titles, {w.lower() for w in words})

    def two_countries(self, text: str) -> bool:
        return len(self.countries(text)) >= 2


def _countries(catalogue: Catalogue, actor: Actor) -> set[str]:
    """Every country an actor acts for: its own, and that of each role it ever held."""
    found = {role.country for role in catalogue.roles_of(actor.id)}
    return found | {actor.country} if actor.country else found


def _index(names: Iterable[tuple[str, set[str]]]) -> dict[str, list[Entry]]:
    index: dict[str, list[Entry]] = defaultdict(list)
    for name, countries in names:
        words = WORD.findall(name)
        if countries and words:
            index[max(words, key=len)].append((frozenset(words), frozenset(countries)))
    return dict(index)


def _found(index: dict[str, list[Entry]], words: set[str]) -> set[str]:
    found: set[str] = set()
    for word in words & index.keys():
        for needed, countries in index[word]:
            if needed <= words:
                found |= countries
    return found


@cache
def default_country_words() -> CountryWords:
    return CountryWords(default_matcher())


def may_name_two_countries(text: str) -> bool:
    """Whether the text may name actors of two countries (see the module's note)."""
    return default_country_words().two_countries(text)
