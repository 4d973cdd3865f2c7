"""Line features for the plain-text cleaner, and the small tree model that scores them.

Each non-empty line of a scrape is described by what it looks like (length in words and
characters, sentence punctuation, function words, bullets, share/menu words, tail openers
such as "Related posts", comment-thread furniture, sentences, odd punctuation) and by where it
sits (position, prose in windows of 5 to 51 lines around it, the run of short lines or of
prose it is part of, tail openers before and after it, its distance from the page's densest
block of prose, whether the line repeats elsewhere on the page). Gradient-
boosted trees over these are fitted by ``benchmarks/train_text.py`` and shipped, as arrays,
in ``data/text_lines.json``; scoring them needs numpy only.
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
# The opening of a comment thread: it ends the article even when the thread is longer.
COMMENT_OPENERS = re.compile(
    r"^\W*(\d+\s*(comments?|responses?|replies)\b|(comments?|responses?)\s*\(?\d*\)?\W*$|"
    r"leave a (reply|comment)|post a comment|add a comment|join the discussion|"
    r"top rated comments|\d+ thoughts on)",
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
    function_words = sum(w.lower() in FUNCTION_WORDS for w in words)
    sentence_end = bool(SENTENCE_END.search(line))
    bullet = bool(BULLET.match(line))
    letters = "".join(filter(str.isalpha, line))  # counted with C-level maps: lines are long
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
        upper_ratio=sum(map(str.isupper, letters)) / len(letters) if letters else 0.0,
        digit_ratio=sum(map(str.isdigit, line)) / len(line),
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
# Language-agnostic length: a line of Chinese or Japanese is one "word" to WORD, so its
# characters count too (about two to a word), and prose may end in a full-width stop.
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
FULL_STOP = re.compile(r"[.!?。！？…][\"'”’)\]]*$")
# "jdoe says:", "November 19, 2019 at 6:44 am": the furniture of a comment thread.
COMMENT_META = re.compile(
    r"(\bsays?:?$|\bwrote:?$|\breply$|\b\d{1,2}:\d{2}\s*(am|pm)\b|\b(am|pm)\s*$)", re.I
)
LENGTH_FEATURES = ["log_chars", "log_eff_words", "cjk_ratio", "full_stop", "prose_any_script"]
CONTEXT_WINDOWS = (2, 10, 25)
WINDOW_FEATURES = [
    f"{name}~{k}" for k in CONTEXT_WINDOWS for name in ("prose", "log_words", "debris")
]
TAIL_FEATURES = ["tails_before", "tails_after", "comment_meta", "comment_meta~5", "comments_before"]
# The densest prose block of the page (a maximum-sum run of prose words against other lines)
BLOCK_FEATURES = [
    "in_block",
    "lines_to_block",
    "lines_after_block",
    "log_lines_to_block",
    "log_lines_after_block",
    "tails_after_block",
    "block_share",
]
REPEAT_FEATURES = ["log_copies", "same_as_previous", "same_as_next", "seen_before"]
RELATIVE_FEATURES = ["words_vs_longest", "words_vs_median_prose", "log_page_lines", "page_prose"]
# Menus are long runs of short lines, articles runs of prose; prose holds several sentences and
# little punctuation besides commas and stops.
RUN_FEATURES = ["log_short_run", "log_prose_run", "log_sentences", "punctuation_ratio"]
SHORT_LINE = 4  # words
SENTENCE_BREAK = re.compile(r"[.!?。！？][\"'”’)\]]*(?:\s+|$)")
OTHER_PUNCTUATION = re.compile(r"[^\w\s.,;:!?'\"’“”()-]")
FEATURES = (
    SHAPE_FEATURES
    + PAGE_FEATURES
    + [f"{name}@{offset:+d}" for offset in NEIGHBOURS for name in SHAPE_FEATURES]
    + LENGTH_FEATURES
    + WINDOW_FEATURES
    + TAIL_FEATURES
    + BLOCK_FEATURES
    + REPEAT_FEATURES
    + RELATIVE_FEATURES
    + RUN_FEATURES
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
    n = len(lines)
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
            np.arange(n) / n,
            before,
            1 - before - prose_words / total,
            _window_share(prose),
            _window_share(debris),
        ]
    )
    padded = np.vstack([np.zeros((2, own.shape[1])), own, np.zeros((2, own.shape[1]))])
    shifted = [padded[2 + offset : 2 + offset + n] for offset in NEIGHBOURS]

    words = np.array([s.words for s in shapes], dtype=float)
    chars = np.array([len(line) for line in lines], dtype=float)
    cjk = np.array([len(CJK.findall(line)) for line in lines], dtype=float)
    effective = np.maximum(words, cjk / 2)
    full_stop = np.array([bool(FULL_STOP.search(line)) for line in lines], dtype=float)
    any_prose = np.maximum(prose, (effective >= PROSE_MIN_WORDS) & (full_stop > 0))
    log_words = np.log1p(effective)
    length = np.column_stack(
        [np.log1p(chars), log_words, cjk / np.maximum(chars, 1), full_stop, any_prose]
    )
    windows = np.column_stack(
        [
            _window_mean(flags, k)
            for k in CONTEXT_WINDOWS
            for flags in (any_prose, log_words, debris)
        ]
    )
    tails = np.array([s.tail_opener for s in shapes], dtype=float)
    comment = np.array(
        [len(line) < 80 and bool(COMMENT_META.search(line)) for line in lines], dtype=float
    )
    tails_before = np.cumsum(tails) - tails
    tail = np.column_stack(
        [
            np.log1p(tails_before),
            np.log1p(tails.sum() - tails_before - tails),
            comment,
            _window_mean(comment, 5),
            np.log1p(np.cumsum(comment) - comment),
        ]
    )
    return np.hstack(
        [
            own,
            page,
            *shifted,
            length,
            windows,
            tail,
            _block_features(any_prose, effective, tails),
            _repeat_features(lines),
            _relative_features(effective, any_prose),
            _run_features(lines, effective, any_prose),
        ]
    )


def _window_share(flags: np.ndarray) -> np.ndarray:
    """For each line, the share of flagged lines among the 2 x WINDOW + 1 around it."""
    padded = np.concatenate([np.zeros(WINDOW), flags, np.zeros(WINDOW)])
    sums = np.convolve(padded, np.ones(2 * WINDOW + 1), mode="valid")
    return sums / (2 * WINDOW + 1)


def _window_mean(values: np.ndarray, k: int) -> np.ndarray:
    """For each line, the sum of ``values`` over the 2k + 1 lines around it, over 2k + 1."""
    sums = np.concatenate([[0.0], np.cumsum(values)])
    index = np.arange(len(values))
    low, high = np.clip(index - k, 0, len(values)), np.clip(index + k + 1, 0, len(values))
    return (sums[high] - sums[low]) / (2 * k + 1)


def max_sum_run(scores: np.ndarray) -> tuple[int, int]:
    """[start, end) of the contiguous run with the largest positive sum (Kadane)."""
    best, span = 0.0, (0, 0)
    running, run_start = 0.0, 0
    for index, score in enumerate(scores.tolist()):
        if running <= 0:
            running, run_start = 0.0, index
        running += score
        if running > best:
            best, span = running, (run_start, index + 1)
    return span


def _block_features(prose: np.ndarray, words: np.ndarray, tails: np.ndarray) -> np.ndarray:
    """Where each line is relative to the page's densest block of prose."""
    n = len(prose)
    start, end = max_sum_run(np.where(prose > 0, words, -np.minimum(words, 3) - 1))
    index = np.arange(n)
    tails_seen = np.cumsum(tails)
    tails_after = np.where(index >= end, tails_seen - (tails_seen[end - 1] if end > 0 else 0), 0)
    prose_words = prose * words
    return np.column_stack(
        [
            ((index >= start) & (index < end)).astype(float),
            np.clip(start - index, 0, None) / n,
            np.clip(index - end + 1, 0, None) / n,
            np.log1p(np.abs(index - start)) * (index < start),
            np.log1p(np.abs(index - end + 1)) * (index >= end),
            np.log1p(tails_after),
            np.full(n, prose_words[start:end].sum() / (prose_words.sum() or 1.0)),
        ]
    )


def _repeat_features(lines: list[str]) -> np.ndarray:
    """Lines printed more than once (captions, menus, share rows), next to each other or not."""
    keys = [" ".join(line.lower().split()) for line in lines]
    copies = Counter(keys)
    first: dict[str, int] = {}
    for index, key in enumerate(keys):
        first.setdefault(key, index)
    previous = [False, *(a == b for a, b in zip(keys, keys[1:], strict=False))]
    following = [*(a == b for a, b in zip(keys, keys[1:], strict=False)), False]
    return np.column_stack(
        [
            np.log1p([copies[key] - 1 for key in keys]),
            np.array(previous, dtype=float),
            np.array(following, dtype=float),
            np.array([first[key] < index for index, key in enumerate(keys)], dtype=float),
        ]
    )


def _relative_features(words: np.ndarray, prose: np.ndarray) -> np.ndarray:
    """A line's length against the page's longest line and its typical prose line."""
    n = len(words)
    prose_lengths = words[prose > 0]
    median = float(np.median(prose_lengths)) if len(prose_lengths) else 1.0
    return np.column_stack(
        [
            words / (words.max() or 1.0),
            np.log1p(words) - np.log1p(median),
            np.full(n, math.log1p(n)),
            np.full(n, prose.mean()),
        ]
    )


def _run_features(lines: list[str], words: np.ndarray, prose: np.ndarray) -> np.ndarray:
    """The length of the run of short lines, or of prose lines, that a line is part of, and
    how many sentences and how much odd punctuation (|, », #, emoji) it holds."""
    sentences = [len(SENTENCE_BREAK.findall(line)) for line in lines]
    odd = [len(OTHER_PUNCTUATION.findall(line)) / len(line) for line in lines]
    return np.column_stack(
        [
            np.log1p(_run_lengths(words <= SHORT_LINE)),
            np.log1p(_run_lengths(prose > 0)),
            np.log1p(sentences),
            np.array(odd),
        ]
    )


def _run_lengths(flags: np.ndarray) -> np.ndarray:
    """For each flagged line, the length of the run of flagged lines it belongs to; else 0."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], flags.astype(int), [0]])))
    lengths = np.zeros(len(flags))
    for start, end in zip(edges[::2], edges[1::2], strict=True):
        lengths[start:end] = end - start
    return lengths


@dataclass(frozen=True)
class LineModel:
    """Gradient-boosted trees over the features (fitted by train_text.py), scored with numpy.

    Node ``g`` of the flattened forest tests feature ``feature[g]``; a line goes on to
    ``children[2g]`` when its value is <= ``threshold[g]``, else to ``children[2g + 1]``. A
    leaf points to itself, so every line takes ``depth`` steps down all the trees at once and
    ends on the leaves whose ``value`` (plus ``bias``) make its logit."""

    feature: np.ndarray
    threshold: np.ndarray
    children: np.ndarray
    value: np.ndarray
    roots: np.ndarray  # the first node of each tree
    bias: float
    depth: int

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        if not len(features):
            return np.zeros(0)
        lines, width = features.shape
        flat = np.ascontiguousarray(features, dtype=float).ravel()
        offsets = (np.arange(lines) * width)[:, None]
        node = np.tile(self.roots, (lines, 1))
        for _ in range(self.depth):
            goes_right = flat[offsets + self.feature[node]] > self.threshold[node]
            node = self.children[2 * node + goes_right]
        logits = self.value[node].sum(axis=1) + self.bias
        return 1 / (1 + np.exp(-np.clip(logits, -30, 30)))

    @classmethod
    def from_dict(cls, stored: dict[str, Any]) -> LineModel:
        """From the stored arrays: one row per tree, one column per node, children indexed
        within their tree."""
        feature = np.array(stored["feature"], dtype=np.intp)
        trees, nodes = feature.shape
        roots = np.arange(trees, dtype=np.intp) * nodes
        left = np.array(stored["left"], dtype=np.intp) + roots[:, None]
        right = np.array(stored["right"], dtype=np.intp) + roots[:, None]
        return cls(
            feature.ravel(),
            np.array(stored["threshold"], dtype=float).ravel(),
            np.stack([left.ravel(), right.ravel()], axis=1).ravel(),
            np.array(stored["value"], dtype=float).ravel(),
            roots,
            float(stored["bias"]),
            int(stored["depth"]),
        )


@cache
def line_model() -> LineModel:
    stored = json.loads(
        resources.files("dyadwatch").joinpath("data/text_lines.json").read_text(encoding="utf-8")
    )
    if stored["features"] != FEATURES:
        raise RuntimeError("data/text_lines.json was fitted on other features: retrain it")
    return LineModel.from_dict(stored)
