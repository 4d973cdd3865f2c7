"""Reading documents out of each format, and bad input turned into problems."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from conftest import shared_path
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from dyadwatch.extract import extract
from dyadwatch.ingest import InputFile, discover, read_documents
from dyadwatch.models import Document, Problem

WARC = "testdata/warc/ccnews-2022-09-sample.warc.gz"


def read(path: Path) -> list[Document | Problem]:
    (item,) = discover([str(path)])
    assert isinstance(item, InputFile), item
    return list(read_documents(item))


def documents(items: list[Document | Problem]) -> list[Document]:
    return [item for item in items if isinstance(item, Document)]


def problems(items: list[Document | Problem]) -> list[Problem]:
    return [item for item in items if isinstance(item, Problem)]


def test_warc_html_responses_become_numbered_documents() -> None:
    items = read(shared_path(WARC))
    pages = documents(items)
    assert len(pages) == 39 and not problems(items)
    assert all(p.kind == "html" and p.format == "warc" for p in pages)
    assert all(p.url and p.url.startswith("http") and p.source == p.url for p in pages)
    assert [p.record for p in pages] == list(range(39))
    assert all("<" in p.content for p in pages)


def test_reading_twice_gives_the_same_records() -> None:
    first, second = (read(shared_path(WARC)) for _ in range(2))
    assert [(d.record, d.url) for d in documents(first)] == [
        (d.record, d.url) for d in documents(second)
    ]


@pytest.mark.parametrize("fraction", [0.3, 0.7])
def test_truncated_warc_gives_what_it_read_then_a_problem(tmp_path: Path, fraction: float) -> None:
    data = shared_path(WARC).read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: int(len(data) * fraction)])
    items = read(cut)
    assert 0 < len(documents(items)) < 39
    assert isinstance(items[-1], Problem) and "truncated" in items[-1].reason
    assert [d.record for d in documents(items)] == list(range(len(documents(items))))


def test_warc_cut_inside_its_first_record_is_a_problem(tmp_path: Path) -> None:
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(shared_path(WARC).read_bytes()[:300])
    items = read(cut)
    assert items and isinstance(items[-1], Problem) and not documents(items)


def test_undeclared_cp1252_feed_with_portuguese_dates() -> None:
    entries = documents(read(shared_path("testdata/feeds/uolNoticias.rss")))
    assert entries and all(e.kind == "html" and e.format == "rss" for e in entries)
    titles = " ".join(e.title or "" for e in entries)
    assert "ç" in titles and "ã" in titles and "\ufffd" not in titles
    assert all(e.published and e.published.startswith("2018-09") for e in entries)


def test_latin1_rss_and_atom_feeds() -> None:
    latin = documents(read(shared_path("testdata/feeds/encoding.rss")))
    assert latin and any("ã" in (e.title or "") for e in latin)
    atom = documents(read(shared_path("testdata/feeds/heise.atom")))
    assert len(atom) == 15 and all(e.format == "atom" and e.url for e in atom)
    assert all(e.outlet for e in atom)


def test_feed_entries_carry_link_title_and_date(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        "<item><title>First</title><link>https://w.example/1</link>"
        "<pubDate>Tue, 02 Mar 2021 10:00:00 GMT</pubDate><description>&lt;p&gt;Short."
        "&lt;/p&gt;</description></item>"
        "<item><title>Second</title><link>https://w.example/2</link></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    first, second = read(feed)
    assert isinstance(first, Document) and isinstance(second, Document)
    assert (first.url, first.title, first.outlet) == ("https://w.example/1", "First", "Wire")
    assert first.published == "2021-03-02" and "<p>Short.</p>" in first.content
    # No text at all: still a candidate, which extraction then skips.
    assert (second.record, second.title, second.content) == (1, "Second", "")
    assert extract(second).skip_reason == "no article body found"


def test_jsonl_broken_line_is_a_problem_and_the_others_are_read(tmp_path: Path) -> None:
    rows = [
        {"url": "https://e.example/a", "title": "A", "text": "Body A.", "published": "2021-05-05"},
        {"url": "https://e.example/b", "html": "<p>Body B.</p>", "outlet": "E", "author": "Jo"},
    ]
    path = tmp_path / "dump.jsonl"
    path.write_text(
        f'{json.dumps(rows[0])}\n{{"url": "broken\n{json.dumps(rows[1])}\n', encoding="utf-8"
    )
    items = read(path)
    a, b = documents(items)
    (broken,) = problems(items)
    assert "line 2" in broken.reason and broken.record == 1
    assert (a.kind, a.published, a.title, a.record) == ("text", "2021-05-05", "A", 0)
    assert (b.kind, b.outlet, b.author, b.record) == ("html", "E", "Jo", 2)


def test_plain_text_and_html_files_are_one_document_each(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Beijing said on Monday that talks went well.", "utf-8")
    (tmp_path / "b.html").write_bytes(
        '<html><head><meta charset="iso-8859-1"></head><body><p>Ação</p></body></html>'.encode(
            "latin-1"
        )
    )
    found = [d for f in discover([str(tmp_path)]) for d in read_documents(f)]  # type: ignore[arg-type]
    text, page = documents(found)
    assert (text.kind, text.record, text.source) == ("text", 0, str(tmp_path / "a.txt"))
    assert page.kind == "html" and "Ação" in page.content


def test_bad_inputs_are_problems_with_reasons(tmp_path: Path) -> None:
    (tmp_path / "junk.txt").write_bytes(bytes(range(256)) * 16)
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "huge.html").write_bytes(b"<html><body>" + b"<p>words</p>" * 1_000_000)
    (tmp_path / "notwarc.gz").write_bytes(gzip.compress(b"just text"))
    (tmp_path / "bad.xml").write_bytes(b'<?xml version="1.0"?><rss><channel><item><title>x')
    reasons = {}
    for item in discover([str(tmp_path)]):
        assert isinstance(item, InputFile)
        *_read, problem = read_documents(item)
        assert isinstance(problem, Problem)
        reasons[Path(item.source).name] = problem.reason
    assert "unsupported" in reasons["junk.txt"] and "unsupported" in reasons["notwarc.gz"]
    assert "empty" in reasons["empty.html"]
    assert "too large" in reasons["huge.html"]
    assert "malformed feed" in reasons["bad.xml"]


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.one_of(
        st.binary(max_size=3000),
        st.text(max_size=2000).map(str.encode),
        st.sampled_from([b"WARC/1.0\r\n", b"\x1f\x8b\x08\x00", b"<rss>", b"{", b"<html>"]).flatmap(
            lambda head: st.binary(max_size=500).map(lambda tail: head + tail)
        ),
    ),
    st.sampled_from(["a.txt", "b.html", "c.jsonl", "d.warc.gz", "e.rss"]),
)
def test_any_bytes_yield_documents_or_problems(tmp_path: Path, data: bytes, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    for item in discover([str(path)]):
        if isinstance(item, InputFile):
            assert all(isinstance(d, Document | Problem) for d in read_documents(item))


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2021-05-05T23:30:00-05:00", "2021-05-05"),  # the publisher's day, not UTC's
        ("Tue, 02 Mar 2021 10:00:00 GMT", "2021-03-02"),
        ("2 de março de 2021", "2021-03-02"),
        ("May 2021", None),  # no day: none is invented
        ("2021", None),
        ("yesterday", None),  # relative to the day of the run: not reproducible
        ("soon", None),
    ],
)
def test_container_dates_are_whole_days_or_nothing(
    tmp_path: Path, written: str, day: str | None
) -> None:
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"text": "Body.", "published": written}) + "\n", "utf-8")
    (doc,) = read(path)
    assert isinstance(doc, Document) and doc.published == day


def test_feed_date_is_the_publishers_day(tmp_path: Path) -> None:
    feed = tmp_path / "late.rss"
    feed.write_text(
        '<rss version="2.0"><channel><title>W</title><item><title>Late</title>'
        "<link>https://w.example/late</link><description>Text.</description>"
        "<pubDate>Wed, 05 May 2021 22:30:00 -0500</pubDate></item></channel></rss>",
        encoding="utf-8",
    )
    (entry,) = read(feed)
    assert isinstance(entry, Document) and entry.published == "2021-05-05"


def test_only_successful_html_responses_are_read_from_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "mixed.warc"
    responses = [
        ("https://a.example/ok", "200 OK", "text/html; charset=windows-1252", "Ação"),
        ("https://a.example/gone", "404 Not Found", "text/html", "Not found"),
        ("https://a.example/logo", "200 OK", "image/png", "PNG"),
        ("https://a.example/next", "200 OK", "text/html", "Next"),
    ]
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=False)
        for url, status, kind, text in responses:
            http = StatusAndHeaders(status, [("Content-Type", kind)], protocol="HTTP/1.1")
            payload = f"<html><body><p>{text}</p></body></html>".encode("cp1252")
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(payload), http_headers=http
            )
            writer.write_record(record)
    items = read(path)
    assert [(d.record, d.url) for d in documents(items)] == [
        (0, "https://a.example/ok"),
        (1, "https://a.example/next"),
    ]
    assert "Ação" in documents(items)[0].content and not problems(items)


def test_a_warc_response_without_a_target_uri_is_a_problem_after_the_good_records(
    tmp_path: Path,
) -> None:
    path = tmp_path / "no-uri.warc"
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=False)
        for url in ("https://a.example/ok", None):
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            payload = io.BytesIO(b"<html><body><p>A page</p></body></html>")
            writer.write_record(
                writer.create_warc_record(url, "response", payload=payload, http_headers=http)
            )
    items = read(path)
    assert [d.url for d in documents(items)] == ["https://a.example/ok"]
    (problem,) = problems(items)
    assert problem.reason.startswith("malformed warc")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_a_text_with_a_byte_order_mark_is_read_in_its_encoding(
    tmp_path: Path, encoding: str
) -> None:
    text = "Antony Blinken met Wang Yi in Beijing on Monday – “a candid talk”.\n"
    path = tmp_path / "scrape.txt"
    # Python writes the mark itself for utf-16, utf-32 and utf-8-sig; utf-16-be needs it given
    marked = "\ufeff" + text if encoding == "utf-16-be" else text
    path.write_bytes(marked.encode(encoding))
    (document,) = documents(read(path))
    assert document.kind == "text" and document.content.lstrip("\ufeff") == text


def test_bad_jsonl_lines_are_problems_named_by_their_kind_first(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    good = json.dumps({"url": "https://a.example/1", "text": "Beijing and Washington met."})
    path.write_text("\n".join([good, "{broken", "[1, 2]", "{also broken", good]) + "\n")
    items = read(path)
    assert len(documents(items)) == 2
    kinds = [p.reason.split(":")[0] for p in problems(items)]
    assert kinds == ["malformed JSON", "not a JSON object", "malformed JSON"]
    assert [p.record for p in problems(items)] == [1, 2, 3]
