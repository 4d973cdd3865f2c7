"""The dyad-relevance pre-filter: every country the actor matcher finds, it finds too (on real
sentences and on texts made of catalogue names), and an article it spares is stored and
tagged as before, with no event lost."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from conftest import REPO, shared_path
from hypothesis import given, settings
from hypothesis import strategies as st

from dyadwatch.actors.prefilter import default_country_words, may_name_two_countries
from dyadwatch.actors.resolve import default_matcher
from dyadwatch.pipeline import ingest
from dyadwatch.store import Store

DAYS = [date(2003, 3, 20), date(2017, 1, 20), date(2023, 6, 21)]  # office holders change


def matched_countries(text: str, on: date) -> set[str]:
    return {m.country for m in default_matcher().find(text, on) if m.country}


def test_it_finds_every_country_the_matcher_finds_in_real_sentences() -> None:
    path = shared_path("bench/events/plv_train.tsv")
    with path.open(encoding="utf-8") as rows:
        sentences = [row["sentence"] for row in csv.DictReader(rows, delimiter="\t")]
    words = default_country_words()
    for sentence in sentences:
        assert matched_countries(sentence, DAYS[-1]) <= words.countries(sentence), sentence


NAMES = sorted(default_matcher().by_alias)
TITLES = sorted(default_matcher().role_titles)
FILLER = ["said", "the", "on Monday", "met", "with", "and", "in", "'s", "-", ",", ".", "\n"]


@settings(max_examples=150, deadline=None)
@given(
    parts=st.lists(
        st.one_of(
            st.sampled_from(NAMES),
            st.sampled_from(TITLES).map(str.title),
            st.sampled_from(TITLES),
            st.sampled_from(FILLER),
        ),
        max_size=12,
    ),
    on=st.sampled_from(DAYS),
)
def test_it_finds_every_country_the_matcher_finds_in_made_up_texts(
    parts: list[str], on: date
) -> None:
    text = " ".join(parts)
    assert matched_countries(text, on) <= default_country_words().countries(text)


def test_texts_naming_one_country_or_none_are_spared() -> None:
    assert not may_name_two_countries("The mayor opened a new bridge over the river.")
    assert not may_name_two_countries("Biden spoke in Washington about American jobs.")
    assert may_name_two_countries("Blinken met Wang Yi in Beijing.")
    assert may_name_two_countries("The Secretary of State met the Chinese foreign minister.")


def coded(db: Path) -> tuple[set[tuple[object, ...]], list[int]]:
    """The event mentions of a store, and its articles left uncoded."""
    with Store(db) as store:
        mentions = {
            (m["article_id"], m["sentence"], e["type"], e["source"]["id"], e["target"]["id"])
            for e in store.events(limit=None)
            for m in e["mentions"]
        }
        return mentions, store.uncoded_ids()


LOCAL_NEWS = """Senate passes the farm bill

Published on 12 March 2021. Biden welcomed the vote in Washington on Friday, and said that
American farmers would see the money by the summer.
"""


def test_the_examples_code_the_same_events_with_and_without_it(tmp_path: Path) -> None:
    """The examples and a one-country article, spared: stored, coded (with no actors), and
    given a tone as before."""
    (tmp_path / "local.txt").write_text(LOCAL_NEWS, encoding="utf-8")
    inputs = [str(REPO / "examples"), str(tmp_path / "local.txt")]
    every = ingest(inputs, tmp_path / "all.db", workers=1, prefilter=False)
    spared = ingest(inputs, tmp_path / "pre.db", workers=1)
    assert every.coding and spared.coding
    assert spared.coding.articles == every.coding.articles  # the spared ones are coded too
    assert spared.coding.actor_mentions < every.coding.actor_mentions
    assert coded(tmp_path / "pre.db") == coded(tmp_path / "all.db")
    with Store(tmp_path / "pre.db") as store:
        toned = [store.article(a["id"]) for a in store.iter_articles() if not a["skip_reason"]]
    assert all(article and article["tone"] is not None for article in toned)
