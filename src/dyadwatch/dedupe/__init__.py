"""Stage: dedupe. Exact copies by normalised-text hash, near copies by MinHash LSH.

A wire story republished by several sites, or one page ingested as HTML and as text,
becomes one canonical article; every copy stays stored, pointing to it. The store keeps each
canonical article's band keys indexed: a new article's candidates are the articles sharing
one of its keys, and only their signatures are read.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
SCHEME = "affine32"  # stored signatures must be read back with the scheme that made them
SHINGLE_WORDS = 4
# A near copy is judged by how much of the shorter text lies in the longer one (over 4-word
# shingles), not by Jaccard: the HTML extractor and the text cleaner keep different amounts
# of a page around the same body, and Jaccard falls with the length gap alone. Copies of one
# page mostly share 90% or more; different articles sharing a site's boilerplate, a third.
NEAR_CONTAINMENT = 0.7
# ... unless the longer text is many times longer (a digest quoting a whole story is not its
# copy). The LSH is built for this Jaccard, well below the decision's: its banding finds 2/3
# of the pairs at 0.2 and 97% at 0.35 (built for 0.6, it found only 40% of those at 0.6).
MIN_JACCARD = 0.2
MIN_SHINGLES = 15  # shorter texts are too small for a trustworthy near-duplicate call
# LSH banding: two signatures are candidates when they agree on all the values of one band.
# These are the bands datasketch's MinHashLSH chooses for MIN_JACCARD over NUM_PERM (false
# positives and negatives weighed alike). Two 32-bit values make a band's key one 64-bit
# integer, which the store indexes; stored keys follow these numbers, so changing them means
# filling the keys again (a migration).
BANDS, ROWS = 28, 2


def normalise(text: str) -> list[str]:
    """Lower-cased word tokens, accents and punctuation folded away."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    if not folded.isascii():  # ASCII has no combining marks: most bodies skip this loop
        folded = "".join(c for c in folded if not unicodedata.combining(c))
    return re.findall(r"\w+", folded)


def body_hash(text: str) -> str:
    return _hash_words(normalise(text))


def fingerprint(text: str) -> tuple[str, MinHash | None]:
    """``body_hash`` and ``minhash_of`` of one text, normalising it once."""
    words = normalise(text)
    return _hash_words(words), _minhash_of_words(words)


def _hash_words(words: list[str]) -> str:
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


def shingles(words: list[str]) -> set[str]:
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def minhash_of(text: str) -> MinHash | None:
    return _minhash_of_words(normalise(text))


def _minhash_of_words(words: list[str]) -> MinHash | None:
    grams = shingles(words)
    if len(grams) < MIN_SHINGLES:
        return None
    signature = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    signature.update_batch([g.encode() for g in grams])
    return signature


def to_bytes(signature: MinHash) -> bytes:
    return signature.hashvalues.astype(np.uint32).tobytes()


def from_bytes(data: bytes) -> MinHash:
    return MinHash(
        num_perm=NUM_PERM, hashvalues=np.frombuffer(data, dtype=np.uint32), scheme=SCHEME
    )


class DuplicateLink(NamedTuple):
    """How a stored copy points to its canonical article."""

    canonical_id: int
    kind: str  # "exact" or "near"
    similarity: int  # estimated Jaccard in percent (100 for exact copies)


@dataclass(frozen=True)
class NearMatch:
    article_id: int
    similarity: float  # estimated Jaccard
    containment: float  # estimated share of the shorter text's shingles in the other text


def near_match(article_id: int, signature: MinHash, other: MinHash) -> NearMatch:
    """Jaccard and containment estimated from the signatures (set sizes from MinHash.count)."""
    jaccard = signature.jaccard(other)
    sizes = signature.count(), other.count()
    shared = jaccard * sum(sizes) / (1 + jaccard)
    return NearMatch(article_id, jaccard, float(min(1.0, shared / max(1.0, min(sizes)))))


def is_near_copy(match: NearMatch) -> bool:
    return match.similarity >= MIN_JACCARD and match.containment >= NEAR_CONTAINMENT


def band_keys(signature: MinHash) -> list[int]:
    """The signature's key in each band, in band order: its values as signed 64-bit integers."""
    values = np.ascontiguousarray(signature.hashvalues[: BANDS * ROWS], dtype="<u4")
    return [int(key) for key in values.view("<i8")]


def best_match(signature: MinHash, candidates: Iterable[tuple[int, bytes]]) -> NearMatch | None:
    """The most similar near copy among the candidates' stored signatures, oldest on ties."""
    found = (near_match(article_id, signature, from_bytes(data)) for article_id, data in candidates)
    matches = [match for match in found if is_near_copy(match)]
    return max(matches, key=lambda m: (m.similarity, -m.article_id), default=None)
