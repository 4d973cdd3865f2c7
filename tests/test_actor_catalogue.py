"""The actor catalogue: coverage and consistency of the data, date-aware roles, user files."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dyadwatch.actors import Catalogue, CatalogueError
from dyadwatch.actors.resolve import default_matcher

DATA_FILES = ("countries.csv", "organizations.csv", "agencies.csv", "people.csv", "sectors.csv")
# Offices several people hold at once; every other (role, country) has one holder at a time.
SHARED_ROLES = {"spokesperson_foreign_ministry", "vice_premier_economy", "executive_vice_premier"}
PERIOD = st.dates(min_value=date(2017, 1, 20), max_value=date(2026, 11, 22))
PERSON_HEADER = "id,name,aliases,country,sector,role,role_title,start,end\n"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.load()


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("dyadwatch").joinpath("data", "actors", name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_every_iso_country_is_present(catalogue: Catalogue) -> None:
    pycountry = pytest.importorskip("pycountry")
    for country in pycountry.countries:
        assert catalogue.get(country.alpha_3).kind == "country", country.name
    for code in ("TWN", "XKX", "PSE"):
        assert catalogue.get(code).country == code


def test_a_territory_acts_for_its_sovereign(catalogue: Catalogue) -> None:
    """Hong Kong's officials act for China: the United States sanctioning them is an act
    between the two countries."""
    for code in ("HKG", "MAC"):
        assert catalogue.get(code).country == "CHN"
        assert catalogue.group(code, "GOV").country == "CHN"
    text = "The United States imposed sanctions on Hong Kong officials."
    found = default_matcher().find(text, date(2020, 8, 7))
    assert {m.country for m in found} == {"USA", "CHN"}


def test_no_id_is_defined_in_two_files() -> None:
    files_of: dict[str, set[str]] = defaultdict(set)
    for name in DATA_FILES:
        for row in _rows(name):
            files_of[row.get("id") or row["code"]].add(name)
    assert {key: names for key, names in files_of.items() if len(names) > 1} == {}


def test_each_person_row_is_a_distinct_role() -> None:
    rows = Counter((r["id"], r["role"], r["start"]) for r in _rows("people.csv"))
    assert [key for key, count in rows.items() if count > 1] == []


def test_role_dates_are_ordered(catalogue: Catalogue) -> None:
    for alias, actor in catalogue.aliases():
        assert alias.strip() == alias and alias, actor.id
        for role in catalogue.roles_of(actor.id):
            assert role.end is None or role.start < role.end, role


def test_single_holder_offices_never_overlap(catalogue: Catalogue) -> None:
    terms = defaultdict(set)
    for actor_id in {actor.id for _, actor in catalogue.aliases()}:
        for role in catalogue.roles_of(actor_id):
            if role.role not in SHARED_ROLES:
                terms[role.role, role.country].add((role.start, role.end or date.max, actor_id))
    for office, spans in terms.items():
        ordered = sorted(spans)
        for (_, end, before), (start, _, after) in zip(ordered, ordered[1:], strict=False):
            assert end <= start, f"{office}: {before} and {after} overlap"


@pytest.mark.parametrize(
    ("role", "country", "day", "name"),
    [
        ("foreign_minister", "CHN", date(2023, 6, 19), "Qin Gang"),
        ("foreign_minister", "CHN", date(2024, 3, 1), "Wang Yi"),
        ("secretary_of_state", "USA", date(2022, 5, 1), "Antony Blinken"),
        ("secretary_of_state", "USA", date(2025, 6, 1), "Marco Rubio"),
        ("defense_minister", "CHN", date(2023, 6, 1), "Li Shangfu"),
        ("defense_minister", "CHN", date(2024, 6, 1), "Dong Jun"),
        ("head_of_state", "USA", date(2019, 6, 1), "Donald Trump"),
        ("head_of_state", "USA", date(2026, 1, 1), "Donald Trump"),
        ("head_of_government", "IND", date(2020, 6, 1), "Narendra Modi"),
        ("head_of_government", "CAN", date(2023, 9, 18), "Justin Trudeau"),
        ("head_of_government", "CAN", date(2025, 6, 1), "Mark Carney"),
        ("head_of_government", "GBR", date(2022, 10, 1), "Liz Truss"),
        ("head_of_government", "ISR", date(2022, 9, 1), "Yair Lapid"),
        ("head_of_government", "ISR", date(2024, 1, 1), "Benjamin Netanyahu"),
        ("head_of_government", "JPN", date(2023, 5, 19), "Fumio Kishida"),
        ("head_of_government", "DEU", date(2019, 1, 1), "Angela Merkel"),
        ("head_of_government", "IRN", date(2022, 1, 1), "Ebrahim Raisi"),
        ("head_of_state", "IRN", date(2022, 1, 1), "Ali Khamenei"),
        ("head_of_state", "UKR", date(2018, 1, 1), "Petro Poroshenko"),
        ("head_of_state", "UKR", date(2022, 2, 24), "Volodymyr Zelensky"),
        ("head_of_state", "KOR", date(2023, 1, 1), "Yoon Suk Yeol"),
        ("head_of_state", "BRA", date(2020, 1, 1), "Jair Bolsonaro"),
        ("foreign_minister", "RUS", date(2022, 3, 1), "Sergey Lavrov"),
        ("foreign_minister", "IND", date(2018, 1, 1), "Sushma Swaraj"),
        ("foreign_minister", "GBR", date(2024, 1, 1), "David Cameron"),
        ("foreign_minister", "TUR", date(2023, 6, 4), "Hakan Fidan"),
    ],
)
def test_holder_depends_on_the_date(
    catalogue: Catalogue, role: str, country: str, day: date, name: str
) -> None:
    holder = catalogue.holder(role, country, day)
    assert holder is not None and holder.name == name


def test_vacant_office_has_no_holder(catalogue: Catalogue) -> None:
    # Li Shangfu was removed in October 2023 and Dong Jun named at the end of December.
    assert catalogue.holder("defense_minister", "CHN", date(2023, 11, 15)) is None


@pytest.mark.parametrize(
    ("title", "country", "day", "name"),
    [
        ("the Secretary of State", None, date(2023, 3, 1), "Antony Blinken"),
        ("Foreign Minister", "CHN", date(2023, 6, 19), "Qin Gang"),
        ("Chinese foreign minister", None, date(2024, 3, 1), "Wang Yi"),
        ("China's Defence Minister", None, date(2024, 6, 1), "Dong Jun"),
        ("U.S. Trade Representative", "USA", date(2025, 6, 1), "Jamieson Greer"),
        ("National Security Advisor", "USA", date(2022, 1, 1), "Jake Sullivan"),
        ("Chinese leader", None, date(2024, 1, 1), "Xi Jinping"),
        ("the U.S. President", None, date(2022, 1, 1), "Joe Biden"),
    ],
)
def test_role_titles_resolve_by_date(
    catalogue: Catalogue, title: str, country: str | None, day: date, name: str
) -> None:
    holder = catalogue.find_role_title(title, country, day)
    assert holder is not None and holder.name == name


def test_title_shared_by_countries_needs_a_country(catalogue: Catalogue) -> None:
    assert catalogue.find_role_title("Foreign Minister", None, date(2024, 3, 1)) is None


@given(day=PERIOD, office=st.sampled_from(["secretary_of_state", "head_of_state"]))
def test_holder_agrees_with_roles_and_titles(day: date, office: str) -> None:
    catalogue = Catalogue.load()
    holder = catalogue.holder(office, "USA", day)
    if holder is None:
        return
    roles = [r for r in catalogue.roles_of(holder.id, day) if r.role == office]
    assert roles
    assert catalogue.find_role_title(roles[0].title, "USA", day) == holder


@given(day=PERIOD, office=st.sampled_from(["foreign_minister", "premier", "head_of_state"]))
def test_chinese_offices_are_never_vacant(day: date, office: str) -> None:
    assert Catalogue.load().holder(office, "CHN", day) is not None


def test_capitals_and_agencies_are_aliases(catalogue: Catalogue) -> None:
    named = defaultdict(set)
    for alias, actor in catalogue.aliases():
        named[alias].add(actor.id)
    assert named["Beijing"] == {"CHN"}
    assert named["Washington"] == {"USA"}
    assert named["Pentagon"] == {"agency:usa-defense-department"}
    assert named["Tony Blinken"] == {"person:antony-blinken"}
    assert catalogue.get("agency:chn-pla").country == "CHN"
    assert catalogue.get("IGO:NATO").country is None


def test_generic_nouns_imply_sectors(catalogue: Catalogue) -> None:
    assert catalogue.sector_for("Lawmakers") == "LEG"
    assert catalogue.sector_for("navy") == "MIL"
    assert catalogue.sector_for("spokesperson") == "GOV"
    assert catalogue.sector_for("unicorn") is None
    nouns = Counter(n.lower() for row in _rows("sectors.csv") for n in row["nouns"].split("|"))
    assert [noun for noun, count in nouns.items() if count > 1] == []


def test_default_catalogue_is_cached() -> None:
    assert Catalogue.load() is Catalogue.load()


def test_user_file_replaces_a_row_and_adds_one(tmp_path: Path) -> None:
    extra = tmp_path / "mine.csv"
    extra.write_text(
        PERSON_HEADER + "person:antony-blinken,Anthony Blinken,Blinken,USA,DIP,envoy,Special Envoy,"
        "2021-01-26,2021-06-01\n"
        + "person:jane-doe,Jane Doe,Doe,CHN,DIP,climate_envoy,Climate Envoy,"
        "2030-01-01,\n",
        encoding="utf-8",
    )
    catalogue = Catalogue.load([extra])
    blinken = catalogue.get("person:antony-blinken")
    assert blinken.name == "Anthony Blinken" and blinken.sector == "DIP"
    assert [r.role for r in catalogue.roles_of(blinken.id)] == ["envoy"]
    assert catalogue.holder("secretary_of_state", "USA", date(2022, 5, 1)) is None
    assert catalogue.holder("climate_envoy", "CHN", date(2031, 1, 1)) == catalogue.get(
        "person:jane-doe"
    )
    # The cached built-in catalogue is untouched.
    assert Catalogue.load().get("person:antony-blinken").name == "Antony Blinken"


def test_user_country_row_replaces_the_built_in_one(tmp_path: Path) -> None:
    extra = tmp_path / "countries.csv"
    extra.write_text(
        "code,name,aliases,adjectives,capital\nCHN,China,PRC,Chinese,Peking\n", encoding="utf-8"
    )
    china = Catalogue.load([extra]).get("CHN")
    assert china.aliases == ("China", "PRC", "Chinese", "Peking")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (PERSON_HEADER + "person:x,X,,USA,GOV,envoy,Envoy,2021-13-01,\n", "start must be a date"),
        (PERSON_HEADER + "person:x,X,,USA,GOV,envoy,Envoy,2021-01-01,2020-01-01\n", "end after"),
        (PERSON_HEADER + "person:x,X,,USA,GOV\n", "expected 9 fields"),
        (PERSON_HEADER + "person:x,X,,ZZZ,GOV,,,,\n", "unknown country code 'ZZZ'"),
        (PERSON_HEADER + "person:x,X,,USA,XYZ,,,,\n", "unknown sector code 'XYZ'"),
        ("id,name,type,aliases\nIGO:X,X,club,\nIGO:X,Y,IGO,\n", "appears twice"),
        ("id,name,type,aliases\nIGO:X,X,club,\n", "type must be one of"),
    ],
)
def test_malformed_user_file_names_file_and_line(
    tmp_path: Path, content: str, problem: str
) -> None:
    extra = tmp_path / "broken.csv"
    extra.write_text(content, encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"broken\.csv, line [23]") as error:
        Catalogue.load([extra])
    assert problem in str(error.value)


def test_unknown_file_shape_is_rejected(tmp_path: Path) -> None:
    extra = tmp_path / "odd.csv"
    extra.write_text("who,when\nme,now\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"odd\.csv, line 1: unknown columns"):
        Catalogue.load([extra])


def test_a_group_actor_is_a_sector_of_a_country(catalogue: Catalogue) -> None:
    group = catalogue.group("CHN", "LEG")
    assert (group.id, group.kind, group.country, group.sector) == (
        "group:CHN:LEG",
        "group",
        "CHN",
        "LEG",
    )
    assert group.name == "China (Legislature)"
    assert catalogue.group("CHN", "LEG") is group


def test_people_have_a_gender_and_user_files_may_leave_it_out(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    assert catalogue.get("person:janet-yellen").gender == "f"
    assert catalogue.get("person:antony-blinken").gender == "m"
    assert {catalogue.get(a.id).gender for _, a in catalogue.aliases() if a.kind == "person"} == {
        "m",
        "f",
    }
    without = tmp_path / "without.csv"
    without.write_text(PERSON_HEADER + "person:x,X Y,,USA,GOV,,,,\n", encoding="utf-8")
    assert Catalogue.load([without]).get("person:x").gender is None
    broken = tmp_path / "broken.csv"
    broken.write_text(
        PERSON_HEADER.strip() + ",gender\nperson:x,X Y,,USA,GOV,,,,,x\n", encoding="utf-8"
    )
    with pytest.raises(CatalogueError, match="gender must be one of"):
        Catalogue.load([broken])


@pytest.mark.parametrize(
    ("title", "day", "name"),
    [
        ("Indian Prime Minister", date(2020, 6, 1), "Narendra Modi"),
        ("Japanese Prime Minister", date(2021, 1, 1), "Yoshihide Suga"),
        ("British Foreign Secretary", date(2020, 1, 1), "Dominic Raab"),
        ("Russian Foreign Minister", date(2023, 1, 1), "Sergey Lavrov"),
        ("German Chancellor", date(2023, 1, 1), "Olaf Scholz"),
        ("Iranian President", date(2019, 1, 1), "Hassan Rouhani"),
        ("Saudi Crown Prince", date(2019, 1, 1), "Mohammed bin Salman"),
    ],
)
def test_world_leader_titles_resolve_by_date(
    catalogue: Catalogue, title: str, day: date, name: str
) -> None:
    holder = catalogue.find_role_title(title, None, day)
    assert holder is not None and holder.name == name


def test_a_prime_minister_title_needs_a_country(catalogue: Catalogue) -> None:
    assert catalogue.find_role_title("Prime Minister", None, date(2023, 1, 1)) is None


@pytest.mark.parametrize(
    "spellings",
    [
        ("Zelensky", "Zelenskyy", "Zelenskiy", "Volodymyr Zelenskyy"),
        ("Erdogan", "Erdoğan", "Recep Tayyip Erdogan"),
        ("Modi", "Narendra Modi"),
        ("Lula", "Lula da Silva", "Luiz Inacio Lula da Silva"),
        ("Sergei Lavrov", "Sergey Lavrov", "Lavrov"),
    ],
)
def test_spellings_of_a_leader_name_one_person(
    catalogue: Catalogue, spellings: tuple[str, ...]
) -> None:
    named = defaultdict(set)
    for alias, actor in catalogue.aliases():
        named[alias].add(actor.id)
    assert len(set.union(*(named[s] for s in spellings))) == 1
    assert all(len(named[s]) == 1 for s in spellings)


def test_a_person_alias_names_no_one_else_and_no_country(catalogue: Catalogue) -> None:
    owners = defaultdict(set)
    for alias, actor in catalogue.aliases():
        owners[alias.lower()].add((actor.kind == "person", actor.id))
    shared = {
        alias: ids
        for alias, ids in owners.items()
        if len(ids) > 1 and any(is_person for is_person, _ in ids)
    }
    # "Liu" is Liu He or Liu Jianchao by design: the resolver settles it from context.
    assert set(shared) <= {"liu"}


def test_common_surnames_are_no_alias_on_their_own(catalogue: Catalogue) -> None:
    aliases = {alias for alias, actor in catalogue.aliases() if actor.kind == "person"}
    assert {"Kim", "Lee", "Khan", "Sharif", "Moon", "May", "Johnson", "Park"} & aliases == set()
