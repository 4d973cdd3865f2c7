"""The jobs: ingest → extract → dedupe → store, then actors → events over what was stored.

Each input is recorded by its sha256; an input already read to the end is not read again,
and an interrupted one resumes where its stored records stop, so re-runs add nothing twice.
Event coding skips articles already coded, and codes in article order.

With more than one worker, everything about one article that needs no other article
(extraction, the hashes dedupe compares, and when ingest codes events, its actors, events,
issues and tone) runs in worker processes, forked after this process has loaded the models so
that they start at once and share them; this process deduplicates and stores, batch by batch,
while the workers go on with the next batch. On a Dask cluster (``dyadwatch.cluster``) its
workers do this work instead, and this process stores what they return in the same order.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import partial
from multiprocessing.connection import Connection as Connection_
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from datasketch import MinHash
from sqlalchemy import Connection

from dyadwatch.dedupe import (
    DuplicateLink,
    band_keys,
    best_match,
    fingerprint,
    from_bytes,
    to_bytes,
)
from dyadwatch.embed import article_vector, embed, lead
from dyadwatch.embed import from_bytes as vector_from_bytes
from dyadwatch.embed import to_bytes as vector_bytes
from dyadwatch.extract import extract
from dyadwatch.ingest import InputFile, discover, read_documents
from dyadwatch.models import Article, ArticleTags, Document, Problem
from dyadwatch.store import DEFAULT_DB, Store
from dyadwatch.stories import StoryIndex, story_day, written_on

if TYPE_CHECKING:
    from distributed import Client

    from dyadwatch.events.coder import ArticleCoding
    from dyadwatch.stance import Mention

ProgressHook = Callable[[int, int, str], None]  # (items done, items in all, current item)
BATCH_SIZE = 64  # documents stored (and committed) together
STEPS_PER_BATCH = 512  # bookkeeping steps (unchanged inputs, problems) flushed without documents
CHUNK_SIZE = 4  # documents handed to a worker process at a time
ARTICLE_ISSUE_HITS = 2  # one passing word does not make an article about an issue
# Worker processes are forked from a parent that has already loaded the models, so they start
# in milliseconds: worth it as soon as there is more than a handful of articles to code.
PARALLEL_CODING = 8
CODING_PAGE = 500  # stored articles read into memory at a time by the event stage


@dataclass
class IngestReport:
    inputs: int = 0
    unchanged: int = 0  # inputs already read to the end by an earlier run
    articles: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    set_aside: int = 0  # stored, but skipped by the English-only later stages
    problems: list[Problem] = field(default_factory=list)
    coding: CodingReport | None = None


@dataclass
class CodingReport:
    articles: int = 0
    actor_mentions: int = 0
    event_mentions: int = 0

    def add(self, coding: ArticleCoding, event_ids: list[int]) -> None:
        self.articles += 1
        self.actor_mentions += len(coding.actors)
        self.event_mentions += len(event_ids)

    def merged(self, *others: CodingReport) -> CodingReport:
        return CodingReport(
            sum(r.articles for r in (self, *others)),
            sum(r.actor_mentions for r in (self, *others)),
            sum(r.event_mentions for r in (self, *others)),
        )


def safe_extract(doc: Document) -> Article | Problem:
    """Extraction must never take the run down: a failure becomes a recorded problem."""
    try:
        return extract(doc)
    except Exception as error:  # noqa: BLE001 - any failure on hostile input is reported
        reason = f"extraction failed: {type(error).__name__}: {error}"
        return Problem(doc.source, reason, doc.record)


Coding = tuple["ArticleCoding", ArticleTags]


@dataclass
class Extracted:
    """What a worker process makes of one document: the article, what dedupe needs of it,
    and (when ingest codes events too) its coding."""

    article: Article
    body_hash: str
    signature: bytes | None  # MinHash of a body long enough for a near-duplicate search
    vector: bytes | None = None  # of title and lead, for the story it reports (if codeable)
    coding: Coding | None = None
    coded: bool = False  # whether coding was tried (it is not while the models load)


def process_document(
    doc: Document, code: bool = False, prefilter: bool = True
) -> Extracted | Problem:
    """Extract one document, hash it for dedupe and, if asked, code its events: everything
    about an article that needs no other article runs here, in the worker processes."""
    article = safe_extract(doc)
    if isinstance(article, Problem):
        return article
    digest, signature = fingerprint(article.body)
    found = Extracted(article, digest, signature and to_bytes(signature))
    if article.skip_reason is None:
        found.vector = vector_bytes(article_vector(article.title, article.body))
        if code and article.published:  # an undated one is coded once its story is known
            found.coding = code_or_none(article_record(article), prefilter)
            found.coded = True
    return found


def code_or_none(record: dict[str, Any], prefilter: bool = True) -> Coding | None:
    """``code_article``, or None where it fails: the article is then left uncoded, and the
    coding stage after ingest tries it again (and reports the failure)."""
    try:
        return code_article(record, prefilter)
    except Exception:  # noqa: BLE001
        return None


def article_record(article: Article) -> dict[str, Any]:
    """An extracted article as the coding stage reads stored ones."""
    return {
        "title": article.title,
        "body": article.body,
        "published": article.published,
        "date_evidence": [asdict(e) for e in article.date_evidence],
    }


def warm_up(extraction: bool = True, coding: bool = False) -> None:
    """Load what extraction (or coding) loads on first use, so that worker processes forked
    afterwards share it instead of each loading it again."""
    if extraction:
        page = (
            "<html><head><title>Talks</title></head><body><article><h1>Talks</h1>"
            f"<p>Published on 12 March 2021. {WARM_UP_TEXT}</p></article></body></html>"
        )
        process_document(Document("warm-up", 0, "html", page))
        process_document(Document("warm-up", 0, "text", f"Talks\n\n{WARM_UP_TEXT}\n"))
    if coding:
        code_article({"body": WARM_UP_TEXT, "published": "2023-06-19", "date_evidence": []})


WARM_UP_TEXT = (
    "Antony Blinken met Wang Yi in Beijing on Monday to discuss tariffs and export controls, "
    "and the two sides agreed to keep talking."
)


@dataclass
class Counter:
    documents: int = 0
    first_problem: str | None = None


@dataclass
class InputRead:
    """An input being read: its id once registered, and what was read of it."""

    file: InputFile
    id: int | None = None  # known at once when an interrupted run is picked up
    counted: Counter = field(default_factory=Counter)


# The steps of a batch, in input order; each "document" step has its document in the batch.
Step = tuple[str, Any]


def read_steps(
    input_file: InputFile, stored: set[int], counted: Counter
) -> Iterator[tuple[str, Document | Problem]]:
    """The documents of an input not stored yet, and its problems, counting what was read."""
    for item in read_documents(input_file):
        if isinstance(item, Problem):
            counted.first_problem = counted.first_problem or item.reason
            yield "problem", item
            continue
        counted.documents += 1
        if item.record not in stored:
            yield "document", item


@dataclass
class Batch:
    """Inputs' steps read together, and the documents among them to extract."""

    steps: list[Step] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)


Work = tuple[Batch, Callable[[], list[Extracted | Problem]]]  # a batch and its results


class Ingestor:
    """Stores what ``read_documents`` yields, deduplicating against everything stored.

    Documents of consecutive inputs are grouped into batches of ``BATCH_SIZE``: the worker
    processes extract (and code) one batch while the previous one is stored, and each batch is
    one transaction (its articles, the inputs it starts and finishes, its problems), so an
    interrupted run loses at most the batches not committed, and picks them up again. The
    codings of a batch are committed after its articles, in article order.
    """

    def __init__(
        self, store: Store, workers: int = 1, code: bool = False, prefilter: bool = True
    ) -> None:
        self.store = store
        self.stories = StoryIndex(store.iter_stories())
        self.workers = workers
        self.code = code
        self.prefilter = prefilter
        self.pool: ProcessPoolExecutor | None = None
        self.report = IngestReport()
        self.coding = CodingReport()
        self._seen: set[str] = set()  # inputs of this run, by content hash
        self._progress: ProgressHook | None = None
        self._coding_progress: ProgressHook | None = None
        self._to_code: list[tuple[int, Article, Coding | Future[Coding | None] | None]] = []
        self._queued = 0  # articles whose coding was queued so far
        self._done = self._total = 0

    def close(self) -> None:
        if self.pool:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None

    def run(
        self,
        items: Iterable[InputFile | Problem],
        progress: ProgressHook | None = None,
        coding_progress: ProgressHook | None = None,
    ) -> None:
        found: list[InputFile | Problem] = []
        for item in items:  # each found file is hashed first, which takes a while for a WARC
            found.append(item)
            if progress:
                progress(0, len(found), f"found {item.source}")
        self._place_unplaced()
        self._progress, self._coding_progress = progress, coding_progress
        self._done, self._total = 0, len(found)
        for batch, results in self._work(found):
            self._store_batch(batch, results)
        self._save_codings()
        self._place_unplaced()

    def _work(self, found: list[InputFile | Problem]) -> Iterator[Work]:
        """The batches to store, in input order, each with the call that waits for its
        results: the workers extract a batch while the previous one is stored."""
        in_flight: Work | None = None
        for batch in self._batches(found):
            results = self._extract(batch.documents)  # the workers start on it now...
            if in_flight:
                yield in_flight  # ...while the previous batch is stored
            in_flight = batch, results
        if in_flight:
            yield in_flight

    def _place_unplaced(self) -> None:
        """Articles in no story join one, in article order, a page at a time: before a run,
        those of an older store (embedded first); after it, the undated ones, which may
        join a story of any week and so wait for every dated article of the run (and their
        copies)."""
        todo = self.store.unplaced_ids()
        for start in range(0, len(todo), CODING_PAGE):
            page = self.store.articles_by_id(todo[start : start + CODING_PAGE])
            with self.store.transaction() as conn:
                stored = self.store.vectors(conn, [a["id"] for a in page])
                new = [a for a in page if a["id"] not in stored and not a["duplicate_of"]]
                if new:
                    made = embed([lead(a["title"], a["body"]) for a in new])
                    for article, vector in zip(new, made, strict=True):
                        stored[article["id"]] = vector_bytes(vector)
                        self.store.add_vector(conn, article["id"], stored[article["id"]])
                for article in page:
                    self._join(conn, article, stored.get(article["id"]))

    def _join(self, conn: Connection, article: dict[str, Any], vector: bytes | None) -> None:
        """A copy joins its canonical article's story; another article the story it reports,
        or a new one."""
        if article["duplicate_of"]:
            story_id = self.store.story_of(conn, article["duplicate_of"])
            if story_id is not None:
                self.store.join_story(conn, article["id"], story_id)
        elif vector is not None:
            self._place(conn, article["id"], article, vector_from_bytes(vector))

    def _extract(self, documents: list[Document]) -> Callable[[], list[Extracted | Problem]]:
        """Start extracting a batch; the returned call waits for the results."""
        work = partial(process_document, code=self.code, prefilter=self.prefilter)
        if self.workers <= 1 or not documents:
            return lambda: list(map(work, documents))
        if self.pool is None:
            return self._start_workers(documents)
        results = self.pool.map(work, documents, chunksize=CHUNK_SIZE)
        return lambda: list(results)

    def _start_workers(self, documents: list[Document]) -> Callable[[], list[Extracted | Problem]]:
        """Load the models, then fork the workers. Coding models take seconds to load: while
        they do, one process forked before them extracts this first batch (uncoded)."""
        warm_up(extraction=True)
        context = _fork_context()
        first = _Prefetch(documents, context) if self.code and context else None
        warm_up(extraction=False, coding=self.code)
        self.pool = ProcessPoolExecutor(self.workers, mp_context=context)
        if first is None:
            return self._extract(documents)
        return partial(first.results, self.pool, documents)

    def _batches(self, found: list[InputFile | Problem]) -> Iterator[Batch]:
        batch = Batch()
        for item in found:
            if isinstance(item, Problem):
                batch.steps.append(("problem", item))
            else:
                for step, value in self._read_input(item):
                    batch.steps.append((step, value))
                    if step == "document":
                        batch.documents.append(value[1])
                    if len(batch.documents) >= BATCH_SIZE:
                        yield batch
                        batch = Batch()
            batch.steps.append(("progress", item.source))
            if len(batch.steps) >= STEPS_PER_BATCH:
                yield batch
                batch = Batch()
        if batch.steps:
            yield batch

    def _read_input(self, input_file: InputFile) -> Iterator[Step]:
        current = self._open_input(input_file)
        if current is None:
            return
        yield "start", current
        for step, item in read_steps(input_file, self._stored_records(current), current.counted):
            yield step, (current, item) if step == "document" else item
        yield "finish", current

    def _open_input(self, input_file: InputFile) -> InputRead | None:
        """The input to read, or None where this run or an earlier one read it already."""
        self.report.inputs += 1
        previous = self.store.find_input(input_file.sha256)
        if input_file.sha256 in self._seen or (previous and previous["status"] != "reading"):
            self.report.unchanged += 1
            return None
        self._seen.add(input_file.sha256)
        return InputRead(input_file, previous["id"] if previous else None)

    def _stored_records(self, current: InputRead) -> set[int]:
        """The records an interrupted run stored of this input already."""
        return self.store.stored_records(current.id) if current.id is not None else set()

    def _store_batch(
        self, batch: Batch, extracted: Callable[[], list[Extracted | Problem]]
    ) -> None:
        results = iter(extracted())
        stored: list[tuple[int, Extracted]] = []
        with self.store.transaction() as conn:
            for step, value in batch.steps:
                if step == "start":
                    file = value.file
                    value.id = self.store.start_input(
                        file.source, file.sha256, file.format, file.size, conn
                    )
                elif step == "document":
                    result = next(results)
                    if isinstance(result, Problem):
                        self._problem(result, conn)
                    else:
                        stored.append((self._store_article(conn, value[0].id, result), result))
                elif step == "problem":
                    self._problem(value, conn)
                elif step == "finish":
                    documents, first_problem = value.counted.documents, value.counted.first_problem
                    status = "done" if documents or not first_problem else "failed"
                    self.store.finish_input(value.id, status, documents, first_problem, conn)
        # The articles are committed; the codings of earlier batches, then of this one, follow
        # (a crash in between leaves articles uncoded, and the coding stage picks them up).
        if self.code:
            self._queue_codings(stored)
            self._save_codings(wait=False)
        for step, value in batch.steps:
            if step == "progress":
                self._done += 1
                if self._progress:
                    self._progress(self._done, self._total, value)
        last_step, last = batch.steps[-1]
        if self._progress and last_step == "document":  # a large file (a WARC) is still read
            current, doc = last
            self._progress(self._done, self._total, f"{current.file.source}: record {doc.record}")

    def _queue_codings(self, stored: list[tuple[int, Extracted]]) -> None:
        """Queue the codings of stored articles, in article order: those the workers made,
        and new jobs for codeable articles extracted without coding (the first batch)."""
        for article_id, found in stored:
            article = found.article
            if found.coding is not None:
                self._to_code.append((article_id, article, found.coding))
            elif not found.coded and article.skip_reason is None and article.published:
                record = article_record(article)
                job = (
                    self.pool.submit(code_or_none, record, self.prefilter)
                    if self.pool
                    else code_or_none(record, self.prefilter)
                )
                self._to_code.append((article_id, article, job))

    def _save_codings(self, wait: bool = True) -> None:
        """Commit the queued codings in article order, in one transaction; without ``wait``,
        only as far as they are made (the workers go on with the next batch meanwhile)."""
        ready = len(self._to_code)
        if not wait:
            jobs = [job for _, _, job in self._to_code]
            ready = next((n for n, job in enumerate(jobs) if _pending(job)), ready)
        if not ready:
            return
        made = [
            (article_id, article, job.result() if isinstance(job, Future) else job)
            for article_id, article, job in self._to_code[:ready]
        ]
        del self._to_code[:ready]
        with self.store.transaction() as conn:
            for article_id, _, coding in made:
                if coding is not None:
                    coding_, tags = coding
                    self.coding.add(
                        coding_, self.store.save_coding(article_id, coding_, tags, conn)
                    )
        for _, article, coding in made:
            self._queued += 1
            if self._coding_progress and coding is not None:
                title = article.title or article.source
                self._coding_progress(self.coding.articles, self._queued, title)

    def _store_article(self, conn: Connection, input_id: int, result: Extracted) -> int:
        article = result.article
        duplicate, signature = self._find_duplicate(conn, result)
        article_id = self.store.add_article(conn, input_id, article, result.body_hash, duplicate)
        self._count(article, duplicate)
        if duplicate is None and signature is not None:
            self.store.add_signature(conn, article_id, to_bytes(signature), band_keys(signature))
        self._place_in_story(conn, article_id, result, duplicate)
        return article_id

    def _place_in_story(
        self, conn: Connection, article_id: int, result: Extracted, duplicate: DuplicateLink | None
    ) -> None:
        """A copy is in its canonical article's story; another article joins the story it
        reports, or starts one; one with no day to place it by has its vector stored, and
        it is placed after the run."""
        record = {**article_record(result.article), "id": article_id}
        record["duplicate_of"] = duplicate.canonical_id if duplicate else None
        if result.vector is not None and duplicate is None:
            self.store.add_vector(conn, article_id, result.vector)
        if story_day(result.article.published, result.article.body):
            self._join(conn, record, result.vector)

    def _place(
        self, conn: Connection, article_id: int, article: dict[str, Any], vector: np.ndarray
    ) -> None:
        """Put an article in the story it reports, dated as its office holders are (a weak
        date rather than none), else as its first dated copy, else by the dates it tells."""
        day = roles_date(article)
        on = day.isoformat() if day else self.store.copies_first_published(conn, article_id)
        on = story_day(on, article["body"])
        self.stories.place(self.store, conn, article_id, article["title"], on, vector)

    def _problem(self, problem: Problem, conn: Connection | None = None) -> None:
        self.store.add_problem(problem, conn)
        self.report.problems.append(problem)

    def _find_duplicate(
        self, conn: Connection, found: Extracted
    ) -> tuple[DuplicateLink | None, MinHash | None]:
        """The canonical article this one copies, else its signature to store: the near copy
        is sought among the stored articles sharing one of its band keys."""
        if not found.article.body.strip():
            return None, None
        exact = self.store.canonical_with_hash(conn, found.body_hash)
        if exact is not None:
            return DuplicateLink(exact, "exact", 100), None
        if found.signature is None:
            return None, None
        signature = from_bytes(found.signature)
        match = best_match(signature, self.store.near_candidates(conn, band_keys(signature)))
        if match:
            return DuplicateLink(match.article_id, "near", round(match.similarity * 100)), None
        return None, signature

    def _count(self, article: Article, duplicate: DuplicateLink | None) -> None:
        self.report.articles += 1
        if duplicate and duplicate.kind == "exact":
            self.report.exact_duplicates += 1
        elif duplicate:
            self.report.near_duplicates += 1
        if article.skip_reason:
            self.report.set_aside += 1


class _Prefetch:
    """One process, forked before the coding models load, that extracts the first batch
    meanwhile (without coding it; its articles are coded by the workers forked after)."""

    def __init__(self, documents: list[Document], context: BaseContext) -> None:
        self._results, sender = context.Pipe(duplex=False)
        self._process = context.Process(  # type: ignore[attr-defined]
            target=_extract_into, args=(documents, sender), daemon=True
        )
        self._process.start()
        sender.close()

    def results(
        self, pool: ProcessPoolExecutor, documents: list[Document]
    ) -> list[Extracted | Problem]:
        try:
            found: list[Extracted | Problem] = self._results.recv()
        except (EOFError, OSError):  # the process died: the workers do it again
            found = list(pool.map(process_document, documents, chunksize=CHUNK_SIZE))
        finally:
            self._results.close()
            self._process.join()
        return found


def _pending(job: object) -> bool:
    return isinstance(job, Future) and not job.done()


def _extract_into(documents: list[Document], sender: Connection_) -> None:
    sender.send([process_document(doc) for doc in documents])
    sender.close()


def _fork_context() -> BaseContext | None:
    """Fork where the platform has it: the workers then start with the parent's models."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork") if "fork" in methods else None


def ingest(
    paths: Sequence[str],
    db: str | Path | Store = DEFAULT_DB,
    workers: int | None = None,
    progress: ProgressHook | None = None,
    code: bool = True,
    coding_progress: ProgressHook | None = None,
    prefilter: bool = True,
    cluster: Client | None = None,
) -> IngestReport:
    """Read files, folders or ``-`` (stdin) into the store, then code the events of the new
    articles (unless ``code`` is false; with ``prefilter``, only of those that may name
    actors of two countries, see ``code_article``); returns what happened. With ``cluster``
    (a Dask client: ``dyadwatch.cluster.connect``), its workers do what worker processes do
    here."""
    store = db if isinstance(db, Store) else Store(db)
    workers = workers if workers is not None else (os.cpu_count() or 1)
    try:
        with ingesting(store, workers, code, coding_progress, prefilter, cluster) as ingestor:
            ingestor.run(discover(paths), progress, coding_progress)
    finally:
        if store is not db:
            store.close()
    return ingestor.report


@contextmanager
def ingesting(
    store: Store,
    workers: int = 1,
    code: bool = True,
    coding_progress: ProgressHook | None = None,
    prefilter: bool = True,
    cluster: Client | None = None,
) -> Iterator[Ingestor]:
    """An ``Ingestor`` to run on inputs, once or more (the watcher runs it page by page);
    on leaving without an error, the articles left uncoded are coded and its report says so."""
    executor = cluster.get_executor(pure=False) if cluster else None
    # Articles are coded in article order, as a separate coding stage would: first those an
    # earlier run left uncoded, then the new ones as they are extracted (in the workers).
    coding = partial(code_events, store, coding_progress, workers, prefilter, executor)
    before = coding() if code else CodingReport()
    ingestor = _ingestor(store, workers, code, prefilter, cluster)
    try:
        yield ingestor
        ingestor.close()  # before code_events may fork workers of its own
        if code:
            # Articles whose coding failed in a worker: tried again, and reported, here.
            after = coding()
            ingestor.report.coding = ingestor.coding.merged(before, after)
            store.merge_undated()  # once every article of the run is stored
    finally:
        ingestor.close()


def _ingestor(
    store: Store, workers: int, code: bool, prefilter: bool, cluster: Client | None
) -> Ingestor:
    if cluster is None:
        return Ingestor(store, workers, code=code, prefilter=prefilter)
    from dyadwatch.cluster import ClusterIngestor  # Dask loads only for a cluster run

    return ClusterIngestor(store, cluster, code=code, prefilter=prefilter)


def code_events(
    db: str | Path | Store = DEFAULT_DB,
    progress: ProgressHook | None = None,
    workers: int | None = None,
    prefilter: bool = True,
    executor: Executor | None = None,
) -> CodingReport:
    """Find actors and code events in every stored article not coded yet (see
    ``code_article``); each article's result is committed as it comes, so an interrupted
    run resumes where it stopped. The articles are coded by ``executor`` if given, else by
    worker processes forked here."""
    store = db if isinstance(db, Store) else Store(db)
    report = CodingReport()
    workers = workers if workers is not None else (os.cpu_count() or 1)
    pool = None
    try:
        todo = store.uncoded_ids()
        if executor is None and workers > 1 and len(todo) >= PARALLEL_CODING:
            warm_up(extraction=False, coding=True)  # loaded once, here, for all the workers
            pool = ProcessPoolExecutor(workers, mp_context=_fork_context())
        executor = executor or pool
        mapper = partial(executor.map, chunksize=CHUNK_SIZE) if executor else map
        done = 0
        for start in range(0, len(todo), CODING_PAGE):  # bodies read a page at a time
            page = _with_story_dates(store, store.articles_by_id(todo[start : start + CODING_PAGE]))
            for article, (coding, tags) in zip(
                page, mapper(partial(code_article, prefilter=prefilter), page), strict=True
            ):
                report.add(coding, store.save_coding(article["id"], coding, tags))
                done += 1
                if progress:
                    progress(done, len(todo), article["title"] or article["source"])
        if todo:  # undated mentions wait for every article to be stored
            store.merge_undated()
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)
        if store is not db:
            store.close()
    return report


def _with_story_dates(store: Store, page: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The articles, each undated one with the day its story says it was written."""
    spans = store.story_spans([a["id"] for a in page if not a["published"]])
    return [{**a, "story_date": spans.get(a["id"]) and written_on(*spans[a["id"]])} for a in page]


def code_article(
    article: dict[str, Any], prefilter: bool = True
) -> tuple[ArticleCoding, ArticleTags]:
    """Actors, events, issues and tone of one stored article (run in worker processes). With
    ``prefilter``, an article that cannot name actors of two countries has no event, and the
    actor and event stages skip it (its tone and issues are still read)."""
    from dyadwatch.actors.prefilter import may_name_two_countries  # the NLP stages load late
    from dyadwatch.events.coder import ArticleCoding
    from dyadwatch.issues import tag_issues
    from dyadwatch.stance import stances_of
    from dyadwatch.tone import sentence_tone, tone

    body = article["body"]
    if prefilter and not may_name_two_countries(body):
        coding = ArticleCoding([], [])
    else:
        coding = _actors_and_events(article)
    sentences = [mention.sentence.text for mention in coding.events]
    tags = ArticleTags(
        tone=tone(body),
        issues=tag_issues(body, min_hits=ARTICLE_ISSUE_HITS),
        mention_tones=[sentence_tone(s) for s in sentences],
        mention_issues=[tag_issues(s) for s in sentences],
        stances=stances_of(body, _country_mentions(coding)),
    )
    return coding, tags


def _country_mentions(coding: ArticleCoding) -> list[Mention]:
    """The actor mentions of a coding that act for a country, as the stance stage reads them."""
    from dyadwatch.stance import Mention

    return [Mention(m.start, m.end, m.actor.country) for m in coding.actors if m.actor.country]


def _actors_and_events(article: dict[str, Any]) -> ArticleCoding:
    """An undated article is read as if written on its story's last publication day: its "on
    Friday" is the Friday before, and its news with no date of its own takes that day (at
    precision "story")."""
    from dyadwatch.events.coder import code_text, dated_by_story

    published = _day(article["published"])
    story_date = None if published else _day(article.get("story_date"))
    on = published or story_date
    coding = code_text(article["body"], on, roles_on=roles_date(article) or on)
    return dated_by_story(coding) if story_date else coding


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def roles_date(article: dict[str, Any]) -> date | None:
    """The date office holders are looked up for: the publication date, else the best weak
    date candidate (roles rarely change within weeks; events are not dated by it)."""
    if article["published"]:
        return date.fromisoformat(article["published"])
    for evidence in article["date_evidence"]:
        return date.fromisoformat(evidence["date"])
    return None
