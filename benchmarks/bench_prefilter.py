"""The dyad-relevance pre-filter: how many articles it spares the actor and event stages, how
many coded event mentions that loses, and how much time it saves.

The inputs (default: the CC-NEWS WARC sample in ../shared/testdata, and the chinaus texts when
DYADWATCH_CHINAUS_TEXTS names their folder) are ingested once without coding; two copies of
that store are then coded in this process, one worker, models loaded beforehand: every
article (``--no-prefilter``), and with the pre-filter. Prints the articles skipped, the event
mentions of each run (lost: in the first, not the second), and the CPU time of each.

    .venv/bin/python benchmarks/bench_prefilter.py [PATHS...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from dyadwatch.actors.prefilter import may_name_two_countries
from dyadwatch.pipeline import code_events, ingest, warm_up
from dyadwatch.store import Store

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
WARC = SHARED / "testdata" / "warc" / "ccnews-2022-09-sample.warc.gz"

Mention = tuple[object, ...]


def default_inputs() -> list[str]:
    found = [str(WARC)]
    chinaus = os.environ.get("DYADWATCH_CHINAUS_TEXTS")
    return found + [chinaus] if chinaus else found


def mentions(db: Path) -> set[Mention]:
    """Every coded event mention: its article, sentence, type, sides and status."""
    with Store(db) as store:
        return {
            (
                m["article_id"],
                m["sentence"],
                e["type"],
                e["source"]["id"],
                e["target"]["id"],
                m["status"],
            )  # fmt: skip
            for e in store.events(limit=None)
            for m in e["mentions"]
        }


def coding_seconds(base: Path, db: Path, prefilter: bool) -> float:
    shutil.copyfile(base, db)
    start = time.process_time()
    code_events(db, workers=1, prefilter=prefilter)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="Inputs (default: see above).")
    paths = parser.parse_args().paths or default_inputs()
    with tempfile.TemporaryDirectory() as tmp:
        base, every, filtered = (Path(tmp) / name for name in ("base.db", "all.db", "pre.db"))
        start = time.process_time()
        ingest(paths, base, workers=1, code=False)
        read = time.process_time() - start
        with Store(base) as store:
            bodies = [a["body"] for a in store.iter_articles() if not a["skip_reason"]]
        skipped = sum(not may_name_two_countries(body) for body in bodies)
        warm_up(extraction=False, coding=True)
        slow = coding_seconds(base, every, prefilter=False)
        fast = coding_seconds(base, filtered, prefilter=True)
        coded, kept = mentions(every), mentions(filtered)
    print(f"inputs: {' '.join(paths)}")
    print(f"articles coded: {len(bodies)}; skipped by the pre-filter: {skipped}")
    print(f"event mentions: {len(coded)} without the pre-filter, {len(kept)} with it; "
          f"lost {len(coded - kept)}, new {len(kept - coded)}")  # fmt: skip
    print(f"CPU s: ingest without coding {read:.2f}; coding {slow:.2f} -> {fast:.2f} "
          f"({slow / fast:.2f}x); ingest and coding {read + slow:.2f} -> {read + fast:.2f} "
          f"({(read + slow) / (read + fast):.2f}x)")  # fmt: skip


if __name__ == "__main__":
    main()
