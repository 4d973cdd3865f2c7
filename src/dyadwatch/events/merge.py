"""When two event mentions report the same real event, so counts are not inflated.

Same event: same PLOVER type, same actors (in either order for mutual acts such as meetings
and agreements), dates close enough for the precision they carry, and places that do not
contradict each other. A denial ("did not meet") is never merged with the meeting it denies.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dyadwatch.events.places import wide_places

MUTUAL_TYPES = {"CONSULT", "AGREE", "COOPERATE"}
WINDOW = {
    "day": timedelta(days=3),
    "week": timedelta(days=7),
    "article": timedelta(days=7),
    "story": timedelta(days=7),  # an undated article's news, dated by the story it joined
}
# Two dates that agree (``dates_agree``) are never farther apart than this (the same year).
FARTHEST = timedelta(days=365)
# A plan later told as past (as news or as background) took place.
STATUS_RANK = {"happened": 3, "background": 2, "planned": 1, "negated": 0}
# Farther apart than this, two towns are two happenings; the Filoli estate and San Francisco
# (40 km), where the press reports a summit from, are one.
NEAR_KM = 150
EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Location:
    name: str
    country: str | None
    lat: float | None
    lon: float | None


def merge_key(event_type: str, source_actor: str, target_actor: str) -> tuple[str, str, str]:
    if event_type in MUTUAL_TYPES:
        source_actor, target_actor = sorted((source_actor, target_actor))
    return event_type, source_actor, target_actor


def dates_agree(
    known: date | None, known_precision: str, new: date | None, new_precision: str
) -> bool:
    """Whether two mention dates can be the same happening (an unknown date fits any). A
    month or a year holds the days inside it ("in 2022" is not November 2021); nearer
    precisions are compared within their window."""
    if known is None or new is None:
        return True
    if "year" in (known_precision, new_precision):
        return known.year == new.year
    if "month" in (known_precision, new_precision):
        return (known.year, known.month) == (new.year, new.month)
    coarser = max(WINDOW[known_precision], WINDOW[new_precision])
    return abs(known - new) <= coarser


def statuses_agree(known: str, new: str) -> bool:
    return (known == "negated") == (new == "negated")


def stronger_status(known: str, new: str) -> str:
    """A planned meeting later reported as held (or retold) is one event that took place."""
    return max(known, new, key=STATUS_RANK.__getitem__)


def strengthened(known: Mapping[str, Any], fresh: Mapping[str, Any]) -> dict[str, Any]:
    """What a stored event takes from a new mention of it (or an event merged into it), both
    as event columns: the firmer status, a date where it had none, a day where it had a
    rougher one or a range of days holding it (a summit's two days, then "met on Saturday"),
    a place where it had none."""
    changes: dict[str, Any] = {"status": stronger_status(known["status"], fresh["status"])}
    if (
        known["date"] is None
        or (known["date_precision"] != "day" and fresh["date_precision"] == "day")
        or _narrows(known, fresh)
    ):
        changes |= {key: fresh[key] for key in ("date", "date_end", "date_precision")}
    if known["location_name"] is None and fresh["location_name"]:
        changes |= {key: fresh[key] for key in ("location_name", "location_country", "lat", "lon")}
    return changes


def _narrows(known: Mapping[str, Any], fresh: Mapping[str, Any]) -> bool:
    """Whether a new single day lies within the stored range of days (ISO dates)."""
    if known["date_end"] is None or fresh["date_precision"] != "day" or fresh["date_end"]:
        return False
    return bool(known["date"] <= fresh["date"] <= known["date_end"])


def fits(row: Any, status: str, day: date | None, precision: str, place: Location | None) -> bool:
    """Whether a stored event (a row of its columns) can be the happening told with this
    status, date and place."""
    return (
        statuses_agree(row.status, status)
        and dates_agree(_day(row.date), row.date_precision, day, precision)
        and places_agree(event_location(row), place)
    )


def event_location(row: Any) -> Location | None:
    """A stored event's place, from its columns."""
    if row.location_name is None:
        return None
    return Location(row.location_name, row.location_country, row.lat, row.lon)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def places_agree(known: Location | None, new: Location | None) -> bool:
    """Whether two event places can be where one happening took place (a missing one fits
    any); a country or region is only compared by its country."""
    if known is None or new is None:
        return True
    if known.country and new.country and known.country != new.country:
        return False
    if known.name in wide_places() or new.name in wide_places():
        return True
    if known.lat is None or known.lon is None or new.lat is None or new.lon is None:
        return True
    return distance_km(known.lat, known.lon, new.lat, new.lon) <= NEAR_KM


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))
