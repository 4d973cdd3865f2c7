"""What ingest keeps for the API to read (issue and actor counts, event confidence and
coverage, the stories of each pair of countries, article stances) answers as a computation
from scratch over the stored rows does, on SQLite and PostgreSQL, and so do stores that
were made before and upgraded."""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from conftest import INDEX_COUNTS, examples_store, kept_and_refilled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select, text, update

from dyadwatch.analytics import (
    _timeline,
    counted_events,
    index_records,
    key_events,
    key_weight,
    point_event_ids,
    relations_index,
)
from dyadwatch.stance import Mention, stance_of
from dyadwatch.store import Store
from dyadwatch.store.index import fill
from dyadwatch.store.migrations import LATEST
from dyadwatch.store.schema import (
    actor_mentions,
    actors,
    article_stances,
    coded_articles,
    event_issues,
    event_mentions,
    events,
    issue_counts,
    issue_tags,
    schema_info,
    story_pairs,
    unsettled_articles,
)
from dyadwatch.stories import _reporting, build_stories

DYADS = [("CHN", "USA"), ("USA", "CHN"), ("RUS", "USA"), ("CHN", "JPN"), ("CHN", "TWN")]
CONFIDENCES = [0.0, 0.5, 0.7, 0.9]
OFF_GRID = [0.33, 0.725]  # thresholds the kept index cannot serve: counted from the events
QUERIES = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The examples, on each back-end."""
    return examples_store(request, tmp_path_factory)


def scratch_issues(store: Store) -> list[dict[str, Any]]:
    """``Store.issues`` as it was computed before the counts were kept."""
    by_article = (
        select(issue_tags.c.issue, issue_tags.c.label, func.count().label("articles"))
        .where(issue_tags.c.event_mention_id.is_(None))
        .group_by(issue_tags.c.issue, issue_tags.c.label)
    )
    by_event = (
        select(issue_tags.c.issue, func.count(event_mentions.c.event_id.distinct()))
        .join(event_mentions, event_mentions.c.id == issue_tags.c.event_mention_id)
        .group_by(issue_tags.c.issue)
    )
    with store.engine.connect() as conn:
        per_issue = {issue: count for issue, count in conn.execute(by_event)}
        rows = [dict(row._mapping) for row in conn.execute(by_article)]
    for row in rows:
        row["events"] = per_issue.get(row["issue"], 0)
    return sorted(rows, key=lambda r: (-r["articles"], r["issue"]))


def scratch_actors(store: Store) -> list[dict[str, Any]]:
    mentions = func.count(actor_mentions.c.id).label("mentions")
    query = (
        select(*(c for c in actors.c if c.name != "mentions"), mentions)
        .join(actor_mentions, actor_mentions.c.actor_id == actors.c.id, isouter=True)
        .group_by(*actors.c)
        .order_by(mentions.desc(), actors.c.id)
    )
    with store.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def scratch_index(store: Store, dyad: tuple[str, str], **query: Any) -> list[dict[str, Any]]:
    every = store.events(limit=None, dyad=dyad)
    counted = counted_events(every, query["since"], query["until"], query["issue"],
                             query["min_confidence"])  # fmt: skip
    return index_records(_timeline(counted, query["by"], store.story_members()))


def scratch_key_events(
    store: Store, dyad: tuple[str, str], limit: int, issue: str | None, confidence: float
) -> list[dict[str, Any]]:
    every = store.events(limit=None, dyad=dyad)
    found = counted_events(every, None, None, issue, confidence)
    return sorted(found, key=key_weight, reverse=True)[:limit]


def scratch_stories(store: Store, dyad: tuple[str, str]) -> list[dict[str, Any]]:
    """The stories of a dyad as they were built from every event, stances read from text."""
    member_of = store.story_members()
    listed = set()
    for event in store.events(limit=None, dyad=dyad):
        listed |= {member_of[a] for a in _reporting(event) if a in member_of}
    rows = [row for row in store.stories() if row["id"] in listed]
    rows.sort(key=lambda row: (row["last_day"] or "", row["id"]), reverse=True)
    return rows


def issues_of(store: Store) -> list[str | None]:
    return [None] + sorted({row["issue"] for row in store.issues()})


def test_issue_and_actor_counts_are_those_counted_from_scratch(store: Store) -> None:
    assert store.issues() == scratch_issues(store)
    assert store.actors() == scratch_actors(store)
    assert store.actors(2, 1) == store.actors()[1:3]


def test_event_confidence_and_coverage_are_those_of_its_mentions(store: Store) -> None:
    with store.engine.connect() as conn:
        kept = {row.id: (row.confidence, row.coverage) for row in conn.execute(select(events))}
    for event in store.events(limit=None):
        coverage = len({m["canonical_id"] for m in event["mentions"]})
        assert kept[event["id"]] == (event["confidence"], coverage)


@QUERIES
@given(
    dyad=st.sampled_from(DYADS),
    by=st.sampled_from(["day", "week", "month", "year"]),
    since=st.sampled_from(
        [None, "2019-01-01", "2023-06-15", "2024-05-01", "2024-04-22", "9999-12-31"]
    ),
    until=st.sampled_from(
        [None, "2022-12-31", "2024-06-30", "2024-04-28", "2024-05-16", "0001-01-01"]
    ),
    confidence=st.sampled_from(CONFIDENCES + OFF_GRID),
    issue_at=st.integers(0, 6),
)
def test_the_index_is_the_one_counted_from_every_event(
    store: Store, dyad: tuple[str, str], by: Any, since: str | None, until: str | None,
    confidence: float, issue_at: int,
) -> None:  # fmt: skip
    """Read from the kept index (periods the dates cut counted from their events), or
    counted from the events off the grid, with each point's events asked or not."""
    issues = issues_of(store)
    issue = issues[issue_at % len(issues)]
    query = {"by": by, "since": since, "until": until, "issue": issue}
    expected = scratch_index(store, dyad, min_confidence=confidence, **query)
    found = relations_index(store, dyad, min_confidence=confidence, event_ids=True, **query)
    assert index_records(found) == expected
    found = relations_index(store, dyad, min_confidence=confidence, **query)
    assert index_records(found) == [point | {"event_ids": None} for point in expected]
    for point in expected:
        span = (query["since"], query["until"])
        ids = point_event_ids(store, dyad, by, point["period"], span, issue, confidence)
        assert ids == point["event_ids"]


def test_the_index_kept_as_events_were_stored_and_merged_is_the_one_filled_from_them(
    store: Store,
) -> None:
    """Ingest kept the index as it stored, merged and placed events in stories; filled
    again from the stored events, it is the same."""
    kept, filled = kept_and_refilled(store, INDEX_COUNTS, fill)
    assert kept["index_tallies"]
    assert kept == filled


@QUERIES
@given(
    dyad=st.sampled_from(DYADS),
    limit=st.integers(1, 30),
    confidence=st.sampled_from(CONFIDENCES),
    issue_at=st.integers(0, 6),
)
def test_key_events_are_those_ranked_from_every_event(
    store: Store, dyad: tuple[str, str], limit: int, confidence: float, issue_at: int
) -> None:
    issues = issues_of(store)
    issue = issues[issue_at % len(issues)]
    found = key_events(store, dyad, limit, issue=issue, min_confidence=confidence)
    assert found == scratch_key_events(store, dyad, limit, issue, confidence)


@pytest.mark.parametrize("dyad", DYADS)
def test_a_dyad_s_stories_are_those_found_from_every_event(
    store: Store, dyad: tuple[str, str]
) -> None:
    expected = scratch_stories(store, dyad)
    stories = build_stories(store, dyad)
    assert [s.id for s in stories] == [row["id"] for row in expected]
    for story, row in zip(stories, expected, strict=True):
        assert story.articles == row["articles"]
        assert (story.start, story.end) == (row["first_day"], row["last_day"])
    assert build_stories(store, dyad, 2, 1) == stories[1:3]


@pytest.mark.parametrize("dyad", DYADS)
def test_stored_stances_are_those_read_from_the_text(store: Store, dyad: tuple[str, str]) -> None:
    for story in build_stories(store, dyad):
        for report in story.reports:
            article = store.article(report["article_id"])
            assert article is not None
            mentions = [
                Mention(m["start_char"], m["end_char"], m["country"])
                for m in store.actor_mentions(article["id"])
                if m["country"]
            ]
            read = stance_of(article["body"], mentions, dyad, article["id"])
            assert (report["blames"], report["favours"]) == (read.blames, read.favours)
            sides = {s.country: [s.blamed_in, s.tone, list(s.evidence)] for s in read.sides}
            assert {c: list(v.values()) for c, v in report["sides"].items()} == sides


def test_a_store_made_before_the_counts_were_kept_gets_them_when_opened(
    examples_db: str, tmp_path: Path
) -> None:
    """Emptied of what versions 6, 7 and 8 keep and set back to version 5, the store fills
    it again through every later migration (one back-end is enough for the upgrade: the
    migration's statements are the same)."""
    db = tmp_path / "old.db"
    shutil.copy(examples_db, db)
    before = Store(db)
    answers = (before.issues(), before.actors(), build_stories(before, ("CHN", "USA")))
    with before.engine.begin() as conn:
        for table in (issue_counts, event_issues, story_pairs, article_stances):
            conn.execute(delete(table))
        conn.execute(update(events).values(confidence=None, coverage=0, pair=None))
        conn.execute(update(actors).values(mentions=0))
        conn.execute(update(coded_articles).values(stances=None))
        unsettled_articles.drop(conn)  # version 7, made again
        conn.execute(text("DROP INDEX ix_events_key"))
        # the kept index (version 8) is left as it was: filled again, not added to
        conn.execute(update(schema_info).where(schema_info.c.key == "version").values(value="5"))
    before.close()
    with Store(db) as upgraded:
        assert upgraded.schema_version == LATEST
        with upgraded.engine.connect() as conn:
            waiting = set(conn.execute(select(unsettled_articles.c.article_id)).scalars())
            reporting = set(conn.execute(select(event_mentions.c.article_id)).scalars())
        assert waiting == reporting  # version 7: the next merge settles every article
        assert (
            upgraded.issues(),
            upgraded.actors(),
            build_stories(upgraded, ("CHN", "USA")),
        ) == answers
        found = key_events(upgraded, ("CHN", "USA"), 50, min_confidence=0)
        assert found == scratch_key_events(upgraded, ("CHN", "USA"), 50, None, 0)
        for by in ("week", "year"):
            query = {"by": by, "since": None, "until": None, "issue": None}
            found = relations_index(upgraded, ("CHN", "USA"), event_ids=True, **query)
            assert index_records(found) == scratch_index(
                upgraded, ("CHN", "USA"), min_confidence=0.7, **query
            )
        upgraded.merge_undated()  # settles every waiting article, keeping the index
        kept, filled = kept_and_refilled(upgraded, INDEX_COUNTS, fill)
        assert kept == filled


def test_stories_of_a_pair_are_kept_for_every_status(store: Store) -> None:
    found: dict[int, set[tuple[str, str, str]]] = defaultdict(set)
    member_of = store.story_members()
    for event in store.events(limit=None):
        pair = (event["source"]["country"], event["target"]["country"])
        if None in pair:
            continue
        for mention in event["mentions"]:
            if mention["canonical_id"] in member_of:
                key = (min(pair), max(pair), mention["status"])
                found[member_of[mention["canonical_id"]]].add(key)
    with store.engine.connect() as conn:
        kept: dict[int, set[tuple[str, str, str]]] = defaultdict(set)
        for row in conn.execute(select(story_pairs)):
            kept[row.story_id].add((row.first, row.second, row.status))
    assert kept == found
