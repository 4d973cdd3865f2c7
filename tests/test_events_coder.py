"""Event coding of sentences: actors resolved as of the article date, type, status, date, place."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dyadwatch.events.coder import EventMention, code_text
from dyadwatch.pipeline import ingest
from dyadwatch.store import Store

JUNE_21_2023 = date(2023, 6, 21)  # a Wednesday


def only_event(text: str, on: date | None = JUNE_21_2023) -> EventMention:
    events = code_text(text, on).events
    assert len(events) == 1, events
    return events[0]


def test_meeting_with_relative_date_and_place() -> None:
    event = only_event("Antony Blinken met Xi Jinping in Beijing on Monday.")
    assert (event.source.actor.name, event.target.actor.name) == ("Antony Blinken", "Xi Jinping")
    assert (event.source.country, event.target.country) == ("USA", "CHN")
    assert event.type.root == "CONSULT"
    assert event.status == "happened"
    assert event.date is not None and event.date.date == date(2023, 6, 19)
    assert event.place is not None and event.place.country == "CHN"


def test_negated_and_planned_meetings_are_marked() -> None:
    assert only_event("Blinken did not meet Wang Yi.").status == "negated"
    assert only_event("Blinken will meet Wang Yi in Beijing next week.").status == "planned"


def test_an_old_meeting_retold_is_background() -> None:
    event = only_event("Xi Jinping and Joe Biden last met in Bali in November 2022.")
    assert event.status == "background"


def test_the_speaker_is_the_source_of_reported_speech() -> None:
    events = code_text("Wang Wenbin said the United States must stop arming Taiwan.", JUNE_21_2023)
    assert {e.source.actor.name for e in events.events} == {"Wang Wenbin"}
    assert "USA" in {e.target.country for e in events.events}


@pytest.mark.parametrize("misspelled", ["Brinken", "Blinkin"])
def test_misspelled_names_resolve(misspelled: str) -> None:
    text = f"{misspelled} met Yang Jiechi in Anchorage."
    event = only_event(text, date(2021, 3, 19))
    assert event.source.actor.name == "Antony Blinken"


def test_titles_resolve_to_the_holder_on_the_article_date() -> None:
    text = "The Chinese Foreign Minister met the Secretary of State in Beijing."
    june_2023 = only_event(text, date(2023, 6, 18))
    assert {june_2023.source.actor.name, june_2023.target.actor.name} == {
        "Qin Gang",
        "Antony Blinken",
    }
    assert "Wang Yi" in {e.source.actor.name for e in code_text(text, date(2024, 4, 26)).events} | {
        e.target.actor.name for e in code_text(text, date(2024, 4, 26)).events
    }


def test_a_sentence_without_two_sides_has_no_event() -> None:
    assert code_text("Xi Jinping spoke about the economy in Beijing.", JUNE_21_2023).events == []


def test_one_meeting_reported_twice_is_one_event_with_two_mentions(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Blinken in Beijing\n\nPublished: June 19, 2023\n\n"
        "Chinese President Xi Jinping met US Secretary of State Antony Blinken in Beijing "
        "on Monday, the highest-level meeting between the two sides in months. "
        "Officials described the talks as candid and constructive.\n",
        encoding="utf-8",
    )
    (folder / "b.txt").write_text(
        "A handshake in the Great Hall\n\nPublished: June 20, 2023\n\n"
        "Antony Blinken held talks with Xi Jinping in the Chinese capital on Monday, "
        "a visit both governments had prepared for weeks after a cancelled trip. "
        "Neither side announced a breakthrough on military communication.\n",
        encoding="utf-8",
    )
    db = tmp_path / "news.db"
    ingest([str(folder)], db, workers=1)
    with Store(db) as store:
        meetings = store.events(dyad=("CHN", "USA"), event_type="CONSULT")
    assert len(meetings) == 1
    assert len({m["article_id"] for m in meetings[0]["mentions"]}) == 2
    assert meetings[0]["date"] == "2023-06-19"
