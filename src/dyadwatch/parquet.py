"""Export records as Parquet: one file, or a dataset partitioned by month that DuckDB, Polars
and Spark read as it is (Hive layout: ``DIR/month=2023-06/part-0.parquet``).

Each table has an explicit Arrow schema, so that a column every row leaves empty keeps its
type and every export of a table has the same columns. Nested values (an event's mentions,
a story's reports) are lists of structs rather than JSON text: DuckDB, Polars and Spark read
them as typed columns (``unnest(mentions)``, ``m.sentence``) without parsing strings.
Records are written a batch at a time, so a large store is never held in memory whole.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa

TableName = Literal["articles", "events", "index", "stories"]
Partition = Literal["month", "none"]
BATCH_ROWS = 2000  # records converted and written together
UNDATED = "unknown"  # the month partition of records without a date
PARTITION_COLUMN = "month"


class ExportError(ValueError):
    """An export that cannot be written as asked (the message says why)."""


_actor = pa.struct(
    [("id", pa.string()), ("name", pa.string()), ("country", pa.string()), ("sector", pa.string())]
)
_issue_tag = pa.struct(
    [("issue", pa.string()), ("label", pa.string()), ("triggers", pa.list_(pa.string()))]
)
_mention = pa.struct(
    [
        ("article_id", pa.int64()),
        ("canonical_id", pa.int64()),
        ("source", pa.string()),
        ("sentence", pa.string()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("status", pa.string()),
        ("trigger", pa.string()),
        ("confidence", pa.float64()),
        ("tone", pa.float64()),
        ("issues", pa.list_(_issue_tag)),
    ]
)
_side = pa.struct(
    [("blamed_in", pa.int64()), ("tone", pa.float64()), ("evidence", pa.list_(pa.string()))]
)
_report = pa.struct(
    [
        ("article_id", pa.int64()),
        ("copy_of", pa.int64()),
        ("outlet", pa.string()),
        ("source", pa.string()),
        ("outlet_country", pa.string()),
        ("title", pa.string()),
        ("url", pa.string()),
        ("published", pa.string()),
        ("tone", pa.float64()),
        ("key_sentences", pa.list_(pa.string())),
        ("blames", pa.string()),
        ("favours", pa.string()),
        ("sides", pa.map_(pa.string(), _side)),  # keyed by country code
    ]
)
_date_evidence = pa.struct(
    [
        ("date", pa.string()),
        ("origin", pa.string()),
        ("confidence", pa.string()),
        ("note", pa.string()),
    ]
)

SCHEMAS: dict[TableName, pa.Schema] = {
    "articles": pa.schema(
        [
            ("id", pa.int64()),
            ("source", pa.string()),
            ("url", pa.string()),
            ("outlet", pa.string()),
            ("outlet_country", pa.string()),
            ("title", pa.string()),
            ("author", pa.string()),
            ("published", pa.date32()),
            ("language", pa.string()),
            ("body", pa.string()),
            ("duplicate_of", pa.int64()),
            ("duplicate_kind", pa.string()),
            ("format", pa.string()),
            ("skip_reason", pa.string()),
            ("date_evidence", pa.list_(_date_evidence)),
        ]
    ),
    "events": pa.schema(
        [
            ("id", pa.int64()),
            ("date", pa.date32()),
            ("date_end", pa.date32()),
            ("date_precision", pa.string()),
            ("source", _actor),
            ("target", _actor),
            ("type", pa.string()),
            ("mode", pa.string()),
            ("cameo_root", pa.string()),
            ("quad", pa.int64()),
            ("intensity", pa.float64()),
            ("status", pa.string()),
            (
                "location",
                pa.struct(
                    [
                        ("name", pa.string()),
                        ("country", pa.string()),
                        ("lat", pa.float64()),
                        ("lon", pa.float64()),
                    ]
                ),
            ),
            ("issues", pa.list_(pa.string())),
            ("confidence", pa.float64()),
            ("mentions", pa.list_(_mention)),
        ]
    ),
    "index": pa.schema(
        [
            ("period", pa.string()),
            ("events", pa.int64()),
            ("verbal_cooperation", pa.int64()),
            ("material_cooperation", pa.int64()),
            ("verbal_conflict", pa.int64()),
            ("material_conflict", pa.int64()),
            ("mean_intensity", pa.float64()),
            ("net_cooperation", pa.int64()),
            ("articles", pa.int64()),
            ("stories", pa.int64()),
            ("event_ids", pa.list_(pa.int64())),
        ]
    ),
    "stories": pa.schema(
        [
            ("id", pa.int64()),
            ("title", pa.string()),
            ("start", pa.date32()),
            ("end", pa.date32()),
            ("articles", pa.list_(pa.int64())),
            ("outlets", pa.list_(pa.string())),
            ("event_ids", pa.list_(pa.int64())),
            ("reports", pa.list_(_report)),
        ]
    ),
}
# The field whose month partitions each table: a publication day, an event day, a story's
# first day, an index period.
DATED_BY: dict[TableName, str] = {
    "articles": "published",
    "events": "date",
    "index": "period",
    "stories": "start",
}


def write_parquet(records: Iterable[dict[str, Any]], table: TableName, out: Path) -> int:
    """Write records as one Parquet file; returns the count."""
    import pyarrow.parquet as pq  # loaded only for this format

    schema = SCHEMAS[table]
    count = 0
    with pq.ParquetWriter(out, schema) as writer:
        for batch in _batches(records, schema):
            writer.write_batch(batch)
            count += batch.num_rows
    return count


def write_dataset(
    records: Iterable[dict[str, Any]], table: TableName, out: Path, partition: Partition = "month"
) -> int:
    """Write records as a Parquet dataset in the folder ``out``, partitioned by month (the
    month of ``DATED_BY[table]``, ``month=unknown`` without one) or not at all; returns
    the count. A previous export in ``out`` is replaced, so a re-run adds no rows twice."""
    import pyarrow.dataset as ds  # loaded only for this format

    schema = SCHEMAS[table]
    if partition == "month":
        schema = schema.append(pa.field(PARTITION_COLUMN, pa.string()))
        records = ({**r, PARTITION_COLUMN: month_of(r[DATED_BY[table]])} for r in records)
    _clear_export(out)
    out.mkdir(parents=True, exist_ok=True)  # an export of no records is an empty dataset
    ds.write_dataset(
        _batches(records, schema),
        out,
        schema=schema,
        format="parquet",
        partitioning=[PARTITION_COLUMN] if partition == "month" else None,
        partitioning_flavor="hive",
        basename_template="part-{i}.parquet",
        existing_data_behavior="overwrite_or_ignore",  # the folder was cleared above
    )
    return ds.dataset(out, format="parquet").count_rows()  # from the files' footers


def month_of(value: str | date | None) -> str:
    """The month ("2023-06") of a day or an index period (day, ISO week or month); undated
    records are in the month ``unknown``."""
    if value is None:
        return UNDATED
    text = str(value)
    if "-W" in text:  # an ISO week is in the month of its Monday
        year, week = text.split("-W")
        return date.fromisocalendar(int(year), int(week), 1).strftime("%Y-%m")
    if len(text) < len("2023-06"):
        raise ExportError(f"{text!r} is a year, not in one month: partition by month needs months")
    return text[:7]


def _batches(records: Iterable[dict[str, Any]], schema: pa.Schema) -> Iterator[pa.RecordBatch]:
    """Arrow batches of the records; days come as ISO text and are cast to dates."""
    as_text = pa.schema([f.with_type(pa.string()) if f.type == pa.date32() else f for f in schema])
    rows = iter(records)
    while chunk := list(islice(rows, BATCH_ROWS)):
        yield pa.RecordBatch.from_pylist(chunk, schema=as_text).cast(schema)


def _clear_export(out: Path) -> None:
    """Remove a previous export from ``out``; refuse a folder that holds anything else."""
    if not out.exists():
        return
    if not out.is_dir():
        raise ExportError(f"{out} is a file: a dataset is written into a folder")
    found = list(out.iterdir())
    foreign = [p.name for p in found if not _exported(p)]
    if foreign:
        raise ExportError(
            f"{out} holds files that are not a Parquet export ({foreign[0]}): "
            "choose a new or empty folder"
        )
    for path in found:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def _exported(path: Path) -> bool:
    """Whether a path in the folder is one an export writes."""
    if path.is_dir():
        return path.name.startswith(f"{PARTITION_COLUMN}=")
    return path.name.startswith("part-") and path.suffix == ".parquet"
