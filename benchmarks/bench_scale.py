"""How the API's answers cost as the store grows: every endpoint timed (p50, p95) on stores of
growing size, and the ingest rate at each size.

    .venv/bin/python benchmarks/bench_scale.py [--sizes 10000,50000,200000] [--postgres URL]

A real ingest runs about 15 articles/s on this machine, too slow to fill a store of 200,000
articles, so the stores are grown this way. A base of a few hundred documents (``--base``,
default 300) recombined from the real chinaus sentences, as ``bench_cluster.py`` makes them, is
ingested through the whole pipeline (extract, dedupe, stories, events, issues, tone, stance);
what ingest stored for them is kept: the article rows, signatures, vectors, stories, and the
codings the pipeline handed to ``Store.save_coding``. The store then grows by replaying those
records round after round through the store's own write API (``add_article``,
``add_signature``, ``add_vector``, ``add_story``/``grow_story``/``join_story``, ``save_coding``,
``merge_undated``), never by raw SQL, so it maintains all that ingest maintains: each round
has its dates shifted 9 days further back, the outlets rotated and new ids, and its events
merge with earlier rounds' as real events would (same actors, type and fitting dates).

At each size a fresh batch of recombined documents (``--probe``, default 20) is ingested
for real to measure the ingest rate, another without coding in a fresh interpreter (its rate,
CPU time and peak memory show what deduplicating against the whole store costs), then every
endpoint is requested ``--requests`` times (after one warm-up request) with parameters drawn
from the store: dyads, periods and dates, issues, actors, outlets, filters, pages. The
SQLite base store (with its codings) is cached in ``--cache`` and reused; on PostgreSQL
(``--postgres URL``, an empty database: its tables are dropped first) the base is ingested
each run. A 10,000-article store builds in a few minutes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench_cluster import MANIFEST, TEXTS, write_inputs
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select, text

from dyadwatch.api import create_app
from dyadwatch.dedupe import DuplicateLink, band_keys, from_bytes
from dyadwatch.models import Article, DateEvidence
from dyadwatch.pipeline import ingest, warm_up
from dyadwatch.store import Store
from dyadwatch.store.schema import actor_mentions, events

SHIFT_DAYS = 9  # each replay round is dated this many days before the one before
ROUND_SEED = 1000  # probe documents are recombined with other seeds than the base


@dataclass
class Base:
    """What ingest stored for the base documents, to replay."""

    articles: list[dict[str, Any]]
    signatures: dict[int, bytes]
    vectors: dict[int, bytes]
    stories: list[dict[str, Any]]  # each with every article in it, copies included
    codings: dict[int, Any] = field(default_factory=dict)  # article id: (coding, tags, ...)


def capture_codings() -> dict[int, Any]:
    """Record every coding the pipeline saves (``Store.save_coding``'s arguments)."""
    captured: dict[int, Any] = {}
    original = Store.save_coding

    def recording(store: Store, article_id: int, *args: Any, **kwargs: Any) -> list[int]:
        captured[article_id] = (args, kwargs.get("conn"))
        return original(store, article_id, *args, **kwargs)

    Store.save_coding = recording  # type: ignore[method-assign]
    return captured


def ingest_base(db: str, count: int) -> Base:
    captured = capture_codings()
    with tempfile.TemporaryDirectory() as folder:
        write_inputs(Path(folder), count)
        ingest([folder], db, workers=1)
    with Store(db) as store:
        base = Base(
            articles=list(store.iter_articles()),
            signatures=dict(store.iter_signatures()),
            vectors=dict(store.iter_vectors()),
            stories=store.stories_of([a["id"] for a in store.iter_articles()]),
        )
    base.codings = {i: args[:2] for i, (args, _) in captured.items()}
    return base


def cached_base(cache: Path, count: int) -> tuple[Path, Base]:
    """The SQLite base store and what it holds, ingested once and kept in ``cache``."""
    cache.mkdir(parents=True, exist_ok=True)
    db, kept = cache / f"base-{count}.db", cache / f"base-{count}.pickle"
    if not kept.exists():
        db.unlink(missing_ok=True)
        kept.write_bytes(pickle.dumps(ingest_base(str(db), count)))
    return db, pickle.loads(kept.read_bytes())


# --- growing a store by replaying the base ---------------------------------------------


def replay(store: Store, base: Base, round_: int, limit: int, outlets: list[str]) -> int:
    """One round: the first ``limit`` base articles again, shifted; returns how many."""
    shift = timedelta(days=SHIFT_DAYS * round_)
    chosen = base.articles[:limit]
    digest = hashlib.sha256(f"replay round {round_}".encode()).hexdigest()
    with store.transaction() as conn:
        input_id = store.start_input(f"replay-{round_}", digest, "replay", 0, conn)
        ids: dict[int, int] = {}
        for record, row in enumerate(chosen):
            copy_of = row["duplicate_of"]
            link = copy_of and DuplicateLink(ids[copy_of], row["duplicate_kind"], row["similarity"])
            article = replace(shifted_article(row, round_, shift, outlets), record=record)
            body_hash = hashlib.sha256(f"{round_}:{row['body']}".encode()).hexdigest()
            new_id = store.add_article(conn, input_id, article, body_hash, link or None)
            ids[row["id"]] = new_id
            if row["id"] in base.signatures:
                signature = base.signatures[row["id"]]
                store.add_signature(conn, new_id, signature, band_keys(from_bytes(signature)))
            if row["id"] in base.vectors:
                store.add_vector(conn, new_id, base.vectors[row["id"]])
        replay_stories(store, conn, base, ids, shift)
        for old_id in sorted(set(ids) & set(base.codings)):
            coding, tags = base.codings[old_id]
            store.save_coding(ids[old_id], shifted_coding(coding, shift), tags, conn)
        store.finish_input(input_id, "done", len(chosen), None, conn)
    return len(chosen)


def shifted_article(
    row: dict[str, Any], round_: int, shift: timedelta, outlets: list[str]
) -> Article:
    outlet = outlets[(row["id"] + round_) % len(outlets)]
    return Article(
        source=f"replay-{round_}/{Path(row['source']).name}",
        record=row["record"],
        format=row["format"],
        body=row["body"],
        url=f"https://{outlet}/news/{round_}/{row['id']}",
        title=row["title"],
        author=row["author"],
        outlet=outlet,
        published=shifted(row["published"], shift),
        date_evidence=[DateEvidence(**e) for e in row["date_evidence"]],
        language=row["language"],
        skip_reason=row["skip_reason"],
    )


def replay_stories(
    store: Store, conn: Any, base: Base, ids: dict[int, int], shift: timedelta
) -> None:
    for story in base.stories:
        members = [ids[a] for a in story["articles"] if a in ids]
        if not members:
            continue
        first, last = shifted(story["first_day"], shift), shifted(story["last_day"], shift)
        centroid = base.vectors.get(story["articles"][0], b"")
        story_id = store.add_story(conn, story["title"], first, centroid)
        store.grow_story(conn, story_id, (first, last), len(members), centroid)
        for article_id in members:
            store.join_story(conn, article_id, story_id)


def shifted_coding(coding: Any, shift: timedelta) -> Any:
    mentions = [
        replace(
            m, date=replace(m.date, date=m.date.date - shift, end=m.date.end and m.date.end - shift)
        )
        if m.date
        else m
        for m in coding.events
    ]
    return replace(coding, events=mentions)


def shifted(day: str | None, shift: timedelta) -> str | None:
    return (date.fromisoformat(day) - shift).isoformat() if day else None


def grow(store: Store, base: Base, target: int, outlets: list[str], first_round: int) -> int:
    """Replay rounds until the store holds ``target`` articles; returns the next round."""
    round_ = first_round
    while (have := store.counts()["articles"]) < target:
        replay(store, base, round_, min(len(base.articles), target - have), outlets)
        round_ += 1
    store.merge_undated()  # as after an ingest run
    return round_


# --- measuring --------------------------------------------------------------------------


def ingest_rate(db: str, count: int, seed: int) -> float:
    """Articles per second of a real ingest of ``count`` new documents into the store, the
    models loaded before (as in a long run)."""
    warm_up(coding=True)
    with tempfile.TemporaryDirectory() as folder:
        write_inputs(Path(folder), count, first=seed * count, seed=seed)
        started = time.perf_counter()
        report = ingest([folder], db, workers=1)
        return report.articles / (time.perf_counter() - started)


def stored_ingest(db: str, count: int, seed: int) -> dict[str, float]:
    """Articles per second and peak memory (MiB) of ingesting ``count`` new documents into the
    store without coding (extract, dedupe against every stored article, stories, store), in
    a fresh interpreter, so the peak is that of what this ingest holds beside its models."""
    with tempfile.TemporaryDirectory() as folder:
        write_inputs(Path(folder), count, first=seed * count, seed=seed)
        command = [sys.executable, __file__, "--stored-ingest", db, folder]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return dict(json.loads(output.splitlines()[-1]))


def stored_ingest_here(db: str, folder: str) -> None:
    warm_up(extraction=True)
    started, cpu = time.perf_counter(), time.process_time()
    report = ingest([folder], db, workers=1, code=False)
    rate = report.articles / (time.perf_counter() - started)
    cpu_ms = (time.process_time() - cpu) * 1000 / max(1, report.articles)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rate": rate, "cpu_ms": cpu_ms, "peak_mib": peak}))


@dataclass
class Draw:
    """Realistic request parameters, drawn from what the store holds."""

    rng: random.Random
    dyads: list[str]
    days: tuple[date, date]
    issues: list[str]
    actors: list[str]
    outlets: list[str]
    words: list[str]
    articles: int
    events: int

    def dyad(self) -> str:
        return self.rng.choice(self.dyads[:1] * 3 + self.dyads)  # mostly the main dyad

    def window(self) -> dict[str, str]:
        first, last = self.days
        start = first + timedelta(days=self.rng.randrange(max(1, (last - first).days)))
        end = start + timedelta(days=self.rng.choice([7, 30, 90, 365]))
        return {"since": start.isoformat(), "until": end.isoformat()}

    def maybe(self, chance: float, found: dict[str, Any]) -> dict[str, Any]:
        return found if self.rng.random() < chance else {}

    def confidence(self) -> float:
        return self.rng.choice([0.7, 0.7, 0.5, 0.9, 0.0])


def requests(draw: Draw) -> dict[str, Callable[[], tuple[str, dict[str, Any]]]]:
    """For each endpoint, a maker of one request (path and parameters)."""
    rng = draw.rng

    def articles() -> tuple[str, dict[str, Any]]:
        params = {"offset": rng.choice([0, 0, 50, 500, 5000])}
        params |= draw.maybe(0.3, {"outlet": rng.choice(draw.outlets)})
        params |= draw.maybe(0.3, draw.window())
        params |= draw.maybe(0.3, {"canonical": True})
        return "/api/articles", params

    def event_list() -> tuple[str, dict[str, Any]]:
        params: dict[str, Any] = {"dyad": draw.dyad(), "offset": rng.choice([0, 0, 50, 1000])}
        params |= draw.maybe(0.3, draw.window())
        params |= draw.maybe(0.2, {"issue": rng.choice(draw.issues)})
        params |= draw.maybe(0.2, {"type": rng.choice(["CONSULT", "ACCUSE", "COERCE"])})
        params |= draw.maybe(0.2, {"actor_id": rng.choice(draw.actors)})
        params |= {"min_confidence": draw.confidence()}
        return "/api/events", params

    def index() -> tuple[str, dict[str, Any]]:
        params: dict[str, Any] = {"dyad": draw.dyad(), "by": rng.choice(["month", "week", "year"])}
        params |= draw.maybe(0.3, {"issue": rng.choice(draw.issues)})
        params |= draw.maybe(0.3, draw.window())
        return "/api/index", params | {"min_confidence": draw.confidence()}

    def key_events() -> tuple[str, dict[str, Any]]:
        params: dict[str, Any] = {"dyad": draw.dyad(), "min_confidence": draw.confidence()}
        return "/api/key-events", params | draw.maybe(0.3, {"issue": rng.choice(draw.issues)})

    def digest() -> tuple[str, dict[str, Any]]:
        since = draw.window()["since"]
        until = (date.fromisoformat(since) + timedelta(days=rng.choice([7, 30]))).isoformat()
        return "/api/digest", {"dyad": draw.dyad(), "since": since, "until": until}

    def search() -> tuple[str, dict[str, Any]]:
        params: dict[str, Any] = {"q": " ".join(rng.sample(draw.words, rng.choice([1, 2])))}
        params |= {"mode": rng.choice(["hybrid", "words", "semantic"])}
        params |= draw.maybe(0.3, {"dyad": draw.dyad()})
        return "/api/search", params | draw.maybe(0.2, {"issue": rng.choice(draw.issues)})

    return {
        "articles": articles,
        "article": lambda: (f"/api/articles/{rng.randint(1, draw.articles)}", {}),
        "events": event_list,
        "event": lambda: (f"/api/events/{rng.randint(1, draw.events)}", {}),
        "actors": lambda: ("/api/actors", {"offset": rng.choice([0, 0, 50])}),
        "actor": lambda: (f"/api/actors/{rng.choice(draw.actors)}", {"by": "month"}),
        "issues": lambda: ("/api/issues", {}),
        "search": search,
        "inputs": lambda: ("/api/inputs", {"offset": rng.choice([0, 50])}),
        "index": index,
        "key-events": key_events,
        "stories": lambda: ("/api/stories", {"dyad": draw.dyad()}),
        "digest": digest,
    }


def make_draw(db: str, seed: int) -> Draw:
    engine = create_engine(Store(db).url)
    e = events.c
    with engine.connect() as conn:
        pairs = conn.execute(
            select(e.source_country, e.target_country, func.count())
            .where(e.source_country.is_not(None), e.target_country.is_not(None))
            .group_by(e.source_country, e.target_country)
            .order_by(func.count().desc())
            .limit(8)
        ).all()
        first, last = conn.execute(select(func.min(e.date), func.max(e.date))).one()
        top_events = conn.execute(select(func.max(e.id))).scalar_one()
        top_articles = conn.execute(text("SELECT max(id) FROM articles")).scalar_one()
        issues = [r[0] for r in conn.execute(text("SELECT DISTINCT issue FROM issue_tags"))]
        mentioned = select(actor_mentions.c.actor_id).group_by(actor_mentions.c.actor_id)
        top = mentioned.order_by(func.count().desc()).limit(30)
        actors = list(conn.execute(top).scalars())
        titles = [r[0] or "" for r in conn.execute(text("SELECT title FROM articles LIMIT 300"))]
    engine.dispose()
    dyads = list(dict.fromkeys("-".join(sorted(p[:2])) for p in pairs))
    words = sorted({w for t in titles for w in t.split() if w.isalpha() and len(w) > 4})
    return Draw(
        random.Random(seed), dyads, (date.fromisoformat(first), date.fromisoformat(last)),
        sorted(issues), actors, outlet_names(), words, top_articles, top_events,
    )  # fmt: skip


def time_endpoints(db: str, count: int, seed: int) -> dict[str, tuple[float, float]]:
    """Each endpoint's p50 and p95 in milliseconds over ``count`` varied requests."""
    draw = make_draw(db, seed)
    found: dict[str, tuple[float, float]] = {}
    with TestClient(create_app(db)) as client:
        for name, make in requests(draw).items():
            path, params = make()
            client.get(path, params=params)  # warm-up: models, caches, query plans
            spent = [timed_get(client, *make()) for _ in range(count)]
            found[name] = percentile(spent, 50), percentile(spent, 95)
            print(
                f"  {name:12s} p50 {found[name][0]:8.1f} ms  p95 {found[name][1]:8.1f} ms",
                flush=True,
            )
    return found


def timed_get(client: TestClient, path: str, params: dict[str, Any]) -> float:
    started = time.perf_counter()
    answer = client.get(path, params=params)
    spent = (time.perf_counter() - started) * 1000
    if answer.status_code not in (200, 404):
        raise RuntimeError(f"{path} {params}: {answer.status_code} {answer.text[:200]}")
    return spent


def percentile(values: list[float], share: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[share - 1]


def outlet_names() -> list[str]:
    rows = map(json.loads, MANIFEST.read_text(encoding="utf-8").splitlines())
    return sorted({row["outlet"] for row in rows if row.get("outlet")})


# --- the run ----------------------------------------------------------------------------


def prepare(args: argparse.Namespace, folder: Path) -> tuple[str, Base]:
    """The store to grow (the base in it) and the base to replay."""
    if args.postgres:
        engine = create_engine(args.postgres)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        return args.postgres, ingest_base(args.postgres, args.base)
    cached, base = cached_base(args.cache.expanduser(), args.base)
    db = args.keep.expanduser() if args.keep else folder / "scale.db"
    if not db.exists():  # a kept store is grown further
        db.write_bytes(cached.read_bytes())
    return str(db), base


def run(args: argparse.Namespace, folder: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    db, base = prepare(args, folder)
    outlets = outlet_names()
    round_ = 1
    for size in args.sizes:
        started = time.perf_counter()
        with Store(db) as store:
            before = store.counts()["articles"]
            round_ = grow(store, base, size, outlets, round_)
            built = store.counts()["articles"] - before
        rate = built / max(time.perf_counter() - started, 1e-9)
        print(f"{size} articles: grown by {built} at {rate:.0f} articles/s", flush=True)
        measured = {"replay": rate, "ingest": ingest_rate(db, args.probe, ROUND_SEED + size)}
        print(f"  real ingest: {measured['ingest']:.1f} articles/s", flush=True)
        measured["stored"] = stored_ingest(db, args.probe, ROUND_SEED + size + 1)
        print(
            f"  ingest without coding: {measured['stored']['rate']:.1f} articles/s, "
            f"{measured['stored']['cpu_ms']:.0f} ms CPU an article, "
            f"peak {measured['stored']['peak_mib']:.0f} MiB",
            flush=True,
        )
        measured["endpoints"] = time_endpoints(db, args.requests, size)
        yield size, measured


def table(results: list[tuple[int, dict[str, Any]]]) -> str:
    head = "| endpoint | " + " | ".join(f"{s:,} p50 / p95 ms" for s, _ in results) + " |"
    lines = [head, "|" + " --- |" * (len(results) + 1)]
    for name in results[0][1]["endpoints"]:
        cells = [
            f"{r['endpoints'][name][0]:.0f} / {r['endpoints'][name][1]:.0f}" for _, r in results
        ]
        lines.append(f"| /api/{name} | " + " | ".join(cells) + " |")
    lines.append(
        "| real ingest, articles/s | " + " | ".join(f"{r['ingest']:.1f}" for _, r in results) + " |"
    )
    lines.append(
        "| ingest without coding, articles/s / ms CPU an article / peak MiB | "
        + " | ".join(
            f"{r['stored']['rate']:.1f} / {r['stored']['cpu_ms']:.0f} / "
            f"{r['stored']['peak_mib']:.0f}"
            for _, r in results
        )
        + " |"
    )
    lines.append(
        "| replay (build), articles/s | "
        + " | ".join(f"{r['replay']:.0f}" for _, r in results)
        + " |"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000", help="e.g. 10000,50000,200000")
    parser.add_argument("--postgres", help="an empty PostgreSQL database's URL")
    parser.add_argument("--base", type=int, default=300, help="documents ingested for real")
    parser.add_argument("--probe", type=int, default=20, help="documents ingested at each size")
    parser.add_argument("--requests", type=int, default=30, help="per endpoint and size")
    parser.add_argument("--cache", type=Path, default=Path("~/.cache/dyadwatch-bench"))
    parser.add_argument(
        "--keep", type=Path, help="grow the SQLite store here (or the one there) and keep it"
    )
    parser.add_argument("--stored-ingest", nargs=2, help=argparse.SUPPRESS)  # one run (internal)
    args = parser.parse_args()
    if args.stored_ingest:
        stored_ingest_here(*args.stored_ingest)
        return
    args.sizes = [int(s) for s in args.sizes.split(",")]
    if not TEXTS.is_dir():
        sys.exit(f"no chinaus texts at {TEXTS} (set DYADWATCH_CHINAUS_TEXTS)")
    with tempfile.TemporaryDirectory() as folder:
        results = list(run(args, Path(folder)))
    print(table(results))


if __name__ == "__main__":
    main()
