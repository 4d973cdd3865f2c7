"""Resolving actor mentions in text: groups, places, relationships and qualifiers."""

from __future__ import annotations

from datetime import date

import pytest

from dyadwatch.actors.resolve import default_matcher

JUNE_2023 = date(2023, 6, 21)


def found(text: str, on: date = JUNE_2023) -> list[tuple[str, str]]:
    return [(m.text, m.actor.id) for m in default_matcher().find(text, on)]


@pytest.mark.parametrize(
    ("text", "mention", "actor"),
    [
        ("Chinese officials said so.", "Chinese officials", "group:CHN:GOV"),
        ("US lawmakers said so.", "US lawmakers", "group:USA:LEG"),
        ("American companies said so.", "American companies", "group:USA:BUS"),
        ("Beijing's diplomats said so.", "Beijing's diplomats", "group:CHN:DIP"),
        ("China's state media said so.", "China's state media", "group:CHN:MED"),
        (
            "Senior Japanese military officials said so.",
            "Japanese military officials",
            "group:JPN:MIL",
        ),
    ],
)
def test_a_country_before_a_generic_noun_is_that_sector_of_it(
    text: str, mention: str, actor: str
) -> None:
    (only,) = default_matcher().find(text, JUNE_2023)
    assert (only.text, only.actor.id, only.how) == (mention, actor, "group")
    assert only.actor.kind == "group" and only.country == actor.split(":")[1]
    assert only.sector == actor.split(":")[2]


def test_a_country_before_a_person_is_still_folded_into_the_person() -> None:
    assert found("Chinese President Xi Jinping met the press.") == [
        ("Xi Jinping", "person:xi-jinping")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Activists spoke about rights in Xinjiang, Tibet and Hong Kong.",
        "Activists spoke about rights in Xinjiang, Hong Kong and Tibet.",
        "The summit was held in Lima, Peru.",
        "MANILA - Officials said the storm had passed.",
        "Ships sailed through the Taiwan Strait and the South China Sea.",
        "Scholars discussed the Taiwan question and its China policy.",
        "The Hong Kong and Taiwan issues are not negotiable.",
        "China-US relations have soured.",
        "Relations between China and the United States have soured.",
        "Bilateral ties with the United States have soured.",
    ],
)
def test_places_things_and_relationships_are_no_actors(text: str) -> None:
    assert [actor for _, actor in found(text)] == []


def test_a_country_after_a_comma_that_opens_a_clause_is_kept() -> None:
    assert found("In Washington, China protested again.") == [("China", "CHN")]


def test_a_short_headline_keeps_its_speaker_before_a_colon() -> None:
    assert [a for _, a in found("China: US must stop arming Taiwan")] == ["CHN", "USA", "TWN"]


def test_a_country_after_of_behind_its_person_qualifies_the_person() -> None:
    assert found("President Xi Jinping of China spoke.") == [("Xi Jinping", "person:xi-jinping")]


def test_an_agency_with_a_title_before_its_person_qualifies_the_person() -> None:
    assert found("US House Speaker Nancy Pelosi spoke.", date(2022, 8, 1)) == [
        ("Nancy Pelosi", "person:nancy-pelosi")
    ]


def test_a_surname_before_an_unknown_given_name_is_not_the_catalogued_person() -> None:
    text = "On Monday, Liu Jianchao, a party official, gave a long speech to students there."
    assert found(text, date(2024, 1, 12)) == []
    headline = "Blinken Meets Xi In Beijing"  # a title-cased headline is not a name
    assert [a for _, a in found(headline)] == ["person:antony-blinken", "person:xi-jinping"]


def test_a_headline_verb_that_is_also_a_thing_keeps_its_actor() -> None:
    assert [a for _, a in found("China issues a warning to the United States")] == ["CHN", "USA"]


def test_a_surname_before_a_misspelled_given_name_is_left_to_the_fuzzy_match() -> None:
    assert found("Later that day Xi Jiping spoke at length to the delegates.") == [
        ("Xi Jiping", "person:xi-jinping")
    ]
