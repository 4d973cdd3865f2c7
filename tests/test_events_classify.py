"""An act's PLOVER type as the sentence words it, its ontology table, and the status cues."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dyadwatch.events.classify import event_status, event_type
from dyadwatch.events.ontology import CAMEO_TO_ROOT, ROOTS, intensity, label_quad


def test_a_meeting_is_a_consultation_with_its_mode() -> None:
    found = event_type(
        "CONSULT", "Blinken met Wang Yi in Beijing on Monday.", "happened", 0.9, "model"
    )
    assert (found.root, found.cameo_root, found.quad, found.mode) == ("CONSULT", "04", 1, "meet")


def test_a_phone_call_is_scored_below_a_meeting() -> None:
    call = event_type("CONSULT", "Biden phoned Zelensky on Friday.", "happened", 0.9, "model")
    assert call.mode == "call"
    assert call.intensity < ROOTS["CONSULT"].intensity


def test_yield_is_a_retreat_when_the_words_tell_one() -> None:
    assert (
        event_type("YIELD", "Russia withdrew its troops.", "happened", 0.9, "m").root == "RETREAT"
    )
    assert event_type("YIELD", "Russia eased its demands.", "happened", 0.9, "m").root == "CONCEDE"


@given(st.sampled_from(sorted(ROOTS)), st.text(max_size=60), st.floats(0.0, 1.0))
def test_any_act_gets_its_table_entries(root: str, sentence: str, confidence: float) -> None:
    found = event_type(root, sentence, "happened", confidence, "model")
    assert found.cameo_root == ROOTS[found.root].cameo_root
    assert found.quad == ROOTS[found.root].quad
    assert found.intensity == intensity(found.root, found.mode)


@pytest.mark.parametrize(
    ("clause", "status"),
    [
        ("the minister did not meet his counterpart", "negated"),
        ("the minister never met his counterpart", "negated"),
        ("the minister will meet his counterpart", "planned"),
        ("the minister plans to visit Paris", "planned"),
        ("the minister is expected to sign the deal", "planned"),
        ("the minister met his counterpart", "happened"),
    ],
)
def test_status_reads_negation_and_future(clause: str, status: str) -> None:
    assert event_status(clause) == status


def test_a_refusal_negates_all_but_a_rejection() -> None:
    clause = "Iran refused to release the tanker"
    assert event_status(clause, "RETREAT") == "negated"
    assert event_status(clause, "REJECT") == "happened"
    assert event_status("Iran did not reject the offer", "REJECT") == "negated"


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Pelosi, the most senior US official to visit Taiwan in decades, met Tsai", "happened"),
        ("Nixon was the first US president to visit China", "happened"),
        ("Blinken is expected to visit China next week", "planned"),
        ("Blinken plans to visit China", "planned"),
        ("China granted the request to visit the island", "planned"),
    ],
)
def test_an_infinitive_after_a_superlative_plans_nothing(text: str, status: str) -> None:
    assert event_status(text) == status


def test_ontology_scores_agree_with_quads() -> None:
    assert len(ROOTS) == 16
    for root in ROOTS.values():
        assert len(root.cameo_root) == 2 and root.cameo_root.isdigit()
        assert -10.0 <= root.intensity <= 10.0
        if root.quad in (1, 2):
            assert root.intensity > 0
        elif root.name != "REQUEST":
            assert root.intensity < 0
    assert label_quad("YIELD") == ROOTS["CONCEDE"].quad == ROOTS["RETREAT"].quad
    assert {CAMEO_TO_ROOT[f"{n:02d}"] for n in range(2, 21)} == set(ROOTS) - {"RETREAT"}


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("He urged the US not to hurt China's legitimate interests.", "happened"),
        ("China warned Japan not to interfere.", "happened"),
        ("He told reporters that the two sides did not meet.", "negated"),
    ],
)
def test_a_request_not_to_act_is_no_denial(sentence: str, status: str) -> None:
    assert event_status(sentence) == status
