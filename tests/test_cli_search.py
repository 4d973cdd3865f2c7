"""The search and inputs commands over the examples: filters as the store applies them, bad
values refused with a message, and scraped text printed as it is (never as rich markup) by
every command."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyadwatch.cli import app
from dyadwatch.pipeline import ingest
from dyadwatch.store import Store

runner = CliRunner()


def run(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "400"})
    assert result.exit_code == code, result.output
    return result.output


def ids(table: str) -> list[int]:
    """The first column of a printed table."""
    cells = (line.split("│")[1].strip() for line in table.splitlines() if line.startswith("│"))
    return [int(cell) for cell in cells if cell]


def test_search_filters_are_the_stores(examples_db: str) -> None:
    with Store(examples_db) as store:
        everything = store.search("Taiwan", limit=None)
        narrow = store.search(
            "Taiwan", dyad=("CHN", "USA"), issue="taiwan", since="2022-01-01", canonical_only=True
        )
    assert 0 < len(narrow) < len(everything)
    shown = run(
        "search", "Taiwan", "--db", examples_db, "--dyad", "usa-chn", "--issue", "taiwan",
        "--since", "2022-01-01", "--canonical", "--mode", "words",
    )  # fmt: skip
    assert ids(shown) == [hit["id"] for hit in narrow]
    second = run(
        "search", "Taiwan", "--db", examples_db, "--limit", "1", "--offset", "1", "--mode", "words"
    )  # fmt: skip
    assert ids(second) == [everything[1]["id"]]


def test_search_by_meaning(examples_db: str) -> None:
    question = "the American top diplomat's trip to Beijing"
    with Store(examples_db) as store:
        assert store.search(question) == []
        (visit,) = [
            a["id"]
            for a in store.iter_articles()
            if "Blinken meets Xi" in a["title"] and not a["duplicate_of"]
        ]
    assert ids(run("search", question, "--db", examples_db, "--semantic"))[0] == visit
    assert ids(run("search", question, "--db", examples_db))[0] == visit  # hybrid by default


def test_snippets_keep_their_brackets(examples_db: str) -> None:
    shown = run("search", "climate talks", "--db", examples_db, "--outlet", "pacific")
    assert "[talks]" in shown and "[climate]" in shown


@pytest.mark.parametrize(
    "args",
    [
        ["--since", "2023-02-30"],
        ["--until", "yesterday"],
        ["--dyad", "CHINA"],
        ["--limit", "many"],
        ["--mode", "fuzzy"],
    ],
)
def test_bad_search_options_are_refused(examples_db: str, args: list[str]) -> None:
    assert "Invalid value" in run("search", "Taiwan", "--db", examples_db, *args, code=2)


def test_inputs_with_status_and_error(examples_db: str) -> None:
    every = run("inputs", "--db", examples_db)
    assert "pacific-wire.rss" in every and "README.md" in every
    with Store(examples_db) as store:
        assert ids(every) == [row["id"] for row in store.inputs()]
    failed = run("inputs", "--db", examples_db, "--status", "failed")
    assert "README.md" in failed and "not read: a .md text file" in failed
    assert "pacific-wire.rss" not in failed
    assert "pacific-wire.rss" in run("inputs", "--db", examples_db, "--status", "done")
    assert "Invalid value" in run("inputs", "--db", examples_db, "--status", "maybe", code=2)


def test_titles_and_sentences_keep_their_brackets(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "[update] Blinken meets Wang Yi [exclusive]\n\nPublished: June 19, 2023\n\n"
        "US Secretary of State Antony Blinken met Foreign Minister Wang Yi [pictured] in "
        "Beijing on Monday.\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "x.db")
    ingest([str(folder)], db, workers=1)
    assert "[exclusive]" in run("articles", "--db", db)
    shown = run("show", "1", "--db", db)
    assert "[update]" in shown and "[bold]" not in shown
    assert "[pictured]" in "".join(run("events", "--db", db).split())


def test_a_narrow_terminal_gets_each_event_as_a_block_with_its_whole_sentence(
    examples_db: str,
) -> None:
    narrow = runner.invoke(app, ["events", "--db", examples_db], env={"COLUMNS": "80"}).output
    wide = run("events", "--db", examples_db)
    assert "│" in wide and "│" not in narrow
    with Store(examples_db) as store:
        first = store.events(limit=1)[0]["mentions"][0]["sentence"]
    assert " ".join(first.split()) in " ".join(narrow.split())
