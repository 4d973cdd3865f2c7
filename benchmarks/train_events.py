"""Fit the PLOVER type model and report its cross-validated accuracy.

    .venv/bin/python benchmarks/train_events.py [--write]

Trains a multinomial logistic regression (numpy, L2) on ``plv_train.tsv`` (sentence, source
span, target span, PLOVER root; YIELD stands for CONCEDE and RETREAT together). 5-fold
stratified cross-validation prints per-type P/R/F1, macro-F1 and quad-class accuracy;
``--write`` fits on every row and writes src/dyadwatch/data/events_model.json.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import Counter
from pathlib import Path

import numpy as np

from dyadwatch.events.classify import features, trigger_between

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PLV = SHARED / "bench" / "events" / "plv_train.tsv"
OUT = Path(__file__).resolve().parents[1] / "src" / "dyadwatch" / "data" / "events_model.json"
QUAD = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "COOPERATE": 2, "AID": 2, "YIELD": 2,
    "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3,
    "PROTEST": 4, "MOBILIZE": 4, "SANCTION": 4, "COERCE": 4, "ASSAULT": 4,
}  # fmt: skip
L2 = 0.1
STEPS = 300
FOLDS = 5


def span(sentence: str, words: str) -> tuple[int, int] | None:
    start = sentence.find(words) if words else -1
    return (start, start + len(words)) if start >= 0 else None


Span = tuple[int, int] | None


def load() -> tuple[list[tuple[str, Span, Span]], list[list[str]], list[str], list[int]]:
    found, bags, labels, quads = [], [], [], []
    with PLV.open(encoding="utf-8") as lines:
        for row in csv.DictReader(lines, delimiter="\t"):
            sentence = row["sentence"]
            source, target = span(sentence, row["source"]), span(sentence, row["target"])
            found.append((sentence, source, target))
            bags.append(features(sentence, source, target))
            labels.append(row["gold_root"])
            quads.append(int(row["gold_penta"]))
    return found, bags, labels, quads


def fit(bags: list[list[str]], labels: list[str]) -> dict:
    names = sorted(label for label in set(labels))
    counts = Counter(f for bag in bags for f in set(bag))
    vocabulary = sorted(f for f, n in counts.items() if n >= 2)
    index = {f: i for i, f in enumerate(vocabulary)}
    x = np.zeros((len(bags), len(vocabulary)))
    for row, bag in enumerate(bags):
        for f in bag:
            if f in index:
                x[row, index[f]] = 1.0
    y = np.zeros((len(bags), len(names)))
    y[np.arange(len(bags)), [names.index(label) for label in labels]] = 1.0
    weights, bias = np.zeros((len(vocabulary), len(names))), np.zeros(len(names))
    moment = [np.zeros_like(weights), np.zeros_like(bias)]
    square = [np.zeros_like(weights), np.zeros_like(bias)]
    for step in range(1, STEPS + 1):
        logits = x @ weights + bias
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        error = (p - y) / len(bags)
        grads = [x.T @ error + L2 * weights / len(bags), error.sum(axis=0)]
        for i, (param, grad) in enumerate(zip((weights, bias), grads, strict=True)):
            moment[i] = 0.9 * moment[i] + 0.1 * grad
            square[i] = 0.999 * square[i] + 0.001 * grad**2
            param -= (
                0.05
                * (moment[i] / (1 - 0.9**step))
                / (np.sqrt(square[i] / (1 - 0.999**step)) + 1e-8)
            )
    return {
        "labels": names,
        "features": vocabulary,
        "weights": np.round(weights, 4).tolist(),
        "bias": np.round(bias, 4).tolist(),
    }


def predict(model: dict, bag: list[str]) -> str:
    index = {f: i for i, f in enumerate(model["features"])}
    weights = np.array(model["weights"])
    rows = [index[f] for f in bag if f in index]
    scores = weights[rows].sum(axis=0) + np.array(model["bias"])
    return model["labels"][int(scores.argmax())]


def stratified_folds(labels: list[str]) -> list[int]:
    rng = np.random.default_rng(11)
    folds = [0] * len(labels)
    for label in sorted(set(labels)):
        members = [i for i, x in enumerate(labels) if x == label]
        for rank, i in enumerate(rng.permutation(members)):
            folds[i] = rank % FOLDS
    return folds


def report(gold: list[str], predicted: list[str], quads: list[int]) -> None:
    names = sorted(set(gold))
    f1s = []
    for name in names:
        tp = sum(g == p == name for g, p in zip(gold, predicted, strict=True))
        fp = sum(p == name != g for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == name != p for g, p in zip(gold, predicted, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        f1s.append(f1)
        print(f"  {name:10s} P {precision:.2f} R {recall:.2f} F1 {f1:.2f} (n={tp + fn})")
    quad_hits = sum(QUAD[p] == q for p, q in zip(predicted, quads, strict=True))
    quad_accuracy = quad_hits / len(quads)
    print(
        f"root macro-F1 {np.mean(f1s):.3f} (goal 0.70); quad accuracy {quad_accuracy:.3f} "
        f"(goal 0.85); {len(gold)} rows, {FOLDS}-fold CV"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="fit on all rows and save")
    args = parser.parse_args()
    bags, labels = main_cross_validation()
    if args.write:
        OUT.write_text(json.dumps(fit(bags, labels)) + "\n")
        print(f"written {OUT}")


def main_cross_validation() -> tuple[list[list[str]], list[str]]:
    """Print the cross-validated figures (trigger words first, then the model)."""
    rows, bags, labels, quads = load()
    folds = stratified_folds(labels)
    predicted = [""] * len(labels)
    for fold in range(FOLDS):
        train = [i for i, f in enumerate(folds) if f != fold]
        model = fit([bags[i] for i in train], [labels[i] for i in train])
        for i, f in enumerate(folds):
            if f == fold:
                ruled = trigger_between(*rows[i])
                predicted[i] = ruled[0] if ruled else predict(model, bags[i])
    report(labels, predicted, quads)
    return bags, labels


if __name__ == "__main__":
    main()
