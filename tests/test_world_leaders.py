"""Leaders of countries beyond China, the US and Taiwan are named by name alone in the news;
the catalogue knows them, so their acts are coded for their country."""

from __future__ import annotations

from datetime import date

import pytest

from dyadwatch.events.coder import code_text


def _dyads(text: str, on: date) -> set[tuple[str | None, str | None, str]]:
    return {(e.source.country, e.target.country, e.type.root) for e in code_text(text, on).events}


def test_trudeau_accusing_india_is_coded_canada_to_india() -> None:
    text = "Justin Trudeau accused India of involvement in the killing of a Sikh leader."
    assert _dyads(text, date(2023, 9, 19)) == {("CAN", "IND", "ACCUSE")}


@pytest.mark.parametrize(
    ("text", "on", "source", "target"),
    [
        ("Modi met Putin in Moscow on Monday.", date(2024, 7, 9), "IND", "RUS"),
        ("Zelenskyy urged Germany to send more tanks.", date(2023, 1, 20), "UKR", "DEU"),
        ("The Israeli prime minister threatened Iran.", date(2024, 4, 14), "ISR", "IRN"),
    ],
)
def test_leaders_named_alone_or_by_title_act_for_their_country(
    text: str, on: date, source: str, target: str
) -> None:
    assert {(s, t) for s, t, _ in _dyads(text, on)} == {(source, target)}
