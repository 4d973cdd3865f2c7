"""Readers: every format detected from content, and bad input turned into problems."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from conftest import REPO, shared_path
from hypothesis import given, settings
from hypothesis import strategies as st

from dyadwatch.extract import extract
from dyadwatch.ingest import InputFile, detect_format, discover, read_documents
from dyadwatch.models import Document, Problem


def read(path: Path) -> list[Document | Problem]:
    found = list(discover([str(path)]))
    assert len(found) == 1 and isinstance(found[0], InputFile), found
    return list(read_documents(found[0]))


def documents(items: list[Document | Problem]) -> list[Document]:
    return [item for item in items if isinstance(item, Document)]


def test_warc_pages_are_read_with_their_urls_and_languages() -> None:
    items = read(shared_path("testdata/warc/ccnews-2022-09-sample.warc.gz"))
    pages = documents(items)
    assert len(pages) == 39 and len(items) == 39
    assert all(page.url and page.url.startswith("http") for page in pages)
    assert [page.record for page in pages] == list(range(39))
    languages = [extract(page).language for page in pages]
    assert languages.count("en") == 17


def test_truncated_warc_keeps_what_it_could_read(tmp_path: Path) -> None:
    data = shared_path("testdata/warc/ccnews-2022-09-sample.warc.gz").read_bytes()
    truncated = tmp_path / "cut.warc.gz"
    truncated.write_bytes(data[: len(data) // 2])
    items = read(truncated)
    assert 5 < len(documents(items)) < 39
    assert isinstance(items[-1], Problem) and "truncated" in items[-1].reason


def test_feed_in_cp1252_without_declaration_decodes() -> None:
    entries = documents(read(shared_path("testdata/feeds/uolNoticias.rss")))
    assert entries and all(e.kind == "html" for e in entries)
    titles = " ".join(e.title or "" for e in entries)
    assert "ç" in titles or "ã" in titles
    assert "\ufffd" not in titles
    assert entries[0].published == "2018-09-24"  # "Seg, 24 Set 2018", Portuguese


def test_atom_and_latin1_feeds() -> None:
    atom = documents(read(shared_path("testdata/feeds/heise.atom")))
    assert len(atom) == 15 and all(e.format == "atom" for e in atom)
    latin = documents(read(shared_path("testdata/feeds/encoding.rss")))
    assert any("ã" in (e.title or "") for e in latin)


def test_jsonl_bad_lines_become_problems_and_good_lines_stay(tmp_path: Path) -> None:
    path = tmp_path / "items.jsonl"
    good = {
        "url": "https://example.org/1",
        "title": "T",
        "text": "Body.",
        "published": "5 May 2021",
    }
    path.write_text(
        json.dumps(good) + "\n{broken\n\n" + json.dumps({"title": "no body"}) + "\n[1, 2]\n",
        encoding="utf-8",
    )
    items = read(path)
    docs = documents(items)
    assert len(docs) == 1 and docs[0].published == "2021-05-05" and docs[0].kind == "text"
    problems = [i for i in items if isinstance(i, Problem)]
    assert [p.record for p in problems] == [1, 3, 4]


def test_bad_files_are_problems(tmp_path: Path) -> None:
    (tmp_path / "junk.bin").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "notes.md").write_text("# Notes\nNot an article.", encoding="utf-8")
    (tmp_path / "huge.html").write_bytes(b"<html><body>" + b"<p>x</p>" * 1_400_000)
    (tmp_path / "other.gz").write_bytes(gzip.compress(b"hello"))
    reasons = {}
    for item in discover([str(tmp_path)]):
        assert isinstance(item, InputFile)
        (problem,) = read_documents(item)
        assert isinstance(problem, Problem)
        reasons[Path(item.source).name] = problem.reason
    assert "empty" in reasons["empty.txt"]
    assert "too large" in reasons["huge.html"]
    assert "unsupported" in reasons["junk.bin"] and "unsupported" in reasons["other.gz"]
    assert "not read" in reasons["notes.md"]


def test_missing_path_and_hidden_files(tmp_path: Path) -> None:
    (tmp_path / ".hidden.txt").write_text("secret", encoding="utf-8")
    (tmp_path / "a.txt").write_text("An article.", encoding="utf-8")
    found = list(discover([str(tmp_path), str(tmp_path / "missing")]))
    assert [Path(f.source).name for f in found if isinstance(f, InputFile)] == ["a.txt"]
    assert isinstance(found[-1], Problem) and "no such file" in found[-1].reason


def test_formats_come_from_content_not_names() -> None:
    assert detect_format(b"<!DOCTYPE html><html><body><p>x</p>", "page.txt") == "html"
    assert detect_format(b'<?xml version="1.0"?><rss version="2.0">', "feed.html") == "feed"
    assert detect_format(b'{"url": "u", "text": "t"}\n', "dump.txt") == "jsonl"
    assert detect_format(b"WARC/1.0\r\n", "archive.dat") == "warc"
    assert detect_format(b"Plain words.", "article") == "text"


def test_examples_cover_every_format() -> None:
    formats = {f.format for f in discover([str(REPO / "examples")]) if isinstance(f, InputFile)}
    assert {"html", "text", "jsonl", "feed", "warc"} <= formats


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from(["a.txt", "b.html", "c.jsonl", "d.warc.gz"]))
def test_any_bytes_never_raise(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, name: str
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / name
    path.write_bytes(data)
    for item in discover([str(path)]):
        if isinstance(item, InputFile):
            for doc in read_documents(item):
                if isinstance(doc, Document):
                    extract(doc)
