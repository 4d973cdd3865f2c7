"""Storing coded events: actors, actor mentions, events merged across their mentions."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    CursorResult,
    and_,
    bindparam,
    case,
    delete,
    func,
    literal_column,
    or_,
    select,
    update,
)

from dyadwatch.events.merge import FARTHEST, MUTUAL_TYPES, Location, fits, strengthened
from dyadwatch.store.schema import (
    actor_mentions,
    actors,
    article_stances,
    article_tones,
    articles,
    coded_articles,
    event_issues,
    event_mentions,
    events,
    issue_counts,
    issue_tags,
    mention_tones,
    story_articles,
    story_pairs,
)

if TYPE_CHECKING:  # only types: storing needs no NLP
    from dyadwatch.actors.resolve import ActorMention
    from dyadwatch.events.coder import EventMention
    from dyadwatch.issues import IssueTag
    from dyadwatch.models import ArticleTags
    from dyadwatch.store.index import KeptIndex


CHUNK = 500  # ids per IN list, well under any back-end's limit on bound parameters


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
        counted: dict[str, int] = {}
        for m in mentions:
            counted[m.actor.id] = counted.get(m.actor.id, 0) + 1
        conn.execute(
            update(actors)
            .where(actors.c.id == bindparam("actor"))
            .values(mentions=actors.c.mentions + bindparam("more")),
            [{"actor": actor, "more": more} for actor, more in counted.items()],
        )
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


def save_event_mention(
    conn: Connection, kept: KeptIndex, article_id: int, mention: EventMention
) -> tuple[int, int]:
    """Attach the mention to the event it reports (creating it if new); returns the ids of
    the event and of the mention. ``kept`` is told which event changes."""
    event_id = _same_event(conn, article_id, mention)
    if event_id is None:
        event_id = new_id(conn.execute(events.insert(), _event_values(mention)))
        kept.created(event_id)
    else:
        kept.touch([event_id])
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
    refresh_event(conn, event_id)
    return event_id, new_id(created)


def refresh_event(conn: Connection, event_id: int) -> None:
    """An event's confidence (of its surest mention) and coverage (the canonical articles
    reporting it), after its mentions changed."""
    m = event_mentions.c
    canonical = func.coalesce(articles.c.duplicate_of, articles.c.id)
    surest = select(func.max(m.confidence)).where(m.event_id == event_id).scalar_subquery()
    reporting = (
        select(func.count(canonical.distinct()))
        .join(articles, articles.c.id == m.article_id)
        .where(m.event_id == event_id)
        .scalar_subquery()
    )
    values = {"confidence": surest, "coverage": reporting}
    conn.execute(update(events).where(events.c.id == event_id).values(**values))


def save_story_pairs(conn: Connection, article_id: int) -> None:
    """Which pairs of countries the story of the article reports events of, by status."""
    canonical = select(func.coalesce(articles.c.duplicate_of, articles.c.id)).where(
        articles.c.id == article_id
    )
    story = conn.execute(
        select(story_articles.c.story_id).where(
            story_articles.c.article_id == canonical.scalar_subquery()
        )
    ).scalar_one_or_none()
    if story is not None:
        add_story_pairs(conn, story, [event_mentions.c.article_id == article_id])


def add_story_pairs(conn: Connection, story_id: int, where: list[ColumnElement[bool]]) -> None:
    """Record the country pairs (by status) of the mentions ``where`` selects for the story."""
    e, m = events.c, event_mentions.c
    ordered = e.source_country < e.target_country
    first = case((ordered, e.source_country), else_=e.target_country)
    second = case((ordered, e.target_country), else_=e.source_country)
    found = conn.execute(
        select(first, second, m.status)
        .distinct()
        .join(events, e.id == m.event_id)
        .where(e.source_country.is_not(None), e.target_country.is_not(None), *where)
    ).all()
    if not found:
        return
    stored = {
        (r.first, r.second, r.status)
        for r in conn.execute(select(story_pairs).where(story_pairs.c.story_id == story_id))
    }
    rows = [
        {"story_id": story_id, "first": a, "second": b, "status": status}
        for a, b, status in found
        if (a, b, status) not in stored
    ]
    if rows:
        conn.execute(story_pairs.insert(), rows)


def save_tags(
    conn: Connection,
    kept: KeptIndex,
    article_id: int,
    mention_ids: list[tuple[int, int]],
    tags: ArticleTags,
) -> None:
    kept.touch(event_id for event_id, _ in mention_ids)
    conn.execute(article_tones.insert(), {"article_id": article_id, "tone": tags.tone})
    rows = [_issue_row(article_id, None, tag) for tag in tags.issues]
    for tag in tags.issues:
        _count_issue(conn, tag.issue, tag.label, articles=1)
    for (event_id, mention_id), tone, issues in zip(
        mention_ids, tags.mention_tones, tags.mention_issues, strict=True
    ):
        conn.execute(mention_tones.insert(), {"event_mention_id": mention_id, "tone": tone})
        rows += [_issue_row(article_id, mention_id, tag) for tag in issues]
        for tag in issues:
            _touch_issue(conn, event_id, tag.issue, tag.label)
    if rows:
        conn.execute(issue_tags.insert(), rows)


def save_stances(
    conn: Connection, article_id: int, stances: Mapping[tuple[str, str], dict[str, Any]]
) -> None:
    rows = [
        {"article_id": article_id, "first": a, "second": b, "stance": json.dumps(record)}
        for (a, b), record in stances.items()
    ]
    if rows:
        conn.execute(article_stances.insert(), rows)


def stances_of(
    conn: Connection, ids: Sequence[int], dyad: tuple[str, str]
) -> dict[int, dict[tuple[str, str], dict[str, Any]] | None]:
    """Each article's stored stance records on the dyad's pair and on each of its countries
    alone (see ``stance.stances_of``): none for an article never coded or naming neither,
    None for one coded before they were stored."""
    coded = select(coded_articles.c.article_id).where(coded_articles.c.stances.is_(None))
    s = article_stances.c
    first, second = dyad
    keys = [(min(dyad), max(dyad)), (first, ""), (second, "")]
    query = select(s.article_id, s.first, s.second, s.stance).where(
        or_(*(and_(s.first == a, s.second == b) for a, b in keys))
    )
    found: dict[int, dict[tuple[str, str], dict[str, Any]] | None] = {i: {} for i in ids}
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        for article_id in conn.execute(
            coded.where(coded_articles.c.article_id.in_(chunk))
        ).scalars():
            found[article_id] = None
        for row in conn.execute(query.where(s.article_id.in_(chunk))):
            records = found[row.article_id]
            if records is not None:
                records[(row.first, row.second)] = json.loads(row.stance)
    return found


def _touch_issue(conn: Connection, event_id: int, issue: str, label: str) -> None:
    """The event touches the issue: counted once per event."""
    known = select(event_issues).where(
        event_issues.c.event_id == event_id, event_issues.c.issue == issue
    )
    if conn.execute(known).first() is None:
        conn.execute(event_issues.insert(), {"event_id": event_id, "issue": issue})
        _count_issue(conn, issue, label, events=1)


def _count_issue(
    conn: Connection, issue: str, label: str, articles: int = 0, events: int = 0
) -> None:
    """Add to an issue's counts (the events one is the issue's, whatever its label)."""
    c = issue_counts.c
    row = (c.issue == issue) & (c.label == label)
    if conn.execute(select(c.issue).where(row)).first() is None:
        known = conn.execute(select(func.max(c.events)).where(c.issue == issue)).scalar()
        values = {"issue": issue, "label": label, "articles": 0, "events": known or 0}
        conn.execute(issue_counts.insert(), values)
    if articles:
        conn.execute(update(issue_counts).where(row).values(articles=c.articles + articles))
    if events:
        conn.execute(update(issue_counts).where(c.issue == issue).values(events=c.events + events))


def move_issues(conn: Connection, source: int, target: int) -> None:
    """The issues of an event merged into another become the other's (counted once); the
    caller has touched both in its ``KeptIndex``."""
    e = event_issues.c
    theirs = set(conn.execute(select(e.issue).where(e.event_id == target)).scalars())
    for issue in conn.execute(select(e.issue).where(e.event_id == source)).scalars().all():
        if issue in theirs:
            c = issue_counts.c
            conn.execute(update(issue_counts).where(c.issue == issue).values(events=c.events - 1))
        else:
            conn.execute(event_issues.insert(), {"event_id": target, "issue": issue})
    conn.execute(delete(event_issues).where(e.event_id == source))


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
        "pair": pair_of(mention.source.country, mention.target.country),
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


def pair_of(first: str | None, second: str | None) -> str | None:
    """Two countries as the events' ``pair`` column holds them: "CHN-USA" either way."""
    return "-".join(sorted((first, second))) if first and second else None


def _same_event(conn: Connection, article_id: int, mention: EventMention) -> int | None:
    """The stored event the mention reports, if any. An undated mention joins only an undated
    event its own article reported; which dated event it belongs to, if any, is decided
    after the ingest run over every stored event it may be (see ``events.undated``), so
    not by ingest order."""
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
    else:  # dates farther apart never agree: an index range, not every event of the pair
        day = mention.date.date
        query = query.where(events.c.date.between(str(day - FARTHEST), str(day + FARTHEST)))
    new_date = mention.date.date if mention.date else None
    new_precision = mention.date.precision if mention.date else "unknown"
    new_place = _mention_location(mention)
    fitting = [
        row.id
        for row in conn.execute(query.order_by(events.c.id))
        if fits(row, mention.status, new_date, new_precision, new_place)
    ]
    return fitting[0] if fitting else None


def same_actors(
    table: Any, source: Any, target: Any, mutual: bool | ColumnElement[bool]
) -> ColumnElement[bool]:
    """The table's rows between these actors: in this order, or in either when ``mutual``."""
    pair = and_(table.c.source_actor == source, table.c.target_actor == target)
    if mutual is False:
        return pair
    swapped = and_(table.c.source_actor == target, table.c.target_actor == source)
    return or_(pair, swapped if mutual is True else and_(mutual, swapped))


def _mention_location(mention: EventMention) -> Location | None:
    where = mention.place
    return Location(where.name, where.country, where.lat, where.lon) if where else None


def strengthen(conn: Connection, event_id: int, fresh: Mapping[str, Any]) -> None:
    """Store what a new mention (or an event merged into this one) adds to the event:
    ``fresh`` has the event columns (see ``events.merge.strengthened``)."""
    row = conn.execute(select(events).where(events.c.id == event_id)).one()
    changes = strengthened(dict(row._mapping), fresh)
    conn.execute(update(events).where(events.c.id == event_id).values(**changes))


# As the expression of the index ix_events_weight (see ``migrations``), literally.
WEIGHT: ColumnElement[float] = literal_column("abs(events.intensity) * (1 + events.coverage)")


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
    statuses: Sequence[str] = (),
    dated: bool = False,
    by_weight: bool = False,
    reported_by: Sequence[int] | None = None,
    reported_as: Sequence[str] = (),
) -> Any:
    """Events (newest first) filtered as the CLI and API ask; a dyad matches either direction,
    ``actor`` is part of an actor's name or id, ``actor_id`` one actor's exact id;
    ``min_confidence`` keeps the events of which some mention was coded at least that sure;
    ``statuses`` keeps those of these statuses, ``dated`` those with a date. ``by_weight``
    puts first the strongest and most reported: by the absolute intensity times one more
    than the canonical articles reporting it, then newest first. ``reported_by`` keeps the
    events these canonical articles or their copies report (as ``reported_as`` statuses)."""
    newest = [events.c.date.desc().nulls_last(), events.c.id]
    query = select(events).order_by(*([WEIGHT.desc()] if by_weight else []), *newest)
    if statuses:
        query = query.where(events.c.status.in_(statuses))
    if dated:
        query = query.where(events.c.date.is_not(None))
    if min_confidence:
        query = query.where(events.c.confidence >= min_confidence)
    if dyad:
        query = query.where(events.c.pair == pair_of(*dyad))
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
    if reported_by is not None:
        query = query.where(events.c.id.in_(_reported(reported_by, reported_as)))
    if issue:
        tagged = select(event_issues.c.event_id).where(event_issues.c.issue == issue)
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


def _reported(canonical_ids: Sequence[int], statuses: Sequence[str]) -> Any:
    """Ids of the events these canonical articles or their copies report, as these statuses."""
    copies = select(articles.c.id).where(articles.c.duplicate_of.in_(canonical_ids))
    theirs = or_(
        event_mentions.c.article_id.in_(canonical_ids), event_mentions.c.article_id.in_(copies)
    )
    query = select(event_mentions.c.event_id).where(theirs)
    return query.where(event_mentions.c.status.in_(statuses)) if statuses else query


def event_records(conn: Connection, rows: Sequence[Any]) -> list[dict[str, Any]]:
    """Events as nested records: actors as objects, location, and every mention."""
    names = {i: n for i, n in conn.execute(select(actors.c.id, actors.c.name))}
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


def outlines(conn: Connection, query: Any) -> list[dict[str, Any]]:
    """The events of an ``event_query`` as records of what an index or an actor's profile
    counts: their actors, but of their mentions only the canonical articles, and no issues.
    One pass over the events joined with their mentions, in the query's order."""
    names = {i: n for i, n in conn.execute(select(actors.c.id, actors.c.name))}
    listed = query.order_by(None).subquery()
    canonical = func.coalesce(articles.c.duplicate_of, articles.c.id)
    joined = (
        select(*(listed.c[name] for name in OUTLINE_COLUMNS), canonical)
        .join(event_mentions, event_mentions.c.event_id == listed.c.id)
        .join(articles, articles.c.id == event_mentions.c.article_id)
        .order_by(listed.c.date.desc().nulls_last(), listed.c.id, event_mentions.c.id)
    )
    found: dict[int, dict[str, Any]] = {}
    for *columns, canonical_id in conn.execute(joined):  # tuples: faster than named rows
        record = found.get(columns[0]) or found.setdefault(columns[0], _outline(columns, names))
        record["mentions"].append({"canonical_id": canonical_id})
    return list(found.values())


OUTLINE_COLUMNS = ("id", "date", "type", "quad", "intensity", "status", "confidence",
                   "source_actor", "source_country", "source_sector",
                   "target_actor", "target_country", "target_sector")  # fmt: skip


def _outline(columns: list[Any], names: dict[str, str]) -> dict[str, Any]:
    found = dict(zip(OUTLINE_COLUMNS, columns, strict=True))
    for side in ("source", "target"):
        actor_id = found.pop(f"{side}_actor")
        found[side] = {
            "id": actor_id,
            "name": names.get(actor_id, actor_id),
            "country": found.pop(f"{side}_country"),
            "sector": found.pop(f"{side}_sector"),
        }
    return {**found, "mentions": []}


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


def _side(row: Any, prefix: str, names: dict[str, str]) -> dict[str, Any]:
    """The event's source or target actor as an object."""
    actor_id = getattr(row, f"{prefix}_actor")
    return {
        "id": actor_id,
        "name": names.get(actor_id, actor_id),
        "country": getattr(row, f"{prefix}_country"),
        "sector": getattr(row, f"{prefix}_sector"),
    }


def _event_record(
    row: Any, names: dict[str, str], mentions: list[dict[str, Any]]
) -> dict[str, Any]:
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
        "source": _side(row, "source", names),
        "target": _side(row, "target", names),
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
