"""Fit the PLOVER type model and report its cross-validated accuracy.

    .venv/bin/python benchmarks/train_events.py [--write]

Trains two multinomial logistic regressions (numpy, L2, classes weighted toward balance) on
``plv_train.tsv`` (sentence, source span, target span, PLOVER root; YIELD stands for CONCEDE
and RETREAT together): one with the actor spans, one on the bare sentences for text coded
with no actors known, which also learns ConfliBERT's no-event sentences
(``conflibert_quad_train.tsv``, quad 0) as a NONE label. 5-fold stratified
cross-validation (fixed seed) through the same decision as ``classify`` prints per-type
P/R/F1, macro-F1 and quad accuracy, and ConfliBERT's quad accuracy; ``--write`` fits on
every row and writes src/dyadwatch/data/events_model.json.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from dyadwatch.events.classify import (
    NO_EVENT,
    Decision,
    Span,
    TypeModel,
    TypeModels,
    decide,
    features,
)
from dyadwatch.events.ontology import label_quad

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PLV = SHARED / "bench" / "events" / "plv_train.tsv"
CONFLIBERT = SHARED / "bench" / "events" / "conflibert_quad_train.tsv"
OUT = Path(__file__).resolve().parents[1] / "src" / "dyadwatch" / "data" / "events_model.json"
L2 = 0.3
STEPS = 300
FOLDS = 5
SEED = 11
BALANCE = 0.5  # class weight = (mean class size / class size) ** BALANCE
MIN_COUNT = 2  # features seen in fewer training rows are dropped

Row = tuple[str, Span | None, Span | None]


def span(sentence: str, words: str) -> Span | None:
    start = sentence.find(words) if words else -1
    return (start, start + len(words)) if start >= 0 else None


def load() -> tuple[list[Row], list[str], list[int]]:
    """(sentence, source span, target span) rows, their gold labels and gold quads."""
    rows, labels, quads = [], [], []
    with PLV.open(encoding="utf-8") as lines:
        for record in csv.DictReader(lines, delimiter="\t"):
            sentence = record["sentence"]
            rows.append(
                (sentence, span(sentence, record["source"]), span(sentence, record["target"]))
            )
            labels.append(record["gold_root"])
            quads.append(int(record["gold_penta"]))
    return rows, labels, quads


def load_quads() -> tuple[list[str], list[int]]:
    """ConfliBERT's sentences and their quad classes (0: no event)."""
    with CONFLIBERT.open(encoding="utf-8") as lines:
        records = list(csv.reader(lines, delimiter="\t"))
    return [sentence for sentence, _ in records], [int(quad) for _, quad in records]


def fit(rows: list[Row], labels: list[str], no_event: list[str]) -> dict[str, Any]:
    """Both models of ``TypeModels``: one on the rows with their actor spans, one on the
    bare sentences, which also learns the sentences in ``no_event`` as reporting none."""
    return {
        "with_spans": fit_bags([features(*row) for row in rows], labels),
        "without_spans": fit_bare(rows, labels, no_event),
    }


def fit_bare(rows: list[Row], labels: list[str], no_event: list[str]) -> dict[str, Any]:
    sentences = [row[0] for row in rows] + no_event
    bags = [features(sentence, None, None) for sentence in sentences]
    return fit_bags(bags, labels + [NO_EVENT] * len(no_event))


def fit_bags(bags: list[list[str]], labels: list[str]) -> dict[str, Any]:
    classes = sorted(set(labels))
    sizes = Counter(labels)
    balance = np.array([(len(labels) / len(sizes) / sizes[label]) ** BALANCE for label in labels])
    counts = Counter(f for bag in bags for f in set(bag))
    vocabulary = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    index = {f: i for i, f in enumerate(vocabulary)}
    x = np.zeros((len(bags), len(vocabulary)), dtype=np.float32)
    for row, bag in enumerate(bags):
        for f in bag:
            if f in index:
                x[row, index[f]] = 1.0
    y = np.zeros((len(bags), len(classes)), dtype=np.float32)
    y[np.arange(len(bags)), [classes.index(label) for label in labels]] = 1.0
    weights, bias = _adam(x, y, balance / balance.sum())
    return {
        "labels": classes,
        "features": vocabulary,
        "weights": np.round(weights.astype(float), 3).tolist(),
        "bias": np.round(bias.astype(float), 3).tolist(),
    }


def _adam(x: np.ndarray, y: np.ndarray, sample: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted softmax regression with an L2 penalty, by full-batch Adam from zero."""
    weights = np.zeros((x.shape[1], y.shape[1]), dtype=np.float32)
    bias = np.zeros(y.shape[1], dtype=np.float32)
    moment = [np.zeros_like(weights), np.zeros_like(bias)]
    square = [np.zeros_like(weights), np.zeros_like(bias)]
    for step in range(1, STEPS + 1):
        logits = x @ weights + bias
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        error = (p - y) * sample[:, None].astype(np.float32)
        grads = [x.T @ error + L2 * weights / len(x), error.sum(axis=0)]
        for i, (param, grad) in enumerate(zip((weights, bias), grads, strict=True)):
            moment[i] = 0.9 * moment[i] + 0.1 * grad
            square[i] = 0.999 * square[i] + 0.001 * grad**2
            param -= (
                0.05
                * (moment[i] / (1 - 0.9**step))
                / (np.sqrt(square[i] / (1 - 0.999**step)) + 1e-8)
            )
    return weights, bias


def stratified_folds(labels: list[Any]) -> list[int]:
    rng = np.random.default_rng(SEED)
    folds = [0] * len(labels)
    for label in sorted(set(labels)):
        members = [i for i, x in enumerate(labels) if x == label]
        for rank, i in enumerate(rng.permutation(members)):
            folds[i] = rank % FOLDS
    return folds


def report(gold: list[str], predicted: list[str], quads: list[int]) -> None:
    """Per-label P/R/F1, macro-F1 and quad accuracy; "" in predicted is no event found."""
    f1s = []
    pairs = list(zip(gold, predicted, strict=True))
    for name in sorted(set(gold)):
        tp = sum(g == p == name for g, p in pairs)
        fp = sum(p == name != g for g, p in pairs)
        fn = sum(g == name != p for g, p in pairs)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        f1s.append(f1)
        print(f"  {name:10s} P {precision:.2f} R {recall:.2f} F1 {f1:.2f} (n={tp + fn})")
    quad_hits = sum(bool(p) and label_quad(p) == q for p, q in zip(predicted, quads, strict=True))
    print(
        f"plv_train root macro-F1 {np.mean(f1s):.3f} (goal 0.70); quad accuracy "
        f"{quad_hits / len(quads):.3f} (goal 0.85); {len(gold)} rows, {FOLDS}-fold CV, "
        f"{predicted.count('')} with no event found"
    )


def cross_validate() -> None:
    """Print the cross-validated figures, each fold's models judged through ``decide``:
    plv_train with the gold actor spans (the headline) and bare, then ConfliBERT's quads."""
    rows, labels, quads = load()
    sentences, conflibert = load_quads()
    no_event = [s for s, quad in zip(sentences, conflibert, strict=True) if quad == 0]
    folds = stratified_folds(labels)
    with_spans, without_spans = [""] * len(labels), [""] * len(labels)
    for fold in range(FOLDS):
        train = [i for i, f in enumerate(folds) if f != fold]
        models = TypeModels.from_dict(
            fit([rows[i] for i in train], [labels[i] for i in train], no_event)
        )
        for i in (i for i, f in enumerate(folds) if f == fold):
            with_spans[i] = _label(decide(models, *rows[i]))
            without_spans[i] = _label(decide(models, rows[i][0], None, None))
    print("plv_train with actor spans:")
    report(labels, with_spans, quads)
    print("plv_train without actor spans:")
    report(labels, without_spans, quads)
    conflibert_quads(rows, labels, sentences, conflibert)


def conflibert_quads(
    rows: list[Row], labels: list[str], sentences: list[str], quads: list[int]
) -> None:
    """Quad accuracy on ConfliBERT's bare sentences, 5-fold: each fold's bare model learns
    all of plv_train and the other folds' no-event sentences."""
    folds = stratified_folds(quads)
    right = 0
    for fold in range(FOLDS):
        no_event = [
            s for s, q, f in zip(sentences, quads, folds, strict=True) if q == 0 and f != fold
        ]
        bare = TypeModel.from_dict(fit_bare(rows, labels, no_event))
        models = TypeModels(bare, bare)
        for sentence, quad, f in zip(sentences, quads, folds, strict=True):
            if f == fold:
                found = decide(models, sentence, None, None)
                right += (label_quad(found.label) if found else 0) == quad
    print(
        f"conflibert quad accuracy {right / len(quads):.3f} on {len(quads)} bare sentences "
        f"({quads.count(0)} with no event), {FOLDS}-fold CV"
    )


def _label(decision: Decision | None) -> str:
    return decision.label if decision else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="fit on all rows and save")
    args = parser.parse_args()
    cross_validate()
    if args.write:
        rows, labels, _ = load()
        sentences, quads = load_quads()
        no_event = [s for s, quad in zip(sentences, quads, strict=True) if quad == 0]
        OUT.write_text(json.dumps(fit(rows, labels, no_event)) + "\n")
        print(f"written {OUT}")


if __name__ == "__main__":
    main()
