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
        "OSAKA, Japan - Officials said the storm had passed.",
        "LIMA, Peru (Reuters) - Officials said the storm had passed.",
        "Officials met at a South Korean air base.",
        "Officials met in the US last year.",
        "Ships sailed through the Taiwan Strait and the South China Sea.",
        "Scholars discussed the Taiwan question and its China policy.",
        "The Hong Kong and Taiwan issues are not negotiable.",
        "China-US relations have soured.",
        "Relations between China and the United States have soured.",
        "Bilateral ties with the United States have soured.",
        "Chinese exports rose in May.",
    ],
)
def test_places_things_and_relationships_are_no_actors(text: str) -> None:
    assert [actor for _, actor in found(text)] == []


def test_the_country_whose_goods_a_measure_is_on_is_its_target() -> None:
    assert ("Chinese", "CHN") in found("Tariffs on $200 billion of Chinese goods rose.")


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
    text = "On Monday, Liu Weidong, a party official, gave a long speech to students there."
    assert found(text, date(2024, 1, 12)) == []
    headline = "Blinken Meets Xi In Beijing"  # a title-cased headline is not a name
    assert [a for _, a in found(headline)] == ["person:antony-blinken", "person:xi-jinping"]


def test_a_headline_verb_that_is_also_a_thing_keeps_its_actor() -> None:
    assert [a for _, a in found("China issues a warning to the United States")] == ["CHN", "USA"]


def test_a_surname_before_a_misspelled_given_name_is_left_to_the_fuzzy_match() -> None:
    assert found("Later that day Xi Jiping spoke at length to the delegates.") == [
        ("Xi Jiping", "person:xi-jinping")
    ]


# Groups of people with a country and a sector: delegations, former officials.


@pytest.mark.parametrize(
    ("text", "mention", "actor"),
    [
        ("The Chinese delegation was led by Wang Chao.", "Chinese delegation", "group:CHN:GOV"),
        ("A US delegation arrived on Monday.", "US delegation", "group:USA:GOV"),
        (
            "It came after a visit by a group of former Chinese officials.",
            "a group of former Chinese officials",
            "group:CHN:ELI",
        ),
        (
            "They met former US officials and executives in New York.",
            "former US officials and executives",
            "group:USA:ELI",
        ),
        ("Retired American diplomats wrote to him.", "Retired American diplomats", "group:USA:ELI"),
        ("A US business delegation arrived.", "US business delegation", "group:USA:BUS"),
    ],
)
def test_delegations_and_former_officials_are_groups_of_their_country(
    text: str, mention: str, actor: str
) -> None:
    groups = [m for m in default_matcher().find(text, date(2022, 12, 16)) if m.how == "group"]
    assert [(m.text, m.actor.id) for m in groups] == [(mention, actor)]
    assert (groups[0].country, groups[0].sector) == tuple(actor.split(":")[1:])


def test_a_former_office_holder_is_not_the_one_in_office() -> None:
    text = "They included Cui Tiankai, the former Chinese ambassador to the US."
    assert ("ambassador to the US", "person:qin-gang") not in found(text, date(2022, 12, 16))
    assert ("Cui Tiankai", "person:cui-tiankai") in found(text, date(2022, 12, 16))


def test_the_head_of_the_cpc_international_department_is_dated() -> None:
    text = "The head of the International Department met party leaders."
    assert found(text, date(2023, 1, 9)) == [
        ("head of the International Department", "person:liu-jianchao")
    ]
    assert found(text, date(2020, 5, 1)) == [
        ("head of the International Department", "person:song-tao")
    ]
    liu = default_matcher().find("Liu Jianchao spoke.", date(2024, 1, 12))[0]
    assert (liu.actor.id, liu.country, liu.sector) == ("person:liu-jianchao", "CHN", "PTY")


def test_a_surname_after_a_namesake_is_that_namesake_not_another_catalogued_person() -> None:
    text = "Liu Pengyu, the embassy spokesman, spoke first. Liu said the talks went well."
    assert [a for _, a in found(text, date(2024, 1, 12))] == ["person:liu-pengyu"] * 2


@pytest.mark.parametrize(
    "text",
    [
        "Lu Xiang, a specialist at the Chinese Academy of Social Sciences, said so.",
        "He chaired insurer American International Group.",
        "Liu Fu-kuo of Renmin University of China said so.",
    ],
)
def test_a_country_in_an_institution_name_is_no_actor(text: str) -> None:
    assert found(text) == []


def test_the_counterpart_of_a_relationship_acted_on_is_an_actor() -> None:
    assert [a for _, a in found("Ethiopia broke off relations with Libya.")] == ["ETH", "LBY"]
    assert [a for _, a in found("Arnor will restore full diplomatic ties with Libya.")] == ["LBY"]
    assert found("Bilateral ties with Libya are at a low point.") == []


def test_a_possessor_after_at_is_no_place() -> None:
    assert found("The talks were held at the US's request.") == [("US", "USA")]


def test_what_is_fired_at_is_no_place() -> None:
    text = "Pyongyang on Thursday fired two artillery shells at Seoul."
    assert [a for _, a in found(text)] == ["PRK", "KOR"]
    assert [a for _, a in found("North Korea held a rally at Pyongyang.")] == ["PRK"]


@pytest.mark.parametrize("text", ["Rockets hit Netanya on Monday.", "Protesters marched in Macon."])
def test_a_place_name_is_no_misspelled_person(text: str) -> None:
    assert found(text) == []


def test_a_name_after_a_title_whose_holder_is_unknown_is_no_loose_match() -> None:
    # not Robert Lighthizer: Zimbabwe's president is not in the catalogue
    assert found("Zimbabwean President Robert Mugabe warned the envoy.") == [
        ("Robert Mugabe", "person:~ZWE:robert-mugabe")
    ]
