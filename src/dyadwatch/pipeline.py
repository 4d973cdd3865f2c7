"""The jobs: ingest → extract → dedupe → store, then actors → events over what was stored.

Each input is recorded by its sha256; an input already read to the end is not read again,
and an interrupted one resumes where its stored records stop, so re-runs add nothing twice.
Event coding commits article by article and skips articles already coded.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from datasketch import MinHash
from sqlalchemy import Connection

from dyadwatch.dedupe import DuplicateLink, NearDuplicateIndex, body_hash, minhash_of, to_bytes
from dyadwatch.extract import extract
from dyadwatch.ingest import InputFile, discover, read_documents
from dyadwatch.models import Article, ArticleTags, Document, Problem
from dyadwatch.store import DEFAULT_DB, Store

if TYPE_CHECKING:
    from dyadwatch.events.coder import ArticleCoding

ProgressHook = Callable[[int, int, str], None]  # (items done, items in all, current item)
BATCH_SIZE = 64
ARTICLE_ISSUE_HITS = 2  # one passing word does not make an article about an issue
PARALLEL_CODING = 300  # articles to code before worker processes pay for their start-up


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


def safe_extract(doc: Document) -> Article | Problem:
    """Extraction must never take the run down: a failure becomes a recorded problem."""
    try:
        return extract(doc)
    except Exception as error:  # noqa: BLE001 - any failure on hostile input is reported
        reason = f"extraction failed: {type(error).__name__}: {error}"
        return Problem(doc.source, reason, doc.record)


class Ingestor:
    """Stores what ``read_documents`` yields, deduplicating against everything stored."""

    def __init__(self, store: Store, workers: int = 1) -> None:
        self.store = store
        self.index = NearDuplicateIndex(store.iter_signatures())
        self.workers = workers
        self.pool = ProcessPoolExecutor(workers) if workers > 1 else None
        self.report = IngestReport()

    def close(self) -> None:
        if self.pool:
            self.pool.shutdown(cancel_futures=True)

    def run(self, items: Iterable[InputFile | Problem], progress: ProgressHook | None) -> None:
        found = list(items)
        for done, item in enumerate(found, start=1):
            if isinstance(item, Problem):
                self._problem(item)
            else:
                self._ingest_input(item)
            if progress:
                progress(done, len(found), item.source)

    def _problem(self, problem: Problem) -> None:
        self.store.add_problem(problem)
        self.report.problems.append(problem)

    def _ingest_input(self, input_file: InputFile) -> None:
        self.report.inputs += 1
        previous = self.store.find_input(input_file.sha256)
        if previous and previous["status"] != "reading":
            self.report.unchanged += 1
            return
        input_id = self.store.start_input(
            input_file.source, input_file.sha256, input_file.format, input_file.size
        )
        stored = self.store.stored_records(input_id)
        counted = Counter()
        fresh = self._new_documents(read_documents(input_file), stored, counted)
        while batch := list(islice(fresh, BATCH_SIZE)):
            self._store_batch(input_id, batch)
        documents = counted.documents
        status = "done" if documents or not counted.first_problem else "failed"
        self.store.finish_input(input_id, status, documents, counted.first_problem)

    def _new_documents(
        self, items: Iterable[Document | Problem], stored: set[int], counted: Counter
    ) -> Iterator[Document]:
        for item in items:
            if isinstance(item, Problem):
                self._problem(item)
                counted.first_problem = counted.first_problem or item.reason
                continue
            counted.documents += 1
            if item.record not in stored:
                yield item

    def _store_batch(self, input_id: int, batch: Sequence[Document]) -> None:
        mapper = self.pool.map if self.pool else map
        results = list(mapper(safe_extract, batch))
        with self.store.transaction() as conn:
            for result in results:
                if isinstance(result, Problem):
                    self._problem(result)
                    continue
                duplicate, signature = self._find_duplicate(conn, result)
                article_id = self.store.add_article(
                    conn, input_id, result, body_hash(result.body), duplicate
                )
                self._count(result, duplicate)
                if duplicate is None and signature is not None:
                    self.store.add_signature(conn, article_id, to_bytes(signature))
                    self.index.add(article_id, signature)

    def _find_duplicate(
        self, conn: Connection, article: Article
    ) -> tuple[DuplicateLink | None, MinHash | None]:
        """The canonical article this one copies, else its signature for the index."""
        if not article.body.strip():
            return None, None
        exact = self.store.canonical_with_hash(conn, body_hash(article.body))
        if exact is not None:
            return DuplicateLink(exact, "exact", 100), None
        signature = minhash_of(article.body)
        match = self.index.best_match(signature) if signature else None
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


@dataclass
class Counter:
    documents: int = 0
    first_problem: str | None = None


def ingest(
    paths: Sequence[str],
    db: str | Path | Store = DEFAULT_DB,
    workers: int | None = None,
    progress: ProgressHook | None = None,
    code: bool = True,
    coding_progress: ProgressHook | None = None,
) -> IngestReport:
    """Read files, folders or ``-`` (stdin) into the store, then code the events of the new
    articles (unless ``code`` is false); returns what happened."""
    store = db if isinstance(db, Store) else Store(db)
    ingestor = Ingestor(store, workers if workers is not None else (os.cpu_count() or 1))
    try:
        ingestor.run(discover(paths), progress)
        if code:
            ingestor.report.coding = code_events(store, coding_progress, ingestor.workers)
    finally:
        ingestor.close()
        if store is not db:
            store.close()
    return ingestor.report


def code_events(
    db: str | Path | Store = DEFAULT_DB,
    progress: ProgressHook | None = None,
    workers: int | None = None,
) -> CodingReport:
    """Find actors and code events in every stored article not coded yet; each article's
    result is committed as it comes, so an interrupted run resumes where it stopped."""
    store = db if isinstance(db, Store) else Store(db)
    report = CodingReport()
    workers = workers if workers is not None else (os.cpu_count() or 1)
    pool = None
    try:
        todo = store.uncoded_articles()
        # Each worker spends seconds loading the NLP models: worth it for big batches only.
        if workers > 1 and len(todo) >= PARALLEL_CODING:
            pool = ProcessPoolExecutor(workers)
        mapper = partial(pool.map, chunksize=4) if pool else map
        codings = mapper(code_article, todo)
        for done, (article, (coding, tags)) in enumerate(zip(todo, codings, strict=True), 1):
            event_ids = store.save_coding(article["id"], coding, tags)
            report.articles += 1
            report.actor_mentions += len(coding.actors)
            report.event_mentions += len(event_ids)
            if progress:
                progress(done, len(todo), article["title"] or article["source"])
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)
        if store is not db:
            store.close()
    return report


def code_article(article: dict[str, Any]) -> tuple[ArticleCoding, ArticleTags]:
    """Actors, events, issues and tone of one stored article (run in worker processes)."""
    from dyadwatch.events.coder import code_text  # the NLP stages load only when needed
    from dyadwatch.issues import tag_issues
    from dyadwatch.tone import sentence_tone, tone

    body = article["body"]
    published = date.fromisoformat(article["published"]) if article["published"] else None
    coding = code_text(body, published, roles_on=roles_date(article))
    sentences = [mention.sentence.text for mention in coding.events]
    tags = ArticleTags(
        tone=tone(body),
        issues=tag_issues(body, min_hits=ARTICLE_ISSUE_HITS),
        mention_tones=[sentence_tone(s) for s in sentences],
        mention_issues=[tag_issues(s) for s in sentences],
    )
    return coding, tags


def roles_date(article: dict[str, Any]) -> date | None:
    """The date office holders are looked up for: the publication date, else the best weak
    date candidate (roles rarely change within weeks; events are not dated by it)."""
    if article["published"]:
        return date.fromisoformat(article["published"])
    for evidence in article["date_evidence"]:
        return date.fromisoformat(evidence["date"])
    return None
