"""Persisting article vectors and stories: the stories stage decides, this stores and reads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, Select, func, or_, select, update
from sqlalchemy.orm import aliased

from dyadwatch.store.events import CHUNK, add_story_pairs, new_id
from dyadwatch.store.index import KeptIndex
from dyadwatch.store.schema import (
    article_vectors,
    articles,
    event_mentions,
    stories,
    story_articles,
    story_pairs,
)


def add_vector(conn: Connection, article_id: int, vector: bytes) -> None:
    conn.execute(article_vectors.insert(), {"article_id": article_id, "vector": vector})


def iter_vectors(engine: Engine) -> Iterator[tuple[int, bytes]]:
    """Every canonical article's vector, in article order."""
    query = (
        select(article_vectors.c.article_id, article_vectors.c.vector)
        .join(articles, articles.c.id == article_vectors.c.article_id)
        .where(articles.c.duplicate_of.is_(None))
        .order_by(article_vectors.c.article_id)
    )
    with engine.connect() as conn:
        for row in conn.execution_options(yield_per=1000).execute(query):
            yield row[0], row[1]


def unplaced_ids(engine: Engine) -> list[int]:
    """Articles the later stages read that are in no story, in article order."""
    query = (
        select(articles.c.id)
        .where(
            articles.c.skip_reason.is_(None),
            articles.c.id.not_in(select(story_articles.c.article_id)),
        )
        .order_by(articles.c.id)
    )
    with engine.connect() as conn:
        return [row[0] for row in conn.execute(query)]


def copies_first_published(conn: Connection, article_id: int) -> str | None:
    query = select(func.min(articles.c.published)).where(articles.c.duplicate_of == article_id)
    return conn.execute(query).scalar_one_or_none()


def vectors(conn: Connection, ids: Sequence[int]) -> dict[int, bytes]:
    query = select(article_vectors).where(article_vectors.c.article_id.in_(ids))
    return {row.article_id: row.vector for row in conn.execute(query)}


def add_story(conn: Connection, title: str | None, day: str | None, vector_sum: bytes) -> int:
    values = {"title": title, "first_day": day, "last_day": day, "size": 1, "centroid": vector_sum}
    return new_id(conn.execute(stories.insert(), values))


def grow_story(
    conn: Connection,
    story_id: int,
    span: tuple[str | None, str | None],
    size: int,
    vector_sum: bytes,
) -> None:
    values = {"first_day": span[0], "last_day": span[1], "size": size, "centroid": vector_sum}
    conn.execute(update(stories).where(stories.c.id == story_id).values(**values))


def join_story(conn: Connection, article_id: int, story_id: int) -> None:
    """The article (and so its copies) is in the story, and so are the events they report
    (when it was coded before it was placed), which the kept index counts in the story."""
    theirs = select(articles.c.id).where(
        or_(articles.c.id == article_id, articles.c.duplicate_of == article_id)
    )
    reported = select(event_mentions.c.event_id).where(event_mentions.c.article_id.in_(theirs))
    kept = KeptIndex(conn)
    kept.touch(conn.execute(reported).scalars())
    conn.execute(story_articles.insert(), {"article_id": article_id, "story_id": story_id})
    add_story_pairs(conn, story_id, [event_mentions.c.article_id.in_(theirs)])
    kept.save()


def story_of(conn: Connection, article_id: int) -> int | None:
    query = select(story_articles.c.story_id).where(story_articles.c.article_id == article_id)
    return conn.execute(query).scalar_one_or_none()


def published_spans(engine: Engine, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """Of these articles, each one in a story with a dated article: the first and last
    publication dates in its story."""
    mine, other = aliased(story_articles), aliased(story_articles)
    query = (
        select(mine.c.article_id, func.min(articles.c.published), func.max(articles.c.published))
        .join(other, other.c.story_id == mine.c.story_id)
        .join(articles, articles.c.id == other.c.article_id)
        .where(mine.c.article_id.in_(ids), articles.c.published.is_not(None))
        .group_by(mine.c.article_id)
    )
    with engine.connect() as conn:
        return {article_id: (first, last) for article_id, first, last in conn.execute(query)}


def iter_stories(engine: Engine) -> Iterator[dict[str, Any]]:
    """Every story's id, span, size and vector sum, in id order."""
    with engine.connect() as conn:
        for row in conn.execute(select(stories).order_by(stories.c.id)):
            yield dict(row._mapping)


def story_members(engine: Engine, ids: Collection[int] | None = None) -> dict[int, int]:
    """Each canonical article in a story (of ``ids`` only, if given), mapped to the story's
    id."""
    query = _canonical_members()
    with engine.connect() as conn:
        if ids is None:
            return {article_id: story_id for article_id, story_id in conn.execute(query)}
        found: dict[int, int] = {}
        ordered = sorted(ids)
        for start in range(0, len(ordered), CHUNK):
            chunk = story_articles.c.article_id.in_(ordered[start : start + CHUNK])
            found.update((a, s) for a, s in conn.execute(query.where(chunk)))
        return found


def stories_of(engine: Engine, ids: Sequence[int]) -> list[dict[str, Any]]:
    """The stories these articles are in, in id order, each with every article in it
    (copies included), not only those given."""
    theirs = select(story_articles.c.story_id).where(story_articles.c.article_id.in_(ids))
    query = (
        select(stories.c.id, stories.c.title, stories.c.first_day, stories.c.last_day)
        .add_columns(story_articles.c.article_id)
        .join(story_articles, story_articles.c.story_id == stories.c.id)
        .where(stories.c.id.in_(theirs))
        .order_by(stories.c.id, story_articles.c.article_id)
    )
    found: dict[int, dict[str, Any]] = {}
    with engine.connect() as conn:
        for story_id, title, first_day, last_day, article_id in conn.execute(query):
            row = {"id": story_id, "title": title, "first_day": first_day, "last_day": last_day}
            found.setdefault(story_id, {**row, "articles": []})["articles"].append(article_id)
    return list(found.values())


def story_rows(engine: Engine) -> list[dict[str, Any]]:
    """Every story with its canonical articles' ids."""
    members: dict[int, list[int]] = defaultdict(list)
    for article_id, story_id in story_members(engine).items():
        members[story_id].append(article_id)
    rows = []
    for row in iter_stories(engine):
        row.pop("centroid")
        rows.append({**row, "articles": sorted(members.get(row["id"], []))})
    return rows


def stories_reporting(
    engine: Engine, pair: tuple[str, str], statuses: Sequence[str], limit: int | None, offset: int
) -> list[dict[str, Any]]:
    """Stories reporting events between the two countries (as these mention statuses), as
    ``story_rows`` gives them, latest last day first (undated last), then newest."""
    p = story_pairs.c
    reporting = select(p.story_id).where(
        p.first == min(pair), p.second == max(pair), p.status.in_(statuses)
    )
    query = (
        select(stories.c.id, stories.c.title, stories.c.first_day, stories.c.last_day)
        .add_columns(stories.c.size)
        .where(stories.c.id.in_(reporting))
        .order_by(stories.c.last_day.desc().nulls_last(), stories.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    members = _canonical_members().order_by(story_articles.c.article_id)
    with engine.connect() as conn:
        rows = [{**row._mapping, "articles": []} for row in conn.execute(query)]
        by_id = {row["id"]: row for row in rows}
        for article_id, story_id in conn.execute(
            members.where(story_articles.c.story_id.in_(by_id))
        ):
            by_id[story_id]["articles"].append(article_id)
    return rows


def _canonical_members() -> Select[int, int]:
    """(article id, story id) of each canonical article in a story."""
    return (
        select(story_articles.c.article_id, story_articles.c.story_id)
        .join(articles, articles.c.id == story_articles.c.article_id)
        .where(articles.c.duplicate_of.is_(None))
    )
