"""Stage: tone. How positive or negative a text is, from VADER's lexicon (shipped inside the
vaderSentiment package), averaged over sentences so long articles are not pushed to the ends."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from dyadwatch.nlp import sentences


@cache
def _analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def sentence_tone(text: str) -> float:
    """VADER's compound score of one sentence, -1 (hostile) to +1 (friendly)."""
    return float(_analyzer().polarity_scores(text)["compound"]) if text.strip() else 0.0


def tone(text: str) -> float:
    """Mean sentence tone of a text, -1..+1; 0.0 for an empty text."""
    scores = [sentence_tone(s.text) for s in sentences(text)]
    return round(sum(scores) / len(scores), 3) if scores else 0.0


def tone_toward(text: str, spans: Sequence[tuple[int, int]]) -> float | None:
    """Mean tone of the sentences that contain one of the spans (an actor's mentions)."""
    scores = [
        sentence_tone(s.text)
        for s in sentences(text)
        if any(s.start <= start < s.end for start, _ in spans)
    ]
    return round(sum(scores) / len(scores), 3) if scores else None
