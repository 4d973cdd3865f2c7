"""When an event happened: dates written in a sentence, resolved against the article date.

Explicit dates ("June 19, 2023"), ranges ("January 8 to 9", "18-19 March"), days without a
year ("June 19", "on the 12th"), weekdays ("on Monday"), relative words ("yesterday", "last
week", "last November"), months and years. A day without a year takes the year that puts it
closest before the article date (or after it, when the sentence speaks of the future);
nothing in the sentence falls back to the article date itself.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9
MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
END = r"(?P<end>\d{1,2})(?:st|nd|rd|th)?"
YEAR = r"(?P<year>(?:19|20)\d{2})"
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
# Only firm signs of the future: "expected to be" is as often said of the past.
FUTURE = re.compile(r"\b(will|shall|plans? to|is scheduled to|are scheduled to|next)\b", re.I)
PATTERNS = [
    # ranges first, so that "18-19 March" is not read as the 19th alone
    ("range", rf"\b{MONTH}\s+{DAY}\s*(?:-|–|to|and)\s*{END}(?:,?\s+{YEAR})?\b"),
    ("range", rf"\b{DAY}\s*(?:-|–|to|and)\s*{END}\s+(?:of\s+)?{MONTH}(?:,?\s+{YEAR})?\b"),
    ("day", rf"\b{MONTH}\s+{DAY}(?:,?\s+{YEAR})?\b"),
    ("day", rf"\b{DAY}\s+(?:of\s+)?{MONTH}(?:,?\s+{YEAR})?\b"),
    ("iso", r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
    ("nth", r"\bon the (?P<day>\d{1,2})(?:st|nd|rd|th)\b"),
    ("weekday", r"\b(?P<which>last |next |this )?(?P<weekday>" + "|".join(WEEKDAYS) + r")\b"),
    ("relative", r"\b(?P<word>yesterday|today|tomorrow|last week|this week|next week|"
     r"earlier this month|last month|this month|next month)\b"),
    ("month", rf"\b(?P<which>last |next |this |in |since |until )?{MONTH}(?:\s+{YEAR})?\b"),
    ("year", rf"\b(?:in|since|during|of)\s+{YEAR}\b"),
]  # fmt: skip
COMPILED = [(kind, re.compile(pattern, re.I)) for kind, pattern in PATTERNS]


@dataclass(frozen=True)
class EventDate:
    date: datetime.date  # the (first) day
    precision: str  # "day", "week", "month", "year" or "article" (the article's own date)
    text: str | None  # the words that gave it; None for the fallback
    end: datetime.date | None = None  # last day of a range


def resolve_event_date(sentence: str, article_date: date | None) -> EventDate | None:
    """The date a sentence gives its event; None only when neither it nor the article has one."""
    future = bool(FUTURE.search(sentence))
    for kind, pattern in COMPILED:
        for match in pattern.finditer(sentence):
            found = _resolve(kind, match, article_date, future)
            if found is not None:
                return found
    if article_date is None:
        return None
    return EventDate(article_date, "article", None)


def _resolve(kind: str, match: re.Match[str], ref: date | None, future: bool) -> EventDate | None:
    parts = match.groupdict()
    text = match.group(0).strip()
    try:
        if kind in ("range", "day", "iso"):
            return _day_or_range(parts, text, ref, future)
        if kind == "nth" and ref is not None:
            return EventDate(_nearest_day_of_month(int(parts["day"]), ref, future), "day", text)
        if kind == "weekday" and ref is not None:
            return EventDate(_weekday(parts, ref, future), "day", text)
        if kind == "relative" and ref is not None:
            return _relative(parts["word"].lower(), ref, text)
        if kind == "month":
            return _month(parts, ref, future, text)
        if kind == "year":
            return EventDate(date(int(parts["year"] or 0), 1, 1), "year", text)
    except ValueError:  # "February 30": not a date after all
        return None
    return None


def _month_number(value: str) -> int:
    return int(value) if value.isdigit() else MONTHS[value.lower().rstrip(".")]


def _day_or_range(
    parts: dict[str, str | None], text: str, ref: date | None, future: bool
) -> EventDate | None:
    month, day = _month_number(parts["month"] or ""), int(parts["day"] or 0)
    if parts["year"]:
        first = date(int(parts["year"]), month, day)
    elif ref is not None:
        first = _nearest(lambda year: date(year, month, day), ref, future)
    else:
        return None
    last_day = parts.get("end")
    end = first.replace(day=int(last_day)) if last_day else None
    return EventDate(first, "day", text, end)


def _nearest(build: Callable[[int], date], ref: date, future: bool) -> date:
    """The date in the article's year, or the year before (after, for future events),
    whichever lies on the right side of the article date."""
    this_year = build(ref.year)
    if future:
        return this_year if this_year >= ref else build(ref.year + 1)
    return this_year if this_year <= ref else build(ref.year - 1)


def _nearest_day_of_month(day: int, ref: date, future: bool) -> date:
    candidate = ref.replace(day=day) if day <= calendar.monthrange(ref.year, ref.month)[1] else None
    if candidate is not None and (candidate >= ref if future else candidate <= ref):
        return candidate
    step = 1 if future else -1
    month, year = ref.month + step, ref.year
    if month == 0:
        month, year = 12, year - 1
    if month == 13:
        month, year = 1, year + 1
    return date(year, month, day)


def _weekday(parts: dict[str, str | None], ref: date, future: bool) -> date:
    target = WEEKDAYS[(parts["weekday"] or "").lower()]
    which = (parts["which"] or "").strip().lower()
    if which == "next" or (future and which != "last"):
        return ref + timedelta(days=(target - ref.weekday()) % 7 or 7)
    back = (ref.weekday() - target) % 7
    if which == "last" and back == 0:
        back = 7
    return ref - timedelta(days=back)


def _relative(word: str, ref: date, text: str) -> EventDate:
    if word in ("yesterday", "today", "tomorrow"):
        offset = {"yesterday": -1, "today": 0, "tomorrow": 1}[word]
        return EventDate(ref + timedelta(days=offset), "day", text)
    if word.endswith("week"):
        offset = {"last": -7, "this": 0, "next": 7}[word.split()[0]]
        monday = ref - timedelta(days=ref.weekday()) + timedelta(days=offset)
        return EventDate(monday, "week", text)
    first = ref.replace(day=1)
    if word in ("last month",):
        first = (first - timedelta(days=1)).replace(day=1)
    if word == "next month":
        first = (first + timedelta(days=32)).replace(day=1)
    return EventDate(first, "month", text)


def _month(
    parts: dict[str, str | None], ref: date | None, future: bool, text: str
) -> EventDate | None:
    month = _month_number(parts["month"] or "")
    if parts["year"]:
        return EventDate(date(int(parts["year"]), month, 1), "month", text)
    if ref is None or not (parts["which"] or "").strip():
        return None  # a bare "May" is too often not a month
    which = (parts["which"] or "").strip().lower()
    going_forward = which == "next" or (future and which != "last")
    first = _nearest(lambda year: date(year, month, 1), ref.replace(day=1), going_forward)
    if which == "last" and first == ref.replace(day=1):
        first = first.replace(year=first.year - 1)
    return EventDate(first, "month", text)
