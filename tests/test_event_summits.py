"""Summits: dating a mention of a leaders' summit from the catalogue."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dyadwatch.events.dates import EventDate
from dyadwatch.events.places import event_place
from dyadwatch.events.summits import Summit, month_written, summit_date, summit_for, summits

BALI = (date(2022, 11, 15), date(2022, 11, 16))
SAN_FRANCISCO = (date(2023, 11, 15), date(2023, 11, 17))
BODY_WORDS = {
    "G20": "G20",
    "APEC": "APEC",
    "BRICS": "BRICS",
    "SCO": "SCO",
    "G7": "G7",
    "NATO": "NATO",
    "EAS": "East Asia",
    "Quad": "Quad",
}


def found(sentence: str, article_date: date | None, future: bool = False) -> Summit | None:
    return summit_for(sentence, event_place(sentence, []), article_date, future)


def days(summit: Summit | None) -> tuple[date, date] | None:
    return None if summit is None else (summit.start, summit.end)


@pytest.mark.parametrize(
    ("sentence", "article_date", "expected"),
    [
        ("The two leaders last met in November at the G20 summit in Bali.", date(2023, 3, 1), BALI),
        ("The meeting of San Francisco broke the ice.", date(2024, 1, 10), SAN_FRANCISCO),
        (
            "It came around the time Xi and Biden met on the sidelines of the G20 summit in Bali.",
            None,
            BALI,
        ),
        ("Xi and Biden met at the Group of 20 in Bali.", date(2024, 5, 2), BALI),
        ("The Apec meeting in San Francisco was cordial.", None, SAN_FRANCISCO),
        ("They spoke at Filoli, outside San Francisco.", date(2023, 12, 1), SAN_FRANCISCO),
        ("Leaders met at the G7 summit in Cornwall.", None, (date(2021, 6, 11), date(2021, 6, 13))),
        ("Xi attended the SCO summit.", date(2022, 10, 1), (date(2022, 9, 15), date(2022, 9, 16))),
        ("The East Asia Summit in Jakarta was brief.", None, (date(2023, 9, 7),) * 2),
        ("The San Francisco APEC meeting was cordial.", None, SAN_FRANCISCO),
        (
            "Speaking in Paris, Macron recalled the NATO summit.",
            date(2025, 8, 1),
            (date(2025, 6, 24), date(2025, 6, 25)),
        ),
        ("Ties thawed after the G20 summit in India.", None, (date(2023, 9, 9), date(2023, 9, 10))),
    ],
)
def test_dated_mentions(
    sentence: str, article_date: date | None, expected: tuple[date, date]
) -> None:
    assert days(found(sentence, article_date)) == expected


def test_summit_under_way_on_the_article_date() -> None:
    assert days(found("Xi met Biden at the G20 summit.", date(2022, 11, 15))) == BALI


@pytest.mark.parametrize(
    ("sentence", "article_date"),
    [
        ("Xi and Biden met in Beijing.", date(2024, 1, 10)),  # a capital, no body word
        ("Biden met Kishida in Tokyo.", date(2022, 6, 1)),
        ("They met at the G20 summit.", None),  # no article date, no place
        ("The NATO summit in Brussels was tense.", None),  # four Brussels summits
        ("The meeting of San Francisco broke the ice.", None),  # place only, no date
        ("The meeting of San Francisco broke the ice.", date(2026, 1, 10)),  # too long ago
        ("They met at the G20 summit.", date(2027, 1, 1)),  # none within 13 months
        ("G20 finance ministers met in Bali.", date(2022, 12, 1)),  # not the leaders
        ("BRICS countries rejected the tariffs.", date(2023, 12, 1)),  # no summit word
        ("NATO said it would respond.", date(2023, 8, 1)),
        ("Biden met Kishida in Hiroshima.", date(2023, 6, 1)),  # G7 and Quad both there
        ("The talks in The Hague resumed.", date(2025, 9, 1)),  # courts sit there all year
        ("Rio Tinto signed the deal.", date(2025, 1, 10)),  # a name, not a place
    ],
)
def test_no_summit(sentence: str, article_date: date | None) -> None:
    assert found(sentence, article_date) is None


def test_future_takes_the_next_summit() -> None:
    sentence = "Xi is expected to meet Biden at the G20 summit."
    assert days(found(sentence, date(2023, 12, 1), future=True)) == (
        date(2024, 11, 18),
        date(2024, 11, 19),
    )
    assert days(found(sentence, date(2023, 12, 1))) == (date(2023, 9, 9), date(2023, 9, 10))


def test_place_of_the_speaker_gives_way_to_the_body() -> None:
    sentence = "Speaking in Beijing, Xi recalled the APEC meeting."
    assert days(found(sentence, date(2024, 1, 10))) == SAN_FRANCISCO


def test_a_place_that_hosted_the_body_another_time_means_that_summit() -> None:
    sentence = "Biden and Xi met in Bali on the eve of the G20 summit."
    assert found(sentence, date(2022, 11, 14)) is None  # not the Rome summit of 2021
    assert days(found(sentence, date(2022, 12, 1))) == BALI


def test_summit_date_as_event_date() -> None:
    sentence = "The two leaders last met at the G20 summit in Bali."
    got = summit_date(sentence, event_place(sentence, []), date(2023, 3, 1))
    assert got == EventDate(BALI[0], "day", "G20 summit in Bali", BALI[1])
    one_day = summit_date("They met at the Quad summit.", None, date(2021, 3, 20))
    assert one_day == EventDate(date(2021, 3, 12), "day", "Quad summit", None)


@given(st.sampled_from(summits()), st.integers(min_value=0, max_value=300), st.booleans())
def test_body_and_city_find_the_summit(summit: Summit, offset: int, future: bool) -> None:
    """Any catalogued summit with a city is found from its body and city, on any day from its
    start until the same body meets there again (before it, for the future)."""
    if summit.city is None:
        return
    sign = -1 if future else 1
    article_date = summit.start + timedelta(days=sign * offset)
    others = [s for s in summits() if (s.body, s.city) == (summit.body, summit.city)]
    if any(s != summit and _between(s, summit, article_date) for s in others):
        return  # the same body met there again in between
    sentence = f"They met at the {BODY_WORDS[summit.body]} summit in {summit.city}."
    assert summit_for(sentence, None, article_date, future) == summit


@given(st.sampled_from(summits()), st.dates(date(2016, 1, 1), date(2027, 12, 31)), st.booleans())
def test_side_of_the_article_date(summit: Summit, article_date: date, future: bool) -> None:
    got = found(f"They met at the {BODY_WORDS[summit.body]} summit.", article_date, future)
    if got is not None:
        assert got.body == summit.body
        assert got.end >= article_date if future else got.start <= article_date


def _between(other: Summit, summit: Summit, article_date: date) -> bool:
    if article_date < summit.start:
        return article_date <= other.end and other.start < summit.start
    return summit.start < other.start <= article_date


def _rows() -> list[dict[str, str]]:
    text = resources.files("dyadwatch").joinpath("data/summits.csv").read_text("utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


def test_catalogue_is_well_formed() -> None:
    countries = resources.files("dyadwatch").joinpath("data/actors/countries.csv")
    known = {row["code"] for row in csv.DictReader(countries.read_text("utf-8").splitlines())}
    rows = _rows()
    assert len(rows) == len(summits()) >= 60
    for row in rows:
        start, end = date.fromisoformat(row["start"]), date.fromisoformat(row["end"])
        assert date(2017, 1, 1) <= start <= end <= start + timedelta(days=4), row
        assert row["body"] in BODY_WORDS, row
        assert row["country"] in known or (not row["country"] and "virtual" in row["note"]), row
        assert bool(row["city"]) != ("virtual" in row["note"]), row
    keys = [(row["body"], row["start"]) for row in rows]
    assert len(keys) == len(set(keys))


def test_a_past_summit_named_by_its_day_of_the_month_tells_the_month_written() -> None:
    header = date(2021, 4, 20)  # a site's header date, weeks after the article
    told = "After Biden took part in the first Quad Leaders Summit held on the 12th, talks began."
    assert month_written(told, header) == date(2021, 3, 1)
    assert month_written(told.replace("12th", "14th"), header) is None  # not that summit's day
    assert month_written("The talks were held on the 12th in Anchorage.", header) is None
    assert month_written("The Quad Leaders Summit was held in March.", header) is None
