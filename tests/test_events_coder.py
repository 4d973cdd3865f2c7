"""Event coding of sentences: actors resolved as of the article date, type, status, date, place."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dyadwatch.actors.resolve import ActorMention
from dyadwatch.events import coder
from dyadwatch.events.coder import ArticleCoding, EventMention, code_text
from dyadwatch.events.dates import EventDate
from dyadwatch.events.merge import MUTUAL_TYPES
from dyadwatch.events.pair_model import PairReading
from dyadwatch.pipeline import ingest
from dyadwatch.store import Store

JUNE_21_2023 = date(2023, 6, 21)  # a Wednesday


def coreferent(coding: ArticleCoding) -> list[ActorMention]:
    """The short forms that were taken to stand for an actor named before."""
    return [m for m in coding.actors if m.how == "coref"]


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


@pytest.mark.parametrize(
    "told",
    [
        "The trip concluded around the time Xi Jinping and Joe Biden met in Anchorage.",
        "Relations have improved since Xi Jinping and Joe Biden met in Anchorage.",
        "Ties have warmed after the meeting between Xi Jinping and Joe Biden in Anchorage.",
        "The last face-to-face meeting between Xi Jinping and Joe Biden was in Anchorage.",
        "The then Secretary of State Mike Pompeo and Yang Jiechi held talks in Hawaii.",
    ],
)
def test_a_past_meeting_that_sets_the_time_of_another_is_undated_background(told: str) -> None:
    event = only_event(told)
    assert (event.type.root, event.status, event.date) == ("CONSULT", "background", None)


def test_a_past_meeting_at_a_summit_takes_the_summit_days() -> None:
    event = only_event("Relations have improved since Xi Jinping and Joe Biden met in Bali.")
    assert event.status == "background"
    assert event.date is not None
    assert (event.date.date, event.date.end) == (date(2022, 11, 15), date(2022, 11, 16))


def test_dates_in_asides_and_after_a_later_since_are_not_the_events() -> None:
    told = [
        "Joe Biden and Xi Jinping agreed to resume military talks, which were cut off in "
        "August 2022.",
        "Joe Biden met Xi Jinping in Lima, their third meeting, after Bali in 2022.",
        "Joe Biden and Xi Jinping agreed to implement the understandings reached in Bali.",
    ]
    for text in told:
        events = code_text(text, date(2024, 11, 16)).events
        # news takes the article's day; a retelling has no date of its own: neither the aside's
        assert events and all(
            e.date.date == date(2024, 11, 16) if e.status != "background" else e.date is None
            for e in events
        ), text


@pytest.mark.parametrize(
    ("told", "status"),
    [
        ("Wang Yi and Antony Blinken may meet in Munich this weekend.", "planned"),
        ("Wang Yi said the sides would work toward a meeting with Joe Biden.", "planned"),
        ("Joe Biden said he hopes to meet Xi Jinping in San Francisco.", "planned"),
        ("Liu He left Washington without signing a trade deal with Robert Lighthizer.", "negated"),
    ],
)
def test_status_of_possible_hoped_for_and_failed_acts(told: str, status: str) -> None:
    assert {e.status for e in code_text(told, JUNE_21_2023).events} == {status}


def test_a_meeting_set_for_a_weekday_is_the_next_one() -> None:
    event = only_event("Joe Biden and Xi Jinping are set to meet in Bali on Monday.")
    assert event.date is not None and event.date.date == date(2023, 6, 26)


def test_hopes_for_a_meeting_are_no_meeting() -> None:
    assert only_event("Hopes for a meeting between Xi Jinping and Joe Biden.").status == "planned"


def test_a_type_resting_on_function_words_gives_way_to_the_main_verbs() -> None:
    text = (
        "The Chinese Ministry of National Defense spoke on Saturday. "
        "It urged the USA to stop arming the island, which is holding elections next week."
    )
    (event,) = code_text(text, JUNE_21_2023).events
    assert (event.source.country, event.type.root, event.target.country) == (
        "CHN",
        "REQUEST",
        "USA",
    )


def test_it_after_a_ministry_stands_for_the_ministry() -> None:
    text = (
        "The Chinese Ministry of Foreign Affairs issued a statement on Tuesday. "
        "It accused the United States of interfering in China's internal affairs."
    )
    (event,) = code_text(text, JUNE_21_2023).events
    assert (event.source.actor.kind, event.source.country, event.source.how) == (
        "agency",
        "CHN",
        "coref",
    )
    assert (event.type.root, event.target.country) == ("ACCUSE", "USA")


def test_the_two_leaders_are_the_two_people_of_the_sentence_before() -> None:
    text = (
        "Talks could pave the way for a meeting between Joe Biden and Xi Jinping this year. "
        "The two leaders last met in November at the G20 summit in Bali."
    )
    retold = code_text(text, JUNE_21_2023).events[-1]
    assert {retold.source.actor.name, retold.target.actor.name} == {"Joe Biden", "Xi Jinping"}
    assert (retold.status, retold.source.how) == ("background", "coref")
    assert retold.date is not None and retold.date.date == date(2022, 11, 15)  # the summit's


def test_both_sides_take_part_only_in_a_mutual_act() -> None:
    met = "Antony Blinken met Wang Yi in Beijing on Monday. "
    agreed = code_text(met + "Both sides agreed to resume military talks.", JUNE_21_2023)
    assert {(e.source.country, e.target.country) for e in agreed.events[1:]} == {("USA", "CHN")}
    assert agreed.events[1].type.root == "AGREE"
    blamed = code_text(met + "Both sides blamed each other for the tension.", JUNE_21_2023)
    assert len(blamed.events) == 1


PARTIES = {
    "China": "CHN",
    "Russia": "RUS",
    "Japan": "JPN",
    "Australia": "AUS",
    "France": "FRA",
    "India": "IND",
    "the US": "USA",
    "Canada": "CAN",
}


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.sampled_from(sorted(PARTIES)), min_size=2, max_size=2, unique=True),
    st.sampled_from(
        [
            "{a} and {b} condemned the incident on Monday.",
            "{a} and {b} imposed sanctions on Iranian banks on Monday.",
            "Iran placed sanctions on {a} and {b} officials on Monday.",
            "The ministry summoned envoys of {a} and {b} on Monday.",
        ]
    ),
)
def test_parties_told_together_act_together_not_on_each_other(
    parties: list[str], told: str
) -> None:
    """Two sides listed as one party may meet or agree, but one does not act on the other."""
    coding = code_text(told.format(a=parties[0], b=parties[1]), JUNE_21_2023)
    listed = {PARTIES[party] for party in parties}
    between = [e.type.root for e in coding.events if {e.source.country, e.target.country} == listed]
    assert set(between) <= MUTUAL_TYPES


def test_parties_told_together_may_meet() -> None:
    event = only_event("Donald Trump and Xi Jinping met for dinner in Buenos Aires on Saturday.")
    assert (event.type.root, event.status) == ("CONSULT", "happened")


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


# Short forms that refer back: "he", "she", "the secretary", "the ministry".


def test_he_at_the_start_of_a_sentence_is_the_person_named_before() -> None:
    text = "Antony Blinken landed in Beijing on Sunday.\nHe met Qin Gang on Monday."
    (event,) = code_text(text, JUNE_21_2023).events
    assert event.source.actor.name == "Antony Blinken" and event.target.actor.name == "Qin Gang"
    assert (event.source.text, event.source.how) == ("He", "coref")
    assert event.sentence.text == "He met Qin Gang on Monday."  # the evidence is this sentence
    assert text[event.source.start : event.source.end] == "He"


def test_she_after_an_opening_phrase_needs_a_woman_named_before() -> None:
    she = "Janet Yellen landed in Beijing on Thursday. On Friday, she met Li Qiang."
    (event,) = code_text(she, date(2023, 7, 7)).events
    assert event.source.actor.name == "Janet Yellen"
    he = "Janet Yellen landed in Beijing on Thursday. On Friday, he met Li Qiang."
    assert not coreferent(code_text(he, date(2023, 7, 7)))


def test_a_pronoun_after_two_people_is_left_alone() -> None:
    text = "Antony Blinken and Lloyd Austin flew to Asia. He met Wang Yi in Jakarta."
    assert not coreferent(code_text(text, JUNE_21_2023))


def test_a_pronoun_after_a_name_the_catalogue_does_not_know_is_left_alone() -> None:
    text = (
        "Antony Blinken flew to Jakarta on Sunday. "
        "The talks were followed by a reporter, Maria Lopez, for a radio station. "
        "She said Wang Yi had met the Americans."
    )
    assert all(m.how != "coref" for m in code_text(text, JUNE_21_2023).actors)


def test_a_pronoun_looks_back_two_sentences_at_most() -> None:
    text = (
        "Antony Blinken flew to Jakarta on Sunday. The weather was hot. The roads were busy. "
        "He met Wang Yi there."
    )
    assert not coreferent(code_text(text, JUNE_21_2023))


def test_a_short_title_refers_to_the_person_bearing_it() -> None:
    text = "Wang Yi flew to Washington on Sunday. The minister met Antony Blinken on Monday."
    coded = code_text(text, date(2024, 3, 4)).events  # Wang Yi is foreign minister again
    (event,) = [e for e in coded if e.sentence.text.startswith("The minister")]
    assert event.source.actor.name == "Wang Yi" and event.source.text == "The minister"
    # In June 2023 Qin Gang was the minister and Wang Yi held another office.
    assert not coreferent(code_text(text, JUNE_21_2023))


def test_the_ministry_refers_to_the_ministry_named_before() -> None:
    text = (
        "The Chinese Foreign Ministry issued a statement on Monday. "
        "The ministry accused Washington of interfering in China's internal affairs."
    )
    (event,) = code_text(text, JUNE_21_2023).events
    assert event.source.actor.id == "agency:chn-foreign-ministry"
    assert event.type.root == "ACCUSE" and event.target.country == "USA"


def test_a_short_form_is_never_a_target() -> None:
    text = "Qin Gang spoke in Beijing on Monday. Antony Blinken then praised him."
    coding = code_text(text, JUNE_21_2023)
    assert not coreferent(coding) and all(e.target.how != "coref" for e in coding.events)


# Group nouns: a country's officials, lawmakers, companies, diplomats.


def test_generic_groups_are_the_sector_of_their_country() -> None:
    event = only_event("Chinese officials criticised US lawmakers on Tuesday.")
    assert (event.source.actor.id, event.target.actor.id) == ("group:CHN:GOV", "group:USA:LEG")
    assert (event.source.country, event.source.sector) == ("CHN", "GOV")
    assert (event.target.country, event.target.sector) == ("USA", "LEG")
    assert event.type.root == "ACCUSE"


# What gives no event: opinion, relationships, bystanders, words that say nothing.


@pytest.mark.parametrize(
    "text",
    [
        "The United States should respect China's core interests.",
        "Both Washington and Beijing must manage their differences with care.",
    ],
)
def test_a_prescription_by_the_writer_is_no_event(text: str) -> None:
    assert code_text(text, JUNE_21_2023).events == []


@pytest.mark.parametrize(
    "text",
    [
        "China-US relations matter to the whole world.",
        "The relationship between China and the United States affects the whole world.",
        "Bilateral ties with the United States are at a low point, Chinese scholars say.",
    ],
)
def test_a_relationship_named_is_no_event_between_its_sides(text: str) -> None:
    assert code_text(text, JUNE_21_2023).events == []


def test_the_owner_of_an_event_noun_is_its_source() -> None:
    event = only_event("The new talks came soon after Antony Blinken's visit to Beijing.")
    assert event.source.actor.name == "Antony Blinken" and event.target.country == "CHN"
    assert event.type.root == "CONSULT"


# Groups of people and "the group", "the delegation", "the team" after them.

DECEMBER_2022 = date(2022, 12, 16)


@pytest.mark.parametrize("noun", ["group", "delegation", "team"])
def test_the_group_refers_back_to_the_one_group_named_before(noun: str) -> None:
    text = (
        "A Chinese delegation arrived in New York in early November. "
        "It was led by a former vice-minister of foreign affairs. "
        f"The {noun} met former US officials and executives."
    )
    (event,) = code_text(text, DECEMBER_2022).events
    assert (event.source.actor.id, event.source.how) == ("group:CHN:GOV", "coref")
    assert event.source.text == f"The {noun}"
    assert (event.target.actor.id, event.target.text) == (
        "group:USA:ELI",
        "former US officials and executives",
    )
    assert event.type.root == "CONSULT"


def test_the_group_after_a_group_of_former_officials() -> None:
    text = (
        "A group of former Chinese officials visited New York in November. "
        "The group met US lawmakers."
    )
    (event,) = code_text(text, DECEMBER_2022).events
    assert event.source.actor.id == "group:CHN:ELI" and event.target.actor.id == "group:USA:LEG"


@pytest.mark.parametrize(
    "text",
    [
        # two groups of people: which one met is not said
        "Chinese officials and US lawmakers spoke in Geneva. The group met Japanese officials.",
        # a group the catalogue cannot place comes between
        "A Chinese delegation arrived on Monday. A team of scholars joined it. "
        "The group met US lawmakers.",
        # a single office holder is no group
        "The former Chinese ambassador spoke. The group met US lawmakers.",
        # too far back
        "A Chinese delegation arrived on Monday. The weather was cold. The roads were icy. "
        "The hotel was full. The group met US lawmakers.",
    ],
)
def test_the_group_is_left_alone_when_it_is_not_clear(text: str) -> None:
    assert all(m.how != "coref" for m in code_text(text, DECEMBER_2022).actors)


# Mentions that are no side of the event.


def test_a_country_only_characterised_is_no_target() -> None:
    text = (
        "Wang Yi blamed the US for the deterioration in their relationship, particularly "
        "emphasizing Taiwan as a core interest."
    )
    (event,) = code_text(text, JUNE_21_2023).events
    assert (event.source.actor.name, event.target.country) == ("Wang Yi", "USA")


def test_a_country_in_a_purpose_is_no_target() -> None:
    text = (
        "The United States will hold talks with allies in advance and win over allies to "
        "strengthen its resistance to China."
    )
    assert code_text(text, date(2021, 3, 15)).events == []


# A meeting told after a visit took place there and then.


def test_a_meeting_after_a_visit_takes_its_place_and_month() -> None:
    text = (
        "Information trickled in about the visit to New York of a group of former Chinese "
        "officials in early November. The Chinese delegation was led by a former "
        "vice-minister. The group met former US officials and executives."
    )
    (event,) = code_text(text, DECEMBER_2022).events
    assert event.place is not None and (event.place.name, event.place.country) == (
        "New York City",
        "USA",
    )
    assert event.date is not None and (event.date.date, event.date.precision) == (
        date(2022, 11, 1),
        "month",
    )


def test_a_visit_lends_its_place_only_to_its_sides_meetings() -> None:
    visit = "Antony Blinken arrived in Beijing on Sunday. "
    (met,) = code_text(visit + "He met Qin Gang on Monday.", JUNE_21_2023).events
    assert met.place is not None and met.place.name == "Beijing"
    # another pair of sides, or a meeting yet to come, keeps no place or its own
    (other,) = code_text(visit + "Japan and India held talks on Monday.", JUNE_21_2023).events
    assert other.place is None
    (later,) = code_text(
        visit + "Joe Biden plans to meet Xi Jinping in November.", JUNE_21_2023
    ).events
    assert later.place is None and later.status == "planned"


FRAGMENTS = [
    "Antony Blinken", "Xi Jinping", "Joe Biden", "Wang Yi", "the two sides", "both countries",
    "the two leaders", "It urged", "He said", "met", "will meet", "did not meet", "agreed",
    "since they met", "after", "around the time", "the then", "in Bali", "at the G20 summit",
    "in San Francisco", "on Monday", "from Sunday to Monday", "last November", "in 2022",
    "which was held on the 12th", ",", ".", "the United States", "China", "Beijing",
    "and withdrew troops", "and eased sanctions", "but reached no deal", "and accused",
]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=12), max_size=4),
    st.one_of(st.none(), st.dates(min_value=date(2017, 1, 1), max_value=date(2026, 12, 31))),
)
def test_any_mix_of_actors_dates_and_references_codes_without_error(
    sentences: list[list[str]], on: date | None
) -> None:
    text = " ".join(" ".join(words) + "." for words in sentences)
    for event in code_text(text, on).events:
        assert event.status in ("happened", "planned", "negated", "background")
        assert event.source.country != event.target.country
        assert event.sentence.text in text
        if event.status == "background" and event.date is not None:
            assert event.date.precision != "article"  # a retold event keeps no article date


def test_the_plans_of_an_undated_article_take_the_month_its_summit_tells() -> None:
    body = (
        "After Joe Biden took part in the first Quad Leaders Summit held on the 12th, "
        "Washington turned to Beijing.\n"
        "Antony Blinken will meet Yang Jiechi and Wang Yi in Anchorage."
    )
    # no publication date; a site's header date weeks later is only good for office holders
    coded = code_text(body, None, roles_on=date(2021, 4, 20)).events
    plans = [e for e in coded if e.status == "planned"]
    assert plans and all(e.date == EventDate(date(2021, 3, 1), "month", None) for e in plans)


ROOTS = ["CONSULT", "AGREE", "ACCUSE", "SANCTION", "THREATEN"]


class StubModel:
    """Reads every pair with the same probabilities each way."""

    def __init__(self, forward: dict[str, float], backward: dict[str, float]) -> None:
        self.forward, self.backward = forward, backward

    def read(self, marked: list[object]) -> list[PairReading]:
        return [PairReading(self.forward, self.backward, "happened", 0.9) for _ in marked]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0.0, 1.0), min_size=len(ROOTS), max_size=len(ROOTS)),
    st.lists(st.floats(0.0, 1.0), min_size=len(ROOTS), max_size=len(ROOTS)),
)
def test_a_sentence_tells_its_surest_act_only(forward: list[float], backward: list[float]) -> None:
    """However many acts the model finds likely in a sentence, the event is its surest one."""
    ways = dict(zip(ROOTS, forward, strict=True)), dict(zip(ROOTS, backward, strict=True))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(coder, "pair_model", lambda: StubModel(*ways))
        events = code_text("Antony Blinken told Wang Yi in Beijing on Sunday.", JUNE_21_2023).events
    likely = [p for way in ways for p in way.values() if p >= coder.EVENT_THRESHOLD]
    assert len(events) == (1 if likely else 0)
    for event in events:
        way = ways[0] if event.source.country == "USA" else ways[1]
        assert way[event.type.root] == max(likely)


class RecordingModel(StubModel):
    """A stub that keeps the texts it was given."""

    def __init__(self, forward: dict[str, float], backward: dict[str, float]) -> None:
        super().__init__(forward, backward)
        self.texts: list[str] = []

    def read(self, marked: list[object]) -> list[PairReading]:
        self.texts += [m.text for m in marked]  # type: ignore[attr-defined]
        return super().read(marked)


@settings(max_examples=20, deadline=None)
@given(
    st.sampled_from(["The two sides", "Both countries", "The two governments"]),
    st.sampled_from(sorted(ROOTS)),
    st.floats(0.0, 1.0),
)
def test_the_two_sides_are_read_by_the_model_as_the_two_named_before(
    phrase: str, root: str, probability: float
) -> None:
    """ "The two sides agreed" is read as the two countries named just before would be, and
    only a mutual act the model finds likely is theirs."""
    model = RecordingModel({root: probability}, {})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(coder, "pair_model", lambda: model)
        text = f"Antony Blinken met Wang Yi in Beijing. {phrase} agreed to keep talking."
        events = code_text(text, JUNE_21_2023).events
    assert model.texts[-1].endswith(" agreed to keep talking.")
    assert "</a> and <b>" in model.texts[-1]
    theirs = [e for e in events if e.source.how == "coref"]
    taken = root in MUTUAL_TYPES and probability >= coder.EVENT_THRESHOLD
    assert [e.type.root for e in theirs] == ([root] if taken else [])
    assert all({e.source.country, e.target.country} == {"USA", "CHN"} for e in theirs)


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("Joe Biden and Xi Jinping agreed that humans, not machines, should decide.", "happened"),
        ("Joe Biden and Xi Jinping agreed on trade, not on security.", "happened"),
        ("Joe Biden and Xi Jinping did not agree on trade.", "negated"),
        ("Joe Biden and Xi Jinping never agreed on trade.", "negated"),
    ],
)
def test_only_a_not_that_negates_a_verb_denies_the_act(sentence: str, status: str) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(coder, "pair_model", lambda: StubModel({"AGREE": 0.9}, {}))
        (event,) = code_text(sentence, JUNE_21_2023).events
    assert event.status == status
