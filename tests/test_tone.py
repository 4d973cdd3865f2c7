"""Tone of a text and of the sentences that mention an actor."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dyadwatch.tone import tone, tone_toward

HOSTILE = "Beijing furiously condemned the reckless and dangerous provocation."
FRIENDLY = "The two sides held warm, friendly and productive talks."


def test_hostile_is_below_zero_and_friendly_above() -> None:
    assert tone(HOSTILE) < 0 < tone(FRIENDLY)


def test_empty_text_is_neutral() -> None:
    assert tone("") == 0.0
    assert tone("  \n ") == 0.0


def test_long_text_is_the_mean_of_its_sentences() -> None:
    mixed = tone(f"{HOSTILE} {FRIENDLY}")
    assert tone(HOSTILE) < mixed < tone(FRIENDLY)


def test_tone_toward_reads_only_sentences_with_a_mention() -> None:
    text = f"{FRIENDLY} {HOSTILE}"
    hostile_start = text.index("Beijing")
    assert tone_toward(text, [(0, 3)]) == tone(FRIENDLY)
    assert tone_toward(text, [(hostile_start, hostile_start + 7)]) == tone(HOSTILE)
    assert tone_toward(text, [(0, 3), (hostile_start, hostile_start + 7)]) == tone(text)


def test_tone_toward_is_none_without_a_mentioning_sentence() -> None:
    assert tone_toward(FRIENDLY, [(500, 510)]) is None
    assert tone_toward(FRIENDLY, []) is None


@given(st.text(max_size=300))
def test_tone_is_bounded_for_any_text(text: str) -> None:
    assert -1.0 <= tone(text) <= 1.0
