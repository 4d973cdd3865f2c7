"""Candidate pairs: which actor pairs the pair coder is asked about, marked where they are."""

from __future__ import annotations

from datetime import date

from dyadwatch.actors.resolve import default_matcher
from dyadwatch.events.candidates import MAX_ACTORS_PER_SIDE, candidates
from dyadwatch.events.coref import sentence_actors
from dyadwatch.events.pair_model import FIRST_OPEN, SECOND_OPEN

ON = date(2023, 6, 21)


def pairs_of(body: str) -> list[tuple[str, str, str]]:
    """(source, target, text read) of each way of each candidate pair."""
    told = list(sentence_actors(body, default_matcher(), ON))
    return [
        (source.text, target.text, c.marked.text)
        for c in candidates(told)
        for source, target, _ in c.directions()
    ]


def test_every_pair_of_two_sides_is_a_candidate_both_ways_marked_where_it_is() -> None:
    body = "Antony Blinken met Xi Jinping in Beijing."
    (found,) = candidates(list(sentence_actors(body, default_matcher(), ON)))
    assert (found.first.text, found.second.text) == ("Antony Blinken", "Xi Jinping")
    assert [(s.text, t.text, way) for s, t, way in found.directions()] == [
        ("Antony Blinken", "Xi Jinping", True),
        ("Xi Jinping", "Antony Blinken", False),
    ]
    assert found.marked.text.startswith(FIRST_OPEN + "Antony Blinken", found.marked.first_at)
    assert found.marked.text.startswith(SECOND_OPEN + "Xi Jinping", found.marked.second_at)


def test_actors_of_one_side_are_never_paired() -> None:
    assert pairs_of("Antony Blinken and Joe Biden spoke in Washington.") == []


def test_a_sentence_naming_one_side_gives_no_pair_whatever_came_before() -> None:
    body = "The US approved arms sales to Taiwan. China said it firmly opposed the sales."
    assert all("opposed" not in text for _, _, text in pairs_of(body))


def test_a_short_form_of_an_actor_named_before_is_a_source_only() -> None:
    body = "Antony Blinken arrived in Beijing. He met Xi Jinping on Monday."
    found = pairs_of(body)
    assert ("He", "Xi Jinping") in {(s, t) for s, t, _ in found}
    assert all(target != "He" for _, target, _ in found)


def test_at_most_a_few_actors_a_side_and_each_once() -> None:
    body = (
        "Xi Jinping, Wang Yi, Qin Gang, Li Qiang and Xi Jinping again met Antony Blinken, "
        "who met Xi Jinping."
    )
    found = pairs_of(body)
    sources = [s for s, t, _ in found if t == "Antony Blinken"]
    assert len(sources) == len(set(sources)) == MAX_ACTORS_PER_SIDE
