"""Event dates: each written form, resolved against the article date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dyadwatch.events.dates import EventDate, resolve_event_date

WEDNESDAY = date(2023, 6, 21)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("They met on June 19, 2023.", date(2023, 6, 19)),
        ("They met on 19 June 2023.", date(2023, 6, 19)),
        ("They met on 2023-06-19.", date(2023, 6, 19)),
        ("They met on Jun 19 in Beijing.", date(2023, 6, 19)),
        ("The deal was signed on the 12th.", date(2023, 6, 12)),
        ("The deal was signed on the 25th.", date(2023, 5, 25)),
        ("Talks ended yesterday.", date(2023, 6, 20)),
        ("Talks end today.", WEDNESDAY),
        ("They met on Monday.", date(2023, 6, 19)),
        ("They meet on Wednesday.", WEDNESDAY),
        ("They met last Wednesday.", date(2023, 6, 14)),
        ("They will meet on Monday.", date(2023, 6, 26)),
        ("They meet next Monday.", date(2023, 6, 26)),
    ],
)
def test_days(sentence: str, expected: date) -> None:
    found = resolve_event_date(sentence, WEDNESDAY)
    assert found is not None
    assert (found.date, found.precision, found.end) == (expected, "day", None)
    assert found.text is not None and found.text in sentence


@pytest.mark.parametrize(
    ("sentence", "first", "last"),
    [
        ("Talks ran January 8 to 9.", date(2023, 1, 8), date(2023, 1, 9)),
        ("Talks ran 18-19 March.", date(2023, 3, 18), date(2023, 3, 19)),
        ("Talks ran March 18-19, 2021.", date(2021, 3, 18), date(2021, 3, 19)),
        ("Talks ran from March 30 to April 2.", date(2023, 3, 30), date(2023, 4, 2)),
        ("Talks ran December 30 to January 2.", date(2022, 12, 30), date(2023, 1, 2)),
    ],
)
def test_ranges(sentence: str, first: date, last: date) -> None:
    assert resolve_event_date(sentence, WEDNESDAY) == EventDate(
        first, "day", sentence.removeprefix("Talks ran ").removeprefix("from ").rstrip("."), last
    )


def test_weekday_ranges_are_the_last_such_days_or_the_next_for_the_future() -> None:
    past = resolve_event_date("From Sunday to Monday, he was in Beijing.", WEDNESDAY)
    assert past is not None and (past.date, past.end) == (
        WEDNESDAY - timedelta(days=3),
        WEDNESDAY - timedelta(days=2),
    )
    coming = resolve_event_date("He will be there Tuesday through Thursday.", WEDNESDAY)
    assert coming is not None and (coming.date, coming.end) == (
        WEDNESDAY + timedelta(days=6),
        WEDNESDAY + timedelta(days=8),
    )


def test_a_backwards_range_is_read_as_its_first_day() -> None:
    found = resolve_event_date("Voting opened June 19 to 2 million people.", WEDNESDAY)
    assert found == EventDate(date(2023, 6, 19), "day", "June 19")


@pytest.mark.parametrize(
    ("sentence", "article", "expected"),
    [
        ("They met in November 2022.", WEDNESDAY, date(2022, 11, 1)),
        ("They met last November.", date(2024, 1, 10), date(2023, 11, 1)),
        ("They met last June.", WEDNESDAY, date(2022, 6, 1)),
        ("They met in March.", WEDNESDAY, date(2023, 3, 1)),
        ("They met in August.", WEDNESDAY, date(2022, 8, 1)),
        ("They will meet in March.", WEDNESDAY, date(2024, 3, 1)),
        ("They met earlier this month.", WEDNESDAY, date(2023, 6, 1)),
    ],
)
def test_months(sentence: str, article: date, expected: date) -> None:
    found = resolve_event_date(sentence, article)
    assert found is not None and (found.date, found.precision) == (expected, "month")


def test_last_week_is_the_monday_that_starts_it() -> None:
    found = resolve_event_date("They met last week.", WEDNESDAY)
    assert found == EventDate(date(2023, 6, 12), "week", "last week")


def test_years() -> None:
    assert resolve_event_date("They first met in 2020.", WEDNESDAY) == EventDate(
        date(2020, 1, 1), "year", "in 2020"
    )


def test_explicit_dates_need_no_article_date() -> None:
    found = resolve_event_date("They met on June 19, 2023.", None)
    assert found is not None and found.date == date(2023, 6, 19)


def test_relative_words_without_an_article_date_give_nothing() -> None:
    assert resolve_event_date("They met on Monday.", None) is None


def test_no_date_falls_back_to_the_article() -> None:
    assert resolve_event_date("They met.", WEDNESDAY) == EventDate(WEDNESDAY, "article", None)
    assert resolve_event_date("They met.", None) is None


def test_impossible_days_are_not_dates() -> None:
    assert resolve_event_date("Due on February 30.", WEDNESDAY) == EventDate(
        WEDNESDAY, "article", None
    )


@given(st.text(max_size=200), st.one_of(st.none(), st.dates()))
def test_never_raises(sentence: str, article: date | None) -> None:
    found = resolve_event_date(sentence, article)
    assert found is not None or article is None


@given(
    st.lists(
        st.sampled_from(
            ["on", "Monday", "last", "next", "the", "31st", "February", "29", "-", "to", "in",
             "2024", "Dec", "yesterday", "tomorrow", "week", "will", "12", "9999", "0"]
        ),
        max_size=8,
    ),
    st.dates(),
)  # fmt: skip
def test_date_words_in_any_order_never_raise(words: list[str], article: date) -> None:
    found = resolve_event_date(" ".join(words), article)
    assert found is not None
    assert found.end is None or found.end > found.date


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the date of the telling is past, though the sentence tells what will come
        ("China will ban the exports, its ministry said on Tuesday.", date(2023, 6, 20)),
        ("China announced Monday it will impose tariffs.", date(2023, 6, 19)),
        ("The ministry told reporters on Monday it will respond.", date(2023, 6, 19)),
        # what was decided, not the day it starts or ends
        ("China imposed duties on Monday on barley from June 24.", date(2023, 6, 19)),
        ("Trump said Tuesday he will meet Xi on Friday.", date(2023, 6, 23)),
        # a bound is the date where the sentence gives no other
        ("Duties on barley will apply from June 24.", date(2023, 6, 24)),
    ],
)
def test_the_telling_and_a_bound_yield_to_the_events_own_date(
    sentence: str, expected: date
) -> None:
    found = resolve_event_date(sentence, WEDNESDAY)
    assert found is not None and (found.date, found.precision) == (expected, "day")


@pytest.mark.parametrize(
    "stamp", ["date 2023-06-20 ", "Published: June 20, 2023 ", "BEIJING, June 20, 2023 - "]
)
def test_the_pages_own_date_opening_a_sentence_dates_the_article_only(stamp: str) -> None:
    told = resolve_event_date(stamp + "Biden and Xi met on Saturday.", WEDNESDAY)
    assert told is not None and told.date == date(2023, 6, 17)
    bare = resolve_event_date(stamp + "Biden and Xi met.", WEDNESDAY)
    assert bare == EventDate(WEDNESDAY, "article", None)
    undated = resolve_event_date(stamp + "Biden and Xi met on Saturday.", None)
    assert undated is not None and undated.date == date(2023, 6, 17)  # read as of the stamp
