"""Issue tags with their trigger words, and tone."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dyadwatch.issues import Tagger, TaxonomyError, load_taxonomy, tag_issues
from dyadwatch.tone import tone, tone_toward


def issues_of(text: str) -> dict[str, tuple[str, ...]]:
    return {tag.issue: tag.triggers for tag in tag_issues(text)}


def test_tags_name_their_triggers() -> None:
    found = issues_of("PLA drills in the Taiwan Strait; the Entity List grew; Taiwanese voters")
    assert set(found["taiwan"]) == {"Taiwan Strait", "Taiwanese"}
    assert found["technology-export-controls"] == ("Entity List",)
    assert "military-security" in found


def test_acronyms_match_only_as_written() -> None:
    assert "health-covid" in issues_of("The WHO called for data.")
    assert "health-covid" not in issues_of("Officials who spoke declined to comment.")


def test_unrelated_text_has_no_issue() -> None:
    assert tag_issues("The weather was pleasant and the match ended in a draw.") == []


def test_articles_need_more_than_one_passing_word() -> None:
    assert tag_issues("Officials mentioned Taiwan once.", min_hits=2) == []


def test_user_taxonomy_adds_and_overrides(tmp_path: Path) -> None:
    extra = tmp_path / "issues.csv"
    extra.write_text("issue,label,terms\ntaiwan,Cross-strait,ROC\narctic,Arctic,Arctic|Svalbard\n")
    tagger = Tagger.build(load_taxonomy(extra))
    assert [t.issue for t in tagger.tag("Arctic shipping and the ROC")] == ["arctic", "taiwan"]
    assert tagger.tag("Taiwan alone") == []


def test_malformed_taxonomy_names_file_and_line(tmp_path: Path) -> None:
    extra = tmp_path / "bad.csv"
    extra.write_text("issue,label,terms\nok,Ok,word\nbroken,,\n")
    with pytest.raises(TaxonomyError, match="bad.csv, line 3"):
        load_taxonomy(extra)


@given(st.text(max_size=400))
def test_triggers_are_words_of_the_text(text: str) -> None:
    for tag in tag_issues(text):
        assert all(trigger in text for trigger in tag.triggers)


def test_tone_separates_hostile_from_friendly() -> None:
    hostile = tone("Beijing furiously condemned the reckless and dangerous provocation.")
    friendly = tone("The two sides held warm, friendly and productive talks.")
    assert hostile < 0 < friendly
    assert tone("") == 0.0


def test_tone_toward_reads_only_the_sentences_naming_an_actor() -> None:
    text = "Xi praised the wonderful talks. The weather was awful and terrible."
    assert tone_toward(text, [(0, 2)]) is not None and tone_toward(text, [(0, 2)]) > 0
    assert tone_toward(text, [(500, 510)]) is None
