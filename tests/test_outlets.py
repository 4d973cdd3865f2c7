"""Outlet countries: the built-in table by domain and by name, the country-code fallback, and
a user file that adds or overrides rows."""

from __future__ import annotations

from pathlib import Path

import pycountry
import pytest

from dyadwatch.outlets import OutletFileError, OutletTable, normal_name

TABLE = OutletTable.load()


@pytest.mark.parametrize(
    ("outlet", "url", "country"),
    [
        ("Global Times", None, "CHN"),
        ("the global times", None, "CHN"),
        (None, "https://www.globaltimes.cn/page/202306/1292.shtml", "CHN"),
        (None, "https://english.news.cn/20230619/abc/c.html", "CHN"),  # a subdomain
        ("globaltimes.cn", None, "CHN"),  # a site name that is its domain
        ("Xinhua News Agency", None, "CHN"),
        ("The New York Times", "https://www.nytimes.com/2023/06/19/world/asia/x.html", "USA"),
        ("AP", None, "USA"),
        (None, "https://www.aljazeera.com/news/2023/6/19/x", "QAT"),
        ("South China Morning Post", None, "HKG"),
        ("The Economic Times", None, "IND"),  # not the Times of India's domain's owner
        (None, "https://economictimes.indiatimes.com/news/x", "IND"),
        ("Unknown Daily", "https://news.example.cn/a", "CHN"),  # country-code fallback
        ("Unknown Daily", "https://www.example.co.in/a", "IND"),
        ("Some Analytics", "https://example.az/news/1", "AZE"),
        (None, "https://example.co.uk/a", "GBR"),  # .uk is not GB's ISO code
        (None, "https://example.tv/a", None),  # sold worldwide: says nothing
        (None, "https://example.com/a", None),
        ("Test Wire", None, None),
        (None, None, None),
        (None, "not a url at all", None),
        (None, "http://[::1/broken", None),
    ],
)
def test_outlet_countries(outlet: str | None, url: str | None, country: str | None) -> None:
    assert TABLE.country(outlet, url) == country


def test_the_domain_decides_before_an_ambiguous_name() -> None:
    assert TABLE.country("ABC News", "https://www.abc.net.au/news/x") == "AUS"
    assert TABLE.country("ABC News", None) == "USA"


def test_every_built_in_row_is_sound() -> None:
    codes = {c.alpha_3 for c in pycountry.countries}
    names: set[str] = set()
    domains: set[str] = set()
    for outlet in TABLE.outlets:
        assert outlet.country in codes, outlet
        own = {normal_name(name) for name in (outlet.name, *outlet.aliases)}
        assert not own & names, f"{own & names} name two outlets"
        names |= own
        for domain in outlet.domains:
            assert "." in domain and "/" not in domain and domain not in domains, domain
            domains.add(domain)


def test_a_user_file_adds_and_overrides(tmp_path: Path) -> None:
    extra = tmp_path / "outlets.csv"
    extra.write_text(
        "name,aliases,domains,country\n"
        "Test Wire,TW,testwire.example,FRA\n"
        "Global Times,,globaltimes.cn,SGP\n",  # a replaced row: not a real fact
        encoding="utf-8",
    )
    table = OutletTable.load([extra])
    assert table.country("Test Wire", None) == "FRA"
    assert table.country(None, "https://testwire.example/a") == "FRA"
    assert table.country("Global Times", None) == "SGP"
    assert table.country("Huanqiu Shibao", None) is None  # its aliases went with the row
    assert table.country("Xinhua", None) == "CHN"
    assert OutletTable.load().country("Global Times", None) == "CHN"  # built-in untouched


@pytest.mark.parametrize(
    "text",
    [
        "name,domains,country\nX,x.example,FRA\n",
        "name,aliases,domains,country\nX,,x.example,France\n",
        "name,aliases,domains,country\n,,x.example,FRA\n",
    ],
)
def test_a_malformed_user_file_names_the_problem(tmp_path: Path, text: str) -> None:
    extra = tmp_path / "bad.csv"
    extra.write_text(text, encoding="utf-8")
    with pytest.raises(OutletFileError, match="bad.csv"):
        OutletTable.load([extra])
