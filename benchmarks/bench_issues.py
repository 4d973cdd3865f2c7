"""Issue tags: per-issue and micro P/R/F1 on a hand-written gold set, and the speed of the
issue and tone stages.

    .venv/bin/python benchmarks/bench_issues.py

The gold set (``gold/issues_gold.jsonl``) is short sentences written for this benchmark,
each labelled with every issue it is about; some have none. Each sentence is tagged with
``min_hits=1``, as event sentences are.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from dyadwatch.issues import load_taxonomy, tag_issues
from dyadwatch.tone import sentence_tone, tone

GOLD = Path(__file__).resolve().parent / "gold" / "issues_gold.jsonl"
SPEED_ROUNDS = 20  # passes over the gold sentences for the timings


def read_gold() -> list[tuple[str, set[str]]]:
    with GOLD.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    return [(row["text"], set(row["issues"])) for row in rows]


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score(gold: list[tuple[str, set[str]]]) -> None:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for text, expected in gold:
        found = {tag.issue for tag in tag_issues(text)}
        tp.update(found & expected)
        fp.update(found - expected)
        fn.update(expected - found)
        if found != expected:
            print(f"  miss: {sorted(expected)} tagged {sorted(found)}: {text}")
    print(f"\n{'issue':28} {'n':>3} {'P':>6} {'R':>6} {'F1':>6}")
    for issue in sorted(i.issue for i in load_taxonomy()):
        p, r, f = prf(tp[issue], fp[issue], fn[issue])
        print(f"{issue:28} {tp[issue] + fn[issue]:3d} {p:6.2f} {r:6.2f} {f:6.2f}")
    p, r, f = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    print(f"{'micro':28} {sum(tp.values()) + sum(fn.values()):3d} {p:6.2f} {r:6.2f} {f:6.2f}")
    exact = sum({t.issue for t in tag_issues(text)} == expected for text, expected in gold)
    print(f"sentences tagged exactly right: {exact}/{len(gold)}")


def sentences_per_second(stage_name: str, stage: Callable[[str], object], texts: list[str]) -> None:
    stage(texts[0])  # load the taxonomy or the lexicon outside the timing
    started = time.perf_counter()
    for _ in range(SPEED_ROUNDS):
        for text in texts:
            stage(text)
    rate = SPEED_ROUNDS * len(texts) / (time.perf_counter() - started)
    print(f"{stage_name}: {rate:,.0f} sentences/s")


def main() -> None:
    gold = read_gold()
    print(f"{len(gold)} gold sentences, {sum(not issues for _, issues in gold)} with no issue")
    score(gold)
    texts = [text for text, _ in gold]
    sentences_per_second("tag_issues", tag_issues, texts)
    sentences_per_second("sentence_tone", sentence_tone, texts)
    sentences_per_second("tone (sentence split included)", tone, texts)


if __name__ == "__main__":
    main()
