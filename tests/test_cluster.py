"""Ingest on a Dask LocalCluster stores what the single-process ingest stores."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from dyadwatch import cluster
from dyadwatch.cli import app
from dyadwatch.cluster import ClusterError, connect
from dyadwatch.pipeline import ingest
from dyadwatch.store import Store

EXAMPLES = str(Path(__file__).resolve().parents[1] / "examples")  # as conftest's examples_db


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with connect("local", workers=2) as client:
        yield client


@pytest.fixture(autouse=True)
def small_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two files a task: the examples make several tasks, run on both workers at once."""
    monkeypatch.setattr(cluster, "TASK_FILES", 2)


def content(db: str | Path) -> dict[str, Any]:
    """What the store holds, by content: ids differ from store to store."""
    with Store(db) as store:
        rows = list(store.iter_articles())
        name = {a["id"]: (a["source"], a["record"]) for a in rows}
        events = store.events(limit=None)
        members = store.story_members()
        inputs = store.inputs()
        problems = store.problems()
    stories: dict[int, list[tuple[str, int]]] = {}
    for article_id, story_id in members.items():
        stories.setdefault(story_id, []).append(name[article_id])
    return {
        "articles": sorted(
            (*name[a["id"]], a["title"], a["body"], a["published"], a["skip_reason"]) for a in rows
        ),
        "duplicates": sorted(
            (name[a["id"]], a["duplicate_kind"], name[a["duplicate_of"]])
            for a in rows
            if a["duplicate_of"]
        ),
        "events": sorted(
            [
                (
                    e["type"],
                    e["source"],
                    e["target"],
                    e["date"],
                    e["status"],
                    sorted(
                        (name[m["article_id"]], m["sentence"], m["tone"]) for m in e["mentions"]
                    ),
                )
                for e in events
            ],
            key=repr,  # the sides are dicts
        ),
        "stories": sorted(sorted(sources) for sources in stories.values()),
        "inputs": sorted((i["source"], i["status"], i["documents"]) for i in inputs),
        "problems": sorted((p["source"], p["reason"]) for p in problems),
    }


def test_cluster_ingest_stores_the_same_and_a_rerun_adds_nothing(
    client: Any, examples_db: str, tmp_path: Path
) -> None:
    db = tmp_path / "cluster.db"
    report = ingest([EXAMPLES], db, cluster=client)
    expected = content(examples_db)
    assert report.articles == len(expected["articles"]) > 10
    assert content(db) == expected
    again = ingest([EXAMPLES], db, cluster=client)
    assert again.articles == 0 and again.unchanged == again.inputs
    assert content(db) == expected


def test_a_worker_killed_mid_run_loses_nothing(
    client: Any, examples_db: str, tmp_path: Path
) -> None:
    pids = client.run(os.getpid)
    killed: list[str] = []

    def kill_a_busy_worker(done: int, total: int, source: str) -> None:
        """Once the first inputs are stored, kill a worker in the middle of a task."""
        busy = [worker for worker, tasks in client.processing().items() if tasks]
        if busy and not killed:
            os.kill(pids[busy[0]], signal.SIGKILL)
            killed.append(busy[0])

    db = tmp_path / "cluster.db"
    report = ingest([EXAMPLES], db, cluster=client, progress=kill_a_busy_worker)
    assert killed  # its task ran again on the other worker
    assert not [p for p in report.problems if "cluster task failed" in p.reason]
    assert content(db) == content(examples_db)
    client.wait_for_workers(2, timeout=120)  # the nanny starts it again


def test_a_failed_task_is_reported_and_read_by_the_next_run(
    client: Any, examples_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = cluster.read_inputs  # a lambda is sent to the workers by value, this by name
    monkeypatch.setattr(
        cluster,
        "read_inputs",
        lambda files, *options: 1 / 0 if "html" in str(files) else read(files, *options),
    )
    db = tmp_path / "cluster.db"
    report = ingest([EXAMPLES], db, cluster=client, code=False)
    failed = [p.source for p in report.problems if "cluster task failed" in p.reason]
    assert any("html" in source for source in failed) and report.articles > 0
    monkeypatch.undo()
    again = ingest([EXAMPLES], db, cluster=client, code=False)
    assert again.inputs - again.unchanged == len(failed)  # read again: those, and only those
    expected = content(examples_db)
    assert content(db)["articles"] == expected["articles"]
    assert content(db)["inputs"] == expected["inputs"]


def test_an_unreachable_scheduler_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unreachable = connect("tcp://127.0.0.1:1", timeout=1)
    with pytest.raises(ClusterError, match="cannot reach a Dask scheduler at tcp://127.0.0.1:1"):
        unreachable.__enter__()
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 1)
    db = tmp_path / "news.db"
    command = ["ingest", EXAMPLES, "--db", str(db), "--cluster", "tcp://127.0.0.1:1"]
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 1
    assert "cannot reach a Dask scheduler at tcp://127.0.0.1:1" in result.output
    assert not db.exists()  # nothing stored, not even an empty store
