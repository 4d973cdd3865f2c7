"""Persisting the watcher's state: the watch stage decides what to fetch, this stores and reads
sources, the pages they listed and what became of them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Engine, case, func, select, update

from dyadwatch.store.schema import articles, watch_pages, watch_sources

Insert = Callable[[Any], Any]  # the dialect's insert, which has on_conflict_do_nothing
OPEN = ("pending", "fetched")  # pages a round still has to finish
PAGE_STATUSES = (*OPEN, "done", "failed", "disallowed", "refused")


def add_sources(
    engine: Engine, insert: Insert, urls: Sequence[str], parent_id: int | None, at: str
) -> list[dict[str, Any]]:
    """The sources of ``urls`` (registered if new), in that order."""
    rows = [{"url": url, "parent_id": parent_id, "added_at": at, "errors": 0} for url in urls]
    with engine.begin() as conn:
        if rows:
            conn.execute(insert(watch_sources).on_conflict_do_nothing(), rows)
        found = conn.execute(select(watch_sources).where(watch_sources.c.url.in_(urls)))
        by_url = {row.url: dict(row._mapping) for row in found}
    return [by_url[url] for url in dict.fromkeys(urls)]


def children(engine: Engine, source_id: int) -> list[dict[str, Any]]:
    """The sitemaps a sitemap index listed, in any round."""
    query = select(watch_sources).where(watch_sources.c.parent_id == source_id)
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query.order_by(watch_sources.c.id))]


def save_poll(
    engine: Engine,
    insert: Insert,
    source_id: int,
    values: dict[str, Any],
    urls: Sequence[str],
    at: str,
) -> int:
    """A polled source's new state and the pages it listed, together: its new ETag is never
    stored without them. Returns how many pages were new (a page listed by another source
    already is not)."""
    with engine.begin() as conn:
        before = conn.execute(select(func.count()).select_from(watch_pages)).scalar_one()
        if urls:
            rows = [
                {"url": url, "source_id": source_id, "status": "pending", "found_at": at}
                for url in dict.fromkeys(urls)
            ]
            conn.execute(insert(watch_pages).on_conflict_do_nothing(), rows)
        if values.get("error"):
            values = {**values, "errors": watch_sources.c.errors + 1}
        conn.execute(
            update(watch_sources)
            .where(watch_sources.c.id == source_id)
            .values(checked_at=at, **values)
        )
        after = conn.execute(select(func.count()).select_from(watch_pages)).scalar_one()
    return int(after - before)


def open_pages(engine: Engine, source_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Pages of these sources that a round has yet to finish (an interrupted round's too),
    oldest first."""
    query = (
        select(watch_pages)
        .where(watch_pages.c.source_id.in_(source_ids), watch_pages.c.status.in_(OPEN))
        .order_by(watch_pages.c.id)
    )
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def update_page(engine: Engine, page_id: int, values: dict[str, Any]) -> None:
    with engine.begin() as conn:
        conn.execute(update(watch_pages).where(watch_pages.c.id == page_id).values(**values))


def page(engine: Engine, url: str) -> dict[str, Any] | None:
    with engine.connect() as conn:
        row = conn.execute(select(watch_pages).where(watch_pages.c.url == url)).first()
    return dict(row._mapping) if row else None


def sources(engine: Engine) -> list[dict[str, Any]]:
    """Every source with its last round, its errors, its pages by status and the articles
    stored from them."""
    pages = select(
        watch_pages.c.source_id,
        *(
            func.sum(case((watch_pages.c.status == status, 1), else_=0)).label(status)
            for status in PAGE_STATUSES
        ),
    ).group_by(watch_pages.c.source_id)
    stored = (
        select(watch_pages.c.source_id, func.count(articles.c.id).label("articles"))
        .join(articles, articles.c.input_id == watch_pages.c.input_id)
        .group_by(watch_pages.c.source_id)
    )
    pages_, stored_ = pages.subquery(), stored.subquery()
    query = (
        select(watch_sources, pages_, stored_.c.articles)
        .join(pages_, pages_.c.source_id == watch_sources.c.id, isouter=True)
        .join(stored_, stored_.c.source_id == watch_sources.c.id, isouter=True)
        .order_by(watch_sources.c.id)
    )
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
    counts = (*PAGE_STATUSES, "articles")
    return [{**row, **{name: int(row[name] or 0) for name in counts}} for row in rows]
