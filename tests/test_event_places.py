"""Event places: names found in a sentence, and the one where the event happened."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dyadwatch.events.places import event_place, find_places


def test_a_capital_after_in_is_the_event_place() -> None:
    sentence = "Blinken met Xi in Beijing on Monday."
    place = event_place(sentence, [(0, 7), (12, 14)])
    assert place is not None
    assert (place.name, place.country) == ("Beijing", "CHN")
    assert place.lat == pytest.approx(39.9, abs=0.2) and place.lon == pytest.approx(116.4, abs=0.2)
    assert sentence[place.start : place.end] == "Beijing"


def test_capitals_used_as_actors_are_not_places() -> None:
    sentence = "Beijing accused Washington of meddling in Hong Kong."
    assert [p.name for p in find_places(sentence)][:2] == ["Beijing", "Washington"]
    assert event_place(sentence[:36], [(0, 7), (16, 26)]) is None


def test_without_a_locative_word_there_is_no_event_place() -> None:
    assert event_place("Beijing accused Washington of meddling.", []) is None


@pytest.mark.parametrize(
    ("sentence", "name", "country"),
    [
        ("Leaders met in Bali.", "Bali", "IDN"),
        ("Officials met in Anchorage, Alaska, for two days.", "Anchorage", "USA"),
        ("They met at the APEC summit in San Francisco.", "San Francisco", "USA"),
        ("Talks were held in the Alaskan city of Anchorage.", "Anchorage", "USA"),
        ("Wang visited Zurich.", "Zürich", "CHE"),
        ("He went to Kiev.", "Kyiv", "UKR"),
        ("Talks in Rio de Janeiro ended.", "Rio de Janeiro", "BRA"),
        ("Protests in China's Xinjiang region grew.", "Xinjiang", "CHN"),
        ("Troops drilled in Jordan.", "Jordan", "JOR"),
        ("Investors in the U.S. cheered.", "United States", "USA"),
    ],
)
def test_event_places(sentence: str, name: str, country: str) -> None:
    place = event_place(sentence, [])
    assert place is not None and (place.name, place.country) == (name, country)


def test_the_longest_name_wins() -> None:
    assert [p.name for p in find_places("She flew to New York City.")] == ["New York City"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Of the talks, Police said the Nice deal would Split Reading and Bath.",
        "Most officials said the Union was Central to it.",
    ],
)
def test_everyday_words_are_not_places(sentence: str) -> None:
    assert find_places(sentence) == []


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ,.'", max_size=120))
def test_lower_case_words_never_match(sentence: str) -> None:
    assert find_places(sentence) == []


@given(st.text(max_size=200))
def test_spans_point_at_the_names(sentence: str) -> None:
    for place in find_places(sentence):
        assert 0 <= place.start < place.end <= len(sentence)
        assert sentence[place.start].isupper()


@pytest.mark.parametrize(
    "sentence",
    [
        "Chen, a research fellow at Taiwan's National Chengchi University, praised the talks.",
        "A professor at Renmin University of China said the talks went well.",
        "Students at Peking University watched the talks.",
    ],
)
def test_a_place_inside_an_institution_name_is_no_event_place(sentence: str) -> None:
    assert event_place(sentence, []) is None


def test_a_venue_after_an_institution_is_still_a_place() -> None:
    place = event_place("Blinken spoke at the Asia Society Center in New York.", [])
    assert place is not None and place.country == "USA"
