"""Line features for the plain-text cleaner, and the small logistic model that scores them.

Each non-empty line of a scrape is described by what it looks like (length, sentence
punctuation, function words, bullets, share/menu words, tail openers such as "Related
posts") and by where it sits (position, prose around it, tail openers before it, whether the
line repeats elsewhere on the page). The weights are fitted by ``benchmarks/train_text.py``
and shipped in ``data/text_lines.json``.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
SENTENCE_END = re.compile(r"[.!?…:;][\"'”’)\]]*$")
BULLET = re.compile(r"^\s*(?:[•□■▪●◦*+·>|-]|\d{1,2}[.)]|\[\d+\])\s")
LINKISH = re.compile(r"https?://|www\.|\.(com|org|net)\b|@\w+\.\w+")
SEPARATORS = re.compile(r"[|»›/]\s")
FUNCTION_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "and",
        "or",
        "but",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "that",
        "this",
        "with",
        "for",
        "on",
        "at",
        "by",
        "from",
        "as",
        "it",
        "its",
        "he",
        "she",
        "they",
        "we",
        "his",
        "her",
        "their",
        "said",
        "says",
        "not",
        "which",
        "who",
        "will",
        "would",
        "could",
        "should",
        "can",
        "than",
        "then",
        "there",
        "into",
        "about",
        "after",
        "before",
        "over",
        "more",
        "also",
    ]
)
TAIL_OPENERS = re.compile(
    r"^\W*(related (posts|articles|stories|news|content|coverage|topics)|more (from|stories|news|"
    r"on this)|recommended|read (more|next|also)|also read|you (may|might) (also )?like|"
    r"latest (posts|news|stories)|popular (posts|stories)|most (read|popular|viewed)|"
    r"leave a (reply|comment)|post a comment|\d* ?comments?\b|\d+ responses? to|add a comment|"
    r"share this|%d bloggers like this|like this:|sign up|subscribe to|newsletter|copyright|©|"
    r"all rights reserved|tags?:|filed under|about the author|trending|don['’]t miss|"
    r"top stories)",
    re.IGNORECASE,
)
BOILERPLATE = re.compile(
    r"\b(share|tweet|facebook|twitter|linkedin|whatsapp|pinterest|telegram|email|print|"
    r"advertisement|cookie|cookies|subscribe|log ?in|sign ?in|sign up|menu|search|skip to|"
    r"tumblr|reddit|instagram|youtube|x|copy link)\b",
    re.IGNORECASE,
)
PROSE_MIN_WORDS = 10
WINDOW = 5


def is_share_row(line: str, words: int) -> bool:
    """ "Facebook Twitter LinkedIn Email": mostly the names of buttons."""
    return words > 0 and len(BOILERPLATE.findall(line)) >= words * 0.5


@dataclass(frozen=True)
class LineShape:
    """What one line looks like, on its own."""

    words: int
    prose: bool
    sentence_end: bool
    function_ratio: float
    bullet: bool
    debris: bool
    tail_opener: bool
    upper_ratio: float
    digit_ratio: float
    title_case_ratio: float
    separators: bool
    linkish: bool


def line_shape(line: str) -> LineShape:
    words = WORD.findall(line)
    count = len(words)
    function_words = sum(1 for w in words if w.lower() in FUNCTION_WORDS)
    sentence_end = bool(SENTENCE_END.search(line))
    bullet = bool(BULLET.match(line))
    letters = [c for c in line if c.isalpha()]
    prose = (
        count >= PROSE_MIN_WORDS and not bullet and (sentence_end or function_words >= count * 0.2)
    )
    debris = (
        not words
        or (bullet and count < PROSE_MIN_WORDS)
        or (count <= 6 and bool(BOILERPLATE.search(line)) and not sentence_end)
        or is_share_row(line, count)
    )
    return LineShape(
        words=count,
        prose=prose,
        sentence_end=sentence_end,
        function_ratio=function_words / count if count else 0.0,
        bullet=bullet,
        debris=debris,
        tail_opener=len(line) < 80 and bool(TAIL_OPENERS.match(line)),
        upper_ratio=sum(c.isupper() for c in letters) / len(letters) if letters else 0.0,
        digit_ratio=sum(c.isdigit() for c in line) / len(line),
        title_case_ratio=sum(w[0].isupper() for w in words) / count if count else 0.0,
        separators=bool(SEPARATORS.search(line)),
        linkish=bool(LINKISH.search(line)),
    )


SHAPE_FEATURES = [
    "log_words",
    "prose",
    "sentence_end",
    "function_ratio",
    "bullet",
    "debris",
    "tail_opener",
    "upper_ratio",
    "digit_ratio",
    "title_case_ratio",
    "separators",
    "linkish",
    "long",
    "repeated",
    "comma_density",
    "mean_word_length",
]
PAGE_FEATURES = ["position", "prose_before", "prose_after", "prose_window", "debris_window"]
NEIGHBOURS = (-2, -1, 1, 2)  # the shape of the lines around also tells
FEATURES = (
    SHAPE_FEATURES
    + PAGE_FEATURES
    + [f"{name}@{offset:+d}" for offset in NEIGHBOURS for name in SHAPE_FEATURES]
)


def _shape_row(line: str, shape: LineShape, repeated: bool) -> list[float]:
    words = WORD.findall(line)
    return [
        math.log1p(shape.words),
        float(shape.prose),
        float(shape.sentence_end),
        shape.function_ratio,
        float(shape.bullet),
        float(shape.debris),
        float(shape.tail_opener),
        shape.upper_ratio,
        shape.digit_ratio,
        shape.title_case_ratio,
        float(shape.separators),
        float(shape.linkish),
        float(len(line) > 400),
        float(repeated),
        line.count(",") / max(shape.words, 1),
        sum(map(len, words)) / len(words) / 10 if words else 0.0,
    ]


def page_features(lines: list[str]) -> np.ndarray:
    """One row of ``FEATURES`` per line (lines must be non-empty)."""
    if not lines:
        return np.zeros((0, len(FEATURES)))
    counts = Counter(lines)
    shapes = [line_shape(line) for line in lines]
    own = np.array(
        [
            _shape_row(line, shape, counts[line] > 1)
            for line, shape in zip(lines, shapes, strict=True)
        ]
    )
    prose_words = np.array([s.words if s.prose else 0 for s in shapes], dtype=float)
    total = prose_words.sum() or 1.0
    before = (np.cumsum(prose_words) - prose_words) / total
    prose = np.array([s.prose for s in shapes], dtype=float)
    debris = np.array([s.debris for s in shapes], dtype=float)
    page = np.column_stack(
        [
            np.arange(len(lines)) / len(lines),
            before,
            1 - before - prose_words / total,
            _window_share(prose),
            _window_share(debris),
        ]
    )
    padded = np.vstack([np.zeros((2, own.shape[1])), own, np.zeros((2, own.shape[1]))])
    shifted = [padded[2 + offset : 2 + offset + len(lines)] for offset in NEIGHBOURS]
    return np.hstack([own, page, *shifted])


def _window_share(flags: np.ndarray) -> np.ndarray:
    """For each line, the share of flagged lines among the 2 x WINDOW + 1 around it."""
    padded = np.concatenate([np.zeros(WINDOW), flags, np.zeros(WINDOW)])
    sums = np.convolve(padded, np.ones(2 * WINDOW + 1), mode="valid")
    return sums / (2 * WINDOW + 1)


@dataclass(frozen=True)
class LineModel:
    """A one-hidden-layer network over standardised features (fitted by train_text.py)."""

    means: np.ndarray
    scales: np.ndarray
    hidden_weights: np.ndarray
    hidden_bias: np.ndarray
    output_weights: np.ndarray
    output_bias: float

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        if not len(features):
            return np.zeros(0)
        hidden = np.tanh(
            ((features - self.means) / self.scales) @ self.hidden_weights + self.hidden_bias
        )
        logits = hidden @ self.output_weights + self.output_bias
        return 1 / (1 + np.exp(-np.clip(logits, -30, 30)))

    @classmethod
    def from_dict(cls, stored: dict[str, Any]) -> LineModel:
        return cls(
            np.array(stored["means"]),
            np.array(stored["scales"]),
            np.array(stored["hidden_weights"]),
            np.array(stored["hidden_bias"]),
            np.array(stored["output_weights"]),
            float(stored["output_bias"]),
        )


@cache
def line_model() -> LineModel:
    stored = json.loads(
        resources.files("dyadwatch").joinpath("data/text_lines.json").read_text(encoding="utf-8")
    )
    if stored["features"] != FEATURES:
        raise RuntimeError("data/text_lines.json was fitted on other features: retrain it")
    return LineModel.from_dict(stored)
