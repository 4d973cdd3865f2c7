"""Command line: a thin view over the Python API (``dyadwatch.pipeline``, ``Store``)."""

from __future__ import annotations

import signal
import sys
import threading
import webbrowser
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import CancelledError
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from dyadwatch.analytics import Period, index_records, relations_index
from dyadwatch.digest import KEY_EVENTS, PeriodError, build_digest, periods, write_digest
from dyadwatch.digest.alerts import RuleError, holding, parse_rule
from dyadwatch.digest.render import DIGEST_SUFFIXES, Format, render
from dyadwatch.events import DEFAULT_MIN_CONFIDENCE
from dyadwatch.export import (
    ExportFormat,
    TableFormat,
    article_records,
    event_records,
    gdelt_rows,
    write_records,
)
from dyadwatch.parquet import ExportError, Partition, TableName, write_dataset, write_parquet
from dyadwatch.pipeline import CodingReport, IngestReport, ProgressHook, code_events, ingest
from dyadwatch.search import Mode, search
from dyadwatch.store import DEFAULT_DB, Store
from dyadwatch.stories import build_stories
from dyadwatch.watch import (
    FetchError,
    Politeness,
    RoundReport,
    Watcher,
    check_address,
    expand_sources,
    parse_interval,
)

if TYPE_CHECKING:
    from distributed import Client

app = typer.Typer(help="Evidence-backed event data on international relations, from the news.")
export_app = typer.Typer(help="Export stored records.")
app.add_typer(export_app, name="export")
console = Console()
errors = Console(stderr=True)
WIDE_TABLE = 140  # columns under which ``events`` prints a block per event, not a table


def _add_row(table: Table, *cells: str) -> None:
    """A row of plain text: "[talks]" in a scraped title or sentence is not rich markup."""
    table.add_row(*(Text(cell) for cell in cells))


OUTLET_FILES: list[Path] = []  # user outlet tables, from the --outlets option

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"  # in a source checkout
EventFormat = Literal["jsonl", "csv", "gdelt", "parquet"]
InputStatus = Literal["reading", "done", "failed"]
DyadOption = Annotated[
    str | None, typer.Option(help="Two ISO alpha-3 codes, either direction: CHN-USA.")
]
ConfidenceOption = Annotated[
    float,
    typer.Option(
        min=0.0,
        max=1.0,
        help="Only events the coder is at least this sure of (0 keeps every event).",
    ),
]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="File (default stdout); with --partition, a folder."),
]
PartitionOption = Annotated[
    Partition | None,
    typer.Option(
        help="With --format parquet: a dataset folder partitioned by month (Hive layout, "
        "month=unknown for undated rows) or not (none), replacing an export already there; "
        "without it, one file."
    ),
]
PairOption = Annotated[str, typer.Option(help="Two ISO alpha-3 codes: CHN-USA.")]
PeriodOption = Annotated[Period, typer.Option(help="day, week, month or year.")]
IssueOption = Annotated[
    str | None, typer.Option(help="Issue id, e.g. taiwan (dyadwatch issues lists them).")
]
PrefilterOption = Annotated[
    bool,
    typer.Option(
        help="Spare the actor and event stages articles that name no actors of two countries "
        "(they have no event; tone and issues are still read). --no-prefilter codes them too, "
        "storing their actor mentions."
    ),
]
DbOption = Annotated[
    str, typer.Option("--db", help="SQLite file, or a database URL (postgresql+psycopg://...).")
]


@app.callback()
def main(
    outlets: Annotated[
        list[Path] | None,
        typer.Option(
            help="CSV of outlets and their countries (name,aliases,domains,country), adding to "
            "or overriding the built-in table; may be given more than once.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Evidence-backed event data on international relations, from the news."""
    OUTLET_FILES[:] = outlets or []


@app.command("ingest")
def ingest_command(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files, folders (recursive), - for stdin, or lists of paths (*.paths, "
            "*.paths.gz: one a line, relative to the list's folder, as CC-NEWS's warc.paths.gz)."
        ),
    ],
    db: DbOption = DEFAULT_DB,
    workers: Annotated[
        int | None, typer.Option(help="Extraction processes (with --cluster local: workers).")
    ] = None,
    events: Annotated[bool, typer.Option(help="Code actors and events after storing.")] = True,
    prefilter: PrefilterOption = True,
    cluster: Annotated[
        str | None,
        typer.Option(
            help="Run on Dask: local (a cluster of --workers processes here), or the address "
            "of a running scheduler (tcp://HOST:8786)."
        ),
    ] = None,
) -> None:
    """Read news files into the store, linking duplicates, then code actors and events."""
    with _cluster(cluster, workers) as client, _progress() as progress:
        reading = progress.add_task("", total=None, stage="read")
        coding = progress.add_task("", total=None, stage="code", visible=False)
        report = ingest(
            paths,
            db,
            workers=workers,
            progress=_updater(progress, reading),
            code=events,
            coding_progress=_updater(progress, coding),
            prefilter=prefilter,
            cluster=client,
        )
    _print_report(report, db)
    if report.coding:
        _print_coding(report.coding)


@contextmanager
def _cluster(address: str | None, workers: int | None) -> Iterator[Client | None]:
    """A client of the Dask cluster asked for (none without one), its dashboard printed."""
    if address is None:
        yield None
        return
    try:
        from dyadwatch.cluster import ClusterError, connect  # Dask loads only for a cluster
    except ImportError:
        errors.print("--cluster needs Dask: pip install 'dyadwatch[cluster]'", markup=False)
        raise typer.Exit(2) from None
    try:
        with connect(address, workers) as client:
            console.print(f"Dask dashboard at {client.dashboard_link}", markup=False)
            yield client
    except ClusterError as error:
        errors.print(f"error: {error}", markup=False)
        raise typer.Exit(1) from None
    except CancelledError as error:  # the scheduler was lost mid-run
        errors.print(f"error: the run's Dask tasks were cancelled: {error}", markup=False)
        errors.print("what was stored stays: run the same command again to read the rest")
        raise typer.Exit(1) from None


@app.command("watch")
def watch_command(
    sources: Annotated[
        list[str],
        typer.Argument(
            help="RSS/Atom feed or sitemap URLs, OPML files, or text files listing them."
        ),
    ],
    db: DbOption = DEFAULT_DB,
    once: Annotated[bool, typer.Option(help="One round, then exit (for cron).")] = False,
    every: Annotated[str, typer.Option(help="Time between rounds: 30s, 15m, 1h.")] = "15m",
    warc: Annotated[
        Path | None, typer.Option(help="Folder to write what was fetched to, as WARC files.")
    ] = None,
    allow_private: Annotated[
        bool, typer.Option(help="Also fetch from private, loopback and link-local addresses.")
    ] = False,
    delay: Annotated[
        float, typer.Option(min=0.0, help="Seconds between two requests to one host.")
    ] = Politeness.delay,
    events: Annotated[bool, typer.Option(help="Code actors and events of new articles.")] = True,
    digest: Annotated[
        Path | None,
        typer.Option(
            help="After each round, write what changed over the last --since to this file "
            "(.md, .html or .json by its suffix, else text)."
        ),
    ] = None,
    dyad: PairOption = "CHN-USA",
    since: Annotated[str, typer.Option(help="The digest's period: 7d, 2w.")] = "7d",
) -> None:
    """Follow feeds and sitemaps: each round fetches what changed (politely: robots.txt, a
    delay per host) and ingests the new articles. Ctrl-C stops between two pages."""
    try:
        urls, interval = expand_sources(sources), parse_interval(every)
        periods(since)  # a bad digest period is refused before any fetch
    except ValueError as error:
        raise typer.BadParameter(str(error)) from error
    _refuse_private(urls, allow_private)
    stop = threading.Event()
    politeness = Politeness(delay=delay, allow_private=allow_private)
    with Store(db, OUTLET_FILES) as store, _progress() as progress, _stopping_on_signals(stop):
        tasks = {
            stage: progress.add_task("", total=None, stage=stage, visible=False)
            for stage in ("poll", "fetch")
        }

        def show(stage: str, done: int, total: int, url: str) -> None:
            _updater(progress, tasks[stage])(done, total, url)

        watcher = Watcher(store, urls, politeness, warc, events, stop, show)
        for report in watcher.rounds(None if once else interval):
            for task in tasks.values():
                progress.update(task, visible=False)
            _print_round(report)
            if digest is not None:
                write_digest(store, _pair(dyad), since, _digest_format(digest), digest)
                console.print(f"digest written to {digest}", markup=False)


def _digest_format(path: Path) -> Format:
    return DIGEST_SUFFIXES.get(path.suffix.lower(), "text")


def _refuse_private(urls: list[str], allow_private: bool) -> None:
    """A source on a private address is refused before anything is fetched."""
    for url in urls:
        try:
            check_address(url, allow_private)
        except FetchError as error:
            if error.kind == "refused":
                errors.print(f"{url}: {error.reason}", markup=False)
                raise typer.Exit(2) from error
        # a name that does not resolve now may later: each round reports it


@contextmanager
def _stopping_on_signals(stop: threading.Event) -> Iterator[None]:
    """Ctrl-C or SIGTERM asks for a stop between two pages; a second Ctrl-C interrupts."""

    def ask(signum: int, _frame: object) -> None:
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop.set()
        errors.print("stopping after this page (Ctrl-C again to interrupt now)")

    before = {sig: signal.signal(sig, ask) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)


def _print_round(report: RoundReport) -> None:
    ingested = report.ingest.articles if report.ingest else 0
    console.print(
        f"round: {report.sources} sources ({report.unchanged} unchanged, "
        f"{len(report.source_errors)} failed), {report.new_pages} new pages listed, "
        f"{report.fetched} fetched, [bold]{ingested}[/] new articles"
        + (" [yellow](stopped)[/]" if report.stopped else "")
    )
    for url, reason in report.source_errors.items():
        console.print(f"  [yellow]source failed[/] {escape(url)}: {escape(reason)}")
    for status, count in sorted(report.skipped.items()):
        console.print(f"  {count} pages {status}", markup=False)
    if report.warc:
        console.print(f"  responses written to {report.warc}", markup=False)


@app.command("sources")
def sources_command(db: DbOption = DEFAULT_DB) -> None:
    """The watched sources: last round, errors, pages by status and articles stored."""
    with _open(db) as store:
        rows = store.watch_sources()
    table = Table(
        "id", "source", "kind", "last round", "HTTP", "errors", "pages", "articles", "last error"
    )
    for row in rows:
        pages = f"{row['done']} done"
        for status in ("pending", "fetched", "failed", "disallowed", "refused"):
            pages += f", {row[status]} {status}" if row[status] else ""
        _add_row(
            table,
            str(row["id"]),
            row["url"],
            row["kind"] or "?",
            row["checked_at"] or "never",
            str(row["http_status"] or ""),
            str(row["errors"]),
            pages,
            str(row["articles"]),
            row["error"] or "",
        )
    console.print(table)


@app.command("serve")
def serve_command(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the dashboard and the HTTP API (JSON; OpenAPI schema at /openapi.json)."""
    from dyadwatch.api import serve  # the web stack loads only for this command

    _open(db).close()  # the usual message when there is no store yet
    console.print(f"dashboard at http://{host}:{port}/ (API schema: /openapi.json); Ctrl-C to stop")
    serve(db, host, port, OUTLET_FILES)


@app.command("run")
def run_command(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Files or folders (default: the examples).")
    ] = None,
    db: DbOption = DEFAULT_DB,
    port: Annotated[int, typer.Option(help="Port of the dashboard.")] = 8000,
    open_browser: Annotated[bool, typer.Option("--open/--no-open", help="Open a browser.")] = True,
) -> None:
    """The main job: ingest and code a folder, then serve the dashboard over it."""
    ingest_command(paths or [str(EXAMPLES)], db=db, workers=None, events=True, prefilter=True)
    if open_browser:
        threading.Timer(1.5, webbrowser.open, [f"http://127.0.0.1:{port}/"]).start()
    serve_command(db=db, host="127.0.0.1", port=port)


@app.command("code-events")
def code_events_command(db: DbOption = DEFAULT_DB, prefilter: PrefilterOption = True) -> None:
    """Code actors and events in stored articles not coded yet."""
    with _open(db) as store, _progress() as progress:
        task = progress.add_task("", total=None, stage="code")
        report = code_events(store, _updater(progress, task), prefilter=prefilter)
    _print_coding(report)


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.fields[stage]}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=errors,
        transient=True,
    )


def _updater(progress: Progress, task: TaskID) -> ProgressHook:
    def show(done: int, total: int, item: str) -> None:
        progress.update(task, completed=done, total=total, description=_tail(item), visible=True)

    return show


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
            console.print(f"  {count:>5}  {reason}", markup=False)


def _print_coding(report: CodingReport) -> None:
    console.print(
        f"coded {report.articles} articles: {report.actor_mentions} actor mentions, "
        f"{report.event_mentions} event mentions (dyadwatch events lists them)"
    )


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
        _add_row(
            table,
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
        console.print(f"[bold]{name}:[/] {escape(str(article[name] or '-'))}", highlight=False)
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
        console.print(f"[bold]set aside:[/] {escape(article['skip_reason'])}")
    console.print()
    console.print(article["body"], markup=False, highlight=False)


@app.command("search")
def search_command(
    query: Annotated[str, typer.Argument(help='Words (all must occur) or "a phrase".')],
    db: DbOption = DEFAULT_DB,
    dyad: Annotated[
        str | None,
        typer.Option(help="Articles with an event between the two or actors of both: CHN-USA."),
    ] = None,
    issue: IssueOption = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet name contains this.")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before YYYY-MM-DD.")] = None,
    canonical: Annotated[bool, typer.Option(help="Hide copies of other articles.")] = False,
    mode: Annotated[
        Mode, typer.Option(help="words (all must occur), semantic (by meaning) or hybrid (both).")
    ] = "hybrid",
    semantic: Annotated[bool, typer.Option(help="Search by meaning: --mode semantic.")] = False,
    limit: int = 20,
    offset: int = 0,
) -> None:
    """Search titles and bodies, best match first, optionally filtered: by words and by
    meaning together (reciprocal rank fusion), or by either alone."""
    pair, start, end = _dyad(dyad), _iso(since), _iso(until)
    chosen: Mode = "semantic" if semantic else mode
    with _open(db) as store:
        hits = search(
            store,
            query,
            chosen,
            limit=limit,
            offset=offset,
            dyad=pair,
            issue=issue,
            outlet=outlet,
            since=start,
            until=end,
            canonical_only=canonical,
        )
    table = Table("id", "published", "outlet", "title", "snippet", "copy of")
    for hit in hits:
        _add_row(
            table,
            str(hit["id"]),
            hit["published"] or "?",
            hit["outlet"] or "",
            hit["title"] or "",
            hit["snippet"] or "",
            str(hit["duplicate_of"] or ""),
        )
    console.print(table)


@app.command("inputs")
def inputs_command(
    db: DbOption = DEFAULT_DB,
    status: Annotated[
        InputStatus | None, typer.Option(help="reading (interrupted or running), done or failed.")
    ] = None,
    limit: int | None = None,
    offset: int = 0,
) -> None:
    """Every input read (file, or archive as a whole), with its status and first error."""
    with _open(db) as store:
        rows = store.inputs(status, limit, offset)
    table = Table("id", "source", "format", "status", "records", "finished", "error")
    for row in rows:
        _add_row(
            table,
            str(row["id"]),
            row["source"],
            row["format"],
            row["status"],
            str(row["documents"]),
            row["finished_at"] or "",
            row["error"] or "",
        )
    console.print(table)


@app.command("problems")
def problems_command(db: DbOption = DEFAULT_DB) -> None:
    """Inputs and records that were skipped, and why."""
    with _open(db) as store:
        rows = store.problems()
    table = Table("source", "record", "reason")
    for row in rows:
        _add_row(
            table, row["source"], "" if row["record"] < 0 else str(row["record"]), row["reason"]
        )
    console.print(table)


@export_app.command("articles")
def export_articles_command(
    db: DbOption = DEFAULT_DB,
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = "jsonl",
    out: OutOption = None,
    partition: PartitionOption = None,
) -> None:
    """Export every article (copies included, with duplicate_of)."""
    with _open(db) as store:
        _write_table(article_records(store), "articles", format, out, partition)


@export_app.command("events")
def export_events_command(
    db: DbOption = DEFAULT_DB,
    format: Annotated[EventFormat, typer.Option("--format", "-f")] = "jsonl",
    out: OutOption = None,
    dyad: DyadOption = None,
    min_confidence: ConfidenceOption = 0.0,
    partition: PartitionOption = None,
) -> None:
    """Export events with actors, place, confidence and every mention (csv: nested fields as
    JSON; gdelt: one flat row per event with GDELT-like columns; parquet: nested fields as
    lists of structs)."""
    with _open(db) as store:
        records = event_records(store, dyad=_dyad(dyad), min_confidence=min_confidence)
        if format == "gdelt":
            _write_table(gdelt_rows(records), "events", "csv", out, partition)
        else:
            _write_table(records, "events", format, out, partition)


@export_app.command("index")
def export_index_command(
    db: DbOption = DEFAULT_DB,
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = "csv",
    out: OutOption = None,
    dyad: PairOption = "CHN-USA",
    by: PeriodOption = "month",
    issue: IssueOption = None,
    min_confidence: ConfidenceOption = DEFAULT_MIN_CONFIDENCE,
    partition: PartitionOption = None,
) -> None:
    """Export the relations index of a dyad, one row per period."""
    pair = _pair(dyad)
    with _open(db) as store:
        points = relations_index(
            store, pair, by, issue=issue, min_confidence=min_confidence, event_ids=True
        )
        _write_table(index_records(points), "index", format, out, partition)


@export_app.command("stories")
def export_stories_command(
    db: DbOption = DEFAULT_DB,
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = "jsonl",
    out: OutOption = None,
    dyad: DyadOption = None,
    partition: PartitionOption = None,
) -> None:
    """Export stories: articles grouped by the happening they report."""
    with _open(db) as store:
        stories = [asdict(s) for s in build_stories(store, _dyad(dyad))]
        _write_table(stories, "stories", format, out, partition)


def _write_table(
    records: Iterable[dict[str, Any]],
    table: TableName,
    fmt: TableFormat,
    out: Path | None,
    partition: Partition | None,
) -> None:
    if fmt != "parquet":
        if partition:
            raise typer.BadParameter("--partition is for --format parquet")
        _write(records, fmt, out)
        return
    if out is None:
        raise typer.BadParameter("parquet needs --out FILE (a folder with --partition)")
    try:
        if partition:
            count = write_dataset(records, table, out, partition)
        else:
            count = write_parquet(records, table, out)
    except ExportError as error:
        raise typer.BadParameter(str(error)) from error
    errors.print(f"{count} records written to {out}")


@app.command("events")
def events_command(
    db: DbOption = DEFAULT_DB,
    dyad: DyadOption = None,
    since: Annotated[str | None, typer.Option(help="On or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="On or before YYYY-MM-DD.")] = None,
    type: Annotated[str | None, typer.Option("--type", help="PLOVER type, e.g. CONSULT.")] = None,
    actor: Annotated[str | None, typer.Option(help="Actor name or id contains this.")] = None,
    issue: IssueOption = None,
    min_confidence: ConfidenceOption = DEFAULT_MIN_CONFIDENCE,
    limit: int = 50,
    offset: int = 0,
) -> None:
    """List coded events, newest first, each with its evidence sentence."""
    filters: dict[str, Any] = {"dyad": _dyad(dyad), "since": since, "until": until}
    filters |= {"event_type": type, "issue": issue, "min_confidence": min_confidence}
    with _open(db) as store:
        rows = store.events(limit=limit, offset=offset, actor=actor, **filters)
    if console.width < WIDE_TABLE:  # a table this wide would wrap every cell: one block each
        for row in rows:
            console.print(Text("  ".join(filter(None, _event_cells(row)[:-1])), style="bold"))
            console.print(Text(f"    {_evidence(row['mentions'], width=10**6)}"))
        return
    table = Table(
        "id", "date", "source", "type", "target", "status", "conf.", "place", "n", "evidence"
    )
    for row in rows:
        _add_row(table, *_event_cells(row))
    console.print(table)


def _event_cells(row: dict[str, Any]) -> list[str]:
    """An event as the columns of ``events`` show it, its first sentence last."""
    return [
        str(row["id"]),
        row["date"] or "?",
        _side(row["source"]),
        f"{row['type']} ({row['cameo_root']})",
        _side(row["target"]),
        row["status"],
        f"{row['confidence']:.2f}" if row["confidence"] is not None else "",
        (row["location"] or {}).get("name") or "",
        f"{len(row['mentions'])} mention{'s' if len(row['mentions']) != 1 else ''}",
        _evidence(row["mentions"]),
    ]


@app.command("index")
def index_command(
    db: DbOption = DEFAULT_DB,
    dyad: PairOption = "CHN-USA",
    by: PeriodOption = "month",
    since: Annotated[str | None, typer.Option(help="On or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="On or before YYYY-MM-DD.")] = None,
    issue: IssueOption = None,
    min_confidence: ConfidenceOption = DEFAULT_MIN_CONFIDENCE,
) -> None:
    """The relations index of a dyad: distinct events per period by quad class, with the
    articles and distinct stories behind them (``--issue`` keeps the events on one issue)."""
    pair = _pair(dyad)
    with _open(db) as store:
        points = relations_index(store, pair, by, since, until, issue, min_confidence)
    table = Table(
        by,
        "events",
        "verb. coop",
        "mat. coop",
        "verb. confl",
        "mat. confl",
        "mean int.",
        "net coop",
        "articles",
        "stories",
    )
    for p in points:
        _add_row(
            table,
            p.period,
            str(p.events),
            str(p.verbal_cooperation),
            str(p.material_cooperation),
            str(p.verbal_conflict),
            str(p.material_conflict),
            f"{p.mean_intensity:+.1f}",
            f"{p.net_cooperation:+d}",
            str(p.articles),
            str(p.stories),
        )
    console.print(table)


@app.command("report")
def report_command(
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path(
        "report.html"
    ),
    db: DbOption = DEFAULT_DB,
    dyad: PairOption = "CHN-USA",
    by: PeriodOption = "month",
) -> None:
    """Write a self-contained HTML report (index chart, key events, stories)."""
    from dyadwatch.report import write_report  # plotly loads only for the report

    pair = _pair(dyad)
    with _open(db) as store:
        write_report(store, out, pair, by)
    console.print(f"report written to {out}")


@app.command("digest")
def digest_command(
    db: DbOption = DEFAULT_DB,
    dyad: PairOption = "CHN-USA",
    since: Annotated[
        str, typer.Option(help="The last N days or weeks (7d, 2w), or from YYYY-MM-DD.")
    ] = "7d",
    until: Annotated[str | None, typer.Option(help="Up to YYYY-MM-DD (default today).")] = None,
    format: Annotated[Format, typer.Option("--format", "-f")] = "text",
    out: OutOption = None,
    alert: Annotated[
        list[str] | None,
        typer.Option(
            help="Exit 3 when this rule on the digest's figures holds, e.g. "
            "'material_conflict>=3' or 'net_cooperation_change<0'; may be given more than once."
        ),
    ] = None,
    min_confidence: ConfidenceOption = DEFAULT_MIN_CONFIDENCE,
    limit: Annotated[int, typer.Option(min=1, help="Key events at most.")] = KEY_EVENTS,
) -> None:
    """What changed in a dyad's relations over a period, against the period before it: the
    index, key events with their sentences, new and growing stories, issues, new actors."""
    try:
        rules = [parse_rule(rule) for rule in alert or []]
    except RuleError as error:
        raise typer.BadParameter(str(error), param_hint="--alert") from None
    with _open(db) as store:
        try:
            digest = build_digest(store, _pair(dyad), since, _day(until), min_confidence, limit)
        except PeriodError as error:
            raise typer.BadParameter(str(error), param_hint="--since") from None
    text = render(digest, format)
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        errors.print(f"digest written to {out}", markup=False)
    held = holding(rules, digest.figures)
    for rule in held:
        errors.print(f"alert: {rule} holds ({rule.figure} is {digest.figures[rule.figure]})")
    if held:
        raise typer.Exit(3)


@app.command("issues")
def issues_command(db: DbOption = DEFAULT_DB) -> None:
    """Issues the articles and events are about (see data/issues.csv for the taxonomy)."""
    with _open(db) as store:
        rows = store.issues()
    table = Table("issue", "label", "articles", "events")
    for row in rows:
        _add_row(table, row["issue"], row["label"], str(row["articles"]), str(row["events"]))
    console.print(table)


@app.command("actors")
def actors_command(db: DbOption = DEFAULT_DB, limit: int = 50) -> None:
    """Actors found in the articles, most mentioned first."""
    with _open(db) as store:
        rows = store.actors(limit)
    table = Table("id", "name", "kind", "country", "sector", "mentions")
    for row in rows:
        _add_row(
            table,
            row["id"],
            row["name"],
            row["kind"],
            row["country"] or "",
            row["sector"] or "",
            str(row["mentions"]),
        )
    console.print(table)


@app.command("code")
def code_command(
    sentence: str,
    on: Annotated[
        str | None, typer.Option("--date", help="Article date YYYY-MM-DD, for relative dates.")
    ] = None,
) -> None:
    """Code one sentence and print its actors and events (for checks and teaching)."""
    from dyadwatch.events.coder import code_text  # spaCy loads only for the commands using it

    coding = code_text(sentence, _day(on))
    for mention in coding.actors:
        console.print(
            f"actor  {mention.text!r} → {mention.actor.name} [{mention.country or '-'} "
            f"{mention.sector or '-'}] by {mention.how}",
            highlight=False,
        )
    if not coding.events:
        console.print("no event found")
    for event in coding.events:
        kind = event.type
        console.print(
            f"event  {event.source.actor.name} → {kind.root}"
            f"{'/' + kind.mode if kind.mode else ''} → {event.target.actor.name}: "
            f"CAMEO {kind.cameo_root}, quad {kind.quad}, intensity {kind.intensity:+.1f}, "
            f"{event.status}, date {event.date.date if event.date else '?'}, "
            f"place {event.place.name if event.place else '?'}, confidence {kind.confidence:.2f}",
            highlight=False,
        )


def _dyad(value: str | None) -> tuple[str, str] | None:
    return None if value is None else _pair(value)


def _pair(value: str) -> tuple[str, str]:
    parts = value.upper().split("-")
    if len(parts) != 2 or not all(len(p) == 3 and p.isalpha() for p in parts):
        raise typer.BadParameter("a dyad is two ISO alpha-3 codes, e.g. CHN-USA")
    return parts[0], parts[1]


def _iso(value: str | None) -> str | None:
    day = _day(value)
    return day.isoformat() if day else None


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise typer.BadParameter(f"not a YYYY-MM-DD date: {value}") from error


def _side(actor: dict[str, Any]) -> str:
    return f"{actor['name']} ({actor['country'] or '?'})"


def _evidence(mentions: list[dict[str, Any]], width: int = 90) -> str:
    sentence = mentions[0]["sentence"] if mentions else ""
    return sentence if len(sentence) <= width else sentence[: width - 1] + "…"


def _write(records: Any, fmt: ExportFormat, out: Path | None) -> None:
    if out is None:
        write_records(records, fmt, sys.stdout)
        return
    with out.open("w", encoding="utf-8", newline="") as handle:
        count = write_records(records, fmt, handle)
    errors.print(f"{count} records written to {out}")


def _open(db: str) -> Store:
    if "://" not in db and not Path(db).exists():
        errors.print(f"no store at {db}: run `dyadwatch ingest PATH --db {db}` first", markup=False)
        raise typer.Exit(2)
    return Store(db, OUTLET_FILES)
