"""An actor's profile read from what the store keeps (schema 10) answers as the profile
counted from every event of the actor did before, on SQLite and PostgreSQL: over the
examples, over generated ingests (events of several confidences, sides seen with other
countries and sectors, copies, undated reports merged after each run), and in a store made
before and upgraded. What ingest kept is what filling it again from the stored events gives."""

from __future__ import annotations

import hashlib
import shutil
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import counting_rows, examples_store, fresh_postgres, kept_and_refilled
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from dyadwatch.actors.catalogue import Actor
from dyadwatch.actors.resolve import ActorMention
from dyadwatch.analytics import _timeline, actor_profile, counted_events, index_records
from dyadwatch.api import create_app
from dyadwatch.dedupe import DuplicateLink
from dyadwatch.events.classify import EventType
from dyadwatch.events.coder import ArticleCoding, EventMention
from dyadwatch.events.dates import EventDate
from dyadwatch.models import Article, ArticleTags
from dyadwatch.nlp import Sentence
from dyadwatch.store import Store
from dyadwatch.store.migrations import LATEST
from dyadwatch.store.profiles import fill
from dyadwatch.store.schema import (
    VERSION_10_TABLES,
    actor_reports,
    actor_roles,
    actor_spread,
    actor_tallies,
    actors,
    schema_info,
)

PERIODS = ["day", "week", "month", "year"]
CONFIDENCES = [0.0, 0.5, 0.7, 0.9, 0.95]  # on the grid: read from what is kept
OFF_GRID = [0.33, 0.725]  # counted from the events
QUERIES = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
KEPT = {actor_roles: "events", actor_tallies: "events", actor_reports: "events",
        actor_spread: "members"}  # fmt: skip


def scratch_profile(
    store: Store, actor_id: str, by: Any, min_confidence: float
) -> dict[str, Any] | None:
    """The profile as it was counted before it was kept: from every event of the actor."""
    actor = store.actor(actor_id)
    if actor is None:
        return None
    events = store.events(limit=None, actor_id=actor_id, min_confidence=min_confidence)
    types: dict[str, int] = defaultdict(int)
    counterparts: dict[str, dict[str, Any]] = {}
    for event in events:
        types[event["type"]] += 1
        other = event["target" if event["source"]["id"] == actor_id else "source"]
        entry = counterparts.setdefault(other["id"], {**other, "events": 0, "types": {}})
        entry["events"] += 1
        entry["types"][event["type"]] = entry["types"].get(event["type"], 0) + 1
    return {
        **actor,
        "events": len(events),
        "types": dict(sorted(types.items(), key=lambda item: (-item[1], item[0]))),
        "timeline": index_records(
            _timeline(counted_events(events, None, None, None, min_confidence), by, {})
        ),
        "counterparts": sorted(counterparts.values(), key=lambda c: (-c["events"], c["id"])),
    }


def same_profile(store: Store, actor_id: str, by: Any, confidence: float) -> None:
    """The profile read, with its points' events or not, is the one counted from scratch;
    types come most events first, in the counterparts too."""
    expected = scratch_profile(store, actor_id, by, confidence)
    found = actor_profile(store, actor_id, by, confidence, event_ids=True)
    assert found == expected
    if found is None:
        return
    for types in [found["types"]] + [c["types"] for c in found["counterparts"]]:
        assert list(types) == sorted(types, key=lambda kind: (-types[kind], kind))
    assert expected is not None
    without = actor_profile(store, actor_id, by, confidence)
    timeline = [point | {"event_ids": None} for point in expected["timeline"]]
    assert without == expected | {"timeline": timeline}


def kept_is_refilled(store: Store) -> bool:
    """Whether the kept profiles are those filled again from the stored events."""
    kept, filled = kept_and_refilled(store, KEPT, fill)
    return kept == filled


def actor_ids(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(actors.c.id).order_by(actors.c.id)).scalars())


# --- the examples -----------------------------------------------------------------------


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The examples, on each back-end."""
    return examples_store(request, tmp_path_factory)


def test_every_actor_s_profile_is_the_one_counted_from_its_events(store: Store) -> None:
    ids = actor_ids(store)
    assert len(ids) > 10
    for actor_id in ids:
        same_profile(store, actor_id, "month", 0.7)
    assert actor_profile(store, "person:nobody") is None


@QUERIES
@given(
    at=st.integers(0, 10_000),
    by=st.sampled_from(PERIODS),
    confidence=st.sampled_from(CONFIDENCES + OFF_GRID),
)
def test_profiles_by_any_period_and_threshold_are_those_counted(
    store: Store, at: int, by: Any, confidence: float
) -> None:
    ids = actor_ids(store)
    for actor_id in (ids[at % len(ids)], "person:antony-blinken", "USA"):
        same_profile(store, actor_id, by, confidence)


def test_the_profiles_kept_as_events_were_stored_and_merged_are_those_filled_from_them(
    store: Store,
) -> None:
    with store.engine.connect() as conn:
        assert conn.execute(select(actor_roles)).first() is not None
    assert kept_is_refilled(store)


def test_the_api_lists_a_point_s_events_when_asked(store: Store) -> None:
    with TestClient(create_app(store.url)) as client:
        path = "/api/actors/person:antony-blinken"
        listed = client.get(path, params={"by": "week", "event_ids": True}).json()
        plain = client.get(path, params={"by": "week"}).json()
        assert listed["timeline"] and all(p["event_ids"] is None for p in plain["timeline"])
        for point in listed["timeline"]:
            found = client.get(f"{path}/events", params={"by": "week", "period": point["period"]})
            assert found.json() == {"period": point["period"], "event_ids": point["event_ids"]}
        wrong = client.get(f"{path}/events", params={"by": "week", "period": "2023-06"})
        assert wrong.status_code == 422
        missing = client.get("/api/actors/person:nobody/events", params={"period": "2023-06"})
        assert missing.status_code == 404


def test_a_store_made_before_the_profiles_were_kept_fills_them_when_opened(
    examples_db: str, tmp_path: Path
) -> None:
    """Set back to version 9 without the profiles' tables, the store makes and fills them;
    set back again with them (as a store set back keeps them), it fills them anew."""
    db = tmp_path / "old.db"
    shutil.copy(examples_db, db)
    with Store(db) as before, before.engine.connect() as conn:
        kept = counting_rows(conn, KEPT)
    for drop in (True, False):
        with Store(db) as old, old.engine.begin() as conn:
            for table in VERSION_10_TABLES:
                if drop:
                    table.drop(conn)
                else:  # wrong counts, to be replaced
                    count = table.c[KEPT[table]]
                    conn.execute(update(table).values({count: count + 7}))
            version = schema_info.c.key == "version"
            conn.execute(update(schema_info).where(version).values(value="9"))
        with Store(db) as upgraded:
            assert upgraded.schema_version == LATEST
            with upgraded.engine.connect() as conn:
                assert counting_rows(conn, KEPT) == kept
            for actor_id in ("person:antony-blinken", "USA", "CHN"):
                for by in ("week", "year"):
                    same_profile(upgraded, actor_id, by, 0.7)


# --- generated ingests ------------------------------------------------------------------

COUNTRY_OF = {"person:a": "USA", "person:b": "CHN", "person:c": "USA", "person:d": "CHN",
              "USA": "USA", "CHN": "CHN", "HKG": "CHN"}  # fmt: skip
PAIRS = [("person:a", "person:b"), ("person:b", "person:a"), ("person:c", "person:d"),
         ("USA", "CHN"), ("HKG", "USA"), ("person:a", "HKG"), ("person:a", "person:a")]  # fmt: skip
TYPES = {"CONSULT": ("04", 1, 4.0), "ACCUSE": ("11", 3, -2.0), "COERCE": ("17", 4, -7.5)}
DAYS = [None, date(2024, 5, 1), date(2024, 5, 3), date(2024, 5, 12), date(2023, 12, 31)]
STATUSES = ["happened", "happened", "planned", "background", "negated"]
SURENESS = [0.9, 0.7, 0.72, 0.5, 0.33, 0.95, 0.05]
# How a side is told: its own country and no sector, a sector, or another country (as a
# territory acting for its sovereign is).
TOLD = [(None, None), (None, "GOV"), ("HKG", "GOV")]

mention = st.tuples(
    st.sampled_from(sorted(TYPES)),
    st.sampled_from(PAIRS),
    st.sampled_from(DAYS),
    st.sampled_from(STATUSES),
    st.sampled_from(SURENESS),
    st.sampled_from(TOLD),
)
# An article: its publication day or none, its event mentions, and whether it is a copy of
# the article before it in its run.
article = st.tuples(
    st.sampled_from([None, "2024-05-02", "2024-05-13"]),
    st.lists(mention, max_size=4),
    st.booleans(),
)


def side(actor_id: str, start: int, told: tuple[str | None, str | None]) -> ActorMention:
    kind = "country" if len(actor_id) == 3 else "person"
    country, sector = told[0] or COUNTRY_OF[actor_id], told[1]
    actor = Actor(actor_id, actor_id.upper(), kind, COUNTRY_OF[actor_id], None, ())
    return ActorMention(start, start + 1, actor_id, actor, country, sector, "alias")


def coding(number: int, mentions: list[Any]) -> ArticleCoding:
    coded = []
    for i, (kind, (source, target), day, status, sure, told) in enumerate(mentions):
        cameo, quad, intensity = TYPES[kind]
        found_type = EventType(kind, None, cameo, quad, intensity, status, sure, "met")
        when = EventDate(day, "day", "on Monday") if day else None
        sentence = Sentence(f"article {number} mention {i}", i, i + 1)
        pair = side(source, i, told), side(target, i, (None, None))
        coded.append(EventMention(*pair, found_type, status, when, None, sentence))
    return ArticleCoding([m for e in coded for m in (e.source, e.target)], coded)


def store_run(store: Store, run: list[Any], first: int) -> None:
    """Store one run's articles and their codings, as ingest does."""
    with store.transaction() as conn:
        key = hashlib.sha256(f"{first} {run!r}".encode()).hexdigest()
        input_id = store.start_input(f"run-{key}", key, "jsonl", 0, conn)
        last = None
        for record, (published, mentions, copy) in enumerate(run):
            number = first + record
            found = Article(f"run-{key}", record, "jsonl", f"body {number}", published=published)
            link = DuplicateLink(last, "near", 90) if copy and last else None
            article_id = store.add_article(conn, input_id, found, f"{number}", link)
            last = last if link else article_id
            tags = ArticleTags(0.0, [], [0.0] * len(mentions), [[] for _ in mentions])
            store.save_coding(article_id, coding(number, mentions), tags, conn)
        store.finish_input(input_id, "done", len(run), None, conn)


def backend_store(backend: str, folder: Path) -> Store:
    if backend == "sqlite":
        path = folder / "generated.db"
        path.unlink(missing_ok=True)
        return Store(path)
    return Store(fresh_postgres())


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    runs=st.lists(st.lists(article, min_size=1, max_size=5), min_size=1, max_size=3),
    by=st.sampled_from(PERIODS),
    confidence=st.sampled_from(CONFIDENCES + OFF_GRID),
)
def test_profiles_kept_through_generated_ingests_are_those_counted(
    backend: str, tmp_path: Path, runs: list[list[Any]], by: Any, confidence: float
) -> None:
    with backend_store(backend, tmp_path) as store:
        first = 0
        for run in runs:
            store_run(store, run, first)
            first += len(run)
            store.merge_undated()
            for actor_id in actor_ids(store):
                same_profile(store, actor_id, by, confidence)
                same_profile(store, actor_id, by, 0.7)
            assert kept_is_refilled(store)


@pytest.mark.parametrize(
    ("newest", "threshold", "told"),
    [
        (date(2024, 5, 12), 0.5, ("HKG", "GOV")),
        (date(2024, 5, 12), 0.7, ("CHN", None)),  # the newest is not sure enough
        (None, 0.5, ("CHN", None)),  # an undated event is listed after the dated
    ],
)
def test_a_counterpart_told_two_ways_is_told_as_in_the_newest_event(
    tmp_path: Path, newest: date | None, threshold: float, told: tuple[str, str | None]
) -> None:
    older = ("CONSULT", ("person:a", "HKG"), date(2024, 5, 1), "happened", 0.9, (None, None))
    newer = ("ACCUSE", ("HKG", "person:a"), newest, "happened", 0.5, ("HKG", "GOV"))
    with Store(tmp_path / "told.db") as store:
        store_run(store, [("2024-05-13", [older, newer], False)], 0)
        profile = actor_profile(store, "person:a", min_confidence=threshold)
        assert profile is not None
        found = [(c["id"], c["country"], c["sector"]) for c in profile["counterparts"]]
        assert found == [("HKG", *told)]
        same_profile(store, "person:a", "day", threshold)
