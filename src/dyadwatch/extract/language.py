"""Which language an article is written in (py3langid's model)."""

from __future__ import annotations

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

MIN_LETTERS = 40  # below this a guess is noise
SAMPLE_CHARS = 5000
NO_LANGUAGE = "zxx"  # the model's class for text without linguistic content


def detect_language(text: str) -> str | None:
    """ISO 639-1 code, or None when the text is too short or not language at all."""
    sample = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    code, _score = _identifier().classify(sample)
    return None if code == NO_LANGUAGE else str(code)


@cache
def _identifier() -> LanguageIdentifier:
    # Our own instance, so restricting it leaves py3langid's shared one alone. Languages with
    # no two-letter code (Egyptian Arabic, Cantonese...) fold into their nearest neighbour.
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    two_letter = [code for code in identifier.nb_classes if len(code) == 2]
    identifier.set_languages([*two_letter, NO_LANGUAGE])
    return identifier
