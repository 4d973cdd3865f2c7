"""Title, byline, date and outlet of a plain-text scrape, read from its own lines.

General cues only: a title is a short line without a final period near the top, often
repeated (breadcrumb, headline, share text); a "Published:" line or a byline date is firm
evidence, a bare date line next to the title fair, and a date line away from the title weak
(sites print today's date in their header); an e-mail at the end or a site name repeated in
the menus names the outlet; "The author is ..." closes the body and names the author.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from dateutil import parser as dateutil_parser

from dyadwatch.models import DateEvidence

MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# Each pattern with whether its numbers read day first.
DATE_PATTERNS = [
    # June 19, 2023 (no word boundary before: bylines glue it on, "By X TimesDecember 16")
    (re.compile(rf"{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}", re.I), False),
    # 19 June 2023, 10. august 2020, 29-Jun-2019
    (
        re.compile(
            rf"\b\d{{1,2}}(?:st|nd|rd|th|\.)?(?:\s+|-)(?:of\s+)?{MONTH},?(?:\s+|-)\d{{4}}", re.I
        ),
        True,
    ),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), False),  # 2023-06-19
    (re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b"), True),  # 13.01.2024
    (re.compile(r"\b\d{1,2}-\d{1,2}-\d{4}\b"), True),  # 24-08-2023
    (re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b"), False),  # 06/19/2023 (as in US pages)
]
# A two-digit year ("10.11.25", "11/23/21") is a date only right after a label.
SHORT_YEAR = re.compile(r"^\(?(\d{1,2})([./])(\d{1,2})\2(\d{2})\b")
# A label naming the publication (or the update) and the date after it, at a line's start or
# after a separator: "Published 10.11.25, 02:56 PM", "PTI | Updated: 24-08-2023 11:45 IST".
LABEL = re.compile(
    r"(?:^|[|•·]\s*)\W*(?P<label>first published|published|posted|created|uploaded|date"
    r"|last updated|updated|modified)(?:\s+on)?\s*:?\s*",
    re.I,
)
UPDATE_LABELS = {"last updated", "updated", "modified"}
# A time of day between a label and its date: "UPDATED at 5:47 p.m. ET on 2024-01-26".
LEADING_TIME = re.compile(
    r"(?:(?:at\s+)?\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4}\b)?\s*(?:on\s+)?)?", re.I
)
# A dateline opening the story: "BRUSSELS, Sept. 9, 2024 -", "New Delhi, June 17, 2020:".
DATELINE = re.compile(
    r"^[A-Z][\w .'’-]{1,30},\s+(?P<date>[^,:—–(]{3,20},?\s+\d{4})\s*(?:\([\w ]+\)\s*)?[-—–:]"
)
# "— Business Nesting (@BusinessNesting) October 10, 2025": an embedded post's signature.
EMBED_SIGNATURE = re.compile(r"\(@\w+\)")
BODY_TOP = 3  # body lines in which a date stamp is still looked for
BYLINE = re.compile(r"^\W*by\s+(?P<name>.+)", re.I)
AUTHOR_LINE = re.compile(r"^\W*(the\s+)?(author|writer)\s*(is|:)\s*(?P<who>.+)", re.I)
# Bounded parts keep the search linear on a huge line with no "@" in it.
EMAIL = re.compile(r"\b[\w.+-]{1,64}@(?P<domain>[\w-]{1,63}(?:\.[\w-]{1,63}){1,6})\b")
COPYRIGHT = re.compile(
    r"^\W*(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*(?P<holder>.+)", re.I
)
# "(Courtesy: Al-Jazeera)", "Source: Reuters": a republished article crediting its publisher.
CREDIT = re.compile(
    r"^\W*(?:courtesy(?:\s+of)?|source|(?:originally|first) published (?:by|in|on))\s*:?\s*"
    r"(?P<holder>(?-i:[A-Z])[\w&' .-]{1,60}?)[\s.)]*$",
    re.I,
)
CAPTION = re.compile(r"\b(photo|image|picture)(\s+credit)?s?\s*:\s*\S[^.]{0,60}$", re.I)
MAX_TITLE_WORDS = 30
HEADER_LINES = 60  # how far above the body a title or date is looked for
# Words that make up newspaper names, to split a domain such as "globaltimes" back into words.
MASTHEAD_WORDS = [
    "times",
    "post",
    "news",
    "daily",
    "global",
    "herald",
    "tribune",
    "journal",
    "mail",
    "world",
    "today",
    "press",
    "star",
    "telegraph",
    "guardian",
    "observer",
    "review",
    "wire",
    "ledger",
    "gazette",
    "chronicle",
    "courier",
    "express",
    "sun",
    "standard",
    "national",
    "international",
    "defence",
    "defense",
    "monitor",
    "report",
    "weekly",
    "week",
    "net",
    "online",
    "voice",
    "asia",
    "china",
    "india",
    "pacific",
    "south",
    "north",
    "east",
    "west",
    "morning",
    "evening",
    "sunday",
    "new",
    "york",
    "washington",
    "business",
    "financial",
    "economic",
    "insider",
    "policy",
    "foreign",
    "affairs",
    "media",
    "network",
]
TIME_OF_DAY = re.compile(r"\b\d{1,2}:\d{2}\b")


@dataclass
class TextMetadata:
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    date_evidence: list[DateEvidence] = field(default_factory=list)
    body_end: int | None = None  # where an author line closes the body, if one does


def read_metadata(lines: list[str], start: int, end: int, url: str | None) -> TextMetadata:
    header = list(range(max(0, start - HEADER_LINES), start + 1 if start < len(lines) else start))
    title_index = find_title(lines, header)
    author, body_end = find_author(lines, start, end)
    byline_author = next((a for a in map(byline_name, (lines[i] for i in header)) if a), None)
    evidence = find_dates(lines, header, title_index, start, end)
    outlet = find_outlet(lines, start, end, url)
    if byline_author and byline_author != outlet:
        author = author or byline_author
    return TextMetadata(
        title=lines[title_index] if title_index is not None else None,
        author=author,
        outlet=outlet,
        date_evidence=evidence,
        body_end=body_end,
    )


def find_title(lines: list[str], header: list[int]) -> int | None:
    counts = Counter(lines)
    best, best_score = None, 0.0
    for i in header:
        words = len(re.findall(r"\w+", lines[i]))
        if not 3 <= words <= MAX_TITLE_WORDS or not _could_be_title(lines[i]):
            continue
        repeated = counts[lines[i]] > 1 or any(
            lines[i] in other and other != lines[i] for other in (lines[j] for j in header)
        )
        score = min(words, 12) + 6 * repeated - 0.1 * (header[-1] - i)
        if score > best_score:
            best, best_score = i, score
    return best


def _could_be_title(line: str) -> bool:
    if line.endswith(".") and not line.endswith("..."):
        return False
    if line.lstrip()[:1] in "•□■▪●◦*+·>|-" or line.count("|") + line.count("»") >= 2:
        return False
    return not (find_date(line) or BYLINE.match(line) or LABEL.match(line) or EMAIL.search(line))


def find_date(line: str) -> tuple[str, str] | None:
    """The first date written in a line, as (YYYY-MM-DD, the text matched)."""
    found = []
    for pattern, day_first in DATE_PATTERNS:
        for match in pattern.finditer(line):
            day = _parse_day(match.group(0), day_first)
            if day:
                found.append((match.start(), day, match.group(0)))
                break
    return min(found)[1:] if found else None


def latest_date(text: str) -> str | None:
    """The latest full date (a year with it) written anywhere in a text, as YYYY-MM-DD."""
    days = [
        day
        for pattern, day_first in DATE_PATTERNS
        for match in pattern.finditer(text)
        if (day := _parse_day(match.group(0), day_first))
    ]
    return max(days, default=None)


def _labelled_date(line: str) -> tuple[str, str] | None:
    """(label, YYYY-MM-DD) of the publication label of a line, else of its update label:
    the date right after it, a two-digit year allowed."""
    found = []
    for label in LABEL.finditer(line):
        rest, dated = _after_label(line, label)
        day = dated[0] if dated and rest.startswith(dated[1][:2]) else _short_year_date(rest)
        if day is not None:
            found.append((label.group("label").lower(), day))
    published = [f for f in found if f[0] not in UPDATE_LABELS]
    return next(iter(published or found), None)


def opening_stamp(text: str) -> tuple[int, str] | None:
    """(where it ends, YYYY-MM-DD) of the page's own date opening a text: a publication label
    with its date ("date 2024-11-17 ...", "Published: June 3, 2021 ...") or a dateline
    ("BRUSSELS, Sept. 9, 2024 - ..."). It dates the page, not what the text then tells."""
    label = LABEL.match(text)
    if label is not None and label.group("label").lower() not in UPDATE_LABELS:
        rest, dated = _after_label(text, label)
        if dated is not None and rest.startswith(dated[1]):
            return len(text) - len(rest) + len(dated[1]), dated[0]
    opening = DATELINE.match(text)
    dated = find_date(opening.group("date")) if opening is not None else None
    return (opening.end(), dated[0]) if opening is not None and dated is not None else None


def _after_label(line: str, label: re.Match[str]) -> tuple[str, tuple[str, str] | None]:
    """The line after a label (a suffix of it, a time of day before the date left out) and
    the first date in its next 40 characters."""
    rest = LEADING_TIME.sub("", line[label.end() :], count=1)
    return rest, find_date(rest[:40])


def _short_year_date(text: str) -> str | None:
    match = SHORT_YEAR.match(text)
    if match is None:
        return None
    first, mark, second, year = match.groups()
    day, month = (first, second) if mark == "." else (second, first)
    try:
        parsed = date(2000 + int(year), int(month), int(day))
    except ValueError:
        return None
    return parsed.isoformat() if parsed <= date.today() else None


def _parse_day(text: str, day_first: bool) -> str | None:
    cleaned = re.sub(r"(?<=\d)(st|nd|rd|th)\b|\bof\b", "", text, flags=re.I)
    try:
        parsed = dateutil_parser.parse(cleaned, dayfirst=day_first, fuzzy=True).date()
    except (ValueError, OverflowError):
        return None
    return parsed.isoformat() if date(1990, 1, 1) <= parsed <= date.today() else None


def find_dates(
    lines: list[str], header: list[int], title: int | None, start: int, end: int
) -> list[DateEvidence]:
    """Publication-date candidates above the body (``start`` to ``end``), in its first
    lines and labelled just after it, firmest first."""
    top = range(start + 1, min(start + BODY_TOP, len(lines)))
    found = [
        evidence
        for i in [*header, *(i for i in top if i not in header)]
        if (evidence := _line_evidence(lines, i, title, start)) is not None
    ]
    for i in range(max(end, top.stop), min(end + BODY_TOP, len(lines))):
        labelled = _labelled_date(lines[i])  # "Uploaded: 2020-03-19" under the body
        if labelled is not None:
            found.append(_labelled_evidence(labelled, lines[i]))
    rank = {"high": 0, "medium": 1, "low": 2}
    return sorted(found, key=lambda e: rank[e.confidence])


def _line_evidence(lines: list[str], i: int, title: int | None, start: int) -> DateEvidence | None:
    line = lines[i]
    labelled = _labelled_date(line)
    if labelled is not None:
        return _labelled_evidence(labelled, line)
    dated = find_date(line)
    opening = DATELINE.match(line)
    if opening is not None and dated is not None and dated[1] in opening.group("date"):
        return DateEvidence(dated[0], "dateline", "high", f"dateline: {line[:60]}")
    if dated is None:
        return None
    day, text = dated
    if BYLINE.match(line):
        return DateEvidence(day, "byline", "high", f"byline: {line[:60]}")
    if EMBED_SIGNATURE.search(line):
        return None  # an embedded post's date, not the article's
    stamp = _date_segment(line, text)
    if stamp is None:
        return None
    by_title = title is not None and abs(i - title) == 1
    return _dateline_evidence(day, line, stamp, by_title, abs(i - start) <= 1)


def _labelled_evidence(labelled: tuple[str, str], line: str) -> DateEvidence:
    label, day = labelled
    if label in UPDATE_LABELS:
        return DateEvidence(day, "updated-line", "medium", f"update date: {line[:60]}")
    return DateEvidence(day, "published-line", "high", f"labelled: {line[:60]}")


def _date_segment(line: str, date_text: str) -> str | None:
    """The part of a line (split at "|" or "•") that is mostly a date, perhaps with a time
    and a section name: "10/16/2025, 7:06:06 PM | China | United States"."""
    for segment in re.split(r"\s[|•·]\s", line):
        if date_text in segment:
            rest = TIME_OF_DAY.sub("", segment.replace(date_text, ""))
            return segment if len(re.findall(r"\w+", rest)) <= 3 else None
    return None


def _dateline_evidence(
    day: str, line: str, stamp: str, by_title: bool, by_body: bool
) -> DateEvidence:
    # A bare date right by the headline or the body's start dates the article, and so does
    # one stamped with the time of day; elsewhere in the header it is as likely the site's
    # "today" banner, so it is weak evidence only.
    if by_title:
        return DateEvidence(day, "date-line", "medium", f"next to the title: {line[:60]}")
    if by_body:
        return DateEvidence(day, "date-line", "medium", f"by the body's start: {line[:60]}")
    if TIME_OF_DAY.search(stamp):
        return DateEvidence(day, "date-line", "medium", f"stamped with a time: {line[:60]}")
    return DateEvidence(
        day, "date-line", "low", f"away from the title, maybe a site banner: {line[:60]}"
    )


def byline_name(line: str) -> str | None:
    match = BYLINE.match(line)
    if not match or len(line) > 150:
        return None
    name = match.group("name")
    dated = find_date(name)
    if dated:
        name = name[: name.find(dated[1])]
    name = re.split(r"\s*[|,•·]\s*|\s+-\s+|\s{2,}", name)[0].strip()
    return name if 1 <= len(name.split()) <= 6 else None


def find_author(lines: list[str], start: int, end: int) -> tuple[str | None, int | None]:
    """An "Author is ..." line in the last part of the body or just after it."""
    first = start + (end - start) // 2
    for i in range(first, min(end + 3, len(lines))):
        match = AUTHOR_LINE.match(lines[i])
        if match:
            who = EMAIL.sub("", match.group("who")).strip(" .")
            return (who or None), i
    return None, None


def find_outlet(lines: list[str], start: int, end: int, url: str | None) -> str | None:
    """The site that published the page, from the firmest cue found: an e-mail by the
    body's end, the publisher a republished article credits there, a site name repeated in
    the header, a copyright line, any e-mail after the body, the URL's host."""
    words = {
        w.lower()
        for line in lines
        if not EMAIL.search(line) and "://" not in line
        for w in re.findall(r"[A-Za-z]{3,}", line)
    }
    closing_email = _email_domain(lines[max(start, end - 3) : end + 3])
    if closing_email:
        return masthead(closing_email, words)
    credited = _credited_publisher(lines[max(start, end - 3) : end + 3])
    if credited:
        return credited
    named = _repeated_site_name(lines[:start]) or _copyright_holder(lines[end:])
    if named:
        return masthead(named, words) if "." in named and " " not in named else named
    host = _email_domain(lines[end:]) or (url and re.sub(r"^(https?://)?(www\.)?", "", url))
    return masthead(host.split("/")[0], words) if host else None


def _email_domain(lines: list[str]) -> str | None:
    return next((m.group("domain") for m in map(EMAIL.search, lines) if m), None)


def _credited_publisher(closing: list[str]) -> str | None:
    for line in closing:
        match = CREDIT.match(line)
        if match and len(line) < 80 and 1 <= len(match.group("holder").split()) <= 5:
            return match.group("holder").strip(" .-")
    return None


def _copyright_holder(tail: list[str]) -> str | None:
    for line in tail:
        match = COPYRIGHT.match(line)
        if match:
            holder = re.split(r"[.|,]\s|\s+all rights", match.group("holder"), flags=re.I)[0]
            holder = re.sub(r"\s*\d{4}$", "", holder).strip(" .")
            if 1 <= len(holder.split()) <= 5:
                return holder
    return None


def _repeated_site_name(header: list[str]) -> str | None:
    counts = Counter(line for line in header if 2 <= len(line.split()) <= 5)
    for line, count in counts.most_common():
        if count < 2:
            break
        named = line[0].isupper() and not line.endswith(".")
        if named and not find_date(line) and not BYLINE.match(line):
            return line
    return None


def masthead(domain: str, known_words: set[str]) -> str:
    """A site's name from its domain: "globaltimes.com.cn" → "Global Times"."""
    label = domain.lower().split(".")[0]
    vocabulary = set(MASTHEAD_WORDS) | known_words
    split = _segment(label, vocabulary)
    return " ".join(w.capitalize() for w in split) if split else label.capitalize()


def _segment(label: str, vocabulary: set[str]) -> list[str] | None:
    """Split a run of letters into known words (fewest words wins), or None."""
    best: list[list[str] | None] = [[]] + [None] * len(label)
    for end in range(1, len(label) + 1):
        for begin in range(max(0, end - 15), end):
            word = label[begin:end]
            before = best[begin]
            if before is not None and word in vocabulary and len(word) >= 3:
                candidate = [*before, word]
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    return best[len(label)]
