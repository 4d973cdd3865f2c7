"""The digest over a store of two known weeks of short articles, ingested and coded by the real
pipeline: a week of talks (4-10 March 2024), then a week of sanctions, criticism and a
defence meeting (11-17 March) in which one of the first week's stories grows. Its figures,
events, stories, issues and actors; every format; the command's alerts and errors; the API."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from dyadwatch.analytics import relations_index
from dyadwatch.api import create_app
from dyadwatch.cli import app
from dyadwatch.digest import FIGURES, Digest, PeriodError, build_digest, periods, write_digest
from dyadwatch.digest.alerts import COMPARISONS, RuleError, parse_rule
from dyadwatch.digest.render import Format, render
from dyadwatch.pipeline import ingest
from dyadwatch.store import Store

CHN_USA = ("CHN", "USA")
SINCE, UNTIL = "2024-03-11", date(2024, 3, 17)  # the second week
FORMATS: tuple[Format, ...] = ("text", "md", "html", "json")
ARTICLES = [
    {  # first week
        "url": "https://example.org/2024/03/05/wang-blinken",
        "title": "Wang Yi and Blinken hold talks in Munich",
        "published": "2024-03-05",
        "outlet": "Test Wire",
        "text": "Chinese Foreign Minister Wang Yi met Secretary of State Antony Blinken in Munich "
        "on Tuesday. China thanked the United States for the talks, officials said.",
    },
    {
        "url": "https://example.com/2024/03/07/trade-talks",
        "title": "US and China resume trade talks in Beijing",
        "published": "2024-03-07",
        "outlet": "Harbor Ledger",
        "text": "Treasury Secretary Janet Yellen met Vice Premier He Lifeng in Beijing on Thursday "
        "to discuss trade and tariffs. He Lifeng praised Yellen for her candour.",
    },
    {  # second week
        "url": "https://example.org/2024/03/12/sanctions",
        "title": "Beijing sanctions US defense firms over Taiwan arms sale",
        "published": "2024-03-12",
        "outlet": "Test Wire",
        "text": "China imposed sanctions on five US defense companies on Tuesday over arms sales "
        "to Taiwan. The State Department criticised China on Tuesday over the sanctions and "
        "called for calm in the Taiwan Strait.",
    },
    {  # the same sanctions, told from Beijing: one story, two outlets
        "url": "https://news.example.cn/2024/03/13/sanctions",
        "title": "China sanctions US arms makers over Taiwan sales",
        "published": "2024-03-13",
        "outlet": "Beijing Test Daily",
        "text": "China imposed sanctions on five US defense companies on Tuesday over arms sales "
        "to Taiwan. The Foreign Ministry said the United States must stop arming Taiwan.",
    },
    {
        "url": "https://example.com/2024/03/14/fentanyl",
        "title": "Dong Jun and Lloyd Austin discuss fentanyl in Singapore",
        "published": "2024-03-14",
        "outlet": "Harbor Ledger",
        "text": "Chinese Defense Minister Dong Jun held talks with Defense Secretary Lloyd Austin "
        "in Singapore on Thursday to discuss fentanyl. Officials said the meeting was long.",
    },
    {  # the Munich talks, told again in the second week: that story grows
        "url": "https://www.example.us/2024/03/11/wang-blinken-follow",
        "title": "Blinken and Wang Yi talks in Munich leave differences",
        "published": "2024-03-11",
        "outlet": "Capital Test Post",
        "text": "Secretary of State Antony Blinken met Chinese Foreign Minister Wang Yi in Munich "
        "last Tuesday. Both sides described the talks as candid and agreed to keep talking "
        "about trade.",
    },
]
SANCTIONS, MUNICH = ARTICLES[2]["title"], ARTICLES[0]["title"]
runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("digest")
    lines = "".join(json.dumps(article) + "\n" for article in ARTICLES)
    (folder / "articles.jsonl").write_text(lines, encoding="utf-8")
    ingest([str(folder / "articles.jsonl")], folder / "two-weeks.db", workers=1)
    return str(folder / "two-weeks.db")


@pytest.fixture(scope="module")
def digest(db: str) -> Digest:
    with Store(db) as store:
        return build_digest(store, CHN_USA, SINCE, UNTIL)


def test_the_index_of_each_week_and_its_change(db: str, digest: Digest) -> None:
    assert (digest.period.start, digest.period.end, digest.period.days) == (
        "2024-03-11",
        "2024-03-17",
        7,
    )
    assert (digest.previous.start, digest.previous.end) == ("2024-03-04", "2024-03-10")
    now, before = digest.index, digest.previous_index
    assert (now.events, now.verbal_cooperation, now.verbal_conflict, now.material_conflict) == (
        3,
        1,
        1,
        1,
    )
    assert (before.events, before.verbal_cooperation, before.net_cooperation) == (4, 4, 4)
    assert digest.change["events"] == -1 and digest.change["net_cooperation"] == -5
    assert digest.change["material_conflict"] == 1
    figures = digest.figures
    assert set(figures) == set(FIGURES)
    assert (figures["material_conflict"], figures["net_cooperation_change"]) == (1, -5)
    # the same events as the relations index counts, day by day, over each week
    with Store(db) as store:
        for point, since, until in (
            (now, "2024-03-11", "2024-03-17"),
            (before, "2024-03-04", "2024-03-10"),
        ):
            days = relations_index(store, CHN_USA, "day", since, until, event_ids=True)
            assert sorted(point.event_ids or []) == sorted(
                i for p in days for i in p.event_ids or []
            )
            assert point.events == sum(p.events for p in days)


def test_the_index_keeps_the_events_coded_sure_enough(db: str) -> None:
    with Store(db) as store:
        every = store.events(limit=None, dyad=CHN_USA, since="2024-03-11", min_confidence=0)
        # just above the least sure event's confidence: that one is left out
        cut = min(e["confidence"] for e in every) + 0.0005
        strict = build_digest(store, CHN_USA, SINCE, UNTIL, min_confidence=cut)
        loose = build_digest(store, CHN_USA, SINCE, UNTIL, min_confidence=0)
    assert set(strict.index.event_ids or []) == {e["id"] for e in every if e["confidence"] >= cut}
    assert set(loose.index.event_ids or []) == {e["id"] for e in every}
    assert strict.index.events < loose.index.events
    assert strict.min_confidence == cut


def test_new_key_events_with_their_sentences_and_links(digest: Digest) -> None:
    first = digest.key_events[0]
    assert (first["source"]["name"], first["type"], first["date"]) == (
        "China",
        "SANCTION",
        "2024-03-12",
    )
    outlets = {m["outlet"]: m for m in first["mentions"]}
    assert set(outlets) == {"Test Wire", "Beijing Test Daily"}
    assert outlets["Beijing Test Daily"]["url"] == ARTICLES[3]["url"]
    texts = " ".join(a["text"] for a in ARTICLES)
    for event in digest.key_events:
        assert "2024-03-11" <= event["date"] <= "2024-03-17"
        assert all(m["sentence"] in texts and m["title"] for m in event["mentions"])
    assert {e["id"] for e in digest.key_events} == set(digest.index.event_ids or [])


def test_stories_new_and_growing_with_their_outlets(digest: Digest) -> None:
    by_title = {story.title: story for story in digest.stories}
    assert set(by_title) == {SANCTIONS, ARTICLES[4]["title"], MUNICH}  # not the trade talks
    sanctions = by_title[SANCTIONS]
    assert (sanctions.status, sanctions.added, sanctions.earlier) == ("new", 2, 0)
    assert sanctions.outlets == ["Beijing Test Daily", "Test Wire"]
    munich = by_title[MUNICH]
    assert (munich.status, munich.added, munich.earlier) == ("growing", 1, 1)
    assert munich.outlets == ["Capital Test Post"]
    assert [a["url"] for a in munich.articles] == [ARTICLES[5]["url"]]
    assert [s.status for s in digest.stories] == ["new", "new", "growing"]
    assert (digest.figures["new_stories"], digest.figures["growing_stories"]) == (2, 1)


def test_issues_rising_and_falling(digest: Digest) -> None:
    changes = {issue.issue: (issue.events, issue.previous, issue.change) for issue in digest.issues}
    assert changes["taiwan"] == (2, 0, 2)
    assert changes["trade-tariffs"] == (0, 1, -1)
    assert digest.issues[0].issue == "taiwan" and digest.issues[0].label == "Taiwan"
    assert digest.issues[-1].issue == "trade-tariffs"
    assert digest.figures["rising_issues"] >= 2 and digest.figures["falling_issues"] == 1


def test_actors_newly_active(digest: Digest) -> None:
    new = {actor["id"]: actor for actor in digest.new_actors}
    assert {"person:dong-jun", "person:lloyd-austin", "agency:usa-state-department"} <= set(new)
    assert "CHN" not in new  # China had events the week before too
    assert new["person:dong-jun"]["country"] == "CHN" and new["person:dong-jun"]["events"] == 1
    assert digest.figures["new_actors"] == len(new)


def test_a_quiet_period_digests_to_zeros(db: str) -> None:
    with Store(db) as store:
        quiet = build_digest(store, CHN_USA, "30d", date(2020, 1, 31))
    assert quiet.index.events == quiet.previous_index.events == 0
    assert not (quiet.key_events or quiet.stories or quiet.issues or quiet.new_actors)
    assert all(render(quiet, fmt) for fmt in FORMATS)
    assert "Key events\n  none" in render(quiet, "text")


def test_every_format_renders_the_digest(digest: Digest) -> None:
    text = render(digest, "text")
    assert text.startswith("What changed in CHN-USA: 2024-03-11 to 2024-03-17 (7 days)")
    for heading in ("Key events", "New stories", "Growing stories", "Actors newly active"):
        assert f"\n{heading}\n" in text
    assert ARTICLES[2]["url"] in text and "Dong Jun (CHN): 1 event" in text
    assert re.search(r"net cooperation +-1 +4 +-5", text)
    markdown = render(digest, "md")
    assert "## Key events" in markdown and f"(<{ARTICLES[2]['url']}>)" in markdown
    assert "| net cooperation | -1 | 4 | -5 |" in markdown
    page = render(digest, "html")
    assert page.startswith("<!doctype html>") and f"href='{ARTICLES[3]['url']}'" in page
    assert json.loads(render(digest, "json")) == json.loads(json.dumps(digest.to_dict()))


def test_scraped_text_cannot_become_markup_or_a_link(digest: Digest) -> None:
    hostile = json.loads(render(digest, "json"))
    mention = hostile["key_events"][0]["mentions"][0]
    mention |= {"sentence": "<script>x()</script> [click](javascript:x)", "url": "javascript:x()"}
    twisted = Digest(**{**digest.__dict__, "key_events": hostile["key_events"]})
    page = render(twisted, "html")
    assert "<script>" not in page and "href='javascript" not in page
    markdown = render(twisted, "md")
    assert "\\<script\\>" in markdown and "\\[click\\]" in markdown
    assert "](<javascript" not in markdown


def test_write_digest_writes_each_format(db: str, tmp_path: Path) -> None:
    with Store(db) as store:
        for fmt in FORMATS:
            path = tmp_path / f"digest.{fmt}"
            found = write_digest(store, CHN_USA, "1w", fmt, path, UNTIL)
            assert path.read_text(encoding="utf-8") == render(found, fmt)


def invoke(db: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["digest", "--db", db, *args], env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def test_the_command_prints_the_digest_and_alerts_with_exit_3(db: str, tmp_path: Path) -> None:
    week = ("--since", "7d", "--until", "2024-03-17")
    code, out, _ = invoke(db, *week)
    assert code == 0 and out.startswith("What changed in CHN-USA: 2024-03-11 to 2024-03-17")
    code, out, err = invoke(db, *week, "--alert", "material_conflict>=1", "--alert", "events>99")
    assert code == 3 and "alert: material_conflict>=1 holds (material_conflict is 1)" in err
    assert "events>99" not in err and out.startswith("What changed")
    code, _, err = invoke(db, *week, "--alert", "material_conflict >= 3", "--alert", "new_actors<1")
    assert code == 0 and "alert" not in err
    code, out, _ = invoke(db, *week, "--alert", "net_cooperation_change<0", "-f", "json")
    assert code == 3 and json.loads(out)["figures"]["net_cooperation_change"] == -5
    code, out, _ = invoke(db, *week, "--format", "json", "--limit", "1")
    assert code == 0 and len(json.loads(out)["key_events"]) == 1
    out_file = tmp_path / "digest.md"
    code, out, err = invoke(db, *week, "--format", "md", "--out", str(out_file))
    assert code == 0 and out == "" and out_file.read_text(encoding="utf-8").startswith("# What")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--alert", "conflict>=3"), "no figure 'conflict'"),
        (("--alert", "material_conflict=>3"), "is not a rule"),
        (("--alert", "material_conflict>=three"), "is not a rule"),
        (("--alert", "__import__('os')>1"), "is not a rule"),
        (("--since", "last week"), "a period is the last N days"),
        (("--since", "0d"), "a period is the last N days"),
        (("--since", "2024-02-30"), "no day of the calendar"),
        (("--since", "2024-03-18", "--until", "2024-03-17"), "after it ends"),
        (("--until", "17 March"), "not a YYYY-MM-DD date"),
        (("--dyad", "China"), "two ISO alpha-3 codes"),
    ],
)
def test_bad_rules_and_periods_are_explained(db: str, args: tuple[str, ...], message: str) -> None:
    code, _, err = invoke(db, *args)
    assert code == 2 and message in " ".join(err.replace("│", " ").split())


def test_the_api_answers_the_digest_and_explains_a_bad_period(db: str, digest: Digest) -> None:
    client = TestClient(create_app(db))
    params = {"dyad": "usa-chn", "since": "2024-03-11", "until": "2024-03-17"}
    found = client.get("/api/digest", params=params).json()
    one = client.get("/api/digest", params={**params, "limit": 1}).json()
    assert one["key_events"] == found["key_events"][:1]
    with Store(db) as store:
        mirrored = build_digest(store, ("USA", "CHN"), SINCE, UNTIL)
    assert found == json.loads(json.dumps(mirrored.to_dict()))
    assert found["figures"]["material_conflict"] == digest.figures["material_conflict"]
    for since, until in (("yesterday", None), ("2024-03-18", "2024-03-17"), ("0w", None)):
        answer = client.get("/api/digest", params={"since": since, "until": until or ""})
        assert answer.status_code == 422 and answer.json()["detail"][0]["msg"]


NUMBERS = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.decimals(-1000, 1000, places=2, allow_nan=False).map(str),
)


@given(
    st.sampled_from(FIGURES),
    st.sampled_from(list(COMPARISONS)),
    NUMBERS,
    st.sampled_from(["", " "]),
)
def test_every_rule_written_right_is_read(
    figure: str, comparison: str, number: str, gap: str
) -> None:
    rule = parse_rule(f"{gap}{figure}{gap}{comparison}{gap}{number}{gap}")
    assert (rule.figure, rule.comparison, rule.value) == (figure, comparison, float(number))
    assert parse_rule(str(rule)) == rule
    held = rule.holds({figure: float(number)})
    assert held == (comparison in (">=", "<=", "=="))


@given(st.text(max_size=30))
def test_any_other_text_is_a_rule_error(text: str) -> None:
    try:
        rule = parse_rule(text)
    except RuleError as error:
        assert repr(text) in str(error)
        return
    assert rule.figure in FIGURES and re.search(r"[<>=!]", text)


@given(st.integers(1, 9999), st.sampled_from(["d", "w"]), st.dates(date(1900, 1, 1)))
def test_a_period_of_n_days_or_weeks_ends_on_until(n: int, unit: str, until: date) -> None:
    current, previous = periods(f"{n}{unit}", until)
    days = n * (7 if unit == "w" else 1)
    assert current.days == previous.days == days and current.end == until.isoformat()
    assert date.fromisoformat(previous.end) + timedelta(days=1) == date.fromisoformat(current.start)
    span = date.fromisoformat(current.end) - date.fromisoformat(current.start)
    assert span.days + 1 == days


@given(st.text(max_size=12), st.dates())
def test_any_since_is_a_period_or_a_period_error(since: str, until: date) -> None:
    try:
        current, previous = periods(since, until)
    except PeriodError as error:
        assert str(error)
        return
    assert current.end == until.isoformat() and current.days == previous.days >= 1
    assert date.fromisoformat(previous.end) + timedelta(days=1) == date.fromisoformat(current.start)
