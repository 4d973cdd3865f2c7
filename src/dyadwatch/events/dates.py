"""When an event happened: dates written in a sentence, resolved against the article date.

Explicit dates ("June 19, 2023", "19 June 2023", "2023-06-19", "Jun 19"), ranges ("January 8
to 9", "18-19 March", "March 30-April 2", "from Sunday to Monday"), days of the month ("on
the 12th"), weekdays ("on Monday"), relative words ("yesterday", "last week", "earlier this
month", "last November"), months ("in March") and years ("in 2020"). A date without a year
takes the year that puts it closest before, or at, the article date; after it when the
sentence speaks of the future ("will", "next Monday"). Nothing in the sentence: the article
date itself, precision "article".

Precisions: "day", "week" ("last week": the Monday that starts it), "month" (its first day),
"year" (1 January) and "article". Firmer forms win over vaguer ones wherever they stand,
except that a date of the telling ("its ministry said on Tuesday"), which is past whatever
the sentence says will come, and a date bounding what was decided ("duties on barley from
May 19", "effective Oct. 14") are the event's only where the sentence gives no other. The
page's own date opening a sentence ("date 2024-11-17 Biden and Xi ...", a dateline) dates
the article, not the event.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import MO, relativedelta, weekday

from dyadwatch.extract.text_meta import opening_stamp

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9
MONTH_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
WEEKDAY_WORDS = "|".join(WEEKDAYS)


def _month(group: str) -> str:
    return rf"(?P<{group}>{MONTH_WORDS})\.?"


def _day(group: str) -> str:
    return rf"(?P<{group}>\d{{1,2}})(?:st|nd|rd|th)?"


MONTH, MONTH2, DAY, END = _month("month"), _month("month2"), _day("day"), _day("end")
YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d{2}))?"
DASH = r"\s*(?:-|–|—|to|through)\s*"
# Only firm signs of the future: "expected to be" is as often said of the past, and "next"
# is read where it stands ("next Monday"), not as a mood of the whole sentence.
FUTURE = re.compile(
    r"\b(will|shall|plans? to|(?:is|are) (?:scheduled|set|due) to|(?:is|are) due (?:in|at|on)"
    r"|would (?:meet|visit|travel|go|hold|sign))\b",
    re.I,
)
PATTERNS = [
    # ranges before single days, so that "18-19 March" is not read as the 19th alone
    ("range", rf"\b{MONTH}\s+{DAY}{DASH}{MONTH2}\s+{END}{YEAR}\b"),
    ("range", rf"\b{DAY}\s+{MONTH}{DASH}{END}\s+{MONTH2}{YEAR}\b"),
    ("range", rf"\b{MONTH}\s+{DAY}{DASH}{END}{YEAR}\b"),
    ("range", rf"\b{DAY}(?:{DASH}|\s+and\s+){END}\s+(?:of\s+)?{MONTH}{YEAR}\b"),
    ("day", rf"\b{MONTH}\s+{DAY}{YEAR}\b"),
    ("day", rf"\b{DAY}\s+(?:of\s+)?{MONTH}{YEAR}\b"),
    ("day", r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
    ("nth", r"\bon the (?P<day>\d{1,2})(?:st|nd|rd|th)\b"),
    ("weekdays", rf"\b(?P<weekday>{WEEKDAY_WORDS}){DASH}(?P<weekday2>{WEEKDAY_WORDS})\b"),
    ("weekday", rf"\b(?P<which>last |next |this |on )?(?P<weekday>{WEEKDAY_WORDS})\b"),
    ("relative", r"\b(?P<word>yesterday|today|tomorrow|(?:last|this|next) (?:week|month|year)"
     r"|earlier this (?:week|month|year))\b"),
    ("month", rf"\b(?P<which>(?:last|next|this|in|since|until|during|by)\s+"
     rf"(?:(?:early|late|mid)[\s-]+)?){MONTH}(?:\s+(?P<year>(?:19|20)\d{{2}}))?\b"),
    ("month", rf"\b{MONTH}\s+(?P<year>(?:19|20)\d{{2}})\b"),
    ("year", r"\b(?:in|since|during|of|by)\s+(?P<year>(?:19|20)\d{2})\b"),
]  # fmt: skip
COMPILED = [(kind, re.compile(pattern, re.I)) for kind, pattern in PATTERNS]
# The words just before a date that make it the telling's or a bound's; a range is neither.
REPORTED = re.compile(
    r"\b(?:said|says|announced|told(?:\s+\w+){0,2}|added|stated|confirmed|declared|reported)"
    r"\s+(?:on\s+)?$",
    re.I,
)
BOUND = re.compile(
    r"\b(?:from|effective|starting|beginning|after|until|till|before|by|ahead of)\s+(?:on\s+)?$",
    re.I,
)
PLAIN, REPORTED_TIER, BOUND_TIER = 0, 1, 2  # which date a sentence gives first
Parts = dict[str, str | None]


@dataclass(frozen=True)
class EventDate:
    date: datetime.date  # the (first) day
    precision: str  # "day", "week", "month", "year" or "article" (the article's own date)
    text: str | None  # the words that gave it; None for the fallback
    end: datetime.date | None = None  # last day of a range


def resolve_event_date(sentence: str, article_date: date | None) -> EventDate | None:
    """The date a sentence gives its event; None only when neither it nor the article has one."""
    stamp = opening_stamp(sentence)
    if stamp is not None:
        sentence = sentence[stamp[0] :]
        article_date = article_date or date.fromisoformat(stamp[1])
    future = bool(FUTURE.search(sentence))
    found: dict[int, EventDate] = {}
    for kind, pattern in COMPILED:
        for match in pattern.finditer(sentence):
            tier = _tier(kind, sentence[: match.start()])
            if tier not in found:
                resolved = _resolve(kind, match, article_date, future and tier != REPORTED_TIER)
                if resolved is not None:
                    found[tier] = resolved
        if PLAIN in found:
            return found[PLAIN]
    if found:
        return found[min(found)]
    if article_date is None:
        return None
    return EventDate(article_date, "article", None)


def _tier(kind: str, before: str) -> int:
    if kind in ("range", "weekdays"):
        return PLAIN
    if REPORTED.search(before[-40:]):
        return REPORTED_TIER
    return BOUND_TIER if BOUND.search(before[-30:]) else PLAIN


def _resolve(kind: str, match: re.Match[str], ref: date | None, future: bool) -> EventDate | None:
    parts, text = match.groupdict(), match.group(0).strip()
    try:
        if kind in ("range", "day"):
            return _day_or_range(parts, text, ref, future)
        if kind == "month":
            return _month_of(parts, ref, future, text)
        if kind == "year":
            return EventDate(date(int(parts["year"] or 0), 1, 1), "year", text)
        if ref is None:
            return None  # the rest is relative to the article date
        if kind == "nth":
            return EventDate(_day_of_month(int(parts["day"] or 0), ref, future), "day", text)
        if kind == "weekday":
            return EventDate(_weekday(parts, ref, future), "day", text)
        if kind == "weekdays":
            return _weekdays(parts, ref, future, text)
        return _relative((parts["word"] or "").lower(), ref, text)
    except (ValueError, OverflowError):  # "February 30", or past the calendar's ends
        return None


def _month_number(value: str | None) -> int:
    value = value or ""
    return int(value) if value.isdigit() else MONTHS[value.lower().rstrip(".")]


def _day_or_range(parts: Parts, text: str, ref: date | None, future: bool) -> EventDate | None:
    month, day = _month_number(parts["month"]), int(parts["day"] or 0)
    if parts["year"]:
        first = date(int(parts["year"]), month, day)
    elif ref is not None:
        first = _nearest(lambda year: date(year, month, day), ref, future)
    else:
        return None
    if not parts.get("end"):
        return EventDate(first, "day", text)
    last_month = _month_number(parts["month2"]) if parts.get("month2") else month
    end = date(first.year + (last_month < month), last_month, int(parts["end"] or 0))
    if not first < end <= first + timedelta(days=31):
        raise ValueError("not a range")  # "March 5-3": read the first day alone instead
    return EventDate(first, "day", text, end)


def _nearest(build: Callable[[int], date], ref: date, future: bool) -> date:
    """The date in the article's year, or the year before (after, for future events),
    whichever lies on the right side of the article date."""
    this_year = build(ref.year)
    if future:
        return this_year if this_year >= ref else build(ref.year + 1)
    return this_year if this_year <= ref else build(ref.year - 1)


def _day_of_month(day: int, ref: date, future: bool) -> date:
    """The closest such day not after the article date (not before it, for the future)."""
    step = relativedelta(months=1 if future else -1)
    month = ref.replace(day=1)
    for _ in range(3):  # a 31st may skip a short month, never two in a row
        if day <= calendar.monthrange(month.year, month.month)[1]:
            candidate = month.replace(day=day)
            if (candidate >= ref) if future else (candidate <= ref):
                return candidate
        month += step
    raise ValueError(f"no day {day} in a month")


def _weekday(parts: Parts, ref: date, future: bool) -> date:
    """ "on Monday": the latest Monday up to the article date; "next Monday" (or one the
    sentence says will come): the first Monday after it; "last Monday": strictly before."""
    target = WEEKDAYS[(parts["weekday"] or "").lower()]
    which = (parts["which"] or "").strip().lower()
    if which == "next" or (future and which != "last"):
        return ref + relativedelta(days=1, weekday=weekday(target, +1))
    if which == "last":
        return ref + relativedelta(days=-1, weekday=weekday(target, -1))
    return ref + relativedelta(weekday=weekday(target, -1))


def _weekdays(parts: Parts, ref: date, future: bool, text: str) -> EventDate:
    """ "From Sunday to Monday": the last such days up to the article date; for the future,
    the first such days after it."""
    first_day, last_day = (WEEKDAYS[(parts[key] or "").lower()] for key in ("weekday", "weekday2"))
    span = timedelta(days=(last_day - first_day) % 7 or 7)
    if future:
        first = _weekday({"which": "next", "weekday": parts["weekday"]}, ref, future)
        return EventDate(first, "day", text, first + span)
    last = _weekday({"which": None, "weekday": parts["weekday2"]}, ref, future)
    return EventDate(last - span, "day", text, last)


def _relative(word: str, ref: date, text: str) -> EventDate:
    if word in ("yesterday", "today", "tomorrow"):
        offset = {"yesterday": -1, "today": 0, "tomorrow": 1}[word]
        return EventDate(ref + timedelta(days=offset), "day", text)
    step = {"last": -1, "next": 1}.get(word.split()[0], 0)
    unit = word.split()[-1]
    if unit == "week":
        monday = ref + relativedelta(weeks=step, weekday=MO(-1))
        return EventDate(monday, "week", text)
    if unit == "month":
        return EventDate(ref.replace(day=1) + relativedelta(months=step), "month", text)
    return EventDate(date(ref.year + step, 1, 1), "year", text)


def _month_of(parts: Parts, ref: date | None, future: bool, text: str) -> EventDate | None:
    month = _month_number(parts["month"])
    if parts["year"]:
        return EventDate(date(int(parts["year"]), month, 1), "month", text)
    if ref is None:
        return None
    which = next(iter((parts.get("which") or "").lower().split()), "")
    going_forward = which == "next" or (future and which != "last")
    first = _nearest(lambda year: date(year, month, 1), ref.replace(day=1), going_forward)
    if which in ("last", "next") and first == ref.replace(day=1):
        first += relativedelta(years=1 if which == "next" else -1)  # "last May", said in May
    return EventDate(first, "month", text)
