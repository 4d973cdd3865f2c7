"""Fit the plain-text cleaner's line model and report its cross-validated body F1.

    .venv/bin/python benchmarks/train_text.py [--write]

Lines of the benchmark's text renderings (lxml_blocks, w3m, html2text) of the 103
development pages are labelled by whether their shingles are in the gold body; a logistic
regression (numpy, L2) over ``dyadwatch.extract.text_lines.FEATURES`` is fitted, weighted by
words. 5-fold cross-validation by page (all renderings of a page in the same fold) gives the
held-out figures; ``--write`` then fits on every page and writes data/text_lines.json.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
from shingle_f1 import aeb_pages, shingle_scores, shingles

from dyadwatch.extract.text import body_from_probabilities, line_probabilities, page_lines
from dyadwatch.extract.text_lines import FEATURES, LineModel, page_features

RENDERINGS = ("lxml_blocks", "w3m", "html2text")
FOLDS = 5
HIDDEN = 16
EPOCHS = 400
RATE = 0.01
L2 = 1e-4
OUT = Path(__file__).resolve().parents[1] / "src" / "dyadwatch" / "data" / "text_lines.json"


Labelled = tuple[list[str], np.ndarray, np.ndarray, np.ndarray]


def labelled_lines(text: str, gold: str) -> Labelled:
    lines = page_lines(text)
    gold_shingles = shingles(gold)
    gold_words = " ".join(gold.lower().split())
    labels, weights = [], []
    for line in lines:
        own = shingles(line)
        if own:
            inside = sum(min(n, gold_shingles[s]) for s, n in own.items()) / sum(own.values())
            labels.append(inside >= 0.5)
        else:
            labels.append(" ".join(line.lower().split()) in gold_words)
        weights.append(max(len(line.split()), 1))
    features = page_features(lines)
    return lines, features, np.array(labels, dtype=float), np.array(weights, dtype=float)


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, seed: int = 7) -> dict[str, Any]:
    """A one-hidden-layer network (tanh), weighted cross-entropy, full-batch Adam."""
    rng = np.random.default_rng(seed)
    means, scales = x.mean(axis=0), x.std(axis=0) + 1e-6
    z = (x - means) / scales
    w = w / w.mean()
    params = [
        rng.normal(0, 1 / np.sqrt(z.shape[1]), (z.shape[1], HIDDEN)),
        np.zeros(HIDDEN),
        rng.normal(0, 1 / np.sqrt(HIDDEN), HIDDEN),
        np.zeros(1),
    ]
    moments = [np.zeros_like(p) for p in params]
    squares = [np.zeros_like(p) for p in params]
    for step in range(1, EPOCHS + 1):
        hidden = np.tanh(z @ params[0] + params[1])
        p = 1 / (1 + np.exp(-np.clip(hidden @ params[2] + params[3], -30, 30)))
        error = w * (p - y) / len(y)
        back = np.outer(error, params[2]) * (1 - hidden**2)
        grads = [
            z.T @ back + L2 * params[0],
            back.sum(axis=0),
            hidden.T @ error + L2 * params[2],
            np.array([error.sum()]),
        ]
        for i, g in enumerate(grads):
            moments[i] = 0.9 * moments[i] + 0.1 * g
            squares[i] = 0.999 * squares[i] + 0.001 * g**2
            corrected = moments[i] / (1 - 0.9**step)
            params[i] -= RATE * corrected / (np.sqrt(squares[i] / (1 - 0.999**step)) + 1e-8)
    return {
        "means": means.tolist(),
        "scales": scales.tolist(),
        "hidden_weights": params[0].tolist(),
        "hidden_bias": params[1].tolist(),
        "output_weights": params[2].tolist(),
        "output_bias": float(params[3][0]),
    }


def stack(pages: list[Labelled]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return tuple(np.concatenate([page[k] for page in pages]) for k in (1, 2, 3))  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="fit on all pages and save")
    args = parser.parse_args()
    pages = list(aeb_pages())
    data = {
        (i, r): labelled_lines(page["text"][r], page["gold_body"])
        for i, page in enumerate(pages)
        for r in RENDERINGS
    }
    folds = np.random.default_rng(7).permutation(len(pages)) % FOLDS
    outputs: dict[str, list[tuple[str, str]]] = {r: [] for r in RENDERINGS}
    for fold in range(FOLDS):
        train = [v for (i, _), v in data.items() if folds[i] != fold and len(v[0])]
        model = LineModel.from_dict(fit(*stack(train)))
        for (i, rendering), (lines, _, _, _) in data.items():
            if folds[i] == fold:
                probabilities = line_probabilities(lines, model)
                body = body_from_probabilities(lines, probabilities)
                outputs[rendering].append((body, pages[i]["gold_body"]))
    for rendering, pairs in outputs.items():
        p, r, f1 = shingle_scores(pairs)
        print(f"{FOLDS}-fold CV {rendering:11s}: P {p:.3f} R {r:.3f} F1 {f1:.3f}")
    if args.write:
        everything = [v for v in data.values() if len(v[0])]
        stored = {"features": FEATURES, **fit(*stack(everything))}
        OUT.write_text(json.dumps(stored) + "\n")
        print(f"written {OUT}")


if __name__ == "__main__":
    main()
