"""People the catalogue lacks, tied to a country by the text, and short forms of named people."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dyadwatch.actors.resolve import default_matcher

ON = date(2022, 6, 1)


def found(text: str) -> list[tuple[str, str | None, str | None, str]]:
    return [(m.text, m.country, m.sector, m.how) for m in default_matcher().find(text, ON)]


@pytest.mark.parametrize(
    ("text", "person"),
    [
        (
            "Chinese Vice Foreign Minister Le Yucheng summoned the envoy.",
            ("Le Yucheng", "CHN", "GOV", "open"),
        ),
        ("US Senator Bill Hagerty spoke.", ("Bill Hagerty", "USA", "LEG", "open")),
        ("Indian Ambassador Vikram Misri met them.", ("Vikram Misri", "IND", "DIP", "open")),
        (
            "Katrina Yu, a Chinese diplomat, met them.",
            ("Katrina Yu", "CHN", "DIP", "open"),
        ),
        (
            "Michael Chong, a Canadian lawmaker, was sanctioned.",
            ("Michael Chong", "CAN", "LEG", "open"),
        ),
    ],
)
def test_a_name_the_text_ties_to_a_country_is_a_person_of_it(
    text: str, person: tuple[str, str, str, str]
) -> None:
    assert found(text) == [person]  # the country word that tied them is folded in


def test_an_item_of_a_list_is_no_apposition_of_the_name_before() -> None:
    text = "Also there were Yuri Ushakov, U.S. Special Envoy Steve Witkoff and others."
    assert found(text) == [("Steve Witkoff", "USA", "DIP", "open")]


def test_a_name_with_no_country_tie_is_no_actor() -> None:
    assert found("Vice Foreign Minister Le Yucheng summoned the envoy.") == []
    assert found("Chinese officials met Le Yucheng.") == [
        ("Chinese officials", "CHN", "GOV", "group")
    ]


def test_a_short_form_stands_for_the_one_person_named_before_with_that_name() -> None:
    text = (
        "Chinese Foreign Minister Wang Yi met Matthew Miller. Wang said Miller was wrong. "
        "Ms Mao said so too."
    )
    assert [(m[0], m[3]) for m in found(text)] == [
        ("Wang Yi", "alias"),
        ("Matthew Miller", "alias"),
        ("Wang", "short"),
        ("Miller", "short"),
    ]


def test_a_short_form_fitting_two_people_named_before_stands_for_neither() -> None:
    text = "Wang Yi met Wang Wenbin. Wang said nothing."
    assert [m[0] for m in found(text)] == ["Wang Yi", "Wang Wenbin"]


def test_a_word_opening_a_longer_name_is_no_short_form() -> None:
    text = "Wang Yi spoke. Wang Xiaolong, a scholar, disagreed."
    assert [m[0] for m in found(text)] == ["Wang Yi"]


def test_a_country_before_a_sector_noun_that_is_also_a_thing_is_that_sector() -> None:
    assert found("The Philippine coast guard protested.") == [
        ("Philippine coast guard", "PHL", "MIL", "group")
    ]
    assert found("Ships sailed near the Chinese coast.") == []


SYLLABLES = ["Zor", "Kav", "Mel", "Tun", "Ras", "Bop", "Quil", "Dex"]
NAME_PART = st.lists(st.sampled_from(SYLLABLES), min_size=2, max_size=2).map(
    lambda parts: parts[0] + parts[1].lower()
)


@settings(max_examples=30, deadline=None)
@given(first=NAME_PART, last=NAME_PART)
def test_any_unknown_name_after_a_country_and_title_is_that_countrys_person(
    first: str, last: str
) -> None:
    name = f"{first} {last}"
    text = f"Japanese Defence Minister {name} visited Manila. {last} spoke."
    assert found(text)[0] == (name, "JPN", "GOV", "open")
    assert found(text)[-1] == (last, "JPN", "GOV", "short")
