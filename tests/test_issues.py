"""Issue tags: which terms trigger which issue, and the taxonomy files they come from."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dyadwatch.issues import Tagger, TaxonomyError, load_taxonomy, tag_issues


def triggers_by_issue(text: str, min_hits: int = 1) -> dict[str, tuple[str, ...]]:
    return {tag.issue: tag.triggers for tag in tag_issues(text, min_hits)}


def write_csv(path: Path, rows: str) -> Path:
    path.write_text("issue,label,terms\n" + rows, encoding="utf-8")
    return path


def test_a_phrase_wins_over_its_first_word() -> None:
    found = triggers_by_issue("Chinese warships crossed the Taiwan Strait on Monday.")
    assert found["taiwan"] == ("Taiwan Strait",)


def test_demonyms_and_spelling_variants_are_triggers() -> None:
    assert triggers_by_issue("Taiwanese voters went to the polls.")["taiwan"] == ("Taiwanese",)
    assert "taiwan" in triggers_by_issue("Cross strait tensions rose.")
    assert "military-dialogue-security" in triggers_by_issue("The People’s Liberation Army")


def test_chips_and_the_entity_list_are_export_controls() -> None:
    found = triggers_by_issue("Firms selling advanced chips were put on the entity list.")
    assert set(found) == {"technology-export-controls"}
    assert set(found["technology-export-controls"]) == {"chips", "entity list"}


def test_acronyms_match_only_as_written() -> None:
    assert "health-covid-origins" in triggers_by_issue("The WHO asked for data.")
    assert triggers_by_issue("Officials who spoke said little.") == {}


def test_words_inside_other_words_do_not_trigger() -> None:
    assert triggers_by_issue("The spyglass and the Taiwanesque décor") == {}


def test_unrelated_text_has_no_issue() -> None:
    assert tag_issues("The weather was pleasant and the match ended in a draw.") == []


def test_score_counts_occurrences_and_orders_tags() -> None:
    tags = tag_issues("Tariffs, more tariffs and a trade war; also Taiwan.")
    assert [(t.issue, t.score) for t in tags] == [("trade-tariffs", 3), ("taiwan", 1)]
    assert tags[0].triggers == ("Tariffs", "tariffs", "trade war")


def test_articles_can_require_several_hits() -> None:
    text = "Officials mentioned Taiwan once, and tariffs twice: tariffs."
    assert set(triggers_by_issue(text, min_hits=2)) == {"trade-tariffs"}


def test_every_required_issue_is_in_the_built_in_taxonomy() -> None:
    required = {
        "taiwan", "south-china-sea", "trade-tariffs", "technology-export-controls",
        "military-dialogue-security", "human-rights", "fentanyl-drugs", "climate",
        "people-to-people", "russia-ukraine", "korean-peninsula", "espionage-surveillance",
        "health-covid-origins", "finance-investment",
    }  # fmt: skip
    assert required <= {issue.issue for issue in load_taxonomy()}


def test_user_file_adds_issues_and_overrides_ours(tmp_path: Path) -> None:
    extra = write_csv(tmp_path / "mine.csv", "taiwan,Cross-strait,ROC\narctic,Arctic,Svalbard\n")
    tagger = Tagger.build(load_taxonomy(extra))
    tags = tagger.tag("Svalbard research and the ROC navy")
    assert [(t.issue, t.label) for t in tags] == [("arctic", "Arctic"), ("taiwan", "Cross-strait")]
    assert tagger.tag("Taiwan alone") == []


def test_missing_field_names_file_and_line(tmp_path: Path) -> None:
    bad = write_csv(tmp_path / "bad.csv", "ok,Ok,word\nbroken,,\n")
    with pytest.raises(TaxonomyError, match=r"bad\.csv, line 3"):
        load_taxonomy(bad)


def test_wrong_header_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name\nx,y\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"bad\.csv, line 1"):
        load_taxonomy(bad)


def test_a_term_of_two_issues_is_an_error(tmp_path: Path) -> None:
    bad = write_csv(tmp_path / "bad.csv", "arctic,Arctic,Svalbard\npolar,Polar,ice|svalbard\n")
    with pytest.raises(TaxonomyError, match=r"bad\.csv, line 3.*'svalbard'.*arctic"):
        load_taxonomy(bad)


@given(st.text(max_size=400), st.integers(min_value=1, max_value=3))
def test_never_raises_and_triggers_are_in_the_text(text: str, min_hits: int) -> None:
    for tag in tag_issues(text, min_hits):
        assert tag.score >= max(min_hits, len(tag.triggers))
        assert all(trigger in text for trigger in tag.triggers)


ONE_WORD_ISSUES = {"Taiwan": "taiwan", "tariffs": "trade-tariffs", "fentanyl": "fentanyl-drugs"}


@given(st.lists(st.sampled_from([*ONE_WORD_ISSUES, "the", "talks"]), max_size=30))
def test_score_is_the_number_of_trigger_words(words: list[str]) -> None:
    scores = {tag.issue: tag.score for tag in tag_issues(" ".join(words))}
    expected = {issue: words.count(w) for w, issue in ONE_WORD_ISSUES.items() if w in words}
    assert scores == expected
