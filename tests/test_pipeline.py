"""The ingest job end to end: idempotent re-runs, crash and resume, bad input, duplicates."""

from __future__ import annotations

import gzip
import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import shared_path

from dyadwatch import pipeline
from dyadwatch.pipeline import BATCH_SIZE, code_events, ingest
from dyadwatch.store import Store

PARAGRAPHS = [
    "Officials from the two governments met in the capital on {day} to discuss {topic}, "
    "according to a statement released by the foreign ministry after the talks ended.",
    "The delegations agreed to keep channels of communication open and to hold a further "
    "round of working-level consultations on {topic} before the end of the quarter.",
    "Analysts said the meeting, number {n} in the series, showed both sides wanted to keep "
    "their differences from turning into open conflict, though few expected a breakthrough.",
]
TOPICS = ["tariffs", "export controls", "fisheries", "climate finance", "visas", "aviation"]


def article_text(n: int) -> str:
    fields = {"day": f"day {n}", "topic": TOPICS[n % len(TOPICS)], "n": n}
    return "\n\n".join(p.format(**fields) for p in PARAGRAPHS)


def html_page(n: int) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in article_text(n).split("\n\n"))
    return (
        f"<html><head><title>Talks round {n}</title></head><body>"
        f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>Talks round {n}</h1>{paragraphs}</article>"
        f"<footer>© Example News</footer></body></html>"
    )


def write_pages(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"page{n:04d}.html").write_text(html_page(n), encoding="utf-8")
    return folder


def stored_state(db: Path) -> list[tuple[object, ...]]:
    with Store(db) as store:
        return [
            (a["source"], a["title"], a["body"], a["duplicate_of"] is None)
            for a in store.iter_articles()
        ]


def test_rerun_adds_nothing(tmp_path: Path) -> None:
    pages = write_pages(tmp_path / "pages", 5)
    db = tmp_path / "news.db"
    first = ingest([str(pages)], db, workers=1, code=False)
    second = ingest([str(pages)], db, workers=1, code=False)
    assert first.articles == 5
    assert second.articles == 0
    assert second.unchanged == 5
    assert len(stored_state(db)) == 5


def test_a_warc_paths_list_is_read_file_by_file_and_resumed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CC-NEWS's warc.paths.gz shape: a re-run skips the files stored, an address is a
    problem, and progress tells the record reached inside a WARC."""
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 8)  # batches end inside the WARC
    warc = tmp_path / "crawl-data" / "CC-NEWS" / "sample.warc.gz"
    warc.parent.mkdir(parents=True)
    warc.write_bytes(shared_path("testdata/warc/ccnews-2022-09-sample.warc.gz").read_bytes())
    listing = tmp_path / "warc.paths.gz"
    url = "https://example.org/crawl-data/CC-NEWS/other.warc.gz"
    listing.write_bytes(gzip.compress(f"crawl-data/CC-NEWS/sample.warc.gz\n{url}\n".encode()))
    db = tmp_path / "news.db"
    told: list[str] = []
    first = ingest([str(listing)], db, workers=1, code=False, progress=lambda *p: told.append(p[2]))
    assert first.articles == 39 and [p.source for p in first.problems] == [url]
    assert f"{warc}: record 7" in told and str(warc) in told
    again = ingest([str(listing)], db, workers=1, code=False)
    assert again.articles == 0 and again.unchanged == 1
    assert len(stored_state(db)) == 39


KILLED_AT_NTH_ARTICLE = """
import os, signal, sys
import dyadwatch.pipeline as pipeline
inputs, db, crash_at, batch_size, code = sys.argv[1:]
pipeline.BATCH_SIZE = int(batch_size)
original, seen = pipeline.safe_extract, [0]
def crash_at_nth(doc):
    seen[0] += 1
    if seen[0] == int(crash_at):
        os.kill(os.getpid(), signal.SIGKILL)
    return original(doc)
pipeline.safe_extract = crash_at_nth
pipeline.ingest([inputs], db, workers=1, code=code == "True")
"""


def ingest_killed_at_article(
    inputs: Path, db: Path, crash_at: int, *, batch_size: int = BATCH_SIZE, code: bool
) -> None:
    """Ingest in a subprocess that SIGKILLs itself as it starts extracting the crash_at-th
    document: no cleanup runs, as in a real crash."""
    args = [str(value) for value in (inputs, db, crash_at, batch_size, code)]
    crashed = subprocess.run([sys.executable, "-c", KILLED_AT_NTH_ARTICLE, *args])
    assert crashed.returncode == -signal.SIGKILL


def test_killed_run_resumes_without_loss_or_duplicates(tmp_path: Path) -> None:
    pages = write_pages(tmp_path / "pages", 200)
    db = tmp_path / "news.db"
    ingest_killed_at_article(pages, db, crash_at=150, code=False)
    kept = len(stored_state(db))
    assert 0 < kept < 200  # whole batches before the crash were committed

    ingest([str(pages)], db, workers=1, code=False)
    clean_db = tmp_path / "clean.db"
    ingest([str(pages)], clean_db, workers=1, code=False)
    assert stored_state(db) == stored_state(clean_db)


def test_bad_inputs_are_recorded_and_good_ones_kept(tmp_path: Path) -> None:
    folder = write_pages(tmp_path / "mixed", 1)
    (folder / "junk.bin").write_bytes(bytes(range(256)) * 40)
    (folder / "empty.html").write_bytes(b"")
    (folder / "broken.warc.gz").write_bytes(gzip.compress(b"WARC/1.0\r\n" + b"x" * 500)[:60])
    good = {"url": "https://example.org/a", "title": "Round", "text": article_text(7)}
    (folder / "feed.jsonl").write_text(json.dumps(good) + "\n{not json\n", encoding="utf-8")
    db = tmp_path / "news.db"

    report = ingest([str(folder), str(tmp_path / "missing.txt")], db, workers=1, code=False)
    assert report.articles == 2  # the page and the good JSON line
    sources = {p.source for p in report.problems}
    assert {"junk.bin", "empty.html", "broken.warc.gz", "missing.txt"} <= {
        Path(s).name for s in sources
    }
    assert any(p.record is not None for p in report.problems)  # the bad JSON line
    with Store(db) as store:
        recorded = len(store.problems())
    ingest([str(folder)], db, workers=1, code=False)
    with Store(db) as store:
        assert len(store.problems()) == recorded


def test_same_story_as_html_and_text_is_one_canonical_article(tmp_path: Path) -> None:
    folder = tmp_path / "copies"
    folder.mkdir()
    (folder / "a.html").write_text(html_page(3), encoding="utf-8")
    scrape = "Home | World | Business\n\nTalks round 3\n\n" + article_text(3)
    (folder / "b.txt").write_text(scrape + "\n\nShare: Facebook Twitter\n", encoding="utf-8")
    db = tmp_path / "news.db"
    report = ingest([str(folder)], db, workers=1, code=False)
    assert report.articles == 2
    assert report.exact_duplicates + report.near_duplicates == 1
    with Store(db) as store:
        first, second = store.iter_articles()
    assert first["duplicate_of"] is None
    assert second["duplicate_of"] == first["id"]


def test_parallel_extraction_stores_the_same(tmp_path: Path) -> None:
    pages = write_pages(tmp_path / "pages", 12)
    ingest([str(pages)], tmp_path / "one.db", workers=1, code=False)
    ingest([str(pages)], tmp_path / "two.db", workers=2, code=False)
    assert stored_state(tmp_path / "one.db") == stored_state(tmp_path / "two.db")


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def coded_state(db: Path) -> list[tuple[object, ...]]:
    """Every event mention with its event and article, in storing order."""
    with Store(db) as store:
        events = store.events(limit=None)
        uncoded = len(store.uncoded_ids())
    mentions = [
        (m["source"], m["sentence"], m["tone"], e["id"], e["type"], e["status"], e["date"])
        for e in events
        for m in e["mentions"]
    ]
    return [("uncoded", uncoded), *sorted(mentions, key=str)]


def test_without_coding_the_articles_wait_for_the_coding_stage(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    report = ingest([str(EXAMPLES)], db, workers=2, code=False)
    assert report.coding is None
    with Store(db) as store:
        assert len(store.uncoded_ids()) == report.articles - report.set_aside > 0
    coding = code_events(db, workers=2)
    assert coded_state(db) == coded_state_of_serial_run(tmp_path)
    assert coding.event_mentions > 0


def test_the_coding_stage_reads_the_store_a_page_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "news.db"
    ingest([str(EXAMPLES)], db, workers=1, code=False)
    monkeypatch.setattr(pipeline, "CODING_PAGE", 4)  # pages of 4, 4, 4 and the rest
    seen: list[int] = []
    code_events(db, progress=lambda done, total, _: seen.append(done), workers=1)
    assert seen == list(range(1, len(seen) + 1)) and len(seen) > 8
    assert coded_state(db) == coded_state_of_serial_run(tmp_path)


def coded_state_of_serial_run(tmp_path: Path) -> list[tuple[object, ...]]:
    db = tmp_path / "serial.db"
    if not db.exists():
        ingest([str(EXAMPLES)], db, workers=1)
    return coded_state(db)


def test_parallel_ingest_codes_the_same_events(tmp_path: Path) -> None:
    # Two workers: the first batch is extracted while the coding models load, coded after.
    db = tmp_path / "two.db"
    report = ingest([str(EXAMPLES)], db, workers=2)
    assert report.coding is not None and report.coding.event_mentions > 0
    assert coded_state(db) == coded_state_of_serial_run(tmp_path)
    assert coded_state(db)[0] == ("uncoded", 0)


def test_killed_coding_run_resumes_with_the_same_events(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    ingest_killed_at_article(EXAMPLES, db, crash_at=10, batch_size=4, code=True)
    with Store(db) as store:
        kept = len(list(store.iter_articles()))
    assert 0 < kept < 15  # the batches before the crash, with their codings
    ingest([str(EXAMPLES)], db, workers=1)
    assert coded_state(db) == coded_state_of_serial_run(tmp_path)


CRASH_BETWEEN_ARTICLES_AND_CODINGS = """
import os, signal, sys
import dyadwatch.pipeline as pipeline
from dyadwatch.store import Store
pipeline.BATCH_SIZE = 4
original, seen = Store.save_coding, [0]
def crash_at_6(self, *args):
    seen[0] += 1
    if seen[0] == 6:
        os.kill(os.getpid(), signal.SIGKILL)
    return original(self, *args)
Store.save_coding = crash_at_6
pipeline.ingest([sys.argv[1]], sys.argv[2], workers=1)
"""


def test_articles_stored_but_not_coded_are_coded_first_on_resume(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    script = CRASH_BETWEEN_ARTICLES_AND_CODINGS
    crashed = subprocess.run([sys.executable, "-c", script, str(EXAMPLES), str(db)])
    assert crashed.returncode != 0
    with Store(db) as store:
        assert store.uncoded_ids()  # the second batch: stored, its codings rolled back
    ingest([str(EXAMPLES)], db, workers=1)
    assert coded_state(db) == coded_state_of_serial_run(tmp_path)
