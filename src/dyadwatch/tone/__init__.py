"""Stage: tone. How positive or negative a text is, from VADER's lexicon (shipped inside the
vaderSentiment package), averaged over sentences so long articles are not pushed to the ends."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from dyadwatch.nlp import Sentence, sentences


@cache
def _analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def sentence_tone(text: str) -> float:
    """VADER's compound score of one sentence, -1 (hostile) to +1 (friendly)."""
    return float(_analyzer().polarity_scores(text)["compound"]) if text.strip() else 0.0


def tone(text: str) -> float:
    """Mean sentence tone of a text, -1..+1; 0.0 for an empty text."""
    mean = _mean_tone(sentences(text))
    return 0.0 if mean is None else mean


def tone_toward(text: str, spans: Sequence[tuple[int, int]]) -> float | None:
    """Mean tone of the sentences overlapping one of the character spans (an actor's
    mentions); None when no sentence does."""
    return _mean_tone(
        s for s in sentences(text) if any(start < s.end and s.start < end for start, end in spans)
    )


def _mean_tone(chosen: Iterable[Sentence]) -> float | None:
    scores = [sentence_tone(s.text) for s in chosen]
    return round(sum(scores) / len(scores), 3) if scores else None
