from hypothesis import given
from hypothesis import strategies as st

from dyadwatch.dedupe import (
    NEAR_THRESHOLD,
    NearDuplicateIndex,
    body_hash,
    from_bytes,
    minhash_of,
    to_bytes,
)

STORY = (
    "Chinese and American trade negotiators met in Geneva on Monday for two days of talks on "
    "tariffs, export controls and market access, the first such round since the spring. "
    "Officials from both delegations described the atmosphere as constructive but said that "
    "deep differences remained over semiconductors and subsidies for electric vehicles. "
    "A joint statement is expected later in the week, according to people briefed on the talks."
)
OTHER = (
    "Heavy rain flooded several districts of the coastal city overnight, closing schools and "
    "cutting power to thousands of homes while emergency crews worked to clear blocked drains "
    "and rescue residents trapped in low-lying neighbourhoods near the river mouth and harbour."
)


def test_hash_ignores_case_punctuation_and_spacing() -> None:
    assert body_hash("Hello,  World!\n") == body_hash("hello world")
    assert body_hash("hello world") != body_hash("hello there world")


@given(st.text())
def test_hash_and_minhash_never_fail(text: str) -> None:
    assert len(body_hash(text)) == 64
    minhash_of(text)


def test_signature_round_trips_through_bytes() -> None:
    signature = minhash_of(STORY)
    assert signature is not None
    assert from_bytes(to_bytes(signature)).jaccard(signature) == 1.0


def test_edited_republication_matches_and_unrelated_text_does_not() -> None:
    story, other = minhash_of(STORY), minhash_of(OTHER)
    assert story is not None and other is not None
    index = NearDuplicateIndex([(1, to_bytes(story)), (2, to_bytes(other))])
    edited = STORY.replace("on Monday for two days", "this week for two rounds") + " Ends."
    signature = minhash_of(edited)
    assert signature is not None
    match = index.best_match(signature)
    assert match is not None and match.article_id == 1
    assert match.similarity >= NEAR_THRESHOLD


def test_short_texts_get_no_signature() -> None:
    assert minhash_of("Too short to judge.") is None
