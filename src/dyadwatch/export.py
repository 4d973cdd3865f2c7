"""Export stored records as JSON Lines or CSV (Parquet: ``dyadwatch.parquet``)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any, Literal, TextIO

from dyadwatch.store import Store

ExportFormat = Literal["jsonl", "csv"]
TableFormat = Literal["jsonl", "csv", "parquet"]

ARTICLE_FIELDS = [
    "id",
    "source",
    "url",
    "outlet",
    "outlet_country",
    "title",
    "author",
    "published",
    "language",
    "body",
    "duplicate_of",
    "duplicate_kind",
    "format",
    "skip_reason",
    "date_evidence",
]


def article_records(store: Store, **filters: Any) -> Iterator[dict[str, Any]]:
    """Articles as export records (the fields of ``ARTICLE_FIELDS``, in that order)."""
    for article in store.iter_articles(**filters):
        yield {name: article[name] for name in ARTICLE_FIELDS}


def write_records(records: Iterable[dict[str, Any]], fmt: ExportFormat, out: TextIO) -> int:
    """Write records to ``out``; nested values become JSON text in CSV. Returns the count."""
    count = 0
    writer: csv.DictWriter[str] | None = None
    for record in records:
        if fmt == "jsonl":
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=list(record))
                writer.writeheader()
            writer.writerow({k: _csv_value(v) for k, v in record.items()})
        count += 1
    return count


def _csv_value(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value


def event_records(store: Store, **filters: Any) -> Iterator[dict[str, Any]]:
    """Events with actors, location and every mention, as in ``Store.events``."""
    yield from store.iter_events(**filters)


def gdelt_rows(records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Events flattened to GDELT-like columns, for tools that read GDELT event files."""
    for event in records:
        source, target, place = event["source"], event["target"], event["location"] or {}
        articles = {m["article_id"] for m in event["mentions"]}
        yield {
            "GLOBALEVENTID": event["id"],
            "SQLDATE": (event["date"] or "").replace("-", ""),
            "Actor1Code": _actor_code(source),
            "Actor1Name": source["name"],
            "Actor1CountryCode": source["country"],
            "Actor2Code": _actor_code(target),
            "Actor2Name": target["name"],
            "Actor2CountryCode": target["country"],
            "EventRootCode": event["cameo_root"],
            "PloverType": event["type"],
            "QuadClass": event["quad"],
            "Intensity": event["intensity"],
            "Status": event["status"],
            "Confidence": event["confidence"],
            "NumMentions": len(event["mentions"]),
            "NumArticles": len(articles),
            "ActionGeo_FullName": place.get("name"),
            "ActionGeo_CountryCode": place.get("country"),
            "ActionGeo_Lat": place.get("lat"),
            "ActionGeo_Long": place.get("lon"),
            "SOURCEURL": event["mentions"][0]["source"] if event["mentions"] else None,
        }


def _actor_code(actor: dict[str, Any]) -> str:
    return f"{actor['country'] or ''}{actor['sector'] or ''}"
