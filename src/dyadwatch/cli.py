"""Command line: a thin view over the Python API (``dyadwatch.pipeline``, ``Store``)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from dyadwatch.export import ExportFormat, article_records, write_records
from dyadwatch.pipeline import IngestReport, ingest
from dyadwatch.store import DEFAULT_DB, Store

app = typer.Typer(help="Evidence-backed event data on international relations, from the news.")
export_app = typer.Typer(help="Export stored records.")
app.add_typer(export_app, name="export")
console = Console()
errors = Console(stderr=True)

DbOption = Annotated[
    str, typer.Option("--db", help="SQLite file, or a database URL (postgresql+psycopg://...).")
]


@app.command("ingest")
def ingest_command(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive), or - for stdin.")],
    db: DbOption = DEFAULT_DB,
    workers: Annotated[int | None, typer.Option(help="Extraction processes.")] = None,
) -> None:
    """Read news files into the article store, dropping duplicates."""
    with Progress(
        TextColumn("[bold]ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=errors,
        transient=True,
    ) as progress:
        task = progress.add_task("", total=None)

        def show(done: int, total: int, source: str) -> None:
            progress.update(task, completed=done, total=total, description=_tail(source))

        report = ingest(paths, db, workers=workers, progress=show)
    _print_report(report, db)


def _tail(source: str, width: int = 50) -> str:
    return source if len(source) <= width else "…" + source[-width + 1 :]


def _print_report(report: IngestReport, db: str) -> None:
    console.print(
        f"[bold]{report.articles}[/] new articles from {report.inputs} inputs into {db} "
        f"({report.unchanged} inputs already stored; {report.exact_duplicates} exact and "
        f"{report.near_duplicates} near duplicates linked; {report.set_aside} set aside for "
        "later stages)"
    )
    if report.problems:
        console.print(f"[yellow]{len(report.problems)} problems[/] (dyadwatch problems lists all):")
        reasons = Counter(p.reason.split(":")[0] for p in report.problems)
        for reason, count in reasons.most_common():
            console.print(f"  {count:>5}  {reason}")


@app.command("articles")
def articles_command(
    db: DbOption = DEFAULT_DB,
    outlet: Annotated[str | None, typer.Option(help="Outlet name contains this.")] = None,
    language: Annotated[str | None, typer.Option(help="ISO 639-1 code, e.g. en.")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before YYYY-MM-DD.")] = None,
    canonical: Annotated[bool, typer.Option(help="Hide copies of other articles.")] = False,
    limit: int = 50,
    offset: int = 0,
) -> None:
    """List stored articles, newest first."""
    with _open(db) as store:
        rows = store.articles(outlet, language, since, until, canonical, limit, offset)
    table = Table("id", "published", "outlet", "lang", "title", "copy of")
    for row in rows:
        table.add_row(
            str(row["id"]),
            row["published"] or "?",
            row["outlet"] or "",
            row["language"] or "",
            row["title"] or "",
            str(row["duplicate_of"] or ""),
        )
    console.print(table)


@app.command("show")
def show_command(article_id: int, db: DbOption = DEFAULT_DB) -> None:
    """Show one article: metadata, where its date came from, copies, and body."""
    with _open(db) as store:
        article = store.article(article_id)
    if article is None:
        errors.print(f"no article with id {article_id}")
        raise typer.Exit(1)
    for name in ("title", "outlet", "author", "published", "language", "url", "source"):
        console.print(f"[bold]{name}:[/] {article[name] or '-'}", markup=True, highlight=False)
    for evidence in article["date_evidence"]:
        console.print(
            f"  date {evidence['date']} from {evidence['origin']} ({evidence['confidence']}) "
            f"{evidence['note']}",
            highlight=False,
        )
    if article["duplicate_of"]:
        console.print(f"[bold]copy of:[/] {article['duplicate_of']} ({article['duplicate_kind']})")
    if article["copies"]:
        console.print(f"[bold]copies:[/] {', '.join(map(str, article['copies']))}")
    if article["skip_reason"]:
        console.print(f"[bold]set aside:[/] {article['skip_reason']}")
    console.print()
    console.print(article["body"], markup=False, highlight=False)


@app.command("search")
def search_command(query: str, db: DbOption = DEFAULT_DB, limit: int = 20) -> None:
    """Full-text search over titles and bodies."""
    with _open(db) as store:
        hits = store.search(query, limit)
    table = Table("id", "published", "outlet", "title", "snippet")
    for hit in hits:
        table.add_row(
            str(hit["id"]),
            hit["published"] or "?",
            hit["outlet"] or "",
            hit["title"] or "",
            hit["snippet"],
        )
    console.print(table)


@app.command("problems")
def problems_command(db: DbOption = DEFAULT_DB) -> None:
    """Inputs and records that were skipped, and why."""
    with _open(db) as store:
        rows = store.problems()
    table = Table("source", "record", "reason")
    for row in rows:
        table.add_row(row["source"], "" if row["record"] < 0 else str(row["record"]), row["reason"])
    console.print(table)


@export_app.command("articles")
def export_articles_command(
    db: DbOption = DEFAULT_DB,
    format: Annotated[ExportFormat, typer.Option("--format", "-f")] = "jsonl",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File (default stdout).")] = None,
) -> None:
    """Export every article (copies included, with duplicate_of) as JSON Lines or CSV."""
    with _open(db) as store:
        _write(article_records(store), format, out)


def _write(records: Any, fmt: ExportFormat, out: Path | None) -> None:
    if out is None:
        write_records(records, fmt, sys.stdout)
        return
    with out.open("w", encoding="utf-8", newline="") as handle:
        count = write_records(records, fmt, handle)
    errors.print(f"{count} records written to {out}")


def _open(db: str) -> Store:
    if "://" not in db and not Path(db).exists():
        errors.print(f"no store at {db}: run `dyadwatch ingest PATH --db {db}` first")
        raise typer.Exit(2)
    return Store(db)
