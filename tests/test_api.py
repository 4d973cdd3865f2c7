"""The HTTP API over a store built from the examples: answers, pagination, 4xx on bad input,
no 500 for any input the OpenAPI schema allows or forbids, and concurrent requests."""

from __future__ import annotations

import asyncio
import logging
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from conftest import REPO, fresh_postgres
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from dyadwatch.analytics.tally import period_span
from dyadwatch.api import create_app, parse_dyad
from dyadwatch.digest import PeriodError, periods
from dyadwatch.events import DEFAULT_MIN_CONFIDENCE
from dyadwatch.pipeline import ingest
from dyadwatch.store import Store

BIG = str(2**31)  # one past the largest id PostgreSQL stores


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def app(request: pytest.FixtureRequest) -> FastAPI:
    """The API over the examples, once per back-end (PostgreSQL from DYADWATCH_TEST_POSTGRES);
    on SQLite the session's store, as the API only reads."""
    if request.param == "sqlite":
        return create_app(request.getfixturevalue("examples_db"))
    db = fresh_postgres()
    ingest([str(REPO / "examples")], db, workers=1)
    return create_app(db)


@pytest.fixture(scope="module")
def client(app: FastAPI) -> TestClient:
    return TestClient(app)


def test_articles_page_and_one_article(client: TestClient) -> None:
    page = client.get("/api/articles", params={"limit": 3, "offset": 1}).json()
    assert (page["limit"], page["offset"], len(page["items"])) == (3, 1, 3)
    everything = client.get("/api/articles", params={"limit": 500}).json()["items"]
    assert page["items"] == everything[1:4]
    first = page["items"][0]
    one = client.get(f"/api/articles/{first['id']}").json()
    assert one["title"] == first["title"] and "issues" in one and "copies" in one
    missing = client.get("/api/articles/999999")
    assert (missing.status_code, missing.json()["detail"]) == (404, "no article with id 999999")


def test_canonical_articles_leave_out_copies(client: TestClient) -> None:
    everything = client.get("/api/articles", params={"limit": 500}).json()["items"]
    canonical = client.get("/api/articles", params={"limit": 500, "canonical": True}).json()
    assert any(a["duplicate_of"] for a in everything)
    assert [a for a in everything if not a["duplicate_of"]] == canonical["items"]


def test_events_with_evidence_and_filters(client: TestClient) -> None:
    found = client.get("/api/events", params={"dyad": "usa-chn", "type": "CONSULT"}).json()
    assert found["items"]
    for event in found["items"]:
        assert event["type"] == "CONSULT"
        assert {event["source"]["country"], event["target"]["country"]} == {"CHN", "USA"}
        assert all(m["sentence"] for m in event["mentions"])
    one = client.get(f"/api/events/{found['items'][0]['id']}").json()
    assert one == found["items"][0]
    assert client.get("/api/events/999999").status_code == 404


def test_events_of_one_article_are_those_it_reports(client: TestClient) -> None:
    article_id = client.get("/api/events").json()["items"][0]["mentions"][0]["article_id"]
    reported = client.get("/api/events", params={"article": article_id}).json()["items"]
    assert reported
    for event in reported:
        assert article_id in {m["article_id"] for m in event["mentions"]}


def test_events_between_dates_are_inside_them(client: TestClient) -> None:
    params = {"since": "2023-01-01", "until": "2023-12-31", "limit": 500}
    for event in client.get("/api/events", params=params).json()["items"]:
        assert "2023-01-01" <= event["date"] <= "2023-12-31"


def test_search_index_key_events_stories_actors_issues(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "Taiwan"}).json()["items"]
    assert any("Taiwan" in (hit["title"] or "") for hit in hits)
    params = {"dyad": "CHN-USA", "by": "year", "event_ids": True}
    index = client.get("/api/index", params=params).json()
    assert [point["period"] for point in index] == sorted(point["period"] for point in index)
    counted = {i for point in index for i in point["event_ids"]}
    key = client.get("/api/key-events", params={"dyad": "CHN-USA", "limit": 3}).json()
    assert 0 < len(key) <= 3 and {event["id"] for event in key} <= counted
    assert client.get("/api/stories").status_code == 200
    actors = client.get("/api/actors", params={"limit": 5}).json()["items"]
    assert len(actors) == 5
    assert [a["mentions"] for a in actors] == sorted((a["mentions"] for a in actors), reverse=True)
    assert any(row["issue"] == "taiwan" for row in client.get("/api/issues").json())


def test_search_by_meaning_finds_words_unlike_the_texts_and_hybrid_fuses_both(
    client: TestClient,
) -> None:
    def titles(q: str, mode: str) -> list[str]:
        found = client.get("/api/search", params={"q": q, "mode": mode, "limit": 5})
        assert found.status_code == 200
        return [hit["title"] or "" for hit in found.json()["items"]]

    question = "the American top diplomat's trip to Beijing"
    assert titles(question, "words") == []
    assert "Blinken" in titles(question, "semantic")[0]
    assert titles(question, "hybrid") == titles(question, "semantic")
    worded = titles("Taiwan", "words")
    assert set(worded[:2]) <= set(titles("Taiwan", "hybrid"))
    assert client.get("/api/search", params={"q": "Taiwan", "mode": "fuzzy"}).status_code == 422


def test_search_filters_narrow_the_hits(client: TestClient) -> None:
    def hits(q: str = "Taiwan", **params: object) -> list[dict[str, Any]]:
        found = client.get("/api/search", params={"q": q, "limit": 500, "mode": "words", **params})
        assert found.status_code == 200
        return found.json()["items"]

    def ids(found: list[dict[str, Any]]) -> set[int]:
        return {hit["id"] for hit in found}

    def article(hit: dict[str, Any]) -> dict[str, Any]:
        return dict(client.get(f"/api/articles/{hit['id']}").json())

    everything = hits()
    on_taiwan = hits(issue="taiwan")
    assert 0 < len(on_taiwan) < len(everything)
    tagged = [hit for hit in everything if "taiwan" in {t["issue"] for t in article(hit)["issues"]}]
    assert on_taiwan == tagged

    dyad = hits(dyad="usa-chn")
    assert dyad and hits(dyad="CHN-USA") == dyad
    for hit in everything:  # reporting a CHN-USA event puts an article in the dyad
        reported = client.get("/api/events", params={"article": hit["id"], "dyad": "CHN-USA"})
        assert hit in dyad or not reported.json()["items"]
    bali = hits("Bali")  # the article in Spanish is not coded, so it is in no dyad
    english = [hit for hit in bali if article(hit)["language"] == "en"]
    assert len(english) < len(bali) and hits("Bali", dyad="CHN-USA") == english
    assert hits(dyad="RUS-BRA") == []

    part = everything[0]["outlet"].upper()[2:8]
    assert hits(outlet=part) == [hit for hit in everything if part in hit["outlet"].upper()]
    dated = hits(since="2022-01-01", until="2023-12-31")
    inside = [hit for hit in everything if "2022-01-01" <= hit["published"] <= "2023-12-31"]
    assert dated == inside and 0 < len(dated) < len(everything)
    canonical = hits(canonical=True)
    assert canonical == [hit for hit in everything if not hit["duplicate_of"]] != everything
    narrow = hits(dyad="CHN-USA", issue="taiwan", since="2022-01-01", canonical=True)
    expected = ids(on_taiwan) & ids(dyad) & ids(canonical) & ids(hits(since="2022-01-01"))
    assert narrow and ids(narrow) == expected

    paged = {"q": "Taiwan", "limit": 2, "offset": 1, "mode": "words"}
    page = client.get("/api/search", params=paged).json()
    assert (page["limit"], page["offset"], page["items"]) == (2, 1, everything[1:3])


def test_inputs_with_status_and_error_in_pages(client: TestClient) -> None:
    everything = client.get("/api/inputs", params={"limit": 500}).json()["items"]
    assert {"source", "format", "status", "error", "documents"} <= set(everything[0])
    assert [i["id"] for i in everything] == sorted(i["id"] for i in everything)
    failed = client.get("/api/inputs", params={"status": "failed"}).json()["items"]
    assert failed == [i for i in everything if i["status"] == "failed"]
    assert failed and all(i["error"] and i["documents"] == 0 for i in failed)  # the README
    done = client.get("/api/inputs", params={"status": "done", "limit": 500}).json()["items"]
    assert done and all(i["documents"] > 0 for i in done)
    page = client.get("/api/inputs", params={"limit": 3, "offset": 2}).json()
    assert (page["limit"], page["offset"], page["items"]) == (3, 2, everything[2:5])


def test_articles_carry_their_outlets_country(client: TestClient) -> None:
    everything = client.get("/api/articles", params={"limit": 500}).json()["items"]
    assert all("outlet_country" in a for a in everything)
    one = client.get(f"/api/articles/{everything[0]['id']}").json()
    assert one["outlet_country"] == everything[0]["outlet_country"]


def test_index_points_count_their_stories_and_an_issue_narrows_them(client: TestClient) -> None:
    index = client.get("/api/index", params={"by": "year", "event_ids": True}).json()
    assert all(1 <= p["stories"] <= p["articles"] for p in index)
    taiwan = client.get("/api/index", params={"by": "year", "issue": "taiwan"}).json()
    assert taiwan and sum(p["events"] for p in taiwan) < sum(p["events"] for p in index)
    assert all(point["event_ids"] is None for point in taiwan)  # unless asked
    everything = {p["period"]: set(p["event_ids"]) for p in index}
    for point in taiwan:
        params = {"by": "year", "issue": "taiwan", "period": point["period"]}
        found = client.get("/api/index/events", params=params).json()
        assert found["period"] == point["period"] and len(found["event_ids"]) == point["events"]
        assert set(found["event_ids"]) <= everything[point["period"]]
        for event_id in found["event_ids"]:
            assert "taiwan" in client.get(f"/api/events/{event_id}").json()["issues"]
    key = client.get("/api/key-events", params={"issue": "taiwan"}).json()
    assert key and all("taiwan" in event["issues"] for event in key)
    assert client.get("/api/index", params={"issue": "no-such-issue"}).json() == []


def test_events_and_the_index_keep_those_coded_sure_enough(client: TestClient) -> None:
    every = client.get("/api/events", params={"limit": 500, "min_confidence": 0}).json()["items"]
    sure = client.get("/api/events", params={"limit": 500}).json()["items"]
    assert all(e["confidence"] >= DEFAULT_MIN_CONFIDENCE for e in sure)
    assert [e for e in every if e["confidence"] >= DEFAULT_MIN_CONFIDENCE] == sure
    assert len(sure) < len(every)  # some events are coded less surely
    index = {"by": "year", "dyad": "CHN-USA"}
    counted = sum(p["events"] for p in client.get("/api/index", params=index).json())
    loose = client.get("/api/index", params={**index, "min_confidence": 0}).json()
    assert counted <= sum(p["events"] for p in loose)
    strict = client.get("/api/index", params={**index, "min_confidence": 1}).json()
    assert sum(p["events"] for p in strict) <= counted


def test_stories_set_each_outlet_beside_the_others(client: TestClient) -> None:
    stories = client.get("/api/stories", params={"dyad": "CHN-USA"}).json()
    assert stories
    for story in stories:
        assert story["start"] <= story["end"]
        reports = story["reports"]
        assert {r["article_id"] for r in reports if not r["copy_of"]} == set(story["articles"])
        assert {r["outlet"] for r in reports} >= set(story["outlets"])
        for report in reports:
            assert {"outlet_country", "title", "url", "tone", "key_sentences"} <= set(report)
            assert report["blames"] in (None, "CHN", "USA")
            assert report["favours"] in (None, "CHN", "USA")
            assert set(report["sides"]) == {"CHN", "USA"}
    # the republished copy stands beside the article it copies
    assert any(r["copy_of"] in story["articles"] for story in stories for r in story["reports"])


def test_an_actor_with_its_events_over_time_and_counterparts(client: TestClient) -> None:
    profile = client.get("/api/actors/person:antony-blinken").json()
    assert (profile["name"], profile["country"]) == ("Antony Blinken", "USA")
    events = client.get(
        "/api/events", params={"actor_id": "person:antony-blinken", "limit": 500}
    ).json()["items"]
    assert profile["events"] == len(events) > 0
    for event in events:
        assert "person:antony-blinken" in (event["source"]["id"], event["target"]["id"])
    assert sum(c["events"] for c in profile["counterparts"]) == len(events)
    assert sum(profile["types"].values()) == len(events)
    assert all(point["event_ids"] is None for point in profile["timeline"])  # unless asked
    listed = client.get("/api/actors/person:antony-blinken", params={"event_ids": True}).json()
    assert listed == profile | {"timeline": listed["timeline"]}
    timeline = {i for point in listed["timeline"] for i in point["event_ids"]}
    assert timeline <= {event["id"] for event in events}
    assert [p["period"] for p in profile["timeline"]] == sorted(
        p["period"] for p in profile["timeline"]
    )
    by_year = client.get("/api/actors/person:antony-blinken", params={"by": "year"}).json()
    assert all(len(p["period"]) == 4 for p in by_year["timeline"])
    missing = client.get("/api/actors/person:nobody")
    assert (missing.status_code, missing.json()["detail"]) == (
        404,
        "no actor with id person:nobody",
    )


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/events", {"dyad": "CHINA"}),
        ("/api/events", {"dyad": "CHN-US"}),
        ("/api/index", {"dyad": "CHN_USA"}),
        ("/api/events", {"since": "last year"}),
        ("/api/events", {"until": "2023-02-30"}),
        ("/api/articles", {"since": "0"}),  # pydantic alone reads a number as a Unix time
        ("/api/events", {"limit": 0}),
        ("/api/events", {"limit": 501}),
        ("/api/events", {"status": "maybe"}),
        ("/api/events", {"offset": BIG}),
        ("/api/articles", {"offset": -1}),
        ("/api/articles", {"canonical": "perhaps"}),
        ("/api/search", {}),
        ("/api/search", {"q": ""}),
        ("/api/search", {"q": "a\x00b"}),  # PostgreSQL text cannot hold NUL
        ("/api/search", {"q": "Taiwan", "dyad": "CHN"}),
        ("/api/search", {"q": "Taiwan", "issue": "\x00"}),
        ("/api/search", {"q": "Taiwan", "issue": "x" * 81}),
        ("/api/search", {"q": "Taiwan", "outlet": "x" * 201}),
        ("/api/search", {"q": "Taiwan", "outlet": "a\x00"}),
        ("/api/search", {"q": "Taiwan", "since": "2023-13-01"}),
        ("/api/search", {"q": "Taiwan", "until": "1700000000"}),
        ("/api/search", {"q": "Taiwan", "offset": BIG}),
        ("/api/search", {"q": "Taiwan", "limit": 501}),
        ("/api/search", {"q": "Taiwan", "canonical": "perhaps"}),
        ("/api/inputs", {"status": "maybe"}),
        ("/api/inputs", {"limit": 0}),
        ("/api/inputs", {"offset": -1}),
        ("/api/events", {"actor": "\x00"}),
        ("/api/index", {"by": "decade"}),
        ("/api/index/events", {"by": "week", "period": "2023-06"}),
        ("/api/index/events", {"period": "2023-13"}),
        ("/api/articles/not-a-number", {}),
        (f"/api/articles/{BIG}", {}),
        (f"/api/events/{BIG}", {}),
        ("/api/index", {"issue": "\x00"}),
        ("/api/index", {"issue": "x" * 81}),
        ("/api/key-events", {"issue": "\x00"}),
        ("/api/key-events", {"limit": 0}),
        ("/api/stories", {"dyad": "CHN"}),
        ("/api/events", {"actor_id": "\x00"}),
        ("/api/events", {"actor_id": "x" * 129}),
        ("/api/actors/x%00y", {}),
        ("/api/actors/" + "x" * 129, {}),
        ("/api/actors/USA", {"by": "decade"}),
        ("/api/actors/no-such-actor", {}),
        ("/api/digest", {"since": "last week"}),
        ("/api/digest", {"since": "0d"}),
        ("/api/digest", {"since": "0001-01-01"}),  # the period before would start before year 1
        ("/api/digest", {"since": "2024-03-18", "until": "2024-03-17"}),
        ("/api/digest", {"until": "1700000000"}),
        ("/api/digest", {"dyad": "CHN"}),
    ],
)
def test_bad_parameters_are_4xx_with_a_reason(
    client: TestClient, path: str, params: dict[str, object]
) -> None:
    response = client.get(path, params=params)
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]


def test_a_malformed_dyad_is_explained(client: TestClient) -> None:
    detail = client.get("/api/events", params={"dyad": "China-USA"}).json()["detail"]
    assert "e.g. CHN-USA" in detail[0]["msg"]


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=9))
def test_parse_dyad_accepts_exactly_two_letter_triples(text: str) -> None:
    try:
        dyad = parse_dyad(text)
    except ValueError:
        return
    first, second = dyad.split("-")
    assert first.isascii() and first.isupper() and len(first) == 3
    assert second.isascii() and second.isupper() and len(second) == 3
    assert dyad == text.strip().upper()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.sampled_from(
        [
            "/api/events",
            "/api/articles",
            "/api/search",
            "/api/inputs",
            "/api/index",
            "/api/actors",
            "/api/actors/USA",
            "/api/key-events",
            "/api/stories",
            "/api/digest",
        ]
    ),
    st.dictionaries(
        st.sampled_from(
            ["q", "dyad", "since", "until", "limit", "offset", "by", "type", "actor", "issue"]
            + ["actor_id", "outlet", "canonical", "status"]
        ),
        st.text(max_size=20),
        max_size=4,
    ),
)
def test_no_parameter_makes_a_server_error(
    client: TestClient, path: str, params: dict[str, str]
) -> None:
    assert client.get(path, params=params).status_code < 500


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_schema_holds_for_generated_requests(app: FastAPI, mode: GenerationMode) -> None:
    # schemathesis' pytest loader does not run under pytest 9, so its strategies are drawn here
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    cases = st.sampled_from(operations).flatmap(lambda op: op.as_strategy(generation_mode=mode))

    @given(cases)
    @settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
    def answers_as_documented(case: Any) -> None:
        assume(mode is GenerationMode.NEGATIVE or not impossible_period(case))
        assume(mode is GenerationMode.NEGATIVE or not period_of_another_length(case))
        case.call_and_validate()

    answers_as_documented()


def impossible_period(case: Any) -> bool:
    """A digest's period that starts after it ends or whose period before starts before year
    1: refused with a 422, though no schema can say so."""
    if case.path != "/api/digest":
        return False
    query = case.query or {}
    until = date.fromisoformat(query["until"]) if "until" in query else None
    try:
        periods(str(query.get("since", "7d")), until)
    except PeriodError:
        return True
    return False


def period_of_another_length(case: Any) -> bool:
    """A point's period that names no period of ``by`` (2023-06 by week, month 13): refused
    with a 422, though no schema can say so."""
    if case.path not in ("/api/index/events", "/api/actors/{actor_id}/events"):
        return False
    query = case.query or {}
    try:
        period_span(query["period"], query.get("by", "month"))
    except ValueError:
        return True
    return False


def test_concurrent_requests_share_one_store(app: FastAPI) -> None:
    paths = ["/api/events?limit=5", "/api/articles?limit=5", "/api/index", "/api/search?q=Xi"]

    async def fetch_all() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
            return await asyncio.gather(*(client.get(path) for path in paths * 10))

    responses = asyncio.run(fetch_all())
    assert all(response.status_code == 200 for response in responses)
    sequential = TestClient(app)
    for path, response in zip(paths * 10, responses, strict=True):
        assert response.json() == sequential.get(path).json()


def test_an_unexpected_error_is_a_logged_generic_500(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(Store, "events", broken)
    client = TestClient(create_app(tmp_path / "broken.db"), raise_server_exceptions=False)
    with caplog.at_level(logging.ERROR, logger="dyadwatch.api"):
        response = client.get("/api/events")
    assert response.status_code == 500
    assert "secret" not in response.text and response.json()["detail"]
    assert any("secret internals" in str(record.exc_info) for record in caplog.records)


def test_the_schema_is_served_and_no_page_needs_a_cdn(client: TestClient) -> None:
    assert "/api/events" in client.get("/openapi.json").json()["paths"]
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404


def test_a_new_store_answers_empty(tmp_path: Path) -> None:
    app = create_app(tmp_path / "new.db")  # a new store is created empty, not an error
    assert TestClient(app).get("/api/events").json()["items"] == []
