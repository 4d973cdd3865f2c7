"""Finding inputs: files, folders, stdin; hashes; formats detected from content."""

from __future__ import annotations

import gzip
import hashlib
import io
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dyadwatch.ingest import InputFile, detect_format, discover
from dyadwatch.models import Problem

FORMATS = {"html", "text", "jsonl", "feed", "warc", "unsupported", "empty", "other-text"}


def test_folders_are_walked_in_order_without_hidden_entries(tmp_path: Path) -> None:
    for name in ["b/2.txt", "b/1.txt", "a.txt", ".git/x.txt", "c/.draft.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("Some words.", encoding="utf-8")
    found = list(discover([str(tmp_path)]))
    names = [Path(f.source).relative_to(tmp_path).as_posix() for f in found]
    assert names == ["a.txt", "b/1.txt", "b/2.txt"]


def test_hash_and_size_are_of_the_bytes(tmp_path: Path) -> None:
    data = b"<html><body><p>Hello</p></body></html>" * 50_000  # spans several read chunks
    (tmp_path / "page.html").write_bytes(data)
    (item,) = discover([str(tmp_path / "page.html")])
    assert isinstance(item, InputFile)
    assert item.sha256 == hashlib.sha256(data).hexdigest()
    assert item.size == len(data) and item.format == "html"
    assert item.source == str(tmp_path / "page.html")


def test_missing_path_is_a_problem_and_the_rest_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Words.", encoding="utf-8")
    missing = str(tmp_path / "nope")
    found = list(discover([missing, str(tmp_path / "a.txt")]))
    assert isinstance(found[0], Problem) and found[0].source == missing
    assert isinstance(found[1], InputFile)


def test_stdin_is_spooled_to_a_file(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b'{"url": "https://example.org/a", "text": "Body."}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    (item,) = discover(["-"])
    assert isinstance(item, InputFile)
    assert item.source == "-" and item.format == "jsonl"
    assert item.path.read_bytes() == data


@pytest.mark.parametrize(
    ("head", "name", "expected"),
    [
        (b"\xef\xbb\xbf<!doctype html><html><p>x</p>", "page.txt", "html"),
        (b"<div><p>A fragment</p></div>", "fragment.txt", "html"),
        (b'<?xml version="1.0"?>\n<rss version="2.0"><channel>', "feed.html", "feed"),
        (b'<feed xmlns="http://www.w3.org/2005/Atom">', "news", "feed"),
        (b'{"title": "t", "text": "b"}\n{"title"', "dump.txt", "jsonl"),
        (b"WARC/1.1\r\nWARC-Type: warcinfo\r\n", "archive.bin", "warc"),
        (b"Beijing and Washington agreed on Monday.", "story.txt", "text"),
        (b"\x00\x01\x02\x03binary", "story.txt", "unsupported"),
        ("Beijing and Washington agreed.".encode("utf-16"), "story.txt", "text"),
        ("<html><body><p>Beijing</p>".encode("utf-16-be"), "page", "unsupported"),
        ("\ufeff<html><body><p>Beijing</p>".encode("utf-16-be"), "page", "html"),
        ("Beijing and Washington agreed.".encode("utf-32"), "story.txt", "text"),
        (b"  \n\t ", "story.txt", "empty"),
    ],
)
def test_format_comes_from_content(head: bytes, name: str, expected: str) -> None:
    assert detect_format(head, name) == expected


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["a.txt", "b.html", "c.jsonl", "d", "e.gz"]))
def test_any_head_gets_a_known_format(head: bytes, name: str) -> None:
    assert detect_format(head, name) in FORMATS


@settings(max_examples=30, deadline=None)
@given(
    entries=st.lists(st.sampled_from(["a.txt", "sub/b.txt", "ABSOLUTE", "missing.warc.gz"])),
    noise=st.lists(st.sampled_from(["", "   ", "# a comment"]), max_size=3),
    gzipped=st.booleans(),
    crlf=st.booleans(),
)
def test_a_paths_file_stands_for_the_files_it_lists(
    tmp_path_factory: pytest.TempPathFactory,
    entries: list[str],
    noise: list[str],
    gzipped: bool,
    crlf: bool,
) -> None:
    """Plain or gzipped, relative entries under the list's folder, absolute ones as they
    are, blank lines and comments aside; a missing entry is a problem of its own."""
    root = tmp_path_factory.mktemp("mirror")
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "c.txt"
    for path in (root / "a.txt", root / "sub" / "b.txt", elsewhere):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Words of {path.name}.", encoding="utf-8")
    lines = [str(elsewhere) if e == "ABSOLUTE" else e for e in entries] + noise
    data = ("\r\n" if crlf else "\n").join(lines).encode()
    listing = root / ("warc.paths.gz" if gzipped else "warc.paths")
    listing.write_bytes(gzip.compress(data) if gzipped else data)
    found = list(discover([str(listing)]))
    expected = [str(elsewhere) if e == "ABSOLUTE" else str(root / e) for e in entries]
    assert [item.source for item in found] == expected
    for item, entry in zip(found, entries, strict=True):
        assert isinstance(item, Problem) == (entry == "missing.warc.gz")


def test_an_address_in_a_paths_file_is_not_fetched(tmp_path: Path) -> None:
    (tmp_path / "local.txt").write_text("Words.", encoding="utf-8")
    url = "https://example.org/crawl-data/CC-NEWS/2022/09/CC-NEWS-20220901.warc.gz"
    (tmp_path / "mine.paths").write_text(f"{url}\nlocal.txt\n", encoding="utf-8")
    problem, local = discover([str(tmp_path / "mine.paths")])
    assert isinstance(problem, Problem) and problem.source == url
    assert "not fetched" in problem.reason and "download" in problem.reason
    assert isinstance(local, InputFile) and local.format == "text"


def test_an_unreadable_paths_file_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "warc.paths.gz").write_bytes(b"\x1f\x8b" + b"not gzip at all")
    (problem,) = discover([str(tmp_path / "warc.paths.gz")])
    assert isinstance(problem, Problem) and "unreadable list of paths" in problem.reason
