"""Duplicate linking: pairwise P/R/F1 of the dedupe stage over the 103 pages read four ways.

    .venv/bin/python benchmarks/bench_dedupe.py

Each benchmark page is written as HTML and as its three plain-text renderings (lxml_blocks,
w3m, html2text), all ingested through ``dyadwatch.pipeline.ingest`` into one fresh SQLite
store, HTML first. The four inputs of one page are one gold group; different pages must stay
apart. Every stored article belongs to the group of its canonical article (``duplicate_of``,
else itself); a pair of articles in one group is a predicted link, and precision, recall and
F1 are counted over pairs, overall and per pair of renderings. Then the CC-NEWS WARC sample
(``../shared/testdata/``, no gold) is ingested alone and every link it makes is listed, so
that false merges between different articles show, and the closest pair it kept apart.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterable
from itertools import combinations
from pathlib import Path
from typing import Any

from shingle_f1 import SHARED, aeb_pages

from dyadwatch.dedupe import band_keys, best_match, minhash_of, normalise, shingles
from dyadwatch.pipeline import ingest
from dyadwatch.store import Store

RENDERINGS = ("html", "lxml_blocks", "w3m", "html2text")
WARC = SHARED / "testdata" / "warc" / "ccnews-2022-09-sample.warc.gz"

Key = tuple[str, str]  # (rendering, page id) of one stored article


def write_inputs(folder: Path) -> list[Path]:
    """One folder per rendering, in RENDERINGS order, one file per page."""
    folders = [folder / rendering for rendering in RENDERINGS]
    for path in folders:
        path.mkdir()
    for page in aeb_pages():
        (folder / "html" / f"{page['id']}.html").write_text(page["html"], encoding="utf-8")
        for rendering in RENDERINGS[1:]:
            text = page["text"][rendering]
            (folder / rendering / f"{page['id']}.txt").write_text(text, encoding="utf-8")
    return folders


def stored_groups(articles: list[dict[str, Any]]) -> dict[Key, int]:
    """Each stored article's (rendering, page id) and the id of its canonical article."""
    return {
        (Path(a["source"]).parent.name, Path(a["source"]).stem): a["duplicate_of"] or a["id"]
        for a in articles
    }


def near_copy_rate(store: Store, bodies: list[str]) -> float:
    """Articles/s of the near-copy check alone against the store: signature, the stored
    signatures sharing a band key, the best match among them."""
    started = time.perf_counter()
    with store.engine.connect() as conn:
        for body in bodies:
            signature = minhash_of(body)
            if signature:
                best_match(signature, store.near_candidates(conn, band_keys(signature)))
    return len(bodies) / (time.perf_counter() - started)


def pair_scores(pairs: Iterable[tuple[Key, Key]], group: dict[Key, int]) -> tuple[int, int, int]:
    """True positives, false positives and false negatives over the given article pairs."""
    tp = fp = fn = 0
    for a, b in pairs:
        linked, same_page = group[a] == group[b], a[1] == b[1]
        tp += linked and same_page
        fp += linked and not same_page
        fn += same_page and not linked
    return tp, fp, fn


def prf(tp: int, fp: int, fn: int) -> str:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return f"P {p:.3f} R {r:.3f} F1 {f1:.3f} (tp {tp}, fp {fp}, fn {fn})"


def rendering_pairs(group: dict[Key, int], first: str, second: str) -> list[tuple[Key, Key]]:
    keys = list(group)
    if first == second:
        return [(a, b) for a, b in combinations(keys, 2) if a[0] == b[0] == first]
    return [(a, b) for a in keys if a[0] == first for b in keys if b[0] == second]


def report_links(group: dict[Key, int]) -> None:
    """Precision, recall and F1 over all pairs, then per pair of renderings."""
    print(f"all pairs of {len(group)} articles: {prf(*pair_scores(combinations(group, 2), group))}")
    for first, second in combinations(RENDERINGS, 2):
        scores = pair_scores(rendering_pairs(group, first, second), group)
        print(f"  {first}~{second}: {prf(*scores)}")
    for rendering in RENDERINGS:
        _, fp, _ = pair_scores(rendering_pairs(group, rendering, rendering), group)
        print(f"  {rendering}~{rendering} (different pages): {fp} false links")


def benchmark_pages() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folders = write_inputs(Path(tmp))
        db = Path(tmp) / "dedupe.db"
        started = time.perf_counter()
        report = ingest([str(f) for f in folders], db, code=False)
        elapsed = time.perf_counter() - started
        with Store(db) as store:
            articles = list(store.iter_articles())
            rate = near_copy_rate(store, [a["body"] for a in articles])
    print(
        f"{report.articles} articles stored ({report.exact_duplicates} exact and "
        f"{report.near_duplicates} near copies, {len(report.problems)} problems) in "
        f"{elapsed:.1f} s: {report.articles / elapsed:.1f} articles/s "
        "(ingest + extract + dedupe + store, all cores); near-copy check alone "
        f"{rate:.0f} articles/s on one core"
    )
    report_links(stored_groups(articles))


def warc_articles() -> dict[int, dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "warc.db"
        ingest([str(WARC)], db, code=False)
        with Store(db) as store:
            return {a["id"]: a for a in store.iter_articles()}


def containment(first: str, second: str) -> float:
    """Exact share of the shorter text's shingles found in the other text."""
    a, b = (shingles(normalise(text)) for text in (first, second))
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def benchmark_warc() -> None:
    stored = warc_articles()
    links = [a for a in stored.values() if a["duplicate_of"] is not None]
    print(f"CC-NEWS WARC sample: {len(links)} links among {len(stored)} articles (check by eye)")
    for link in links:
        print(
            f"  {link['duplicate_kind']} {link['similarity']}%: {link['url']}\n"
            f"    -> {stored[link['duplicate_of']]['url']}"
        )
    apart = [
        (containment(a["body"], b["body"]), a["url"], b["url"])
        for a, b in combinations(stored.values(), 2)
        if (a["duplicate_of"] or a["id"]) != (b["duplicate_of"] or b["id"])
    ]
    share, first, second = max(apart)
    print(
        f"  closest articles kept apart: {share:.0%} of the shorter one's shingles shared\n"
        f"    {first}\n    {second}"
    )


def main() -> None:
    benchmark_pages()
    benchmark_warc()


if __name__ == "__main__":
    main()
