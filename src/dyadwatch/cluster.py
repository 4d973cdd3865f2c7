"""Ingest on a Dask cluster: its workers read, extract and code, this process stores.

Each task reads whole input files (one WARC, or a few small files together) and returns what
``process_document`` makes of their documents, so a lost worker costs only its tasks (Dask
runs them again elsewhere). This process stores the results in input order, as the
single-machine ingest does, and so stores the same rows; an input is registered only once
its results are stored, so a re-run skips what is stored and reads again what is not.
Workers must see the input paths (the same machine, or a shared file system).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import CancelledError
from contextlib import contextmanager

from distributed import Client, Future, LocalCluster, Worker
from distributed.diagnostics.plugin import WorkerPlugin

from dyadwatch.ingest import InputFile
from dyadwatch.models import Document, Problem
from dyadwatch.pipeline import (
    Batch,
    Counter,
    Extracted,
    Ingestor,
    InputRead,
    Work,
    process_document,
    read_steps,
    warm_up,
)
from dyadwatch.store import Store

CONNECT_TIMEOUT = 10.0  # seconds to reach a scheduler
WORKERS_TIMEOUT = 60.0  # seconds for a first worker to join it
TASK_FILES = 16  # small files read by one task...
TASK_BYTES = 1 << 20  # ...up to this size together (a larger file is a task of its own)
AHEAD = 2  # tasks submitted per worker thread beyond those being stored

Entry = tuple[InputFile | Problem, InputRead | None]  # an input, and what to read of it (if any)
InputResult = tuple[Counter, list[tuple[str, Extracted | Problem]]]


class ClusterError(Exception):
    """The cluster cannot be reached, or has no workers."""


@contextmanager
def connect(
    address: str = "local", workers: int | None = None, timeout: float | None = None
) -> Iterator[Client]:
    """A client of a new ``LocalCluster`` of ``workers`` processes ("local"), or of the
    scheduler at ``address`` (tcp://HOST:8786) once it has a worker."""
    timeout = timeout or CONNECT_TIMEOUT
    if address == "local":
        count = workers or os.cpu_count() or 1
        # One thread per process: extraction and coding are Python, bound by the GIL.
        with (
            LocalCluster(n_workers=count, threads_per_worker=1) as cluster,
            Client(cluster) as client,
        ):
            yield client
        return
    try:
        client = Client(address, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as error:
        raise ClusterError(f"cannot reach a Dask scheduler at {address}: {error}") from error
    with client:
        try:
            client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
        except TimeoutError as error:
            message = f"no Dask worker joined the scheduler at {address} in {WORKERS_TIMEOUT:.0f} s"
            raise ClusterError(message) from error
        yield client


class Models(WorkerPlugin):
    """Each worker loads the models once, as it starts (or joins later)."""

    def __init__(self, code: bool) -> None:
        self.code = code

    def setup(self, worker: Worker) -> None:
        warm_up(extraction=True, coding=self.code)


def read_inputs(
    files: list[tuple[InputFile, set[int]]], code: bool, prefilter: bool = True
) -> list[InputResult]:
    """A task: read inputs (skipping the records stored already) and process their documents."""
    results = []
    for input_file, stored in files:
        counted = Counter()
        steps = [
            (step, process_document(item, code, prefilter) if isinstance(item, Document) else item)
            for step, item in read_steps(input_file, stored, counted)
        ]
        results.append((counted, steps))
    return results


class ClusterIngestor(Ingestor):
    """The ``Ingestor`` with the workers of a Dask cluster: a task per input file (or per
    few small files), each stored as one batch, in input order."""

    def __init__(
        self, store: Store, client: Client, code: bool = False, prefilter: bool = True
    ) -> None:
        super().__init__(store, workers=1, code=code, prefilter=prefilter)
        self.client = client
        client.register_plugin(Models(code), name="dyadwatch-models")

    def _work(self, found: list[InputFile | Problem]) -> Iterator[Work]:
        ahead = AHEAD * max(1, sum(self.client.nthreads().values()))
        tasks: deque[tuple[list[Entry], Future | None]] = deque()
        for entries in self._tasks(found):
            to_read = [
                (current.file, self._stored_records(current)) for _, current in entries if current
            ]
            future = self._submit(to_read) if to_read else None
            tasks.append((entries, future))
            if len(tasks) > ahead:
                yield self._batch(*tasks.popleft())
        while tasks:
            yield self._batch(*tasks.popleft())

    def _submit(self, to_read: list[tuple[InputFile, set[int]]]) -> Future:
        return self.client.submit(read_inputs, to_read, self.code, self.prefilter, pure=False)

    def _tasks(self, found: list[InputFile | Problem]) -> Iterator[list[Entry]]:
        """The inputs in order, cut into tasks of a few small files or one large one."""
        entries: list[Entry] = []
        files = size = 0
        for item in found:
            current = self._open_input(item) if isinstance(item, InputFile) else None
            if current and entries and size + current.file.size > TASK_BYTES:
                yield entries
                entries, files, size = [], 0, 0
            entries.append((item, current))
            if current:
                files, size = files + 1, size + current.file.size
            if files >= TASK_FILES:
                yield entries
                entries, files, size = [], 0, 0
        if entries:
            yield entries

    def _batch(self, entries: list[Entry], future: Future | None) -> Work:
        """The steps of a task's inputs, as ``Ingestor._read_input`` makes them; where the
        task failed, a problem per input, which stays unregistered for a re-run to read."""
        try:
            read = iter(future.result() if future else [])
            failure = None
        except CancelledError:  # the scheduler is lost: no other task will come back either
            raise
        except Exception as error:  # noqa: BLE001 - a failed task must not end the run
            failure = f"not read: its cluster task failed: {type(error).__name__}: {error}"
        batch, results = Batch(), []
        for item, current in entries:
            if isinstance(item, Problem):
                batch.steps.append(("problem", item))
            elif current and failure:
                batch.steps.append(("problem", Problem(item.source, failure)))
            elif current:
                current.counted, steps = next(read)
                batch.steps.append(("start", current))
                for step, value in steps:
                    if step == "document":
                        results.append(value)
                    batch.steps.append((step, (current, None) if step == "document" else value))
                batch.steps.append(("finish", current))
            batch.steps.append(("progress", item.source))
        return batch, lambda: results
