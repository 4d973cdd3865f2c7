"""The HTTP API over a store built from the examples: answers, pagination, and 4xx on bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyadwatch.api import create_app
from dyadwatch.pipeline import ingest


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    db = tmp_path_factory.mktemp("api") / "api.db"
    ingest([str(REPO / "examples")], db, workers=1)
    return TestClient(create_app(db))


def test_articles_page_and_one_article(client: TestClient) -> None:
    page = client.get("/api/articles", params={"limit": 3, "offset": 1}).json()
    assert (page["limit"], page["offset"], len(page["items"])) == (3, 1, 3)
    first = page["items"][0]
    one = client.get(f"/api/articles/{first['id']}").json()
    assert one["title"] == first["title"] and "issues" in one and "copies" in one
    assert client.get("/api/articles/999999").status_code == 404


def test_events_with_evidence_and_filters(client: TestClient) -> None:
    found = client.get("/api/events", params={"dyad": "CHN-USA", "type": "CONSULT"}).json()
    assert found["items"]
    for event in found["items"]:
        assert event["type"] == "CONSULT"
        assert {event["source"]["country"], event["target"]["country"]} == {"CHN", "USA"}
        assert all(m["sentence"] for m in event["mentions"])
    one = client.get(f"/api/events/{found['items'][0]['id']}").json()
    assert one == found["items"][0]


def test_search_index_stories_actors_issues(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "Taiwan"}).json()["items"]
    assert any("Taiwan" in (hit["title"] or "") for hit in hits)
    index = client.get("/api/index", params={"dyad": "CHN-USA", "by": "year"}).json()
    assert [point["period"] for point in index] == sorted(point["period"] for point in index)
    assert client.get("/api/stories").status_code == 200
    assert client.get("/api/actors").json()["items"]
    assert any(row["issue"] == "taiwan" for row in client.get("/api/issues").json())


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/events", {"dyad": "CHINA"}),
        ("/api/events", {"since": "last year"}),
        ("/api/events", {"limit": 0}),
        ("/api/events", {"status": "maybe"}),
        ("/api/articles", {"offset": -1}),
        ("/api/search", {}),
        ("/api/search", {"q": ""}),
        ("/api/index", {"by": "decade"}),
        ("/api/articles/not-a-number", {}),
    ],
)
def test_bad_parameters_are_4xx_with_a_reason(
    client: TestClient, path: str, params: dict[str, object]
) -> None:
    response = client.get(path, params=params)
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.sampled_from(["/api/events", "/api/articles", "/api/search", "/api/index", "/api/actors"]),
    st.dictionaries(
        st.sampled_from(["q", "dyad", "since", "until", "limit", "offset", "by", "type", "issue"]),
        st.text(max_size=20),
        max_size=4,
    ),
)
def test_no_parameter_makes_a_server_error(
    client: TestClient, path: str, params: dict[str, str]
) -> None:
    assert client.get(path, params=params).status_code < 500


def test_a_new_store_answers_empty(tmp_path: Path) -> None:
    app = create_app(tmp_path / "new.db")  # a new store is created empty, not an error
    assert TestClient(app).get("/api/events").json()["items"] == []
