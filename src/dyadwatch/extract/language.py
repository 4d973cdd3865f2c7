"""Which language an article is written in (py3langid, trained on 97 languages)."""

from __future__ import annotations

import py3langid

MIN_LETTERS = 40  # below this a guess is noise


def detect_language(text: str) -> str | None:
    """ISO 639-1 code, or None when the text is too short to tell."""
    sample = text[:5000]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    code, _score = py3langid.classify(sample)
    return str(code)
