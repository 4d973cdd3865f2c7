"""The five real seed scrapes, end to end: what ../shared/seeds/README.md says an analyst reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import shared_path

from dyadwatch.pipeline import ingest
from dyadwatch.stance import article_stances
from dyadwatch.store import Store
from dyadwatch.stories import build_stories

EXPECTED = {  # file prefix: (title, outlet, published)
    "000": ("China-U.S. Relations: A policy Adjustment", None, "2024-01-13"),
    "001": ("Actions must follow words for US to improve China ties", "Global Times", "2023-06-19"),
    "002": (
        "China working on resumption of dialogue with US: Report",
        "The Defence Times",
        "2022-12-16",
    ),
    "003": ("China-US dialogue must pave the way for follow-up contacts", None, None),
    "004": (
        "China and US Make Progress in Talks, Hopeful for Improved Relations",
        "Al-Jazeera",
        None,
    ),
}  # fmt: skip


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = shared_path("seeds")
    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    ingest([str(folder)], db, workers=1)
    return db


def test_titles_outlets_and_dates(seeds_db: Path) -> None:
    with Store(seeds_db) as store:
        articles = {Path(a["source"]).name[:3]: a for a in store.iter_articles()}
    assert set(articles) == set(EXPECTED)  # the README is not read as an article
    for prefix, (title, outlet, published) in EXPECTED.items():
        article = articles[prefix]
        assert (article["title"], article["published"]) == (title, published)
        if outlet:
            assert article["outlet"] == outlet


def test_a_contradicted_header_date_is_kept_only_as_weak_evidence(seeds_db: Path) -> None:
    with Store(seeds_db) as store:
        (article,) = [a for a in store.iter_articles() if "/003_" in a["source"]]
    assert article["published"] is None
    assert [e["confidence"] for e in article["date_evidence"]] == ["low"]


def test_bodies_are_free_of_boilerplate(seeds_db: Path) -> None:
    with Store(seeds_db) as store:
        bodies = {Path(a["source"]).name[:3]: a["body"] for a in store.iter_articles()}
    assert "News line" not in bodies["000"] and "Author is" not in bodies["000"]
    assert "opinion@globaltimes.com.cn" not in bodies["001"]
    assert bodies["001"].count("Photo: Xinhua") == 0
    assert "Related Posts" not in bodies["002"] and "Facebook" not in bodies["002"]
    assert "bloggers like this" not in bodies["003"]
    assert "Related Articles" not in bodies["004"]


def test_blinken_xi_meeting_is_one_event_reported_by_two_articles(seeds_db: Path) -> None:
    with Store(seeds_db) as store:
        meetings = [
            e
            for e in store.events(limit=None, dyad=("CHN", "USA"), event_type="CONSULT")
            if {e["source"]["name"], e["target"]["name"]} == {"Xi Jinping", "Antony Blinken"}
        ]
    assert len(meetings) == 1
    sources = {Path(m["source"]).name[:3] for m in meetings[0]["mentions"]}
    assert sources == {"001", "004"}
    assert meetings[0]["date"] == "2023-06-19"


def test_summits_mentioned_as_past_are_background_on_their_own_days(seeds_db: Path) -> None:
    # 000 (January 2024) looks back on San Francisco, 002 (December 2022) and 004 on Bali:
    # neither summit happened on the article's day
    with Store(seeds_db) as store:
        summits = {
            e["location"]["name"]: e
            for e in store.events(limit=None, dyad=("CHN", "USA"), event_type="CONSULT")
            if {e["source"]["name"], e["target"]["name"]} == {"Xi Jinping", "Joe Biden"}
            and e["location"]
        }
    assert {"Bali", "San Francisco"} <= set(summits)
    assert summits["Bali"]["date"] == "2022-11-15" and summits["Bali"]["status"] == "background"
    assert {Path(m["source"]).name[:3] for m in summits["Bali"]["mentions"]} == {"002", "004"}
    francisco = summits["San Francisco"]
    assert (francisco["date"], francisco["status"]) == ("2023-11-15", "background")


def test_misspelled_blinken_is_resolved(seeds_db: Path) -> None:
    # 003 spells him "Blincoln" and "Brinken"
    with Store(seeds_db) as store:
        (article,) = [a for a in store.iter_articles() if Path(a["source"]).name[:3] == "003"]
        mentions = store.actor_mentions(article["id"])
    spelled = {m["text"] for m in mentions if m["actor_id"] == "person:antony-blinken"}
    assert {"Blincoln", "Brinken"} <= spelled


def test_the_two_reports_of_the_beijing_visit_form_one_story_told_differently(
    seeds_db: Path,
) -> None:
    with Store(seeds_db) as store:
        seed_of = {a["id"]: Path(a["source"]).name[:3] for a in store.iter_articles()}
        stories = build_stories(store, ("CHN", "USA"))
    (visit,) = [s for s in stories if {seed_of[i] for i in s.articles} >= {"001", "004"}]
    reports = {seed_of[r["article_id"]]: r for r in visit.reports}
    assert set(reports) == {"001", "004"}
    global_times, republished = reports["001"], reports["004"]
    assert (global_times["outlet"], global_times["outlet_country"]) == ("Global Times", "CHN")
    # 001 argues China's side and blames US policy; 004 is closer to neutral reporting
    assert (global_times["blames"], global_times["favours"]) == ("USA", "CHN")
    assert (republished["blames"], republished["favours"]) != ("USA", "CHN")
    assert all(r["key_sentences"] and r["title"] for r in visit.reports)
    for story in stories:
        for report in story.reports:
            assert set(report["sides"]) == {"CHN", "USA"}


def test_the_other_opinion_piece_for_china_blames_us_policy_too(seeds_db: Path) -> None:
    with Store(seeds_db) as store:
        (article,) = [a for a in store.iter_articles() if "/000_" in a["source"]]
        stance = article_stances(store, [article], ("CHN", "USA"))[article["id"]]
    assert (stance.blames, stance.favours) == ("USA", "CHN")


def test_the_chinese_delegation_meets_former_us_officials_in_002(seeds_db: Path) -> None:
    # "a group of former Chinese officials" visits New York in early November; "The Chinese
    # delegation was led by Wang Chao ..."; "The group met former US officials and executives"
    with Store(seeds_db) as store:
        meetings = [
            (e["source"]["id"], e["target"]["id"], e["type"], e["date"], e["location"]["name"])
            for e in store.events(limit=None, dyad=("CHN", "USA"))
            for m in e["mentions"]
            if "/002_" in m["source"] and m["sentence"].startswith("The group met")
        ]
    assert meetings == [
        ("group:CHN:GOV", "group:USA:ELI", "CONSULT", "2022-11-01", "New York City")
    ]


def test_topics_and_partners_are_not_targets_in_003_and_004(seeds_db: Path) -> None:
    with Store(seeds_db) as store:
        events = store.events(limit=None)
    targets = {(e["source"]["name"], e["target"]["id"]) for e in events}
    assert ("Wang Yi", "TWN") not in targets  # Taiwan is what Wang Yi called a core interest


def test_the_defence_ministrys_demand_and_the_flights_agreement_are_coded(seeds_db: Path) -> None:
    # 000: "It urged the USA to stop arming the island" after the Ministry of National
    # Defense; 004: "an agreement to increase commercial flights between the two countries"
    with Store(seeds_db) as store:
        events = store.events(limit=None, dyad=("CHN", "USA"))
    told = {
        (Path(m["source"]).name[:3], e["type"], e["source"]["country"], e["target"]["country"])
        for e in events
        for m in e["mentions"]
    }
    assert ("000", "REQUEST", "CHN", "USA") in told
    assert ("004", "AGREE", "USA", "CHN") in told or ("004", "AGREE", "CHN", "USA") in told
