"""The plain-text cleaner: body among boilerplate, metadata and how sure each date is."""

from __future__ import annotations

import pytest
from conftest import shared_path
from hypothesis import given, settings
from hypothesis import strategies as st

from dyadwatch.extract.text import extract_text, page_lines

PARAGRAPHS = [
    "The foreign ministers of the two countries met in Geneva on Tuesday for talks that "
    "officials described as frank, covering trade, security and the war in Ukraine.",
    "Both sides agreed to set up a working group on export controls, which will meet every "
    "three months and report to the ministers before the end of the year.",
    "Diplomats said the meeting was the longest between the two governments in more than "
    "two years, although no joint statement was issued when it ended.",
]


def scrape(header: list[str], footer: list[str]) -> str:
    return "\n".join([*header, "", *("\n".join([p, ""]) for p in PARAGRAPHS), *footer])


MENU = ["Home", "World", "Politics", "Business", "Sports", "Subscribe", "Log in"]
TAIL = [
    "Related posts",
    "Ministers meet again next month to discuss the working group and its first findings.",
    "Leave a Reply",
    "Your email address will not be published.",
    "© 2024 Example Daily News. All rights reserved.",
]


def test_body_excludes_menus_share_rows_and_tail() -> None:
    text = scrape(
        [*MENU, "Ministers agree on export control working group", "Share: Facebook Twitter Email"],
        TAIL,
    )
    body = extract_text(text).body
    assert body.split("\n\n") == PARAGRAPHS


def test_labelled_date_is_certain_and_a_banner_date_is_weak() -> None:
    labelled = scrape(
        [*MENU, "Ministers agree on a working group", "Published: March 3, 2022 10:15 AM"], TAIL
    )
    evidence = extract_text(labelled).date_evidence
    assert evidence[0].date == "2022-03-03" and evidence[0].confidence == "high"

    banner = scrape(["April 20, 2021", "News Update", *MENU, "Ministers agree on a group"], TAIL)
    evidence = extract_text(banner).date_evidence
    assert [(e.date, e.confidence) for e in evidence] == [("2021-04-20", "low")]


@pytest.mark.parametrize(
    ("line", "day", "confidence"),
    [
        ("Updated 23:09, 29-Jun-2019", "2019-06-29", "medium"),
        ("PTI | Okuma | Updated: 24-08-2023 11:45 IST | Created: 24-08-2023 11:42 IST",
         "2023-08-24", "high"),
        ("Published 10.11.25, 02:56 PM", "2025-11-10", "high"),
        ("UPDATED at 5:47 p.m. ET on 2024-01-26", "2024-01-26", "medium"),
        ("First Published: Aug 24 2023 | 11:55 AM IST", "2023-08-24", "high"),
        ("mandag 10. august 2020", "2020-08-10", "low"),  # read, but maybe a banner
        ("Nov 16, 2021 07:42 PM | World | Asia", "2021-11-16", "medium"),
    ],
)  # fmt: skip
def test_dates_stamped_in_the_header_in_the_forms_sites_use(
    line: str, day: str, confidence: str
) -> None:
    text = scrape([line, *MENU, "Ministers agree on a working group"], TAIL)
    evidence = extract_text(text).date_evidence
    assert (evidence[0].date, evidence[0].confidence) == (day, confidence)


def test_a_dateline_opening_the_story_dates_it() -> None:
    opening = "BRUSSELS, Sept. 9, 2024 - " + PARAGRAPHS[0]
    text = "\n".join([*MENU, "Ministers agree on a group", "", opening, "", *PARAGRAPHS[1:], *TAIL])
    evidence = extract_text(text).date_evidence
    assert (evidence[0].date, evidence[0].origin) == ("2024-09-09", "dateline")


def test_a_date_told_in_the_story_or_an_embedded_post_is_no_stamp() -> None:
    told = PARAGRAPHS[0] + " The report was published on June 3, 2020 by the ministry."
    text = "\n".join([*MENU, "Ministers agree on a group", "", told, "", *PARAGRAPHS[1:], *TAIL])
    assert extract_text(text).date_evidence == []
    embed = "— Jane Roe (@janeroe) October 10, 2025"
    text = "\n".join([*MENU, "Ministers agree on a group", "", PARAGRAPHS[0], embed, *TAIL])
    assert extract_text(text).date_evidence == []


def test_title_byline_and_outlet_from_the_text() -> None:
    text = scrape(
        [*MENU, "Ministers agree on export control working group", "By Jane Roe | May 2, 2023"],
        ["Send tips to newsdesk@dailyherald.example.com", *TAIL],
    )
    found = extract_text(text)
    assert found.title == "Ministers agree on export control working group"
    assert found.author == "Jane Roe"
    assert found.date_evidence[0].date == "2023-05-02"
    assert found.outlet == "Daily Herald"


@pytest.mark.parametrize(
    ("credit", "outlet"),
    [("(Courtesy: Harbor Ledger)", "Harbor Ledger"), ("Source: Example Wire.", "Example Wire")],
)
def test_republished_article_names_the_publisher_it_credits(credit: str, outlet: str) -> None:
    found = extract_text(scrape(["A headline about the talks in Geneva"], [credit, *TAIL]))
    assert found.outlet == outlet


def test_a_credit_to_a_person_is_no_outlet() -> None:
    found = extract_text(
        scrape(["A headline about the talks in Geneva"], ["Courtesy of the author"])
    )
    assert found.outlet is None


def test_author_line_closes_the_body() -> None:
    text = scrape(["A headline about the talks in Geneva"], ["The author is a professor of law."])
    found = extract_text(text)
    assert "professor" not in found.body
    assert found.author == "a professor of law"


def test_seed_scrapes_lose_their_boilerplate() -> None:
    seed = shared_path("seeds/002_cb03f104af62a468.txt").read_text(encoding="utf-8")
    found = extract_text(seed)
    assert found.title == "China working on resumption of dialogue with US: Report"
    assert found.outlet == "The Defence Times"
    assert found.date_evidence[0].date == "2022-12-16"
    for boilerplate in ("Facebook", "Related Posts", "Subscribe to Updates", "©"):
        assert boilerplate not in found.body


@pytest.mark.parametrize("count", [1, 2, 3])
def test_a_short_clean_text_is_all_body(count: int) -> None:
    """A feed item or a JSON line of a paragraph or two: every line prose, nothing to cut."""
    text = "\n".join(PARAGRAPHS[:count])
    assert extract_text(text).body == "\n\n".join(PARAGRAPHS[:count])


def test_a_short_clean_scrape_keeps_its_paragraph() -> None:
    # The line model learned on whole web pages; a three-line scrape must not come out empty.
    text = "Ministers meet in Geneva\n\nPublished: June 19, 2023\n\n" + PARAGRAPHS[0]
    assert extract_text(text).body == PARAGRAPHS[0]


def test_huge_lines_are_handled() -> None:
    page = "word" * 60_000 + "\n" + "x@" * 40_000 + "\n" + PARAGRAPHS[0]
    assert PARAGRAPHS[0] in extract_text(page).body


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=2000))
def test_any_text_gives_a_body_made_of_its_own_lines(text: str) -> None:
    found = extract_text(text)
    lines = set(page_lines(text))
    assert all(paragraph in lines for paragraph in found.body.split("\n\n") if paragraph)
    assert extract_text(text) == found  # deterministic


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from([*PARAGRAPHS, *MENU, *TAIL, ""]), max_size=40))
def test_newline_conventions_do_not_matter(lines: list[str]) -> None:
    unix = "\n".join(lines)
    assert extract_text(unix) == extract_text(unix.replace("\n", "\r\n"))
    assert extract_text(unix) == extract_text(unix.replace("\n", "\r"))
