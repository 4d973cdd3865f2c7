"""Whole pipeline on real news pages: ``../shared/bench/chinaus/`` scored with its ``score.py``.

    .venv/bin/python benchmarks/bench_chinaus.py                 # every rebuilt page
    .venv/bin/python benchmarks/bench_chinaus.py --ids a001,a002 # some of them (one fold)
    .venv/bin/python benchmarks/bench_chinaus.py --folds DIR     # a CV's kept fold models again

The page texts are third-party excerpts that are rebuilt once per machine (see the chinaus
README) into ``$DYADWATCH_CHINAUS_TEXTS`` (default ``~/dyadwatch-dev/chinaus/texts``). The
pages are ingested as a user would ingest them (plain text, boilerplate and all) into a fresh
store, exported, and scored: event precision and recall at the sentence, per-type F1, status
macro-F1, event dates, publication dates, copies and stories; and the share of coded mentions
that tell an act of their page's gold, in whichever sentence (the gold quotes each event once,
so a retelling counts wrong at the sentence). ``DYADWATCH_EVENT_MODEL`` picks
another pair-coder model (``benchmarks/train_pairs.py`` uses it to score its folds). Then the
store is searched with ``gold/search_questions.jsonl``, questions worded unlike the pages, each
about one story: recall@5 of each search mode. ``--folds`` scores the fold models a
cross-validation kept (``train_pairs.py --keep DIR``) on their held-out pages with the code as
it is now: a change after the model is measured without fitting again.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

import pair_data

from dyadwatch.events.pair_model import MODEL_ENV
from dyadwatch.search import search
from dyadwatch.store import Store

SHARED = Path(__file__).resolve().parents[2] / "shared" / "bench" / "chinaus"
QUESTIONS = Path(__file__).resolve().parent / "gold" / "search_questions.jsonl"
TEXTS = Path(os.environ.get("DYADWATCH_CHINAUS_TEXTS", "~/dyadwatch-dev/chinaus/texts"))


def texts_dir() -> Path:
    folder = TEXTS.expanduser()
    if not folder.is_dir() or not any(folder.glob("*.txt")):
        sys.exit(f"no rebuilt chinaus texts in {folder}: see {SHARED / 'README.md'}")
    return folder


def exported(ids: set[str] | None, workdir: Path, env: dict[str, str] | None = None) -> list[str]:
    """Ingest the pages (all, or ``ids``) into a fresh store; its articles, events and
    stories as JSON Lines files."""
    pages = workdir / "pages"
    pages.mkdir()
    for text in sorted(texts_dir().glob("*.txt")):
        if ids is None or text.stem in ids:
            shutil.copy(text, pages / text.name)
    db = workdir / "chinaus.db"
    cli = [str(Path(sys.executable).with_name("dyadwatch"))]
    run = {"check": True, "capture_output": True, "env": {**os.environ, **(env or {})}}
    subprocess.run([*cli, "ingest", str(pages), "--db", str(db)], **run)  # type: ignore[call-overload]
    exports = []
    for kind in ("articles", "events", "stories"):
        out = workdir / f"{kind}.jsonl"
        subprocess.run(  # type: ignore[call-overload]
            [*cli, "export", kind, "--format", "jsonl", "--db", str(db), "--out", str(out)], **run
        )
        exports.append(str(out))
    return exports


def scored(exports: list[str], ids: set[str] | None) -> str:
    only = [f"--ids={','.join(sorted(ids))}"] if ids else []
    found = subprocess.run(
        [sys.executable, str(SHARED / "score.py"), *exports, *only],
        check=True,
        capture_output=True,
        text=True,
    )
    return found.stdout


def search_recall(db: Path, articles: str, top: int = 5) -> str:
    """Share of the questions with a page of their story first, and in the top hits, by
    mode; a copy stands for its canonical article (search by meaning returns canonical
    articles only), so an article counts for the stories of every page in its copy group.
    Questions whose story has no page in the store are left out: they cannot be found."""
    manifest = {row["id"]: row["story"] for row in _rows(str(SHARED / "manifest.jsonl"))}
    rows = _rows(articles)
    groups: dict[int, set[str]] = {}
    for row in rows:
        page = Path(str(row.get("source") or "")).stem
        if page in manifest:
            groups.setdefault(row.get("duplicate_of") or row["id"], set()).add(manifest[page])
    stories = {row["id"]: groups.get(row.get("duplicate_of") or row["id"], set()) for row in rows}
    stored = set().union(*groups.values())
    questions = [q for q in _rows(str(QUESTIONS)) if q["story"] in stored]
    figures = []
    with Store(db) as store:
        for mode in ("semantic", "hybrid", "words"):
            ranks = [
                [
                    q["story"] in stories.get(hit["id"], ())
                    for hit in search(store, q["question"], mode, limit=top)
                ]
                for q in questions
            ]
            first = sum(bool(r) and r[0] for r in ranks) / max(len(questions), 1)
            anywhere = sum(any(r) for r in ranks) / max(len(questions), 1)
            figures.append(f"{mode} {first:.2f} / {anywhere:.2f}")
    return (
        f"search over {len(questions)} questions, recall@1 / recall@{top}: {', '.join(figures)}\n"
    )


def score_folds(folds: list[tuple[Path, set[str]]], model_env: str, keep: str | None = None) -> str:
    """Each fold's pages coded with that fold's model, scored together (article ids are
    made unique across the folds' stores; stories are left out: they span folds). With
    ``keep``, the folds' articles and events are also written there (for error analysis)."""
    with tempfile.TemporaryDirectory() as work:
        articles, events = [], []
        for number, (model, ids) in enumerate(folds):
            folder = Path(work) / f"fold{number}"
            folder.mkdir()
            files = exported(ids, folder, {model_env: str(model)})
            for row in _rows(files[0]):
                if row.get("duplicate_of") is not None:
                    _renumbered(row, number, "duplicate_of")
                articles.append(_renumbered(row, number, "id"))
            for event in _rows(files[1]):
                for mention in event.get("mentions") or []:
                    _renumbered(mention, number, "article_id")
                events.append(event)
        if keep:
            _written(Path(keep), articles, events)
        rebuilt = {text.stem for text in texts_dir().glob("*.txt")}
        ids = set().union(*(found for _, found in folds)) & rebuilt  # recall over pages read
        report = [
            scored(_written(Path(work), articles, events), ids),
            f"all mentions: {retold(articles, events)}\n",
        ]
        for least in SWEEP:
            kept = [_confident(event, least) for event in events]
            first = scored(_written(Path(work), articles, kept), ids).splitlines()[0]
            report.append(f"mentions of confidence >= {least}: {first}; {retold(articles, kept)}\n")
        return "".join(report)


def retold(articles: list[dict], events: list[dict]) -> str:
    """The share of coded mentions whose page has a gold event of their type, source and
    target (a meeting either way), wherever the gold quotes it. The gold quotes each event
    once, so a sentence telling it again counts wrong at the sentence; this bounds from
    above what such retellings add (it cannot check that the sentence tells that event)."""
    page_of = {a["id"]: Path(str(a.get("source") or "")).stem for a in articles}
    right = total = 0
    for event in events:
        source, target = ((event.get(side) or {}).get("country") for side in ("source", "target"))
        if not source or not target or source == target:
            continue
        kind = (event.get("type") or "").upper()
        for mention in event.get("mentions") or []:
            gold = _labelled().get(page_of.get(mention.get("article_id"), ""), [])
            total += 1
            right += any(
                g["type"] == kind and pair_data.same_sides(g, source, target) for g in gold
            )
    return f"of the page's acts {right / max(total, 1):.3f} ({right}/{total})"


@cache
def _labelled() -> dict[str, list[dict]]:
    return {page["id"]: page["events"] for page in pair_data.manifest()}


SWEEP = (0.6, 0.7, 0.8, 0.9)  # confidences the precision and recall are also given at


def _written(folder: Path, articles: list[dict], events: list[dict]) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, rows in (("articles", articles), ("events", events)):
        path = folder / f"{name}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        paths.append(str(path))
    return paths


def _confident(event: dict, least: float) -> dict:
    mentions = [m for m in event.get("mentions") or [] if (m.get("confidence") or 0) >= least]
    return {**event, "mentions": mentions}


def _rows(path: str) -> list[dict]:
    return [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]


def _renumbered(row: dict, fold: int, key: str) -> dict:
    row[key] = f"{fold}:{row.get(key)}"
    return row


def rescored(kept: Path, keep: str | None = None) -> str:
    """The kept fold models scored again on their pages (read from the kept export); with
    ``keep``, this scoring's articles and events are written there (for error analysis)."""
    pages: dict[str, set[str]] = {}
    for row in _rows(str(kept / "articles.jsonl")):
        pages.setdefault(row["id"].split(":")[0], set()).add(Path(row["source"]).stem)
    folds = [(kept / f"fold{number}", pages[number]) for number in sorted(pages)]
    return score_folds(folds, MODEL_ENV, keep)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ids", help="comma-separated page ids to score (default: all)")
    parser.add_argument("--folds", type=Path, help="a folder of train_pairs.py --keep")
    parser.add_argument("--keep", help="with --folds: a folder to write the scored exports to")
    args = parser.parse_args()
    if args.folds:
        print(rescored(args.folds, args.keep), end="")
        return
    ids = set(args.ids.split(",")) if args.ids else None
    with tempfile.TemporaryDirectory() as workdir:
        exports = exported(ids, Path(workdir))
        print(f"{sum(1 for _ in (Path(workdir) / 'pages').iterdir())} pages")
        print(scored(exports, ids), end="")
        print(f"all mentions: {retold(_rows(exports[0]), _rows(exports[1]))}")
        print(search_recall(Path(workdir) / "chinaus.db", exports[0]), end="")


if __name__ == "__main__":
    main()
