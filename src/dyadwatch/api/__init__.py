"""The HTTP API: the store's answers as JSON (OpenAPI schema at /openapi.json, docs at /docs).

Every parameter is validated by FastAPI, so a bad one gets a 4xx with a message saying which
and why; a missing record is a 404.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import FastAPI, HTTPException, Query

from dyadwatch.analytics import index_records, key_events, relations_index
from dyadwatch.store import Store
from dyadwatch.stories import build_stories
from dyadwatch.web import mount_dashboard

DYAD = re.compile(r"^[A-Za-z]{3}-[A-Za-z]{3}$")
Limit = Annotated[int, Query(ge=1, le=500, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, description="Items to skip.")]
Day = Annotated[date | None, Query(description="YYYY-MM-DD")]
DyadParam = Annotated[str, Query(pattern=DYAD.pattern, description="e.g. CHN-USA")]


def create_app(db: str | Path) -> FastAPI:
    store = Store(db)
    app = FastAPI(
        title="dyadwatch", description="Evidence-backed event data on international relations."
    )

    def page(items: list[dict[str, Any]], limit: int, offset: int) -> dict[str, Any]:
        return {"items": items, "limit": limit, "offset": offset}

    @app.get("/api/articles")
    def articles(
        limit: Limit = 50,
        offset: Offset = 0,
        outlet: str | None = None,
        language: Annotated[str | None, Query(max_length=8)] = None,
        since: Day = None,
        until: Day = None,
        canonical: bool = False,
    ) -> dict[str, Any]:
        found = store.articles(
            outlet, language, _text(since), _text(until), canonical, limit, offset
        )
        return page(found, limit, offset)

    @app.get("/api/articles/{article_id}")
    def article(article_id: int) -> dict[str, Any]:
        found = store.article(article_id)
        if found is None:
            raise HTTPException(404, f"no article with id {article_id}")
        return found

    @app.get("/api/events")
    def events(
        limit: Limit = 50,
        offset: Offset = 0,
        dyad: Annotated[str | None, Query(pattern=DYAD.pattern, description="e.g. CHN-USA")] = None,
        since: Day = None,
        until: Day = None,
        type: str | None = None,
        actor: str | None = None,
        status: Literal["happened", "planned", "negated", "background"] | None = None,
        issue: str | None = None,
    ) -> dict[str, Any]:
        found = store.events(
            limit=limit,
            offset=offset,
            dyad=_pair(dyad) if dyad else None,
            since=_text(since),
            until=_text(until),
            event_type=type,
            actor=actor,
            status=status,
            issue=issue,
        )
        return page(found, limit, offset)

    @app.get("/api/events/{event_id}")
    def event(event_id: int) -> dict[str, Any]:
        found = store.event(event_id)
        if found is None:
            raise HTTPException(404, f"no event with id {event_id}")
        return found

    @app.get("/api/actors")
    def actors(limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        return page(store.actors()[offset : offset + limit], limit, offset)

    @app.get("/api/issues")
    def issues() -> list[dict[str, Any]]:
        return store.issues()

    @app.get("/api/search")
    def search(
        q: Annotated[str, Query(min_length=1, max_length=500, description='Words or "a phrase"')],
        limit: Limit = 20,
    ) -> dict[str, Any]:
        return page(store.search(q, limit), limit, 0)

    @app.get("/api/index")
    def index(
        dyad: DyadParam = "CHN-USA",
        by: Literal["day", "week", "month", "year"] = "month",
        since: Day = None,
        until: Day = None,
    ) -> list[dict[str, Any]]:
        points = relations_index(store, _pair(dyad), by, _text(since), _text(until))
        return index_records(points)

    @app.get("/api/key-events")
    def key_events_view(dyad: DyadParam = "CHN-USA", limit: Limit = 10) -> list[dict[str, Any]]:
        return key_events(store, _pair(dyad), limit)

    @app.get("/api/stories")
    def stories(dyad: DyadParam = "CHN-USA") -> list[dict[str, Any]]:
        return [asdict(story) for story in build_stories(store, _pair(dyad))]

    mount_dashboard(app)
    return app


def _pair(dyad: str) -> tuple[str, str]:
    first, second = dyad.upper().split("-")
    return first, second


def _text(day: date | None) -> str | None:
    return day.isoformat() if day else None


def serve(db: str | Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    import uvicorn  # the server loads only when serving

    uvicorn.run(create_app(db), host=host, port=port, log_level="warning")
