"""The HTTP API: the store's answers as JSON, described by the OpenAPI schema at /openapi.json.

Every parameter is validated by FastAPI, so a bad one gets a 4xx with a message saying which
and why; a missing record is a 404. Anything unexpected is logged and answered with a generic
500, never a traceback. A new stage gets its endpoint as one more function in ``create_app``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, BaseModel, BeforeValidator, Field

from dyadwatch.analytics import (
    actor_point_event_ids,
    actor_profile,
    index_records,
    key_events,
    point_event_ids,
    relations_index,
)
from dyadwatch.digest import KEY_EVENTS, RELATIVE, PeriodError, build_digest
from dyadwatch.events import DEFAULT_MIN_CONFIDENCE
from dyadwatch.search import Mode
from dyadwatch.search import search as find_articles
from dyadwatch.store import Store
from dyadwatch.stories import build_stories
from dyadwatch.web import mount_dashboard

log = logging.getLogger(__name__)

# Ids are INTEGER columns, 32-bit in PostgreSQL, and SQLAlchemy binds LIMIT/OFFSET as
# INTEGER: a larger id or offset is a client error, not a database one.
MAX_INT = 2**31 - 1
DYAD = "^[A-Za-z]{3}-[A-Za-z]{3}$"
NO_NUL = "^[^\\x00]*$"
PERIOD_NAME = "^[0-9]{4}(-W[0-9]{2}|-[0-9]{2}(-[0-9]{2})?)?$"
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_dyad(value: str) -> str:
    """``chn-usa`` → ``CHN-USA``; anything else is a ValueError with the expected form."""
    dyad = value.strip()
    if not re.match(DYAD, dyad):
        raise ValueError("dyad must be two three-letter country codes joined by '-', e.g. CHN-USA")
    return dyad.upper()


def iso_date_only(value: object) -> object:
    """Only YYYY-MM-DD: pydantic alone would also take a number as a Unix time."""
    if isinstance(value, str) and not ISO_DATE.fullmatch(value):
        raise ValueError("dates are YYYY-MM-DD, e.g. 2023-06-19")
    return value


def without_nul(value: str) -> str:
    """PostgreSQL text cannot hold NUL, so a parameter with one is refused, not a 500."""
    if "\x00" in value:
        raise ValueError("text may not contain NUL characters")
    return value


# Free text: any characters but NUL (documented as a pattern, checked by without_nul).
Words = Annotated[str, AfterValidator(without_nul), Field(json_schema_extra={"pattern": NO_NUL})]
Limit = Annotated[int, Query(ge=1, le=500, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=MAX_INT, description="Items to skip.")]
Day = Annotated[
    date | None, BeforeValidator(iso_date_only), Query(description="YYYY-MM-DD, inclusive.")
]
RecordId = Annotated[int, PathParam(ge=1, le=MAX_INT)]
ActorId = Annotated[Words, PathParam(min_length=1, max_length=128, examples=["USA"])]
Issue = Annotated[
    Words | None, Query(max_length=80, description="Issue id, e.g. taiwan (see /api/issues).")
]
Outlet = Annotated[Words | None, Query(max_length=200, description="Part of the outlet's name.")]
Canonical = Annotated[bool, Query(description="Only canonical (not copies).")]
MinConfidence = Annotated[
    float, Query(ge=0, le=1, description="Only events coded at least this sure (0: every one).")
]
Period = Literal["day", "week", "month", "year"]
InputStatus = Literal["reading", "done", "failed"]
Dyad = Annotated[
    str,
    Query(
        description="Two ISO alpha-3 country codes, e.g. CHN-USA.",
        examples=["CHN-USA"],
        json_schema_extra={"pattern": DYAD},  # documented, but checked by parse_dyad
    ),
    AfterValidator(parse_dyad),
]


def period_start(value: object) -> object:
    """``7d``, ``2w`` or YYYY-MM-DD only; whether the period exists is the digest's to say."""
    if isinstance(value, str) and not (RELATIVE.fullmatch(value) or ISO_DATE.fullmatch(value)):
        raise ValueError("since is the last N days or weeks (7d, 2w) or a day (YYYY-MM-DD)")
    return value


Since = Annotated[
    date | Annotated[str, Field(pattern=f"^{RELATIVE.pattern}$")],
    BeforeValidator(period_start),
    Query(description="The last N days or weeks up to until (7d, 2w), or the first day."),
]


class Message(BaseModel):
    detail: str


MISSING: dict[int | str, dict[str, Any]] = {404: {"model": Message, "description": "No such id"}}
Status = Literal["happened", "planned", "negated", "background"]


def create_app(db: str | Path, outlets: Sequence[Path] = ()) -> FastAPI:
    """The API and dashboard over one store, opened once and shared by every request;
    ``outlets`` are user outlet files (see ``dyadwatch.outlets``)."""
    store = Store(db, outlets)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="dyadwatch",
        description="Evidence-backed event data on international relations.",
        lifespan=lifespan,
        # FastAPI's /docs and /redoc pages load their scripts from a CDN: none are served.
        docs_url=None,
        redoc_url=None,
    )
    app.add_exception_handler(Exception, unexpected_error)

    @app.get("/api/articles")
    def articles(
        limit: Limit = 50,
        offset: Offset = 0,
        outlet: Outlet = None,
        language: Annotated[Words | None, Query(max_length=8)] = None,
        since: Day = None,
        until: Day = None,
        canonical: Canonical = False,
    ) -> dict[str, Any]:
        found = store.articles(outlet, language, iso(since), iso(until), canonical, limit, offset)
        return page(found, limit, offset)

    @app.get("/api/articles/{article_id}", responses=MISSING)
    def article(article_id: RecordId) -> dict[str, Any]:
        return found_or_404(store.article(article_id), "article", article_id)

    @app.get("/api/events")
    def events(
        limit: Limit = 50,
        offset: Offset = 0,
        dyad: Dyad | None = None,
        since: Day = None,
        until: Day = None,
        type: Annotated[Words | None, Query(max_length=40, description="e.g. CONSULT")] = None,
        actor: Annotated[
            Words | None, Query(max_length=200, description="Part of a name or id")
        ] = None,
        actor_id: Annotated[
            Words | None, Query(max_length=128, description="One actor's exact id")
        ] = None,
        status: Status | None = None,
        issue: Issue = None,
        article: Annotated[int | None, Query(ge=1, le=MAX_INT, description="Reported in")] = None,
        min_confidence: MinConfidence = DEFAULT_MIN_CONFIDENCE,
    ) -> dict[str, Any]:
        found = store.events(
            min_confidence=min_confidence,
            limit=limit,
            offset=offset,
            dyad=pair(dyad) if dyad else None,
            since=iso(since),
            until=iso(until),
            event_type=type,
            actor=actor,
            status=status,
            issue=issue,
            article_id=article,
            actor_id=actor_id,
        )
        return page(found, limit, offset)

    @app.get("/api/events/{event_id}", responses=MISSING)
    def event(event_id: RecordId) -> dict[str, Any]:
        return found_or_404(store.event(event_id), "event", event_id)

    @app.get("/api/actors")
    def actors(limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        return page(store.actors(limit, offset), limit, offset)

    @app.get("/api/actors/{actor_id}", responses=MISSING)
    def actor(
        actor_id: ActorId,
        by: Period = "month",
        min_confidence: MinConfidence = DEFAULT_MIN_CONFIDENCE,
        event_ids: Annotated[
            bool,
            Query(
                description="List the event ids of each point of the timeline (null if not "
                "asked): a read of every event counted; /api/actors/{id}/events lists one "
                "point's."
            ),
        ] = False,
    ) -> dict[str, Any]:
        """An actor's events by type, over time by quad class, and its counterparts."""
        profile = actor_profile(store, actor_id, by, min_confidence, event_ids=event_ids)
        if profile is None:
            raise HTTPException(404, f"no actor with id {actor_id}")
        return profile

    @app.get("/api/actors/{actor_id}/events", responses=MISSING)
    def actor_events(
        actor_id: ActorId,
        period: Annotated[
            str,
            Query(
                pattern=PERIOD_NAME,
                description="A point's period as /api/actors/{id} names it for ``by``: "
                "2023-06-19, 2023-W25, 2023-06 or 2023.",
            ),
        ],
        by: Period = "month",
        min_confidence: MinConfidence = DEFAULT_MIN_CONFIDENCE,
    ) -> dict[str, Any]:
        """The ids of the events one point of the actor's timeline counts (same parameters)."""
        if store.actor(actor_id) is None:
            raise HTTPException(404, f"no actor with id {actor_id}")
        try:
            found = actor_point_event_ids(store, actor_id, by, period, min_confidence)
        except ValueError as error:  # as FastAPI reports a bad parameter
            problem = {"loc": ("query", "period"), "msg": str(error), "type": "value_error"}
            raise RequestValidationError([problem]) from None
        return {"period": period, "event_ids": found}

    @app.get("/api/issues")
    def issues() -> list[dict[str, Any]]:
        return store.issues()

    @app.get("/api/search")
    def search(
        q: Annotated[Words, Query(min_length=1, max_length=500, description='Words or "a phrase"')],
        limit: Limit = 20,
        offset: Offset = 0,
        dyad: Dyad | None = None,
        issue: Issue = None,
        outlet: Outlet = None,
        since: Day = None,
        until: Day = None,
        canonical: Canonical = False,
        mode: Annotated[
            Mode, Query(description="words (every one must occur), semantic or hybrid (both)")
        ] = "hybrid",
    ) -> dict[str, Any]:
        """Articles for the query, best first, each with a snippet: by its words and "phrases"
        and by its meaning, fused (``mode=hybrid``), or by either alone; a dyad keeps
        articles that report an event between its countries or name actors of both, an issue
        those tagged with it as a whole (as counted by /api/issues)."""
        found = find_articles(
            store,
            q,
            mode,
            limit=limit,
            offset=offset,
            dyad=pair(dyad) if dyad else None,
            issue=issue,
            outlet=outlet,
            since=iso(since),
            until=iso(until),
            canonical_only=canonical,
        )
        return page(found, limit, offset)

    @app.get("/api/inputs")
    def inputs_view(
        limit: Limit = 50, offset: Offset = 0, status: InputStatus | None = None
    ) -> dict[str, Any]:
        """Every input read, oldest first, with its status and the first error it met."""
        return page(store.inputs(status, limit, offset), limit, offset)

    @app.get("/api/index")
    def index(
        dyad: Dyad = "CHN-USA",
        by: Period = "month",
        since: Day = None,
        until: Day = None,
        issue: Issue = None,
        min_confidence: MinConfidence = DEFAULT_MIN_CONFIDENCE,
        event_ids: Annotated[
            bool,
            Query(
                description="List each point's event ids (null if not asked): a read of "
                "every event counted; /api/index/events lists one point's."
            ),
        ] = False,
    ) -> list[dict[str, Any]]:
        """Distinct events per period by quad class, with the articles and stories behind."""
        span = iso(since), iso(until)
        points = relations_index(
            store, pair(dyad), by, *span, issue, min_confidence, event_ids=event_ids
        )
        return index_records(points)

    @app.get("/api/index/events")
    def index_events(
        period: Annotated[
            str,
            Query(
                pattern=PERIOD_NAME,
                description="A point's period as /api/index names it for ``by``: "
                "2023-06-19, 2023-W25, 2023-06 or 2023.",
            ),
        ],
        dyad: Dyad = "CHN-USA",
        by: Period = "month",
        since: Day = None,
        until: Day = None,
        issue: Issue = None,
        min_confidence: MinConfidence = DEFAULT_MIN_CONFIDENCE,
    ) -> dict[str, Any]:
        """The ids of the events one point of /api/index counts (same parameters)."""
        try:
            found = point_event_ids(
                store, pair(dyad), by, period, (iso(since), iso(until)), issue, min_confidence
            )
        except ValueError as error:  # as FastAPI reports a bad parameter
            problem = {"loc": ("query", "period"), "msg": str(error), "type": "value_error"}
            raise RequestValidationError([problem]) from None
        return {"period": period, "event_ids": found}

    @app.get("/api/key-events")
    def key_events_view(
        dyad: Dyad = "CHN-USA",
        limit: Limit = 10,
        issue: Issue = None,
        min_confidence: MinConfidence = DEFAULT_MIN_CONFIDENCE,
    ) -> list[dict[str, Any]]:
        return key_events(store, pair(dyad), limit, issue=issue, min_confidence=min_confidence)

    @app.get("/api/stories")
    def stories(
        dyad: Dyad = "CHN-USA",
        limit: Annotated[int, Query(ge=1, le=500, description="Stories per page.")] = 50,
        offset: Offset = 0,
    ) -> list[dict[str, Any]]:
        """Articles grouped by the happening they report, each article's outlet, its
        country, tone and stance side by side; the stories last reported first, a page
        of them."""
        return [asdict(story) for story in build_stories(store, pair(dyad), limit, offset)]

    @app.get("/api/digest")
    def digest(
        dyad: Dyad = "CHN-USA",
        since: Since = "7d",
        until: Annotated[
            date | None,
            BeforeValidator(iso_date_only),
            Query(description="The period's last day, YYYY-MM-DD (default today)."),
        ] = None,
        min_confidence: MinConfidence = DEFAULT_MIN_CONFIDENCE,
        limit: Annotated[int, Query(ge=1, le=500, description="Key events at most.")] = KEY_EVENTS,
    ) -> dict[str, Any]:
        """What changed in the dyad's relations over the period, against the period of the
        same length before it: the index of each, the key events with their sentences, new
        and growing stories, issues rising or falling, actors newly active."""
        try:
            found = build_digest(store, pair(dyad), str(since), until, min_confidence, limit)
        except PeriodError as error:  # as FastAPI reports a bad parameter
            problem = {"loc": ("query", "since"), "msg": str(error), "type": "value_error"}
            raise RequestValidationError([problem]) from None
        return found.to_dict()

    mount_dashboard(app)
    return app


async def unexpected_error(request: Request, error: Exception) -> JSONResponse:
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
    return JSONResponse({"detail": "internal error (logged on the server)"}, status_code=500)


def page(items: list[dict[str, Any]], limit: int, offset: int) -> dict[str, Any]:
    return {"items": items, "limit": limit, "offset": offset}


def found_or_404(record: dict[str, Any] | None, kind: str, record_id: int) -> dict[str, Any]:
    if record is None:
        raise HTTPException(404, f"no {kind} with id {record_id}")
    return record


def pair(dyad: str) -> tuple[str, str]:
    first, second = dyad.split("-")
    return first, second


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def serve(
    db: str | Path, host: str = "127.0.0.1", port: int = 8000, outlets: Sequence[Path] = ()
) -> None:
    """Serve the API and dashboard (what ``dyadwatch serve --db X --port N`` calls)."""
    import uvicorn  # the server loads only when serving

    uvicorn.run(create_app(db, outlets), host=host, port=port, log_level="warning")
