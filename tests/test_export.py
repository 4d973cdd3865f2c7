"""Exports through the command line over the examples: every table format, with and without a
dyad, carries the outlet countries, stories and the index narrowed to an issue."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from dyadwatch.cli import app

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
