"""Which mentions are one event: places that contradict, and mentions with no date at all."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, shared_path
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from dyadwatch.events.merge import (
    Location,
    dates_agree,
    places_agree,
    strengthened,
    stronger_status,
)
from dyadwatch.events.undated import Told, settle
from dyadwatch.pipeline import ingest
from dyadwatch.store import Store
from dyadwatch.store.schema import event_mentions, events
from dyadwatch.stories import build_stories

BIDEN_XI = {"Joe Biden", "Xi Jinping"}


def ingested(tmp_path: Path, stories: list[dict[str, Any]]) -> Path:
    """A store of these articles, read from a JSON-lines feed (url, title, published or
    None, text)."""
    feed = tmp_path / "in" / "wire.jsonl"
    feed.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps({"outlet": "Example Wire", **story}) for story in stories]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "x.db"
    ingest([str(feed)], db, workers=1)
    return db


def story(slug: str, published: str | None, text: str) -> dict[str, Any]:
    return {"url": f"https://wire.example.org/{slug}", "title": slug, "published": published,
            "text": text}  # fmt: skip


def meetings(db: Path, names: set[str]) -> list[dict[str, Any]]:
    with Store(db) as store:
        found = store.events(limit=None, event_type="CONSULT")
    return [e for e in found if {e["source"]["name"], e["target"]["name"]} == names]


def slugs(event: dict[str, Any]) -> set[str]:
    return {m["sentence"].split()[0] for m in event["mentions"]}


def grouping(db: Path) -> set[frozenset[tuple[str, str]]]:
    """Mentions grouped into events, by what they are rather than by ids."""
    with Store(db) as store:
        found = store.events(limit=None)
    return {frozenset((m["source"], m["sentence"]) for m in e["mentions"]) for e in found}


def summit(where: str) -> str:
    return f"President Joe Biden met Chinese President Xi Jinping {where} on Saturday."


@pytest.mark.parametrize(
    ("first", "second", "events_expected"),
    [
        ("in Lima", "in Beijing", 2),  # two countries
        ("in Lima", "", 1),  # one report names no place
        ("at the Filoli estate", "in San Francisco", 1),  # 40 km apart
    ],
)
def test_contradicting_places_keep_two_reports_apart(
    tmp_path: Path, first: str, second: str, events_expected: int
) -> None:
    db = ingested(
        tmp_path,
        [story("one", "2023-11-18", summit(first)), story("two", "2023-11-18", summit(second))],
    )
    assert len(meetings(db, BIDEN_XI)) == events_expected


def test_a_country_or_region_fits_the_places_inside_it() -> None:
    shanghai = Location("Shanghai", "CHN", 31.22, 121.46)
    beijing = Location("Beijing", "CHN", 39.91, 116.4)
    china = Location("China", "CHN", 39.91, 116.4)
    alaska = Location("Alaska", "USA", 64.2, -149.49)
    anchorage = Location("Anchorage", "USA", 61.22, -149.9)
    assert not places_agree(shanghai, beijing)
    assert places_agree(china, shanghai) and places_agree(alaska, anchorage)
    assert not places_agree(china, anchorage)
    assert places_agree(None, beijing) and places_agree(beijing, None)


CAST = "Foreign Minister Wang Yi and National Security Adviser Jake Sullivan also took part."
OTHER_CAST = "Treasury Secretary Janet Yellen and Vice Premier He Lifeng joined them."


def undated_report(slug: str) -> dict[str, Any]:
    return story(slug, None, f"{slug}: President Joe Biden met Chinese President Xi Jinping. "
                 + CAST)  # fmt: skip


def dated_report(slug: str, day: str, cast: str) -> dict[str, Any]:
    return story(slug, day, f"{slug}: President Joe Biden met Chinese President Xi Jinping "
                 f"on Monday. {cast}")  # fmt: skip


def test_an_undated_report_joins_the_meeting_told_with_the_same_people(tmp_path: Path) -> None:
    db = ingested(
        tmp_path,
        [
            dated_report("Earlier", "2021-11-15", OTHER_CAST),
            undated_report("Undated"),
            dated_report("Later", "2023-11-13", CAST),
        ],
    )
    found = {frozenset(slugs(e)) for e in meetings(db, BIDEN_XI)}
    assert found == {frozenset({"Earlier:"}), frozenset({"Undated:", "Later:"})}


def test_an_undated_reports_other_news_takes_the_week_of_the_story_it_joined(
    tmp_path: Path,
) -> None:
    blame = "Wang Yi blamed the United States for the tension."
    undated = undated_report("Undated")
    undated["text"] += " " + blame
    db = ingested(tmp_path, [undated, dated_report("Dated", "2023-11-13", CAST)])
    with Store(db) as store:
        (accused,) = store.events(limit=None, event_type="ACCUSE")
        (meeting,) = meetings(db, BIDEN_XI)
        assert (accused["date"], accused["date_precision"]) == (meeting["date"], "story")
        before = store.events(limit=None)
        assert store.merge_undated() == 0
        assert store.events(limit=None) == before


def test_an_undated_report_fitting_two_meetings_equally_stays_apart(tmp_path: Path) -> None:
    db = ingested(
        tmp_path,
        [
            dated_report("Earlier", "2021-11-15", CAST),
            undated_report("Undated"),
            dated_report("Later", "2023-11-13", CAST),
        ],
    )
    found = meetings(db, BIDEN_XI)
    (undated,) = [e for e in found if e["date"] is None]
    assert slugs(undated) == {"Undated:"}


def test_undated_reports_with_the_same_people_are_one_event(tmp_path: Path) -> None:
    db = ingested(tmp_path, [undated_report("First"), undated_report("Second")])
    (meeting,) = meetings(db, BIDEN_XI)
    assert slugs(meeting) == {"First:", "Second:"}


@pytest.fixture(scope="module")
def both_orders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Seeds and examples ingested into one store, each order into its own."""
    seeds, examples = str(shared_path("seeds")), str(REPO / "examples")
    folder = tmp_path_factory.mktemp("orders")
    seeds_first, examples_first = folder / "seeds-first.db", folder / "examples-first.db"
    ingest([seeds, examples], seeds_first, workers=1)
    ingest([examples], examples_first, workers=1)
    ingest([seeds], examples_first, workers=1)
    return seeds_first, examples_first


def test_events_do_not_depend_on_ingest_order(both_orders: tuple[Path, Path]) -> None:
    seeds_first, examples_first = both_orders
    assert grouping(seeds_first) == grouping(examples_first)


def test_the_undated_repost_joins_the_beijing_visit_not_another_summit(
    both_orders: tuple[Path, Path],
) -> None:
    for db in both_orders:
        (visit,) = [
            e
            for e in meetings(db, {"Antony Blinken", "Xi Jinping"})
            if any("/004_" in m["source"] for m in e["mentions"])
        ]
        sources = {Path(m["source"]).name[:3] for m in visit["mentions"]}
        assert sources == {"001", "004"}
        with Store(db) as store:
            seeds = {a["id"] for a in store.iter_articles() if "/seeds/" in a["source"]}
            stories = build_stories(store)
        (story_of_visit,) = [s for s in stories if visit["mentions"][0]["article_id"] in s.articles]
        assert set(story_of_visit.articles) <= seeds


def test_merging_undated_events_again_changes_nothing(both_orders: tuple[Path, Path]) -> None:
    def state(store: Store) -> tuple[list[Any], list[Any]]:
        with store.engine.connect() as conn:
            rows = conn.execute(select(events).order_by(events.c.id)).all()
            links = conn.execute(
                select(event_mentions.c.id, event_mentions.c.event_id).order_by(event_mentions.c.id)
            ).all()
        return rows, links

    with Store(both_orders[0]) as store:
        before = state(store)
        assert store.merge_undated() == 0
        assert state(store) == before


@pytest.mark.parametrize(
    ("known", "precision", "new", "new_precision", "agree"),
    [
        (date(2022, 1, 1), "year", date(2022, 11, 15), "day", True),
        (date(2022, 1, 1), "year", date(2021, 11, 15), "day", False),  # "in 2022", not 2021
        (date(2022, 11, 1), "month", date(2022, 11, 30), "day", True),
        (date(2022, 11, 1), "month", date(2022, 12, 1), "article", False),
        (date(2022, 11, 14), "day", date(2022, 11, 16), "day", True),
        (date(2022, 11, 14), "day", date(2022, 11, 24), "article", False),
        (None, "unknown", date(2022, 11, 24), "day", True),
    ],
)
def test_a_month_or_a_year_holds_the_days_inside_it(
    known: date | None, precision: str, new: date, new_precision: str, agree: bool
) -> None:
    assert dates_agree(known, precision, new, new_precision) is agree
    assert dates_agree(new, new_precision, known, precision) is agree


def test_a_plan_later_retold_took_place() -> None:
    assert stronger_status("planned", "background") == "background"
    assert stronger_status("background", "happened") == "happened"


def _dated(day: str, end: str | None, precision: str) -> dict[str, Any]:
    return {"status": "happened", "date": day, "date_end": end, "date_precision": precision,
            "location_name": None}  # fmt: skip


@given(st.dates(date(2020, 1, 1), date(2020, 12, 31)), st.integers(0, 4), st.integers(-3, 7))
def test_a_day_inside_a_stored_range_of_days_is_the_day(
    first: date, length: int, offset: int
) -> None:
    """A summit's two days, then "they met on Saturday": the event takes the Saturday; a day
    outside the range, or another range, leaves it as it was."""
    last = first + timedelta(days=length)
    day = first + timedelta(days=offset)
    known = _dated(first.isoformat(), last.isoformat(), "day")
    changes = strengthened(known, _dated(day.isoformat(), None, "day"))
    inside = first <= day <= last
    assert changes.get("date") == (day.isoformat() if inside else None)
    assert "date" not in strengthened(known, _dated(day.isoformat(), last.isoformat(), "day"))


def told(
    event_id: int, dated: bool, articles: set[int], cast: set[str], status: str = "happened"
) -> Told:
    return Told(
        event_id,
        dated,
        status,
        None,
        frozenset(articles),
        frozenset((a, status) for a in articles),
        frozenset(cast),
    )


PEOPLE = ["person:a", "person:b", "person:c", "person:d"]


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.booleans(), st.sets(st.integers(1, 4)), st.sets(st.sampled_from(PEOPLE))),
        min_size=1,
        max_size=6,
    ),
    st.randoms(use_true_random=False),
)
def test_undated_merges_do_not_depend_on_the_order_events_were_stored(
    drawn: list[tuple[bool, set[int], set[str]]], rng: Any
) -> None:
    group = [told(i, dated, arts, cast) for i, (dated, arts, cast) in enumerate(drawn, 1)]
    shuffled = list(group)
    rng.shuffle(shuffled)
    assert sorted(settle(shuffled)) == sorted(settle(group))
    assert all(source != target for source, target in settle(group))


def test_an_undated_event_joins_the_dated_one_whose_articles_name_its_cast() -> None:
    dated = told(1, True, {1}, {"person:a", "person:b"})
    other = told(2, True, {2}, {"person:c"})
    undated = told(3, False, {3}, {"person:a", "person:b", "person:c"})
    assert settle([dated, other, undated]) == [(3, 1)]
    assert settle([dated, told(4, False, {4}, {"person:a"})]) == []  # one shared name: no
    denied = told(5, False, {5}, {"person:a", "person:b"}, "negated")
    assert settle([dated, denied]) == []
