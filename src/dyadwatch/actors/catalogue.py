"""The actor catalogue: countries, international bodies, agencies and people with dated roles.

The built-in CSV files in ``dyadwatch/data/actors/`` are written by the project from public
facts. A user file in the shape of any of them (recognised by its header) adds rows or
replaces built-in ones with the same id; every row of that id in the user file together
replaces the built-in definition, roles included.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property
from importlib import resources
from pathlib import Path

# Columns that make up each file shape; the first one is the row's id.
COLUMNS = {
    "sector": ("code", "name", "nouns"),
    "country": ("code", "name", "aliases", "adjectives", "capital"),
    "organization": ("id", "name", "type", "aliases"),
    "agency": ("id", "name", "country", "sector", "aliases"),
    "person": ("id", "name", "aliases", "country", "sector", "role", "role_title", "start", "end"),
}
# Columns a file of that shape may leave out: a person's gender ("m" or "f"), which lets "he"
# and "she" refer back to them; a territory's sovereign, the country it acts for (Hong Kong's
# government and officials act for China, as inter-state event data codes them).
OPTIONAL = {"person": ("gender",), "country": ("sovereign",)}
GENDERS = {"m", "f"}
# Sectors first: the other files are checked against sector and country codes.
BUILT_IN = (
    "sectors.csv",
    "countries.csv",
    "organizations.csv",
    "agencies.csv",
    "people.csv",
)
ORGANIZATION_TYPES = {"IGO", "regional", "military alliance"}


@dataclass(frozen=True)
class Actor:
    id: str  # "USA", "IGO:UN", "person:antony-blinken", "agency:usa-state-department",
    # "group:CHN:GOV" (a country's sector named by a generic noun: "Chinese officials")
    name: str
    kind: str  # "country" | "organization" | "agency" | "person" | "group"
    country: str | None  # ISO alpha-3 (None for international bodies)
    sector: str | None  # CAMEO-style code: GOV, MIL, DIP, LEG, JUD, BUS, SPY...
    aliases: tuple[str, ...]
    gender: str | None = None  # "m" or "f" for people whose file says so


@dataclass(frozen=True)
class Role:
    actor_id: str
    role: str  # normalised key: "secretary_of_state", "foreign_minister"...
    title: str  # as written: "Secretary of State"
    country: str
    sector: str
    start: date
    end: date | None  # None while in office; the holder left office on this day

    @cached_property  # asked for every role whenever a title is looked up
    def normal_title(self) -> str:
        return _normal_title(self.title)

    def held_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True)
class Sector:
    code: str
    name: str
    nouns: tuple[str, ...]  # generic words that imply the sector: "lawmakers", "navy"


# Rows are keyed by (is it a sector, id): sector codes and country codes share a shape.
_Key = tuple[bool, str]


class CatalogueError(ValueError):
    """A malformed actor file; the message names the file and line."""


@dataclass(frozen=True)
class _Row:
    kind: str
    values: dict[str, str]
    where: str  # "people.csv, line 12", for error messages

    def fail(self, problem: str) -> CatalogueError:
        return CatalogueError(f"{self.where}: {problem}")


class Catalogue:
    def __init__(self, rows: dict[_Key, list[_Row]]) -> None:
        self._sectors = {code: _sector(group[0]) for (table, code), group in rows.items() if table}
        actors = [group for (table, _), group in rows.items() if not table]
        self._actors = {a.id: a for a in (_actor(group) for group in actors)}
        for group in actors:
            self._check_codes(self._actors[_key(group[0])[1]], group[0])
        self._roles = [role for group in actors for role in _roles(group)]
        self._roles_by_actor: dict[str, list[Role]] = defaultdict(list)
        for role in self._roles:
            self._roles_by_actor[role.actor_id].append(role)
        self._countries_by_word = {
            alias.lower(): actor.id
            for actor in self._actors.values()
            if actor.kind == "country"
            for alias in actor.aliases
        }

    @classmethod
    def load(cls, extra: Sequence[Path] = ()) -> Catalogue:
        """The built-in catalogue plus user files (same CSV shapes) that add or override."""
        if not extra:
            return _built_in()
        rows = _built_in_rows()
        for path in extra:
            rows.update(_parse(str(path), Path(path).read_text(encoding="utf-8")))
        return cls(rows)

    def get(self, actor_id: str) -> Actor:
        return self._actors[actor_id]

    def aliases(self) -> Iterator[tuple[str, Actor]]:
        """Every (alias, actor) pair, for phrase matching; an alias may name several actors."""
        for actor in self._actors.values():
            for alias in actor.aliases:
                yield alias, actor

    def roles_of(self, actor_id: str, on: date | None = None) -> list[Role]:
        roles = self._roles_by_actor.get(actor_id, [])
        return [r for r in roles if on is None or r.held_on(on)]

    def holder(self, role: str, country: str, on: date) -> Actor | None:
        """Who held a role for a country on a date; None when nobody or several did."""
        return self._single_holder(
            r for r in self._roles if r.role == role and r.country == country and r.held_on(on)
        )

    def find_role_title(self, title: str, country: str | None, on: date) -> Actor | None:
        """Who held a title ("the Secretary of State", "Chinese foreign minister") on a date;
        a leading country word sets the country when none is given. None when nobody or
        more than one person fits."""
        whole = _normal_title(title)
        named_country, rest = self._split_country(whole)
        # The whole title first: some titles start with a country word ("Chinese leader").
        wanted = {rest: country or named_country, whole: country}
        return self._single_holder(
            r
            for r in self._roles
            if r.normal_title in wanted
            and wanted[r.normal_title] in (None, r.country)
            and r.held_on(on)
        )

    def sector(self, code: str) -> Sector:
        return self._sectors[code]

    def sector_for(self, noun: str) -> str | None:
        """The sector a generic noun implies ("lawmakers" -> LEG), case-insensitively."""
        wanted = noun.strip().lower()
        found = (s.code for s in self._sectors.values() if wanted in map(str.lower, s.nouns))
        return next(found, None)

    def sector_nouns(self) -> Iterator[tuple[str, str]]:
        """Every (generic noun, sector code) pair: "lawmakers" -> LEG."""
        for sector in self._sectors.values():
            for noun in sector.nouns:
                yield noun, sector.code

    def group(self, country: str, sector: str) -> Actor:
        """The generic actor of a country's sector: "Chinese officials" are China's
        government (``group:CHN:GOV``), "US lawmakers" its legislature."""
        return _group(self._actors[country], self._sectors[sector])

    def _single_holder(self, roles: Iterator[Role]) -> Actor | None:
        holders = {role.actor_id for role in roles}
        return self._actors[holders.pop()] if len(holders) == 1 else None

    def _split_country(self, title: str) -> tuple[str | None, str]:
        """("chinese", "foreign minister") from "chinese foreign minister"; the longest
        leading run of words that names a country wins."""
        words = title.split()
        for size in range(min(4, len(words) - 1), 0, -1):
            head = re.sub(r"['’]s$", "", " ".join(words[:size]))
            if head in self._countries_by_word:
                return self._countries_by_word[head], " ".join(words[size:])
        return None, title

    def _check_codes(self, actor: Actor, row: _Row) -> None:
        if actor.country is not None and self._actors.get(actor.country, actor).kind != "country":
            raise row.fail(f"unknown country code {actor.country!r}")
        if actor.sector is not None and actor.sector not in self._sectors:
            raise row.fail(f"unknown sector code {actor.sector!r}")


@cache
def _group(country: Actor, sector: Sector) -> Actor:
    name = f"{country.name} ({sector.name})"
    return Actor(
        f"group:{country.id}:{sector.code}", name, "group", country.country, sector.code, ()
    )


def _normal_title(title: str) -> str:
    text = title.lower().replace("defence", "defense").replace("advisor", "adviser")
    return " ".join(word for word in text.split() if word != "the")


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("|") if part.strip())


def _unique(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _sector(row: _Row) -> Sector:
    values = row.values
    return Sector(values["code"], values["name"], _split(values["nouns"]))


def _actor(group: list[_Row]) -> Actor:
    first = group[0]
    values = first.values
    if first.kind == "country":
        names = (values["name"], *_split(values["aliases"]), *_split(values["adjectives"]))
        aliases = _unique(names + _split(values["capital"]))
        acts_for = values.get("sovereign") or values["code"]
        return Actor(values["code"], values["name"], "country", acts_for, None, aliases)
    if first.kind == "organization":
        if values["type"] not in ORGANIZATION_TYPES:
            raise first.fail(f"type must be one of {sorted(ORGANIZATION_TYPES)}")
        aliases = _unique((values["name"], *_split(values["aliases"])))
        return Actor(values["id"], values["name"], "organization", None, None, aliases)
    # Agencies and people: a person's rows (one per role) add up their aliases.
    aliases = _unique(
        [values["name"]] + [a for row in group for a in _split(row.values["aliases"])]
    )
    gender = next((row.values.get("gender") for row in group if row.values.get("gender")), None)
    if gender is not None and gender not in GENDERS:
        raise first.fail(f"gender must be one of {sorted(GENDERS)}, not {gender!r}")
    return Actor(
        values["id"],
        values["name"],
        first.kind,
        values["country"],
        values["sector"],
        aliases,
        gender,
    )


def _roles(group: list[_Row]) -> Iterator[Role]:
    for row in group:
        if row.kind != "person" or not row.values["role"]:
            continue
        values = row.values
        start, end = _date(row, "start"), _date(row, "end") if values["end"] else None
        if end is not None and end <= start:
            raise row.fail("a role must end after it starts")
        for title in _split(values["role_title"]) or (values["role"],):
            yield Role(
                values["id"], values["role"], title, values["country"], values["sector"], start, end
            )


def _date(row: _Row, column: str) -> date:
    try:
        return date.fromisoformat(row.values[column])
    except ValueError as error:
        problem = f"{column} must be a date as YYYY-MM-DD, not {row.values[column]!r}"
        raise row.fail(problem) from error


def _kind(name: str, header: Sequence[str]) -> str:
    for kind, columns in COLUMNS.items():
        if set(header) - set(OPTIONAL.get(kind, ())) == set(columns):
            return kind
    shapes = "; ".join(",".join(columns) for columns in COLUMNS.values())
    raise CatalogueError(
        f"{name}, line 1: unknown columns {list(header)}; expected one of: {shapes}"
    )


def _key(row: _Row) -> _Key:
    return row.kind == "sector", row.values[COLUMNS[row.kind][0]]


def _parse(name: str, text: str) -> dict[_Key, list[_Row]]:
    """Rows of one file grouped by id, in file order."""
    reader = csv.DictReader(text.splitlines())
    kind = _kind(name, reader.fieldnames or [])
    groups: dict[_Key, list[_Row]] = defaultdict(list)
    for record in reader:
        row = _Row(kind, record, f"{name}, line {reader.line_num}")
        if None in record or None in record.values():
            header = reader.fieldnames or []
            raise row.fail(f"expected {len(header)} fields: {','.join(header)}")
        key = _key(row)
        if not key[1] or not record["name"]:
            raise row.fail(f"{COLUMNS[kind][0]} and name must not be empty")
        if groups[key] and kind != "person":
            raise row.fail(f"{key[1]!r} appears twice")
        groups[key].append(row)
    return dict(groups)


def _built_in_rows() -> dict[_Key, list[_Row]]:
    rows: dict[_Key, list[_Row]] = {}
    folder = resources.files("dyadwatch").joinpath("data", "actors")
    for name in BUILT_IN:
        rows.update(_parse(name, folder.joinpath(name).read_text(encoding="utf-8")))
    return rows


@cache
def _built_in() -> Catalogue:
    return Catalogue(_built_in_rows())
