"""The NLP stage: the pinned pipeline is the one we expect; sentences map back to the body."""

from __future__ import annotations

import spacy
from hypothesis import given
from hypothesis import strategies as st

from dyadwatch.nlp import (
    PIPELINE_IDENTITY,
    PIPELINE_PACKAGE,
    parse,
    parse_all,
    pipeline_identity,
    sentences,
)


def test_installed_pipeline_is_the_pinned_one() -> None:
    nlp = spacy.load(PIPELINE_PACKAGE)
    assert pipeline_identity(nlp) == PIPELINE_IDENTITY
    # the evaluation scores are those of the official release, to every digit
    assert nlp.meta["performance"]["ents_f"] == 0.8433119744


def test_parse_gives_dependencies() -> None:
    doc = parse("Blinken met Xi in Beijing on Monday.")
    root = next(token for token in doc if token.dep_ == "ROOT")
    assert root.text == "met"
    assert {child.dep_ for child in root.children} >= {"nsubj", "dobj"}


SENTENCES = [
    "Blinken met Xi in Beijing on Monday.",
    "Wang Wenbin said the United States must stop arming Taiwan.",
    "The Chinese Foreign Minister and the Secretary of State did not meet in Bali last year.",
    "Xi Jinping and Joe Biden last met in Bali in November 2022, officials said.",
]


def test_the_reduced_parser_gives_the_full_pipelines_arcs_and_parts_of_speech() -> None:
    full = spacy.load(PIPELINE_PACKAGE, exclude=["ner"])
    arcs = [[(t.dep_, t.head.i, t.pos_) for t in doc] for doc in full.pipe(SENTENCES)]
    assert [[(t.dep_, t.head.i, t.pos_) for t in parse(s)] for s in SENTENCES] == arcs
    assert [[(t.dep_, t.head.i, t.pos_) for t in doc] for doc in parse_all(SENTENCES)] == arcs


def test_paragraph_breaks_end_sentences() -> None:
    body = "A headline without a stop\nThe first sentence. The second one.\n\nLast"
    assert [s.text for s in sentences(body)] == [
        "A headline without a stop",
        "The first sentence.",
        "The second one.",
        "Last",
    ]


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_sentences_are_exact_slices_of_the_body(body: str) -> None:
    for sentence in sentences(body):
        assert body[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip() and sentence.text
