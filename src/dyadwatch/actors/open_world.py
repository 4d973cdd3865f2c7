"""People the catalogue does not know, tied to a country by the words around their name, and
the short forms of the people an article has named.

A run of two or three capitalised words no actor covers is a person's name when the text ties
it to a country:

- after a country word, a group of a country or one of its bodies, and a title between:
  "Chinese Vice Foreign Minister Le Yucheng", "Chinese embassy spokesperson Liu Pengyu",
  "US Senator Josh Hawley";
- before an apposition that opens with one: "Michael Chong, a Canadian lawmaker,",
  "Katrina Yu, China's envoy".

The person acts for that country, in the sector of the title ("ambassador": diplomats) or of
the group, else the government. The country word or group that placed them is folded into
them, as a country word qualifying a known person is.

Later in the article one word of a named person's name ("Wang" after "Wang Yi", "Ms Mao"
after "Mao Ning", "Miller" after "Matthew Miller") stands for them, when it fits no other
person named so far.
"""

from __future__ import annotations

import re
from collections.abc import Container

import numpy as np
from spacy.attrs import IS_ALPHA, IS_TITLE
from spacy.tokens import Doc, Span, Token

from dyadwatch.actors.catalogue import Actor

# Head nouns of a person's title: a run of title words must hold one to make a name a person's.
PERSON_TITLES = {
    "minister", "president", "premier", "ambassador", "senator", "general", "admiral",
    "representative", "governor", "mayor", "chancellor", "adviser", "advisor", "commander",
    "spokesperson", "spokesman", "spokeswoman", "envoy", "secretary", "chairman",
    "chairwoman", "chair", "director", "chief", "official", "diplomat", "lawmaker",
    "congressman", "congresswoman", "leader", "speaker", "consul", "attaché", "counsellor",
    "counselor", "negotiator", "czar", "colonel", "captain", "commissioner", "officer",
    "head", "king", "queen", "prince", "emperor", "sheikh", "emir", "dictator",
}  # fmt: skip
# The sector a title's head noun tells, where the sector nouns (plural, mostly) do not.
TITLE_SECTORS = {
    "ambassador": "DIP", "envoy": "DIP", "consul": "DIP", "diplomat": "DIP", "attaché": "DIP",
    "counsellor": "DIP", "counselor": "DIP", "senator": "LEG", "lawmaker": "LEG",
    "congressman": "LEG", "congresswoman": "LEG", "representative": "LEG", "general": "MIL",
    "admiral": "MIL", "commander": "MIL", "colonel": "MIL", "captain": "MIL",
}  # fmt: skip
TITLE_REACH = 6  # title words at most between the country and the name
APPOSITION_REACH = 3  # words at most between ", a" and the country word of the apposition
ARTICLES = {"a", "an", "the"}
TITLE_GLUE = {"of", "for", "the", "-", "'s", "’s"}  # "Secretary of State", "China's"
NOT_NAMES = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december", "the", "this", "that", "new", "year", "day", "house", "office",
    "ministry", "department", "council", "committee", "party", "republic", "state", "states",
    "affairs", "commission", "agency", "bureau", "force", "army", "navy", "guard",
}  # fmt: skip
SLUG = re.compile(r"[^a-z0-9]+")


# A matched mention: its span, actor, country and sector.
Found = tuple[Span, Actor, str | None, str | None]


def tied_people(
    doc: Doc,
    found: list[Found],
    sector_of_title: dict[str, str],
    title_words: set[str],
    places: Container[str],
) -> list[tuple[Span, Actor, Span | None]]:
    """People named beside a country tie the catalogue lacks: (name span, the new actor,
    the span of the country word or group folded into them, or None for a body).

    ``found`` holds the matched mentions in text order; ``sector_of_title`` maps a lowercase
    noun to its sector; ``title_words`` are the lowercase words titles are made of, which
    no name holds; a name in ``places`` is none."""
    covered = {i for span, *_ in found for i in range(span.start, span.end)}
    vocabulary = title_words | PERSON_TITLES
    people = []
    for start, end in _name_runs(doc, covered, vocabulary):
        name = doc[start:end]
        tied = _tie_before(doc, start, found, vocabulary) or _apposition(
            doc, end, found, vocabulary
        )
        if tied is None or name.text in places:
            continue
        (span, actor, country, sector), title = tied
        if country is None:
            continue
        sector = sector or _title_sector(title, sector_of_title) or "GOV"
        person = Actor(
            f"person:~{country}:{_slug(name.text)}", name.text, "person", country, sector,
            (name.text,),
        )  # fmt: skip
        people.append((name, person, span if actor.kind in ("country", "group") else None))
        found = sorted([*found, (name, person, country, sector)], key=lambda f: f[0].start)
    return people


def _name_runs(doc: Doc, covered: set[int], title_words: set[str]) -> list[tuple[int, int]]:
    """Runs of two or three capitalised words that no mention covers, none a title's."""
    named = {i for i in capitalised(doc) if _name_word(doc[i], covered, title_words)}
    runs: list[tuple[int, int]] = []
    for i in sorted(named):
        if i - 1 in named and runs and runs[-1][1] == i and i - runs[-1][0] < 3:
            runs[-1] = (runs[-1][0], i + 1)
        elif i + 1 in named:
            runs.append((i, i + 1))
    return [run for run in runs if run[1] - run[0] >= 2]


def capitalised(doc: Doc) -> list[int]:
    """Indexes of the capitalised words of a doc (read from its arrays: building every
    token to ask would cost more than the rest of the search)."""
    flags = doc.to_array([IS_TITLE, IS_ALPHA])
    return [int(i) for i in np.flatnonzero((flags[:, 0] > 0) & (flags[:, 1] > 0))]


def _name_word(token: Token, covered: set[int], title_words: set[str]) -> bool:
    return (
        token.i not in covered
        and token.is_title
        and token.is_alpha
        and len(token) > 1
        and token.lower_ not in NOT_NAMES
        and token.lower_ not in title_words
    )


def _tie_before(
    doc: Doc, start: int, found: list[Found], title_words: set[str]
) -> tuple[Found, list[Token]] | None:
    """The country, group or body just before a name, with only a title between, which
    (or the group) holds a person's title noun: "Chinese Vice Foreign Minister Le Yucheng",
    "Chinese embassy spokesperson Liu Pengyu"."""
    before = [f for f in found if f[0].end <= start]
    if not before:
        return None
    tie = before[-1]
    words = [t for t in doc[tie[0].end : start] if not t.is_space]
    if len(words) > TITLE_REACH or tie[1].kind == "person":
        return None
    if not all(t.lower_ in title_words | TITLE_GLUE for t in words):
        return None
    title = [*tie[0], *words]  # "Chinese embassy spokesperson" holds its title
    return (tie, title) if any(t.lower_ in PERSON_TITLES for t in title) else None


def _apposition(
    doc: Doc, end: int, found: list[Found], title_words: set[str]
) -> tuple[Found, list[Token]] | None:
    """The country word opening an apposition after a name: "Michael Chong, a Canadian
    lawmaker", "Xie Feng, China's ambassador to the US"."""
    if end >= len(doc) or doc[end].text != ",":
        return None
    i = end + 1
    if i < len(doc) and doc[i].lower_ in ARTICLES:
        i += 1
    after = next((f for f in found if f[0].start >= i), None)
    if after is None or after[0].start - i > APPOSITION_REACH or after[1].kind == "person":
        return None
    if any(not t.is_alpha for t in doc[i : after[0].start]):
        return None
    title = [*after[0], *doc[after[0].end : after[0].end + 4]]
    if not any(t.lower_ in PERSON_TITLES for t in title):
        return None
    if _name_follows(doc, after[0].end, title_words):
        return None  # the next item of a list: "Yuri Ushakov, U.S. Special Envoy Steve Witkoff"
    return after, title


def _name_follows(doc: Doc, i: int, title_words: set[str]) -> bool:
    """Whether a name follows the words of a title from token ``i`` on."""
    while i < len(doc) and doc[i].lower_ in title_words | TITLE_GLUE:
        i += 1
    return i < len(doc) and _name_word(doc[i], set(), title_words)


def _title_sector(words: list[Token], sector_of_title: dict[str, str]) -> str | None:
    """The sector the first title noun among the words tells."""
    for token in words:
        sector = TITLE_SECTORS.get(token.lower_) or sector_of_title.get(token.lower_)
        if sector is not None and token.lower_ in PERSON_TITLES | set(TITLE_SECTORS):
            return sector
    return None


def _slug(name: str) -> str:
    return SLUG.sub("-", name.lower()).strip("-")


def short_form_of(token_text: str, named: list[Actor]) -> Actor | None:
    """The one person named so far whose name opens or ends with this word."""
    fitting = {
        actor.id: actor
        for actor in named
        if actor.kind == "person"
        and len(parts := actor.name.split()) >= 2
        and token_text in (parts[0], parts[-1])
    }
    return next(iter(fitting.values())) if len(fitting) == 1 else None
