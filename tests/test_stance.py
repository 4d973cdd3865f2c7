"""Stance on hand-written articles: whom an article puts in the wrong in its own voice, the
same rule for either side, and reported accusations left to their speakers."""

from __future__ import annotations

from dyadwatch.actors.resolve import default_matcher
from dyadwatch.stance import Mention, Stance, stance_of

DYAD = ("CHN", "USA")

# An opinion piece arguing China's side, in the shape of the Global Times seed: it tells the
# US what it must do and finds fault with it; the event coder reads these sentences as the
# US accusing China.
FOR_CHINA = (
    "Blinken's visit to Beijing this week was welcome. "
    "The US should correct its perception of China and stop treating it as an imaginary enemy. "
    "Rather than blaming China for its own problems, the US must look at itself. "
    "The US is deceiving itself with its obsession with hegemony and its hostile containment. "
    "China has always sought a stable and beneficial relationship with the US."
)
SWAPPED = {"the US": "China", "The US": "China", "US": "Chinese", "China": "the US"}


def swap_sides(text: str) -> str:
    """The same article with the two sides' names exchanged."""
    tokens = ["The US", "the US", "China", "US"]
    out, i = [], 0
    while i < len(text):
        found = next((t for t in tokens if text.startswith(t, i)), None)
        out.append(SWAPPED[found] if found else text[i])
        i += len(found) if found else 1
    return "".join(out).replace("Blinken's visit to Beijing", "Wang Yi's visit to Washington")


def stance(text: str) -> Stance:
    found = default_matcher().find(text)
    mentions = [Mention(m.start, m.end, m.country) for m in found if m.country]
    return stance_of(text, mentions, DYAD)


def test_an_article_telling_the_us_what_it_must_do_blames_the_us() -> None:
    found = stance(FOR_CHINA)
    assert (found.blames, found.favours) == ("USA", "CHN")
    china, usa = found.sides
    assert usa.blamed_in >= 3 and china.blamed_in == 0
    assert any("should correct its perception" in s for s in usa.evidence)


def test_the_same_article_about_the_other_side_blames_the_other_side() -> None:
    mirrored = swap_sides(FOR_CHINA)
    assert "China should correct its perception of the US" in mirrored
    found = stance(mirrored)
    assert (found.blames, found.favours) == ("CHN", "USA")


def test_reported_accusations_are_their_speakers_not_the_articles() -> None:
    report = (
        "Wang Yi blamed the US for the deterioration of relations and accused Washington of "
        "hostile containment. "
        "Blinken said China must stop its dangerous and aggressive moves near Taiwan. "
        '"The US must stop its provocations," a Chinese spokesperson told reporters. '
        "Blinken and Wang Yi met for seven hours in Beijing."
    )
    found = stance(report)
    assert (found.blames, found.favours) == (None, None)
    assert all(side.blamed_in == 0 for side in found.sides)


def test_advice_to_both_sides_and_the_relationship_blame_neither() -> None:
    text = (
        "China and the US should manage their differences. "
        "Both the US and China must keep talking. "
        "China-US relations are in a hostile, dangerous and terrible spiral. "
        "US-China ties suffered a bitter and damaging year."
    )
    found = stance(text)
    assert found.blames is None
    assert [side.blamed_in for side in found.sides] == [0, 0]


def test_one_stray_sentence_does_not_decide() -> None:
    text = (
        "Blinken met Wang Yi in Beijing on Monday. "
        "The US should listen more. "
        "Both sides described the talks as candid and constructive."
    )
    assert stance(text).blames is None


def test_no_actors_no_stance() -> None:
    found = stance("Markets were calm on Monday. Nothing else happened.")
    assert (found.blames, found.favours) == (None, None)
    assert [side.tone for side in found.sides] == [None, None]
