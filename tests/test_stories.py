"""Stories from content: articles reporting one happening join one stored story as they come."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

import numpy as np

from dyadwatch.embed import MODEL_PACKAGE, MODEL_SHA256, embed, lead
from dyadwatch.pipeline import ingest
from dyadwatch.store import Store
from dyadwatch.store.schema import article_vectors, stories, story_articles
from dyadwatch.stories import story_day, written_on

VISIT = (
    "US Secretary of State Antony Blinken met Chinese President Xi Jinping in Beijing on "
    "Monday, the highest-level American visit to China in years. The two sides agreed to "
    "stabilise relations and to keep talking. Blinken also held talks with Foreign Minister "
    "Qin Gang. Both sides said the talks were candid and constructive."
)
VISIT_RETOLD = (
    "Chinese President Xi Jinping received US Secretary of State Antony Blinken in Beijing on "
    "Monday. Xi and Blinken agreed that relations between China and the United States should "
    "be stabilised. Blinken met Foreign Minister Qin Gang the day before. Both described the "
    "talks as frank and constructive."
)
VISIT_AGAIN = (
    "US Secretary of State Antony Blinken met Chinese President Xi Jinping in Beijing, his "
    "second visit to China this year. The two sides agreed to keep relations stable and to "
    "go on talking. Blinken also met Foreign Minister Wang Yi. Both sides called the talks "
    "candid and constructive."
)
FLOODS = (
    "Heavy rain flooded parts of southern Texas on Monday, closing schools and roads. The "
    "National Weather Service warned of more storms. Residents were told to stay indoors. "
    "Emergency crews rescued dozens of drivers from stranded cars."
)


def page(folder: Path, name: str, title: str, published: str, body: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(f"{title}\n\nPublished: {published}\n\n{body}\n", "utf-8")


def stories_of(db: Path) -> dict[str, int]:
    """Each page's story, a copy's through its canonical article."""
    with Store(db) as store:
        member_of = store.story_members()
        return {
            Path(a["source"]).name: member_of[a["duplicate_of"] or a["id"]]
            for a in store.iter_articles()
        }


def test_the_embedding_model_is_the_pinned_package_s() -> None:
    stored = resources.files(MODEL_PACKAGE).joinpath("model.onnx").read_bytes()
    assert hashlib.sha256(stored).hexdigest() == MODEL_SHA256


def test_vectors_are_unit_and_closer_for_the_same_happening() -> None:
    visit, retold, floods = embed([VISIT, VISIT_RETOLD, FLOODS])
    assert np.allclose([np.linalg.norm(v) for v in (visit, retold, floods)], 1, atol=1e-4)
    assert visit @ retold > 0.8 > 0.2 > visit @ floods


def test_a_lead_is_the_title_and_the_first_sentences() -> None:
    assert lead("Talks", "One. Two. Three. Four. Five.") == "Talks. One. Two. Three. Four."
    assert lead(None, "One.") == "One."


def test_reports_of_one_happening_form_one_story_and_others_their_own(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    page(pages, "a.txt", "Blinken meets Xi in Beijing", "June 19, 2023", VISIT)
    page(pages, "b.txt", "Xi receives Blinken", "June 20, 2023", VISIT_RETOLD)
    page(pages, "c.txt", "Floods in Texas", "June 19, 2023", FLOODS)
    page(pages, "d.txt", "Blinken meets Xi in Beijing again", "September 3, 2023", VISIT_AGAIN)
    ingest([str(pages)], tmp_path / "s.db", workers=1, code=False)
    story = stories_of(tmp_path / "s.db")
    assert story["a.txt"] == story["b.txt"]
    assert len({story["a.txt"], story["c.txt"], story["d.txt"]}) == 3  # d: months later


def test_a_rerun_with_more_articles_leaves_the_stories_made(tmp_path: Path) -> None:
    pages, db = tmp_path / "pages", tmp_path / "s.db"
    page(pages, "a.txt", "Blinken meets Xi in Beijing", "June 19, 2023", VISIT)
    page(pages, "c.txt", "Floods in Texas", "June 19, 2023", FLOODS)
    ingest([str(pages)], db, workers=1, code=False)
    before = stories_of(db)
    page(pages, "b.txt", "Xi receives Blinken", "June 20, 2023", VISIT_RETOLD)
    page(pages, "copy.txt", "Floods in Texas", "June 20, 2023", FLOODS)  # a reprint
    ingest([str(pages)], db, workers=1, code=False)
    after = stories_of(db)
    assert {name: after[name] for name in before} == before
    assert after["b.txt"] == after["a.txt"]
    assert after["copy.txt"] == after["c.txt"]
    with Store(db) as store:
        assert len(store.stories()) == 2


def test_articles_stored_before_there_were_stories_join_them_on_the_next_ingest(
    tmp_path: Path,
) -> None:
    pages, db = tmp_path / "pages", tmp_path / "s.db"
    page(pages, "a.txt", "Blinken meets Xi in Beijing", "June 19, 2023", VISIT)
    page(pages, "b.txt", "Xi receives Blinken", "June 20, 2023", VISIT_RETOLD)
    ingest([str(pages)], db, workers=1, code=False)
    with Store(db) as store, store.transaction() as conn:  # as a store of schema 3 had it
        for table in (story_articles, stories, article_vectors):
            conn.execute(table.delete())
    ingest([str(pages)], db, workers=1, code=False)
    story = stories_of(db)
    assert story["a.txt"] == story["b.txt"]


def test_an_undated_report_is_dated_by_its_story_whatever_the_order(tmp_path: Path) -> None:
    # the undated page comes first; "on Monday" is the Monday before the story's first
    # publication (Wednesday 21 June 2023), and its undated news takes that day
    folder = tmp_path / "pages"
    folder.mkdir()
    title = "Blinken meets Xi in Beijing"
    (folder / "a.txt").write_text(f"{title}\n\n{VISIT_RETOLD}\n", "utf-8")
    page(folder, "b.txt", title, "2023-06-21", VISIT)
    ingest([str(folder)], tmp_path / "s.db")
    with Store(tmp_path / "s.db") as store:
        undated = next(a["id"] for a in store.iter_articles() if a["source"].endswith("a.txt"))
        told = [
            (e["date"], e["date_precision"])
            for e in store.events(limit=None, min_confidence=0)
            for m in e["mentions"]
            if m["article_id"] == undated
        ]
    assert ("2023-06-19", "day") in told
    assert all(precision in ("day", "story") for _, precision in told)


def test_an_undated_report_s_weekday_falls_in_its_story_s_week(tmp_path: Path) -> None:
    # the story's dated articles came out on Monday 19 and Thursday 22 June 2023: the undated
    # report's "on Wednesday" is in that week (read from the first day, it was the 14th)
    folder = tmp_path / "pages"
    title = "Blinken meets Xi in Beijing"
    page(folder, "a.txt", title, "2023-06-19", VISIT)
    page(folder, "b.txt", title, "2023-06-22", VISIT_AGAIN)
    (folder / "c.txt").write_text(
        f"{title}\n\n{VISIT_RETOLD.replace('on Monday', 'on Wednesday')}\n", "utf-8"
    )
    ingest([str(folder)], tmp_path / "s.db")
    with Store(tmp_path / "s.db") as store:
        undated = next(a["id"] for a in store.iter_articles() if a["source"].endswith("c.txt"))
        days = {
            (e["date"], e["date_precision"])
            for e in store.events(limit=None, min_confidence=0)
            for m in e["mentions"]
            if m["article_id"] == undated
        }
    assert days and all("2023-06-19" <= day <= "2023-06-22" for day, _ in days)


def test_a_story_dates_its_undated_articles_only_when_its_dated_ones_share_a_week() -> None:
    assert written_on("2023-06-18", "2023-06-21") == "2023-06-21"
    assert written_on("2021-11-15", "2023-11-13") is None


def test_an_undated_report_joins_the_story_of_the_day_it_tells(tmp_path: Path) -> None:
    # two like visits months apart; an undated retelling that dates its meeting joins the
    # story of that visit, whichever it is
    folder = tmp_path / "pages"
    page(folder, "june.txt", "Blinken meets Xi in Beijing", "2023-06-21", VISIT)
    page(folder, "november.txt", "Blinken in Beijing again", "2023-11-10", VISIT_AGAIN)
    (folder / "told-june.txt").write_text(
        "Xi receives Blinken\n\n" + VISIT_RETOLD.replace("on Monday", "on June 19, 2023"), "utf-8"
    )
    hosted = (
        "Xi Jinping, China's president, hosted Antony Blinken, the US secretary of state, in "
        "Beijing on 8 November 2023. The two agreed that ties between Beijing and Washington "
        "needed steadying and that talks should go on. Officials on both sides called the "
        "meeting candid."
    )
    (folder / "told-november.txt").write_text(f"Xi hosts Blinken\n\n{hosted}\n", "utf-8")
    ingest([str(folder)], tmp_path / "s.db")
    story = stories_of(tmp_path / "s.db")
    assert story["told-june.txt"] == story["june.txt"] != story["november.txt"]
    assert story["told-november.txt"] == story["november.txt"]


def test_an_article_is_placed_by_its_known_day_else_the_latest_day_it_tells() -> None:
    body = "Talks began on March 3, 2021 and ended on 5 March 2021. A deal from 2019-12-13 stands."
    assert story_day("2021-03-08", body) == "2021-03-08"
    assert story_day(None, body) == "2021-03-05"
    assert story_day(None, "They met on Monday.") is None
