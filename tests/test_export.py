"""Exports through the command line over the examples: every table format, with and without a
dyad, carries the outlet countries, stories and the index narrowed to an issue; Parquet
datasets partitioned by month, read back by pyarrow and DuckDB."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from dyadwatch import store as store_module
from dyadwatch.cli import app
from dyadwatch.parquet import month_of
from dyadwatch.store import Store

runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("dyad", [[], ["--dyad", "CHN-USA"]])
def test_stories_export_as_parquet_with_or_without_a_dyad(
    examples_db: str, tmp_path: Path, dyad: list[str]
) -> None:
    out = tmp_path / "stories.parquet"
    run("export", "stories", "--db", examples_db, "--format", "parquet", "--out", str(out), *dyad)
    rows = pq.read_table(out).to_pylist()
    assert rows and all(row["reports"] for row in rows)
    assert all("outlet_country" in report for row in rows for report in row["reports"])


def test_articles_export_carries_the_outlet_country(examples_db: str, tmp_path: Path) -> None:
    extra = tmp_path / "outlets.csv"
    extra.write_text("name,aliases,domains,country\nHarbor Ledger,,,CAN\n", encoding="utf-8")
    plain = list(
        csv.DictReader(io.StringIO(run("export", "articles", "--db", examples_db, "-f", "csv")))
    )
    assert {row["outlet_country"] for row in plain} == {""}  # the examples' outlets are invented
    told = run("--outlets", str(extra), "export", "articles", "--db", examples_db, "-f", "jsonl")
    rows = [json.loads(line) for line in told.splitlines()]
    assert {r["outlet_country"] for r in rows if r["outlet"] == "Harbor Ledger"} == {"CAN"}
    assert {r["outlet_country"] for r in rows if r["outlet"] != "Harbor Ledger"} == {None}


def test_the_index_export_narrowed_to_an_issue(examples_db: str) -> None:
    every = list(
        csv.DictReader(io.StringIO(run("export", "index", "--db", examples_db, "--by", "year")))
    )
    taiwan = list(
        csv.DictReader(
            io.StringIO(
                run("export", "index", "--db", examples_db, "--by", "year", "--issue", "taiwan")
            )
        )
    )
    assert 0 < sum(int(p["events"]) for p in taiwan) < sum(int(p["events"]) for p in every)
    assert all(1 <= int(p["stories"]) <= int(p["articles"]) for p in every)


def test_events_export_with_their_confidence_in_every_format(examples_db: str) -> None:
    lines = run("export", "events", "--db", examples_db).splitlines()
    events = [json.loads(line) for line in lines]
    assert events and all(0.5 <= e["confidence"] <= 1 for e in events)
    sure = run("export", "events", "--db", examples_db, "--min-confidence", "0.9").splitlines()
    assert [json.loads(line) for line in sure] == [e for e in events if e["confidence"] >= 0.9]
    flat = csv.DictReader(io.StringIO(run("export", "events", "--db", examples_db, "-f", "gdelt")))
    assert sorted(float(row["Confidence"]) for row in flat) == sorted(
        e["confidence"] for e in events
    )


def parquet(table: str, db: str, partition: str, out: Path) -> list[str]:
    """The arguments of a Parquet dataset export."""
    return [
        "export",
        table,
        "--db",
        db,
        "-f",
        "parquet",
        "--partition",
        partition,
        "--out",
        str(out),
    ]


def dataset_rows(folder: Path) -> list[dict[str, Any]]:
    """The rows of a partitioned export as pyarrow reads them, with their partition's month."""
    table = ds.dataset(folder, format="parquet", partitioning="hive").to_table()
    return [_iso_days(row) for row in table.to_pylist()]


def _iso_days(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in row.items()}


def test_events_as_a_dataset_partitioned_by_month(examples_db: str, tmp_path: Path) -> None:
    """The rows are the JSON export's, each in the folder of its month (undated ones in
    month=unknown), and DuckDB reads the folder as it is; a re-run replaces them."""
    events = [
        json.loads(line) for line in run("export", "events", "--db", examples_db).splitlines()
    ]
    out = tmp_path / "events"
    for _ in range(2):
        run(*parquet("events", examples_db, "month", out))
    rows = dataset_rows(out)
    assert sorted(rows, key=lambda r: r["id"]) == sorted(
        ({**e, "month": (e["date"] or "unknown")[:7]} for e in events), key=lambda r: r["id"]
    )
    assert any(row["month"] == "unknown" for row in rows)
    for part in out.iterdir():
        month = part.name.removeprefix("month=")
        assert all((e["date"] or "unknown")[:7] == month for e in _in_files(part, events))
    mentions_by_month = duckdb.sql(
        f"SELECT month, count(*) FROM read_parquet('{out}/**/*.parquet', hive_partitioning=true)"
        " AS e, unnest(e.mentions) AS t(m) WHERE m.sentence <> '' GROUP BY month"
    ).fetchall()
    assert sorted(mentions_by_month) == sorted(
        Counter(r["month"] for r in rows for _ in r["mentions"]).items()
    )


def _in_files(part: Path, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events whose rows are in the files of one partition's folder."""
    ids = {row["id"] for f in part.glob("*.parquet") for row in pq.read_table(f).to_pylist()}
    return [e for e in events if e["id"] in ids]


@pytest.mark.parametrize("table", ["articles", "stories", "index"])
def test_every_table_as_a_dataset(examples_db: str, tmp_path: Path, table: str) -> None:
    plain = run("export", table, "--db", examples_db, "-f", "jsonl").splitlines()
    for partition in ("month", "none"):
        out = tmp_path / table
        run(*parquet(table, examples_db, partition, out))
        found = duckdb.sql(
            f"SELECT count(*) FROM read_parquet('{out}/**/*.parquet', hive_partitioning=true)"
        ).fetchall()
        assert found == [(len(plain),)]
        assert (partition == "none") == (out / "part-0.parquet").exists()


def test_a_dataset_is_not_written_over_other_files(examples_db: str, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(app, parquet("index", examples_db, "month", tmp_path))
    assert result.exit_code != 0 and "not a Parquet export" in result.output
    assert (tmp_path / "notes.txt").exists()
    result = runner.invoke(app, ["export", "index", "--db", examples_db, "--partition", "month"])
    assert result.exit_code != 0 and "--format parquet" in result.output


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_the_month_of_a_day_and_of_its_periods(day: date) -> None:
    assert month_of(day.isoformat()) == month_of(day) == f"{day.year}-{day.month:02d}"
    year, week, weekday = day.isocalendar()
    monday = day - timedelta(days=weekday - 1)
    assert month_of(f"{year}-W{week:02d}") == monday.strftime("%Y-%m")
    assert month_of(None) == "unknown"


def test_streamed_events_are_the_listed_ones(
    examples_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "EVENT_PAGE", 7)  # pages end inside the events
    with Store(examples_db) as store:
        assert list(store.iter_events(dyad=("CHN", "USA"))) == store.events(
            limit=None, dyad=("CHN", "USA")
        )
