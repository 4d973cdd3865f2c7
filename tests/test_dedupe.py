import random

from datasketch import MinHash, MinHashLSH
from hypothesis import given, settings
from hypothesis import strategies as st

from dyadwatch.dedupe import (
    BANDS,
    MIN_JACCARD,
    NUM_PERM,
    ROWS,
    band_keys,
    best_match,
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


# Menu, share-bar and footer words a page carries around its body.
CHROME = ["home", "news", "share", "tweet", "email", "print", "login", "privacy", "related"]


def shares_a_band(first: MinHash, second: MinHash) -> bool:
    return bool(set(enumerate(band_keys(first))) & set(enumerate(band_keys(second))))


def match_of(stored: list[str], text: str) -> int | None:
    """The stored text (numbered from 1) that the text is a near copy of, sought as the
    store seeks it: among the stored texts sharing a band key with it."""
    signature = minhash_of(text)
    assert signature is not None
    candidates = []
    for number, other in enumerate(stored, 1):
        found = minhash_of(other)
        assert found is not None
        if shares_a_band(signature, found):
            candidates.append((number, to_bytes(found)))
    match = best_match(signature, candidates)
    return match.article_id if match else None


def chrome(words: int, seed: int) -> str:
    pick = random.Random(seed)
    return " ".join(pick.choice(CHROME) for _ in range(words))


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
    edited = STORY.replace("on Monday for two days", "this week for two rounds") + " Ends."
    assert match_of([STORY, OTHER], edited) == 1


def test_short_texts_get_no_signature() -> None:
    assert minhash_of("Too short to judge.") is None


def test_page_read_with_much_more_boilerplate_is_a_copy() -> None:
    # More boilerplate than body: Jaccard about 0.4, yet all of the body is there.
    scrape = f"{chrome(40, 1)}\n{STORY}\n{chrome(40, 2)}"
    assert match_of([STORY, OTHER], scrape) == 1
    assert match_of([scrape, OTHER], STORY) == 1


@settings(deadline=None)  # a minhash of each text: slow on busy cores
@given(
    st.lists(st.sampled_from(CHROME), max_size=20),
    st.lists(st.sampled_from(CHROME), max_size=20),
)
def test_body_inside_half_as_much_boilerplate_is_a_copy(
    before: list[str], after: list[str]
) -> None:
    page = " ".join([*before, STORY, *after])
    assert match_of([OTHER, STORY], page) == 2


def test_articles_sharing_a_sites_boilerplate_are_not_copies() -> None:
    footer = chrome(40, 3)
    assert match_of([f"{STORY} {footer}"], f"{OTHER} {footer}") is None


def test_digest_quoting_a_whole_story_is_not_its_copy() -> None:
    digest = f"{chrome(300, 4)} {STORY} {chrome(300, 5)}"
    assert match_of([STORY], digest) is None
    assert match_of([digest], STORY) is None


def test_bands_are_those_datasketch_chooses() -> None:
    lsh = MinHashLSH(threshold=MIN_JACCARD, num_perm=NUM_PERM)
    assert (lsh.b, lsh.r) == (BANDS, ROWS)


WORDS = STORY.split() + OTHER.split()


@settings(deadline=None, max_examples=50)
@given(
    st.lists(st.lists(st.sampled_from(WORDS), min_size=18, max_size=60), min_size=2, max_size=8),
    st.randoms(use_true_random=False),
)
def test_texts_sharing_a_band_key_are_those_minhash_lsh_pairs(
    texts: list[list[str]], rng: random.Random
) -> None:
    """Band keys find the candidates datasketch's MinHashLSH finds (edited copies among them)."""
    edited = [[w for w in text if rng.random() > 0.2] + text[:5] for text in texts]
    signatures = [s for s in map(minhash_of, map(" ".join, texts + edited)) if s]
    lsh = MinHashLSH(threshold=MIN_JACCARD, num_perm=NUM_PERM)
    for number, signature in enumerate(signatures):
        lsh.insert(number, signature)
    for signature in signatures:
        pairs = {n for n, other in enumerate(signatures) if shares_a_band(signature, other)}
        assert pairs == set(lsh.query(signature))
