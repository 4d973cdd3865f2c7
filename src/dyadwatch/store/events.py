"""Storing coded events: actors, actor mentions, events merged across their mentions."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Connection, CursorResult, and_, func, or_, select, update

from dyadwatch.events.merge import (
    MUTUAL_TYPES,
    Location,
    dates_agree,
    places_agree,
    statuses_agree,
    strengthened,
)
from dyadwatch.store.schema import (
    actor_mentions,
    actors,
    article_tones,
    articles,
    event_mentions,
    events,
    issue_tags,
    mention_tones,
)

if TYPE_CHECKING:  # only types: storing needs no NLP
    from dyadwatch.actors.resolve import ActorMention
    from dyadwatch.events.coder import EventMention
    from dyadwatch.issues import IssueTag
    from dyadwatch.models import ArticleTags


def new_id(result: CursorResult[Any]) -> int:
    """The primary key an insert created."""
    key = result.inserted_primary_key
    assert key is not None, "insert returned no primary key"
    return int(key[0])


def save_actors(conn: Connection, insert: Any, mentions: list[ActorMention]) -> None:
    rows = {
        m.actor.id: {
            "id": m.actor.id,
            "name": m.actor.name,
            "kind": m.actor.kind,
            "country": m.actor.country,
            "sector": m.actor.sector,
        }
        for m in mentions
    }
    if rows:
        conn.execute(insert(actors).on_conflict_do_nothing(), list(rows.values()))


def save_actor_mentions(conn: Connection, article_id: int, mentions: list[ActorMention]) -> None:
    if mentions:
        conn.execute(
            actor_mentions.insert(),
            [
                {
                    "article_id": article_id,
                    "actor_id": m.actor.id,
                    "start_char": m.start,
                    "end_char": m.end,
                    "text": m.text,
                    "how": m.how,
                }
                for m in mentions
            ],
        )


def save_event_mention(conn: Connection, article_id: int, mention: EventMention) -> tuple[int, int]:
    """Attach the mention to the event it reports (creating it if new); returns the ids of
    the event and of the mention."""
    event_id = _same_event(conn, article_id, mention)
    if event_id is None:
        event_id = new_id(conn.execute(events.insert(), _event_values(mention)))
    else:
        strengthen(conn, event_id, _event_values(mention))
    sentence = mention.sentence
    created = conn.execute(
        event_mentions.insert(),
        {
            "event_id": event_id,
            "article_id": article_id,
            "sentence": sentence.text,
            "start_char": sentence.start,
            "end_char": sentence.end,
            "trigger": mention.type.trigger,
            "status": mention.status,
            "confidence": mention.type.confidence,
        },
    )
    return event_id, new_id(created)


def save_tags(
    conn: Connection, article_id: int, mention_ids: list[tuple[int, int]], tags: ArticleTags
) -> None:
    conn.execute(article_tones.insert(), {"article_id": article_id, "tone": tags.tone})
    rows = [_issue_row(article_id, None, tag) for tag in tags.issues]
    for (_, mention_id), tone, issues in zip(
        mention_ids, tags.mention_tones, tags.mention_issues, strict=True
    ):
        conn.execute(mention_tones.insert(), {"event_mention_id": mention_id, "tone": tone})
        rows += [_issue_row(article_id, mention_id, tag) for tag in issues]
    if rows:
        conn.execute(issue_tags.insert(), rows)


def _issue_row(article_id: int, mention_id: int | None, tag: IssueTag) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "event_mention_id": mention_id,
        "issue": tag.issue,
        "label": tag.label,
        "triggers": json.dumps(list(tag.triggers), ensure_ascii=False),
        "score": tag.score,
    }


def _event_values(mention: EventMention) -> dict[str, Any]:
    when, where, kind = mention.date, mention.place, mention.type
    return {
        "date": when.date.isoformat() if when else None,
        "date_end": when.end.isoformat() if when and when.end else None,
        "date_precision": when.precision if when else "unknown",
        "source_actor": mention.source.actor.id,
        "source_country": mention.source.country,
        "source_sector": mention.source.sector,
        "target_actor": mention.target.actor.id,
        "target_country": mention.target.country,
        "target_sector": mention.target.sector,
        "type": kind.root,
        "mode": kind.mode,
        "cameo_root": kind.cameo_root,
        "quad": kind.quad,
        "intensity": kind.intensity,
        "status": mention.status,
        "location_name": where.name if where else None,
        "location_country": where.country if where else None,
        "lat": where.lat if where else None,
        "lon": where.lon if where else None,
    }


def _same_event(conn: Connection, article_id: int, mention: EventMention) -> int | None:
    """The stored event the mention reports, if any. An undated mention joins only an undated
    event its own article reported; which dated event it belongs to, if any, is decided
    over all stored articles at once (see ``store.undated``), so not by ingest order."""
    kind = mention.type.root
    query = select(events).where(
        events.c.type == kind,
        same_actors(events, mention.source.actor.id, mention.target.actor.id, kind in MUTUAL_TYPES),
    )
    if mention.date is None:
        reported = select(event_mentions.c.event_id).where(
            event_mentions.c.article_id == article_id
        )
        query = query.where(events.c.date.is_(None), events.c.id.in_(reported))
    else:
        query = query.where(events.c.date.is_not(None))
    new_date = mention.date.date if mention.date else None
    new_precision = mention.date.precision if mention.date else "unknown"
    new_place = _mention_location(mention)
    fitting = [
        row.id
        for row in conn.execute(query.order_by(events.c.id))
        if fits(row, mention.status, new_date, new_precision, new_place)
    ]
    return fitting[0] if fitting else None


def fits(row: Any, status: str, day: date | None, precision: str, place: Location | None) -> bool:
    """Whether a stored event can be the happening told with this status, date and place."""
    return (
        statuses_agree(row.status, status)
        and dates_agree(_day(row.date), row.date_precision, day, precision)
        and places_agree(event_location(row), place)
    )


def same_actors(
    table: Any, source: Any, target: Any, mutual: bool | ColumnElement[bool]
) -> ColumnElement[bool]:
    """The table's rows between these actors: in this order, or in either when ``mutual``."""
    pair = and_(table.c.source_actor == source, table.c.target_actor == target)
    if mutual is False:
        return pair
    swapped = and_(table.c.source_actor == target, table.c.target_actor == source)
    return or_(pair, swapped if mutual is True else and_(mutual, swapped))


def event_location(row: Any) -> Location | None:
    if row.location_name is None:
        return None
    return Location(row.location_name, row.location_country, row.lat, row.lon)


def _mention_location(mention: EventMention) -> Location | None:
    where = mention.place
    return Location(where.name, where.country, where.lat, where.lon) if where else None


def strengthen(conn: Connection, event_id: int, fresh: Mapping[str, Any]) -> None:
    """Store what a new mention (or an event merged into this one) adds to the event:
    ``fresh`` has the event columns (see ``events.merge.strengthened``)."""
    row = conn.execute(select(events).where(events.c.id == event_id)).one()
    changes = strengthened(dict(row._mapping), fresh)
    conn.execute(update(events).where(events.c.id == event_id).values(**changes))


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def event_query(
    dyad: tuple[str, str] | None = None,
    since: str | None = None,
    until: str | None = None,
    event_type: str | None = None,
    actor: str | None = None,
    status: str | None = None,
    issue: str | None = None,
    article_id: int | None = None,
    actor_id: str | None = None,
    min_confidence: float | None = None,
) -> Any:
    """Events (newest first) filtered as the CLI and API ask; a dyad matches either direction,
    ``actor`` is part of an actor's name or id, ``actor_id`` one actor's exact id;
    ``min_confidence`` keeps the events of which some mention was coded at least that sure."""
    query = select(events).order_by(events.c.date.desc().nulls_last(), events.c.id)
    if min_confidence:
        sure = select(event_mentions.c.event_id).where(
            event_mentions.c.confidence >= min_confidence
        )
        query = query.where(events.c.id.in_(sure))
    if dyad:
        a, b = dyad
        query = query.where(
            or_(
                and_(events.c.source_country == a, events.c.target_country == b),
                and_(events.c.source_country == b, events.c.target_country == a),
            )
        )
    if since:
        query = query.where(events.c.date >= since)
    if until:
        query = query.where(events.c.date <= until)
    if event_type:
        query = query.where(events.c.type == event_type.upper())
    if status:
        query = query.where(events.c.status == status)
    if article_id is not None:
        reported = select(event_mentions.c.event_id).where(
            event_mentions.c.article_id == article_id
        )
        query = query.where(events.c.id.in_(reported))
    if issue:
        tagged = (
            select(event_mentions.c.event_id)
            .join(issue_tags, issue_tags.c.event_mention_id == event_mentions.c.id)
            .where(issue_tags.c.issue == issue)
        )
        query = query.where(events.c.id.in_(tagged))
    if actor_id:
        query = query.where(
            or_(events.c.source_actor == actor_id, events.c.target_actor == actor_id)
        )
    if actor:
        like = f"%{actor.lower()}%"
        named = select(actors.c.id).where(
            or_(func.lower(actors.c.name).like(like), func.lower(actors.c.id).like(like))
        )
        query = query.where(or_(events.c.source_actor.in_(named), events.c.target_actor.in_(named)))
    return query


def event_records(conn: Connection, rows: Sequence[Any]) -> list[dict[str, Any]]:
    """Events as nested records: actors as objects, location, and every mention."""
    names = dict(conn.execute(select(actors.c.id, actors.c.name)).all())
    ids = [row.id for row in rows]
    mentions: dict[int, list[dict[str, Any]]] = {event_id: [] for event_id in ids}
    if ids:
        query = (
            select(
                event_mentions,
                articles.c.source.label("article_source"),
                func.coalesce(articles.c.duplicate_of, articles.c.id).label("canonical_id"),
                mention_tones.c.tone,
            )
            .join(articles, articles.c.id == event_mentions.c.article_id)
            .join(
                mention_tones,
                mention_tones.c.event_mention_id == event_mentions.c.id,
                isouter=True,
            )
            .where(event_mentions.c.event_id.in_(ids))
            .order_by(event_mentions.c.id)
        )
        found_mentions = conn.execute(query).all()
        issues = _mention_issues(conn, [m.id for m in found_mentions])
        for m in found_mentions:
            mentions[m.event_id].append(
                {
                    "article_id": m.article_id,
                    "canonical_id": m.canonical_id,  # copies of one article share it
                    "source": m.article_source,
                    "sentence": m.sentence,
                    "start": m.start_char,
                    "end": m.end_char,
                    "status": m.status,
                    "trigger": m.trigger,
                    "confidence": m.confidence,
                    "tone": m.tone,
                    "issues": issues.get(m.id, []),
                }
            )
    return [_event_record(row, names, mentions[row.id]) for row in rows]


def one_event(conn: Connection, event_id: int) -> dict[str, Any] | None:
    rows = conn.execute(select(events).where(events.c.id == event_id)).all()
    found = event_records(conn, rows)
    return found[0] if found else None


def _mention_issues(conn: Connection, mention_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    query = select(issue_tags).where(issue_tags.c.event_mention_id.in_(mention_ids))
    for tag in conn.execute(query):
        found.setdefault(tag.event_mention_id, []).append(issue_record(tag))
    return found


def issue_record(tag: Any) -> dict[str, Any]:
    return {"issue": tag.issue, "label": tag.label, "triggers": json.loads(tag.triggers)}


def _event_record(
    row: Any, names: dict[str, str], mentions: list[dict[str, Any]]
) -> dict[str, Any]:
    def side(prefix: str) -> dict[str, Any]:
        actor_id = getattr(row, f"{prefix}_actor")
        return {
            "id": actor_id,
            "name": names.get(actor_id, actor_id),
            "country": getattr(row, f"{prefix}_country"),
            "sector": getattr(row, f"{prefix}_sector"),
        }

    location = None
    if row.location_name:
        location = {
            "name": row.location_name,
            "country": row.location_country,
            "lat": row.lat,
            "lon": row.lon,
        }
    return {
        "id": row.id,
        "date": row.date,
        "date_end": row.date_end,
        "date_precision": row.date_precision,
        "source": side("source"),
        "target": side("target"),
        "type": row.type,
        "mode": row.mode,
        "cameo_root": row.cameo_root,
        "quad": row.quad,
        "intensity": row.intensity,
        "status": row.status,
        "location": location,
        "issues": sorted({i["issue"] for m in mentions for i in m["issues"]}),
        # how sure the coder is of the event: of its surest mention
        "confidence": max((m["confidence"] for m in mentions), default=None),
        "mentions": mentions,
    }
